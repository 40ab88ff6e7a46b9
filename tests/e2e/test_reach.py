"""Every part of the result can be brought into view the way a person does it.

Only real input moves the page here: the mouse wheel (Chromium's own wheel events) on a laptop,
a desktop and at 200% zoom, and a touch swipe (Chromium's synthesized touch scroll gesture) on a
phone. No ``scroll_into_view``: a script can scroll a box that a person cannot, which is exactly
how a results column cut off at one screen height passed the earlier tests unnoticed.

"Visible" means the heading lies inside the window and is the element actually painted at its
centre, so something covering it (a sticky banner) counts as hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from spotting import Knowledge

from .drive import choose

pytestmark = pytest.mark.browser

FIRST_LOAD_MS = 90_000
UPDATE_MS = 15_000
WHEEL_STEP_PX = 240
MAX_STEPS = 80
"""80 notches of 240 px is 19,200 px: far more than any result; a person would give up sooner."""

SECTIONS = ("care", "red-flags", "causes", "would-change", "unanswered", "sources")
"""Every section of a full result, top to bottom (see spotting.explorer.results.render_results)."""

# Answers that make every section appear: a red flag, causes, would-change and open questions.
ANSWERS = {"pregnant": "Not sure (period late or could be pregnant)", "how_often": "It has happened before"}


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    scale: float = 1
    touch: bool = False


LAPTOP = Screen("laptop-1366x768", 1366, 768)
DESKTOP = Screen("desktop-1920x1080", 1920, 1080)
ZOOM_200 = Screen("laptop-at-200pc-zoom", 683, 384, scale=2)  # 1366x768 at 200%: half the CSS pixels
PHONE = Screen("phone-390x844", 390, 844, scale=3, touch=True)


def open_page(browser: Browser, url: str, screen: Screen) -> Page:
    context = browser.new_context(
        viewport={"width": screen.width, "height": screen.height},
        device_scale_factor=screen.scale,
        has_touch=screen.touch,
        is_mobile=screen.touch,
    )
    page = context.new_page()
    page.goto(url)
    expect(section(page, "start")).to_be_visible(timeout=FIRST_LOAD_MS)
    return page


def section(page: Page, name: str) -> Locator:
    return page.locator(f".sp-results > [data-section={name}]")


def heading(page: Page, name: str) -> Locator:
    return section(page, name).locator("h2").first


def seen(page: Page, target: Locator, *, whole: bool = True) -> bool:
    """Inside the window and not covered: the element painted there is the target.

    The point tested is the middle of the target's first line box, so a heading that wraps (or
    sits inline in a disclosure's summary) is tested on its own text. ``whole=False`` asks only
    that this point be on screen and uncovered (WCAG 2.4.11 forbids a focused control being
    *entirely* hidden; the browser may leave a sliver past the edge).
    """
    box = target.bounding_box()
    viewport = page.viewport_size
    if box is None or viewport is None:
        return False
    first = target.evaluate(
        "el => { const r = el.getClientRects()[0] || el.getBoundingClientRect();"
        " return [r.left + Math.min(r.width, 40) / 2, r.top + r.height / 2]; }"
    )
    x, y = first
    top, bottom = (box["y"], box["y"] + box["height"]) if whole else (y, y)
    if top < 0 or bottom > viewport["height"] or not 0 <= y <= viewport["height"]:
        return False
    return bool(target.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))", [x, y]))


def pointer_over_results(page: Page) -> tuple[float, float]:
    """Where a person puts the pointer to scroll the advice: over the care card's column."""
    box = section(page, "care").bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    return box["x"] + box["width"] / 2, viewport["height"] * 0.6


def wheel_until_seen(page: Page, target: Locator, direction: int = 1) -> int:
    """Turn the mouse wheel over the advice until ``target`` is seen; return the notches used."""
    x, y = pointer_over_results(page)
    page.mouse.move(x, y)
    for step in range(MAX_STEPS):
        if seen(page, target):
            return step
        page.mouse.wheel(0, direction * WHEEL_STEP_PX)
        page.wait_for_timeout(60)
    return -1


