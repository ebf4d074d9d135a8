"""The SPARQL 1.1 Protocol, query only: reading the request and choosing the response format.

Kept apart from the router so the rules (which parameter wins, which media type means what)
are plain functions with their own tests. What a query may do (no updates, SERVICE, LOAD or
foreign FROM) is decided by ``graph.query_guard``, which every query runner applies.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.negotiate import best_match
from graph.formats import RdfFormat, ResultFormat

__all__ = [
    "GRAPH_OFFERS",
    "RESULT_OFFERS",
    "ProtocolError",
    "ResponseFormats",
    "choose_formats",
    "wants_html",
]


class ProtocolError(Exception):
    """The request breaks the protocol (HTTP 400, or the status given)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


RESULT_OFFERS: dict[str, ResultFormat] = {
    "application/sparql-results+json": ResultFormat.JSON,
    "application/json": ResultFormat.JSON,
    "application/sparql-results+xml": ResultFormat.XML,
    "application/xml": ResultFormat.XML,
    "text/xml": ResultFormat.XML,
    "text/csv": ResultFormat.CSV,
    "text/tab-separated-values": ResultFormat.TSV,
}
GRAPH_OFFERS: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.NTRIPLES,
    "text/plain": RdfFormat.NTRIPLES,
    "application/ld+json": RdfFormat.JSONLD,
    "application/json": RdfFormat.JSONLD,
    "application/rdf+xml": RdfFormat.RDFXML,
    "application/xml": RdfFormat.RDFXML,
    "text/xml": RdfFormat.RDFXML,
}
# ``format=`` names: each picks the result format and the matching graph format.
_FORMAT_NAMES: dict[str, tuple[ResultFormat, RdfFormat]] = {
    "json": (ResultFormat.JSON, RdfFormat.JSONLD),
    "xml": (ResultFormat.XML, RdfFormat.RDFXML),
    "csv": (ResultFormat.CSV, RdfFormat.TURTLE),
    "tsv": (ResultFormat.TSV, RdfFormat.TURTLE),
    "ttl": (ResultFormat.JSON, RdfFormat.TURTLE),
    "turtle": (ResultFormat.JSON, RdfFormat.TURTLE),
    "nt": (ResultFormat.JSON, RdfFormat.NTRIPLES),
    "ntriples": (ResultFormat.JSON, RdfFormat.NTRIPLES),
    "jsonld": (ResultFormat.JSON, RdfFormat.JSONLD),
    "json-ld": (ResultFormat.JSON, RdfFormat.JSONLD),
    "rdf": (ResultFormat.XML, RdfFormat.RDFXML),
    "rdfxml": (ResultFormat.XML, RdfFormat.RDFXML),
}


@dataclass(frozen=True)
class ResponseFormats:
    result: ResultFormat
    graph: RdfFormat


def choose_formats(accept: str | None, format: str | None) -> ResponseFormats:
    """``format`` (a short name or media type) wins over ``Accept``; default JSON and Turtle."""
    if format:
        name = format.strip().lower()
        if name in _FORMAT_NAMES:
            return ResponseFormats(*_FORMAT_NAMES[name])
        result, graph = RESULT_OFFERS.get(name), GRAPH_OFFERS.get(name)
        if result is None and graph is None:
            known = ", ".join(_FORMAT_NAMES)
            raise ProtocolError(f"unknown format {format!r}; use one of {known} or a media type")
        return ResponseFormats(result or ResultFormat.JSON, graph or RdfFormat.TURTLE)
    result_type = best_match(accept, list(RESULT_OFFERS))
    graph_type = best_match(accept, list(GRAPH_OFFERS))
    return ResponseFormats(
        RESULT_OFFERS[result_type] if result_type else ResultFormat.JSON,
        GRAPH_OFFERS[graph_type] if graph_type else RdfFormat.TURTLE,
    )


def wants_html(accept: str | None) -> bool:
    """Whether the client (a browser) prefers an HTML page to query results."""
    offers = ["text/html", *RESULT_OFFERS, *GRAPH_OFFERS]
    return best_match(accept, offers) == "text/html" and "text/html" in (accept or "")
