"""Who took part in what: a matrix of actors (countries, companies, people...) by summits,
declarations or networks, each cell holding the claims that put the actor there.

Pure functions over the networkx projection (one edge per claim), so that the API, its CSV and
the HTML view show the same matrix. A reporter's question is "which countries signed at
Bletchley but not at Paris", so a summit's column also counts the documents issued at it
(``issuedAt``) and the sessions and side events that are part of it (``partOf``): each such
claim names what it went ``via``. Columns read in time order, and a ``succeeds`` link keeps a
successor after its predecessor whatever the dates say; a chain of ``succeeds`` links is a
**series** (the summit series, a renamed network), within which a row says when the actor
joined and whether it left. An empty cell means the graph records nothing, not that nothing
happened: ``incomplete`` on a column names the lists known to be partial.
"""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from api.errors import BadParameter
from api.exports import neutralise
from graph.network import at_least
from graph.schema import Schema
from graph.store import Store, sparql_prologue
from graph.vocab import slug_of

__all__ = [
    "KINDS",
    "Kind",
    "Of",
    "candidate_columns",
    "cell_text",
    "incomplete_lists",
    "matrix",
    "matrix_csv",
    "order_columns",
    "series_of",
]

Of = Literal["summits", "declarations", "networks"]

_SOURCE_KEYS = ("id", "title", "publisher", "date", "url")
_MAX_PART_DEPTH = 3


@dataclass(frozen=True)
class Kind:
    """One kind of matrix: what its columns are and which relations put an actor in one."""

    name: str
    relations: tuple[str, ...]
    """Relations from an actor to a column (or to what is part of or issued at it), in the
    order a cell lists them."""
    part_relations: tuple[str, ...] = ()
    """Relations to an event that is part of the column (a session, a side event)."""
    document_relations: tuple[str, ...] = ()
    """Relations to a document issued at the column or at a part of it."""


KINDS: dict[str, Kind] = {
    "summits": Kind(
        "summits",
        ("hosted", "attended", "invitedTo", "signed", "sponsored"),
        part_relations=("hosted", "attended", "invitedTo"),
        document_relations=("signed", "sponsored"),
    ),
    "declarations": Kind("declarations", ("signed", "sponsored")),
    "networks": Kind("networks", ("memberOf",)),
}

_INCOMPLETE = sparql_prologue() + "SELECT ?e ?rel WHERE { ?e gg:incompleteList ?rel }"


def incomplete_lists(store: Store, schema: Schema) -> dict[str, list[str]]:
    """Entity id -> relations whose list of subjects is known to be partial (blocking)."""
    out: dict[str, list[str]] = {}
    for row in store.select(_INCOMPLETE):
        relation = schema.relation_by_iri(str(row["rel"]))
        if relation is not None:
            out.setdefault(slug_of(str(row["e"])), []).append(relation.name)
    return out


def _in_edges(
    g: nx.MultiDiGraph, node: str, predicates: Iterable[str]
) -> list[tuple[str, dict[str, Any]]]:
    wanted = set(predicates)
    return [(s, d) for s, _, d in g.in_edges(node, data=True) if d["predicate"] in wanted]


def candidate_columns(g: nx.MultiDiGraph, schema: Schema, of: str) -> list[str]:
    """Every column of a matrix of ``of``, unordered: every Summit; every Document that has
    a signatory or sponsor; every entity that has a member."""
    kind = KINDS[of]
    out = []
    for node, data in g.nodes(data=True):
        if of == "summits":
            keep = schema.is_a(data["type"], ("Summit",))
        else:
            keep = bool(_in_edges(g, node, kind.relations))
            keep = keep and (of != "declarations" or schema.is_a(data["type"], ("Document",)))
        if keep:
            out.append(node)
    return out


def _succeeds(g: nx.MultiDiGraph, nodes: Iterable[str]) -> list[tuple[str, str]]:
    """(earlier, later) for each ``later succeeds earlier`` between two of ``nodes``."""
    keep = set(nodes)
    return sorted(
        {
            (o, s)
            for s, o, d in g.edges(data=True)
            if d["predicate"] == "succeeds" and s in keep and o in keep and s != o
        }
    )


def order_columns(g: nx.MultiDiGraph, nodes: Iterable[str]) -> list[str]:
    """``nodes`` in time order (start date, then label; undated last), except that a
    successor always comes after what it ``succeeds``."""

    def key(n: str) -> tuple[str, str, str]:
        data = g.nodes[n]
        return (data.get("start") or "~", str(data["label"]).casefold(), n)

    nodes = list(nodes)
    links = _succeeds(g, nodes)
    waiting = {n: 0 for n in nodes}
    after: dict[str, list[str]] = {n: [] for n in nodes}
    for earlier, later in links:
        waiting[later] += 1
        after[earlier].append(later)
    ready = [key(n) for n in nodes if waiting[n] == 0]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        node = heapq.heappop(ready)[2]
        out.append(node)
        for later in after[node]:
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, key(later))
    placed = set(out)
    return out + sorted((n for n in nodes if n not in placed), key=key)  # a loop: by date


