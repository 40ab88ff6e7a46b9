"""The live session on the pages: votes and questions on a learner's phone, the controls, the
tally and the private question list on the facilitator's page (issue 25).

Why a module of its own: ``app.py`` is the self-paced teaching page; this adds the part that
follows the facilitator (teacher-paced, as Nearpod's "live" mode), through the store
(``store.py``) that every kernel of this computer shares. Each page asks the store every
fraction of a second whether anything changed (one integer), and redraws only when it did; no
page talks to another, and the server needs no handler of its own.

What a learner's page keeps: the session code it joined and its own last vote per question (so
the vote can change before the reveal), both in this kernel's memory, gone with the page. The
store keeps counts and question texts only (``store.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..markup import asset_text
from ..model import N_
from ..urgency import Urgency
from .classroom import (
    LiveQuestion,
    QuestionRejected,
    RateLimit,
    live_question,
    question_html,
    question_limit,
    session_questions,
    tally,
    vote_limit,
)
from .pages import level_html, sources_html
from .quiz import VERDICT_WORDS
from .store import ClassroomStore, SessionEnded, SessionState

if TYPE_CHECKING:
    from .app import TeachingApp

LEARNER_POLL_SECONDS = 0.5
FACILITATOR_POLL_SECONDS = 0.2
"""How often a page asks the store for news: the projector's tally is at most this far behind."""

ROOM_CSS = asset_text("room.css")
"""The live panel, the tally and the question list (spotting/assets/room.css, on the palette)."""


