"""The peers bench report as Markdown tables (the same text goes into the README).

Kept apart from the measuring so the numbers in the JSON are the only source of truth: the
table is derived from them and never the other way round.
"""

from __future__ import annotations

from typing import Any

__all__ = ["table"]


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value >= 100:
        return f"{value:.0f}"
    if isinstance(value, float) and value < 0.1:
        return f"{value:.2f}"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _load(values: list[float] | None) -> str:
    return "/".join(f"{v:.1f}" for v in values) if values else "–"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(report: dict[str, Any]) -> str:
    """Latency per question and engine, throughput/load/memory per engine, ratios, agreement."""
    engines = report["engines"]
    ok = [n for n, r in engines.items() if r.get("status") == "ok"]
    info = report["graph"]
    lines = [
        f"Synthetic {info['size']} graph: {info['triples']} triples "
        f"(govgraph build {info['build_s']} s; N-Triples {info['ntriples_mb']} MB); "
        f"{report['machine']['cpus']} CPUs, Python {report['machine']['python']}; load average "
        f"{_load(report['machine'].get('loadavg_before'))} before, "
        f"{_load(report['machine'].get('loadavg_after'))} after",
        "",
        "Latency, p50 / p99 ms (one client):",
        "",
        _row(["question", *ok]),
        _row(["---"] * (len(ok) + 1)),
    ]
    for q in report["mix"]:
        cells = [q["name"]]
        for name in ok:
            m = engines[name]["queries"][q["name"]]
            bad = f" ({m['error_count']} errors)" if m["error_count"] else ""
            cells.append(f"{_num(m['p50_ms'])} / {_num(m['p99_ms'])}{bad}")
        lines.append(_row(cells))
    clients = [str(c) for c in report["budget"]["clients"]]
    lines += ["", "Throughput (queries/s, whole mix), load and memory:", ""]
    lines.append(_row(["engine", *(f"{c} client(s)" for c in clients), "load s", "peak RSS MB"]))
    lines.append(_row(["---"] * (len(clients) + 3)))
    for name in ok:
        r = engines[name]
        tput = [_num(r["throughput"].get(c, {}).get("qps")) for c in clients]
        lines.append(_row([name, *tput, _num(r["load_s"], 2), _num(r["peak_rss_mb"])]))
    peers = [n for n in ok if "ratios" in engines[n]]
    if peers:
        lines += [
            "",
            "Times faster govgraph is (peer p50 / govgraph p50; govgraph qps / peer qps):",
            "",
        ]
        lines.append(_row(["", *(f"{n} vs {engines[n]['ratios']['baseline']}" for n in peers)]))
        lines.append(_row(["---"] * (len(peers) + 1)))
        for q in report["mix"]:
            lines.append(
                _row(
                    [q["name"], *(_num(engines[n]["ratios"]["p50"].get(q["name"])) for n in peers)]
                )
            )
        for c in clients:
            cells = [_num(engines[n]["ratios"]["qps"].get(c)) for n in peers]
            lines.append(_row([f"throughput, {c} client(s)", *cells]))
    skipped = [f"{n}: {r.get('reason')}" for n, r in engines.items() if r.get("status") != "ok"]
    if skipped:
        lines += ["", "Not measured: " + "; ".join(skipped)]
    verdict = ", ".join(
        f"{q} {'agree' if a['agree'] else 'DISAGREE'}" for q, a in report["agreement"].items()
    )
    lines += ["", f"Result counts (shared SPARQL): {verdict}", f"Total {report['total_s']} s"]
    return "\n".join(lines)
