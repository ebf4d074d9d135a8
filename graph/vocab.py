"""The closed vocabulary of govgraph: namespaces and the IRIs we mint.

Every IRI the code writes comes from here, so a typo is an AttributeError at import time
rather than a silently wrong triple (the habit of rdflib's closed namespaces).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from rdflib import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import ORG, SDO, SH

__all__ = [
    "DATASET",
    "DCTERMS",
    "ENTITY_BASE",
    "FOAF",
    "GEO",
    "GG",
    "ID",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REFERENCE",
    "SCHEMA",
    "SH",
    "SKOS",
    "SLUG_RE",
    "SOURCE",
    "STATEMENT",
    "VOID",
    "WD",
    "XSD",
    "Evidence",
    "entity_iri",
    "slug_of",
    "source_iri",
]

ONTOLOGY_BASE = "https://w3id.org/govgraph/ontology#"
ENTITY_BASE = "https://w3id.org/govgraph/id/"

GG = Namespace(ONTOLOGY_BASE)
ID = Namespace(ENTITY_BASE)
SOURCE = Namespace("https://w3id.org/govgraph/source/")
STATEMENT = Namespace("https://w3id.org/govgraph/statement/")
"""Claims: one ``rdf:Statement`` node per fact (see graph.claims)."""
REFERENCE = Namespace("https://w3id.org/govgraph/reference/")
"""References: one source's support (source, quote, evidence) for a claim."""
WD = Namespace("http://www.wikidata.org/entity/")
VOID = Namespace("http://rdfs.org/ns/void#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
DATASET = URIRef("https://w3id.org/govgraph/dataset")
"""The dataset itself: a ``void:Dataset`` whose ``dcterms:hasVersion`` is the build's version."""
SCHEMA = SDO

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

PREFIXES: dict[str, str] = {
    "gg": ONTOLOGY_BASE,
    "id": ENTITY_BASE,
    "src": str(SOURCE),
    "st": str(STATEMENT),
    "ref": str(REFERENCE),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": str(SDO),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "wd": str(WD),
    "sh": str(SH),
    "void": "http://rdfs.org/ns/void#",
    "geo": "http://www.opengis.net/ont/geosparql#",
}


class Evidence(StrEnum):
    """How strongly a statement's source supports it."""

    DOCUMENTED = "documented"  # a primary source says so
    REPORTED = "reported"  # a secondary source says so
    INFERRED = "inferred"  # derived by a rule from other statements

    @property
    def iri(self) -> URIRef:
        return _EVIDENCE_IRIS[self.value]


@lru_cache(maxsize=65_536)
def entity_iri(slug: str) -> URIRef:
    """The entity's IRI (cached, bounded: a build names each entity in many triples, and every
    new URIRef is validated again)."""
    return ID[slug]


@lru_cache(maxsize=65_536)
def source_iri(slug: str) -> URIRef:
    return SOURCE[slug]


def slug_of(iri_or_slug: str) -> str:
    """Accept an entity slug or its full IRI (as the API contract promises) and return the slug."""
    if iri_or_slug.startswith(ENTITY_BASE):
        return iri_or_slug[len(ENTITY_BASE) :]
    return iri_or_slug


_EVIDENCE_IRIS = {e.value: GG[e.value] for e in Evidence}