def swipe_until_seen(page: Page, target: Locator, direction: int = 1) -> int:
    """Drag a finger up (to read on) or down (to go back) until ``target`` is seen.

    Raw touch events through Chromium's input pipeline, as a phone sends them: touch start, a
    few moves over half the screen, a pause (so the page does not fling past a heading), touch end.
    """
    viewport = page.viewport_size
    assert viewport is not None
    session = page.context.new_cdp_session(page)
    x, top, bottom = viewport["width"] / 2, viewport["height"] * 0.3, viewport["height"] * 0.8
    start, end = (bottom, top) if direction > 0 else (top, bottom)
    for step in range(MAX_STEPS):
        if seen(page, target):
            return step
        session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": start}]})
        for i in range(1, 9):
            y = start + (end - start) * i / 8
            session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
            page.wait_for_timeout(16)
        page.wait_for_timeout(150)
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": end}]})
        session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(120)
    return -1


@pytest.mark.parametrize("screen", [LAPTOP, DESKTOP, ZOOM_200, PHONE], ids=lambda s: s.name)
def test_every_part_of_the_result_can_be_scrolled_into_view(
    browser: Browser, explorer_url: str, knowledge: Knowledge, artifacts: Path, screen: Screen
) -> None:
    page = open_page(browser, explorer_url, screen)
    try:
        for field, option in ANSWERS.items():
            choose(page, knowledge, field, option)
        expect(section(page, "care")).to_have_attribute("data-urgency", "urgent", timeout=UPDATE_MS)
        for name in SECTIONS:
            expect(section(page, name)).to_have_count(1)
        scroll = swipe_until_seen if screen.touch else wheel_until_seen
        # Answering leaves a person where the question was, which may be below the advice: they
        # scroll back up to it first (if it is already above the fold, this does nothing).
        scroll(page, heading(page, "care"), direction=-1)
        for name in SECTIONS:
            steps = scroll(page, heading(page, name))
            if steps < 0:
                page.screenshot(path=str(artifacts / f"reach-{screen.name}-{name}-FAILED.png"))
            assert steps >= 0, f"{screen.name}: could not scroll '{name}' into view with real input"
        # The open questions start folded (short first, detail on demand): open them as a person
        # does, with a tap or a click on the heading, then read on to the last one.
        summary = section(page, "unanswered").locator("summary")
        assert scroll(page, summary, direction=-1) >= 0 or scroll(page, summary) >= 0
        box = summary.bounding_box()
        assert box is not None
        x, y = box["x"] + 20, box["y"] + box["height"] / 2
        page.touchscreen.tap(x, y) if screen.touch else page.mouse.click(x, y)
        last = section(page, "unanswered").locator("li").last
        expect(last).to_be_attached()
        assert scroll(page, last) >= 0, f"{screen.name}: the last open question is out of reach"
        page.screenshot(path=str(artifacts / f"reach-{screen.name}-end.png"))
        # And back again: the advice itself is never lost off the top.
        assert scroll(page, heading(page, "care"), direction=-1) >= 0, f"{screen.name}: the care card is lost"
        page.screenshot(path=str(artifacts / f"reach-{screen.name}-back-to-advice.png"))
    finally:
        page.context.close()


def test_a_focused_control_is_never_hidden_under_the_sticky_banner(
    browser: Browser, explorer_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    """WCAG 2.2 2.4.11: Tab forwards through every question, then Shift+Tab back, on a phone."""
    page = open_page(browser, explorer_url, PHONE)
    try:
        banner = page.locator(".sp-banner")
        choose(page, knowledge, "pregnant", "Not sure (period late or could be pregnant)")
        expect(section(page, "care")).to_have_attribute("data-urgency", "urgent", timeout=UPDATE_MS)
        expect(banner).to_be_visible()  # the bar shows from the first answer (empty, it takes no room)
        page.locator(".sp-region select").focus()
        # One Tab stop per question (a radio group is one stop) and the region; then back again.
        controls = page.locator(".sp-form__question:visible").count() + 1
        hidden: list[str] = []
        for key in ["Tab"] * (controls - 1) + ["Shift+Tab"] * (controls - 1):
            page.keyboard.press(key)
            page.wait_for_timeout(30)
            focused = page.locator(":focus")
            if focused.count() and not seen(page, focused, whole=False):
                hidden.append(f"{key} -> {focused.get_attribute('id') or focused.inner_text()[:40]}")
                page.screenshot(path=str(artifacts / f"focus-hidden-{len(hidden)}.png"))
        assert not hidden, f"focused controls hidden under the banner or off screen: {hidden}"
    finally:
        page.context.close()
