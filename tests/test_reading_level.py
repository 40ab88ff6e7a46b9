"""Reading level: every reader-facing sentence, in data/ and on the explorer's cards, is scored.

NHS content aims at a reading age of 9 to 11 (US school grade 4 to 6). The metric is the
Flesch-Kincaid grade (textstat), chosen because it is the one the project already reports
(tests/test_content.py) and it reads both things that make a sentence hard: its length and its
long words. It is unreliable on very short sentences, where one long word decides the score
("Get emergency contraception today" scores grade 15), so:

- each sentence of 6 words or more must score **grade 9 or below**. One sentence's score carries
  an error of several grades, so the limit per sentence sits above the target, at the level where
  a sentence is hard for most readers (reading age 14), and a failure always means "rewrite this";
- the **average** sentence must score **grade 5 or below** (reading age about 10): the target;
- sentences are split after the medical term in brackets is dropped ("bleeding after sex
  (postcoital bleeding)"): the style guide puts the plain words first and the term in brackets;
- the words in ``UNAVOIDABLE`` count as one short word each. Each is the plain name of the thing
  the advice is about, or what a person will hear or read on a box, and has a reason below.

Sentences come from every region's wording (the services' words are part of the sentence) and
from the rendered cards for every clinical case, so interface strings are scored too.
"""

from __future__ import annotations

import json
import re
import statistics
from html import unescape
from pathlib import Path

import pytest
import textstat

from spotting import explain, load_knowledge
from spotting.explorer.results import render_banner, render_results, render_start

MAX_GRADE = 9.0
"""Per sentence: Flesch-Kincaid grade 9 (reading age about 14) is the most any one sentence may score."""
MAX_AVERAGE_GRADE = 5.0
"""Across all sentences: grade 5, a reading age of about 10, inside the NHS target of 9 to 11."""
MIN_WORDS = 6
"""Shorter sentences are not scored: one long word decides their grade, whatever a reader finds."""

_TOPIC = "the subject of the advice itself; there is no plainer word a reader would recognise"
_SERVICE = "the name of a service or a person the reader will be told to contact"
_BOX = "what is written on the medicine or device, so a reader can match it"
UNAVOIDABLE: dict[str, str] = {
    **dict.fromkeys(("pregnancy", "pregnant", "pregnancies", "period", "periods", "menopause"), _TOPIC),
    **dict.fromkeys(("contraception", "contraceptive", "emergency", "sexual", "sexually", "cervical"), _TOPIC),
    **dict.fromkeys(("infection", "infections", "infected", "miscarriage", "placenta", "placental"), _TOPIC),
    **dict.fromkeys(("abortion", "ectopic", "ovary", "ovarian", "vagina", "vaginal", "cervix"), _TOPIC),
    **dict.fromkeys(("penetrative", "breastfeeding", "hysterectomy", "tightenings", "abruption"), _TOPIC),
    **dict.fromkeys(("immunity",), "the question asks about a weakened immune system; plainer words are longer"),
    **dict.fromkeys(("appointment", "maternity", "midwife", "hospital", "pharmacy", "referral"), _SERVICE),
    **dict.fromkeys(("medical", "gynaecologist", "out-of-hours", "anticoagulant"), _SERVICE),
    **dict.fromkeys(("temperature",), "NHS wording for a fever: 'a high temperature'"),
    **dict.fromkeys(("hormonal", "hormone", "hormones", "oestrogen", "testosterone", "tamoxifen"), _BOX),
    **dict.fromkeys(("progestogen-only", "lubricant", "lubricants", "antibiotics"), _BOX),
    **dict.fromkeys(("warfarin", "apixaban", "rivaroxaban", "willebrand"), _BOX),
    **dict.fromkeys(("gender-affirming",), "the respectful term trans and non-binary people use for their treatment"),
}
"""Terms that count as one short word, each with why it cannot be avoided."""

PERSON_FACING: dict[str, tuple[str, ...]] = {
    "causes": ("name", "summary", "next_step"),
    "red_flags": ("message",),
    "baseline": ("message",),
    "advice": ("text", "heading"),
    "safety_nets": ("text",),
    "questions": ("label", "help"),
    "choices": ("label",),
    "groups": ("title",),
    "sites": ("name", "where"),
    "urgency_levels": ("heading", "action"),
    "myths": ("claim", "fact"),
    "scenarios": ("story", "teaching_point"),
}
"""The data columns a reader sees (services are read inside these sentences, and on the cards)."""

