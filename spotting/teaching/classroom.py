"""Live votes and the anonymous question box: the rules, as small pure functions.

Why pure: the store (``store.py``) and the pages (``room.py``) only apply these, so what counts
as a vote, a fair share of the room, a flood or a question that may be shown is decided (and
tested) here, with no server, widget or clock of its own (a clock is passed in).

Anonymity is the design, not a setting (issue 25; Mentimeter and Slido's anonymous mode, PSHE
Association guidance on anonymous question boxes): a vote is a count, never a row with a person
attached. A page remembers its own last vote so it can change it before the reveal; the store
keeps only how many chose each answer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from ..explain import explain
from ..model import N_, Knowledge

MAX_QUESTION_CHARS = 200
"""A question box, not an essay: about two sentences, which also keeps names and stories short."""
MAX_QUESTIONS = 300
"""Per session, whatever the rate: a room of 30 asks far fewer; a script asking more is stopped."""

MYTH_CHOICES: tuple[tuple[str, str], ...] = (("true", N_("True")), ("partly", N_("Partly true")), ("myth", N_("Myth")))
"""A myth vote, in the words the cards use (quiz.VERDICT_WORDS)."""
MYTH_EXPECTED: Mapping[str, str] = {"supported": "true", "needs_nuance": "partly", "myth": "myth"}
"""myths.csv verdict -> the vote that matches it; "unsupported" (no evidence found) matches none."""


@dataclass(frozen=True)
class LiveQuestion:
    """Something the room votes on: a scenario ("how soon?") or a myth ("true or not?")."""

    id: str
    """``scenario:<id>`` or ``myth:<id>``: the key of its counts in the store."""
    kind: str
    item_id: str
    title: str
    choices: tuple[tuple[str, str], ...]
    """(choice id, words), in the order buttons and bars show them."""
    expected: str | None
    """The choice that matches the tool or the evidence, if any."""


def question_id(kind: str, item_id: str) -> str:
    if kind not in ("scenario", "myth"):
        raise ValueError(f"kind must be scenario or myth, not {kind!r}")
    return f"{kind}:{item_id}"


def live_question(qid: str, knowledge: Knowledge) -> LiveQuestion:
    """The votable question with this id, its choices and expected answer; a ``KeyError`` if unknown."""
    kind, _, item_id = qid.partition(":")
    if kind == "scenario":
        scenario = next((s for s in knowledge.scenarios if s.id == item_id), None)
        if scenario is None:
            raise KeyError(qid)
        levels = sorted(knowledge.levels.values(), key=lambda level: -level.urgency)
        choices = tuple((level.urgency.id, level.heading) for level in levels)
        expected = explain(scenario.answers, knowledge).urgency.id
        return LiveQuestion(qid, kind, item_id, scenario.title, choices, expected)
    if kind == "myth":
        myth = next((m for m in knowledge.myths if m.id == item_id), None)
        if myth is None:
            raise KeyError(qid)
        return LiveQuestion(qid, kind, item_id, myth.claim, MYTH_CHOICES, MYTH_EXPECTED.get(myth.verdict))
    raise KeyError(qid)


def session_questions(scenario_ids: Sequence[str], myth_ids: Sequence[str], knowledge: Knowledge) -> list[LiveQuestion]:
    """The session's votes in teaching order: the warm-up myths first, then the scenarios."""
    ids = [question_id("myth", i) for i in myth_ids] + [question_id("scenario", i) for i in scenario_ids]
    return [live_question(qid, knowledge) for qid in ids]


@dataclass(frozen=True)
class Bar:
    choice: str
    words: str
    count: int
    percent: int
    expected: bool


