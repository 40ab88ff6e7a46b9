"""Content style (CONTRIBUTING.md, "Writing for people"): plain words, short sentences, no "should", no blame.

Reading level is measured with textstat's Flesch-Kincaid grade: grade 6-7 is roughly a
reading age of 11-12.
"""

from __future__ import annotations

import re

import pytest
import textstat

from spotting import Knowledge, load_knowledge


@pytest.fixture(params=[None, *load_knowledge().regions], ids=lambda code: code or "no-region")
def knowledge(request: pytest.FixtureRequest) -> Knowledge:
    """Every rule here holds for the words of every region, not only the UK's."""
    return load_knowledge(region=request.param)


PERSON_FACING = {
    "causes": ("name", "summary", "next_step"),
    "red_flags": ("message",),
    "baseline": ("message",),
    "advice": ("text",),
    "questions": ("label", "help"),
    "choices": ("label",),
    "urgency_levels": ("heading", "action"),
    "myths": ("fact",),
    "scenarios": ("story", "teaching_point"),
}


def texts(knowledge: Knowledge) -> list[tuple[str, str]]:
    found = []
    for table, columns in PERSON_FACING.items():
        frame = knowledge.table(table)
        for column in columns:
            found += [(f"{table}.{column}", text) for text in frame[column] if text]
    return found


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?;:])\s+", text) if part]


def test_sentences_are_20_words_or_fewer(knowledge: Knowledge) -> None:
    long = [(where, s) for where, text in texts(knowledge) for s in sentences(text) if len(s.split()) > 20]
    assert not long, long


@pytest.mark.parametrize("word", ["should", "must", "fault of", "careless", "promiscuous"])
def test_no_should_and_no_blame(knowledge: Knowledge, word: str) -> None:
    offenders = [(where, text) for where, text in texts(knowledge) if re.search(rf"\b{word}\b", text, re.IGNORECASE)]
    assert not offenders, offenders


def test_reading_level_is_about_age_11(knowledge: Knowledge) -> None:
    corpus = " ".join(text for _, text in texts(knowledge))
    grade = textstat.flesch_kincaid_grade(corpus)
    assert grade <= 7.5, f"Flesch-Kincaid grade {grade}: simplify the longest texts"


def test_no_green_you_are_fine_verdict(knowledge: Knowledge) -> None:
    # Self-care advice always says when to get checked (safety-netting).
    for rule in knowledge.advice:
        if rule.urgency.id == "self_care":
            assert "checked" in rule.message or "check" in rule.message
