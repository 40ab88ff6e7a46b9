"""What would change the advice, and which unanswered questions matter most."""

from __future__ import annotations

from spotting import Knowledge, Urgency, explain


def test_pregnancy_is_asked_first_when_pain_and_pregnancy_unknown(knowledge: Knowledge) -> None:
    # Dossier Part A rule 3: pregnant is listed first in unanswered.
    explanation = explain({"age": 28, "tummy_pain": "mild"}, knowledge)
    assert explanation.urgency is Urgency.URGENT
    assert explanation.unanswered[0] == "pregnant"


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
    assert not offered & {"weeks_pregnant", "fluid_leak", "low_lying_placenta", "menopause"}


def test_numbers_offer_the_nearest_value_that_changes_the_advice(knowledge: Knowledge) -> None:
    explanation = explain({"age": 38, "screening": "overdue", "pregnant": "no"}, knowledge)
    ages = [c.value for c in explanation.would_change if c.field == "age"]
    assert ages == [40]
