"""Load the knowledge base in data/ once, validate all of it, and freeze it.

Loading is all-or-nothing: every problem in every file is collected (file, row, column, what is
wrong) and raised together as a ``DataError``; a half-loaded knowledge base never reaches the
engine. Row numbers are the line numbers an editor shows (the header is line 1).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from importlib.metadata import version
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from . import contract
from .answers import AnswerError, check_answers
from .conditions import ConditionError, Node, parse
from .model import (  # re-exported: the value classes are part of this module's API
    Cause,
    CauseRule,
    DataError,
    DataProblem,
    Knowledge,
    Level,
    Question,
    Review,
    Rule,
    Scenario,
    Source,
)
from .urgency import Urgency

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CONDITION_TABLES = ("red_flags.csv", "baseline.csv", "advice.csv", "cause_rules.csv")


TABLES = (
    "sources.csv", "groups.csv", "questions.csv", "choices.csv", "terms.csv", "urgency_levels.csv",
    "red_flags.csv", "baseline.csv", "advice.csv", "causes.csv", "cause_rules.csv", "myths.csv",
    "scenarios.csv", "statistics.csv",
)  # fmt: skip
"""Every file the loader reads; ``schemas.SCHEMAS`` has one schema for each (tested)."""

# The validation depends on the core modules and these libraries, so they are part of the
# fingerprint. Every top-level module is hashed, so a new validating module can never be left out.
_VALIDATING_MODULES = tuple(sorted(path.stem for path in Path(__file__).resolve().parent.glob("*.py")))


def load_knowledge(directory: str | Path | None = None) -> Knowledge:
    """Load and validate data/ (or ``directory``); cached, so repeated calls are free."""
    return _load(Path(directory or DEFAULT_DATA_DIR).resolve())


def check_data(directory: str | Path | None = None) -> list[DataProblem]:
    """Every problem in a knowledge base; an empty list means it is valid. Always validates fully."""
    try:
        _build(Path(directory or DEFAULT_DATA_DIR).resolve(), trust_fingerprint=False)
    except DataError as error:
        return error.problems
    return []


@cache
def _load(directory: Path) -> Knowledge:
    return _build(directory)


def _build(directory: Path, *, trust_fingerprint: bool = True) -> Knowledge:
    """Read, validate and build; all or nothing.

    Column checks (pandera) are the slow part of loading, and importing pandera alone costs a
    dashboard kernel about 0.3 s. So once a set of files passes them, their fingerprint is
    recorded, and a later load of the very same bytes, by the same code and library versions,
    skips only that step. Cross-table checks run on every load.
    """
    fingerprint = _fingerprint(directory)
    trusted = trust_fingerprint and fingerprint is not None and _stamp(fingerprint).is_file()
    tables, problems = _read_tables(directory, validate=not trusted)
    if problems:
        raise DataError(problems)
    builder = _Builder(directory, tables)
    knowledge = builder.build()
    if builder.problems:
        raise DataError(builder.problems)
    if fingerprint is not None and not trusted:
        _record(fingerprint)
    return knowledge


def _fingerprint(directory: Path) -> str | None:
    """A hash of the data files and of everything that validates them; None if unreadable."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    try:
        for module in _VALIDATING_MODULES:
            digest.update((here / f"{module}.py").read_bytes())
        for library in ("pandas", "pandera"):
            digest.update(f"{library}=={version(library)}".encode())
        for name in TABLES:
            digest.update(name.encode() + b"\0" + (directory / name).read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _cache_dir() -> Path:
    base = os.environ.get("SPOTTING_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "spotting"


def _stamp(fingerprint: str) -> Path:
    return _cache_dir() / f"validated-{fingerprint}"


def _record(fingerprint: str) -> None:
    """Remember that these files passed; only the hash is written, never any content."""
    try:
        _cache_dir().mkdir(parents=True, exist_ok=True)
        _stamp(fingerprint).touch()
    except OSError:
        pass  # a read-only home just means validating in full every time


def _read_tables(directory: Path, *, validate: bool = True) -> tuple[dict[str, pd.DataFrame], list[DataProblem]]:
    tables: dict[str, pd.DataFrame] = {}
    problems: list[DataProblem] = []
    if not directory.is_dir():
        return tables, [DataProblem(str(directory), None, None, "is not a folder")]
    for name in TABLES:
        path = directory / name
        if not path.is_file():
            problems.append(DataProblem(name, None, None, "file is missing"))
            continue
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
            problems.append(DataProblem(name, _line_from(str(error)), None, _short(error)))
            continue
        frame.columns = [str(column).strip() for column in frame.columns]
        if validate:
            problems.extend(_validate(name, frame))
        tables[name] = frame
    return tables, problems


def _validate(name: str, frame: pd.DataFrame) -> list[DataProblem]:
    import pandera.pandas as pa  # imported here: a trusted load never needs it

    from .schemas import SCHEMAS

    try:
        SCHEMAS[name].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _schema_problems(name, errors.failure_cases)
    return []


def _line_from(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _short(error: Exception) -> str:
    return str(error).strip().splitlines()[-1]


def _schema_problems(name: str, cases: pd.DataFrame) -> list[DataProblem]:
    problems = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = None if pd.isna(case.column) else str(case.column)
        if check == "column_in_dataframe":
            problems.append(DataProblem(name, 1, str(case.failure_case), "required column is missing"))
            continue
        row = None if pd.isna(case.index) else int(case.index) + 2
        if check == "field_uniqueness":
            message = f"{case.failure_case!r} appears more than once; ids must be unique"
        else:
            message = f"{case.failure_case!r} {check}" if case.failure_case is not None else check
        problems.append(DataProblem(name, row, column, message))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


class _Builder:
    """Turns validated tables into frozen objects, collecting cross-table problems."""

    def __init__(self, directory: Path, tables: dict[str, pd.DataFrame]):
        self.directory = directory
        self.tables = tables
        self.problems: list[DataProblem] = []

    def problem(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(DataProblem(file, row, column, message))

    def rows(self, name: str) -> list[tuple[int, dict[str, str]]]:
        frame = self.tables[name]
        return [(index + 2, record) for index, record in enumerate(frame.to_dict("records"))]

    def build(self) -> Knowledge:
        sources = self._sources()
        groups = {
            row["id"]: row["title"] for _, row in sorted(self.rows("groups.csv"), key=lambda r: int(r[1]["order"]))
        }
        questions = self._questions(groups)
        terms = self._terms(questions, sources)
        levels = self._levels(sources)
        red_flags = self._rules("red_flags.csv", questions, terms, sources)
        baselines = self._rules("baseline.csv", questions, terms, sources)
        advice = self._rules("advice.csv", questions, terms, sources)
        causes = self._causes(questions, terms, sources)
        self._check_cover(baselines, advice)
        scenarios = self._scenarios(questions, sources, {cause.id for cause in causes})
        for row_number, row in self.rows("myths.csv"):
            self._check_sources("myths.csv", row_number, row["sources"], sources)
            self._check_dates("myths.csv", row_number, row)
        for row_number, row in self.rows("statistics.csv"):
            self._check_sources("statistics.csv", row_number, row["sources"], sources)
        frozen_tables = MappingProxyType({name.removesuffix(".csv"): frame for name, frame in self.tables.items()})
        return Knowledge(
            directory=self.directory,
            sources=MappingProxyType(sources),
            groups=MappingProxyType(groups),
            questions=MappingProxyType(questions),
            terms=MappingProxyType(terms),
            levels=MappingProxyType(levels),
            red_flags=tuple(sorted(red_flags, key=lambda r: -r.urgency)),
            baselines=tuple(baselines),
            advice=tuple(sorted(advice, key=lambda r: (-r.urgency, r.order))),
            causes=tuple(causes),
            scenarios=tuple(scenarios),
            tables=frozen_tables,
        )

    def _sources(self) -> dict[str, Source]:
        return {
            row["id"]: Source(
                id=row["id"],
                title=row["title"],
                publisher=row["publisher"],
                year=int(row["year"]) if row["year"] else None,
                url=row["url"].split(" ; ")[0],
                authority=row["authority"],
            )
            for _, row in self.rows("sources.csv")
        }

    def _questions(self, groups: Mapping[str, str]) -> dict[str, Question]:
        choices: dict[str, list[tuple[int, str, str]]] = {}
        for _, row in self.rows("choices.csv"):
            choices.setdefault(row["field"], []).append((int(row["order"]), row["value"], row["label"]))
        raw = sorted(self.rows("questions.csv"), key=lambda r: int(r[1]["order"]))
        questions: dict[str, Question] = {}
        for row_number, row in raw:
            name = row["field"]
            if row["group"] not in groups:
                self.problem("questions.csv", row_number, "group", f"unknown group {row['group']!r}")
            options = sorted(choices.get(name, []))
            if row["kind"] == "choice" and not options:
                self.problem(
                    "questions.csv", row_number, "kind", f"choice question {name!r} has no rows in choices.csv"
                )
            if row["kind"] != "choice" and options:
                self.problem("choices.csv", None, "field", f"{name!r} is not a choice question")
            if row["kind"] == "integer" and not (row["minimum"] and row["maximum"]):
                self.problem("questions.csv", row_number, "minimum", "integer questions need a minimum and a maximum")
            questions[name] = Question(
                field=name,
                group=row["group"],
                order=int(row["order"]),
                priority=int(row["priority"]),
                label=row["label"],
                help=row["help"],
                kind=row["kind"],
                minimum=int(row["minimum"]) if row["minimum"] else None,
                maximum=int(row["maximum"]) if row["maximum"] else None,
                choices=tuple(value for _, value, _ in options),
                choice_labels=MappingProxyType({value: label for _, value, label in options}),
                show_if=None,
                offer_change=row["offer_change"] == "yes",
            )
        for field_name in choices:
            if field_name not in questions:
                self.problem("choices.csv", None, "field", f"unknown question {field_name!r}")
        self._check_contract(questions, {r["field"]: n for n, r in raw})
        # show_if may refer to any question, so parse it once all questions exist.
        for row_number, row in raw:
            if row["show_if"].strip():
                node = self._parse("questions.csv", row_number, "show_if", row["show_if"], questions, {})
                questions[row["field"]] = replace(questions[row["field"]], show_if=node)
        return questions

    def _check_contract(self, questions: Mapping[str, Question], rows: Mapping[str, int]) -> None:
        for name, allowed in contract.ANSWER_FIELDS.items():
            question = questions.get(name)
            if question is None:
                self.problem("questions.csv", None, "field", f"contract field {name!r} is missing")
                continue
            row = rows.get(name)
            if allowed == "boolean":
                expected_kind = "boolean"
            elif isinstance(allowed[0], int):
                expected_kind = "integer"
                if (question.minimum, question.maximum) != allowed:
                    self.problem(
                        "questions.csv", row, "minimum", f"contract range for {name} is {allowed[0]}-{allowed[1]}"
                    )
            else:
                expected_kind = "choice"
                missing = [value for value in allowed if value not in question.choices]
                if missing:
                    self.problem(
                        "choices.csv", None, "value", f"{name} is missing contract values {', '.join(missing)}"
                    )
            if question.kind != expected_kind:
                self.problem("questions.csv", row, "kind", f"contract says {name} is {expected_kind}")

    def _parse(
        self, file: str, row: int, column: str, text: str, questions: Mapping[str, Question], terms: Mapping[str, Node]
    ) -> Node | None:
        try:
            return parse(text, questions, terms)
        except ConditionError as error:
            self.problem(file, row, column, str(error))
            return None

    def _terms(self, questions: Mapping[str, Question], sources: Mapping[str, Source]) -> dict[str, Node]:
        terms: dict[str, Node] = {}
        for row_number, row in self.rows("terms.csv"):
            self._check_sources("terms.csv", row_number, row["sources"], sources)
            node = self._parse("terms.csv", row_number, "condition", row["condition"], questions, terms)
            if node is not None:
                terms[row["name"]] = node
        return terms

    def _levels(self, sources: Mapping[str, Source]) -> dict[Urgency, Level]:
        levels = {}
        for row_number, row in self.rows("urgency_levels.csv"):
            self._check_sources("urgency_levels.csv", row_number, row["sources"], sources)
            urgency = Urgency.from_id(row["id"])
            if int(row["rank"]) != int(urgency):
                self.problem("urgency_levels.csv", row_number, "rank", f"rank of {urgency.id} must be {int(urgency)}")
            levels[urgency] = Level(urgency, row["heading"], row["hidden_text"], row["icon"], row["action"])
        for urgency in Urgency:
            if urgency not in levels:
                self.problem("urgency_levels.csv", None, "id", f"level {urgency.id} is missing")
        return levels

    def _check_sources(self, file: str, row: int, cell: str, sources: Mapping[str, Source]) -> tuple[str, ...]:
        ids = tuple(part for part in cell.split(";") if part)
        for source_id in ids:
            if source_id not in sources:
                self.problem(file, row, "sources", f"source {source_id} is not in sources.csv")
        return ids

    def _review(self, file: str, row_number: int, row: Mapping[str, str], sources: Mapping[str, Source]) -> Review:
        ids = self._check_sources(file, row_number, row["sources"], sources)
        last, due = self._check_dates(file, row_number, row)
        return Review(ids, last, due, row["clinician_review"] == "yes")

    def _check_dates(self, file: str, row_number: int, row: Mapping[str, str]) -> tuple[date, date]:
        last = date.fromisoformat(row["last_reviewed"])
        due = date.fromisoformat(row["next_review_due"])
        if due <= last:
            self.problem(file, row_number, "next_review_due", "must be after last_reviewed")
        return last, due

    def _rules(
        self, file: str, questions: Mapping[str, Question], terms: Mapping[str, Node], sources: Mapping[str, Source]
    ) -> list[Rule]:
        rules = []
        for row_number, row in self.rows(file):
            node = self._parse(file, row_number, "condition", row["condition"], questions, terms)
            review = self._review(file, row_number, row, sources)
            if node is None:
                continue
            rules.append(
                Rule(
                    id=row["id"],
                    urgency=Urgency.from_id(row["urgency"]),
                    condition=node,
                    condition_text=row["condition"],
                    message=row.get("message") or row.get("text", ""),
                    review=review,
                    order=int(row.get("order") or 0),
                )
            )
        return rules

    def _causes(
        self, questions: Mapping[str, Question], terms: Mapping[str, Node], sources: Mapping[str, Source]
    ) -> list[Cause]:
        rules: dict[str, list[CauseRule]] = {}
        for row_number, row in self.rows("cause_rules.csv"):
            node = self._parse("cause_rules.csv", row_number, "condition", row["condition"], questions, terms)
            self._check_sources("cause_rules.csv", row_number, row["sources"], sources)
            weight = int(row["weight"])
            if row["effect"] in ("raise", "lower") and weight < 1:
                self.problem(
                    "cause_rules.csv", row_number, "weight", "raise and lower rules need a weight of 1 or more"
                )
            if node is not None:
                rules.setdefault(row["cause_id"], []).append(
                    CauseRule(node, row["condition"], row["effect"], weight, row["note"])
                )
        causes = []
        for row_number, row in self.rows("causes.csv"):
            review = self._review("causes.csv", row_number, row, sources)
            causes.append(
                Cause(
                    id=row["id"],
                    name=row["name"],
                    summary=row["summary"],
                    next_step=row["next_step"],
                    prior=int(row["prior"]),
                    figure=row["figure"],
                    review=review,
                    rules=tuple(rules.pop(row["id"], [])),
                    advice_urgency=Urgency.from_id(row["advice_urgency"]),
                    kind=row["kind"],
                )
            )
        for cause_id in rules:
            self.problem("cause_rules.csv", None, "cause_id", f"unknown cause {cause_id!r}")
        present = {cause.id for cause in causes}
        for cause_id in contract.CAUSE_IDS:
            if cause_id not in present:
                self.problem("causes.csv", None, "id", f"contract cause id {cause_id!r} is missing")
        return causes

    def _scenarios(
        self, questions: Mapping[str, Question], sources: Mapping[str, Source], cause_ids: set[str]
    ) -> list[Scenario]:
        scenarios = []
        for row_number, row in self.rows("scenarios.csv"):
            ids = self._check_sources("scenarios.csv", row_number, row["sources"], sources)
            self._check_dates("scenarios.csv", row_number, row)
            try:
                answers = check_answers(json.loads(row["answers"]), questions)
            except json.JSONDecodeError as error:
                self.problem("scenarios.csv", row_number, "answers", f"not valid JSON: {error.msg}")
                continue
            except AnswerError as error:
                self.problem("scenarios.csv", row_number, "answers", str(error))
                continue
            likely = tuple(part for part in row["likely_causes"].split(";") if part)
            for cause_id in likely:
                if cause_id not in cause_ids:
                    self.problem("scenarios.csv", row_number, "likely_causes", f"unknown cause {cause_id!r}")
            scenarios.append(
                Scenario(
                    id=row["id"],
                    title=row["title"],
                    life_stage=row["life_stage"],
                    story=row["story"],
                    answers=answers,
                    expected_urgency=Urgency.from_id(row["expected_urgency"]),
                    likely_causes=likely,
                    teaching_point=row["teaching_point"],
                    sources=ids,
                )
            )
        return scenarios

    def _check_cover(self, baselines: list[Rule], advice: list[Rule]) -> None:
        if not any(r.urgency is Urgency.ROUTINE and r.condition_text.strip() == "always" for r in baselines):
            self.problem("baseline.csv", None, "condition", "needs a routine row with condition 'always'")
        for urgency in Urgency:
            if not any(r.urgency is urgency and r.condition_text.strip() == "always" for r in advice):
                self.problem("advice.csv", None, "condition", f"level {urgency.id} needs a row with condition 'always'")
