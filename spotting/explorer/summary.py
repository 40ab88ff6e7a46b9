"""The "take this to your appointment" summary: a one-page HTML summary to print or download.

It holds the person's answers, so it is made in memory in their own session and handed to their
browser (see ``spotting.widgets.SummaryDownload``); it is never written to disk, logged or sent
anywhere else. It is a standalone document (inline CSS, no scripts, no external requests) so it
opens and prints the same anywhere, offline.

The questions to ask are built from the explanation (its causes and open questions), not written
here, so this module decides nothing clinical.
"""

from __future__ import annotations

from datetime import date
from html import escape

from ..explain import Explanation
from ..markup import TOKENS_CSS, asset_text, long_date, urgency_words
from ..model import Knowledge
from .results import safety_net

TITLE = "Bleeding after sex: notes for my appointment"
FILENAME = "spotting-summary.html"
PRIVATE_NOTE = "This page holds private information about you. Keep it safe, and delete or shred it when done."
MAX_SOURCES = 6

_CSS = TOKENS_CSS + asset_text("summary.css")
"""The page's own stylesheet, with the palette: it is saved or printed on its own, away from the app."""


def _answer_rows(explanation: Explanation, knowledge: Knowledge) -> str:
    rows = []
    for field, question in knowledge.questions.items():
        if field not in explanation.answers:
            continue
        answer = question.value_label(explanation.answers[field])
        answer = answer[:1].upper() + answer[1:]
        rows.append(f'<tr><th scope="row">{escape(question.label)}</th><td>{escape(answer)}</td></tr>')
    if not rows:
        return "<p>No questions were answered.</p>"
    return f"<table><tbody>{''.join(rows)}</tbody></table>"


def questions_to_ask(explanation: Explanation, knowledge: Knowledge) -> list[str]:
    """Questions for the appointment. Unanswered questions are not listed: some are sensitive
    (for example whether sex was consensual) and a printed page can be seen by others."""
    questions = []
    if explanation.causes:
        questions.append("Which of the possible explanations above could fit me, and how can we check?")
    questions.append("Do I need an examination or any tests?")
    questions.append("What should I look out for, and when should I come back or get help quickly?")
    return questions


def summary_html(explanation: Explanation, knowledge: Knowledge, today: date | None = None) -> str:
    """The whole summary document; every string from data/ and every answer is escaped."""
    level = knowledge.levels[explanation.urgency]
    made_on = long_date(today or date.today())
    flags = "".join(f"<li>{escape(flag.rule.message)}</li>" for flag in explanation.red_flags)
    causes = "".join(
        f"<li>{escape(result.fit.cause.name)} ({escape(result.fit.fit)})</li>" for result in explanation.causes
    )
    asks = "".join(f"<li>{escape(question)}</li>" for question in questions_to_ask(explanation, knowledge))
    # The advice's sources first, then the warning signs', capped so the summary stays about a page.
    source_ids: list[str] = list(explanation.advice.review.sources)
    for flag in explanation.red_flags:
        source_ids += flag.rule.review.sources
    sources = "".join(
        f"<li>{escape(knowledge.sources[sid].title)}: {escape(knowledge.sources[sid].url)}</li>"
        for sid in [sid for sid in dict.fromkeys(source_ids) if sid in knowledge.sources][:MAX_SOURCES]
    )
    parts = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(TITLE)}</title>',
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head><body>',
        f"<h1>{escape(TITLE)}</h1>",
        f'<p class="small">Made on {escape(made_on)} with the spotting explorer. {escape(explanation.disclaimer)}</p>',
        f'<p class="small">{escape(PRIVATE_NOTE)}</p>',
        '<h2>What the tool advised</h2><div class="advice">',
        f"<p><strong>{escape(urgency_words(level))}</strong></p>",
        f"<p>{escape(explanation.advice.message)}</p></div>",
    ]
    if net := safety_net(explanation, knowledge):
        parts.append(f"<h2>Get help now if anything changes</h2>{net}")
    parts.append(f"<h2>What I told the tool</h2>{_answer_rows(explanation, knowledge)}")
    if flags:
        parts.append(f"<h2>Warning signs it found</h2><ul>{flags}</ul>")
    if causes:
        parts.append(f"<h2>Possible explanations to ask about (not a diagnosis)</h2><ul>{causes}</ul>")
    parts.append(f"<h2>Questions to ask</h2><ul>{asks}</ul>")
    if sources:
        parts.append(f'<h2>Where this comes from</h2><ul class="small">{sources}</ul>')
    parts.append("</body></html>")
    return "".join(parts)
