"""A person's answers (their circumstances), validated against the questions table.

Answers arrive from JSON, the command line or widgets in a browser, so they are untrusted.
Every key is optional and a missing key means "not answered" (never "no"). Anything else that
does not fit — an unknown field, a wrong type, a value outside the allowed set — raises
``AnswerError`` naming the field and what is allowed (contract §1).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # builders.py validates scenario answers with this module
    from .model import Knowledge, Question

from .errors import AnswerError, shown

Answers = Mapping[str, Any]


def allowed_text(question: Question) -> str:
    """The allowed values of a question, as a person would read them."""
    if question.kind == "boolean":
        return "true or false"
    if question.kind == "integer":
        return f"a whole number from {question.minimum} to {question.maximum}"
    return ", ".join(question.choices)


def validate_answers(raw: Any, knowledge: Knowledge) -> Answers:
    """Check ``raw`` and return it as a read-only mapping of valid answers."""
    return check_answers(raw, knowledge.questions)


def check_answers(raw: Any, questions: Mapping[str, Question]) -> Answers:
    """``validate_answers`` against a questions table (used while loading scenarios)."""
    if not isinstance(raw, Mapping):
        raise AnswerError(None, f"answers must be a JSON object of field: value, not {type(raw).__name__}")
    clean: dict[str, Any] = {}
    for field, value in raw.items():
        question = questions.get(field) if isinstance(field, str) else None
        if question is None:
            known = ", ".join(questions)
            raise AnswerError(str(field), f"unknown field {shown(field)}; allowed fields: {known}", known)
        clean[field] = _check_value(question, value)
    return MappingProxyType(clean)


def _check_value(question: Question, value: Any) -> Any:
    allowed = allowed_text(question)
    field = question.field
    if value is None:
        raise AnswerError(field, f"{field}: null is not allowed; leave the field out if it is not answered", allowed)
    if question.kind == "boolean":
        if not isinstance(value, bool):
            raise AnswerError(field, f"{field}: {shown(value)} is not allowed; allowed values: {allowed}", allowed)
        return value
    if question.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError(field, f"{field}: {shown(value)} is not allowed; allowed values: {allowed}", allowed)
        assert question.minimum is not None and question.maximum is not None
        if not question.minimum <= value <= question.maximum:
            raise AnswerError(field, f"{field}: {shown(value)} is out of range; allowed values: {allowed}", allowed)
        return value
    if not isinstance(value, str) or value not in question.choices:
        raise AnswerError(field, f"{field}: {shown(value)} is not allowed; allowed values: {allowed}", allowed)
    return value


def format_answer(field: str, value: Any) -> str:
    """``field=value`` as the contract's ``because`` lists write it (JSON spelling)."""
    if value is _UNANSWERED:
        return f"{field}=unanswered"
    if isinstance(value, bool):
        return f"{field}={'true' if value else 'false'}"
    return f"{field}={value}"


class _Unanswered:
    def __repr__(self) -> str:
        return "UNANSWERED"


_UNANSWERED = _Unanswered()
UNANSWERED: Any = _UNANSWERED
"""Stands in for a missing answer in ``because`` lists."""


def describe(answers: Answers, fields: set[str] | frozenset[str], order: Mapping[str, Question]) -> list[str]:
    """``field=value`` strings for ``fields`` in question order; missing ones as ``=unanswered``.

    Where two questions share an order, by name: a set's order changes from one Python process to
    the next (string hashing), and every view, in the browser or on a server, lists the same reasons."""
    ordered = sorted(fields, key=lambda name: (order[name].order, name))
    return [format_answer(name, answers.get(name, UNANSWERED)) for name in ordered]
