"""The explorer: an ipywidgets App that asks the questions (one form, :mod:`.form`) and redraws the
explanation whenever an answer changes. ``notebooks/explorer.ipynb`` ends on ``App().container``.

The shape follows the Voila gallery apps: private ``_build_*`` helpers make the widgets from
data/ (questions, groups, choices), one change handler, and one ``update()`` that redraws the
whole view from the current answers. Nothing clinical is decided here: which questions are asked
comes from their ``show_if`` conditions and everything else from ``spotting.explain``.

The questions are radios and number boxes drawn by one anywidget (:class:`.form_widget.QuestionForm`;
its docstring says why). Where you are is a Dropdown: it is not an answer about you, it has eight
places, and a native ``<select>`` is tied to its label for screen readers and the keyboard.

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

from ..answers import validate_answers
from ..errors import AnswerError
from ..explain import explain
from ..knowledge import default_region, load_knowledge
from ..model import Knowledge
from ..relevance import relevant_answers, visible
from ..urgency import Urgency
from .form import form_spec
from .form_widget import QuestionForm, Routes
from .live import AdviceBar, LiveRegion, SummaryDownload
from .results import STYLE, render_banner, render_problem, render_results, render_start
from .summary import FILENAME, summary_html

logger = logging.getLogger(__name__)

NOT_ANSWERED = ""
"""The region Dropdown's "not chosen" value; never a region code, so it can't be confused with one."""

PROBLEM_ANSWER = (
    "We could not use your answer to “{label}”. Please answer it again, or press “Start again”. "
    "Nothing you entered has been saved."
)
ROUTES_HEADING = "Where would you like to start?"
"""The first choice's heading; the choices themselves are rows of data/routes.csv."""
REGION_LABEL = "Where are you? (for the right phone numbers)"
REGION_NOT_CHOSEN = "Not chosen: show every emergency number"

MORE_QUESTIONS = "More questions. Each one you answer makes the advice fit you better; none is needed."

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


def _fields(questions: list[dict[str, Any]]) -> set[str]:
    """Every field in a part of the form spec, follow-ups included."""
    return {q["field"] for q in questions} | {f for q in questions for f in _fields(q["followups"])}


def shown_answers(raw: Mapping[str, Any], knowledge: Knowledge) -> dict[str, Any]:
    """The answers to the questions currently shown: the engine's own decision (spotting.relevance)."""
    return dict(relevant_answers(raw, knowledge.questions))


