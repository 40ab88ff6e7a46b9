"""The explorer's form, as the JSON the browser draws (``form_spec``): every question once, radios
with an explicit "I'm not sure", follow-ups directly under the question that reveals them, number
boxes with their range. The browser side is tested in tests/e2e/test_explorer.py."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from spotting import Knowledge, load_knowledge
from spotting.conditions import parse
from spotting.explorer.form import NOT_SURE_LABEL, follow_up_parents, form_spec
from spotting.relevance import visible


def walk(questions: list[dict[str, Any]], parent: str | None = None) -> Iterator[tuple[dict[str, Any], str | None]]:
    for question in questions:
        yield question, parent
        yield from walk(question["followups"], question["field"])


def every_question(spec: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str | None]]:
    return [pair for group in spec for pair in walk(group["questions"])]


def test_every_question_is_asked_once_in_its_groups_order(knowledge: Knowledge) -> None:
    spec = form_spec(knowledge)
    fields = [question["field"] for question, _ in every_question(spec)]
    assert sorted(fields) == sorted(knowledge.questions) and len(fields) == len(set(fields))
    assert [group["title"] for group in spec] == list(knowledge.groups.values())
    emergency = [question["field"] for question in spec[0]["questions"]]
    assert emergency[:4] == ["amount", "dizzy_or_faint", "tummy_pain", "pregnant"]  # the review's four, first


def test_radios_offer_every_choice_and_an_explicit_not_sure(knowledge: Knowledge) -> None:
    for question, _ in every_question(form_spec(knowledge)):
        source = knowledge.questions[question["field"]]
        if source.kind == "integer":
            assert question["kind"] == "number"
            assert (question["minimum"], question["maximum"]) == (source.minimum, source.maximum)
            continue
        values = [option["value"] for option in question["options"]]
        expected = [True, False] if source.kind == "boolean" else list(source.choices)
        if "unsure" in source.choices:  # the question's own "not sure" is enough
            assert values == expected
        else:
            assert values == [*expected, None] and question["options"][-1]["label"] == NOT_SURE_LABEL


def test_a_follow_up_sits_under_the_question_that_reveals_it(knowledge: Knowledge) -> None:
    parents = {question["field"]: parent for question, parent in every_question(form_spec(knowledge))}
    assert parents["weeks_pregnant"] == "pregnant" and parents["pain_constant"] == "tummy_pain"
    assert parents["reduced_movements"] == "pregnant"  # its condition also reads weeks_pregnant
    for field, parent in parents.items():
        question = knowledge.questions[field]
        if parent is None:  # top level: asked from the start (a condition may still hide it later)
            assert visible(question, {})
            continue
        assert not visible(question, {})  # hidden until its parent is answered...
        parent_question = knowledge.questions[parent]
        values = [True, False] if parent_question.kind == "boolean" else list(parent_question.choices)
        assert any(visible(question, {parent: value}) for value in values)  # ...and that answer reveals it


def test_follow_ups_come_from_the_conditions_not_a_list(knowledge: Knowledge) -> None:
    """Give a question a condition that needs an answer and it moves under that question."""
    questions = dict(knowledge.questions)
    condition = parse("sti_risk=true", questions)
    questions["fever"] = dataclasses.replace(questions["fever"], show_if=condition)
    assert follow_up_parents(questions)["fever"] == "sti_risk"
    assert "fever" not in follow_up_parents(knowledge.questions)


def test_a_field_read_only_to_hide_a_follow_up_is_not_its_parent(knowledge: Knowledge) -> None:
    """A follow-up goes under the answer that reveals it, not under an earlier question its
    condition reads only to hide it (testosterone details are not asked without a womb, GP read 4)."""
    questions = dict(knowledge.questions)
    assert questions["hysterectomy"].order < questions["sti_risk"].order  # the earlier one hides
    condition = parse("sti_risk=true & !(hysterectomy in {total,never_had})", questions)
    questions["fever"] = dataclasses.replace(questions["fever"], show_if=condition)
    assert follow_up_parents(questions)["fever"] == "sti_risk"
    parents = follow_up_parents(knowledge.questions)
    for field in ("testosterone_duration", "testosterone_periods_stopped"):
        assert parents[field] == "testosterone"
        question = knowledge.questions[field]
        assert visible(question, {"testosterone": True})
        assert not visible(question, {"testosterone": True, "hysterectomy": "never_had"})


def test_age_below_the_youngest_points_a_child_to_help_in_their_region() -> None:
    for region, helpline in (("GB", "Childline"), ("AU", "Kids Helpline"), ("US", "Childhelp")):
        age = next(q for q, _ in every_question(form_spec(load_knowledge(region=region))) if q["field"] == "age")
        assert helpline in age["error_low"] and "adult you trust" in age["error_low"]
        assert "100" in age["error_high"]
