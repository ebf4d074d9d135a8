"""Fair under load: one client cannot hold every worker, each client has a budget of query time
per minute, and the time limit bounds a query end to end (waiting for a worker included).

The assertions are about order of service and error answers, not speed: the slow calls are
``sleep``s or a query the time limit stops, and every wall-clock bound has seconds of slack.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.limits import QueryBudget
from graph.query_pool import PoolBusy, PoolLimits, PoolTimeout, QueryPool
from tests.hardening.conftest import HARDENED
from tests.hardening.workerfuncs import count, sleep
from tests.live import LiveServer, serve

SLOW = (
    "PREFIX ex: <http://example.org/big/>\n"
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (ex:p|^ex:p)* ?b . ?b (ex:p|^ex:p)* ?c }"
)
ORDINARY = "SELECT ?s WHERE { ?s a ?t } LIMIT 1"
FAIR = HARDENED.with_(
    query_workers=2,
    client_workers=1,
    query_timeout_s=2.0,
    queue_timeout_s=10.0,
    client_query_seconds_per_minute=1.0,
)


# --- the pool: order of service -----------------------------------------------------------


def with_pool(root: Path, limits: PoolLimits, body: Callable[[QueryPool], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        # the forkserver is shared by every pool of this process and started by the first one:
        # preload what the app's runner preloads, or later servers' workers import it per query
        pool = QueryPool(root, limits, preload=["api.runner"])
        await pool.start()
        try:
            return await body(pool)
        finally:
            await pool.close()

    return asyncio.run(main())


def test_a_second_client_gets_a_worker_while_the_first_ones_calls_queue(big_root: Path) -> None:
    async def body(pool: QueryPool) -> None:
        a = [asyncio.create_task(pool.call(sleep, 1.0, client="A")) for _ in range(4)]
        await asyncio.sleep(0.2)  # A holds one worker, its other three calls queue
        assert await pool.call(count, client="B") > 0
        assert not any(t.done() for t in a[1:]), "B was served after A's queued calls"
        assert await asyncio.gather(*a) == ["slept"] * 4

    with_pool(
        big_root, PoolLimits(workers=2, timeout_s=10, queue_timeout_s=10, client_workers=1), body
    )


def test_waiting_clients_are_served_round_robin(big_root: Path) -> None:
    async def body(pool: QueryPool) -> None:
        served: list[str] = []

        async def call(client: str) -> None:
            await pool.call(sleep, 0.2, client=client)
            served.append(client)

        tasks = [asyncio.create_task(call("A")) for _ in range(3)]
        await asyncio.sleep(0.05)
        tasks += [asyncio.create_task(call("B")) for _ in range(2)]
        await asyncio.gather(*tasks)
        assert served == ["A", "B", "A", "B", "A"]

    with_pool(big_root, PoolLimits(workers=1, timeout_s=10, queue_timeout_s=10), body)


# --- the pool: the time limit is end to end -----------------------------------------------


def test_time_spent_waiting_comes_off_the_run_time(big_root: Path) -> None:
    async def body(pool: QueryPool) -> None:
        first = asyncio.create_task(pool.call(sleep, 1.0, client="A"))
        await asyncio.sleep(0.1)
        t0 = time.monotonic()
        with pytest.raises(PoolTimeout, match=r"2 s time limit \([01]\.\d s waiting for a worker"):
            await pool.call(sleep, 1.8, client="B")  # would fit 2 s alone, not after waiting
        assert time.monotonic() - t0 < 2.0 + 1.0
        assert await first == "slept"

    with_pool(big_root, PoolLimits(workers=1, timeout_s=2, queue_timeout_s=10), body)


def test_a_query_whose_limit_runs_out_in_the_queue_is_told_so(big_root: Path) -> None:
    async def body(pool: QueryPool) -> None:
        hog = asyncio.create_task(pool.call(sleep, 2.5, client="A", timeout_s=5))
        await asyncio.sleep(0.1)
        t0 = time.monotonic()
        with pytest.raises(PoolBusy, match="waited its whole 1 s time limit"):
            await pool.call(count, client="B")
        assert time.monotonic() - t0 < 1.0 + 1.0
        assert await hog == "slept"
        assert await pool.call(count, client="B") > 0  # the abandoned place held nothing

    with_pool(big_root, PoolLimits(workers=1, timeout_s=1, queue_timeout_s=10), body)


# --- the budget ---------------------------------------------------------------------------


def test_budget_is_a_token_bucket_per_client() -> None:
    now = [0.0]
    budget = QueryBudget(60.0, clock=lambda: now[0])
    assert budget.retry_after("a") == 0
    budget.charge("a", 90.0)  # a 90 s query leaves the bucket 30 s in debt
    assert budget.retry_after("a") == pytest.approx(30.0, abs=0.01)
    assert budget.retry_after("b") == 0
    now[0] = 30.1
    assert budget.retry_after("a") == 0
    now[0] = 1000.0
    assert budget.level("a") == 60.0  # never more than a minute's worth


# --- over HTTP, clients told apart by their loopback address ------------------------------


@pytest.fixture(scope="module")
def fair(big_root: Path) -> Iterator[LiveServer]:
    server = serve(create_app(big_root, settings=FAIR, check_interval=0.5))
    yield server
    server.stop()


def client_at(live: LiveServer, address: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=live.url, timeout=30, trust_env=False, transport=transport)


def ask(client: httpx.Client, query: str) -> httpx.Response:
    return client.post(
        "/sparql", content=query.encode(), headers={"content-type": "application/sparql-query"}
    )


def test_one_client_cannot_starve_another(fair: LiveServer) -> None:
    answers: list[tuple[int, str, float]] = []

    def expensive() -> None:
        with client_at(fair, "127.0.0.2") as a:
            t0 = time.monotonic()
            response = ask(a, SLOW)
            answers.append((response.status_code, response.text, time.monotonic() - t0))

    threads = [threading.Thread(target=expensive) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    with client_at(fair, "127.0.0.3") as b:
        assert ask(b, ORDINARY).status_code == 200
    assert len(answers) == 0, "B waited for A's queries"
    for t in threads:
        t.join(30)
    # A's first query ran out of time; the others' limit ran out while they waited
    assert sorted(status for status, _, _ in answers) == [503] * 4
    assert all("2 s time limit" in text for _, text, _ in answers), answers
    assert sum("waited its whole" in text for _, text, _ in answers) >= 2, answers
    assert max(elapsed for _, _, elapsed in answers) < FAIR.query_timeout_s + 2


def test_a_client_over_its_budget_gets_429_with_retry_after(fair: LiveServer) -> None:
    with client_at(fair, "127.0.0.4") as c, client_at(fair, "127.0.0.5") as d:
        assert ask(c, SLOW).status_code == 503  # 2 s of worker time against 1 s per minute
        refused = ask(c, ORDINARY)
        assert refused.status_code == 429
        assert "query time" in refused.json()["error"]
        assert 1 <= int(refused.headers["retry-after"]) <= 120
        assert c.get("/api/entities/atlantis").status_code == 200  # lookups are not budgeted
        assert ask(d, ORDINARY).status_code == 200  # the budget is per client
