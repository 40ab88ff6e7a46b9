"""The command line (contract §5): exit codes, stdout and stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from spotting.cli import main


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_explain_reads_stdin_and_prints_contract_json() -> None:
    code, out, err = run(["explain"], '{"age": 30, "pregnant": "yes", "weeks_pregnant": 8, "amount": "spotting"}')
    assert code == 0 and err == ""
    assert json.loads(out)["urgency"] == "urgent"


def test_explain_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"amount": "heavy"}')
    code, out, _ = run(["explain", str(path)])
    assert code == 0 and json.loads(out)["urgency"] == "emergency"


def test_text_format_puts_the_advice_first() -> None:
    code, out, _ = run(["explain", "--format", "text", "-"], '{"dizzy_or_faint": true}')
    assert code == 0
    assert out.splitlines()[0].startswith("Immediate action required:")
    assert "not diagnosis" in out


def test_bad_answers_exit_2_with_nothing_on_stdout() -> None:
    code, out, err = run(["explain"], '{"pregnant": "maybe"}')
    assert (code, out) == (2, "")
    assert "pregnant" in err and "no, unsure, yes" in err and "Traceback" not in err


def test_invalid_json_exits_2() -> None:
    code, out, err = run(["explain"], "{not json")
    assert (code, out) == (2, "") and "not valid JSON" in err


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    code, out, err = run(["explain", str(tmp_path / "nope.json")])
    assert (code, out) == (2, "") and "cannot read" in err


def test_check_data_passes_on_shipped_data() -> None:
    assert run(["check-data"])[0] == 0


def test_check_data_fails_on_a_broken_copy_naming_file_row_and_column(data_copy: Path) -> None:
    path = data_copy / "red_flags.csv"
    path.write_text(path.read_text().replace("heavy_bleeding,emergency,", "heavy_bleeding,emergncy,"))
    code, out, err = run(["check-data", str(data_copy)])
    assert code == 1
    assert "red_flags.csv, row 2, column urgency" in out
    assert "red_flags.csv" in err


def test_the_installed_command_and_python_m_agree() -> None:
    answers = '{"pregnant": "unsure"}'
    proc = subprocess.run(
        [sys.executable, "-m", "spotting", "explain"], input=answers, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["urgency"] == "urgent"
    bad = subprocess.run(
        [sys.executable, "-m", "spotting", "explain"], input="[1]", capture_output=True, text=True, check=False
    )
    assert (bad.returncode, bad.stdout) == (2, "") and "Traceback" not in bad.stderr
