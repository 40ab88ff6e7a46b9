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

from ..explain import Explanation, explain
from ..knowledge import load_knowledge
from ..localise import SOURCE_LANGUAGE, languages
from ..markup import TOKENS_CSS, asset_text, long_date, urgency_words
from ..model import N_, Knowledge
from ..render_text import FIT_WORDS
from .results import safety_net

TITLE = N_("Bleeding after sex: notes for my appointment")
FILENAME = "spotting-summary.html"
PRIVATE_NOTE = N_("This page holds private information about you. Keep it safe, and delete or shred it when done.")
FOR_THE_CLINICIAN = "In English, for the clinician"
"""The heading of the English copy that follows a summary in another language (MedlinePlus's
"English equivalent" rule): the clinician reads the same advice, made from the same answers."""
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
        none = escape(knowledge.phrase("No questions were answered."))
        return f"<p>{none}</p>"
    return f"<table><tbody>{''.join(rows)}</tbody></table>"


def questions_to_ask(explanation: Explanation, knowledge: Knowledge) -> list[str]:
    """Questions for the appointment. Unanswered questions are not listed: some are sensitive
    (for example whether sex was consensual) and a printed page can be seen by others."""
    say = knowledge.phrase
    questions = []
    if explanation.causes:
        questions.append(say("Which of the possible explanations above could fit me, and how can we check?"))
    questions.append(say("Do I need an examination or any tests?"))
    questions.append(say("What should I look out for, and when should I come back or get help quickly?"))
    return questions


def summary_html(explanation: Explanation, knowledge: Knowledge, today: date | None = None) -> str:
    """The whole summary document; every string from data/ and every answer is escaped.

    In another language it is bilingual: the person's language first, then the same summary in
    English for the clinician, made from the same answers (the advice is the same in every
    language: tests/test_languages.py)."""
    code = knowledge.language
    language = languages().get(code)
    direction = language.direction if language else "ltr"
    dir_attribute = f' dir="{direction}"' if code != SOURCE_LANGUAGE else ""
    say = knowledge.phrase
    title = say(TITLE)
    parts = [
        f'<!DOCTYPE html><html lang="{escape(code, quote=True)}"{dir_attribute}><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>",
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head><body>',
        *_summary_body(explanation, knowledge, today),
    ]
    if code != SOURCE_LANGUAGE:
        region = knowledge.region.code if knowledge.region.chosen else None
        english = load_knowledge(knowledge.directory, region=region)
        again = explain(dict(explanation.answers), english)
        parts += [
            f'<section lang="en" dir="ltr"><hr><p class="small"><strong>{escape(FOR_THE_CLINICIAN)}</strong></p>',
            *_summary_body(again, english, today),
            "</section>",
        ]
    parts.append("</body></html>")
    return "".join(parts)


def _summary_body(explanation: Explanation, knowledge: Knowledge, today: date | None) -> list[str]:
    say = knowledge.phrase
    level = knowledge.levels[explanation.urgency]
    made_on = long_date(today or date.today(), knowledge)
    flags = "".join(f"<li>{escape(flag.rule.message)}</li>" for flag in explanation.red_flags)
    causes = "".join(
        f"<li>{escape(result.fit.cause.name)} ({escape(say(FIT_WORDS[result.fit.fit]))})</li>"
        for result in explanation.causes
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
    made = say("Made on {date} with the spotting explorer.").format(date=made_on)
    headings = {
        "advised": say("What the tool advised"),
        "net": say("Get help now if anything changes"),
        "told": say("What I told the tool"),
        "flags": say("Warning signs it found"),
        "causes": say("Possible explanations to ask about (not a diagnosis)"),
        "ask": say("Questions to ask"),
        "sources": say("Where this comes from"),
    }
    h = {key: escape(text) for key, text in headings.items()}
    parts = [
        f"<h1>{escape(say(TITLE))}</h1>",
        f'<p class="small">{escape(made)} {escape(explanation.disclaimer)}</p>',
        f'<p class="small">{escape(say(PRIVATE_NOTE))}</p>',
        f'<h2>{h["advised"]}</h2><div class="advice">',
        f"<p><strong>{escape(urgency_words(level))}</strong></p>",
        f"<p>{escape(explanation.advice.message)}</p></div>",
    ]
    if net := safety_net(explanation, knowledge):
        parts.append(f'<h2>{h["net"]}</h2>{net}')
    parts.append(f'<h2>{h["told"]}</h2>{_answer_rows(explanation, knowledge)}')
    if flags:
        parts.append(f'<h2>{h["flags"]}</h2><ul>{flags}</ul>')
    if causes:
        parts.append(f'<h2>{h["causes"]}</h2><ul>{causes}</ul>')
    parts.append(f'<h2>{h["ask"]}</h2><ul>{asks}</ul>')
    if sources:
        parts.append(f'<h2>{h["sources"]}</h2><ul class="small">{sources}</ul>')
    return parts
