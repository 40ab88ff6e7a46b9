"""spotting: an educational explainer for light bleeding after sex. Not a diagnosis.

The public API is what ``__all__`` lists; everything else is private and may change.
"""

import typing as _typing

from . import contract
from .answers import validate_answers
from .errors import AnswerError, ConditionError, DataError, DataProblem, SpottingError
from .explain import DISCLAIMER, Explanation
from .explain import explain as _explain
from .knowledge import check_data, load_knowledge
from .model import Knowledge
from .regions import choose_region as _choose_region
from .regions import split_region as _split_region
from .urgency import URGENCY_IDS, Urgency


def explain(
    answers: _typing.Any, knowledge: Knowledge | None = None, region: object = None, lang: object = None
) -> Explanation:
    """Explain a set of answers (contract §1) with the shipped knowledge base unless one is given.

    ``region`` (or a ``"region"`` key in the answers) words the advice with that region's
    services: a region code of data/regions.csv, such as ``"GB"`` or ``"other"``. The advice
    itself is the same everywhere. Raises ``AnswerError`` naming the field and the allowed values
    when the answers or the region do not fit. ``lang`` (``"es"``; None for English) words it in
    an offered language; an unknown one is an ``AnswerError`` listing those available.
    """
    answers, given = _split_region(answers)
    chosen = _choose_region(given, region)
    if knowledge is None:
        knowledge = load_knowledge(region=chosen, lang=lang)
    elif chosen is not None or lang is not None:
        if chosen is None and knowledge.region.chosen:
            chosen = knowledge.region.code
        knowledge = load_knowledge(knowledge.directory, region=chosen, lang=lang or knowledge.language)
    return _explain(answers, knowledge)


__all__ = [
    "DISCLAIMER",
    "URGENCY_IDS",
    "AnswerError",
    "ConditionError",
    "DataError",
    "DataProblem",
    "Explanation",
    "Knowledge",
    "SpottingError",
    "Urgency",
    "check_data",
    "contract",
    "explain",
    "load_knowledge",
    "validate_answers",
]
