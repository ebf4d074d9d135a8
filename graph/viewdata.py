"""What each network view shows: subgraphs of the entity network, as plain data.

A view is a :class:`ViewGraph` (nodes, edges, and for the path view the hops in order), cut
from the networkx projection of :mod:`graph.network`. The HTML rendering lives in
:mod:`graph.views`; the API serves the same data as JSON (``to_json``), so a view's node
count can always be checked against its data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import networkx as nx

from graph.dates import parse_date
from graph.explain import explain_paths
from graph.narrative import explanation_record
from graph.network import Hop, lineage
from graph.schema import Schema, load_schema
from graph.store import Store, sparql_prologue
from graph.vocab import entity_iri, slug_of

__all__ = [
    "ViewEdge",
    "ViewGraph",
    "ViewKind",
    "ViewNode",
    "describe",
    "ego_view",
    "graph_view",
    "lineage_view",
    "path_view",
]


class ViewKind(StrEnum):
    ENTITY = "entity"
    PATH = "path"
    LINEAGE = "lineage"
    GRAPH = "graph"


@dataclass(frozen=True)
class ViewNode:
    id: str
    label: str
    type: str
    start: str | None = None
    end: str | None = None
    description: str | None = None
    level: int | None = None
    focus: bool = False
    paths: tuple[int, ...] = ()


@dataclass(frozen=True)
class ViewEdge:
    id: str
    source: str
    target: str
    predicate: str
    influence: bool
    start: str | None = None
    end: str | None = None
    sources: tuple[Mapping[str, Any], ...] = ()
    highlight: bool = False
    muted: bool = False
    evidence: str | None = None
    paths: tuple[int, ...] = ()


@dataclass(frozen=True)
class ViewGraph:
    kind: ViewKind
    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    params: dict[str, Any] = field(default_factory=dict)
    paths: list[dict[str, Any]] = field(default_factory=list)
    """For the path view: the ranked explanations (as ``/api/paths`` returns them)."""

    def to_json(self) -> dict[str, Any]:
        """The view's data as JSON-ready dicts (what ``?format=json`` returns)."""
        data: dict[str, Any] = {
            "view": self.kind.value,
            "title": self.title,
            "params": self.params,
            "nodes": [vars(n) for n in self.nodes],
            "edges": [{**vars(e), "sources": list(e.sources)} for e in self.edges],
        }
        if self.kind is ViewKind.PATH:
            data["paths"] = self.paths
        return data


def _node(g: nx.MultiDiGraph, ident: str, **extra: Any) -> ViewNode:
    attrs = g.nodes[ident]
    return ViewNode(
        id=ident,
        label=attrs.get("label") or ident,
        type=attrs.get("type") or "Thing",
        start=attrs.get("start"),
        end=attrs.get("end"),
        **extra,
    )


def _edge(
    s: str, o: str, key: str, data: Mapping[str, Any], *, highlight: bool = False
) -> ViewEdge:
    return ViewEdge(
        id=f"{s}|{o}|{key}",
        source=s,
        target=o,
        predicate=data["predicate"],
        influence=bool(data["influence"]),
        start=data.get("start"),
        end=data.get("end"),
        sources=tuple(data.get("sources") or ()),
        highlight=highlight,
        evidence=data.get("evidence"),
    )


def _hop_edge(hop: Hop, **extra: Any) -> ViewEdge:
    """One edge per fact (a lineage or path hop carries every source of its claims)."""
    return ViewEdge(
        id=f"{hop.subject}|{hop.object}|{hop.claim}",
        source=hop.subject,
        target=hop.object,
        predicate=hop.predicate,
        influence=hop.influence,
        start=hop.start,
        end=hop.end,
        sources=tuple(hop.sources),
        evidence=hop.evidence,
        **extra,
    )


def _edges_among(g: nx.MultiDiGraph, nodes: Iterable[str]) -> list[ViewEdge]:
    sub = g.subgraph(nodes)
    return [_edge(s, o, k, d) for s, o, k, d in sub.edges(keys=True, data=True)]


def _require(g: nx.MultiDiGraph, ident: str) -> str:
    slug = slug_of(ident)
    if slug not in g:
        raise KeyError(slug)
    return slug


