"""Content negotiation and the SPARQL protocol rules, as conformance tables."""

from __future__ import annotations

import pytest

from api.negotiate import best_match
from api.sparql import ProtocolError, choose_formats, wants_html
from graph.formats import RdfFormat, ResultFormat
from graph.query_guard import QueryRejected, check_query

OFFERS = ["text/html", "text/turtle", "application/ld+json"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json, text/turtle;q=0.5", "application/ld+json"),
        ("text/*;q=0.3, application/ld+json;q=0.2", "text/html"),
        ("text/html;q=0, */*;q=0.1", "text/turtle"),
        ("image/png", None),
        ("text/turtle;q=0.9, */*;q=0.1", "text/turtle"),
        ("text/html;q=abc, text/turtle", "text/turtle"),
    ],
)
def test_best_match(accept: str | None, expected: str | None) -> None:
    assert best_match(accept, OFFERS) == expected


@pytest.mark.parametrize(
    ("accept", "format", "result", "graph"),
    [
        (None, None, ResultFormat.JSON, RdfFormat.TURTLE),
        ("application/sparql-results+xml", None, ResultFormat.XML, RdfFormat.TURTLE),
        (
            "application/sparql-results+xml, application/rdf+xml",
            None,
            ResultFormat.XML,
            RdfFormat.RDFXML,
        ),
        ("text/csv", None, ResultFormat.CSV, RdfFormat.TURTLE),
        ("text/tab-separated-values", None, ResultFormat.TSV, RdfFormat.TURTLE),
        ("application/n-triples", None, ResultFormat.JSON, RdfFormat.NTRIPLES),
        ("application/ld+json", None, ResultFormat.JSON, RdfFormat.JSONLD),
        ("application/json", None, ResultFormat.JSON, RdfFormat.JSONLD),
        ("text/turtle", "csv", ResultFormat.CSV, RdfFormat.TURTLE),
        (None, "tsv", ResultFormat.TSV, RdfFormat.TURTLE),
        (None, "xml", ResultFormat.XML, RdfFormat.RDFXML),
        (None, "nt", ResultFormat.JSON, RdfFormat.NTRIPLES),
        (None, "jsonld", ResultFormat.JSON, RdfFormat.JSONLD),
        (None, "text/csv", ResultFormat.CSV, RdfFormat.TURTLE),
    ],
)
def test_choose_formats(
    accept: str | None, format: str | None, result: ResultFormat, graph: RdfFormat
) -> None:
    chosen = choose_formats(accept, format)
    assert (chosen.result, chosen.graph) == (result, graph)


def test_unknown_format_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="unknown format 'yaml'"):
        choose_formats(None, "yaml")


@pytest.mark.parametrize(
    ("text", "update"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("PREFIX x: <http://x/> ASK { ?s x:p ?o }", False),
        ("INSERT DATA { <a> <b> <c> }", True),
        ("  delete where { ?s ?p ?o }", True),
        ("PREFIX x: <http://x/>\nDELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("# a comment\nDROP ALL", True),
        ("LOAD <http://example.org/x.ttl>", True),
        ("CLEAR DEFAULT", True),
        ("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("SELECT ?insert WHERE { ?insert ?p ?o }", False),
    ],
)
def test_updates_are_refused_before_running(text: str, update: bool) -> None:
    if update:
        with pytest.raises(QueryRejected, match="not allowed"):
            check_query(text)
    else:
        check_query(text)


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("application/sparql-results+json", False),
        ("*/*", False),
        (None, False),
        ("application/sparql-results+xml, text/html;q=0.1", False),
    ],
)
def test_wants_html(accept: str | None, html: bool) -> None:
    assert wants_html(accept) is html
