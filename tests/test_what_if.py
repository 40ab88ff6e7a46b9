"""What would change the advice, and which unanswered questions matter most."""

from __future__ import annotations

import pytest

from spotting import Knowledge, Urgency, explain


def test_pregnancy_is_asked_when_pain_and_pregnancy_unknown(knowledge: Knowledge) -> None:
    # Dossier Part A rule 3. With pain, a "no" alone no longer lowers the advice (only a negative
    # test does), so questions that could make it an emergency may come first.
    explanation = explain({"age": 28, "tummy_pain": "mild"}, knowledge)
    assert explanation.urgency is Urgency.URGENT
    assert "pregnant" in explanation.unanswered


def test_would_change_offers_the_emergencies(knowledge: Knowledge) -> None:
    explanation = explain({"age": 30, "pregnant": "yes", "weeks_pregnant": 8, "amount": "spotting"}, knowledge)
    changes = {(c.field, c.value): c.urgency for c in explanation.would_change}
    assert changes[("dizzy_or_faint", True)] is Urgency.EMERGENCY
    assert changes[("amount", "heavy")] is Urgency.EMERGENCY
    assert all(level > explanation.urgency for level in changes.values())


def test_nothing_would_raise_an_emergency(knowledge: Knowledge) -> None:
    assert explain({"amount": "heavy"}, knowledge).would_change == ()


def test_hidden_questions_are_not_offered(knowledge: Knowledge) -> None:
    explanation = explain({"pregnant": "no", "age": 25}, knowledge)
    offered = {c.field for c in explanation.would_change} | set(explanation.unanswered)
    assert not offered & {"weeks_pregnant", "fluid_leak", "low_lying_placenta", "rhesus_negative"}


def test_survivors_are_never_asked_about_dryness_or_a_first_time(knowledge: Knowledge) -> None:
    explanation = explain({"not_consensual": True, "age": 30}, knowledge)
    offered = {c.field for c in explanation.would_change} | set(explanation.unanswered)
    assert not offered & {"dryness", "first_time_sex", "pain_during_sex"}


def test_numbers_offer_the_nearest_value_that_changes_the_advice(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("spotting.what_if.MAX_CHANGES", 100)  # the full list, not the 7 shown
    explanation = explain({"screening": "unsure", "pregnant": "no"}, knowledge)
    ages = {c.urgency: c.value for c in explanation.would_change if c.field == "age"}
    assert ages[Urgency.SOON] == 40
    assert ages[Urgency.URGENT] == 12


def test_a_given_age_is_never_offered_as_a_change(knowledge: Knowledge) -> None:
    explanation = explain({"age": 38, "screening": "unsure", "pregnant": "no"}, knowledge)
    assert "age" not in {c.field for c in explanation.would_change}


def test_what_would_change_lists_at_most_7_items_most_urgent_first(knowledge: Knowledge) -> None:
    """Clinical review 3, L9: about 30 items for sparse answers buried the few that matter."""
    for answers in ({}, {"age": 30}, {"age": 30, "pregnant": "no", "amount": "spotting"}):
        changes = explain(answers, knowledge).would_change
        assert 0 < len(changes) <= 7, answers
        levels = [change.urgency for change in changes]
        assert levels == sorted(levels, reverse=True)


PREGNANCY_ITEMS = {
    "pregnant",
    "pregnancy_loss_type",
    "pregnancy_test",
    "recent_pregnancy_loss",
    "gave_birth_recently",
    "fluid_leak",
    "contractions",
    "low_lying_placenta",
    "cervix_weak_or_short",
    "unprotected_sex",
}


@pytest.mark.parametrize(
    "answers",
    [
        {"age": 40, "hysterectomy": "total", "testosterone": True, "amount": "spotting"},
        {"age": 62, "menopause": "postmenopause", "amount": "spotting"},
        {"age": 58, "amount": "light"},
    ],
    ids=["no_womb_on_testosterone", "after_the_menopause", "aged_58"],
)
def test_what_would_change_never_offers_a_pregnancy_the_answers_rule_out(
    knowledge: Knowledge, answers: dict[str, object]
) -> None:
    """Clinical review 3, M2 and L1: "Are you pregnant: Yes", a low placenta or a recent
    miscarriage offered after a hysterectomy or the menopause contradict what was said."""
    explanation = explain(answers, knowledge)
    offered = {change.field for change in explanation.would_change}
    assert not offered & PREGNANCY_ITEMS, offered & PREGNANCY_ITEMS
    assert "hysterectomy" not in offered  # a fact, like age
    assert not set(explanation.unanswered) & PREGNANCY_ITEMS, set(explanation.unanswered) & PREGNANCY_ITEMS


def test_a_child_is_not_asked_about_the_menopause_hrt_screening_or_the_placenta(knowledge: Knowledge) -> None:
    """Clinical review 3, M7: question visibility uses age."""
    explanation = explain({"age": 12, "amount": "spotting"}, knowledge)
    asked = set(explanation.unanswered) | {change.field for change in explanation.would_change}
    adult = {
        "menopause",
        "hrt",
        "tamoxifen",
        "hysterectomy",
        "screening",
        "previous_abnormal_screening",
        "gave_birth_recently",
        "postpartum_or_breastfeeding",
        "low_lying_placenta",
        "fluid_leak",
        "contractions",
        "cervix_weak_or_short",
    }
    assert not asked & adult, asked & adult
    for field in adult:
        question = knowledge.questions[field]
        assert question.show_if is not None and not question.show_if.test({"age": 12}), field
