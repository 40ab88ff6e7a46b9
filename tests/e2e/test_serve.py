"""``spotting serve`` under classroom conditions: pages close, kernels go; too many arrive, the rest keep working.

Each test starts its own server with the command ``make dashboard`` runs, so the preheated pool,
the kernel limit and the page template are the ones a class gets. Kernels are counted as the
server's ``ipykernel`` child processes. No timing is asserted; the waits below are deadlines for
something that must happen, not measurements.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from spotting import Knowledge, serve

from .conftest import VoilaServer, kernel_processes
from .test_explorer import assert_accessible, choose, expect_urgency, open_explorer, start_card

pytestmark = pytest.mark.browser

FREED_WITHIN_SECONDS = 30


def wait_for_kernels(server: VoilaServer, count: int, seconds: float) -> int:
    """Poll until the server has ``count`` kernels or the deadline passes; the last count seen."""
    deadline = time.monotonic() + seconds
    while True:
        now = len(kernel_processes(server))
        if now == count or time.monotonic() > deadline:
            return now
        time.sleep(0.25)


def test_closed_pages_give_their_kernels_back_within_seconds(
    browser: Browser, serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """voila#1458: the close beacon used to be refused (403, no _xsrf), so kernels lived 15 minutes."""
    # A pool of 2 and room for all 10 pages: the count can only fall back to 2 if the pages' kernels go.
    server = serve_factory(tmp_path_factory.mktemp("beacon-sandbox"), "--learners", "2", "--max-kernels", "20")
    pool_size = serve.pool_size_for(2)
    try:
        context = browser.new_context()
        pages = [context.new_page() for _ in range(10)]
        for page in pages:
            page.goto(server.url, wait_until="commit")
        for page in pages:
            expect(start_card(page)).to_be_visible(timeout=120_000)
        assert len(kernel_processes(server)) >= 10
        for page in pages:
            page.close(run_before_unload=True)  # what closing a tab does: beforeunload runs
        left = wait_for_kernels(server, pool_size, FREED_WITHIN_SECONDS)
        context.close()
        assert left == pool_size, f"{left} kernels {FREED_WITHIN_SECONDS} s after closing 10 pages (pool {pool_size})"
        assert "403 POST /voila/api/shutdown" not in server.output()
        assert server.output().count("Kernel shutdown") >= 10
    finally:
        server.stop()


def test_beyond_the_kernel_limit_a_visitor_gets_a_busy_page_and_learners_keep_working(
    browser: Browser,
    page: Page,
    knowledge: Knowledge,
    serve_factory: Callable[..., VoilaServer],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """150 rapid page requests from one client that never closes a page (a script, a stuck reload)."""
    limit = 5
    server = serve_factory(tmp_path_factory.mktemp("limit-sandbox"), "--max-kernels", str(limit))
    peak = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, len(kernel_processes(server)))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    try:
        open_explorer(page, server.url)  # a learner who was already in
        choose(page, knowledge, "age", "30")
        expect_urgency(page, "routine")
        watcher.start()
        statuses: list[int] = []
        busy: list[tuple[str | None, str]] = []
        for _ in range(150):
            try:
                with urllib.request.urlopen(server.url, timeout=120) as response:
                    statuses.append(response.status)
                    response.read()
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
                busy.append((error.headers.get("Retry-After"), error.read().decode()))
        stop.set()
        watcher.join()
        assert set(statuses) <= {200, 503}, statuses
        assert busy, "the limit was never reached"
        assert {retry for retry, _ in busy} == {"60"}
        assert all("try again in a minute" in body.lower() for _, body in busy)
        assert peak <= limit, f"{peak} kernels with a limit of {limit}"
        assert "Traceback" not in server.output()

        choose(page, knowledge, "pregnant", knowledge.questions["pregnant"].choice_labels["yes"])
        expect_urgency(page, "urgent")  # the learner's kernel still answers

        newcomer = browser.new_page()
        response = newcomer.goto(server.url)
        assert response is not None and response.status == 503
        expect(newcomer.get_by_role("heading", level=1)).to_have_text("This page is busy")
        expect(newcomer.get_by_role("link", name="Try again")).to_be_visible()
        assert_accessible(newcomer, "busy page")
        newcomer.close()
    finally:
        stop.set()
        server.stop()


def test_the_region_reaches_the_kernel_and_the_page(
    serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory, page: Page
) -> None:
    """--region nz reaches every kernel as SPOTTING_REGION, and the page starts in that region."""
    server = serve_factory(tmp_path_factory.mktemp("region-sandbox"), "--region", "nz")
    try:
        assert wait_for_kernels(server, 1, 60) == 1  # the preheated kernel
        assert all(kernel.environ().get("SPOTTING_REGION") == "NZ" for kernel in kernel_processes(server))
        page.goto(server.url)
        start = page.locator(".sp-results > [data-section=start]")
        expect(start.get_by_role("link", name="Call 111")).to_have_attribute("href", "tel:111", timeout=90_000)
    finally:
        server.stop()


def test_voilas_javascript_is_sent_compressed(
    serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """5.4 MB of scripts, uncompressed, were most of a phone's half-minute first paint (Lighthouse)."""
    import gzip
    import re
    import urllib.request

    server = serve_factory(tmp_path_factory.mktemp("gzip-sandbox"))
    try:
        with urllib.request.urlopen(f"{server.url}voila/static/voila.js", timeout=30) as loader:
            chunk = re.search(r'"(\d+\.voila\.js)"|(\d+)\.voila\.js', loader.read().decode())
        name = "voila.js" if chunk is None else (chunk.group(1) or f"{chunk.group(2)}.voila.js")
        request = urllib.request.Request(f"{server.url}voila/static/{name}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers.get("Content-Encoding") == "gzip"
            body = response.read()
        assert len(gzip.decompress(body)) > 2 * len(body)
    finally:
        server.stop()


def test_visitors_arriving_together_as_the_limit_fills_each_get_a_page_or_the_busy_page_promptly(
    serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Twelve page requests at the same moment against a limit of 3: none may wait on the spinner.

    Voila hands out the first pooled task, ready or not; right after a hand-out that is a refill
    still waiting for room, and the visitor given it waited until somebody else left (here: for
    ever). Every request must end in a page or the busy page, well before a person gives up.
    """
    limit, visitors, patience = 3, 12, 30
    server = serve_factory(tmp_path_factory.mktemp("arrivals-sandbox"), "--max-kernels", str(limit))
    try:
        assert wait_for_kernels(server, 1, 60) == 1  # the preheated kernel
        deadline = time.monotonic() + 60
        while "Ready:" not in server.output() and time.monotonic() < deadline:
            time.sleep(0.2)
        outcomes: list[int | str] = []
        lock = threading.Lock()

        def visit() -> None:
            try:
                with urllib.request.urlopen(server.url, timeout=patience) as response:
                    response.read()
                    outcome: int | str = response.status
            except urllib.error.HTTPError as error:
                retry = error.headers.get("Retry-After")
                outcome = error.code if retry == "60" else f"{error.code} with Retry-After {retry}"
            except OSError as error:  # a timeout: the visitor waited on the spinner
                outcome = f"no answer within {patience} s ({type(error).__name__})"
            with lock:
                outcomes.append(outcome)

        threads = [threading.Thread(target=visit) for _ in range(visitors)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert set(outcomes) <= {200, 503}, outcomes
        assert 1 <= outcomes.count(200) <= limit and 503 in outcomes, outcomes
        assert "Traceback" not in server.output()
    finally:
        server.stop()
