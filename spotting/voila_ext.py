"""The Voila server behind ``spotting serve``: a preheated pool that culling cannot break, and a hard
kernel limit that answers "busy, try again in a minute" instead of running out of memory.

Why this exists (Voila 0.5.13, pinned in constraints.txt):

* **Pooled kernels and culling fight.** A pooled kernel's idle clock starts when it finishes
  running the notebook. The culler skips it while it waits in the pool, but the moment Voila
  hands it out after a quiet spell longer than ``cull_idle_timeout`` it looks idle and is shut
  down before the page connects. :class:`ClassroomKernelManager` restarts the idle clock at
  hand-out. Voila builds its pooling manager by subclassing the ``multi_kernel_manager_class``
  (``voila_kernel_manager_factory``), and that subclass's ``get_rendered_notebook`` never calls
  ``super()``, so the hand-out is wrapped in ``__init_subclass__``. Upstream: the culling guard in
  voila/voila_kernel_manager.py ("assumes the init time is shorter than the cull time").
* **A pool fills all at once.** Voila starts every pooled kernel at the same moment; thirty kernels
  importing and running the notebook together on 2 cores starve the server, which then gives up
  waiting for their output and serves pages without the app. Warm-ups (start and first run of
  the notebook) are therefore taken ``max_concurrent_warmups`` at a time, first come first
  served, which also gives the first learners of a class their kernels first.
* **No limit on kernels** (voila#617). Every page load starts a kernel of about 100 MB; enough
  reloads exhaust memory and then every open page dies. The manager counts kernels, running and
  starting, and refuses a visitor's start beyond ``max_kernels``; pool refills wait for room
  instead. :class:`ClassroomVoilaHandler` answers a refused visitor with a plain 503 page and
  ``Retry-After``. Learners already in keep their kernels.
* **A visitor must never wait on a refill that has no room.** Voila hands out the first pooled
  task, ready or not. Right after a hand-out the pool holds only refills that have not started a
  kernel yet (they wait ``fill_delay``, then for room under the limit); a visitor given one of
  those waited on the spinner until somebody else left. Only pooled kernels that are ready, or
  whose start already has room, count as the pool; with none, the visitor takes the ordinary
  path, whose start is counted at once or refused with the busy page.
* **Several workers behind nginx** (``spotting serve --workers K``, :mod:`spotting.workers`).
  Each worker's kernel ids start with its own ``kernel_id_prefix``, so nginx can send every
  request that names a kernel (its websocket, the close beacon) to the worker that holds it.

The close beacon (voila#1458) is fixed in the page template
(``share/jupyter/voila/templates/spotting``), not here.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import sys
import uuid
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

import tornado.ioloop
import tornado.web
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer, List, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.utils import ENV_VARIABLE

RETRY_AFTER_SECONDS = 60

BUSY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Busy: try again in a minute</title>
<style>
  body { font: 1.125rem/1.5 system-ui, sans-serif; color: #212b32; background: #fff; margin: 0; }
  main { max-width: 36rem; margin: 3rem auto; padding: 0 1rem; }
  a { color: #005eb8; display: inline-block; padding: 0.5rem 0; }
  a:focus { outline: 3px solid #ffeb3b; background: #ffeb3b; color: #212b32; }
</style>
</head>
<body>
<main>
<h1>This page is busy</h1>
<p>Too many people are using it on this computer right now.</p>
<p>Try again in a minute.</p>
<p><a href="">Try again</a></p>
</main>
</body>
</html>
"""


class KernelLimitReached(Exception):
    """Starting one more kernel would go past ``max_kernels``."""


def _restarting_the_idle_clock(
    hand_out: Callable[..., Awaitable[tuple[Any, Any, str]]],
) -> Callable[..., Awaitable[tuple[Any, Any, str]]]:
    @functools.wraps(hand_out)
    async def get_rendered_notebook(self: ClassroomKernelManager, *args: Any, **kwargs: Any) -> tuple[Any, Any, str]:
        # The culler checks a kernel without yielding to the event loop, and nothing between the
        # pop from the pool and this line yields either, so no cull can slip in between.
        result = await hand_out(self, *args, **kwargs)
        self.start_idle_clock(result[2])
        return result

    return get_rendered_notebook


def _handing_out_a_usable_kernel_first(
    hand_out: Callable[..., Awaitable[tuple[Any, Any, str]]],
) -> Callable[..., Awaitable[tuple[Any, Any, str]]]:
    """Voila pops the *first* pooled task; put the usable ones (ready, or started with room) first."""

    @functools.wraps(hand_out)
    async def get_rendered_notebook(self: ClassroomKernelManager, *args: Any, **kwargs: Any) -> tuple[Any, Any, str]:
        notebook = kwargs.get("notebook_name", args[0] if args else None)
        pool = getattr(self, "_pools", {}).get(notebook)
        if pool:
            pool.sort(key=lambda task: not self.is_usable(task))  # stable: first come, first served
        return await hand_out(self, *args, **kwargs)

    return get_rendered_notebook


