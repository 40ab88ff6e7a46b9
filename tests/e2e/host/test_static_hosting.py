"""The static site behind the nginx site file people deploy (deploy/nginx-static.conf), in Chromium.

Debian's nginx runs unprivileged from a private folder, as ``spotting serve --workers`` runs it
(spotting_host.workers), with the deployed file included unchanged except for the lines that name
this machine: the ports, the certificate (a throw-away self-signed one) and the root (the site
built for this session). The wrapper around it turns on nginx's usual logs, into the private
folder, so the tests can see that the site file itself keeps no record of a visit.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response

from spotting_host.workers import NGINX_INSTALL, NGINX_PATHS, free_loopback_port

from ..conftest import stop_process
from .test_static_site import Startup, assert_accessible, guard

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
DEPLOYED = ROOT / "deploy" / "nginx-static.conf"
STARTUP_SECONDS = 30

TYPES = {
    ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
    ".ipynb": "application/json", ".webmanifest": "application/json", ".css": "text/css",
    ".wasm": "application/wasm", ".whl": "application/zip", ".zip": "application/zip", ".gz": "application/gzip",
    ".svg": "image/svg+xml",
    ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
    ".otf": "font/otf", ".eot": "application/vnd.ms-fontobject", ".txt": "text/plain",
}  # fmt: skip
"""What a browser must get for each kind of file in dist/. A new kind fails the test on purpose:
give it a type in deploy/nginx-static.conf (and here)."""
NEVER_FETCHED = (".orig", ".nojekyll")
"""Files no page asks for (a schema's backup copy, GitHub's marker); nginx's default type is fine."""
COMPRESSED = (".wasm", ".js", ".mjs", ".json", ".css")
LONG_CACHE = "public, max-age=31536000, immutable"
SAME_NAME_NEXT_VERSION = (
    "static/pyodide/pyodide.asm.wasm", "static/pyodide/pyodide-lock.json", "jupyter-lite.json",
    "static/pyodide/python_stdlib.zip", "static/pyodide/pyodide.mjs", "voici/render/explorer.html",
)  # fmt: skip
"""Files whose name stays when a rebuild changes them: a browser must ask for them again."""
HASH_IN_NAME = re.compile(r"[0-9a-f]{7,}")
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}


@dataclass(frozen=True)
class Nginx:
    """Debian's nginx serving a built site with the deployed site file."""

    https: str
    http: str
    runtime: Path

    def logs(self) -> dict[str, str]:
        """What nginx's usual logs (turned on by the wrapper) hold so far."""
        return {name: (self.runtime / name).read_text(errors="replace") for name in ("access.log", "error.log")}


def site_file(http_port: int, https_port: int, dist: Path, runtime: Path) -> str:
    """deploy/nginx-static.conf with only the lines that name a real server changed for this one."""
    text = DEPLOYED.read_text(encoding="utf-8")
    machine = {
        "    listen 80;\n": f"    listen 127.0.0.1:{http_port};\n",
        "    listen [::]:80;\n": "",
        "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{https_port} ssl http2;\n",
        "    listen [::]:443 ssl http2;\n": "",
        "/etc/letsencrypt/live/spotting.example.org/fullchain.pem": str(runtime / "cert.pem"),
        "/etc/letsencrypt/live/spotting.example.org/privkey.pem": str(runtime / "key.pem"),
        "root /srv/spotting/dist;": f"root {dist};",
    }
    for line, replacement in machine.items():
        if text.count(line) != 1:
            pytest.fail(f"{DEPLOYED.name} should have {line.strip()!r} once (this test replaces it); update the test")
        text = text.replace(line, replacement)
    return text


def wrapper(runtime: Path, as_root: bool) -> str:
    """nginx.conf around the site file, with the logs a Debian server keeps by default."""
    # pytest's temporary folders are private to their owner, and nginx's workers would otherwise
    # drop to nobody, who could not read the site.
    user = "user root;\n" if as_root else ""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "".join(f"    {kind}_temp_path {runtime / kind};\n" for kind in kinds)
    return f"""{user}daemon off;
worker_processes 1;
pid {runtime}/nginx.pid;
error_log {runtime}/error.log error;
events {{
    worker_connections 256;
}}
http {{
    access_log {runtime}/access.log;
{temp}    include {runtime}/site.conf;
}}
"""


def _nginx_binary() -> str:
    found = shutil.which("nginx") or next((path for path in NGINX_PATHS if Path(path).exists()), None)
    if found is None:
        pytest.fail(f"These tests need Debian's nginx: run '{NGINX_INSTALL}' (as root; or run `make browser`).")
    return found


