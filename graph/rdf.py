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

from rdflib import Graph, URIRef

from graph.checks import CheckedData, parse_coordinates
from graph.claims import Claim, reference_key
from graph.datafile import Record
from graph.dates import PartialDate, parse_date
from graph.ntriples import TripleLines, iri, literal
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
    SOURCE,
    STATEMENT,
    WD,
    XSD,
    Evidence,
    entity_iri,
)

__all__ = ["claim_iri", "data_graph", "data_ntriples", "reference_iri"]

_ENTITY, _SOURCE = str(entity_iri("x"))[:-1], str(SOURCE)
_A = iri(str(RDF.type))
_LABEL, _ALT = iri(str(RDFS.label)), iri(str(SKOS.altLabel))
_DESCRIPTION = iri(str(SCHEMA.description))
_DERIVED, _SAME_AS = iri(str(PROV.wasDerivedFrom)), iri(str(OWL.sameAs))
_START, _END = iri(str(GG.start)), iri(str(GG.end))
_DATATYPES = {1: str(XSD.gYear), 2: str(XSD.gYearMonth), 3: str(XSD.date)}


def claim_iri(claim: Claim) -> URIRef:
    return STATEMENT[claim.key]


def reference_iri(claim: Claim, index: int) -> URIRef:
    return REFERENCE[reference_key(claim, claim.references[index])]


def _entity(slug: str) -> str:
    return f"<{_ENTITY}{slug.strip()}>"


def _source(slug: str) -> str:
    return f"<{_SOURCE}{slug.strip()}>"


def _gg(name: str) -> str:
    return iri(str(GG[name.strip()]))


def _date(value: PartialDate) -> str:
    precision = 1 + (value.month is not None) + (value.day is not None)
    return literal(str(value), datatype=_DATATYPES[precision])


def _add_dates(out: TripleLines, node: str, record: Record) -> None:
    for key, prop in (("start", _START), ("end", _END)):
        value = record.get(key)
        if value:
            out.add(node, prop, _date(parse_date(value)))


def _add_sources(out: TripleLines, checked: CheckedData) -> None:
    source_class, title = _gg("Source"), iri(str(DCTERMS.title))
    publisher, date, accessed = iri(str(DCTERMS.publisher)), iri(str(DCTERMS.date)), _gg("accessed")
    url = iri(str(SCHEMA.url))
    for record in checked.data.sources:
        node = _source(record.get("id"))
        out.add(node, _A, source_class)
        out.add(node, title, literal(record.get("title")))
        if record.get("publisher"):
            out.add(node, publisher, literal(record.get("publisher")))
        if record.get("date"):
            out.add(node, date, _date(parse_date(record.get("date"))))
        if record.get("accessed"):
            out.add(node, accessed, _date(parse_date(record.get("accessed"))))
        if record.get("url"):
            out.add(node, url, iri(record.get("url").strip()))


def _add_entities(out: TripleLines, checked: CheckedData) -> None:
    has_geometry, geometry_class = iri(str(GEO.hasGeometry)), iri(str(GEO.Geometry))
    as_wkt, wkt_literal = iri(str(GEO.asWKT)), str(GEO.wktLiteral)
    incomplete = _gg("incompleteList")
    for record in checked.data.entities:
        node = _entity(record.get("id"))
        out.add(node, _A, _gg(record.get("type")))
        out.add(node, _LABEL, literal(record.get("label").strip(), lang="en"))
        for lang, label in (record.get("labels") or {}).items():
            out.add(node, _LABEL, literal(label.strip(), lang=lang))
        for alias in record.get("aliases") or []:
            out.add(node, _ALT, literal(alias.strip()))
        if record.get("description"):
            out.add(node, _DESCRIPTION, literal(record.get("description").strip(), lang="en"))
        if record.get("wikidata"):
            out.add(node, _SAME_AS, iri(str(WD[record.get("wikidata").strip()])))
        _add_dates(out, node, record)
        if record.get("coordinates"):
            point = parse_coordinates(record.get("coordinates"))
            assert point is not None  # checked
            geometry = f"{node[:-1]}#geometry>"
            out.add(node, has_geometry, geometry)
            out.add(geometry, _A, geometry_class)
            wkt = f"POINT({point[1]} {point[0]})"  # WKT is longitude first
            out.add(geometry, as_wkt, literal(wkt, datatype=wkt_literal))
        for relation in record.get("incomplete") or []:
            out.add(node, incomplete, _gg(relation))
        for src in record.get("sources") or []:
            out.add(node, _DERIVED, _source(src))


def _add_claims(out: TripleLines, claims: list[Claim], schema: Schema) -> None:
    statement, subject = iri(str(RDF.Statement)), iri(str(RDF.subject))
    predicate, obj = iri(str(RDF.predicate)), iri(str(RDF.object))
    evidence, reference, quote, reference_class = (
        _gg("evidence"), _gg("reference"), _gg("quote"), _gg("Reference"),
    )  # fmt: skip
    evidences = {e: iri(str(e.iri)) for e in Evidence}
    influence = {r.name for r in schema.influence_relations}
    influenced_by = _gg("influencedBy")
    predicates: dict[str, str] = {}
    statement_base, reference_base = str(STATEMENT), str(REFERENCE)
    for claim in claims:
        pred = predicates.get(claim.predicate)
        if pred is None:
            pred = predicates[claim.predicate] = _gg(claim.predicate)
        subj, target = _entity(claim.subject), _entity(claim.object)
        out.add(subj, pred, target)
        if claim.predicate in influence:  # materialised: one relation to ask for all of them
            out.add(subj, influenced_by, target)
        node = f"<{statement_base}{claim.key}>"
        out.add(node, _A, statement)
        out.add(node, subject, subj)
        out.add(node, predicate, pred)
        out.add(node, obj, target)
        out.add(node, evidence, evidences[claim.evidence])
        for prop, date in ((_START, claim.start), (_END, claim.end)):
            if date is not None:
                out.add(node, prop, _date(date))
        for ref in claim.references:
            ref_node = f"<{reference_base}{reference_key(claim, ref)}>"
            out.add(node, reference, ref_node)
            out.add(ref_node, _A, reference_class)
            out.add(ref_node, _DERIVED, _source(ref.source))
            out.add(ref_node, evidence, evidences[Evidence(ref.evidence)])
            if ref.quote:
                out.add(ref_node, quote, literal(ref.quote))


def data_ntriples(checked: CheckedData, schema: Schema) -> TripleLines:
    """The full graph as N-Triples lines: ontology, sources, entities, claims with their
    references, and ``gg:influencedBy`` materialised for every influence relation."""
    out = TripleLines()
    out.extend(ontology_graph(schema).serialize(format="nt"))
    _add_sources(out, checked)
    _add_entities(out, checked)
    _add_claims(out, checked.claims, schema)
    return out


def data_graph(checked: CheckedData, schema: Schema) -> Graph:
    """The full graph as an rdflib Graph (for callers that want one; a build does not)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.parse(data=data_ntriples(checked, schema).encode(), format="nt")
    return g
