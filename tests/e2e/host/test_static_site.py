"""The static site (make static: Voici + Pyodide) in Chromium: same engine, same answers, and
nothing leaves the device.

The site is built once per session into a temporary folder (spotting_host.static_site.build, offline
from .static-cache/ after the first run) and served from 127.0.0.1 by the same file server as
``spotting serve --static``. Speed is measured by bench/static.py, never asserted here.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Request, Route, expect

from spotting import Knowledge, explain
from spotting_host.serve import STATIC_PAGES, static_server
from spotting_host.static_site import SERVICE_WORKER
from spotting_host.static_snapshot import KERNEL_WORKERS, WORKER_DIR, WORKER_PATCHES

from ..drive import choose

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
CASES = json.loads((ROOT / "tests" / "clinical_cases.json").read_text(encoding="utf-8"))
FIRST_LOAD_MS = 120_000
UPDATE_MS = 15_000
PROGRESS = "Nothing you enter leaves this device."
NEUTRAL_PAGE = "<!doctype html><title>Weather</title><h1>Weather</h1>"
QUICK_EXIT = ROOT / "share" / "jupyter" / "voila" / "templates" / "spotting" / "quick_exit.html"


@pytest.fixture(scope="session")
def static_url(static_dist: Path) -> Iterator[str]:
    """The site (built once for the session: conftest.static_dist) on a free loopback port."""
    server = static_server(static_dist, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@dataclass
class Startup:
    """What a page (and its workers) said and which of its requests were still open while it
    started. When the first advice never comes, the failure prints them, so a start that hangs in
    CI, where no one can watch the browser, can be read from the log alone."""

    said: list[str] = field(default_factory=list)
    waiting: set[Request] = field(default_factory=set)

    @classmethod
    def watch(cls, page: Page) -> Startup:
        startup = cls()
        page.on("console", lambda message: startup.said.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: startup.said.append(f"page error: {error}"))
        page.on("request", lambda request: startup.waiting.add(request))
        for done in ("requestfinished", "requestfailed"):
            page.on(done, lambda request: startup.waiting.discard(request))
        return startup

    def expect_ready(self, ready: Locator) -> None:
        """Wait for ``ready`` (the first advice, or the learner's first question) as a person would."""
        try:
            expect(ready).to_be_visible(timeout=FIRST_LOAD_MS)
        except AssertionError as error:
            state = ready.page.evaluate(
                "({early: window.spottingEarlyWorker ?? null, visibility: document.visibilityState,"
                " ready: document.readyState, focus: document.hasFocus()})"
            )
            raise AssertionError(
                f"{error}\npage: {state}\nstill waiting for: {sorted(request.url for request in self.waiting)}\n"
                "console:\n" + "\n".join(self.said[-60:])
            ) from None


def assert_seen(locator: Locator) -> None:
    """In the window and on top: the element at its centre is the box or inside it (a box in the
    viewport can still be hidden under another layer, which is how the first version failed)."""
    expect(locator).to_be_in_viewport()
    on_top = locator.evaluate(
        """box => { const r = box.getBoundingClientRect();
                   const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                   return box.contains(hit); }"""
    )
    assert on_top, "the box is covered by another layer"


def assert_accessible(page: Page, state: str) -> None:
    """axe-core (WCAG 2.2 AA rules): no serious or critical violations."""
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{state}: " + "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in bad)


def guard(context: BrowserContext, own: str) -> list[str]:
    """Abort every request to another host and remember it: the list must stay empty."""
    elsewhere: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(own) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context.route("**/*", handle)
    return elsewhere