def ego_view(g: nx.MultiDiGraph, ident: str, *, expand: Iterable[str] = ()) -> ViewGraph:
    """An entity, its neighbours, and the neighbours of each entity in ``expand``."""
    root = _require(g, ident)
    centres = [root] + [e for e in dict.fromkeys(slug_of(x) for x in expand) if e in g]
    order: dict[str, None] = {}
    for centre in centres:
        order[centre] = None
        for other in sorted(set(g.successors(centre)) | set(g.predecessors(centre))):
            order[other] = None
    nodes = [_node(g, n, focus=n in centres) for n in order]
    edges = [  # relations between two neighbours are context: drawn faint, unlabelled
        replace(e, muted=e.source not in centres and e.target not in centres)
        for e in _edges_among(g, order)
    ]
    return ViewGraph(
        kind=ViewKind.ENTITY,
        title=g.nodes[root].get("label") or root,
        nodes=nodes,
        edges=edges,
        params={"id": root, "expand": centres[1:]},
    )


def path_view(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 4,
    influence_only: bool = False,
    chronological: bool = False,
    via_topics: bool = False,
    evidence: str | None = None,
    limit: int = 5,
    schema: Schema | None = None,
) -> ViewGraph:
    """The ranked explanations from ``source`` to ``target`` (as ``/api/paths`` returns them):
    the best one highlighted, the others' nodes and edges tagged with their rank."""
    schema = schema or load_schema()
    a, b = _require(g, source), _require(g, target)
    found = explain_paths(
        g,
        a,
        b,
        max_hops=max_hops,
        influence_only=influence_only,
        chronological=chronological,
        via_topics=via_topics,
        evidence=evidence,
        limit=limit,
        schema=schema,
    )
    node_paths: dict[str, list[int]] = {a: [], b: []}
    hops: dict[tuple[str, str, str], tuple[Hop, list[int]]] = {}
    for rank, explanation in enumerate(found):
        for n in explanation.nodes:
            node_paths.setdefault(n, []).append(rank)
        for hop in explanation.hops:
            hops.setdefault(hop.triple, (hop, []))[1].append(rank)
    edges = [
        _hop_edge(hop, highlight=0 in ranks, paths=tuple(ranks)) for hop, ranks in hops.values()
    ]
    label_a, label_b = g.nodes[a].get("label") or a, g.nodes[b].get("label") or b
    return ViewGraph(
        kind=ViewKind.PATH,
        title=f"{label_a} → {label_b}",
        nodes=[_node(g, n, focus=n in (a, b), paths=tuple(r)) for n, r in node_paths.items()],
        edges=edges,
        params={
            "from": a,
            "to": b,
            "max_hops": max_hops,
            "influence_only": influence_only,
            "chronological": chronological,
            "via_topics": via_topics,
            "evidence": evidence,
        },
        paths=[explanation_record(g, e, schema) for e in found],
    )


def _day(text: str | None, *, latest: bool = False) -> dt.date | None:
    if not text:
        return None
    try:
        d = parse_date(text)
        return d.latest if latest else d.earliest
    except ValueError:  # not a date, or one Python cannot hold (year 0)
        return None


def _time_levels(
    nodes: list[str], dates: Mapping[str, dt.date | None], flows: list[tuple[str, str]]
) -> dict:
    """Left-to-right levels: dated nodes by date rank; undated ones beside their lineage
    neighbours. ``flows`` are (upstream, downstream) pairs: upstream sits to the left."""
    ranks = {d: i * 2 for i, d in enumerate(sorted({d for d in dates.values() if d}))}
    level: dict[str, int] = {n: ranks[d] for n, d in dates.items() if d is not None}
    for _ in range(len(nodes)):
        changed = False
        for o, s in flows:
            if s not in level and o in level:
                level[s], changed = level[o] + 1, True
            elif o not in level and s in level:
                level[o], changed = level[s] - 1, True
        if not changed:
            break
    base = min(level.values(), default=0)
    return {n: level.get(n, base) - base for n in nodes}


