"""``spotting serve --workers K``: K Voila processes behind Debian's nginx, for a class larger than one
process serves well.

Why nginx, and how a page finds its kernel again. Every page has its own kernel, which lives in
one worker; the page's websocket (``/api/kernels/<id>/channels``) and its close beacon
(``/voila/api/shutdown/<id>``) must reach that worker. Three ways were weighed:

* ``ip_hash`` sends everyone behind one address to one worker: a school's NAT, or every learner
  in a test on 127.0.0.1. It spreads nothing.
* A cookie (``hash $cookie_... consistent``, set on the first answer) spreads browsers, but pins
  a browser to a worker even when that worker is full and another has room.
* **The kernel id** (chosen here). Each worker starts its kernel ids with its own hex prefix
  (``ClassroomKernelManager.kernel_id_prefix``), and nginx reads it from the URL. Requests that
  name a kernel go to the worker that holds it, whoever sent them; a page request, which names
  none, may go to any worker, and one that a full worker refuses (503) is retried on the next.
  No cookie, no state in nginx; only when every worker is full does the visitor get the busy page.

nginx runs unprivileged from a configuration written to a private temporary folder (pid file,
temporary files, no access log), in the foreground, and stops with the workers. When started as
root its worker process drops to ``nobody``, as nginx does by default.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .serve import Plan

NGINX_INSTALL = "apt-get install -y nginx"
NGINX_PATHS = ("/usr/sbin/nginx", "/sbin/nginx")
"""Where Debian puts nginx, which is often not on a normal user's PATH."""
KERNEL_PATHS = ("api/kernels", "voila/api/shutdown", "voila/query", "voila/execution")
"""Every URL that names a kernel (Voila 0.5.13): its websocket and REST calls, the close beacon,
the request-info socket and progressive rendering. Anything else is the same on every worker."""
STARTUP_SECONDS = 120


def split(total: int, parts: int) -> list[int]:
    """``total`` shared as evenly as whole numbers allow, larger shares first (20, 3 → 7, 7, 6)."""
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def kernel_prefix(index: int) -> str:
    """Worker ``index``'s kernel id prefix: two hex digits (up to 256 workers)."""
    return f"{index:02x}"


@dataclass(frozen=True)
class Worker:
    """One Voila process behind nginx: its share of the class and its loopback port."""

    index: int
    plan: Plan

    @property
    def prefix(self) -> str:
        return kernel_prefix(self.index)