def series_of(g: nx.MultiDiGraph, ordered: Sequence[str]) -> dict[str, str]:
    """Column -> its series: the first column (in ``ordered``) of its chain of ``succeeds``
    links; a column without one is a series of its own."""
    parent = {n: n for n in ordered}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for earlier, later in _succeeds(g, ordered):
        a, b = root(earlier), root(later)
        if a != b:
            parent[b] = a
    first: dict[str, str] = {}
    for n in ordered:
        first.setdefault(root(n), n)
    return {n: first[root(n)] for n in ordered}


def _parts(g: nx.MultiDiGraph, column: str) -> list[str]:
    """Events that are part of ``column`` (sessions, side events), a few levels down."""
    found: list[str] = []
    frontier = [column]
    for _ in range(_MAX_PART_DEPTH):
        frontier = [s for node in frontier for s, _ in _in_edges(g, node, ("partOf",))]
        frontier = [s for s in frontier if s not in found and s != column]
        found += frontier
    return found


def _ref(g: nx.MultiDiGraph, node: str) -> dict[str, str]:
    data = g.nodes[node]
    return {"id": node, "label": data["label"], "type": data["type"]}


def _claim(schema: Schema, data: dict[str, Any], via: dict[str, str] | None) -> dict[str, Any]:
    predicate = data["predicate"]
    return {
        "claim": data["claim"],
        "predicate": predicate,
        "label": schema.relations[predicate].label,
        "via": via,
        "start": data["start"],
        "end": data["end"],
        "evidence": data["evidence"],
        "sources": data["sources"],
    }


def _column_claims(
    g: nx.MultiDiGraph, schema: Schema, kind: Kind, column: str, evidence: str | None
) -> tuple[dict[str, dict[str, dict[str, Any]]], set[str]]:
    """Actor -> claim id -> claim putting the actor in ``column``; and the documents issued
    at it (whose lists of signatories count)."""
    parts = _parts(g, column) if kind.part_relations else []
    reached: list[tuple[str, tuple[str, ...], str | None]] = [(column, kind.relations, None)]
    reached += [(p, kind.part_relations, p) for p in parts]
    documents: set[str] = set()
    if kind.document_relations:
        for event in [column, *parts]:
            documents |= {d for d, _ in _in_edges(g, event, ("issuedAt",))}
        reached += [(d, kind.document_relations, d) for d in sorted(documents)]
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for target, predicates, via in reached:
        for actor, data in _in_edges(g, target, predicates):
            if actor == column or not at_least(data["evidence"], evidence):
                continue
            claims = found.setdefault(actor, {})
            if data["claim"] not in claims:
                claims[data["claim"]] = _claim(schema, data, _ref(g, via) if via else None)
    return found, documents


