"""How many A4 pages each printed teaching document takes: the worksheet, the facilitator handout
and the session handout, as Chromium prints them (print CSS on, A4, default margins).

Not a test: it prints numbers. Run ``.venv/bin/python bench/handout_pages.py``. Why it exists:
the worksheet printed every scenario and myth (28 A4 pages a learner, UX review problem 7); it
now prints the session's chosen ones, and this shows the count for both, so the claim in
docs/teaching-session.md ("about 4 pages") is measured, not guessed.
"""

from __future__ import annotations

import re

from dashboard import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

from spotting import load_knowledge
from spotting.teaching.charts import charts_html
from spotting.teaching.pages import facilitator_handout_html, handout_html, worksheet_html
from spotting.teaching.plan import load_classroom


def pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium made (each page object has ``/Type /Page``)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def main() -> None:
    knowledge = load_knowledge(region="GB")
    plan = load_classroom(knowledge).plan
    chosen = {"scenario_ids": plan.scenario_ids, "myth_ids": plan.myth_ids}
    every = {"scenario_ids": None, "myth_ids": None}
    documents = {
        "worksheet, every scenario and myth": worksheet_html(knowledge, **every),
        "worksheet, the session's 4 and 3": worksheet_html(knowledge, **chosen),
        "facilitator handout, every one": facilitator_handout_html(knowledge, **every),
        "facilitator handout, the session's": facilitator_handout_html(knowledge, **chosen),
        "session handout, the session's": handout_html([], knowledge, charts_html=charts_html(knowledge), **chosen),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        print(f"{'document':45} A4 pages")
        for name, html in documents.items():
            page.set_content(html)
            print(f"{name:45} {pages(page.pdf(format='A4')):>8}")
        browser.close()


if __name__ == "__main__":
    main()
