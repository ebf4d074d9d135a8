"""What each view selects from the network (graph/viewdata.py), without a browser."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.dates import parse_date
from graph.network import project
from graph.storedir import StoreDir
from graph.viewdata import ViewKind, describe, ego_view, graph_view, lineage_view, path_view


@pytest.fixture(scope="module")
def nova(views_store: Path) -> nx.MultiDiGraph:
    return project(StoreDir(views_store).open())


def test_ego_view_is_the_entity_and_its_neighbours(nova: nx.MultiDiGraph) -> None:
    view = ego_view(nova, "https://w3id.org/govgraph/id/nova-report")
    assert view.kind is ViewKind.ENTITY
    assert view.nodes[0].id == "nova-report"
    assert {n.id for n in view.nodes} == {
        "nova-report",
        "nova-summit",
        "nova-republic",
        "nova-panel",
        "xss-script",
    }
    assert [n.id for n in view.nodes if n.focus] == ["nova-report"]
    # edges among the shown nodes, not only those touching the centre; those are muted
    between = [e for e in view.edges if e.source == "nova-republic" and e.target == "nova-summit"]
    assert between and all(e.muted for e in between)
    assert not any(e.muted for e in view.edges if "nova-report" in (e.source, e.target))


def test_ego_view_expands_neighbours_and_ignores_unknown_ones(nova: nx.MultiDiGraph) -> None:
    plain = ego_view(nova, "nova-panel")
    view = ego_view(nova, "nova-panel", expand=["nova-report", "no-such-thing", "nova-report"])
    assert view.params["expand"] == ["nova-report"]
    assert {n.id for n in plain.nodes} < {n.id for n in view.nodes}
    assert {"nova-summit", "xss-script"} <= {n.id for n in view.nodes}


def test_unknown_entities_raise_key_error(nova: nx.MultiDiGraph) -> None:
    for make in (
        lambda: ego_view(nova, "nobody"),
        lambda: lineage_view(nova, "nobody"),
        lambda: path_view(nova, "nova-panel", "nobody"),
    ):
        with pytest.raises(KeyError):
            make()


def test_path_view_highlights_the_best_explanation(nova: nx.MultiDiGraph) -> None:
    view = path_view(nova, "nova-institute", "nova-summit")
    assert view.paths, "a path exists"
    best = {(h["subject"], h["predicate"], h["object"]) for h in view.paths[0]["hops"]}
    assert {(e.source, e.predicate, e.target) for e in view.edges if e.highlight} == best
    every = {(h["subject"], h["predicate"], h["object"]) for p in view.paths for h in p["hops"]}
    assert {(e.source, e.predicate, e.target) for e in view.edges} == every
    assert {n.id for n in view.nodes} == {h[0] for h in every} | {h[2] for h in every}
    for rank, path in enumerate(view.paths):
        hops = {(h["subject"], h["predicate"], h["object"]) for h in path["hops"]}
        assert hops == {(e.source, e.predicate, e.target) for e in view.edges if rank in e.paths}
    data = view.to_json()
    assert data["paths"][0]["narrative"] and data["paths"][0]["references"][0]["n"] == 1
    assert data["paths"][0]["hops"][0]["sources"][0]["id"] == "nova-registry"


def test_path_view_without_a_path_shows_both_ends(nova: nx.MultiDiGraph) -> None:
    view = path_view(nova, "nova-institute", "nova-summit", max_hops=1)
    assert view.paths == [] and {n.id for n in view.nodes} == {"nova-institute", "nova-summit"}


def test_lineage_levels_follow_dates(nova: nx.MultiDiGraph) -> None:
    view = lineage_view(nova, "nova-institute", depth=6)
    level = {n.id: n.level for n in view.nodes}
    assert (
        level["nova-summit"] < level["nova-report"] < level["nova-panel"] < level["nova-institute"]
    )
    dated = [n for n in view.nodes if n.start]
    for a in dated:
        for b in dated:
            if parse_date(a.start or "").earliest < parse_date(b.start or "").earliest:
                assert level[a.id] < level[b.id], (a.id, b.id)
    # an undated influence (nova-republic funded the report) sits left of what it shaped
    assert level["nova-republic"] < level["nova-report"]
    assert all(e.influence for e in view.edges)


def test_graph_view_filters_by_type_including_subclasses(nova: nx.MultiDiGraph) -> None:
    everything = graph_view(nova)
    assert len(everything.nodes) == nova.number_of_nodes()
    assert len(everything.edges) == nova.number_of_edges()
    orgs = graph_view(nova, types=["Organization"])
    assert {n.id for n in orgs.nodes} == {"nova-panel", "nova-institute", "xss-script"}
    assert all(e.source in {"nova-panel", "nova-institute", "xss-script"} for e in orgs.edges)


def test_graph_view_filters_by_date_range(nova: nx.MultiDiGraph) -> None:
    view = graph_view(nova, date_from="2021", date_to="2022-06")
    ids = {n.id for n in view.nodes}
    assert {"nova-report", "xss-script", "xss-img", "nova-panel"} <= ids
    assert "nova-institute" not in ids and "nova-accord" not in ids
    assert all(e.start and "2021" <= e.start[:4] <= "2022" for e in view.edges)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"types": ["Spaceship"]}, "unknown type"), ({"date_from": "last year"}, "not a date")],
)
def test_graph_view_rejects_bad_filters(
    nova: nx.MultiDiGraph, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        graph_view(nova, **kwargs)  # type: ignore[arg-type]


def test_describe_adds_descriptions_from_the_store(
    nova: nx.MultiDiGraph, views_store: Path
) -> None:
    view = describe(StoreDir(views_store).open(), ego_view(nova, "xss-img"))
    found = {n.id: n.description for n in view.nodes}
    assert found["xss-img"] is not None and "href" in found["xss-img"]
    assert found["nova-summit"] == "A fictional summit."


def test_to_json_lists_what_is_drawn(nova: nx.MultiDiGraph) -> None:
    view = lineage_view(nova, "nova-institute")
    data = view.to_json()
    assert data["view"] == "lineage" and len(data["nodes"]) == len(view.nodes)
    assert {"id", "label", "type", "start", "end", "description", "level"} <= set(data["nodes"][0])
    assert {"source", "target", "predicate", "sources", "highlight"} <= set(data["edges"][0])
