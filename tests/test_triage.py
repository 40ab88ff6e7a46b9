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


def _advice_id(answers: dict[str, object], knowledge: Knowledge) -> str:
    from spotting.explain import explain

    return explain(answers, knowledge).advice.id


def test_emergency_contraception_leads_the_headline_while_its_window_is_open(knowledge: Knowledge) -> None:
    """Issue 21, 2.1: "do a pregnancy test today" never displaces EC; the time left is in words."""
    teen = {"age": 16, "contraception": "none", "pregnant": "unsure", "amount": "spotting"}
    expected = {None: "urgent_ec", "under_3_days": "urgent_ec_within_3_days", "days_3_to_5": "urgent_ec_3_to_5_days"}
    for when, advice in expected.items():
        answers = teen if when is None else {**teen, "time_since_sex": when}
        assert _advice_id(answers, knowledge) == advice, when
        text = advice_for(Urgency.URGENT, answers, knowledge).message
        assert "only shows a pregnancy from earlier sex" in text and "3 weeks after" in text
    # Skipping the pregnancy question (H1) leads with EC too.
    assert _advice_id({"age": 19, "unprotected_sex": True}, knowledge) == "urgent_ec"


def test_the_emergency_contraception_window_closes_after_5_days(knowledge: Knowledge) -> None:
    answers = {"age": 25, "contraception": "none", "pregnant": "no", "how_often": "once", "amount": "light"}
    for when in ("days_6_to_7", "over_a_week"):
        flags = ids(triggered({**answers, "time_since_sex": when}, knowledge.red_flags))
        assert not [flag for flag in flags if flag.startswith("emergency_contraception")], when
    # "In the last 5 days I had unprotected sex" still opens it: contradictory answers, careful reading.
    flags = ids(triggered({**answers, "time_since_sex": "over_a_week", "unprotected_sex": True}, knowledge.red_flags))
    assert "emergency_contraception" in flags


def test_sex_that_could_not_cause_a_pregnancy_switches_off_emergency_contraception_only(knowledge: Knowledge) -> None:
    """Issue 21, 1: fingers, toys or a partner who cannot cause a pregnancy; earlier sex still counts."""
    answers = {"age": 22, "unprotected_sex": True, "sex_could_cause_pregnancy": "no"}
    flags = ids(triggered(answers, knowledge.red_flags))
    assert not [flag for flag in flags if flag.startswith("emergency_contraception")]
    assert "might_be_pregnant" in ids(triggered({**answers, "pregnant": "unsure"}, knowledge.red_flags))
    for unsure in ("unsure", "yes"):
        flags = ids(triggered({**answers, "sex_could_cause_pregnancy": unsure}, knowledge.red_flags))
        assert "emergency_contraception" in flags, unsure


def test_after_assault_the_pep_and_forensic_windows_are_named(knowledge: Knowledge) -> None:
    assault = {"age": 24, "not_consensual": True}
    assert {"assault_hiv_pep_window", "assault_forensic_window"} <= set(
        ids(triggered({**assault, "time_since_sex": "under_3_days"}, knowledge.red_flags))
    )
    later = ids(triggered({**assault, "time_since_sex": "days_6_to_7"}, knowledge.red_flags))
    assert "assault_forensic_window" in later and "assault_hiv_pep_window" not in later
    week = ids(triggered({**assault, "time_since_sex": "over_a_week"}, knowledge.red_flags))
    assert "assault_forensic_window" not in week and "not_consensual" in week


def test_heavy_bleeding_that_has_stopped_is_same_day_and_not_sure_stays_an_emergency(knowledge: Knowledge) -> None:
    heavy = {"age": 30, "pregnant": "no", "amount": "heavy"}
    assert urgency_of({**heavy, "bleeding_now": "stopped"}, knowledge) is Urgency.URGENT
    for now in ("still", "unsure", None):
        answers = heavy if now is None else {**heavy, "bleeding_now": now}
        assert urgency_of(answers, knowledge) is Urgency.EMERGENCY, now
    thinners = {"age": 70, "blood_thinners_or_bleeding_disorder": True, "bleeding_30_minutes": True}
    assert urgency_of({**thinners, "bleeding_now": "stopped"}, knowledge) is Urgency.URGENT
    assert urgency_of({**thinners, "bleeding_now": "unsure"}, knowledge) is Urgency.EMERGENCY
    assert urgency_of({**thinners, "bleeding_now": "stopped", "dizzy_or_faint": True}, knowledge) is Urgency.EMERGENCY


