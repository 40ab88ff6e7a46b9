"""The command line (contract §5): exit codes, stdout and stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- Hostile input: one line and exit 2, never a traceback (issue 20) ---------------------------


def run_bytes(argv: list[str], data: bytes) -> tuple[int, str, str]:
    """Like ``run``, with standard input as bytes, the way a pipe delivers them."""
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    code = main(argv, stdin=stdin, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


HOSTILE = {
    "a 5,000-digit number": b'{"age": ' + b"9" * 5000 + b"}",
    "JSON nested 5,000 deep": b"[" * 5000 + b"]" * 5000,
    "a value nested 5,000 deep": b'{"age": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "text that is not UTF-8": b'{"amount": "\xff\xfe"}',
    "a key given twice": b'{"pregnant": "yes", "pregnant": "no"}',
    "a NaN": b'{"age": NaN}',
    "a huge float": b'{"age": 1e400}',
    "a lone surrogate": b'{"amount": "\\ud800"}',
}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_answers_are_one_line_and_exit_2(data: bytes) -> None:
    code, out, err = run_bytes(["explain"], data)
    assert (code, out) == (2, "")
    assert err.startswith("spotting: bad answers: ") and err.count("\n") == 1 and "Traceback" not in err


def test_a_key_given_twice_is_refused_naming_it() -> None:
    """Last-one-wins would turn "pregnant: yes" into routine advice without a word."""
    code, _, err = run_bytes(["explain"], b'{"pregnant": "yes", "pregnant": "no"}')
    assert code == 2 and "'pregnant' is given twice" in err


def test_an_answers_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(b'{"amount": "\xe9"}')
    code, out, err = run(["explain", str(path)])
    assert (code, out) == (2, "") and "not UTF-8" in err


def test_a_byte_order_mark_before_the_answers_is_read() -> None:
    code, out, _ = run_bytes(["explain"], b'\xef\xbb\xbf{"amount": "heavy"}')
    assert code == 0 and json.loads(out)["urgency"] == "emergency"


@pytest.mark.parametrize("field", ["amount", "x" * 10_000_000])
def test_an_error_quotes_at_most_about_80_characters_of_a_bad_value(field: str) -> None:
    code, _, err = run(["explain"], json.dumps({field: "y" * 10_000_000}))
    assert code == 2
    quoted = max((part for part in err.split("'") if set(part) <= {"x", "y", "."}), key=len)
    assert len(quoted) <= 80 and len(err) < 2_000


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(["age", "amount", "pregnant", "region", "not_consensual", "weeks_pregnant"])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.dictionaries(FIELDS, JSON, max_size=4).map(lambda d: json.dumps(d).encode()))
def test_any_input_gives_advice_or_a_one_line_error(data: bytes) -> None:
    code, out, err = run_bytes(["explain"], data)
    assert code in (0, 2), err
    if code == 0:
        assert json.loads(out)["urgency"] and err == ""
    else:
        assert out == "" and err.count("\n") == 1 and "Traceback" not in err


def test_a_reader_that_stops_early_ends_the_program_quietly() -> None:
    """``spotting explain ... | head -1``: the rest of the output has nowhere to go."""
    command = f"echo '{{\"amount\": \"heavy\"}}' | {sys.executable} -m spotting explain - | head -c 1"
    result = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True, check=False)
    assert result.stdout == "{" and result.stderr == "", result.stderr


SERVER_MODULES = ("spotting_host", "voila", "jupyter_server", "jupyterlab", "tornado", "segno", "http.server", "psutil")
"""What serving needs (the [serve] extra and spotting_host): explaining answers loads none of it."""


@pytest.mark.parametrize("command", [["explain", "-"], ["check-data"]])
def test_explain_and_check_data_load_no_server_web_or_qr_module(command: list[str]) -> None:
    """In a fresh interpreter, as a person runs it: ``spotting serve`` is a door, not an import."""
    probe = (
        "import io, sys\n"
        "from spotting.cli import main\n"
        f"status = main({command!r}, stdin=io.StringIO('{{\"amount\": \"heavy\"}}'), stdout=io.StringIO())\n"
        f"print(status, sorted(m for m in sys.modules if m.startswith({SERVER_MODULES!r})))"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert ran.stdout.split() == ["0", "[]"], ran.stdout + ran.stderr


def test_serve_is_a_door_to_spotting_host_with_its_own_options() -> None:
    """``spotting serve --help`` lists the server's options, read from spotting_host when asked."""
    ran = subprocess.run(
        [sys.executable, "-m", "spotting", "serve", "--help"], capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0 and ran.stdout.startswith("usage: spotting serve"), ran.stderr
    assert "--learners" in ran.stdout and "--Class.trait=value" in ran.stdout
    listed = subprocess.run([sys.executable, "-m", "spotting", "--help"], capture_output=True, text=True, check=False)
    assert "serve" in listed.stdout and "--learners" not in listed.stdout
