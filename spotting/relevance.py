"""Which answers count: a question is asked only when its ``show_if`` condition holds.

Decided once, here, for every caller: ``explain`` drops the answers to questions that are not
asked before anything else runs, so the dashboard, the CLI, the JSON interface and the teaching
notebook all give the same advice for the same answers. The questions table is written so that
dropping an answer never lowers the advice: every red flag that reads a question can only fire
when that question is asked (tests/test_properties.py checks this over random answer sets).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .answers import Answers

if TYPE_CHECKING:
    from .model import Question


def visible(question: Question, answers: Answers) -> bool:
    """Whether the question is asked, given the other answers (progressive questions)."""
    return question.show_if is None or question.show_if.test(answers)


def relevant_answers(raw: Answers, questions: Mapping[str, Question]) -> Answers:
    """The answers to the questions that are asked; a hidden question's answer is dropped.

    Visibility can depend on other answers, which may themselves be hidden, so this repeats
    until nothing changes (bounded, in case conditions ever form a cycle).
    """
    if all(questions[field].show_if is None for field in raw):
        return raw
    answers: dict[str, Any] = dict(raw)
    for _ in range(len(questions) + 1):
        kept = {field: value for field, value in raw.items() if visible(questions[field], answers)}
        if kept == answers:
            break
        answers = kept
    return MappingProxyType(answers)
