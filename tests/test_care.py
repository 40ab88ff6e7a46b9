"""What a care card says and links to (spotting.care, drawn by spotting.explorer.results).

Issue 19, items 5 and 6, from UX review 3 (problems 5 and 9): numbers that could not be tapped,
no "find one near you" links and no sexual-violence helpline; an emergency-contraception card
dressed as an alarm; headings and text that disagreed on how soon; "follows UK guidance" on every
non-UK card. The HTML is parsed as a browser would, so the tests read what a person can tap.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from strategies import answers, regions

from spotting import Knowledge, explain, load_knowledge
from spotting.explorer.results import render_banner, render_care_card, render_results, render_start

REGIONS: list[str | None] = [None, *load_knowledge().regions]
COUNTRIES = ["GB", "IE", "US", "CA", "AU", "NZ"]
CASES = json.loads((Path(__file__).parent / "clinical_cases.json").read_text(encoding="utf-8"))

FINDERS = (
    "find_pharmacy",
    "find_sexual_health_clinic",
    "find_early_pregnancy_unit",
    "find_assault_service",
    "find_emergency_department",
)
HELPLINE = "sexual_violence_helpline"
NO_OFFICIAL_FINDER: dict[tuple[str, str], str] = {
    # Each gap is a place where no national directory could be found and read for this release;
    # the card then names the service in words and gives the advice line's number instead.
    ("IE", "find_pharmacy"): "no national HSE pharmacy finder found",
    ("IE", "find_sexual_health_clinic"): "no national HSE clinic finder found",
    ("IE", "find_early_pregnancy_unit"): "EPUs are hospital units listed per hospital",
    ("US", "find_pharmacy"): "no national pharmacy directory",
    ("US", "find_early_pregnancy_unit"): "no such national service; the advice names an OB-GYN or the ER",
    ("US", "find_emergency_department"): "no national ER directory",
    ("NZ", "find_early_pregnancy_unit"): "no national directory found",
    **{
        ("CA", finder): "health services are provincial; no national directory found"
        for finder in FINDERS
        if finder != "find_assault_service"  # the federal Victim Services Directory (S311)
    },
    ("CA", HELPLINE): "no national sexual-violence helpline found with a source; centres are provincial",
}
"""Known gaps, each with its reason; the test fails if a gap is filled (remove it here) or a new one appears."""

PHONE_LIKE = re.compile(r"(?<![\w,.+-])(?:1-)?\d{3,5}(?:[ -]\d{2,4}){0,3}(?![\w-])")


def dial_numbers(knowledge: Knowledge) -> set[str]:
    """The region's numbers, worked out here from data/services.csv (not from the code under
    test): every tel and sms column, and every number of 3 or more digits in a service's words."""
    found = set()
    for service in knowledge.services.values():
        found |= {number for number in (service.tel, getattr(service, "sms", "")) if number}
        found |= {re.sub(r"\D", "", m.group(0)) for m in PHONE_LIKE.finditer(service.text)}
    return found


class Reader(HTMLParser):
    """Collects the links and the words outside links, as a person (and a browser) sees them.

    The list of sources is left out of the words: a publisher such as "NHS 111 Wales" names an
    organisation, not a number to call."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.outside: list[str] = []
        self._depth = 0
        self._sources: tuple[str, int] | None = None  # the tag that holds the sources, and its nesting

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._depth += 1
            self.links.append(dict(attrs))
        if self._sources is None and dict(attrs).get("data-section") == "sources":
            self._sources = (tag, 1)
        elif self._sources is not None and tag == self._sources[0]:
            self._sources = (tag, self._sources[1] + 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._depth -= 1
        if self._sources is not None and tag == self._sources[0]:
            level = self._sources[1] - 1
            self._sources = (tag, level) if level else None

    def handle_data(self, data: str) -> None:
        if not self._depth and self._sources is None:
            self.outside.append(data)


def read(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    return reader


def cards(raw: dict[str, Any], knowledge: Knowledge) -> str:
    """Every card and banner a person can see for these answers (the start card before any)."""
    explanation = explain(raw, knowledge)
    shown = render_results(explanation, knowledge) + render_banner(explanation, knowledge)
    return shown + render_start(explain({}, knowledge), knowledge)


def untapped_numbers(html: str, knowledge: Knowledge) -> set[str]:
    """Phone numbers of the region's services that appear in words but not inside a link."""
    numbers = dial_numbers(knowledge)
    words = " ".join(read(html).outside)
    return {m.group(0) for m in PHONE_LIKE.finditer(words) if re.sub(r"\D", "", m.group(0)) in numbers}


