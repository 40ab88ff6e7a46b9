"""Teaching logic and its HTML (teaching.py, teaching_html.py): quiz feedback, cards, myths, handout."""

from __future__ import annotations

import base64
import re
from datetime import date
from html import escape
from pathlib import Path

import pytest

from spotting import DISCLAIMER, Knowledge, Urgency, explain, load_knowledge
from spotting.model import Scenario
from spotting.teaching.pages import (
    content_note_html,
    data_uri,
    facilitator_handout_html,
    facilitator_notes_html,
    feedback_html,
    handout_html,
    myths_html,
    reveal_html,
    scenario_card_html,
    worksheet_html,
)
from spotting.teaching.quiz import (
    CHOOSE_LEVEL,
    Attempt,
    assess,
    cause_options,
    is_sensitive,
    level_options,
    myths_and_facts,
    parse_choice,
    scenario_by_id,
)

SCENARIOS = load_knowledge().scenarios


def test_level_options_start_with_a_prompt_then_run_most_urgent_first(knowledge: Knowledge) -> None:
    options = level_options(knowledge)
    assert options[0] == (CHOOSE_LEVEL, "")
    assert [value for _, value in options[1:]] == ["emergency", "urgent", "soon", "routine", "self_care"]
    assert options[1][0] == knowledge.levels[Urgency.EMERGENCY].heading


def test_cause_options_offer_every_cause_so_the_list_is_no_hint(knowledge: Knowledge) -> None:
    assert [cause_id for _, cause_id in cause_options(knowledge)] == [c.id for c in knowledge.causes]


def test_parse_choice_accepts_ids_levels_and_nothing_and_rejects_the_rest() -> None:
    assert parse_choice("") is None
    assert parse_choice(None) is None
    assert parse_choice("urgent") is Urgency.URGENT
    assert parse_choice(Urgency.SOON) is Urgency.SOON
    with pytest.raises(ValueError, match="allowed"):
        parse_choice("panic")


def test_scenario_by_id_names_the_known_ids_when_it_fails(knowledge: Knowledge) -> None:
    assert scenario_by_id("period_due", knowledge).id == "period_due"
    with pytest.raises(KeyError, match="period_due"):
        scenario_by_id("nope", knowledge)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_the_expected_answer_gets_a_full_match(scenario: Scenario, knowledge: Knowledge) -> None:
    feedback = assess(scenario, scenario.expected_urgency, scenario.likely_causes, knowledge)
    assert feedback.urgency_verdict == "match"
    assert feedback.messages[0].startswith("Well spotted")
    assert not feedback.missed
    assert not feedback.not_listed
    assert {p.cause_id for p in feedback.spotted} == set(scenario.likely_causes)


def test_choosing_less_urgent_than_the_tool_says_why_kindly() -> None:
    knowledge = load_knowledge(region="GB")
    scenario = scenario_by_id("low_placenta_32_weeks", knowledge)
    feedback = assess(scenario, "urgent", ["placenta_praevia"], knowledge)
    assert feedback.urgency_verdict == "lower"
    text = " ".join(feedback.messages)
    assert "Call 999 or go to A&E now" in text
    assert "low-lying placenta" in text  # the red flag's own reason
    assert "easy to underestimate" in text


def test_choosing_more_urgent_is_called_cautious_and_self_care_says_when_to_get_checked(knowledge: Knowledge) -> None:
    scenario = scenario_by_id("first_time_at_17", knowledge)
    feedback = assess(scenario, Urgency.URGENT, [], knowledge)
    assert feedback.urgency_verdict == "higher"
    text = " ".join(feedback.messages)
    assert "more cautious" in text
    assert "When to get checked" in text
    assert "did not pick any causes" in text


def test_no_choice_is_fine_and_still_shows_the_answer(knowledge: Knowledge) -> None:
    scenario = scenario_by_id("pregnant_9_weeks", knowledge)
    feedback = assess(scenario, "", [], knowledge)
    assert feedback.urgency_verdict == "none"
    assert feedback.chosen is None
    assert "Get medical help today" in feedback.messages[0]


