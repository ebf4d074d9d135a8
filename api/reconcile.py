"""The W3C Reconciliation Service API (v0.2, what OpenRefine 3.x speaks) over one snapshot.

OpenRefine matches a spreadsheet column of names to govgraph ids with it. Names are matched by
the app's own search index (``snapshot.search``: labels in any language, aliases, acronyms,
typos), so reconciliation and ``/api/search`` never disagree about what a name means. Ids are
entity slugs (the identifier space is ``https://w3id.org/govgraph/id/``), type ids are schema
class names and property ids are schema relation names, ``^relation`` for the other direction
(``^signed``: signed by), plus ``wikidata`` and a few plain fields for data extension.

Everything here is a pure function of a ``Snapshot``; ``api.reconcile_input`` checks the requests
and ``api.routes.reconcile`` does HTTP.
A request that cannot be answered raises ``BadInput`` naming the parameter (HTTP 422).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import Literal, URIRef

from api.reconcile_input import (
    IDENTIFIER_SPACE,
    MAX_BATCH,
    SCHEMA_SPACE,
    BadInput,
    Constraint,
    PropertyDef,
    ReconQuery,
    parse_extend,
    parse_queries,
    properties,
)
from api.state import Snapshot
from graph.schema import Schema
from graph.search import normalise
from graph.store import sparql_prologue
from graph.vocab import OWL, RDFS, SCHEMA, SKOS, WD, entity_iri, slug_of

__all__ = [
    "IDENTIFIER_SPACE",
    "MAX_BATCH",
    "SCHEMA_SPACE",
    "BadInput",
    "Constraint",
    "PropertyDef",
    "ReconQuery",
    "extend",
    "manifest",
    "parse_extend",
    "parse_queries",
    "preview_facts",
    "properties",
    "propose_properties",
    "reconcile",
    "suggest_entities",
    "suggest_properties",
    "suggest_types",
]
_POOL = 25  # name candidates re-scored when a query has property constraints
_NAME_WEIGHT = 0.6  # with property constraints: 60% name similarity, 40% properties
_MATCH_SCORE = 95.0  # an exact label or alias...
_MATCH_GAP = 10.0  # ...clearly ahead of the next candidate is a match
_FACTS = sparql_prologue() + "SELECT ?e ?p ?o WHERE { ?e ?p ?o }"
_SAME_AS = sparql_prologue() + "SELECT ?e ?o WHERE { ?e owl:sameAs ?o }"


def _type_refs(schema: Schema, cls: str) -> list[dict[str, str]]:
    """The class and its superclasses, nearest first: OpenRefine guesses column types from them."""
    return [{"id": c, "name": schema.classes[c].label} for c in schema.ancestors(cls)]


def _neighbours(snapshot: Snapshot, ident: str, prop: PropertyDef) -> set[str]:
    """The entities ``ident`` reaches by the relation ``prop`` (either direction)."""
    assert prop.relation is not None
    g, name = snapshot.network, prop.relation.name
    if prop.inverse:
        return {s for s, _, p in g.in_edges(ident, data="predicate") if p == name}
    return {o for _, o, p in g.out_edges(ident, data="predicate") if p == name}


def _reversed(prop: PropertyDef) -> PropertyDef:
    return PropertyDef(prop.id, prop.name, prop.description, prop.relation, not prop.inverse)


def _qid(value: str) -> str:
    """``Q42`` from ``Q42``, ``wd:Q42`` or ``http://www.wikidata.org/entity/Q42``."""
    return value.rsplit("/", 1)[-1].removeprefix("wd:").upper()


def _closeness(score: float) -> float:
    """A search score as a similarity in [0, 1]: an exact label or alias names the entity."""
    return 1.0 if score >= _MATCH_SCORE else score / 100


