"""Issue 19: the advice is where the person is looking, the way out is one tap, and the question
that speaks to you is one tap away. Driven with real input: the mouse wheel on a laptop and a
desktop, the keyboard at 200% and 400% zoom, touch on a phone held both ways.

"Seen" is hit-tested (tests/e2e/test_reach.py): the point tested lies inside the window and the
element painted there is the target, so a sticky bar or the quick exit covering it counts as hidden.
Nothing here waits on a clock: every wait is for something on the page to become true.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from spotting import Knowledge

from .conftest import ROOT, start_voila, stop_voila
from .drive import question
from .test_explorer import assert_accessible, heading_of
from .test_reach import seen

pytestmark = pytest.mark.browser

FIRST_LOAD_MS = 90_000
UPDATE_MS = 15_000
MAX_STEPS = 120
TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "spotting" / "quick_exit.html"
EXIT_URL = re.search(r'href="([^"]+)"[^>]*data-sp-exit', TEMPLATE.read_text(encoding="utf-8"))[1]  # type: ignore[index]
"""The neutral site, read from the one place it is written."""
NEUTRAL_PAGE = "<!doctype html><title>Weather</title><h1>Weather</h1>"


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    scale: float
    mode: str  # "wheel", "keyboard" or "touch"
    reduced_motion: bool = False


LAPTOP = Screen("laptop-1366x768", 1366, 768, 1, "wheel")
DESKTOP = Screen("desktop-1920x1080-reduced-motion", 1920, 1080, 1, "wheel", reduced_motion=True)
ZOOM_200 = Screen("zoom-200pc-1280x720", 640, 360, 2, "keyboard")
ZOOM_400 = Screen("zoom-400pc-1280x720", 320, 180, 4, "keyboard")
PHONE = Screen("phone-390x844", 390, 844, 3, "touch")
LANDSCAPE = Screen("phone-landscape-844x390", 844, 390, 3, "touch")
SCREENS = [LAPTOP, DESKTOP, ZOOM_200, ZOOM_400, PHONE, LANDSCAPE]


def open_page(browser: Browser, url: str, screen: Screen) -> Page:
    touch = screen.mode == "touch"
    context = browser.new_context(
        viewport={"width": screen.width, "height": screen.height},
        device_scale_factor=screen.scale,
        has_touch=touch,
        is_mobile=touch,
        reduced_motion="reduce" if screen.reduced_motion else "no-preference",
    )
    page = context.new_page()
    page.goto(url)
    expect(page.locator(".sp-results > [data-section=start]")).to_be_visible(timeout=FIRST_LOAD_MS)
    return page


def eventually(page: Page, check: Callable[[], bool], message: str) -> None:
    """Wait for something on the page to become true (a smooth scroll, an update), or fail."""
    for _ in range(150):
        if check():
            return
        page.wait_for_timeout(100)
    pytest.fail(message)


def care(page: Page) -> Locator:
    return page.locator(".sp-results > [data-section=care]")


def wheel_until(page: Page, done: Callable[[], bool], x: float, y: float, step: int = 240) -> bool:
    """Turn the mouse wheel with the pointer at (x, y) until ``done()``."""
    page.mouse.move(x, y)
    for _ in range(MAX_STEPS):
        if done():
            return True
        page.mouse.wheel(0, step)
        page.wait_for_timeout(50)
    return done()


def swipe_until(page: Page, done: Callable[[], bool], direction: int = 1) -> bool:
    """Drag a finger up the screen (Chromium's touch input, as tests/e2e/test_reach.py) until ``done()``."""
    viewport = page.viewport_size
    assert viewport is not None
    session = page.context.new_cdp_session(page)
    x, top, bottom = viewport["width"] / 2, viewport["height"] * 0.45, viewport["height"] * 0.85
    start, end = (bottom, top) if direction > 0 else (top, bottom)
    for _ in range(MAX_STEPS):
        if done():
            return True
        session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": start}]})
        for i in range(1, 7):
            y = start + (end - start) * i / 6
            session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
            page.wait_for_timeout(16)
        page.wait_for_timeout(120)
        session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(80)
    return done()


def tab_until(page: Page, done: Callable[[], bool]) -> bool:
    for _ in range(MAX_STEPS * 2):
        if done():
            return True
        page.keyboard.press("Tab")
    return done()


def centre(target: Locator) -> tuple[float, float]:
    box = target.bounding_box()
    assert box is not None
    return box["x"] + min(box["width"], 40) / 2, box["y"] + box["height"] / 2


def focused_in(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => !!document.activeElement?.closest(s)", selector))


# -- 1. a change of advice is seen where the person is ------------------------------------------


def answer_at_the_bottom(page: Page, knowledge: Knowledge, screen: Screen) -> None:
    """With the person's own input: read down the advice (wide screens), go down to the last group
    with a question that can make it an emergency, open it, answer it."""
    field = "low_lying_placenta"  # in "Pregnancy", far down the page; an emergency with a possible pregnancy
    wrapper = page.locator(f'.sp-form__question[data-field="{field}"]')
    fold = page.locator(f'details.sp-group:has([data-field="{field}"])')
    summary = fold.locator("> summary")
    yes = wrapper.locator("input[type=radio]").first  # "Yes" (by CSS: a folded question has no role yet)
    if screen.mode == "wheel":
        column = page.locator(".sp-results-column")
        box = column.bounding_box()
        assert box is not None
        # Reading the explanations first scrolls the advice column away from its card (the blocker).
        wheel_until(page, lambda: not seen(page, care(page).locator("h2")), box["x"] + box["width"] / 2, 600)
        questions = page.locator(".sp-questions--more").bounding_box()
        assert questions is not None
        x = questions["x"] + 40
        assert wheel_until(page, lambda: seen(page, summary, whole=False) or seen(page, yes, whole=False), x, 500)
        if not fold.evaluate("node => node.open"):
            page.mouse.click(*centre(summary))
        assert wheel_until(page, lambda: seen(page, yes, whole=False), x, 500, step=120)
        page.mouse.click(*centre(yes))
    elif screen.mode == "keyboard":
        assert tab_until(page, lambda: focused_in(page, f'details.sp-group:has([data-field="{field}"]) > summary'))
        if not fold.evaluate("node => node.open"):
            page.keyboard.press("Enter")
        assert tab_until(page, lambda: focused_in(page, f'[data-field="{field}"]'))
        page.keyboard.press("Space")  # the first radio is "Yes"
    else:
        assert swipe_until(page, lambda: seen(page, summary, whole=False) or seen(page, yes, whole=False))
        if not fold.evaluate("node => node.open"):
            page.touchscreen.tap(*centre(summary))
        assert swipe_until(page, lambda: seen(page, yes, whole=False))
        page.touchscreen.tap(*centre(yes))
    expect(yes).to_be_checked()
    expect(wrapper).to_be_visible()


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.name)
def test_a_change_to_an_emergency_at_the_bottom_is_seen_where_the_person_is(
    browser: Browser, explorer_url: str, knowledge: Knowledge, artifacts: Path, screen: Screen
) -> None:
    """UX review 3's blocker: the card became "Call 999" 793-3,491 px away from the person."""
    page = open_page(browser, explorer_url, screen)
    try:
        unsure = knowledge.questions["pregnant"].choice_labels["unsure"]
        question(page, knowledge, "pregnant").get_by_role("radio", name=unsure).check()
        expect(care(page)).to_have_attribute("data-urgency", "urgent", timeout=UPDATE_MS)
        answer_at_the_bottom(page, knowledge, screen)
        expect(care(page)).to_have_attribute("data-urgency", "emergency", timeout=UPDATE_MS)
        heading = heading_of(knowledge, "emergency")

        def shown() -> Locator | None:
            """Whatever shows the new level where the person is: the sticky bar or the card itself."""
            for candidate in (page.locator(".sp-banner [data-urgency]"), care(page).locator("h2")):
                if candidate.count() and heading in candidate.inner_text() and seen(page, candidate, whole=False):
                    return candidate
            return None

        card_top = "() => Math.round(document.querySelector('[data-section=care] h2').getBoundingClientRect().top)"
        eventually(
            page,
            lambda: shown() is not None,
            f"the new level is out of sight: the card is at {page.evaluate(card_top)} px",
        )
        bar = page.locator(".sp-banner [data-urgency]")
        first = bar.locator(".sp-bar__first")
        if first.count():  # the advice's first sentence, unless it only repeats the heading
            eventually(page, lambda: seen(page, first, whole=False), "the first sentence is covered or out of sight")
        focused = page.locator(":focus")
        eventually(page, lambda: seen(page, focused, whole=False), "the focused control is covered or off screen")
        if page.evaluate("() => getComputedStyle(document.querySelector('.sp-results-column')).overflowY") == "auto":
            # Two columns: the advice column is back at its card, heading and first sentence.
            card_heading = care(page).locator("h2")
            eventually(page, lambda: seen(page, card_heading), "the card's heading is out of view")
            sentence = care(page).locator(".sp-care__content p").first
            eventually(page, lambda: seen(page, sentence, whole=False), "the card's first sentence is out of view")
        page.screenshot(path=str(artifacts / f"19-1-{screen.name}-after-emergency-change.png"))
        if screen in (LAPTOP, PHONE):
            assert_accessible(page, f"emergency at the bottom, {screen.name}")
    finally:
        page.context.close()


# -- 2. quick exit -----------------------------------------------------------------------------


def neutral_site(page: Page) -> list[str]:
    """Answer the neutral site from here: the test never goes to the internet."""
    asked: list[str] = []

    def fulfil(route: Route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    page.route(re.compile("^" + re.escape(EXIT_URL)), fulfil)
    return asked


def expect_left_for_good(page: Page, url: str, asked: list[str]) -> None:
    expect(page).to_have_url(re.compile("^" + re.escape(EXIT_URL)), timeout=UPDATE_MS)
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    assert asked and all("?" not in address and "#" not in address for address in asked)  # nothing about the person
    page.go_back()
    assert not page.url.startswith(url), f"Back returned to the explorer: {page.url}"


def exit_button(page: Page) -> Locator:
    return page.get_by_role("link", name=re.compile("Exit this page"))


def test_quick_exit_is_on_the_first_phone_screen_and_while_scrolling_and_leaves_for_good(
    browser: Browser, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    page = open_page(browser, explorer_url, PHONE)
    try:
        asked = neutral_site(page)
        button = exit_button(page)
        eventually(page, lambda: seen(page, button), "the quick exit is not on the first screen")
        page.screenshot(path=str(artifacts / "19-2-phone-quick-exit-first-screen.png"))
        question(page, knowledge, "dizzy_or_faint").get_by_role("radio", name="No", exact=True).check()
        expect(care(page)).to_be_visible(timeout=UPDATE_MS)
        assert swipe_until(
            page, lambda: page.evaluate("() => document.querySelector('#rendered_cells').scrollTop") > 2500
        )
        assert seen(page, button), "the quick exit is covered or gone after scrolling"
        assert seen(page, page.locator(".sp-banner .sp-bar__level"), whole=False), "the exit covers the advice bar"
        page.screenshot(path=str(artifacts / "19-2-phone-quick-exit-scrolled.png"))
        see_why = page.locator(".sp-banner").get_by_role("link", name="See why")
        page.touchscreen.tap(*centre(see_why))  # moves to the card without a history entry to go Back to
        eventually(page, lambda: seen(page, care(page).locator("h2")), "See why did not bring the card into view")
        page.touchscreen.tap(*centre(button))
        expect_left_for_good(page, explorer_url, asked)
    finally:
        page.context.close()


@pytest.mark.parametrize("screen", [LAPTOP, ZOOM_400], ids=lambda s: s.name)
def test_shift_three_times_leaves_the_page_for_good(
    browser: Browser, explorer_url: str, knowledge: Knowledge, artifacts: Path, screen: Screen
) -> None:
    """GOV.UK Frontend's ExitThisPage shortcut; typing in between (a capital letter) starts again."""
    page = open_page(browser, explorer_url, screen)
    try:
        asked = neutral_site(page)
        eventually(page, lambda: seen(page, exit_button(page)), "the quick exit is not on the first screen")
        page.screenshot(path=str(artifacts / f"19-2-{screen.name}-quick-exit.png"))
        page.keyboard.press("Tab")
        said = page.locator(".sp-exit [aria-live]")  # as GOV.UK: how many presses are left, spoken
        dots = page.locator(".sp-exit__dots")  # and seen: GOV.UK's three dots fill as Shift is pressed
        expect(dots).to_be_hidden()
        page.keyboard.press("Shift")
        expect(said).to_have_text("Shift, press 2 more times to exit.")
        expect(dots.locator("[data-pressed]")).to_have_count(1)
        assert seen(page, dots), "the pressed count is not in view"
        page.keyboard.press("Shift")
        expect(said).to_have_text("Shift, press 1 more time to exit.")
        expect(dots.locator("[data-pressed]")).to_have_count(2)
        page.screenshot(path=str(artifacts / f"19-2-{screen.name}-quick-exit-two-presses.png"))
        page.keyboard.press("Shift+Tab")  # another key: the count starts again (Shift's own release is 1)
        expect(dots.locator("[data-pressed]")).to_have_count(1)
        page.keyboard.press("Shift")
        assert page.url.startswith(explorer_url) and not asked
        page.keyboard.press("Shift")
        page.keyboard.press("Shift")
        expect_left_for_good(page, explorer_url, asked)
    finally:
        page.context.close()


def test_quick_exit_blanks_the_page_at_once(browser: Browser, explorer_url: str, knowledge: Knowledge) -> None:
    """The neutral site may be slow: what was on screen goes in the same moment as the press, before
    the browser has even started to leave (checked inside the click's own task)."""
    page = open_page(browser, explorer_url, LAPTOP)
    try:
        asked = neutral_site(page)
        question(page, knowledge, "dizzy_or_faint").get_by_role("radio", name="No", exact=True).check()
        expect(care(page)).to_be_visible(timeout=UPDATE_MS)
        painted = page.evaluate(
            """() => {
                 document.querySelector("a[data-sp-exit]").click();
                 return [[0.5, 0.5], [0.1, 0.1], [0.8, 0.3], [0.3, 0.9]].map(([x, y]) =>
                   document.elementFromPoint(innerWidth * x, innerHeight * y)?.className).concat(document.title);
               }"""
        )
        assert painted == ["sp-exit-cover"] * 4 + ["Loading"], painted
        expect_left_for_good(page, explorer_url, asked)
    finally:
        page.context.close()


def test_the_learner_page_has_the_quick_exit_too(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, artifacts: Path
) -> None:
    server = start_voila("notebooks/teaching.ipynb", ROOT, tmp_path_factory.mktemp("learner-exit"))
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
        page = context.new_page()
        asked = neutral_site(page)
        page.goto(server.url)
        expect(page.get_by_role("main")).to_have_count(1, timeout=FIRST_LOAD_MS)
        button = exit_button(page)
        expect(button).to_be_visible(timeout=FIRST_LOAD_MS)
        eventually(page, lambda: seen(page, button), "the quick exit is not on the first screen")
        page.screenshot(path=str(artifacts / "19-2-learner-quick-exit.png"))
        page.touchscreen.tap(*centre(button))
        expect_left_for_good(page, server.url, asked)
        context.close()
    finally:
        stop_voila(server)


# -- 3. the question that speaks to you, in one tap ---------------------------------------------


def test_the_first_choice_reaches_the_assault_question_and_age_in_one_tap(
    browser: Browser, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    page = open_page(browser, explorer_url, PHONE)
    try:
        route = next(route for route in knowledge.routes if route.field == "not_consensual")
        button = page.get_by_role("button", name=route.label)
        eventually(
            page, lambda: seen(page, button), "the first choice is not on the first phone screen"
        )  # on the first phone screen, no scrolling
        page.screenshot(path=str(artifacts / "19-3-phone-first-choice.png"))
        page.touchscreen.tap(*centre(button))  # the one tap
        assault = question(page, knowledge, "not_consensual")
        age = question(page, knowledge, "age")
        expect(assault).to_be_visible()
        eventually(page, lambda: seen(page, assault.locator("legend"), whole=False), "the assault question is not seen")
        assert focused_in(page, '[data-field="not_consensual"]')
        expect(age).to_be_visible()  # its group ("About you", the first after the emergency check) is open too
        page.screenshot(path=str(artifacts / "19-3-phone-after-one-tap.png"))
        assert swipe_until(page, lambda: seen(page, age, whole=False), direction=-1), "age is out of reach"
        expect(care(page)).to_have_count(0)  # nothing was answered for them
        assert_accessible(page, "after the first choice")
    finally:
        page.context.close()


# -- 8. beyond axe -------------------------------------------------------------------------------


def unnamed_groups(page: Page) -> list[str]:
    """Groups without a name in Chromium's accessibility tree (what a screen reader gets). A
    ``<details>`` is a group there, and is not named by its summary."""
    session = page.context.new_cdp_session(page)
    found = []
    for node in session.send("Accessibility.getFullAXTree")["nodes"]:
        if node.get("ignored") or node.get("role", {}).get("value") != "group" or node.get("name", {}).get("value"):
            continue
        described = session.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]
        attributes = described.get("attributes", [])
        named = dict(zip(attributes[::2], attributes[1::2], strict=True))
        found.append(f"{described['nodeName']}.{named.get('class', '')}")
    return found


def test_one_main_landmark_and_every_group_named(page: Page, explorer_url: str, knowledge: Knowledge) -> None:
    """UX review 3: no main landmark and 6 unnamed groups (the folds, the causes, the folded sections)."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(explorer_url)
    expect(page.locator(".sp-results > [data-section=start]")).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.get_by_role("main")).to_have_count(1)
    unsure = knowledge.questions["pregnant"].choice_labels["unsure"]
    question(page, knowledge, "pregnant").get_by_role("radio", name=unsure).check()
    expect(care(page)).to_have_attribute("data-urgency", "urgent", timeout=UPDATE_MS)
    expect(page.locator("[data-section=causes] details").first).to_be_attached()
    assert not unnamed_groups(page), unnamed_groups(page)


def test_the_focus_ring_is_never_clipped_at_the_page_edge(page: Page, explorer_url: str) -> None:
    """UX review 3 (Pat, 200% zoom): the ring was cut off at the left edge. Focus every control at
    the left edge with the keyboard and check no ancestor clips its ring (3 px outline + 6 px shadow)."""
    page.set_viewport_size({"width": 640, "height": 360})
    page.goto(explorer_url)
    expect(page.locator(".sp-results > [data-section=start]")).to_be_visible(timeout=FIRST_LOAD_MS)
    clipped: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
              const el = document.activeElement; if (!el || el === document.body) return null;
              const r = el.getBoundingClientRect(); const ring = 9;
              for (let n = el.parentElement; n; n = n.parentElement) {
                const cs = getComputedStyle(n);
                if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
                  const c = n.getBoundingClientRect();
                  if (r.left - ring < c.left || r.right + ring > c.right)
                    return (el.id || el.className || el.tagName) + ' in ' + (n.id || n.className);
                }
              }
              return '';
            }"""
        )
        if where:
            clipped.append(where)
    assert not clipped, f"focus rings clipped: {sorted(set(clipped))[:5]}"


def test_two_quick_changes_are_announced_once_with_the_number_to_call(
    page: Page, explorer_url: str, knowledge: Knowledge
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(explorer_url)
    expect(page.locator(".sp-results > [data-section=start]")).to_be_visible(timeout=FIRST_LOAD_MS)
    status = page.get_by_role("status")
    status.evaluate(
        """node => { window.spoken = [];
             new MutationObserver(() => window.spoken.push(node.textContent)).observe(node,
               { childList: true, characterData: true, subtree: true }); }"""
    )
    pregnant = knowledge.questions["pregnant"].choice_labels["yes"]
    radios = [
        question(page, knowledge, "pregnant").get_by_role("radio", name=pregnant, exact=True),
        question(page, knowledge, "dizzy_or_faint").get_by_role("radio", name="Yes", exact=True),
    ]
    handles = [radio.element_handle() for radio in radios]
    page.evaluate("inputs => inputs.forEach(input => input.click())", handles)  # in one go: two quick changes
    expect(care(page)).to_have_attribute("data-urgency", "emergency", timeout=UPDATE_MS)
    expect(status).to_contain_text(heading_of(knowledge, "emergency"), timeout=UPDATE_MS)
    expect(status).to_contain_text("999 in the UK")  # no region chosen: every number, in words
    assert page.evaluate("() => window.spoken.filter(Boolean).length") == 1, page.evaluate("() => window.spoken")
