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

import asyncio
import logging
import re
import sys
import traceback
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import ipywidgets as widgets
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from ..answers import validate_answers
from ..errors import AnswerError
from ..explain import explain
from ..knowledge import available_languages, default_region, language_from_address, load_knowledge
from ..localise import LANGUAGE_KEY, SOURCE_LANGUAGE, languages, read_catalog, ui_entries
from ..markup import LANGUAGE_LABEL, READ_IN_ENGLISH, UNREVIEWED, asset_text
from ..model import N_, Knowledge
from ..relevance import relevant_answers, visible
from ..urgency import Urgency
from .form import form_spec
from .form_widget import QuestionForm, Routes, form_words
from .intro import TITLE, exit_words, intro_html
from .live import AdviceBar, LiveRegion, PageWords, SummaryDownload, live_words, summary_words
from .results import STYLE, render_banner, render_problem, render_results, start_page
from .summary import FILENAME, summary_html

logger = logging.getLogger(__name__)

NOT_ANSWERED = ""
"""The region Dropdown's "not chosen" value; never a region code, so it can't be confused with one."""

# Every phrase is shown in the reader's language with ``self.knowledge.phrase`` (ui.po msgids).
PROBLEM_ANSWER = N_(
    "We could not use your answer to “{label}”. Please answer it again, or press “Start again”. "
    "Nothing you entered has been saved."
)
ROUTES_HEADING = N_("Where would you like to start?")
"""The first choice's heading; the choices themselves are rows of data/routes.csv."""
REGION_LABEL = N_("Where are you? (for the right phone numbers)")
REGION_NOT_CHOSEN = N_("Not chosen: show every emergency number")

MORE_QUESTIONS = N_("More questions. Each one you answer makes the advice fit you better; none is needed.")

START_ANNOUNCEMENT = N_("Your advice will show here once you answer a question.")

PROBLEM_UNEXPECTED = N_(
    "Something went wrong and the advice could not be updated. Please try changing an answer again, "
    "or press “Start again”. Nothing you entered has been saved. If you are worried, get medical help; "
    "do not wait for this tool."
)
LANGUAGE_CSS = asset_text("language.css")
"""The language's own rules, kept beside the language choice that needs them."""


def prepare() -> Knowledge:
    """Work out, without making a widget, what the first ``App()`` of a page works out before it
    draws: the page's knowledge base, the languages on offer, the form's questions, the engine's
    index of rules and the start page. Each of these is cached for the knowledge base, so an
    ``App()`` made after this only builds its widgets.

    Why: the static site's build calls it before it takes the memory snapshot its visitors' Python
    starts from (spotting_host.static_snapshot.WARM_UP), so a phone does not redo this work on every
    visit (it was about 0.7 s of the second visit's 2.5 s; docs/static-site.md, "Speed"). It makes
    no widget, as a snapshot cannot hold one, and shows nothing."""
    knowledge = load_knowledge(region=default_region(), lang=language_from_address())
    offered_languages(knowledge.directory)
    languages()
    _warm(knowledge)
    return knowledge


def _warm(knowledge: Knowledge) -> None:
    """What a page's first drawing in ``knowledge`` works out, and caches, before any widget."""
    form_spec(knowledge)
    start_page(knowledge)


PRELOAD_AFTER = 1.0
"""Seconds after a page's explorer is built before the other languages are built in the background."""


def preload_languages(knowledge: Knowledge) -> None:
    """Build the other offered languages' knowledge bases one at a time while the kernel is idle,
    so a reader's first switch of language does not wait for one (about 35 ms of Python each,
    +2 MB of memory each).

    Why in the background and only here: a Voila page's kernel is preheated, so it runs this long
    before anyone opens the page; a kernel started for a page has drawn it by then, and a tap
    waits at most one language's build. Not in the static site's browser Python (four times
    slower on a phone, where a tap would wait), nor outside a running event loop (tests, the CLI)."""
    if sys.platform == "emscripten":
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    region = knowledge.region.code if knowledge.region.chosen else None
    waiting = [code for code in available_languages(knowledge.directory) if code != knowledge.language]

    def next_language() -> None:
        if not waiting:
            return
        code = waiting.pop(0)
        try:
            _warm(load_knowledge(knowledge.directory, region=region, lang=code))
        except Exception as error:  # a background nicety must never break the page
            logger.warning("could not prepare a language in advance: %s", type(error).__name__)
        loop.call_later(0.05, next_language)  # one language per idle moment

    loop.call_later(PRELOAD_AFTER, next_language)


