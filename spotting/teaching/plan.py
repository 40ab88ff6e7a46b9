"""The classroom's own data: the session plan, the safeguarding script and the answer bank.

Why a module of its own: these three tables belong to the teaching session only (the explorer
and the engine never read them), so they are read here, next to the app that uses them, and
checked as strictly as the knowledge base: every row's source must be in data/sources.csv,
every scenario or myth id must exist, and a bad row is a :class:`~spotting.errors.DataError`
naming its file, row and column. The words are data (style guide: knowledge lives in data/),
so a PSHE lead can change a ground rule without touching Python.

* ``session_plan.csv``: the scenarios and myths a session uses by default (the guide's four
  and three), so the worksheet prints those and not all 21 and 29 (UX review, problem 7).
* ``safeguarding.csv``: ground rules and the disclosure script, per region where the law or
  guidance differs (``all`` rows apply everywhere), each cited.
* ``answer_bank.csv``: short, sourced answers to questions learners often ask anonymously.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, DataProblem
from ..localise import TRANSLATED_COLUMNS
from ..model import Knowledge

PLAN_KINDS = ("scenario", "myth")
SAFEGUARDING_KINDS = ("ground_rule", "disclosure", "law")
"""A ground rule to agree with the group; a step when a learner discloses; what differs in law here."""
ALL_REGIONS = "all"


@dataclass(frozen=True)
class SessionPlan:
    """The scenario and myth ids a session uses by default, in teaching order."""

    scenario_ids: tuple[str, ...]
    myth_ids: tuple[str, ...]


@dataclass(frozen=True)
class SafeguardingLine:
    """One line of the safeguarding script: where it applies, what kind, the words and sources."""

    region: str
    kind: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BankAnswer:
    """A sourced answer the facilitator can put on the projector for an anonymous question."""

    id: str
    question: str
    answer: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ClassroomData:
    plan: SessionPlan
    safeguarding: tuple[SafeguardingLine, ...]
    answers: tuple[BankAnswer, ...]

    def script_for(self, region: str) -> list[SafeguardingLine]:
        """The lines for ``region``: the ones for everywhere, then the region's own."""
        return [line for line in self.safeguarding if line.region in (ALL_REGIONS, region)]


def _rows(path: Path, columns: Sequence[str], problems: list[DataProblem]) -> list[tuple[int, dict[str, str]]]:
    """The file's rows numbered as a spreadsheet shows them (the header is row 1)."""
    if not path.is_file():
        problems.append(DataProblem(path.name, None, None, "file is missing"))
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(DataProblem(path.name, 1, ", ".join(missing), "column(s) missing"))
            return []
        return [(number, {k: (v or "").strip() for k, v in row.items() if k}) for number, row in enumerate(reader, 2)]


def _localised(knowledge: Knowledge, name: str, number: int, row: dict[str, str]) -> dict[str, str]:
    """``row`` with its words in the knowledge base's language: the loader put the classroom's
    tables through the same localise step as the others (``Knowledge.tables``; a cell not yet
    translated stays English and ``knowledge.is_english`` says so)."""
    local = knowledge.tables.get(name.removesuffix(".csv"), ())
    if not 0 <= number - 2 < len(local):
        return row
    words = {column: (local[number - 2].get(column) or "").strip() for column in TRANSLATED_COLUMNS[name]}
    return {**row, **{column: text for column, text in words.items() if row.get(column)}}


def _sources(value: str, file: str, row: int, knowledge: Knowledge, problems: list[DataProblem]) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in value.split(";") if part.strip())
    if not ids:
        problems.append(DataProblem(file, row, "sources", "every row needs at least one source id"))
    for source_id in ids:
        if source_id not in knowledge.sources:
            problems.append(DataProblem(file, row, "sources", f"{source_id} is not in sources.csv"))
    return ids


def _required(row: dict[str, str], column: str, file: str, number: int, problems: list[DataProblem]) -> str:
    value = row.get(column, "")
    if not value:
        problems.append(DataProblem(file, number, column, "is empty"))
    return value


def load_classroom(knowledge: Knowledge) -> ClassroomData:
    """Read and check the three tables in ``knowledge.directory``; all problems at once, or the data."""
    directory = knowledge.directory
    problems: list[DataProblem] = []
    scenario_ids = {s.id for s in knowledge.scenarios}
    myth_ids = {m.id for m in knowledge.myths}
    planned: dict[str, list[tuple[int, str]]] = {kind: [] for kind in PLAN_KINDS}
    for number, row in _rows(directory / "session_plan.csv", ("kind", "id", "order"), problems):
        kind, item = row["kind"], row["id"]
        known = scenario_ids if kind == "scenario" else myth_ids
        if kind not in PLAN_KINDS:
            problems.append(DataProblem("session_plan.csv", number, "kind", f"must be one of {', '.join(PLAN_KINDS)}"))
        elif item not in known:
            problems.append(DataProblem("session_plan.csv", number, "id", f"no {kind} has id {item!r}"))
        elif not row["order"].isdigit():
            problems.append(DataProblem("session_plan.csv", number, "order", "must be a whole number"))
        else:
            planned[kind].append((int(row["order"]), item))
    regions = {ALL_REGIONS, *knowledge.regions}
    lines = []
    for number, row in _rows(directory / "safeguarding.csv", ("region", "kind", "text", "sources"), problems):
        row = _localised(knowledge, "safeguarding.csv", number, row)
        if row["region"] not in regions:
            problems.append(
                DataProblem("safeguarding.csv", number, "region", f"must be one of {', '.join(sorted(regions))}")
            )
        if row["kind"] not in SAFEGUARDING_KINDS:
            problems.append(
                DataProblem("safeguarding.csv", number, "kind", f"must be one of {', '.join(SAFEGUARDING_KINDS)}")
            )
        text = _required(row, "text", "safeguarding.csv", number, problems)
        sources = _sources(row["sources"], "safeguarding.csv", number, knowledge, problems)
        lines.append(SafeguardingLine(row["region"], row["kind"], text, sources))
    answers = []
    seen: set[str] = set()
    for number, row in _rows(directory / "answer_bank.csv", ("id", "question", "answer", "sources"), problems):
        row = _localised(knowledge, "answer_bank.csv", number, row)
        ident = _required(row, "id", "answer_bank.csv", number, problems)
        if ident in seen:
            problems.append(DataProblem("answer_bank.csv", number, "id", f"{ident!r} appears twice"))
        seen.add(ident)
        answers.append(
            BankAnswer(
                ident,
                _required(row, "question", "answer_bank.csv", number, problems),
                _required(row, "answer", "answer_bank.csv", number, problems),
                _sources(row["sources"], "answer_bank.csv", number, knowledge, problems),
            )
        )
    if problems:
        raise DataError(problems)
    plan = SessionPlan(
        tuple(item for _, item in sorted(planned["scenario"])), tuple(item for _, item in sorted(planned["myth"]))
    )
    return ClassroomData(plan, tuple(lines), tuple(answers))
