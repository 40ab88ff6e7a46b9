"""The static site as an installable app that opens with no connection (issue 24), in Chromium.

Each test gets a fresh browser context (an empty cache and no service worker) and a file server
of its own on 127.0.0.1, so it can take the server away: "no connection" here means nothing
answers at all, not an emulated offline flag. The site is the session's build (conftest.static_dist).
Speed is measured by bench/static.py, never asserted here.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import os
import re
import shutil
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from spotting import Knowledge, load_knowledge
from spotting.explorer.intro import TITLE
from spotting.localise import languages
from spotting_host.serve import STATIC_PAGES, static_server
from spotting_host.static_offline import CLEANUP, PAGES, UNPACKED_SUFFIX, WORKER, make_offline
from spotting_host.static_site import CACHE

from ..drive import choose
from ..test_person_first import expect_left_for_good, neutral_site
from .test_static_site import FIRST_LOAD_MS, UPDATE_MS, assert_accessible

pytestmark = pytest.mark.browser

START = ".sp-results > [data-section=start]"
CARE = ".sp-results > [data-section=care]"
SAVE_MS = 180_000
"""Saving the whole site (about 39 MB) on a busy 2-core machine; a generous limit, not a budget."""

SAVED = """async (limit) => {
  const saved = (async () => {
    const worker = (await navigator.serviceWorker.ready).active;
    while (worker.state !== "activated") {
      await new Promise(done => worker.addEventListener("statechange", done, { once: true }));
    }
    return worker.state;
  })();
  return Promise.race([saved, new Promise(done => setTimeout(() => done("not saved in time"), limit))]);
}"""
"""Resolves once the page's worker is active; Workbox activates it only after every file is saved."""


SNAPSHOT_GZ = re.compile(r"/spotting-snapshot-[0-9a-f]+\.bin\.gz(\?|$)")


def cache_id(dist: Path) -> str:
    """The build's cache id, as its worker's cleanup script names it."""
    found = re.search(r'SPOTTING_CACHE_ID = "([^"]+)"', (dist / CLEANUP).read_text(encoding="utf-8"))
    assert found, "the cleanup script names no cache id"
    return found.group(1)


class Site:
    """A built site served from a folder that can be swapped (a newer build) or taken away."""

    def __init__(self, folder: Path, link: Path) -> None:
        self.link = link
        self.serve(folder)
        self.server: http.server.ThreadingHTTPServer | None = static_server(link, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, folder: Path) -> None:
        """Point the server at another build, all at once (a symlink is replaced atomically)."""
        staged = self.link.with_name(self.link.name + ".new")
        staged.unlink(missing_ok=True)
        staged.symlink_to(folder)
        os.replace(staged, self.link)

    def stop(self) -> None:
        """No connection at all: nothing listens on the port any more."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def site(static_dist: Path, tmp_path: Path) -> Iterator[Site]:
    served = Site(static_dist, tmp_path / "site")
    yield served
    served.stop()


@pytest.fixture
def fresh(browser: Browser) -> Iterator[BrowserContext]:
    """A new profile: no saved copy, no service worker."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def wait_until_saved(page: Page) -> None:
    """The worker is active: Workbox activates it only once every file is in the cache."""
    assert page.evaluate(SAVED, SAVE_MS) == "activated", "the site was not saved for use offline"


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(START)).to_be_visible(timeout=FIRST_LOAD_MS)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_links_a_manifest_chrome_can_install(
    fresh: BrowserContext, site: Site, static_dist: Path, name: str
) -> None:
    page = fresh.new_page()
    page.goto(site.url + STATIC_PAGES[name])
    link = page.locator('head link[rel="manifest"]')
    expect(link).to_have_count(1)
    href = link.evaluate("node => node.href")
    manifest = json.loads((static_dist / urlsplit(href).path.lstrip("/")).read_text(encoding="utf-8"))
    assert manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"] and manifest["description"]
    assert manifest["theme_color"] == page.locator('meta[name="theme-color"]').get_attribute("content")
    assert manifest["start_url"].endswith(STATIC_PAGES[name]), "installing a page should open that page"
    assert manifest["scope"] == "./"
    purposes = set()
    for icon in manifest["icons"]:
        width, height = (int(side) for side in icon["sizes"].split("x"))
        assert png_size(static_dist / icon["src"]) == (width, height), icon["src"]
        purposes.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= purposes
    apple = page.locator('link[rel="apple-touch-icon"]').evaluate("node => node.href")
    assert png_size(static_dist / urlsplit(apple).path.lstrip("/")) == (180, 180)
    # Chrome's own verdict, as it decides whether to offer "Install app".
    cdp = fresh.new_cdp_session(page)
    parsed = cdp.send("Page.getAppManifest")
    assert parsed["url"] == href and not parsed["errors"], parsed["errors"]
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are private windows, where Chrome never installs; nothing else may show.
    assert errors in ([], ["in-incognito"]), errors


