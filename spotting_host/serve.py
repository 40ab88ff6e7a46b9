"""``spotting serve``: one command that serves a dashboard with the Voila settings the job needs.

Why a command rather than a longer ``voila.json``: the right settings depend on who is coming.
One person on their own computer needs one preheated kernel and a small limit on loopback. A
class of thirty needs a pool that absorbs their arrival, a hard kernel limit that keeps the
laptop alive when pages are reloaded, and an address the learners can type. This module turns
``--learners N`` into those numbers (a plain, tested :class:`Plan`) and starts Voila with them;
``voila.json`` stays the base for everything that does not depend on the audience.

The server itself (the kernel manager, the busy page) is :mod:`spotting_host.voila_ext`. It is
imported only when a server really starts, so ``spotting explain`` stays quick. ``--workers K``
shares the class between K such servers behind nginx (:mod:`spotting_host.workers`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from spotting.errors import AnswerError
from spotting.knowledge import REGION_ENVIRONMENT, load_knowledge

from .join import write_join_page

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "share" / "jupyter"
KERNEL_MANAGER = "spotting_host.voila_ext.ClassroomKernelManager"

DASHBOARDS: dict[str, tuple[str, int]] = {
    "explorer": ("notebooks/explorer.ipynb", 8866),
    "teaching": ("notebooks/teaching.ipynb", 8867),
    "review": ("notebooks/review.ipynb", 8868),
    "facilitator": ("notebooks/facilitator.ipynb", 8869),
}
"""Each dashboard's notebook and its usual port (the ones the README has always named)."""
TITLES = {
    "explorer": "the explorer",
    "teaching": "the teaching session",
    "review": "the content review",
    "facilitator": "the teaching session's facilitator page",
}
LOOPBACK_ONLY = frozenset({"facilitator"})
"""Pages with the answers on them: served to this computer only, so a learner who guesses the
port still cannot reach them (the learner page has no way to show the answers early)."""

STATIC_DIST = ROOT / "dist"
STATIC_PORT = 8870
STATIC_PAGES = {"explorer": "voici/render/explorer.html", "teaching": "voici/render/teaching.html"}
"""The static site's pages (spotting_host.static_site builds them; review is not published)."""

REGION_VARIABLE = REGION_ENVIRONMENT
"""Passed through to every kernel, which starts its pages with that region (readers can change it)."""

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "hid", "magnetometer",
        "microphone", "midi", "payment", "serial", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip
"""Browser features no page here uses, turned off: a page about sexual health never needs a
camera, a microphone or a location, and an injected script cannot ask for them either."""

SAFE_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](?::[0-9]{1,5})?")
"""A Host header that is only a name or an address and a port (nothing that could end a directive)."""


def voila_policy(host: str | None) -> str:
    """The Content-Security-Policy of every Voila response: this host only, and what Voila forces.

    Voila forces two allowances. ``'unsafe-inline'`` for scripts: its page template starts with
    inline scripts (page configuration, loading bar, heartbeats while a cell runs), and a
    preheated page is rendered before its request exists, so no per-request nonce can be put in
    it. ``blob:`` for scripts: anywidget turns each widget's JavaScript into a ``blob:`` module.
    ``'unsafe-eval'`` is not needed (Chromium runs the explorer without it). The page talks to
    its kernel over a websocket of the same host, named here because older browsers do not count
    ``ws:`` as ``'self'``; a Host header that is not a plain host and port is left out.
    """
    sockets = f" ws://{host} wss://{host}" if host and SAFE_HOST.fullmatch(host) else ""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' blob:",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self'{sockets}",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        )
    )


def voila_headers(host: str | None) -> dict[str, str]:
    """Headers on every response ``spotting serve`` sends: pages, static files, errors, the busy page."""
    return {
        "Content-Security-Policy": voila_policy(host),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }


STATIC_SITE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' blob: 'unsafe-inline' 'wasm-unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}
"""The static site's headers, the same as deploy/nginx-static.conf's (a test compares them)."""

