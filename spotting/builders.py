"""One small builder per table: validated tables in, frozen records out, problems collected.

The loader (``knowledge.py``) reads and schema-checks the CSV files; these functions check what
spans tables (sources exist, conditions parse, every level has advice, scenario answers fit the
contract) and build the value classes of ``model.py``. Each problem names its file, row and
column; the loader refuses the whole knowledge base if there is even one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from . import contract
from .answers import check_answers
from .conditions import Node, parse
from .errors import AnswerError, ConditionError, DataProblem
from .localise import SOURCE_LANGUAGE, english_words, phrases, plurals, translate
from .model import (
    MYTH_VERDICTS,
    N_,
    STATISTIC_UNITS,
    UNSET_REGION,
    Cause,
    CauseRule,
    Hazard,
    Knowledge,
    Level,
    Myth,
    Question,
    Records,
    Region,
    Review,
    Risk,
    Route,
    Rule,
    SafetyNetItem,
    Scenario,
    Service,
    Site,
    Source,
    Statistic,
    TermDefinition,
    risk_rating,
)
from .regions import PLACEHOLDER, PROSE_COLUMNS, REQUIRED_SERVICES, localise, placeholders
from .safety_floor import floor_problems, region_problems
from .urgency import Urgency

YES, NO = N_("yes"), N_("no")
"""How a yes/no answer reads ("Dizzy or faint: yes"); interface phrases, so they are translated."""


@dataclass
class Context:
    """The tables being built and the problems found so far, with the checks every table shares."""

    directory: Path
    tables: Mapping[str, Records]
    problems: list[DataProblem] = field(default_factory=list)
    yes_no: tuple[str, str] = ("yes", "no")
    """A yes/no answer in the knowledge base's language (``Question.yes_no``)."""

    def problem(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(DataProblem(file, row, column, message))

    def rows(self, name: str) -> list[tuple[int, Mapping[str, str]]]:
        """Each row with its line number as an editor shows it (the header is line 1)."""
        return [(index + 2, record) for index, record in enumerate(self.tables[name])]

    def parse(
        self, file: str, row: int, column: str, text: str, questions: Mapping[str, Question], terms: Mapping[str, Node]
    ) -> Node | None:
        try:
            return parse(text, questions, terms)
        except ConditionError as error:
            self.problem(file, row, column, str(error))
            return None

    def check_sources(self, file: str, row: int, cell: str, sources: Mapping[str, Source]) -> tuple[str, ...]:
        ids = tuple(part for part in cell.split(";") if part)
        for source_id in ids:
            if source_id not in sources:
                self.problem(file, row, "sources", f"source {source_id} is not in sources.csv")
        return ids

    def review(self, file: str, row_number: int, row: Mapping[str, str], sources: Mapping[str, Source]) -> Review:
        ids = self.check_sources(file, row_number, row["sources"], sources)
        last, due = self.check_dates(file, row_number, row)
        return Review(ids, last, due, row.get("clinician_review") == "yes")

    def check_dates(self, file: str, row_number: int, row: Mapping[str, str]) -> tuple[date, date]:
        last = date.fromisoformat(row["last_reviewed"])
        due = date.fromisoformat(row["next_review_due"])
        if due <= last:
            self.problem(file, row_number, "next_review_due", "must be after last_reviewed")
        return last, due


def build(
    directory: Path, tables: Mapping[str, Records], region: str = UNSET_REGION, language: str = SOURCE_LANGUAGE
) -> tuple[Knowledge, list[DataProblem]]:
    """Every table in the order data/README.md gives: each may refer only to those above it.

    One localise step, two keys: the prose is first put in ``language`` (spotting.localise; only
    reader-facing cells, never a condition or id), checked with its placeholders, then filled in
    with ``region``'s services, so the records built below read as that reader will see them."""
    overlay = translate(tables, language, region=region)
    words = phrases(language)
    ctx = Context(directory, overlay.tables, yes_no=(words.get(YES, YES), words.get(NO, NO)))
    sources = build_sources(ctx)
    regions, services = build_regions(ctx, sources)
    check_placeholders(ctx, regions, services)
    check_calls(ctx, regions, services)
    ctx.problems.extend(region_problems(regions, services))
    if region not in regions:
        ctx.problem("regions.csv", None, "code", f"region {region} is not in regions.csv")
    local = services.get(region, {})
    unfilled = ctx.tables
    ctx.tables = localise(unfilled, {service_id: service.text for service_id, service in local.items()})
    if overlay.english:
        english = {row["service"]: row["text"] for row in tables["services.csv"] if row["region"] == region}
        ctx.tables = english_words(ctx.tables, unfilled, overlay.english, english)
    groups = build_groups(ctx)
    questions = build_questions(ctx, groups)
    routes = build_routes(ctx, questions, sources)
    definitions = build_terms(ctx, questions, sources)
    terms = {name: definition.condition for name, definition in definitions.items()}
    levels = build_levels(ctx, sources)
    sites = build_sites(ctx, sources)
    red_flags = build_rules(ctx, "red_flags.csv", questions, terms, sources)
    baselines = build_rules(ctx, "baseline.csv", questions, terms, sources)
    advice = build_rules(ctx, "advice.csv", questions, terms, sources)
    causes = build_causes(ctx, questions, terms, sources, sites)
    check_cover(ctx, baselines, advice)
    written = (row.get("id", "") for row in ctx.tables["red_flags.csv"])
    ctx.problems.extend(floor_problems(red_flags, questions, written))
    safety_nets = build_safety_nets(ctx, questions, terms, sources)
    for file, rules in (("red_flags.csv", red_flags), ("baseline.csv", baselines), ("advice.csv", advice)):
        check_public_sources(ctx, file, rules, sources)
    scenarios = build_scenarios(ctx, questions, sources, {cause.id for cause in causes})
    myths = build_myths(ctx, sources)
    statistics = build_statistics(ctx, sources)
    hazards = build_hazards(ctx, sources)
    frozen_tables = MappingProxyType({name.removesuffix(".csv"): frame for name, frame in ctx.tables.items()})
    knowledge = Knowledge(
        directory=ctx.directory,
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
        term_definitions=MappingProxyType(definitions),
        myths=tuple(myths),
        statistics=tuple(statistics),
        hazards=tuple(hazards),
        region=regions.get(region, Region(region, region, 0)),
        regions=MappingProxyType({code: r for code, r in regions.items() if r.chosen}),
        services=MappingProxyType(local),
        sites=MappingProxyType(sites),
        safety_nets=tuple(sorted(safety_nets, key=lambda item: (-item.urgency, item.order))),
        routes=tuple(routes),
        language=language,
        in_english=frozenset(ctx.tables[file][index][column] for file, index, column in overlay.english),
        source_tables=MappingProxyType(dict(tables)),
        phrases=MappingProxyType(words),
        plurals=plurals(language),
    )
    return knowledge, ctx.problems


def build_sources(ctx: Context) -> dict[str, Source]:
    return {
        row["id"]: Source(
            id=row["id"],
            title=row["title"],
            publisher=row["publisher"],
            year=int(row["year"]) if row["year"] else None,
            url=row["url"].split(" ; ")[0],
            public=row["public"] == "yes",
        )
        for _, row in ctx.rows("sources.csv")
    }


def build_regions(
    ctx: Context, sources: Mapping[str, Source]
) -> tuple[dict[str, Region], dict[str, dict[str, Service]]]:
    """The regions a reader can choose and each one's services (data/services.csv)."""
    regions = {
        row["code"]: Region(row["code"], row["name"], int(row["order"]), row["where"])
        for _, row in sorted(ctx.rows("regions.csv"), key=lambda r: int(r[1]["order"]))
    }
    if UNSET_REGION not in regions:
        ctx.problem("regions.csv", None, "code", f"the {UNSET_REGION} row (no region chosen) is missing")
    services: dict[str, dict[str, Service]] = {code: {} for code in regions}
    for row_number, row in ctx.rows("services.csv"):
        review = ctx.review("services.csv", row_number, row, sources)
        if not any(sources[s].public for s in review.sources if s in sources):
            ctx.problem("services.csv", row_number, "sources", "needs a source fit for public pages")
        if row["region"] not in regions:
            ctx.problem("services.csv", row_number, "region", f"region {row['region']} is not in regions.csv")
            continue
        if PLACEHOLDER.search(row["text"]):
            ctx.problem("services.csv", row_number, "text", "a service cannot contain a {placeholder}")
        if row["tel"] and not row["call"]:
            ctx.problem("services.csv", row_number, "call", "a number to call needs the words of its link")
        if row["service"] in services[row["region"]]:
            ctx.problem("services.csv", row_number, "service", f"{row['service']} is listed twice for {row['region']}")
        services[row["region"]][row["service"]] = Service(
            row["service"], row["text"], row["tel"], row["call"], review, row.get("url", ""), row.get("sms", "")
        )
    return regions, services


def check_placeholders(
    ctx: Context, regions: Mapping[str, Region], services: Mapping[str, Mapping[str, Service]]
) -> None:
    """Every placeholder names a known service, sits in a prose column, and every region has
    that service: so no reader, in any region, ever sees ``{doctor}`` instead of a word."""
    known = {service_id for by_id in services.values() for service_id in by_id}
    used: dict[str, tuple[str, int | None]] = {service_id: ("spotting", None) for service_id in REQUIRED_SERVICES}
    for name in ctx.tables:
        prose = PROSE_COLUMNS.get(name, ())
        if name in ("services.csv", "regions.csv", "sources.csv"):
            continue
        for row_number, row in ctx.rows(name):
            for column, value in row.items():
                for service_id in placeholders(value):
                    if column not in prose:
                        message = f"{{{service_id}}}: placeholders work only in prose columns"
                        ctx.problem(name, row_number, column, message)
                    elif service_id not in known:
                        ctx.problem(
                            name, row_number, column,
                            f"{{{service_id}}} is not a service in services.csv; known: {', '.join(sorted(known))}",
                        )  # fmt: skip
                    else:
                        used.setdefault(service_id, (name, row_number))
    for code in regions:
        for service_id, (name, line) in sorted(used.items()):
            if service_id not in services.get(code, {}):
                ctx.problem(
                    "services.csv", None, "service",
                    f"region {code} has no {service_id} row, which {name}"
                    + (f" row {line}" if line is not None else " (the care card)") + " uses",
                )  # fmt: skip


def check_calls(ctx: Context, regions: Mapping[str, Region], services: Mapping[str, Mapping[str, Service]]) -> None:
    """An advice row's number to tap must be a service every region words (it may have no number);
    the services it links to must exist somewhere (a region may lack one: it shows nothing), and
    a card with its own style needs its own heading."""
    known = {service_id for by_id in services.values() for service_id in by_id}
    for row_number, row in ctx.rows("advice.csv"):
        for service_id in (part for part in row.get("find", "").split(";") if part):
            if service_id not in known:
                ctx.problem("advice.csv", row_number, "find", f"{service_id} is not a service in services.csv")
        if row.get("style") and not row.get("heading"):
            ctx.problem("advice.csv", row_number, "heading", "a card with its own style needs its own heading")
        service_id = row.get("call", "")
        missing = [code for code in regions if service_id and service_id not in services.get(code, {})]
        if missing:
            message = f"{service_id} is not a service of every region (missing in {', '.join(missing)})"
            ctx.problem("advice.csv", row_number, "call", message)


def check_public_sources(ctx: Context, file: str, rules: list[Rule], sources: Mapping[str, Source]) -> None:
    """Every rule a person can see must rest on at least one source fit for public pages."""
    for rule in rules:
        if not any(sources[s].public for s in rule.review.sources if s in sources):
            ctx.problem(file, None, "sources", f"{rule.id} has no public source (sources.csv column public)")


def build_questions(ctx: Context, groups: Mapping[str, str]) -> dict[str, Question]:
    choices: dict[str, list[tuple[int, str, str]]] = {}
    for _, row in ctx.rows("choices.csv"):
        choices.setdefault(row["field"], []).append((int(row["order"]), row["value"], row["label"]))
    raw = sorted(ctx.rows("questions.csv"), key=lambda r: int(r[1]["order"]))
    questions: dict[str, Question] = {}
    for row_number, row in raw:
        name = row["field"]
        if row["group"] not in groups:
            ctx.problem("questions.csv", row_number, "group", f"unknown group {row['group']!r}")
        options = sorted(choices.get(name, []))
        if row["kind"] == "choice" and not options:
            ctx.problem("questions.csv", row_number, "kind", f"choice question {name!r} has no rows in choices.csv")
        if row["kind"] != "choice" and options:
            ctx.problem("choices.csv", None, "field", f"{name!r} is not a choice question")
        if row["kind"] == "integer" and not (row["minimum"] and row["maximum"]):
            ctx.problem("questions.csv", row_number, "minimum", "integer questions need a minimum and a maximum")
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
            yes_no=ctx.yes_no,
        )
    for field_name in choices:
        if field_name not in questions:
            ctx.problem("choices.csv", None, "field", f"unknown question {field_name!r}")
    check_contract(ctx, questions, {r["field"]: n for n, r in raw})
    # show_if may refer to any question, so parse it once all questions exist.
    for row_number, row in raw:
        if row["show_if"].strip():
            node = ctx.parse("questions.csv", row_number, "show_if", row["show_if"], questions, {})
            questions[row["field"]] = replace(questions[row["field"]], show_if=node)
    for row_number, row in raw:
        if (row.get("offer_if") or "").strip():
            node = ctx.parse("questions.csv", row_number, "offer_if", row["offer_if"], questions, {})
            questions[row["field"]] = replace(questions[row["field"]], offer_if=node)
    return questions


