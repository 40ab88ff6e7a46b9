"""Loading and validating data/: every problem names file, row and column; nothing half-loads."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from spotting import DataError, Knowledge, check_data, contract, load_knowledge
from spotting.errors import DataProblem


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, starts_with: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(starts_with):
            return number
    raise AssertionError(f"no line starting {starts_with!r}")


def edit_line(path: Path, row: int, change: Callable[[str], str]) -> None:
    """Rewrite one line (numbered as an editor shows it) of a data file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[row - 1] = change(lines[row - 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def drop_lines(path: Path, prefix: str) -> None:
    """Remove every line of a data file that starts with ``prefix``."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(prefix)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def only_problem(directory: Path) -> DataProblem:
    problems = check_data(directory)
    assert len(problems) == 1, problems
    return problems[0]


def test_shipped_data_is_valid() -> None:
    assert check_data() == []


def test_load_is_cached_and_complete(knowledge: Knowledge) -> None:
    # Two loads in a row, not the session's first: other files clear the cache on purpose
    # (test_safety_floor), so comparing with the session fixture depended on the test order.
    assert load_knowledge() is load_knowledge()
    assert {cause.id for cause in knowledge.causes} >= set(contract.CAUSE_IDS)
    assert set(knowledge.questions) >= set(contract.ANSWER_FIELDS)


def test_every_cited_source_exists_and_every_clinical_row_is_cited(knowledge: Knowledge) -> None:
    rows = [*knowledge.red_flags, *knowledge.baselines, *knowledge.advice]
    for item in [*(r.review for r in rows), *(c.review for c in knowledge.causes)]:
        assert item.sources and set(item.sources) <= set(knowledge.sources)
        assert item.next_review_due > item.last_reviewed


def test_a_bad_value_names_file_row_and_column(data_copy: Path) -> None:
    path = data_copy / "red_flags.csv"
    row = line_of(path, "heavy_bleeding,")
    edit(path, "heavy_bleeding,emergency,", "heavy_bleeding,emergncy,")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("red_flags.csv", row, "urgency")
    assert "emergncy" in problem.message and "emergency" in problem.message


def test_an_unknown_field_in_a_condition_is_located(data_copy: Path) -> None:
    path = data_copy / "red_flags.csv"
    row = line_of(path, "fever,")
    edit(path, "fever,urgent,fever=true,", "fever,urgent,fevr=true,")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("red_flags.csv", row, "condition")
    assert "fevr" in problem.message


def test_a_value_outside_the_allowed_set_in_a_condition_is_located(data_copy: Path) -> None:
    path = data_copy / "baseline.csv"
    row = line_of(path, "period_timing,")
    edit(path, "period_due=true", "period_due=yes")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("baseline.csv", row, "condition")


def test_an_unknown_source_is_located(data_copy: Path) -> None:
    path = data_copy / "causes.csv"
    edit(path, ",S9", ",S999")
    problems = check_data(data_copy)
    assert problems and all(p.file == "causes.csv" and p.column == "sources" for p in problems)
    assert all("S999" in p.message for p in problems) and all(p.row and p.row > 1 for p in problems)


def test_duplicate_ids_are_rejected(data_copy: Path) -> None:
    path = data_copy / "red_flags.csv"
    edit(path, "dizzy_or_faint,emergency,", "heavy_bleeding,emergency,")
    problems = check_data(data_copy)
    # Both copies are reported, so the editor sees which rows clash.
    assert {(p.file, p.row, p.column) for p in problems} == {
        ("red_flags.csv", line_of(path, "heavy_bleeding,emergency,amount"), "id"),
        ("red_flags.csv", line_of(path, "heavy_bleeding,emergency,dizzy"), "id"),
    }
    assert all("more than once" in p.message for p in problems)


def test_an_impossible_date_is_located(data_copy: Path) -> None:
    path = data_copy / "causes.csv"
    row = line_of(path, "friction_injury,")
    edit_line(path, row, lambda line: line.replace("2026-11-21", "2026-02-30", 1))
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("causes.csv", row, "last_reviewed")


def test_review_due_before_last_review_is_located(data_copy: Path) -> None:
    path = data_copy / "red_flags.csv"
    row = line_of(path, "heavy_bleeding,")
    # Whatever the row's review dates are (issue 21 re-reviewed it), make the due date the earlier.
    edit_line(path, row, lambda line: line.replace("2027-11-21", "2025-01-01").replace("2027-12-06", "2025-01-01"))
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("red_flags.csv", row, "next_review_due")


def test_a_missing_column_is_named(data_copy: Path) -> None:
    edit(data_copy / "sources.csv", "id,title,", "id,titel,")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("sources.csv", 1, "title")


def test_a_row_with_too_many_cells_names_its_line(data_copy: Path) -> None:
    path = data_copy / "groups.csv"
    edit(path, "pregnancy,Pregnancy,5", "pregnancy,Pregnancy,5,extra")
    problem = only_problem(data_copy)
    assert problem.file == "groups.csv" and problem.row == line_of(path, "pregnancy,")


def test_a_missing_contract_cause_is_reported(data_copy: Path) -> None:
    drop_lines(data_copy / "causes.csv", "iud,")
    drop_lines(data_copy / "cause_rules.csv", "iud,")
    problem = only_problem(data_copy)
    assert (problem.file, problem.column) == ("causes.csv", "id") and "'iud'" in problem.message


def test_a_missing_contract_value_is_reported(data_copy: Path) -> None:
    drop_lines(data_copy / "choices.csv", "screening,never")
    problems = check_data(data_copy)
    assert any(p.file == "choices.csv" and "never" in p.message for p in problems)


def test_a_scenario_with_invalid_answers_is_located(data_copy: Path) -> None:
    path = data_copy / "scenarios.csv"
    text = path.read_text(encoding="utf-8")
    assert '""age"": ' in text
    path.write_text(text.replace('""age"": ', '""agee"": ', 1), encoding="utf-8")
    problem = only_problem(data_copy)
    assert (problem.file, problem.column) == ("scenarios.csv", "answers") and "agee" in problem.message
    assert problem.row is not None and problem.row >= 2


def test_a_missing_file_is_reported(data_copy: Path) -> None:
    (data_copy / "terms.csv").unlink()
    assert only_problem(data_copy) == DataProblem("terms.csv", None, None, "file is missing")


def test_nothing_is_half_loaded(data_copy: Path) -> None:
    edit(data_copy / "red_flags.csv", "heavy_bleeding,emergency,", "heavy_bleeding,emergncy,")
    with pytest.raises(DataError) as error:
        load_knowledge(data_copy)
    assert "red_flags.csv, row" in str(error.value)


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    edit(data_copy / "red_flags.csv", "heavy_bleeding,emergency,", "heavy_bleeding,emergncy,")
    edit(data_copy / "causes.csv", "2026-11-21", "2026-13-01")
    files = {problem.file for problem in check_data(data_copy)}
    assert files == {"red_flags.csv", "causes.csv"}


def test_every_table_has_a_schema() -> None:
    from spotting.knowledge import TABLES
    from spotting.schemas import SCHEMAS

    assert set(TABLES) == set(SCHEMAS)


def test_a_fingerprinted_load_skips_only_the_column_checks(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spotting import knowledge as loader

    loader._build(data_copy)  # first load: full validation, then the fingerprint is recorded
    monkeypatch.setattr(loader, "_validate", lambda name, frame: pytest.fail("validated a trusted copy"))
    assert loader._build(data_copy).causes  # same bytes: trusted


def test_changed_bytes_are_validated_in_full(data_copy: Path) -> None:
    from spotting import knowledge as loader

    loader._build(data_copy)
    edit(data_copy / "red_flags.csv", "heavy_bleeding,emergency,", "heavy_bleeding,emergncy,")
    with pytest.raises(DataError, match=re.escape("red_flags.csv, row 2, column urgency")):
        loader._build(data_copy)


def test_check_data_never_trusts_a_fingerprint(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spotting import knowledge as loader

    loader._build(data_copy)
    calls: list[str] = []
    original = loader._validate
    monkeypatch.setattr(loader, "_validate", lambda name, frame: calls.append(name) or original(name, frame))
    assert check_data(data_copy) == []
    assert len(calls) == len(loader.TABLES)


def test_an_unwritable_cache_only_costs_time(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spotting import knowledge as loader

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("SPOTTING_CACHE_DIR", str(blocked))
    assert loader._build(data_copy).causes


def test_cause_rules_terms_and_levels_must_cite_real_sources(data_copy: Path) -> None:
    path = data_copy / "cause_rules.csv"
    row = line_of(path, "friction_injury,dryness=true")
    edit(path, "S52;S20\n", "S52;S9999\n")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("cause_rules.csv", row, "sources")


def test_a_term_without_sources_is_rejected(data_copy: Path) -> None:
    edit_line(data_copy / "terms.csv", 2, lambda line: line.rsplit(",", 1)[0] + ",")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("terms.csv", 2, "sources")


def test_tests_never_write_into_the_users_own_cache() -> None:
    from spotting.knowledge import _cache_dir

    assert not _cache_dir().resolve().is_relative_to(Path.home().resolve() / ".cache")


# One row per broken figure: (the row's start, what it becomes, the column the problem names).
BAD_STATISTICS = [
    ("cancer_risk_age_20_24,", lambda line: line.replace(",ratio,", ",bananas,"), "unit"),
    ("cancer_risk_age_20_24,", lambda line: line.replace(",1,44000,", ",1,,"), "denominator"),
    ("colposcopy_cancer,", lambda line: line.replace(",0.6,100,", ",140,100,"), "value"),
    ("ectopic_pregnancy_rate,", lambda line: line.replace(",1,90,", ",91,90,"), "value"),
]


@pytest.mark.parametrize(("row_start", "change", "column"), BAD_STATISTICS, ids=[case[2] for case in BAD_STATISTICS])
def test_a_bad_statistic_fails_check_data_not_a_teaching_page(
    data_copy: Path, row_start: str, change: Callable[[str], str], column: str
) -> None:
    path = data_copy / "statistics.csv"
    row = line_of(path, row_start)
    edit_line(path, row, change)
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("statistics.csv", row, column)


def test_records_replace_raw_tables(knowledge: Knowledge) -> None:
    """Myths, statistics, terms and scenario review dates are typed records, checked at load."""
    assert knowledge.myths and all(myth.review.sources for myth in knowledge.myths)
    assert knowledge.statistics and all(0 <= s.proportion <= 1 for s in knowledge.statistics)
    assert set(knowledge.term_definitions) == set(knowledge.terms)
    assert all(scenario.review is not None for scenario in knowledge.scenarios)


def test_a_trusted_load_reads_the_same_tables_without_pandas(tmp_path: Path) -> None:
    """Dashboard kernels load validated data with the csv module: no pandas, no pandera.

    The fast path must read exactly what the validating path read."""
    import subprocess
    import sys

    from spotting.knowledge import DEFAULT_DATA_DIR, TABLES, _read_and_validate, _read_trusted

    for name in TABLES:
        validated, problems = _read_and_validate(name, DEFAULT_DATA_DIR / name)
        assert not problems and validated is not None
        assert _read_trusted(DEFAULT_DATA_DIR / name) == tuple(validated), name
    env = {"SPOTTING_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "spotting", "check-data"], env=env, check=True, capture_output=True)
    code = (
        "import sys, spotting, spotting.explorer.app; spotting.load_knowledge(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'pandera'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "[]"


def test_myths_are_in_their_order_with_the_warm_up_set_first(knowledge: Knowledge) -> None:
    orders = [myth.order for myth in knowledge.myths]
    assert orders == sorted(orders)
    warm = [myth.warm_up for myth in knowledge.myths]
    assert warm == sorted(warm, reverse=True) and sum(warm) == 3


def test_a_warm_up_myth_after_the_others_is_located(data_copy: Path) -> None:
    path = data_copy / "myths.csv"
    row = line_of(path, "before_period,")
    edit(path, "before_period,13,no,", "before_period,13,yes,")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("myths.csv", row, "order")
    assert "warm-up" in problem.message


def test_a_myth_number_that_is_not_a_whole_number_is_located(data_copy: Path) -> None:
    path = data_copy / "myths.csv"
    row = line_of(path, "thrush_smells,")
    edit(path, "thrush_smells,1,", "thrush_smells,first,")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("myths.csv", row, "order")