def lineage_view(
    g: nx.MultiDiGraph,
    ident: str,
    *,
    direction: str = "upstream",
    depth: int = 3,
    schema: Schema | None = None,
) -> ViewGraph:
    """The lineage DAG around an entity (one edge per fact, with all its sources), each node
    given a left-to-right time level."""
    schema = schema or load_schema()
    result = lineage(g, _require(g, ident), direction=direction, depth=depth, schema=schema)
    flows = [
        ends
        for h in result.edges
        if (ends := schema.relations[h.predicate].upstream(h.subject, h.object))
    ]
    dates: dict[str, dt.date | None] = {}
    for n in result.nodes:
        own = _day(g.nodes[n].get("start"))
        hop_days = [
            d
            for h, (_, down) in zip(result.edges, flows, strict=True)
            if n == down and (d := _day(h.start)) is not None
        ]
        dates[n] = own or min(hop_days, default=None)
    levels = _time_levels(result.nodes, dates, flows)
    root = result.root
    return ViewGraph(
        kind=ViewKind.LINEAGE,
        title=g.nodes[root].get("label") or root,
        nodes=[_node(g, n, level=levels[n], focus=n == root) for n in result.nodes],
        edges=[_hop_edge(h) for h in result.edges],
        params={"id": root, "direction": direction, "depth": depth},
    )


def _overlaps(start: str | None, end: str | None, lo: dt.date | None, hi: dt.date | None) -> bool:
    first, last = _day(start or end), _day(end or start, latest=True)
    if first is None or last is None:
        return False
    return (hi is None or first <= hi) and (lo is None or last >= lo)


def graph_view(
    g: nx.MultiDiGraph,
    *,
    types: Iterable[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    schema: Schema | None = None,
) -> ViewGraph:
    """The whole graph, filtered by class (subclasses included) and by a date range.

    With a date range, an edge is kept when its dates overlap the range (undated edges are
    dropped) and a node when its own dates overlap it or it has a kept edge.
    """
    schema = schema or load_schema()
    wanted = tuple(t for t in types if t)
    for t in wanted:
        if t not in schema.classes:
            raise ValueError(f"unknown type {t!r}; expected one of {sorted(schema.classes)}")
    lo, hi = _day(date_from), _day(date_to, latest=True)
    for text, day in ((date_from, lo), (date_to, hi)):
        if text and day is None:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    dated = lo is not None or hi is not None

    def typed(n: str) -> bool:
        t = g.nodes[n].get("type")
        return not wanted or (t in schema.classes and schema.is_a(t, wanted))

    keep = {n for n in g if typed(n)}
    edges = [
        _edge(s, o, k, d)
        for s, o, k, d in g.edges(keys=True, data=True)
        if s in keep and o in keep and (not dated or _overlaps(d["start"], d["end"], lo, hi))
    ]
    if dated:
        touched = {e.source for e in edges} | {e.target for e in edges}
        keep = {
            n
            for n in keep
            if n in touched or _overlaps(g.nodes[n].get("start"), g.nodes[n].get("end"), lo, hi)
        }
    nodes = [_node(g, n) for n in g if n in keep]
    return ViewGraph(
        kind=ViewKind.GRAPH,
        title="The govgraph network",
        nodes=nodes,
        edges=edges,
        params={"type": list(wanted), "from": date_from, "to": date_to},
    )


_DESCRIPTIONS = (
    sparql_prologue()
    + """
SELECT ?e ?d WHERE { ?e schema:description ?d FILTER(LANG(?d) = "en" || LANG(?d) = "") }"""
)


def describe(store: Store, view: ViewGraph) -> ViewGraph:
    """The view with each node's English description read from ``store``."""
    if not view.nodes:
        return view
    values = " ".join(f"<{entity_iri(n.id)}>" for n in view.nodes)
    query = _DESCRIPTIONS.replace("WHERE {", f"WHERE {{ VALUES ?e {{ {values} }}", 1)
    found = {slug_of(str(row["e"])): str(row["d"]) for row in store.select(query)}
    nodes = [replace(n, description=found.get(n.id, n.description)) for n in view.nodes]
    return replace(view, nodes=nodes)