def test_after_one_visit_both_pages_open_answer_and_advise_with_no_connection(
    fresh: BrowserContext, site: Site, knowledge: Knowledge
) -> None:
    page = fresh.new_page()
    open_page(page, site.url + STATIC_PAGES["explorer"])
    wait_until_saved(page)
    expect(page.locator("#spotting-offline-note")).to_contain_text("opens with no connection")
    expect(page.locator("#spotting-offline-note")).to_contain_text("Add to Home Screen")  # iPhone
    site.stop()
    failed: list[str] = []
    fresh.on("requestfailed", lambda request: failed.append(request.url))
    asked: list[str] = []
    fresh.on("request", lambda request: asked.append(request.url))
    page.reload()
    expect(page.locator(START)).to_be_visible(timeout=FIRST_LOAD_MS)
    # The kernel took the snapshot the worker keeps unpacked, without asking for the .gz at all.
    assert not [url for url in asked if SNAPSHOT_GZ.search(url)], "the snapshot was unpacked again"
    care = page.locator(CARE)
    choose(page, knowledge, "pregnant", "Yes")
    expect(care).to_have_attribute("data-urgency", "urgent", timeout=UPDATE_MS)
    choose(page, knowledge, "amount", knowledge.questions["amount"].choice_labels["heavy"])
    expect(care).to_have_attribute("data-urgency", "emergency", timeout=UPDATE_MS)
    # Every offered language is in the saved copy: Arabic, right to left, with the same advice.
    arabic = load_knowledge(lang="ar")
    page.locator(".sp-language select").select_option(label=languages()["ar"].name)
    expect(page.locator(f"{CARE}[lang=ar][dir=rtl]")).to_contain_text(
        arabic.levels[max(arabic.levels)].hidden_text, timeout=UPDATE_MS
    )
    expect(care).to_have_attribute("data-urgency", "emergency")
    page.get_by_role("button", name="Read in English").click()  # one tap back, offline too
    expect(page.locator(".sp-notice")).to_have_count(0, timeout=UPDATE_MS)
    # And a page opened in a language from its address (?lang=), as a shared link or the app would.
    welsh = fresh.new_page()
    welsh.goto(site.url + STATIC_PAGES["explorer"] + "?lang=cy")
    expect(welsh.locator(START)).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(welsh.locator(".sp-intro[lang=cy] h1")).to_have_text(load_knowledge(lang="cy").phrase(TITLE))
    welsh.close()
    # The learner page was never opened, yet it is saved too.
    teaching = fresh.new_page()
    teaching.goto(site.url + STATIC_PAGES["teaching"])
    expect(teaching.get_by_role("combobox", name="What would you advise?")).to_be_visible(timeout=FIRST_LOAD_MS)
    assert failed == [], f"requests that found no connection: {failed}"
    # The quick exit still leaves a page opened from the saved copy (as the installed app opens it),
    # and Back does not bring it back (issue 24, item 4).
    neutral = neutral_site(page)
    page.get_by_role("link", name=re.compile("Exit this page")).click()
    expect_left_for_good(page, site.url, neutral)


