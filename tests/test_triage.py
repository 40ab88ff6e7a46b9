"""Triage: flags fire from data, the baseline is the lowest matching row, the max wins."""

from __future__ import annotations

from spotting import Knowledge, Urgency, load_knowledge
from spotting.triage import advice_for, baseline, triggered, urgency_of


def ids(rules) -> list[str]:
    return [rule.id for rule in rules]


def test_no_answers_is_a_routine_check(knowledge: Knowledge) -> None:
    assert urgency_of({}, knowledge) is Urgency.ROUTINE
    assert baseline({}, knowledge).id == "bleeding_after_sex"


def test_red_flags_fire_from_their_conditions(knowledge: Knowledge) -> None:
    flags = triggered({"pregnant": "yes", "dizzy_or_faint": True}, knowledge.red_flags)
    assert ids(flags)[:1] == ["dizzy_or_faint"]  # most urgent first
    assert "pregnant_any_bleeding" in ids(flags)


def test_self_care_needs_the_reassuring_answers_given(knowledge: Knowledge) -> None:
    benign = {"age": 24, "pregnant": "no", "how_often": "once", "amount": "spotting", "period_due": True}
    assert urgency_of(benign, knowledge) is Urgency.SELF_CARE
    for missing in ("age", "pregnant", "how_often", "amount"):
        partial = {key: value for key, value in benign.items() if key != missing}
        assert urgency_of(partial, knowledge) is Urgency.ROUTINE, missing


def test_self_care_has_an_age_floor_and_ceiling(knowledge: Knowledge) -> None:
    """No self-care for a child (a safeguarding matter) or from 45 (clinical review F1, F7)."""
    benign = {"pregnant": "no", "how_often": "once", "amount": "spotting", "period_due": True}
    benign["screening"] = "up_to_date"
    assert urgency_of({**benign, "age": 44}, knowledge) is Urgency.SELF_CARE
    assert urgency_of({**benign, "age": 45}, knowledge) is Urgency.ROUTINE
    assert urgency_of({**benign, "age": 14}, knowledge) is Urgency.ROUTINE  # young people's services
    assert urgency_of({**benign, "age": 12}, knowledge) is Urgency.URGENT


def test_any_warning_sign_overrides_self_care(knowledge: Knowledge) -> None:
    benign = {"age": 30, "pregnant": "no", "how_often": "once", "amount": "light", "dryness": True}
    assert urgency_of({**benign, "sti_risk": True}, knowledge) is Urgency.ROUTINE
    assert urgency_of({**benign, "bleeding_between_periods": True}, knowledge) is Urgency.SOON


def test_pain_is_urgent_until_a_test_rules_out_pregnancy_and_infection_is_unlikely(knowledge: Knowledge) -> None:
    """An untested "not pregnant" keeps an ectopic pregnancy possible (NHS: "even if you haven't had
    a positive test"); pelvic pain with any sign of PID is urgent (NHS PID care card)."""
    assert urgency_of({"tummy_pain": "mild", "age": 30}, knowledge) is Urgency.URGENT
    assert urgency_of({"tummy_pain": "mild", "age": 30, "pregnant": "no"}, knowledge) is Urgency.URGENT
    tested = {"tummy_pain": "mild", "age": 30, "pregnant": "no", "pregnancy_test": "negative"}
    assert urgency_of(tested, knowledge) is Urgency.URGENT  # STI risk and the other PID signs unknown
    low_risk = {**tested, "sti_risk": False, "pain_during_sex": False, "discharge_changed": False, "fever": False}
    assert urgency_of(low_risk, knowledge) is Urgency.SOON
    assert urgency_of({**low_risk, "sti_risk": True}, knowledge) is Urgency.URGENT
    assert urgency_of({"tummy_pain": "mild", "age": 60, "menopause": "postmenopause"}, knowledge) is Urgency.SOON


def test_severe_pain_is_an_emergency_even_when_not_pregnant(knowledge: Knowledge) -> None:
    tested = {"age": 30, "pregnant": "no", "pregnancy_test": "negative", "fever": False}
    assert urgency_of({**tested, "tummy_pain": "severe"}, knowledge) is Urgency.EMERGENCY


def test_advice_is_fitted_to_weeks_of_pregnancy() -> None:
    knowledge = load_knowledge(region="GB")
    early = advice_for(Urgency.URGENT, {"pregnant": "yes", "weeks_pregnant": 8}, knowledge)
    later = advice_for(Urgency.URGENT, {"pregnant": "yes", "weeks_pregnant": 30}, knowledge)
    assert "early pregnancy unit" in early.message
    assert "maternity unit" in later.message


def test_every_level_has_advice(knowledge: Knowledge) -> None:
    for level in Urgency:
        assert advice_for(level, {}, knowledge).message
