"""``govgraph bench --synthetic SIZE``: govgraph and its peers side by side, in one run.

Claims of speed are only worth something against the alternatives a user would otherwise pick,
measured on the same machine, the same graph and the same questions. So one run generates the
synthetic graph (graph.bench.synthetic), builds it, exports it once as N-Triples, and then every
engine loads that graph and answers the one fixed mix (graph.bench.mix):

- ``govgraph``: the library in process (search index, ranked paths, lineage; SPARQL on pyoxigraph)
- ``oxigraph``: govgraph's embedded store alone, every question as the shared SPARQL
- ``rdflib``: rdflib's ``Graph.query`` over the N-Triples file
- ``govgraph-http``: ``govgraph serve`` (query worker processes on): API routes and ``/sparql``
- ``govgraph-http-sparql``: the same server, every question through ``/sparql``
- ``rdflib-endpoint``: rdflib-endpoint serving the N-Triples file
- ``virtuoso``: a throwaway Virtuoso bulk-loaded with the file, through govgraph's RemoteStore

Ratios say how many times faster govgraph is (p50 of the peer / p50 of govgraph; throughput
of govgraph / throughput of the peer): in-process peers against ``govgraph``, HTTP peers against
``govgraph-http``. Result counts of the engines that answer with the shared SPARQL must agree.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from graph.bench.measure import Budget, measure, measure_in_child, progress
from graph.bench.mix import MIX, Params, choose_params

__all__ = ["BASELINES", "ENGINES", "agreement", "prepare", "run_peers"]

ENGINES: dict[str, str] = {
    "govgraph": "govgraph in process: search index, ranked paths, lineage; SPARQL on pyoxigraph",
    "oxigraph": "govgraph's embedded pyoxigraph store, every question as the shared SPARQL",
    "rdflib": "rdflib Graph.query over the N-Triples file",
    "govgraph-http": "govgraph serve (worker processes on): API routes, /sparql for the rest",
    "govgraph-http-sparql": "govgraph serve: every question through /sparql",
    "rdflib-endpoint": "rdflib-endpoint serving the N-Triples file",
    "virtuoso": "Virtuoso (bulk-loaded) through govgraph's RemoteStore",
}
BASELINES = {
    "oxigraph": "govgraph",
    "rdflib": "govgraph",
    "govgraph-http-sparql": "govgraph-http",
    "rdflib-endpoint": "govgraph-http",
    "virtuoso": "govgraph-http",
}
GRAPH = "https://w3id.org/govgraph/graph/bench"
_SERVER_ENV = {  # the bench measures speed: generous limits, so no answer is cut short
    "GOVGRAPH_QUERY_TIMEOUT": "120",
    "GOVGRAPH_QUEUE_TIMEOUT": "120",
    "GOVGRAPH_MAX_ROWS": "1000000",
    "GOVGRAPH_CLIENT_CONCURRENCY": "16",
    "GOVGRAPH_CLIENT_QUERY_SECONDS_PER_MINUTE": "100000",
}


def prepare(size: str, workdir: Path, *, seed: int = 7) -> dict[str, Any]:
    """Synthetic data, its govgraph build and the N-Triples export in ``workdir``, each made
    only if missing (so a second run on the same workdir reuses them)."""
    from graph.bench.synthetic import generate, parse_size, write
    from graph.build import build
    from graph.formats import RdfFormat
    from graph.storedir import StoreDir

    data, store, nt = workdir / "data", workdir / "store", workdir / "graph.nt"
    info: dict[str, Any] = {"size": size, "seed": seed, "workdir": str(workdir)}
    if not data.is_dir():
        t0 = time.perf_counter()
        write(generate(parse_size(size), seed=seed), data)
        info["generate_s"] = round(time.perf_counter() - t0, 2)
        progress(f"generated synthetic {size} data in {info['generate_s']} s")
    if StoreDir(store).current() is None:
        progress("building the govgraph store (checks, SHACL, load)")
        build(data, store, progress=progress)
    manifest = StoreDir(store).manifest()
    info |= {"triples": manifest["triples"], "build_s": manifest["build_seconds"]}
    if not nt.is_file():
        t0 = time.perf_counter()
        nt.write_bytes(StoreDir(store).open().export(format=RdfFormat.NTRIPLES))
        info["export_s"] = round(time.perf_counter() - t0, 2)
    info["ntriples_mb"] = round(nt.stat().st_size / 1e6, 1)
    return info


@contextmanager
def _govgraph_server(store: Path) -> Iterator[tuple[int, int, float]]:
    from graph.bench.servers import free_port, serving

    port = free_port()
    cmd = [sys.executable, "-m", "graph.cli", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--store", str(store)]
    progress("govgraph serve: starting (projection, search index, query workers)")
    t0 = time.perf_counter()
    with serving(cmd, f"http://127.0.0.1:{port}/openapi.json", env=_SERVER_ENV) as proc:
        yield port, proc.pid, time.perf_counter() - t0


def _govgraph_http(
    names: list[str], store: Path, params: dict[str, list[Params]], budget: Budget
) -> dict[str, dict[str, Any]]:
    """One ``govgraph serve`` measured twice: through its routes, and through ``/sparql``."""
    from graph.bench.engines import http_api, http_sparql
    from graph.bench.servers import peak_rss_mb

    out = {}
    with _govgraph_server(store) as (port, pid, load_s):
        progress(f"govgraph serve ready in {load_s:.1f} s")
        factories = {"govgraph-http": http_api(port), "govgraph-http-sparql": http_sparql(port)}
        for name in names:
            result = measure(name, factories[name], params, budget)
            out[name] = {"load_s": round(load_s, 2), "peak_rss_mb": peak_rss_mb(pid), **result}
    return out


def _rdflib_endpoint(nt: Path, params: dict[str, list[Params]], budget: Budget) -> dict:
    from graph.bench.engines import http_sparql
    from graph.bench.servers import free_port, peak_rss_mb, rdflib_endpoint_command, serving

    try:
        import rdflib_endpoint  # noqa: F401
    except ImportError:
        return _skipped("rdflib-endpoint is not installed (pip install -e '.[bench]')")
    port = free_port()
    progress("rdflib-endpoint: starting (parsing the N-Triples file)")
    t0 = time.perf_counter()
    ready = f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D"
    with serving(rdflib_endpoint_command(nt, port), ready) as proc:
        load_s = time.perf_counter() - t0
        progress(f"rdflib-endpoint ready in {load_s:.1f} s")
        result = measure("rdflib-endpoint", http_sparql(port), params, budget)
        rss = peak_rss_mb(proc.pid)
    return {"load_s": round(load_s, 2), "peak_rss_mb": rss, **result}


def _virtuoso(store: Path, nt: Path, params: dict[str, list[Params]], budget: Budget) -> dict:
    from graph.bench.engines import remote_store
    from graph.bench.servers import VIRTUOSO, peak_rss_mb, running_virtuoso, virtuoso_bulk_load
    from graph.remote_store import RemoteStore
    from graph.storedir import StoreDir

    if not VIRTUOSO:
        return _skipped("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    expected = len(StoreDir(store).open())
    folder = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=nt.parent))
    try:
        progress("virtuoso: starting and bulk-loading the N-Triples file")
        t0 = time.perf_counter()
        buffers = max(10_000, expected // 5)  # 8 KB pages: about the graph's size in cache
        with running_virtuoso(folder, buffers=buffers, dirs=(nt.parent.resolve(),)) as server:
            virtuoso_bulk_load(server, nt, GRAPH)
            loaded = len(RemoteStore(server.endpoint, graph=GRAPH))
            if loaded != expected:
                raise RuntimeError(f"Virtuoso holds {loaded} triples, not {expected}")
            load_s = time.perf_counter() - t0
            progress(f"virtuoso started and bulk-loaded in {load_s:.1f} s")
            result = measure("virtuoso", remote_store(server.endpoint, GRAPH), params, budget)
            rss = peak_rss_mb(server.pid)
        return {"load_s": round(load_s, 2), "peak_rss_mb": rss, **result}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _skipped(reason: str) -> dict[str, Any]:
    progress(f"skipped: {reason}")
    return {"status": "skipped", "reason": reason}


def agreement(engines: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per question, the counts of every engine that answered it with the shared SPARQL (all
    but govgraph's own routes and functions), and whether they are all the same."""
    out = {}
    for query in MIX:
        counts = {}
        for name, result in engines.items():
            native = name in ("govgraph", "govgraph-http") and query.native is not None
            if result.get("status") == "ok" and not native:
                counts[name] = result["queries"][query.name]["counts"]
        same = len({json.dumps(c) for c in counts.values()}) <= 1
        out[query.name] = {"agree": same, "counts": counts}
    return out