@pytest.mark.parametrize("region", REGIONS, ids=lambda code: code or "no-region")
def test_every_number_in_every_card_and_banner_is_a_link(region: str | None) -> None:
    knowledge = load_knowledge(region=region)
    assert dial_numbers(knowledge), "every region has at least its emergency number"
    for case in CASES:
        html = cards(case["answers"], knowledge)
        assert not untapped_numbers(html, knowledge), (case.get("id"), untapped_numbers(html, knowledge))
        for link in read(html).links:
            href = link.get("href") or ""
            if href.startswith(("tel:", "sms:")):
                assert re.fullmatch(r"(tel|sms):\d{3,15}", href), href


def test_a_number_with_no_link_is_caught() -> None:
    """The check itself: the old card's plain-text "Childline 1800 66 66 66" would fail it."""
    knowledge = load_knowledge(region="IE")
    assert untapped_numbers("<p>Call Childline free on 1800 66 66 66.</p>", knowledge) == {"1800 66 66 66"}
    assert not untapped_numbers('<p><a href="tel:1800666666">1800 66 66 66</a></p>', knowledge)


@pytest.mark.parametrize("region", COUNTRIES)
def test_every_country_has_an_official_finder_for_each_service_and_a_helpline(region: str) -> None:
    knowledge = load_knowledge(region=region)
    for service_id in (*FINDERS, HELPLINE):
        service = knowledge.services.get(service_id)
        if service is None:
            assert (region, service_id) in NO_OFFICIAL_FINDER, f"{region} has no {service_id}"
            continue
        assert (region, service_id) not in NO_OFFICIAL_FINDER, f"{region} now has {service_id}: remove the gap"
        if service_id in FINDERS:
            assert service.url.startswith("https://"), service
            assert all(knowledge.sources[s].public for s in service.review.sources if s in knowledge.sources)
        else:
            assert service.tel or service.url, service


@settings(max_examples=60, deadline=None)
@given(raw=answers(), region=regions())
def test_links_open_outside_the_page_and_carry_nothing_about_the_person(
    raw: dict[str, Any], region: str | None
) -> None:
    """Every web link is an address from data/ exactly (no answers, no query added) and opens
    outside the page; every tel: or sms: link dials a number of the region's services."""
    knowledge = load_knowledge(region=region)
    known = {s.url for s in knowledge.services.values() if s.url} | {s.url for s in knowledge.sources.values()}
    for link in read(cards(raw, knowledge)).links:
        href = link.get("href") or ""
        if href.startswith("http"):
            assert href in known, href
            assert link.get("target") == "_blank" and link.get("rel") == "noopener noreferrer", link
        elif href.startswith(("tel:", "sms:")):
            assert href.split(":", 1)[1] in dial_numbers(knowledge), href
        else:
            assert href.startswith("#"), href


EC = {"age": 24, "amount": "spotting", "pregnant": "no", "pregnancy_test": "not_done", "unprotected_sex": True}


@pytest.mark.parametrize("region", REGIONS, ids=lambda code: code or "no-region")
def test_the_emergency_contraception_card_names_a_pharmacy_first(region: str | None) -> None:
    knowledge = load_knowledge(region=region)
    explanation = explain(EC, knowledge)
    assert explanation.advice.style == "time_critical", explanation.advice.id  # an emergency contraception row
    places = re.findall(r"pharmacy|clinic|GP|doctor", explanation.advice.message)
    assert places and places[0] == "pharmacy", explanation.advice.message
    finders = re.findall(r'data-service="(\w+)"', render_care_card(explanation, knowledge))
    if "find_pharmacy" in knowledge.services:
        assert finders[0] == "find_pharmacy", finders


