"""Safety properties over all valid answers (dossier Part A rules 12 and 13)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import answers, every_value

from spotting import URGENCY_IDS, Knowledge, Urgency, explain
from spotting.relevance import visible
from spotting.triage import rule_urgency, urgency_of

# Warning signs, each with the values that count as "worse". For tummy pain and recurrence the
# sign is only added on top of a less worrying answer (changing "severe" to "mild" is not adding).
WARNING_SIGNS: dict[str, tuple[Any, tuple[Any, ...]]] = {
    "amount": ("heavy", ("spotting", "light")),
    "dizzy_or_faint": (True, (False,)),
    "tummy_pain": ("severe", ("none", "mild")),
    "fever": (True, (False,)),
    "shoulder_tip_pain": (True, (False,)),
    "not_consensual": (True, (False,)),
    "bleeding_between_periods": (True, (False,)),
    "how_often": ("every_time", ("once", "sometimes")),
    "bleeding_wont_stop": (True, (False,)),
}
MORE_WARNING_SIGNS = {
    **WARNING_SIGNS,
    "tummy_pain_mild": ("mild", ("none",)),
    "how_often_sometimes": ("sometimes", ("once",)),
    "discharge_changed": (True, (False,)),
    "itching_or_soreness": (True, (False,)),
    "sti_risk": (True, (False,)),
    "blood_thinners_or_bleeding_disorder": (True, (False,)),
    "fluid_leak": (True, (False,)),
    "contractions": (True, (False,)),
    "low_lying_placenta": (True, (False,)),
    "cervix_weak_or_short": (True, (False,)),
    "pain_during_sex": (True, (False,)),
    # Added with the clinical review (docs/clinical-policy.md part C).
    "unprotected_sex": (True, (False,)),
    "bleeding_30_minutes": (True, (False,)),
    "pain_constant": (True, (False,)),
    "gave_birth_recently": (True, (False,)),
    "recent_pregnancy_loss": (True, (False,)),
    "tamoxifen": (True, (False,)),
    "testosterone": (True, (False,)),
    "coil_threads_not_felt": (True, (False,)),
    "reduced_movements": (True, (False,)),
    "rhesus_negative": (True, (False,)),
    "ectopic_risk": (True, (False,)),
    "previous_abnormal_screening": (True, (False,)),
    "weakened_immunity": (True, (False,)),
    # Added with issue 21 (contract 1.3).
    "missed_pills": (True, (False,)),
    "blood_from": ("peeing", ("vagina", "bottom", "unsure")),
    "bleeding_now": ("still", ("stopped", "unsure")),
    # Added with clinical policy part H (contract 1.4).
    "how_long": ("weeks_4_or_more", ("first_time", "under_4_weeks", "unsure")),
    "periods": ("late", ("yes_not_late", "none", "unsure")),
}


def _field(key: str) -> str:
    return key.removesuffix("_mild").removesuffix("_sometimes")


@settings(max_examples=300, deadline=None)
@given(answers())
def test_explain_never_raises_and_keeps_the_contract(knowledge: Knowledge, raw: dict[str, Any]) -> None:
    result = explain(raw, knowledge).to_dict()
    json.dumps(result)  # JSON-serialisable
    assert result["urgency"] in URGENCY_IDS
    levels = [Urgency.from_id(flag["urgency"]) for flag in result["red_flags"]]
    assert levels == sorted(levels, reverse=True), "red flags are most urgent first"
    assert all(level <= Urgency.from_id(result["urgency"]) for level in levels)
    assert {cause["fit"] for cause in result["causes"]} <= {"likely", "possible"}
    assert "no_cause_found" in [cause["id"] for cause in result["causes"]]
    for item in result["red_flags"] + result["causes"]:
        assert item["sources"] and set(item["sources"]) <= set(knowledge.sources)
    assert result["disclaimer"]


@settings(max_examples=400, deadline=None)
@given(answers(), st.sampled_from(sorted(MORE_WARNING_SIGNS)))
def test_adding_a_warning_sign_never_lowers_urgency(knowledge: Knowledge, raw: dict[str, Any], key: str) -> None:
    field = _field(key)
    worse, milder = MORE_WARNING_SIGNS[key]
    if field in raw and raw[field] not in milder:
        return  # already as bad or worse: nothing is being added
    before = urgency_of(raw, knowledge)
    after = urgency_of({**raw, field: worse}, knowledge)
    assert after >= before, f"{field}={worse!r} lowered {before.id} to {after.id}"


@settings(max_examples=300, deadline=None)
@given(answers(), st.data())
def test_unanswered_is_never_less_cautious_than_the_least_worrying_answer(
    knowledge: Knowledge, raw: dict[str, Any], data: st.DataObject
) -> None:
    field = data.draw(st.sampled_from(sorted(knowledge.questions)))
    without = {key: value for key, value in raw.items() if key != field}
    least = min(urgency_of({**without, field: value}, knowledge) for value in every_value(knowledge.questions[field]))
    assert urgency_of(without, knowledge) >= least


@settings(max_examples=200, deadline=None)
@given(answers())
def test_would_change_items_really_raise_the_urgency(knowledge: Knowledge, raw: dict[str, Any]) -> None:
    explanation = explain(raw, knowledge)
    for change in explanation.would_change:
        assert change.urgency > explanation.urgency
        assert urgency_of({**raw, change.field: change.value}, knowledge) == change.urgency


@settings(max_examples=200, deadline=None)
@given(answers())
def test_unanswered_lists_only_questions_not_yet_answered(knowledge: Knowledge, raw: dict[str, Any]) -> None:
    explanation = explain(raw, knowledge)
    assert not set(explanation.unanswered) & set(raw)
    assert len(set(explanation.unanswered)) == len(explanation.unanswered)


@settings(max_examples=100, deadline=None)
@given(answers())
def test_explain_is_pure(knowledge: Knowledge, raw: dict[str, Any]) -> None:
    copy = dict(raw)
    first = explain(raw, knowledge).to_dict()
    assert raw == copy, "explain must not change its input"
    assert explain(raw, knowledge).to_dict() == first


@settings(max_examples=60, deadline=None)
@given(answers(), st.sampled_from(["age", "weeks_pregnant"]))
def test_numbers_in_would_change_are_the_nearest_value_for_their_level(
    knowledge: Knowledge, raw: dict[str, Any], field: str
) -> None:
    """Checked against every value in range, not the engine's own shortcut."""
    explanation = explain(raw, knowledge)
    given = raw.get(field)
    for change in explanation.would_change:
        if change.field != field:
            continue
        reaching = [
            v
            for v in every_value(knowledge.questions[field])
            if urgency_of({**raw, field: v}, knowledge) == change.urgency
        ]
        distance = (lambda v: v) if given is None else (lambda v: abs(v - given))
        assert distance(change.value) == min(distance(v) for v in reaching)


