"""Welsh: no service placeholder where the word before it would mutate the service's name.

Welsh changes the first consonant of a word after certain words ("i" + "meddyg" is "i feddyg",
"neu" + "llinell" is "neu linell"). The catalogs put a region's service words into a sentence
through a placeholder (``{doctor}``, ``{child_helpline}``...), and a placeholder cannot mutate:
"i {doctor}" becomes the wrong "i meddyg teulu". So a Welsh sentence must not put a placeholder
straight after a word that mutates it, whenever any region's Welsh words for that service begin
with a consonant that would change. The translations are worded around it instead (after
"eich", after a colon, or with the service as the subject of the sentence).

The trigger words and the letters each mutation changes, as read (through the project's search
tool, excerpts; December 2026) in:

- grahamhall.org/welsh, session 24, and writing-welsh.org, session 5 (two Welsh writing courses
  with the same layout): soft mutation after the
  prepositions am, ar, at, dan, dros, trwy, wrth, o, i, heb, tan, gan, hyd; after "dy" and "ei"
  (his); nouns and adjectives after predicative "yn".
- "Treiglad Feddal" and "Treiglad Llaes" cards (gizmo.ai community decks 4127453 and 4127491):
  the same prepositions with drwy, and soft mutation after the conjunction "neu"; aspirate after
  "a" (and), "na", "tri", "chwe", "ei" (her) and the preposition "â".
- FamilySearch wiki, "Wales Languages": nasal mutation after "fy" and "yn" (in); aspirate after
  "a" and "â"; soft after "dau", "dwy", "un" (feminine), "saith", "wyth".
- Parallel.cymru, "Ask Dr Gramadeg: introducing mutations": the soft mutation of feminine singular
  nouns after the article (y, yr, 'r), of predicative "yn" (not ll, rh), and (where the excerpt
  is cut off) of objects; Skolober, "Mutations" (gallois): the direct object of a short-form
  (inflected) verb is soft-mutated, so "ffoniwch" + "llinell" is "ffoniwch linell".
- Wiktionary, "Appendix:Welsh mutations" (through a mirror): which letters each mutation changes
  (soft: p t c b d g m ll rh; nasal: p t c b d g; aspirate: p t c); ch, dd, ff, ng, ph, th are
  letters of their own and never mutate; personal names are generally not mutated.
- r/learnwelsh, "Welsh Grammar: What are the different meanings of the word 'a' in Welsh?"
  (WelshPlusWithUs): "a" (and) is "ac" before a vowel. The same choice of form ("â" or "ag",
  "y" or "yr") cannot be made before a placeholder either, so a vowel after "a", "â" or "y"
  counts too ("â" becoming "ag" before a vowel was not found in a page read: a reviewer's check).

Not counted: "gyda" (Settemilalingue, "Simple Prepositions in Welsh": no mutation; every doctor
word begins with m, which an aspirate would not change anyway), "tua" (not found in a page read),
and a subject after its verb ("dylai {doctor}", "mae {doctor}"), which does not mutate. "eich"
('ch) mutates nothing, so "â'ch {doctor}" and "i'ch {maternity_service}" are the safe patterns.

Which placeholders have known words: every service of data/services.csv, in each region's Welsh
(``Knowledge.services``, the words a reader sees, English where a line is not translated), and
in ui.po the few phrases the code fills with a service (``{number}`` is the emergency number,
``{helpline}`` the children's helpline, ``{assault_service}``, ``{where}`` the region's "in ...").
Other interface placeholders (a cause's name, a count, a date) are not checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

import pytest
from babel.messages.pofile import read_po

from spotting import load_knowledge
from spotting.localise import DATA_DOMAIN, UI_DOMAIN, catalog_path
from spotting.regions import PLACEHOLDER

LANGUAGE = "cy"

DIGRAPHS = ("ch", "dd", "ff", "ng", "ll", "ph", "rh", "th")
"""Welsh letters of two characters: "ch" is not a "c", so "Childline" cannot mutate."""

SOFT = frozenset({"p", "t", "c", "b", "d", "g", "m", "ll", "rh"})
LIMITED_SOFT = SOFT - {"ll", "rh"}
"""After the article, "un" and predicative "yn", ll and rh keep their letter."""
NASAL = frozenset({"p", "t", "c", "b", "d", "g"})
ASPIRATE = frozenset({"p", "t", "c"})
VOWELS = frozenset("aeiouwyâêîôûŵŷáéíóúàèìòù")

PREPOSITIONS = ("am", "ar", "at", "dan", "dros", "tros", "drwy", "trwy", "wrth", "o", "i", "heb", "tan", "gan", "hyd")

TRIGGERS: Mapping[str, frozenset[str]] = {
    **{word: SOFT for word in PREPOSITIONS},
    **{word: SOFT for word in ("neu", "dy", "dau", "dwy", "saith", "wyth")},
    **{word: LIMITED_SOFT for word in ("un", "yn", "'n", "y", "yr", "'r")},
    "fy": NASAL,
    **{word: ASPIRATE for word in ("tri", "chwe", "na")},
    "ei": SOFT,  # his: soft; her: aspirate (a subset)
    "'i": SOFT,  # i'w, o'i...: "ei" contracted
    "a": ASPIRATE,
    "â": ASPIRATE,
}
"""Word before a placeholder → the initial letters it would change. "yn" is nasal (in) or
predicative (soft, not ll and rh): the letters of both are counted; "'n" (mae'n, sy'n) is the
predicative "yn". The article softens only a feminine singular noun, but a placeholder's gender
is unknown, so it counts always."""

VOWEL_FORMS: Mapping[str, str] = {"a": "ac", "â": "ag", "y": "yr"}
"""A word whose form depends on whether the next word begins with a vowel."""

CONSONANT_FORMS: Mapping[str, str] = {"yr": "y", "ac": "a", "ag": "â"}
"""The vowel forms, wrong before a consonant."""

IMPERATIVE = re.compile(r"\w+wch$")
"""A second person plural command (ffoniwch, defnyddiwch): its direct object takes the soft
mutation. "ewch" (go) takes no object, and "cysylltwch" is followed by "â", checked as such."""

INTRANSITIVE = frozenset({"ewch", "dewch", "cysylltwch", "peidiwch", "arhoswch", "siaradwch"})

UI_SERVICES: Mapping[str, str] = {
    "number": "emergency_number",
    "helpline": "child_helpline",
    "assault_service": "assault_service",
}
"""ui.po placeholders the code fills with a service's words (explorer/results.py, render_text.py,
explorer/form.py, teaching/pages.py). ``{number}`` is also a myth's or scenario's number, which
is a numeral and cannot mutate."""


def initial(text: str) -> str:
    """The first Welsh letter of the text, lower case ("ll" of "llinell", "ch" of "Childline")."""
    word = text.strip().lower()
    for pair in DIGRAPHS:
        if word.startswith(pair):
            return pair
    return word[:1]


@cache
def placeholder_values() -> dict[str, frozenset[str]]:
    """Every placeholder's possible words for a Welsh reader, in every region of data/regions.csv
    (so a new region is checked too) and with none chosen."""
    values: dict[str, set[str]] = {}
    for region in (None, *load_knowledge().regions):
        knowledge = load_knowledge(region=region, lang=LANGUAGE)
        for service_id, service in knowledge.services.items():
            values.setdefault(service_id, set()).add(service.text)
        values.setdefault("where", set()).add(knowledge.region.where)
    for name, service_id in UI_SERVICES.items():
        values.setdefault(name, set()).update(values.get(service_id, ()))
    return {name: frozenset(words) for name, words in values.items()}


@dataclass(frozen=True)
class Clash:
    where: str
    word: str
    placeholder: str
    words: tuple[str, ...]
    why: str

    def __str__(self) -> str:
        return f"{self.where}: '{self.word} {{{self.placeholder}}}' {self.why}: {' | '.join(self.words)}"


def word_before(text: str, start: int) -> str | None:
    """The word straight before a placeholder (lower case), or None after punctuation or markup."""
    found = re.search(r"([\w'\u2019]+)\s+$", text[:start])
    return found.group(1).lower().replace("\u2019", "'") if found else None


def clashes(text: str, values: Mapping[str, frozenset[str]], where: str = "") -> Iterator[Clash]:
    """Each placeholder in ``text`` after a word that would change (or choose the form of) the
    first letter of one of its possible words."""
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        word = word_before(text, match.start())
        if word is None or name not in values:
            continue
        key = next((suffix for suffix in ("'n", "'r", "'i") if word.endswith(suffix) and word != suffix), word)
        changed = TRIGGERS.get(key, frozenset())
        why = f"mutates {'/'.join(sorted(changed))}"
        if not changed and IMPERATIVE.match(word) and word not in INTRANSITIVE:
            changed, why = SOFT, "object of a command, soft-mutates"
        hit = tuple(sorted(w for w in values[name] if initial(w) in changed))
        if hit:
            yield Clash(where, word, name, hit, why)
        if key in VOWEL_FORMS:
            hit = tuple(sorted(w for w in values[name] if initial(w) in VOWELS))
            if hit:
                yield Clash(where, word, name, hit, f"must be '{VOWEL_FORMS[key]}' before a vowel")
        if key in CONSONANT_FORMS:
            hit = tuple(sorted(w for w in values[name] if initial(w) not in VOWELS | {"h"}))
            if hit:
                yield Clash(where, word, name, hit, f"must be '{CONSONANT_FORMS[key]}' before a consonant")


def shown_strings(domain: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every translation a reader can see: not empty, not fuzzy."""
    path = catalog_path(LANGUAGE, domain)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        english = message.id if isinstance(message.id, str) else message.id[0]
        label = message.context or english[:50]
        for form in forms:
            if form:
                yield f"{LANGUAGE}/{domain}.po {label}", form


