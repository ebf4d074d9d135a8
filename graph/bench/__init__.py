"""``govgraph bench``: measurements as ratios against a baseline taken in the same run.

Absolute timings depend on the machine; ratios against a raw-store baseline measured a moment
earlier on the same machine do not (much). ``run_bench`` times an entity lookup on the raw
embedded store (the baseline), then the same lookup through the isolated query pool, path
explanations in process, and then lookups and ranked, narrated paths through the HTTP API of a
server it starts on loopback. ``run_load`` starts that server and
drives a bounded mix of lookups, searches, ordinary SPARQL and hostile queries at it, reporting
throughput and p50/p99 per kind; then a fairness scenario: one client keeps 4 expensive queries
going while another runs ordinary SPARQL and lookups, whose p95s are reported. The server tells
clients apart by address, so each bench client connects from its own loopback address
(127.0.0.2, 127.0.0.3, ...: Linux routes all of 127.0.0.0/8 to loopback). Nothing leaves
127.0.0.0/8.
"""

from __future__ import annotations

import asyncio
import http.client
import ipaddress
import json
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import URIRef

from graph.bench.servers import free_port, serving
from graph.query_pool import PoolLimits, QueryPool
from graph.store import Store, sparql_prologue
from graph.storedir import StoreDir
from graph.vocab import slug_of

__all__ = ["HOSTILE", "run_bench", "run_load"]

_LOOKUP = sparql_prologue() + "SELECT ?e ?p ?o WHERE { ?e ?p ?o }"
_IDS = sparql_prologue() + (
    "SELECT DISTINCT ?e WHERE { ?e rdfs:label ?l FILTER(STRSTARTS(STR(?e), STR(id:))) } LIMIT 40"
)
_ALL_IDS = sparql_prologue() + (
    "SELECT DISTINCT ?e WHERE { ?e rdfs:label ?l FILTER(STRSTARTS(STR(?e), STR(id:))) }"
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
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


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


@contextmanager
def _server(store_root: Path, clients: int = 4) -> Iterator[int]:
    """``govgraph serve`` on 127.0.0.1 (a child process), with short query deadlines; the
    per-address query limit is raised to ``clients``."""
    port = free_port()
    env = {
        "GOVGRAPH_QUERY_TIMEOUT": str(BENCH_TIMEOUT_S),
        "GOVGRAPH_CLIENT_CONCURRENCY": str(clients),
    }
    cmd = [sys.executable, "-m", "graph.cli", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--store", str(store_root)]
    with serving(cmd, f"http://127.0.0.1:{port}/openapi.json", env=env, timeout=60):
        yield port


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


CHAINS = [  # the explanations the acceptance tests pin, when the store has these entities
    ("ai-safety-summit-2023", "independent-international-scientific-panel-on-ai"),
    ("un-high-level-advisory-body-on-ai", "independent-international-scientific-panel-on-ai"),
    ("frontier-ai-taskforce", "uk-ai-security-institute"),
    ("idais-oxford-statement", "idais-venice-statement"),
    ("ai-safety-summit-2023", "india-ai-impact-summit-2026"),
]


def _path_pairs(store: Store, slugs: list[str]) -> list[tuple[str, str]]:
    """Known chains present in the store, then pairs of sampled entities (deterministic)."""
    known = {slug_of(str(row["e"])) for row in store.select(_ALL_IDS)}
    pairs = [(a, b) for a, b in CHAINS if a in known and b in known]
    n = len(slugs)
    pairs += [(slugs[i % n], slugs[(i * 7 + 3) % n]) for i in range(20)]
    return [(a, b) for a, b in pairs if a != b]


def _paths_path(pair: tuple[str, str]) -> str:
    return "/api/paths?" + urllib.parse.urlencode({"from": pair[0], "to": pair[1]})


def _explain_seconds(store: Store, pairs: list[tuple[str, str]], rounds: int) -> list[float]:
    from graph.explain import explain_paths, prepare
    from graph.network import project

    g = project(store)
    prepare(g)
    times = []
    for i in range(rounds):
        a, b = pairs[i % len(pairs)]
        t0 = time.perf_counter()
        explain_paths(g, a, b)
        times.append(time.perf_counter() - t0)
    return times


def _ms(values: list[float]) -> str:
    return (
        f"p50 {_percentile(values, 0.5) * 1e3:.1f} ms, p90 {_percentile(values, 0.9) * 1e3:.1f} ms"
    )


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
    slugs = [slug_of(i) for i in ids]
    pairs = _path_pairs(store, slugs)
    explained = _explain_seconds(store, pairs, rounds)
    print(
        f"path explanation in process ({len(pairs)} pairs, top 10 ranked): {_ms(explained)}"
        f" = {statistics.median(explained) / raw:.1f}x baseline"
    )
    with _server(store_root) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        paths = []
        for i in range(rounds):
            t0 = time.perf_counter()
            _get(port, _paths_path(pairs[i % len(pairs)]), conn)
            paths.append(time.perf_counter() - t0)
        p50 = _percentile(paths, 0.5)
        print(
            f"HTTP GET /api/paths (ranked, narrated): {_ms(paths)} = {p50 / raw:.1f}x baseline "
            f"(target p50 <= 20 ms: {'met' if p50 <= 0.020 else 'NOT met'})"
        )
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
        if n % 5 == 0:
            pair = (slugs[n % len(slugs)], slugs[(n * 7 + 3) % len(slugs)])
            out.append(("paths", _paths_path(pair)))
    return out


def _connect(port: int, source: str = "127.0.0.1") -> http.client.HTTPConnection:
    """A connection to the bench server from ``source``, which must be a loopback address."""
    if not ipaddress.ip_address(source).is_loopback:
        raise ValueError(f"the bench only connects from loopback addresses, not {source}")
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))


