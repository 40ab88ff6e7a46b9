"""Rank the possible causes by how well they fit the answers.

Causes are explanations, not diagnoses (dossier Part A rule 14). Each cause has a prior score
and rows in cause_rules.csv that raise or lower it; limits then keep the policy: cancer is never
"likely" in a young person with one episode and never hidden where its risk features are
present, and "no cause found" is always shown (about half of people examined have none [S9]).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from .answers import Answers
from .model import Cause, Knowledge
from .urgency import Fit, Urgency

LIKELY_SCORE = 3
POSSIBLE_SCORE = 1


@dataclass(frozen=True)
class CauseFit:
    """How one cause fits: its fit word, score, and the fields behind it."""

    cause: Cause
    fit: Fit
    score: int
    fields: frozenset[str]


def matches(cause: Cause, answers: Answers) -> list[bool]:
    """Which of the cause's rules hold for these answers (kept for cheap what-if trials)."""
    return [rule.condition.test(answers) for rule in cause.rules]


def fit_word(cause: Cause, matched: list[bool]) -> tuple[Fit | None, int]:
    """The fit (None when excluded) and score, from which of the cause's rules matched."""
    score = cause.prior
    at_least = at_most = False
    for rule, hit in zip(cause.rules, matched, strict=True):
        if not hit:
            continue
        effect = rule.effect
        if effect == "exclude":
            return None, score
        if effect == "raise":
            score += rule.weight
        elif effect == "lower":
            score -= rule.weight
        elif effect == "at_least_possible":
            at_least = True
        else:
            at_most = True
    fit = Fit.LIKELY if score >= LIKELY_SCORE else Fit.POSSIBLE if score >= POSSIBLE_SCORE else Fit.UNLIKELY
    if at_most and fit is Fit.LIKELY:
        fit = Fit.POSSIBLE
    if at_least and fit is Fit.UNLIKELY:
        fit = Fit.POSSIBLE
    return fit, score


def fit_of(cause: Cause, answers: Answers, matched: list[bool] | None = None) -> CauseFit | None:
    """The fit of one cause, or None when a rule excludes it outright."""
    matched = matches(cause, answers) if matched is None else matched
    fit, score = fit_word(cause, matched)
    if fit is None:
        return None
    fields: set[str] = set()
    for rule, hit in zip(cause.rules, matched, strict=True):
        if hit:
            fields |= rule.condition.because(answers)
    return CauseFit(cause, fit, score, frozenset(fields))


SHOWN_FITS = (Fit.LIKELY, Fit.POSSIBLE)


def promoted(fit: CauseFit) -> bool:
    """A cancer whose risk features add up to the "likely" score, held at "possible" only by the
    policy that cancer is never called likely (clinical policy H5: NICE NG12 and the Scottish
    referral guidelines refer these people on the suspected-cancer pathway, so the cause they are
    referred for belongs among the leading explanations, not below "no clear cause")."""
    return fit.cause.kind == "cancer" and fit.fit is Fit.POSSIBLE and fit.score >= LIKELY_SCORE


def _rank_key(fit: CauseFit, order: Mapping[str, int], serious_first: bool) -> tuple[int, bool, int, bool, int]:
    """Best fit first; at equal fit cancer comes last (never above "no clear cause") unless its
    risk features reach the likely score (``promoted``): then it ranks with the likely causes by
    its score, still worded "possible". Then the higher score; at equal score benign before
    serious or cancer, except when the advice is same-day or an emergency (``serious_first``,
    clinical policy H9): then the serious causes the advice guards against come before the
    harmless ones; then data order (clinical review F8)."""
    kind = fit.cause.kind
    band = Fit.LIKELY.rank if promoted(fit) else fit.fit.rank
    last = kind == "cancer" and not promoted(fit)
    tie = kind == "benign" if serious_first else kind != "benign"
    return (-band, last, -fit.score, tie, order[fit.cause.id])


def card_urgency(fits: Iterable[CauseFit]) -> Urgency:
    """The most urgent thing any shown cause card tells the person to do (self-care if none)."""
    return max((f.cause.advice_urgency for f in fits if f.fit in SHOWN_FITS), default=Urgency.SELF_CARE)


def card_floor(answers: Answers, knowledge: Knowledge, above: Urgency) -> Urgency:
    """The most urgent shown card above ``above`` (else ``above``): only the few causes whose
    advice is more urgent than the level reached so far need their rules tested."""
    for cause in _by_advice(knowledge):
        if cause.advice_urgency <= above:
            break
        if fit_word(cause, matches(cause, answers))[0] in SHOWN_FITS:
            return cause.advice_urgency
    return above


@cache
def _by_advice(knowledge: Knowledge) -> tuple[Cause, ...]:
    return tuple(sorted(knowledge.causes, key=lambda cause: cause.advice_urgency, reverse=True))


def rank_causes(
    answers: Answers,
    knowledge: Knowledge,
    *,
    matched: Mapping[str, list[bool]] | None = None,
    serious_first: bool = False,
) -> list[CauseFit]:
    """Causes best fit first (see ``_rank_key``).

    ``matched`` (cause id -> which rules hold) can be passed in when it is already known;
    ``serious_first`` when the advice is urgent or an emergency (clinical policy H9).
    """
    fits = [
        fit
        for cause in knowledge.causes
        if (fit := fit_of(cause, answers, matched[cause.id] if matched else None)) is not None
    ]
    shown = [fit for fit in fits if fit.fit.shown]
    return sorted(shown, key=lambda f: _rank_key(f, _order(knowledge), serious_first))


@cache
def _order(knowledge: Knowledge) -> Mapping[str, int]:
    return {cause.id: index for index, cause in enumerate(knowledge.causes)}