def test_with_no_unpacked_copy_the_saved_gz_is_unpacked_as_before(
    fresh: BrowserContext, site: Site, static_dist: Path
) -> None:
    """The unpacked snapshot is only a shortcut: a browser that has lost it (storage pressure, a
    failed copy) still opens the page offline from the saved .gz."""
    page = fresh.new_page()
    open_page(page, site.url + STATIC_PAGES["explorer"])
    wait_until_saved(page)
    copies = page.evaluate("caches.keys().then(names => names.filter(name => name.endsWith('-unpacked')))")
    assert copies == [cache_id(static_dist) + UNPACKED_SUFFIX], copies
    assert page.evaluate(f"caches.delete({json.dumps(copies[0])})")
    site.stop()
    failed: list[str] = []
    fresh.on("requestfailed", lambda request: failed.append(request.url))
    asked: list[str] = []
    fresh.on("request", lambda request: asked.append(request.url))
    page.reload()
    expect(page.locator(START)).to_be_visible(timeout=FIRST_LOAD_MS)
    assert [url for url in asked if SNAPSHOT_GZ.search(url)], "the kernel did not read the saved .gz"
    assert failed == [], f"requests that found no connection: {failed}"


STORAGE = """async () => {
  const local = {};
  for (let i = 0; i < localStorage.length; i++) local[localStorage.key(i)] = localStorage.getItem(localStorage.key(i));
  const text = (value) => {
    const binary = (item) => item instanceof Blob || item instanceof ArrayBuffer || ArrayBuffer.isView(item);
    try { return JSON.stringify(value, (key, item) => binary(item) ? `<${item.constructor.name}>` : item); }
    catch (error) { return String(value); }
  };
  const databases = {};
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise((done, fail) => {
      const open = indexedDB.open(name); open.onsuccess = () => done(open.result); open.onerror = fail; });
    for (const store of db.objectStoreNames) {
      const rows = await new Promise((done, fail) => {
        const all = db.transaction(store).objectStore(store).getAll();
        all.onsuccess = () => done(all.result); all.onerror = fail; });
      databases[`${name}/${store}`] = rows.map(text);
    }
    db.close();
  }
  const cached = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const body = await (await cache.match(request)).arrayBuffer();
      const digest = await crypto.subtle.digest("SHA-256", body);
      const hex = [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, "0")).join("");
      cached[`${name} ${request.method} ${request.url}`] = hex;
    }
  }
  return { local, databases, cached };
}"""


