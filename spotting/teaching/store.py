"""The live session's store: one SQLite file in WAL mode, in a private folder deleted at the end.

Why SQLite and why a folder of its own. The facilitator's page and every learner's page run in
their own kernels (processes), possibly under several Voila workers behind nginx
(``spotting serve --workers K``), so the counts must live outside any one process; a
per-process dictionary would split the room. SQLite in WAL mode lets 30 pages write a vote each
at the same moment (one writer at a time, readers never blocked) with no server to run, on the
same computer, which is where every kernel is. The folder is made for the session with mode
0700, on a RAM disk (``/dev/shm``) where the computer has one, and removed, files and all, when
the facilitator ends the session, when the facilitator's kernel stops, or when ``spotting serve``
stops: nothing of a session outlives it.

What is kept is the least a session needs: the session code, the region, the chosen scenarios
and myths, which question is live and which are revealed, how many chose each answer (a count,
never who), and the learners' questions as text (no sender, no time) until the session ends.

Every call opens its own connection (``mode=rw``: it never creates a file): a page whose session
has ended finds no file, and says so, instead of reading the last session from an open handle.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

from ..classroom_dir import classroom_root, remove_classroom
from .classroom import MAX_QUESTIONS, clean_question

DATABASE = "live.sqlite"
BUSY_MS = 5000
"""How long a write waits for another (30 votes at once queue for a few milliseconds)."""

SCHEMA = """
CREATE TABLE session (
    code TEXT NOT NULL, region TEXT NOT NULL, scenario_ids TEXT NOT NULL, myth_ids TEXT NOT NULL,
    current TEXT NOT NULL DEFAULT '', revealed TEXT NOT NULL DEFAULT '[]',
    shown_question INTEGER, shown_answer TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE votes (question TEXT NOT NULL, choice TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (question, choice));
CREATE TABLE questions (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
"""


@dataclass(frozen=True)
class SessionState:
    """What every page needs to draw the live panel, read in one go."""

    code: str
    region: str
    scenario_ids: tuple[str, ...]
    myth_ids: tuple[str, ...]
    current: str
    revealed: frozenset[str]
    shown_question: str
    """The learner's question the facilitator put on the projector ("" if none), as text."""
    shown_answer: str
    """The answer-bank id the facilitator put on the projector ("" if none)."""
    version: int
    votes: int
    """How many votes the live question has (a count only)."""


class SessionEnded(Exception):
    """There is no live session (never started, or ended and deleted)."""


def _sqlite() -> ModuleType | None:
    """The sqlite3 module, or None where there is none: the static site runs the teaching page in
    the browser (Pyodide), which ships sqlite3 only as an empty stub; there is no live session there,
    and the page must still load."""
    try:
        import sqlite3
    except ImportError:
        return None
    return sqlite3 if hasattr(sqlite3, "connect") else None


class ClassroomStore:
    """The live session in ``root`` (see :func:`classroom_root`)."""

    def __init__(self, root: Path | None = None):
        self.root = root or classroom_root()
        self.path = self.root / DATABASE

    # -- connections ------------------------------------------------------------------------

    def available(self) -> bool:
        """Whether a live session can run here at all (False in the browser-only static site)."""
        return _sqlite() is not None

    @contextlib.contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        sqlite3 = _sqlite()
        if sqlite3 is None:
            raise SessionEnded
        try:
            connection = sqlite3.connect(
                f"file:{self.path}?mode=rw", uri=True, timeout=BUSY_MS / 1000, isolation_level=None
            )
        except sqlite3.OperationalError:
            raise SessionEnded from None
        try:
            connection.execute("PRAGMA synchronous=NORMAL")
            if write:
                connection.execute("BEGIN IMMEDIATE")  # one writer at a time; readers carry on
            yield connection
            if write:
                connection.execute("COMMIT")
        except sqlite3.OperationalError as error:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            if not self.path.exists():
                raise SessionEnded from None
            raise error
        finally:
            connection.close()

    # -- the facilitator ----------------------------------------------------------------------

    def start(self, region: str, scenario_ids: Sequence[str], myth_ids: Sequence[str]) -> str:
        """A new session (any earlier one is deleted first); returns its 4-digit code."""
        sqlite3 = _sqlite()
        if sqlite3 is None:
            raise SessionEnded
        self.end()
        self.root.mkdir(mode=0o700, parents=True)
        code = f"{1000 + secrets.randbelow(9000)}"
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            connection.execute(
                "INSERT INTO session (code, region, scenario_ids, myth_ids) VALUES (?, ?, ?, ?)",
                (code, region, json.dumps(list(scenario_ids)), json.dumps(list(myth_ids))),
            )
        finally:
            connection.close()
        return code

    def end(self) -> None:
        """Delete the session: the folder, the database, its WAL and shared-memory files."""
        remove_classroom(self.root)

    def set_current(self, question: str) -> None:
        with self._connect(write=True) as db:
            db.execute("UPDATE session SET current = ?, version = version + 1", (question,))

    def reveal(self, question: str) -> None:
        with self._connect(write=True) as db:
            (revealed,) = db.execute("SELECT revealed FROM session").fetchone()
            now = sorted({*json.loads(revealed), question})
            db.execute("UPDATE session SET revealed = ?, version = version + 1", (json.dumps(now),))

    def questions(self) -> list[tuple[int, str]]:
        """The learners' questions, oldest first: only the facilitator's page asks for these."""
        with self._connect() as db:
            return [(int(i), str(t)) for i, t in db.execute("SELECT id, text FROM questions ORDER BY id")]

    def show_question(self, question_id: int | None) -> None:
        """Put one learner's question on every screen (None takes it down)."""
        with self._connect(write=True) as db:
            db.execute("UPDATE session SET shown_question = ?, version = version + 1", (question_id,))

    def show_answer(self, answer_id: str) -> None:
        with self._connect(write=True) as db:
            db.execute("UPDATE session SET shown_answer = ?, version = version + 1", (answer_id,))

    # -- every page ---------------------------------------------------------------------------

    def version(self) -> int:
        """A number that changes with every write: a page redraws only when it moved."""
        with self._connect() as db:
            row = db.execute("SELECT version FROM session").fetchone()
        if row is None:
            raise SessionEnded
        return int(row[0])

    def state(self) -> SessionState:
        with self._connect() as db:
            row = db.execute(
                "SELECT code, region, scenario_ids, myth_ids, current, revealed, shown_answer, version, "
                "(SELECT text FROM questions WHERE id = shown_question) FROM session"
            ).fetchone()
            if row is None:
                raise SessionEnded
            (votes,) = db.execute("SELECT COALESCE(SUM(count), 0) FROM votes WHERE question = ?", (row[4],)).fetchone()
        code, region, scenarios, myths, current, revealed, answer, version, shown = row
        return SessionState(
            str(code), str(region), tuple(json.loads(scenarios)), tuple(json.loads(myths)), str(current),
            frozenset(json.loads(revealed)), str(shown or ""), str(answer), int(version), int(votes),
        )  # fmt: skip

    def counts(self, question: str) -> dict[str, int]:
        with self._connect() as db:
            rows = db.execute("SELECT choice, count FROM votes WHERE question = ?", (question,))
            return {str(choice): int(count) for choice, count in rows}

    # -- a learner's page ---------------------------------------------------------------------

    def vote(self, code: str, question: str, choice: str, previous: str | None = None) -> bool:
        """Count ``choice`` (and take back ``previous``, this page's earlier vote) if ``question`` is
        the live one of session ``code`` and not yet revealed; whether it counted."""
        with self._connect(write=True) as db:
            row = db.execute("SELECT code, current, revealed FROM session").fetchone()
            if row is None or row[0] != code or row[1] != question or question in json.loads(row[2]):
                return False
            if previous == choice:
                return True
            if previous is not None:
                db.execute(
                    "UPDATE votes SET count = count - 1 WHERE question = ? AND choice = ? AND count > 0",
                    (question, previous),
                )
            db.execute(
                "INSERT INTO votes (question, choice, count) VALUES (?, ?, 1) "
                "ON CONFLICT (question, choice) DO UPDATE SET count = count + 1",
                (question, choice),
            )
            db.execute("UPDATE session SET version = version + 1")
        return True

    def ask(self, code: str, text: str) -> bool:
        """Keep a learner's question (cleaned; :class:`QuestionRejected` if it cannot be taken) for
        the facilitator; whether it was kept (False: another session, or the session is full)."""
        cleaned = clean_question(text)
        with self._connect(write=True) as db:
            row = db.execute("SELECT code FROM session").fetchone()
            (count,) = db.execute("SELECT COUNT(*) FROM questions").fetchone()
            if row is None or row[0] != code or count >= MAX_QUESTIONS:
                return False
            db.execute("INSERT INTO questions (text) VALUES (?)", (cleaned,))
            db.execute("UPDATE session SET version = version + 1")
        return True
