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
from .urgency import URGENCY_IDS, Urgency


def explain(answers: _typing.Any, knowledge: Knowledge | None = None) -> Explanation:
    """Explain a set of answers (contract §1) with the shipped knowledge base unless one is given.

    Raises ``AnswerError`` naming the field and the allowed values when the answers do not fit.
    """
    return _explain(answers, knowledge if knowledge is not None else load_knowledge())


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