def check_contract(ctx: Context, questions: Mapping[str, Question], rows: Mapping[str, int]) -> None:
    for name, allowed in contract.ANSWER_FIELDS.items():
        question = questions.get(name)
        if question is None:
            ctx.problem("questions.csv", None, "field", f"contract field {name!r} is missing")
            continue
        row = rows.get(name)
        if allowed == "boolean":
            expected_kind = "boolean"
        elif isinstance(allowed[0], int):
            expected_kind = "integer"
            if (question.minimum, question.maximum) != allowed:
                ctx.problem("questions.csv", row, "minimum", f"contract range for {name} is {allowed[0]}-{allowed[1]}")
        else:
            expected_kind = "choice"
            missing = [str(value) for value in allowed if value not in question.choices]
            if missing:
                ctx.problem("choices.csv", None, "value", f"{name} is missing contract values {', '.join(missing)}")
        if question.kind != expected_kind:
            ctx.problem("questions.csv", row, "kind", f"contract says {name} is {expected_kind}")


def build_groups(ctx: Context) -> dict[str, str]:
    """Question groups (id to title) in display order."""
    rows = sorted(ctx.rows("groups.csv"), key=lambda r: int(r[1]["order"]))
    return {row["id"]: row["title"] for _, row in rows}


def build_routes(ctx: Context, questions: Mapping[str, Question], sources: Mapping[str, Source]) -> list[Route]:
    """The explorer's first choices in order; each must lead to a question that is asked from the
    start (a hidden one could not be reached with one tap). A label such as "bleeding heavily or
    feel faint" names an emergency, so it cites the guidance behind it like any red flag."""
    routes = []
    for row_number, row in sorted(ctx.rows("routes.csv"), key=lambda r: int(r[1]["order"])):
        also = tuple(name for name in (row.get("also") or "").split(";") if name)
        problems = len(ctx.problems)
        ids = ctx.check_sources("routes.csv", row_number, row["sources"], sources)
        for column, name in [("field", row["field"]), *(("also", other) for other in also)]:
            question = questions.get(name)
            if question is None:
                ctx.problem("routes.csv", row_number, column, f"{name} is not a question in questions.csv")
            elif question.show_if is not None and not question.show_if.test({}):
                ctx.problem("routes.csv", row_number, column, f"{name} is not asked from the start")
        if len(ctx.problems) == problems:
            routes.append(Route(row["id"], row["label"], row["field"], also, ids))
    return routes


