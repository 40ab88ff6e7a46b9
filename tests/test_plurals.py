"""Counted phrases: "3 votes" in the grammar of each language.

English has one form for 1 and one for the rest; Welsh has five in its catalog (other, one, two,
three, six: a feminine noun softens after 1 and 2 and takes the aspirate after 6) and Arabic six
(zero, one, two, 3 to 10, 100 to 102, 11 to 99). A counted phrase is a gettext plural in ui.po
(``msgid_plural``, ``msgstr[0]``...) and its catalog's ``Plural-Forms`` rule picks the form.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from spotting import load_knowledge
from spotting.catalogs import _render, read_tables
from spotting.knowledge import DEFAULT_DATA_DIR
from spotting.localise import (
    LOCALE_DIR,
    UI_DOMAIN,
    catalog_path,
    catalog_problems,
    plural_rule,
    plurals,
    ui_entries,
)
from spotting.model import Plurals
from spotting.teaching.room import votes

COUNTS = (0, 1, 2, 3, 6, 11, 100)

VOTES = {
    "en": ("0 votes", "1 vote", "2 votes", "3 votes", "6 votes", "11 votes", "100 votes"),
    "es": ("0 votos", "1 voto", "2 votos", "3 votos", "6 votos", "11 votos", "100 votos"),
    "cy": ("0 pleidlais", "1 bleidlais", "2 bleidlais", "3 pleidlais", "6 phleidlais", "11 pleidlais", "100 pleidlais"),
    "ar": ("لا أصوات", "صوت واحد", "صوتان", "3 أصوات", "6 أصوات", "11 صوتًا", "100 صوت"),
}
"""How each language says 0, 1, 2, 3, 6, 11 and 100 votes (the numbers where Welsh or Arabic
change form): Welsh counts with the singular noun, mutated after 1, 2 and 6; Arabic says one and
two in words, a plural for 3 to 10, an accusative singular for 11 to 99, and a singular for 100."""

FORM_INDEX = {
    "es": (1, 0, 1, 1, 1, 1, 1),
    "cy": (0, 1, 2, 3, 4, 0, 0),
    "ar": (0, 1, 2, 3, 3, 5, 4),
}
"""Which msgstr[i] the catalog's Plural-Forms picks for each of COUNTS (Babel's order of forms)."""

COUNTED = (
    ("{count} vote", "{count} votes"),
    ("{count} possible cause", "{count} possible causes"),
    ("{count} more possible explanation", "{count} more possible explanations"),
    ("the handout (HTML, {count} scenario)", "the handout (HTML, {count} scenarios)"),
)



@pytest.mark.parametrize("language", list(VOTES))
def test_votes_are_counted_in_each_languages_grammar(language: str) -> None:
    knowledge = load_knowledge(lang=None if language == "en" else language)
    assert tuple(votes(count, knowledge.nphrase) for count in COUNTS) == VOTES[language]


@pytest.mark.parametrize("language", list(FORM_INDEX))
def test_the_catalogs_plural_rule_picks_the_form_for_each_number(language: str) -> None:
    found = plural_rule(language)
    assert found is not None
    count, rule = found
    assert count == {"es": 2, "cy": 5, "ar": 6}[language]
    assert tuple(rule(n) for n in COUNTS) == FORM_INDEX[language]


@pytest.mark.parametrize("language", ["es", "cy", "ar"])
def test_every_counted_phrase_is_translated_in_every_form(language: str) -> None:
    """Each counted phrase of ui.pot is whole in the language, and each number gets the form its
    rule says, with the number in it wherever that form writes it."""
    with (LOCALE_DIR / "ui.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if isinstance(m.id, tuple)}
    assert template == set(COUNTED)
    local = plurals(language)
    _, rule = plural_rule(language) or (0, None)
    assert rule is not None
    for pair in COUNTED:
        forms = local.forms[pair]
        for count in COUNTS:
            said = local.pick(*pair, count)
            assert said == forms[rule(count)]
            if "{count}" in said:
                assert str(count) in said.format(count=count)
            assert said.format(count=count) != pair[count != 1].format(count=count)  # not the English


def test_an_untranslated_counted_phrase_is_english_in_english_grammar() -> None:
    english = Plurals()
    assert [english.pick("{count} vote", "{count} votes", n) for n in (0, 1, 2)] == [
        "{count} votes",
        "{count} vote",
        "{count} votes",
    ]
    welsh = load_knowledge(lang="cy")
    assert welsh.nphrase("{count} apple", "{count} apples", 6) == "{count} apples"


def test_the_pages_count_with_the_right_form() -> None:
    """The explorer's folded causes and the diagram's labels use the counted phrase too."""
    from spotting.diagram import _count

    arabic = load_knowledge(lang="ar")
    assert _count(1, arabic) == "سبب ممكن واحد" and _count(2, arabic) == "سببان ممكنان"
    assert _count(5, arabic) == "5 أسباب ممكنة" and _count(12, arabic) == "12 سببًا ممكنًا"
    welsh = load_knowledge(lang="cy")
    assert _count(2, welsh) == "2 achos posibl"
    assert _count(1, load_knowledge()) == "1 possible cause" and _count(4, load_knowledge()) == "4 possible causes"


def _edit_counted(locale: Path, code: str, change: object) -> None:
    path = catalog_path(code, UI_DOMAIN, locale)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    message = next(m for m in catalog if m.id == COUNTED[0])
    message.string = change(list(message.string))  # type: ignore[operator]
    path.write_bytes(_render(catalog))
    ui_entries.cache_clear()


def _problems(locale: Path) -> list[str]:
    return [f"{p.file}:{p.row} {p.message}" for p in catalog_problems(read_tables(DEFAULT_DATA_DIR), locale)]


def test_check_data_passes_the_shipped_counted_phrases(locale_copy: Path) -> None:
    assert not [p for p in _problems(locale_copy) if "counted" in p or "Plural-Forms" in p or "msgstr[" in p]


def test_check_data_refuses_a_counted_phrase_with_an_empty_form(locale_copy: Path) -> None:
    _edit_counted(locale_copy, "ar", lambda forms: [*forms[:5], ""])
    found = _problems(locale_copy)
    assert any("ar/LC_MESSAGES/ui.po" in p and "empty forms msgstr[5]" in p for p in found), found
    assert plurals("ar", locale_copy).pick(*COUNTED[0], 11) == "{count} votes"  # shown in English, not blank


def test_check_data_refuses_a_misspelt_placeholder_in_a_form(locale_copy: Path) -> None:
    _edit_counted(locale_copy, "cy", lambda forms: [forms[0].replace("{count}", "{cont}"), *forms[1:]])
    found = _problems(locale_copy)
    assert any("cy/LC_MESSAGES/ui.po" in p and "msgstr[0]" in p and "cont" in p for p in found), found


def test_check_data_refuses_a_broken_plural_rule(locale_copy: Path) -> None:
    path = catalog_path("cy", UI_DOMAIN, locale_copy)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("n==6 ? 4 : 0", "n==6 ? 4 : __import__('os')"), encoding="utf-8")
    ui_entries.cache_clear()
    assert plural_rule("cy", locale_copy) is None
    assert any("Plural-Forms" in p for p in _problems(locale_copy))
    assert plurals("cy", locale_copy).pick(*COUNTED[0], 2) == "{count} votes"  # English, never a wrong form
