"""Debian's headless Chromium, set up once for the browser tests (tests/e2e) and the benchmarks (bench/).

Why one module: the tests and the benchmarks must drive the same browser with the same flags, or
a benchmark measures a browser the tests never checked. It lives in bench/ because the benchmarks
are scripts run from this folder (``python bench/dashboard.py``); tests/e2e/conftest.py puts this
folder on ``sys.path`` and imports it too. Playwright cannot download a browser on this machine,
so the path is Debian's; ``make browser`` installs it.
"""

from __future__ import annotations

import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    # Nothing but the page under test on the network, so timings and the privacy tests see only it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL = "apt-get install -y chromium (as root; or run `make browser`)"


def missing() -> str | None:
    """What to do when Debian's Chromium is not there, or None when it is."""
    return None if CHROMIUM.exists() else f"{CHROMIUM} is missing: {INSTALL}"


def launch_options() -> dict[str, Any]:
    """Playwright's ``chromium.launch`` (or ``launch_persistent_context``) options for this browser."""
    return {"executable_path": str(CHROMIUM), "args": list(CHROMIUM_ARGS)}


def free_port() -> int:
    """A loopback port nothing listens on now (the server started next takes it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_process(process: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM (Voila shuts its kernels down), then SIGKILL if it has not gone within ``grace`` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