def build_terms(
    ctx: Context, questions: Mapping[str, Question], sources: Mapping[str, Source]
) -> dict[str, TermDefinition]:
    """Named conditions; a term may use only the terms defined on the rows above it."""
    definitions: dict[str, TermDefinition] = {}
    nodes: dict[str, Node] = {}
    for row_number, row in ctx.rows("terms.csv"):
        ids = ctx.check_sources("terms.csv", row_number, row["sources"], sources)
        node = ctx.parse("terms.csv", row_number, "condition", row["condition"], questions, nodes)
        if node is not None:
            nodes[row["name"]] = node
            definitions[row["name"]] = TermDefinition(row["name"], node, row["condition"], row["meaning"], ids)
    return definitions


def build_myths(ctx: Context, sources: Mapping[str, Source]) -> list[Myth]:
    """The seed articles' claims with their verdicts (the verdict list is in model.MYTH_VERDICTS)."""
    myths = []
    for row_number, row in ctx.rows("myths.csv"):
        review = ctx.review("myths.csv", row_number, row, sources)
        if row["verdict"] not in MYTH_VERDICTS:
            ctx.problem("myths.csv", row_number, "verdict", f"must be one of {', '.join(MYTH_VERDICTS)}")
        myth = Myth(row["id"], row["seed_claim"], row["claim"], row["verdict"], row["fact"], review)
        myths.append(replace(myth, order=int(row["order"]), warm_up=row["warm_up"] == "yes"))
    myths.sort(key=lambda myth: myth.order)
    # A session opens with the warm-up set and calls every myth by its number, so the warm-up
    # rows take the first numbers: the facilitator's "myths 1 to 3" are the warm-up.
    rows = {row["id"]: row_number for row_number, row in ctx.rows("myths.csv")}
    warm = [myth for myth in myths if myth.warm_up]
    for myth in myths[len(warm) :]:
        if myth.warm_up:
            ctx.problem("myths.csv", rows[myth.id], "order", "a warm-up myth must come before every other myth")
    return myths


