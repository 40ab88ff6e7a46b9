"""The quick exit's words and how to leave a page quickly, as interface phrases (ui.po), for every
page that has the quick exit (the explorer and the teaching pages).

Why in the core: the words are the same on every page, and one app never imports another
(tests/test_layers.py). The exit link itself is plain HTML in the page template, so that it works
before any Python has run; each page's ``PageWords`` puts these words in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .model import N_


def text(words: str) -> str:
    """Words as HTML text (quotes stay quotes: they are not in an attribute)."""
    return escape(words, quote=False)


LEAVE_LABEL = N_("How to leave this page quickly")
LEAVE_SUMMARY = N_("How to leave this page quickly, and leave no trace")
LEAVE_WORDS = N_(
    "Press the red “{exit}” button, or press the Shift key 3 times. It takes you to a weather page. "
    "It does not clear your browser history. To leave no trace, use a private (incognito) window, "
    "or delete this page from your history afterwards."
)
LEAVE_LINK = N_("Women’s Aid explains {link}.")  # noqa: RUF001 (the charity's name, as it writes it)
LEAVE_LINK_TEXT = N_("how to cover your tracks online")
COVER_TRACKS = "https://www.womensaid.org.uk/cover-your-tracks/"

EXIT_LABEL = N_("Exit this page")
EXIT_HIDDEN = N_("Emergency:")
"""Read by a screen reader before the label (GOV.UK's "Emergency" prefix), hidden on screen."""
SHIFT_TWO = N_("Shift, press 2 more times to exit.")
SHIFT_ONE = N_("Shift, press 1 more time to exit.")


def leave_html(say: Callable[[str], str]) -> str:
    """ "How to leave this page quickly" as a folded block in the language of ``say``
    (``knowledge.phrase``; ``str`` for the English a notebook carries), one HTML block."""
    link = f'<a href="{COVER_TRACKS}" hreflang="en">{text(say(LEAVE_LINK_TEXT))}</a>'
    leave = text(say(LEAVE_WORDS)).replace("{exit}", text(say(EXIT_LABEL)))
    return (
        f'<details class="sp-leave" aria-label="{escape(say(LEAVE_LABEL), quote=True)}">'
        f"<summary>{text(say(LEAVE_SUMMARY))}</summary>\n"
        f"<p>{leave} {text(say(LEAVE_LINK)).replace('{link}', link)}</p>\n"
        "</details>"
    )


def exit_words(say: Callable[[str], str]) -> dict[str, str]:
    """The quick exit's words for :class:`.live.PageWords` (the keys its script reads)."""
    return {
        "label": say(EXIT_LABEL),
        "hidden": say(EXIT_HIDDEN) + " ",
        "pressTwo": say(SHIFT_TWO),
        "pressOne": say(SHIFT_ONE),
    }
