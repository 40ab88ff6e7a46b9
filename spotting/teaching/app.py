"""The teaching-session dashboard: the widget layer over :mod:`.quiz`, :mod:`.pages` and :mod:`.charts`.

Why a separate module: callbacks in Voila fail silently, so every decision lives in
``quiz``, ``pages`` and ``charts`` (plain functions, unit-tested) and this file only wires widgets to them,
in the "App class" shape: ``_build_*`` helpers, small change handlers, and one ``_update()`` that
redraws the view from the current state.

Accessibility choices (ipywidgets 8 sliders and radio groups have no accessible group name):
only Dropdowns, Checkboxes and Buttons,
each with a ``description`` (their accessible name); no sliders or toggle buttons; feedback in a
``role="status"`` region; large type, and a bigger "projector" size, set by CSS on the container.

Two pages, never a switch: ``notebooks/teaching.ipynb`` is the learner page and
``notebooks/facilitator.ipynb`` the facilitator's (``spotting serve facilitator``, its own port,
loopback only). The mode is fixed when the app is made, so a learner cannot turn on the notes,
reveal without choosing, or print the answer sheet (UX review finding 8).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any
from urllib.parse import urlencode

import ipywidgets as widgets

from ..explain import DISCLAIMER
from ..knowledge import available_languages, default_region, language_from_address, load_knowledge
from ..localise import LANGUAGE_KEY, SOURCE_LANGUAGE, languages
from ..markup import LANGUAGE_LABEL, READ_IN_ENGLISH, asset_text, unreviewed_html
from ..model import N_, Knowledge
from ..quick_exit import exit_words
from .charts import CHART_CSS, charts_html
from .intro import TITLE, intro_html
from .live import FocusMover, LiveStatus, PageWords
from .pages import (
    TEACHING_CSS,
    data_uri,
    facilitator_handout_html,
    facilitator_notes_html,
    feedback_html,
    handout_html,
    myths_html,
    reveal_html,
    safeguarding_html,
    scenario_card_html,
    worksheet_html,
)
from .plan import ClassroomData, load_classroom
from .quiz import Attempt, assess, cause_options, level_options, parse_choice, scenario_by_id
from .room import ROOM_CSS, FacilitatorRoom, LearnerRoom
from .store import ClassroomStore, SessionState

SECTIONS = (
    (N_("Scenarios"), "scenarios"),
    (N_("Myths and facts"), "myths"),
    (N_("Charts"), "charts"),
    (N_("Handout"), "handout"),
)
FACILITATOR_SECTIONS = (
    *SECTIONS,
    (N_("Ground rules and safeguarding"), "safeguarding"),
    (N_("Live votes"), "live"),
    (N_("Questions from the room (private)"), "questions"),
)
"""The facilitator page adds the safeguarding script (data/safeguarding.csv), the live votes
and the private list of learners' questions, each as its own section."""
MODES = (("Learner", "learner"), ("Facilitator", "facilitator"))
"""The two pages' modes: each notebook fixes one; there is no control to change it."""

# ipywidgets draws labels at a fixed small size and cuts long ones off; these rules let the
# controls grow with the text, wrap, and keep a visible keyboard focus and 24 px targets.
WIDGET_CSS = asset_text("teaching-widgets.css")
LANGUAGE_CSS = asset_text("language.css")
"""Right to left (Arabic) and the unreviewed-translation notice, as on the explorer."""
# ipywidgets styles a focused button with a 1 px outline at higher specificity
# (.jupyter-button:focus:enabled), so the button rule names that class too (UX review, WCAG 2.4.7).
# Its checkboxes are 300 px wide and the cause grid's columns at least 20em: on a 390 px phone the
# labels were cut off (WCAG 1.4.10), so both shrink to the screen.

_WIDE = {"description_width": "initial"}

