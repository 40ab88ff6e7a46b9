"""The clinician review: ``from spotting.review import ReviewApp``.

Three modules, each built on the one before: :mod:`.tables` (every cause, red flag, source and
policy row, review dates, the coverage matrix and the hazard log, as pandas tables),
:mod:`.styled` (those tables as escaped HTML, and the check-data and try-answers results) and
:mod:`.app` (the widgets: sections, the filter and the try-answers panel).
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
