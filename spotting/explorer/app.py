"""The explorer: an ipywidgets App that turns the questions table into controls and redraws the
explanation whenever an answer changes. ``notebooks/explorer.ipynb`` ends on ``App().container``.

The shape follows the Voila gallery apps: private ``_build_*`` helpers make the widgets from
data/ (questions, groups, choices), one change handler, and one ``update()`` that redraws the
whole view from the current answers. Nothing clinical is decided here: visibility comes from the
questions' ``show_if`` conditions and everything else from ``spotting.explain``.

Why every question is a Dropdown whose first option is "Not answered":
* "Not answered" must be a real choice and the default (contract §1: missing is not "no"). A
  Checkbox has only two states, so yes/no questions are Dropdowns with Not answered / Yes / No.
* A Dropdown renders a native ``<select>`` tied to its ``description`` by ``<label for=…>``, so
  every control has an accessible name and works with the keyboard (arrow keys or typing the
  first letter); sliders, radio groups and ToggleButtons lack names or group labels in
  ipywidgets 8. Numbers (age, weeks) are Dropdowns too: a number box cannot say
  "not answered", and typing digits in a focused ``<select>`` jumps straight to that number.
* The browser only sends back an option *index*; ipywidgets maps it to a value, and the values
  are still re-checked with ``spotting.validate_answers``, because widget state is client input.

Privacy: answers live only in this kernel's memory. Nothing here prints, logs or stores them;
the log lines on errors carry the field name or the exception type, never a value.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from ..answers import validate_answers
from ..errors import AnswerError
from ..explain import explain
from ..knowledge import default_region, load_knowledge
from ..model import Knowledge, Question
from ..relevance import relevant_answers, visible
from ..urgency import Urgency
from .live import LiveRegion, SummaryDownload
from .results import STYLE, render_banner, render_problem, render_results, render_start
from .summary import FILENAME, summary_html

logger = logging.getLogger(__name__)

NOT_ANSWERED = ""
"""The value of the "Not answered" option; never a valid answer, so it can't be confused with one."""
NOT_ANSWERED_LABEL = "Not answered"

PROBLEM_ANSWER = (
    "We could not use your answer to “{label}”. Please choose it again, or press “Start again”. "
    "Nothing you entered has been saved."
)
REGION_LABEL = "Where are you? (for the right phone numbers)"
REGION_NOT_CHOSEN = "Not chosen: show every emergency number"

START_ANNOUNCEMENT = "Your advice will show here once you answer a question."

PROBLEM_UNEXPECTED = (
    "Something went wrong and the advice could not be updated. Please try changing an answer again, "
    "or press “Start again”. Nothing you entered has been saved. If you are worried, get medical help; "
    "do not wait for this tool."
)


