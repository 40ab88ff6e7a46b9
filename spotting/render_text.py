"""Plain-text rendering of an explanation, for the command line and printable summaries.

The most urgent advice comes first, always; then why, then possible causes, then what would
change the advice, and the disclaimer once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable

from .answers import UNANSWERED
from .care import card_heading
from .explain import Explanation
from .model import Knowledge
from .safety_nets import safety_nets


def said(because: str, explanation: Explanation, knowledge: Knowledge) -> str:
    """Turn ``field=value`` into words, e.g. ``"Are you pregnant?: Yes"``."""
    field = because.split("=", 1)[0]
    question = knowledge.questions[field]
    value = explanation.answers.get(field, UNANSWERED)
    return f"{question.short_label}: not answered" if value is UNANSWERED else question.answer_phrase(value)


def answered(because: Iterable[str], explanation: Explanation) -> list[str]:
    """Only the answers the person gave: "because you said: … not answered" reads as nonsense
    (clinical review F10). The JSON keeps the unanswered ones, for clinicians and tests."""
    return [item for item in because if item.split("=", 1)[0] in explanation.answers]


def safety_net_lines(explanation: Explanation, knowledge: Knowledge) -> list[str]:
    """The card's "Call 999 if:" and "Get help today if:" lists (spotting.safety_nets), as text:
    the same lines as the dashboard, so a printed or piped answer safety-nets too."""
    headings = {"emergency": f"Call {knowledge.services['emergency_number'].text} if:", "urgent": "Get help today if:"}
    lines = []
    for level, items in safety_nets(explanation.answers, explanation.urgency, knowledge).items():
        lines += [headings[level.id], *(f"  - {item.text}" for item in items), ""]
    return lines


def to_text(explanation: Explanation, knowledge: Knowledge) -> str:
    """A readable summary, most urgent advice first."""
    level = knowledge.levels[explanation.urgency]
    heading = f"{level.hidden_text} {card_heading(explanation, knowledge)}"  # the card's own words (spotting.care)
    lines = [f"{heading} [{explanation.urgency.id}]", explanation.advice.message]
    lines += [explanation.emergency, ""]
    lines += safety_net_lines(explanation, knowledge)
    if explanation.red_flags or explanation.raised_by:
        lines.append("Why:")
        for flag in explanation.red_flags:
            reasons = "; ".join(said(b, explanation, knowledge) for b in answered(flag.because, explanation))
            lines.append(f"  [{flag.rule.urgency.id}] {flag.rule.message}")
            lines.append(f"      because you said: {reasons} (sources: {', '.join(flag.rule.review.sources)})")
        for result in explanation.raised_by:
            cause = result.fit.cause
            lines.append(f"  [{cause.advice_urgency.id}] {cause.name} is {result.fit.fit}: {cause.next_step}")
        lines.append("")
    else:
        lines += [explanation.baseline.message, ""]
    lines.append("Possible explanations (not a diagnosis):")
    for result in explanation.causes:
        cause = result.fit.cause
        lines.append(f"  - {cause.name} ({result.fit.fit})")
        if reasons := "; ".join(said(b, explanation, knowledge) for b in answered(result.because, explanation)):
            lines.append(f"      because you said: {reasons}")
        lines.append(f"      {cause.next_step}")
    if explanation.would_change:
        lines += ["", "What would change this advice:"]
        for change in explanation.would_change:
            question = knowledge.questions[change.field]
            lines.append(f"  - {question.answer_phrase(change.value)} -> {change.urgency.id}")
    if explanation.unanswered:
        lines += ["", "Questions that would sharpen this:"]
        lines += [f"  - {knowledge.questions[field].label}" for field in explanation.unanswered]
    lines += ["", explanation.disclaimer]
    return "\n".join(lines) + "\n"
