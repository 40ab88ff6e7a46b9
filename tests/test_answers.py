"""Answer validation (contract §1): errors name the field and the allowed values."""

from __future__ import annotations

import pytest

from spotting import AnswerError, Knowledge, validate_answers


def test_valid_answers_pass_through_read_only(knowledge: Knowledge) -> None:
    answers = validate_answers({"age": 30, "pregnant": "yes", "fever": False}, knowledge)
    assert dict(answers) == {"age": 30, "pregnant": "yes", "fever": False}
    with pytest.raises(TypeError):
        answers["age"] = 40  # type: ignore[index]


def test_empty_answers_are_valid(knowledge: Knowledge) -> None:
    assert dict(validate_answers({}, knowledge)) == {}


@pytest.mark.parametrize(
    ("raw", "field", "mentions"),
    [
        ({"pregnant": "maybe"}, "pregnant", "no, unsure, yes"),
        ({"fever": "yes"}, "fever", "true or false"),
        ({"fever": 1}, "fever", "true or false"),
        ({"age": 11}, "age", "12 to 100"),
        ({"age": "30"}, "age", "12 to 100"),
        ({"age": True}, "age", "12 to 100"),
        ({"age": 30.5}, "age", "12 to 100"),
        ({"weeks_pregnant": 43}, "weeks_pregnant", "1 to 42"),
        ({"colour": "red"}, "colour", "allowed fields: amount"),
        ({"amount": None}, "amount", "leave the field out"),
    ],
)
def test_bad_answers_name_the_field_and_what_is_allowed(
    knowledge: Knowledge, raw: dict, field: str, mentions: str
) -> None:
    with pytest.raises(AnswerError) as error:
        validate_answers(raw, knowledge)
    assert error.value.field == field
    assert field in str(error.value) and mentions in str(error.value)


def test_answers_must_be_an_object(knowledge: Knowledge) -> None:
    with pytest.raises(AnswerError, match="JSON object"):
        validate_answers(["age", 30], knowledge)


def test_answer_error_is_a_value_error() -> None:
    assert issubclass(AnswerError, ValueError)