VOILA_OPTION = re.compile(r"--[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*=.*")
"""Extra ``--Class.trait=value`` options go to Voila unchanged (tests speed culling up this way)."""


@dataclass(frozen=True)
class Plan:
    """Everything ``spotting serve`` decides before Voila starts."""

    dashboard: str
    notebook: str
    ip: str
    port: int
    learners: int
    pool_size: int
    max_kernels: int
    region: str | None = None
    workers: int = 1
    """Voila processes behind nginx (:mod:`spotting_host.workers`); 1 serves from this process alone."""
    worker_index: int | None = None
    """Set in a worker started by ``--workers``: its kernel ids start with this worker's prefix."""
    warmups: int | None = None
    """Pooled kernels a worker warms up at once (the cores, shared between workers)."""

    def voila_options(self) -> list[str]:
        """Voila command-line options; ``voila.json`` (read from the repository root) gives the rest."""
        worker: list[str] = []
        if self.worker_index is not None:
            from .workers import kernel_prefix

            worker.append(f"--ClassroomKernelManager.kernel_id_prefix={kernel_prefix(self.worker_index)}")
        if self.warmups is not None:
            worker.append(f"--ClassroomKernelManager.max_concurrent_warmups={self.warmups}")
        return [
            self.notebook,
            "--no-browser",
            f"--Voila.ip={self.ip}",
            f"--port={self.port}",
            # A classroom types the printed address: never move silently to another port.
            "--Voila.port_retries=0",
            "--VoilaConfiguration.preheat_kernel=True",
            f"--VoilaConfiguration.default_pool_size={self.pool_size}",
            f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
            f"--ClassroomKernelManager.max_kernels={self.max_kernels}",
            # A kernel that dies is freed, never restarted: a restarted kernel has lost its page's
            # widgets, so it would only hold a place until the cull (the page says "reload").
            "--KernelRestarter.restart_limit=0",
            *(["--ClassroomKernelManager.one_person=True"] if self.is_for_one_person() else []),
            *worker,
        ]

    def is_for_one_person(self) -> bool:
        """One person on their own computer: whoever arrives is them, so they never see "busy"."""
        return self.learners == 1 and self.workers == 1 and self.worker_index is None

    def worker_arguments(self) -> list[str]:
        """``spotting serve`` arguments that start this plan as one worker behind nginx."""
        region = ["--region", self.region] if self.region else []
        return [
            self.dashboard, "--learners", str(self.learners), "--max-kernels", str(self.max_kernels),
            "--port", str(self.port), "--worker-index", str(self.worker_index or 0),
            "--warmups", str(self.warmups or 1), *region,
        ]  # fmt: skip


def pool_size_for(learners: int) -> int:
    """Kernels kept ready: one per learner, so a whole class can arrive at the same moment.

    A kernel start costs about a second of CPU; on 2 cores, twenty learners arriving together
    without a ready kernel wait 15 s or more each (bench/classroom.py, docs/serving.md). A ready
    kernel costs about 65 MB while it waits, so the pool is paid for in memory, which a laptop
    has more of than cores. Start the server a couple of minutes before the class: the pool
    fills in the background.
    """
    return max(1, learners)


