"""``govgraph bench``: measurements as ratios against a baseline taken in the same run.

Absolute timings depend on the machine; ratios against a raw-store baseline measured a moment
earlier on the same machine do not (much). ``run_bench`` times an entity lookup on the raw
embedded store (the baseline), then the same lookup through the isolated query pool, and then
through the HTTP API of a server it starts on loopback. ``run_load`` starts that server and
drives a bounded mix of lookups, searches, ordinary SPARQL and hostile queries at it, reporting
throughput and p50/p99 per kind. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import URIRef

from graph.query_pool import PoolLimits, QueryPool
from graph.store import Store, sparql_prologue
from graph.storedir import StoreDir
from graph.vocab import slug_of

__all__ = ["HOSTILE", "run_bench", "run_load"]

_LOOKUP = sparql_prologue() + "SELECT ?e ?p ?o WHERE { ?e ?p ?o }"
_IDS = sparql_prologue() + (
    "SELECT DISTINCT ?e WHERE { ?e rdfs:label ?l FILTER(STRSTARTS(STR(?e), STR(id:))) } LIMIT 40"
)
BENIGN = [
    "SELECT ?who WHERE { ?who gg:signed ?doc } LIMIT 20",
    "SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t",
    "ASK { ?a gg:influencedBy/gg:influencedBy ?b }",
]
HOSTILE = [
    "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "DROP ALL",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://x/p>|^<http://x/p>|gg:influencedBy)* ?b }",
]
BENCH_TIMEOUT_S = 2


def lookup(store: Store, iri: str) -> int:
    """One entity lookup (a worker-side function: top level so it can be pickled)."""
    return len(store.select(_LOOKUP, bindings={"e": URIRef(iri)}))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _timed(calls: int, func: Callable[[int], object]) -> float:
    """Median seconds per call of ``func(i)`` over ``calls`` calls."""
    times = []
    for i in range(calls):
        t0 = time.perf_counter()
        func(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _entity_ids(store: Store) -> list[str]:
    return [str(row["e"]) for row in store.select(_IDS)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(store_root: Path, clients: int = 4) -> Iterator[int]:
    """``govgraph serve`` on 127.0.0.1 (a child process), with short query deadlines; the
    per-address query limit is raised to ``clients``, since every bench client shares 127.0.0.1."""
    port = _free_port()
    env = {
        **os.environ,
        "GOVGRAPH_QUERY_TIMEOUT": str(BENCH_TIMEOUT_S),
        "GOVGRAPH_CLIENT_CONCURRENCY": str(clients),
    }
    cmd = [sys.executable, "-m", "graph.cli", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--store", str(store_root)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"the server exited: {err[-500:]}")
            try:
                _get(port, "/openapi.json")
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _get(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> int:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        if own:
            conn.close()


def _sparql_path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": sparql_prologue() + query})


def _pool_lookup_seconds(store_root: Path, ids: list[str], rounds: int) -> float:
    async def main() -> float:
        pool = QueryPool(store_root, PoolLimits(workers=1, timeout_s=10))
        await pool.start()
        try:
            times = []
            for i in range(rounds):
                t0 = time.perf_counter()
                await pool.call(lookup, ids[i % len(ids)])
                times.append(time.perf_counter() - t0)
            return statistics.median(times)
        finally:
            await pool.close()

    return asyncio.run(main())


def run_bench(store_root: Path, *, rounds: int = 200) -> int:
    store = StoreDir(store_root).open()
    ids = _entity_ids(store)
    if not ids:
        print("the store has no entities to look up", file=sys.stderr)
        return 1
    raw = _timed(rounds, lambda i: lookup(store, ids[i % len(ids)]))
    print(f"baseline: raw store lookup, median {raw * 1e3:.3f} ms over {rounds} calls")
    pooled = _pool_lookup_seconds(store_root, ids, rounds)
    print(f"isolated query pool lookup: {pooled * 1e3:.3f} ms = {pooled / raw:.1f}x baseline")
    with _server(store_root) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        slugs = [slug_of(i) for i in ids]
        api = _timed(rounds, lambda i: _get(port, f"/api/entities/{slugs[i % len(slugs)]}", conn))
        print(f"HTTP GET /api/entities/{{id}}: {api * 1e3:.3f} ms = {api / raw:.1f}x baseline")
        sparql = _timed(
            rounds,
            lambda i: _get(
                port, _sparql_path(f"SELECT ?p ?o WHERE {{ <{ids[i % len(ids)]}> ?p ?o }}"), conn
            ),
        )
        print(f"HTTP /sparql lookup: {sparql * 1e3:.3f} ms = {sparql / raw:.1f}x baseline")
        conn.close()
    return 0


def _mix(ids: list[str]) -> list[tuple[str, str]]:
    """A realistic request mix: (kind, path), hostile queries about one request in eight."""
    slugs = [slug_of(i) for i in ids]
    out: list[tuple[str, str]] = []
    for n in range(40):
        out.append(("lookup", f"/api/entities/{slugs[n % len(slugs)]}"))
        if n % 2 == 0:
            out.append(("search", "/api/search?" + urllib.parse.urlencode({"q": slugs[n % 7]})))
        if n % 3 == 0:
            out.append(("sparql", _sparql_path(BENIGN[n % len(BENIGN)])))
        if n % 4 == 0:
            out.append(("hostile", _sparql_path(HOSTILE[n % len(HOSTILE)])))
    return out


def run_load(store_root: Path, *, duration_s: float = 10.0, clients: int = 8) -> int:
    duration_s, clients = min(max(duration_s, 1.0), 60.0), min(max(clients, 1), 32)
    ids = _entity_ids(StoreDir(store_root).open())
    mix = _mix(ids)
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    lock = threading.Lock()
    with _server(store_root, clients) as port:
        stop = time.monotonic() + duration_s

        def client(offset: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            i = offset * 7
            while time.monotonic() < stop:
                kind, path = mix[i % len(mix)]
                i += 1
                t0 = time.perf_counter()
                try:
                    status = _get(port, path, conn)
                except OSError:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status = 0
                with lock:
                    latencies[kind].append(time.perf_counter() - t0)
                    statuses[kind][status] += 1
            conn.close()

        t0 = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
    total = sum(len(v) for v in latencies.values())
    report = {
        "duration_s": round(elapsed, 1),
        "clients": clients,
        "requests": total,
        "throughput_rps": round(total / elapsed, 1),
        "query_timeout_s": BENCH_TIMEOUT_S,
        "kinds": {
            kind: {
                "n": len(values),
                "p50_ms": round(_percentile(values, 0.5) * 1e3, 1),
                "p99_ms": round(_percentile(values, 0.99) * 1e3, 1),
                "statuses": dict(sorted(statuses[kind].items())),
            }
            for kind, values in sorted(latencies.items())
        },
    }
    print(json.dumps(report, indent=2))
    return 0
