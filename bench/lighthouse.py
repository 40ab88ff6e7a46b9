"""Lighthouse: the explorer beside a bare Voila notebook, on a throttled phone and on a desktop.

Not a test: it prints numbers. Run ``.venv/bin/python bench/lighthouse.py`` (or ``make lighthouse``),
after ``npm ci --prefix bench`` has installed the pinned Lighthouse (bench/package-lock.json).

Each run is Lighthouse's CLI driving Debian's chromium (/usr/bin/chromium) against one page load:
its default mobile settings (simulated slow 4G and a 4x slower CPU) and ``--preset=desktop``.
Every notebook is served by bench/dashboard.py's ``voila()`` with the production settings, and all
of them in the same run, their loads taking turns, so a busy moment on the shared machine falls on
each of them alike. Preheated (the default, as ``spotting serve`` runs): the kernel has already run
the notebook and the page still has to build every widget model. Cold: the kernel starts and runs
the notebook during the page load.

The explorer shows its start card on page load, before any answer: that is what LCP measures.
Every request of every run must go to 127.0.0.1; a run with any other request stops the benchmark.
``--explorer before=/path/to/checkout`` adds an older checkout's explorer to the same run.

``--static DIST`` measures the static site instead (issue 24): its explorer page served from a
built ``dist/`` by the plain static server of ``spotting serve --static``, a cold visit each run
(Lighthouse's fresh profile). Lighthouse 12 has no PWA category any more, so whether Chrome would
install the page is asked of Chrome itself, as Lighthouse 11 did: DevTools'
``Page.getInstallabilityErrors`` after a visit (none means it meets Chrome's install criteria),
with the manifest Chrome parsed (``Page.getAppManifest``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chromium import CHROMIUM, CHROMIUM_ARGS, missing
from dashboard import POOL_FILL_SECONDS, ROOT, Target, bare_target, voila

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
FORM_FACTORS = ("mobile", "desktop")
# The targets: a phone sees the first content within twice a bare notebook's time; the
# desktop score stays within 10 % of bare; no accessibility audit fails.
LCP_RATIO_MAX = 2.0
DESKTOP_SCORE_RATIO_MIN = 0.9
ATTEMPTS = 3
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension"}


@dataclass
class Run:
    lcp_ms: float
    observed_lcp_ms: float
    lcp_element: str
    fcp_ms: float
    tbt_ms: float
    performance: float
    accessibility: float
    failing_a11y: list[str]


@dataclass
class Series:
    """Every run of one notebook in one form factor."""

    runs: list[Run] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(run, name) for run in self.runs)

    def failing_a11y(self) -> list[str]:
        return sorted({audit for run in self.runs for audit in run.failing_a11y})


def lighthouse(url: str, form_factor: str, out: Path) -> dict[str, Any]:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])  # CHROMIUM_ARGS include --no-sandbox
    command = [
        str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
        "--only-categories=performance,accessibility", f"--chrome-flags={flags}",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    for attempt in range(1, ATTEMPTS + 1):
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if run.returncode == 0:
            report: dict[str, Any] = json.loads(out.read_text())
            if not report.get("runtimeError"):
                return report
            error = str(report["runtimeError"])
        else:
            error = run.stderr[-3000:]
        # On a loaded machine a DevTools call can time out (Network.getResponseBody): say so, retry.
        print(f"  lighthouse attempt {attempt} failed: {error.strip()}", file=sys.stderr)
        time.sleep(POOL_FILL_SECONDS)  # the failed load took a pooled kernel too
    raise RuntimeError(f"lighthouse failed {ATTEMPTS} times on {url}")


def off_machine_requests(report: dict[str, Any]) -> list[str]:
    """Every request the page made that did not go to 127.0.0.1 (there must be none)."""
    items = report["audits"]["network-requests"]["details"]["items"]
    return [
        item["url"]
        for item in items
        if urlsplit(item["url"]).scheme not in LOCAL_SCHEMES and urlsplit(item["url"]).hostname != "127.0.0.1"
    ]


def lcp_element(audits: dict[str, Any]) -> str:
    """What Lighthouse took as the largest paint: for a bare notebook it is sometimes Voila's
    loading message and sometimes the widgets, which changes its LCP several-fold."""
    try:
        node = audits["largest-contentful-paint-element"]["details"]["items"][0]["items"][0]["node"]
    except (KeyError, IndexError):
        return "(none reported)"
    label = str(node.get("nodeLabel", node.get("selector", ""))).replace("\u200b", "")
    return " ".join(label.split())[:40]


def parse(report: dict[str, Any]) -> Run:
    audits = report["audits"]
    categories = report["categories"]
    failing = [
        ref["id"]
        for ref in categories["accessibility"]["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]
    return Run(
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        observed_lcp_ms=audits["metrics"]["details"]["items"][0]["observedLargestContentfulPaint"],
        lcp_element=lcp_element(audits),
        fcp_ms=audits["first-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        performance=100 * categories["performance"]["score"],
        accessibility=100 * categories["accessibility"]["score"],
        failing_a11y=failing,
    )


def measure(
    targets: list[Target], preheat: bool, runs: int, form_factors: list[str], scratch: Path, keep_json: Path | None
) -> dict[tuple[str, str], Series]:
    results: dict[tuple[str, str], Series] = {(t.name, f): Series() for t in targets for f in form_factors}
    with ExitStack() as stack:
        urls = {t.name: stack.enter_context(voila(t, preheat=preheat, scratch=scratch))[0] for t in targets}
        for index in range(runs):
            for form_factor in form_factors:
                # Each run starts with another notebook: the one right after another's run shares
                # the machine with that run's closing Chromium and Lighthouse (docs/serving.md).
                turn = index % len(targets)
                for target in targets[turn:] + targets[:turn]:
                    out = scratch / f"{target.name}-{form_factor}-{'pre' if preheat else 'cold'}-{index}.json"
                    start = time.monotonic()
                    report = lighthouse(urls[target.name], form_factor, out)
                    seconds = time.monotonic() - start
                    stray = off_machine_requests(report)
                    if stray:
                        raise RuntimeError(f"{target.name} made requests off this machine: {stray}")
                    run = parse(report)
                    results[target.name, form_factor].runs.append(run)
                    if keep_json:
                        keep_json.mkdir(parents=True, exist_ok=True)
                        shutil.copy(out, keep_json)
                    print(f"  {target.name} {form_factor} run {index + 1}: LCP {run.lcp_ms / 1000:.1f} s, "
                          f"performance {run.performance:.0f} ({seconds:.0f} s)", file=sys.stderr)  # fmt: skip
                    if preheat:
                        time.sleep(POOL_FILL_SECONDS)  # the pool refills before the next visitor
    return results


def rows(targets: list[Target], results: dict[tuple[str, str], Series], form_factor: str) -> Iterator[str]:
    names = [t.name for t in targets]
    explorers = names[:-1]  # bare comes last
    header = f"{'median':22}" + "".join(f"{n:>10}" for n in names) + "".join(f"{n + '/bare':>16}" for n in explorers)
    yield header
    for label, attr, scale in (
        ("LCP (s)", "lcp_ms", 1000),
        ("LCP unthrottled (s)", "observed_lcp_ms", 1000),
        ("FCP (s)", "fcp_ms", 1000),
        ("TBT (ms)", "tbt_ms", 1),
        ("performance score", "performance", 1),
        ("accessibility score", "accessibility", 1),
    ):
        values = {n: results[n, form_factor].median(attr) / scale for n in names}
        line = f"{label:22}" + "".join(f"{values[n]:10.1f}" for n in names)
        line += "".join(f"{values[n] / values['bare'] if values['bare'] else float('nan'):16.2f}" for n in explorers)
        yield line


def verdicts(targets: list[Target], results: dict[tuple[str, str], Series]) -> Iterator[str]:
    for target in targets[:-1]:
        name = target.name
        if (name, "mobile") in results:
            ratio = results[name, "mobile"].median("lcp_ms") / results["bare", "mobile"].median("lcp_ms")
            yield f"{name}: mobile LCP {ratio:.2f}x bare (target <= {LCP_RATIO_MAX}x): {_met(ratio <= LCP_RATIO_MAX)}"
        if (name, "desktop") in results:
            score = results[name, "desktop"].median("performance") / results["bare", "desktop"].median("performance")
            met = _met(score >= DESKTOP_SCORE_RATIO_MIN)
            yield f"{name}: desktop performance {score:.2f}x bare (target >= {DESKTOP_SCORE_RATIO_MIN}x): {met}"
        series = [s for (n, _), s in results.items() if n == name]
        a11y = min(s.median("accessibility") for s in series)
        failing = sorted({audit for s in series for audit in s.failing_a11y()})
        detail = f" (failing audits: {', '.join(failing)})" if failing else ""
        yield f"{name}: accessibility {a11y:.0f} (target 100): {_met(a11y >= 100)}{detail}"


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(targets: list[Target], results: dict[tuple[str, str], Series], mode: str, runs: int) -> None:
    for form_factor in sorted({f for _, f in results}, key=FORM_FACTORS.index):
        print(f"\n{form_factor}, {mode} kernel, median of {runs} run(s)")
        for line in rows(targets, results, form_factor):
            print(line)
    bare_failing = sorted({a for (n, _), s in results.items() if n == "bare" for a in s.failing_a11y()})
    print(f"\ntargets ({mode} kernel):")
    for line in verdicts(targets, results):
        print(f"  {line}")
    if bare_failing:
        print(f"  (bare Voila fails these accessibility audits too: {', '.join(bare_failing)})")
    raw = {f"{n} {f}": [round(r.lcp_ms) for r in s.runs] for (n, f), s in results.items()}
    print(f"raw LCP (ms), {mode}: {json.dumps(raw)}")
    elements = {f"{n} {f}": [r.lcp_element for r in s.runs] for (n, f), s in results.items()}
    print(f"LCP element per run, {mode}: {json.dumps(elements, ensure_ascii=False)}")


INSTALLED = """async () => {
  const worker = (await navigator.serviceWorker.ready).active;
  while (worker.state !== "activated") {
    await new Promise(done => worker.addEventListener("statechange", done, { once: true }));
  }
}"""
"""Resolves once the site's offline worker is active (bench/static.py's SAVED)."""


def installability(url: str, scratch: Path) -> tuple[list[str], str]:
    """Chrome's own reasons not to offer installing ``url`` (none: installable), and the manifest
    it found, after a visit that shows the first advice and lets the offline worker finish."""
    from chromium import launch_options
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="install-", dir=scratch), **launch_options(), headless=True
        )
        try:
            page = context.new_page()
            page.goto(url)
            page.locator(".sp-results [data-section=start]").wait_for(state="visible", timeout=120_000)
            page.evaluate(INSTALLED)
            cdp = context.new_cdp_session(page)
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            manifest = cdp.send("Page.getAppManifest")
        finally:
            context.close()
    reasons = [
        error["errorId"] + "".join(f" {a['name']}={a['value']}" for a in error["errorArguments"]) for error in errors
    ]
    reasons += [f"manifest: {error['message']}" for error in manifest.get("errors", [])]
    return reasons, manifest.get("url", "(no manifest)")


def measure_static(dist: Path, runs: int, form_factors: list[str], scratch: Path, keep_json: Path | None) -> None:
    """Lighthouse on the static explorer (a cold visit each run), then Chrome's installability check."""
    import threading

    from spotting_host.serve import STATIC_PAGES, static_server

    server = static_server(dist, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{STATIC_PAGES['explorer']}"
    results = {form_factor: Series() for form_factor in form_factors}
    try:
        for index in range(runs):
            for form_factor in form_factors:
                out = scratch / f"static-{form_factor}-{index}.json"
                report = lighthouse(url, form_factor, out)
                stray = off_machine_requests(report)
                if stray:
                    raise RuntimeError(f"the static site made requests off this machine: {stray}")
                run = parse(report)
                results[form_factor].runs.append(run)
                if keep_json:
                    keep_json.mkdir(parents=True, exist_ok=True)
                    shutil.copy(out, keep_json)
                scores = f"LCP {run.lcp_ms / 1000:.1f} s, performance {run.performance:.0f}"
                print(
                    f"  static {form_factor} run {index + 1}: {scores}, a11y {run.accessibility:.0f}", file=sys.stderr
                )
        reasons, manifest = installability(url, scratch)
    finally:
        server.shutdown()
    print(f"\nstatic explorer ({dist}), cold visits, median of {runs} run(s)")
    print(f"{'median':22}" + "".join(f"{form_factor:>10}" for form_factor in form_factors))
    for label, attr, scale in (
        ("LCP (s)", "lcp_ms", 1000), ("FCP (s)", "fcp_ms", 1000), ("TBT (ms)", "tbt_ms", 1),
        ("performance score", "performance", 1), ("accessibility score", "accessibility", 1),
    ):  # fmt: skip
        print(f"{label:22}" + "".join(f"{results[f].median(attr) / scale:10.1f}" for f in form_factors))
    failing = sorted({audit for series in results.values() for audit in series.failing_a11y()})
    a11y = min(series.median("accessibility") for series in results.values())
    print("\ntargets (static explorer, issue 24):")
    detail = f" (failing audits: {', '.join(failing)})" if failing else ""
    print(f"  accessibility {a11y:.0f} (target 100): {_met(a11y >= 100)}{detail}")
    verdict = "met" if not reasons else "MISSED: " + "; ".join(reasons)
    print(f"  installable by Chrome's criteria (manifest {manifest}): {verdict}")


def explorer_target(name: str, root: Path) -> Target:
    root = root.resolve()
    return Target(name, root / "notebooks" / "explorer.ipynb", root, ".sp-results", root=root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per notebook and form factor (default 3)")
    parser.add_argument("--form-factor", choices=[*FORM_FACTORS, "both"], default="both")
    parser.add_argument("--kernel", choices=["preheated", "cold", "both"], default="preheated")
    parser.add_argument(
        "--explorer", action="append", metavar="NAME=CHECKOUT", default=[],
        help="an explorer to measure, from a checkout of this repository (default: explorer=this one); repeatable",
    )  # fmt: skip
    parser.add_argument("--keep-json", type=Path, help="copy every Lighthouse JSON report into this folder")
    parser.add_argument("--static", type=Path, metavar="DIST", help="measure the static site built in DIST instead")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci --prefix bench` (make lighthouse does)")
    if missing():
        sys.exit(missing())
    explorers = [spec.split("=", 1) for spec in args.explorer] or [["explorer", str(ROOT)]]
    form_factors = list(FORM_FACTORS) if args.form_factor == "both" else [args.form_factor]
    modes = ["preheated", "cold"] if args.kernel == "both" else [args.kernel]
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True).stdout
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=True).stdout
    print(f"lighthouse {version.strip()}, {chromium.strip()}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="spotting-lighthouse-") as scratch_dir:
        scratch = Path(scratch_dir)
        if args.static:
            load = os.getloadavg()[0]
            measure_static(args.static, args.runs, form_factors, scratch, args.keep_json)
            print(f"load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at the end")
            return
        targets = [explorer_target(name, Path(root)) for name, root in explorers] + [bare_target(scratch)]
        for mode in modes:
            results = measure(targets, mode == "preheated", args.runs, form_factors, scratch, args.keep_json)
            report(targets, results, mode, args.runs)
    print("targets: mobile LCP <= 2x bare; desktop performance >= 0.9x bare; accessibility 100")


if __name__ == "__main__":
    main()
