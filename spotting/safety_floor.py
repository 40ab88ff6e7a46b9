"""The safety floor: the rules in data/ that no edit, bad merge or truncated copy may lose.

The knowledge base is data, and a header-only ``red_flags.csv`` is still a well-formed CSV: with
nothing else, the loader would accept it and send heavy bleeding home with routine advice. So the
red flags the clinical policy cannot do without (docs/clinical-policy.md, part A) are declared
here, in code and so outside the files they guard, each with the least urgent level it may have
and one set of answers that must trigger it. The loader checks every one of them on every load
(microseconds), beside the checks that every urgency level has advice and every region has an
emergency number (``builders``). ``spotting check-data`` also runs the clinical case suites
(``case_suite``), which catch a subtler change: a rule that still exists but now says less.

Changing this table is a clinical decision: it needs the same review as the rule it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .answers import check_answers
from .contract import REGION_CODES
from .errors import AnswerError, DataProblem
from .model import UNSET_REGION, Question, Region, Rule, Service
from .urgency import Urgency


@dataclass(frozen=True)
class FloorRule:
    """A red flag that must exist, at ``minimum`` or above, and fire for ``answers``."""

    id: str
    minimum: Urgency
    answers: Mapping[str, Any]


_E, _U = Urgency.EMERGENCY, Urgency.URGENT
LATE_PREGNANCY = {"pregnant": "yes", "weeks_pregnant": 30}

FLOOR: tuple[FloorRule, ...] = (
    # Call the emergency number now (NHS, RCOG): blood loss, collapse, ectopic and late-pregnancy signs.
    FloorRule("heavy_bleeding", _E, {"amount": "heavy"}),
    FloorRule("dizzy_or_faint", _E, {"dizzy_or_faint": True}),
    FloorRule("severe_tummy_pain", _E, {"tummy_pain": "severe"}),
    FloorRule("severe_pain_pregnancy_possible", _E, {"tummy_pain": "severe", "pregnant": "yes"}),
    FloorRule("severe_pain_with_fever", _E, {"tummy_pain": "severe", "fever": True}),
    FloorRule("shoulder_tip_pain_pregnancy", _E, {"shoulder_tip_pain": True, "pregnant": "yes"}),
    FloorRule("blood_thinners_bleeding_wont_stop", _E,
              {"blood_thinners_or_bleeding_disorder": True, "bleeding_wont_stop": True}),
    FloorRule("assault_with_injury", _E, {"not_consensual": True, "injury_or_rough_sex": True}),
    FloorRule("low_lying_placenta_bleeding", _E, {**LATE_PREGNANCY, "low_lying_placenta": True}),
    FloorRule("constant_pain_later_pregnancy", _E, {**LATE_PREGNANCY, "tummy_pain": "mild", "pain_constant": True}),
    # Get help today: pregnancy, assault and children, infection, a time-limited treatment.
    FloorRule("pregnant_any_bleeding", _U, {"pregnant": "yes"}),
    FloorRule("might_be_pregnant", _U, {"pregnant": "unsure"}),
    FloorRule("not_consensual", _U, {"not_consensual": True}),
    FloorRule("under_18_not_consensual", _U, {"not_consensual": True, "age": 16}),
    FloorRule("child_under_13", _U, {"age": 12}),
    FloorRule("emergency_contraception", _U, {"unprotected_sex": True, "age": 20}),
    FloorRule("bleeding_wont_stop", _U, {"bleeding_wont_stop": True}),
    FloorRule("fever", _U, {"fever": True}),
    FloorRule("recent_pregnancy_loss", _U, {"recent_pregnancy_loss": True}),
    FloorRule("after_birth_warning_signs", _U, {"gave_birth_recently": True, "fever": True}),
    FloorRule("waters_leaking", _U, {**LATE_PREGNANCY, "fluid_leak": True}),
)  # fmt: skip
"""Every emergency red flag and the urgent ones the policy names, with an answer set each."""


def floor_problems(
    red_flags: list[Rule], questions: Mapping[str, Question], written: Iterable[str] = ()
) -> list[DataProblem]:
    """What is missing from, or weaker than, the floor: each problem names the red flag.

    ``written`` are the ids in the file, built or not: a row whose condition could not be read
    has its own located problem already, so it is not reported missing as well."""
    by_id = {rule.id: rule for rule in red_flags}
    unbuilt = set(written) - set(by_id)
    problems = []
    for floor in FLOOR:
        rule = by_id.get(floor.id)
        if floor.id in unbuilt:
            continue
        if rule is None:
            problems.append(_problem(f"the safety rule {floor.id} is missing (it must be {floor.minimum.id} or above)"))
        elif rule.urgency < floor.minimum:
            problems.append(_problem(f"{floor.id} is {rule.urgency.id}; the safety floor is {floor.minimum.id}"))
        else:
            problems.extend(_problem(message) for message in _does_not_fire(floor, rule, questions))
    return problems


NO_NUMBER_REGIONS = ("other", UNSET_REGION)
"""Where the region is not known, the page names no single number ("your local emergency number")."""


def region_problems(regions: Mapping[str, Region], services: Mapping[str, Mapping[str, Service]]) -> list[DataProblem]:
    """Every region of the contract is there, and every region's emergency number can be tapped
    (a region added to regions.csv is held to the same line, with no change here)."""
    problems = [
        DataProblem("regions.csv", None, "code", f"safety floor: region {code} is missing")
        for code in REGION_CODES
        if code not in regions
    ]
    for code in regions:
        number = services.get(code, {}).get("emergency_number")
        if code not in NO_NUMBER_REGIONS and (number is None or not number.tel):
            message = f"safety floor: {code} has no emergency_number with a number to call (column tel)"
            problems.append(DataProblem("services.csv", None, "tel", message))
    return problems


def _does_not_fire(floor: FloorRule, rule: Rule, questions: Mapping[str, Question]) -> list[str]:
    """Why ``rule`` would not fire for the floor's answers: they must fit the questions, every
    question must be asked (its ``show_if`` holds, so the answer is not set aside) and the
    condition must hold."""
    try:
        answers = check_answers(floor.answers, questions)
    except AnswerError as error:
        return [f"{floor.id} can no longer be triggered: {error}"]
    hidden = [field for field in answers if (show := questions[field].show_if) is not None and not show.test(answers)]
    if hidden:
        return [f"{floor.id} can no longer be triggered: the question {hidden[0]} is not asked for {dict(answers)}"]
    if not rule.condition.test(answers):
        return [f"{floor.id} no longer fires for {dict(answers)}"]
    return []


def _problem(message: str) -> DataProblem:
    return DataProblem("red_flags.csv", None, "id", f"safety floor: {message}")
