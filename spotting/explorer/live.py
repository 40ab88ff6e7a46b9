"""Small browser-side widgets that ipywidgets cannot express, written with anywidget.

* ``LiveRegion``: the results, and beside them a *stable* ``role="status"`` line that screen
  readers announce. The whole result is thousands of characters; read out after every answer it
  drowned the one thing that matters (UX review: 6,000-9,800 characters per change), so only
  ``announcement`` ("Advice changed: Get medical help today.") is live. An ``ipywidgets.HTML``
  widget would replace its whole ``innerHTML`` and with it any live region inside, which
  assistive technology often misses; this widget creates both once and swaps only the result
  sections (``data-section``) whose HTML changed.
* ``AdviceBar``: the one-line advice (level and first sentence) that sticks to the top of every
  screen, so a change of advice is seen where the person is (issue 19, item 1); see its docstring.
* ``SummaryDownload``: "take this to your appointment" is shown on screen first (a sandboxed
  frame that runs nothing), then offers a "save as a file" link and a print button.
  Both are made in the person's browser from HTML held in their own kernel session: a Blob URL
  for the download and a sandboxed ``srcdoc`` iframe for printing. Nothing is written to disk or
  sent to any other server.

The JavaScript is in ``spotting/assets/`` (no build step, nothing fetched at run time: anywidget
sends each file's text with its widget) and uses only DOM APIs.
"""

from __future__ import annotations

import anywidget
import traitlets

from ..markup import ASSETS


class LiveRegion(anywidget.AnyWidget):
    """The result's HTML (``value``) and a stable, polite live line (``announcement``)."""

    _esm = ASSETS / "live-region.js"
    value = traitlets.Unicode("").tag(sync=True)
    announcement = traitlets.Unicode("").tag(sync=True)
    handled = traitlets.Int(0).tag(sync=True)
    """How many answer changes the kernel has worked through: the announcement waits until it has
    caught up with every change the page sent, so a burst of changes is spoken once."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._answer_ping)

    def _answer_ping(self, _widget: object, content: object, _buffers: object) -> None:
        """The page's heartbeat: a reply says the kernel is alive (see the ESM above)."""
        if isinstance(content, dict) and content.get("type") == "ping":
            self.send({"type": "pong"})


class AdviceBar(anywidget.AnyWidget):
    """The compact advice bar that sticks to the top of every screen (``value`` is its HTML).

    Why a widget of its own and not ``ipywidgets.HTML``: it must measure itself (so the page's
    scroll padding and the wide screen's advice column leave room for it), keep the focused
    control clear of it, and bring the care card back into view when the level changes. An HTML
    widget can only set ``innerHTML``."""

    _esm = ASSETS / "advice-bar.js"
    value = traitlets.Unicode("").tag(sync=True)


class SummaryDownload(anywidget.AnyWidget):
    """A download link and a print button for ``html``; hidden while ``html`` is empty."""

    _esm = ASSETS / "summary.js"
    html = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("spotting-summary.html").tag(sync=True)