def test_no_answer_reaches_cache_storage_indexeddb_or_localstorage(
    fresh: BrowserContext, site: Site, static_dist: Path, knowledge: Knowledge
) -> None:
    marker = "47"  # an age: the one answer a person types
    page = fresh.new_page()
    sent: list[str] = []
    fresh.on("request", lambda request: sent.append(f"{request.method} {request.url}"))
    open_page(page, site.url + STATIC_PAGES["explorer"])
    wait_until_saved(page)
    before: dict[str, Any] = page.evaluate(STORAGE)
    choose(page, knowledge, "age", marker)
    choose(page, knowledge, "pregnant", "Yes")
    expect(page.locator(CARE)).to_have_attribute("data-urgency", "urgent", timeout=UPDATE_MS)
    page.wait_for_timeout(1000)  # anything written on a change has had time to land
    after: dict[str, Any] = page.evaluate(STORAGE)
    assert after["local"] == before["local"], "answering wrote to localStorage"
    assert after["databases"] == before["databases"], "answering wrote to IndexedDB"
    assert after["cached"] == before["cached"], "answering changed Cache Storage"
    assert marker not in json.dumps([after["local"], after["databases"]]), "the answer is stored"
    # Every saved response is a file of the site, byte for byte: only the site's own files, by GET.
    assert after["cached"], "nothing was saved"
    # The worker's unpacked snapshot is the one exception: the gunzipped bytes of one of the site's
    # .gz files, in this build's own "-unpacked" cache.
    unpacked = cache_id(static_dist) + UNPACKED_SUFFIX
    assert any(key.startswith(unpacked + " ") for key in after["cached"]), "no unpacked snapshot was kept"
    for key, digest in after["cached"].items():
        cache, method, url = key.split(" ")
        assert cache.startswith("spotting-") and method == "GET", key
        parts = urlsplit(url)
        assert (url.startswith(site.url) and parts.query.startswith("__WB_REVISION__")) or not parts.query, key
        file = static_dist / parts.path.lstrip("/")
        if cache == unpacked:
            assert not parts.query and SNAPSHOT_GZ.search(url + ".gz"), key
            data = gzip.decompress(file.with_name(file.name + ".gz").read_bytes())
        else:
            data = file.read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{key} is not the site's file"
    elsewhere = [line for line in sent if not line.startswith(("GET " + site.url, "GET data:", "GET blob:"))]
    assert elsewhere == [], f"requests that were not a GET of the site's own files: {elsewhere}"


CHANGED = ("is common, and most causes are easy to treat.", "is common, and most causes are easy to treat, updated.")


def newer_build(static_dist: Path, into: Path) -> Path:
    """The same site with one sentence changed on the explorer page, and its worker made again
    the way the build makes it (a full rebuild takes minutes and would change the same things)."""
    shutil.copytree(static_dist, into, symlinks=True)
    page = into / STATIC_PAGES["explorer"]
    text = page.read_text(encoding="utf-8")
    assert CHANGED[0] in text, "the sentence this test changes is gone from the page; pick another"
    page.write_text(text.replace(CHANGED[0], CHANGED[1]), encoding="utf-8")
    make_offline(into, CACHE)
    return into


def test_a_newer_build_is_offered_then_used_whole_after_one_reload(
    fresh: BrowserContext, site: Site, static_dist: Path, tmp_path: Path
) -> None:
    newer = newer_build(static_dist, tmp_path / "newer")
    old_worker = (static_dist / WORKER).read_text(encoding="utf-8")
    assert (newer / WORKER).read_text(encoding="utf-8") != old_worker and (newer / CLEANUP).is_file()
    page = fresh.new_page()
    open_page(page, site.url + STATIC_PAGES["explorer"])
    wait_until_saved(page)
    first_caches = page.evaluate("caches.keys()")
    site.serve(newer)
    page.reload()
    expect(page.locator(START)).to_be_visible(timeout=FIRST_LOAD_MS)
    banner = page.locator("#spotting-update")
    expect(banner).to_contain_text("A newer version is ready.", timeout=SAVE_MS)
    expect(banner).to_have_attribute("role", "status")
    expect(banner.get_by_role("button", name="Reload")).to_be_visible()
    assert_accessible(page, "offering a newer version")
    expect(page.get_by_text(CHANGED[1])).to_have_count(0)  # still the saved version, whole
    page.get_by_role("button", name="Reload").focus()
    page.keyboard.press("Enter")  # by keyboard
    expect(page.get_by_text(CHANGED[1])).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator(START)).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator("#spotting-update")).to_have_count(0)
    newer_id = cache_id(newer)
    page.wait_for_function(
        "id => caches.keys().then(names => names.length === 2 && names.every(name => name.startsWith(id + '-')))",
        arg=newer_id, timeout=UPDATE_MS,
    )  # fmt: skip
    now = page.evaluate("caches.keys()")
    assert not set(now) & set(first_caches), "the newer build did not get caches of its own"
    assert newer_id + UNPACKED_SUFFIX in now, "the newer build kept no unpacked snapshot"
