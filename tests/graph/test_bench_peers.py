"""The peers bench at 10k: every engine answers every question, and they agree.

One bench run (bounded to a few seconds of measuring) serves every test here; it goes through
the command line, so the wiring of ``govgraph bench --synthetic`` is tested too. Virtuoso and
rdflib-endpoint are peers only when installed: their tests skip with the reason otherwise, and
fail when GOVGRAPH_REQUIRE_ALL=1.
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import pytest

from graph.bench.mix import MIX
from graph.bench.peers import BASELINES, ENGINES, agreement
from graph.bench.servers import ISQL, VIRTUOSO
from graph.cli import main
from tests.conftest import skip_or_fail

HAS_ENDPOINT = importlib.util.find_spec("rdflib_endpoint") is not None
HAS_VIRTUOSO = bool(VIRTUOSO and ISQL)
AVAILABLE = [
    name
    for name in ENGINES
    if (name != "virtuoso" or HAS_VIRTUOSO) and (name != "rdflib-endpoint" or HAS_ENDPOINT)
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "peers.json"
    args = ["bench", "--synthetic", "10k", "--workdir", str(folder / "work"), "--out", str(out)]
    args += ["--engines", ",".join(AVAILABLE), "--samples", "3", "--query-seconds", "0.1"]
    status = main([*args, "--cell-seconds", "0.3", "--clients", "4"])
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["exit_status"] = status
    return result


def test_the_report_has_every_part(report: dict[str, Any]) -> None:
    assert report["bench"] == "peers"
    assert 7_000 < report["graph"]["triples"] < 14_000
    assert report["graph"]["build_s"] > 0
    assert [q["name"] for q in report["mix"]] == [q.name for q in MIX]
    assert list(report["engines"]) == AVAILABLE
    for name, engine in report["engines"].items():
        assert engine["status"] == "ok", (name, engine.get("reason"))
        assert engine["load_s"] >= 0 and engine["peak_rss_mb"] > 10, name
        assert set(engine["queries"]) == {q.name for q in MIX}, name
        for q in engine["queries"].values():
            assert q["p50_ms"] > 0 and q["p99_ms"] >= q["p50_ms"] and q["samples"] >= 1
        assert set(engine["throughput"]) == {"1", "4"}
        assert all(cell["qps"] > 0 for cell in engine["throughput"].values()), name


def test_every_engine_answered_every_question(report: dict[str, Any]) -> None:
    for name, engine in report["engines"].items():
        for question, q in engine["queries"].items():
            assert q["error_count"] == 0, (name, question, q["errors"])
            assert len(q["counts"]) == len(report["params"][question]), (name, question)
            assert all(n >= 0 for n in q["counts"]), (name, question)
        assert all(cell["errors"] == 0 for cell in engine["throughput"].values()), name


def test_engines_answering_the_shared_sparql_agree(report: dict[str, Any]) -> None:
    for question, verdict in report["agreement"].items():
        assert verdict["agree"], (question, verdict["counts"])
    aggregate = report["agreement"]["aggregate"]["counts"]
    assert set(aggregate) == set(AVAILABLE), "every engine runs the aggregate as SPARQL"
    assert aggregate["govgraph"][0] > 0, "the synthetic graph has declarations with signatories"
    assert report["exit_status"] == 0
    paths = report["agreement"]["path"]["counts"]["oxigraph"]
    assert all(n > 0 for n in paths), "every chosen pair is connected within 4 hops"


def test_ratios_compare_each_peer_with_govgraph(report: dict[str, Any]) -> None:
    for name, base in BASELINES.items():
        if name not in report["engines"]:
            continue
        ratios = report["engines"][name]["ratios"]
        assert ratios["baseline"] == base
        assert set(ratios["p50"]) == {q.name for q in MIX}
        assert all(r is not None and r > 0 for r in ratios["p50"].values())


def test_a_disagreement_is_reported() -> None:
    def engine(counts: list[int]) -> dict[str, Any]:
        return {"status": "ok", "queries": {q.name: {"counts": counts} for q in MIX}}

    verdict = agreement({"oxigraph": engine([3, 1]), "rdflib": engine([3, 2])})
    assert not verdict["aggregate"]["agree"]
    native = agreement({"govgraph": engine([9]), "oxigraph": engine([3])})
    assert native["search"]["agree"], "govgraph's own search ranks: not compared"
    assert not native["label"]["agree"], "govgraph answers labels with the shared SPARQL"


@pytest.mark.parametrize(
    ("engine", "installed", "how"),
    [
        ("rdflib-endpoint", HAS_ENDPOINT, "pip install rdflib-endpoint (the 'bench' extra)"),
        ("virtuoso", HAS_VIRTUOSO, "apt-get install virtuoso-opensource"),
    ],
)
def test_optional_peer_was_measured(
    report: dict[str, Any], engine: str, installed: bool, how: str
) -> None:
    if not installed:
        skip_or_fail(f"{engine} is not installed ({how}): it was left out of the bench")
    assert report["engines"][engine]["status"] == "ok"
    assert report["engines"][engine]["ratios"]["baseline"] == "govgraph-http"
