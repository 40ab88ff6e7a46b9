"""The teaching pages' opening words, as interface phrases (ui.po).

Why here and not only in the notebooks: every sentence a reader sees must come in their language.
The notebooks' first Markdown cell carries the English (``intro_html(str)`` word for word;
tests/test_teaching_ui.py checks), because Voila shows a notebook's Markdown with the first bytes,
before a kernel has started. Once the app runs, its ``PageWords`` (:mod:`.live`) puts the same
opening in the reader's language in its place (``.sp-intro``), with the quick exit's words.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import N_
from ..quick_exit import leave_html, text

TITLE = N_("Bleeding after sex: a teaching session")
"""The learner page's title (the browser tab's, and the page heading's)."""
FOR_LEARNING = N_("For learning, not diagnosis.")
LEARNER_INTRO = N_(
    "Read the story, choose what you would advise and the likely causes, then reveal what the tool says. "
    "Tab moves between controls; Enter presses a button."
)


FACILITATOR_INTRO = N_(
    "The facilitator page: notes with the expected answers, reveal without choosing, and the learner "
    "worksheet and facilitator handout. Keep it on your own screen or the projector."
)


def intro_html(say: Callable[[str], str], *, facilitator: bool = False) -> str:
    """A teaching page's opening in the language of ``say`` (``knowledge.phrase``; ``str`` for the
    English the notebook carries): one HTML block with no blank line, so Markdown keeps it whole.
    The facilitator page has no quick exit, so no words on leaving it."""
    if facilitator:
        return (
            '<div class="sp-intro">\n'
            f"<p><strong>{text(say(FOR_LEARNING))}</strong> {text(say(FACILITATOR_INTRO))}</p>\n"
            "</div>"
        )
    return (
        '<div class="sp-intro">\n'
        f"<p><strong>{text(say(FOR_LEARNING))}</strong> {text(say(LEARNER_INTRO))}</p>\n"
        f"{leave_html(say)}\n"
        "</div>"
    )