def _cell(kind: Kind, claims: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A cell: the relations (in the kind's order), the claims, and the sources to cite."""
    rank = {p: i for i, p in enumerate(kind.relations)}
    ordered = sorted(claims, key=lambda c: (rank[c["predicate"]], c["start"] or "~", c["claim"]))
    sources: dict[str, dict[str, Any]] = {}
    for claim in ordered:
        for src in claim["sources"]:
            sources.setdefault(src["id"], {k: src.get(k) for k in _SOURCE_KEYS})
    relations = list(dict.fromkeys(c["predicate"] for c in ordered))
    return {"relations": relations, "claims": ordered, "sources": list(sources.values())}


def _left(present: list[str], shown: list[str], series: Mapping[str, str]) -> str | None:
    """The latest column after which the actor was absent from a later column of the same
    series (it had left by the end); None when it stayed to the end of each series."""
    left = None
    for column in present:
        later = [c for c in shown[shown.index(column) + 1 :] if series[c] == series[column]]
        if later and not set(later) & set(present):
            left = column
    return left


def _row(
    actor: dict[str, str], cells: dict[str, Any], shown: list[str], series: Mapping[str, str]
) -> dict[str, Any]:
    present = [c for c in shown if c in cells]
    return {
        "actor": actor,
        "in": present,
        "count": len(present),
        "first": present[0],
        "last": present[-1],
        "left": _left(present, shown, series),
        "cells": {c: cells[c] for c in present},
    }


def _check_columns(name: str, ids: Sequence[str], known: set[str], of: str) -> None:
    for ident in ids:
        if ident not in known:
            raise BadParameter(name, f"{ident!r} is not a column of of={of}")


def _check_types(schema: Schema, types: Sequence[str]) -> None:
    for t in types:
        if t not in schema.classes:
            known = ", ".join(sorted(schema.classes))
            raise BadParameter("actor_type", f"unknown class {t!r}; expected one of {known}")


def matrix(
    g: nx.MultiDiGraph,
    schema: Schema,
    of: str,
    *,
    actor_types: Sequence[str] = (),
    columns: Sequence[str] = (),
    in_: Sequence[str] = (),
    not_in: Sequence[str] = (),
    evidence: str | None = None,
    incomplete: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """The participation matrix: ``columns`` (all of the kind when empty; ``in_`` and
    ``not_in`` are always shown) in time order, and one row per actor of ``actor_types``
    (subclasses included; any when empty) present in at least one of them, in all of ``in_``
    and in none of ``not_in``; most columns first, then by label.

    Raises BadParameter naming a column id that is not a column of ``of`` or an unknown class.
    """
    kind = KINDS[of]
    _check_types(schema, actor_types)
    everything = order_columns(g, candidate_columns(g, schema, of))
    known = set(everything)
    for name, ids in (("columns", columns), ("in", in_), ("not_in", not_in)):
        _check_columns(name, ids, known, of)
    wanted = set(columns) | set(in_) | set(not_in)
    shown = [c for c in everything if c in wanted] if columns else everything
    series = series_of(g, everything)
    incomplete = incomplete or {}
    by_actor: dict[str, dict[str, Any]] = {}
    meta: dict[str, dict[str, Any]] = {}
    for column in shown:
        claims, documents = _column_claims(g, schema, kind, column, evidence)
        for actor, found in claims.items():
            by_actor.setdefault(actor, {})[column] = _cell(kind, found.values())
        partial = set(incomplete.get(column, ())) & set(kind.relations)
        for doc in documents:
            partial |= set(incomplete.get(doc, ())) & set(kind.document_relations)
        meta[column] = {"series": series[column], "incomplete": sorted(partial)}
    rows = [
        _row(_ref(g, actor), cells, shown, series)
        for actor, cells in by_actor.items()
        if not actor_types or schema.is_a(g.nodes[actor]["type"], tuple(actor_types))
    ]
    rows = [r for r in rows if set(in_) <= set(r["in"]) and not set(not_in) & set(r["in"])]
    rows.sort(key=lambda r: (-r["count"], str(r["actor"]["label"]).casefold(), r["actor"]["id"]))
    return {
        "of": of,
        "columns": [
            {
                **_ref(g, c),
                "start": g.nodes[c].get("start"),
                "end": g.nodes[c].get("end"),
                **meta[c],
                "count": sum(1 for r in rows if c in r["cells"]),
            }
            for c in shown
        ],
        "relations": {p: schema.relations[p].label for p in kind.relations},
        "total": len(rows),
        "rows": rows,
    }


def cell_text(cell: Mapping[str, Any]) -> str:
    """How the actor took part, in words: ``signed; attended``; a claim through something
    issued at or part of the column names it (``signed: The Bletchley Declaration``)."""
    texts = [
        f"{c['label']}: {c['via']['label']}" if c.get("via") else str(c["label"])
        for c in cell["claims"]
    ]
    return "; ".join(dict.fromkeys(texts))


def _source_text(src: Mapping[str, Any]) -> str:
    published = ", ".join(str(p) for p in (src.get("publisher"), src.get("date")) if p)
    text = str(src.get("title") or src["id"]) + (f" ({published})" if published else "")
    return text + (f" {src['url']}" if src.get("url") else "")


def _headers(columns: Sequence[Mapping[str, Any]]) -> list[str]:
    labels = [str(c["label"]) for c in columns]
    pairs = zip(labels, columns, strict=True)
    return [f"{lb} ({c['id']})" if labels.count(lb) > 1 else lb for lb, c in pairs]


def matrix_csv(data: Mapping[str, Any]) -> str:
    """The matrix as CSV (UTF-8 with BOM, for spreadsheets): one row per actor, one column per
    summit, declaration or network holding how the actor took part, then the claim ids and
    the sources of the whole row. Formula-like cells are neutralised."""
    columns = data["columns"]
    labels = {c["id"]: c["label"] for c in columns}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    head = ["actor_id", "actor", "actor_type", "count", "first", "last", "left"]
    writer.writerow([*head, *_headers(columns), "claims", "sources"])
    for row in data["rows"]:
        cells = row["cells"]
        claims = [c["claim"] for cell in cells.values() for c in cell["claims"]]
        sources = {s["id"]: s for cell in cells.values() for s in cell["sources"]}
        values = [
            row["actor"]["id"],
            row["actor"]["label"],
            row["actor"]["type"],
            row["count"],
            labels[row["first"]],
            labels[row["last"]],
            labels[row["left"]] if row["left"] else "",
            *(cell_text(cells[c["id"]]) if c["id"] in cells else "" for c in columns),
            "; ".join(dict.fromkeys(claims)),
            " | ".join(_source_text(s) for s in sources.values()),
        ]
        writer.writerow([neutralise(v) for v in values])
    return "\ufeff" + buf.getvalue()