def _insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str]]:
    """Status and headers (lower-case names), asking for gzip as browsers do; redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=_insecure()))
    request = urllib.request.Request(url, method=method, headers={"Accept-Encoding": "gzip"})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        with error:  # an error response holds its socket until closed
            return error.code, {k.lower(): v for k, v in error.headers.items()}


@contextlib.contextmanager
def nginx_serving(dist: Path, runtime: Path) -> Iterator[Nginx]:
    """Debian's nginx serving ``dist`` with the deployed site file, from the private folder ``runtime``."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-keyout", str(runtime / "key.pem"), "-out", str(runtime / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = free_loopback_port(), free_loopback_port()
    (runtime / "site.conf").write_text(site_file(http_port, https_port, dist.resolve(), runtime))
    config = runtime / "nginx.conf"
    config.write_text(wrapper(runtime, as_root=os.geteuid() == 0))
    binary = _nginx_binary()
    command = [binary, "-p", str(runtime), "-e", "stderr", "-c", str(config)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, f"nginx -t refused the site file:\n{checked.stderr}"
    output = runtime / "nginx.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    server = Nginx(f"https://127.0.0.1:{https_port}/", f"http://127.0.0.1:{http_port}/", runtime)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited with status {process.returncode}:\n{output.read_text(errors='replace')}")
            try:
                fetch(server.https + "index.html", "HEAD")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"nginx did not answer within {STARTUP_SECONDS} s")
                time.sleep(0.2)
        yield server
    finally:
        stop_process(process, grace=10)