def _ensure_log_handler() -> None:
    """Send this module's warnings to the kernel's real stderr, which Voila shows in its log.

    In a kernel, ``sys.stderr`` is redirected to the browser, where Voila drops callback output,
    so without this an error would be invisible to whoever runs the server.
    """
    if not logger.handlers:
        handler = logging.StreamHandler(sys.__stderr__)
        handler.setFormatter(logging.Formatter("[spotting] %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _where(error: BaseException) -> str:
    """Where an error happened (file:line in function) without its message, which may hold answers."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    return " <- ".join(f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" for frame in reversed(frames))


def options_for(question: Question) -> list[tuple[str, Any]]:
    """The Dropdown options for a question: "Not answered" first, then its allowed values."""
    options: list[tuple[str, Any]] = [(NOT_ANSWERED_LABEL, NOT_ANSWERED)]
    if question.kind == "boolean":
        options += [("Yes", True), ("No", False)]
    elif question.kind == "integer":
        assert question.minimum is not None and question.maximum is not None
        options += [(str(number), number) for number in range(question.minimum, question.maximum + 1)]
    else:
        options += [(question.choice_labels[value], value) for value in question.choices]
    return options


def shown_answers(raw: Mapping[str, Any], knowledge: Knowledge) -> dict[str, Any]:
    """The answers to the questions currently shown: the engine's own decision (spotting.relevance)."""
    return dict(relevant_answers(raw, knowledge.questions))


class App:
    """The explorer dashboard. ``app.container`` is the root widget to display."""

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        _ensure_log_handler()
        self.knowledge = knowledge or load_knowledge(region=default_region())
        self.controls: dict[str, widgets.Dropdown] = {}
        self.rows: dict[str, widgets.Box] = {}
        self._summary_wanted = False
        self._muted = False
        self._last_urgency: Urgency | None = None
        # One shared Layout/Style per kind of widget: each is a model the browser must create on
        # first load, and sharing them cuts the app from 258 models to 160.
        self._control_layout = widgets.Layout(width="100%")
        self._control_style = DescriptionStyle(description_width="initial")
        self._text_layout = widgets.Layout()
        self._text_style = HTMLStyle()
        self.results = LiveRegion()
        self.results.add_class("sp-results-region")
        self.banner = widgets.HTML()
        self.banner.add_class("sp-banner")
        self.summary = SummaryDownload(filename=FILENAME)
        self.reset_button = self._build_button("Start again", "Clear every answer", self.reset)
        self.summary_button = self._build_button(
            "Take this to your appointment", "Make a one-page summary to print or download", self._show_summary
        )
        self.help_texts: dict[str, widgets.HTML] = {}
        self.region = self._build_region()
        questions = self._build_questions()
        self.container = self._build_layout(questions)
        self.update()

    # -- building -----------------------------------------------------------------------------

    def _build_button(self, description: str, tooltip: str, action: Any) -> widgets.Button:
        button = widgets.Button(description=description, tooltip=tooltip, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _button: action())
        return button

    def _text(self, html: str) -> widgets.HTML:
        return widgets.HTML(html, layout=self._text_layout, style=self._text_style)

    def _build_region(self) -> widgets.Dropdown:
        """Where the reader is: the first question, so the numbers to call are right from the start.

        Kept only in this page's widget state; it words the services and never changes the advice.
        """
        regions = self.knowledge.regions.values()
        control = widgets.Dropdown(
            options=[(REGION_NOT_CHOSEN, NOT_ANSWERED), *((region.name, region.code) for region in regions)],
            value=self.knowledge.region.code if self.knowledge.region.chosen else NOT_ANSWERED,
            description=REGION_LABEL,
            style=self._control_style,
            layout=self._control_layout,
        )
        control.add_class("sp-question")
        control.add_class("sp-region")
        control.observe(self._on_region, names="value")
        return control

    def _on_region(self, change: Mapping[str, Any]) -> None:
        code = change["new"] or None
        self.knowledge = load_knowledge(self.knowledge.directory, region=code)
        self._muted = True
        try:
            self._relabel()
        finally:
            self._muted = False
        self.update()

    def _relabel(self) -> None:
        """Question wording can name services (the screening start age), so it follows the region;
        each answer is kept."""
        for field, control in self.controls.items():
            question = self.knowledge.questions[field]
            options = options_for(question)
            if control.description != question.label:
                control.description = question.label
            if list(control.options) != options:
                value = control.value
                control.options = options
                control.value = value
            if field in self.help_texts:
                self.help_texts[field].value = f"<p>{escape(question.help)}</p>"

    def _build_control(self, question: Question) -> widgets.Box:
        control = widgets.Dropdown(
            options=options_for(question),
            value=NOT_ANSWERED,
            description=question.label,
            style=self._control_style,
            layout=self._control_layout,
        )
        control.add_class("sp-question")
        control.observe(self._on_change, names="value")
        self.controls[question.field] = control
        parts: list[widgets.Widget] = [control]
        if question.help:
            help_text = self._text(f"<p>{escape(question.help)}</p>")
            help_text.add_class("sp-help")
            self.help_texts[question.field] = help_text
            parts.append(help_text)
        row = widgets.VBox(parts, layout=widgets.Layout(width="100%"))
        self.rows[question.field] = row
        return row

    def _build_questions(self) -> widgets.Box:
        by_group: dict[str, list[Question]] = {group: [] for group in self.knowledge.groups}
        for question in sorted(self.knowledge.questions.values(), key=lambda q: q.order):
            by_group[question.group].append(question)
        sections: list[widgets.Widget] = []
        for group, title in self.knowledge.groups.items():
            if not by_group[group]:
                continue
            heading = self._text(f"<h2>{escape(title)}</h2>")
            heading.add_class("sp-group-heading")
            box = widgets.VBox([heading, *(self._build_control(q) for q in by_group[group])])
            box.add_class(f"sp-group-{group}")
            sections.append(box)
        actions = widgets.HBox([self.reset_button, self.summary_button])
        actions.add_class("sp-actions")
        column = widgets.VBox([self.region, *sections, actions, self.summary])
        column.add_class("sp-questions")
        return column

    def _build_layout(self, questions: widgets.Box) -> widgets.Box:
        style = widgets.HTML(f"<style>{STYLE}</style>", layout=widgets.Layout(display="none"))
        heading = widgets.HTML("<h2 class='sp-visually-hidden'>Your advice</h2>")
        results = widgets.VBox([heading, self.results])
        results.add_class("sp-results-column")
        columns = widgets.Box([questions, results])
        columns.add_class("sp-columns")
        container = widgets.VBox([style, self.banner, columns])
        container.add_class("sp-app")
        return container

    # -- behaviour ----------------------------------------------------------------------------

    def raw_answers(self) -> dict[str, Any]:
        """Every control's value that is not "Not answered", before visibility or validation."""
        return {field: c.value for field, c in self.controls.items() if not _is_not_answered(c.value)}

    def answers(self) -> dict[str, Any]:
        """The answers to pass to ``explain``: shown questions only, validated by the package."""
        shown = shown_answers(self.raw_answers(), self.knowledge)
        return dict(validate_answers(shown, self.knowledge))

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        if not self._muted:
            self.update()

    def update(self) -> None:
        """Redraw everything from the current answers. Never raises: errors become a kind message."""
        try:
            self._update()
        except Exception as error:  # the dashboard must keep working whatever happens
            logger.error("could not update the explorer: %s at %s", type(error).__name__, _where(error))
            self._show_problem(PROBLEM_UNEXPECTED)

    def _update(self) -> None:
        raw = self.raw_answers()
        shown = shown_answers(raw, self.knowledge)
        try:
            answers = validate_answers(shown, self.knowledge)
        except AnswerError as error:
            logger.warning("an answer from the browser was rejected (field %s)", error.field)
            question = self.knowledge.questions.get(error.field or "")
            self._show_problem(PROBLEM_ANSWER.format(label=question.label if question else "one of the questions"))
            return
        explanation = explain(answers, self.knowledge)
        if raw:
            results = render_results(explanation, self.knowledge)
            announcement = self._announcement(explanation.urgency)
            banner = render_banner(explanation, self.knowledge)
            summary = summary_html(explanation, self.knowledge) if self._summary_wanted else ""
        else:  # no verdict before the first answer; the emergency safety net shows at once
            results, announcement = render_start(explanation, self.knowledge), START_ANNOUNCEMENT
            banner = summary = ""
            self._last_urgency = None
        with self.results.hold_sync(), self.banner.hold_sync(), self.summary.hold_sync():
            self._set_visibility(shown)
            self.results.value = results
            self.results.announcement = announcement
            self.banner.value = banner
            self.summary.html = summary

    def _set_visibility(self, shown: Mapping[str, Any]) -> None:
        for field, row in self.rows.items():
            display = None if visible(self.knowledge.questions[field], shown) else "none"
            if row.layout.display != display:
                row.layout.display = display

    def _announcement(self, urgency: Urgency) -> str:
        """One line for screen readers: the advice, and whether it changed (not the whole result)."""
        heading = self.knowledge.levels[urgency].heading
        changed = self._last_urgency is not None and urgency is not self._last_urgency
        self._last_urgency = urgency
        return f"Advice changed: {heading}." if changed else f"Advice: {heading}."

    def _show_problem(self, message: str) -> None:
        self.results.announcement = message
        self.results.value = render_problem(message)
        self.banner.value = ""
        self.summary.html = ""

    def _show_summary(self) -> None:
        self._summary_wanted = True
        self.update()

    def reset(self) -> None:
        """Back to the first-load state: every question "Not answered", no summary. The region
        stays: it is where the reader is, not an answer about them."""
        self._muted = True
        try:
            for control in self.controls.values():
                control.index = 0  # "Not answered" is always the first option
        finally:
            self._muted = False
        self._summary_wanted = False
        self.update()


def _is_not_answered(value: Any) -> bool:
    return isinstance(value, str) and value == NOT_ANSWERED
