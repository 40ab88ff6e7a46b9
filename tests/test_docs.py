"""The repository stands alone: its contract and clinical policy live in docs/ and match the data."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from spotting import Knowledge, load_knowledge
from spotting.cli import POLICY_REGION
from spotting.policy_doc import hazard_log, rewrite

ROOT = Path(__file__).resolve().parents[1]


def test_the_clinical_policy_document_matches_the_data() -> None:
    document = (ROOT / "docs" / "clinical-policy.md").read_text(encoding="utf-8")
    assert rewrite(document, load_knowledge(region=POLICY_REGION)) == document, "run: spotting policy-doc"


def test_the_safety_case_hazard_log_matches_the_data() -> None:
    document = (ROOT / "docs" / "clinical-safety-case.md").read_text(encoding="utf-8")
    assert rewrite(document, load_knowledge(region=POLICY_REGION), hazard_log) == document, "run: spotting policy-doc"


def test_every_answer_field_and_value_is_in_the_contract_document(knowledge: Knowledge) -> None:
    contract = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    for question in knowledge.questions.values():
        assert f"`{question.field}`" in contract, question.field
        for value in question.choices:
            assert f'`"{value}"`' in contract, f"{question.field}={value}"
    for cause in knowledge.causes:
        assert f"`{cause.id}`" in contract, cause.id


def test_nothing_in_the_repository_points_outside_it() -> None:
    """A user's clone has no shared folder of the team's beside it."""
    marker = "../" + "shared"  # spelled in two parts so this file does not match itself
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout.split("\0")
    outside = [
        name
        for name in tracked
        if name
        and not name.startswith(".ci/")
        and (ROOT / name).is_file()
        and marker in (ROOT / name).read_text(encoding="utf-8", errors="ignore")
    ]
    assert not outside, outside


def test_the_teaching_guide_names_myths_and_scenarios_by_the_numbers_the_page_shows(knowledge: Knowledge) -> None:
    """The guide says "Myth 2" and "Scenario 6"; a reordered myths.csv or scenarios.csv must not
    leave a facilitator reading out the wrong card."""
    from spotting.teaching.quiz import myths_and_facts

    guide = (ROOT / "docs" / "teaching-session.md").read_text(encoding="utf-8")
    myths = {m.number: m for m in myths_and_facts(knowledge)}
    named = re.findall(r"Myth (\d+): \u201c?\"?(.+?)\"?\u201d?$", guide, flags=re.MULTILINE)
    assert len(named) == 3
    for number, claim in named:
        assert myths[int(number)].claim == claim and myths[int(number)].warm_up, number
    scenarios = dict(enumerate((s.title for s in knowledge.scenarios), start=1))
    listed = re.findall(r"Scenario (\d+)\. (.+?) \(", guide)
    assert len(listed) == 4
    for number, title in listed:
        assert scenarios[int(number)] == title
    assert "spotting serve teaching --network --learners 30" in guide and "make facilitator" in guide


@pytest.mark.parametrize("notebook", sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")),
                         ids=lambda path: path.stem)
def test_every_dashboard_has_a_real_page_title(notebook: Path) -> None:
    """Voila uses the notebook's ``title`` metadata as the page title; without it a tab reads
    "teaching" (UX review, finding 6)."""
    title = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("title", "")
    assert title.startswith("Bleeding after sex: "), notebook.name