# The learner page's words, shown with ``self.knowledge.phrase`` in the reader's language.
REGION_LABEL = N_("Services for")
NO_REGION = N_("No region (every emergency number)")
PROJECTOR = N_("Large type for a projector")
SHOW = N_("Show")
SCENARIO = N_("Scenario")
CAUSES_HEADING = N_("Which causes are likely? Tick any that fit.")
REVEAL, REVEAL_TIP = N_("Reveal the answer"), N_("Show what the tool says, and feedback on your choice")
NEXT, NEXT_TIP = N_("Next scenario"), N_("Go to the next scenario")
HANDOUT, HANDOUT_TIP = N_("Make the handout"), N_("Make a printable page")
FIGURES = N_("Figures")
CHOOSE_FIRST = N_("Choose a level in \u201cWhat would you advise?\u201d first, then reveal the answer.")
CHOOSE_THEN_REVEAL = N_("Choose a level and any likely causes, then press \u201cReveal the answer\u201d.")
LEARNER_HANDOUT = N_(
    "A printable page of the scenarios you revealed, with your answers and the feedback, plus the myths "
    "and facts, the figures and the sources."
)
REVEAL_FIRST = N_("Reveal a scenario first: the handout covers the scenarios you revealed.")
DOWNLOAD = N_("Download {what}. Open it, then print or save as PDF.")
PRINT_IN = N_("Print the worksheet and the handouts in")
TEACH_MIX = N_(
    "The worksheet and the handouts print only these. The guide's mix is ticked: four scenarios and the "
    "three warm-up myths."
)
BEFORE = N_(
    "the learner worksheet (stories and myths, space to write, no answers) and, for you, the facilitator "
    "handout (the answers)."
)
AFTER = N_(
    "the session handout: the scenarios you revealed, the room's answers and feedback, myths, figures and sources."
)
NOTES_SUMMARY = N_("Facilitator notes (expected answer)")
KEEP_IT = N_("It shows the expected answers, so keep it on your own computer. Learners use the learner page.")


