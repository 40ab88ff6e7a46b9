"""Cause ranking follows the data and keeps the policy limits (dossier Part A rule 14)."""

from __future__ import annotations

from itertools import pairwise

from spotting import Knowledge
from spotting.causes import rank_causes


def fits(answers: dict, knowledge: Knowledge) -> dict[str, str]:
    return {fit.cause.id: fit.fit for fit in rank_causes(answers, knowledge)}


def test_no_cause_found_is_always_shown(knowledge: Knowledge) -> None:
    assert fits({}, knowledge)["no_cause_found"] in ("likely", "possible")
    assert "no_cause_found" in fits({"period_due": True, "age": 25}, knowledge)


def test_a_clear_explanation_ranks_first(knowledge: Knowledge) -> None:
    ranked = rank_causes({"period_due": True, "pregnant": "no"}, knowledge)
    assert ranked[0].cause.id == "period_timing" and ranked[0].fit == "likely"


def test_cancer_is_never_likely_in_a_young_person_with_one_episode(knowledge: Knowledge) -> None:
    answers = {"age": 22, "how_often": "once", "screening": "not_yet_eligible"}
    assert fits(answers, knowledge).get("cervical_precancer_or_cancer") != "likely"


def test_cancer_is_never_hidden_when_risk_features_are_present(knowledge: Knowledge) -> None:
    for answers in (
        {"age": 45, "screening": "overdue"},
        {"age": 30, "how_often": "every_time"},
        {"age": 30, "bleeding_between_periods": True},
        {"age": 60, "menopause": "postmenopause"},
    ):
        assert fits(answers, knowledge).get("cervical_precancer_or_cancer") == "possible", answers


def test_pregnancy_causes_are_excluded_when_not_pregnant(knowledge: Knowledge) -> None:
    shown = fits({"pregnant": "no", "age": 30}, knowledge)
    assert not {"miscarriage", "ectopic_pregnancy", "placenta_praevia"} & set(shown)


def test_ranking_is_likely_then_possible(knowledge: Knowledge) -> None:
    ranked = rank_causes({"age": 19, "first_time_sex": True, "sti_risk": True}, knowledge)
    words = [fit.fit for fit in ranked]
    assert words == sorted(words, key=["likely", "possible"].index)


def test_on_an_anticoagulant_a_bleeding_tendency_ranks_in_the_top_three(knowledge: Knowledge) -> None:
    """Clinical review 3, M3: it ranked 4th, behind atrophy, friction and a polyp."""
    answers = {
        "age": 62,
        "menopause": "postmenopause",
        "blood_thinners_or_bleeding_disorder": True,
        "dryness": True,
        "injury_or_rough_sex": True,
        "how_often": "sometimes",
        "pain_during_sex": True,
    }
    for extra in ({}, {"bleeding_30_minutes": True}, {"how_often": "once", "amount": "spotting"}):
        top = [fit.cause.id for fit in rank_causes({**answers, **extra}, knowledge)[:3]]
        assert "bleeding_tendency" in top, (extra, top)


def test_the_bleeding_tendency_card_says_now_like_its_red_flag(knowledge: Knowledge) -> None:
    """One level, one wording (issue 21, 2.8): the red flag says "now", so the card may not say
    "the same day" for the same bleeding."""
    card = next(cause for cause in knowledge.causes if cause.id == "bleeding_tendency")
    assert "get help now" in card.next_step and "same day" not in card.next_step


def test_on_tamoxifen_a_womb_lining_cause_ranks_first(knowledge: Knowledge) -> None:
    """Issue 21, 2.10: tamoxifen thickens the womb lining (the tamoxifen reason says so)."""
    for answers in (
        {"age": 62, "menopause": "postmenopause", "tamoxifen": True, "how_often": "once", "amount": "spotting"},
        {"age": 45, "menopause": "perimenopause", "tamoxifen": True, "dryness": True},
    ):
        assert rank_causes(answers, knowledge)[0].cause.id == "endometrial_cause", answers


def test_serious_causes_lead_ties_only_when_the_advice_is_same_day(knowledge: Knowledge) -> None:
    """Clinical policy H9: at equal fit and score, harmless causes come first for routine advice,
    and the serious causes the advice guards against come first when it is urgent or more."""
    answers = {"age": 29, "pregnant": "no", "pregnancy_test": "negative", "tummy_pain": "severe", "amount": "light"}
    calm = rank_causes(answers, knowledge)
    alarmed = rank_causes(answers, knowledge, serious_first=True)
    assert {fit.cause.id for fit in calm} == {fit.cause.id for fit in alarmed}
    for ranking, first_kind in ((calm, "benign"), (alarmed, "serious")):
        for before, after in pairwise(ranking):
            same = before.fit is after.fit and before.score == after.score
            if same and {before.cause.kind, after.cause.kind} == {"benign", "serious"}:
                assert before.cause.kind == first_kind
    assert [fit.cause.id for fit in calm] != [fit.cause.id for fit in alarmed]


def test_a_cancer_with_referral_features_ranks_among_the_likely_causes(knowledge: Knowledge) -> None:
    """Clinical policy H5: never worded likely, but not buried below harmless causes either."""
    answers = {"age": 58, "menopause": "postmenopause", "tamoxifen": True, "amount": "light", "how_often": "once"}
    ranked = rank_causes(answers, knowledge)
    top = [fit.cause.id for fit in ranked[:3]]
    assert "endometrial_cancer" in top
    assert next(fit for fit in ranked if fit.cause.id == "endometrial_cancer").fit.value == "possible"
