"""The care card's "Call 999 if:" and "Get help today if:" lists (spotting.safety_nets).

UX review 3, problem 4: the lists copied question labels ("Your age: 12" for a 24-year-old),
and offered pregnancy and placenta items to people whose answers ruled them out. These tests read
the rendered card, as a person would, over random answers.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from strategies import answers, regions

from spotting import explain, load_knowledge
from spotting.errors import DataError
from spotting.explorer.results import render_care_card, render_start
from spotting.knowledge import check_data

LIST = re.compile(r'<ul data-safety-net="(\w+)">(.*?)</ul>', re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)
TAG = re.compile(r"<[^>]+>")
COLON_LABEL = re.compile(r"\w:\s")

PREGNANCY_WORDS = re.compile(r"pregnan|contracepti|placenta|baby|waters", re.I)


def shown(html: str) -> dict[str, list[str]]:
    """Each safety-net list on a card, by level, as the plain text a person reads."""
    return {level: [unescape(TAG.sub("", item)) for item in ITEM.findall(body)] for level, body in LIST.findall(html)}


def cannot_become_pregnant(given: dict[str, Any]) -> bool:
    """The answers say this person cannot become pregnant, so needs no pregnancy or emergency
    contraception line: after the menopause, 55 or over, or the womb removed, and not saying
    themselves that they are or might be pregnant (their own "not sure" always wins)."""
    says_maybe = given.get("pregnant") in ("yes", "unsure") or given.get("pregnancy_test") == "positive"
    return not says_maybe and (
        given.get("menopause") == "postmenopause"
        or given.get("age", 0) >= 55
        or given.get("hysterectomy") in ("total", "subtotal")
    )


def negative_test_not_pregnant(given: dict[str, Any]) -> bool:
    """Not pregnant, with a negative test since the last period. Emergency contraception can still
    matter (a test cannot know about sex in the last few days: policy C3), pregnancy cannot."""
    return given.get("pregnant") == "no" and given.get("pregnancy_test") == "negative"


@settings(max_examples=150, deadline=None)
@given(raw=answers(), region=regions())
def test_no_safety_net_line_presupposes_what_the_answers_exclude(raw: dict[str, Any], region: str | None) -> None:
    knowledge = load_knowledge(region=region)
    explanation = explain(raw, knowledge)
    given_ = dict(explanation.answers)
    lists = shown(render_care_card(explanation, knowledge))
    for level, lines in lists.items():
        assert len(lines) <= 6, (level, lines)
        for line in lines:
            assert not COLON_LABEL.search(line), line  # never "Your age: 12"
            assert not re.search(r"\bage\b", line, re.I), line  # an age range is never read back
            if cannot_become_pregnant(given_):
                assert not PREGNANCY_WORDS.search(line), (line, given_)
            if negative_test_not_pregnant(given_) or given_.get("pregnant") == "yes":
                assert "could be pregnant" not in line and "find out you are pregnant" not in line, line
            if given_.get("pregnant") == "yes":
                assert "contraception" not in line, line
            if given_.get("hysterectomy") in ("total", "subtotal") or given_.get("menopause") == "postmenopause":
                assert not re.search(r"\bperiod|womb", line, re.I), line
            if given_.get("not_consensual") is False:
                assert "not wanted" not in line and "did not want" not in line, line
            if given_.get("blood_thinners_or_bleeding_disorder") is not True:
                assert "blood thinners" not in line, line
    if explanation.urgency.id == "emergency":
        assert not lists  # "Call 999 if" under "Call 999 now" says nothing new


@pytest.mark.parametrize(
    ("who", "raw", "absent"),
    [
        ("Maya, 24", {"age": 24, "amount": "spotting", "pregnant": "no", "pregnancy_test": "not_done"}, "age"),
        ("Pat, 58, after the menopause", {"age": 58, "menopause": "postmenopause", "hrt": "continuous"}, "pregnan"),
        ("Jo, 15", {"age": 15, "amount": "spotting", "tummy_pain": "mild", "pregnant": "unsure"}, "placenta"),
    ],
)
def test_the_review_personas_read_sentences_not_labels(who: str, raw: dict[str, Any], absent: str) -> None:
    knowledge = load_knowledge(region="GB")
    lists = shown(render_care_card(explain(raw, knowledge), knowledge))
    lines = [line for level in lists.values() for line in level]
    assert lines, who
    assert all(line.endswith(".") and not COLON_LABEL.search(line) for line in lines), lines
    assert not any(absent in line.casefold() for line in lines), (who, lines)


def test_before_any_answer_the_emergency_lines_are_shown() -> None:
    knowledge = load_knowledge(region="GB")
    start = shown(render_start(explain({}, knowledge), knowledge))
    assert list(start) == ["emergency"]
    assert any("dizzy or faint" in line for line in start["emergency"])


def test_a_label_pasted_into_a_safety_net_is_located(data_copy: Path) -> None:
    path = data_copy / "safety_nets.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("You get bad pain in your lower tummy.", "Tummy pain: severe"), encoding="utf-8")
    problems = check_data(data_copy)
    assert any(p.file == "safety_nets.csv" and p.row == 4 and p.column == "text" for p in problems), problems


def test_a_safety_net_with_an_unknown_field_is_located(data_copy: Path) -> None:
    path = data_copy / "safety_nets.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("blood_thinners_or_bleeding_disorder=true", "blood_thinner=true"), encoding="utf-8")
    problems = check_data(data_copy)
    assert any(p.file == "safety_nets.csv" and p.column == "condition" for p in problems), problems
    with pytest.raises(DataError):
        load_knowledge(data_copy)


def test_the_text_renderer_shows_the_same_lines() -> None:
    """The command line's text output safety-nets too, with the dashboard's sentences."""
    from spotting.render_text import to_text

    knowledge = load_knowledge(region="GB")
    explanation = explain({"age": 58, "menopause": "postmenopause"}, knowledge)
    text = to_text(explanation, knowledge)
    html_lines = [line for level in shown(render_care_card(explanation, knowledge)).values() for line in level]
    assert "Call 999 if:" in text and all(f"  - {line}" in text for line in html_lines)
    assert text.splitlines()[0] == "Non-urgent advice: See a GP within 2 weeks [soon]"  # the card's own heading