def test_a_whole_visit_asks_only_its_own_host_and_changing_answers_asks_nothing(
    page: Page, static_url: str, knowledge: Knowledge, artifacts: Path
) -> None:
    elsewhere = guard(page.context, static_url)
    requests: list[str] = []
    # The page's own requests: once the app is on screen, the offline worker saves the whole site
    # in the background (test_static_offline); its downloads are not asked for by any answer.
    page.context.on("request", lambda request: request.service_worker or requests.append(request.url))
    failed: list[str] = []
    page.context.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(static_url + STATIC_PAGES["explorer"])
    progress = page.locator("#spotting-progress")
    expect(progress).to_have_attribute("role", "status")  # announced while it starts
    expect(progress).to_contain_text(PROGRESS)
    assert_seen(progress)  # above the page's own "Starting up kernel" layer, not under it
    page.screenshot(path=str(artifacts / "static-explorer-starting.png"))
    assert_accessible(page, "starting")
    expect(page.locator(".sp-results > [data-section=start]")).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(progress).to_contain_text("This runs in your browser.")
    assert_seen(progress)  # a plain note above the questions, in the page's flow
    box = progress.bounding_box()
    intro = page.get_by_role("heading", level=1).bounding_box()
    assert box is not None and intro is not None and box["y"] > intro["y"], "the note covers the page"
    expect(page.get_by_role("status")).to_have_count(1)  # only the app's live region once it runs
    assert_accessible(page, "running")
    page.wait_for_timeout(1500)  # let late widget and font loads settle before counting
    assert requests, "the listener saw no requests at all"
    loaded = len(requests)
    choose(page, knowledge, "pregnant", "Yes")
    care = page.locator(".sp-results > [data-section=care]")
    expect(care).to_have_attribute("data-urgency", "urgent", timeout=UPDATE_MS)
    choose(page, knowledge, "amount", knowledge.questions["amount"].choice_labels["heavy"])
    expect(care).to_have_attribute("data-urgency", "emergency", timeout=UPDATE_MS)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts / "static-explorer.png"), full_page=True)
    assert requests[loaded:] == [], f"changing answers made requests: {requests[loaded:]}"
    assert elsewhere == [], f"requests to other hosts (aborted): {elsewhere}"
    # The build leaves out files no page needs (spotting_host.static_site: UNUSED_BUILD, old font
    # formats, the service worker, on purpose); a page asking for one of them fails here.
    missing = [url for url in failed if not url.split("?")[0].endswith("/" + SERVICE_WORKER)]
    assert missing == [], f"requests that failed: {missing}"


def test_the_teaching_session_runs_in_the_browser_in_learner_mode(page: Page, static_url: str, artifacts: Path) -> None:
    elsewhere = guard(page.context, static_url)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(static_url + STATIC_PAGES["teaching"])
    expect(page.locator("#spotting-progress")).to_contain_text("the teaching session")
    expect(page.get_by_role("combobox", name="What would you advise?")).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.get_by_role("combobox", name="Mode")).to_have_count(0)  # the learner page: no way to switch
    expect(page.get_by_text("Facilitator notes")).to_have_count(0)
    page.screenshot(path=str(artifacts / "static-teaching.png"))
    assert_accessible(page, "teaching")
    assert elsewhere == [], f"requests to other hosts (aborted): {elsewhere}"


def test_the_site_carries_only_the_jupyterlab_extensions_its_pages_use(static_dist: Path) -> None:
    """Every extension in the site is fetched and run on every visit: the widgets', anywidget's and
    the kernel's, and not the build venv's others (Voila's preview button, code colours)."""
    config = json.loads((static_dist / "jupyter-lite.json").read_text(encoding="utf-8"))
    listed = {extension["name"] for extension in config["jupyter-config-data"]["federated_extensions"]}
    assert listed == {"@jupyter-widgets/jupyterlab-manager", "@jupyterlite/pyodide-kernel-extension", "anywidget"}
    shipped = {
        path.parent.relative_to(static_dist / "extensions").as_posix()
        for path in static_dist.glob("extensions/**/package.json")
    }
    assert shipped == listed


