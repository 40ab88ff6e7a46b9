"""The condition language: parsing, validation against the questions table, and unknown-is-not-no."""

from __future__ import annotations

import pytest

from spotting import Knowledge
from spotting.conditions import ConditionError, parse


def check(knowledge: Knowledge, text: str, answers: dict) -> bool:
    return parse(text, knowledge.questions, knowledge.terms).test(answers)


def test_equality_in_and_numbers(knowledge: Knowledge) -> None:
    assert check(knowledge, "pregnant=yes", {"pregnant": "yes"})
    assert check(knowledge, "amount in {light,heavy}", {"amount": "heavy"})
    assert not check(knowledge, "amount in {light,heavy}", {"amount": "spotting"})
    assert check(knowledge, "age>=55", {"age": 55})
    assert not check(knowledge, "age>55", {"age": 55})
    assert check(knowledge, "age<16 & not_consensual=true", {"age": 15, "not_consensual": True})


def test_precedence_and_grouping(knowledge: Knowledge) -> None:
    text = "fever=true | dizzy_or_faint=true & amount=heavy"  # & binds tighter than |
    assert check(knowledge, text, {"fever": True})
    assert not check(knowledge, text, {"dizzy_or_faint": True})
    assert check(
        knowledge, "(fever=true | dizzy_or_faint=true) & amount=heavy", {"dizzy_or_faint": True, "amount": "heavy"}
    )


def test_unknown_is_not_no(knowledge: Knowledge) -> None:
    # Every comparison on a missing answer is false, even !=.
    assert not check(knowledge, "pregnant=no", {})
    assert not check(knowledge, "pregnant!=yes", {})
    assert check(knowledge, "pregnant=?", {})
    assert not check(knowledge, "pregnant=?", {"pregnant": "no"})
    assert check(knowledge, "!(age>55)", {})  # negation: "not known to be over 55"


def test_terms_are_expanded(knowledge: Knowledge) -> None:
    assert check(knowledge, "@pregnancy_possible", {"pregnant": "unsure"})
    assert check(knowledge, "@pregnancy_possible", {"age": 30})
    assert not check(knowledge, "@pregnancy_possible", {"age": 30, "menopause": "postmenopause"})


def test_because_names_only_the_true_branch(knowledge: Knowledge) -> None:
    node = parse("fever=true | dizzy_or_faint=true", knowledge.questions, knowledge.terms)
    assert node.because({"fever": True, "dizzy_or_faint": False}) == {"fever"}


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("pregant=yes", "unknown field 'pregant'"),
        ("pregnant=maybe", "pregnant takes one of no, unsure, yes"),
        ("fever=yes", "fever takes true or false"),
        ("age>old", "age takes a whole number"),
        ("age>500", "out of range"),
        ("pregnant>yes", "needs a number field"),
        ("fever!=?", "only 'fever=?'"),
        ("@nonsense", "unknown term @nonsense"),
        ("fever=true &", "ends too soon"),
        ("fever=true)", "unexpected ')'"),
        ("", "empty"),
        ("fever=true; import os", "cannot read"),
    ],
)
def test_bad_conditions_are_rejected_with_a_clear_reason(knowledge: Knowledge, text: str, complaint: str) -> None:
    with pytest.raises(ConditionError, match=None) as error:
        parse(text, knowledge.questions, knowledge.terms)
    assert complaint in str(error.value)


def test_words_read_like_a_sentence(knowledge: Knowledge) -> None:
    node = parse("pregnant=yes & tummy_pain=severe", knowledge.questions, knowledge.terms)
    words = node.words(lambda field, value: f"{field} is {value}" if value else field)
    assert words == "pregnant is yes and tummy_pain is severe"


def test_words_bracket_a_choice_inside_and(knowledge: Knowledge) -> None:
    node = parse("shoulder_tip_pain=true & pregnant in {yes,unsure}", knowledge.questions, knowledge.terms)
    words = node.words(lambda field, value: f"{field}: {value}")
    assert words == "shoulder_tip_pain: true and (pregnant: unsure or pregnant: yes)"


def test_a_parsed_tree_is_shared_only_where_parsing_would_give_the_same(knowledge: Knowledge) -> None:
    """Languages share condition trees (the explorer's first switch to a language no longer parses
    every rule again), but a tree checked against other choices, another range or another term is
    never reused: that text must be checked, and fail, as if it had never been seen."""
    from dataclasses import replace

    from spotting.conditions import Term

    questions, terms = knowledge.questions, knowledge.terms
    first = parse("amount in {light,heavy} & age>=55", questions, terms)
    assert parse("amount in {light,heavy} & age>=55", dict(questions), dict(terms)) is first

    fewer = {**questions, "amount": replace(questions["amount"], choices=("light",))}
    with pytest.raises(ConditionError, match="heavy"):
        parse("amount in {light,heavy} & age>=55", fewer, terms)
    younger = {**questions, "age": replace(questions["age"], maximum=40)}
    with pytest.raises(ConditionError, match="out of range"):
        parse("amount in {light,heavy} & age>=55", younger, terms)

    named = parse("@pregnancy_possible & fever=true", questions, terms)
    other = {**terms, "pregnancy_possible": parse("fever=true", questions, terms)}
    again = parse("@pregnancy_possible & fever=true", questions, other)
    assert again is not named
    assert again.test({"fever": True, "age": 30, "menopause": "postmenopause"})
    assert not named.test({"fever": True, "age": 30, "menopause": "postmenopause"})
    assert isinstance(named.parts[0], Term)  # type: ignore[attr-defined]
