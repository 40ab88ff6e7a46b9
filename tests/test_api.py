"""The public API is what __all__ lists, and nothing in the engine reaches out of the process."""

from __future__ import annotations

import builtins
import socket

import pytest

import spotting
from spotting import Knowledge, explain


def test_public_api_is_curated() -> None:
    assert sorted(spotting.__all__) == sorted(
        [
            "DISCLAIMER",
            "URGENCY_IDS",
            "AnswerError",
            "DataError",
            "DataProblem",
            "Explanation",
            "Knowledge",
            "Urgency",
            "check_data",
            "contract",
            "explain",
            "load_knowledge",
            "validate_answers",
        ]
    )
    for name in spotting.__all__:
        assert hasattr(spotting, name)


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
