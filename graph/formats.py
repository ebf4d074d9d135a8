"""The serialisation formats we read and write, named once with their media types."""

from __future__ import annotations

from enum import Enum

__all__ = ["QueryKind", "RdfFormat", "ResultFormat"]


class RdfFormat(Enum):
    """RDF graph/dataset serialisations: (short name, media type, rdflib parser/serializer name)."""

    TURTLE = ("ttl", "text/turtle", "turtle")
    NTRIPLES = ("nt", "application/n-triples", "nt")
    NQUADS = ("nq", "application/n-quads", "nquads")
    JSONLD = ("jsonld", "application/ld+json", "json-ld")
    RDFXML = ("rdf", "application/rdf+xml", "xml")
    TRIG = ("trig", "application/trig", "trig")

    @property
    def short(self) -> str:
        return self.value[0]

    @property
    def media_type(self) -> str:
        return self.value[1]

    @property
    def rdflib_name(self) -> str:
        return self.value[2]

    @classmethod
    def from_short(cls, name: str) -> RdfFormat:
        for fmt in cls:
            if fmt.short == name:
                return fmt
        raise ValueError(
            f"unknown RDF format {name!r}; use one of {', '.join(f.short for f in cls)}"
        )


class ResultFormat(Enum):
    """SPARQL query results serialisations (SELECT and ASK)."""

    JSON = ("json", "application/sparql-results+json")
    XML = ("xml", "application/sparql-results+xml")
    CSV = ("csv", "text/csv")
    TSV = ("tsv", "text/tab-separated-values")

    @property
    def short(self) -> str:
        return self.value[0]

    @property
    def media_type(self) -> str:
        return self.value[1]


class QueryKind(Enum):
    SELECT = "select"
    ASK = "ask"
    GRAPH = "graph"  # CONSTRUCT and DESCRIBE
