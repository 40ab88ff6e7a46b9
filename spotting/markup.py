"""One markup vocabulary for every view: how urgency is named, how a source is cited, how a date
is written. The explorer, the teaching pages, the charts and the summary all use these, so
changing how urgency looks or reads is one function and one CSS block (NHS care cards: the words,
a symbol and a border width carry urgency, never colour alone).

Everything returned is escaped HTML; only http(s) addresses become links.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape
from pathlib import Path

from .localise import SOURCE_LANGUAGE, languages, read_catalog
from .model import N_, Knowledge, Level
from .urgency import Urgency

BORDER_PX: dict[Urgency, int] = {level: 2 + 2 * int(level) for level in Urgency}
"""The one border scale: thicker as urgency rises (2 px for self-care … 10 px for an emergency)."""

ASSETS = Path(__file__).resolve().parent / "assets"
"""The browser's files: each widget's JavaScript and CSS, and ``tokens.css``, the one palette."""


CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def asset_text(name: str) -> str:
    """A file of ``ASSETS`` as text (they ship inside the package, so a wheel reads them too).

    A stylesheet comes without its comments: they are notes for developers ("NHS identity
    colours"), and pages put this text inside a ``<style>`` a reader can save or print, where a
    UK service name must not appear outside the UK (tests/test_regions.py)."""
    text = (ASSETS / name).read_text(encoding="utf-8")
    return CSS_COMMENT.sub("", text) if name.endswith(".css") else text


TOKENS_CSS = asset_text("tokens.css")
"""The palette, borders and focus ring as CSS custom properties on ``:root``."""
BASE_CSS = TOKENS_CSS + asset_text("base.css")
"""The named colours, borders and focus ring (``tokens.css``) and the classes every view's urgency
label and citation rely on (``base.css``); each app's CSS starts with it, so every stylesheet on
the page, a widget's own included, can use the names."""


def urgency_words(level: Level) -> str:
    """The urgency as plain words, for print and text ("Urgent advice: Get medical help today")."""
    return f"{level.hidden_text} {level.heading}"


def urgency_label(level: Level, heading_html: str | None = None, icon: str | None = None) -> str:
    """How every view names an urgency: hidden words for screen readers, a symbol, the action.

    ``heading_html`` (already escaped, e.g. with its number made tappable) and ``icon`` replace the
    level's own, for a card whose advice row has its own heading or style."""
    heading = escape(level.heading) if heading_html is None else heading_html
    return (
        f'<span class="sp-visually-hidden">{escape(level.hidden_text)} </span>'
        f'<span class="sp-icon" aria-hidden="true">{escape(level.icon if icon is None else icon)}</span>{heading}'
    )


MONTHS = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip
"""Month names, interface phrases: a date reads in the page's language with no date library."""


def long_date(value: date, knowledge: Knowledge | None = None) -> str:
    """``21 November 2026``: unambiguous to readers in any country (no 11/21 vs 21/11); in the
    knowledge base's language when one is given (``21 de noviembre de 2026``)."""
    if knowledge is None or knowledge.language == "en":
        return f"{value.day} {value:%B %Y}"
    say = knowledge.phrase
    return say("{day} {month} {year}").format(day=value.day, month=say(MONTHS[value.month - 1]), year=value.year)


def citation(source_id: str, knowledge: Knowledge, *, new_tab: bool = False) -> str:
    """One source as a linked title with its publisher and year, escaped.

    Only http(s) addresses become links, so a bad URL in data/ can never run script. The
    explorer opens them in a new tab so a person's answers stay on screen.
    """
    source = knowledge.sources.get(source_id)
    if source is None:
        return escape(source_id)
    title = escape(source.title)
    if source.url.startswith(("https://", "http://")):
        target = ' target="_blank" rel="noopener noreferrer"' if new_tab else ""
        hint = '<span class="sp-visually-hidden"> (opens in a new tab)</span>' if new_tab else ""
        title = f'<a href="{escape(source.url, quote=True)}"{target}>{title}{hint}</a>'
    details = ", ".join(escape(str(part)) for part in (source.publisher, source.year) if part)
    return f"{title} ({details})" if details else title


UNREVIEWED = N_(
    "This translation has not yet been checked by a clinician who speaks {language}. "
    "The English version is the reference."
)
"""Shown at the top of a translated page, in its language and in English, until the catalog names a reviewer."""


LANGUAGE_LABEL = "Language · Idioma · Iaith · اللغة"
"""A language choice's label, in every offered language at once: whoever needs it can read it."""
READ_IN_ENGLISH = "Read in English"
"""The one tap back to the reference version, beside the unreviewed-translation line."""


def unreviewed_html(knowledge: Knowledge) -> str:
    """The unreviewed-translation line for a page in ``knowledge``'s language ("" in English, or
    once a clinician who speaks it is named in the catalog's ``reviewed-by``)."""
    code = knowledge.language
    catalog = read_catalog(code) if code != SOURCE_LANGUAGE else None
    if catalog is None or catalog.reviewed_by:
        return ""
    language = languages()[code]
    local = escape(knowledge.phrase(UNREVIEWED).format(language=language.name))
    english = escape(UNREVIEWED.format(language=language.english_name))
    return (
        f'<p class="sp-notice" role="note"><span lang="{escape(code, quote=True)}" dir="{language.direction}">'
        f'{local}</span> <span lang="en" dir="ltr">{english}</span></p>'
    )
