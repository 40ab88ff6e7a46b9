"""Declarative pandera schemas for every CSV table in data/.

Each table is read as text (so a typo is reported as written, not silently coerced) and checked
column by column here; checks that span tables (sources exist, conditions parse, contract ids
present) live in ``knowledge.py``. data/README.md describes the same columns for editors.
"""

from __future__ import annotations

import re
from datetime import date

import pandera.pandas as pa

from .model import CAUSE_KINDS, CONTROL_KINDS, HAZARD_STATUSES, VERIFICATION_KINDS
from .urgency import URGENCY_IDS

ID = r"[a-z][a-z0-9_]*"
SOURCE_LIST = r"S\d+[a-z]?(;S\d+[a-z]?)*"


def _is_iso_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def text(
    *,
    required: bool = True,
    pattern: str | None = None,
    isin: tuple[str, ...] | None = None,
    unique: bool = False,
) -> pa.Column:
    """A text column; empty cells are allowed only when ``required`` is False."""
    checks: list[pa.Check] = []
    if required:
        checks.append(pa.Check(lambda s: s.str.strip() != "", element_wise=False, error="must not be empty"))
    if pattern is not None:
        shown = pattern if len(pattern) < 40 else "the expected form"
        checks.append(
            pa.Check(
                lambda s, p=pattern: s.str.fullmatch(p) | (s == ""),
                error=f"must match {shown}",
            )
        )
    if isin is not None:
        checks.append(pa.Check(lambda s, a=isin: s.isin(a) | (s == ""), error=f"must be one of {', '.join(isin)}"))
    return pa.Column(str, checks=checks, unique=unique, nullable=False)


def date_column() -> pa.Column:
    return pa.Column(
        str,
        checks=[pa.Check(lambda s: s.map(_is_iso_date), error="must be a real date written YYYY-MM-DD")],
        nullable=False,
    )


def integer(*, required: bool = True) -> pa.Column:
    pattern = r"-?\d+" if required else r"(-?\d+)?"
    return pa.Column(str, checks=[pa.Check(lambda s, p=pattern: s.str.fullmatch(p), error="must be a whole number")])


YES_NO = ("yes", "no")
RATINGS = ("1", "2", "3", "4", "5")
CONTROL = rf"({'|'.join(CONTROL_KINDS)}):{ID}"
VERIFICATION = rf"(({'|'.join(VERIFICATION_KINDS[1:])}):{ID}|test:tests/[\w/]+\.py::\w+)"


def review() -> dict[str, pa.Column]:
    """The review-date columns every clinical table carries."""
    return {"last_reviewed": date_column(), "next_review_due": date_column()}


def clinical() -> dict[str, pa.Column]:
    """Sources, review dates and the clinician-review flag."""
    return {"sources": text(pattern=SOURCE_LIST), **review(), "clinician_review": text(isin=YES_NO)}


