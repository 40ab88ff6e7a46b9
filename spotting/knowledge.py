"""Load the knowledge base in data/ once, validate all of it, and freeze it.

Loading is all-or-nothing: every problem in every file is collected (file, row, column, what is
wrong) and raised together as a ``DataError``; a half-loaded knowledge base never reaches the
engine. Row numbers are the line numbers an editor shows (the header is line 1).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from dataclasses import replace
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import parse_qs

from .builders import build
from .errors import AnswerError, DataError, DataProblem
from .localise import LANGUAGE_KEY, SOURCE_LANGUAGE, catalog_problems, language_code, offered
from .model import UNSET_REGION, Knowledge, Records
from .regions import region_code

if TYPE_CHECKING:
    import pandas as pd

_PACKAGED_DATA = Path(str(files("spotting") / "data"))
DEFAULT_DATA_DIR = (
    _PACKAGED_DATA if (_PACKAGED_DATA / "red_flags.csv").is_file() else Path(__file__).resolve().parent.parent / "data"
)
"""The copy inside an installed wheel (spotting/data/, also the static site's: spotting_host.static_site),
or, in a checkout and its editable install, the repository's data/."""
SNAPSHOT_MANIFEST = "validated.json"
"""Written beside a copy of data/ by the static build, after validating it in full."""
ENCODING = "utf-8-sig"
"""UTF-8, with or without the byte-order mark that Excel's "CSV UTF-8" writes first."""


TABLES = (
    "sources.csv", "regions.csv", "services.csv", "groups.csv", "routes.csv", "questions.csv", "choices.csv",
    "terms.csv", "urgency_levels.csv", "sites.csv",
    "red_flags.csv", "baseline.csv", "advice.csv", "causes.csv", "cause_rules.csv", "myths.csv",
    "scenarios.csv", "statistics.csv", "safety_nets.csv", "hazards.csv",
)  # fmt: skip
"""Every file the loader reads; ``schemas.SCHEMAS`` has one schema for each (tested)."""

CLASSROOM_TABLES = ("safeguarding.csv", "answer_bank.csv")
"""The teaching session's tables of words. spotting.teaching.plan checks them (a knowledge base
without a classroom still loads); they are read here too, as plain rows, only so their words go
through the same localise step as every other table (``Knowledge.tables``, ``in_english``)."""

# The validation depends on the core modules and these libraries, so they are part of the
# fingerprint. Every top-level module is hashed, so a new validating module can never be left out.
_VALIDATING_MODULES = tuple(sorted(path.stem for path in Path(__file__).resolve().parent.glob("*.py")))


def load_knowledge(directory: str | Path | None = None, region: object = None, lang: object = None) -> Knowledge:
    """Load and validate data/ (or ``directory``); cached, so repeated calls are free.

    ``region`` (``"GB"``, ``"us"``, ``"other"``; None for not chosen) words the prose with that
    region's services (spotting.regions); ``lang`` (``"es"``; None for English) puts it in an
    offered language (spotting.localise). An unknown region or language raises ``AnswerError``
    naming it and listing the allowed ones."""
    path = Path(directory or DEFAULT_DATA_DIR).resolve()
    neutral = _load(path, UNSET_REGION, SOURCE_LANGUAGE)
    code = region_code(region, neutral.regions)
    language = SOURCE_LANGUAGE if _is_english(lang) else language_code(lang, available_languages(path))
    if code == UNSET_REGION and language == SOURCE_LANGUAGE:
        return neutral
    return _load(path, code, language)


def _is_english(lang: object) -> bool:
    """None, "", "en" or "en-GB": English needs no catalog, so Babel is never imported for it."""
    return lang is None or lang == "" or (isinstance(lang, str) and lang.strip().casefold().split("-")[0] == "en")


def available_languages(directory: str | Path | None = None) -> tuple[str, ...]:
    """The languages a reader can choose for this knowledge base (codes, English first): those
    marked offered whose every safety string is translated from today's English."""
    return _available_languages(Path(directory or DEFAULT_DATA_DIR).resolve())


@cache
def _available_languages(path: Path) -> tuple[str, ...]:
    """Cached by the resolved folder, not by how it was named: the explorer asks with no folder
    and then with its knowledge base's, and each miss checks every catalog's safety strings
    (about 60 ms in a kernel, four times that in the static site's browser Python)."""
    return offered(_load(path, UNSET_REGION, SOURCE_LANGUAGE).source_tables)


REGION_ENVIRONMENT = "SPOTTING_REGION"
"""Set by ``spotting serve --region CODE``: the region a dashboard page starts with."""


def default_region() -> str | None:
    """The server's default region (``SPOTTING_REGION``) if it is a valid code, else None: a bad
    value must not stop a dashboard from starting, and no region means the neutral wording."""
    code = os.environ.get(REGION_ENVIRONMENT) or None
    try:
        return load_knowledge(region=code).region.code if code else None
    except AnswerError:
        return None


def language_from_address(query: str | None = None) -> str | None:
    """``?lang=es`` in a page's address (the explorer's and the teaching pages'): Voila gives a
    kernel it starts for a page the query string (QUERY_STRING); a preheated kernel learns it from
    the browser (``PageWords.address``).
    A value that is not offered is ignored (English), never an error on a reader's screen."""
    values = parse_qs(query if query is not None else os.environ.get("QUERY_STRING", "")).get(LANGUAGE_KEY)
    wanted = values[0].strip().casefold() if values else ""
    codes = available_languages()
    return next((code for code in codes if wanted and wanted.split("-")[0] == code), None)


def check_data(directory: str | Path | None = None) -> list[DataProblem]:
    """Every problem in a knowledge base; an empty list means it is valid. Always validates fully.

    For the shipped data/ (the one the catalogs in spotting/locale/ translate), every catalog is
    checked too (spotting.localise.catalog_problems), and every offered language must load."""
    path = Path(directory or DEFAULT_DATA_DIR).resolve()
    try:
        knowledge = _build(path, trust_fingerprint=False)
    except DataError as error:
        return error.problems
    if path != DEFAULT_DATA_DIR.resolve():
        return []
    problems = catalog_problems(knowledge.source_tables)
    if problems:
        return problems
    for language in offered(knowledge.source_tables):
        try:
            _build(path, UNSET_REGION, language)
        except DataError as error:
            problems.extend(replace(problem, message=f"[{language}] {problem.message}") for problem in error.problems)
    return problems


@cache
def _load(directory: Path, region: str, language: str = SOURCE_LANGUAGE) -> Knowledge:
    return _build(directory, region, language)


def _build(
    directory: Path, region: str = UNSET_REGION, language: str = SOURCE_LANGUAGE, *, trust_fingerprint: bool = True
) -> Knowledge:
    """Read, validate and build; all or nothing.

    Column checks (pandera) are the slow part of loading, and importing pandera alone costs a
    dashboard kernel about 0.3 s. So once a set of files passes them, their fingerprint is
    recorded with the columns each file had, and a later load of the very same bytes, by the
    same code and library versions, skips only that step. If the fast reader does not see the
    very same columns, the load falls back to the full checks. Cross-table checks and the safety
    floor run on every load.
    """
    fingerprint = _fingerprint(directory)
    tables: dict[str, Records] | None = None
    if trust_fingerprint:
        expected = _recorded_columns(fingerprint) if fingerprint is not None else None
        if expected is not None or _snapshot_is_intact(directory):
            tables = _read_trusted_tables(directory, expected)
    validated = tables is None
    if tables is None:
        tables, problems = _read_tables(directory)
        if problems:
            raise DataError(problems)
    knowledge, problems = build(directory, {**tables, **_classroom_tables(directory)}, region, language)
    if problems:
        raise DataError(problems)
    if fingerprint is not None and validated:
        _record(fingerprint, tables)
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
    except (OSError, PackageNotFoundError):  # in the browser there is no pandas: see _snapshot_is_intact
        return None
    return digest.hexdigest()


def snapshot_manifest(directory: Path) -> dict[str, str]:
    """What a validated snapshot of ``directory`` records: the hash of its files and of the code
    that validates them. Only called by the build, right after ``check_data`` passed in full."""
    return {"validated_by": "spotting check-data", "sha256": _snapshot_digest(directory)}


def _snapshot_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for module in _VALIDATING_MODULES:
        digest.update((here / f"{module}.py").read_bytes())
    for name in TABLES:
        digest.update(name.encode() + b"\0" + (directory / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _snapshot_is_intact(directory: Path) -> bool:
    """True for a copy of data/ that the static build validated and nobody changed since.

    The static site's kernel runs in the browser (Pyodide), which has no pandas or pandera: it
    can only read a snapshot that passed the column checks at build time. Cross-table checks
    still run on every load. A changed file no longer matches and is validated in full."""
    try:
        recorded = json.loads((directory / SNAPSHOT_MANIFEST).read_text(encoding="utf-8"))
        return isinstance(recorded, dict) and recorded.get("sha256") == _snapshot_digest(directory)
    except (OSError, ValueError):
        return False


def _cache_dir() -> Path:
    base = os.environ.get("SPOTTING_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "spotting"


def _stamp(fingerprint: str) -> Path:
    return _cache_dir() / f"validated-{fingerprint}"


def _recorded_columns(fingerprint: str) -> dict[str, list[str]] | None:
    """The columns each file had when these very bytes passed in full; None if never (or the
    stamp is unreadable, e.g. written by an older version)."""
    try:
        recorded = json.loads(_stamp(fingerprint).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) and set(recorded) == set(TABLES) else None


def _record(fingerprint: str, tables: dict[str, Records]) -> None:
    """Remember that these files passed, with their column names; never any cell."""
    columns = {name: list(records[0]) if records else [] for name, records in tables.items()}
    try:
        _cache_dir().mkdir(parents=True, exist_ok=True)
        _stamp(fingerprint).write_text(json.dumps(columns), encoding="utf-8")
    except OSError:
        pass  # a read-only home just means validating in full every time


def _read_tables(directory: Path) -> tuple[dict[str, Records], list[DataProblem]]:
    """Every table as records of text, read with pandas and checked with pandera (a trusted
    load reads them with the csv module instead: see ``_read_trusted_tables``)."""
    tables: dict[str, Records] = {}
    problems: list[DataProblem] = []
    if not directory.is_dir():
        return tables, [DataProblem(str(directory), None, None, "is not a folder")]
    for name in TABLES:
        path = directory / name
        if not path.is_file():
            problems.append(DataProblem(name, None, None, "file is missing"))
            continue
        records, found = _read_and_validate(name, path)
        problems.extend(found)
        if records is not None:
            tables[name] = records
    return tables, problems


def _read_trusted_tables(directory: Path, expected: dict[str, list[str]] | None) -> dict[str, Records] | None:
    """The very same bytes that passed before, read with the csv module so a dashboard kernel
    imports neither pandas nor pandera; None (validate in full) if any file now reads with other
    columns than it had when it passed, so the two readers can never disagree unnoticed."""
    tables: dict[str, Records] = {}
    for name in TABLES:
        try:
            records = _read_trusted(directory / name)
        except (OSError, UnicodeDecodeError, csv.Error):
            return None
        if expected is not None and records and list(records[0]) != expected[name]:
            return None
        tables[name] = records
    return tables


def _classroom_tables(directory: Path) -> dict[str, Records]:
    """The classroom's tables as plain rows, those that are there and readable; their problems
    are reported, by file, row and column, by spotting.teaching.plan.load_classroom."""
    tables: dict[str, Records] = {}
    for name in CLASSROOM_TABLES:
        try:
            tables[name] = _read_trusted(directory / name)
        except (OSError, UnicodeDecodeError, csv.Error, AttributeError):  # AttributeError: a row too long
            continue
    return tables


def _read_trusted(path: Path) -> Records:
    with path.open(newline="", encoding=ENCODING) as handle:
        reader = csv.DictReader(handle, strict=True)
        return tuple({key.strip(): value for key, value in row.items()} for row in reader)


def _read_and_validate(name: str, path: Path) -> tuple[Records | None, list[DataProblem]]:
    import pandas as pd  # only when files are new or changed: see _read_tables

    problems = _structure_problems(name, path)
    if problems:
        return None, problems
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding=ENCODING, index_col=False
        )
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        return None, [DataProblem(name, _line_from(str(error)), None, _short(error))]
    frame.columns = [str(column).strip() for column in frame.columns]
    records = tuple(cast(list[dict[str, str]], frame.to_dict("records")))
    return records, _validate(name, frame)


def _structure_problems(name: str, path: Path) -> list[DataProblem]:
    """What makes a file not a table at all, located by line before pandas reads it: text that is
    not UTF-8, a quote that is never closed, a row with more or fewer cells than the header.
    (pandas would quietly take an extra first-row cell as an index and shift every column.)"""
    try:
        with path.open(newline="", encoding=ENCODING) as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if not header or not any(cell.strip() for cell in header):
                return [DataProblem(name, 1, None, "the file is empty: the first line must name the columns")]
            problems = []
            start = reader.line_num + 1
            for row in reader:
                if len(row) != len(header) and any(cell.strip() for cell in row):
                    problems.append(_cell_count(name, start, len(row), len(header), reader.line_num))
                start = reader.line_num + 1
            return problems[:5]
    except UnicodeDecodeError as error:
        return [DataProblem(name, None, None, f"is not UTF-8 text (byte {error.start}); save it as CSV UTF-8")]
    except csv.Error as error:
        return [DataProblem(name, reader.line_num or None, None, f"is not valid CSV: {error} (check the quotes)")]


def _cell_count(name: str, line: int, cells: int, columns: int, end: int) -> DataProblem:
    spread = f" (a quote is probably not closed: the row runs to line {end})" if end > line else ""
    return DataProblem(name, line, None, f"has {cells} cells but the header has {columns} columns{spread}")


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
    import pandas as pd

    problems = []
    for case in cases.to_dict("records"):
        check = str(case["check"])
        column = None if pd.isna(case["column"]) else str(case["column"])
        failure = case["failure_case"]
        if check == "column_in_dataframe":
            problems.append(DataProblem(name, 1, str(failure), "required column is missing"))
            continue
        index = case["index"]
        row = int(index) + 2 if isinstance(index, int) or (isinstance(index, float) and index == index) else None
        if check == "field_uniqueness":
            message = f"{failure!r} appears more than once; ids must be unique"
        else:
            message = f"{failure!r} {check}" if failure is not None else check
        problems.append(DataProblem(name, row, column, message))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
