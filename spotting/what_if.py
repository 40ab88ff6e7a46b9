"""What would change the advice: single answers that raise the urgency, and the unanswered
questions that would sharpen it.

Both come from trying each possible answer to each question. To stay well under a millisecond,
the rules are indexed by the fields they read, so one trial re-tests only the rules that could
change; everything else keeps its current result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .answers import Answers
from .causes import SHOWN_FITS, fit_word, matches
from .conditions import Compare, Node
from .model import Cause, Knowledge, Question, Rule
from .relevance import visible
from .triage import urgency_of
from .urgency import Fit, Urgency

MAX_CHANGES = 7
"""At most this many "what would change" items: about 30 for sparse answers buried the few that
matter (clinical review 3, L9). The most urgent come first, then the most decision-relevant."""


@dataclass(frozen=True)
class Change:
    """One answer that would make the urgency higher (contract ``would_change`` item)."""

    field: str
    value: Any
    urgency: Urgency


@dataclass(frozen=True)
class _Index:
    flags: Mapping[str, tuple[Rule, ...]]
    baselines: Mapping[str, tuple[Rule, ...]]
    causes: Mapping[str, tuple[tuple[Cause, tuple[int, ...]], ...]]
    rule_fields: Mapping[int, frozenset[str]]
    candidates: Mapping[str, tuple[Any, ...]]
    intervals: Mapping[str, tuple[tuple[int, int], ...]]
    steering: Mapping[str, frozenset[str]]
    """For each field, the questions whose ``show_if`` reads it: changing it can change whether
    their answers count."""


@cache
def _index(knowledge: Knowledge) -> _Index:
    rule_fields = {id(rule): rule.condition.fields() for rule in (*knowledge.red_flags, *knowledge.baselines)}

    def by_field(rules: Iterable[Rule]) -> dict[str, tuple[Rule, ...]]:
        return {f: tuple(r for r in rules if f in rule_fields[id(r)]) for f in knowledge.questions}

    # For each field: the causes with rules that read it, and which of their rules those are.
    causes = {
        f: tuple(
            (cause, positions)
            for cause in knowledge.causes
            if (positions := tuple(i for i, rule in enumerate(cause.rules) if f in rule.condition.fields()))
        )
        for f in knowledge.questions
    }
    conditions = [rule.condition for rule in (*knowledge.red_flags, *knowledge.baselines)]
    conditions += [rule.condition for cause in knowledge.causes for rule in cause.rules]
    thresholds = _thresholds(conditions)
    intervals = {
        name: _intervals(q, thresholds.get(name, ())) for name, q in knowledge.questions.items() if q.kind == "integer"
    }
    candidates = {name: _candidates(q, intervals.get(name, ())) for name, q in knowledge.questions.items()}
    return _Index(
        flags=by_field(knowledge.red_flags),
        baselines=by_field(knowledge.baselines),
        causes=causes,
        rule_fields=rule_fields,
        candidates=candidates,
        intervals=intervals,
        steering={
            f: frozenset(name for name, q in knowledge.questions.items() if q.show_if and f in q.show_if.fields())
            for f in knowledge.questions
        },
    )


def _candidates(question: Question, intervals: tuple[tuple[int, int], ...]) -> tuple[Any, ...]:
    """The answers worth trying: every choice, or the lowest number of each interval between
    thresholds. Every condition is constant inside an interval, so one value stands for all."""
    if question.kind == "boolean":
        return (True, False)
    if question.kind == "choice":
        return question.choices
    return tuple(low for low, _ in intervals)


def _thresholds(conditions: Iterable[Node]) -> dict[str, tuple[Compare, ...]]:
    """Every number comparison, by field, from one walk over the conditions (not one per question:
    the index is built for each language a reader switches to, and each walk visits every node)."""
    found: dict[str, list[Compare]] = {}
    for condition in conditions:
        for node in _walk(condition):
            if isinstance(node, Compare) and isinstance(node.value, int) and not isinstance(node.value, bool):
                found.setdefault(node.field, []).append(node)
    return {name: tuple(nodes) for name, nodes in found.items()}


def _intervals(question: Question, compares: Iterable[Compare]) -> tuple[tuple[int, int], ...]:
    """The ranges of a number question within which no condition changes its result."""
    assert question.minimum is not None and question.maximum is not None
    starts = {question.minimum}
    for node in compares:
        # "<c" and ">=c" change at c; ">c" and "<=c" at c+1; "=" and "!=" at both.
        starts |= {node.value} if node.op in ("<", ">=") else {node.value + 1}
        if node.op in ("=", "!="):
            starts.add(node.value)
    edges = sorted(v for v in starts if question.minimum <= v <= question.maximum)
    ends = [v - 1 for v in edges[1:]] + [question.maximum]
    return tuple(zip(edges, ends, strict=True))


def _walk(node: Node) -> Iterable[Node]:
    yield node
    for child in ("inner", "parts"):
        value = getattr(node, child, None)
        if isinstance(value, Node):
            yield from _walk(value)
        elif isinstance(value, tuple):
            for part in value:
                yield from _walk(part)


class Trial:
    """Urgency under one changed answer, re-testing only the rules that read that field.

    Results are memoised: would_change and unanswered ask about the same answers.
    """

    def __init__(
        self,
        knowledge: Knowledge,
        answers: Answers,
        flags: list[Rule],
        base: list[Rule],
        cause_matches: dict[str, list[bool]] | None = None,
        given: Answers | None = None,
    ):
        self.knowledge = knowledge
        self.given = answers if given is None else given
        """Every answer given, before hidden questions' answers were dropped: changing a field that
        decides what is asked can bring a hidden answer back into play."""
        self.index = _index(knowledge)
        self.answers = answers
        self._scratch = dict(answers)
        self.flags = flags
        self.base = base
        self._cause_matches: dict[str, list[bool]] = cause_matches if cause_matches is not None else {}
        self._fits_now: dict[str, Fit | None] = {}
        self._fixed: dict[str, tuple[Urgency, Urgency]] = {}
        self._cards_fixed: dict[str, Urgency] = {}
        self._memo: dict[tuple[str, Any], Urgency] = {}

    def _unchanged(self, field: str) -> tuple[Urgency, Urgency]:
        """The lowest matching baseline and highest flag among rules that do not read ``field``."""
        if field not in self._fixed:
            fields = self.index.rule_fields
            base = min((r.urgency for r in self.base if field not in fields[id(r)]), default=Urgency.EMERGENCY)
            flag = max((r.urgency for r in self.flags if field not in fields[id(r)]), default=Urgency.SELF_CARE)
            self._fixed[field] = (base, flag)
        return self._fixed[field]

    def urgency(self, field: str, value: Any) -> Urgency:
        key = (field, value)
        if key in self._memo:
            return self._memo[key]
        if self.index.steering[field] & self.given.keys() and self._changes_what_counts(field, value):
            # Another given answer comes into play or drops out: redo the whole decision.
            self._memo[key] = urgency_of({**self.given, field: value}, self.knowledge)
            return self._memo[key]
        base, level = self._unchanged(field)
        trial, before = self._scratch, self._set(field, value)
        for rule in self.index.baselines[field]:
            if rule.urgency < base and rule.condition.test(trial):
                base = rule.urgency
        level = max(level, base)
        for flag in self.index.flags[field]:
            if flag.urgency > level and flag.condition.test(trial):
                level = flag.urgency
        level = max(level, self._cards_unchanged(field))
        for cause, positions in self.index.causes[field]:
            if cause.advice_urgency > level and self._trial_fit(cause, positions, trial) in SHOWN_FITS:
                level = cause.advice_urgency
        self._restore(field, before)
        self._memo[key] = level
        return level

    def _changes_what_counts(self, field: str, value: Any) -> bool:
        """Whether answering ``field`` with ``value`` would bring another given answer into play,
        or set one aside. Usually not, and then the fast path below is exact."""
        questions, trial = self.knowledge.questions, {**self.answers, field: value}
        return any(
            visible(questions[name], trial) != (name in self.answers)
            for name in self.index.steering[field] & self.given.keys()
            if name != field
        )  # no directly dependent answer changes, so nothing further down can either

    def _cards_unchanged(self, field: str) -> Urgency:
        """The most urgent card among shown causes whose rules do not read ``field``."""
        if field not in self._cards_fixed:
            reading = {cause.id for cause, _ in self.index.causes[field]}
            self._cards_fixed[field] = max(
                (
                    cause.advice_urgency
                    for cause in self.knowledge.causes
                    if cause.id not in reading and self._fit_now(cause) in SHOWN_FITS
                ),
                default=Urgency.SELF_CARE,
            )
        return self._cards_fixed[field]

    def _trial_fit(self, cause: Cause, positions: tuple[int, ...], trial: Answers) -> Fit | None:
        """The cause's fit with the trial answer, re-testing only the rules that read the field."""
        now = self._matched(cause)
        matched: list[bool] | None = None  # copied only when a rule's result flips
        for position in positions:
            hit = cause.rules[position].condition.test(trial)
            if hit != now[position]:
                if matched is None:
                    matched = list(now)
                matched[position] = hit
        return self._fit_now(cause) if matched is None else fit_word(cause, matched)[0]

    def _set(self, field: str, value: Any) -> Any:
        """Try an answer in the scratch dict (no copy per trial); returns what to restore."""
        before = self._scratch.get(field, _NOTHING)
        self._scratch[field] = value
        return before

    def _restore(self, field: str, before: Any) -> None:
        if before is _NOTHING:
            del self._scratch[field]
        else:
            self._scratch[field] = before

    def causes_change(self, field: str, value: Any) -> bool:
        """Whether answering ``field`` with ``value`` would move any cause to another fit."""
        trial, before = self._scratch, self._set(field, value)
        changed = any(
            self._trial_fit(cause, positions, trial) != self._fit_now(cause)
            for cause, positions in self.index.causes[field]
        )
        self._restore(field, before)
        return changed

    def _matched(self, cause: Cause) -> list[bool]:
        if cause.id not in self._cause_matches:
            self._cause_matches[cause.id] = matches(cause, self.answers)
        return self._cause_matches[cause.id]

    def _fit_now(self, cause: Cause) -> Fit | None:
        if cause.id not in self._fits_now:
            self._fits_now[cause.id] = fit_word(cause, self._matched(cause))[0]
        return self._fits_now[cause.id]


