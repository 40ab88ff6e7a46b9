"""Two small browser-side helpers ipywidgets cannot express, written with anywidget.

``LiveStatus`` keeps one live region for the feedback. An ``ipywidgets.HTML`` replaces its
whole ``innerHTML``, so a ``role="status"`` inside it was destroyed and made again on every
update, and screen readers often miss a live region that is new (UX review, finding 6). This
widget makes the region once and changes only what is inside it.

``FocusMover`` moves focus.

``PageWords`` puts the page's words outside every widget in the reader's language (the notebook's
opening, the quick exit, the title) and gives the app's root its ``lang`` and ``dir``; it runs the
explorer's script (spotting/assets/page-words.js), declared again here because one app never
imports another (tests/test_layers.py).

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


class PageWords(anywidget.AnyWidget):
    """The teaching page's words outside its widgets, in the reader's language; shows nothing.

    ``intro`` replaces the notebook's opening (``.sp-intro``; "" puts back its English), ``exit``
    holds the quick exit's words (:func:`spotting.quick_exit.exit_words`), ``title`` the tab's,
    and ``lang``/``dir`` go on the app's root (``.sp-page-language``). ``address`` is ``?lang=``
    as the browser sent it: a preheated kernel never saw the page's query string."""

    _esm = ASSETS / "page-words.js"
    intro = traitlets.Unicode("").tag(sync=True)
    exit = traitlets.Dict().tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)
    dir = traitlets.Unicode("ltr").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    address = traitlets.Unicode("").tag(sync=True)
