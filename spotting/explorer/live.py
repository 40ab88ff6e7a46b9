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

from collections.abc import Callable

import anywidget
import traitlets

from ..markup import ASSETS
from ..model import N_

# The words the scripts write themselves, in the reader's language: each widget's ``messages``
# (its script keeps the English as a default, for the moment before the kernel has sent them).
LOST_HEADING = N_("This page lost its connection")
LOST_WORDS = N_(
    "The advice may be out of date, so it is hidden. Reload to start again: nothing you entered was saved. "
    "If you are worried, get medical help now; do not wait for this page."
)
LOST_BANNER = N_("This page lost its connection. Reload the page to start again.")
RELOAD = N_("Reload the page")
SUMMARY_VIEW = N_("Your summary")
SUMMARY_SAVE = N_("Save the summary as a file")
SUMMARY_PRINT = N_("Print the summary")
SUMMARY_FRAME = N_("Summary for printing")


def live_words(say: Callable[[str], str]) -> dict[str, str]:
    """``LiveRegion.messages``: what the page says when its kernel has gone."""
    return {"lostHeading": say(LOST_HEADING), "lostWords": say(LOST_WORDS), "lostBanner": say(LOST_BANNER),
            "reload": say(RELOAD)}  # fmt: skip


def summary_words(say: Callable[[str], str]) -> dict[str, str]:
    """``SummaryDownload.messages``: the summary frame's title and its two buttons."""
    return {"view": say(SUMMARY_VIEW), "save": say(SUMMARY_SAVE), "print": say(SUMMARY_PRINT),
            "printFrame": say(SUMMARY_FRAME)}  # fmt: skip


class LiveRegion(anywidget.AnyWidget):
    """The result's HTML (``value``) and a stable, polite live line (``announcement``)."""

    _esm = ASSETS / "live-region.js"
    value = traitlets.Unicode("").tag(sync=True)
    announcement = traitlets.Unicode("").tag(sync=True)
    messages = traitlets.Dict().tag(sync=True)
    """:func:`live_words` in the reader's language."""
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
    messages = traitlets.Dict().tag(sync=True)
    """:func:`summary_words` in the reader's language."""


class PageWords(anywidget.AnyWidget):
    """The page's words that are not in a widget, in the reader's language: the notebook's opening
    (``.sp-intro``, see :mod:`.intro`) and the quick exit of the page template. Shows nothing itself.

    ``intro`` is the opening's HTML, or "" to keep (or put back) the English the notebook wrote;
    ``exit`` holds the quick exit's label, hidden prefix and spoken Shift count (:func:`.intro.exit_words`)."""

    _esm = ASSETS / "page-words.js"
    intro = traitlets.Unicode("").tag(sync=True)
    exit = traitlets.Dict().tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)
    dir = traitlets.Unicode("ltr").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    """The page's title (the browser's tab) in the reader's language; "" keeps the notebook's English."""
    address = traitlets.Unicode("").tag(sync=True)
    """``?lang=`` of the page's address, sent once by the browser. Why from the browser: a
    preheated kernel (``spotting serve``) ran the notebook before the page was asked for, so its
    environment has no QUERY_STRING; Voila's own remedy (``voila.utils.wait_for_request``) needs
    Voila inside the kernel, which the static site has not and the package must not import."""
