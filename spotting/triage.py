"""Triage: which red flags fire, the baseline level, and the overall urgency.

Follows the triage policy in docs/clinical-policy.md (the conservative NHS line).
The policy itself is data (red_flags.csv, baseline.csv, advice.csv); this module only combines
it: the urgency is the most urgent of the baseline, every triggered red flag and the advice of
every cause card shown, so adding a warning sign can only keep or raise it, and a missing answer
never satisfies a condition.
"""

from __future__ import annotations

from collections.abc import Iterable

from .answers import Answers
from .causes import card_floor
from .model import Knowledge, Rule
from .relevance import relevant_answers
from .urgency import Urgency


def triggered(answers: Answers, rules: Iterable[Rule]) -> list[Rule]:
    """The rules whose condition holds, in their given order (red flags: most urgent first)."""
    return [rule for rule in rules if rule.condition.test(answers)]


def baseline(answers: Answers, knowledge: Knowledge) -> Rule:
    """The lowest-level matching baseline row: self-care only when a benign explanation fits."""
    return lowest(triggered(answers, knowledge.baselines))


def lowest(matching_baselines: Iterable[Rule]) -> Rule:
    """The lowest-level rule among matching baseline rows.

    The loader guarantees an ``always`` routine row, so there is always a match.
    """
    return min(matching_baselines, key=lambda rule: rule.urgency)


def overall(baseline_rule: Rule, flags: Iterable[Rule]) -> Urgency:
    """The most urgent of the baseline and the triggered red flags."""
    return max([baseline_rule.urgency, *(flag.urgency for flag in flags)])


def urgency_of(answers: Answers, knowledge: Knowledge) -> Urgency:
    """The overall urgency for a set of answers (no explanation, for what-if questions).

    The same decision as ``explain``: only the answers to asked questions count, and the advice
    is never below what a shown cause card tells the person to do.
    """
    answers = relevant_answers(answers, knowledge.questions)
    return card_floor(answers, knowledge, rule_urgency(answers, knowledge))


def rule_urgency(answers: Answers, knowledge: Knowledge) -> Urgency:
    """The most urgent of the baseline and the red flags (no cause cards)."""
    level = baseline(answers, knowledge).urgency
    for flag in knowledge.red_flags:  # sorted most urgent first
        if flag.urgency <= level:
            break
        if flag.condition.test(answers):
            return flag.urgency
    return level


def advice_for(urgency: Urgency, answers: Answers, knowledge: Knowledge) -> Rule:
    """The first advice row for ``urgency`` whose condition holds (each level has an ``always``)."""
    for rule in knowledge.advice:
        if rule.urgency is urgency and rule.condition.test(answers):
            return rule
    raise LookupError(f"no advice for {urgency.id}")  # the loader makes this unreachable
