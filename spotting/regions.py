"""Regions: the same advice, worded with the services of the place where the reader is.

Prose in data/ is written once, with placeholders such as ``{emergency_number}`` or ``{doctor}``;
``data/services.csv`` says what each placeholder reads as in each region (``999`` and ``GP`` in
GB, ``911`` and ``doctor`` in the US). A region changes words only: the clinical thresholds are
one conservative line for everyone (docs/clinical-policy.md), so ``explain`` gives the same
urgency, flags and causes in every region.

Placeholders are allowed only in the prose columns listed here, so a condition such as
``screening in {never}`` or a scenario's JSON answers can never be mistaken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import AnswerError, shown
from .model import UNSET_REGION, Records

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")

PROSE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "groups.csv": ("title",),
    "questions.csv": ("label", "help"),
    "choices.csv": ("label",),
    "terms.csv": ("meaning",),
    "urgency_levels.csv": ("heading", "hidden_text", "action"),
    "red_flags.csv": ("message",),
    "baseline.csv": ("message",),
    "advice.csv": ("text", "heading"),
    "safety_nets.csv": ("text",),
    "sites.csv": ("name", "where"),
    "causes.csv": ("name", "summary", "next_step", "figure"),
    "cause_rules.csv": ("note",),
    "myths.csv": ("claim", "fact"),
    "scenarios.csv": ("title", "story", "teaching_point"),
    "statistics.csv": ("label", "note"),
}
"""The columns a reader sees as sentences: the only places a placeholder is filled in."""

REQUIRED_SERVICES = ("emergency_number", "emergency_line")
"""Services the code itself shows (the care card's call link and emergency line), so every
region must have them even if no prose names them."""

LINKED_SERVICES = (
    "emergency_sms",
    "find_pharmacy",
    "find_sexual_health_clinic",
    "find_early_pregnancy_unit",
    "find_assault_service",
    "find_emergency_department",
    "sexual_violence_helpline",
)
"""Services a care card links to (advice.csv ``find``, and "text 999" on an emergency card), not
words in a sentence: a region may lack one, and the card then shows nothing for it."""

REGION_KEY = "region"
"""The optional key of the answers JSON that names the region (contract §1)."""


def placeholders(text: str) -> list[str]:
    """The service ids a piece of prose names, in order (``"Call {emergency_number}"`` →
    ``["emergency_number"]``)."""
    return PLACEHOLDER.findall(text)


def fill(text: str, services: Mapping[str, str]) -> str:
    """``text`` with every placeholder replaced by that service's words. An unknown id is left
    as written: the loader reports it as a problem, and refuses the knowledge base."""
    return PLACEHOLDER.sub(lambda match: services.get(match.group(1), match.group(0)), text)


def localise(tables: Mapping[str, Records], services: Mapping[str, str]) -> dict[str, Records]:
    """Every table with its prose columns filled in for one region; other columns untouched."""
    local = dict(tables)
    for name, columns in PROSE_COLUMNS.items():
        if name in local:
            local[name] = tuple(
                {key: fill(value, services) if key in columns else value for key, value in row.items()}
                for row in local[name]
            )
    return local


def service_words(services: Records) -> dict[str, dict[str, str]]:
    """For reviewers: each service's words in each region (by code), with its number and sources,
    as data/services.csv has them; the clinical policy document and the review notebook show it."""
    words: dict[str, dict[str, str]] = {}
    for row in services:
        said = row["text"] + (f" (tel {row['tel']})" if row["tel"] else "")
        said += (f" (text {row['sms']})" if row.get("sms") else "") + (f" <{row['url']}>" if row.get("url") else "")
        said += f" [{row['sources'].replace(';', ' ')}]"
        words.setdefault(row["service"], {})[row["region"]] = said
    return words


def region_code(value: object, codes: Iterable[str]) -> str:
    """A region as given by a person (``"gb"``, ``"GB"``, ``"other"``, or None for not chosen)
    → its code in data/regions.csv. Anything else is an ``AnswerError`` naming what is allowed."""
    allowed = [code for code in codes if code != UNSET_REGION]
    if value is None:
        return UNSET_REGION
    if isinstance(value, str):
        for code in allowed:
            if value.strip().casefold() == code.casefold():
                return code
    raise AnswerError(
        REGION_KEY,
        f"{REGION_KEY} must be one of {', '.join(allowed)} (upper or lower case), not {shown(value)}",
        allowed=", ".join(allowed),
    )


def split_region(answers: Any) -> tuple[Any, object]:
    """Answers JSON → (the answers without ``"region"``, the region as given or None).

    The region is not an answer about the person's body, so it never reaches the engine's
    validation or rules; anything that is not an object is passed on for the engine to reject.
    """
    if isinstance(answers, Mapping) and REGION_KEY in answers:
        rest = {key: value for key, value in answers.items() if key != REGION_KEY}
        return rest, answers[REGION_KEY]
    return answers, None


def choose_region(given: object, requested: object) -> object:
    """The region named in the answers JSON, or else the one asked for by the caller (a command
    line flag, a server default). Two different regions are an error rather than a guess."""
    if given is not None and requested is not None and str(given).casefold() != str(requested).casefold():
        raise AnswerError(REGION_KEY, f"two different regions were given: {shown(given)} and {shown(requested)}")
    return given if given is not None else requested