def catalog_clashes() -> list[Clash]:
    values = placeholder_values()
    return [
        clash
        for domain in (DATA_DOMAIN, UI_DOMAIN)
        for where, text in shown_strings(domain)
        for clash in clashes(text, values, where)
    ]


def test_no_placeholder_where_welsh_would_mutate_it() -> None:
    found = catalog_clashes()
    assert not found, f"{len(found)} placeholder(s) after a mutating word:\n" + "\n".join(map(str, found))


def test_every_placeholder_in_the_welsh_data_catalog_has_known_words() -> None:
    """The check above is only as good as its table of words: every service placeholder of the
    data catalog must have Welsh words, and the ones that do mutate must be seen as such."""
    values = placeholder_values()
    named = {match.group(1) for _, text in shown_strings(DATA_DOMAIN) for match in PLACEHOLDER.finditer(text)}
    assert named, "no placeholder found in the Welsh data catalog"
    assert named <= values.keys(), f"placeholders with no known words: {sorted(named - values.keys())}"
    assert {initial(word) for word in values["doctor"]} == {"m"}, values["doctor"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Ewch i {doctor}.", True),  # i + meddyg → i feddyg
        ("Siaradwch â'ch {doctor}.", False),  # eich mutates nothing
        ("Ffoniwch {child_helpline}.", True),  # llinell gymorth → ffoniwch linell
        ("Ffoniwch {emergency_number}.", False),  # 999, eich rhif argyfwng
        ("Gall {doctor} helpu.", False),  # a subject does not mutate
        ("Cysylltwch â {assault_service}.", True),  # "adran": â → ag before a vowel
        ("Ewch i {emergency_department}.", False),  # adran, A&E, ystafell: vowels
        ("Help: {doctor}.", False),  # after a colon
        ("Siaradwch â meddyg neu {doctor}.", True),  # neu + meddyg → neu feddyg
        ("mae'n {doctor}", True),  # predicative yn
        ("Ewch i'r {maternity_service}.", False),  # uned, a vowel: no letter to change
    ],
)
def test_the_check_sees_a_mutation(text: str, flagged: bool) -> None:
    assert bool(list(clashes(text, placeholder_values()))) is flagged


def test_initial_reads_welsh_letters() -> None:
    assert [initial(w) for w in ("llinell", "Childline", "rhif", "ffoniwch", "meddyg", "A&E")] == [
        "ll", "ch", "rh", "ff", "m", "a",
    ]  # fmt: skip