def _schema(name: str, columns: dict[str, pa.Column]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, strict=False, ordered=False)


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sources.csv": _schema(
        "sources",
        {
            "id": text(pattern=r"S\d+[a-z]?", unique=True),
            "title": text(),
            "publisher": text(required=False),
            "year": integer(required=False),
            "url": text(pattern=r"https?://\S+( ; https?://\S+)*"),
            "authority": text(isin=("high", "medium", "low")),
            "public": text(isin=("yes", "no")),
            "note": text(required=False),
        },
    ),
    "regions.csv": _schema(
        "regions",
        {
            "code": text(pattern=r"[A-Z]{2}|other|unset", unique=True),
            "name": text(),
            "order": integer(),
            "where": text(),
        },
    ),
    "services.csv": _schema(
        "services",
        {
            "region": text(pattern=r"[A-Z]{2}|other|unset"),
            "service": text(pattern=ID),
            "text": text(),
            "tel": text(required=False, pattern=r"\d{3,15}"),
            "call": text(required=False),
            "sms": text(required=False, pattern=r"\d{3,15}"),
            "url": text(required=False, pattern=r"https://[^\s\"'<>]+"),
            "sources": text(pattern=SOURCE_LIST),
            **review(),
        },
    ),
    "groups.csv": _schema("groups", {"id": text(pattern=ID, unique=True), "title": text(), "order": integer()}),
    # The explorer's first choice (issue 19): "where would you like to start?", each leading to a question.
    "routes.csv": _schema(
        "routes",
        {
            "id": text(pattern=ID, unique=True),
            "order": integer(),
            "label": text(),
            "field": text(pattern=ID),
            "also": text(required=False, pattern=r"[a-z_]+(;[a-z_]+)*"),
            "sources": text(pattern=SOURCE_LIST),
        },
    ),
    # The places on the body diagram that bleeding after sex can come from (spotting.diagram).
    "sites.csv": _schema(
        "sites",
        {
            "id": text(pattern=ID, unique=True),
            "order": integer(),
            "name": text(),
            "where": text(),
            "sources": text(pattern=SOURCE_LIST),
            **review(),
        },
    ),
    "questions.csv": _schema(
        "questions",
        {
            "field": text(pattern=ID, unique=True),
            "group": text(pattern=ID),
            "order": integer(),
            "priority": integer(),
            "label": text(),
            "help": text(required=False),
            "kind": text(isin=("integer", "boolean", "choice")),
            "minimum": integer(required=False),
            "maximum": integer(required=False),
            "show_if": text(required=False),
            "offer_change": text(isin=("yes", "no")),
            # A condition: "what would change" offers this question only when it holds (empty =
            # always). For answers that other answers rule out: pregnancy without a womb. The column
            # itself is optional, so a knowledge base written before contract 1.3 still loads.
            "offer_if": pa.Column(str, nullable=False, required=False),
        },
    ),
    "choices.csv": _schema(
        "choices",
        {"field": text(pattern=ID), "value": text(pattern=ID), "label": text(), "order": integer()},
    ),
    "terms.csv": _schema(
        "terms",
        {
            "name": text(pattern=ID, unique=True),
            "condition": text(),
            "meaning": text(),
            "sources": text(pattern=SOURCE_LIST),
        },
    ),
    "urgency_levels.csv": _schema(
        "urgency_levels",
        {
            "id": text(isin=URGENCY_IDS, unique=True),
            "rank": integer(),
            "heading": text(),
            "hidden_text": text(),
            "icon": text(),
            "action": text(),
            "sources": text(pattern=SOURCE_LIST),
        },
    ),
    "red_flags.csv": _schema(
        "red_flags",
        {
            "id": text(pattern=ID, unique=True),
            "urgency": text(isin=URGENCY_IDS),
            "condition": text(),
            "message": text(),
            **clinical(),
        },
    ),
    "baseline.csv": _schema(
        "baseline",
        {
            "id": text(pattern=ID, unique=True),
            "urgency": text(isin=("routine", "self_care")),
            "condition": text(),
            "message": text(),
            **clinical(),
        },
    ),
    "advice.csv": _schema(
        "advice",
        {
            "id": text(pattern=ID, unique=True),
            "urgency": text(isin=URGENCY_IDS),
            "order": integer(),
            "condition": text(),
            "text": text(),
            "call": text(required=False, pattern=ID),
            # Services the card links to (finders, helplines), ";"-separated, in order.
            "find": text(required=False, pattern=rf"{ID}(;{ID})*"),
            "heading": text(required=False),
            "style": text(required=False, isin=("time_critical",)),
            **clinical(),
        },
    ),
    # The care cards' safety nets: plain sentences, each with a guard so that nothing the answers
    # rule out is shown (spotting.safety_nets).
    "safety_nets.csv": _schema(
        "safety_nets",
        {
            "id": text(pattern=ID, unique=True),
            "urgency": text(isin=("emergency", "urgent")),
            "order": integer(),
            "condition": text(),
            "text": text(),
            **clinical(),
        },
    ),
    "causes.csv": _schema(
        "causes",
        {
            "id": text(pattern=ID, unique=True),
            "name": text(),
            "summary": text(),
            "next_step": text(),
            "prior": integer(),
            "figure": text(required=False),
            "advice_urgency": text(isin=URGENCY_IDS),
            "kind": text(isin=CAUSE_KINDS),
            # Where on the body diagram it comes from: sites.csv ids, ";"-separated; empty for none.
            "sites": text(pattern=rf"({ID}(;{ID})*)?", required=False),
            **clinical(),
        },
    ),
    "cause_rules.csv": _schema(
        "cause_rules",
        {
            "cause_id": text(pattern=ID),
            "condition": text(),
            "effect": text(isin=("raise", "lower", "at_least_possible", "at_most_possible", "exclude")),
            "weight": integer(),
            "note": text(required=False),
            "sources": text(pattern=SOURCE_LIST),
        },
    ),
    "myths.csv": _schema(
        "myths",
        {
            "id": text(pattern=ID, unique=True),
            # The number a session calls the myth by ("Myth 2 of 29"); warm-up rows come first.
            "order": pa.Column(
                str,
                checks=[pa.Check(lambda s: s.str.fullmatch(r"[1-9]\d*"), error="must be a whole number from 1")],
                unique=True,
            ),
            "warm_up": text(isin=YES_NO),
            "seed_claim": text(pattern=r"[AB]\d+"),
            "claim": text(),
            "verdict": text(isin=("myth", "needs_nuance", "supported", "unsupported")),
            "fact": text(),
            "sources": text(pattern=SOURCE_LIST),
            **review(),
        },
    ),
    "scenarios.csv": _schema(
        "scenarios",
        {
            "id": text(pattern=ID, unique=True),
            "title": text(),
            "life_stage": text(),
            "story": text(),
            "answers": text(pattern=r"\{.*\}"),
            "expected_urgency": text(isin=URGENCY_IDS),
            "likely_causes": text(required=False, pattern=rf"{ID}(;{ID})*"),
            "teaching_point": text(),
            **review(),
            "sources": text(pattern=SOURCE_LIST),
        },
    ),
    "statistics.csv": _schema(
        "statistics",
        {
            "id": text(pattern=ID, unique=True),
            "chart": text(pattern=ID),
            "label": text(),
            "value": text(pattern=r"\d+(\.\d+)?"),
            "denominator": text(required=False, pattern=r"\d+"),
            "unit": text(),
            "note": text(required=False),
            "sources": text(pattern=SOURCE_LIST),
        },
    ),
    "hazards.csv": _schema(
        "hazards",
        {
            "id": text(pattern=ID, unique=True),
            "hazard": text(),
            "cause": text(),
            "effect": text(),
            "severity": text(isin=RATINGS),
            "likelihood": text(isin=RATINGS),
            "initial_risk": text(isin=RATINGS),
            "controls": text(pattern=rf"{CONTROL}(;{CONTROL})*"),
            "verification": text(pattern=rf"{VERIFICATION}(;{VERIFICATION})*"),
            "residual_severity": text(isin=RATINGS),
            "residual_likelihood": text(isin=RATINGS),
            "residual_risk": text(isin=RATINGS),
            "status": text(isin=HAZARD_STATUSES),
            "sources": text(pattern=SOURCE_LIST),
            **review(),
        },
    ),
}
"""One schema per file; the loader reads exactly these files."""
