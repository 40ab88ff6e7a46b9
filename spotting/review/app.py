"""The clinicians' content review as one widget tree: the tables of :mod:`.tables`, as the HTML
of :mod:`.styled`, in folding sections with a filter over every table, and a "try a set of
answers" panel.

Why it exists: the people who sign off the clinical content read it as tables, not CSV or code.
The knowledge base is validated once, when it loads; only the clinical case suites run again.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from html import escape
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..knowledge import load_knowledge
from ..markup import TOKENS_CSS
from ..model import Knowledge
from .styled import loaded_report_html, style, styled_coverage, styled_policy, styled_review_status, try_answers_html
from .tables import (
    DUE_SOON_DAYS,
    causes_table,
    hazards_table,
    matching,
    red_flags_table,
    services_table,
    source_links,
    sources_table,
    terms_table,
    translations_table,
)

TRANSLATION_NOTE = (
    "<p>Every reader-facing cell of data/ is a gettext message (spotting/locale/, docs/translating.md). "
    "Translated means translated from today's English and not fuzzy; a language is offered only when "
    "every safety string (red flags, urgency levels, advice, safety nets, service lines) is done. "
    "Until a native-speaking clinician fills reviewed-by, readers see that the translation is unchecked.</p>"
)

REVIEW_REGION = "GB"
"""Clinicians review the policy in the wording of the guidance it follows (the NHS line)."""

REGION_NOTE = (
    "<p>The advice is one conservative line for every region: how soon to get help follows UK "
    "(NHS, NICE, FSRH, RCOG) guidance, and where a region's own guidance is more cautious on a point "
    "we know of (the screening start age), the more cautious is used. Only the services change: each "
    "region's words below fill the placeholders in the prose, such as <code>{doctor}</code>. "
    "The tables above are worded for the United Kingdom.</p>"
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
            f"<style>{TOKENS_CSS}</style>"  # the palette's names, which every table's own style uses
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
