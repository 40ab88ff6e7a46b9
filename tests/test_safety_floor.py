"""Knowledge that cannot lie: the safety floor, the case suites in check-data, and a corruption suite.

A reliability test broke data/ the ways bad luck does (a truncated file, a bad merge, a partial
copy, Excel's byte-order mark) and found knowledge bases that passed ``check-data`` yet gave
routine advice for heavy bleeding. Here every such corruption must be either refused, with a
message naming the file, or accepted with every clinical case's advice unchanged; and a second
load must agree with the first (the fast, trusted reader once disagreed with the full one).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from spotting import DataError, Knowledge, explain, load_knowledge
from spotting.case_suite import case_problems, default_case_files, suite_problems
from spotting.cli import main
from spotting.knowledge import TABLES, _load
from spotting.safety_floor import FLOOR

DATA = Path(__file__).resolve().parents[1] / "data"
CASES = json.loads((Path(__file__).parent / "clinical_cases.json").read_text(encoding="utf-8"))

Rows = list[list[str]]


def _rows(path: Path) -> Rows:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: Rows) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, key: list[str], column: str, value: str) -> None:
    """Set ``column`` to ``value`` in the row whose first cells are ``key``."""
    rows = _rows(path)
    index = rows[0].index(column)
    for row in rows:
        if row[: len(key)] == key:
            row[index] = value
    _write(path, rows)


def check(directory: Path) -> tuple[int, str]:
    """``spotting check-data DIR`` as CI and the README run it: status and everything printed."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["check-data", str(directory)], stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


def advice_for_every_case(directory: Path) -> dict[str, str] | str:
    """Each clinical case's level with this knowledge base, or the error a fresh load gives."""
    _load.cache_clear()
    try:
        knowledge = load_knowledge(directory)
    except DataError as error:
        return f"refused: {error.problems[0].file}"
    return {case["id"]: explain(case["answers"], knowledge).urgency.id for case in CASES}


# --- The floor ------------------------------------------------------------------------------


def test_the_floor_names_every_emergency_red_flag(knowledge: Knowledge) -> None:
    emergencies = {flag.id for flag in knowledge.red_flags if flag.urgency.id == "emergency"}
    assert emergencies <= {floor.id for floor in FLOOR}


def test_a_header_only_red_flag_file_is_refused_naming_the_lost_rules(data_copy: Path) -> None:
    _write(data_copy / "red_flags.csv", _rows(data_copy / "red_flags.csv")[:1])
    code, printed = check(data_copy)
    assert code == 1
    assert "safety floor: the safety rule heavy_bleeding is missing" in printed
    assert "dizzy_or_faint is missing" in printed


@pytest.mark.parametrize("flag", ["heavy_bleeding", "dizzy_or_faint", "assault_with_injury"])
def test_deleting_an_emergency_row_is_refused(data_copy: Path, flag: str) -> None:
    rows = _rows(data_copy / "red_flags.csv")
    _write(data_copy / "red_flags.csv", [row for row in rows if row[0] != flag])
    code, printed = check(data_copy)
    assert code == 1 and f"{flag} is missing" in printed


def test_downgrading_an_emergency_flag_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "red_flags.csv", ["heavy_bleeding"], "urgency", "routine")
    code, printed = check(data_copy)
    assert code == 1 and "heavy_bleeding is routine; the safety floor is emergency" in printed


def test_a_flag_that_no_longer_fires_for_its_answers_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "red_flags.csv", ["heavy_bleeding"], "condition", "amount=heavy & fever=true")
    code, printed = check(data_copy)
    assert code == 1 and "heavy_bleeding no longer fires" in printed


def test_a_region_without_a_number_to_tap_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "services.csv", ["GB", "emergency_number"], "tel", "")
    code, printed = check(data_copy)
    assert code == 1 and "GB has no emergency_number with a number to call" in printed


# --- The case suites in check-data ----------------------------------------------------------


def test_check_data_runs_the_case_suites() -> None:
    code, printed = check(DATA)
    assert code == 0, printed
    assert "clinical cases met (clinical_cases.json, gp_review_cases.json)" in printed


def test_a_change_that_alters_one_case_is_refused_naming_the_case(data_copy: Path) -> None:
    """Not a floor rule, and still there: after the menopause any bleeding needs a GP soon (NICE
    NG12), but a bad edit narrows it to people over 90."""
    set_cell(data_copy / "red_flags.csv", ["after_menopause"], "condition", "menopause=postmenopause & age>=90")
    code, printed = check(data_copy)
    assert code == 1
    assert "clinical_cases.json: case " in printed and "expected soon" in printed


def test_the_suite_reports_what_a_case_gets_wrong(knowledge: Knowledge) -> None:
    case = {"id": "x", "answers": {"amount": "heavy"}, "urgency": "routine", "shown": ["friction_injury"]}
    problems = case_problems(case, knowledge)
    assert problems[0].startswith("the advice is emergency, expected routine (heavy_bleeding")
    assert any("friction_injury should be shown" in problem for problem in problems)


