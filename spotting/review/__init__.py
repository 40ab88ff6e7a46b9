"""The clinician review: ``from spotting.review import ReviewApp``.

Tables of every cause, red flag, source and policy row, review dates and a coverage matrix, as
pandas tables and escaped styled HTML, plus a panel to try a set of answers.
"""

from typing import Any

__all__ = ["ReviewApp", "review_app"]


def __getattr__(attribute: str) -> Any:
    """Import the widgets only when the app itself is asked for: the HTML and logic modules of
    this package stay usable (and testable) without ipywidgets."""
    if attribute in __all__:
        from . import app

        return getattr(app, attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")