def _ratios(engines: dict[str, dict[str, Any]]) -> None:
    """How many times faster govgraph is than each peer (p50 and throughput)."""
    for name, base in BASELINES.items():
        peer, gov = engines.get(name, {}), engines.get(base, {})
        if peer.get("status") != "ok" or gov.get("status") != "ok":
            continue

        def ratio(a: float | None, b: float | None) -> float | None:
            return round(a / b, 2) if a and b else None

        peer["ratios"] = {
            "baseline": base,
            "p50": {
                q: ratio(peer["queries"][q]["p50_ms"], gov["queries"][q]["p50_ms"])
                for q in peer["queries"]
            },
            "qps": {
                c: ratio(gov["throughput"][c]["qps"], peer["throughput"][c]["qps"])
                for c in peer["throughput"]
                if c in gov["throughput"]
            },
        }


def _failed(name: str, exc: Exception) -> dict[str, Any]:
    progress(f"{name} failed: {type(exc).__name__}: {exc}")
    return {"status": "failed", "reason": f"{type(exc).__name__}: {str(exc)[:500]}"}


def _measure_all(
    names: list[str], store: Path, nt: Path, params: dict[str, list[Params]], budget: Budget
) -> dict[str, dict[str, Any]]:
    """Every engine in turn; one that breaks is reported as failed and the rest still run."""
    results: dict[str, dict[str, Any]] = {}
    for name in [n for n in names if n in ("govgraph", "oxigraph", "rdflib")]:
        progress(f"{name}: loading in a fresh process")
        try:
            source = nt if name == "rdflib" else store
            results[name] = measure_in_child(name, source, params, budget)
        except Exception as exc:  # reported in the results, not a crash of the whole run
            results[name] = _failed(name, exc)
    http: list[str] = [n for n in ("govgraph-http", "govgraph-http-sparql") if n in names]
    if http:
        try:
            results |= _govgraph_http(http, store, params, budget)
        except Exception as exc:
            results |= {name: _failed(name, exc) for name in http}
    servers: dict[str, Callable[[], dict[str, Any]]] = {
        "rdflib-endpoint": lambda: _rdflib_endpoint(nt, params, budget),
        "virtuoso": lambda: _virtuoso(store, nt, params, budget),
    }
    for name, run in servers.items():
        if name in names:
            try:
                results[name] = run()
            except Exception as exc:
                results[name] = _failed(name, exc)
    return {n: r if "status" in r else {"status": "ok", **r} for n, r in results.items()}


