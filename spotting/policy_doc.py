"""The clinical policy tables of docs/clinical-policy.md, and the hazard log of
docs/clinical-safety-case.md, written from data/ so they never drift.

``spotting policy-doc`` rewrites the generated part of each document; a test fails when a
committed document and the knowledge base disagree. Conditions are read out in the
questions' own words, so a clinician can check every rule without learning the syntax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .conditions import Node
from .model import Knowledge, Review, Rule
from .regions import LINKED_SERVICES, service_words

BEGIN = "<!-- BEGIN GENERATED: spotting policy-doc (do not edit by hand) -->"
END = "<!-- END GENERATED -->"


def field_label(knowledge: Knowledge) -> Callable[[str, str], str]:
    """The ``label(field, value)`` function ``Node.words`` needs, in the questions' own words."""

    def label(field: str, value: str) -> str:
        question = knowledge.questions[field]
        name = question.short_label
        if value == "":
            return name
        if question.kind == "boolean":
            return f"{name}: {'yes' if value == 'true' else 'no'}"
        if question.kind == "integer":
            return f"{name} = {value}"
        return f"{name}: {question.choice_labels.get(value, value)}"

    return label


def words(node: Node, knowledge: Knowledge) -> str:
    return node.words(field_label(knowledge))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _review(rule_review: Review) -> str:
    status = "**needs clinician sign-off**" if rule_review.clinician_review else "reviewed"
    return f"{'; '.join(rule_review.sources)} | {rule_review.last_reviewed.isoformat()} | {status}"


def _rules_table(rules: Iterable[Rule], knowledge: Knowledge, *, text: str) -> list[str]:
    lines = [f"| id | level | when | {text} | sources | last reviewed | status |", "|---|---|---|---|---|---|---|"]
    for rule in rules:
        lines.append(
            f"| `{rule.id}` | {rule.urgency.id} | {_cell(words(rule.condition, knowledge))} | {_cell(rule.message)} "
            f"| {_review(rule.review)} |"
        )
    return lines


def generated(knowledge: Knowledge) -> str:
    """The generated part: every red flag, baseline row, advice row, term and cause."""
    out = [
        BEGIN,
        "",
        f"Worded for: {knowledge.region.name}. The same rows read with each region's services, below.",
        "",
        "### Red flags (most urgent first)",
        "",
    ]
    out += _rules_table(knowledge.red_flags, knowledge, text="what the person is told")
    out += ["", "### Baseline (the starting level; self-care only when a benign explanation fits)", ""]
    out += _rules_table(knowledge.baselines, knowledge, text="what the person is told")
    out += ["", "### Advice sentences (for the final level, the first matching row)", ""]
    out += _rules_table(knowledge.advice, knowledge, text="advice")
    out += [
        "",
        "### Safety nets (a card's \"Call 999 if:\" and \"Get help today if:\" lines; shown when the guard holds,"
        " only for levels above the card's own, at most six each)",
        "",
        "| id | list | shown when | line | sources | last reviewed | status |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in knowledge.safety_nets:
        out.append(
            f"| `{item.id}` | {item.urgency.id} | {_cell(words(item.condition, knowledge))} | {_cell(item.text)} "
            f"| {_review(item.review)} |"
        )
    out += ["", "### Named conditions (terms)", "", "| term | means | in words |", "|---|---|---|"]
    for term in knowledge.term_definitions.values():
        out.append(f"| `@{term.name}` | {_cell(term.meaning)} | {_cell(words(term.condition, knowledge))} |")
    out += [
        "",
        "### Causes (ranked by fit; a card's own advice level is a floor for the overall advice)",
        "",
        "| id | name | kind | card's advice level | prior | rules | sources | last reviewed | status |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for cause in knowledge.causes:
        out.append(
            f"| `{cause.id}` | {_cell(cause.name)} | {cause.kind} | {cause.advice_urgency.id} | {cause.prior} "
            f"| {len(cause.rules)} | {_review(cause.review)} |"
        )
    out += ["", *_services_table(knowledge), "", END]
    return "\n".join(out)


def _services_table(knowledge: Knowledge) -> list[str]:
    """Each region's words for each service (data/services.csv), one column per region."""
    codes = [region["code"] for region in knowledge.tables["regions"]]
    names = {region["code"]: region["name"] for region in knowledge.tables["regions"]}
    by_service = service_words(knowledge.tables["services"])
    lines = [
        "### Services by region (placeholders in the prose above, and the links and helplines a card offers;"
        " the advice itself is the same everywhere; an empty cell is a region without that service)",
        "",
        "| service | " + " | ".join(names[code] for code in codes) + " |",
        "|---|" + "---|" * len(codes),
    ]
    for service, cells in by_service.items():
        name = service if service in LINKED_SERVICES else f"{{{service}}}"  # a link on the card, not a placeholder
        lines.append(f"| `{name}` | " + " | ".join(_cell(cells.get(code, "")) for code in codes) + " |")
    return lines


RISK_WORDS = {1: "1 acceptable", 2: "2 acceptable, monitored", 3: "3 undesirable", 4: "4 unacceptable",
              5: "5 unacceptable"}  # fmt: skip
"""DCB0160's words for each rating of the risk matrix."""


def hazard_log(knowledge: Knowledge) -> str:
    """The generated part of the safety case: every hazard, its risk before and after its
    controls, and how each control is tested (data/hazards.csv)."""
    out = [
        BEGIN,
        "",
        "| id | hazard | harm | initial risk (S x L) | controls | verified by | residual risk (S x L) | status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for hazard in knowledge.hazards:
        first, last = hazard.initial, hazard.residual
        out.append(
            f"| `{hazard.id}` | {_cell(hazard.hazard)} | {_cell(hazard.effect)} "
            f"| {RISK_WORDS[first.rating]} ({first.severity} x {first.likelihood}) "
            f"| {'; '.join(f'`{control}`' for control in hazard.controls)} "
            f"| {'; '.join(f'`{check}`' for check in hazard.verification)} "
            f"| {RISK_WORDS[last.rating]} ({last.severity} x {last.likelihood}) | {hazard.status} |"
        )
    out += ["", END]
    return "\n".join(out)


def rewrite(document: str, knowledge: Knowledge, make: Callable[[Knowledge], str] = generated) -> str:
    """``document`` with its generated part replaced (appended when there is none yet)."""
    if BEGIN in document and END in document:
        head, rest = document.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        return f"{head}{make(knowledge)}{tail}"
    return f"{document.rstrip()}\n\n{make(knowledge)}\n"


def write(path: Path, knowledge: Knowledge, make: Callable[[Knowledge], str] = generated) -> bool:
    """Rewrite the generated part in place; True when the file changed."""
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    after = rewrite(before, knowledge, make)
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before