def test_flags_that_need_a_cervix_or_a_womb_are_off_when_the_answers_rule_them_out(knowledge: Knowledge) -> None:
    """Clinical review 3, M2 and L6: "your cervix needs a look" after a total hysterectomy,
    "pregnancy is still possible" without a womb, and screening wording after 65."""
    no_cervix = {"age": 40, "hysterectomy": "total", "testosterone": True, "screening": "unsure"}
    flags = ids(triggered(no_cervix, knowledge.red_flags))
    assert "after_hysterectomy" in flags
    message = next(flag.message for flag in knowledge.red_flags if flag.id == "after_hysterectomy")
    assert "cervix" not in message  # a total hysterectomy removes the cervix (second GP read)
    kept = ids(triggered({**no_cervix, "hysterectomy": "subtotal"}, knowledge.red_flags))
    assert "after_subtotal_hysterectomy" in kept and "after_hysterectomy" not in kept
    assert not {"aged_40_screening_not_up_to_date", "testosterone", "screening_missed"} & set(flags)
    assert urgency_of(no_cervix, knowledge) is Urgency.SOON  # the examination is still needed
    older = {"age": 67, "menopause": "postmenopause", "screening": "unsure"}
    flags = ids(triggered(older, knowledge.red_flags))
    assert "after_menopause" in flags and "aged_40_screening_not_up_to_date" not in flags
    assert urgency_of(older, knowledge) is Urgency.SOON


def test_assault_with_an_emergency_sign_says_plainly_that_the_bleeding_needs_help_now(knowledge: Knowledge) -> None:
    """Clinical review 3, M6: not "if you are badly hurt"; "not your fault" opens the card."""
    advice = advice_for(Urgency.EMERGENCY, {"age": 25, "not_consensual": True, "amount": "heavy"}, knowledge)
    assert advice.id == "emergency_assault_bleeding"
    assert advice.message.startswith("What happened is not your fault.")
    assert "needs emergency help now" in advice.message


def test_after_a_birth_or_loss_the_wording_fits(knowledge: Knowledge) -> None:
    """Clinical review 3, M5: no ectopic wording weeks after a birth; the emergency line names the birth."""
    after_birth = {"age": 31, "gave_birth_recently": True, "tummy_pain": "mild", "discharge_changed": True}
    flags = ids(triggered(after_birth, knowledge.red_flags))
    assert "after_birth_warning_signs" in flags and "pain_pregnancy_not_ruled_out" not in flags
    assert urgency_of(after_birth, knowledge) is Urgency.URGENT
    advice = advice_for(Urgency.EMERGENCY, {**after_birth, "amount": "heavy"}, knowledge)
    assert advice.id == "emergency_after_pregnancy"


def test_period_pain_is_allowed_for_but_not_without_its_pattern(knowledge: Knowledge) -> None:
    """Issue 21, 2.3: cramps that come and go as a period starts are not same-day, once a negative
    test and "no" to the signs of infection say so; skipped, those questions keep it same-day."""
    cramps = {
        "age": 24,
        "pregnant": "no",
        "pregnancy_test": "negative",
        "period_due": True,
        "tummy_pain": "mild",
        "pain_constant": False,
        "amount": "light",
        "how_often": "once",
        "sti_risk": False,
        "pain_during_sex": False,
        "discharge_changed": False,
        "fever": False,
    }
    assert urgency_of(cramps, knowledge) < Urgency.URGENT
    for unknown in ("pregnancy_test", "sti_risk", "fever"):
        assert urgency_of({k: v for k, v in cramps.items() if k != unknown}, knowledge) >= Urgency.URGENT, unknown
    for worse in ({"fever": True}, {"discharge_changed": True}, {"sti_risk": True}, {"pregnant": "unsure"}):
        assert urgency_of({**cramps, **worse}, knowledge) >= Urgency.URGENT, worse
    for not_period_pain in ({"pain_constant": True}, {"period_due": False}):  # a check soon, as before 2.3
        assert urgency_of({**cramps, **not_period_pain}, knowledge) >= Urgency.SOON, not_period_pain