def build_statistics(ctx: Context, sources: Mapping[str, Source]) -> list[Statistic]:
    """Sourced figures for the charts, checked here so a bad figure fails check-data, not a lesson."""
    statistics = []
    for row_number, row in ctx.rows("statistics.csv"):
        ids = ctx.check_sources("statistics.csv", row_number, row["sources"], sources)
        value = float(row["value"])
        denominator = int(row["denominator"]) if row["denominator"] else None
        if row["unit"] not in STATISTIC_UNITS:
            ctx.problem("statistics.csv", row_number, "unit", f"must be one of {', '.join(STATISTIC_UNITS)}")
            continue
        if row["unit"] != "percent" and not denominator:
            ctx.problem("statistics.csv", row_number, "denominator", f"a {row['unit']} needs a denominator")
            continue
        if value > (100 if row["unit"] == "percent" else denominator or 0):
            ctx.problem(
                "statistics.csv", row_number, "value", "is more than the whole (the proportion would be over 1)"
            )
            continue
        statistics.append(
            Statistic(row["id"], row["chart"], row["label"], value, denominator, row["unit"], row["note"], ids)
        )
    return statistics


def build_levels(ctx: Context, sources: Mapping[str, Source]) -> dict[Urgency, Level]:
    levels = {}
    for row_number, row in ctx.rows("urgency_levels.csv"):
        ctx.check_sources("urgency_levels.csv", row_number, row["sources"], sources)
        urgency = Urgency.from_id(row["id"])
        if int(row["rank"]) != int(urgency):
            ctx.problem("urgency_levels.csv", row_number, "rank", f"rank of {urgency.id} must be {int(urgency)}")
        levels[urgency] = Level(urgency, row["heading"], row["hidden_text"], row["icon"], row["action"])
    for urgency in Urgency:
        if urgency not in levels:
            ctx.problem("urgency_levels.csv", None, "id", f"level {urgency.id} is missing")
    return levels


