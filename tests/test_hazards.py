"""The clinical hazard log (data/hazards.csv) holds its promises: every hazard has a control and a
test, every named test and case exists, and every red flag controls a hazard.

A hazard log whose "verified by" column names tests that were renamed or deleted is worse than
none: it says a risk is controlled when nothing checks it. So the names are checked here against
the test files themselves (read with ``ast``, nothing imported) and the case suites.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from functools import cache
from pathlib import Path

from spotting import Knowledge, check_data
from spotting.model import risk_rating

ROOT = Path(__file__).resolve().parents[1]
SAFETY_CASE = ROOT / "docs" / "clinical-safety-case.md"
SUITES = {"case": "clinical_cases.json", "gp_case": "gp_review_cases.json"}


@cache
def defined_tests(path: Path) -> frozenset[str]:
    """The test functions defined at the top of a test file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


@cache
def case_ids(suite: str) -> frozenset[str]:
    cases = json.loads((ROOT / "tests" / SUITES[suite]).read_text(encoding="utf-8"))
    return frozenset(case["id"] for case in cases)


def verification_exists(reference: str) -> bool:
    kind, _, name = reference.partition(":")
    if kind == "test":
        file, _, function = name.partition("::")
        return (ROOT / file).is_file() and function in defined_tests(ROOT / file)
    return name in case_ids(kind)


def hazard_ids(knowledge: Knowledge) -> list[str]:
    return [hazard.id for hazard in knowledge.hazards]


def test_the_log_holds_every_hazard_the_reviews_named(knowledge: Knowledge) -> None:
    named = {"missed_heavy_bleeding", "stale_advice_after_fault", "advice_off_screen", "wrong_region",
             "child_misaddressed", "survivor_misaddressed", "ec_window_missed", "translation_drift",
             "knowledge_corrupted", "ruled_out_content_shown"}  # fmt: skip
    assert named <= set(hazard_ids(knowledge))


def test_every_hazard_has_a_control_and_a_test(knowledge: Knowledge) -> None:
    for hazard in knowledge.hazards:
        assert hazard.controls and all(hazard.controls), hazard.id
        assert hazard.verification and all(hazard.verification), hazard.id


def test_every_named_test_and_case_exists(knowledge: Knowledge) -> None:
    missing = [(h.id, ref) for h in knowledge.hazards for ref in h.verification if not verification_exists(ref)]
    assert missing == []


def test_every_red_flag_controls_a_hazard(knowledge: Knowledge) -> None:
    controlled = {control.removeprefix("red_flag:") for h in knowledge.hazards for control in h.controls}
    assert [flag.id for flag in knowledge.red_flags if flag.id not in controlled] == []


def test_every_feature_control_is_described_in_the_safety_case(knowledge: Knowledge) -> None:
    described = set(re.findall(r"^\| `([a-z_]+)` \|", SAFETY_CASE.read_text(encoding="utf-8"), re.MULTILINE))
    features = {c.removeprefix("feature:") for h in knowledge.hazards for c in h.controls if c.startswith("feature:")}
    assert features - described == set()


def test_every_risk_is_the_matrix_rating_and_controls_never_raise_it(knowledge: Knowledge) -> None:
    for hazard in knowledge.hazards:
        for risk in (hazard.initial, hazard.residual):
            assert risk.rating == risk_rating(risk.severity, risk.likelihood), hazard.id
        assert hazard.residual.rating <= hazard.initial.rating, hazard.id


def test_the_matrix_rises_with_severity_and_likelihood() -> None:
    for severity in range(1, 6):
        for likelihood in range(1, 6):
            if severity < 5:
                assert risk_rating(severity + 1, likelihood) >= risk_rating(severity, likelihood)
            if likelihood < 5:
                assert risk_rating(severity, likelihood + 1) >= risk_rating(severity, likelihood)
    assert (risk_rating(1, 1), risk_rating(5, 5)) == (1, 5)


def test_the_safety_case_names_every_hazard_and_its_residual_risk(knowledge: Knowledge) -> None:
    text = SAFETY_CASE.read_text(encoding="utf-8")
    for hazard in knowledge.hazards:
        assert f"`{hazard.id}`" in text, hazard.id


def _edit(data: Path, hazard: str, column: str, value: str) -> None:
    path = data / "hazards.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["id"] == hazard:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_risk_that_is_not_the_matrix_rating_is_located(data_copy: Path) -> None:
    _edit(data_copy, "missed_heavy_bleeding", "residual_risk", "1")
    [problem] = check_data(data_copy)
    assert (problem.file, problem.row, problem.column) == ("hazards.csv", 2, "residual_risk")
    assert "give risk 3" in problem.message


def test_a_control_naming_no_red_flag_is_located(data_copy: Path) -> None:
    _edit(data_copy, "missed_heavy_bleeding", "controls", "red_flag:heavy_bleding")
    [problem] = check_data(data_copy)
    assert (problem.file, problem.column) == ("hazards.csv", "controls")
    assert "there is no red_flag heavy_bleding" in problem.message


def test_a_hazard_with_no_test_is_refused(data_copy: Path) -> None:
    _edit(data_copy, "missed_heavy_bleeding", "verification", "")
    problems = check_data(data_copy)
    assert any(p.column == "verification" and "must not be empty" in p.message for p in problems)


def test_translations_ship_only_with_their_checks() -> None:
    """The ``translation_gate`` control of ``translation_drift`` (issue 23): every catalog lives in
    spotting/locale/ for a language of languages.csv, the shipped catalogs pass check-data's
    catalog checks (placeholders, markup, and every safety string of an offered language current).
    The pages not yet translated still say they are English."""
    from spotting.catalogs import read_tables
    from spotting.knowledge import DEFAULT_DATA_DIR
    from spotting.localise import LOCALE_DIR, catalog_problems, languages

    ignored = {".venv", ".venv-static", "node_modules", ".git", "dist", ".static-cache", "build"}
    catalogs = [p for p in ROOT.rglob("*.po") if not ignored & set(p.relative_to(ROOT).parts)]
    assert catalogs and all(path.is_relative_to(LOCALE_DIR) for path in catalogs)
    assert {path.relative_to(LOCALE_DIR).parts[0].split("_")[0] for path in catalogs} <= set(languages())
    assert catalog_problems(read_tables(DEFAULT_DATA_DIR)) == []
    for page in ("spotting_host/voila_ext.py", "spotting_host/join.py"):
        assert re.search(r'<html lang="en(-GB)?"', (ROOT / page).read_text(encoding="utf-8")), page