HEADLINE_CASES = {
    # Policy H13: after an assault, the headline never names windows the answers say have passed.
    "assault_over_a_week_no_expired_windows": "urgent_assault_later",
    "assault_6_to_7_days_copper_coil": "urgent_assault_6_to_7_days",
    # Policy H14: from 3 weeks after a birth, EC leads when it is the only reason for "today".
    "after_birth_5_weeks_ec_leads": "urgent_ec_within_3_days",
    # Policy I1: maybe pregnant, contraception unknown, sex yesterday: EC ("if there is any chance") leads.
    "maybe_pregnant_sex_yesterday_contraception_skipped": "urgent_maybe_pregnant_ec_not_known",
    # Policy I3: after a loss with the EC window open, the early pregnancy unit headline asks about EC.
    "after_miscarriage_unprotected_sex_ec_asked": "urgent_pregnancy_loss_ec",
    # Headlines come from the reason for the level: blood in the pee, or long bleeding on a blood thinner,
    # with pregnancy not mentioned, is the general same-day headline, not "do a pregnancy test today".
    "blood_in_pee_after_sex": "urgent",
    "maybe_pregnant_time_not_given_ec_leads": "urgent_maybe_pregnant_ec_not_known",
    # Pain with a pregnancy not ruled out (possible ectopic) leads over the infection check; EC follows.
    "pain_contraception_unknown_ec_asked": "urgent_pain_pregnancy_possible_ec_not_known",
    "maybe_pregnant_mild_pain_ectopic_leads": "urgent_pain_pregnancy_possible_ec_not_known",
    "pain_sex_yesterday_no_contraception_no_test": "urgent_pain_pregnancy_possible_ec",
    "condom_left_inside_on_the_pill": "urgent_object_inside",
    "abortion_in_clinic_unprotected_sex_ec_asked": "urgent_abortion_aftercare_ec",
    # Policy I8: which loss decides who to contact (abortion aftercare line, or the early pregnancy unit).
    "abortion_pills_at_home_3_weeks_spotting": "urgent_abortion_aftercare",
    "abortion_in_clinic_4_weeks_spotting": "urgent_abortion_aftercare",
    "miscarriage_5_weeks_spotting_loss_type": "urgent_pregnancy_loss",
    # Policy I9: after a hysterectomy for cell changes, the team that treated her; in the first 12 weeks, today.
    "hysterectomy_for_cell_changes_spotting": "soon_hysterectomy_cancer",
    "hysterectomy_6_weeks_ago_spotting": "urgent_hysterectomy_healing",
    # Policy I11: something stuck inside; a condom left inside opens emergency contraception, which leads.
    "tampon_stuck_spotting": "urgent_object_inside",
    "condom_left_inside_ec": "urgent_ec_within_3_days",
    # Policy I12: aspirin, clopidogrel or a bleeding disorder go to a GP, not an anticoagulant clinic.
    "antiplatelet_light_bleed_once": "soon_blood_thinners_gp",
    "bleeding_disorder_light_bleed_once": "soon_blood_thinners_gp",
    # Policy I13: after a gynaecological cancer or pelvic radiotherapy, the cancer team.
    "previous_cervical_cancer_radiotherapy_repeated_spotting": "soon_cancer_team",
}
"""Clinical cases check the level; these also need the headline (the advice row) to be right."""


def test_the_headline_fits_what_the_answers_say_about_time(knowledge: Knowledge) -> None:
    import json
    from pathlib import Path

    from spotting import explain

    cases = {case["id"]: case for case in json.loads((Path(__file__).parent / "clinical_cases.json").read_text())}
    got = {case_id: explain(cases[case_id]["answers"], knowledge).advice.id for case_id in HEADLINE_CASES}
    assert got == HEADLINE_CASES
    words = explain(cases["assault_over_a_week_no_expired_windows"]["answers"], knowledge).advice.message
    assert "72 hours" not in words and "5 days" not in words  # no window that has closed