@settings(max_examples=300, deadline=None)
@given(answers())
def test_no_cause_card_asks_for_more_than_the_care_card(knowledge: Knowledge, raw: dict[str, Any]) -> None:
    """Clinical review F3: a PID card saying "today" under a "within 2 weeks" care card."""
    explanation = explain(raw, knowledge)
    for result in explanation.causes:
        assert result.fit.cause.advice_urgency <= explanation.urgency, result.fit.cause.id
    for result in explanation.raised_by:
        assert result.fit.cause.advice_urgency == explanation.urgency


@settings(max_examples=400, deadline=None)
@given(answers())
def test_dropping_the_answers_to_questions_not_asked_never_lowers_the_advice(
    knowledge: Knowledge, raw: dict[str, Any]
) -> None:
    """Relevance is decided once, in the engine; it must never be a way to lose a warning sign:
    every red flag that reads a question can only fire when that question is asked."""
    assert explain(raw, knowledge).urgency >= rule_urgency(raw, knowledge)


# Issue 21, 2.4 and 2.11: what each shown item takes for granted about the person.
NEEDS_CERVIX = {
    "red_flags": {"aged_40_screening_not_up_to_date", "screening_missed", "previous_abnormal_screening"},
    "causes": {"cervical_ectropion", "cervical_polyp", "cervical_precancer_or_cancer", "sti_cervicitis"},
}
NEEDS_WOMB = {
    "red_flags": {"testosterone"},
    "causes": {"endometrial_cause", "endometrial_cancer", "period_timing"},
}
PREGNANCY_FLAGS = {
    "might_be_pregnant",
    "pain_pregnancy_not_ruled_out",
    "emergency_contraception",
    "emergency_contraception_within_3_days",
    "emergency_contraception_3_to_5_days",
    "waters_leaking",
    "contractions_before_37_weeks",
    "weak_or_short_cervix",
    "low_lying_placenta_bleeding",
    "shoulder_tip_pain_pregnancy",
    "severe_pain_pregnancy_possible",
}
PREGNANCY_CAUSES = {
    "pregnancy_cervix_changes",
    "implantation_bleeding",
    "miscarriage",
    "ectopic_pregnancy",
    "placenta_praevia",
    "late_pregnancy_bleeding",
}
PREGNANCY_QUESTIONS = {
    "pregnant",
    "pregnancy_loss_type",
    "pregnancy_test",
    "unprotected_sex",
    "recent_pregnancy_loss",
    "gave_birth_recently",
    "fluid_leak",
    "contractions",
    "low_lying_placenta",
    "cervix_weak_or_short",
}
WOMB_QUESTIONS = {"periods", "testosterone_duration", "testosterone_periods_stopped"}
"""Questions about periods or a womb: never asked (form or suggestions) when the answers say there is no womb."""
ADULT_FLAGS = {
    "after_menopause",
    "hrt",
    "hrt_recently_changed",
    "tamoxifen",
    "periods_after_55",
    "screening_missed",
    "aged_40_screening_not_up_to_date",
    "low_lying_placenta_bleeding",
}
ADULT_QUESTIONS = {
    "menopause",
    "hrt",
    "hrt_changed_recently",
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


@settings(max_examples=400, deadline=None)
@given(answers())
def test_nothing_shown_presupposes_what_the_answers_rule_out(knowledge: Knowledge, raw: dict[str, Any]) -> None:
    """Applicability: no red flag, cause, suggested question or "what would change" item takes
    for granted a womb, a cervix, a possible pregnancy or an age range that the answers exclude.
    A person's own answer ("pregnant: yes", a positive test) always counts."""
    explanation = explain(raw, knowledge)
    given = explanation.answers
    flags = {flag.rule.id for flag in explanation.red_flags}
    causes = {result.fit.cause.id for result in explanation.causes}
    suggested = set(explanation.unanswered) | {change.field for change in explanation.would_change}
    age = given.get("age")
    no_womb = given.get("hysterectomy") in ("total", "subtotal", "never_had")
    said_pregnant = given.get("pregnant") in ("yes", "unsure") or given.get("pregnancy_test") == "positive"
    past_fertility = (age is not None and age >= 55) or (
        given.get("menopause") == "postmenopause" and age is not None and age >= 50
    )
    asked = {field for field, question in knowledge.questions.items() if visible(question, given)}
    if no_womb:
        assert not (asked | suggested) & WOMB_QUESTIONS, ((asked | suggested) & WOMB_QUESTIONS, dict(given))
    if given.get("hysterectomy") in ("total", "never_had"):
        assert not flags & NEEDS_CERVIX["red_flags"] and not causes & NEEDS_CERVIX["causes"], (flags, causes)
    if no_womb:
        assert not flags & NEEDS_WOMB["red_flags"] and not causes & NEEDS_WOMB["causes"], (flags, causes)
    if (no_womb or past_fertility) and not said_pregnant:
        assert not flags & PREGNANCY_FLAGS, flags & PREGNANCY_FLAGS
        assert not causes & PREGNANCY_CAUSES, causes & PREGNANCY_CAUSES
        assert not suggested & PREGNANCY_QUESTIONS, suggested & PREGNANCY_QUESTIONS
    if age is not None and age < 13:
        # A child who says she is pregnant, or has a positive test, is asked about the pregnancy.
        pregnant = given.get("pregnant") == "yes" or given.get("pregnancy_test") == "positive"
        adult = ADULT_QUESTIONS - (PREGNANCY_QUESTIONS if pregnant else set())
        assert not suggested & adult, (suggested & adult, dict(given))
        if not pregnant:
            assert not flags & ADULT_FLAGS, (flags & ADULT_FLAGS, dict(given))
    assert len(explanation.would_change) <= 7


@settings(max_examples=400, deadline=None)
@given(answers(), st.sampled_from(["copper_iud", "hormonal_iud"]))
def test_a_skipped_pregnancy_question_never_makes_a_coil_raise_the_advice(
    knowledge: Knowledge, raw: dict[str, Any], coil: str
) -> None:
    """Issue 21, 2.5 (review M4): a coil lowers the chance of pregnancy, so with "are you
    pregnant" skipped it may not raise the advice above what the same person gets without
    saying which contraception they use, or with the pregnancy question answered "no"."""
    skipped = {key: value for key, value in raw.items() if key not in ("pregnant", "contraception")}
    with_coil = urgency_of({**skipped, "contraception": coil}, knowledge)
    without = urgency_of(skipped, knowledge)
    answered_no = urgency_of({**skipped, "contraception": coil, "pregnant": "no"}, knowledge)
    assert with_coil <= max(without, answered_no), (with_coil.id, without.id, answered_no.id)


OWN_ENGLISH_REGIONS = ("US", "CA", "AU", "NZ")
"""Regions whose readers get their own English wording (spotting/locale/en_<REGION>)."""


@settings(max_examples=100, deadline=None)
@given(raw=answers())
def test_a_regions_own_english_never_changes_the_advice(raw: dict[str, Any]) -> None:
    """US, Canadian, Australian and New Zealand English reword the data (IUD, Pap test, cervical
    screening test...); for any answers the urgency, red flags, causes and what would change are
    those of the neutral wording."""
    from spotting import load_knowledge

    def decided(region: str | None) -> tuple[object, ...]:
        data = explain(raw, load_knowledge(region=region)).to_dict()
        flags = [flag["id"] for flag in data["red_flags"]]
        causes = [(cause["id"], cause["fit"]) for cause in data["causes"]]
        return data["urgency"], flags, causes, data["would_change"], data["unanswered"], data["baseline"]["id"]

    neutral = decided(None)
    for region in OWN_ENGLISH_REGIONS:
        assert decided(region) == neutral, region
