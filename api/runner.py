"""How the SPARQL endpoint runs a user's query: the seam between the API and the executor.

The endpoint only ever calls ``QueryRunner.run``, passing the ``QueryClient`` the limits
middleware identified (its key orders the fair queue, its ``charge`` spends its query-time
budget). ``ThreadRunner`` runs the query on a worker
thread of this process (good enough for trusted local use); the hardened runner runs it in an
isolated worker process with a deadline and a memory cap, behind the same interface.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Protocol

from graph.formats import QueryKind, RdfFormat, ResultFormat
from graph.query_guard import QueryRejected, check_query
from graph.results import serialize_graph, serialize_result
from graph.store import SelectResult, Store

__all__ = [
    "QueryClient",
    "QueryFailed",
    "QueryOutcome",
    "QueryRefused",
    "QueryRunner",
    "QueryTimeout",
    "ThreadRunner",
    "execute",
]


class QueryRefused(Exception):
    """The query is not allowed (update, SERVICE, too long...); the message says why. HTTP 400."""


class QueryTimeout(Exception):
    """The query ran past its time limit and was stopped. HTTP 503."""


class QueryFailed(Exception):
    """The query could not run (syntax error, worker crash); the message is safe to show."""


@dataclass(frozen=True)
class QueryOutcome:
    kind: QueryKind
    body: bytes
    media_type: str
    truncated: bool = False
    rows: int | None = None


class QueryClient(Protocol):
    """Who sent a query: ``key`` identifies the client (its address), ``charge`` spends seconds
    of its query-time budget."""

    @property
    def key(self) -> str: ...

    def charge(self, seconds: float) -> None: ...


class QueryRunner(Protocol):
    async def run(
        self,
        query: str,
        *,
        result_format: ResultFormat,
        graph_format: RdfFormat,
        max_rows: int,
        client: QueryClient | None = None,
    ) -> QueryOutcome: ...

    async def close(self) -> None: ...


def execute(
    store: Store,
    query: str,
    *,
    result_format: ResultFormat,
    graph_format: RdfFormat,
    max_rows: int,
) -> QueryOutcome:
    """Run ``query`` on ``store`` and serialise its result (blocking)."""
    result = store.query(query, max_rows=max_rows)
    if isinstance(result, SelectResult):
        body = serialize_result(result, format=result_format)
        return QueryOutcome(
            QueryKind.SELECT, body, result_format.media_type, result.truncated, len(result.rows)
        )
    if isinstance(result, bool):
        return QueryOutcome(
            QueryKind.ASK, serialize_result(result, format=result_format), result_format.media_type
        )
    body = serialize_graph(result, format=graph_format)
    return QueryOutcome(QueryKind.GRAPH, body, graph_format.media_type, rows=len(result))


class ThreadRunner:
    """Runs queries on a thread so the event loop stays free (no isolation, no deadline: for a
    remote store, whose server enforces its own, and for tests). Like the pool, it refuses
    updates, SERVICE, LOAD and foreign FROM before anything runs, so a remote server is never
    asked to contact another host."""

    def __init__(self, store: Store, *, max_length: int = 100_000, max_depth: int = 100) -> None:
        self.store = store
        self.max_length = max_length
        self.max_depth = max_depth

    async def run(
        self,
        query: str,
        *,
        result_format: ResultFormat,
        graph_format: RdfFormat,
        max_rows: int,
        client: QueryClient | None = None,
    ) -> QueryOutcome:
        try:
            check_query(query, max_length=self.max_length, max_depth=self.max_depth)
        except QueryRejected as exc:
            raise QueryRefused(str(exc)) from None
        started = time.monotonic()
        try:
            return await asyncio.to_thread(
                execute,
                self.store,
                query,
                result_format=result_format,
                graph_format=graph_format,
                max_rows=max_rows,
            )
        finally:
            if client is not None:
                client.charge(time.monotonic() - started)

    async def close(self) -> None:
        return None