class _Matcher:
    """Answers one batch; remembers how each property value resolved to entities."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._resolved: dict[str, dict[str, float]] = {}
        self._qids: dict[str, set[str]] | None = None
        self._descriptions: dict[str, str | None] = {}

    def qids(self) -> dict[str, set[str]]:
        """Every entity's Wikidata QIDs (one small query per batch, only when asked)."""
        if self._qids is None:
            self._qids = {}
            for row in self.snapshot.store.select(_SAME_AS):
                qid = str(row["o"]).removeprefix(str(WD))
                self._qids.setdefault(slug_of(str(row["e"])), set()).add(qid)
        return self._qids

    def resolve(self, value: str) -> dict[str, float]:
        """Entities a property value names, with a similarity in [0, 1] (an id is exact)."""
        if value not in self._resolved:
            slug = slug_of(value)
            if self.snapshot.has_entity(slug):
                self._resolved[value] = {slug: 1.0}
            else:
                hits = self.snapshot.search.search(value, limit=50)
                self._resolved[value] = {h.id: _closeness(h.score) for h in hits}
        return self._resolved[value]

    def similarity(self, ident: str, c: Constraint) -> float:
        if c.prop.relation is None:  # wikidata
            wanted = {_qid(v) for v in c.values}
            return 1.0 if wanted & self.qids().get(ident, set()) else 0.0
        near = _neighbours(self.snapshot, ident, c.prop)
        scores = [s for v in c.values for e, s in self.resolve(v).items() if e in near]
        return max(scores, default=0.0)

    def admits(self, ident: str, types: tuple[str, ...]) -> bool:
        node_type = self.snapshot.network.nodes[ident]["type"]
        return not types or self.snapshot.schema.is_a(node_type, types)

    def by_name(self, q: ReconQuery) -> dict[str, float]:
        pool = max(q.limit + 1, _POOL if q.constraints else 0)
        found: dict[str, float] = {}
        for type_ in q.types or (None,):
            for hit in self.snapshot.search.search(q.text, type=type_, limit=pool):
                found[hit.id] = max(found.get(hit.id, 0.0), hit.score)
                self._descriptions[hit.id] = hit.description
        slug = slug_of(q.text)  # the spec: an entity's own id finds it
        if self.snapshot.has_entity(slug) and self.admits(slug, q.types):
            found[slug] = 100.0
        return found

    def by_properties(self, q: ReconQuery) -> dict[str, float]:
        """With no name (the draft's shape): the entities having a constraint's value."""
        found: set[str] = set()
        for c in q.constraints:
            if c.prop.relation is None:
                wanted = {_qid(v) for v in c.values}
                found |= {e for e, qids in self.qids().items() if qids & wanted}
                continue
            for value in c.values:
                for target, sim in self.resolve(value).items():
                    if sim >= 0.85:
                        found |= _neighbours(self.snapshot, target, _reversed(c.prop))
        return {e: 0.0 for e in found if self.admits(e, q.types)}

    def run(self, q: ReconQuery) -> list[dict[str, Any]]:
        if not q.text and not q.constraints:
            return []
        found = self.by_name(q) if q.text else self.by_properties(q)
        candidates = []
        for ident, name_score in found.items():
            sims = [self.similarity(ident, c) for c in q.constraints]
            if any(c.required and s == 0 for c, s in zip(q.constraints, sims, strict=True)):
                continue
            candidates.append(self.candidate(ident, q, name_score, sims))
        candidates.sort(key=lambda c: (-c["score"], c["name"]))
        if candidates and candidates[0]["features"][0]["value"] >= _MATCH_SCORE:
            top = candidates[0]["score"]
            runner_up = candidates[1]["score"] if len(candidates) > 1 else 0.0
            candidates[0]["match"] = top >= _MATCH_SCORE and top - runner_up >= _MATCH_GAP
        return candidates[: q.limit]

    def candidate(
        self, ident: str, q: ReconQuery, name_score: float, sims: list[float]
    ) -> dict[str, Any]:
        """One candidate: with constraints, 60% name and 40% how well the properties agree."""
        node = self.snapshot.network.nodes[ident]
        score = name_score
        if sims:
            mean = sum(sims) / len(sims)
            score = _NAME_WEIGHT * name_score + (100 - 100 * _NAME_WEIGHT) * mean
            if not q.text:
                score = 100 * mean
        features = [{"id": "name", "value": round(name_score, 2)}]
        features += [
            {"id": f"property:{c.prop.id}", "value": round(s, 2)}
            for c, s in zip(q.constraints, sims, strict=True)
        ]
        out: dict[str, Any] = {
            "id": ident,
            "name": node["label"],
            "type": _type_refs(self.snapshot.schema, node["type"]),
            "score": round(score, 2),
            "match": False,
            "features": features,
        }
        if ident not in self._descriptions:
            self._descriptions[ident] = preview_facts(self.snapshot, ident)["description"]
        if self._descriptions[ident]:
            out["description"] = self._descriptions[ident]
        return out


def reconcile(snapshot: Snapshot, queries: Mapping[str, ReconQuery]) -> dict[str, Any]:
    """``{key: {"result": [candidates, best first]}}`` for a parsed query batch."""
    matcher = _Matcher(snapshot)
    return {key: {"result": matcher.run(q)} for key, q in queries.items()}


# --- manifest, suggest, preview ---------------------------------------------------------------


def manifest(snapshot: Snapshot, root: str) -> dict[str, Any]:
    """The service manifest; ``root`` is the app's URL (``http://127.0.0.1:8000``)."""
    service = f"{root}/reconcile"
    schema = snapshot.schema
    return {
        "versions": ["0.2"],
        "name": "govgraph: actors of AI governance",
        "identifierSpace": IDENTIFIER_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "documentation": f"{root}/docs#/reconcile",
        "view": {"url": f"{root}/id/{{{{id}}}}"},
        "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": 430, "height": 220},
        "defaultTypes": [
            {"id": c.name, "name": c.label} for c in schema.classes.values() if c.parent is None
        ],
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/propose_properties"},
            "property_settings": [
                {
                    "name": "limit",
                    "label": "Limit",
                    "type": "number",
                    "default": 0,
                    "help_text": "at most this many values per entity (0: all)",
                }
            ],
        },
        "version": snapshot.version,
    }


