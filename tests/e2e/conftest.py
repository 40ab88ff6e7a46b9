"""Serve the explorer with Voila once per session and drive it with Debian's Chromium.

The server runs as a real subprocess with a dedicated HOME, runtime dir, IPython dir and TMPDIR,
so the privacy test can look at every file the server and its kernels write during the run.
Health checks poll ``/voila/static/voila.js``: requesting ``/`` would start (and leak) a kernel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))  # bench/ is a folder of scripts: the Chromium set-up is shared
from chromium import free_port, launch_options, missing, stop_process  # noqa: E402

__all__ = ["free_port", "stop_process"]  # the tests that start servers of their own import them from here
NOTEBOOK = "notebooks/explorer.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
STARTUP_SECONDS = 60


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright 0.10 defines its session fixtures (e.g. base_url) in a way pytest 9 deprecates.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods are deprecated:pytest.PytestRemovedIn10Warning",
    )


@dataclass(frozen=True)
class VoilaServer:
    """A running explorer: its URL, its process and where its output and files go."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    sandbox: Path

    def output(self) -> str:
        """Everything the server (and its kernels) wrote to stdout and stderr so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        stop_voila(self)


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Voila exited with status {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}voila/static/voila.js", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"Voila did not answer within {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')[-3000:]}")


def server_environment(sandbox: Path) -> dict[str, str]:
    """Point every place Jupyter, IPython or Python might write to inside ``sandbox``."""
    env = dict(os.environ)
    for name in ("home", "runtime", "data", "config", "ipython", "tmp"):
        (sandbox / name).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(sandbox / "home"),
        JUPYTER_RUNTIME_DIR=str(sandbox / "runtime"),
        JUPYTER_DATA_DIR=str(sandbox / "data"),
        JUPYTER_CONFIG_DIR=str(sandbox / "config"),
        IPYTHONDIR=str(sandbox / "ipython"),
        TMPDIR=str(sandbox / "tmp"),
        # The project's page template (share/jupyter/voila/templates/spotting): no third-party requests.
        JUPYTER_PATH=str(ROOT / "share" / "jupyter"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


CULLING = {"MappingKernelManager.cull_interval": "60", "MappingKernelManager.cull_idle_timeout": "300"}
"""Idle-kernel culling on, as in production (every page load starts a kernel)."""


def start_voila(notebook: str, cwd: Path, sandbox: Path, options: Mapping[str, str] | None = None) -> VoilaServer:
    """Start ``python -m voila`` on a free loopback port and wait until its static files answer."""
    port = free_port()
    command = [
        sys.executable, "-m", "voila", notebook, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
        *(f"--{name}={value}" for name, value in {**CULLING, **(options or {})}.items()),
    ]  # fmt: skip
    return _start(command, port, cwd, sandbox)


def start_serve(sandbox: Path, *arguments: str, options: Mapping[str, str] | None = None) -> VoilaServer:
    """Start ``spotting serve`` (what ``make dashboard`` runs) on a free loopback port.

    ``arguments`` are the command's own (e.g. ``--learners 10``); ``options`` are Voila's
    ``Class.trait`` settings, passed through (e.g. faster culling).
    """
    port = free_port()
    command = [
        sys.executable, "-m", "spotting", "serve", *arguments, f"--port={port}",
        *(f"--{name}={value}" for name, value in (options or {}).items()),
    ]  # fmt: skip
    return _start(command, port, ROOT, sandbox)


def _start(command: list[str], port: int, cwd: Path, sandbox: Path) -> VoilaServer:
    url = f"http://127.0.0.1:{port}/"
    log = sandbox / "voila.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=cwd, env=server_environment(sandbox), stdout=sink, stderr=subprocess.STDOUT
        )
    server = VoilaServer(url, process, log, sandbox)
    try:
        _wait_until_ready(url, process, log)
    except BaseException:
        stop_voila(server)
        raise
    return server


def kernel_processes(server: VoilaServer) -> list[psutil.Process]:
    """The server's kernels, counted as processes (Voila offers no kernel list without a token)."""
    found = []
    for child in psutil.Process(server.process.pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()) and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except psutil.NoSuchProcess:
            continue  # it ended while we looked
    return found


def stop_voila(server: VoilaServer) -> None:
    """Voila gets 20 s to shut its kernels down."""
    stop_process(server.process, grace=20)


@pytest.fixture(scope="session")
def voila_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's private HOME/runtime/tmp tree (the privacy test scans it)."""
    return tmp_path_factory.mktemp("voila-sandbox")


@pytest.fixture(scope="session")
def voila_server(voila_sandbox: Path) -> Iterator[VoilaServer]:
    """The explorer served from the repository root, so the production voila.json applies."""
    server = start_voila(NOTEBOOK, ROOT, voila_sandbox)
    yield server
    stop_voila(server)


@pytest.fixture(scope="session")
def voila_factory() -> Callable[..., VoilaServer]:
    """Start a private explorer server in a given sandbox, with Voila options if needed."""
    return lambda sandbox, options=None: start_voila(NOTEBOOK, ROOT, sandbox, options)


@pytest.fixture(scope="session")
def serve_factory() -> Callable[..., VoilaServer]:
    """Start a private ``spotting serve`` in a given sandbox: ``serve_factory(sandbox, "--learners", "10")``."""
    return start_serve


@pytest.fixture(scope="session")
def explorer_url(voila_server: VoilaServer) -> str:
    return voila_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium; a Playwright browser download is not possible on this machine."""
    problem = missing()
    if problem is not None:
        pytest.fail(f"Browser tests need Debian's chromium. {problem}")
    return {**browser_type_launch_args, **launch_options()}


@pytest.fixture(scope="session")
def static_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static site (make static), built once for the session into a temporary folder.

    ``SPOTTING_STATIC_DIST=folder`` uses a site built beforehand instead (for example one built
    from deliberately broken data, to see the tests fail)."""
    from spotting_host.static_site import build  # the build needs pandas; only these tests import it

    given = os.environ.get("SPOTTING_STATIC_DIST")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("static") / "dist"
    build(out)
    return out


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored); look at them after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