def start_polling(poll: Callable[[], None], seconds: float) -> asyncio.Task[None] | None:
    """Call ``poll`` every ``seconds`` on the kernel's event loop; None where no loop runs (tests
    call ``poll`` themselves)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None

    async def forever() -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                poll()
            except Exception:  # a page must outlive a bad moment (a deleted file mid-read)
                continue

    return loop.create_task(forever())


def _english_count(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def votes(count: int, nsay: Callable[[str, str, int], str] = _english_count) -> str:
    """ "1 vote", "3 votes", in the language of ``nsay`` (``knowledge.nphrase``), with the form that
    language uses for this number (Welsh and Arabic have more than two)."""
    return nsay("{count} vote", "{count} votes", count).format(count=count)


def tally_html(question: LiveQuestion, counts: dict[str, int], app: TeachingApp) -> str:
    """The room's votes as bars with words and numbers, the expected answer marked in words
    (never by colour alone), then the answer and its teaching point."""
    knowledge = app.knowledge
    say = knowledge.phrase
    bars = tally(counts, question)
    total = sum(bar.count for bar in bars)
    answer = escape(say("the answer"))
    mark = f" <strong>\u2714 {answer}</strong>"
    rows = "".join(
        f"<li><strong>{escape(say(bar.words))}</strong>: {bar.count} ({bar.percent}%)"
        f"{mark if bar.expected else ''}"
        f'<div class="track" aria-hidden="true"><div class="bar" style="width: {bar.percent}%"></div></div></li>'
        for bar in bars
    )
    voted = say("How the room voted ({votes})").format(votes=votes(total, knowledge.nphrase))
    parts = [
        f"<h3>{escape(voted)}</h3>",
        f'<ul class="sp-tally">{rows}</ul>',
    ]
    if question.kind == "myth":
        myth = next(m for m in knowledge.myths if m.id == question.item_id)
        the_answer = say("The answer: {verdict}").format(verdict=say(VERDICT_WORDS[myth.verdict]))
        parts.append(
            f"<h3>{escape(the_answer)}</h3><p>{escape(myth.fact)}</p>{sources_html(myth.review.sources, knowledge)}"
        )
    else:
        scenario = next(s for s in knowledge.scenarios if s.id == question.item_id)
        level = Urgency.from_id(question.expected or "")
        says, point = say("What the tool says"), say("Teaching point")
        parts.append(
            f"<h3>{escape(says)}</h3>{level_html(level, knowledge)}"
            f"<h3>{escape(point)}</h3><p>{escape(scenario.teaching_point)}</p>"
            f"{sources_html(scenario.sources, knowledge)}"
        )
    return "".join(parts)


def _title(question: LiveQuestion, app: TeachingApp) -> str:
    say = app.knowledge.phrase
    if question.kind == "myth":
        number = [m.id for m in app.knowledge.myths].index(question.item_id) + 1
        myth = say("Myth {number}").format(number=number)
        ask = escape(say("True, partly true, or a myth?"))
        return f"<h3>{escape(myth)}: \u201c{escape(question.title)}\u201d</h3><p>{ask}</p>"
    scenario = next(s for s in app.knowledge.scenarios if s.id == question.item_id)
    number = [s.id for s in app.knowledge.scenarios].index(question.item_id) + 1
    heading = say("Scenario {number}:").format(number=number)
    advise = say("What would you advise?")
    return f"<h3>{escape(heading)} {escape(scenario.title)}</h3><p>{escape(scenario.story)}</p><p>{escape(advise)}</p>"


def shown_html(state: SessionState, app: TeachingApp) -> str:
    """The learner's question and the bank's answer the facilitator put on every screen."""
    parts = []
    if state.shown_question:
        heading = escape(app.knowledge.phrase("A question from the room"))
        parts.append(f'<h3>{heading}</h3><p class="sp-asked">{question_html(state.shown_question)}</p>')
    answer = next((a for a in app.classroom.answers if a.id == state.shown_answer), None)
    if answer is not None:
        english = ' lang="en" dir="ltr"' if app.knowledge.is_english(answer.answer) else ""  # not yet translated
        parts.append(
            f"<h3>{escape(answer.question)}</h3><p{english}>{escape(answer.answer)}</p>"
            f"{sources_html(answer.sources, app.knowledge)}"
        )
    return "".join(parts)


ENDED = N_("This session has ended")
ENDED_WORDS = N_(
    "Thank you for taking part. The votes and questions have been deleted. The rest of this page still works."
)
ASK_LABEL = N_("Ask a question anonymously")
ASK_PLACEHOLDER = N_("Only the facilitator sees it. No names, please.")
ASK_HEADING = N_("Ask a question")
ASK_WORDS = N_("Nobody sees who asked. The facilitator chooses which to answer. Up to 200 characters.")
SEND = N_("Send my question")


def ended_html(say: Callable[[str], str] = str) -> str:
    """What a learner's live panel becomes when the facilitator ends the session."""
    return f'<div class="sp-live" role="status"><h2>{escape(say(ENDED))}</h2><p>{escape(say(ENDED_WORDS))}</p></div>'


ENDED_HTML = ended_html()


