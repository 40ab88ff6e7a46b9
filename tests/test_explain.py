"""explain(): the contract output (§3) for the examples the issue names."""

from __future__ import annotations

import json

import pytest

from spotting import AnswerError, Knowledge, explain

CONTRACT_KEYS = {"urgency", "advice", "red_flags", "causes", "would_change", "unanswered", "disclaimer"}


def test_pregnancy_example_is_urgent_and_cited(knowledge: Knowledge) -> None:
    result = explain({"age": 30, "pregnant": "yes", "weeks_pregnant": 8, "amount": "spotting"}, knowledge).to_dict()
    assert set(result) >= CONTRACT_KEYS
    assert result["urgency"] == "urgent"
    flag = result["red_flags"][0]
    assert {"id", "urgency", "message", "because", "sources"} <= set(flag)
    assert "pregnant=yes" in flag["because"]
    cause_keys = {"id", "name", "fit", "because", "summary", "next_step", "sources"}
    assert all(cause_keys <= set(cause) for cause in result["causes"])
    json.dumps(result)


def test_because_uses_json_spelling(knowledge: Knowledge) -> None:
    result = explain({"dizzy_or_faint": True}, knowledge).to_dict()
    assert result["red_flags"][0]["because"] == ["dizzy_or_faint=true"]


def test_missing_answers_are_named_in_because(knowledge: Knowledge) -> None:
    result = explain({"age": 30, "tummy_pain": "severe"}, knowledge).to_dict()
    flag = next(f for f in result["red_flags"] if f["id"] == "severe_pain_pregnancy_possible")
    assert "pregnant=unanswered" in flag["because"]


def test_the_disclaimer_says_it_is_not_a_diagnosis(knowledge: Knowledge) -> None:
    assert "not diagnosis" in explain({}, knowledge).disclaimer


def test_bad_answers_raise_answer_error(knowledge: Knowledge) -> None:
    with pytest.raises(AnswerError):
        explain({"pregnant": "perhaps"}, knowledge)


def test_reasons_are_listed_the_same_in_every_python_process() -> None:
    """Questions may share an order; the 'because' list must not depend on string hashing, or the
    static site (another process, another Python) would explain the same answers differently."""
    import subprocess
    import sys

    probe = (
        "import json; from spotting import explain; "
        "e = explain({'not_consensual': True, 'injury_or_rough_sex': True, 'age': 19}); "
        "print(json.dumps([f.because for f in e.red_flags]))"
    )
    seen = {
        subprocess.run([sys.executable, "-c", probe], env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
                       capture_output=True, text=True, check=True).stdout
        for seed in range(6)
    }  # fmt: skip
    assert len(seen) == 1