def _counting_only_usable_kernels(get_pool_size: Callable[..., int]) -> Callable[..., int]:
    """What Voila's page handler asks before it takes from the pool: only what can be handed out now."""

    @functools.wraps(get_pool_size)
    def _get_pool_size(self: ClassroomKernelManager, notebook_name: str) -> int:
        return self.usable_in_pool(notebook_name)

    return _get_pool_size


def _taking_turns_to_warm_up(
    initialize: Callable[..., Awaitable[dict[str, Any]]],
) -> Callable[..., Awaitable[dict[str, Any]]]:
    @functools.wraps(initialize)
    async def _initialize(
        self: ClassroomKernelManager, notebook_path: str, kernel_id: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        if kernel_id is not None:  # a restart re-runs the notebook in a kernel that already exists
            return await initialize(self, notebook_path, kernel_id, **kwargs)
        await self.warmups.acquire()
        try:
            content = await initialize(self, notebook_path, kernel_id, **kwargs)
        except BaseException:
            self.warmups.release()
            raise
        # The slot is held until the notebook has run: that, not the process start, is the cost.
        content["task"].add_done_callback(lambda _task: self.warmups.release())
        return content

    return _initialize


class ClassroomKernelManager(AsyncMappingKernelManager):
    """A kernel manager with a hard limit, whose pooled kernels start their idle clock at hand-out."""

    max_kernels = Integer(0, config=True, help="Most kernels alive at once, pooled ones included (0: no limit).")

    max_concurrent_warmups = Integer(
        os.cpu_count() or 2, config=True, help="Pooled kernels started and run at the same time (default: cores)."
    )

    kernel_id_prefix = Unicode(
        "",
        config=True,
        help="Hex digits every kernel id starts with: nginx routes a kernel's requests to its worker by them.",
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Wrap the pooling subclass's hand-out and warm-up, which never call ``super()``."""
        super().__init_subclass__(**kwargs)
        hand_out = cls.__dict__.get("get_rendered_notebook")
        if hand_out is not None:
            cls.get_rendered_notebook = _handing_out_a_usable_kernel_first(  # type: ignore[attr-defined]
                _restarting_the_idle_clock(hand_out)
            )
        get_pool_size = cls.__dict__.get("get_pool_size")
        if get_pool_size is not None:
            cls.get_pool_size = _counting_only_usable_kernels(get_pool_size)  # type: ignore[attr-defined]
        initialize = cls.__dict__.get("_initialize")
        if initialize is not None:
            cls._initialize = _taking_turns_to_warm_up(initialize)  # type: ignore[attr-defined]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]  # jupyter_server leaves it untyped
        self._starting: set[str] = set()
        self._room = asyncio.Condition()
        self._closing = False
        self.warmups = asyncio.Semaphore(max(1, self.max_concurrent_warmups))
        self._refills_with_room: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        if not re.fullmatch(r"[0-9a-f]{0,8}", self.kernel_id_prefix):
            raise ValueError(f"kernel_id_prefix must be at most 8 hex digits, not {self.kernel_id_prefix!r}")

    def new_kernel_id(self, **kwargs: Any) -> str:
        """A random (version 4) UUID whose first hex digits are this worker's prefix."""
        fresh = str(uuid.uuid4())
        return self.kernel_id_prefix + fresh[len(self.kernel_id_prefix) :]

    # -- counting -------------------------------------------------------------------------------

    def kernel_count(self) -> int:
        """Kernels running or starting (a started kernel is briefly in both sets: counted once)."""
        return len(set(self._kernels) | self._starting)

    def is_full(self) -> bool:
        return 0 < self.max_kernels <= self.kernel_count()

    def is_usable(self, task: asyncio.Task[Any]) -> bool:
        """A pooled task a visitor may be given: its kernel is ready, or its start already has room.

        A refill still in ``fill_delay`` or waiting for room under the limit is not: a visitor
        given one would wait until somebody else leaves.
        """
        if task.done():
            return not task.cancelled() and task.exception() is None
        return task in self._refills_with_room

    def usable_in_pool(self, notebook: str | None) -> int:
        """Pooled kernels of ``notebook`` that a visitor can be given now."""
        pool = getattr(self, "_pools", {}).get(notebook, [])
        return sum(1 for task in pool if self.is_usable(task))

    def can_admit(self, notebook: str | None) -> bool:
        """Whether a new visitor of ``notebook`` can get a kernel now, from the pool or a fresh start."""
        return not self.is_full() or self.usable_in_pool(notebook) > 0

    def start_idle_clock(self, kernel_id: str) -> None:
        kernel = self._kernels.get(kernel_id)
        if kernel is not None:
            kernel.last_activity = utcnow()

    # -- starting and stopping ------------------------------------------------------------------

    # jupyter_client types these as synchronous; jupyter_server's async manager overrides them the same way.
    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs: Any) -> str:  # type: ignore[override]
        if kernel_id is not None and kernel_id in self:
            return str(await super().start_kernel(kernel_id=kernel_id, **kwargs))
        kernel_id = kernel_id or self.new_kernel_id()
        if (kwargs.get("env") or {}).get(ENV_VARIABLE.VOILA_PREHEAT) == "True":
            await self._wait_for_room(kernel_id)  # a pool refill waits for room instead of failing
            refill = asyncio.current_task()  # the pooled task itself: Voila awaits this start inside it
            if refill is not None:
                self._refills_with_room.add(refill)
        elif self.is_full():
            raise KernelLimitReached(f"{self.max_kernels} kernels are running")
        else:
            self._starting.add(kernel_id)
        try:
            return str(await super().start_kernel(kernel_id=kernel_id, **kwargs))
        finally:
            self._starting.discard(kernel_id)
            await self._notify()  # a failed start gives its room back

    async def _wait_for_room(self, kernel_id: str) -> None:
        async with self._room:
            await self._room.wait_for(lambda: self._closing or not self.is_full())
            if self._closing:
                raise KernelLimitReached("the server is stopping")
            self._starting.add(kernel_id)  # under the lock: the next waiter sees this start

    async def _notify(self) -> None:
        async with self._room:
            self._room.notify_all()

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[no-untyped-call]
        finally:
            await self._notify()

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._closing = True
        await self._notify()
        await super().shutdown_all(*args, **kwargs)


class ClassroomVoilaHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """Voila's page handler, answering "busy" instead of starting a kernel beyond the limit."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        manager = self.kernel_manager
        starts_a_kernel = not (self.notebook_path and path)  # other paths redirect to static files
        admitted = not isinstance(manager, ClassroomKernelManager) or manager.can_admit(self.notebook_path)
        if starts_a_kernel and not admitted:
            self._busy(manager)
            return
        try:
            async for html in self.get_generator(path=path):
                self.write(html)
                self.flush()
        except KernelLimitReached:
            if self._headers_written:  # cannot happen: the kernel starts before the first byte
                raise
            self._busy(manager)

    def _busy(self, manager: ClassroomKernelManager) -> None:
        self.log.warning("Kernel limit of %d reached: sent the busy page", manager.max_kernels)
        self.clear()
        self.set_status(503)
        self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(BUSY_PAGE)


class ClassroomVoila(Voila):  # type: ignore[misc]
    """Voila with the busy-aware page handler, which prints the address(es) to type once it listens."""

    announce = List(Unicode(), help="Addresses printed once the server listens.")

    def init_handlers(self) -> list[Any]:
        return [
            (pattern, ClassroomVoilaHandler, *rest) if handler is TornadoVoilaHandler else (pattern, handler, *rest)
            for pattern, handler, *rest in super().init_handlers()
        ]

    def listen(self) -> None:
        # Voila's page pulls 5.4 MB of JavaScript, sent uncompressed: on a phone's slow 4G that is
        # most of the half-minute before the first paint (Lighthouse, docs/serving.md). gzip sends
        # about a quarter of it. Voila applies ``tornado_settings`` after building its app, too
        # late for tornado's ``compress_response``; its ``start`` builds the app, then listens.
        self.app.add_transform(tornado.web.GZipContentEncoding)
        super().listen()

    def start(self) -> None:
        # Runs once the loop starts, i.e. after the port was bound (port_retries=0: or never).
        tornado.ioloop.IOLoop.current().add_callback(self._announce)
        self._ready_check = tornado.ioloop.PeriodicCallback(self._announce_ready, 1000)
        self._ready_check.start()
        super().start()

    def _announce_ready(self) -> None:
        """Tell the teacher when every pooled kernel has run the notebook: the class can come in."""
        manager = self.kernel_manager
        wanted = self.voila_configuration.default_pool_size
        if not isinstance(manager, ClassroomKernelManager) or not self.voila_configuration.preheat_kernel:
            self._ready_check.stop()
            return
        pool = getattr(manager, "_pools", {}).get(getattr(manager, "notebook_path", None), [])
        done = [task for task in pool if task.done() and not task.cancelled() and task.exception() is None]
        if len(done) >= wanted and all(task.result()["task"].done() for task in done):
            self._ready_check.stop()
            print(f"Ready: {wanted} kernel(s) preheated.", flush=True)

    def _announce(self) -> None:
        if not self.announce:
            return
        if len(self.announce) == 1 and "127.0.0.1" in self.announce[0]:
            print(f"Open {self.announce[0]} in a browser on this computer. Stop with Ctrl+C.", flush=True)
            return
        lines = [
            "Learners on this network can type one of these addresses:",
            *(f"    {url}" for url in self.announce),
            "There is no login and no encryption: use a network you trust. Stop with Ctrl+C.",
        ]
        print("\n".join(lines), file=sys.stdout, flush=True)
