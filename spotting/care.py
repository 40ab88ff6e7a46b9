"""What a care card says around its advice sentence: its heading and style, the services it links
to, and which numbers in its words can be tapped.

Decided here, once, so the dashboard card, the banner and any other view agree (the renderers only
draw). Three things the UX review asked for (issue 19, items 5 and 6):

- **Tap to call, tap to find.** Every phone number a region's services write ("999", "1800 77 88
  88", "1-800-656-4673") is found in the words, so a renderer can make it a ``tel:`` link; the
  advice row names the "find one near you" pages and helplines to show (``advice.csv`` ``find``).
  Links come from data/services.csv only: nothing about the person is ever added to them.
- **Heading and text agree.** An advice row may carry its own heading ("See a GP within 2 weeks").
- **Time-critical is not an alarm.** Emergency contraception is urgent but not a red alarm: its
  row has ``style=time_critical``. That style and its heading are used only when the row's own
  reason is the only reason for the level (every red flag at that level has the row's condition,
  and no cause card raised it); otherwise the card keeps the level's own words and style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .explain import Explanation
from .model import Knowledge, Service

PHONE = re.compile(r"(?<![\w,.+-])(?:1-)?\d{2,5}(?:[ -]\d{2,4}){0,3}(?![\w-])")
"""A phone number as services write it: "999", "0800 1111", "1800 66 66 66", "1-800-656-4673".
Only candidates: a match counts when its digits are a number of the region's services."""


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@lru_cache(maxsize=32)
def dial_numbers(knowledge: Knowledge) -> frozenset[str]:
    """Every number the region's services give, as digits to dial: their ``tel`` and ``sms``
    columns, and every number of three or more digits written in their words (with no region
    chosen, the emergency line lists 999, 911, 112, 000 and 111).

    Cached by knowledge base (hashed by identity): a page redraw asks about 25 times, and the
    services never change once loaded."""
    found: set[str] = set()
    for service in knowledge.services.values():
        found.update(number for number in (service.tel, service.sms) if number)
        found.update(d for match in PHONE.finditer(service.text) if len(d := digits(match.group(0))) >= 3)
    return frozenset(found)


@dataclass(frozen=True)
class Piece:
    """A run of plain words, or a phone number: ``number`` holds its digits and ``scheme`` says
    whether to call it (``tel``) or, after the word "text", to text it (``sms``)."""

    text: str
    number: str = ""
    scheme: str = "tel"


def phone_pieces(text: str, knowledge: Knowledge) -> Iterator[Piece]:
    """``text`` split into words and the region's phone numbers, in order, so any renderer can
    make each number tappable (``tel:``, or ``sms:`` after "text") without guessing at ages or weeks."""
    numbers = dial_numbers(knowledge)
    start = 0
    for match in PHONE.finditer(text):
        number = digits(match.group(0))
        if number not in numbers:
            continue
        if match.start() > start:
            yield Piece(text[start : match.start()])
        texted = text[: match.start()].rstrip().casefold().endswith("text")
        yield Piece(match.group(0), number, "sms" if texted else "tel")
        start = match.end()
    if start < len(text):
        yield Piece(text[start:])


def own_card_applies(explanation: Explanation) -> bool:
    """True when the advice row's own reason is the only reason for the level, so its own heading
    and style may be used: no other red flag at that level, no cause card raising it."""
    advice = explanation.advice
    if explanation.raised_by:
        return False
    at_level = [flag for flag in explanation.red_flags if flag.rule.urgency >= explanation.urgency]
    return all(_implies(flag.rule.condition_text, advice.condition_text) for flag in at_level)


def _implies(flag: str, advice: str) -> bool:
    """A flag speaks for the advice row when its condition is the row's, or the row's and more
    (``@emergency_contraception_window & time_since_sex=under_3_days``): it cannot hold without it."""
    return flag == advice or flag.startswith(f"{advice} & ")


def card_style(explanation: Explanation) -> str:
    """The card's style: the advice row's own (``time_critical``) where it applies, else the level id."""
    if explanation.advice.style and own_card_applies(explanation):
        return explanation.advice.style
    return explanation.urgency.id


def card_heading(explanation: Explanation, knowledge: Knowledge) -> str:
    """The card's heading: the advice row's own (it names the same timeframe as the text), else
    the level's. A row with its own style keeps its heading only where the style applies."""
    advice = explanation.advice
    if advice.heading and (not advice.style or own_card_applies(explanation)):
        return advice.heading
    return knowledge.levels[explanation.urgency].heading


def contacts(explanation: Explanation, knowledge: Knowledge, *, skip_tel: str = "") -> tuple[Service, ...]:
    """The services the card links to (``advice.csv`` ``find``), in order, that exist in this
    region and have a page or a number; one whose number is already the card's call button
    (``skip_tel``) is left out, so the same line is never offered twice."""
    shown = []
    for service_id in explanation.advice.find:
        service = knowledge.services.get(service_id)
        if service is None or not (service.url or service.tel or service.sms):
            continue
        if skip_tel and service.tel == skip_tel:
            continue
        shown.append(service)
    return tuple(shown)