class LearnerRoom:
    """A learner's live panel: the live question with vote buttons, then the tally after the
    reveal; an anonymous question box; what the facilitator shows the room."""

    def __init__(
        self, app: TeachingApp, store: ClassroomStore | None = None, clock: Callable[[], float] = time.monotonic
    ):
        self.app = app
        self.store = store or ClassroomStore()
        self.clock = clock
        self.code = ""
        self.version = -1
        self.ended = False
        self.state: SessionState | None = None
        self.my_votes: dict[str, str] = {}
        self.buttons_for = ""
        """The live question the vote buttons are for (they are made again only for another)."""
        self.votes = vote_limit()
        self.asks: RateLimit = question_limit()
        self.heading = widgets.HTML()
        self.question = widgets.HTML()
        self.buttons = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.buttons.add_class("sp-voting")
        self.vote_status = widgets.HTML()
        self.result = widgets.HTML()
        self.shown = widgets.HTML()
        self.ask_text = widgets.Textarea(style={"description_width": "initial"}, layout=widgets.Layout(width="100%"))
        self.ask_button = widgets.Button(layout={"width": "auto"})
        self.ask_intro = widgets.HTML()
        self.ask_status = widgets.HTML()
        self.ask_button.on_click(lambda _button: self.ask())
        ask = widgets.VBox(
            [
                self.ask_intro,
                self.ask_text,
                widgets.HBox([self.ask_button]),
                self.ask_status,
            ]
        )
        ask.add_class("sp-ask")
        self.panel = widgets.VBox(
            [self.heading, self.question, self.buttons, self.vote_status, self.result, self.shown, ask]
        )
        self.panel.add_class("sp-live")
        self.box = widgets.VBox([self.panel], layout=widgets.Layout(display="none"))
        self.words()
        self.task = start_polling(self.poll, LEARNER_POLL_SECONDS) if self.store.available() else None

    def words(self) -> None:
        """The panel's own words in the page's language (again after the reader changes it)."""
        say = self.app.knowledge.phrase
        self.ask_text.description, self.ask_text.placeholder = say(ASK_LABEL), say(ASK_PLACEHOLDER)
        self.ask_button.description = say(SEND)
        self.ask_intro.value = f"<h3>{escape(say(ASK_HEADING))}</h3><p>{escape(say(ASK_WORDS))}</p>"
        self.buttons_for = ""  # the vote buttons are made again, in the new words
        if self.ended:
            self.box.children = [widgets.HTML(ended_html(say))]
        elif self.state is not None:
            self._draw(self.state)

    # -- following the store ------------------------------------------------------------------

    def poll(self) -> None:
        """Redraw if the session changed, started or ended."""
        try:
            version = self.store.version()
        except SessionEnded:
            if self.code and not self.ended:
                self._end()
            return
        if version != self.version or self.ended:
            self.refresh()

    def refresh(self) -> None:
        try:
            state = self.store.state()
        except SessionEnded:
            if self.code:
                self._end()
            return
        if state.code != self.code:
            self._join(state)
        self.state, self.version = state, state.version
        self.app.follow_session(state)
        self._draw(state)

    def _join(self, state: SessionState) -> None:
        """A new session: its region and its scenarios and myths; no vote of this page yet."""
        self.code, self.ended, self.my_votes = state.code, False, {}
        self._clear_buttons()
        self.box.children = [self.panel]
        self.box.layout.display = None

    def _end(self) -> None:
        self.ended = True
        self.state = None
        self.box.children = [widgets.HTML(ended_html(self.app.knowledge.phrase))]
        self.app.follow_session(None)

    def _draw(self, state: SessionState) -> None:
        app = self.app
        say = app.knowledge.phrase
        live = say("Live session {code}").format(code=state.code)
        self.heading.value = f"<h2>{escape(live)}</h2>"
        self.shown.value = shown_html(state, app)
        if not state.current:
            waiting = say("Waiting for the facilitator to start a vote.")
            self.question.value = f"<p>{escape(waiting)}</p>"
            self._clear_buttons()
            self.vote_status.value, self.result.value = "", ""
            return
        question = live_question(state.current, app.knowledge)
        self.question.value = _title(question, app)
        if state.current in state.revealed:
            self._clear_buttons()
            mine = self.my_votes.get(state.current)
            words = say(dict(question.choices).get(mine or "", ""))
            voted = say("You voted: {choice}.").format(choice=words)
            self.vote_status.value = f"<p>{escape(voted)}</p>" if words else ""
            self.result.value = tally_html(question, self.store.counts(state.current), app)
            return
        self.result.value = ""
        mine = self.my_votes.get(state.current)
        if self.buttons_for != state.current:  # new buttons only for a new question (each is a widget)
            for old in self.buttons.children:
                old.close()
            buttons = []
            for choice, words in question.choices:
                tooltip = say("Vote: {choice}").format(choice=say(words))
                button = widgets.Button(layout={"width": "auto"}, tooltip=tooltip)
                button.on_click(lambda _button, choice=choice: self.vote(choice))
                buttons.append(button)
            self.buttons.children = buttons
            self.buttons_for = state.current
        for button, (choice, words) in zip(self.buttons.children, question.choices, strict=True):
            button.description = ("\u2714 " if choice == mine else "") + say(words)
            button.button_style = "primary" if choice == mine else ""
        chosen = say(dict(question.choices).get(mine or "", ""))
        count = votes(state.votes, app.knowledge.nphrase)
        words = (
            say("Your vote: {choice}. You can change it until the votes are shown. {votes} so far.")
            if chosen
            else say("Vote on your phone. {votes} so far.")
        )
        self.vote_status.value = f'<p role="status">{escape(words.format(choice=chosen, votes=count))}</p>'

    def _clear_buttons(self) -> None:
        for old in self.buttons.children:
            old.close()
        self.buttons.children, self.buttons_for = (), ""

    # -- what the learner does ----------------------------------------------------------------

    def vote(self, choice: str) -> None:
        state = self.state
        if state is None or not state.current or state.current in state.revealed:
            return
        if not self.votes.allow(self.clock()):
            slow = escape(self.app.knowledge.phrase("Slow down a little, then vote again."))
            self.vote_status.value = f'<p role="status">{slow}</p>'
            return
        previous = self.my_votes.get(state.current)
        try:
            counted = self.store.vote(self.code, state.current, choice, previous)
        except SessionEnded:
            self._end()
            return
        if counted:
            self.my_votes[state.current] = choice
        self.refresh()

    def ask(self) -> None:
        if self.state is None:
            return
        say = self.app.knowledge.phrase
        text = self.ask_text.value
        wait = self.asks.wait(self.clock())
        if wait > 0:
            later = say("Thanks. You can send another in {seconds} seconds.").format(seconds=f"{wait:.0f}")
            self.ask_status.value = f'<p role="status">{escape(later)}</p>'
            return
        try:
            kept = self.store.ask(self.code, text)
        except QuestionRejected as error:
            self.ask_status.value = f'<p role="status">{escape(error.words(say))}</p>'
            return
        except SessionEnded:
            self._end()
            return
        self.asks.allow(self.clock())
        self.ask_text.value = ""
        sent = (
            say("Sent. Only the facilitator sees it, and not who sent it.")
            if kept
            else say("The question box is full for this session. Ask the facilitator after.")
        )
        self.ask_status.value = f'<p role="status">{escape(sent)}</p>'