def tally(counts: Mapping[str, int], question: LiveQuestion) -> list[Bar]:
    """One bar per choice, in the question's order, with whole percentages that add up to 100.

    Largest remainders: rounding each share on its own can show 33 + 33 + 33 = 99, and a
    projector that shows 99% invites the room to ask who is missing. Counts for choices the
    question does not have (a stale page) are ignored; a negative count is treated as 0.
    """
    shown = {choice: max(0, int(counts.get(choice, 0))) for choice, _ in question.choices}
    total = sum(shown.values())
    if total == 0:
        percents = dict.fromkeys(shown, 0)
    else:
        exact = {choice: 100 * count / total for choice, count in shown.items()}
        percents = {choice: int(value) for choice, value in exact.items()}
        left = 100 - sum(percents.values())
        order = sorted(shown, key=lambda choice: (-(exact[choice] - percents[choice]), list(shown).index(choice)))
        for choice in order[:left]:
            percents[choice] += 1
    return [
        Bar(choice, words, shown[choice], percents[choice], choice == question.expected)
        for choice, words in question.choices
    ]


TYPE_FIRST = N_("Type a question first.")
TOO_LONG = N_("Please keep it to {limit} characters (yours has {count}).")


class QuestionRejected(ValueError):
    """A learner's question that cannot be taken; the message is shown to them, in their language
    (``words(knowledge.phrase)``); ``str()`` is the English."""

    def __init__(self, phrase: str, **values: object) -> None:
        self.phrase, self.values = phrase, values
        super().__init__(phrase.format(**values))

    def words(self, say: Callable[[str], str]) -> str:
        """The message in the language of ``say`` (``knowledge.phrase``)."""
        return say(self.phrase).format(**self.values)


def clean_question(text: str) -> str:
    """A learner's question made safe to keep and show: plain text on one line, within the limit.

    Control and format characters (a NUL, a right-to-left override that would flip what the room
    reads, zero-width joiners hiding words from the facilitator's eye) are dropped, runs of space
    become one space. Markup is *not* removed: it is text, and every page escapes it when shown
    (:func:`question_html`), so ``<script>`` is shown as those eight characters.
    """
    if not isinstance(text, str):
        raise QuestionRejected(TYPE_FIRST)
    kept = "".join(
        " " if character.isspace() else character
        for character in unicodedata.normalize("NFC", text)
        if character.isspace() or unicodedata.category(character) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    cleaned = " ".join(kept.split())
    if not cleaned:
        raise QuestionRejected(TYPE_FIRST)
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionRejected(TOO_LONG, limit=MAX_QUESTION_CHARS, count=len(cleaned))
    return cleaned


def question_html(text: str) -> str:
    """A learner's question as HTML text: escaped, never markup (it goes into ``innerHTML``)."""
    return escape(text, quote=True)


@dataclass
class RateLimit:
    """A token bucket for one page: ``capacity`` at once, then one more every ``every`` seconds.

    Kept by the learner's own page (its kernel), so it needs no identifier: a page that floods
    is slowed, and the store keeps no trace of who sent what. The clock is passed in.
    """

    capacity: int
    every: float
    tokens: float = -1.0
    last: float | None = None

    def __post_init__(self) -> None:
        if self.capacity < 1 or self.every <= 0:
            raise ValueError("capacity must be at least 1 and every more than 0")
        if self.tokens < 0:
            self.tokens = float(self.capacity)

    def allow(self, now: float) -> bool:
        """Take a token if there is one: whether the action may go ahead now."""
        if self.last is not None and now > self.last:
            self.tokens = min(float(self.capacity), self.tokens + (now - self.last) / self.every)
        if self.last is None or now > self.last:
            self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def wait(self, now: float) -> float:
        """Seconds until the next token (0 if one is there), for a kind "try again in …"."""
        if self.last is not None and now > self.last:
            tokens = min(float(self.capacity), self.tokens + (now - self.last) / self.every)
        else:
            tokens = self.tokens
        return max(0.0, (1.0 - tokens) * self.every)


def vote_limit() -> RateLimit:
    """Votes from one page: a few quick changes of mind, then one a second."""
    return RateLimit(capacity=5, every=1.0)


def question_limit() -> RateLimit:
    """Questions from one page: three at once, then one every 20 seconds."""
    return RateLimit(capacity=3, every=20.0)
