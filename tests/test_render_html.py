"""render_html: the care card comes first, urgency never rests on colour, and data is escaped."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from spotting import Knowledge, Urgency, explain, load_knowledge
from spotting.explorer.results import (
    long_date,
    render_banner,
    render_care_card,
    render_problem,
    render_results,
)
from spotting.markup import BORDER_PX, citation

HOSTILE = '<script>alert("x")</script> & <b onmouseover=1>'


def words(html: str) -> str:
    """What a person reads: the HTML without its tags (a tappable number is still the number)."""
    return re.sub(r"<[^>]+>", "", html)


def sections(html: str) -> list[str]:
    return re.findall(r'<section [^>]*data-section="([^"]+)"', html)


def test_the_care_card_is_always_the_first_thing(knowledge: Knowledge) -> None:
    for answers in ({}, {"pregnant": "yes"}, {"pregnant": "yes", "dizzy_or_faint": True}, {"how_often": "every_time"}):
        html = render_results(explain(answers, knowledge), knowledge)
        assert sections(html)[0] == "care", answers


def test_the_care_card_says_the_action_with_hidden_urgency_words_and_an_icon(knowledge: Knowledge) -> None:
    explanation = explain({"pregnant": "yes"}, knowledge)
    level = knowledge.levels[Urgency.URGENT]
    card = render_care_card(explanation, knowledge)
    assert f'<span class="sp-visually-hidden">{level.hidden_text} </span>' in card
    assert f'<span class="sp-icon" aria-hidden="true">{level.icon}</span>{level.heading}</h2>' in card
    assert 'data-urgency="urgent"' in card


@pytest.mark.parametrize("urgency", list(Urgency))
def test_every_level_has_its_own_heading_and_border(knowledge: Knowledge, urgency: Urgency) -> None:
    explanation = dataclasses.replace(explain({}, knowledge), urgency=urgency)
    card = render_care_card(explanation, knowledge)
    assert knowledge.levels[urgency].heading.replace("&", "&amp;") in card
    assert f"border-width: {BORDER_PX[urgency]}px" in card


def test_the_border_gets_thicker_as_urgency_rises() -> None:
    widths = [BORDER_PX[level] for level in sorted(Urgency)]
    assert widths == sorted(set(widths))


def test_red_flags_say_what_you_said_in_the_questions_own_words(knowledge: Knowledge) -> None:
    html = render_results(explain({"pregnant": "yes", "dizzy_or_faint": True}, knowledge), knowledge)
    assert sections(html)[:2] == ["care", "red-flags"]
    label = knowledge.questions["dizzy_or_faint"].label.rstrip("?")
    assert f"Because you said: {label}: yes" in html.replace("&#x27;", "'")
    flags = re.findall(r'data-flag="([^"]+)"', html)
    assert flags[0] == "dizzy_or_faint"


def test_causes_fold_and_sources_and_review_dates_are_gathered_once(knowledge: Knowledge) -> None:
    """UX review: short first, detail on demand, one sources section instead of a line per item."""
    explanation = explain({"pregnant": "yes"}, knowledge)
    html = render_results(explanation, knowledge)
    first = explanation.causes[0]
    item = html[html.index(f'data-cause="{first.fit.cause.id}"') :]
    item = item[: item.index("</li>")]
    assert re.search(r"<details aria-label=\"[^\"]+\"><summary>", item)  # a disclosure named by its cause
    assert "What it is:" in item and "What helps:" in item and "Because you said:" in item
    assert "Sources:" not in item and "Last reviewed" not in item
    sources = html[html.index('data-section="sources"') :]
    assert sources.count("<details ") == 1
    public = [s for s in first.fit.cause.review.sources if knowledge.sources[s].public]
    assert 'href="' + knowledge.sources[public[0]].url.replace("&", "&amp;") in sources
    hidden = [s for s, source in knowledge.sources.items() if not source.public]
    assert not any(f'href="{knowledge.sources[s].url}' in html for s in hidden)  # no mirrors or flashcards
    reviews = [explanation.advice.review, *(result.fit.cause.review for result in explanation.causes)]
    oldest = min(review.last_reviewed for review in reviews)
    assert long_date(oldest) in sources
    top = html[html.index('data-section="causes"') :]
    assert top[: top.find('class="sp-more"')].count("data-cause=") <= 3  # three in one line each, the rest folded


def test_unlikely_causes_are_left_out_and_fits_are_grouped(knowledge: Knowledge) -> None:
    explanation = explain({"pregnant": "yes"}, knowledge)
    html = render_results(explanation, knowledge)
    fits = re.findall(r'data-fit="([^"]+)"', html)
    assert fits and set(fits) <= {"likely", "possible"}
    assert fits == sorted(fits, key=["likely", "possible"].index)


def test_what_would_change_and_open_questions_follow_the_causes(knowledge: Knowledge) -> None:
    html = render_results(explain({}, knowledge), knowledge)
    order = sections(html)
    assert order.index("causes") < order.index("would-change") < order.index("unanswered")
    emergency = render_results(explain({"dizzy_or_faint": True}, knowledge), knowledge)
    assert "would-change" not in sections(emergency)  # nothing is more urgent than an emergency


def test_the_banner_repeats_the_care_card_heading(knowledge: Knowledge) -> None:
    banner = render_banner(explain({"pregnant": "yes"}, knowledge), knowledge)
    assert knowledge.levels[Urgency.URGENT].heading in banner
    assert 'href="#sp-care-heading"' in banner


def test_problem_messages_are_escaped() -> None:
    assert "<script>" not in render_problem(HOSTILE)


def test_the_disclaimer_is_not_repeated_in_the_results(knowledge: Knowledge) -> None:
    explanation = explain({}, knowledge)
    assert explanation.disclaimer not in render_results(explanation, knowledge)


@pytest.fixture
def hostile_knowledge(data_copy: Path) -> Knowledge:
    """The shipped data with markup planted in the texts we render, and a URL that breaks out of href."""

    def poison(name: str, column: str, value: str, rows: slice = slice(None)) -> None:
        path = data_copy / name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.loc[frame.index[rows], column] = value
        frame.to_csv(path, index=False)

    poison("causes.csv", "name", HOSTILE)
    poison("causes.csv", "summary", HOSTILE)
    poison("red_flags.csv", "message", HOSTILE)
    poison("urgency_levels.csv", "heading", HOSTILE)
    poison("sources.csv", "title", HOSTILE)
    poison("sources.csv", "url", 'https://example.org/?q="><script>alert(1)</script>')
    poison("questions.csv", "label", HOSTILE, slice(0, 3))
    return load_knowledge(data_copy)


def test_every_string_from_data_is_escaped(hostile_knowledge: Knowledge) -> None:
    explanation = explain({"pregnant": "yes", "dizzy_or_faint": True, "age": 30}, hostile_knowledge)
    html = render_results(explanation, hostile_knowledge) + render_banner(explanation, hostile_knowledge)
    assert "<script" not in html and "<b " not in html and "onmouseover=1>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="https://example.org/?q=&quot;&gt;&lt;script&gt;' in html


def test_only_web_links_become_links(knowledge: Knowledge) -> None:
    source_id = next(iter(knowledge.sources))
    fake = dataclasses.replace(knowledge.sources[source_id], url="javascript:alert(1)")
    patched = dataclasses.replace(knowledge, sources={source_id: fake})
    html = citation(source_id, patched, new_tab=True)
    assert "<a " not in html and "javascript" not in html


def test_render_html_does_not_need_ipywidgets() -> None:
    code = "import sys, spotting.explorer.results, spotting.explorer.summary; assert 'ipywidgets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_care_card_holds_its_own_safety_net_and_a_number_to_tap() -> None:
    """NHS care cards: 'Call 999 if:' and 'Get help today if:' inside the card, and tap-to-call."""
    knowledge = load_knowledge(region="GB")
    card = render_care_card(explain({"age": 30, "pregnant": "yes", "weeks_pregnant": 8}, knowledge), knowledge)
    assert '<a class="sp-call" href="tel:111">Call NHS 111</a>' in card
    assert "Call 999 if:" in words(card) and 'data-safety-net="emergency"' in card
    assert 'Call <a class="sp-tel" href="tel:999">999</a> if:' in card  # the heading's number is tappable
    assert "You feel very dizzy or faint, or you faint." in card  # a sentence, not a question label
    routine = render_care_card(explain({}, knowledge), knowledge)
    assert "Get help today if:" in routine and 'class="sp-call"' not in routine
    emergency = render_care_card(explain({"amount": "heavy"}, knowledge), knowledge)
    assert 'href="tel:999"' in emergency and "Call 999 if:" not in words(emergency)


@pytest.mark.parametrize(
    ("region", "link", "heading"),
    [
        ("US", 'href="tel:911">Call 911</a>', "Call 911 if:"),
        ("AU", 'href="tel:000">Call 000</a>', "Call 000 (triple zero) if:"),
    ],
)
def test_the_care_card_calls_the_number_that_works_where_the_reader_is(region: str, link: str, heading: str) -> None:
    knowledge = load_knowledge(region=region)
    emergency = render_care_card(explain({"amount": "heavy"}, knowledge), knowledge)
    assert link in emergency and "999" not in emergency
    urgent = render_care_card(explain({"age": 30, "pregnant": "yes", "weeks_pregnant": 8}, knowledge), knowledge)
    assert heading in words(urgent) and "999" not in urgent
    assert f"ones {knowledge.region.where}" in urgent  # the services are the region's
    assert "UK guidance" not in urgent  # how soon is one line, said once in the neutral footer only


def test_with_no_region_the_card_lists_every_emergency_number_and_offers_no_single_one() -> None:
    """No region chosen is not "UK": a "Call 999" button would fail in the US. The words list them
    all, each one tappable beside the name of its country (issue 19: every number is a link)."""
    knowledge = load_knowledge()
    card = render_care_card(explain({"amount": "heavy"}, knowledge), knowledge)
    assert 'class="sp-call"' not in card
    countries = {"999": "UK", "911": "US", "112": "Ireland", "000": "Australia", "111": "New Zealand"}
    for number, country in countries.items():
        assert re.search(rf'<a class="sp-tel" href="tel:{number}">{number}</a> in (the )?{country}', card), number


@pytest.mark.parametrize(
    ("region", "answers", "link"),
    [
        ("GB", {"age": 12}, "Call Childline"),
        ("AU", {"age": 12}, "Call Kids Helpline"),
        ("NZ", {"age": 20, "not_consensual": True}, "Call Safe to talk"),
        ("US", {"age": 20, "not_consensual": True}, "Call the National Sexual Assault Hotline"),
    ],
)
def test_a_child_or_a_survivor_is_offered_their_own_line_to_tap(region: str, answers: dict, link: str) -> None:
    """Clinical read of the regions: the one button on the card was the health advice line, even
    when the advice said to call a children's helpline or a sexual assault service."""
    knowledge = load_knowledge(region=region)
    card = render_care_card(explain(answers, knowledge), knowledge)
    assert card.count('class="sp-call"') == 1 and f">{link}</a>" in card


def test_no_number_is_offered_when_the_advised_service_has_none_there() -> None:
    knowledge = load_knowledge(region="GB")  # a SARC has no single national number
    card = render_care_card(explain({"age": 20, "not_consensual": True}, knowledge), knowledge)
    assert "tel:111" not in card


def test_the_advice_bar_says_the_level_and_the_advice_first_sentence(knowledge: Knowledge) -> None:
    """Issue 19, item 1: the bar at the top of every screen carries the level and its first sentence,
    and leaves the sentence out when it only repeats the heading."""
    from html import escape

    from spotting.explorer.results import first_sentence, render_banner

    assault = explain({"age": 20, "not_consensual": True}, knowledge)
    bar = render_banner(assault, knowledge)
    assert 'data-urgency="urgent"' in bar and knowledge.levels[assault.urgency].heading in bar
    assert f'<span class="sp-bar__first">{escape(first_sentence(assault.advice.message))}</span>' in bar
    assert first_sentence("Call 999 now. Then tell someone.") == "Call 999 now."
    faint = explain({"dizzy_or_faint": True}, knowledge)
    if first_sentence(faint.advice.message).rstrip(".") == knowledge.levels[faint.urgency].heading:
        assert "sp-bar__first" not in render_banner(faint, knowledge)
