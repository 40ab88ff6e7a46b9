"""The explorer in another language, served by Voila and driven in Chromium (issue 23).

?lang=es opens it in Spanish; the unreviewed-translation line shows in Spanish and English; the
advice is the same as in English; one tap goes back to English in the same kernel. Screenshots
at phone size go to test-artifacts/ to look at; axe-core checks each state.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from spotting import load_knowledge
from spotting.explorer.intro import EXIT_HIDDEN, EXIT_LABEL, TITLE
from spotting.localise import languages

from .drive import choose, question, unfold
from .test_explorer import FIRST_LOAD_MS, NARROW, UPDATE_MS, assert_accessible, care_card, snapshot, start_card

pytestmark = pytest.mark.browser


def test_spanish_from_the_address_then_back_to_english_in_one_tap(
    page: Page, explorer_url: str, artifacts: Path
) -> None:
    spanish, english = load_knowledge(lang="es"), load_knowledge()
    page.set_viewport_size(NARROW)
    page.goto(f"{explorer_url}?lang=es")
    expect(start_card(page)).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator(".sp-results [lang=es]").first).to_be_attached()
    notice = page.locator(".sp-notice")
    expect(notice.locator("[lang=es]")).to_contain_text("no la ha revisado")
    expect(notice.locator("[lang=en]")).to_contain_text("has not yet been checked by a clinician")
    # The notebook's opening and the template's quick exit, written in English, follow the language.
    expect(page.locator(".sp-intro[lang=es] h1")).to_have_text(spanish.phrase(TITLE))
    expect(page).to_have_title(spanish.phrase(TITLE))  # the tab too, not the notebook's English title
    expect(page.locator("a[data-sp-exit]")).to_have_text(f"{spanish.phrase(EXIT_HIDDEN)} {spanish.phrase(EXIT_LABEL)}")
    choose(page, spanish, "amount", spanish.questions["amount"].choice_labels["heavy"])
    expect(care_card(page)).to_have_attribute("data-urgency", "emergency", timeout=UPDATE_MS)
    expect(care_card(page)).to_contain_text(spanish.levels[max(spanish.levels)].hidden_text)
    snapshot(page, artifacts, "languages-es-phone")
    assert_accessible(page, "explorer in Spanish, heavy bleeding")

    # A number the tool cannot use keeps its message on screen, which follows the language too.
    in_range = "Enter a number from {minimum} to {maximum}."
    bounds = {"minimum": spanish.questions["age"].minimum, "maximum": spanish.questions["age"].maximum}
    unfold(page, "age")
    age = question(page, spanish, "age")
    age.fill("150")
    age.press("Enter")
    error = page.locator(".sp-error:visible")
    expect(error).to_contain_text(spanish.phrase(in_range).format(**bounds))
    # The switch writes the new words into the form already drawn: the same nodes, so focus, open
    # folds and what is typed stay (a redraw of every question would lose the mark set here).
    page.locator(".sp-form__question").first.evaluate("node => { node.spottingKept = true; }")

    page.get_by_role("button", name="Read in English").click()
    expect(care_card(page)).to_contain_text(english.levels[max(english.levels)].hidden_text, timeout=UPDATE_MS)
    expect(question(page, english, "amount")).to_be_visible(timeout=UPDATE_MS)  # the legend, in English
    expect(question(page, english, "age")).to_have_value("150")
    expect(error).to_contain_text(in_range.format(**bounds))
    assert page.locator(".sp-form__question").first.evaluate("node => node.spottingKept === true")
    question(page, english, "age").scroll_into_view_if_needed()
    snapshot(page, artifacts, "languages-en-after-switch-form-phone")  # the relabelled questions, to look at
    expect(care_card(page)).to_have_attribute("data-urgency", "emergency")  # the same advice, the answer kept
    expect(notice).to_have_count(0)
    expect(page.locator(".sp-intro h1")).to_have_text(TITLE)
    expect(page).to_have_title(re.compile("explorer"))  # the notebook's own title, put back
    expect(page.locator(".sp-intro")).not_to_have_attribute("lang", "es")
    expect(page.locator("a[data-sp-exit]")).to_have_text("Emergency: Exit this page")
    snapshot(page, artifacts, "languages-en-after-switch-phone")


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_welsh_and_arabic_give_the_same_emergency_with_the_page_in_their_direction(
    page: Page, explorer_url: str, artifacts: Path, language: str
) -> None:
    """Every offered language at phone size: the results carry the language and its direction
    (Arabic right to left), the notice says the translation is unchecked in both languages, and
    heavy bleeding is the same emergency as in English. The screenshots are to look at."""
    local = load_knowledge(lang=language)
    direction = languages()[language].direction
    assert direction == ("rtl" if language == "ar" else "ltr")
    page.set_viewport_size(NARROW)
    page.goto(f"{explorer_url}?lang={language}")
    expect(start_card(page)).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator(f".sp-results [lang={language}][dir={direction}]").first).to_be_attached()
    expect(page.locator(".sp-notice [lang=en]")).to_contain_text("has not yet been checked by a clinician")
    choose(page, local, "amount", local.questions["amount"].choice_labels["heavy"])
    expect(care_card(page)).to_have_attribute("data-urgency", "emergency", timeout=UPDATE_MS)
    expect(care_card(page)).to_contain_text(local.levels[max(local.levels)].hidden_text)
    snapshot(page, artifacts, f"languages-{language}-phone")
    assert_accessible(page, f"explorer in {language}, heavy bleeding")
    # The quick exit never covers the advice bar's symbol: right to left, it mirrors to the left.
    exit_box = page.locator(".sp-exit__button").bounding_box()
    symbol = page.locator(".sp-banner .sp-icon").first.bounding_box()
    assert exit_box is not None and symbol is not None
    apart = exit_box["x"] + exit_box["width"] <= symbol["x"] or symbol["x"] + symbol["width"] <= exit_box["x"]
    below = symbol["y"] >= exit_box["y"] + exit_box["height"]
    assert apart or below, (language, exit_box, symbol)
    at_left, at_right = exit_box["x"] <= 20, exit_box["x"] + exit_box["width"] >= NARROW["width"] - 20
    assert (at_left, at_right) == ((True, False) if direction == "rtl" else (False, True)), exit_box


def test_lang_in_the_address_reaches_a_preheated_kernel(
    page: Page, serve_factory: Any, tmp_path_factory: pytest.TempPathFactory, artifacts: Path
) -> None:
    """``spotting serve`` hands out kernels that ran the notebook before the page was asked for
    (Voila's preheating), so QUERY_STRING never reached them: ``?lang=ar`` must still give the
    Arabic page, right to left, with its opening and quick exit in Arabic."""
    arabic = load_knowledge(lang="ar")
    server = serve_factory(tmp_path_factory.mktemp("preheated-lang-sandbox"))
    try:
        deadline = time.monotonic() + 120
        while "Ready:" not in server.output() and time.monotonic() < deadline:
            time.sleep(0.5)
        page.set_viewport_size(NARROW)
        page.goto(f"{server.url}?lang=ar")
        expect(start_card(page)).to_be_visible(timeout=FIRST_LOAD_MS)
        expect(page.locator(".sp-results [lang=ar][dir=rtl]").first).to_be_attached(timeout=UPDATE_MS)
        expect(page.locator(".sp-intro[lang=ar][dir=rtl] h1")).to_have_text(arabic.phrase(TITLE))
        expect(page.locator("a[data-sp-exit]")).to_contain_text(arabic.phrase(EXIT_LABEL))
        expect(page.locator(".sp-language select")).to_have_value(languages()["ar"].name)  # ipywidgets: the label
        assert "Using pre-heated kernel" in server.output()  # the page really came from the pool
        snapshot(page, artifacts, "languages-ar-preheated-phone")
    finally:
        server.stop()