class App:
    """The explorer dashboard. ``app.container`` is the root widget to display."""

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        _ensure_log_handler()
        self.knowledge = knowledge or load_knowledge(region=default_region())
        self._summary_wanted = False
        self._last_urgency: Urgency | None = None
        self._handled = 0
        """How many answer changes this kernel has worked through (the live region's ``handled``)."""
        self.results = LiveRegion()
        self.results.add_class("sp-results-region")
        self.banner = AdviceBar()
        self.banner.add_class("sp-banner")
        self.summary = SummaryDownload(filename=FILENAME)
        self.reset_button = self._build_button("Start again", "Clear every answer", self.reset)
        self.summary_button = self._build_button(
            "Take this to your appointment", "Make a one-page summary to print or download", self._show_summary
        )
        self.region = self._build_region()
        self.routes = Routes(
            heading=ROUTES_HEADING,
            routes=[
                {"id": r.id, "label": r.label, "field": r.field, "also": list(r.also)} for r in self.knowledge.routes
            ],
        )
        # Two parts of one form: the emergency check, then (on a phone, after the advice) the rest,
        # folded. Each question lives in exactly one part (``form_for``).
        self.emergency_form = QuestionForm()
        self.more_form = QuestionForm(folds=True)
        self.forms = (self.emergency_form, self.more_form)
        self._relabel()
        for form in self.forms:
            form.observe(self._on_change, names="answers")
        self.container = self._build_layout()
        self.update()

    # -- building -----------------------------------------------------------------------------

    def _build_button(self, description: str, tooltip: str, action: Any) -> widgets.Button:
        button = widgets.Button(description=description, tooltip=tooltip, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _button: action())
        return button

    def _build_region(self) -> widgets.Dropdown:
        """Where the reader is: the first question, so the numbers to call are right from the start.

        Kept only in this page's widget state; it words the services and never changes the advice.
        """
        regions = self.knowledge.regions.values()
        control = widgets.Dropdown(
            options=[(REGION_NOT_CHOSEN, NOT_ANSWERED), *((region.name, region.code) for region in regions)],
            value=self.knowledge.region.code if self.knowledge.region.chosen else NOT_ANSWERED,
            description=REGION_LABEL,
            style=DescriptionStyle(description_width="initial"),
            layout=widgets.Layout(width="100%"),
        )
        control.add_class("sp-question")
        control.add_class("sp-region")
        control.observe(self._on_region, names="value")
        return control

    def _on_region(self, change: Mapping[str, Any]) -> None:
        code = change["new"] or None
        self.knowledge = load_knowledge(self.knowledge.directory, region=code)
        self._relabel()
        self.update()

    def _relabel(self) -> None:
        """Fill both parts of the form from data/ in the reader's region. Question wording can name
        services (the screening start age), so it follows the region; the browser keeps each
        answer, which lives in the forms' ``answers``."""
        first, *rest = form_spec(self.knowledge)
        self.emergency_form.spec = [first]
        self.more_form.spec = rest

    def form_for(self, field: str) -> QuestionForm:
        """The part of the form that asks ``field`` (a follow-up is asked where its parent is)."""
        for form in self.forms:
            if any(field in _fields(group["questions"]) for group in form.spec):
                return form
        raise KeyError(field)

    def _build_layout(self) -> widgets.Box:
        """Reading order is the phone's: where you are and the emergency check, the advice, then
        the other questions. On a wide screen CSS puts the advice in a column of its own beside
        all the questions (a grid, so the order in the page stays the reading order)."""
        style = widgets.HTML(f"<style>{STYLE}</style>", layout=widgets.Layout(display="none"))
        first = widgets.VBox([self.routes, self.region, self.emergency_form])
        first.add_class("sp-questions")
        first.add_class("sp-questions--first")
        actions = widgets.HBox([self.reset_button, self.summary_button])
        actions.add_class("sp-actions")
        more_intro = widgets.HTML(f"<p class='sp-hint sp-more-intro'>{escape(MORE_QUESTIONS)}</p>")
        more = widgets.VBox([more_intro, self.more_form, actions, self.summary])
        more.add_class("sp-questions")
        more.add_class("sp-questions--more")
        heading = widgets.HTML("<h2 class='sp-visually-hidden'>Your advice</h2>")
        results = widgets.VBox([heading, self.results])
        results.add_class("sp-results-column")
        columns = widgets.Box([first, results, more])
        columns.add_class("sp-columns")
        container = widgets.VBox([style, self.banner, columns])
        container.add_class("sp-app")
        return container

    # -- behaviour ----------------------------------------------------------------------------

    def raw_answers(self) -> dict[str, Any]:
        """What the browser sent, without "I'm not sure" (``null``), before validation or visibility."""
        return {field: value for form in self.forms for field, value in form.answers.items() if value is not None}

    def answers(self) -> dict[str, Any]:
        """The answers to pass to ``explain``: validated by the package, shown questions only."""
        return shown_answers(validate_answers(self.raw_answers(), self.knowledge), self.knowledge)

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        self._handled += 1
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
        try:  # widget state is client input: check every value before anything reads it
            answers = shown_answers(validate_answers(raw, self.knowledge), self.knowledge)
        except AnswerError as error:
            question = self.knowledge.questions.get(error.field or "")
            # Only the kind: a field name comes from the browser, and even a real one says which
            # question this person was answering.
            kind = "a value not allowed" if question else "an unknown field"
            logger.warning("an answer from the browser was rejected (%s)", kind)
            self._show_problem(PROBLEM_ANSWER.format(label=question.label if question else "one of the questions"))
            return
        explanation = explain(answers, self.knowledge)
        if any(form.answers for form in self.forms):  # "I'm not sure" is a first answer: the advice shows
            results = render_results(explanation, self.knowledge)
            announcement = self._announcement(explanation.urgency, explanation.emergency)
            banner = render_banner(explanation, self.knowledge)
            summary = summary_html(explanation, self.knowledge) if self._summary_wanted else ""
        else:  # no verdict before the first answer; the emergency safety net shows at once
            results, announcement = render_start(explanation, self.knowledge), START_ANNOUNCEMENT
            banner = summary = ""
            self._last_urgency = None
        with self.results.hold_sync(), self.banner.hold_sync(), self.summary.hold_sync():
            self._set_visibility(answers)
            self.results.value = results
            self.results.announcement = announcement
            self.results.handled = self._handled
            self.banner.value = banner
            self.summary.html = summary

    def _set_visibility(self, shown: Mapping[str, Any]) -> None:
        asked = [field for field, question in self.knowledge.questions.items() if visible(question, shown)]
        for form in self.forms:
            if form.shown != asked:
                form.shown = asked

    def _announcement(self, urgency: Urgency, emergency: str) -> str:
        """One line for screen readers: the advice, and whether it changed (not the whole result).

        An emergency always says the number to call: the region's is in the heading; with none
        chosen, every number is added in words (the card's own list), as nothing can be tapped."""
        heading = self.knowledge.levels[urgency].heading
        changed = self._last_urgency is not None and urgency is not self._last_urgency
        self._last_urgency = urgency
        line = f"Advice changed: {heading}." if changed else f"Advice: {heading}."
        number = self.knowledge.services["emergency_number"]
        if urgency is Urgency.EMERGENCY and not number.tel and emergency:
            line = f"{line} {emergency}"
        return line

    def _show_problem(self, message: str) -> None:
        self.results.announcement = message
        self.results.handled = self._handled
        self.results.value = render_problem(message)
        self.banner.value = ""
        self.summary.html = ""

    def _show_summary(self) -> None:
        self._summary_wanted = True
        self.update()

    def reset(self) -> None:
        """Back to the first-load state: nothing answered, no summary. The region stays: it is
        where the reader is, not an answer about them."""
        self._summary_wanted = False
        for form in self.forms:
            with form.hold_sync():
                form.answers = {}
                form.generation += 1