def build_rules(
    ctx: Context, file: str, questions: Mapping[str, Question], terms: Mapping[str, Node], sources: Mapping[str, Source]
) -> list[Rule]:
    rules = []
    for row_number, row in ctx.rows(file):
        node = ctx.parse(file, row_number, "condition", row["condition"], questions, terms)
        review = ctx.review(file, row_number, row, sources)
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
                call=row.get("call", ""),
                find=tuple(part for part in row.get("find", "").split(";") if part),
                heading=row.get("heading", ""),
                style=row.get("style", ""),
            )
        )
    return rules


SAFETY_NET_LEVELS = (Urgency.EMERGENCY, Urgency.URGENT)
"""The two lists a care card carries: "Call 999 if:" and "Get help today if:"."""
LABEL_COLON = re.compile(r"\w:\s")
"""A question label pasted with its answer ("Your age: 12"): never what a safety net says."""


def build_safety_nets(
    ctx: Context, questions: Mapping[str, Question], terms: Mapping[str, Node], sources: Mapping[str, Source]
) -> list[SafetyNetItem]:
    """The safety-net lines (data/safety_nets.csv), each guarded by a parsed condition.

    Checked here because a safety net is read in a hurry: it must be a sentence (no "label: value"),
    rest on a public source, and be one of the two levels a card lists."""
    file = "safety_nets.csv"
    items = []
    for row_number, row in ctx.rows(file):
        node = ctx.parse(file, row_number, "condition", row["condition"], questions, terms)
        review = ctx.review(file, row_number, row, sources)
        if LABEL_COLON.search(row["text"]):
            ctx.problem(file, row_number, "text", "write a sentence, not a question label and answer (no colon)")
        if not any(sources[s].public for s in review.sources if s in sources):
            ctx.problem(file, row_number, "sources", "needs a source fit for public pages")
        if node is None:
            continue
        urgency = Urgency.from_id(row["urgency"])
        items.append(SafetyNetItem(row["id"], urgency, int(row["order"]), node, row["condition"], row["text"], review))
    for level in SAFETY_NET_LEVELS:
        if not any(item.urgency is level and item.condition_text == "always" for item in items):
            ctx.problem(file, None, "condition", f"the {level.id} list needs at least one row that is always shown")
    return items


