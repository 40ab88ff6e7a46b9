"""Teaching-session logic: compare a learner's choice with the engine, and gather myths and facts.

Health educators use the same knowledge as the explorer, framed as a quiz. Nothing clinical is
decided here: the urgency and the causes come from ``explain`` (the engine) and the stories,
myths and teaching points from data/ (scenarios.csv, myths.csv). This module compares a
learner's choice with the engine's and words the feedback the way the style guide asks: "you",
calm, specific, never blaming, no "should". ``teaching_html`` turns the results into HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..causes import fit_of
from ..explain import Explanation, explain
from ..knowledge import load_knowledge
from ..model import N_, Cause, Knowledge, Scenario
from ..render_text import said
from ..urgency import Urgency

VERDICT_WORDS: Mapping[str, str] = {
    "myth": N_("Myth"),
    "needs_nuance": N_("Partly true"),
    "supported": N_("True"),
    "unsupported": N_("No evidence found"),
}
"""myths.csv verdicts in the words shown to learners."""

CHOOSE_LEVEL = N_("Choose a level")


@dataclass(frozen=True)
class CausePick:
    """One cause in the feedback: how the engine rates it here, and why, in words."""

    cause_id: str
    name: str
    fit: str  # "likely", "possible", "unlikely" or "excluded"
    why: str


@dataclass(frozen=True)
class Feedback:
    """How a learner's choice compares with the engine's explanation for one scenario."""

    scenario_id: str
    chosen: Urgency | None
    tool: Urgency
    spotted: tuple[CausePick, ...]
    not_listed: tuple[CausePick, ...]
    missed: tuple[CausePick, ...]
    messages: tuple[str, ...]
    urgency_message_count: int = 0
    """How many of ``messages`` are about the level (they come first; the rest are about causes)."""

    @property
    def urgency_verdict(self) -> str:
        """``"match"``, ``"lower"`` (less urgent than the tool), ``"higher"`` or ``"none"``."""
        if self.chosen is None:
            return "none"
        if self.chosen == self.tool:
            return "match"
        return "lower" if self.chosen < self.tool else "higher"


@dataclass(frozen=True)
class Attempt:
    """What a learner chose for one scenario; kept so the handout can replay the session."""

    scenario_id: str
    chosen: Urgency | None
    picked: tuple[str, ...]


@dataclass(frozen=True)
class MythFact:
    """A checked seed claim (myths.csv) ready to show."""

    id: str
    seed_claim: str
    claim: str
    verdict: str
    verdict_words: str
    fact: str
    sources: tuple[str, ...]
    last_reviewed: str
    next_review_due: str
    number: int = 0
    """1, 2, 3 … in myths.csv ``order``: the number a facilitator calls it by."""
    warm_up: bool = False


def scenario_by_id(scenario_id: str, knowledge: Knowledge | None = None) -> Scenario:
    """The scenario with this id; a ``KeyError`` names the known ids (widget values are untrusted)."""
    knowledge = knowledge or load_knowledge()
    for scenario in knowledge.scenarios:
        if scenario.id == scenario_id:
            return scenario
    raise KeyError(f"unknown scenario {scenario_id!r}; known: {', '.join(s.id for s in knowledge.scenarios)}")


def level_options(knowledge: Knowledge | None = None) -> list[tuple[str, str]]:
    """Dropdown options (label, urgency id), most urgent first, after a "choose" prompt.

    The labels are the care-card headings, so learners choose an action, not a code word.
    """
    knowledge = knowledge or load_knowledge()
    levels = sorted(knowledge.levels.values(), key=lambda level: -level.urgency)
    return [(CHOOSE_LEVEL, ""), *((level.heading, level.urgency.id) for level in levels)]


def cause_options(knowledge: Knowledge | None = None) -> list[tuple[str, str]]:
    """Every cause as (name, id) in data order: learners pick from the whole list, not a hint."""
    knowledge = knowledge or load_knowledge()
    return [(cause.name, cause.id) for cause in knowledge.causes]


def parse_choice(value: Urgency | str | None) -> Urgency | None:
    """A learner's urgency choice; ``""`` or None means not chosen yet."""
    if value is None or value == "":
        return None
    return value if isinstance(value, Urgency) else Urgency.from_id(value)


FIT_NAMES: Mapping[str, str] = {
    "likely": N_("likely"), "possible": N_("possible"), "unlikely": N_("unlikely"), "excluded": N_("excluded"),
}  # fmt: skip
"""A cause's fit in the words a learner reads (CausePick.fit keeps the id)."""


def _cause_why(cause: Cause, explanation: Explanation, knowledge: Knowledge) -> tuple[str, str]:
    """The fit of a cause for these answers, and why, in words a learner can follow."""
    say = knowledge.phrase
    for result in explanation.causes:
        if result.fit.cause.id == cause.id:
            reasons = "; ".join(said(b, explanation, knowledge) for b in result.because)
            return result.fit.fit, (say("because of: {reasons}").format(reasons=reasons) if reasons else cause.summary)
    fit = fit_of(cause, explanation.answers)
    matching = [rule for rule in cause.rules if rule.condition.test(explanation.answers)]
    if fit is None:
        notes = [rule.note for rule in matching if rule.effect == "exclude" and rule.note]
        return "excluded", (notes[0] if notes else say("The answers rule it out here."))
    lowered = [rule.note for rule in matching if rule.effect == "lower" and rule.note]
    return "unlikely", (lowered[0] if lowered else say("None of the answers in this story point to it."))