@pytest.fixture(scope="module")
def nginx(static_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    with nginx_serving(static_dist, tmp_path_factory.mktemp("nginx")) as server:
        yield server


def test_every_kind_of_response_from_the_deployed_file_carries_the_security_headers(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Issue 20, item 6, on a tiny site (no build needed): a page, a script, a folder's index, a
    missing file and the plain-HTTP redirect all carry the headers ``spotting serve --static`` sends."""
    from spotting_host.serve import STATIC_SITE_HEADERS

    site = tmp_path_factory.mktemp("tiny-site")
    (site / "index.html").write_text("<!DOCTYPE html><title>tiny</title>")
    (site / "voici").mkdir()
    (site / "voici" / "index.html").write_text("<!DOCTYPE html><title>folder</title>")
    (site / "app.js").write_text("export default 1;\n")
    with nginx_serving(site, tmp_path_factory.mktemp("tiny-nginx")) as server:
        responses = {
            "page": fetch(server.https + "index.html"),
            "script": fetch(server.https + "app.js"),
            "folder": fetch(server.https + "voici/"),
            "missing": fetch(server.https + "no-such-file.js"),
            "redirect": fetch(server.http + "index.html"),
        }
        assert [status for status, _ in responses.values()] == [200, 200, 200, 404, 301]
        for what, (status, headers) in responses.items():
            if what == "redirect":  # plain HTTP only ever says "go to HTTPS"
                continue
            for name, value in STATIC_SITE_HEADERS.items():
                assert headers.get(name.lower()) == value, f"{what} ({status}): {name} is {headers.get(name.lower())!r}"


def test_every_file_has_its_type_its_cache_rule_gzip_and_the_security_headers(nginx: Nginx, static_dist: Path) -> None:
    files = sorted(path for path in static_dist.rglob("*") if path.is_file())
    unknown = sorted({path.suffix or path.name for path in files} - set(TYPES) - set(NEVER_FETCHED))
    assert not unknown, f"files of a kind nginx has no type for: {unknown}; add them to {DEPLOYED.name} and TYPES"
    long_cached = []
    for path in files:
        name = path.relative_to(static_dist).as_posix()
        if path.suffix in NEVER_FETCHED or path.name in NEVER_FETCHED:
            continue
        status, headers = fetch(nginx.https + name, "HEAD")
        assert status == 200, f"{name}: {status}"
        assert headers["content-type"].split(";")[0] == TYPES[path.suffix], f"{name}: {headers['content-type']}"
        cache = headers.get("cache-control")
        if cache == LONG_CACHE:
            long_cached.append(name)
            # Kept for a year only if the name changes with the content: it carries a hash.
            assert path.suffix not in (".html", ".json"), f"{name}: HTML and JSON must be checked on each visit"
            assert HASH_IN_NAME.search(path.name), f"{name} is kept for a year, but its name has no hash"
        else:
            assert cache == "no-cache", f"{name}: Cache-Control {cache!r}"
        if path.suffix in COMPRESSED and path.stat().st_size >= 1024:
            assert headers.get("content-encoding") == "gzip", f"{name} is not compressed"
        for header, value in SECURITY_HEADERS.items():
            assert headers.get(header) == value, f"{name}: {header} is {headers.get(header)!r}"
        assert "content-security-policy" in headers, name
        assert headers["server"] == "nginx", f"{name}: the server tells its version ({headers['server']})"
    kept = set(long_cached)
    for name in SAME_NAME_NEXT_VERSION:
        assert name not in kept, f"{name} keeps its name across versions; it must be checked on each visit"
    for python in ("spotting-snapshot-", "spotting-site-packages-"):  # the largest files, made by the build
        assert any(re.search(rf"static/pyodide/{python}[0-9a-f]{{12}}\.", name) for name in kept), python
    assert len(kept) > 50, f"only {len(kept)} files are kept for a year"


def test_the_content_security_policy_allows_this_host_only(nginx: Nginx) -> None:
    _, headers = fetch(nginx.https + "voici/render/explorer.html", "HEAD")
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    sources = {source for value in policy.values() for source in value.split()}
    assert sources <= {"'self'", "'none'", "'unsafe-inline'", "'wasm-unsafe-eval'", "data:", "blob:"}, sources
    assert policy["default-src"] == "'self'" and policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'none'"
    assert "strict-transport-security" in headers


def test_a_folder_is_its_index_and_nothing_missing_is_logged(nginx: Nginx) -> None:
    """nginx logs a folder it may not list as an error, with the visitor's address: not here."""
    assert fetch(nginx.https)[0] == 200  # index.html
    for missing in ("voici/render/", "static/pyodide/", "voici/render/no-such-page.html"):
        status, headers = fetch(nginx.https + missing)
        assert status == 404, f"{missing}: {status}"
        assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-cache"
    assert nginx.logs() == {"access.log": "", "error.log": ""}, "nginx recorded the requests"


def test_plain_http_is_sent_to_https(nginx: Nginx) -> None:
    status, headers = fetch(nginx.http + "voici/render/explorer.html")
    assert status == 301
    assert headers["location"] == "https://127.0.0.1/voici/render/explorer.html"
    assert headers["server"] == "nginx", f"the server tells its version ({headers['server']})"


@dataclass
class Watch:
    """Everything in a browser context that would show the site or its headers breaking."""

    errors: list[str]
    wasm: list[Response]

    def console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.errors.append(f"console: {message.text}")

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")
        if response.url.endswith("/pyodide.asm.wasm"):
            self.wasm.append(response)


CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def test_from_the_site_root_both_pages_open_and_work_under_nginx(
    browser: Browser, nginx: Nginx, artifacts: Path
) -> None:
    """The root lists the notebooks; each opens and runs with the site's headers (its CSP
    included), every response is a success (no 404 for a service worker), no other host is
    asked, and nginx keeps no record of the visit."""
    context = browser.new_context(ignore_https_errors=True)  # the test's self-signed certificate
    try:
        elsewhere = guard(context, nginx.https)
        watch = Watch([], [])
        context.on("response", watch.response)
        context.on("requestfailed", lambda request: watch.errors.append(f"failed: {request.url} {request.failure}"))
        context.add_init_script(CSP_VIOLATIONS)
        root = context.new_page()
        root.on("console", watch.console)
        root.goto(nginx.https)
        explorer, startup = _open(root, "explorer.ipynb", "voici/render/explorer.html", watch)
        startup.expect_ready(explorer.locator(".sp-results > [data-section=start]"))
        explorer.screenshot(path=str(artifacts / "static-nginx-explorer.png"))
        assert_accessible(explorer, "explorer under nginx")
        teaching, startup = _open(root, "teaching.ipynb", "voici/render/teaching.html", watch)
        startup.expect_ready(teaching.get_by_role("combobox", name="What would you advise?"))
        for page in (root, explorer, teaching):
            page.wait_for_timeout(500)  # let late loads (fonts, widgets) finish before counting
            violations = page.evaluate("window.__cspViolations")
            assert violations == [], f"{page.url}: blocked by the Content-Security-Policy: {violations}"
        assert watch.wasm, "the page never fetched Python's WebAssembly"
        wasm = watch.wasm[0].all_headers()
        assert wasm["content-type"] == "application/wasm" and wasm.get("content-encoding") == "gzip", wasm
        assert watch.errors == [], "responses with an error status, or failed requests:\n" + "\n".join(watch.errors)
        assert elsewhere == [], f"requests to other hosts (aborted): {elsewhere}"
    finally:
        context.close()
    assert nginx.logs() == {"access.log": "", "error.log": ""}, "nginx recorded the visit"


def _open(root: Page, item: str, path: str, watch: Watch) -> tuple[Page, Startup]:
    """Open one notebook from the list at the site root: JupyterLite's list opens it in a new tab."""
    root.bring_to_front()
    with root.context.expect_page() as opened:
        # Only the list's current item has role=button (a roving tabindex), so find it by its text.
        root.locator(".jp-DirListing-itemText", has_text=item).click()
    page = opened.value
    page.on("console", watch.console)
    startup = Startup.watch(page)
    page.wait_for_load_state()
    assert page.url.split("?")[0] == root.url.split("voici/")[0] + path, page.url
    return page, startup
