"""The entity network: a networkx projection of the store for paths, lineage and analytics.

Nodes are entities (slug ids) with label, type and dates. Each edge is one **claim** (subject ->
object, keyed by the claim id) with its predicate, lineage kind, dates, strongest evidence and
every reference (source title, publisher, date, URL, quote, evidence). Influence edges point
from the shaped thing to what shaped it (A influencedBy B); which end of a lineage relation is
upstream is declared in the schema (``RelationDef.upstream``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.claims import EVIDENCE_ORDER
from graph.columns import Columns
from graph.schema import Schema, load_schema
from graph.store import Store
from graph.vocab import DCTERMS, ENTITY_BASE, GG, PROV, RDF, RDFS, SCHEMA, slug_of

__all__ = [
    "Hop",
    "Lineage",
    "at_least",
    "hop_record",
    "hops_of",
    "lineage",
    "project",
    "source_table",
    "strongest",
]

_RANK = {e.value: i for i, e in enumerate(EVIDENCE_ORDER)}


def strongest(evidence: list[str]) -> str:
    """The strongest of some evidence kinds (documented > reported > inferred)."""
    return min(evidence, key=lambda e: _RANK.get(e, 9)) if evidence else "reported"


def at_least(evidence: str, minimum: str | None) -> bool:
    """Whether ``evidence`` is as strong as ``minimum`` (None: any evidence will do)."""
    return minimum is None or _RANK.get(evidence, 9) <= _RANK.get(minimum, 9)


def _local(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _reference_rank(ref: dict[str, Any]) -> tuple[int, bool, str]:
    return (_RANK.get(ref["evidence"], 9), ref["quote"] is None, ref["id"])


def source_table(columns: Columns) -> dict[str, dict[str, str | None]]:
    """source IRI -> its title, publisher, date and url (None where it has none)."""
    title, publisher = columns.first(DCTERMS.title), columns.first(DCTERMS.publisher)
    date, url = columns.first(DCTERMS.date), columns.first(SCHEMA.url)
    return {
        src: {
            "title": title.get(src),
            "publisher": publisher.get(src),
            "date": date.get(src),
            "url": url.get(src),
        }
        for src in columns.of_type(GG.Source)
    }


def project(
    store: Store, schema: Schema | None = None, *, columns: Columns | None = None
) -> nx.MultiDiGraph:
    """Build the entity MultiDiGraph from the claims in ``store`` (read as ``columns``, which
    the caller may share with the other derivations)."""
    schema = schema or load_schema()
    columns = columns or Columns(store)
    g = nx.MultiDiGraph()
    label = columns.first(RDFS.label, language="en")
    start, end = columns.first(GG.start), columns.first(GG.end)
    for iri, type_iri in columns.entity_types():
        cls = schema.class_by_iri(type_iri)
        if cls is None:
            continue
        ident = iri[len(ENTITY_BASE) :]
        g.add_node(
            ident,
            label=label.get(iri) or ident,
            type=cls.name,
            start=start.get(iri),
            end=end.get(iri),
        )
    sources = {_local(src): fields for src, fields in source_table(columns).items()}
    subject, predicate = columns.first(RDF.subject), columns.first(RDF.predicate)
    obj, evidence = columns.first(RDF.object), columns.first(GG.evidence)
    edges: dict[str, tuple[str, str]] = {}
    for node in columns.of_type(RDF.Statement):
        relation = schema.relation_by_iri(predicate.get(node, ""))
        if relation is None or node not in subject or node not in obj or node not in evidence:
            continue
        key = _local(node)
        if key in edges:
            continue
        s, o = slug_of(subject[node]), slug_of(obj[node])
        edges[key] = (s, o)
        g.add_edge(
            s,
            o,
            key=key,
            claim=key,
            predicate=relation.name,
            influence=relation.influence,
            lineage=relation.lineage.value if relation.lineage else None,
            start=start.get(node),
            end=end.get(node),
            evidence=_local(evidence[node]),
            sources=[],
        )
    derived, quote = columns.first(PROV.wasDerivedFrom), columns.first(GG.quote)
    missing = dict.fromkeys(("title", "publisher", "date", "url"))
    for node, ref, _ in columns.pairs(GG.reference):
        key = _local(node)
        if key not in edges or ref not in derived or ref not in evidence:
            continue
        s, o = edges[key]
        src = _local(derived[ref])
        g.edges[s, o, key]["sources"].append(
            {
                "id": src,
                **sources.get(src, missing),
                "quote": quote.get(ref),
                "evidence": _local(evidence[ref]),
            }
        )
    for _, _, data in g.edges(data=True):
        data["sources"].sort(key=_reference_rank)
    return g


@dataclass(frozen=True)
class Hop:
    """One fact on a path or in a lineage, oriented as stored (subject -> object)."""

    subject: str
    predicate: str
    object: str
    start: str | None
    end: str | None
    influence: bool
    sources: list[dict[str, Any]] = field(hash=False, compare=False)
    subject_date: str | None = field(default=None, compare=False)
    claim: str = field(default="", compare=False)
    evidence: str = field(default="reported", compare=False)
    lineage: str | None = field(default=None, compare=False)
    downstream_date: str | None = field(default=None, compare=False)

    @property
    def date(self) -> str | None:
        """When the hop happened: the claim's start; for a lineage hop without one, the start
        of its downstream end (the shaped or produced thing came after what shaped it)."""
        if self.start is not None:
            return self.start
        return self.downstream_date if self.lineage else None

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)


def hops_of(
    g: nx.MultiDiGraph,
    s: str,
    o: str,
    schema: Schema | None = None,
    *,
    per_triple: bool = True,
) -> list[Hop]:
    """The facts from ``s`` to ``o``. ``per_triple``: one hop per (subject, relation, object)
    with the sources of all its claims and the dates of its earliest claim (as lineage shows
    them); otherwise one hop per claim (two tenures of one post stay two hops)."""
    schema = schema or load_schema()
    groups: dict[str, list[dict[str, Any]]] = {}
    for data in (g.get_edge_data(s, o) or {}).values():
        key = data["predicate"] if per_triple else data["claim"]
        groups.setdefault(key, []).append(data)
    hops = []
    for claims in groups.values():
        claims.sort(key=lambda d: (d["start"] is None, d["start"] or ""))
        first = claims[0]
        sources: list[dict[str, Any]] = []
        for data in claims:
            sources += [r for r in data["sources"] if r not in sources]
        relation = schema.relations[first["predicate"]]
        ends = relation.upstream(s, o)
        hops.append(
            Hop(
                s,
                relation.name,
                o,
                first["start"],
                first["end"],
                relation.influence,
                sorted(sources, key=_reference_rank),
                subject_date=g.nodes[s].get("start"),
                claim=first["claim"],
                evidence=strongest([d["evidence"] for d in claims]),
                lineage=first["lineage"],
                downstream_date=g.nodes[ends[1]].get("start") if ends else None,
            )
        )
    return hops


def hop_record(g: nx.MultiDiGraph, hop: Hop, schema: Schema | None = None) -> dict[str, Any]:
    """A hop as JSON: both ends with labels, the relation's label, dates, claim id, evidence,
    lineage kind and every source."""
    relation = (schema or load_schema()).relations[hop.predicate]
    return {
        "subject": hop.subject,
        "subject_label": g.nodes[hop.subject]["label"],
        "predicate": hop.predicate,
        "label": relation.label,
        "object": hop.object,
        "object_label": g.nodes[hop.object]["label"],
        "start": hop.start,
        "end": hop.end,
        "claim": hop.claim,
        "evidence": hop.evidence,
        "influence": hop.influence,
        "lineage": hop.lineage,
        "sources": hop.sources,
    }


@dataclass
class Lineage:
    root: str
    direction: str
    nodes: list[str]
    edges: list[Hop]


def _lineage_steps(
    g: nx.MultiDiGraph, node: str, direction: str, schema: Schema
) -> Iterator[tuple[str, Hop]]:
    """(next node, hop) for each lineage fact one step upstream or downstream of ``node``."""
    pairs = {(s, o) for s, o in g.out_edges(node)} | {(s, o) for s, o in g.in_edges(node)}
    for s, o in sorted(pairs):
        if s == o:
            continue
        for hop in hops_of(g, s, o, schema):
            ends = schema.relations[hop.predicate].upstream(s, o)
            if ends is None:
                continue
            up, down = ends
            if direction == "upstream" and down == node:
                yield up, hop
            elif direction == "downstream" and up == node:
                yield down, hop


def lineage(
    g: nx.MultiDiGraph,
    root: str,
    *,
    direction: str = "upstream",
    depth: int = 3,
    schema: Schema | None = None,
) -> Lineage:
    """The lineage DAG reachable from ``root`` within ``depth`` hops.

    ``upstream`` is what shaped or produced ``root``; ``downstream`` is what ``root`` shaped or
    produced (a body's outputs and what they shaped). Each (subject, relation, object) appears
    once, with the sources of all its claims.
    """
    if direction not in ("upstream", "downstream"):
        raise ValueError("direction must be upstream or downstream")
    schema = schema or load_schema()
    root = slug_of(root)
    if root not in g:
        raise KeyError(root)
    seen = {root: 0}
    order = [root]
    edges: dict[tuple[str, str, str], Hop] = {}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        if seen[node] >= depth:
            continue
        for other, hop in _lineage_steps(g, node, direction, schema):
            edges.setdefault(hop.triple, hop)
            if other not in seen:
                seen[other] = seen[node] + 1
                order.append(other)
                queue.append(other)
    return Lineage(root=root, direction=direction, nodes=order, edges=list(edges.values()))