def test_a_cause_the_tool_rules_out_is_explained_with_the_rule_note(knowledge: Knowledge) -> None:
    scenario = scenario_by_id("new_pill_again", knowledge)
    feedback = assess(scenario, "soon", ["hormonal_contraception", "iud", "pregnancy_cervix_changes"], knowledge)
    by_id = {p.cause_id: p for p in feedback.not_listed}
    assert by_id["iud"].fit == "excluded"
    assert by_id["iud"].why == "No coil is in place."
    assert by_id["pregnancy_cervix_changes"].why.startswith("Not pregnant")
    missed = {p.cause_id: p for p in feedback.missed}
    assert missed["cervical_ectropion"].fit == "likely"
    assert "Combined pill" in missed["cervical_ectropion"].why  # the answer behind it, in words


def test_an_unlikely_pick_says_no_answer_points_to_it(knowledge: Knowledge) -> None:
    scenario = scenario_by_id("new_pill_again", knowledge)
    feedback = assess(scenario, "soon", ["vaginitis"], knowledge)
    assert feedback.not_listed[0].fit == "unlikely"


def test_unknown_cause_ids_from_a_widget_are_refused(knowledge: Knowledge) -> None:
    with pytest.raises(ValueError, match="made_up"):
        assess(SCENARIOS[0], "routine", ["made_up"], knowledge)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
@pytest.mark.parametrize("choice", ["", *(u.id for u in Urgency)])
def test_feedback_never_says_should(scenario: Scenario, choice: str, knowledge: Knowledge) -> None:
    feedback = assess(scenario, choice, [c.id for c in knowledge.causes[:6]], knowledge)
    for message in feedback.messages:
        assert not re.search(r"\bshould\b", message, re.IGNORECASE), message


def test_feedback_html_carries_the_verdict_but_no_live_region_of_its_own(knowledge: Knowledge) -> None:
    """The page's one live region is made once (teaching.live.LiveStatus); a region inside the
    feedback would be destroyed and made again on every update (UX review, finding 6)."""
    feedback = assess(SCENARIOS[0], SCENARIOS[0].expected_urgency, [], knowledge)
    html = feedback_html(feedback, knowledge)
    assert 'role="status"' not in html and "aria-live" not in html
    assert 'data-verdict="match"' in html


def test_scenario_card_shows_story_and_answers_but_not_the_answer(knowledge: Knowledge) -> None:
    scenario = scenario_by_id("blood_thinner", knowledge)
    html = scenario_card_html(scenario, knowledge, number=3)
    assert "Scenario 3: Sam, 38" in html
    assert "Take blood thinners or have a bleeding disorder: <strong>yes</strong>" in html
    assert knowledge.levels[scenario.expected_urgency].heading not in html  # hidden until the reveal


def test_reveal_shows_level_reasons_causes_teaching_point_sources_and_dates(knowledge: Knowledge) -> None:
    scenario = scenario_by_id("after_menopause_dryness", knowledge)
    html = reveal_html(scenario, knowledge)
    assert knowledge.levels[Urgency.SOON].heading in html
    assert knowledge.levels[Urgency.SOON].hidden_text in html  # read out by screen readers
    assert "level-soon" in html
    assert "Any bleeding after the menopause needs a check" in html
    assert scenario.teaching_point in html
    assert knowledge.sources["S27"].title in html
    assert "Scenario last reviewed 2026-11-21; next review due 2027-11-21" in html
    assert "What would change the advice" in html


def test_only_the_assault_story_gets_a_content_note(knowledge: Knowledge) -> None:
    sensitive = [s.id for s in SCENARIOS if is_sensitive(s)]
    assert sensitive == ["not_agreed"]
    assert "Content note" in scenario_card_html(scenario_by_id("not_agreed", knowledge), knowledge)
    assert content_note_html(scenario_by_id("period_due", knowledge)) == ""


@pytest.mark.parametrize("region", [None, *load_knowledge().regions])
def test_the_content_note_names_the_regions_own_assault_service(region: str | None) -> None:
    """Issue 23: the note once named a UK "sexual assault referral centre" for every reader."""
    knowledge = load_knowledge(region=region)
    html = content_note_html(scenario_by_id("not_agreed", knowledge), knowledge)
    service, note = knowledge.services["assault_service"], knowledge.services["assault_service_note"]
    assert escape(service.text) in html
    assert escape(note.text) in html
    assert all(source in html for source in (*service.review.sources, *note.review.sources))
    if knowledge.region.code != "GB":
        assert "referral centre" not in html.lower()
        assert "SARC" not in html