def max_kernels_for(learners: int, pool_size: int) -> int:
    """The hard limit: the pool (or every learner), plus headroom for reloads and late arrivals.

    Once the class is in, the headroom is what Voila refills the pool with, so a reload gets a
    ready kernel at once; a closed or reloaded page frees its kernel within seconds (the close
    beacon works). Beyond the limit a visitor gets the busy page, never a crash.
    """
    return max(learners, pool_size) + max(4, learners // 5)


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses that another computer could reach (not loopback)."""
    import psutil

    found = []
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                found.append(address.address)
    return sorted(set(found))


def urls(plan: Plan, lan: Sequence[str] | None = None) -> list[str]:
    """The address(es) to type: loopback for one computer, every LAN address for a network."""
    if plan.ip not in ("0.0.0.0", ""):
        return [f"http://{plan.ip}:{plan.port}/"]
    return [f"http://{address}:{plan.port}/" for address in (lan_addresses() if lan is None else lan)]


def _region(value: str) -> str:
    """A region code as data/regions.csv has it (``gb`` → ``GB``); an unknown one is a usage
    error (exit 2) that lists the allowed codes, before any server starts."""
    try:
        return load_knowledge(region=value).region.code
    except AnswerError as error:
        raise argparse.ArgumentTypeError(f"--region must be one of {error.allowed}, not {value!r}") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {number}")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dashboard", nargs="?", default="explorer", choices=sorted(DASHBOARDS))
    parser.add_argument(
        "--learners", type=_positive, default=1, help="how many people will use it at once (default 1: just you)"
    )
    parser.add_argument(
        "--network", action="store_true", help="let other computers on this network connect (binds 0.0.0.0)"
    )
    parser.add_argument("--port", type=_positive, default=None, help="port (default: 8866, 8867, 8868 or 8869)")
    parser.add_argument(
        "--max-kernels", type=_positive, default=None, help="hard kernel limit (default: derived from --learners)"
    )
    parser.add_argument(
        "--region", type=_region, default=None, help=f"region code, passed to every kernel as {REGION_VARIABLE}"
    )
    parser.add_argument(
        "--workers", type=_positive, default=1,
        help="Voila processes behind nginx, sharing the learners (default 1: no nginx)",
    )  # fmt: skip
    # Internal: how ``--workers`` starts each worker (spotting_host.workers).
    parser.add_argument("--worker-index", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--warmups", type=_positive, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--static",
        action="store_true",
        help=f"serve the static site in dist/ (make static) instead: it runs in the browser (port {STATIC_PORT})",
    )


def refusal(args: argparse.Namespace) -> str | None:
    """Why these options cannot be served, if they cannot (a usage error, before any server starts)."""
    if args.network and args.dashboard in LOOPBACK_ONLY:
        return (
            f"the {args.dashboard} page shows the answers, so it is served to this computer only: "
            "leave out --network (learners use: spotting serve teaching --network)"
        )
    return None


def make_plan(args: argparse.Namespace) -> Plan:
    notebook, default_port = DASHBOARDS[args.dashboard]
    pool_size = pool_size_for(args.learners)
    return Plan(
        dashboard=args.dashboard,
        notebook=notebook,
        ip="0.0.0.0" if args.network else "127.0.0.1",
        port=args.port or default_port,
        learners=args.learners,
        pool_size=pool_size,
        max_kernels=args.max_kernels or max_kernels_for(args.learners, pool_size),
        region=args.region,
        workers=args.workers,
        worker_index=args.worker_index,
        warmups=args.warmups,
    )


def check_workers(plan: Plan) -> str | None:
    """Why ``plan.workers`` cannot share this class, if it cannot: each worker needs a learner and a kernel."""
    if plan.workers > 1 and plan.learners < plan.workers:
        return f"--workers {plan.workers} needs --learners {plan.workers} or more (each worker keeps a kernel ready)"
    if plan.workers > 1 and plan.max_kernels < 2 * plan.workers:
        return f"--workers {plan.workers} needs --max-kernels {2 * plan.workers} or more (two per worker)"
    return None


def check_voila_options(extra: Sequence[str]) -> str | None:
    """The first extra argument that is not a ``--Class.trait=value`` Voila option, if any."""
    return next((option for option in extra if not VOILA_OPTION.fullmatch(option)), None)


def describe(plan: Plan) -> str:
    who = "you" if plan.learners == 1 else f"{plan.learners} learners"
    where = f" in {plan.workers} workers behind nginx" if plan.workers > 1 else ""
    return (
        f"Serving {TITLES[plan.dashboard]} for {who}{where}: {plan.pool_size} kernel(s) kept ready, "
        f"at most {plan.max_kernels} at once."
    )


def run(args: argparse.Namespace, extra: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Start Voila in this process (or the static site's file server); returns when it stops (Ctrl+C)."""
    if getattr(args, "static", False):
        return run_static(args, extra, stdout, stderr)
    plan = make_plan(args)
    notebook = ROOT / plan.notebook
    if not notebook.exists():
        print(f"spotting: {notebook} is missing; serve from a copy of the repository", file=stderr)
        return 1
    problem = check_workers(plan)
    if problem is not None:
        print(f"spotting: {problem}", file=stderr)
        return 2
    # As ``make dashboard`` always did: a broken knowledge base stops here, with file, row and
    # column, and a valid one is fingerprinted so each kernel skips the slow checks. A separate
    # process, so the server does not carry pandas for the whole session. (A worker started by
    # ``--workers`` skips it: the command that started it has just done it.)
    if plan.worker_index is None:
        checked = subprocess.run([sys.executable, "-m", "spotting", "check-data"], capture_output=True, text=True)
        if checked.returncode != 0:
            stderr.write(checked.stdout + checked.stderr)
            return checked.returncode
    print(describe(plan), file=stdout, flush=True)
    addresses = urls(plan)
    if plan.ip == "0.0.0.0" and addresses and plan.worker_index is None:
        page = write_join_page(addresses, plan.port, TITLES[plan.dashboard])
        print(
            f"To show the address and a QR code on the projector, open this file in a browser: {page.as_uri()}",
            file=stdout,
            flush=True,
        )
    if plan.workers > 1:
        from .workers import run_workers

        return run_workers(plan, extra, addresses, stdout, stderr)
    os.chdir(ROOT)  # Voila reads voila.json from the folder it starts in.
    paths = [str(TEMPLATES), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)  # the project's page template
    if plan.region is not None:
        os.environ[REGION_VARIABLE] = plan.region  # every kernel copies the server's environment
    from .voila_ext import ClassroomVoila, UpstreamChanged

    announce = [] if plan.worker_index is not None else addresses  # a worker's address is nginx's business
    try:
        ClassroomVoila.launch_instance(argv=[*plan.voila_options(), *extra], announce=announce)
    except UpstreamChanged as error:  # a Voila upgrade moved what the classroom wraps: say what, in one line
        print(f"spotting: {error}", file=stderr)
        return 1
    return 0


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves dist/ with the types a browser insists on, and logs nothing.

    Pyodide streams its WebAssembly only when it comes as ``application/wasm``; ``.mjs`` must be
    JavaScript. Request lines hold no answers (they never leave the browser), but a quiet server
    leaves nothing to wonder about. ``no-cache`` makes the browser ask again each visit and get
    a short "not modified" for what it has, so a rebuilt site is never mixed with an old one."""

    extensions_map = {  # noqa: RUF012 (the base class declares it as a plain class attribute)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
    }

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        for name, value in STATIC_SITE_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


def static_server(directory: Path, ip: str, port: int) -> http.server.ThreadingHTTPServer:
    """A file server for a built static site (tests and bench/static.py use it too)."""
    handler = functools.partial(StaticHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((ip, port), handler)


def run_static(args: argparse.Namespace, extra: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """``spotting serve --static``: try the static site on this computer, as a visitor gets it."""
    if args.dashboard not in STATIC_PAGES:
        print(f"spotting: the static site has {' and '.join(STATIC_PAGES)}, not {args.dashboard}", file=stderr)
        return 2
    if extra:
        print("spotting: Voila options do not apply to --static", file=stderr)
        return 2
    page = STATIC_DIST / STATIC_PAGES[args.dashboard]
    if not page.is_file():
        print(f"spotting: {page.relative_to(ROOT)} is missing; build the site first: make static", file=stderr)
        return 1
    ip = "0.0.0.0" if args.network else "127.0.0.1"
    port = args.port or STATIC_PORT
    try:
        server = static_server(STATIC_DIST, ip, port)
    except OSError as error:
        print(f"spotting: cannot serve on port {port}: {error.strerror}", file=stderr)
        return 1
    plan_urls = urls(Plan(args.dashboard, "", ip, port, 1, 1, 1))
    print(f"Serving the static site from {STATIC_DIST.relative_to(ROOT)}/ (it runs in the browser).", file=stdout)
    for url in plan_urls:
        print(f"Open {url}{STATIC_PAGES[args.dashboard]}", file=stdout, flush=True)
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0