def test_an_unreadable_suite_is_a_problem_not_a_crash(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "cases.json"
    path.write_text("{", encoding="utf-8")
    assert "cannot read the case suite" in suite_problems(path, knowledge)[0].message
    assert len(default_case_files()) == 2


# --- The corruption suite -------------------------------------------------------------------

Corruption = Callable[[Rows], Rows | None]
"""Takes a table's rows (header first) and returns the broken rows, or None to write bytes itself."""

CLINICAL = ("red_flags.csv", "baseline.csv", "advice.csv", "cause_rules.csv", "causes.csv", "questions.csv",
            "choices.csv", "terms.csv", "urgency_levels.csv", "services.csv", "regions.csv")  # fmt: skip

ROW_CORRUPTIONS: dict[str, Corruption] = {
    "header_only": lambda rows: rows[:1],
    "first_row_deleted": lambda rows: rows[:1] + rows[2:],
    "last_row_deleted": lambda rows: rows[:-1],
    "second_half_lost": lambda rows: rows[: 1 + len(rows) // 2],
    "rows_reversed": lambda rows: rows[:1] + rows[:0:-1],
    "first_row_twice": lambda rows: rows[:2] + rows[1:],
    "first_cell_blank": lambda rows: [rows[0], ["", *rows[1][1:]], *rows[2:]],
    "last_column_dropped": lambda rows: [row[:-1] for row in rows],
}


def _corrupt_bytes(path: Path, kind: str) -> None:
    raw = path.read_bytes()
    if kind == "byte_order_mark":
        path.write_bytes(b"\xef\xbb\xbf" + raw)
    elif kind == "open_quote":
        lines = raw.split(b"\n")
        lines[2] = b'"' + lines[2]
        path.write_bytes(b"\n".join(lines))
    elif kind == "extra_cell":
        lines = raw.split(b"\n")
        lines[1] += b",extra"
        path.write_bytes(b"\n".join(lines))
    elif kind == "not_utf8":
        path.write_bytes(raw.replace(b"e", b"\xe9", 1))
    elif kind == "truncated_mid_row":
        path.write_bytes(raw[: len(raw) // 2])


LOCATED = re.compile(r"^  [a-z_]+\.(csv|json)[,:]", re.MULTILINE)
"""A problem line as check-data prints it: the file first, then the row or case."""

BYTE_CORRUPTIONS = ("byte_order_mark", "open_quote", "extra_cell", "not_utf8", "truncated_mid_row")

CORRUPTIONS = [(table, kind) for table in CLINICAL for kind in (*ROW_CORRUPTIONS, *BYTE_CORRUPTIONS)]


@pytest.fixture(scope="module")
def expected_advice() -> dict[str, str] | str:
    return advice_for_every_case(DATA)


@pytest.mark.parametrize(("table", "kind"), CORRUPTIONS, ids=[f"{t}-{k}" for t, k in CORRUPTIONS])
def test_a_corruption_is_refused_with_its_file_or_changes_no_case(
    data_copy: Path, expected_advice: dict[str, str], table: str, kind: str
) -> None:
    path = data_copy / table
    if kind in ROW_CORRUPTIONS:
        broken = ROW_CORRUPTIONS[kind](_rows(path))
        assert broken is not None
        _write(path, broken)
    else:
        _corrupt_bytes(path, kind)
    code, printed = check(data_copy)
    assert "Traceback" not in printed
    first = advice_for_every_case(data_copy)
    second = advice_for_every_case(data_copy)  # the fast, trusted reader after a full load
    assert first == second, "the second load disagrees with the first"
    if code == 0:
        assert first == expected_advice, f"{table} {kind} passed check-data but changed the advice"
    else:
        assert code == 1 and LOCATED.search(printed), printed


def test_the_suite_covers_every_table_the_advice_depends_on() -> None:
    assert set(CLINICAL) <= set(TABLES)


def test_a_byte_order_mark_loads_the_same_twice(data_copy: Path, knowledge: Knowledge) -> None:
    """Excel's "CSV UTF-8" starts the file with a byte-order mark: it must read as plain UTF-8."""
    for table in TABLES:
        _corrupt_bytes(data_copy / table, "byte_order_mark")
    for _ in range(2):
        _load.cache_clear()
        loaded = load_knowledge(data_copy)
        assert [flag.id for flag in loaded.red_flags] == [flag.id for flag in knowledge.red_flags]


def test_an_extra_cell_names_the_line(data_copy: Path) -> None:
    _corrupt_bytes(data_copy / "causes.csv", "extra_cell")
    code, printed = check(data_copy)
    assert code == 1 and "causes.csv, row 2: has 14 cells but the header has 13 columns" in printed


def test_an_open_quote_names_the_line(data_copy: Path) -> None:
    _corrupt_bytes(data_copy / "red_flags.csv", "open_quote")
    code, printed = check(data_copy)
    assert code == 1 and "red_flags.csv, row 3" in printed and "quote" in printed


def test_the_copy_is_the_shipped_data(data_copy: Path) -> None:
    """The suite breaks a copy; the copy starts identical (so a refusal is the corruption's)."""
    for table in TABLES:
        assert (data_copy / table).read_bytes() == (DATA / table).read_bytes()
