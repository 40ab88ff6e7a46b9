"""Which safety-net lines a care card shows: "Call 999 if:" and "Get help today if:".

NHS care cards end with what to look out for and how fast to act. Those lines used to be copied
from the questions ("Your age: 12"), including ones the person's answers ruled out. Now each line
is a plain sentence in data/safety_nets.csv with a guard in the condition language: a line is
shown only when its guard holds for the answers that count (spotting.relevance), so a person
after the menopause, without a womb or who is not pregnant never reads about pregnancy. Unknown
is not no: a guard such as ``!(pregnant=no)`` keeps a line while the question is unanswered.

Only levels above the current advice are listed: a card that already says "call 999 now" needs
no "call 999 if" list. Selection lives here, not in a renderer, so every view shows the same lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Knowledge, SafetyNetItem
from .urgency import Urgency

MAX_ITEMS = 6
"""At most this many lines per list: a longer list is skimmed, and the first lines matter most."""

LEVELS: tuple[Urgency, ...] = (Urgency.EMERGENCY, Urgency.URGENT)
"""The lists, most urgent first."""


def safety_nets(
    answers: Mapping[str, Any], urgency: Urgency, knowledge: Knowledge
) -> dict[Urgency, tuple[SafetyNetItem, ...]]:
    """The lines to show for each level above ``urgency``, in data order, at most six each.

    ``answers`` are the answers that count (``Explanation.answers``); a level with no line that
    applies is left out, so a renderer never draws an empty heading."""
    nets: dict[Urgency, tuple[SafetyNetItem, ...]] = {}
    for level in LEVELS:
        if level <= urgency:
            continue
        shown = tuple(item for item in knowledge.safety_nets if item.urgency is level and item.condition.test(answers))
        if shown:
            nets[level] = shown[:MAX_ITEMS]
    return nets
