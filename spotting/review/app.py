"""The clinicians' content review: tables of causes, red flags and sources, the policy in words,
review dates, a coverage matrix, the hazard log, the check-data report, a filter over every
table, and a "try a set of answers" panel.

Why it exists: the people who sign off the clinical content read it as tables, not CSV or code.
Every table here is derived from the loaded knowledge base, so what clinicians review is exactly
what the engine runs. "Today" is always a parameter so review-status tests are deterministic.
Styled tables escape every cell (``Styler.format(escape="html")``), because data/ is text that
anyone with commit access can edit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from pandas.io.formats.style import Styler

from ..case_suite import default_case_files, suite_problems
from ..conditions import Node
from ..errors import AnswerError
from ..explain import explain
from ..knowledge import check_data, load_knowledge
from ..model import Knowledge, Risk
from ..policy_doc import field_label
from ..regions import service_words
from ..render_text import to_text
from ..urgency import Urgency

DUE_SOON_DAYS = 90
REVIEWED_TABLES = ("red_flags", "baseline", "advice", "safety_nets", "causes", "myths", "scenarios")
STATUS_STYLE = {
    "overdue": "background-color: #fde8e6; font-weight: bold; border-left: 6px solid #d5281b",
    "due soon": "background-color: #fff4cc; border-left: 4px dashed #4c6272",
}


def condition_words(node: Node, knowledge: Knowledge) -> str:
    """A parsed condition read out in words, so clinicians can check it without the syntax."""
    return node.words(field_label(knowledge))


def _sources(ids: tuple[str, ...]) -> str:
    return "; ".join(ids)


def causes_table(knowledge: Knowledge) -> pd.DataFrame:
    """Every cause with its figure, sources, review dates and how many answer rules shape it."""
    return pd.DataFrame(
        [
            {
                "id": cause.id,
                "name": cause.name,
                "kind": cause.kind,
                "card's advice level": cause.advice_urgency.id,
                "prior": cause.prior,
                "rules": len(cause.rules),
                "figure": cause.figure,
                "sources": _sources(cause.review.sources),
                "last reviewed": cause.review.last_reviewed.isoformat(),
                "next review due": cause.review.next_review_due.isoformat(),
                "clinician review": "yes" if cause.review.clinician_review else "no",
            }
            for cause in knowledge.causes
        ]
    )


def red_flags_table(knowledge: Knowledge) -> pd.DataFrame:
    """Every red flag, most urgent first, with its condition as written and in words."""
    return pd.DataFrame(
        [
            {
                "id": rule.id,
                "urgency": rule.urgency.id,
                "condition": rule.condition_text,
                "in words": condition_words(rule.condition, knowledge),
                "message": rule.message,
                "sources": _sources(rule.review.sources),
                "last reviewed": rule.review.last_reviewed.isoformat(),
                "next review due": rule.review.next_review_due.isoformat(),
                "clinician review": "yes" if rule.review.clinician_review else "no",
            }
            for rule in knowledge.red_flags
        ]
    )


def _citations(knowledge: Knowledge) -> dict[str, int]:
    """How many rows in data/ cite each source; an uncited source may be stale."""
    counts = dict.fromkeys(knowledge.sources, 0)
    for name in ("red_flags", "baseline", "advice", "causes", "myths", "statistics", "scenarios", "services"):
        for cell in knowledge.table(name)["sources"]:
            for source_id in filter(None, cell.split(";")):
                counts[source_id] = counts.get(source_id, 0) + 1
    return counts


def sources_table(knowledge: Knowledge) -> pd.DataFrame:
    """Every source with its authority and how often it is cited."""
    table = knowledge.table("sources")
    counts = _citations(knowledge)
    table["cited by"] = table["id"].map(counts).fillna(0).astype(int)
    return table[["id", "title", "publisher", "year", "authority", "cited by", "url", "note"]]


REVIEW_REGION = "GB"
"""Clinicians review the policy in the wording of the guidance it follows (the NHS line)."""

REGION_NOTE = (
    "<p>The advice is one conservative line for every region: how soon to get help follows UK "
    "(NHS, NICE, FSRH, RCOG) guidance, and where a region's own guidance is more cautious on a point "
    "we know of (the screening start age), the more cautious is used. Only the services change: each "
    "region's words below fill the placeholders in the prose, such as <code>{doctor}</code>. "
    "The tables above are worded for the United Kingdom.</p>"
)


def services_table(knowledge: Knowledge) -> pd.DataFrame:
    """Each service (rows) as each region words it (columns), with its number to call."""
    names = {row["code"]: row["name"] for row in knowledge.tables["regions"]}
    words = service_words(knowledge.tables["services"])
    cells = {
        "{" + service + "}": {names[code]: said for code, said in by_code.items()} for service, by_code in words.items()
    }
    return pd.DataFrame.from_dict(cells, orient="index")[list(names.values())].rename_axis("placeholder").reset_index()


def translations_table(knowledge: Knowledge) -> pd.DataFrame:
    """Issue 23: per language, how much is translated from today's English, and by whom it was
    reviewed. A language is offered only with every safety string done (spotting.localise)."""
    from ..catalogs import status  # reads the catalogs with Babel: only when the review is opened
    from ..knowledge import available_languages
    from ..localise import languages

    names, offered = languages(), available_languages(knowledge.directory)
    rows = [
        {
            "language": f"{names[row.language].english_name} ({row.language})",
            "offered": "yes" if row.language in offered else "no",
            "data messages": row.messages,
            "translated": row.translated,
            "fuzzy": row.fuzzy,
            "safety strings": f"{row.safety_done} of {row.safety}",
            "interface phrases": f"{row.phrases_done} of {row.phrases}",
            "reviewed by": row.reviewed_by or "not yet reviewed by a clinician",
        }
        for row in status(knowledge.directory)
    ]
    return pd.DataFrame(rows)


TRANSLATION_NOTE = (
    "<p>Every reader-facing cell of data/ is a gettext message (spotting/locale/, docs/translating.md). "
    "Translated means translated from today's English and not fuzzy; a language is offered only when "
    "every safety string (red flags, urgency levels, advice, safety nets, service lines) is done. "
    "Until a native-speaking clinician fills reviewed-by, readers see that the translation is unchecked.</p>"
)


def policy_table(knowledge: Knowledge) -> pd.DataFrame:
    """The triage policy as run: every red flag by urgency, then the baselines, in words."""
    rows = [
        {
            "urgency": knowledge.levels[rule.urgency].heading,
            "level": rule.urgency.id,
            "kind": "red flag",
            "id": rule.id,
            "applies when": condition_words(rule.condition, knowledge),
            "what the person is told": rule.message,
        }
        for rule in sorted(knowledge.red_flags, key=lambda r: -r.urgency)
    ]
    rows += [
        {
            "urgency": knowledge.levels[rule.urgency].heading,
            "level": rule.urgency.id,
            "kind": "baseline (lowest level; red flags can only raise it)",
            "id": rule.id,
            "applies when": condition_words(rule.condition, knowledge),
            "what the person is told": rule.message,
        }
        for rule in knowledge.baselines
    ]
    return pd.DataFrame(rows)


def terms_table(knowledge: Knowledge) -> pd.DataFrame:
    """The named terms the policy uses (``@name``), in words and with their meaning."""
    return pd.DataFrame(
        [
            {
                "name": term.name,
                "meaning": term.meaning,
                "in words": condition_words(term.condition, knowledge),
                "condition": term.condition_text,
            }
            for term in knowledge.term_definitions.values()
        ]
    )


def review_status(knowledge: Knowledge, today: date) -> pd.DataFrame:
    """Every reviewed row, soonest due first, with its status in words (overdue, due soon, ok)."""
    rows = []
    for name in REVIEWED_TABLES:
        table = knowledge.table(name)
        for record in table.to_dict("records"):
            due = date.fromisoformat(record["next_review_due"])
            days = (due - today).days
            status = "overdue" if days < 0 else "due soon" if days <= DUE_SOON_DAYS else "ok"
            rows.append(
                {
                    "table": name,
                    "id": record["id"],
                    "last reviewed": record["last_reviewed"],
                    "next review due": record["next_review_due"],
                    "days left": days,
                    "status": status,
                    "clinician review": record.get("clinician_review", ""),
                }
            )
    return pd.DataFrame(rows).sort_values(["days left", "table", "id"], kind="stable").reset_index(drop=True)


def coverage_matrix(knowledge: Knowledge) -> pd.DataFrame:
    """Which answers affect which red flags, baselines and causes (✓), one row per question.

    A question that affects nothing is either dead weight or a missing rule; both are worth a look.
    """
    columns: list[tuple[str, str, frozenset[str]]] = []
    columns += [("red flag", rule.id, rule.condition.fields()) for rule in knowledge.red_flags]
    columns += [("baseline", rule.id, rule.condition.fields()) for rule in knowledge.baselines]
    for cause in knowledge.causes:
        used = frozenset().union(*(rule.condition.fields() for rule in cause.rules))
        columns.append(("cause", cause.id, used))
    questions = sorted(knowledge.questions.values(), key=lambda q: q.order)
    data = [["\u2713" if q.field in used else "" for _, _, used in columns] for q in questions]
    frame = pd.DataFrame(
        data,
        index=pd.Index([q.field for q in questions], name="answer"),
        columns=pd.MultiIndex.from_tuples([(kind, rule_id) for kind, rule_id, _ in columns], names=["", "rule"]),
    )
    frame.insert(0, ("", "used by"), [row.count("\u2713") for row in data])
    return frame


def hazards_table(knowledge: Knowledge) -> pd.DataFrame:
    """The clinical hazard log (data/hazards.csv; docs/clinical-safety-case.md)."""
    return pd.DataFrame(
        [
            {
                "id": hazard.id,
                "hazard": hazard.hazard,
                "cause": hazard.cause,
                "harm": hazard.effect,
                "initial risk": _risk(hazard.initial),
                "controls": "; ".join(hazard.controls),
                "verified by": "; ".join(hazard.verification),
                "residual risk": _risk(hazard.residual),
                "status": hazard.status,
                "sources": _sources(hazard.review.sources),
                "last reviewed": hazard.review.last_reviewed.isoformat(),
                "next review due": hazard.review.next_review_due.isoformat(),
            }
            for hazard in knowledge.hazards
        ]
    )


def _risk(risk: Risk) -> str:
    return f"{risk.rating} ({risk.severity} x {risk.likelihood})"


def matching(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows with ``query`` in any cell (case does not matter); every row for an empty query."""
    words = query.strip().lower()
    if not words or frame.empty:
        return frame
    found = frame.astype(str).apply(lambda column: column.str.lower().str.contains(words, regex=False))
    kept: pd.DataFrame = frame.loc[found.any(axis=1)].copy()
    return kept


