"""Entity profiles: names from the store, relations (both directions) from the projection."""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef

from api.state import Snapshot
from graph.network import at_least, hop_record, strongest
from graph.store import sparql_prologue
from graph.vocab import GG, OWL, RDFS, SCHEMA, SKOS, entity_iri

__all__ = ["entity_profile", "hop_dict", "relations_of", "strongest"]

_CORE = sparql_prologue() + "SELECT ?e ?p ?o WHERE { ?e ?p ?o }"


def _bcp47(tag: str) -> str:
    """Conventional casing of a language tag (the store lower-cases them): zh-hans -> zh-Hans."""
    parts = tag.split("-")
    for i, part in enumerate(parts[1:], 1):
        if len(part) == 4 and part.isalpha():
            parts[i] = part.title()
        elif len(part) == 2 and part.isalpha():
            parts[i] = part.upper()
    return "-".join(parts)


def _lang(term: object) -> str | None:
    return term.language if isinstance(term, Literal) else None


def _names(snapshot: Snapshot, ident: str) -> dict[str, Any]:
    labels: dict[str, str] = {}
    aliases: list[str] = []
    same_as: list[str] = []
    incomplete: list[dict[str, str]] = []
    description: str | None = None
    rows = snapshot.store.select(_CORE, bindings={"e": entity_iri(ident)})
    for row in rows:
        p, o = row["p"], row["o"]
        if p == RDFS.label and isinstance(o, Literal):
            labels[_bcp47(o.language or "")] = str(o)
        elif p == SKOS.altLabel:
            aliases.append(str(o))
        elif p == OWL.sameAs and isinstance(o, URIRef):
            same_as.append(str(o))
        elif p == GG.incompleteList and (rel := snapshot.schema.relation_by_iri(str(o))):
            incomplete.append({"predicate": rel.name, "label": rel.inverse})
        elif p == SCHEMA.description and (description is None or _lang(o) == "en"):
            description = str(o)
    return {
        "labels": dict(sorted(labels.items())),
        "aliases": sorted(aliases),
        "sameAs": sorted(same_as),
        "incomplete": sorted(incomplete, key=lambda r: r["predicate"]),
        "description": description,
    }


def _first_version(snapshot: Snapshot, claim: str) -> dict[str, str | None]:
    """The build a claim first appeared in (null without a history, e.g. a remote store)."""
    first = snapshot.first_seen.get(claim)
    return {
        "first_version": first.version if first else None,
        "first_version_built_at": first.built_at if first else None,
    }


def relations_of(
    snapshot: Snapshot, ident: str, *, evidence: str | None = None
) -> list[dict[str, Any]]:
    """Every relation of ``ident`` in both directions, one row per claim, labelled as read
    from ``ident``; ``evidence``: the weakest kept."""
    g, schema = snapshot.network, snapshot.schema
    out: list[dict[str, Any]] = []
    for direction, edges in (
        ("out", g.out_edges(ident, data=True)),
        ("in", g.in_edges(ident, data=True)),
    ):
        for s, o, data in edges:
            if not at_least(data["evidence"], evidence):
                continue
            relation = schema.relations[data["predicate"]]
            other = o if direction == "out" else s
            out.append(
                {
                    "predicate": relation.name,
                    "label": relation.label if direction == "out" else relation.inverse,
                    "direction": direction,
                    "other": snapshot.ref(other),
                    "start": data["start"],
                    "end": data["end"],
                    "claim": data["claim"],
                    "evidence": data["evidence"],
                    "influence": data["influence"],
                    "lineage": data["lineage"],
                    "single_source": len({src["id"] for src in data["sources"]}) == 1,
                    "sources": data["sources"],
                    **_first_version(snapshot, data["claim"]),
                }
            )
    out.sort(
        key=lambda r: (
            r["direction"] != "out",
            r["label"],
            r["start"] is None,
            r["start"] or "",
            r["other"]["label"].casefold(),
        )
    )
    return out


def entity_profile(
    snapshot: Snapshot, ident: str, *, offset: int, limit: int, evidence: str | None = None
) -> dict[str, Any]:
    """The profile of an existing entity, its relations paged by ``offset``/``limit`` and kept
    at least as strong as ``evidence`` (blocking)."""
    node = snapshot.network.nodes[ident]
    relations = relations_of(snapshot, ident, evidence=evidence)
    return {
        "id": ident,
        "iri": str(entity_iri(ident)),
        "label": node["label"],
        **_names(snapshot, ident),
        "type": node["type"],
        "start": node["start"],
        "end": node["end"],
        "sources": snapshot.entity_sources.get(ident, []),
        "relations": relations[offset : offset + limit],
        "relations_total": len(relations),
        "relations_offset": offset,
        "relations_limit": limit,
        "relations_truncated": offset + limit < len(relations),
        "version": snapshot.version,
    }


def hop_dict(snapshot: Snapshot, hop: Any) -> dict[str, Any]:
    """A path or lineage hop as JSON, with the labels of both ends and of the relation."""
    return hop_record(snapshot.network, hop, snapshot.schema)