def suggest_entities(
    snapshot: Snapshot, prefix: str, *, type_: str | None, cursor: int, limit: int
) -> list[dict[str, Any]]:
    """Entities whose names start with, contain or nearly spell ``prefix``."""
    hits = snapshot.search.search(prefix, type=type_, limit=cursor + limit) if prefix else []
    out = []
    for hit in hits[cursor:]:
        item: dict[str, Any] = {
            "id": hit.id,
            "name": hit.label,
            "notable": _type_refs(snapshot.schema, hit.type)[:1],
        }
        if hit.description:
            item["description"] = hit.description
        out.append(item)
    return out


def _by_prefix(items: Iterable[tuple[str, str, str]], prefix: str) -> list[tuple[str, str, str]]:
    """``(id, name, description)`` rows whose id or name starts with, then contains, ``prefix``."""
    key = normalise(prefix)
    ranked = []
    for item in items:
        names = (normalise(item[0]).lstrip("^"), normalise(item[1]))
        if any(n.startswith(key) for n in names):
            ranked.append((0, item))
        elif any(key in n for n in names):
            ranked.append((1, item))
    return [item for _, item in sorted(ranked, key=lambda r: r[0])]


def suggest_types(snapshot: Snapshot, prefix: str) -> list[dict[str, str]]:
    rows = [(c.name, c.label, c.description) for c in snapshot.schema.classes.values()]
    return [{"id": i, "name": n, "description": d} for i, n, d in _by_prefix(rows, prefix)]


def suggest_properties(snapshot: Snapshot, prefix: str) -> list[dict[str, str]]:
    rows = [(p.id, p.name, p.description) for p in properties(snapshot.schema)]
    return [{"id": i, "name": n, "description": d} for i, n, d in _by_prefix(rows, prefix)]


def propose_properties(snapshot: Snapshot, type_: str | None) -> list[dict[str, str]]:
    """The properties entities of ``type_`` (and its subclasses' ancestors) can have."""
    schema = snapshot.schema
    return [
        {"id": p.id, "name": p.name, "description": p.description}
        for p in properties(schema)
        if p.applies_to(schema, type_)
    ]


def preview_facts(snapshot: Snapshot, ident: str) -> dict[str, Any]:
    """Labels per language, aliases, description and Wikidata QIDs of an entity."""
    labels: dict[str, str] = {}
    aliases: list[str] = []
    qids: list[str] = []
    description: str | None = None
    for row in snapshot.store.select(_FACTS, bindings={"e": entity_iri(ident)}):
        p, o = row["p"], row["o"]
        if p == RDFS.label and isinstance(o, Literal):
            labels[o.language or ""] = str(o)
        elif p == SKOS.altLabel:
            aliases.append(str(o))
        elif p == OWL.sameAs and isinstance(o, URIRef) and str(o).startswith(str(WD)):
            qids.append(str(o).removeprefix(str(WD)))
        elif p == SCHEMA.description and (
            description is None or (isinstance(o, Literal) and o.language == "en")
        ):
            description = str(o)
    node = snapshot.network.nodes[ident]
    return {
        "id": ident,
        "label": node["label"],
        "labels": dict(sorted(labels.items())),
        "aliases": sorted(aliases),
        "wikidata": sorted(qids),
        "description": description,
        "type": node["type"],
        "type_label": snapshot.schema.classes[node["type"]].label,
        "start": node.get("start"),
        "end": node.get("end"),
    }


# --- data extension ---------------------------------------------------------------------------


def _field_values(facts: dict[str, Any], pid: str) -> list[dict[str, Any]]:
    value = {"label": facts["label"], "aliases": facts["aliases"], "type": facts["type"]}.get(
        pid, facts.get(pid)
    )
    items = value if isinstance(value, list) else [value]
    return [{"str": str(v)} for v in items if v]


def _relation_values(snapshot: Snapshot, ident: str, prop: PropertyDef) -> list[dict[str, Any]]:
    others = _neighbours(snapshot, ident, prop)
    nodes = snapshot.network.nodes
    ordered = sorted(others, key=lambda o: (nodes[o]["start"] or "9999", nodes[o]["label"]))
    return [{"id": o, "name": nodes[o]["label"]} for o in ordered]


def extend(
    snapshot: Snapshot, ids: list[str], props: list[tuple[PropertyDef, int]]
) -> dict[str, Any]:
    """``{"meta": [...], "rows": {id: {pid: [values]}}}``; an unknown id gets no values."""
    schema = snapshot.schema
    meta = []
    for prop, _ in props:
        entry: dict[str, Any] = {"id": prop.id, "name": prop.name}
        if (cls := prop.value_type()) is not None:
            entry["type"] = {"id": cls, "name": schema.classes[cls].label}
        meta.append(entry)
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for raw in ids:
        ident = slug_of(raw.strip())
        known = snapshot.has_entity(ident)
        facts = preview_facts(snapshot, ident) if known else {}
        row = {}
        for prop, limit in props:
            values: list[dict[str, Any]] = []
            if known and prop.relation is not None:
                values = _relation_values(snapshot, ident, prop)
            elif known:
                values = _field_values(facts, prop.id)
            row[prop.id] = values[:limit] if limit else values
        rows[raw] = row
    return {"meta": meta, "rows": rows}