def test_facilitator_notes_give_the_expected_level_and_causes(knowledge: Knowledge) -> None:
    scenario = scenario_by_id("new_partner", knowledge)
    html = facilitator_notes_html(scenario, knowledge)
    assert knowledge.levels[scenario.expected_urgency].heading in html
    assert "STI cervicitis" in html


def test_myths_and_facts_come_from_myths_csv_with_plain_verdicts(knowledge: Knowledge) -> None:
    myths = myths_and_facts(knowledge)
    assert len(myths) == len(knowledge.table("myths"))
    thrush = next(m for m in myths if m.seed_claim == "B12")
    assert thrush.verdict_words == "Myth"
    assert all(m.sources for m in myths)
    hidden, shown = myths_html(knowledge), myths_html(knowledge, revealed=True)
    assert "<details>" in hidden and "<details open>" not in hidden
    assert shown.count("<details open>") == len(myths)


def test_myths_are_numbered_with_a_short_mixed_warm_up_set_first(knowledge: Knowledge) -> None:
    myths = myths_and_facts(knowledge)
    assert [m.number for m in myths] == list(range(1, len(myths) + 1))
    warm = [m for m in myths if m.warm_up]
    assert [m.number for m in warm] == [1, 2, 3]
    assert len({m.verdict for m in warm}) == 3  # a myth, a partly true and a true claim: no pattern to guess
    assert all(len(m.claim.split()) <= 15 for m in warm)  # short enough to read out
    assert not any(word in m.claim.lower() for m in warm for word in ("cancer", "miscarriage", "baby"))
    html = myths_html(knowledge)
    assert html.index("Warm-up: myths 1 to 3") < html.index(warm[0].claim) < html.index("More myths and facts")
    assert f"Myth 1 of {len(myths)}" in html and f"Myth {len(myths)} of {len(myths)}" in html
    assert html.index(f"Myth 1 of {len(myths)}") < html.index(f"Myth 2 of {len(myths)}")


def _replace(data_copy: Path, file: str, old: str, new: str) -> None:
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_strings_from_data_are_escaped(data_copy: Path) -> None:
    # Edit every file first: load_knowledge caches by folder, so load the copy once.
    _replace(data_copy, "scenarios.csv", "Mia is 17.", "Mia is 17 <script>alert(1)</script>.")
    _replace(data_copy, "myths.csv", "Having sex can make", "Having <b>sex</b> can make")
    knowledge = load_knowledge(data_copy)
    card = scenario_card_html(knowledge.scenarios[0], knowledge)
    assert "<script>" not in card and "&lt;script&gt;" in card
    myths = myths_html(knowledge)
    assert "<b>sex</b>" not in myths and "&lt;b&gt;sex&lt;/b&gt;" in myths


def test_handout_replays_the_session_as_a_printable_page(knowledge: Knowledge) -> None:
    attempts = [Attempt("period_due", Urgency.URGENT, ("period_timing",)), Attempt("not_agreed", None, ())]
    html = handout_html(attempts, knowledge, charts_html="<figure>chart</figure>", made_on=date(2026, 11, 21))
    assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>")
    assert '<html lang="en-GB">' in html
    assert DISCLAIMER in html
    assert "Hannah, 28" in html and "Leah, 19" in html and "Mia, 17" not in html
    assert "more cautious" in html  # the feedback for the attempt
    assert "Myths and facts" in html and "<figure>chart</figure>" in html
    assert "@media print" in html
    assert "Handout made on 2026-11-21" in html
    assert knowledge.sources["S22"].title in html


def test_handout_without_attempts_covers_every_scenario(knowledge: Knowledge) -> None:
    html = handout_html([], knowledge, made_on=date(2026, 11, 21))
    for scenario in SCENARIOS:
        assert f'id="scenario-{scenario.id}"' in html


