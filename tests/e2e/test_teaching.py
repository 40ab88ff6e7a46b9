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
from playwright.sync_api import Locator, Page, expect

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
    status = page.locator(".sp-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("Choose a level", timeout=UPDATE_MS)
    status.evaluate("node => { node.dataset.marker = 'same-node'; }")  # a live region is announced only if it stays

    # Answer the quiz by keyboard-reachable controls, less urgent than the tool, to see the feedback.
    page.get_by_role("combobox", name=ADVISE).select_option(label="Get medical help today")
    page.get_by_role("checkbox", name="A low-lying placenta (placenta praevia)").check()
    reveal = page.get_by_role("button", name="Reveal the answer")
    reveal.focus()
    page.keyboard.press("Enter")

    feedback = page.locator(".feedback")
    expect(feedback).to_have_attribute("data-verdict", "lower", timeout=UPDATE_MS)
    expect(page.locator(".sp-status[data-marker=same-node] .feedback")).to_have_count(1)
    expect(page.locator(".sp-status")).to_have_count(1)
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
    page.locator(".widget-hbox").filter(has=reveal).last.screenshot(path=str(artifacts / "teaching-buttons.png"))
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
    expect(cancer).to_contain_text("about 4 in every 10,000 people")
    expect(cancer.locator("svg.people-grid")).to_have_count(2)
    expect(cancer).to_contain_text("Source:")
    expect(page.get_by_role("combobox", name=ADVISE)).to_be_hidden()
    cancer.screenshot(path=str(artifacts / "teaching-chart-cancer-risk.png"))
    page.locator("#chart-sti_no_symptoms").screenshot(path=str(artifacts / "teaching-chart-sti.png"))
    assert_accessible(page, "charts")


def test_projector_mode_and_myths(page: Page, teaching_url: str, facilitator_url: str, artifacts: Path) -> None:
    open_teaching(page, teaching_url)
    body_size = page.locator(".spotting-teaching article.scenario").evaluate("e => getComputedStyle(e).fontSize")
    page.get_by_role("checkbox", name="Large type for a projector").check()
    expect(page.locator(".spotting-teaching.projector")).to_be_visible(timeout=UPDATE_MS)
    bigger = page.locator(".spotting-teaching article.scenario").evaluate("e => getComputedStyle(e).fontSize")
    assert float(bigger.removesuffix("px")) > float(body_size.removesuffix("px")) >= 18
    page.get_by_role("combobox", name="Show").select_option(label="Myths and facts")
    # The learner page: the session's myths only, and no answer to open before the room's vote.
    expect(page.locator(".myth")).to_have_count(3, timeout=UPDATE_MS)
    expect(page.locator(".myth details")).to_have_count(0)
    expect(page.get_by_text("The answer comes after the vote.").first).to_be_visible()
    # The facilitator's page: every myth, each answer folded and opened from the keyboard.
    open_teaching(page, facilitator_url)
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


SCREEN = {"width": 1280, "height": 720}


def bottom(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["y"] + box["height"]


def top(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["y"]


def test_the_presenter_layout_fits_a_1280x720_projector_and_next_goes_back_to_the_story(
    page: Page, teaching_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    """UX review finding 8: one scenario was 6-10 projector screens, each chart 1.6-1.9, and
    "Next scenario" left the room looking at the bottom of the last answer."""
    page.set_viewport_size(SCREEN)
    page.goto(teaching_url)
    expect(page.get_by_role("combobox", name=ADVISE)).to_be_visible(timeout=FIRST_LOAD_MS)
    page.get_by_role("checkbox", name="Large type for a projector").check()
    expect(page.locator("article.scenario details.answers")).to_be_attached(timeout=UPDATE_MS)
    second = knowledge.scenarios[1]
    page.get_by_role("button", name="Next scenario").click()
    heading = page.locator(f"#scenario-{second.id}-title")
    expect(heading).to_be_focused(timeout=UPDATE_MS)
    expect(heading).to_be_in_viewport()
    # The story and the quiz, from the card's top to the buttons, fit one screen.
    story, buttons = page.locator("article.scenario"), page.get_by_role("button", name="Next scenario")
    assert top(story) >= 0 and bottom(buttons) <= SCREEN["height"], (top(story), bottom(buttons))
    assert top(page.get_by_role("combobox", name=ADVISE)) >= 0
    page.screenshot(path=str(artifacts / "teaching-projector-story.png"))

    page.get_by_role("combobox", name=ADVISE).select_option(label="Get medical help today")
    page.get_by_role("button", name="Reveal the answer").click()
    feedback_title = page.locator("#feedback-title")
    expect(feedback_title).to_be_focused(timeout=UPDATE_MS)
    answer = page.locator("section.reveal")
    expect(answer).to_contain_text(second.teaching_point)
    first_view = max(bottom(page.locator(".feedback")), bottom(answer)) - top(page.locator(".feedback"))
    assert first_view <= SCREEN["height"], first_view
    expect(answer.get_by_text(second.teaching_point)).to_be_in_viewport()
    page.screenshot(path=str(artifacts / "teaching-projector-reveal.png"))

    page.get_by_role("combobox", name="Show").select_option(label="Charts")
    charts = page.locator(".spotting-chart")
    expect(charts.first).to_be_visible(timeout=UPDATE_MS)
    for index in range(charts.count()):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box is not None and box["height"] <= SCREEN["height"], (index, box)
        chart.screenshot(path=str(artifacts / f"teaching-projector-chart-{index + 1}.png"))
    icon = page.locator("#chart-sti_no_symptoms svg.person").first
    assert (icon.bounding_box() or {"height": 0})["height"] > 32  # icons grow with large type


def test_the_learner_page_has_no_mode_switch_and_no_notes(page: Page, teaching_url: str) -> None:
    open_teaching(page, teaching_url)
    expect(page.get_by_role("combobox", name="Mode")).to_have_count(0)
    expect(page.get_by_text("Facilitator notes")).to_have_count(0)
    page.get_by_role("combobox", name="Show").select_option(label="Handout")
    page.get_by_role("button", name="Make the handout").click()
    expect(page.get_by_role("status").filter(has_text="Reveal a scenario first")).to_be_visible(timeout=UPDATE_MS)
    expect(page.locator("a[download]")).to_have_count(0)


@pytest.fixture(scope="session")
def facilitator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = start_voila("notebooks/facilitator.ipynb", ROOT, tmp_path_factory.mktemp("voila-facilitator"))
    yield server.url
    stop_voila(server)


def test_the_facilitator_page_has_notes_reveals_without_choosing_and_makes_the_worksheet(
    page: Page, facilitator_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    open_teaching(page, facilitator_url)
    expect(page.locator("h1")).to_contain_text("(facilitator)")
    notes = page.locator("details").filter(has_text="Facilitator notes")
    expect(notes).to_be_visible()
    expect(notes).not_to_have_attribute("open", "")  # folded, so the room does not see it by accident
    page.get_by_role("button", name="Reveal the answer").click()
    expect(page.locator(".feedback")).to_have_attribute("data-verdict", "none", timeout=UPDATE_MS)
    page.get_by_role("combobox", name="Show").select_option(label="Handout")
    page.get_by_role("button", name="Make the learner worksheet").click()
    link = page.locator('a[download="spotting-worksheet.html"]')
    expect(link).to_be_visible(timeout=UPDATE_MS)
    with page.expect_download() as download_info:
        link.click()
    worksheet = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert knowledge.scenarios[0].story in worksheet and knowledge.scenarios[0].teaching_point not in worksheet
    page.screenshot(path=str(artifacts / "teaching-facilitator-handouts.png"))


def test_the_learner_page_in_arabic_from_the_address_at_phone_size(
    page: Page, teaching_url: str, artifacts: Path
) -> None:
    """?lang=ar (issue 23): the learner page's root is Arabic and right to left, its controls, its
    opening, its tab title and the unreviewed-translation line are Arabic (the line in English
    too). The screenshot is to look at."""
    from spotting import load_knowledge
    from spotting.teaching.intro import TITLE

    arabic = load_knowledge(lang="ar")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{teaching_url}?lang=ar")
    expect(page.get_by_role("combobox", name=arabic.phrase(ADVISE))).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator(".spotting-teaching[lang=ar][dir=rtl]")).to_be_attached(timeout=UPDATE_MS)
    expect(page.get_by_role("button", name=arabic.phrase("Reveal the answer"))).to_be_visible()
    expect(page.locator(".sp-notice [lang=en]")).to_contain_text("has not yet been checked by a clinician")
    expect(page.locator(".sp-intro[lang=ar][dir=rtl]")).to_contain_text(arabic.phrase("For learning, not diagnosis."))
    expect(page).to_have_title(arabic.phrase(TITLE))
    page.screenshot(path=str(artifacts / "teaching-learner-ar-phone-top.png"))
    page.get_by_role("button", name=arabic.phrase("Reveal the answer")).click()  # the hint, in Arabic
    expect(page.locator(".spotting-teaching")).to_contain_text(
        arabic.phrase("Choose a level in \u201cWhat would you advise?\u201d first, then reveal the answer."),
        timeout=UPDATE_MS,
    )
    page.screenshot(path=str(artifacts / "teaching-learner-ar-phone.png"), full_page=False)
    assert_accessible(page, "learner page in Arabic")


PAGE_TEXTS = """(args) => {
  const [selector, skipEnglish] = args;
  const root = document.querySelector(selector);
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent || parent.closest('style, script') || (skipEnglish && parent.closest('[lang="en"]'))) continue;
    const text = walker.currentNode.textContent.trim();
    if (text) out.push(text);
  }
  for (const element of root.querySelectorAll('[aria-label], [title], [placeholder]')) {
    if (skipEnglish && element.closest('[lang="en"]')) continue;
    for (const name of ['aria-label', 'title', 'placeholder']) {
      const value = element.getAttribute(name);
      if (value) out.push(value);
    }
  }
  return out;
}"""
"""Every text a page shows or speaks, one text node or label at a time (so two never join), and,
for a translated page, none inside an element marked lang="en" (source titles, the notice's
English half)."""


def sentences(texts: list[str]) -> set[str]:
    """The sentences of at least three words in ``texts`` (numbers and proper names are shorter)."""
    import re

    found = set()
    for text in texts:
        for part in re.split(r"(?<=[.!?:;])\s+", " ".join(text.split())):
            if len(re.findall(r"[^\W\d_]{2,}", part)) >= 3:
                found.add(part.strip().rstrip("."))
    return found


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_the_facilitator_page_in_another_language_leaves_no_english_sentence(
    page: Page, facilitator_url: str, artifacts: Path, language: str
) -> None:
    """?lang=cy and ?lang=ar on the facilitator page (issue 23): the page is in the language (its
    lang, Arabic right to left), the facilitator notes, the safeguarding script and the answer bank
    are translated, and no sentence of the English page is left anywhere in it, the hidden sections
    included, except what is marked lang="en" on purpose. The screenshots are to look at."""
    from spotting import load_knowledge
    from spotting.markup import LANGUAGE_LABEL, READ_IN_ENGLISH
    from spotting.teaching.app import NOTES_SUMMARY
    from spotting.teaching.plan import load_classroom

    local = load_knowledge(lang=language)
    say = local.phrase
    direction = "rtl" if language == "ar" else "ltr"
    root = f".spotting-teaching[lang={language}][dir={direction}]"

    open_teaching(page, facilitator_url)  # the English page first, to know its sentences
    expect(page.locator(".spotting-teaching")).to_contain_text("Facilitator notes", timeout=UPDATE_MS)
    english = sentences(page.evaluate(PAGE_TEXTS, [".spotting-teaching", False]))
    english |= sentences(page.evaluate(PAGE_TEXTS, ["body", False]))
    assert len(english) > 50  # the checker sees the page

    page.goto(f"{facilitator_url}?lang={language}")
    expect(page.get_by_role("combobox", name=say(ADVISE))).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator(root)).to_be_attached(timeout=UPDATE_MS)
    notes = page.locator("details").filter(has_text=say(NOTES_SUMMARY))
    expect(notes).to_be_visible()
    notes.locator("summary").click()
    expect(notes).to_contain_text(say("Facilitator notes"))
    expect(notes).to_contain_text(say("Ask: what in the story points to this level? What would make it more urgent?"))
    page.screenshot(path=str(artifacts / f"teaching-facilitator-{language}-notes.png"))

    show = page.get_by_role("combobox", name=say("Show"))
    show.select_option(label=say("Ground rules and safeguarding"))
    script = page.locator(".spotting-teaching").get_by_text(say("For you: if a learner tells you about abuse"))
    expect(script).to_be_visible(timeout=UPDATE_MS)
    script.click()  # unfold the disclosure script
    expect(page.locator(root)).to_contain_text(say("If a learner tells you about abuse (a disclosure)"))
    page.screenshot(path=str(artifacts / f"teaching-facilitator-{language}-safeguarding.png"))

    show.select_option(label=say("Questions from the room (private)"))
    bank = page.get_by_role("combobox", name=say("Answer from the bank"))
    expect(bank).to_be_visible(timeout=UPDATE_MS)
    answers = load_classroom(local).answers
    assert answers and all(a.question for a in answers)
    options = [" ".join(text.split()) for text in bank.locator("option").all_inner_texts()]  # widgets use nbsp
    assert [a.question for a in answers] == options[1:]
    english_questions = {a.question for a in load_classroom(load_knowledge()).answers}
    assert not english_questions & set(options)
    expect(page.get_by_role("button", name=say("Show this answer"))).to_be_visible()
    page.screenshot(path=str(artifacts / f"teaching-facilitator-{language}-bank.png"))

    here = sentences(page.evaluate(PAGE_TEXTS, ["body", True]))
    meant = {LANGUAGE_LABEL.rstrip("."), READ_IN_ENGLISH.rstrip(".")}  # the way back to English, in English
    left = sorted(here & english - meant)
    assert not left, f"{language}: English left on the facilitator page: {left[:8]}"