Record = Callable[[str, float, int], None]


def _drive(
    port: int, source: str, requests: list[tuple[str, str]], stop: float, record: Record
) -> None:
    """Send ``requests`` (kind, path) in turn from ``source`` until ``stop``; record each."""
    conn = _connect(port, source)
    i = 0
    while time.monotonic() < stop:
        kind, path = requests[i % len(requests)]
        i += 1
        t0 = time.perf_counter()
        try:
            status = _get(port, path, conn)
        except OSError:
            conn.close()
            conn = _connect(port, source)
            status = 0
        record(kind, time.perf_counter() - t0, status)
    conn.close()


class _Tally:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.lock = threading.Lock()

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1

    def summary(self, kind: str, quantiles: tuple[float, ...] = (0.5, 0.99)) -> dict[str, object]:
        values = self.latencies[kind]
        out: dict[str, object] = {"n": len(values)}
        for q in quantiles:
            out[f"p{round(q * 100)}_ms"] = round(_percentile(values, q) * 1e3, 1)
        return {**out, "statuses": dict(sorted(self.statuses[kind].items()))}


def _run_threads(targets: list[tuple[Callable[..., None], tuple[object, ...]]]) -> float:
    t0 = time.monotonic()
    threads = [threading.Thread(target=f, args=args) for f, args in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - t0


def _fairness(port: int, slugs: list[str], duration_s: float) -> dict[str, object]:
    """Client 127.0.0.2 keeps 4 expensive queries going; 127.0.0.3 runs ordinary SPARQL and
    lookups: its p95s show whether it still gets a worker promptly."""
    tally, stop = _Tally(), time.monotonic() + duration_s
    heavy = [("expensive", _sparql_path(EXPENSIVE))]
    ordinary = []
    for n in range(12):
        ordinary.append(("sparql", _sparql_path(BENIGN[n % len(BENIGN)])))
        ordinary.append(("lookup", f"/api/entities/{slugs[n % len(slugs)]}"))
    targets: list[tuple[Callable[..., None], tuple[object, ...]]] = [
        (_drive, (port, "127.0.0.2", heavy, stop, tally.record)) for _ in range(4)
    ]
    targets.append((_drive, (port, "127.0.0.3", ordinary, stop, tally.record)))
    _run_threads(targets)
    p95 = {kind: _percentile(tally.latencies[kind], 0.95) for kind in ("sparql", "lookup")}
    met = p95["sparql"] <= 1.0 and p95["lookup"] <= 0.050
    return {
        "expensive_client_127.0.0.2": tally.summary("expensive"),
        "ordinary_client_127.0.0.3": {
            kind: tally.summary(kind, (0.5, 0.95)) for kind in ("sparql", "lookup")
        },
        "target": f"sparql p95 <= 1000 ms, lookup p95 <= 50 ms: {'met' if met else 'NOT met'}",
    }


def _rotated(items: list[tuple[str, str]], k: int) -> list[tuple[str, str]]:
    k %= len(items)
    return items[k:] + items[:k]


def run_load(store_root: Path, *, duration_s: float = 10.0, clients: int = 8) -> int:
    duration_s, clients = min(max(duration_s, 1.0), 60.0), min(max(clients, 1), 32)
    ids = _entity_ids(StoreDir(store_root).open())
    mix = _mix(ids)
    tally = _Tally()
    with _server(store_root, clients) as port:
        stop = time.monotonic() + duration_s
        elapsed = _run_threads(  # client n connects from 127.0.0.(10 + n), mix rotated by 7n
            [
                (_drive, (port, f"127.0.0.{10 + n}", _rotated(mix, n * 7), stop, tally.record))
                for n in range(clients)
            ]
        )
        fairness = _fairness(port, [slug_of(i) for i in ids], duration_s)
    total = sum(len(v) for v in tally.latencies.values())
    report = {
        "duration_s": round(elapsed, 1),
        "clients": clients,
        "requests": total,
        "throughput_rps": round(total / elapsed, 1),
        "query_timeout_s": BENCH_TIMEOUT_S,
        "kinds": {kind: tally.summary(kind) for kind in sorted(tally.latencies)},
        "fairness": fairness,
    }
    print(json.dumps(report, indent=2))
    return 0
