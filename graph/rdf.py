"""Turning checked records into RDF: entities, sources and the dual statement model.

Every relation is written twice (Wikidata's model): the plain triple ``<s> gg:p <o>`` for easy
querying, and an ``rdf:Statement`` node carrying dates, source, quote and evidence kind. The
statement IRI is a hash of (subject, predicate, object, start, source), so rebuilding never
renames a statement. Influence relations are then materialised as ``gg:influencedBy``.
"""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef

from graph.checks import CheckedData
from graph.datafile import Record
from graph.dates import parse_date
from graph.schema import Schema, ontology_graph
from graph.vocab import (
    DCTERMS,
    GG,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    STATEMENT,
    WD,
    Evidence,
    entity_iri,
    source_iri,
)

__all__ = ["data_graph", "materialise_influence", "statement_iri"]


def statement_iri(subject: str, predicate: str, obj: str, start: str, source: str) -> URIRef:
    """Deterministic statement IRI from the statement's key fields."""
    key = "\x1f".join((subject, predicate, obj, start, source))
    return STATEMENT[hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]]


def _add_dates(g: Graph, node: URIRef, record: Record) -> None:
    for key, prop in (("start", GG.start), ("end", GG.end)):
        value = record.get(key)
        if value:
            g.add((node, prop, parse_date(value).to_literal()))


def _add_sources(g: Graph, checked: CheckedData) -> None:
    for record in checked.data.sources:
        node = source_iri(record.get("id"))
        g.add((node, RDF.type, GG.Source))
        g.add((node, DCTERMS.title, Literal(record.get("title"))))
        if record.get("publisher"):
            g.add((node, DCTERMS.publisher, Literal(record.get("publisher"))))
        if record.get("date"):
            g.add((node, DCTERMS.date, parse_date(record.get("date")).to_literal()))
        if record.get("accessed"):
            g.add((node, GG.accessed, parse_date(record.get("accessed")).to_literal()))
        if record.get("url"):
            g.add((node, SCHEMA.url, URIRef(record.get("url").strip())))


def _add_entities(g: Graph, checked: CheckedData) -> None:
    for record in checked.data.entities:
        node = entity_iri(record.get("id"))
        g.add((node, RDF.type, GG[record.get("type")]))
        g.add((node, RDFS.label, Literal(record.get("label").strip(), lang="en")))
        for lang, label in (record.get("labels") or {}).items():
            g.add((node, RDFS.label, Literal(label.strip(), lang=lang)))
        for alias in record.get("aliases") or []:
            g.add((node, SKOS.altLabel, Literal(alias.strip())))
        if record.get("description"):
            g.add((node, SCHEMA.description, Literal(record.get("description").strip(), lang="en")))
        if record.get("wikidata"):
            g.add((node, OWL.sameAs, WD[record.get("wikidata").strip()]))
        _add_dates(g, node, record)
        for src in record.get("sources") or []:
            g.add((node, PROV.wasDerivedFrom, source_iri(src.strip())))


def _add_statements(g: Graph, checked: CheckedData) -> None:
    for record in checked.data.statements:
        s, p, o = (record.get(k).strip() for k in ("subject", "predicate", "object"))
        start, source = (record.get("start") or "").strip(), record.get("source").strip()
        subj, pred, obj = entity_iri(s), GG[p], entity_iri(o)
        g.add((subj, pred, obj))
        node = statement_iri(s, p, o, start, source)
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, subj))
        g.add((node, RDF.predicate, pred))
        g.add((node, RDF.object, obj))
        g.add((node, PROV.wasDerivedFrom, source_iri(source)))
        g.add((node, GG.evidence, Evidence(record.get("evidence").strip()).iri))
        if record.get("quote"):
            g.add((node, GG.quote, Literal(record.get("quote").strip())))
        _add_dates(g, node, record)


def materialise_influence(g: Graph, schema: Schema) -> int:
    """Add ``s gg:influencedBy o`` for every influence relation; return how many were new."""
    before = len(g)
    for relation in schema.influence_relations:
        for s, o in list(g.subject_objects(relation.iri)):
            g.add((s, GG.influencedBy, o))
    return len(g) - before


def data_graph(checked: CheckedData, schema: Schema) -> Graph:
    """The full graph: ontology, sources, entities, statements, materialised influence."""
    g = ontology_graph(schema)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    _add_sources(g, checked)
    _add_entities(g, checked)
    _add_statements(g, checked)
    materialise_influence(g, schema)
    return g