LIVE_INTRO = N_(
    "Learners vote on their phones; nobody's name or answer is kept, only how many chose each. "
    "The room sees the votes only when you show them."
)
PRIVATE_INTRO = N_("Keep this off the projector. Nothing here is shown to the room until you press a button.")
NO_VOTE, NONE, NO_QUESTIONS = N_("No vote"), N_("None"), N_("No questions yet.")
NO_SESSION = N_("No live session.")
STARTED = N_("Learners' phones on the learner page show it now, with your region. Choose a live vote below.")


class FacilitatorRoom:
    """The facilitator's live controls, the tally (after the reveal) and the private question list.

    Its words follow the page's language (``words``), the answer bank's too (data/answer_bank.csv,
    translated like the other tables); the learners' own questions are shown as written."""

    def __init__(self, app: TeachingApp, store: ClassroomStore | None = None):
        self.app = app
        self.store = store or ClassroomStore()
        self.version = -1
        self.state: SessionState | None = None
        self.start_button = widgets.Button(button_style="primary", layout={"width": "auto"})
        self.end_button = widgets.Button(layout={"width": "auto"})
        self.status = widgets.HTML()
        self.current = widgets.Dropdown(
            options=[(NO_VOTE, "")], value="", style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )  # fmt: skip
        self.reveal_button = widgets.Button(layout={"width": "auto"})
        self.count = widgets.HTML()
        self.count.add_class("sp-vote-count")
        self.question = widgets.HTML()
        self.result = widgets.HTML()
        self.shown = widgets.HTML()
        self.asked = widgets.HTML()
        self.asked.add_class("sp-private-questions")
        self.pick = widgets.Dropdown(
            options=[(NONE, 0)], value=0, style={"description_width": "initial"}, layout=widgets.Layout(width="auto"),
        )  # fmt: skip
        self.show_button = widgets.Button(layout={"width": "auto"})
        self.hide_button = widgets.Button(layout={"width": "auto"})
        bank = [(NONE, "")] + [(a.question, a.id) for a in app.classroom.answers]
        self.bank = widgets.Dropdown(
            options=bank, value="", style={"description_width": "initial"}, layout=widgets.Layout(width="auto"),
        )  # fmt: skip
        self.bank_button = widgets.Button(layout={"width": "auto"})
        self.live_intro, self.private_intro = widgets.HTML(), widgets.HTML()
        self.start_button.on_click(lambda _button: self.start())
        self.end_button.on_click(lambda _button: self.end())
        self.reveal_button.on_click(lambda _button: self.reveal())
        self.current.observe(self._on_current, names="value")
        self.show_button.on_click(lambda _button: self._show(int(self.pick.value or 0) or None))
        self.hide_button.on_click(lambda _button: self._show(None))
        self.bank_button.on_click(lambda _button: self._call(self.store.show_answer, str(self.bank.value)))
        self.controls = widgets.VBox(
            [self.current, self.question, self.count, widgets.HBox([self.reveal_button]), self.result, self.shown]
        )
        self.controls.add_class("sp-live-controls")
        self.live_box = widgets.VBox(
            [
                self.live_intro,
                widgets.HBox([self.start_button, self.end_button], layout=widgets.Layout(flex_flow="row wrap")),
                self.status,
                self.controls,
            ]
        )
        self.private_box = widgets.VBox(
            [
                self.private_intro,
                self.asked,
                self.pick,
                widgets.HBox([self.show_button, self.hide_button], layout=widgets.Layout(flex_flow="row wrap")),
                self.bank,
                widgets.HBox([self.bank_button]),
            ]
        )
        self.private_box.add_class("sp-private")
        self.words()
        self.poll()
        self.task = start_polling(self.poll, FACILITATOR_POLL_SECONDS) if self.store.available() else None

    def words(self) -> None:
        """The controls' words in the page's language (again when the facilitator changes it)."""
        say = self.app.knowledge.phrase
        self.start_button.description = say("Start a live session")
        self.start_button.tooltip = say("Learners' phones show your votes and your region")
        self.end_button.description = say("End the session and delete its votes and questions")
        self.current.description = say("Live vote")
        self.reveal_button.description = say("Show the votes and the answer")
        self.reveal_button.tooltip = say("The tally appears on every screen; voting on this question closes")
        self.pick.description = say("Question")
        self.show_button.description = say("Show this question to the room")
        self.hide_button.description = say("Take it down")
        self.bank.description = say("Answer from the bank")
        self.bank_button.description = say("Show this answer")
        live, private = escape(say("Live votes")), escape(say("Questions from the room (only on this page)"))
        self.live_intro.value = f"<h2>{live}</h2><p>{escape(say(LIVE_INTRO))}</p>"
        self.private_intro.value = f"<h2>{private}</h2><p>{escape(say(PRIVATE_INTRO))}</p>"
        self._labels(self.current, [(say(NO_VOTE), ""), *self.current.options[1:]])
        self._labels(self.pick, [(say(NONE), 0), *self.pick.options[1:]])
        self._labels(self.bank, [(say(NONE), ""), *((a.question, a.id) for a in self.app.classroom.answers)])
        if self.state is not None:
            self.version = -1  # redraw the vote list, the count and the tally in the new words
            self._questions(self.state)
            self._draw(self.state)

    @staticmethod
    def _labels(control: widgets.Dropdown, options: list[tuple[str, Any]]) -> None:
        if list(control.options) != options:
            value = control.value
            control.options = options
            control.value = value

    def _questions(self, state: SessionState) -> None:
        """The live vote's choices: the session's myths and scenarios, in the page's words."""
        say = self.app.knowledge.phrase
        questions = session_questions(state.scenario_ids, state.myth_ids, self.app.knowledge)
        options = [(say(NO_VOTE), "")] + [
            ((say("Myth: {title}") if q.kind == "myth" else say("Scenario: {title}")).format(title=q.title), q.id)
            for q in questions
        ]
        self._labels(self.current, options)

    def start(self) -> None:
        say = self.app.knowledge.phrase
        scenario_ids, myth_ids = self.app.session_choice()
        code = self.store.start(self.app.knowledge.region.code, scenario_ids, myth_ids)
        self.version = -1
        self.poll()
        live = escape(say("Session {code} is live.").format(code=code))
        more = escape(say(STARTED))
        self.status.value = f'<p role="status"><strong>{live}</strong> {more}</p>'

    def end(self) -> None:
        self.store.end()
        self.poll()
        ended = escape(self.app.knowledge.phrase("The session has ended. Its votes and questions have been deleted."))
        self.status.value = f'<p role="status">{ended}</p>'

    def reveal(self) -> None:
        if self.state is not None and self.state.current:
            self._call(self.store.reveal, self.state.current)

    def _on_current(self, change: dict[str, Any]) -> None:
        if self.state is not None and change["new"] != self.state.current:
            self._call(self.store.set_current, str(change["new"]))

    def _show(self, question_id: int | None) -> None:
        self._call(self.store.show_question, question_id)

    def _call(self, action: Callable[[Any], None], value: Any) -> None:
        with contextlib.suppress(SessionEnded):
            action(value)
        self.poll()

    def poll(self) -> None:
        try:
            version = self.store.version()
        except SessionEnded:
            if self.state is not None or self.version != -2:
                self.state, self.version = None, -2
                self.controls.layout.display = "none"
                self.end_button.disabled, self.start_button.disabled = True, False
                self.asked.value = f"<p>{escape(self.app.knowledge.phrase(NO_SESSION))}</p>"
            return
        if version == self.version:
            return
        state = self.store.state()
        first = self.state is None or self.state.code != state.code
        self.state, self.version = state, version
        if first:
            self.app.follow_session(state)
            self._questions(state)
            self.controls.layout.display = None
            self.end_button.disabled, self.start_button.disabled = False, True
            live = escape(self.app.knowledge.phrase("Session {code} is live.").format(code=state.code))
            self.status.value = self.status.value or f'<p role="status"><strong>{live}</strong></p>'
        self.current.value = state.current
        self._draw(state)

    def _draw(self, state: SessionState) -> None:
        app = self.app
        say = app.knowledge.phrase
        on_screen = escape(say("On every screen now"))
        self.shown.value = (
            f"<h3>{on_screen}</h3>{shown_html(state, app)}" if state.shown_question or state.shown_answer else ""
        )
        asked = self.store.questions()
        self.asked.value = (
            '<ol class="sp-questions">'
            + "".join(f'<li value="{n}">{question_html(text)}</li>' for n, text in asked)
            + "</ol>"
            if asked
            else f"<p>{escape(say(NO_QUESTIONS))}</p>"
        )
        options = [(say(NONE), 0)] + [(f"{n}. {text[:80]}", n) for n, text in asked]
        if list(self.pick.options) != options:  # a new question: keep the one the facilitator chose
            chosen = self.pick.value
            self.pick.options = options
            self.pick.value = chosen if chosen in {value for _label, value in options} else 0
        if not state.current:
            self.question.value, self.count.value, self.result.value = "", "", ""
            self.reveal_button.disabled = True
            return
        question = live_question(state.current, app.knowledge)
        self.question.value = _title(question, app)
        so_far = escape(say("{votes} so far.").format(votes=votes(state.votes, app.knowledge.nphrase)))
        self.count.value = f'<p role="status">{so_far}</p>'
        revealed = state.current in state.revealed
        self.reveal_button.disabled = revealed
        self.result.value = tally_html(question, self.store.counts(state.current), app) if revealed else ""
