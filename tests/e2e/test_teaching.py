"""The teaching notebook served by Voila, driven in Chromium: reveal a scenario, answer, see feedback.

The shared conftest serves only the explorer, so this file serves notebooks/teaching.ipynb the
same way (a real ``python -m voila`` subprocess on a free loopback port, health-checked on
/voila/static/voila.js, stopped with SIGTERM) and reuses its Chromium launch arguments and the
test-artifacts/ folder. Screenshots are saved there to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from spotting import Knowledge

from .conftest import start_voila, stop_voila

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/teaching.ipynb"
FIRST_LOAD_MS = 90_000
UPDATE_MS = 15_000
ADVISE = "What would you advise?"


@pytest.fixture(scope="session")
def teaching_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the teaching notebook for the whole session; kernels are shut down with the server."""
    server = start_voila(NOTEBOOK, ROOT, tmp_path_factory.mktemp("voila-teaching"))
    yield server.url
    stop_voila(server)


def open_teaching(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(url)
    expect(page.get_by_role("combobox", name=ADVISE)).to_be_visible(timeout=FIRST_LOAD_MS)


def assert_accessible(page: Page, state: str) -> None:
    """axe-core on the rendered page: no serious or critical violations."""
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{state}: " + "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in bad)


def test_reveal_a_scenario_answer_the_quiz_and_see_feedback(
    page: Page, teaching_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    open_teaching(page, teaching_url)
    # The facilitator chooses where the session is: the quiz then names that region's services.
    page.get_by_role("combobox", name="Services for").select_option(label="United Kingdom")
    expect(page.locator("h1 + p.note")).to_contain_text("call 999", timeout=UPDATE_MS)
    scenarios = [s.id for s in knowledge.scenarios]
    number = scenarios.index("low_placenta_32_weeks") + 1
    scenario = knowledge.scenarios[number - 1]
    page.get_by_role("combobox", name="Scenario").select_option(label=f"{number}. {scenario.title}")
    expect(page.locator("article.scenario h3")).to_contain_text(scenario.title, timeout=UPDATE_MS)

    # Learner mode: revealing before choosing asks, kindly, for a choice first.
    page.get_by_role("button", name="Reveal the answer").click()
    expect(page.get_by_role("status").first).to_contain_text("Choose a level", timeout=UPDATE_MS)

    # Answer the quiz by keyboard-reachable controls, less urgent than the tool, to see the feedback.
    page.get_by_role("combobox", name=ADVISE).select_option(label="Get medical help today")
    page.get_by_role("checkbox", name="A low-lying placenta (placenta praevia)").check()
    reveal = page.get_by_role("button", name="Reveal the answer")
    reveal.focus()
    page.keyboard.press("Enter")

    feedback = page.locator(".feedback")
    expect(feedback).to_have_attribute("data-verdict", "lower", timeout=UPDATE_MS)
    expect(feedback).to_contain_text("The tool goes further")
    expect(feedback).to_contain_text("A low-lying placenta (placenta praevia) (likely)")
    answer = page.locator("section.reveal")
    expect(answer).to_contain_text("Call 999 or go to A&E now")
    expect(answer).to_contain_text(scenario.teaching_point)
    expect(answer.locator(".sp-visually-hidden").first).to_have_text("Immediate action required: ")
    # Voila scrolls an inner element, so a tall viewport is what captures the whole card.
    page.set_viewport_size({"width": 1280, "height": 3600})
    page.screenshot(path=str(artifacts / "teaching-scenario-reveal.png"))
    page.locator(".feedback").screenshot(path=str(artifacts / "teaching-feedback.png"))
    answer.screenshot(path=str(artifacts / "teaching-reveal-card.png"))
    page.locator(".widget-hbox").filter(has=reveal).screenshot(path=str(artifacts / "teaching-buttons.png"))
    assert_accessible(page, "scenario revealed")

    # Changing the answer after the reveal updates the feedback in place.
    page.get_by_role("combobox", name=ADVISE).select_option(label="Call 999 or go to A&E now")
    expect(feedback).to_have_attribute("data-verdict", "match", timeout=UPDATE_MS)
    expect(feedback).to_contain_text("Well spotted")


def test_charts_are_titled_sourced_and_readable(page: Page, teaching_url: str, artifacts: Path) -> None:
    open_teaching(page, teaching_url)
    page.get_by_role("combobox", name="Show").select_option(label="Charts")
    cancer = page.locator("#chart-cancer_risk")
    expect(cancer).to_be_visible(timeout=UPDATE_MS)
    title = "Bleeding after sex is rarely cervical cancer, but the chance rises with age"
    expect(page.get_by_role("figure", name=title)).to_be_visible()
    expect(cancer).to_contain_text("1 in 44,000")
    expect(cancer).to_contain_text("1 in 2,400")
    expect(cancer).to_contain_text("Source:")
    expect(page.get_by_role("combobox", name=ADVISE)).to_be_hidden()
    cancer.screenshot(path=str(artifacts / "teaching-chart-cancer-risk.png"))
    page.locator("#chart-sti_no_symptoms").screenshot(path=str(artifacts / "teaching-chart-sti.png"))
    assert_accessible(page, "charts")


def test_projector_mode_and_myths(page: Page, teaching_url: str, artifacts: Path) -> None:
    open_teaching(page, teaching_url)
    body_size = page.locator(".spotting-teaching article.scenario").evaluate("e => getComputedStyle(e).fontSize")
    page.get_by_role("checkbox", name="Large type for a projector").check()
    expect(page.locator(".spotting-teaching.projector")).to_be_visible(timeout=UPDATE_MS)
    bigger = page.locator(".spotting-teaching article.scenario").evaluate("e => getComputedStyle(e).fontSize")
    assert float(bigger.removesuffix("px")) > float(body_size.removesuffix("px")) >= 18
    page.get_by_role("combobox", name="Show").select_option(label="Myths and facts")
    first = page.locator(".myth details").first
    expect(first.locator("summary")).to_be_visible(timeout=UPDATE_MS)  # the section shows after a kernel round trip
    first.locator("summary").focus()
    page.keyboard.press("Enter")  # <details> opens from the keyboard
    expect(first).to_have_attribute("open", "", timeout=UPDATE_MS)
    page.screenshot(path=str(artifacts / "teaching-myths-projector.png"))


def test_on_a_phone_every_cause_label_fits_and_a_focused_button_has_a_thick_outline(
    page: Page, teaching_url: str, artifacts: Path
) -> None:
    """UX review, WCAG 1.4.10 and 2.4.7: at 390 px the 24 cause labels were cut off at the right
    edge, and buttons showed a 1 px light-blue focus outline."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(teaching_url)
    expect(page.get_by_role("combobox", name=ADVISE)).to_be_visible(timeout=FIRST_LOAD_MS)
    labels = page.locator(".widget-checkbox")
    assert labels.count() >= 20
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.widget-checkbox')]
            .filter(box => box.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                        || box.scrollWidth > box.clientWidth + 1)
            .map(box => box.textContent.trim())"""
    )
    assert not overflowing, overflowing
    reveal = page.get_by_role("button", name="Reveal the answer")
    reveal.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # a keyboard focus, so :focus-visible applies
    width = reveal.evaluate("button => getComputedStyle(button).outlineWidth")
    assert float(width.removesuffix("px")) >= 3, width
    page.screenshot(path=str(artifacts / "teaching-phone-causes.png"), full_page=True)