def test_later_attempts_replace_earlier_ones_in_the_handout(knowledge: Knowledge) -> None:
    attempts = [Attempt("period_due", Urgency.URGENT, ()), Attempt("period_due", Urgency.SELF_CARE, ())]
    html = handout_html(attempts, knowledge, made_on=date(2026, 11, 21))
    assert html.count('id="scenario-period_due"') == 1
    assert 'data-verdict="match"' in html


def test_data_uri_round_trips_unicode() -> None:
    page = "<p>20\u201324 \u00b0C</p>"
    uri = data_uri(page)
    assert uri.startswith("data:text/html;charset=utf-8;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == page


def test_reveal_agrees_with_explain_for_every_scenario(knowledge: Knowledge) -> None:
    for scenario in SCENARIOS:
        heading = knowledge.levels[explain(scenario.answers, knowledge).urgency].heading
        assert escape(heading) in reveal_html(scenario, knowledge)


def test_the_learner_worksheet_has_the_stories_and_no_answers(knowledge: Knowledge) -> None:
    html = worksheet_html(knowledge, made_on=date(2026, 11, 21))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    for scenario in SCENARIOS:
        assert escape(scenario.story) in html
        assert escape(scenario.teaching_point) not in html
    for myth in myths_and_facts(knowledge):
        assert escape(myth.claim) in html and f"Myth {myth.number} of" in html
        assert escape(myth.fact) not in html
    # The five levels appear once each, together, so the page points to no scenario's answer.
    for level in knowledge.levels.values():
        assert html.count(escape(level.heading)) == 1, level.heading
    for answer_text in ("Facilitator notes", "Expected level", "What the tool says", "Feedback", "Teaching point"):
        assert answer_text not in html
    assert "Possible explanations" not in html and "What would change the advice" not in html
    assert not any(escape(verdict) + "." in html for verdict in ("Myth", "Partly true", "True"))


def test_the_facilitator_handout_has_every_answer(knowledge: Knowledge) -> None:
    html = facilitator_handout_html(knowledge, made_on=date(2026, 11, 21))
    assert "This sheet has the answers" in html
    for number, scenario in enumerate(SCENARIOS, start=1):
        section = html.split(f"<h3>Scenario {number}: {escape(scenario.title)}</h3>", 1)[1].split("<h3>", 1)[0]
        assert escape(knowledge.levels[scenario.expected_urgency].heading) in section, scenario.id
        assert escape(scenario.teaching_point) in section
    for myth in myths_and_facts(knowledge):
        assert f"<strong>{escape(myth.verdict_words)}.</strong> {escape(myth.fact)}" in html


def test_a_worksheet_for_chosen_scenarios_keeps_their_numbers(knowledge: Knowledge) -> None:
    ids = ["low_placenta_32_weeks", "first_time_at_17"]
    html = worksheet_html(knowledge, scenario_ids=ids)
    numbers = {s.id: n for n, s in enumerate(SCENARIOS, start=1)}
    assert f"Scenario {numbers['first_time_at_17']}: Mia, 17" in html
    assert html.index("Mia, 17") < html.index("Jo, 31")  # in the list's order, like the dashboard
    assert "Priya, 22" not in html
    with pytest.raises(KeyError):
        worksheet_html(knowledge, scenario_ids=["nope"])


def test_the_projector_reveal_folds_the_detail_but_shows_the_level_and_teaching_point(knowledge: Knowledge) -> None:
    scenario = scenario_by_id("low_placenta_32_weeks", knowledge)
    folded = reveal_html(scenario, knowledge, folded=True)
    first_view = folded.split("<details>", 1)[0]
    assert knowledge.levels[scenario.expected_urgency].heading in first_view
    assert escape(scenario.teaching_point) in first_view
    assert "<h4>Why</h4>" not in first_view and "<h4>Why</h4>" in folded
    feedback = assess(scenario, "urgent", ["iud"], knowledge)
    short = feedback_html(feedback, knowledge, folded=True)
    assert "The tool goes further" in short.split("<details>", 1)[0]
    assert "does not list" in short.split("<details>", 1)[1]
    assert "<details>" not in feedback_html(feedback, knowledge)
    compact = scenario_card_html(scenario, knowledge, number=6, compact=True)
    assert '<details class="answers">' in compact and 'tabindex="-1"' in compact
