"""Citable facts and sources: what ``/statement/{id}`` and ``/source/{id}`` show.

A journalist cites one fact (a claim) or one source. A claim's id hashes its triple, not its
dates, so correcting a date keeps the link a reporter already published. Both pages give the
dataset version a citation was made against (``?version=``), and say so when the version being
served is a different one.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Graph, Literal, URIRef

from api.state import Snapshot
from graph.narrative import format_date
from graph.store import sparql_prologue
from graph.vocab import DCTERMS, GG, SCHEMA, SLUG_RE, SOURCE, STATEMENT

__all__ = [
    "CLAIM_ID",
    "citation",
    "claim_graph",
    "claim_record",
    "source_graph",
    "source_record",
]

CLAIM_ID = re.compile(r"^[0-9a-f]{24}$")

_SOURCE = sparql_prologue() + "SELECT ?src ?p ?o WHERE { ?src ?p ?o }"

_CLAIM_RDF = """CONSTRUCT {{ <{claim}> ?p ?o . ?ref ?rp ?ro . ?src ?sp ?so . }}
WHERE {{
  {{ <{claim}> ?p ?o }}
  UNION {{ <{claim}> gg:reference ?ref . ?ref ?rp ?ro }}
  UNION {{ <{claim}> gg:reference/prov:wasDerivedFrom ?src . ?src ?sp ?so }}
}}"""

_SOURCE_RDF = """CONSTRUCT {{ <{source}> ?p ?o . ?ref ?rp ?ro . }}
WHERE {{
  {{ <{source}> ?p ?o }}
  UNION {{ ?ref prov:wasDerivedFrom <{source}> ; a gg:Reference ; ?rp ?ro }}
}}"""


def _claims(snapshot: Snapshot) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """claim id -> (subject, object, edge data), built once per snapshot."""
    cached = snapshot.network.graph.get("_claims")
    if cached is None:
        cached = {
            key: (s, o, data) for s, o, key, data in snapshot.network.edges(keys=True, data=True)
        }
        snapshot.network.graph["_claims"] = cached
    return cached


def citation(snapshot: Snapshot, what: str, url: str) -> str:
    """A citation line naming the dataset version: pasteable into a footnote."""
    return f"govgraph, dataset version {snapshot.version}: {what}. {url}?version={snapshot.version}"


def claim_record(snapshot: Snapshot, ident: str) -> dict[str, Any] | None:
    """One claim with both ends, its relation, dates, evidence and every reference; None if
    there is no such claim."""
    found = _claims(snapshot).get(ident) if CLAIM_ID.match(ident) else None
    if found is None:
        return None
    s, o, data = found
    relation = snapshot.schema.relations[data["predicate"]]
    subject, obj = snapshot.ref(s), snapshot.ref(o)
    sentence = relation.clause(subject["label"], obj["label"])
    if data["start"]:
        sentence += f" (from {format_date(data['start'])}" + (
            f" to {format_date(data['end'])})" if data["end"] else ")"
        )
    iri = str(STATEMENT[ident])
    return {
        "id": ident,
        "iri": iri,
        "subject": subject,
        "predicate": relation.name,
        "label": relation.label,
        "object": obj,
        "sentence": sentence,
        "start": data["start"],
        "end": data["end"],
        "evidence": data["evidence"],
        "lineage": data["lineage"],
        "single_source": len({src["id"] for src in data["sources"]}) == 1,
        "sources": data["sources"],
        "cite": citation(snapshot, sentence, iri),
        "version": snapshot.version,
    }


def claim_graph(snapshot: Snapshot, ident: str) -> Graph:
    """The claim node, its references and their sources as RDF (``ident`` already checked)."""
    assert CLAIM_ID.match(ident)
    return snapshot.store.construct(sparql_prologue() + _CLAIM_RDF.format(claim=STATEMENT[ident]))


def source_record(snapshot: Snapshot, ident: str) -> dict[str, Any] | None:
    """A source's title, publisher, dates and URL, the claims that cite it and the entities it
    describes; None if there is no such source."""
    if not SLUG_RE.match(ident):
        return None
    node = SOURCE[ident]
    rows = snapshot.store.select(_SOURCE, bindings={"src": node}).rows
    fields: dict[str, str] = {}
    names = {DCTERMS.title: "title", DCTERMS.publisher: "publisher", DCTERMS.date: "date"}
    names |= {GG.accessed: "accessed", SCHEMA.url: "url"}
    for row in rows:
        key = names.get(URIRef(str(row["p"])))
        if key is not None and isinstance(row["o"], (Literal, URIRef)):
            fields[key] = str(row["o"])
    if "title" not in fields:
        return None
    claims = []
    for key, (s, o, data) in sorted(_claims(snapshot).items(), key=lambda item: item[0]):
        quotes = [src.get("quote") for src in data["sources"] if src["id"] == ident]
        if quotes:
            relation = snapshot.schema.relations[data["predicate"]]
            claims.append(
                {
                    "id": key,
                    "subject": snapshot.ref(s),
                    "label": relation.label,
                    "object": snapshot.ref(o),
                    "start": data["start"],
                    "quotes": [q for q in quotes if q],
                }
            )
    claims.sort(key=lambda c: (c["subject"]["label"], c["label"], c["object"]["label"]))
    entities = sorted(
        (
            snapshot.ref(e)
            for e, srcs in snapshot.entity_sources.items()
            if any(x["id"] == ident for x in srcs)
        ),
        key=lambda r: r["label"],
    )
    iri = str(node)
    return {
        "id": ident,
        "iri": iri,
        **{k: fields.get(k) for k in ("title", "publisher", "date", "url", "accessed")},
        "claims": claims,
        "entities": entities,
        "cite": citation(snapshot, f"source \u201c{fields['title']}\u201d", iri),
        "version": snapshot.version,
    }


def source_graph(snapshot: Snapshot, ident: str) -> Graph:
    """The source node and the references that cite it, as RDF (``ident`` already checked)."""
    assert SLUG_RE.match(ident)
    return snapshot.store.construct(sparql_prologue() + _SOURCE_RDF.format(source=SOURCE[ident]))