def would_change(trial: Trial, current: Urgency) -> list[Change]:
    """Single answers, not given or given differently, that would raise the urgency.

    Most urgent first, then the most decision-relevant (question priority), then question order;
    at most ``MAX_CHANGES``. A question whose ``offer_if`` does not hold is never offered: its
    change would contradict another answer. For a number, the value nearest the current answer
    (or the lowest, when unanswered) is given for each level it reaches.
    """
    if current is Urgency.EMERGENCY:
        return []
    changes: list[Change] = []
    for name, question in trial.knowledge.questions.items():
        if not visible(question, trial.answers):
            continue
        given = trial.answers.get(name, _NOTHING)
        if given is not _NOTHING and not question.offer_change:
            continue
        if question.offer_if is not None and not question.offer_if.test(trial.answers):
            continue
        if question.kind == "integer":
            changes += _number_changes(trial, name, given, current)
            continue
        for value in trial.index.candidates[name]:
            if value == given and type(value) is type(given):
                continue
            level = trial.urgency(name, value)
            if level > current:
                changes.append(Change(name, value, level))
    questions = trial.knowledge.questions
    ranked = sorted(changes, key=lambda c: (-c.urgency, questions[c.field].priority, questions[c.field].order))
    return ranked[:MAX_CHANGES]


