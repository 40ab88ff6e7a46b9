"""The explorer's opening words and the quick exit's words, as interface phrases (ui.po).

Why here and not only in the notebook: every sentence a reader sees must come in their language.
The notebook's Markdown cell still carries the English (``intro_html`` of English, word for word;
tests/test_ui.py checks), because Voila and the static site show a notebook's Markdown with the
first bytes, long before a kernel has started (the "words come first" of issue 19). Once the app
is running, :class:`.live.PageWords` puts the same opening in the reader's language in its place,
and the quick exit's label, hidden prefix and spoken Shift count too (the exit link is plain HTML
in the page template, so that it works before any Python has run).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..explain import DISCLAIMER
from ..model import N_


def _text(words: str) -> str:
    """Words as HTML text (quotes stay quotes: they are not in an attribute)."""
    return escape(words, quote=False)


TITLE = N_("Bleeding after sex: what might it mean?")
INTRO = (
    N_("Light bleeding after sex (postcoital bleeding) is common, and most causes are easy to treat."),
    N_(
        "Answer as many or as few questions as you like, and change any answer. The advice updates as you go. "
        "If you do not know an answer, choose “I'm not sure”: it is never taken as a “no”."
    ),
)
PRIVACY = N_(
    "Your answers are used only to work out the advice on this page. "
    "They are not saved or logged, and they are gone soon after you close the page."
)
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


def intro_html(say: Callable[[str], str]) -> str:
    """The opening of the explorer, in the language of ``say`` (``knowledge.phrase``; ``str`` for
    the English the notebook carries). One HTML block with no blank line, so Markdown keeps it
    whole, inside ``.sp-intro`` where :class:`.live.PageWords` finds it."""
    link = f'<a href="{COVER_TRACKS}" hreflang="en">{_text(say(LEAVE_LINK_TEXT))}</a>'
    paragraphs = "".join(f"<p>{_text(say(text))}</p>" for text in INTRO)
    leave = _text(say(LEAVE_WORDS)).replace("{exit}", _text(say(EXIT_LABEL)))
    return (
        '<div class="sp-intro">\n'
        f"<h1>{_text(say(TITLE))}</h1>\n"
        f"{paragraphs}\n"
        f"<p><strong>{_text(say(DISCLAIMER))}</strong></p>\n"
        f"<p>{_text(say(PRIVACY))}</p>\n"
        f'<details class="sp-leave" aria-label="{escape(say(LEAVE_LABEL), quote=True)}">'
        f"<summary>{_text(say(LEAVE_SUMMARY))}</summary>\n"
        f"<p>{leave} {_text(say(LEAVE_LINK)).replace('{link}', link)}</p>\n"
        "</details>\n"
        "</div>"
    )


def exit_words(say: Callable[[str], str]) -> dict[str, str]:
    """The quick exit's words for :class:`.live.PageWords` (the keys its script reads)."""
    return {
        "label": say(EXIT_LABEL),
        "hidden": say(EXIT_HIDDEN) + " ",
        "pressTwo": say(SHIFT_TWO),
        "pressOne": say(SHIFT_ONE),
    }
