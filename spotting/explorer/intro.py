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

from ..explain import DISCLAIMER
from ..model import N_
from ..quick_exit import EXIT_HIDDEN, EXIT_LABEL, exit_words, leave_html, text

__all__ = ["EXIT_HIDDEN", "EXIT_LABEL", "TITLE", "exit_words", "intro_html"]


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


def intro_html(say: Callable[[str], str]) -> str:
    """The opening of the explorer, in the language of ``say`` (``knowledge.phrase``; ``str`` for
    the English the notebook carries). One HTML block with no blank line, so Markdown keeps it
    whole, inside ``.sp-intro`` where :class:`.live.PageWords` finds it."""
    paragraphs = "".join(f"<p>{text(say(words))}</p>" for words in INTRO)
    return (
        '<div class="sp-intro">\n'
        f"<h1>{text(say(TITLE))}</h1>\n"
        f"{paragraphs}\n"
        f"<p><strong>{text(say(DISCLAIMER))}</strong></p>\n"
        f"<p>{text(say(PRIVACY))}</p>\n"
        f"{leave_html(say)}\n"
        "</div>"
    )