def _number_changes(trial: Trial, name: str, given: Any, current: Urgency) -> list[Change]:
    """For each level a number could raise the advice to, the value nearest the given one."""
    best: dict[Urgency, int] = {}
    for low, high in trial.index.intervals[name]:
        level = trial.urgency(name, low)  # the same for every value from low to high
        if level <= current:
            continue
        value = low if given is _NOTHING else min(max(given, low), high)
        if level not in best or _nearer(value, best[level], given):
            best[level] = value
    return [Change(name, value, level) for level, value in best.items()]


def _nearer(value: int, best: int, given: Any) -> bool:
    if given is _NOTHING:
        return value < best
    return bool(abs(value - given) < abs(best - given))


def unanswered(trial: Trial, current: Urgency) -> list[str]:
    """Unanswered, currently asked questions whose answer would change the advice or ranking.

    Questions whose ``offer_if`` does not hold are left out, as in ``would_change``.
    Most decision-relevant first: the widest spread of urgency its answers could give, then
    the question's priority (data/questions.csv), then whether it changes the causes only.
    """
    scored: list[tuple[int, int, int, str]] = []
    for name, question in trial.knowledge.questions.items():
        if name in trial.answers or not visible(question, trial.answers):
            continue
        if question.offer_if is not None and not question.offer_if.test(trial.answers):
            continue  # the other answers rule its worrying answers out: not worth suggesting
        levels = [trial.urgency(name, value) for value in trial.index.candidates[name]]
        spread = max([*levels, current]) - min([*levels, current])
        if spread == 0 and not any(trial.causes_change(name, value) for value in trial.index.candidates[name]):
            continue
        scored.append((-spread, question.priority, question.order, name))
    return [name for *_, name in sorted(scored)]


class _Nothing:
    pass


_NOTHING: Any = _Nothing()