def offered_languages(directory: Path) -> tuple[str, ...]:
    """The languages on offer, each with its interface phrases read (a few milliseconds each), so
    the page's first switch to one only builds that language's knowledge base."""
    offered = available_languages(directory)
    for code in offered:
        ui_entries(code)
    return offered


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


class _Shared:
    """Layouts and styles that several of one page's widgets share.

    Every ipywidget has a ``Layout`` and most a style, each a model of its own that the browser
    builds one by one in the page's longest task (desktop Lighthouse's total blocking time,
    issue 19). ipywidgets lets widgets share one ``Layout`` (or style) instance, so widgets whose
    layout never changes share these: 57 models became 33. A widget whose layout is changed
    later (the translation notice's box, the language choice) keeps its own, or the change would
    reach every widget sharing it.
    """

    def __init__(self) -> None:
        self.fixed = widgets.Layout()
        self.hidden = widgets.Layout(display="none")
        self.auto_width = widgets.Layout(width="auto")
        self.html = HTMLStyle()
        self.button = ButtonStyle()
        self.description = DescriptionStyle(description_width="initial")


class App:
    """The explorer dashboard. ``app.container`` is the root widget to display."""

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        _ensure_log_handler()
        shared = self._shared = _Shared()
        self.knowledge = knowledge or load_knowledge(region=default_region(), lang=language_from_address())
        self._summary_wanted = False
        self._last_urgency: Urgency | None = None
        self._handled = 0
        """How many answer changes this kernel has worked through (the live region's ``handled``)."""
        self.results = LiveRegion(layout=shared.fixed)
        self.results.add_class("sp-results-region")
        self.banner = AdviceBar(layout=shared.fixed)
        self.banner.add_class("sp-banner")
        self.summary = SummaryDownload(filename=FILENAME, layout=shared.fixed)
        self.page_words = PageWords(layout=shared.hidden)
        self.page_words.observe(self._on_address, names="address")
        self.reset_button = self._build_button("", "", self.reset)
        self.summary_button = self._build_button("", "", self._show_summary)
        self.language = self._build_language()
        self.notice = widgets.HTML(layout=shared.fixed, style=shared.html)
        self.notice.add_class("sp-translation-notice")
        self.english_button = self._build_button(READ_IN_ENGLISH, READ_IN_ENGLISH, self.read_in_english)
        self.notice_box = widgets.HBox([self.notice, self.english_button])
        self.notice_box.add_class("sp-translation")
        self.region = self._build_region()
        self.routes = Routes(layout=shared.fixed)
        self.more_intro = widgets.HTML(layout=shared.fixed, style=shared.html)
        self.advice_heading = widgets.HTML(layout=shared.fixed, style=shared.html)
        # Two parts of one form: the emergency check, then (on a phone, after the advice) the rest,
        # folded. Each question lives in exactly one part (``form_for``).
        self.emergency_form = QuestionForm(layout=shared.fixed)
        self.more_form = QuestionForm(folds=True, layout=shared.fixed)
        self.forms = (self.emergency_form, self.more_form)
        self._words()
        self._relabel()
        for form in self.forms:
            form.observe(self._on_change, names="answers")
        self.container = self._build_layout()
        self.update()
        preload_languages(self.knowledge)

    # -- building -----------------------------------------------------------------------------

    def _build_button(self, description: str, tooltip: str, action: Any) -> widgets.Button:
        button = widgets.Button(
            description=description, tooltip=tooltip, layout=self._shared.auto_width, style=self._shared.button
        )
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
            style=self._shared.description,
            layout=widgets.Layout(width="100%"),
        )
        control.add_class("sp-question")
        control.add_class("sp-region")
        control.observe(self._on_region, names="value")
        return control

    def _on_region(self, change: Mapping[str, Any]) -> None:
        code = change["new"] or None
        self.knowledge = load_knowledge(self.knowledge.directory, region=code, lang=self.knowledge.language)
        self._relabel()
        self.update()

    def _build_language(self) -> widgets.Dropdown:
        """The language of every word on the page, chosen first; the advice is the same in all.
        Switching reloads no kernel: each language's knowledge base is built once and cached."""
        offered = offered_languages(self.knowledge.directory)
        names = languages()
        control = widgets.Dropdown(
            options=[(names[code].name, code) for code in offered],
            value=self.knowledge.language,
            description=LANGUAGE_LABEL,
            style=self._shared.description,
            layout=widgets.Layout(width="100%"),
        )
        control.add_class("sp-question")
        control.add_class("sp-language")
        if len(offered) == 1:  # English only (a copy without catalogs): no choice to offer
            control.layout.display = "none"
        control.observe(self._on_language, names="value")
        return control

    def _on_address(self, change: Mapping[str, Any]) -> None:
        """The browser's ``?lang=`` (see ``PageWords.address``); a kernel that saw it already, or a
        language not offered, changes nothing."""
        wanted = language_from_address(urlencode({LANGUAGE_KEY: str(change["new"])}))
        if wanted and wanted != self.knowledge.language:
            self.set_language(wanted)

    def _on_language(self, change: Mapping[str, Any]) -> None:
        self.set_language(change["new"])

    def set_language(self, code: str) -> None:
        """Every word in ``code``: the form, the advice, the buttons and the page's lang and dir."""
        region = self.knowledge.region.code if self.knowledge.region.chosen else None
        self.knowledge = load_knowledge(self.knowledge.directory, region=region, lang=code)
        if self.language.value != code:
            self.language.value = code  # observed: comes back here once, with nothing left to do
            return
        self._words()
        self.update()  # the advice first: it is what the person is reading, and the form's
        self._relabel()  # larger redraw (every question, 27 kB) then follows it

    def read_in_english(self) -> None:
        """One tap back to the reference version."""
        self.set_language(SOURCE_LANGUAGE)

    def _words(self) -> None:
        """The interface's own words in the reader's language (the data's come with the knowledge)."""
        say = self.knowledge.phrase
        self.reset_button.description, self.reset_button.tooltip = say("Start again"), say("Clear every answer")
        self.summary_button.description = say("Take this to your appointment")
        self.summary_button.tooltip = say("Make a one-page summary to print or download")
        options = [(say(REGION_NOT_CHOSEN), NOT_ANSWERED), *((r.name, r.code) for r in self.knowledge.regions.values())]
        if list(self.region.options) != options:  # new words, same place: the value is kept
            value = self.region.value
            self.region.unobserve(self._on_region, names="value")
            self.region.options = options
            self.region.value = value
            self.region.observe(self._on_region, names="value")
        self.region.description = say(REGION_LABEL)
        self.routes.heading = say(ROUTES_HEADING)
        self.routes.routes = [
            {"id": r.id, "label": r.label, "field": r.field, "also": list(r.also)} for r in self.knowledge.routes
        ]
        more, advice = escape(say(MORE_QUESTIONS)), escape(say("Your advice"))
        self.more_intro.value = f"<p class='sp-hint sp-more-intro'>{more}</p>"
        self.advice_heading.value = f"<h2 class='sp-visually-hidden'>{advice}</h2>"
        for form in self.forms:  # before ``spec`` (``_relabel``): the form is drawn with them
            form.messages = form_words(say)
        self.results.messages = live_words(say)
        self.summary.messages = summary_words(say)
        english = self.knowledge.language == SOURCE_LANGUAGE
        with self.page_words.hold_sync():  # "" puts back the English the notebook carries
            self.page_words.lang, self.page_words.dir = self.knowledge.language, self.direction
            self.page_words.intro = "" if english else intro_html(say)
            self.page_words.title = "" if english else say(TITLE)
            self.page_words.exit = exit_words(say)
        self.notice.value, shown = self._notice()
        self.notice_box.layout.display = shown  # no empty line on an English page (it pushes the advice down)
        if hasattr(self, "container"):  # not on the first call, before the layout exists
            for direction in ("ltr", "rtl"):
                self.container.remove_class(f"sp-dir-{direction}")
            self.container.add_class(f"sp-dir-{self.direction}")

    @property
    def direction(self) -> str:
        """``ltr`` or ``rtl`` (Arabic): the page's ``dir``."""
        language = languages().get(self.knowledge.language)
        return language.direction if language else "ltr"

    def _notice(self) -> tuple[str, str]:
        """The unreviewed-translation line, in the reader's language and in English, and whether
        the "Read in English" button shows: only for a translation no clinician has reviewed."""
        code = self.knowledge.language
        catalog = read_catalog(code) if code != SOURCE_LANGUAGE else None
        if catalog is None or catalog.reviewed_by:
            return "", "none"
        name = languages()[code]
        local = self.knowledge.phrase(UNREVIEWED).format(language=name.name)
        english = UNREVIEWED.format(language=name.english_name)
        return (
            f'<p class="sp-notice" role="note"><span lang="{escape(code, quote=True)}" dir="{self.direction}">'
            f'{escape(local)}</span> <span lang="en" dir="ltr">{escape(english)}</span></p>',
            "",
        )

    def _in_language(self, html: str) -> str:
        """HTML marked with its language and direction, so screen readers pronounce it right and
        Arabic reads right to left; English (the page's own language) and empty stay as they are."""
        if not html or self.knowledge.language == SOURCE_LANGUAGE:
            return html
        # On each part, not around them: the live region redraws part by part (data-section).
        marked = f' lang="{escape(self.knowledge.language, quote=True)}" dir="{self.direction}"'
        html = re.sub(r"<section\b", "<section" + marked, html)
        return re.sub(r'<p(?= class="sp-(?:guidance-note|banner--))', "<p" + marked, html)

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
        shared = self._shared
        style = widgets.HTML(f"<style>{STYLE}{LANGUAGE_CSS}</style>", layout=shared.hidden, style=shared.html)
        # The top of the page: read before anything.
        language = widgets.VBox([self.language, self.notice_box], layout=shared.fixed)
        language.add_class("sp-language-choice")
        first = widgets.VBox([self.routes, self.region, self.emergency_form], layout=shared.fixed)
        first.add_class("sp-questions")
        first.add_class("sp-questions--first")
        actions = widgets.HBox([self.reset_button, self.summary_button], layout=shared.fixed)
        actions.add_class("sp-actions")
        more = widgets.VBox([self.more_intro, self.more_form, actions, self.summary], layout=shared.fixed)
        more.add_class("sp-questions")
        more.add_class("sp-questions--more")
        results = widgets.VBox([self.advice_heading, self.results], layout=shared.fixed)
        results.add_class("sp-results-column")
        columns = widgets.Box([first, results, more], layout=shared.fixed)
        columns.add_class("sp-columns")
        container = widgets.VBox([style, language, self.banner, columns, self.page_words], layout=shared.fixed)
        container.add_class("sp-app")
        container.add_class(f"sp-dir-{self.direction}")
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
            self._show_problem(self.knowledge.phrase(PROBLEM_UNEXPECTED))

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
            label = question.label if question else self.knowledge.phrase("one of the questions")
            self._show_problem(self.knowledge.phrase(PROBLEM_ANSWER).format(label=label))
            return
        if any(form.answers for form in self.forms):  # "I'm not sure" is a first answer: the advice shows
            explanation = explain(answers, self.knowledge)
            results = render_results(explanation, self.knowledge)
            announcement = self._announcement(explanation.urgency, explanation.emergency)
            banner = render_banner(explanation, self.knowledge)
            summary = summary_html(explanation, self.knowledge) if self._summary_wanted else ""
        else:  # no verdict before the first answer; the emergency safety net shows at once
            results, announcement = start_page(self.knowledge), self.knowledge.phrase(START_ANNOUNCEMENT)
            banner = summary = ""
            self._last_urgency = None
        with self.results.hold_sync(), self.banner.hold_sync(), self.summary.hold_sync():
            self._set_visibility(answers)
            self.results.value = self._in_language(results)
            self.results.announcement = announcement
            self.results.handled = self._handled
            self.banner.value = self._in_language(banner)
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
        say = self.knowledge.phrase
        line = (say("Advice changed: {heading}.") if changed else say("Advice: {heading}.")).format(heading=heading)
        number = self.knowledge.services["emergency_number"]
        if urgency is Urgency.EMERGENCY and not number.tel and emergency:
            line = f"{line} {emergency}"
        return line

    def _show_problem(self, message: str) -> None:
        self.results.announcement = message
        self.results.handled = self._handled
        self.results.value = self._in_language(render_problem(message, self.knowledge.phrase("Sorry")))
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