def test_unknown_contraception_after_recent_sex_names_emergency_contraception(knowledge: Knowledge) -> None:
    """Policy I1: a skipped "sex without contraception" is never silence about EC, and never a yes."""
    from spotting import explain

    base = {"age": 17, "amount": "light", "how_often": "once", "pregnant": "no", "first_time_sex": True}
    for when, flag_id in (
        ({"time_since_sex": "under_3_days"}, "emergency_contraception_not_known"),
        ({}, "emergency_contraception_not_known"),
        # 6 or 7 days: a copper coil, never "works up to 5 days".
        ({"time_since_sex": "days_6_to_7"}, "emergency_contraception_not_known_6_to_7_days"),
    ):
        result = explain({**base, **when}, knowledge)
        assert flag_id in [flag.rule.id for flag in result.red_flags], when
        assert result.urgency is Urgency.SELF_CARE  # information, not a raised level
    # A coil with no sign that it has come out needs no "if there is any chance" line.
    flags = [flag.rule.id for flag in explain({**base, "contraception": "copper_iud"}, knowledge).red_flags]
    assert "emergency_contraception_not_known" not in flags
    for closed in ({"unprotected_sex": False}, {"time_since_sex": "over_a_week"}, {"sex_could_cause_pregnancy": "no"}):
        flags = [flag.rule.id for flag in explain({**base, **closed}, knowledge).red_flags]
        assert "emergency_contraception_not_known" not in flags, closed
    # A "yes" opens the window itself: the same-day EC flag, not the "if there is any chance" line.
    flags = [flag.rule.id for flag in explain({**base, "unprotected_sex": True}, knowledge).red_flags]
    assert "emergency_contraception_not_known" not in flags and "emergency_contraception" in flags


def test_a_late_period_with_a_negative_test_says_test_again(knowledge: Knowledge) -> None:
    """Policy I2."""
    from spotting import explain

    result = explain({"age": 26, "periods": "late", "pregnancy_test": "negative", "pregnant": "no"}, knowledge)
    flag = next(flag for flag in result.red_flags if flag.rule.id == "late_period_negative_test")
    assert "Test again 3 weeks after the sex" in flag.rule.message


def test_blood_in_the_pee_is_urgent_at_every_age(knowledge: Knowledge) -> None:
    """Policy I6 (corrected by the GP read of clin4): NHS "Blood in urine" asks for an urgent GP
    appointment at any age; NICE NG12 (45 and over) decides only the words about 2-week tests."""
    from spotting import explain

    pee = {"blood_from": "peeing", "amount": "spotting", "how_often": "once"}
    for age in ({"age": 16}, {"age": 30}, {"age": 44}, {"age": 45}, {"age": 70}, {"age": 14}, {}):
        assert urgency_of({**pee, **age}, knowledge) >= Urgency.URGENT, age
    flags = {age: [f.rule.id for f in explain({**pee, "age": age}, knowledge).red_flags] for age in (30, 45)}
    assert "blood_when_peeing_45_and_over" in flags[45] and "blood_when_peeing_45_and_over" not in flags[30]


def test_coil_fitting_pain_reads_when_the_coil_was_fitted(knowledge: Knowledge) -> None:
    """Policy I7 (GP read of clin4, finding 19): a smear in the last 6 weeks is not a coil fitting.

    The "contact the clinic that fitted it" flag needs a coil fitted in the last 6 weeks; a recent
    procedure with a coil still counts while the person has not said the coil was not fitted then
    (not sure is never no)."""
    from spotting import explain

    base = {"age": 30, "contraception": "copper_iud", "tummy_pain": "mild", "amount": "spotting"}

    def flags(extra: dict[str, object]) -> list[str]:
        return [flag.rule.id for flag in explain({**base, **extra}, knowledge).red_flags]

    assert "coil_fitted_pain" in flags({"coil_fitted_recently": True})
    assert "coil_fitted_pain" in flags({"recent_procedure": True})  # which procedure: not said
    assert "coil_fitted_pain" not in flags({"recent_procedure": True, "coil_fitted_recently": False})
    assert "coil_fitted_pain" not in flags({"recent_procedure": False})
    # The field is asked only of coil users, and counts only with a coil.
    assert "coil_fitted_pain" not in flags({"contraception": "combined_hormonal", "coil_fitted_recently": True})