def worker_plans(plan: Plan, ports: Sequence[int]) -> list[Worker]:
    """Split the class across ``plan.workers`` processes.

    Learners (so each pool) and the hard limit are shared out: the total kept ready and the
    total limit stay what ``--learners N`` alone gives, so the memory a teacher planned for does
    not grow with the number of workers. Every worker listens on loopback only; nginx is the
    one address learners type.
    """
    count = plan.workers
    learners, limits = split(plan.learners, count), split(plan.max_kernels, count)
    pools = split(plan.pool_size, count)
    warmups = max(1, (os.cpu_count() or 2) // count)  # the cores, shared: warm-ups must not starve the servers
    return [
        Worker(
            index,
            replace(
                plan, ip="127.0.0.1", port=ports[index], learners=learners[index], pool_size=max(1, pools[index]),
                max_kernels=limits[index], workers=1, worker_index=index, warmups=warmups,
            ),
        )
        for index in range(count)
    ]  # fmt: skip


def nginx_config(listen_ip: str, port: int, workers: Sequence[Worker], runtime: Path, as_root: bool) -> str:
    """The nginx configuration, written to ``runtime`` (a private temporary folder)."""
    upstreams = "\n".join(
        f"    upstream spotting_worker_{w.prefix} {{ server 127.0.0.1:{w.plan.port}; }}" for w in workers
    )
    # max_fails=0: a worker that answers "busy" is not broken; nginx must keep trying it.
    any_worker = "\n".join(f"        server 127.0.0.1:{w.plan.port} max_fails=0;" for w in workers)
    routes = "\n".join(
        f'        "~/(?:{"|".join(KERNEL_PATHS)})/{w.prefix}" spotting_worker_{w.prefix};' for w in workers
    )
    user = ""
    if as_root:  # nginx drops its worker process to this user; Debian has no group called "nobody"
        nobody = pwd.getpwnam("nobody")
        user = f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};\n"
    return f"""# Written by `spotting serve --workers {len(workers)}` for this run only (docs/serving.md).
{user}daemon off;
worker_processes 1;
pid {runtime}/nginx.pid;
# Only critical errors: an error line quotes the request line, query string and all. A worker
# that stops answering is reported by spotting serve, which watches its workers.
error_log stderr crit;

events {{
    worker_connections 1024;
}}

http {{
    # No access log: it would record every address and query string; Voila's own log already
    # records each request's status and path (never a body), which is enough to debug.
    access_log off;
    server_tokens off;
    client_body_temp_path {runtime}/client_body;
    proxy_temp_path {runtime}/proxy;
    fastcgi_temp_path {runtime}/fastcgi;
    uwsgi_temp_path {runtime}/uwsgi;
    scgi_temp_path {runtime}/scgi;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" close;
    }}

    # A request that names a kernel goes to the worker whose prefix the kernel id starts with.
    map $uri $spotting_upstream {{
        default spotting_any_worker;
{routes}
    }}

    upstream spotting_any_worker {{
{any_worker}
    }}
{upstreams}

    server {{
        listen {listen_ip}:{port};

        location / {{
            proxy_pass http://$spotting_upstream;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            # Voila streams the page as the notebook runs; kernels' websockets stay open while a
            # learner reads.
            proxy_buffering off;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            # A page request that a full worker refuses goes to the next; when all are full the
            # visitor gets the last worker's busy page (503, Retry-After). Only GET is retried.
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(ip: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError:
            return False
    return True


class Supervisor:
    """Starts the workers and nginx, forwards their output, and stops them all together."""

    def __init__(self, plan: Plan, extra: Sequence[str], stdout: TextIO, stderr: TextIO) -> None:
        self.plan, self.extra, self.stdout, self.stderr = plan, list(extra), stdout, stderr
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.ready: set[int] = set()
        self.lock = threading.Lock()

    def _forward(self, name: str, process: subprocess.Popen[bytes], index: int | None) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            if index is not None and line.startswith("Ready:"):
                with self.lock:
                    self.ready.add(index)
                continue  # one Ready line for the whole class, printed by run()
            print(f"[{name}] {line}", file=self.stdout, flush=True)

    def _spawn(self, name: str, command: list[str], index: int | None) -> subprocess.Popen[bytes]:
        # A session of their own: Ctrl+C reaches this process only, which then stops everyone in order.
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        self.children.append((name, process))
        threading.Thread(target=self._forward, args=(name, process, index), daemon=True).start()
        return process

    def _wait_for_worker(self, worker: Worker, process: subprocess.Popen[bytes]) -> bool:
        deadline = time.monotonic() + STARTUP_SECONDS
        url = f"http://127.0.0.1:{worker.plan.port}/voila/static/voila.js"  # never "/": it starts a kernel
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        return False

    def stop(self) -> None:
        """nginx first (no new requests), then the workers, which shut their kernels down."""
        for _, process in reversed(self.children):  # nginx was started last
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _, process in reversed(self.children):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def run(self, nginx: str, announce: Sequence[str]) -> int:
        """Start everything, then watch until Ctrl+C or a child stops; everything is stopped on the way out."""
        with tempfile.TemporaryDirectory(prefix="spotting-nginx-") as scratch:
            try:
                return self._serve(nginx, announce, Path(scratch))
            except KeyboardInterrupt:
                print("Stopping nginx and the workers…", file=self.stdout, flush=True)
                return 0
            finally:
                self.stop()  # before the folder with nginx's pid file goes

    def _serve(self, nginx: str, announce: Sequence[str], runtime: Path) -> int:
        plan = self.plan
        workers = worker_plans(plan, [free_loopback_port() for _ in range(plan.workers)])
        as_root = os.geteuid() == 0
        if as_root:
            runtime.chmod(0o711)  # nginx's worker (nobody) must reach its temporary folders
        for worker in workers:
            command = [sys.executable, "-m", "spotting", "serve", *worker.plan.worker_arguments(), *self.extra]
            process = self._spawn(f"worker {worker.index + 1}", command, worker.index)
            if not self._wait_for_worker(worker, process):
                print(f"spotting: worker {worker.index + 1} did not start; see its lines above", file=self.stderr)
                return 1
        config = runtime / "nginx.conf"
        config.write_text(nginx_config(plan.ip, plan.port, workers, runtime, as_root), encoding="utf-8")
        proxy = self._spawn("nginx", [nginx, "-p", str(runtime), "-e", "stderr", "-c", str(config)], None)
        time.sleep(0.5)
        if proxy.poll() is not None:
            print(f"spotting: nginx did not start (exit {proxy.returncode}); see its lines above", file=self.stderr)
            return 1
        self._announce(announce)
        reported = False
        while True:
            for name, process in self.children:
                if process.poll() is not None:
                    message = f"spotting: {name} stopped (exit {process.returncode}); stopping the rest"
                    print(message, file=self.stderr)
                    return 1
            if not reported and len(self.ready) == len(workers):
                reported = True
                print(
                    f"Ready: {sum(w.plan.pool_size for w in workers)} kernel(s) preheated in {len(workers)} workers.",
                    file=self.stdout, flush=True,
                )  # fmt: skip
            time.sleep(0.5)

    def _announce(self, announce: Sequence[str]) -> None:
        if len(announce) == 1 and "127.0.0.1" in announce[0]:
            print(f"Open {announce[0]} in a browser on this computer. Stop with Ctrl+C.", file=self.stdout, flush=True)
            return
        lines = [
            "Learners on this network can type one of these addresses:",
            *(f"    {url}" for url in announce),
            "There is no login and no encryption: use a network you trust. Stop with Ctrl+C.",
        ]
        print("\n".join(lines), file=self.stdout, flush=True)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (a service manager, a test) stops everything the way Ctrl+C does."""
    raise KeyboardInterrupt


def run_workers(plan: Plan, extra: Sequence[str], announce: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Serve ``plan`` with ``plan.workers`` Voila processes behind nginx until Ctrl+C; the exit status."""
    nginx = shutil.which("nginx") or next((path for path in NGINX_PATHS if Path(path).exists()), None)
    if nginx is None:
        print(f"spotting: --workers needs Debian's nginx: run '{NGINX_INSTALL}' (as root)", file=stderr)
        return 1
    if not port_is_free(plan.ip, plan.port):
        print(f"spotting: port {plan.port} is taken; choose another with --port", file=stderr)
        return 1
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return Supervisor(plan, extra, stdout, stderr).run(nginx, announce)
    finally:
        signal.signal(signal.SIGTERM, previous)