def source_links(knowledge: Knowledge) -> Callable[[object], str]:
    """Turns a cell of source ids ("S34; S63") into links that say what each source is.

    A clinician checking a rule needs the title, publisher and year, and one click to the page;
    a bare id sent them 36 screens down to the sources table. Titles are escaped here, because
    the cell is no longer escaped by the table once it holds links."""

    def links(cell: object) -> str:
        out = []
        for source_id in filter(None, (part.strip() for part in str(cell).split(";"))):
            source = knowledge.sources.get(source_id)
            if source is None:
                out.append(escape(source_id))
                continue
            said = ", ".join(str(part) for part in (source.publisher, source.year) if part)
            label = f"{source_id}: {source.title}" + (f" ({said})" if said else "")
            out.append(f'<a href="{escape(source.url)}" target="_blank" rel="noopener noreferrer">{escape(label)}</a>')
        return "<br>".join(out)

    return links


def check_data_report(directory: str | Path | None = None) -> pd.DataFrame:
    """``spotting check-data`` as a table: file, row, column and what is wrong."""
    problems = check_data(directory)
    return pd.DataFrame(
        [{"file": p.file, "row": p.row, "column": p.column or "", "problem": p.message} for p in problems],
        columns=["file", "row", "column", "problem"],
    )


# ---------------------------------------------------------------------------------- styling


