"""The entity network: a networkx projection of the store for paths, lineage and analytics.

Nodes are entities (slug ids) with label, type and dates. Each edge is one dated relation
(subject -> object), merging the statements that assert it from different sources, and carries
its predicate, whether it is an influence relation, dates, statement ids and sources.
Influence edges point from the shaped thing to what shaped it (A influencedBy B), so
"upstream" follows edges forward and "downstream" follows them backwards.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from graph.dates import parse_date
from graph.schema import Schema, load_schema
from graph.store import Store, sparql_prologue
from graph.vocab import slug_of

__all__ = [
    "Hop",
    "Lineage",
    "find_paths",
    "lineage",
    "project",
    "simple_paths",
]

_NODES = (
    sparql_prologue()
    + """
SELECT ?e ?type ?label ?start ?end WHERE {
  ?e a ?type . ?type a owl:Class .
  FILTER(STRSTARTS(STR(?e), STR(id:)))
  OPTIONAL { ?e rdfs:label ?label FILTER(LANG(?label) = "en") }
  OPTIONAL { ?e gg:start ?start } OPTIONAL { ?e gg:end ?end }
}"""
)

_EDGES = (
    sparql_prologue()
    + """
SELECT ?st ?s ?p ?o ?start ?end ?ev ?src ?title ?url ?quote WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?src ; gg:evidence ?ev .
  OPTIONAL { ?src dcterms:title ?title } OPTIONAL { ?src schema:url ?url }
  OPTIONAL { ?st gg:start ?start } OPTIONAL { ?st gg:end ?end } OPTIONAL { ?st gg:quote ?quote }
} ORDER BY ?st"""
)


def _text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    return None if value is None else str(value)


def project(store: Store, schema: Schema | None = None) -> nx.MultiDiGraph:
    """Build the entity MultiDiGraph from the statements in ``store``."""
    schema = schema or load_schema()
    g = nx.MultiDiGraph()
    for row in store.select(_NODES):
        ident = slug_of(str(row["e"]))
        cls = schema.class_by_iri(str(row["type"]))
        if cls is None:
            continue
        g.add_node(
            ident,
            label=_text(row, "label") or ident,
            type=cls.name,
            start=_text(row, "start"),
            end=_text(row, "end"),
        )
    for row in store.select(_EDGES):
        relation = schema.relation_by_iri(str(row["p"]))
        if relation is None:
            continue
        s, o = slug_of(str(row["s"])), slug_of(str(row["o"]))
        start, end = _text(row, "start"), _text(row, "end")
        key = f"{relation.name}|{start or ''}|{end or ''}"
        if not g.has_edge(s, o, key):
            g.add_edge(
                s,
                o,
                key=key,
                predicate=relation.name,
                influence=relation.influence,
                start=start,
                end=end,
                statements=[],
                sources=[],
                evidence=[],
            )
        data = g.edges[s, o, key]
        data["statements"].append(str(row["st"]))
        evidence = str(row["ev"]).rsplit("#", 1)[-1]
        if evidence not in data["evidence"]:
            data["evidence"].append(evidence)
        data["sources"].append(
            {
                "id": str(row["src"]).rsplit("/", 1)[-1],
                "title": _text(row, "title"),
                "url": _text(row, "url"),
                "quote": _text(row, "quote"),
            }
        )
    return g


@dataclass(frozen=True)
class Hop:
    """One relation on a path, oriented as stored (subject -> object)."""

    subject: str
    predicate: str
    object: str
    start: str | None
    end: str | None
    influence: bool
    sources: list[dict[str, Any]] = field(hash=False, compare=False)

    subject_date: str | None = field(default=None, compare=False)

    @property
    def date(self) -> str | None:
        """When the hop happened: the statement's start; for an influence hop without one,
        the start of its subject (the shaped thing came into being after what shaped it)."""
        if self.start is not None:
            return self.start
        return self.subject_date if self.influence else None


def _hops_between(g: nx.MultiDiGraph, a: str, b: str, influence_only: bool) -> list[Hop]:
    hops = []
    for s, o in ((a, b), (b, a)):
        for data in (g.get_edge_data(s, o) or {}).values():
            if influence_only and not data["influence"]:
                continue
            hops.append(
                Hop(
                    s,
                    data["predicate"],
                    o,
                    data["start"],
                    data["end"],
                    data["influence"],
                    data["sources"],
                    subject_date=g.nodes[s].get("start"),
                )
            )
    hops.sort(key=lambda h: (not h.influence, h.start is None, h.start or ""))
    return hops


def _undirected(g: nx.MultiDiGraph, influence_only: bool) -> nx.Graph:
    view = nx.Graph()
    view.add_nodes_from(g.nodes)
    for s, o, data in g.edges(data=True):
        if s != o and (data["influence"] or not influence_only):
            view.add_edge(s, o)
    return view


def _date_key(text: str | None) -> tuple[int, int, int] | None:
    if text is None:
        return None
    d = parse_date(text)
    return (d.year, d.month or 0, d.day or 0)


def _choose(options: list[list[Hop]], chronological: bool) -> list[Hop] | None:
    """Pick one hop per step; when chronological, dated hops must never go backwards."""
    chosen: list[Hop] = []
    last: tuple[int, int, int] | None = None
    for candidates in options:
        if not chronological:
            chosen.append(candidates[0])
            continue
        ok = [
            h for h in candidates if (k := _date_key(h.date)) is None or last is None or k >= last
        ]
        if not ok:
            return None
        dated = [h for h in ok if h.date is not None]
        hop = min(dated, key=lambda h: _date_key(h.date) or (0, 0, 0)) if dated else ok[0]
        chosen.append(hop)
        last = _date_key(hop.date) or last
    return chosen


def find_paths(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 4,
    influence_only: bool = False,
    chronological: bool = False,
    limit: int = 10,
    max_candidates: int = 200,
) -> list[list[Hop]]:
    """Shortest paths first (ignoring direction), each hop with its dates and sources.

    At most ``max_candidates`` node paths are examined, which bounds the work on hub-heavy
    graphs where simple paths explode.
    """
    source, target = slug_of(source), slug_of(target)
    for node in (source, target):
        if node not in g:
            raise KeyError(node)
    view = _undirected(g, influence_only)
    if source == target or not nx.has_path(view, source, target):
        return []
    paths: list[list[Hop]] = []
    for nodes in islice(nx.shortest_simple_paths(view, source, target), max_candidates):
        if len(nodes) - 1 > max_hops:
            break
        options = [_hops_between(g, a, b, influence_only) for a, b in pairwise(nodes)]
        chosen = _choose(options, chronological)
        if chosen is not None:
            paths.append(chosen)
            if len(paths) >= limit:
                break
    return paths


def simple_paths(
    g: nx.MultiDiGraph, source: str, target: str, *, cutoff: int = 3, limit: int = 100
) -> Iterator[list[str]]:
    """All simple node paths up to ``cutoff`` hops (ignoring direction), at most ``limit``."""
    view = _undirected(g, influence_only=False)
    yield from islice(
        nx.all_simple_paths(view, slug_of(source), slug_of(target), cutoff=cutoff), limit
    )


@dataclass
class Lineage:
    root: str
    direction: str
    nodes: list[str]
    edges: list[Hop]


def lineage(
    g: nx.MultiDiGraph, root: str, *, direction: str = "upstream", depth: int = 3
) -> Lineage:
    """The influence DAG reachable from ``root`` within ``depth`` hops.

    ``upstream`` is what shaped ``root`` (following A influencedBy B forward); ``downstream``
    is what ``root`` shaped.
    """
    if direction not in ("upstream", "downstream"):
        raise ValueError("direction must be upstream or downstream")
    root = slug_of(root)
    if root not in g:
        raise KeyError(root)
    seen = {root: 0}
    order = [root]
    edges: list[Hop] = []
    queue = deque([root])
    while queue:
        node = queue.popleft()
        if seen[node] >= depth:
            continue
        links = (
            g.out_edges(node, data=True) if direction == "upstream" else g.in_edges(node, data=True)
        )
        for s, o, data in links:
            if not data["influence"]:
                continue
            edges.append(
                Hop(s, data["predicate"], o, data["start"], data["end"], True, data["sources"])
            )
            other = o if direction == "upstream" else s
            if other not in seen:
                seen[other] = seen[node] + 1
                order.append(other)
                queue.append(other)
    return Lineage(root=root, direction=direction, nodes=order, edges=edges)
