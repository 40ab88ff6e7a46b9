"""Answering the explorer's questions as a person does: tap a radio, or type a number and move on.

Shared by the browser tests so a question's control is found one way everywhere: a radio group by
its legend (``role=group``), a number box by its label. Labels come from data/ through the
knowledge fixture, so a wording change in the questions table does not break the tests.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from spotting import Knowledge
from spotting.explorer.form import NOT_SURE_LABEL

__all__ = ["NOT_SURE_LABEL", "choose", "expect_unanswered", "question", "unfold"]


def question(page: Page, knowledge: Knowledge, field: str) -> Locator:
    """A question's control: the radio group (named by its legend) or the number box."""
    spec = knowledge.questions[field]
    if spec.kind == "integer":
        return page.get_by_role("textbox", name=spec.label, exact=True)
    return page.get_by_role("group", name=spec.label, exact=True)


def unfold(page: Page, field: str) -> None:
    """Open the folded group a question sits in (narrow screens), as a person taps its heading.
    (Found by its ``data-field``: a folded question is out of the accessibility tree.)"""
    fold = page.locator(f'details.sp-group:has([data-field="{field}"])')  # groups never nest
    if fold.count() and not fold.first.evaluate("node => node.open"):
        fold.first.locator("> summary").click()


def choose(page: Page, knowledge: Knowledge, field: str, option: str) -> None:
    """Tap the radio labelled ``option``, or type ``option`` into a number box and press Enter;
    first open the question's group if it is folded."""
    unfold(page, field)
    control = question(page, knowledge, field)
    if knowledge.questions[field].kind == "integer":
        control.fill(option)
        control.press("Enter")
    else:
        control.get_by_role("radio", name=option, exact=True).check()


def expect_unanswered(page: Page, knowledge: Knowledge, field: str) -> None:
    """Nothing chosen: no radio checked, or an empty number box (never a preselected answer)."""
    control = question(page, knowledge, field)
    if knowledge.questions[field].kind == "integer":
        expect(control).to_have_value("")
    else:
        expect(control.get_by_role("radio", checked=True)).to_have_count(0)