class TeachingApp:
    """A teaching session: scenarios with a quiz and reveal, myths and facts, charts, a handout.

    ``mode`` is ``"learner"`` (choose a level before revealing; no notes; a handout of what was
    revealed) or ``"facilitator"`` (notes, reveal without choosing, the worksheet and the answer
    sheet). It is fixed for the life of the page.
    """

    def __init__(self, knowledge: Knowledge | None = None, mode: str = "learner", store: ClassroomStore | None = None):
        if mode not in dict(MODES).values():
            raise ValueError(f"mode must be one of {', '.join(v for _, v in MODES)}, not {mode!r}")
        self.mode = mode
        self.knowledge = knowledge or load_knowledge(region=default_region(), lang=language_from_address())
        self.classroom: ClassroomData = load_classroom(self.knowledge)
        self.shown_myths: set[str] = set()
        """Myths whose answer the facilitator has revealed to the room (a learner sees only these)."""
        self.live_choice: tuple[list[str], list[str]] | None = None
        """A learner page in a live session teaches the facilitator's scenarios and myths."""
        self.attempts: list[Attempt] = []
        self.revealed = False
        self.hint = ""
        self._resetting = False
        self._build_controls()
        self._build_scenario_section()
        self._build_other_sections()
        self._words()
        if self.facilitator:
            self.room: FacilitatorRoom | LearnerRoom = FacilitatorRoom(self, store)
            self.live_box = self.room.live_box
            self.questions_box = self.room.private_box
            learner_live: list[widgets.Widget] = []
        else:
            self.room = LearnerRoom(self, store)
            self.live_box = self.questions_box = widgets.VBox()
            learner_live = [self.room.box]
        self.container = widgets.VBox(
            [
                self.style,
                self.page_words,
                self.language_box,
                self.header,
                *learner_live,
                widgets.HBox(
                    [self.region, self.projector, self.section],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.scenarios_box,
                self.myths_box,
                self.charts_box,
                self.handout_box,
                self.safeguarding_box,
                self.live_box,
                self.questions_box,
                self.focus,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.container.add_class("spotting-teaching")
        self.container.add_class("sp-page-language")  # page-words.js gives it the page's lang and dir
        self._set_direction()
        self._new_scenario()

    # ------------------------------------------------------------------------------ building

    @property
    def facilitator(self) -> bool:
        return self.mode == "facilitator"

    def _build_controls(self) -> None:
        self.style = widgets.HTML(f"<style>{TEACHING_CSS}{CHART_CSS}{WIDGET_CSS}{ROOM_CSS}{LANGUAGE_CSS}</style>")
        self.header = widgets.HTML(self._header())
        self.focus = FocusMover()
        self.page_words = PageWords(layout=widgets.Layout(display="none"))
        self.page_words.observe(self._on_address, names="address")
        offered = available_languages(self.knowledge.directory)
        names = languages()
        self.language = widgets.Dropdown(
            description=LANGUAGE_LABEL,
            options=[(names[code].name, code) for code in offered],
            value=self.knowledge.language,
            style=_WIDE,
        )
        self.language.add_class("sp-language")
        self.language.observe(lambda change: self.set_language(change["new"]), names="value")
        self.notice = widgets.HTML()
        self.english_button = widgets.Button(description=READ_IN_ENGLISH, layout={"width": "auto"})
        self.english_button.on_click(lambda _button: self.set_language(SOURCE_LANGUAGE))
        self.notice_box = widgets.HBox([self.notice, self.english_button])
        self.notice_box.add_class("sp-translation")
        # On the facilitator page everything follows the language: the controls, what the room
        # sees, the facilitator notes, the safeguarding script and the answer bank.
        self.language_box = widgets.VBox(
            [self.language, self.notice_box], layout=widgets.Layout(display="none" if len(offered) == 1 else None)
        )
        regions = self.knowledge.regions.values()
        self.region = widgets.Dropdown(
            options=[(NO_REGION, ""), *((r.name, r.code) for r in regions)],
            value=self.knowledge.region.code if self.knowledge.region.chosen else "",
            style=_WIDE,
            layout=widgets.Layout(width="auto"),  # a longer label (Welsh, Arabic) must not squeeze the choice
        )
        self.region.observe(self._on_region, names="value")
        self.projector = widgets.Checkbox(value=False, indent=False)
        sections = FACILITATOR_SECTIONS if self.facilitator else SECTIONS
        self.section = widgets.Dropdown(
            options=sections, value="scenarios", style=_WIDE, layout=widgets.Layout(width="auto")
        )
        self.section.observe(lambda _change: self._update(), names="value")
        self.projector.observe(self._on_projector, names="value")

    def _build_scenario_section(self) -> None:
        options = [(f"{n}. {s.title}", s.id) for n, s in enumerate(self.knowledge.scenarios, start=1)]
        self.scenario = widgets.Dropdown(options=options, style=_WIDE, layout=widgets.Layout(width="auto"))
        self.card = widgets.HTML()
        self.level = widgets.Dropdown(
            options=level_options(self.knowledge),
            value="",
            style=_WIDE,
            layout=widgets.Layout(width="auto"),
        )
        self.causes = {
            cause_id: widgets.Checkbox(description=name, value=False, indent=False, layout=widgets.Layout(width="auto"))
            for name, cause_id in cause_options(self.knowledge)
        }
        causes_grid = widgets.GridBox(
            list(self.causes.values()),
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(20em, 1fr))", width="100%"),
        )
        self.reveal_button = widgets.Button(button_style="primary", layout={"width": "auto"})
        self.next_button = widgets.Button(layout={"width": "auto"})
        self.causes_heading = widgets.HTML()
        self.notes = widgets.HTML()
        self.status = LiveStatus()
        self.reveal = widgets.HTML()
        self.scenario.observe(lambda _change: None if self._resetting else self._new_scenario(), names="value")
        self.level.observe(self._on_choice, names="value")
        for box in self.causes.values():
            box.observe(self._on_choice, names="value")
        self.reveal_button.on_click(lambda _button: self._on_reveal())
        self.next_button.on_click(lambda _button: self._on_next())
        quiz = widgets.VBox(
            [
                self.level,
                self.causes_heading,
                causes_grid,
                widgets.HBox([self.reveal_button, self.next_button], layout=widgets.Layout(flex_flow="row wrap")),
            ]
        )
        quiz.add_class("sp-quiz")
        story = widgets.HBox([widgets.VBox([self.card, self.notes]), quiz])
        answer = widgets.HBox([self.status, self.reveal])
        for row in (story, answer):
            row.add_class("sp-columns")
        answer.add_class("sp-answer")
        self.scenarios_box = widgets.VBox([self.scenario, story, answer])

    def _build_other_sections(self) -> None:
        self.myths = widgets.HTML(self._myths())
        self.myths_box = widgets.VBox([self.myths])
        self.safeguarding = widgets.HTML(self._safeguarding() if self.facilitator else "")
        self.safeguarding_box = widgets.VBox([self.safeguarding])
        self.charts = widgets.HTML(self._charts())
        self.teach_heading, self.myths_heading = widgets.HTML(), widgets.HTML()
        self.charts_box = widgets.VBox([self.charts])
        self.handout_button = widgets.Button(layout={"width": "auto"})
        self.handout_link = widgets.HTML()
        self.handout_button.on_click(lambda _button: self._make_handout())
        if self.facilitator:
            self.worksheet_button = widgets.Button(layout={"width": "auto"})
            self.answers_button = widgets.Button(layout={"width": "auto"})
            # The learner worksheet, the session handout and the facilitator's answer sheet can be
            # printed in any offered language, whatever the page's own language.
            offered = available_languages(self.knowledge.directory)
            names = languages()
            self.print_language = widgets.Dropdown(
                options=[(names[code].name, code) for code in offered],
                value=SOURCE_LANGUAGE,
                style=_WIDE,
            )
            if len(offered) == 1:
                self.print_language.layout.display = "none"
            self.worksheet_button.on_click(lambda _button: self._make_worksheet())
            self.answers_button.on_click(lambda _button: self._make_answer_sheet())
            plan = self.classroom.plan
            self.use_scenario = {
                s.id: widgets.Checkbox(
                    description=f"{n}. {s.title}", value=s.id in plan.scenario_ids, indent=False,
                    layout=widgets.Layout(width="auto"),
                )
                for n, s in enumerate(self.knowledge.scenarios, start=1)
            }  # fmt: skip
            self.use_myth = {
                m.id: widgets.Checkbox(
                    description=f"Myth {n}: {m.claim}", value=m.id in plan.myth_ids, indent=False,
                    layout=widgets.Layout(width="auto"),
                )
                for n, m in enumerate(self.knowledge.myths, start=1)
            }  # fmt: skip
            choose = widgets.VBox(
                [
                    self.teach_heading,
                    widgets.GridBox(list(self.use_scenario.values()), layout=widgets.Layout(width="100%")),
                    self.myths_heading,
                    widgets.GridBox(list(self.use_myth.values()), layout=widgets.Layout(width="100%")),
                ]
            )
            intro = ""  # in the page's language: ``_facilitator_words``
            buttons = [self.worksheet_button, self.answers_button, self.handout_button]
            extra: list[widgets.Widget] = [choose, self.print_language]
        else:
            intro = ""  # in the reader's language: ``_words``
            buttons = [self.handout_button]
            extra = []
        self.handout_intro = widgets.HTML(intro)
        self.handout_box = widgets.VBox(
            [
                self.handout_intro,
                *extra,
                widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
                self.handout_link,
            ]
        )

    def _charts(self) -> str:
        return f"<h2>{escape(self.knowledge.phrase(FIGURES))}</h2>" + charts_html(self.knowledge)

    def _header(self) -> str:
        emergency = self.knowledge.services["emergency_line"].text
        title = escape(self.knowledge.phrase(TITLE))
        say = self.knowledge.phrase
        page, keep = escape(say("Facilitator page.")), escape(say(KEEP_IT))
        facilitator = f'<p class="note facilitator-page"><strong>{page}</strong> {keep}</p>' if self.facilitator else ""
        mode = " " + say("(facilitator)") if self.facilitator else ""
        return (
            f"<h1>{title}{escape(mode)}</h1>"
            f'<p class="note">{escape(self.knowledge.phrase(DISCLAIMER))} {escape(emergency)}</p>{facilitator}'
        )

    # ------------------------------------------------------------------------------ handlers

    def _on_region(self, change: dict[str, Any]) -> None:
        """The facilitator picks where the session is: scenarios, quiz and figures name that
        region's services. The expected answers (how soon) are the same everywhere."""
        if not self._resetting:  # not while its choices are relabelled (``_options``)
            self._reload(change["new"] or None, self.knowledge.language)

    def _on_address(self, change: Mapping[str, Any]) -> None:
        """``?lang=`` as the browser sent it (a preheated kernel never saw the address)."""
        wanted = language_from_address(urlencode({LANGUAGE_KEY: str(change["new"])}))
        if wanted and wanted != self.knowledge.language:
            self.set_language(wanted)

    def set_language(self, code: str) -> None:
        """Every word of the learner page in ``code``, the choices kept; the advice is the same."""
        if self.language.value != code:
            self.language.value = code  # observed: comes back here once
            return
        if code != self.knowledge.language:
            region = self.knowledge.region.code if self.knowledge.region.chosen else None
            self._reload(region, code)

    def _reload(self, region: str | None, language: str) -> None:
        """The knowledge base for another region or language, and every word redrawn from it."""
        self.knowledge = load_knowledge(self.knowledge.directory, region=region, lang=language)
        self.classroom = load_classroom(self.knowledge)  # the safeguarding script and answer bank in its words
        self._words()
        self.header.value = self._header()
        self.myths.value = self._myths()
        if self.facilitator:
            self.safeguarding.value = self._safeguarding()
        self.charts.value = self._charts()
        self.room.words()
        self._set_direction()
        self._update()

    def _set_direction(self) -> None:
        language = languages().get(self.knowledge.language)
        direction = language.direction if language else "ltr"
        for old in ("ltr", "rtl"):
            self.container.remove_class(f"sp-dir-{old}")
        self.container.add_class(f"sp-dir-{direction}")

    def _words(self) -> None:
        """The controls' words in the page's language; the values chosen are kept."""
        knowledge = self.knowledge
        say = knowledge.phrase
        english = knowledge.language == SOURCE_LANGUAGE
        language = languages().get(knowledge.language)
        with self.page_words.hold_sync():  # "" puts back the English the notebook carries
            self.page_words.lang = knowledge.language
            self.page_words.dir = language.direction if language else "ltr"
            self.page_words.intro = "" if english else intro_html(say, facilitator=self.facilitator)
            self.page_words.exit = exit_words(say)
            self.page_words.title = "" if english else say(TITLE)
        self.notice.value = unreviewed_html(knowledge)
        self.notice_box.layout.display = None if self.notice.value else "none"
        self.region.description = say(REGION_LABEL)
        self._options(self.region, [(say(NO_REGION), ""), *((r.name, r.code) for r in knowledge.regions.values())])
        self.projector.description = say(PROJECTOR)
        self.section.description = say(SHOW)
        sections = FACILITATOR_SECTIONS if self.facilitator else SECTIONS
        self._options(self.section, [(say(label), value) for label, value in sections])
        self.scenario.description = say(SCENARIO)
        titles = [(f"{n}. {s.title}", s.id) for n, s in enumerate(knowledge.scenarios, start=1)]
        self._options(self.scenario, titles)
        self.level.description = say("What would you advise?")
        levels = [(say(label) if value == "" else label, value) for label, value in level_options(knowledge)]
        self._options(self.level, levels)
        names = dict((cause_id, name) for name, cause_id in cause_options(knowledge))
        for cause_id, box in self.causes.items():
            box.description = names[cause_id]
        self.causes_heading.value = f"<h4>{escape(say(CAUSES_HEADING))}</h4>"
        self.reveal_button.description, self.reveal_button.tooltip = say(REVEAL), say(REVEAL_TIP)
        self.next_button.description, self.next_button.tooltip = say(NEXT), say(NEXT_TIP)
        self.handout_button.description, self.handout_button.tooltip = say(HANDOUT), say(HANDOUT_TIP)
        if self.facilitator:
            self._facilitator_words()
        else:
            handout = escape(say("Handout"))
            self.handout_intro.value = f"<h2>{handout}</h2><p>{escape(say(LEARNER_HANDOUT))}</p>"
        self.handout_link.value = ""

    def _facilitator_words(self) -> None:
        say = self.knowledge.phrase
        self.worksheet_button.description = say("Make the learner worksheet")
        self.worksheet_button.tooltip = say("The stories and myths with space to write: no answers")
        self.answers_button.description = say("Make the facilitator handout")
        self.answers_button.tooltip = say("The expected answers, for you only")
        self.print_language.description = say(PRINT_IN)
        for n, scenario in enumerate(self.knowledge.scenarios, start=1):
            self.use_scenario[scenario.id].description = f"{n}. {scenario.title}"
        for n, myth in enumerate(self.knowledge.myths, start=1):
            self.use_myth[myth.id].description = say("Myth {number}: {claim}").format(number=n, claim=myth.claim)
        teach, mix = escape(say("What you teach")), escape(say(TEACH_MIX))
        scenarios, myths = escape(say("Scenarios")), escape(say("Myths"))
        self.teach_heading.value = f"<h3>{teach}</h3><p>{mix}</p><h4>{scenarios}</h4>"
        self.myths_heading.value = f"<h4>{myths}</h4>"
        before, after = escape(say("Before the session:")), escape(say("After the session:"))
        handouts = escape(say("Handouts"))
        self.handout_intro.value = (
            f"<h2>{handouts}</h2><ul><li><strong>{before}</strong> {escape(say(BEFORE))}</li>"
            f"<li><strong>{after}</strong> {escape(say(AFTER))}</li></ul>"
        )

    def _options(self, control: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
        """New words for a Dropdown's choices, its value kept and no redraw on the way."""
        if list(control.options) == options:
            return
        value = control.value
        self._resetting = True
        try:
            control.options = options
            control.value = value
        finally:
            self._resetting = False

    def _on_projector(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.container.add_class("projector")
        else:
            self.container.remove_class("projector")
        self._update()  # the presenter layout folds the card's answers, the reveal and the feedback

    def _new_scenario(self) -> None:
        """A fresh card: nothing chosen, nothing revealed."""
        self.revealed = False
        self.hint = ""
        self._resetting = True  # clearing the inputs fires their observers; redraw once, after
        try:
            self.level.value = ""
            for box in self.causes.values():
                box.value = False
        finally:
            self._resetting = False
        self._update()

    def _on_choice(self, _change: dict[str, Any]) -> None:
        if self._resetting:
            return
        if self.revealed:
            self._record()
        self.hint = ""
        self._update()

    def _on_reveal(self) -> None:
        if not self.facilitator and not self.level.value:
            self.hint = self.knowledge.phrase(CHOOSE_FIRST)
            self._update()
            return
        self.revealed = True
        self.hint = ""
        self._record()
        self._update()
        self.focus.show("feedback-title")  # the answer's first line at the top of the screen

    def _on_next(self) -> None:
        """The next story, with focus and scroll on its heading: the room sees the story, not
        the bottom of the last answer, and a keyboard user carries on from there."""
        ids = [value for _label, value in self.scenario.options]
        self.scenario.value = ids[(ids.index(self.scenario.value) + 1) % len(ids)]
        self.focus.show(f"scenario-{self.scenario.value}-title")

    def _record(self) -> None:
        picked = tuple(cause_id for cause_id, box in self.causes.items() if box.value)
        attempt = Attempt(self.scenario.value, parse_choice(self.level.value), picked)
        self.attempts = [a for a in self.attempts if a.scenario_id != attempt.scenario_id] + [attempt]

    def _make_handout(self) -> None:
        """The session handout. On the learner page it covers only the scenarios revealed, so it
        can never show an answer before the learner has chosen and revealed it."""
        if not self.attempts and not self.facilitator:
            first = escape(self.knowledge.phrase(REVEAL_FIRST))
            self.handout_link.value = f'<p role="status">{first}</p>'
            return
        scenario_ids, myth_ids = self.session_choice()
        knowledge = self._printed()
        document = handout_html(
            self.attempts,
            knowledge,
            charts_html=charts_html(knowledge),
            scenario_ids=scenario_ids,
            myth_ids=myth_ids if self.facilitator else sorted(self.shown_myths),
        )
        covered = len(self.attempts) or len(scenario_ids)
        words = self.knowledge.nphrase(
            "the handout (HTML, {count} scenario)", "the handout (HTML, {count} scenarios)", covered
        )
        self._offer(document, "spotting-handout.html", words.format(count=covered))

    def session_choice(self) -> tuple[list[str], list[str]]:
        """The scenario and myth ids this session teaches: the facilitator's ticks, else the plan."""
        if self.facilitator:
            return (
                [i for i, box in self.use_scenario.items() if box.value],
                [i for i, box in self.use_myth.items() if box.value],
            )
        if self.live_choice is not None:
            return self.live_choice
        return list(self.classroom.plan.scenario_ids), list(self.classroom.plan.myth_ids)

    def follow_session(self, state: SessionState | None) -> None:
        """A learner's page follows the live session: its region, its scenarios and myths, and
        the myth answers revealed so far. The facilitator's page only takes the region back
        after a reload. Nothing is redrawn when nothing changed (this runs at every change)."""
        if state is None:
            self.live_choice = None
            return
        region = "" if state.region == "unset" else state.region
        if region != self.region.value and region in {value for _label, value in self.region.options}:
            self.region.value = region  # redraws everything in the session's region
        if self.facilitator:
            return
        choice = (list(state.scenario_ids), list(state.myth_ids))
        shown = {qid.partition(":")[2] for qid in state.revealed if qid.startswith("myth:")}
        if choice != self.live_choice or shown != self.shown_myths:
            self.live_choice, self.shown_myths = choice, shown
            self.myths.value = self._myths()

    def _myths(self) -> str:
        """Every myth with its answer folded (facilitator); on a learner's phone only the session's
        claims, each answer only once the facilitator has revealed it to the room."""
        if self.facilitator:
            return myths_html(self.knowledge)
        _scenarios, myth_ids = self.session_choice()
        return myths_html(self.knowledge, myth_ids=myth_ids, answers=False, shown=self.shown_myths)

    def _safeguarding(self, knowledge: Knowledge | None = None, *, folded: bool = True) -> str:
        """The safeguarding script in ``knowledge``'s language (the page's, or the print language
        for the answer sheet); a line not yet translated is English and marked so."""
        knowledge = knowledge or self.knowledge
        classroom = self.classroom if knowledge is self.knowledge else load_classroom(knowledge)
        return safeguarding_html(classroom.script_for(knowledge.region.code), knowledge, folded=folded)

    def _make_worksheet(self) -> None:
        scenario_ids, myth_ids = self.session_choice()
        document = worksheet_html(self._printed(), scenario_ids=scenario_ids, myth_ids=myth_ids)
        self._offer(document, "spotting-worksheet.html", self.knowledge.phrase("the learner worksheet (HTML)"))

    def _printed(self) -> Knowledge:
        """The knowledge base a learner's printout is made in: the session's region, in the
        facilitator's chosen print language (the learner page prints in its own)."""
        language = self.print_language.value if self.facilitator else self.knowledge.language
        if language == self.knowledge.language:
            return self.knowledge
        region = self.knowledge.region.code if self.knowledge.region.chosen else None
        return load_knowledge(self.knowledge.directory, region=region, lang=language)

    def _make_answer_sheet(self) -> None:
        """The facilitator's answer sheet, in the print language like the worksheet."""
        scenario_ids, myth_ids = self.session_choice()
        printed = self._printed()
        document = facilitator_handout_html(
            printed,
            scenario_ids=scenario_ids,
            myth_ids=myth_ids,
            safeguarding=self._safeguarding(printed, folded=False),
        )
        what = self.knowledge.phrase("the facilitator handout (HTML, has the answers)")
        self._offer(document, "spotting-facilitator-handout.html", what)

    def _offer(self, document: str, filename: str, what: str) -> None:
        """A download link made in the page: nothing is written on the server."""
        before, _, after = self.knowledge.phrase(DOWNLOAD).partition("{what}")
        link = f'<a href="{data_uri(document)}" download="{filename}">{escape(before + what)}</a>'
        self.handout_link.value = f'<p role="status">{link}{escape(after)}</p>'

    # -------------------------------------------------------------------------------- update

    def selected(self) -> tuple[str, tuple[str, ...]]:
        """The learner's current urgency id and cause ids (for tests and the handout)."""
        return self.level.value, tuple(c for c, box in self.causes.items() if box.value)

    def _update(self) -> None:
        """Redraw the whole view from the current state."""
        knowledge = self.knowledge
        scenario = scenario_by_id(self.scenario.value, knowledge)
        number = [s.id for s in knowledge.scenarios].index(scenario.id) + 1
        facilitator = self.facilitator
        presenter = self.projector.value
        for name, box in (
            ("scenarios", self.scenarios_box),
            ("myths", self.myths_box),
            ("charts", self.charts_box),
            ("handout", self.handout_box),
            ("safeguarding", self.safeguarding_box),
            ("live", self.live_box),
            ("questions", self.questions_box),
        ):
            box.layout.display = None if self.section.value == name else "none"
        self.card.value = scenario_card_html(scenario, knowledge, number=number, compact=presenter)
        summary = escape(knowledge.phrase(NOTES_SUMMARY))
        self.notes.value = (
            f"<details><summary>{summary}</summary>{facilitator_notes_html(scenario, knowledge)}</details>"
            if facilitator
            else ""
        )
        if self.revealed:
            level, picked = self.selected()
            feedback = assess(scenario, level, picked, knowledge)
            self.status.value = feedback_html(feedback, knowledge, folded=presenter)
            self.reveal.value = reveal_html(scenario, knowledge, folded=presenter)
        else:
            message = self.hint or self.knowledge.phrase(CHOOSE_THEN_REVEAL)
            self.status.value = f"<p>{escape(message)}</p>"
            self.reveal.value = ""
