"""The networkx projection: one edge per claim, lineage through influence and origin."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.network import hops_of, lineage


def test_projection_has_entities_and_one_edge_per_claim(network: nx.MultiDiGraph) -> None:
    assert network.nodes["atlantis"]["type"] == "Country"
    assert network.nodes["atlantis"]["label"] == "Atlantis"
    ((key, edge),) = network.get_edge_data("example-panel", "example-report").items()
    assert key == edge["claim"] and len(key) == 24
    assert edge["predicate"] == "buildsOn" and edge["influence"] and edge["start"] == "2025"
    assert edge["lineage"] == "shaped-by" and edge["evidence"] == "reported"
    (source,) = edge["sources"]
    assert source["quote"] == "The Example Panel builds on that report."
    assert source["publisher"] == "Example Press" and source["date"] == "2024-10-18"
    assert source["evidence"] == "reported"


def test_two_tenures_of_one_person_are_two_claims(network: nx.MultiDiGraph) -> None:
    edges = network.get_edge_data("ada-example", "atlantis-foreign-minister")
    assert sorted(e["start"] for e in edges.values()) == ["2019-01", "2020-01-15"]
    assert len({e["claim"] for e in edges.values()}) == 2


def test_hops_of_one_triple_or_one_claim(network: nx.MultiDiGraph) -> None:
    (hop,) = hops_of(network, "ada-example", "atlantis-foreign-minister")
    assert hop.start == "2019-01"  # the earliest claim's dates
    assert hop.predicate == "holds" and hop.lineage is None and hop.date == "2019-01"
    claims = hops_of(network, "ada-example", "atlantis-foreign-minister", per_triple=False)
    assert sorted(h.start or "" for h in claims) == ["2019-01", "2020-01-15"]


def test_an_undated_lineage_hop_takes_its_downstream_date(network: nx.MultiDiGraph) -> None:
    (hop,) = hops_of(network, "example-report", "atlantis")
    assert hop.predicate == "fundedBy" and hop.start is None
    assert hop.date == "2024-05"  # the report's own date: it came after what shaped it


def test_lineage_follows_influence_and_origin(network: nx.MultiDiGraph) -> None:
    up = lineage(network, "example-panel", direction="upstream", depth=3)
    assert up.nodes[:2] == ["example-panel", "example-report"]
    assert set(up.nodes) == {"example-panel", "example-report", "example-summit", "atlantis"}
    down = lineage(network, "example-summit", direction="downstream")
    # the declaration was issued at the summit: an origin relation, so it is downstream
    assert set(down.nodes) == {
        "example-summit",
        "example-report",
        "example-panel",
        "example-declaration",
    }
    assert lineage(network, "example-panel", depth=1).nodes == ["example-panel", "example-report"]


def test_lineage_lists_each_fact_once(network: nx.MultiDiGraph) -> None:
    for root in network.nodes:
        for direction in ("upstream", "downstream"):
            edges = lineage(network, root, direction=direction, depth=6).edges
            triples = [e.triple for e in edges]
            assert len(triples) == len(set(triples)), (root, direction)


def test_lineage_rejects_unknown_entities_and_directions(network: nx.MultiDiGraph) -> None:
    with pytest.raises(KeyError):
        lineage(network, "nowhere")
    with pytest.raises(ValueError, match="direction"):
        lineage(network, "atlantis", direction="sideways")