CASES = json.loads((Path(__file__).parent / "clinical_cases.json").read_text(encoding="utf-8"))
REGIONS: list[str | None] = [None, *load_knowledge().regions]


def sentences(text: str) -> list[str]:
    """Sentences without the medical terms in brackets, split at . ! ? ; and :."""
    text = re.sub(r"\s*\([^)]*\)", "", text)
    return [part.strip() for part in re.split(r"(?<=[.!?;:])\s+", text) if part.strip()]


def scored(sentence: str) -> str:
    """The sentence as scored: each unavoidable term reads as one short word."""
    return re.sub(
        r"[A-Za-z][A-Za-z'-]*", lambda m: "word" if m.group(0).casefold() in UNAVOIDABLE else m.group(0), sentence
    )


def grade(sentence: str) -> float:
    return float(textstat.flesch_kincaid_grade(scored(sentence)))


def rendered_text(html: str) -> list[str]:
    """What a reader reads on the cards: paragraphs, list items and headings, without the
    sources (titles of other people's pages) and without the tags."""
    html = re.sub(r'<section[^>]*data-section="sources".*?</section>', "", html, flags=re.S)
    blocks = re.findall(r"<(p|li|h2|h3|summary)\b[^>]*>(.*?)</\1>", html, flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", " ", body)) for _, body in blocks]


def corpus(region: str | None) -> dict[str, str]:
    """Every scored sentence for a region, with where it comes from."""
    knowledge = load_knowledge(region=region)
    found: dict[str, str] = {}
    for table, columns in PERSON_FACING.items():
        for row in knowledge.tables.get(table, ()):
            for column in columns:
                for sentence in sentences(row.get(column, "")):
                    found.setdefault(sentence, f"{table}.{column} {row.get('id') or row.get('field', '')}")
    for service in knowledge.services.values():
        for sentence in sentences(service.text):
            found.setdefault(sentence, f"services.text {service.id}")
    pages = [render_start(explain({}, knowledge), knowledge)]
    for case in CASES:
        explanation = explain(case["answers"], knowledge)
        pages += [render_results(explanation, knowledge), render_banner(explanation, knowledge)]
    for page in pages:
        for block in rendered_text(page):
            for sentence in sentences(block):
                found.setdefault(sentence, "rendered card")
    return {sentence: where for sentence, where in found.items() if len(scored(sentence).split()) >= MIN_WORDS}


@pytest.mark.parametrize("region", REGIONS, ids=lambda code: code or "no-region")
def test_every_sentence_is_at_most_grade_9(region: str | None) -> None:
    hard = sorted(
        ((round(grade(s), 1), where, s) for s, where in corpus(region).items() if grade(s) > MAX_GRADE), reverse=True
    )
    assert not hard, "rewrite in shorter sentences and plainer words:\n" + "\n".join(map(str, hard))


@pytest.mark.parametrize("region", REGIONS, ids=lambda code: code or "no-region")
def test_the_average_sentence_is_reading_age_10(region: str | None) -> None:
    average = statistics.mean(grade(s) for s in corpus(region))
    assert average <= MAX_AVERAGE_GRADE, f"average Flesch-Kincaid grade {average:.1f}"


def test_the_gate_catches_a_hard_sentence() -> None:
    hard = (
        "Postcoital haemorrhage necessitates comprehensive gynaecological evaluation notwithstanding negative cytology."
    )
    easy = "Bleeding after sex needs a check, even if your last smear test was normal."
    assert grade(hard) > MAX_GRADE >= grade(easy)


def test_every_unavoidable_term_says_why() -> None:
    assert all(reason.strip() for reason in UNAVOIDABLE.values())
    assert all(term == term.casefold() for term in UNAVOIDABLE)


@pytest.mark.parametrize("region", REGIONS, ids=lambda code: code or "no-region")
def test_safety_nets_and_service_words_keep_to_20_words_a_sentence(region: str | None) -> None:
    """The style guide's other half for the two tables tests/test_content.py does not read. A
    phone number is not a word to read, so a list of numbers by country counts its countries."""
    knowledge = load_knowledge(region=region)
    texts = [item.text for item in knowledge.safety_nets] + [service.text for service in knowledge.services.values()]
    long = [s for text in texts for s in sentences(text) if len(re.findall(r"[A-Za-z][\w'-]*", s)) > 20]
    assert not long, long