@pytest.mark.parametrize("name", ["explorer", "teaching"])
def test_the_kernels_worker_starts_with_the_page_and_its_python_is_the_one_the_kernel_uses(
    browser: Browser, static_url: str, name: str
) -> None:
    """A first visit (a new context: nothing saved). The page makes the kernel's worker before
    JupyterLab's own JavaScript starts (static/early-worker.html), Python starts in it at once,
    and the kernel takes both. Had the kernel asked for other options than the build planned
    (spotting_host.static_snapshot.early_plan), Python would start twice: the snapshot and the
    WebAssembly would be asked for twice."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: request.service_worker or requests.append(request.url))
    page = context.new_page()
    startup = Startup.watch(page)  # the worker's console reaches the page's
    page.goto(static_url + STATIC_PAGES[name])
    ready = (
        page.locator(".sp-results > [data-section=start]")
        if name == "explorer"
        else page.get_by_role("combobox", name="What would you advise?")
    )
    startup.expect_ready(ready)
    assert page.evaluate("window.spottingEarlyWorker") == {"made": True, "handedOver": True}
    said = startup.said
    assert not [text for text in said if "early start" in text], said  # no second start, no failure
    files = [url.split("?")[0].rsplit("/", 1)[-1] for url in requests]
    assert sum(file.startswith("spotting-snapshot-") for file in files) == 1, files
    assert files.count("pyodide.asm.wasm") == 1
    plain = f"pyodide-kernel-extension/static/{KERNEL_WORKERS['plain'].split('.')[0]}."
    worker = next(i for i, url in enumerate(requests) if plain in url)
    kernel = next(i for i, url in enumerate(requests) if "pyodide-kernel-extension/static/remoteEntry." in url)
    assert worker < kernel, "the kernel's worker was made only when JupyterLab loaded the kernel"
    context.close()


def test_the_files_the_build_changes_are_named_by_their_content(static_dist: Path) -> None:
    """A host may keep a file whose name carries a content hash for a year (deploy/nginx-static.conf):
    the kernel's worker bundles, which the build patches, and the remoteEntry naming them must get
    names from their new content, and no page or configuration may ask for the old names."""
    folder = static_dist / WORKER_DIR
    patched = [path for path in folder.glob("*.js") if "self.spottingLoader" in path.read_text(encoding="utf-8")]
    assert len(patched) == len(WORKER_PATCHES)
    [entry] = folder.glob("remoteEntry.*.js")
    for path in [*patched, entry]:
        digest = path.name.split(".")[1]
        assert digest == hashlib.sha256(path.read_bytes()).hexdigest()[: len(digest)], path.name
    chunks = entry.read_text(encoding="utf-8")
    assert not [name for name in WORKER_PATCHES if f':"{name.split(".")[1]}"' in chunks], "the chunk map is old"
    before = re.compile("|".join(re.escape(name) + r"(?!\.LICENSE)" for name in WORKER_PATCHES))  # licences keep theirs
    for path in [*static_dist.rglob("*.html"), *static_dist.rglob("*.json"), static_dist / "offline-worker.js"]:
        assert not before.search(path.read_text(encoding="utf-8")), f"{path} names a bundle before its patch"


ENGINE = """
async ([cases, site]) => {
  // The kernel's own start: the site's Pyodide, restored from the site's snapshot by the loader
  // the build put in the kernel's worker, with the site's packages archive.
  const config = await (await fetch(site + "jupyter-lite.json")).json();
  const kernel = config["jupyter-config-data"].litePluginSettings["@jupyterlite/pyodide-kernel-extension:kernel"];
  const options = { ...kernel.loadPyodideOptions };
  for (const key of Object.keys(options)) {
    if (key.endsWith("URL")) options[key] = new URL(options[key], site).href;
  }
  const indexURL = new URL(kernel.pyodideUrl, site).href.replace(/pyodide\\.js$/, "");
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const pyodide = await (__LOADER__)(loadPyodide)({ indexURL, ...options });
  pyodide.globals.set("cases_json", JSON.stringify(cases));
  return pyodide.runPython(`
import json, sys
import spotting
out = {"python": sys.version_info[:2], "platform": sys.platform, "pandas": "pandas" in sys.modules, "results": {},
       "snapshot": "pyodide_kernel" in sys.modules}
for case in json.loads(cases_json):
    out["results"][case["id"]] = spotting.explain(case["answers"]).to_dict()
out["pandas"] = out["pandas"] or "pandas" in sys.modules or "pandera" in sys.modules
json.dumps(out)
`);
}
"""
LOADER = (ROOT / "static" / "snapshot-loader.js").read_text(encoding="utf-8")
# The loader goes into the evaluated function as written, not through eval(): the site's
# Content-Security-Policy (like the host's) allows no eval, and a test must not need it either.
ENGINE = ENGINE.replace("__LOADER__", LOADER.strip().rstrip(";"))


def test_every_clinical_case_gets_the_same_explanation_in_the_browser(page: Page, static_url: str) -> None:
    """Same engine, same answers: the site's own Python (Pyodide, Python 3.13), started the way
    the kernel starts it, from the snapshot the build made."""
    elsewhere = guard(page.context, static_url)
    page.goto(static_url + "static/pyodide/package.json")  # same origin, no scripts of its own
    cases = [{"id": case["id"], "answers": case["answers"]} for case in CASES]
    result: dict[str, Any] = json.loads(page.evaluate(ENGINE, [cases, static_url]))
    assert result["platform"] == "emscripten" and result["python"] == [3, 13]
    assert result["snapshot"], "Python did not start from the snapshot (the kernel was not imported)"
    assert not result["pandas"], "the engine imported pandas or pandera in the browser"
    assert len(result["results"]) == len(CASES)
    for case in CASES:
        server = json.loads(json.dumps(explain(case["answers"]).to_dict()))
        assert result["results"][case["id"]] == server, f"{case['id']}: the browser's explanation differs"
    assert elsewhere == []


def _neutral_site(asked: list[str]) -> Callable[[Route], None]:
    """Answer the neutral site from here (the test never goes to the internet), noting each ask."""

    def fulfil(route: Route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    return fulfil


@pytest.mark.parametrize("name", ["explorer", "teaching"])
def test_quick_exit_on_the_static_site_leaves_for_good_by_tap_and_by_shift(
    browser: Browser, static_url: str, name: str, artifacts: Path
) -> None:
    """Issue 19, item 2 on the static site: the same quick exit as the served pages (the build puts
    the template's own file first in <body>), there before Python has started, by a tap on a phone
    and by Shift pressed three times on a laptop; Back never returns to the page."""
    exit_url = re.search(r'href="([^"]+)"[^>]*data-sp-exit', QUICK_EXIT.read_text(encoding="utf-8"))
    assert exit_url is not None, "the quick exit's neutral address is not in the template"
    for how in ("tap", "shift"):
        phone = how == "tap"
        context = browser.new_context(
            viewport={"width": 390, "height": 844} if phone else {"width": 1366, "height": 768},
            has_touch=phone,
            is_mobile=phone,
        )
        try:
            page = context.new_page()
            asked: list[str] = []
            page.route(re.compile("^" + re.escape(exit_url[1])), _neutral_site(asked))
            page.goto(static_url + STATIC_PAGES[name])
            button = page.get_by_role("link", name=re.compile("Exit this page"))
            assert_seen(button)  # in the first screen while Python is still starting
            expect(page.locator("#loading_text")).to_be_hidden()  # no "Starting up kernel", no "Executing 2 of 2"
            if phone:
                page.screenshot(path=str(artifacts / f"19-2-static-{name}-quick-exit-phone.png"))
                box = button.bounding_box()
                assert box is not None
                page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            else:
                page.locator("body").press("Tab")
                for _ in range(3):
                    page.keyboard.press("Shift")
            expect(page).to_have_url(re.compile("^" + re.escape(exit_url[1])), timeout=UPDATE_MS)
            expect(page.get_by_role("heading", name="Weather")).to_be_visible()
            assert asked and all("?" not in a and "#" not in a for a in asked), asked  # nothing about the person
            page.go_back()
            assert not page.url.startswith(static_url), f"Back returned to the page: {page.url}"
        finally:
            context.close()
