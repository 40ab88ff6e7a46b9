"""Benchmark a class arriving at once: N learners open the explorer within 10 s, answer, and leave.

Not a test: it prints numbers. Run ``.venv/bin/python bench/classroom.py --learners 30`` (learners
in headless Chromium) or add ``--client protocol`` (learners that speak the widget protocol over
the kernel websocket: the server's share alone, see below).

The explorer is served exactly as a teacher would serve it, ``spotting serve explorer --learners
N`` (a private HOME/runtime/tmp, a free loopback port). Once the preheated pool is full, N
simulated learners (one headless Chromium, one browser context each, so no shared cookies or
cache) arrive at random moments within the arrival window. Each one:

* opens the page and waits for the first result (the start card): "first result";
* gives an age, then changes an answer ``--answers`` times, each time timed inside the page from
  the change event to the updated care card (plus one animation frame): "toggle";
* closes the page the way a tab is closed (``beforeunload`` runs, so the close beacon is sent).

It waits for ``spotting serve`` to print "Ready" (the pool has run the notebook), as a teacher
would, then prints first-result p50/p95, toggle p95, errors (a busy page, a timeout, anything raised),
the peak memory of the server and its kernels (sum of RSS, sampled every 0.5 s; shared pages are
counted once per process, so this overstates a little), the peak kernel count, and the kernel
count once everyone has left (waiting up to 30 s for it to return to the pool size).

The browser runs on the same machine and takes CPU from the server, as it would not in a real
classroom (each learner's device runs its own page): on 2 cores the numbers are pessimistic, and
the CPU seconds spent by the server, the kernels and the simulated browsers are printed so the
reader can see how much. ``--client protocol`` removes the browsers: each learner fetches the
page, connects to its kernel's websocket and asks for the widgets' state as the page's widget
manager does ("first result" is when that state arrives, i.e. before any drawing), changes
answers by sending widget updates (a toggle ends when the care card in the results widget
changes), and leaves by posting the page's close beacon.

``--workers K`` serves with ``spotting serve --workers K``: K Voila processes behind nginx, the
learners shared between them (docs/serving.md, "Beyond one process"). The table then also shows
how many kernels each worker held at its peak, and nginx's CPU seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import psutil
from chromium import free_port, launch_options, missing
from dashboard import EXPLORER_TOGGLE_JS, stop
from playwright.async_api import Browser, async_playwright
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from spotting import load_knowledge
from spotting_host.serve import max_kernels_for, pool_size_for

ROOT = Path(__file__).resolve().parent.parent
FIRST_RESULT = ".sp-results [data-section=start]"
CARE_CARD = ".sp-results [data-section=care]"
LEFT_WITHIN_SECONDS = 30


@dataclass
class Learner:
    kernel: str | None = None
    """The kernel id the page was given (protocol learners): its prefix names the worker."""
    first_result_ms: float | None = None
    toggle_ms: list[float] = field(default_factory=list)
    error: str | None = None


@dataclass
class Sampler:
    """Samples the server's memory (RSS of the server and every child) and kernel count."""

    server: psutil.Process
    peak_mb: float = 0.0
    peak_kernels: int = 0
    peak_by_worker: dict[int, int] = field(default_factory=dict)
    """Most kernels each Voila process (by pid) held at once: with --workers, how the class spread."""
    cpu: dict[int, tuple[str, float]] = field(default_factory=dict)
    """CPU seconds (user + system) last seen for each process this benchmark started, by role."""
    _stop: threading.Event = field(default_factory=threading.Event)

    def kernels(self) -> list[psutil.Process]:
        found = []
        for child in self.server.children(recursive=True):
            try:
                if "ipykernel" in " ".join(child.cmdline()) and child.status() != psutil.STATUS_ZOMBIE:
                    found.append(child)
            except psutil.NoSuchProcess:
                continue
        return found

    def sample(self) -> None:
        total = 0
        for process in [self.server, *self.server.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        self.peak_mb = max(self.peak_mb, total / 2**20)
        kernels = self.kernels()
        self.peak_kernels = max(self.peak_kernels, len(kernels))
        by_worker: dict[int, int] = {}
        for kernel in kernels:
            by_worker[kernel.ppid()] = by_worker.get(kernel.ppid(), 0) + 1
        for pid, count in by_worker.items():
            self.peak_by_worker[pid] = max(self.peak_by_worker.get(pid, 0), count)
        served = {self.server.pid, *(child.pid for child in self.server.children(recursive=True))}
        for process in psutil.Process().children(recursive=True):
            try:
                times = process.cpu_times()
                command = " ".join(process.cmdline())
                role = (
                    "kernels" if "ipykernel" in command
                    else "nginx" if process.pid in served and process.name() == "nginx"
                    else "server" if process.pid in served
                    else "browser"
                )  # fmt: skip
                self.cpu[process.pid] = (role, times.user + times.system)
            except psutil.Error:
                continue  # ended while we looked: at most one interval of its CPU is lost

    def cpu_seconds(self, role: str) -> float:
        return sum(seconds for kind, seconds in self.cpu.values() if kind == role)

    def run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(0.5)

    def stop(self) -> None:
        self._stop.set()


def serve(learners: int, sandbox: Path, workers: int = 1) -> tuple[str, subprocess.Popen[bytes], Path]:
    """``spotting serve explorer --learners N [--workers K]`` with a private HOME/runtime/tmp."""
    port = free_port()
    env = dict(os.environ)
    for name in ("home", "runtime", "ipython", "tmp"):
        (sandbox / name).mkdir()
    env.update(
        HOME=str(sandbox / "home"),
        JUPYTER_RUNTIME_DIR=str(sandbox / "runtime"),
        IPYTHONDIR=str(sandbox / "ipython"),
        TMPDIR=str(sandbox / "tmp"),
    )
    log = sandbox / "voila.log"
    command = [sys.executable, "-m", "spotting", "serve", "explorer", "--learners", str(learners), f"--port={port}"]
    if workers > 1:
        command.append(f"--workers={workers}")
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90 * workers
    while True:
        try:
            urllib.request.urlopen(f"{url}voila/static/voila.js", timeout=2).close()
            return url, process, log
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                sys.exit(f"spotting serve did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)


def wait_for_kernels(sampler: Sampler, count: int, seconds: float) -> tuple[int, float]:
    start = time.monotonic()
    while True:
        now = len(sampler.kernels())
        elapsed = time.monotonic() - start
        if now == count or elapsed > seconds:
            return now, elapsed
        time.sleep(0.25)


async def learner(browser: Browser, url: str, delay: float, answers: int, age_label: str, toggle_label: str) -> Learner:
    result = Learner()
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        response = await page.goto(url, timeout=180_000)
        if response is None or response.status != 200:
            result.error = f"HTTP {response.status if response else '?'}"
            return result
        await page.locator(FIRST_RESULT).first.wait_for(state="visible", timeout=180_000)
        result.first_result_ms = (time.perf_counter() - start) * 1000
        age = page.get_by_role("textbox", name=age_label, exact=True)
        await age.fill("30")
        await age.press("Enter")
        await page.locator(CARE_CARD).wait_for(timeout=60_000)
        for step in range(answers):
            # "Yes" (an emergency), then "I'm not sure" (not answered): the care card changes each time.
            toggle = page.evaluate(EXPLORER_TOGGLE_JS, [toggle_label, step % 2 == 0])
            _dom, frame = await asyncio.wait_for(toggle, 60)  # to the next animation frame, as before
            result.toggle_ms.append(float(frame))
        await page.close(run_before_unload=True)  # as closing a tab: the close beacon is sent
    except Exception as error:  # a benchmark counts failures rather than stopping at the first
        result.error = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        await asyncio.sleep(0.5)  # let the beacon leave before the context goes
        await context.close()
    return result


# -- learners that speak the widget protocol -------------------------------------------------------
# The same visit without a browser: what the laptop has to do for a class whose pages run on the
# learners' own devices. The page is fetched over HTTP; then, as the page's widget manager does,
# the client connects to its kernel's websocket, asks for every widget's state (the moment the
# browser could draw the first result), changes answers by sending widget updates, and on leaving
# posts the same shutdown beacon the page sends.

CONFIG_DATA = re.compile(r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>', re.S)
URGENCY = re.compile(r'data-section="care" data-urgency="([a-z_]+)"')


class WidgetClient:
    """One page's kernel connection: Jupyter messages as JSON over the websocket."""

    def __init__(self, connection: WebSocketClientConnection) -> None:
        self.connection = connection
        self.session = uuid.uuid4().hex
        self.states: dict[str, dict[str, Any]] = {}

    def send(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None) -> None:
        header = {
            "msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": self.session, "username": "learner",
            "date": datetime.datetime.now(datetime.UTC).isoformat(), "version": "5.3",
        }  # fmt: skip
        message = {
            "header": header, "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": "shell",
        }  # fmt: skip
        self.connection.write_message(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        raw = await self.connection.read_message()
        if raw is None:
            raise ConnectionError("the kernel websocket closed")
        return dict(json.loads(raw))

    async def request_states(self) -> None:
        comm_id = uuid.uuid4().hex
        # ipywidgets refuses a control comm without its protocol version, as the page sends it.
        self.send(
            "comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}}, {"version": "1.0.0"}
        )
        self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        while True:
            message = await self.receive()
            data = message.get("content", {}).get("data", {})
            if message.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                self.states = {model: entry["state"] for model, entry in data["states"].items()}
                return

    def form(self) -> str:
        """The questions form's model (spotting.explorer.form.QuestionForm: the one with a ``spec``)."""
        return next(model for model, state in self.states.items() if "spec" in state and "answers" in state)

    async def choose(self, model: str, answers: dict[str, Any], until: Callable[[str], bool]) -> tuple[float, str]:
        """Send the answers, as the form does; milliseconds until the results widget's value
        satisfies ``until``, and that value."""
        start = time.perf_counter()
        self.send("comm_msg", {"comm_id": model, "data": {"method": "update", "state": {"answers": answers},
                                                          "buffer_paths": []}})  # fmt: skip
        while True:
            message = await self.receive()
            data = message.get("content", {}).get("data", {})
            value = data.get("state", {}).get("value") if data.get("method") == "update" else None
            if isinstance(value, str) and "data-section=" in value and until(value):
                return (time.perf_counter() - start) * 1000, value


def urgency(html: str) -> str | None:
    found = URGENCY.search(html)
    return found.group(1) if found else None


async def protocol_learner(url: str, delay: float, answers: int, age_field: str, toggle_field: str) -> Learner:
    result = Learner()
    await asyncio.sleep(delay)
    client = AsyncHTTPClient()
    connection = None
    try:
        start = time.perf_counter()
        response = await client.fetch(url, raise_error=False, request_timeout=180)
        if response.code != 200:
            result.error = f"HTTP {response.code}"
            return result
        cookies = "; ".join(c.split(";")[0] for c in response.headers.get_list("Set-Cookie"))
        token = uuid.uuid4().hex
        cookies = f"{cookies}; _xsrf={token}" if cookies else f"_xsrf={token}"
        found = CONFIG_DATA.search(response.body.decode())
        if found is None:
            result.error = "the page has no kernel"
            return result
        kernel = json.loads(found.group(1))["kernelId"]
        result.kernel = kernel
        ws_url = url.replace("http://", "ws://") + f"api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
        connection = await websocket_connect(HTTPRequest(ws_url, headers={"Cookie": cookies}, connect_timeout=60))
        widgets = WidgetClient(connection)
        await asyncio.wait_for(widgets.request_states(), 180)
        result.first_result_ms = (time.perf_counter() - start) * 1000
        form = widgets.form()
        _, html = await asyncio.wait_for(
            widgets.choose(form, {age_field: 30}, lambda html: urgency(html) is not None), 60
        )
        for step in range(answers):
            # True (an emergency), then None ("I'm not sure"): the care card changes each time.
            changed = partial(lambda h, now: urgency(h) not in (None, now), now=urgency(html))
            state = {age_field: 30, toggle_field: True if step % 2 == 0 else None}
            ms, html = await asyncio.wait_for(widgets.choose(form, state, changed), 60)
            result.toggle_ms.append(ms)
        # What the page's close beacon does (with the cookie the project template sets).
        await client.fetch(
            f"{url}voila/api/shutdown/{kernel}", method="POST", body=f"_xsrf={token}",
            headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"}, raise_error=False,
        )  # fmt: skip
    except Exception as error:  # a benchmark counts failures rather than stopping at the first
        result.error = f"{type(error).__name__}: {str(error).splitlines()[0][:120] if str(error) else ''}"
    finally:
        if connection is not None:
            connection.close()
    return result


async def arrive(url: str, learners: int, window: float, answers: int, seed: int, client: str) -> list[Learner]:
    questions = load_knowledge().questions
    age_label, toggle_label = questions["age"].label, questions["dizzy_or_faint"].label
    rng = random.Random(seed)
    delays = sorted(rng.uniform(0, window) for _ in range(learners))
    if client == "protocol":
        AsyncHTTPClient.configure(None, max_clients=max(10, learners))
        return list(
            await asyncio.gather(*(protocol_learner(url, delay, answers, "age", "dizzy_or_faint") for delay in delays))
        )
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options())
        try:
            return list(
                await asyncio.gather(
                    *(learner(browser, url, delay, answers, age_label, toggle_label) for delay in delays)
                )
            )
        finally:
            await browser.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def report(args: argparse.Namespace, results: list[Learner], sampler: Sampler, left: tuple[int, float]) -> None:
    pool = pool_size_for(args.learners)
    first = [r.first_result_ms for r in results if r.first_result_ms is not None]
    toggles = [ms for r in results for ms in r.toggle_ms]
    errors = [r.error for r in results if r.error]
    after, seconds = left
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB")
    print(
        f"{args.learners} learners ({args.client}) arriving within {args.arrival:g} s, "
        f"{args.answers} answer changes each; "
        f"pool {pool}, limit {max_kernels_for(args.learners, pool)}"
        + (f", {args.workers} workers behind nginx" if args.workers > 1 else "")
    )
    rows = [
        ("first result p50 (ms)", f"{statistics.median(first):.0f}" if first else "-"),
        ("first result p95 (ms)", f"{p95(first):.0f}" if first else "-"),
        ("toggle p95 (ms)", f"{p95(toggles):.0f}" if toggles else "-"),
        ("toggle median (ms)", f"{statistics.median(toggles):.0f}" if toggles else "-"),
        ("errors", str(len(errors))),
        ("peak memory, server + kernels RSS (MB)", f"{sampler.peak_mb:.0f}"),
        ("peak kernels", str(sampler.peak_kernels)),
        (f"kernels after all left (pool {pool})", f"{after} after {seconds:.1f} s"),
        ("CPU s since start: Voila server(s)", f"{sampler.cpu_seconds('server'):.0f}"),
        ("CPU s since start: kernels", f"{sampler.cpu_seconds('kernels'):.0f}"),
        ("CPU s since start: simulated browsers", f"{sampler.cpu_seconds('browser'):.0f}"),
    ]
    if args.workers > 1:
        spread = " / ".join(str(count) for _, count in sorted(sampler.peak_by_worker.items()))
        rows.append(("peak kernels per worker", spread))
        rows.append(("CPU s since start: nginx", f"{sampler.cpu_seconds('nginx'):.1f}"))
    for name, value in rows:
        print(f"{name:44} {value:>16}")
    for error in errors:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30, help="simulated learners (default 30)")
    parser.add_argument("--arrival", type=float, default=10.0, help="arrival window in seconds (default 10)")
    parser.add_argument("--answers", type=int, default=10, help="answer changes per learner (default 10)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the arrival times")
    parser.add_argument(
        "--client", choices=("browser", "protocol"), default="browser",
        help="browser: a Chromium context per learner; protocol: the widget protocol over the kernel websocket",
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=1, help="Voila processes behind nginx (spotting serve --workers; default 1)"
    )
    parser.add_argument("--log", type=Path, default=None, help="copy the server's log here (it holds no answers)")
    args = parser.parse_args()
    if missing():
        sys.exit(missing())
    with tempfile.TemporaryDirectory(prefix="spotting-classroom-") as scratch:
        url, process, log = serve(args.learners, Path(scratch), args.workers)
        sampler = Sampler(psutil.Process(process.pid))
        try:
            # The teacher starts the server before the class arrives and waits for "Ready".
            ready_at = time.monotonic()
            while "Ready:" not in log.read_text(errors="replace"):
                if time.monotonic() - ready_at > 600 or process.poll() is not None:
                    sys.exit(f"the pool never filled:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.5)
            pool = pool_size_for(args.learners)
            print(f"pool of {pool} ready {time.monotonic() - ready_at:.0f} s after the server answered", flush=True)
            watcher = threading.Thread(target=sampler.run, daemon=True)
            watcher.start()
            results = asyncio.run(arrive(url, args.learners, args.arrival, args.answers, args.seed, args.client))
            left = wait_for_kernels(sampler, pool_size_for(args.learners), LEFT_WITHIN_SECONDS)
            sampler.stop()
            watcher.join()
        finally:
            stop(process)
            if args.log is not None:
                shutil.copyfile(log, args.log)
    report(args, results, sampler, left)


if __name__ == "__main__":
    main()
