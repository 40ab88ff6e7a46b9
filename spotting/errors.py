"""Every error spotting raises on purpose, in one tree, so a caller can catch them together.

    SpottingError
    ├── AnswerError     answers that do not fit the contract (CLI exit 2): names the field
    │                   and the allowed values
    ├── DataError       an invalid knowledge base (CLI exit 1): every problem, each with its
    │                   file, row and column (DataProblem); nothing is half-loaded
    └── ConditionError  a condition in data/ that cannot be parsed or names an unknown field;
                        the loader turns it into a DataProblem

Each is also a ``ValueError``, as the first public contract promised for ``AnswerError``. None
of their messages carries a person's answer values beyond the one field being reported.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass

_SHORT = reprlib.Repr()  # keyword arguments only from Python 3.12
_SHORT.maxstring, _SHORT.maxlong, _SHORT.maxother = 60, 40, 60
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxtuple = 2, 4, 4, 4


def shown(value: object) -> str:
    """A bad value as an error message quotes it: at most about 80 characters, never deeper
    than two levels, so a 10 MB string or a list nested 5,000 deep is named, not echoed."""
    return _SHORT.repr(value)


class SpottingError(Exception):
    """The base of every error spotting raises on purpose."""


class AnswerError(SpottingError, ValueError):
    """An answer that does not fit the contract; ``field`` and ``allowed`` say why."""

    def __init__(self, field: str | None, message: str, allowed: str = ""):
        self.field = field
        self.allowed = allowed
        super().__init__(message)


class ConditionError(SpottingError, ValueError):
    """A condition that cannot be parsed or does not fit the questions table."""


@dataclass(frozen=True)
class DataProblem:
    """One thing wrong in the knowledge base, located for the person who will fix it."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DataError(SpottingError, ValueError):
    """The knowledge base is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"the knowledge base has {len(problems)} problem(s):\n{lines}")
