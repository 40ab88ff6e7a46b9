"""The review's tables as HTML: escaped, captioned, with sticky headings and source links, and
the check-data and "try a set of answers" results.

Styled tables escape every cell (``Styler.format(escape="html")``), because data/ is text that
anyone with commit access can edit. Urgency and review status are never shown by colour alone:
a thicker border and the status word go with every highlight.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from ..case_suite import default_case_files, suite_problems
from ..errors import AnswerError
from ..explain import explain
from ..knowledge import load_knowledge
from ..model import Knowledge
from ..render_text import to_text
from ..urgency import Urgency
from .tables import DUE_SOON_DAYS, check_data_report, coverage_matrix, matching, policy_table, review_status

STATUS_STYLE = {
    "overdue": "background-color: var(--sp-red-pale); font-weight: bold; border-left: 6px solid var(--sp-red)",
    "due soon": "background-color: var(--sp-yellow-due); border-left: 4px dashed var(--sp-ink-secondary)",
}


def style(frame: pd.DataFrame, caption: str, uuid: str, links: Callable[[object], str] | None = None) -> Styler:
    """A readable, escaped table: every cell, header and the caption are HTML-escaped, except a
    ``sources`` column that ``links`` turns into links (it escapes what it writes itself)."""
    styler = frame.style.format(escape="html", na_rep="")
    if links is not None and "sources" in frame.columns:
        styler = styler.format(links, subset=["sources"])
    styler = styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    return (
        styler.hide(axis="index")
        .set_caption(escape(caption))
        .set_uuid(uuid)
        .set_table_attributes('class="spotting-review"')
        .set_table_styles(
            [
                {
                    "selector": "caption",
                    "props": "caption-side: top; font-size: 1.2em; font-weight: bold; text-align: left",
                },
                {
                    "selector": "th",
                    "props": "text-align: left; background: var(--sp-grey-pale); padding: 4px 8px; "
                    "position: sticky; top: 0",
                },
                {
                    "selector": "td",
                    "props": "text-align: left; vertical-align: top; padding: 4px 8px; overflow-wrap: break-word",
                },
                {"selector": "a", "props": "color: var(--sp-blue); text-decoration: underline"},
            ]
        )
    )


def styled_review_status(knowledge: Knowledge, today: date, query: str = "") -> Styler:
    """Review status with overdue and due-soon rows highlighted (the status word is also there)."""
    frame = matching(review_status(knowledge, today), query)

    def highlight(row: pd.Series) -> list[str]:
        return [STATUS_STYLE.get(row["status"], "")] * len(row)

    caption = f"Review status on {today.isoformat()}: overdue, or due within {DUE_SOON_DAYS} days, is highlighted"
    return style(frame, caption, "review-status").apply(highlight, axis=1)


def styled_policy(knowledge: Knowledge, query: str = "") -> Styler:
    """The policy table with a thicker left border as urgency rises, so it never rests on colour."""
    frame = matching(policy_table(knowledge), query)
    widths = {u.id: 2 + 3 * int(u) for u in Urgency}

    def border(row: pd.Series) -> list[str]:
        return [f"border-left: {widths[row['level']]}px solid var(--sp-ink)"] + [""] * (len(row) - 1)

    return style(frame, "Policy: every red flag by urgency, then the baselines", "policy").apply(border, axis=1)


def styled_coverage(knowledge: Knowledge, query: str = "") -> Styler:
    """The coverage matrix with vertical rule names and unused questions highlighted; a filter
    keeps the answers (rows) whose field name matches."""
    frame = coverage_matrix(knowledge)
    if query.strip():
        frame = frame[frame.index.str.contains(query.strip().lower(), regex=False)]

    def unused(row: pd.Series) -> list[str]:
        mark = STATUS_STYLE["overdue"] if row[("", "used by")] == 0 else ""
        return [mark] * len(row)

    styler = frame.style.format(escape="html").format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    return (
        styler.set_caption("Coverage: which answers affect which rules (\u2713); unused answers highlighted")
        .set_uuid("coverage")
        .set_table_attributes('class="spotting-review coverage"')
        .set_table_styles(
            [
                {"selector": "th.col_heading.level1", "props": "writing-mode: vertical-rl; transform: rotate(180deg)"},
                {"selector": "td", "props": "text-align: center; border: 1px solid var(--sp-grey-line)"},
                {"selector": "caption", "props": "caption-side: top; font-weight: bold; text-align: left"},
            ]
        )
        .apply(unused, axis=1)
    )


def check_data_html(directory: str | Path | None = None) -> str:
    """The check-data report for a person: a clear all-clear, or a table of problems."""
    report = check_data_report(directory)
    if report.empty:
        return '<p role="status"><strong>Knowledge base OK:</strong> every file, row and column passed.</p>'
    table = style(report, f"{len(report)} problem(s) in the knowledge base", "check-data").to_html()
    return f'<p role="status"><strong>{len(report)} problem(s) found.</strong> Fix them in data/.</p>{table}'


def loaded_report_html(knowledge: Knowledge) -> str:
    """The check-data section for a knowledge base that has already loaded: loading validated
    every file, row and column (it is all or nothing), so only the clinical case suites run."""
    suites = default_case_files()
    problems = [problem for suite in suites for problem in suite_problems(suite, knowledge)]
    if not problems:
        cases = f" and the clinical case suites ({', '.join(s.name for s in suites)}) are met" if suites else ""
        return f'<p role="status"><strong>Knowledge base OK:</strong> every file, row and column passed{cases}.</p>'
    report = pd.DataFrame([{"file": p.file, "problem": p.message} for p in problems])
    table = style(report, f"{len(report)} clinical case(s) not met", "check-data").to_html()
    return f'<p role="status"><strong>{len(report)} problem(s) found.</strong> Fix them in data/.</p>{table}'


def try_answers_html(text: str, knowledge: Knowledge | None = None) -> str:
    """Run ``explain`` on answers typed as JSON and show the readable summary and the contract JSON."""
    knowledge = knowledge or load_knowledge()
    try:
        raw = json.loads(text or "{}")
        explanation = explain(raw, knowledge)
    except json.JSONDecodeError as error:
        return f'<p class="error" role="alert">Not valid JSON: {escape(error.msg)} (line {error.lineno}).</p>'
    except AnswerError as error:
        return f'<p class="error" role="alert">Those answers do not fit the contract: {escape(str(error))}</p>'
    contract_json = json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False)
    return (
        f"<p><strong>Urgency: {escape(explanation.urgency.id)}</strong></p>"
        f'<pre class="summary">{escape(to_text(explanation, knowledge))}</pre>'
        f"<details><summary>Contract JSON</summary><pre>{escape(contract_json)}</pre></details>"
    )
