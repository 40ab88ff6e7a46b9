"""``spotting serve --workers 2``: two Voila processes behind Debian's nginx, as a larger class gets.

The learners are bench/classroom.py's protocol learners (the page's widget protocol over the
kernel websocket, the close beacon on leaving), through nginx's address only. Kernels are
counted as processes, each under the worker that started it; a kernel id names its worker in
its first two hex digits, which is what nginx routes by.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from spotting_host import serve, workers

from ..conftest import ROOT, VoilaServer, kernel_processes, start_serve

sys.path.insert(0, str(ROOT / "bench"))
import classroom  # bench/ is a folder of scripts, not a package

pytestmark = pytest.mark.browser

LEARNERS, ANSWERS = 20, 4
FREED_WITHIN_SECONDS = 30
KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")


@pytest.fixture(scope="module")
def nginx() -> str:
    """Debian's nginx, which ``make browser`` installs like chromium; never a silent skip."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        pytest.fail(f"These tests need Debian's nginx: run `make browser` or '{workers.NGINX_INSTALL}' as root.")
    return found


def wait_for_ready(server: VoilaServer, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not re.search(r"^Ready:", server.output(), re.M):
        if time.monotonic() > deadline or server.process.poll() is not None:
            pytest.fail(f"the pools never filled:\n{server.output()[-3000:]}")
        time.sleep(0.5)


def worker_of(process: psutil.Process) -> int | None:
    """Which worker (0, 1, …) a Voila process is, from the arguments ``--workers`` started it with."""
    command = process.cmdline()
    return int(command[command.index("--worker-index") + 1]) if "--worker-index" in command else None


def kernels_by_worker(server: VoilaServer) -> dict[str, int]:
    """Every live kernel id, and the worker whose process it runs under."""
    found = {}
    for kernel in kernel_processes(server):
        try:
            kernel_id = KERNEL_FILE.search(" ".join(kernel.cmdline()))
            index = worker_of(kernel.parent())
        except psutil.NoSuchProcess:
            continue
        if kernel_id is not None and index is not None:
            found[kernel_id.group(1)] = index
    return found


def arrive(url: str) -> list[classroom.Learner]:
    """The benchmark's protocol learners, on an event loop of their own: Playwright's sync API
    keeps one running on this thread when browser tests ran before."""
    results: list[list[classroom.Learner]] = []
    thread = threading.Thread(
        target=lambda: results.append(asyncio.run(classroom.arrive(url, LEARNERS, 5.0, ANSWERS, 1, "protocol")))
    )
    thread.start()
    thread.join()
    assert results, "the learners' event loop failed; see the output above"
    return results[0]


def test_nginx_accepts_the_generated_configuration(nginx: str, tmp_path: Path) -> None:
    plan = serve.Plan("explorer", "notebooks/explorer.ipynb", "127.0.0.1", 8866, 20, 20, 24, workers=2)
    config = tmp_path / "nginx.conf"
    shares = workers.worker_plans(plan, [9001, 9002])
    config.write_text(workers.nginx_config("127.0.0.1", 8866, shares, tmp_path, as_root=False))
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-e", "stderr", "-c", str(config)], capture_output=True)
    assert checked.returncode == 0, checked.stderr.decode()


def test_twenty_learners_through_nginx_spread_over_two_workers_and_closed_pages_free_their_kernels(
    nginx: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    server = start_serve(tmp_path_factory.mktemp("workers-sandbox"), "--workers", "2", "--learners", str(LEARNERS))
    seen: dict[str, int] = {}
    family: list[psutil.Process] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.update(kernels_by_worker(server))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    try:
        wait_for_ready(server, 240)
        watcher.start()
        learners = arrive(server.url)
        assert [learner.error for learner in learners if learner.error] == []
        # Each toggle is counted only once the care card in the results widget changed.
        assert [len(learner.toggle_ms) for learner in learners] == [ANSWERS] * LEARNERS
        kernels = [learner.kernel for learner in learners]
        assert all(kernel is not None for kernel in kernels)
        assert len(set(kernels)) == LEARNERS  # one kernel per page
        for kernel in kernels:
            assert kernel is not None
            # The kernel lived in the worker its id names: the page, its websocket and its
            # toggles all reached that worker through nginx.
            assert seen.get(kernel) == int(kernel[:2], 16), (kernel, seen.get(kernel))
        by_worker = [sum(1 for kernel in kernels if kernel and kernel.startswith(f"0{index}")) for index in (0, 1)]
        assert min(by_worker) >= LEARNERS // 4, f"learners per worker: {by_worker}"  # nginx spread them

        # Everyone has left (each posted the page's close beacon through nginx): every learner's
        # kernel is shut down by the worker that held it, and each worker is back to its pool.
        deadline = time.monotonic() + FREED_WITHIN_SECONDS
        while set(kernels) & set(kernels_by_worker(server)) and time.monotonic() < deadline:
            time.sleep(0.25)
        assert not set(kernels) & set(kernels_by_worker(server)), "a closed page kept its kernel"
        output = server.output()
        for kernel in kernels:
            assert f"[worker {int(kernel[:2], 16) + 1}] [ClassroomVoila] Kernel shutdown: {kernel}" in output
        assert "Traceback" not in output
        assert not re.search(r"\b(403|404) (GET|POST)", output), "a request reached the wrong worker"
        # nginx recorded nothing: no line in the output, no file but its config and pid file.
        assert "[nginx]" not in output
        (runtime,) = (server.sandbox / "tmp").glob("spotting-nginx-*")
        written = sorted(str(path.relative_to(runtime)) for path in runtime.rglob("*") if path.is_file())
        assert written == ["nginx.conf", "nginx.pid"], written
        family = psutil.Process(server.process.pid).children(recursive=True)
        assert {process.name() for process in family} >= {"nginx"}
    finally:
        stop.set()
        server.stop()
    # Stopping spotting serve (SIGTERM, as Ctrl+C) stops nginx, both workers and every kernel.
    assert not [process for process in family if process.is_running() and process.status() != psutil.STATUS_ZOMBIE]


def fetch(url: str) -> tuple[int, str | None, str]:
    """A page request: its status, its Retry-After and its body."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.headers.get("Retry-After"), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:  # an error response holds its socket until closed
            return error.code, error.headers.get("Retry-After"), error.read().decode()


def test_a_full_worker_passes_visitors_on_and_when_all_are_full_they_get_the_busy_page(
    nginx: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Two workers with room for two pages each. Worker 1 is filled behind nginx's back; through
    nginx the next two visitors still get pages (from worker 2), then everyone gets the busy page."""
    server = start_serve(
        tmp_path_factory.mktemp("workers-busy-sandbox"), "--workers", "2", "--learners", "2", "--max-kernels", "4"
    )
    try:
        wait_for_ready(server, 180)
        first = next(p for p in psutil.Process(server.process.pid).children() if worker_of(p) == 0).cmdline()
        direct = f"http://127.0.0.1:{first[first.index('--port') + 1]}/"
        assert [fetch(direct)[0] for _ in range(2)] == [200, 200]  # worker 1 is now full
        answers = [fetch(server.url) for _ in range(6)]
        assert [status for status, _, _ in answers] == [200, 200, 503, 503, 503, 503]
        for _, retry, body in answers[2:]:
            assert retry == "60" and "This page is busy" in body and "Try again in a minute" in body
        assert sorted(kernels_by_worker(server).values()) == [0, 0, 1, 1]
        assert "Traceback" not in server.output()
    finally:
        server.stop()
