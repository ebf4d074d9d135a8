"""Turning checked records into RDF: entities, sources, and claims with their references.

Every relation is written twice (Wikidata's model): the plain triple ``<s> gg:p <o>`` for easy
querying, and one **claim** node per fact::

    st:<hash> a rdf:Statement ; rdf:subject <s> ; rdf:predicate gg:p ; rdf:object <o> ;
        gg:start "2024-07-05"^^xsd:date ; gg:end ... ;      # the claim's merged dates
        gg:evidence gg:documented ;                          # its strongest reference
        gg:reference ref:<hash>, ref:<hash> .
    ref:<hash> a gg:Reference ; prov:wasDerivedFrom src:<source> ;
        gg:quote "verbatim text" ; gg:evidence gg:documented .

Claim and reference IRIs are hashes of their key fields (see :mod:`graph.claims`), so
rebuilding never renames them. Influence relations are then materialised as ``gg:influencedBy``.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from graph.checks import CheckedData, parse_coordinates
from graph.claims import Claim, reference_key
from graph.datafile import Record
from graph.dates import parse_date
from graph.schema import Schema, ontology_graph
from graph.vocab import (
    DCTERMS,
    GEO,
    GG,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    REFERENCE,
    SCHEMA,
    SKOS,
    STATEMENT,
    WD,
    Evidence,
    entity_iri,
    source_iri,
)

__all__ = ["claim_iri", "data_graph", "materialise_influence", "reference_iri"]


def claim_iri(claim: Claim) -> URIRef:
    return STATEMENT[claim.key]


def reference_iri(claim: Claim, index: int) -> URIRef:
    return REFERENCE[reference_key(claim, claim.references[index])]


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
        if record.get("coordinates"):
            point = parse_coordinates(record.get("coordinates"))
            assert point is not None  # checked
            geometry = URIRef(f"{node}#geometry")
            g.add((node, GEO.hasGeometry, geometry))
            g.add((geometry, RDF.type, GEO.Geometry))
            wkt = f"POINT({point[1]} {point[0]})"  # WKT is longitude first
            g.add((geometry, GEO.asWKT, Literal(wkt, datatype=GEO.wktLiteral)))
        for relation in record.get("incomplete") or []:
            g.add((node, GG.incompleteList, GG[relation.strip()]))
        for src in record.get("sources") or []:
            g.add((node, PROV.wasDerivedFrom, source_iri(src.strip())))


def _add_claims(g: Graph, claims: list[Claim]) -> None:
    # The IRIs every claim repeats, made once: rdflib validates each new URIRef, and a
    # namespace attribute (GG.start) makes a new one on every access.
    start, end, evidence, reference, quote = GG.start, GG.end, GG.evidence, GG.reference, GG.quote
    reference_class, derived = GG.Reference, PROV.wasDerivedFrom
    statement, rdf_type, rdf_s, rdf_p, rdf_o = (
        RDF.Statement, RDF.type, RDF.subject, RDF.predicate, RDF.object,
    )  # fmt: skip
    predicates: dict[str, URIRef] = {}
    for claim in claims:
        pred = predicates.get(claim.predicate)
        if pred is None:
            pred = predicates[claim.predicate] = GG[claim.predicate]
        subj, obj = entity_iri(claim.subject), entity_iri(claim.object)
        g.add((subj, pred, obj))
        node = claim_iri(claim)
        g.add((node, rdf_type, statement))
        g.add((node, rdf_s, subj))
        g.add((node, rdf_p, pred))
        g.add((node, rdf_o, obj))
        g.add((node, evidence, claim.evidence.iri))
        for prop, date in ((start, claim.start), (end, claim.end)):
            if date is not None:
                g.add((node, prop, date.to_literal()))
        for index, ref in enumerate(claim.references):
            ref_node = reference_iri(claim, index)
            g.add((node, reference, ref_node))
            g.add((ref_node, rdf_type, reference_class))
            g.add((ref_node, derived, source_iri(ref.source)))
            g.add((ref_node, evidence, Evidence(ref.evidence).iri))
            if ref.quote:
                g.add((ref_node, quote, Literal(ref.quote)))


def materialise_influence(g: Graph, schema: Schema) -> int:
    """Add ``s gg:influencedBy o`` for every influence relation; return how many were new."""
    before = len(g)
    for relation in schema.influence_relations:
        for s, o in list(g.subject_objects(relation.iri)):
            g.add((s, GG.influencedBy, o))
    return len(g) - before


def data_graph(checked: CheckedData, schema: Schema) -> Graph:
    """The full graph: ontology, sources, entities, claims, materialised influence."""
    g = ontology_graph(schema)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    _add_sources(g, checked)
    _add_entities(g, checked)
    _add_claims(g, checked.claims)
    materialise_influence(g, schema)
    return g
