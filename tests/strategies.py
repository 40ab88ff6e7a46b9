"""Hypothesis strategies for answers, built from the questions table (one place, per attrs)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from spotting import load_knowledge
from spotting.model import Question


def value_strategy(question: Question) -> st.SearchStrategy[Any]:
    """Every valid answer to one question."""
    if question.kind == "boolean":
        return st.booleans()
    if question.kind == "integer":
        assert question.minimum is not None and question.maximum is not None
        return st.integers(question.minimum, question.maximum)
    return st.sampled_from(question.choices)


def answers() -> st.SearchStrategy[dict[str, Any]]:
    """Any valid set of answers: each question either missing or given a valid value."""
    questions = load_knowledge().questions
    return st.fixed_dictionaries({}, optional={name: value_strategy(q) for name, q in questions.items()})


def every_value(question: Question) -> list[Any]:
    """All answers to a question; for numbers, every value in range."""
    if question.kind == "boolean":
        return [True, False]
    if question.kind == "integer":
        assert question.minimum is not None and question.maximum is not None
        return list(range(question.minimum, question.maximum + 1))
    return list(question.choices)


def regions() -> st.SearchStrategy[str | None]:
    """Every region a reader can choose, or none chosen (neutral wording)."""
    return st.sampled_from([None, *load_knowledge().regions])
