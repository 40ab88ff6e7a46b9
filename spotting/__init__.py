"""spotting: an educational explainer for light bleeding after sex. Not a diagnosis.

The public API is what ``__all__`` lists; everything else is private and may change.
"""

from . import contract
from .answers import AnswerError, validate_answers
from .explain import DISCLAIMER, Explanation, explain
from .knowledge import DataError, DataProblem, Knowledge, check_data, load_knowledge
from .urgency import URGENCY_IDS, Urgency

__all__ = [
    "DISCLAIMER",
    "URGENCY_IDS",
    "AnswerError",
    "DataError",
    "DataProblem",
    "Explanation",
    "Knowledge",
    "Urgency",
    "check_data",
    "contract",
    "explain",
    "load_knowledge",
    "validate_answers",
]