def build_sites(ctx: Context, sources: Mapping[str, Source]) -> dict[str, Site]:
    """The body diagram's places, in display order."""
    rows = sorted(ctx.rows("sites.csv"), key=lambda r: int(r[1]["order"]))
    return {
        row["id"]: Site(row["id"], row["name"], row["where"], ctx.review("sites.csv", row_number, row, sources))
        for row_number, row in rows
    }


def build_causes(
    ctx: Context,
    questions: Mapping[str, Question],
    terms: Mapping[str, Node],
    sources: Mapping[str, Source],
    sites: Mapping[str, Site],
) -> list[Cause]:
    rules: dict[str, list[CauseRule]] = {}
    for row_number, row in ctx.rows("cause_rules.csv"):
        node = ctx.parse("cause_rules.csv", row_number, "condition", row["condition"], questions, terms)
        ctx.check_sources("cause_rules.csv", row_number, row["sources"], sources)
        weight = int(row["weight"])
        if row["effect"] in ("raise", "lower") and weight < 1:
            ctx.problem("cause_rules.csv", row_number, "weight", "raise and lower rules need a weight of 1 or more")
        if node is not None:
            rules.setdefault(row["cause_id"], []).append(
                CauseRule(node, row["condition"], row["effect"], weight, row["note"])
            )
    causes = []
    for row_number, row in ctx.rows("causes.csv"):
        review = ctx.review("causes.csv", row_number, row, sources)
        places = tuple(part for part in (row.get("sites") or "").split(";") if part)
        for place in places:
            if place not in sites:
                ctx.problem("causes.csv", row_number, "sites", f"site {place!r} is not in sites.csv")
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
                sites=places,
            )
        )
    for cause_id in rules:
        ctx.problem("cause_rules.csv", None, "cause_id", f"unknown cause {cause_id!r}")
    present = {cause.id for cause in causes}
    for cause_id in contract.CAUSE_IDS:
        if cause_id not in present:
            ctx.problem("causes.csv", None, "id", f"contract cause id {cause_id!r} is missing")
    return causes


