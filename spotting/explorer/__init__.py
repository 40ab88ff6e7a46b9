"""The public explorer: ``from spotting.explorer import App; App().container`` in a notebook.

``app.py`` holds the widgets (and is the only module here that imports them), ``results.py`` the
HTML of an explanation, ``summary.py`` the page to take to an appointment, ``live.py`` the two
small anywidget components.
"""

from typing import Any

__all__ = ["App"]


def __getattr__(attribute: str) -> Any:
    """Import the widgets only when the app itself is asked for: the HTML and logic modules of
    this package stay usable (and testable) without ipywidgets."""
    if attribute in __all__:
        from . import app

        return getattr(app, attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")
