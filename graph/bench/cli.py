"""The ``govgraph bench`` command: its options and which bench they run.

Kept out of graph.cli so the command line stays small; the bench modules themselves load only
when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["bench_arguments", "cmd_bench"]


def cmd_bench(args: argparse.Namespace) -> int:
    from graph.bench import run_bench, run_load

    if args.synthetic and not (args.load or args.lookups):
        return _bench_peers(args)
    store = args.store
    if args.synthetic:  # the existing modes, on a synthetic graph
        from graph.bench.peers import prepare

        folder = args.workdir or Path(f"govgraph-bench-{args.synthetic.lower()}")
        store = Path(prepare(args.synthetic, folder, seed=args.seed)["workdir"]) / "store"
    if args.load:
        return run_load(store, duration_s=args.duration, clients=args.clients)
    return run_bench(store, rounds=args.rounds)


def _bench_peers(args: argparse.Namespace) -> int:
    from graph.bench.measure import Budget
    from graph.bench.peers import run_peers

    budget = Budget(
        samples=args.samples,
        query_seconds=args.query_seconds,
        cell_seconds=args.cell_seconds,
        clients=(1, args.clients),
    )
    engines = args.engines.split(",") if args.engines else None
    report = run_peers(
        args.synthetic,
        engines=engines,
        budget=budget,
        workdir=args.workdir,
        out=args.out,
        seed=args.seed,
    )
    failed = [n for n, r in report["engines"].items() if r["status"] == "failed"]
    agree = all(a["agree"] for a in report["agreement"].values())
    return 0 if agree and not failed else 1


def bench_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rounds", type=int, default=200, help="lookups per measurement")
    p.add_argument(
        "--load", action="store_true", help="serve on loopback and run a bounded HTTP load mix"
    )
    p.add_argument("--duration", type=float, default=10.0, help="--load seconds (max 60)")
    p.add_argument(
        "--clients", type=int, default=8, help="--load clients (max 32); --synthetic: 1 and N"
    )
    p.add_argument(
        "--synthetic",
        metavar="SIZE",
        help="10k, 100k or 1M: generate and build a synthetic graph of that many triples and "
        "run govgraph and its peers (rdflib, rdflib-endpoint, Virtuoso) side by side on it "
        "(with --load or --lookups: that mode on the synthetic graph instead)",
    )
    p.add_argument("--lookups", action="store_true", help="--synthetic: the lookup ratios mode")
    p.add_argument("--out", type=Path, help="--synthetic: write the results as JSON here")
    p.add_argument("--engines", help="--synthetic: comma-separated engines (default: all)")
    p.add_argument("--samples", type=int, default=30, help="latency samples per question")
    p.add_argument(
        "--query-seconds", type=float, default=3.0, help="latency time per question and engine"
    )
    p.add_argument(
        "--cell-seconds", type=float, default=5.0, help="throughput time per engine and clients"
    )
    p.add_argument(
        "--workdir", type=Path, help="keep (and reuse) the synthetic data, store and export here"
    )
    p.add_argument("--seed", type=int, default=7, help="synthetic graph seed")
