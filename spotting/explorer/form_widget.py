"""The explorer's questions as one form drawn in the browser (an anywidget), from :func:`.form.form_spec`.

Why one anywidget instead of a widget per question:
* **Radios that are named properly.** Short choices are radio groups, as the GOV.UK and NHS design
  systems advise (a ``<select>`` is their last resort): each is a ``<fieldset>`` whose
  ``<legend>`` is the question, with its hint tied by ``aria-describedby``, and nothing is
  preselected. ipywidgets' ``RadioButtons`` has no legend and cannot start with nothing chosen.
* **Short first.** The app shows the form in two parts: the emergency check, then (after the
  advice, on a phone) the other groups, which on a narrow screen are native disclosures that say
  how many of their questions are answered. On a wide screen they start open.
* **Light.** One widget model instead of about a hundred (a Dropdown, its layout and style per
  question): the browser builds every model before anything shows, so this is most of the
  first-load cost on a phone (issue 9, item 10).

Which questions are shown is still decided in Python by :mod:`spotting.relevance` (``shown``);
the browser only hides and reveals. Every value the browser sends is re-checked with
``spotting.validate_answers``, because widget state is client input. The JavaScript and CSS are
files in ``spotting/assets/`` (``form.js``, ``form.css``, ``routes.js``, ``routes.css``): no build
step, nothing fetched at run time (anywidget sends each file's text with its widget), only DOM APIs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

from ..markup import ASSETS
from ..model import N_

NUMBER_RANGE = N_("Type a number from {minimum} to {maximum}.")
ERROR_PREFIX = N_("Error:")
ANSWERED_COUNT = N_("({count} answered)")


def form_words(say: Callable[[str], str]) -> dict[str, str]:
    """``QuestionForm.messages``: the words form.js writes itself, in the reader's language; the
    script fills ``{minimum}``, ``{maximum}`` and ``{count}``."""
    return {"numberRange": say(NUMBER_RANGE), "errorPrefix": say(ERROR_PREFIX) + " ",
            "answeredCount": " " + say(ANSWERED_COUNT)}  # fmt: skip


class Routes(anywidget.AnyWidget):
    """The first choice at the top of the explorer (data/routes.csv): buttons that each open and
    focus one question, in the browser, without answering anything.

    Why: the assault question was 6.9 phone screens down in a folded group and age was folded too
    (UX review 3). A route takes someone there in one tap, and the words about assault are one
    short button, so nobody else has to read more about it first."""

    _esm = ASSETS / "routes.js"
    _css = ASSETS / "routes.css"
    heading = traitlets.Unicode("").tag(sync=True)
    routes: traitlets.List[dict[str, object]] = traitlets.List().tag(sync=True)


class QuestionForm(anywidget.AnyWidget):
    """Every question as one form. ``spec`` is :func:`form_spec`; ``answers`` is what the person
    chose (``null`` for "I'm not sure"); ``shown`` lists the questions currently asked."""

    _esm = ASSETS / "form.js"
    _css = ASSETS / "form.css"
    spec: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    answers = traitlets.Dict().tag(sync=True, echo_update=False)
    """No echo: ipywidgets would first send every answer straight back to the page (for other views
    of the same widget, which a dashboard never has), and the advice waited behind it. A change made
    here (``reset``) still reaches the page as an ordinary update."""
    shown = traitlets.List(traitlets.Unicode()).tag(sync=True)
    messages = traitlets.Dict().tag(sync=True)
    """:func:`form_words` in the reader's language (set before ``spec``, which draws the form)."""
    folds = traitlets.Bool(False).tag(sync=True)
    """Whether every group folds on a narrow screen (the questions after the emergency check)."""
    generation = traitlets.Int(0).tag(sync=True)
    """Raised by "Start again", so the browser also clears what it never sent (an unusable entry)."""
