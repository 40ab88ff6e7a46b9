"""Benchmark the static site (Voici + Pyodide, in the browser) beside the Voila explorer.

Not a test: it prints numbers. Run ``.venv/bin/python bench/static.py`` (``make bench`` does).

In headless Chromium (/usr/bin/chromium), for the explorer of each kind:
* navigation -> first advice visible (the start card), **cold** (a new browser profile: empty
  cache), on a **second visit** (a new tab in the same profile, once the offline worker has saved
  the site: every file comes from that saved copy; for Voila, a preheated kernel instead) and
  **offline** (the same profile with its connection cut: a reload with no network at all);
* change -> updated advice, timed inside the page from the change event to the DOM update (a
  MutationObserver sees the new care card: the method of the issue's reference numbers, in
  voici-notes), and to the next animation frame after it, which adds the wait for the display's
  next frame (0 to 16.7 ms at 60 Hz, whatever the page does); median and p95;
* for the static site: the build time and dist/ size.

The static site's Python starts from the memory snapshot the build makes
(spotting_host/static_snapshot.py); docs/static-site.md, "Speed", has the numbers before and after.

Targets (issue 11): static change p95 <= 20 ms, first advice <= 5 s cold and <= 3 s on a
second visit; dist/ <= 40 MB. Issue 24: second visit (from the saved copy) <= 2 s, offline <= 3 s,
dist/ <= 45 MB. Printed beside the measures, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium import launch_options, missing
from dashboard import (  # bench/ is not a package: reuse the Voila benchmark's pieces
    ROOT,
    Target,
    first_visible,
    p95,
    voila,
)

from spotting import load_knowledge
from spotting_host.serve import STATIC_PAGES, static_server
from spotting_host.static_site import build, largest_parts, total_size

START = ".sp-results [data-section=start]"

SAVED = """async () => {
  const worker = (await navigator.serviceWorker.ready).active;
  while (worker.state !== "activated") {
    await new Promise(done => worker.addEventListener("statechange", done, { once: true }));
  }
}"""
"""Resolves once the offline worker is active: Workbox activates it after saving every file."""


def explorer_target() -> Target:
    questions = load_knowledge().questions
    return Target(
        "explorer",
        ROOT / "notebooks" / "explorer.ipynb",
        ROOT,
        START,
        questions["dizzy_or_faint"].label,
        (questions["age"].label, "30"),
    )


def toggles(page: Page, target: Target, count: int) -> dict[str, list[float]]:
    """Change -> new advice in the DOM ("toggle") and -> the next animation frame ("frame")."""
    target.prepare(page)
    for _ in range(3):  # warm up before timing
        target.toggle(page, 0)
        target.toggle(page, 1)
    timings = [target.toggle_explorer(page, step) for step in range(count)]
    return {"toggle": [dom for dom, _ in timings], "frame": [frame for _, frame in timings]}


def measure_static(playwright: Playwright, url: str, loads: int, count: int, scratch: Path) -> dict[str, list[float]]:
    """Cold: a new browser profile each time. Second visit: a new tab in the same profile.

    A real profile on disk, not Playwright's incognito-like context: that one keeps its cache in
    memory and refetched the 8.7 MB pyodide.asm.wasm on every visit, which a returning visitor's
    browser does not do."""
    result: dict[str, list[float]] = {"cold": [], "second": [], "offline": [], "toggle": [], "frame": []}
    target = explorer_target()
    for index in range(loads):
        context = playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="profile-", dir=scratch),
            **launch_options(),
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        page.locator(START).wait_for(state="visible", timeout=120_000)
        result["cold"].append((time.perf_counter() - start) * 1000)
        if index == 0:
            result.update(toggles(page, target, count))
        page.evaluate(SAVED)  # the offline worker has saved the whole site (not timed)
        page.close()
        for key in ("second", "offline"):
            context.set_offline(key == "offline")
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url)
            page.locator(START).wait_for(state="visible", timeout=120_000)
            result[key].append((time.perf_counter() - start) * 1000)
            page.close()
        context.close()
    return result


def measure_voila(browser: Browser, loads: int, count: int, scratch: Path) -> dict[str, list[float]]:
    target = explorer_target()
    result: dict[str, list[float]] = {"cold": [], "second": [], "offline": [], "toggle": [], "frame": []}
    with voila(target, preheat=False, scratch=scratch) as (url, _server):
        for index in range(loads):
            elapsed, page = first_visible(browser, url, START)
            result["cold"].append(elapsed)
            if index == 0:
                result.update(toggles(page, target, count))
            page.close()
    with voila(target, preheat=True, scratch=scratch) as (url, _server):
        for _ in range(loads):
            elapsed, page = first_visible(browser, url, START)
            result["second"].append(elapsed)
            page.close()
            time.sleep(12)  # the pool refills before the next visitor
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=3, help="page loads per measure (default 3)")
    parser.add_argument("--toggles", type=int, default=40, help="changes timed per explorer (default 40)")
    parser.add_argument("--dist", type=Path, default=None, help="a built site (default: build one now)")
    parser.add_argument("--no-voila", action="store_true", help="measure the static site only")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]  # a shared machine: say how busy it was, before and after
    if missing():
        sys.exit(missing())
    with tempfile.TemporaryDirectory(prefix="spotting-bench-static-") as scratch_dir:
        scratch = Path(scratch_dir)
        dist = args.dist
        build_seconds = None
        if dist is None:
            dist = scratch / "dist"
            build_seconds = build(dist)
        server = static_server(dist, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{STATIC_PAGES['explorer']}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            try:
                static = measure_static(playwright, url, args.loads, args.toggles, scratch)
                served = None if args.no_voila else measure_voila(browser, args.loads, args.toggles, scratch)
            finally:
                browser.close()
                server.shutdown()
        size = total_size(dist)
        parts = largest_parts(dist, 8)
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {load_at_start:.1f} at start, {os.getloadavg()[0]:.1f} at the end"
    )
    if build_seconds is not None:
        print(f"static build: {build_seconds:.1f} s")
    print(f"dist/ size: {size / 1e6:.1f} MB (target <= 45 MB with the offline app); largest parts:")
    for name, bytes_ in parts:
        print(f"  {bytes_ / 1e6:6.2f} MB  {name}")
    median = statistics.median
    print(f"{'measure':44} {'static':>10} {'voila':>10}  target (static)")
    rows = [
        ("first advice, cold (median ms)", "cold", median, "<= 5000"),
        ("first advice, cold (max ms)", "cold", max, ""),
        ("first advice, second visit (median ms)", "second", median, "<= 2000 from the saved copy (voila: preheated)"),
        ("first advice, offline reload (median ms)", "offline", median, "<= 3000 (voila: none offline)"),
        ("change -> advice in the DOM (median ms)", "toggle", median, ""),
        ("change -> advice in the DOM (p95 ms)", "toggle", p95, "<= 20"),
        ("change -> next frame after it (median ms)", "frame", median, ""),
        ("change -> next frame after it (p95 ms)", "frame", p95, ""),
    ]
    for name, key, statistic, target in rows:
        theirs = f"{statistic(served[key]):10.1f}" if served and served[key] else f"{'-':>10}"
        print(f"{name:44} {statistic(static[key]):10.1f} {theirs}  {target}")
    print("raw (ms):", {"static": {k: [round(v) for v in static[k]] for k in ("cold", "second", "offline")}}, end="")
    print("", {"voila": {k: [round(v) for v in served[k]] for k in ("cold", "second")}} if served else "")


if __name__ == "__main__":
    main()
