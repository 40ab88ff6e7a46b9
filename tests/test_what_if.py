"""What would change the advice, and which unanswered questions matter most."""

from __future__ import annotations

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


def test_numbers_offer_the_nearest_value_that_changes_the_advice(knowledge: Knowledge) -> None:
    explanation = explain({"screening": "unsure", "pregnant": "no"}, knowledge)
    ages = {c.urgency: c.value for c in explanation.would_change if c.field == "age"}
    assert ages[Urgency.SOON] == 40
    assert ages[Urgency.URGENT] == 12


def test_a_given_age_is_never_offered_as_a_change(knowledge: Knowledge) -> None:
    explanation = explain({"age": 38, "screening": "unsure", "pregnant": "no"}, knowledge)
    assert "age" not in {c.field for c in explanation.would_change}