def assess(
    scenario: Scenario,
    chosen: Urgency | str | None,
    picked: Iterable[str],
    knowledge: Knowledge | None = None,
) -> Feedback:
    """Compare a learner's urgency choice and cause picks with the engine's explanation."""
    knowledge = knowledge or load_knowledge()
    level = parse_choice(chosen)
    causes = {cause.id: cause for cause in knowledge.causes}
    picked_ids = tuple(dict.fromkeys(picked))
    unknown = [cause_id for cause_id in picked_ids if cause_id not in causes]
    if unknown:
        raise ValueError(f"unknown cause id(s): {', '.join(unknown)}")
    explanation = explain(scenario.answers, knowledge)
    spotted: list[CausePick] = []
    not_listed: list[CausePick] = []
    for cause_id in picked_ids:
        fit, why = _cause_why(causes[cause_id], explanation, knowledge)
        pick = CausePick(cause_id, causes[cause_id].name, fit, why)
        (spotted if fit in ("likely", "possible") else not_listed).append(pick)
    missed = []
    for cause_id in scenario.likely_causes:
        if cause_id not in picked_ids:
            fit, why = _cause_why(causes[cause_id], explanation, knowledge)
            missed.append(CausePick(cause_id, causes[cause_id].name, fit, why))
    messages = _urgency_messages(level, explanation, knowledge)
    about_level = len(messages)
    messages += _cause_messages(spotted, not_listed, missed, picked_ids, knowledge)
    return Feedback(
        scenario.id,
        level,
        explanation.urgency,
        tuple(spotted),
        tuple(not_listed),
        tuple(missed),
        tuple(messages),
        about_level,
    )


def _main_reason(explanation: Explanation) -> str:
    """The sentence that most explains the level: the top red flag, else the baseline."""
    if explanation.red_flags:
        return explanation.red_flags[0].rule.message
    return explanation.baseline.message


def _urgency_messages(level: Urgency | None, explanation: Explanation, knowledge: Knowledge) -> list[str]:
    say = knowledge.phrase
    tool = knowledge.levels[explanation.urgency].heading
    why = say("Why: {reason}").format(reason=_main_reason(explanation))
    if level is None:
        return [say("You did not choose a level, and that is fine. The tool says: {tool}.").format(tool=tool), why]
    yours = knowledge.levels[level].heading
    if level == explanation.urgency:
        lines = [say("Well spotted: you chose \u201c{yours}\u201d, the same as the tool.").format(yours=yours), why]
        return lines + _watch_for(explanation, knowledge)
    if level < explanation.urgency:
        further = say("You chose \u201c{yours}\u201d. The tool goes further: \u201c{tool}\u201d.")
        lines = [further.format(yours=yours, tool=tool), why]
        if explanation.urgency >= Urgency.URGENT:
            lines.append(say("This one is easy to underestimate, which is why it is worth talking about."))
        return lines
    cautious = say("You chose \u201c{yours}\u201d. That is more cautious than the tool, which says \u201c{tool}\u201d.")
    lines = [
        cautious.format(yours=yours, tool=tool),
        say("Why the tool says this: {reason}").format(reason=_main_reason(explanation)),
        say("Getting checked sooner is never wrong if someone is worried."),
    ]
    return lines + _watch_for(explanation, knowledge)


def _watch_for(explanation: Explanation, knowledge: Knowledge) -> list[str]:
    """Self-care always comes with when to get checked (style guide: no "you're fine" verdict)."""
    if explanation.urgency is Urgency.SELF_CARE:
        return [knowledge.phrase("When to get checked: {advice}").format(advice=explanation.advice.message)]
    return []


def _cause_messages(
    spotted: Sequence[CausePick], not_listed: Sequence[CausePick], missed: Sequence[CausePick], picked: Sequence[str],
    knowledge: Knowledge,
) -> list[str]:  # fmt: skip
    say = knowledge.phrase
    lines = []
    if not picked:
        lines.append(say("You did not pick any causes. Causes are explanations, not a diagnosis, so that is fine."))
    if spotted:
        names = "; ".join(f"{p.name} ({say(FIT_NAMES[p.fit])})" for p in spotted)
        lines.append(say("You picked causes the tool lists here: {names}.").format(names=names))
    for pick in not_listed:
        absent = say("The tool does not list \u201c{cause}\u201d here. {why}")
        lines.append(absent.format(cause=pick.name, why=pick.why))
    for pick in missed:
        also = say("Also worth thinking about: {cause} ({fit}), {why}.")
        lines.append(also.format(cause=pick.name, fit=say(FIT_NAMES[pick.fit]), why=pick.why))
    return lines


def is_sensitive(scenario: Scenario) -> bool:
    """Stories about sex that was not agreed to get a content note before the story."""
    return scenario.answers.get("not_consensual") is True


def myths_and_facts(knowledge: Knowledge | None = None) -> list[MythFact]:
    """The checked seed claims from myths.csv, numbered from 1 in their ``order``, warm-up first."""
    knowledge = knowledge or load_knowledge()
    return [
        MythFact(
            id=myth.id,
            seed_claim=myth.seed_claim,
            claim=myth.claim,
            verdict=myth.verdict,
            verdict_words=knowledge.phrase(VERDICT_WORDS[myth.verdict]),
            fact=myth.fact,
            sources=myth.review.sources,
            last_reviewed=myth.review.last_reviewed.isoformat(),
            next_review_due=myth.review.next_review_due.isoformat(),
            number=number,
            warm_up=myth.warm_up,
        )
        for number, myth in enumerate(knowledge.myths, start=1)
    ]
