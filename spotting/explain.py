"""``explain(answers)``: the one entry point that turns answers into a cited explanation.

The output is contract §3. It is pure: after the knowledge base is loaded (once, cached) there
is no I/O and no shared mutable state, so notebooks, the CLI and tests all get the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answers import Answers, describe, validate_answers
from .causes import CauseFit, card_urgency, matches, rank_causes
from .model import N_, NO_REGION, Knowledge, Region, Rule
from .relevance import relevant_answers
from .triage import advice_for, lowest, overall, triggered
from .urgency import Urgency
from .what_if import Change, Trial, unanswered, would_change

DISCLAIMER = N_(
    "This tool is for learning, not diagnosis. It cannot examine you. "
    "If you are worried, or something changes, get medical help — whatever it says here."
)


@dataclass(frozen=True)
class FlagResult:
    rule: Rule
    because: tuple[str, ...]


@dataclass(frozen=True)
class CauseResult:
    fit: CauseFit
    because: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """The explanation for one set of answers; ``to_dict()`` gives the contract JSON."""

    answers: Answers
    urgency: Urgency
    advice: Rule
    baseline: Rule
    red_flags: tuple[FlagResult, ...]
    causes: tuple[CauseResult, ...]
    would_change: tuple[Change, ...]
    unanswered: tuple[str, ...]
    disclaimer: str
    region: Region = NO_REGION
    """The region the words are for (the knowledge base's); the advice is the same in all."""
    emergency: str = ""
    """The region's one line on what to call in an emergency (every number when none is chosen)."""
    raised_by: tuple[CauseResult, ...] = ()
    """Shown causes whose own advice is more urgent than the red flags and baseline alone: they
    set the overall urgency, so no cause card ever asks for more than the care card."""
    language: str = "en"
    """The language the words are in (the knowledge base's); the advice is the same in all."""

    def to_dict(self) -> dict[str, Any]:
        """Contract §3 JSON (plus a few added keys: review dates, figures, baseline)."""
        return {
            "urgency": self.urgency.id,
            "advice": self.advice.message,
            "red_flags": [
                {
                    "id": flag.rule.id,
                    "urgency": flag.rule.urgency.id,
                    "message": flag.rule.message,
                    "because": list(flag.because),
                    "sources": list(flag.rule.review.sources),
                    "last_reviewed": flag.rule.review.last_reviewed.isoformat(),
                    "next_review_due": flag.rule.review.next_review_due.isoformat(),
                }
                for flag in self.red_flags
            ],
            "causes": [
                {
                    "id": result.fit.cause.id,
                    "name": result.fit.cause.name,
                    "fit": result.fit.fit,
                    "because": list(result.because),
                    "summary": result.fit.cause.summary,
                    "next_step": result.fit.cause.next_step,
                    "sources": list(result.fit.cause.review.sources),
                    "figure": result.fit.cause.figure,
                    "last_reviewed": result.fit.cause.review.last_reviewed.isoformat(),
                    "next_review_due": result.fit.cause.review.next_review_due.isoformat(),
                }
                for result in self.causes
            ],
            "would_change": [{"field": c.field, "value": c.value, "urgency": c.urgency.id} for c in self.would_change],
            "unanswered": list(self.unanswered),
            "urgency_from_causes": [result.fit.cause.id for result in self.raised_by],
            "disclaimer": self.disclaimer,
            "region": self.region.code if self.region.chosen else None,
            "lang": self.language,
            "emergency": self.emergency,
            "baseline": {
                "id": self.baseline.id,
                "urgency": self.baseline.urgency.id,
                "message": self.baseline.message,
                "sources": list(self.baseline.review.sources),
            },
        }


def explain(answers: Any, knowledge: Knowledge) -> Explanation:
    """Explain a set of answers (contract §1); raises ``AnswerError`` if they do not fit.

    Answers to questions that are not asked (``show_if``) are dropped first, here, so every
    caller gets the same decision (spotting.relevance). The engine never loads data itself:
    ``spotting.explain`` is the public door that supplies the shipped knowledge base.
    """
    questions = knowledge.questions
    given = validate_answers(answers, knowledge)
    valid = relevant_answers(given, questions)
    flags = triggered(valid, knowledge.red_flags)
    base_rules = triggered(valid, knowledge.baselines)
    base = lowest(base_rules)
    from_rules = overall(base, flags)
    cause_matches = {cause.id: matches(cause, valid) for cause in knowledge.causes}
    ranked = rank_causes(valid, knowledge, matched=cause_matches)
    urgency = max(from_rules, card_urgency(ranked))
    if urgency >= Urgency.URGENT:  # the serious causes the advice guards against lead ties (H9)
        ranked = rank_causes(valid, knowledge, matched=cause_matches, serious_first=True)
    causes = tuple(CauseResult(f, tuple(describe(valid, f.fields, questions))) for f in ranked)
    raised_by = tuple(r for r in causes if urgency > from_rules and r.fit.cause.advice_urgency == urgency)
    trial = Trial(knowledge, valid, flags, base_rules, cause_matches, given)
    return Explanation(
        answers=valid,
        urgency=urgency,
        advice=advice_for(urgency, valid, knowledge),
        baseline=base,
        red_flags=tuple(FlagResult(f, tuple(describe(valid, f.condition.because(valid), questions))) for f in flags),
        causes=causes,
        would_change=tuple(would_change(trial, urgency)),
        unanswered=tuple(unanswered(trial, urgency)),
        disclaimer=knowledge.phrase(DISCLAIMER),
        region=knowledge.region,
        emergency=knowledge.services["emergency_line"].text,
        raised_by=raised_by,
        language=knowledge.language,
    )
