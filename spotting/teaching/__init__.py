"""The teaching session: ``from spotting.teaching import TeachingApp``.

``quiz.py`` compares a learner's answers with the engine, ``pages.py`` and ``charts.py`` write the
scenario cards, myths, handout and charts as HTML, and ``app.py`` is the only module with widgets.
"""

from typing import Any

__all__ = ["TeachingApp"]


def __getattr__(attribute: str) -> Any:
    """Import the widgets only when the app itself is asked for: the HTML and logic modules of
    this package stay usable (and testable) without ipywidgets."""
    if attribute in __all__:
        from . import app

        return getattr(app, attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")
