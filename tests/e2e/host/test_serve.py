"""``spotting serve`` under classroom conditions: pages close, kernels go; too many arrive, the rest keep working.

Each test starts its own server with the command ``make dashboard`` runs, so the preheated pool,
the kernel limit and the page template are the ones a class gets. Kernels are counted as the
server's ``ipykernel`` child processes. No timing is asserted; the waits below are deadlines for
something that must happen, not measurements.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from spotting import Knowledge
from spotting_host import serve

from ..conftest import ROOT, VoilaServer, kernel_processes
from ..test_explorer import assert_accessible, choose, expect_urgency, open_explorer, start_card

sys.path.insert(0, str(ROOT / "bench"))
import classroom  # bench/ is a folder of scripts: its widget protocol client

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
    # Two learners: a server for one person makes room rather than refuse (the lone-visitor test).
    server = serve_factory(tmp_path_factory.mktemp("limit-sandbox"), "--learners", "2", "--max-kernels", str(limit))
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
                with error:  # an error response holds its socket until closed
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
    # Two learners: a server for one person makes room rather than refuse (the lone-visitor test).
    server = serve_factory(tmp_path_factory.mktemp("arrivals-sandbox"), "--learners", "2", "--max-kernels", str(limit))
    try:
        assert wait_for_kernels(server, 2, 60) == 2  # the preheated kernels
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
                error.close()  # an error response holds its socket until closed
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


# -- A server no one can lock out (issue 20, items 4 to 7; issue 19, item 9) ---------------------

GRACE_SECONDS = 10
"""The test's grace for a page that never connects (the default is about a minute)."""
PROMISED_SECONDS = 60
"""What the busy page promises ("try again in a minute", Retry-After: 60)."""

PROBES = (
    "/voila/", "/voila/static/", "/voila/static/../voila.json", "/voila/static/%2e%2e/%2e%2e/etc/passwd",
    "/voila/files/", "/voila/files/voila.json", "/voila/files/%2e%2e/voila.json", "/voila/files/x%00.png",
    "/voila/files/%ff", "/voila/render/x.ipynb", "/voila/tree/", "/voila/api/shutdown/abc", "/voila/query/abc",
    "/voila/templates/", "/voila/templates/lab", "/voila/templates/%2e%2e/x", "/voila/templates/lab/static/x.js",
    "/voila/api/themes/x", "/voila/labextensions/x", "/api/", "/api/kernels", "/api/kernels/abc",
    "/api/kernels/00000000-0000-0000-0000-000000000000", "/api/kernels/00000000-0000-0000-0000-000000000000/channels",
    "/api/sessions", "/api/contents", "/static/", "/static/%2e%2e/voila.json", "/join", "/login", "/logout",
    "/%00", "/%ff", "/..%2f..%2fetc/passwd", "/" + "a" * 8000, "/voila/static/" + "a" * 8000, "/favicon.ico",
)  # fmt: skip
"""Odd addresses, as a scanner or a curious learner types them. Each must get a plain page."""

PLAIN_ERRORS = {301, 302, 400, 403, 404, 405}

ALLOWED_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "data:", "blob:"}


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, dict[str, str], str]:
    """Status, headers (lower-case names) and body of one GET; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:  # an error response holds its socket until closed (a ResourceWarning later)
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode(errors="replace")


def policy_of(headers: dict[str, str]) -> dict[str, list[str]]:
    """The Content-Security-Policy as directive -> sources."""
    directives = [part.split() for part in headers.get("content-security-policy", "").split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_security_headers(headers: dict[str, str], what: str, host: str) -> None:
    """The headers every response carries (docs/serving.md, "Security headers")."""
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "no-referrer", what
    permissions = headers.get("permissions-policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, f"{what}: Permissions-Policy {permissions!r}"
    policy = policy_of(headers)
    assert policy.get("default-src") == ["'self'"], f"{what}: {policy}"
    assert policy.get("object-src") == ["'none'"], f"{what}: {policy}"
    assert "frame-ancestors" in policy and "base-uri" in policy, f"{what}: {policy}"
    sockets = {f"ws://{host}", f"wss://{host}"}
    assert set(policy.get("connect-src", [])) <= {"'self'", *sockets}, f"{what}: {policy}"
    others = {source for sources in policy.values() for source in sources} - ALLOWED_SOURCES - sockets
    assert not others, f"{what}: the policy allows other hosts: {others}"


def test_any_address_gives_a_plain_page_never_an_error_with_a_traceback(
    serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Issue 20, item 5: odd addresses gave HTTP 500 and a traceback in the log."""
    server = serve_factory(tmp_path_factory.mktemp("probe-sandbox"), "--learners", "2")
    try:
        assert wait_for_kernels(server, 2, 60) == 2
        outcomes = {}
        for path in PROBES:
            status, _, body = get(server.url.rstrip("/") + path)
            outcomes[path[:60]] = status
            if status >= 400:
                assert "Traceback" not in body and "jupyter" not in body.lower(), f"{path[:60]}: {body[:300]}"
        wrong = {path: status for path, status in outcomes.items() if status not in PLAIN_ERRORS}
        assert not wrong, f"addresses that did not get a plain 3xx/4xx answer: {wrong}"
        # Asking for another template or theme used to start a kernel that never finished the page.
        for query in ("?template=nothing", "?theme=dark", "?template=../../../etc"):
            status, _, _ = get(server.url + query, timeout=60)
            assert status in (200, 503), f"{query}: {status}"
        assert len(kernel_processes(server)) <= 5 + 2
        log = server.output()
        assert "Traceback" not in log and "Uncaught exception" not in log, log[-3000:]
    finally:
        server.stop()