def style(
    frame: pd.DataFrame, caption: str, uuid: str, links: Callable[[object], str] | None = None
) -> Styler:
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
                    "props": "text-align: left; background: #e8edee; padding: 4px 8px; position: sticky; top: 0",
                },
                {
                    "selector": "td",
                    "props": "text-align: left; vertical-align: top; padding: 4px 8px; overflow-wrap: break-word",
                },
                {"selector": "a", "props": "color: #005eb8; text-decoration: underline"},
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
        return [f"border-left: {widths[row['level']]}px solid #212b32"] + [""] * (len(row) - 1)

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
                {"selector": "td", "props": "text-align: center; border: 1px solid #d8dde0"},
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


# ------------------------------------------------------------------------ try a set of answers


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


class TryAnswersPanel:
    """A small panel: pick a scenario (or type answers as JSON), press Explain, read the result."""

    def __init__(self, knowledge: Knowledge | None = None):
        self.knowledge = knowledge or load_knowledge()
        options = [("(type your own)", "")] + [(s.title, s.id) for s in self.knowledge.scenarios]
        self.start = widgets.Dropdown(
            description="Start from",
            options=options,
            value="",
            style={"description_width": "initial"},
            layout={"width": "auto"},
        )
        self.answers = widgets.Textarea(
            description="Answers (JSON)",
            value='{"age": 30, "how_often": "once"}',
            layout=widgets.Layout(width="100%", height="8em"),
            style={"description_width": "initial"},
        )
        self.run = widgets.Button(
            description="Explain",
            button_style="primary",
            layout={"width": "auto"},
            tooltip="Run explain on these answers",
        )
        self.output = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.start.observe(self._load_scenario, names="value")
        self.run.on_click(lambda _button: self._update())
        self.container = widgets.VBox(
            [widgets.HTML("<h2>Try a set of answers</h2>"), self.start, self.answers, self.run, self.output]
        )
        self._update()

    def _load_scenario(self, change: dict[str, Any]) -> None:
        for scenario in self.knowledge.scenarios:
            if scenario.id == change["new"]:
                self.answers.value = json.dumps(dict(scenario.answers), indent=1)
        self._update()

    def _update(self) -> None:
        result = try_answers_html(self.answers.value, self.knowledge)
        self.output.value = f'<div role="status" aria-live="polite">{result}</div>'


