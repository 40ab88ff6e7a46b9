"""The clinicians' review as pandas tables: causes, red flags, sources, services, the policy,
terms, review dates, the coverage matrix, the hazard log and the check-data report.

Why a module of its own: every table is derived from the loaded knowledge base, so what
clinicians review is exactly what the engine runs, and each is a plain function of it that tests
read without widgets or HTML. "Today" is always a parameter so review-status tests are
deterministic. :mod:`.styled` turns these tables into escaped HTML; :mod:`.app` lays them out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from ..conditions import Node
from ..knowledge import check_data
from ..model import Knowledge, Risk
from ..policy_doc import field_label
from ..regions import service_words

DUE_SOON_DAYS = 90
REVIEWED_TABLES = ("red_flags", "baseline", "advice", "safety_nets", "causes", "myths", "scenarios")


def condition_words(node: Node, knowledge: Knowledge) -> str:
    """A parsed condition read out in words, so clinicians can check it without the syntax."""
    return node.words(field_label(knowledge))


def _sources(ids: tuple[str, ...]) -> str:
    return "; ".join(ids)


def causes_table(knowledge: Knowledge) -> pd.DataFrame:
    """Every cause with its figure, sources, review dates and how many answer rules shape it."""
    return pd.DataFrame(
        [
            {
                "id": cause.id,
                "name": cause.name,
                "kind": cause.kind,
                "card's advice level": cause.advice_urgency.id,
                "prior": cause.prior,
                "rules": len(cause.rules),
                "figure": cause.figure,
                "sources": _sources(cause.review.sources),
                "last reviewed": cause.review.last_reviewed.isoformat(),
                "next review due": cause.review.next_review_due.isoformat(),
                "clinician review": "yes" if cause.review.clinician_review else "no",
            }
            for cause in knowledge.causes
        ]
    )


def red_flags_table(knowledge: Knowledge) -> pd.DataFrame:
    """Every red flag, most urgent first, with its condition as written and in words."""
    return pd.DataFrame(
        [
            {
                "id": rule.id,
                "urgency": rule.urgency.id,
                "condition": rule.condition_text,
                "in words": condition_words(rule.condition, knowledge),
                "message": rule.message,
                "sources": _sources(rule.review.sources),
                "last reviewed": rule.review.last_reviewed.isoformat(),
                "next review due": rule.review.next_review_due.isoformat(),
                "clinician review": "yes" if rule.review.clinician_review else "no",
            }
            for rule in knowledge.red_flags
        ]
    )


def _citations(knowledge: Knowledge) -> dict[str, int]:
    """How many rows in data/ cite each source; an uncited source may be stale."""
    counts = dict.fromkeys(knowledge.sources, 0)
    for name in ("red_flags", "baseline", "advice", "causes", "myths", "statistics", "scenarios", "services"):
        for cell in knowledge.table(name)["sources"]:
            for source_id in filter(None, cell.split(";")):
                counts[source_id] = counts.get(source_id, 0) + 1
    return counts


def sources_table(knowledge: Knowledge) -> pd.DataFrame:
    """Every source with its authority and how often it is cited."""
    table = knowledge.table("sources")
    counts = _citations(knowledge)
    table["cited by"] = table["id"].map(counts).fillna(0).astype(int)
    return table[["id", "title", "publisher", "year", "authority", "cited by", "url", "note"]]


def services_table(knowledge: Knowledge) -> pd.DataFrame:
    """Each service (rows) as each region words it (columns), with its number to call."""
    names = {row["code"]: row["name"] for row in knowledge.tables["regions"]}
    words = service_words(knowledge.tables["services"])
    cells = {
        "{" + service + "}": {names[code]: said for code, said in by_code.items()} for service, by_code in words.items()
    }
    return pd.DataFrame.from_dict(cells, orient="index")[list(names.values())].rename_axis("placeholder").reset_index()


def translations_table(knowledge: Knowledge) -> pd.DataFrame:
    """Issue 23: per language, how much is translated from today's English, and by whom it was
    reviewed. A language is offered only with every safety string done (spotting.localise)."""
    from ..catalogs import status  # reads the catalogs with Babel: only when the review is opened
    from ..knowledge import available_languages
    from ..localise import languages

    names, offered = languages(), available_languages(knowledge.directory)
    rows = [
        {
            "language": f"{names[row.language].english_name} ({row.language})",
            "offered": "yes" if row.language in offered else "no",
            "data messages": row.messages,
            "translated": row.translated,
            "fuzzy": row.fuzzy,
            "safety strings": f"{row.safety_done} of {row.safety}",
            "interface phrases": f"{row.phrases_done} of {row.phrases}",
            "reviewed by": row.reviewed_by or "not yet reviewed by a clinician",
        }
        for row in status(knowledge.directory)
    ]
    return pd.DataFrame(rows)


def policy_table(knowledge: Knowledge) -> pd.DataFrame:
    """The triage policy as run: every red flag by urgency, then the baselines, in words."""
    rows = [
        {
            "urgency": knowledge.levels[rule.urgency].heading,
            "level": rule.urgency.id,
            "kind": "red flag",
            "id": rule.id,
            "applies when": condition_words(rule.condition, knowledge),
            "what the person is told": rule.message,
        }
        for rule in sorted(knowledge.red_flags, key=lambda r: -r.urgency)
    ]
    rows += [
        {
            "urgency": knowledge.levels[rule.urgency].heading,
            "level": rule.urgency.id,
            "kind": "baseline (lowest level; red flags can only raise it)",
            "id": rule.id,
            "applies when": condition_words(rule.condition, knowledge),
            "what the person is told": rule.message,
        }
        for rule in knowledge.baselines
    ]
    return pd.DataFrame(rows)


def terms_table(knowledge: Knowledge) -> pd.DataFrame:
    """The named terms the policy uses (``@name``), in words and with their meaning."""
    return pd.DataFrame(
        [
            {
                "name": term.name,
                "meaning": term.meaning,
                "in words": condition_words(term.condition, knowledge),
                "condition": term.condition_text,
            }
            for term in knowledge.term_definitions.values()
        ]
    )


def review_status(knowledge: Knowledge, today: date) -> pd.DataFrame:
    """Every reviewed row, soonest due first, with its status in words (overdue, due soon, ok)."""
    rows = []
    for name in REVIEWED_TABLES:
        table = knowledge.table(name)
        for record in table.to_dict("records"):
            due = date.fromisoformat(record["next_review_due"])
            days = (due - today).days
            status = "overdue" if days < 0 else "due soon" if days <= DUE_SOON_DAYS else "ok"
            rows.append(
                {
                    "table": name,
                    "id": record["id"],
                    "last reviewed": record["last_reviewed"],
                    "next review due": record["next_review_due"],
                    "days left": days,
                    "status": status,
                    "clinician review": record.get("clinician_review", ""),
                }
            )
    return pd.DataFrame(rows).sort_values(["days left", "table", "id"], kind="stable").reset_index(drop=True)


def coverage_matrix(knowledge: Knowledge) -> pd.DataFrame:
    """Which answers affect which red flags, baselines and causes (✓), one row per question.

    A question that affects nothing is either dead weight or a missing rule; both are worth a look.
    """
    columns: list[tuple[str, str, frozenset[str]]] = []
    columns += [("red flag", rule.id, rule.condition.fields()) for rule in knowledge.red_flags]
    columns += [("baseline", rule.id, rule.condition.fields()) for rule in knowledge.baselines]
    for cause in knowledge.causes:
        used = frozenset().union(*(rule.condition.fields() for rule in cause.rules))
        columns.append(("cause", cause.id, used))
    questions = sorted(knowledge.questions.values(), key=lambda q: q.order)
    data = [["\u2713" if q.field in used else "" for _, _, used in columns] for q in questions]
    frame = pd.DataFrame(
        data,
        index=pd.Index([q.field for q in questions], name="answer"),
        columns=pd.MultiIndex.from_tuples([(kind, rule_id) for kind, rule_id, _ in columns], names=["", "rule"]),
    )
    frame.insert(0, ("", "used by"), [row.count("\u2713") for row in data])
    return frame


def hazards_table(knowledge: Knowledge) -> pd.DataFrame:
    """The clinical hazard log (data/hazards.csv; docs/clinical-safety-case.md)."""
    return pd.DataFrame(
        [
            {
                "id": hazard.id,
                "hazard": hazard.hazard,
                "cause": hazard.cause,
                "harm": hazard.effect,
                "initial risk": _risk(hazard.initial),
                "controls": "; ".join(hazard.controls),
                "verified by": "; ".join(hazard.verification),
                "residual risk": _risk(hazard.residual),
                "status": hazard.status,
                "sources": _sources(hazard.review.sources),
                "last reviewed": hazard.review.last_reviewed.isoformat(),
                "next review due": hazard.review.next_review_due.isoformat(),
            }
            for hazard in knowledge.hazards
        ]
    )


def _risk(risk: Risk) -> str:
    return f"{risk.rating} ({risk.severity} x {risk.likelihood})"


def matching(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows with ``query`` in any cell (case does not matter); every row for an empty query."""
    words = query.strip().lower()
    if not words or frame.empty:
        return frame
    found = frame.astype(str).apply(lambda column: column.str.lower().str.contains(words, regex=False))
    kept: pd.DataFrame = frame.loc[found.any(axis=1)].copy()
    return kept


def source_links(knowledge: Knowledge) -> Callable[[object], str]:
    """Turns a cell of source ids ("S34; S63") into links that say what each source is.

    A clinician checking a rule needs the title, publisher and year, and one click to the page;
    a bare id sent them 36 screens down to the sources table. Titles are escaped here, because
    the cell is no longer escaped by the table once it holds links."""

    def links(cell: object) -> str:
        out = []
        for source_id in filter(None, (part.strip() for part in str(cell).split(";"))):
            source = knowledge.sources.get(source_id)
            if source is None:
                out.append(escape(source_id))
                continue
            said = ", ".join(str(part) for part in (source.publisher, source.year) if part)
            label = f"{source_id}: {source.title}" + (f" ({said})" if said else "")
            out.append(f'<a href="{escape(source.url)}" target="_blank" rel="noopener noreferrer">{escape(label)}</a>')
        return "<br>".join(out)

    return links


def check_data_report(directory: str | Path | None = None) -> pd.DataFrame:
    """``spotting check-data`` as a table: file, row, column and what is wrong."""
    problems = check_data(directory)
    return pd.DataFrame(
        [{"file": p.file, "row": p.row, "column": p.column or "", "problem": p.message} for p in problems],
        columns=["file", "row", "column", "problem"],
    )