def run_peers(
    size: str,
    *,
    engines: list[str] | None = None,
    budget: Budget | None = None,
    workdir: Path | None = None,
    out: Path | None = None,
    seed: int = 7,
    printer: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run the peers bench and return (and write to ``out``) its report."""
    from graph.bench.report import table
    from graph.storedir import StoreDir

    names = engines or list(ENGINES)
    unknown = [n for n in names if n not in ENGINES]
    if unknown:
        raise ValueError(
            f"unknown engine(s) {', '.join(unknown)}: choose from {', '.join(ENGINES)}"
        )
    budget = budget or Budget()
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews
    own = workdir is None
    folder = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="govgraph-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        info = prepare(size, folder, seed=seed)
        store, nt = folder / "store", folder / "graph.nt"
        params = choose_params(StoreDir(store).open())
        results = _measure_all(names, store, nt, params, budget)
        _ratios(results)
        report = {
            "bench": "peers",
            "graph": info,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "loadavg_before": load_before,
                "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            },
            "budget": asdict(budget),
            "mix": [
                {"name": q.name, "what": q.what, "sparql": q.template, "native": q.native}
                for q in MIX
            ],
            "params": params,
            "engines": {n: {"what": ENGINES[n], **results[n]} for n in names},
            "agreement": agreement(results),
            "total_s": round(time.perf_counter() - started, 1),
        }
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)
    if out:
        Path(out).write_text(json.dumps(report, indent=2), encoding="utf-8")
        progress(f"wrote {out}")
    printer(table(report))
    return report
