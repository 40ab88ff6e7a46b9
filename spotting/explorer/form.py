"""What the explorer asks, as plain JSON for the browser: groups, radios with "I'm not sure",
number boxes, and each follow-up under the question that reveals it. Pure, so it is tested
without a browser; :mod:`.form_widget` draws it.

* **Unknown is never "no".** Every radio group has an explicit "I'm not sure" unless the question
  has its own ``unsure`` choice. "I'm not sure" is sent as ``null`` and counts exactly as not
  answered (contract §1), so it can never lower the advice.
* **Follow-ups in place.** A question that its condition hides until another question is
  answered (``show_if``) is drawn directly under that question, indented like a GOV.UK
  conditional reveal, instead of screens further down. Which question that is comes from the
  conditions in data/questions.csv (:func:`follow_up_parents`: the question whose answer reveals
  it, not one its condition reads only to hide it), never from a list here.
* **Fast on a phone.** Age and weeks are number boxes with their range and plain messages for a
  value that can't be used, including one for a child younger than the tool is written for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import N_, Knowledge, Question
from ..relevance import visible

NOT_SURE_LABEL = N_("I'm not sure")
YES_LABEL, NO_LABEL = N_("Yes"), N_("No")
"""The words on the radios; shown in the reader's language with ``knowledge.phrase``."""
UNSURE_VALUE = "unsure"
"""A choice with this value is the question's own "not sure"; it then needs no extra radio."""


def _sample_answers(question: Question) -> list[Any]:
    """Values that stand for every answer this question can take, to see what each reveals."""
    if question.kind == "boolean":
        return [True, False]
    if question.kind == "integer":
        return sorted({v for v in (question.minimum, question.maximum) if v is not None})
    return list(question.choices)


def _reveals(question: Question, candidate: Question) -> bool:
    """Whether some answer to ``candidate`` alone makes ``question`` shown."""
    return any(visible(question, {candidate.field: value}) for value in _sample_answers(candidate))


def follow_up_parents(questions: Mapping[str, Question]) -> dict[str, str]:
    """Which question each follow-up belongs under: field -> parent field.

    A follow-up is a question hidden while nothing is answered (its ``show_if`` needs an answer
    to become true). It belongs under the question whose answer reveals it: the earliest (in
    display order) of the questions its condition reads that can reveal it on its own answer.
    A field read only to *hide* it ("not without a womb": ``!(hysterectomy in {...})``) never
    reveals it, so "how long on testosterone" stays under "testosterone" even though the
    hysterectomy question comes first and may later hide it (GP read 4). When no single answer
    reveals it (it needs two answers together), the earliest question its condition reads is used.
    A question asked from the start is never a follow-up, even if a condition can hide it later
    (that is a different thing: hiding).
    """
    parents: dict[str, str] = {}
    for question in questions.values():
        if question.show_if is None or visible(question, {}):
            continue
        read = [questions[field] for field in question.show_if.fields() if field in questions]
        revealing = [candidate for candidate in read if _reveals(question, candidate)] or read
        if revealing:
            parents[question.field] = min(revealing, key=lambda q: q.order).field
    return parents


def _options(question: Question, knowledge: Knowledge) -> list[dict[str, Any]]:
    say = knowledge.phrase
    if question.kind == "boolean":
        options: list[dict[str, Any]] = [
            {"label": say(YES_LABEL), "value": True},
            {"label": say(NO_LABEL), "value": False},
        ]
    else:
        options = [{"label": question.choice_labels[value], "value": value} for value in question.choices]
    if UNSURE_VALUE not in question.choices:
        options.append({"label": say(NOT_SURE_LABEL), "value": None})
    return options


def _number_messages(question: Question, knowledge: Knowledge) -> dict[str, str]:
    """What a number box says when the value can't be used. Below the youngest age the tool is
    written for, it points a child to a trusted adult and the region's children's helpline."""
    say = knowledge.phrase
    in_range = say("Enter a number from {minimum} to {maximum}.")
    in_range = in_range.format(minimum=question.minimum, maximum=question.maximum)
    whole = say("Enter a whole number.")
    messages = {"error_format": f"{whole} {in_range}", "error_high": in_range, "error_low": in_range}
    helpline = knowledge.services.get("child_helpline")
    if question.field == "age" and helpline is not None:
        messages["error_low"] = say(
            "This tool is written for people aged {minimum} and over. If you are younger, please talk "
            "to an adult you trust, or contact {helpline}. If you are in danger now, call {number}."
        ).format(minimum=question.minimum, helpline=helpline.text, number=knowledge.services["emergency_number"].text)
    return messages


def _question_spec(question: Question, knowledge: Knowledge, children: dict[str, list[Question]]) -> dict[str, Any]:
    spec: dict[str, Any] = {"field": question.field, "label": question.label, "help": question.help}
    if question.kind == "integer":
        spec.update(kind="number", minimum=question.minimum, maximum=question.maximum)
        spec.update(_number_messages(question, knowledge))
    else:
        spec.update(kind="radios", options=_options(question, knowledge))
    spec["followups"] = [_question_spec(child, knowledge, children) for child in children.get(question.field, [])]
    return spec


def form_spec(knowledge: Knowledge) -> list[dict[str, Any]]:
    """The form as plain JSON for the browser: groups in order, each with its questions in order,
    each with its follow-ups nested under it. Pure, so it is tested without a browser."""
    parents = follow_up_parents(knowledge.questions)
    ordered = sorted(knowledge.questions.values(), key=lambda q: q.order)
    children: dict[str, list[Question]] = {}
    for question in ordered:
        if question.field in parents:
            children.setdefault(parents[question.field], []).append(question)
    groups = []
    for group, title in knowledge.groups.items():
        top = [q for q in ordered if q.group == group and q.field not in parents]
        if top:
            groups.append(
                {"id": group, "title": title, "questions": [_question_spec(q, knowledge, children) for q in top]}
            )
    return groups
