"""Timing one engine on the mix: latency per question, then throughput at 1 and N clients.

Every cell is bounded in time (``Budget``), so a slow engine makes the run report fewer
samples rather than run for hours; each question's parameters are all answered at least once,
which gives the result counts that engines are checked against each other with.
In-process engines are measured in a fresh child process each (``measure_in_child``), so each
one's peak memory is its own and not the sum of everything loaded before it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from graph.bench.engines import Answer, Factory
from graph.bench.mix import MIX, BenchQuery, Params

__all__ = ["Budget", "measure", "measure_in_child", "percentile", "progress"]


@dataclass(frozen=True)
class Budget:
    """How long each part of the bench may take."""

    samples: int = 30
    """latency samples per question (fewer if ``query_seconds`` runs out first)"""
    query_seconds: float = 3.0
    """time per question for latency samples (every parameter is asked at least once)"""
    cell_seconds: float = 5.0
    """time per throughput cell (one engine at one number of clients)"""
    clients: tuple[int, ...] = (1, 8)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1e3, 2)


def _latency(answer: Answer, query: BenchQuery, params: list[Params], budget: Budget) -> dict:
    counts: list[int] = []
    errors: list[str] = []
    times: list[float] = []
    start = time.monotonic()
    for i in range(max(budget.samples, len(params))):
        if i >= len(params) and time.monotonic() - start > budget.query_seconds:
            break
        t0 = time.perf_counter()
        try:
            n = answer(query, params[i % len(params)])
        except Exception as exc:  # any engine failure is a result to report, not a crash
            n = -1
            errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
        times.append(time.perf_counter() - t0)
        if i < len(params):
            counts.append(n)
    return {
        "samples": len(times),
        "p50_ms": _ms(percentile(times, 0.5)),
        "p99_ms": _ms(percentile(times, 0.99)),
        "counts": counts,
        "errors": errors[:3],
        "error_count": len(errors),
    }


def _throughput(factory: Factory, params: dict[str, list[Params]], clients: int, seconds: float):
    """Queries per second with ``clients`` clients each cycling the whole mix (rotated, so
    they do not all ask the same thing at once) until the cell's time is up."""
    mix = [(q, p) for q in MIX for p in params[q.name]]
    done, errors, lock = [0], [0], threading.Lock()
    answers = [factory(n) for n in range(clients)]
    stop = time.monotonic() + seconds

    def run(n: int) -> None:
        i, mine, bad = n * 7, 0, 0
        while time.monotonic() < stop:
            query, p = mix[i % len(mix)]
            i += 1
            try:
                answers[n](query, p)
                mine += 1
            except Exception:  # counted, reported
                bad += 1
        with lock:
            done[0] += mine
            errors[0] += bad

    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "queries": done[0],
        "errors": errors[0],
        "qps": round(done[0] / elapsed, 1),
    }


def measure(
    name: str, factory: Factory, params: dict[str, list[Params]], budget: Budget
) -> dict[str, Any]:
    """Latency per question (one client), then throughput per number of clients."""
    answer = factory(0)
    queries = {}
    for query in MIX:
        queries[query.name] = _latency(answer, query, params[query.name], budget)
        q = queries[query.name]
        progress(f"{name}: {query.name} p50 {q['p50_ms']} ms over {q['samples']} samples")
    throughput = {}
    for clients in budget.clients:
        cell = _throughput(factory, params, clients, budget.cell_seconds)
        throughput[str(clients)] = cell
        progress(f"{name}: {clients} client(s): {cell['qps']} queries/s")
    return {"queries": queries, "throughput": throughput}


def _peak_rss_self_mb() -> float | None:
    try:
        for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _child(kind: str, source: str, params: dict[str, list[Params]], budget: dict) -> dict:
    from graph.bench.engines import govgraph_in_process, rdflib_in_process, store_sparql

    t0 = time.perf_counter()
    factory: Factory
    if kind == "govgraph":
        factory = govgraph_in_process(Path(source))
    elif kind == "rdflib":
        factory = rdflib_in_process(Path(source))
    else:  # the embedded store alone, every question as SPARQL
        from graph.storedir import StoreDir

        answer = store_sparql(StoreDir(Path(source)).open())
        factory = lambda client: answer  # noqa: E731
    load_s = time.perf_counter() - t0
    progress(f"{kind}: loaded in {load_s:.1f} s")
    result = measure(kind, factory, params, Budget(**budget))
    return {"load_s": round(load_s, 2), "peak_rss_mb": _peak_rss_self_mb(), **result}


def measure_in_child(
    kind: str, source: Path, params: dict[str, list[Params]], budget: Budget
) -> dict[str, Any]:
    """Load and measure an in-process engine (``govgraph``, ``oxigraph``, ``rdflib``) in a
    fresh process, which reports its own load time and peak memory."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_child, kind, str(source), params, asdict(budget)).result()
