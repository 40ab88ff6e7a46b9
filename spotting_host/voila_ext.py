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
* **Several workers behind nginx** (``spotting serve --workers K``, :mod:`spotting_host.workers`).
  Each worker's kernel ids start with its own ``kernel_id_prefix``, so nginx can send every
  request that names a kernel (its websocket, the close beacon) to the worker that holds it.

* **No one can lock the server out** (issue 20). A page that never connects its websocket within
  ``unconnected_grace_seconds`` gives its kernel back, and a page left without one does when
  somebody needs the room; for one person (``one_person``) a newcomer is that person, so their
  own left-behind page makes room. A kernel that dies is freed, not restarted without its page.
* **Every route is guarded** (:class:`GuardedHandler`): security headers on every response,
  plain error pages, and a log that names routes and error kinds, never what a client sent.

The close beacon (voila#1458) is fixed in the page template
(``share/jupyter/voila/templates/spotting``), not here.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import functools
import logging
import os
import re
import sys
import time
import traceback
import urllib.parse
import uuid
import weakref
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import tornado.ioloop
import tornado.web
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Bool, Float, Integer, List, Unicode
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.utils import ENV_VARIABLE

from .serve import voila_headers

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


ERROR_WORDS = {
    400: ("This address is not right", "The address has a mistake in it."),
    403: ("This page is not available", "There is nothing here for you to open."),
    404: ("Page not found", "There is nothing at this address."),
    405: ("This page is not available", "There is nothing here for you to open."),
}
"""Kind words for an error page, by status; any other error gets the last resort below."""
ERROR_FALLBACK = ("Something went wrong", "This did not work. It is not your fault.")

ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font: 1.125rem/1.5 system-ui, sans-serif; color: #212b32; background: #fff; margin: 0; }}
  main {{ max-width: 36rem; margin: 3rem auto; padding: 0 1rem; }}
  a {{ color: #005eb8; display: inline-block; padding: 0.5rem 0; }}
  a:focus {{ outline: 3px solid #ffeb3b; background: #ffeb3b; color: #212b32; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{words}</p>
<p><a href="{home}">Go to the start page</a></p>
</main>
</body>
</html>
"""


def error_page(status: int, home: str) -> str:
    """A plain page for an error status: kind words and a way back, no script, nothing the client sent."""
    title, words = ERROR_WORDS.get(status, ERROR_FALLBACK)
    return ERROR_PAGE.format(title=title, words=words, home=home)


def route_name(pattern: str) -> str:
    """A route as the log names it: its pattern with each group as ``*`` (``/api/kernels/*/channels``).

    The log names the route a request matched, never the address it asked for: an address is
    something a client sent, and may carry anything.
    """
    return re.sub(r"\([^()]*\)", "*", pattern)


def where(tb: TracebackType | None) -> str:
    """Where an error happened (file:line in function), without its message, which may quote a request."""
    frames = traceback.extract_tb(tb)[-3:]
    return " <- ".join(f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" for frame in reversed(frames))


def unsafe_path(path: str) -> bool:
    """A path no file or page here can have: a control character (a NUL byte broke the file handlers)."""
    return any(ord(character) < 32 or ord(character) == 127 for character in urllib.parse.unquote(path))


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def log_request(handler: tornado.web.RequestHandler) -> None:
    """The request log: status, method, the route matched and the time taken, nothing the client sent.

    Replaces jupyter_server's, which logs the address asked for, the visitor's IP address, and on
    errors the Referer and User-Agent: all of them sent by the client.
    """
    status = handler.get_status()
    method = handler.request.method if handler.request.method in KNOWN_METHODS else "other method"
    route = getattr(handler, "route", type(handler).__name__)
    level = logging.DEBUG if status < 300 or status == 304 else logging.INFO if status < 400 else logging.WARNING
    logger = getattr(handler, "log", logging.getLogger("tornado.access"))
    milliseconds = 1000.0 * handler.request.request_time()
    logger.log(logging.ERROR if status >= 500 else level, "%d %s %s %.0f ms", status, method, route, milliseconds)


class QuietAboutClients(logging.Filter):
    """Rewrites the one server log line that quotes a client's message: its message type.

    jupyter_server formats the type into the text before it logs it ('Received message of type
    "…", which is not allowed'), so only a filter can keep it out. Every other line the server
    writes is made here without anything a client sent.
    """

    NOT_ALLOWED = "Received message of type "

    def filter(self, record: logging.LogRecord) -> bool:
        # record.msg, not getMessage(): a filter that raised would break the line's caller.
        if isinstance(record.msg, str) and record.msg.startswith(self.NOT_ALLOWED):
            record.msg, record.args = "Ignored a message of a type the page never sends", ()
        return True


class GuardedHandler(tornado.web.RequestHandler):
    """Mixed into every handler ``spotting serve`` serves: security headers, plain error pages, quiet logs.

    Voila's handlers come from jupyter_server, whose error page needs a setting Voila lacks, so
    every 404 logged a traceback and sent an empty page; two addresses raised before any check
    and answered 500. Here every error is a plain page with kind words, every response carries
    the security headers (docs/serving.md), and an error is logged as its kind and place only.
    """

    route = "?"
    """The route pattern this handler serves (see :func:`route_name`); set per route."""

    def set_default_headers(self) -> None:
        super().set_default_headers()
        for name, value in voila_headers(self.request.host).items():
            self.set_header(name, value)

    def prepare(self) -> Awaitable[None] | None:
        if unsafe_path(self.request.path):
            raise tornado.web.HTTPError(404)
        return super().prepare()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        home = self.settings.get("base_url", "/") or "/"
        self.finish(error_page(status_code, home))

    def log_exception(
        self, typ: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        if isinstance(value, tornado.web.HTTPError):
            return  # the request log has its status; its message may quote the request
        logging.getLogger("tornado.application").error(
            "Unexpected %s in %s", getattr(typ, "__name__", "error"), where(tb)
        )


class TemplateFilesHandler(TemplateStaticFileHandler):  # type: ignore[misc]
    """Voila's template file handler, answering 404 for an address that is not ``<template>/static/<file>``.

    Voila splits the address and asserts on the parts, so ``/voila/templates/`` raised and answered 500.
    """

    def parse_url_path(self, url_path: str) -> str:
        parts = url_path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static" or not parts[0] or not parts[2]:
            raise tornado.web.HTTPError(404)
        return str(super().parse_url_path(url_path))


def guarded(handler: type[tornado.web.RequestHandler], pattern: str) -> type[tornado.web.RequestHandler]:
    """``handler`` with :class:`GuardedHandler` mixed in, naming its route for the log."""
    return type(handler.__name__, (GuardedHandler, handler), {"route": route_name(pattern)})


# -- Pages and the kernels they were given --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PageKernel:
    """A kernel handed to a page, as the server sees it: whether its page ever connected, and since when it is alone."""

    kernel_id: str
    alone_since: float
    """``time.monotonic()`` when the page was sent, or when its last websocket closed."""
    connections: int = 0
    ever_connected: bool = False
    last_activity: float = 0.0
    """When the kernel last did anything (seconds since the epoch): the oldest idle goes first."""


def connected(page: PageKernel, change: int, now: float) -> PageKernel:
    """``page`` after one websocket opened (``change`` 1) or closed (-1)."""
    connections = max(0, page.connections + change)
    return dataclasses.replace(
        page,
        connections=connections,
        ever_connected=page.ever_connected or change > 0,
        alone_since=now if connections == 0 else page.alone_since,
    )


def abandoned(page: PageKernel, now: float, grace: float) -> bool:
    """A page that never connected its websocket within ``grace`` seconds of being sent.

    A plain request (a script, a link preview, a health check on ``/``) or a page that died
    before its script ran: nobody will ever use that kernel.
    """
    return not page.ever_connected and page.connections == 0 and now - page.alone_since >= grace


def reclaimable(pages: Iterable[PageKernel], now: float, grace: float, one_person: bool) -> list[str]:
    """Kernels that may be freed to let a newcomer in, the likeliest to be gone first.

    A page with no websocket for ``grace`` seconds (never connected, or its tab crashed, was
    killed or lost its network without saying goodbye) gives its kernel up first, longest alone
    first. A server for one person goes further: that person is the newcomer, so any page without
    a websocket goes at once, and then the one idle the longest, rather than show them "busy".
    """
    pages = list(pages)
    alone = sorted(
        (page for page in pages if page.connections == 0 and (one_person or now - page.alone_since >= grace)),
        key=lambda page: page.alone_since,
    )
    order = [page.kernel_id for page in alone]
    if one_person:
        open_pages = sorted((page for page in pages if page.connections > 0), key=lambda page: page.last_activity)
        order += [page.kernel_id for page in open_pages]
    return order


_PAGE_KERNELS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("page_kernels", default=None)
"""Set by the page handler while it serves a page: the kernel the page is given lands here."""


class KernelLimitReached(Exception):
    """Starting one more kernel would go past ``max_kernels``."""


class UpstreamChanged(RuntimeError):
    """Voila no longer has what this module wraps. Raised when the server starts, never silently
    served without the wrap: the classroom's guarantees (no culled hand-outs, a kernel limit with
    a busy page, warm-ups in turn) would lapse without anyone noticing."""


VOILA_VERSION = "0.5.13"
"""The Voila whose internals this module follows (pinned in constraints.txt)."""
POOLING_METHODS = ("get_rendered_notebook", "get_pool_size", "_initialize", "fill_if_needed")
"""What Voila's pooling kernel manager must define: the hand-out, the pool size, the warm-up (all
wrapped) and the refill a dead pooled kernel calls."""
POOLING_MARKS = frozenset({"kernel_pools_config", "get_rendered_notebook", "_initialize", "fill_if_needed"})
"""Any of these in a subclass's own namespace makes it Voila's pooling one."""


def _restarting_the_idle_clock(
    hand_out: Callable[..., Awaitable[tuple[Any, Any, str]]],
) -> Callable[..., Awaitable[tuple[Any, Any, str]]]:
    @functools.wraps(hand_out)
    async def get_rendered_notebook(self: ClassroomKernelManager, *args: Any, **kwargs: Any) -> tuple[Any, Any, str]:
        # The culler checks a kernel without yielding to the event loop, and nothing between the
        # pop from the pool and this line yields either, so no cull can slip in between.
        result = await hand_out(self, *args, **kwargs)
        self.start_idle_clock(result[2])
        self.given_to_page(result[2])
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

    unconnected_grace_seconds = Float(
        50.0,
        config=True,
        help=(
            "Seconds a page may stay without a websocket to its kernel (never connected, or closed "
            "without saying goodbye) before its kernel may be freed. Below the busy page's minute, so "
            "its 'try again in a minute' is true."
        ),
    )

    one_person = Bool(
        False,
        config=True,
        help="A server for one person: rather than refuse them, free their page left longest ago.",
    )

    kernel_id_prefix = Unicode(
        "",
        config=True,
        help="Hex digits every kernel id starts with: nginx routes a kernel's requests to its worker by them.",
    )

    pooling_wrapped = False
    """True on Voila's pooling subclass once its hand-out, pool size and warm-up are wrapped."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Wrap the pooling subclass's hand-out and warm-up, which never call ``super()``.

        Voila's factory makes one of two subclasses: without preheating, one that only answers
        ``get_pool_size``; with it, the pooling one. A pooling subclass that lacks a method wrapped
        here is a Voila that changed: it is refused at once, naming the method, because serving
        without the wrap would cull handed-out kernels or let a pool fill starve the server.
        """
        super().__init_subclass__(**kwargs)
        defined = set(cls.__dict__)
        if defined & POOLING_MARKS:
            missing = [name for name in POOLING_METHODS if name not in defined]
            if missing:
                raise UpstreamChanged(
                    f"Voila's pooling kernel manager ({cls.__qualname__}) no longer defines {', '.join(missing)}, "
                    f"which spotting_host/voila_ext.py wraps (written for voila {VOILA_VERSION}); follow the "
                    "new Voila there before serving with preheated kernels"
                )
            cls.get_rendered_notebook = _handing_out_a_usable_kernel_first(  # type: ignore[attr-defined]
                _restarting_the_idle_clock(cls.__dict__["get_rendered_notebook"])
            )
            cls._initialize = _taking_turns_to_warm_up(cls.__dict__["_initialize"])  # type: ignore[attr-defined]
            cls.pooling_wrapped = True
        get_pool_size = cls.__dict__.get("get_pool_size")
        if get_pool_size is not None:
            cls.get_pool_size = _counting_only_usable_kernels(get_pool_size)  # type: ignore[attr-defined]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]  # jupyter_server leaves it untyped
        self._starting: set[str] = set()
        self._room = asyncio.Condition()
        self._closing = False
        self.warmups = asyncio.Semaphore(max(1, self.max_concurrent_warmups))
        self._refills_with_room: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self._pages: dict[str, PageKernel] = {}
        self._reaper: tornado.ioloop.PeriodicCallback | None = None
        self._freeing: set[asyncio.Future[None]] = set()
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

    # -- pages and their websockets --------------------------------------------------------------

    def given_to_page(self, kernel_id: str) -> None:
        """Note that the page being served got ``kernel_id`` (the handler starts its clock once sent)."""
        being_served = _PAGE_KERNELS.get()
        if being_served is not None:
            being_served.append(kernel_id)

    def page_sent(self, kernel_id: str) -> None:
        """The page with ``kernel_id`` has been sent: from now on it must connect within the grace."""
        if kernel_id in self._kernels:
            connections = self._kernel_connections.get(kernel_id, 0)
            self._pages[kernel_id] = PageKernel(
                kernel_id, time.monotonic(), connections, connections > 0, self._last_activity(kernel_id)
            )

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)  # type: ignore[no-untyped-call]
        if kernel_id in self._pages:
            self._pages[kernel_id] = connected(self._pages[kernel_id], 1, time.monotonic())

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)  # type: ignore[no-untyped-call]
        if kernel_id in self._pages:
            self._pages[kernel_id] = connected(self._pages[kernel_id], -1, time.monotonic())

    def _last_activity(self, kernel_id: str) -> float:
        activity = getattr(self._kernels.get(kernel_id), "last_activity", None)
        return float(activity.timestamp()) if activity is not None else 0.0

    def _current_pages(self) -> list[PageKernel]:
        return [
            dataclasses.replace(page, last_activity=self._last_activity(page.kernel_id))
            for page in self._pages.values()
            if page.kernel_id in self._kernels
        ]

    def _start_reaper(self) -> None:
        if self._reaper is None:
            every = min(5.0, max(0.5, self.unconnected_grace_seconds / 4))
            self._reaper = tornado.ioloop.PeriodicCallback(self._reap, every * 1000)
            self._reaper.start()

    async def _reap(self) -> None:
        """Free the kernels of pages that never connected; when full, also those left without a socket."""
        now, grace = time.monotonic(), self.unconnected_grace_seconds
        pages = self._current_pages()
        for page in pages:
            if abandoned(page, now, grace):
                await self._free(page.kernel_id, "its page never connected")
        if self.is_full():
            for kernel_id in reclaimable(self._current_pages(), now, grace, one_person=False):
                if not self.is_full():
                    break
                await self._free(kernel_id, "its page left without saying goodbye")

    async def make_room(self, notebook: str | None) -> bool:
        """Free kernels nobody is using until a newcomer of ``notebook`` can get one; whether they can."""
        order = reclaimable(self._current_pages(), time.monotonic(), self.unconnected_grace_seconds, self.one_person)
        for kernel_id in order:
            if self.can_admit(notebook):
                break
            await self._free(kernel_id, "to make room for a newcomer")
        return self.can_admit(notebook)

    async def _free(self, kernel_id: str, why: str) -> None:
        if self._pages.pop(kernel_id, None) is None or kernel_id not in self._kernels:
            return
        self.log.info("Freeing kernel %s: %s", kernel_id, why)
        try:
            await self.shutdown_kernel(kernel_id)
        except Exception as error:  # it may have died meanwhile: it is gone either way
            self.log.warning("Kernel %s could not be shut down cleanly (%s)", kernel_id, type(error).__name__)
            self.remove_kernel(kernel_id)
            await self._notify()

    def _handle_kernel_died(self, kernel_id: str) -> None:
        """A kernel that died is freed, and a pooled one replaced; never restarted without its page."""
        self.log.warning("Kernel %s died: freeing its place", kernel_id)
        freeing = asyncio.ensure_future(self._free_dead(kernel_id))
        self._freeing.add(freeing)  # held until done: the loop keeps only a weak reference
        freeing.add_done_callback(self._freeing.discard)

    async def _free_dead(self, kernel_id: str) -> None:
        self._pages.pop(kernel_id, None)
        try:
            await self.shutdown_kernel(kernel_id, now=True)
        except Exception as error:
            self.log.warning("Kernel %s could not be cleaned up (%s)", kernel_id, type(error).__name__)
            self.remove_kernel(kernel_id)
            await self._notify()
        notebook = getattr(self, "notebook_path", None)
        fill = getattr(self, "fill_if_needed", None)
        if notebook is not None and fill is not None and not self._closing:
            fill(notebook_name=notebook)  # a pooled kernel that died leaves the pool short

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
            self.given_to_page(kernel_id)  # a visitor's own start: no pooled kernel was ready
        self._start_reaper()
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
        self._pages.pop(kernel_id, None)
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[no-untyped-call]
        finally:
            await self._notify()

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._closing = True
        if self._reaper is not None:
            self._reaper.stop()
        await self._notify()
        await super().shutdown_all(*args, **kwargs)


class ClassroomVoilaHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """Voila's page handler, answering "busy" instead of starting a kernel beyond the limit."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        # Another template or theme skips the pool and starts a kernel of its own; an unknown
        # template then never finished the page and held its kernel for good. There is one of each.
        for name in ("template", "theme"):
            self.request.arguments.pop(name, None)
            self.request.query_arguments.pop(name, None)
        manager = self.kernel_manager
        starts_a_kernel = not (self.notebook_path and path)  # other paths redirect to static files
        classroom = isinstance(manager, ClassroomKernelManager)
        if starts_a_kernel and classroom and not manager.can_admit(self.notebook_path):
            await manager.make_room(self.notebook_path)
        admitted = not classroom or manager.can_admit(self.notebook_path)
        if starts_a_kernel and not admitted:
            self._busy(manager)
            return
        given: list[str] = []
        serving = _PAGE_KERNELS.set(given)
        try:
            async for html in self.get_generator(path=path):
                self.write(html)
                self.flush()
        except KernelLimitReached:
            if self._headers_written:  # cannot happen: the kernel starts before the first byte
                raise
            self._busy(manager)
        finally:
            _PAGE_KERNELS.reset(serving)
            for kernel_id in given if classroom else ():
                manager.page_sent(kernel_id)

    def _busy(self, manager: ClassroomKernelManager) -> None:
        self.log.warning("Kernel limit of %d reached: sent the busy page", manager.max_kernels)
        self.clear()
        self.set_status(503)
        self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(BUSY_PAGE)


REPLACED_HANDLERS: dict[type[Any], type[Any]] = {
    TornadoVoilaHandler: ClassroomVoilaHandler,
    TemplateStaticFileHandler: TemplateFilesHandler,
}
"""Voila's handlers that are swapped for this module's: each must be among Voila's routes."""


class ClassroomVoila(Voila):  # type: ignore[misc]
    """Voila with the busy-aware page handler, which prints the address(es) to type once it listens."""

    announce = List(Unicode(), help="Addresses printed once the server listens.")

    def init_handlers(self) -> list[Any]:
        """Voila's routes, each guarded (:class:`GuardedHandler`), without the login and logout pages.

        Voila has no login here; jupyter_server's logout page needed a setting Voila lacks and
        answered 500.
        """
        login = {handler for _, handler, *_ in self.identity_provider.get_handlers()}
        routes = super().init_handlers()
        missing = [handler.__name__ for handler in REPLACED_HANDLERS if handler not in {h for _, h, *_ in routes}]
        if missing:
            raise UpstreamChanged(
                f"Voila no longer routes to {', '.join(missing)}, which spotting_host/voila_ext.py replaces "
                f"(the busy page and plain 404s; written for voila {VOILA_VERSION}): follow the new Voila there"
            )
        return [
            (pattern, guarded(REPLACED_HANDLERS.get(handler, handler), pattern), *rest)
            for pattern, handler, *rest in routes
            if handler not in login
        ]

    def check_kernel_manager(self) -> None:
        """A classroom manager with preheating must be Voila's pooling subclass, wrapped (above)."""
        manager = self.kernel_manager
        pooled = isinstance(manager, ClassroomKernelManager) and self.voila_configuration.preheat_kernel
        if pooled and not type(manager).pooling_wrapped:
            raise UpstreamChanged(
                f"Voila built its preheating kernel manager ({type(manager).__qualname__}) in a way "
                f"spotting_host/voila_ext.py does not recognise (written for voila {VOILA_VERSION}): the hand-out "
                "is not wrapped, so kernels could be culled as they are handed out"
            )

    def listen(self) -> None:
        # Voila's page pulls 5.4 MB of JavaScript, sent uncompressed: on a phone's slow 4G that is
        # most of the half-minute before the first paint (Lighthouse, docs/serving.md). gzip sends
        # about a quarter of it. Voila applies ``tornado_settings`` after building its app, too
        # late for tornado's ``compress_response``; its ``start`` builds the app, then listens.
        self.check_kernel_manager()  # built by now: Voila's start makes it, then routes, then listens
        self.app.add_transform(tornado.web.GZipContentEncoding)
        # Log nothing a client sent: the route, not the address; no IP, Referer or User-Agent.
        self.app.settings["log_function"] = log_request
        quiet = QuietAboutClients()
        for logger in {self.log, logging.getLogger("tornado.application"), logging.getLogger("tornado.general")}:
            logger.addFilter(quiet)
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
