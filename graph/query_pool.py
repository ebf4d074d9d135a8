"""A pool of worker processes that run users' queries where they cannot hurt the server.

Each worker opens the current build read-only, runs under an address-space cap
(``RLIMIT_AS``), and answers one call at a time over a pipe. A call past its deadline gets the
worker killed and replaced; a worker that dies (pyoxigraph segfaults on very deep nesting and
aborts when out of memory) is replaced and the caller gets a clear error. When the store's
CURRENT build changes, each worker reopens the new build before its next call.

Workers are handed out fairly: calls wait in one queue per client (any hashable key, e.g. the
client's address), free workers go round-robin to the clients with waiting calls, and one
client holds at most ``PoolLimits.client_workers`` workers at once, so with 2 workers and a
cap of 1 another client always finds one free. The time limit bounds a call end to end: a call
that waited 8 s of a 30 s limit gets 22 s to run, and one whose limit runs out while it waits
gets ``PoolBusy``. ``charge`` receives the seconds a worker spent on the call (for budgets).

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
import time
from collections import Counter, deque
from collections.abc import Callable, Hashable, Sequence
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
    client_workers: int | None = None  # workers one client may hold at once; None: all

    @property
    def per_client(self) -> int:
        workers = max(1, self.workers)
        return workers if self.client_workers is None else max(1, min(self.client_workers, workers))


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


class _FairQueue:
    """Idle workers and waiting calls (one queue per client), matched round-robin by client.

    Event-loop side only. A free worker goes to the waiting client holding the fewest workers,
    then the one served longest ago (a new client first), then the one waiting longest; a
    client already holding ``per_client`` workers is skipped.
    """

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self.idle: list[_Worker] = []
        self.waiting: dict[Hashable, deque[asyncio.Future[_Worker]]] = {}
        self.held: Counter[Hashable] = Counter()
        self.served: dict[Hashable, int] = {}  # client -> turn it was last served
        self.turn = 0

    def acquire(self, client: Hashable) -> asyncio.Future[_Worker]:
        future: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(client, deque()).append(future)
        self._dispatch()
        return future

    def release(self, worker: _Worker, client: Hashable) -> None:
        self.held[client] -= 1
        if self.held[client] <= 0:
            del self.held[client]
        self.idle.append(worker)
        self._dispatch()

    def abandon(self, future: asyncio.Future[_Worker], client: Hashable) -> None:
        """The caller stopped waiting: leave the queue, or give back a worker handed over."""
        queue = self.waiting.get(client)
        if queue is not None and future in queue:
            queue.remove(future)
            if not queue:
                del self.waiting[client]
        if future.done() and not future.cancelled():
            self.release(future.result(), client)
        future.cancel()

    def _next_client(self) -> list[Hashable]:
        """The client whose turn it is, as a list (empty: nobody may take a worker)."""
        ready = [c for c, q in self.waiting.items() if q and self.held[c] < self.per_client]
        if not ready:
            return []
        return [min(ready, key=lambda c: (self.held[c], self.served.get(c, -1)))]

    def _dispatch(self) -> None:
        while self.idle and (found := self._next_client()):
            client = found[0]
            queue = self.waiting[client]
            future = queue.popleft()
            if not queue:
                del self.waiting[client]
            if future.done():
                continue
            self.held[client] += 1
            self.turn += 1
            self.served[client] = self.turn
            future.set_result(self.idle.pop())
        if len(self.served) > 10_000:  # forget clients neither waiting nor holding a worker
            active = set(self.waiting) | set(self.held)
            self.served = {c: t for c, t in self.served.items() if c in active}


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
        self._queue = _FairQueue(self.limits.per_client)
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
            self._executor, self._closed = self._new_executor(), False
            self._queue = _FairQueue(self.limits.per_client)
        loop = asyncio.get_running_loop()
        for _ in range(max(1, self.limits.workers)):
            self._queue.idle.append(await loop.run_in_executor(self._executor, self._spawn))
        self._queue._dispatch()

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
        self,
        func: Callable[..., Any],
        *args: Any,
        client: Hashable = None,
        timeout_s: float | None = None,
        charge: Callable[[float], None] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run ``func(store, *args, **kwargs)`` in a worker, queued fairly as ``client``, within
        ``timeout_s`` end to end (waiting included); raise a ``PoolError`` on failure.
        ``charge(seconds)`` is told the worker time spent, even if the caller is cancelled."""
        build = self.store_dir.require_current()
        started = time.monotonic()
        limit = self.limits.timeout_s if timeout_s is None else timeout_s
        worker = await self._acquire(client, limit)
        ran_from = time.monotonic()
        waited = ran_from - started
        if limit - waited < 0.01:  # nothing left to run with: do not start (and kill) a worker
            self._queue.release(worker, client)
            raise PoolBusy(self._busy(client, limit, limit))
        loop = asyncio.get_running_loop()
        request = (str(build), func, args, kwargs)
        future = loop.run_in_executor(
            self._executor, self._exchange, worker, request, limit - waited
        )
        future.add_done_callback(lambda f: self._release(f, client, ran_from, charge))
        _, status, payload = await asyncio.shield(future)
        if status == "ok":
            return payload
        if status == "timeout":
            raise PoolTimeout(
                f"the query ran past its {limit:g} s time limit ({waited:.1f} s waiting for a "
                f"worker, {time.monotonic() - ran_from:.1f} s running) and was stopped"
            )
        if status == "crash":
            raise PoolCrashed(_crash_message(payload, self.limits.memory_mb))
        if status == "query":
            raise PoolQueryError(payload)
        raise PoolError(f"the query failed: {payload}")

    async def _acquire(self, client: Hashable, limit: float) -> _Worker:
        """A worker for ``client``, or ``PoolBusy`` once the queue timeout or ``limit`` passes."""
        wait_s = min(self.limits.queue_timeout_s, limit)
        future = self._queue.acquire(client)
        try:
            await asyncio.wait({future}, timeout=wait_s)
        except asyncio.CancelledError:
            self._queue.abandon(future, client)
            raise
        if future.done() and not future.cancelled():
            return future.result()
        message = self._busy(client, limit, wait_s)
        self._queue.abandon(future, client)
        raise PoolBusy(message)

    def _busy(self, client: Hashable, limit: float, waited: float) -> str:
        per_client = self._queue.per_client
        if self._queue.held[client] >= per_client and per_client < max(1, self.limits.workers):
            busy = f"your other queries hold the {per_client} query worker(s) one client may use"
        else:
            busy = f"all {self.limits.workers} query workers are busy"
        if waited >= limit:
            return (
                f"{busy}: the query waited its whole {limit:g} s time limit for a worker and "
                "did not run; try again shortly"
            )
        return f"{busy}; the query waited {waited:g} s and did not run; try again shortly"

    def _release(
        self,
        future: asyncio.Future[tuple[_Worker, str, Any]],
        client: Hashable,
        ran_from: float,
        charge: Callable[[float], None] | None,
    ) -> None:
        try:
            if not future.cancelled() and future.exception() is None:  # else: shutting down
                self._queue.release(future.result()[0], client)
        finally:
            if charge is not None:
                charge(time.monotonic() - ran_from)
