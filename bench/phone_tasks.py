"""The UX review's phone tasks, measured: taps and screens to a complete answer, what the first
screen of advice holds, and what a screen reader hears per change.

Serves the explorer with ``spotting serve`` and drives it in Debian's Chromium as a 390x844 touch
phone. For each task it starts at the top of the page, taps every answer a person would give
(opening a folded group counts as a tap; typing a number counts one tap for the box and a key per
digit), and adds up how far the page had to scroll to bring each control, and then the care card,
into view. It prints a table; nothing is asserted (numbers, not pass/fail, as every benchmark here).

    .venv/bin/python bench/phone_tasks.py

The review measured the old dropdown form by hand: 12-18 taps plus a 90-row wheel for the first
task, the care card 4.8 screens down (5.7 when pregnant), 1,838-2,347 words and 30-50 links per
result, and 6,228-9,835 characters announced per change.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from chromium import launch_options
from classroom import serve
from dashboard import stop
from playwright.sync_api import Page, sync_playwright

from spotting import load_knowledge

PHONE = {"width": 390, "height": 844}
TASKS: dict[str, list[tuple[str, str]]] = {
    # Persona 1: 24, on the pill, a new partner, it has happened before, not pregnant.
    "24, on the pill, new partner": [
        ("pregnant", "No, I do not think so"),
        ("age", "24"),
        ("how_often", "It has happened before"),
        ("contraception", "Combined pill, patch or ring"),
        ("sti_risk", "Yes"),
    ],
    # Persona 1 again, 7 weeks pregnant.
    "7 weeks pregnant": [("pregnant", "Yes"), ("weeks_pregnant", "7")],
    # Persona 2: 58, after the menopause, on a phone this time.
    "58, after the menopause": [
        ("age", "58"),
        ("menopause", "Yes, no period for 12 months or more"),
        ("how_often", "It has happened before"),
    ],
}


@dataclass
class Result:
    task: str
    taps: int = 0
    keys: int = 0
    scrolled_px: float = 0.0
    card_screens_from_top: float = 0.0
    first_screen_words: int = 0
    first_screen_links: int = 0
    announced: list[int] = field(default_factory=list)
    axe_serious: int = 0


def scroll_top(page: Page) -> float:
    """Voila scrolls a panel, not the document: the largest scrollTop on the page is the one."""
    return float(
        page.evaluate(
            "() => Math.max(document.scrollingElement.scrollTop,"
            " ...[...document.querySelectorAll('*')].filter(n => n.scrollHeight > n.clientHeight + 1)"
            ".map(n => n.scrollTop))"
        )
    )


def bring_into_view(page: Page, selector_js: str, result: Result) -> None:
    """Scroll as a person would (the distance is what counts) so the element sits mid-screen."""
    before = scroll_top(page)
    page.evaluate(f"() => ({selector_js}).scrollIntoView({{block: 'center'}})")
    page.wait_for_timeout(50)
    result.scrolled_px += abs(scroll_top(page) - before)


def answer(page: Page, field_name: str, option: str, kind: str, result: Result) -> None:
    fold = page.locator(f'details.sp-group:has([data-field="{field_name}"])').first
    if fold.count() and not fold.evaluate("node => node.open"):
        summary = f'document.querySelector(\'details.sp-group:has([data-field="{field_name}"]) > summary\')'
        bring_into_view(page, summary, result)
        fold.locator("> summary").tap()
        result.taps += 1
    wrapper = f'document.querySelector(\'[data-field="{field_name}"]\')'
    bring_into_view(page, wrapper, result)
    announcer = page.locator(".sp-announcement")
    before = announcer.text_content() or ""
    if kind == "integer":
        box = page.locator(f'[data-field="{field_name}"] input[type=text]')
        box.tap()
        box.type(option)
        box.press("Enter")
        result.taps += 1
        result.keys += len(option) + 1
    else:
        exact = re.compile(f"^{re.escape(option)}$")
        label = page.locator(f'[data-field="{field_name}"] > fieldset label', has_text=exact)
        label.first.tap()
        result.taps += 1
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (announcer.text_content() or "") == before:
        page.wait_for_timeout(50)
    result.announced.append(len(announcer.text_content() or ""))


def first_screen(page: Page, result: Result) -> None:
    """Scroll the care card to the top: count the words and links a phone shows in one screen."""
    bring_into_view(page, "document.querySelector('.sp-results > [data-section=care]')", result)
    card = "document.querySelector('.sp-results > [data-section=care]')"
    top = float(page.evaluate(f"() => {card}.getBoundingClientRect().top"))
    result.card_screens_from_top = (scroll_top(page) + top) / PHONE["height"]
    page.evaluate(f"() => {card}.scrollIntoView({{block: 'start'}})")
    counts = page.evaluate(
        """() => {
          const inView = (r) => r.bottom > 0 && r.top < window.innerHeight && r.width > 0;
          const region = document.querySelector('.sp-results');
          const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
          let words = 0;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange(); range.selectNodeContents(node);
            if (inView(range.getBoundingClientRect()) && node.parentElement.offsetParent !== null)
              words += node.textContent.split(/\\s+/).filter(Boolean).length;
          }
          const links = [...region.querySelectorAll('a')].filter(a => inView(a.getBoundingClientRect())).length;
          return [words, links];
        }"""
    )
    result.first_screen_words, result.first_screen_links = int(counts[0]), int(counts[1])


def run_task(page: Page, url: str, name: str, steps: list[tuple[str, str]]) -> Result:
    knowledge = load_knowledge()
    result = Result(name)
    page.goto(url)
    page.locator(".sp-results > [data-section=start]").wait_for(timeout=120_000)
    for field_name, option in steps:
        answer(page, field_name, option, knowledge.questions[field_name].kind, result)
    page.locator(".sp-results > [data-section=care]").wait_for(timeout=15_000)
    first_screen(page, result)
    violations = Axe().run(page).response["violations"]
    result.axe_serious = sum(1 for v in violations if v["impact"] in ("serious", "critical"))
    return result


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="phone-tasks-") as scratch:
        url, server, _log = serve(1, Path(scratch))  # spotting serve explorer, with a private HOME
        try:
            results = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(**launch_options())
                for name, steps in TASKS.items():
                    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=3)
                    results.append(run_task(context.new_page(), url, name, steps))
                    context.close()
                browser.close()
        finally:
            stop(server)
    print("| task (390x844 phone) | taps | keys | screens scrolled | care card from top (screens) "
          "| words / links on the first screen of advice | characters announced per change | axe serious |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        screens = r.scrolled_px / PHONE["height"]
        print(
            f"| {r.task} | {r.taps} | {r.keys} | {screens:.1f} | {r.card_screens_from_top:.1f} "
            f"| {r.first_screen_words} / {r.first_screen_links} | {min(r.announced)}-{max(r.announced)} "
            f"| {r.axe_serious} |"
        )


if __name__ == "__main__":
    main()
