"""A pool of worker processes that run users' queries where they cannot hurt the server.

Each worker opens the current build read-only, runs under an address-space cap
(``RLIMIT_AS``), and answers one call at a time over a pipe. A call past its deadline gets the
worker killed and replaced; a worker that dies (pyoxigraph segfaults on very deep nesting and
aborts when out of memory) is replaced and the caller gets a clear error. When the store's
CURRENT build changes, each worker reopens the new build before its next call.

The pool runs any picklable top-level function ``func(store, *args, **kwargs)``; the API's
query runner (api.pool_runner) passes the endpoint's ``execute``.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import resource
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.oxigraph_store import OxigraphStore
from graph.store import QueryError
from graph.storedir import StoreDir

__all__ = [
    "PoolBusy",
    "PoolCrashed",
    "PoolError",
    "PoolLimits",
    "PoolQueryError",
    "PoolTimeout",
    "QueryPool",
]


class PoolError(Exception):
    """A call could not be answered; the message is safe to show to the user."""


class PoolTimeout(PoolError):
    """The call ran past its deadline; its worker was killed and replaced."""


class PoolCrashed(PoolError):
    """The worker died during the call (crash or out of memory) and was replaced."""


class PoolBusy(PoolError):
    """No worker became free in time."""


class PoolQueryError(PoolError):
    """The function raised (e.g. a SPARQL syntax error); the worker is fine."""


@dataclass(frozen=True)
class PoolLimits:
    workers: int = 2
    timeout_s: float = 30.0
    memory_mb: int = 2048
    queue_timeout_s: float = 10.0


# --- the worker process -------------------------------------------------------------------


def _cap_memory(memory_mb: int) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_main(conn: Connection, build: str | None, memory_mb: int) -> None:
    """Serve calls until the pipe closes: (build, func, args, kwargs) -> (status, payload)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["RUST_BACKTRACE"] = "0"  # an out-of-memory abort prints one line, not 60
    _cap_memory(memory_mb)
    opened: str | None = None
    store: OxigraphStore | None = None
    if build is not None:  # warm up; a failure here is reported on the first call instead
        try:
            store, opened = OxigraphStore.open(Path(build) / "store", read_only=True), build
        except Exception:
            store = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        build, func, args, kwargs = request
        try:
            if build != opened or store is None:
                store = None
                store = OxigraphStore.open(Path(build) / "store", read_only=True)
                opened = build
            conn.send(("ok", func(store, *args, **kwargs)))
        except QueryError as exc:
            conn.send(("query", str(exc)))
        except RecursionError:
            conn.send(("query", "the query is too deeply nested to run"))
        except MemoryError:
            conn.send(("memory", "out of memory"))
            os._exit(3)
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:500]))


# --- the parent side ----------------------------------------------------------------------


class _Worker:
    def __init__(self, ctx: Any, build: Path | None, memory_mb: int) -> None:
        self.conn, child = mp.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main,
            args=(child, str(build) if build else None, memory_mb),
            daemon=True,
            name="govgraph-query-worker",
        )
        self.process.start()
        child.close()

    def kill(self) -> int | None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        return self.process.exitcode


def _crash_message(exitcode: int | None, memory_mb: int) -> str:
    if exitcode in (-signal.SIGABRT, 3):
        return (
            f"the query ran out of memory (limit {memory_mb} MB) and was stopped; "
            "narrow it down or add a LIMIT"
        )
    if exitcode == -signal.SIGSEGV:
        return (
            "the query crashed the query engine and was stopped (is it very deeply nested?); "
            "the server is fine"
        )
    return f"the query worker stopped unexpectedly (exit code {exitcode}); the server is fine"


class QueryPool:
    """Worker processes for a store folder; ``await call(func, ...)`` from the event loop."""

    def __init__(
        self,
        store_root: Path,
        limits: PoolLimits | None = None,
        *,
        preload: Sequence[str] = (),
    ) -> None:
        self.store_dir = StoreDir(store_root)
        self.limits = limits or PoolLimits()
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["graph.query_pool", *preload])
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._executor = self._new_executor()
        self._closed = False
        self.replaced = 0

    def _new_executor(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(
            max_workers=max(1, self.limits.workers), thread_name_prefix="govgraph-pool"
        )

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.store_dir.current(), self.limits.memory_mb)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> int | None:
        with self._lock:
            self._all.discard(worker)
        self.replaced += 1
        return worker.kill()

    async def start(self) -> None:
        """Start the workers (again, after ``close``)."""
        if self._closed:
            self._executor, self._idle, self._closed = self._new_executor(), asyncio.Queue(), False
        loop = asyncio.get_running_loop()
        for _ in range(max(1, self.limits.workers)):
            self._idle.put_nowait(await loop.run_in_executor(self._executor, self._spawn))

    async def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._closed = True

    @property
    def alive(self) -> int:
        with self._lock:
            return sum(w.process.is_alive() for w in self._all)

    def _exchange(
        self,
        worker: _Worker,
        request: tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]],
        timeout_s: float,
    ) -> tuple[_Worker, str, Any]:
        """Blocking: send one call and wait; returns the worker to reuse and the answer."""
        try:
            worker.conn.send(request)
            ready = worker.conn.poll(timeout_s)
            if ready:
                status, payload = worker.conn.recv()
                if status != "memory":
                    return worker, status, payload
        except (EOFError, OSError, BrokenPipeError):
            ready = True
        exitcode = self._retire(worker)
        if not ready:
            return self._spawn(), "timeout", timeout_s
        return self._spawn(), "crash", exitcode

    async def call(
        self, func: Callable[..., Any], *args: Any, timeout_s: float | None = None, **kwargs: Any
    ) -> Any:
        """Run ``func(store, *args, **kwargs)`` in a worker; raise a ``PoolError`` on failure."""
        build = self.store_dir.require_current()
        deadline = self.limits.timeout_s if timeout_s is None else timeout_s
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.limits.queue_timeout_s)
        except TimeoutError:
            raise PoolBusy(
                f"all {self.limits.workers} query workers are busy; try again shortly"
            ) from None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self._executor, self._exchange, worker, (str(build), func, args, kwargs), deadline
        )
        future.add_done_callback(self._release)
        _, status, payload = await asyncio.shield(future)
        if status == "ok":
            return payload
        if status == "timeout":
            raise PoolTimeout(
                f"the query ran longer than the {payload:g} s time limit and was stopped"
            )
        if status == "crash":
            raise PoolCrashed(_crash_message(payload, self.limits.memory_mb))
        if status == "query":
            raise PoolQueryError(payload)
        raise PoolError(f"the query failed: {payload}")

    def _release(self, future: asyncio.Future[tuple[_Worker, str, Any]]) -> None:
        if future.cancelled() or future.exception() is not None:
            return  # the executor is shutting down
        self._idle.put_nowait(future.result()[0])