class ReviewApp:
    """The clinicians' notebook as one widget tree; the notebook ends on ``ReviewApp().container``.

    The same shape as the explorer and the teaching app: ``_build_*`` helpers, one change handler
    and one ``_update()``. The knowledge base is validated once, when it loads (loading is all or
    nothing); the check-data section then runs only the clinical case suites against it. The
    filter box narrows every table to the rows that mention what was typed.
    """

    def __init__(self, today: date | None = None, knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge or load_knowledge(region=REVIEW_REGION)
        self.today = today or date.today()
        self.checked = loaded_report_html(self.knowledge)
        self.links = source_links(self.knowledge)
        self.panel = TryAnswersPanel(self.knowledge)
        self.filter = widgets.Text(
            description="Find in every table",
            placeholder="for example: ectopic, S63, overdue",
            continuous_update=False,
            style={"description_width": "initial"},
            layout={"width": "min(100%, 40rem)"},
        )
        self.sections = [self._build_section(anchor, title) for anchor, title in SECTIONS]
        self.filter.observe(lambda _change: self._update(), names="value")
        self.container = widgets.VBox([self._build_intro(), self.filter, *self.sections, self.panel.container])
        self._update()

    def _tables(self, query: str) -> dict[str, str]:
        """Each section's HTML, its tables narrowed to the rows that match ``query``."""
        knowledge, today, links = self.knowledge, self.today, self.links

        def table(frame: pd.DataFrame, caption: str, uuid: str) -> str:
            return style(matching(frame, query), caption, uuid, links).to_html()

        status = styled_review_status(knowledge, today, query).to_html()
        return {
            "check-data-report": self.checked,
            "review-status": status,
            "policy": styled_policy(knowledge, query).to_html() + table(terms_table(knowledge), "Terms", "terms"),
            "causes": table(causes_table(knowledge), "Causes", "causes"),
            "red-flags": table(red_flags_table(knowledge), "Red flags", "red-flags"),
            "hazards": HAZARD_NOTE + table(hazards_table(knowledge), "Hazard log", "hazards"),
            "coverage": styled_coverage(knowledge, query).to_html(),
            "regions": REGION_NOTE + style(matching(services_table(knowledge), query), "Services by region",
                                           "services").to_html(),
            "sources": style(matching(sources_table(knowledge), query), "Sources", "sources").to_html(),
            "translations": TRANSLATION_NOTE + table(translations_table(knowledge), "Translations", "translations"),
        }  # fmt: skip

    def _build_intro(self) -> widgets.HTML:
        due = (self.today + timedelta(days=DUE_SOON_DAYS)).isoformat()
        contents = "".join(f'<li><a href="#review-{anchor}">{escape(title)}</a></li>' for anchor, title in SECTIONS)
        return widgets.HTML(
            "<p>For clinicians who maintain the content. Everything below is read from data/, "
            f"exactly as the tool runs it. Rows due for review by {due} are highlighted. Each source "
            "is a link with its title; table headings stay in view while a table scrolls.</p>"
            f'<nav aria-label="Contents"><h2>Contents</h2><ul>{contents}</ul></nav>'
        )

    def _build_section(self, anchor: str, title: str) -> widgets.HTML:
        """A folding section (a native disclosure), open by default; it scrolls on its own so its
        table's heading row can stay in view."""
        return widgets.HTML(layout=widgets.Layout(overflow="auto", max_height="85vh"))

    def _update(self) -> None:
        query = self.filter.value
        bodies = self._tables(query)
        shown = escape(query.strip())
        note = f'<p role="status">Showing rows that mention \u201c{shown}\u201d.</p>' if shown else ""
        with self.container.hold_sync():
            for (anchor, title), section in zip(SECTIONS, self.sections, strict=True):
                section.value = (
                    f'<details open id="review-{anchor}"><summary><h2 style="display: inline">{escape(title)}</h2>'
                    f"</summary>{note}{bodies[anchor]}</details>"
                )


SECTIONS = (
    ("check-data-report", "Check-data report"),
    ("review-status", "Review status"),
    ("policy", "Policy"),
    ("causes", "Causes"),
    ("red-flags", "Red flags"),
    ("hazards", "Hazard log"),
    ("coverage", "Coverage"),
    ("regions", "Regions and services"),
    ("sources", "Sources"),
    ("translations", "Translations"),
)
"""The review's sections in order: anchor and heading."""

HAZARD_NOTE = (
    "<p>What could go wrong, how each risk is controlled and how each control is tested, scored on the "
    "5 x 5 matrix of DCB0129 (severity x likelihood). The same log, with the scope and residual risks in "
    "words, is docs/clinical-safety-case.md.</p>"
)


def review_app(today: date | None = None, knowledge: Knowledge | None = None) -> widgets.VBox:
    """The review as one widget (kept for existing notebooks): ``ReviewApp(...).container``."""
    return ReviewApp(today, knowledge).container
