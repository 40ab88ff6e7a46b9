"""Languages: the knowledge base's words in the reader's language, read from gettext catalogs.

Every reader-facing cell of data/*.csv is one gettext message (``spotting i18n extract``,
``spotting.catalogs``): its ``msgctxt`` is ``table:row_id:column`` and its ``msgid`` the English
text. So an English edit changes the ``msgid`` under the same context, and ``spotting i18n
update`` turns that translation *fuzzy* instead of silently keeping stale words.

At load time a catalog is read once (``read_messages``, a small PO reader: kernels never import
Babel, which writes the catalogs) into a plain dict ``context -> entry``; the loader then overlays
the prose cells before the region's services are filled in (``regions.localise``).
Language and region are two keys of this one step. Only words change: conditions, ids, urgency
and sources are never messages, so the engine decides exactly as it does in English.

A translation is used only when its ``msgid`` is today's English and it is not fuzzy; anything
else falls back to English and is recorded (``Overlay.english``), so a page can mark it
``lang="en"``. A language is *offered* only when it is listed in ``locale/languages.csv`` with
``offered=yes`` **and** every safety string (``SAFETY_COLUMNS``) is translated and current:
stale safety wording never reaches a reader.
"""

from __future__ import annotations

import csv
import dataclasses
import gettext
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import AnswerError, DataProblem, shown
from .model import Plurals, Records, english_plural
from .regions import PLACEHOLDER, PROSE_COLUMNS, fill

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""``locale/<lang>/LC_MESSAGES/<domain>.po`` and the ``<domain>.pot`` templates, inside the
package so a wheel ships them."""
DATA_DOMAIN = "data"
"""The catalog of data/*.csv prose (``msgctxt`` = ``table:row_id:column``)."""
UI_DOMAIN = "ui"
"""The catalog of interface phrases written in Python (``knowledge.phrase("…")`` and ``N_("…")``)."""
SOURCE_LANGUAGE = "en"
"""The language data/ is written in: the reference every translation is checked against."""
LANGUAGE_KEY = "lang"
"""The answers JSON key / command-line flag that names the language (contract §1b)."""

SAFETY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "urgency_levels.csv": ("heading", "hidden_text", "action"),
    "red_flags.csv": ("message",),
    "advice.csv": ("text", "heading"),
    "safety_nets.csv": ("text",),
    "services.csv": ("text", "call"),
    "safeguarding.csv": ("text",),
}
"""The safety strings: every red-flag text, urgency headline and level wording, the advice
sentence and its card heading, safety-net line, emergency number line and service line, and the
teaching session's safeguarding script (ground rules, what to do when a learner discloses abuse,
who to tell). A language is offered only when all of them are translated and not fuzzy."""

TRANSLATED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    **SAFETY_COLUMNS,  # first, so a translator meets the safety strings first
    **PROSE_COLUMNS,
    "scenarios.csv": (*PROSE_COLUMNS["scenarios.csv"], "life_stage"),  # shown on the teaching cards
    "routes.csv": ("label",),
    "regions.csv": ("name", "where"),
    "answer_bank.csv": ("question", "answer"),  # the anonymous questions' answers (teaching)
}
"""Every column a reader sees as words. Not here, never translated: ids, conditions, urgency
ids, answers JSON, numbers, source ids, URLs, icons, units, and the hazard log and source titles
(records for reviewers, kept in the reference language)."""

ROW_KEYS: Mapping[str, tuple[str, ...]] = {
    "questions.csv": ("field",),
    "choices.csv": ("field", "value"),
    "terms.csv": ("name",),
    "regions.csv": ("code",),
    "services.csv": ("region", "service"),
    "cause_rules.csv": ("cause_id", "effect", "condition"),
    "safeguarding.csv": ("region", "kind"),  # with #2, #3… for the lines of one kind
}
"""The columns that name a row (joined with ``/``); every other table has an ``id`` column."""

_LETTER = re.compile(r"[^\W\d_]")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")


@dataclass(frozen=True)
class Cell:
    """One reader-facing cell of data/: a message of the data catalog."""

    context: str
    english: str
    file: str
    line: int
    column: str
    safety: bool


def message_context(table: str, row_id: str, column: str) -> str:
    """``red_flags.csv``, ``heavy_bleeding``, ``message`` -> ``red_flags:heavy_bleeding:message``."""
    return f"{table.removesuffix('.csv')}:{row_id}:{column}"


def needs_words(text: str) -> bool:
    """A cell with no letter (``999``, ``!!``, empty) has nothing to translate."""
    return bool(_LETTER.search(text))


def cells(tables: Mapping[str, Records]) -> Iterator[Cell]:
    """Every translatable cell of ``tables``, in table and row order. A row id given twice (two
    cause rules with the same condition) gets ``#2``, ``#3``… so every context is unique."""
    for name, columns in TRANSLATED_COLUMNS.items():
        seen: dict[str, int] = {}
        for index, row in enumerate(tables.get(name, ())):
            row_id = "/".join(row.get(key, "") for key in ROW_KEYS.get(name, ("id",)))
            seen[row_id] = seen.get(row_id, 0) + 1
            if seen[row_id] > 1:
                row_id = f"{row_id}#{seen[row_id]}"
            for column in columns:
                text = row.get(column) or ""
                if needs_words(text):
                    safety = column in SAFETY_COLUMNS.get(name, ())
                    yield Cell(message_context(name, row_id, column), text, name, index + 2, column, safety)


# -- catalogs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One message of a translated catalog, as read from its .po file."""

    context: str
    english: str
    text: str
    fuzzy: bool
    line: int
    plural: str = ""
    """The English plural (``msgid_plural``) of a counted phrase; empty for any other message."""
    forms: tuple[str, ...] = ()
    """A counted phrase's translations, ``msgstr[0]``, ``msgstr[1]``...; ``text`` is the first."""


@dataclass(frozen=True)
class Catalog:
    """A language's data catalog, compiled into a dict, with the header facts a page shows."""

    language: str
    path: Path
    entries: Mapping[str, Entry]
    reviewed_by: str
    translated_by: str

    def current(self, cell: Cell) -> str | None:
        """The translation of ``cell`` if it is usable: translated, not fuzzy, and made from
        today's English (a catalog not yet updated after an English edit is stale, not used)."""
        entry = self.entries.get(cell.context)
        if entry is None or entry.fuzzy or not entry.text or entry.english != cell.english:
            return None
        if _names(entry.text) != _names(entry.english):  # check-data reports it; a reader gets English
            return None
        return entry.text


def catalog_path(language: str, domain: str = DATA_DOMAIN, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def header_field(comment: str, name: str) -> str:
    """A ``# name: value`` line of a catalog's header comment ("" if absent or empty). Babel keeps
    only the standard gettext headers, so ``reviewed-by`` and ``translated-by`` live there."""
    for line in comment.splitlines():
        key, colon, value = line.lstrip("# ").partition(":")
        if colon and key.strip().casefold() == name:
            return value.strip()
    return ""


def read_catalog(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog | None:
    """A language's compiled data catalog, or None if it has none. Read once per process."""
    return _read_catalog(language, locale_dir)


@cache
def _read_catalog(language: str, locale_dir: Path) -> Catalog | None:
    """Cached with both arguments given, so ``read_catalog("es")`` and ``read_catalog("es",
    LOCALE_DIR)`` are one read (the explorer's first switch to a language used to read it twice)."""
    path = catalog_path(language, locale_dir=locale_dir)
    if not path.is_file():
        return None
    comment, messages = read_messages(path)
    entries = {entry.context: entry for entry in messages if entry.context}
    return Catalog(
        language, path, entries, header_field(comment, "reviewed-by"), header_field(comment, "translated-by")
    )


def forget_catalogs() -> None:
    """Read every catalog and the languages table again on next use (after ``spotting i18n
    update`` rewrote them, or a test changed a copy)."""
    _read_catalog.cache_clear()
    ui_entries.cache_clear()
    languages.cache_clear()


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    body = text.strip()
    body = body[1:-1] if len(body) >= 2 and body[0] == body[-1] == '"' else body
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(1)), body)


@dataclass
class _Draft:
    """A message being read: its parts so far, and which one a continued "..." line extends."""

    flags: set[str]
    context: str = ""
    english: str = ""
    text: str | None = None
    line: int = 0
    field: str = ""
    plural: str = ""
    forms: list[str] = dataclasses.field(default_factory=list)

    def extend(self, more: str) -> None:
        if self.field == "context":
            self.context += more
        elif self.field == "id":
            self.english += more
        elif self.field == "plural":
            self.plural += more
        elif self.field == "string":
            self.text = (self.text or "") + more
        elif self.field == "form":
            self.forms[-1] += more


def read_messages(path: Path) -> tuple[str, list[Entry]]:
    """A .po file's header comment and its messages (not obsolete, not the header).

    The reader of the catalogs at run time, instead of Babel's ``read_po``: a kernel, and the
    static site's browser kernel, then never import Babel (10 MB of CLDR data) to show a page.
    It reads the gettext PO syntax every tool writes (msgctxt, msgid, msgstr, continued strings,
    ``#,`` flags); tests/test_languages.py checks it reads every catalog exactly as Babel does."""
    header: list[str] = []
    messages: list[Entry] = []
    draft: _Draft | None = None
    flags: set[str] = set()
    started = False

    def finish() -> None:
        nonlocal draft, flags
        if draft is not None and draft.english:
            fuzzy = "fuzzy" in draft.flags
            forms = tuple(draft.forms)
            text = forms[0] if forms else draft.text or ""
            messages.append(Entry(draft.context, draft.english, text, fuzzy, draft.line, draft.plural, forms))
        draft, flags = None, set()

    for number, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        line = raw.strip()
        if not started and line.startswith("#"):
            header.append(raw)
        if not line or line.startswith("#~"):
            finish()
            continue
        if line.startswith("#"):
            if draft is not None and draft.text is not None:
                finish()
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            if draft is not None:
                draft.extend(_unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and draft is not None and draft.text is not None:
            finish()
        if draft is None:
            draft = _Draft(flags)
        started = True
        if keyword == "msgctxt":
            draft.context, draft.field = _unquote(rest), "context"
        elif keyword == "msgid":
            draft.english, draft.line, draft.field = _unquote(rest), number, "id"
        elif keyword == "msgstr":
            draft.text, draft.field = _unquote(rest), "string"
        elif keyword == "msgid_plural":
            draft.plural, draft.field = _unquote(rest), "plural"
        elif keyword.startswith("msgstr["):  # a counted phrase: one string per plural form, in order
            draft.forms.append(_unquote(rest))
            draft.text, draft.field = draft.text or "", "form"
        else:
            draft.field = ""
    finish()
    return "\n".join(header), messages


@cache
def ui_entries(language: str, locale_dir: Path = LOCALE_DIR) -> tuple[Entry, ...]:
    """Every message of a language's interface catalog (none if it has no ``ui.po``)."""
    path = catalog_path(language, UI_DOMAIN, locale_dir)
    if not path.is_file():
        return ()
    _, messages = read_messages(path)
    return tuple(dataclasses.replace(entry, context=f"ui:{entry.english[:60]}") for entry in messages)


def phrases(language: str, locale_dir: Path = LOCALE_DIR) -> dict[str, str]:
    """A language's interface phrases as a dict, English -> translation: only those translated,
    not fuzzy, with the same placeholders. Anything else is looked up as English."""
    if language == SOURCE_LANGUAGE:
        return {}
    return {
        entry.english: entry.text
        for entry in ui_entries(language, locale_dir)
        if not entry.plural and entry.text and not entry.fuzzy and _names(entry.text) == _names(entry.english)
    }


def plural_rule(language: str, locale_dir: Path = LOCALE_DIR) -> tuple[int, Callable[[int], int]] | None:
    """The number of plural forms and the rule choosing one, from the ``Plural-Forms`` line of a
    language's ``ui.po`` header (gettext's own C-like expression, compiled by the standard
    library's ``gettext.c2py``, which refuses anything outside that grammar). English's when the
    language has no interface catalog; None when the line is missing or broken (check-data says so)."""
    path = catalog_path(language, UI_DOMAIN, locale_dir)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return 2, english_plural
    found = re.search(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=([^;]+)", _header_text(path))
    if found is None:
        return None
    try:
        rule = gettext.c2py(found.group(2).strip())
        if not all(0 <= rule(n) < int(found.group(1)) for n in range(1000)):
            return None
    except (ValueError, SyntaxError, RecursionError):
        return None
    return int(found.group(1)), rule


def _header_text(path: Path) -> str:
    """The header entry's text (the ``msgstr`` of ``msgid ""``), its continued lines joined."""
    parts: list[str] = []
    reading = False
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if line.startswith("msgstr "):
            reading = True
            parts.append(_unquote(line[len("msgstr ") :]))
        elif reading and line.startswith('"'):
            parts.append(_unquote(line))
        elif reading:
            break
    return "".join(parts)


def plurals(language: str, locale_dir: Path = LOCALE_DIR) -> Plurals:
    """A language's counted phrases: only those with every form translated, not fuzzy, and no
    placeholder the English lacks (a form may leave out ``{count}``: Arabic says "one vote" and
    "two votes" in words). Anything else is shown in English."""
    if language == SOURCE_LANGUAGE:
        return Plurals()
    found = plural_rule(language, locale_dir)
    if found is None:
        return Plurals()
    count, rule = found
    forms = {
        (entry.english, entry.plural): entry.forms
        for entry in ui_entries(language, locale_dir)
        if entry.plural and not entry.fuzzy and len(entry.forms) == count and all(entry.forms)
        and all(set(_names(form)) <= set(_names(entry.plural)) for form in entry.forms)
    }  # fmt: skip
    return Plurals(forms, rule)


# -- which languages are offered ------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    """A row of ``locale/languages.csv``: a language a reader may choose."""

    code: str
    name: str
    """The language's name in itself ("Español"), as a reader looks for it."""
    english_name: str
    direction: str
    """``ltr`` or ``rtl`` (the page's ``dir``)."""
    offered: bool
    """The team means to ship it; it is then offered only if its safety strings are complete."""


@cache
def languages(locale_dir: Path = LOCALE_DIR) -> Mapping[str, Language]:
    """Every language with a row in ``locale/languages.csv`` (English first), by code."""
    path = locale_dir / "languages.csv"
    if not path.is_file():  # a copy without catalogs: English only
        return {SOURCE_LANGUAGE: Language(SOURCE_LANGUAGE, "English", "English", "ltr", True)}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: Language(row["code"], row["name"], row["english_name"], row["dir"], row["offered"] == "yes")
        for row in rows
    }


def safety_gaps(tables: Mapping[str, Records], catalog: Catalog | None) -> list[Cell]:
    """The safety strings ``catalog`` does not translate (missing, fuzzy or stale)."""
    return [cell for cell in cells(tables) if cell.safety and (catalog is None or catalog.current(cell) is None)]


def offered(tables: Mapping[str, Records], locale_dir: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The languages a reader can choose for this knowledge base: English, and each language
    marked ``offered=yes`` whose every safety string is translated and current."""
    return tuple(
        code
        for code, language in languages(locale_dir).items()
        if code == SOURCE_LANGUAGE
        or (language.offered and not safety_gaps(tables, read_catalog(code, locale_dir)))
    )


def language_code(value: object, available: tuple[str, ...]) -> str:
    """A language as a person gives it (``"es"``, ``"ES"``, ``"es-MX"``, None for English) -> an
    offered code; anything else is an ``AnswerError`` naming it and listing the offered ones."""
    if value is None or value == "":
        return SOURCE_LANGUAGE
    if isinstance(value, str):
        wanted = value.strip().replace("_", "-").casefold()
        for code in available:
            if wanted == code.casefold() or wanted.split("-")[0] == code.casefold():
                return code
    raise AnswerError(
        LANGUAGE_KEY,
        f"language {shown(value)} is not available; available: {', '.join(available)}",
        allowed=", ".join(available),
    )


# -- the overlay ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overlay:
    """Tables in a language, and the English texts that stayed English (not yet translated)."""

    tables: dict[str, Records]
    english: frozenset[tuple[str, int, str]]
    """(table, row index, column) of each reader-facing cell still in English."""


def translate(
    tables: Mapping[str, Records], language: str, locale_dir: Path = LOCALE_DIR, region: str = ""
) -> Overlay:
    """``tables`` with every reader-facing cell in ``language`` where the catalog has a current
    translation; other cells keep their English. Ids, conditions and numbers are never touched.

    A region may have its own wording of a language, as gettext's ``en_US`` beside ``en``: a
    catalog ``locale/<lang>_<REGION>/`` (US English "uterus", "Pap test"), looked up first and
    needing only the messages that differ. English without one is returned as written."""
    local = dict(tables)
    chain = [c for c in (read_catalog(f"{language}_{region}", locale_dir) if region else None,) if c is not None]
    if language != SOURCE_LANGUAGE:
        chain += [c for c in (read_catalog(language, locale_dir),) if c is not None]
    if not chain and language == SOURCE_LANGUAGE:
        return Overlay(local, frozenset())
    english: set[tuple[str, int, str]] = set()
    changed: dict[str, list[dict[str, str]]] = {}
    for cell in cells(tables):
        text = next((found for catalog in chain if (found := catalog.current(cell)) is not None), None)
        index = cell.line - 2
        if text is None:
            if language != SOURCE_LANGUAGE:  # English itself is never "left in English"
                english.add((cell.file, index, cell.column))
            continue
        if cell.file not in changed:  # one copy per table (setdefault's default would copy per cell)
            changed[cell.file] = [dict(row) for row in tables[cell.file]]
        changed[cell.file][index][cell.column] = text
    for name, rows in changed.items():
        local[name] = tuple(rows)
    return Overlay(local, frozenset(english))


def english_words(
    filled: Mapping[str, Records], written: Mapping[str, Records], english: frozenset[tuple[str, int, str]],
    services: Mapping[str, str],
) -> dict[str, Records]:
    """``filled`` with every cell that stayed English filled with the region's *English* service
    words, so an untranslated sentence never reads "go to urgencias (A&E)": it is wholly English
    (and marked so), like the page it falls back to."""
    local = dict(filled)
    changed: dict[str, list[dict[str, str]]] = {}
    for name, index, column in sorted(english):
        if name not in changed:
            changed[name] = [dict(row) for row in filled[name]]
        changed[name][index][column] = fill(written[name][index][column], services)
    for name, rows in changed.items():
        local[name] = tuple(rows)
    return local


# -- checks for check-data ------------------------------------------------------------------------


def _tags(text: str) -> list[str] | None:
    """The markup tags of ``text`` in order, or None when they are unbalanced (``<b>`` never
    closed, ``</i>`` never opened, ``**`` odd)."""
    stack: list[str] = []
    found: list[str] = []
    for match in _TAG.finditer(text):
        name, closing = match.group(1).lower(), match.group(0).startswith("</")
        found.append(match.group(0) if not closing else f"</{name}>")
        if match.group(2):
            continue
        if closing:
            if not stack or stack.pop() != name:
                return None
        else:
            stack.append(name)
    if stack or text.count("**") % 2:
        return None
    return found


def _names(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def catalog_problems(tables: Mapping[str, Records], locale_dir: Path = LOCALE_DIR) -> list[DataProblem]:
    """Every broken message of every data catalog, located by file and line with its context:
    a placeholder added, lost or renamed; markup unbalanced or changed; a fuzzy safety string;
    and, for a language marked ``offered=yes``, any safety string not translated from today's
    English. Untranslated other strings are fine: they fall back to English."""
    problems: list[DataProblem] = []
    try:
        listed = languages(locale_dir)
    except (OSError, KeyError) as error:
        return [DataProblem(str(locale_dir / "languages.csv"), None, None, f"cannot be read: {error}")]
    by_context = {cell.context: cell for cell in cells(tables)}
    shown_dir = locale_dir.parent.parent  # the repository (or site-packages): spotting/locale/...
    variants = {  # a region's own wording (en_US): checked like a language, never offered on its own
        folder.name: Language(folder.name, folder.name, folder.name, "ltr", False)
        for folder in sorted(locale_dir.iterdir())
        if "_" in folder.name and catalog_path(folder.name, locale_dir=locale_dir).is_file()
    }
    for code, language in {**listed, **variants}.items():
        if code == SOURCE_LANGUAGE:
            continue
        broken = [
            DataProblem(_where(path, shown_dir), line, None, f"[{code}] {message}")
            for path in (catalog_path(code, domain, locale_dir) for domain in (DATA_DOMAIN, UI_DOMAIN))
            for line, message in _syntax_problems(path)
        ]
        if broken:  # the run-time reader is lenient: the syntax is checked here, strictly, by Babel
            problems.extend(broken)
            continue
        catalog = read_catalog(code, locale_dir)
        if catalog is None:
            if language.offered:
                message = f"{code} is offered but has no catalog"
                problems.append(DataProblem(str(locale_dir / code), None, None, message))
            continue
        file = _where(catalog.path, shown_dir)
        for entry in catalog.entries.values():
            problems.extend(_entry_problems(file, code, entry, by_context.get(entry.context)))
        ui_file = _where(catalog_path(code, UI_DOMAIN, locale_dir), shown_dir)
        counted = plural_rule(code, locale_dir)
        if counted is None:
            message = f"[{code}] the Plural-Forms header is missing or not a valid gettext plural rule"
            problems.append(DataProblem(ui_file, None, None, message))
        for entry in ui_entries(code, locale_dir):
            if entry.plural:
                problems.extend(_plural_problems(ui_file, code, entry, counted[0] if counted else None))
            else:
                problems.extend(_entry_problems(ui_file, code, entry, None))
        if language.offered:
            for cell in safety_gaps(tables, catalog):
                found = catalog.entries.get(cell.context)
                state = (
                    "missing" if found is None or not found.text
                    else "fuzzy" if found.fuzzy
                    else "stale (the English changed)" if found.english != cell.english
                    else "broken (see above)"
                )  # fmt: skip
                problems.append(
                    DataProblem(
                        file, found.line if found else None, cell.context,
                        f"[{code}] safety string {state} (English: {cell.file} row {cell.line}); "
                        "translate it, or set offered=no in locale/languages.csv",
                    )
                )  # fmt: skip
    return problems


def _syntax_problems(path: Path) -> list[tuple[int | None, str]]:
    """A catalog that is not valid gettext PO, as Babel's strict reader sees it (check-data only)."""
    if not path.is_file():
        return []
    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as handle:
            read_po(handle, abort_invalid=True)
    except PoFileError as error:
        line = getattr(error, "lineno", None)  # Babel counts from 0; an editor from 1
        reason = error.args[0] if error.args else str(error)
        return [(line + 1 if isinstance(line, int) else None, f"is not valid PO: {reason}")]
    except (UnicodeDecodeError, ValueError) as error:
        return [(None, f"cannot be read: {error}")]
    return []


def _where(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _plural_problems(file: str, code: str, entry: Entry, wanted: int | None) -> Iterator[DataProblem]:
    """A counted phrase (``msgid_plural``) is shown only when whole: as many forms as the language's
    Plural-Forms says, every one filled, and no placeholder the English lacks (a form may leave
    ``{count}`` out, as Arabic's "one vote" and "two votes" do, but must not invent or misspell one)."""

    def problem(message: str) -> DataProblem:
        return DataProblem(file, entry.line, entry.context, f"[{code}] {message}")

    if entry.fuzzy or not any(entry.forms):  # not translated yet: shown in English
        return
    if wanted is not None and len(entry.forms) != wanted:
        yield problem(f"counted phrase has {len(entry.forms)} forms; this language's Plural-Forms says {wanted}")
    empty = [str(index) for index, form in enumerate(entry.forms) if not form]
    if empty:
        yield problem(f"counted phrase has empty forms msgstr[{', '.join(empty)}]: fill every form or none")
    allowed = set(_names(entry.english)) | set(_names(entry.plural))
    for index, form in enumerate(entry.forms):
        extra = sorted(set(_names(form)) - allowed)
        if extra:
            yield problem(f"msgstr[{index}] has placeholders the English does not: {extra}")
        ours, theirs = _tags(form), _tags(entry.plural)
        if ours is None or (theirs is not None and sorted(ours) != sorted(theirs)):
            yield problem(f"msgstr[{index}] markup is unbalanced or differs from the English")


def _entry_problems(file: str, code: str, entry: Entry, cell: Cell | None) -> Iterator[DataProblem]:
    def problem(message: str) -> DataProblem:
        return DataProblem(file, entry.line, entry.context, f"[{code}] {message}")

    if entry.fuzzy and cell is not None and cell.safety:
        yield problem("safety string is fuzzy: check it against the new English, then remove the fuzzy flag")
    if not entry.text or entry.fuzzy:  # a fuzzy message is never shown; msgfmt checks it only once settled
        return
    if _names(entry.text) != _names(entry.english):
        yield problem(
            f"placeholders differ: English has {_names(entry.english) or 'none'}, "
            f"the translation has {_names(entry.text) or 'none'}"
        )
    ours, theirs = _tags(entry.text), _tags(entry.english)
    if ours is None:
        yield problem("markup is unbalanced in the translation")
    elif theirs is not None and sorted(ours) != sorted(theirs):
        yield problem("markup differs from the English")
