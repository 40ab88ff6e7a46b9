"""The clinical case suite (tests/clinical_cases.json), written from the dossier.

Each case gives answers, the expected urgency, and causes that must be likely, shown (likely or
possible), not likely, or not shown at all. A rule change that alters any of these fails here by case id.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spotting import URGENCY_IDS, Knowledge, explain
from spotting.case_suite import case_problems

CASES: list[dict[str, Any]] = json.loads((Path(__file__).parent / "clinical_cases.json").read_text())


def test_the_suite_covers_every_level_and_every_part_a_rule() -> None:
    levels = {case["urgency"] for case in CASES}
    assert levels == set(URGENCY_IDS)
    rules = {rule for case in CASES for rule in case["rule"].split(";")}
    assert {f"A{n}" for n in range(1, 15)} <= rules
    assert {f"C{n}" for n in range(1, 11)} <= rules  # docs/clinical-policy.md, part C
    # Part E (issue 21): every rule that a case can show, and every new field (F1-F7).
    assert {f"E{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14)} <= rules
    assert {f"F{n}" for n in range(1, 8)} <= rules
    assert {f"I{n}" for n in range(1, 14)} <= rules  # part I: the third read's open points and new fields
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(knowledge: Knowledge, case: dict[str, Any]) -> None:
    """The level exactly, and the causes that must be likely, shown, not likely or not shown:
    the same check ``spotting check-data`` runs (spotting.case_suite)."""
    assert case_problems(case, knowledge) == []


def test_every_red_flag_fires_in_at_least_one_case(knowledge: Knowledge) -> None:
    """A rule no case exercises could be wrong, or dead, without a single test noticing."""
    fired = {flag.rule.id for case in CASES for flag in explain(case["answers"], knowledge).red_flags}
    assert [flag.id for flag in knowledge.red_flags if flag.id not in fired] == []


def test_every_cause_reaches_the_top_three_in_at_least_one_case(knowledge: Knowledge) -> None:
    """A cause that never ranks in the top three is one nobody reads: either the ranking policy
    buries it where guidance puts it first, or no case tests where it leads (issue 21, part 3)."""
    top = {result.fit.cause.id for case in CASES for result in explain(case["answers"], knowledge).causes[:3]}
    assert [cause.id for cause in knowledge.causes if cause.id not in top] == []


def test_a_case_naming_a_top_three_cause_fails_when_it_ranks_lower(knowledge: Knowledge) -> None:
    """The ``top_three`` check can fail: "no clear cause" never leads a post-menopausal case."""
    case = {
        "answers": {"age": 60, "menopause": "postmenopause", "tamoxifen": True, "amount": "light", "how_often": "once"},
        "top_three": ["no_cause_found"],
    }
    problems = case_problems(case, knowledge)
    assert len(problems) == 1 and "no_cause_found should rank in the top three" in problems[0]
