"""Plain-text rendering of an explanation, for the command line and printable summaries.

The most urgent advice comes first, always; then why, then possible causes, then what would
change the advice, and the disclaimer once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable

from .answers import UNANSWERED
from .care import card_heading
from .explain import Explanation
from .model import N_, Knowledge
from .safety_nets import safety_nets

FIT_WORDS = {"likely": N_("likely"), "possible": N_("possible")}
"""A cause's fit in words (the JSON keeps the ids ``likely`` and ``possible``)."""


def said(because: str, explanation: Explanation, knowledge: Knowledge) -> str:
    """Turn ``field=value`` into words, e.g. ``"Are you pregnant?: Yes"``."""
    field = because.split("=", 1)[0]
    question = knowledge.questions[field]
    value = explanation.answers.get(field, UNANSWERED)
    if value is UNANSWERED:
        return knowledge.phrase("{question}: not answered").format(question=question.short_label)
    return question.answer_phrase(value)


def answered(because: Iterable[str], explanation: Explanation) -> list[str]:
    """Only the answers the person gave: "because you said: … not answered" reads as nonsense
    (clinical review F10). The JSON keeps the unanswered ones, for clinicians and tests."""
    return [item for item in because if item.split("=", 1)[0] in explanation.answers]


def safety_net_lines(explanation: Explanation, knowledge: Knowledge) -> list[str]:
    """The card's "Call 999 if:" and "Get help today if:" lists (spotting.safety_nets), as text:
    the same lines as the dashboard, so a printed or piped answer safety-nets too."""
    number = knowledge.services["emergency_number"].text
    say = knowledge.phrase
    headings = {"emergency": say("Call {number} if:").format(number=number), "urgent": say("Get help today if:")}
    lines = []
    for level, items in safety_nets(explanation.answers, explanation.urgency, knowledge).items():
        lines += [headings[level.id], *(f"  - {item.text}" for item in items), ""]
    return lines


def to_text(explanation: Explanation, knowledge: Knowledge) -> str:
    """A readable summary, most urgent advice first."""
    say = knowledge.phrase
    level = knowledge.levels[explanation.urgency]
    heading = f"{level.hidden_text} {card_heading(explanation, knowledge)}"  # the card's own words (spotting.care)
    lines = [f"{heading} [{explanation.urgency.id}]", explanation.advice.message]
    lines += [explanation.emergency, ""]
    lines += safety_net_lines(explanation, knowledge)
    if explanation.red_flags or explanation.raised_by:
        lines.append(say("Why:"))
        for flag in explanation.red_flags:
            reasons = "; ".join(said(b, explanation, knowledge) for b in answered(flag.because, explanation))
            lines.append(f"  [{flag.rule.urgency.id}] {flag.rule.message}")
            said_line = say("because you said: {reasons} (sources: {sources})")
            lines.append("      " + said_line.format(reasons=reasons, sources=", ".join(flag.rule.review.sources)))
        for result in explanation.raised_by:
            cause = result.fit.cause
            line = say("{cause} is {fit}: {step}").format(
                cause=cause.name, fit=say(FIT_WORDS[result.fit.fit]), step=cause.next_step
            )
            lines.append(f"  [{cause.advice_urgency.id}] {line}")
        lines.append("")
    else:
        lines += [explanation.baseline.message, ""]
    lines.append(say("Possible explanations (not a diagnosis):"))
    for result in explanation.causes:
        cause = result.fit.cause
        lines.append(f"  - {cause.name} ({say(FIT_WORDS[result.fit.fit])})")
        if reasons := "; ".join(said(b, explanation, knowledge) for b in answered(result.because, explanation)):
            lines.append("      " + say("because you said: {reasons}").format(reasons=reasons))
        lines.append(f"      {cause.next_step}")
    if explanation.would_change:
        lines += ["", say("What would change this advice:")]
        for change in explanation.would_change:
            question = knowledge.questions[change.field]
            lines.append(f"  - {question.answer_phrase(change.value)} -> {change.urgency.id}")
    if explanation.unanswered:
        lines += ["", say("Questions that would sharpen this:")]
        lines += [f"  - {knowledge.questions[field].label}" for field in explanation.unanswered]
    lines += ["", explanation.disclaimer]
    return "\n".join(lines) + "\n"
