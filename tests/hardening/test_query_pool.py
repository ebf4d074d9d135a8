"""The worker pool: deadlines kill and replace, crashes are contained, CURRENT is followed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef

from api.pool_runner import ProcessPoolRunner
from api.runner import QueryFailed, QueryTimeout
from api.settings import Settings
from graph.formats import RdfFormat, ResultFormat
from graph.query_pool import PoolBusy, PoolCrashed, PoolLimits, PoolTimeout, QueryPool
from graph.store import QueryError
from tests.hardening.conftest import HARDENED, make_store
from tests.hardening.workerfuncs import count, pid, segfault, sleep

# memory_mb caps address space (RLIMIT_AS), and opening a fresh RocksDB build reserves a lot
FAST = PoolLimits(workers=1, timeout_s=1.0, memory_mb=2048, queue_timeout_s=0.5)


def with_pool(root: Path, limits: PoolLimits, body: Callable[[QueryPool], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        pool = QueryPool(root, limits)
        await pool.start()
        try:
            return await body(pool)
        finally:
            await pool.close()

    return asyncio.run(main())


def test_deadline_kills_and_replaces_the_worker(big_root: Path) -> None:
    async def body(pool: QueryPool) -> None:
        before = await pool.call(pid)
        with pytest.raises(PoolTimeout, match="1 s time limit"):
            await pool.call(sleep, 30)
        after = await pool.call(pid)
        assert after != before and pool.alive == 1 and pool.replaced == 1

    with_pool(big_root, FAST, body)


def test_crashed_worker_is_replaced_with_a_clear_error(big_root: Path) -> None:
    async def body(pool: QueryPool) -> None:
        with pytest.raises(PoolCrashed, match="crashed the query engine"):
            await pool.call(segfault)
        assert await pool.call(count) > 0 and pool.alive == 1

    with_pool(big_root, FAST, body)


def test_busy_pool_answers_busy_not_hang(big_root: Path) -> None:
    async def body(pool: QueryPool) -> None:
        slow = asyncio.create_task(pool.call(sleep, 1.0))
        await asyncio.sleep(0.1)
        with pytest.raises(PoolBusy, match="busy"):
            await pool.call(count)
        assert await slow == "slept"

    with_pool(big_root, PoolLimits(workers=1, timeout_s=3, queue_timeout_s=0.3), body)


def test_cancelled_call_returns_its_worker(big_root: Path) -> None:
    async def body(pool: QueryPool) -> None:
        task = asyncio.create_task(pool.call(sleep, 0.3))
        await asyncio.sleep(0.05)
        task.cancel()
        assert await pool.call(count) > 0

    with_pool(big_root, PoolLimits(workers=1, timeout_s=2, queue_timeout_s=2), body)


def test_workers_follow_current_to_a_new_build(tmp_path: Path) -> None:
    root = make_store(tmp_path / "store")
    from rdflib import Graph

    extra = Graph()
    extra.add((URIRef("http://e/new"), URIRef("http://e/p"), Literal("fresh")))

    async def body(pool: QueryPool) -> None:
        first = await pool.call(count)
        make_store(root, extra)  # a new build becomes CURRENT while the pool runs
        assert await pool.call(count) == first + 1

    with_pool(root, FAST, body)


def run_query(runner: ProcessPoolRunner, query: str) -> Any:
    async def main() -> Any:
        await runner.start()
        try:
            return await runner.run(
                query, result_format=ResultFormat.JSON, graph_format=RdfFormat.TURTLE, max_rows=3
            )
        finally:
            await runner.stop()

    return asyncio.run(main())


def test_5000_nested_braces_crash_only_a_worker_even_without_the_guard(big_root: Path) -> None:
    """Defence in depth: with the depth check disabled, pyoxigraph's crash stays in a worker."""
    runner = ProcessPoolRunner(big_root, HARDENED.with_(max_query_depth=10**6))
    with pytest.raises((QueryFailed, QueryError)):
        run_query(runner, "SELECT * WHERE " + "{" * 5000 + "}" * 5000)


def test_runner_maps_timeout_and_reports_truncation(big_root: Path) -> None:
    runner = ProcessPoolRunner(big_root, HARDENED.with_(query_timeout_s=1.0))
    out = run_query(runner, "SELECT * WHERE { ?s ?p ?o }")
    assert out.truncated and out.rows == 3
    slow = "PREFIX ex: <http://example.org/big/> SELECT (COUNT(*) AS ?n) WHERE "
    slow += "{ ?a (ex:p|^ex:p)* ?b . ?b (ex:p|^ex:p)* ?c }"
    with pytest.raises(QueryTimeout, match="time limit"):
        run_query(runner, slow)


def test_settings_read_from_environment() -> None:
    s = Settings.from_env({"GOVGRAPH_QUERY_TIMEOUT": "5", "GOVGRAPH_MAX_ROWS": "7"})
    assert s.query_timeout_s == 5.0 and s.max_rows == 7 and s.max_body_bytes == 1_000_000
    with pytest.raises(ValueError, match="GOVGRAPH_MAX_ROWS"):
        Settings.from_env({"GOVGRAPH_MAX_ROWS": "lots"})


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [env for env, _, _ in Settings.documented() if env not in readme]
    assert not missing, f"document these in README.md's Limits section: {missing}"