def test_emergency_contraception_is_time_critical_not_an_alarm() -> None:
    knowledge = load_knowledge(region="GB")
    card = render_care_card(explain(EC, knowledge), knowledge)
    assert "sp-care--time_critical" in card and ">!!<" not in card
    assert "Get emergency contraception today" in card and 'data-urgency="urgent"' in card
    banner = render_banner(explain(EC, knowledge), knowledge)
    assert "sp-banner--time_critical" in banner and ">!!<" not in banner
    # With a second, alarming reason the card keeps the urgent alarm and its own words.
    with_fever = render_care_card(explain({**EC, "fever": True}, knowledge), knowledge)
    assert "sp-care--urgent" in with_fever and ">!!<" in with_fever


@pytest.mark.parametrize("region", REGIONS, ids=lambda code: code or "no-region")
def test_uk_guidance_is_named_only_where_no_country_is(region: str | None) -> None:
    knowledge = load_knowledge(region=region)
    for case in CASES[:40]:
        page = render_results(explain(case["answers"], knowledge), knowledge)
        mentions = page.count("UK guidance")
        if region in (None, "other"):
            assert mentions == 1 and page.rstrip().endswith("</p>"), case.get("id")
            assert page.index("UK guidance") > page.index('data-section="sources"')  # in the footer
        else:
            assert mentions == 0, (region, case.get("id"))


HOW_SOON: dict[str, re.Pattern[str]] = {
    "emergency": re.compile(r"\bnow\b"),
    "urgent": re.compile(r"\btoday\b|\bnow\b"),
    "soon": re.compile(r"within (about )?2 weeks"),
    "routine": re.compile(r"in the next few weeks"),
    "self_care": re.compile(r"do not need an appointment now"),
}
"""The words that say how soon, by level: each card's text and heading must say it."""


@pytest.mark.parametrize("region", REGIONS, ids=lambda code: code or "no-region")
def test_every_card_says_how_soon_and_its_heading_agrees(region: str | None) -> None:
    knowledge = load_knowledge(region=region)
    for level in knowledge.levels.values():
        assert HOW_SOON[level.urgency.id].search(level.heading + " " + level.action), level
    for rule in knowledge.advice:
        pattern = HOW_SOON[rule.urgency.id]
        assert pattern.search(rule.message), (rule.id, rule.message)
        heading = rule.heading or knowledge.levels[rule.urgency].heading
        if rule.urgency.id != "self_care":
            assert pattern.search(heading), (rule.id, heading)
        if rule.urgency.id == "soon":  # "within 2 weeks" is not "book now"
            assert not re.search(r"\bnow\b", rule.message), (rule.id, rule.message)


def test_a_link_that_is_not_https_is_located(data_copy: Path) -> None:
    """Only https addresses can be links: check-data names the file, row and column otherwise."""
    from spotting.knowledge import check_data

    path = data_copy / "services.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("https://www.nhs.uk/sarcs", "javascript:alert(1)"), encoding="utf-8")
    row = next(n for n, line in enumerate(text.splitlines(), 1) if "https://www.nhs.uk/sarcs" in line)
    problems = check_data(data_copy)
    assert any(p.file == "services.csv" and p.row == row and p.column == "url" for p in problems), problems


def test_a_card_linking_to_an_unknown_service_is_located(data_copy: Path) -> None:
    from spotting.knowledge import check_data

    path = data_copy / "advice.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("find_pharmacy;", "find_chemist;"), encoding="utf-8")
    problems = check_data(data_copy)
    assert any(p.file == "advice.csv" and p.column == "find" and "find_chemist" in p.message for p in problems)
