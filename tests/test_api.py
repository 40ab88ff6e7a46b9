"""The public API is what __all__ lists, and nothing in the engine reaches out of the process."""

from __future__ import annotations

import builtins
import inspect
import socket
from pathlib import Path

import pytest

import spotting
from spotting import Knowledge, explain


def test_public_api_is_exactly_what_all_lists() -> None:
    """Derived, not copied: every public name bound in the package is in ``__all__`` and the
    other way round, so nothing becomes public by accident (httpx's guard)."""
    bound = {
        name
        for name, value in vars(spotting).items()
        if not name.startswith("_") and (not inspect.ismodule(value) or name == "contract") and name != "annotations"
    }
    assert sorted(spotting.__all__) == sorted(bound)


def test_every_public_name_is_documented() -> None:
    contract = (Path(__file__).resolve().parents[1] / "docs" / "contract.md").read_text(encoding="utf-8")
    missing = [name for name in spotting.__all__ if f"`{name}" not in contract]
    assert not missing, f"document in docs/contract.md: {missing}"


def test_every_deliberate_error_is_a_spotting_error() -> None:
    for error in (spotting.AnswerError, spotting.DataError, spotting.ConditionError):
        assert issubclass(error, spotting.SpottingError)
        assert issubclass(error, ValueError)  # contract 1.0: AnswerError is a ValueError


def test_explain_does_no_io_once_loaded(knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch) -> None:
    """Privacy: explaining answers opens no file and no socket (nothing is logged or sent)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("explain() tried to do I/O")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(socket, "socket", refuse)
    result = explain({"age": 73, "pregnant": "no", "fever": True}, knowledge)
    assert result.urgency.id == "urgent"


def test_the_engine_does_not_import_widgets() -> None:
    import subprocess
    import sys

    code = "import sys, spotting; spotting.explain({}); print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
