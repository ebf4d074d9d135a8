"""The hardened query runner: checked text, isolated worker processes, deadline, row cap.

``ProcessPoolRunner`` implements ``api.runner.QueryRunner``. Before any parser sees a query,
``graph.query_guard`` refuses updates, SERVICE, remote FROM, over-long and over-nested text; the
query then runs in a ``graph.query_pool.QueryPool`` worker, queued fairly under its client's key
(at most ``client_workers`` workers per client) within the time limit end to end, and the
seconds it ran are charged to the client's budget. The pool is owned by the app's
lifespan (``start``/``close``) and follows the store's CURRENT build by itself, so the runner
handed to each snapshot is the same object and its ``close`` does nothing.
"""

from __future__ import annotations

from pathlib import Path

from api.runner import (
    QueryClient,
    QueryFailed,
    QueryOutcome,
    QueryRefused,
    QueryTimeout,
    execute,
)
from api.settings import Settings
from graph.formats import RdfFormat, ResultFormat
from graph.query_guard import QueryRejected, check_query
from graph.query_pool import (
    PoolBusy,
    PoolError,
    PoolLimits,
    PoolQueryError,
    PoolTimeout,
    QueryPool,
)
from graph.store import QueryError, Store
from graph.storedir import StoreMissing

__all__ = ["ProcessPoolRunner", "QueryBusy"]


class QueryBusy(QueryTimeout):
    """No worker came free within the queue timeout or the query's time limit (HTTP 503)."""


class ProcessPoolRunner:
    def __init__(self, store_root: Path, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        s = self.settings
        self.pool = QueryPool(
            store_root,
            PoolLimits(
                workers=s.query_workers,
                timeout_s=s.query_timeout_s,
                memory_mb=s.query_memory_mb,
                queue_timeout_s=s.queue_timeout_s,
                client_workers=s.client_workers,
            ),
            preload=["api.runner"],
        )

    def for_store(self, store: Store) -> ProcessPoolRunner:
        """A ``RunnerFactory``: every snapshot shares this runner (the pool follows CURRENT)."""
        return self

    async def start(self) -> None:
        await self.pool.start()

    async def stop(self) -> None:
        await self.pool.close()

    async def run(
        self,
        query: str,
        *,
        result_format: ResultFormat,
        graph_format: RdfFormat,
        max_rows: int,
        client: QueryClient | None = None,
    ) -> QueryOutcome:
        s = self.settings
        try:
            check_query(query, max_length=s.max_query_chars, max_depth=s.max_query_depth)
        except QueryRejected as exc:
            raise QueryRefused(str(exc)) from None
        try:
            outcome = await self.pool.call(
                execute,
                query,
                client=None if client is None else client.key,
                charge=None if client is None else client.charge,
                result_format=result_format,
                graph_format=graph_format,
                max_rows=min(max_rows, s.max_rows),
            )
        except PoolBusy as exc:
            raise QueryBusy(str(exc)) from None
        except PoolTimeout as exc:
            raise QueryTimeout(str(exc)) from None
        except PoolQueryError as exc:  # e.g. a syntax error: the same error ThreadRunner raises
            raise QueryError(str(exc)) from None
        except PoolError as exc:  # the worker crashed or ran out of memory
            raise QueryFailed(str(exc)) from None
        except StoreMissing as exc:
            raise QueryFailed(str(exc)) from None
        assert isinstance(outcome, QueryOutcome)
        return outcome

    async def close(self) -> None:
        """Called when a snapshot is retired: the shared pool lives on."""
        return None
