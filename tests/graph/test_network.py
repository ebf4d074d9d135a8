"""The networkx projection: paths with cited hops, chronology, influence lineage."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.network import find_paths, lineage, simple_paths


def test_projection_has_entities_and_dated_cited_edges(network: nx.MultiDiGraph) -> None:
    assert network.nodes["atlantis"]["type"] == "Country"
    assert network.nodes["atlantis"]["label"] == "Atlantis"
    (edge,) = network.get_edge_data("example-panel", "example-report").values()
    assert edge["predicate"] == "buildsOn" and edge["influence"] and edge["start"] == "2025"
    assert edge["sources"][0]["quote"] == "The Example Panel builds on that report."


def test_tenures_of_one_person_stay_separate_edges(network: nx.MultiDiGraph) -> None:
    edges = network.get_edge_data("ada-example", "atlantis-foreign-minister")
    assert sorted(e["start"] for e in edges.values()) == ["2019-01", "2020-01-15"]


def test_shortest_paths_come_first(network: nx.MultiDiGraph) -> None:
    paths = find_paths(network, "example-panel", "lemuria", max_hops=4)
    assert paths and len(paths[0]) <= len(paths[-1])
    first = paths[0]
    assert first[0].subject == "example-panel"
    assert all(hop.sources for hop in first)


def test_max_hops_bounds_paths(network: nx.MultiDiGraph) -> None:
    assert find_paths(network, "example-panel", "lemuria", max_hops=1) == []


def test_influence_only_and_chronological(network: nx.MultiDiGraph) -> None:
    paths = find_paths(
        network, "example-summit", "example-panel", influence_only=True, chronological=True
    )
    assert [(h.subject, h.predicate, h.object) for h in paths[0]] == [
        ("example-report", "commissionedBy", "example-summit"),
        ("example-panel", "buildsOn", "example-report"),
    ]
    assert (
        find_paths(
            network, "example-panel", "example-summit", influence_only=True, chronological=True
        )
        == []
    )


def test_unknown_entity_raises_key_error(network: nx.MultiDiGraph) -> None:
    with pytest.raises(KeyError):
        find_paths(network, "atlantis", "nowhere")


def test_lineage_upstream_and_downstream(network: nx.MultiDiGraph) -> None:
    up = lineage(network, "example-panel", direction="upstream", depth=3)
    assert up.nodes[:2] == ["example-panel", "example-report"]
    assert set(up.nodes) == {"example-panel", "example-report", "example-summit", "atlantis"}
    down = lineage(network, "example-summit", direction="downstream")
    assert set(down.nodes) == {"example-summit", "example-report", "example-panel"}
    assert lineage(network, "example-panel", depth=1).nodes == ["example-panel", "example-report"]


def test_simple_paths_are_bounded(network: nx.MultiDiGraph) -> None:
    paths = list(simple_paths(network, "atlantis", "lemuria", cutoff=3, limit=2))
    assert 1 <= len(paths) <= 2


def test_undated_influence_hop_takes_its_subjects_date(network: nx.MultiDiGraph) -> None:
    (path,) = [
        p
        for p in find_paths(network, "atlantis", "example-report", influence_only=True)
        if len(p) == 1
    ]
    assert path[0].predicate == "fundedBy" and path[0].start is None
    assert path[0].date == "2024-05"  # the report's own date