def test_every_kind_of_response_carries_the_security_headers(
    serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Issue 20, item 6: page, static file, 404, 403 and the busy page alike."""
    server = serve_factory(tmp_path_factory.mktemp("headers-sandbox"), "--learners", "2", "--max-kernels", "2")
    host = server.url.split("/")[2]
    try:
        assert wait_for_kernels(server, 2, 60) == 2
        responses = {
            "static file": get(server.url + "voila/static/voila.js"),
            "missing file": get(server.url + "voila/templates/lab/static/no-such-file.js"),
            "refused file": get(server.url + "voila/files/voila.json"),
            "redirect": get(server.url + "no-such-page"),
        }
        pages = [get(server.url) for _ in range(3)]  # two pooled kernels, then the limit
        responses["page"] = next(page for page in pages if page[0] == 200)
        responses["busy page"] = next(page for page in pages if page[0] == 503)
        for what, (status, headers, _) in responses.items():
            assert_security_headers(headers, f"{what} ({status})", host)
        assert responses["missing file"][0] == 404 and responses["refused file"][0] == 403
    finally:
        server.stop()


CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def test_the_explorer_works_under_its_content_security_policy(
    browser: Browser,
    knowledge: Knowledge,
    serve_factory: Callable[..., VoilaServer],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Issue 20, item 6: the policy is strict enough to matter and the page still works under it."""
    server = serve_factory(tmp_path_factory.mktemp("csp-sandbox"))
    context = browser.new_context()
    try:
        context.add_init_script(CSP_VIOLATIONS)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        response = page.goto(server.url)
        assert response is not None
        assert_security_headers(response.all_headers(), "page in Chromium", server.url.split("/")[2])
        expect(start_card(page)).to_be_visible(timeout=90_000)
        choose(page, knowledge, "age", "30")
        expect_urgency(page, "routine")  # a care card appears after an answer
        page.wait_for_timeout(500)  # let late loads finish before counting
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"blocked by the Content-Security-Policy: {violations}"
        assert not [line for line in console if "Content Security Policy" in line or "Permissions-Policy" in line]
    finally:
        context.close()
        server.stop()


MARKER = "zq7MarkerFromTheClient"


def test_the_log_holds_nothing_a_client_sent(
    serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Issue 20, item 7: a forged field name, address, query or header never reaches the log."""
    import asyncio
    import json
    import re
    import uuid

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    server = serve_factory(tmp_path_factory.mktemp("marker-sandbox"), "--learners", "2")
    try:
        assert wait_for_kernels(server, 2, 60) == 2
        forged = {"User-Agent": MARKER, "Referer": f"http://{MARKER}.example/", "X-Forwarded-For": MARKER}
        for path in (f"{MARKER}", f"voila/static/{MARKER}.js", f"voila/templates/{MARKER}", f"api/kernels/{MARKER}",
                     f"voila/files/{MARKER}%00", f"voila/api/shutdown/{MARKER}", f"?{MARKER}={MARKER}"):  # fmt: skip
            get(server.url + path, headers=forged)

        async def forge() -> None:
            status, _, body = get(server.url)
            assert status == 200
            kernel = json.loads(classroom.CONFIG_DATA.search(body).group(1))["kernelId"]  # type: ignore[union-attr]
            socket = f"api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
            connection = await websocket_connect(HTTPRequest(server.url.replace("http", "ws", 1) + socket))
            widgets = classroom.WidgetClient(connection)
            await asyncio.wait_for(widgets.request_states(), 120)
            form = widgets.form()
            for state in ({"answers": {MARKER: 1}}, {"answers": {"age": MARKER}}, {MARKER: 1}):
                update = {"method": "update", "state": state, "buffer_paths": []}
                widgets.send("comm_msg", {"comm_id": form, "data": update})
            widgets.send("comm_msg", {"comm_id": MARKER, "data": {"method": MARKER}})
            widgets.send("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": MARKER, "data": {}})
            widgets.send(MARKER, {MARKER: MARKER})
            await asyncio.sleep(3)  # give the kernel time to log what it would log
            connection.close()
            await asyncio.sleep(0.5)  # let the closing handshake finish before the loop ends

        # Its own thread: Playwright's sync API keeps an event loop running in this one.
        forger = threading.Thread(target=lambda: asyncio.run(forge()))
        forger.start()
        forger.join(timeout=300)
        deadline = time.monotonic() + 10
        while "rejected" not in server.output() and time.monotonic() < deadline:
            time.sleep(0.25)
        log = server.output()
        assert "rejected" in log, "the forged answer was not noticed (the test did not reach the form)"
        lines = [line for line in log.splitlines() if MARKER in line]
        assert not lines, "the log holds what a client sent:\n" + "\n".join(lines[:10])
        assert not re.search(r"\b127\.0\.0\.1\b.*\d+\.\d+ms", log), "the request log names the visitor's address"
    finally:
        server.stop()


def test_plain_page_requests_free_their_kernels_and_a_browser_gets_in_within_the_promised_minute(
    browser: Browser,
    knowledge: Knowledge,
    serve_factory: Callable[..., VoilaServer],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Issue 20, item 4: 50 page requests that never connect (a script, pages that die) used to hold
    every kernel until the 15-minute cull, while the busy page said "try again in a minute"."""
    server = serve_factory(
        tmp_path_factory.mktemp("lockout-sandbox"), "--learners", "5",
        options={"ClassroomKernelManager.unconnected_grace_seconds": str(GRACE_SECONDS)},
    )  # fmt: skip
    try:
        assert wait_for_kernels(server, 5, 90) == 5
        statuses = [get(server.url, timeout=120)[0] for _ in range(50)]
        assert set(statuses) <= {200, 503} and 503 in statuses, statuses
        refused_at = time.monotonic()
        page = browser.new_page()
        got_in = False
        while time.monotonic() - refused_at < PROMISED_SECONDS:
            response = page.goto(server.url, timeout=120_000)
            if response is not None and response.status == 200:
                got_in = True
                break
            page.wait_for_timeout(2_000)  # a person pressing "Try again"
        waited = time.monotonic() - refused_at
        assert got_in, f"still busy {waited:.0f} s after the plain requests; the busy page promises a minute"
        expect(start_card(page)).to_be_visible(timeout=90_000)
        choose(page, knowledge, "age", "30")
        expect_urgency(page, "routine")
        print(f"a browser got in {waited:.1f} s after 50 plain page requests")
        page.close()
    finally:
        server.stop()


def kill_renderers() -> None:
    """Kill this test's Chromium page processes (only one page is open when it is called)."""
    import psutil

    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "--type=renderer" in child.cmdline():
                child.kill()


def test_a_lone_visitor_who_kills_tabs_never_sees_the_busy_page(
    browser: Browser, serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Issue 19, item 9: one person, one kernel. A tab killed without unloading (a crash, a phone
    that drops the page) sends no close beacon; its kernel must not lock its owner out."""
    server = serve_factory(tmp_path_factory.mktemp("lone-sandbox"))  # no --learners: one person
    try:
        for attempt in range(7):
            context = browser.new_context()
            page = context.new_page()
            response = page.goto(server.url, timeout=120_000)
            assert response is not None and response.status == 200, f"tab {attempt + 1}: {response and response.status}"
            expect(start_card(page)).to_be_visible(timeout=90_000)
            kill_renderers()  # no unload, no beacon: as a crash or an out-of-memory kill
            context.close()
        last = browser.new_page()
        response = last.goto(server.url, timeout=120_000)
        assert response is not None and response.status == 200, "busy after killed tabs"
        expect(start_card(last)).to_be_visible(timeout=90_000)
        last.close()
    finally:
        server.stop()


def test_a_kernel_that_dies_gives_its_place_back_instead_of_restarting_without_its_page(
    serve_factory: Callable[..., VoilaServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Issue 20, item 4: a killed kernel was restarted, empty, and held a place until the cull."""
    import json

    server = serve_factory(tmp_path_factory.mktemp("dead-sandbox"), "--learners", "2", "--max-kernels", "5")
    try:
        assert wait_for_kernels(server, 2, 60) == 2
        status, _, body = get(server.url)
        assert status == 200
        kernel = json.loads(classroom.CONFIG_DATA.search(body).group(1))["kernelId"]  # type: ignore[union-attr]
        assert wait_for_kernels(server, 3, 60) == 3  # the page's kernel and the refilled pool
        (process,) = [p for p in kernel_processes(server) if kernel in " ".join(p.cmdline())]
        process.kill()
        deadline = time.monotonic() + FREED_WITHIN_SECONDS  # the restarter notices a death within 3 s
        while f"Kernel shutdown: {kernel}" not in server.output() and time.monotonic() < deadline:
            time.sleep(0.25)
        assert f"Kernel shutdown: {kernel}" in server.output(), "the dead kernel still holds its place"
        assert "restarting kernel" not in server.output()
        assert wait_for_kernels(server, 2, FREED_WITHIN_SECONDS) == 2  # the pool, and no orphan
    finally:
        server.stop()
