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
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .builders import build
from .errors import AnswerError, DataError, DataProblem
from .model import UNSET_REGION, Knowledge, Records
from .regions import region_code

if TYPE_CHECKING:
    import pandas as pd

_PACKAGED_DATA = Path(__file__).resolve().parent / "data"
DEFAULT_DATA_DIR = _PACKAGED_DATA if _PACKAGED_DATA.is_dir() else Path(__file__).resolve().parent.parent / "data"
"""The repository's data/, or the copy inside a built wheel (the static site's: spotting.static_site)."""
SNAPSHOT_MANIFEST = "validated.json"
"""Written beside a copy of data/ by the static build, after validating it in full."""
CONDITION_TABLES = ("red_flags.csv", "baseline.csv", "advice.csv", "cause_rules.csv")


TABLES = (
    "sources.csv", "regions.csv", "services.csv", "groups.csv", "routes.csv", "questions.csv", "choices.csv",
    "terms.csv", "urgency_levels.csv", "sites.csv",
    "red_flags.csv", "baseline.csv", "advice.csv", "causes.csv", "cause_rules.csv", "myths.csv",
    "scenarios.csv", "statistics.csv",
)  # fmt: skip
"""Every file the loader reads; ``schemas.SCHEMAS`` has one schema for each (tested)."""

# The validation depends on the core modules and these libraries, so they are part of the
# fingerprint. Every top-level module is hashed, so a new validating module can never be left out.
_VALIDATING_MODULES = tuple(sorted(path.stem for path in Path(__file__).resolve().parent.glob("*.py")))


def load_knowledge(directory: str | Path | None = None, region: object = None) -> Knowledge:
    """Load and validate data/ (or ``directory``); cached, so repeated calls are free.

    ``region`` (``"GB"``, ``"us"``, ``"other"``; None for not chosen) words the prose with that
    region's services (spotting.regions); an unknown code raises ``AnswerError``."""
    path = Path(directory or DEFAULT_DATA_DIR).resolve()
    neutral = _load(path, UNSET_REGION)
    code = region_code(region, neutral.regions)
    return neutral if code == UNSET_REGION else _load(path, code)


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


def check_data(directory: str | Path | None = None) -> list[DataProblem]:
    """Every problem in a knowledge base; an empty list means it is valid. Always validates fully."""
    try:
        _build(Path(directory or DEFAULT_DATA_DIR).resolve(), trust_fingerprint=False)
    except DataError as error:
        return error.problems
    return []


@cache
def _load(directory: Path, region: str) -> Knowledge:
    return _build(directory, region)


def _build(directory: Path, region: str = UNSET_REGION, *, trust_fingerprint: bool = True) -> Knowledge:
    """Read, validate and build; all or nothing.

    Column checks (pandera) are the slow part of loading, and importing pandera alone costs a
    dashboard kernel about 0.3 s. So once a set of files passes them, their fingerprint is
    recorded, and a later load of the very same bytes, by the same code and library versions,
    skips only that step. Cross-table checks run on every load.
    """
    fingerprint = _fingerprint(directory)
    trusted = trust_fingerprint and (
        (fingerprint is not None and _stamp(fingerprint).is_file()) or _snapshot_is_intact(directory)
    )
    tables, problems = _read_tables(directory, validate=not trusted)
    if problems:
        raise DataError(problems)
    knowledge, problems = build(directory, tables, region)
    if problems:
        raise DataError(problems)
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


def _record(fingerprint: str) -> None:
    """Remember that these files passed; only the hash is written, never any content."""
    try:
        _cache_dir().mkdir(parents=True, exist_ok=True)
        _stamp(fingerprint).touch()
    except OSError:
        pass  # a read-only home just means validating in full every time


def _read_tables(directory: Path, *, validate: bool = True) -> tuple[dict[str, Records], list[DataProblem]]:
    """Every table as records of text. Files not yet validated are read with pandas and checked
    with pandera; a trusted load (the very same bytes passed before) reads them with the csv
    module, so a dashboard kernel imports neither pandas nor pandera."""
    tables: dict[str, Records] = {}
    problems: list[DataProblem] = []
    if not directory.is_dir():
        return tables, [DataProblem(str(directory), None, None, "is not a folder")]
    for name in TABLES:
        path = directory / name
        if not path.is_file():
            problems.append(DataProblem(name, None, None, "file is missing"))
            continue
        if not validate:
            tables[name] = _read_trusted(path)
            continue
        records, found = _read_and_validate(name, path)
        problems.extend(found)
        if records is not None:
            tables[name] = records
    return tables, problems


def _read_trusted(path: Path) -> Records:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return tuple({key.strip(): value for key, value in row.items()} for row in reader)


def _read_and_validate(name: str, path: Path) -> tuple[Records | None, list[DataProblem]]:
    import pandas as pd  # only when files are new or changed: see _read_tables

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        return None, [DataProblem(name, _line_from(str(error)), None, _short(error))]
    frame.columns = [str(column).strip() for column in frame.columns]
    records = tuple(cast(list[dict[str, str]], frame.to_dict("records")))
    return records, _validate(name, frame)


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
        row = None if pd.isna(case["index"]) else int(case["index"]) + 2
        if check == "field_uniqueness":
            message = f"{failure!r} appears more than once; ids must be unique"
        else:
            message = f"{failure!r} {check}" if failure is not None else check
        problems.append(DataProblem(name, row, column, message))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
