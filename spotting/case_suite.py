"""The clinical case suites, run against a knowledge base as a safety self-test.

A rule can still exist, at the right level, and yet say less than it did: a condition narrowed
by a bad merge, a row moved, a choice renamed. The safety floor (``safety_floor``) cannot see
that; the case suites can. Each case gives answers and what a clinician expects of them, so a
knowledge base that changes even one case is refused by ``spotting check-data``, with the case
named. Two kinds of case are read:

- the project's own cases (``tests/clinical_cases.json``): the exact level, and causes that must
  be likely, shown, in the top three (``top_three``), not likely or not shown;
- an independent GP's cases (``tests/gp_review_cases.json``): the lowest level that is safe, and
  causes that must never be shown (their preferred level is a judgement call, not checked here).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import AnswerError, DataProblem
from .explain import Explanation, explain
from .model import Knowledge
from .urgency import Urgency

CASE_FILES = ("clinical_cases.json", "gp_review_cases.json")
"""The suites, in the repository's tests/ (a wheel ships none: its data was checked when built)."""


def default_case_files() -> list[Path]:
    """The repository's case suites, where this is a checkout; none from an installed wheel."""
    tests = Path(__file__).resolve().parents[1] / "tests"
    return [tests / name for name in CASE_FILES if (tests / name).is_file()]


def suite_problems(path: Path, knowledge: Knowledge) -> list[DataProblem]:
    """Every case in ``path`` that this knowledge base no longer meets, each named by its id."""
    try:
        cases = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [DataProblem(path.name, None, None, f"cannot read the case suite: {error}")]
    if not isinstance(cases, list):
        return [DataProblem(path.name, None, None, "a case suite is a JSON list of cases")]
    return [
        DataProblem(path.name, None, None, f"case {case.get('id', '?')}: {message}")
        for case in cases
        for message in case_problems(case, knowledge)
    ]


def case_problems(case: Mapping[str, Any], knowledge: Knowledge) -> list[str]:
    """What this knowledge base gets wrong about one case; empty when it meets it."""
    try:
        explanation = explain(case["answers"], knowledge)
    except AnswerError as error:
        return [f"its answers no longer fit the questions: {error}"]
    except (KeyError, TypeError):
        return ["is not a case: it needs answers"]
    problems = _level_problems(case, explanation)
    fits = {result.fit.cause.id: result.fit.fit.value for result in explanation.causes}
    for cause in case.get("likely", []):
        if fits.get(cause) != "likely":
            problems.append(f"{cause} should be likely, is {fits.get(cause, 'not shown')}")
    for cause in case.get("shown", []):
        if fits.get(cause) not in ("likely", "possible"):
            problems.append(f"{cause} should be shown, is {fits.get(cause, 'not shown')}")
    top_three = [result.fit.cause.id for result in explanation.causes[:3]]
    for cause in case.get("top_three", []):
        if cause not in top_three:
            problems.append(f"{cause} should rank in the top three, the top three are {', '.join(top_three)}")
    for cause in case.get("not_likely", []):
        if fits.get(cause) == "likely":
            problems.append(f"{cause} must not be likely")
    for cause in [*case.get("not_shown", []), *case.get("must_not_show_causes", [])]:
        if cause in fits:
            problems.append(f"{cause} must not be shown, is {fits[cause]}")
    return problems


def _level_problems(case: Mapping[str, Any], explanation: Explanation) -> list[str]:
    got = explanation.urgency
    flags = ", ".join(flag.rule.id for flag in explanation.red_flags) or "no red flag"
    if "urgency" in case and got.id != case["urgency"]:
        return [f"the advice is {got.id}, expected {case['urgency']} ({flags})"]
    if "min_urgency" in case and got < Urgency.from_id(case["min_urgency"]):
        return [f"the advice is {got.id}, below the lowest safe level {case['min_urgency']} ({flags})"]
    return []
