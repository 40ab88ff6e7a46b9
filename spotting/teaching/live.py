"""Two small browser-side helpers ipywidgets cannot express, written with anywidget.

``LiveStatus`` keeps one live region for the feedback. An ``ipywidgets.HTML`` replaces its
whole ``innerHTML``, so a ``role="status"`` inside it was destroyed and made again on every
update, and screen readers often miss a live region that is new (UX review, finding 6). This
widget makes the region once and changes only what is inside it.

``FocusMover`` moves focus.

Why: on a projector, "Next scenario" used to leave the room looking at the bottom of the page
(the old reveal), and after "Reveal the answer" the answer was below the fold. ipywidgets can
change a page's HTML but cannot move focus or scroll, so this invisible widget does just that:
the app names an element id and the browser scrolls it to the top and focuses it (the target
is a heading with ``tabindex="-1"``, so keyboard and screen-reader users land where the new
content starts). It is asked only after a button press, never when a value is chosen from a
list, so choosing never moves anyone (WCAG 3.2.2).

The JavaScript is inline (no build step, nothing fetched) and uses only DOM APIs.
"""

from __future__ import annotations

import anywidget
import traitlets

from ..markup import ASSETS


class LiveStatus(anywidget.AnyWidget):
    """A polite live region made once; ``value`` is the HTML inside it (as ``widgets.HTML``)."""

    _esm = ASSETS / "live-status.js"
    value = traitlets.Unicode("").tag(sync=True)


class FocusMover(anywidget.AnyWidget):
    """Scrolls the element with id ``target`` to the top of the screen and focuses it."""

    _esm = ASSETS / "focus-mover.js"
    target = traitlets.Unicode("").tag(sync=True)
    request = traitlets.Int(0).tag(sync=True)

    def show(self, element_id: str) -> None:
        """Ask the page to move to ``element_id`` (the counter makes a repeat request a change)."""
        with self.hold_sync():
            self.target = element_id
            self.request += 1