def build_scenarios(
    ctx: Context, questions: Mapping[str, Question], sources: Mapping[str, Source], cause_ids: set[str]
) -> list[Scenario]:
    scenarios = []
    for row_number, row in ctx.rows("scenarios.csv"):
        review = ctx.review("scenarios.csv", row_number, row, sources)
        try:
            answers = check_answers(json.loads(row["answers"]), questions)
        except json.JSONDecodeError as error:
            ctx.problem("scenarios.csv", row_number, "answers", f"not valid JSON: {error.msg}")
            continue
        except AnswerError as error:
            ctx.problem("scenarios.csv", row_number, "answers", str(error))
            continue
        likely = tuple(part for part in row["likely_causes"].split(";") if part)
        for cause_id in likely:
            if cause_id not in cause_ids:
                ctx.problem("scenarios.csv", row_number, "likely_causes", f"unknown cause {cause_id!r}")
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
                sources=review.sources,
                review=review,
            )
        )
    return scenarios


def build_hazards(ctx: Context, sources: Mapping[str, Source]) -> list[Hazard]:
    """The hazard log: each risk is the matrix's rating, controls never raise it, and every
    control that names a row of data/ names a row that is there (tests check the test node ids).
    Every hazard needs a clinician's sign-off, so its review says so."""
    known = {
        kind: {row.get(key, "") for row in ctx.tables[file]}
        for kind, file, key in (("red_flag", "red_flags.csv", "id"), ("advice", "advice.csv", "id"),
                                ("cause", "causes.csv", "id"), ("term", "terms.csv", "name"))
    }  # fmt: skip
    hazards = []
    for row_number, row in ctx.rows("hazards.csv"):
        review = ctx.review("hazards.csv", row_number, {**row, "clinician_review": "yes"}, sources)
        initial = _risk(ctx, row_number, row, "severity", "likelihood", "initial_risk")
        residual = _risk(ctx, row_number, row, "residual_severity", "residual_likelihood", "residual_risk")
        if residual.rating > initial.rating:
            ctx.problem("hazards.csv", row_number, "residual_risk", "controls cannot make a risk higher")
        controls = tuple(row["controls"].split(";"))
        for control in controls:
            kind, _, name = control.partition(":")
            if kind in known and name not in known[kind]:
                ctx.problem("hazards.csv", row_number, "controls", f"{control}: there is no {kind} {name}")
        hazard = Hazard(row["id"], row["hazard"], row["cause"], row["effect"], initial, controls,
                        tuple(row["verification"].split(";")), residual, row["status"], review)  # fmt: skip
        hazards.append(hazard)
    return hazards


def _risk(ctx: Context, row_number: int, row: Mapping[str, str], severity: str, likelihood: str, rating: str) -> Risk:
    risk = Risk(int(row[severity]), int(row[likelihood]), int(row[rating]))
    expected = risk_rating(risk.severity, risk.likelihood)
    if risk.rating != expected:
        message = f"severity {risk.severity} and likelihood {risk.likelihood} give risk {expected} (DCB0160 matrix)"
        ctx.problem("hazards.csv", row_number, rating, message)
    return risk


def check_cover(ctx: Context, baselines: list[Rule], advice: list[Rule]) -> None:
    if not any(r.urgency is Urgency.ROUTINE and r.condition_text.strip() == "always" for r in baselines):
        ctx.problem("baseline.csv", None, "condition", "needs a routine row with condition 'always'")
    for urgency in Urgency:
        if not any(r.urgency is urgency and r.condition_text.strip() == "always" for r in advice):
            ctx.problem("advice.csv", None, "condition", f"level {urgency.id} needs a row with condition 'always'")
