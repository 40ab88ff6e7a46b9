"""The appointment summary: the answers, the advice and questions to ask, standalone and escaped."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from spotting import Knowledge, Urgency, explain, load_knowledge
from spotting.explorer.summary import questions_to_ask, summary_html


def test_it_lists_the_answers_given_in_question_order(knowledge: Knowledge) -> None:
    explanation = explain({"fever": True, "age": 45, "pregnant": "unsure"}, knowledge)
    html = summary_html(explanation, knowledge, today=date(2026, 11, 21))
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', html)
    labels = knowledge.questions
    expected = {
        "age": (labels["age"].label, "45"),
        "pregnant": (labels["pregnant"].label, labels["pregnant"].choice_labels["unsure"]),
        "fever": (labels["fever"].label, "Yes"),
    }
    assert rows == [expected[field] for field in sorted(expected, key=lambda f: labels[f].order)]
    assert "Made on 21 November 2026" in html


def test_it_leads_with_the_advice(knowledge: Knowledge) -> None:
    explanation = explain({"pregnant": "yes"}, knowledge)
    html = summary_html(explanation, knowledge)
    level = knowledge.levels[Urgency.URGENT]
    assert html.index(level.heading) < html.index("What I told the tool")
    assert level.hidden_text in html
    assert explanation.disclaimer in html


def test_questions_to_ask_never_print_sensitive_unanswered_questions(knowledge: Knowledge) -> None:
    explanation = explain({}, knowledge)
    assert "not_consensual" in explanation.unanswered
    html = summary_html(explanation, knowledge)
    assert knowledge.questions["not_consensual"].label not in html
    asks = questions_to_ask(explanation, knowledge)
    assert asks[0].startswith("Which of the possible explanations")
    assert asks[-1].startswith("What should I look out for")


def test_it_is_a_standalone_page_with_nothing_fetched_or_run(knowledge: Knowledge) -> None:
    html = summary_html(explain({"pregnant": "yes", "fever": True}, knowledge), knowledge)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<script" not in html and "<link" not in html and " src=" not in html


def test_answer_labels_are_escaped(data_copy: Path) -> None:
    path = data_copy / "choices.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["field"] == "pregnant", "label"] = "<img src=x onerror=alert(1)>"
    frame.to_csv(path, index=False)
    knowledge = load_knowledge(data_copy)
    html = summary_html(explain({"pregnant": "yes"}, knowledge), knowledge)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_carries_the_get_help_now_list() -> None:
    """UX review: the summary people take away had no 'call 999 if' triggers."""
    knowledge = load_knowledge(region="GB")
    html = summary_html(explain({"age": 30, "pregnant": "yes", "weeks_pregnant": 8}, knowledge), knowledge)
    assert "Get help now if anything changes" in html and "Call 999 if:" in re.sub(r"<[^>]+>", "", html)
    assert "You feel very dizzy or faint, or you faint." in html  # a sentence, not a question label
