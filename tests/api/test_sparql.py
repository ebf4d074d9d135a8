"""``/sparql``: the SPARQL 1.1 Protocol (query only) with real clients over loopback."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

LABEL = "SELECT ?l WHERE { id:atlantis rdfs:label ?l FILTER(LANG(?l) = 'en') }"
SIGNERS = "SELECT ?who WHERE { ?who gg:signed id:example-declaration } ORDER BY ?who"
ATLANTIS = "https://w3id.org/govgraph/id/atlantis"
CONSTRUCT = "CONSTRUCT { id:atlantis ?p ?o } WHERE { id:atlantis ?p ?o }"
# rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def sparql(client: httpx.Client, query: str, accept: str = "", **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query, **params}, headers=headers)


def test_get_json_results(client: httpx.Client) -> None:
    r = sparql(client, LABEL, "application/sparql-results+json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert r.json()["results"]["bindings"] == [
        {"l": {"type": "literal", "value": "Atlantis", "xml:lang": "en"}}
    ]
    assert r.headers["X-Govgraph-Version"] and r.headers["X-Govgraph-Rows"] == "1"


def test_post_form_and_sparql_query_body(client: httpx.Client) -> None:
    form = client.post("/sparql", data={"query": SIGNERS}, headers={"Accept": "text/csv"})
    assert form.status_code == 200 and form.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(form.text)))[1:] == [
        [ATLANTIS],
        ["https://w3id.org/govgraph/id/lemuria"],
    ]
    body = client.post(
        "/sparql",
        content=SIGNERS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"},
    )
    assert body.status_code == 200 and body.text.splitlines()[1] == f"<{ATLANTIS}>"


@pytest.mark.parametrize(
    ("accept", "fmt", "media", "check"),
    [
        ("application/sparql-results+xml", None, "application/sparql-results+xml", "<sparql"),
        ("text/tab-separated-values", None, "text/tab-separated-values", "?l"),
        (None, "csv", "text/csv", "l\r\nAtlantis"),
        (None, "xml", "application/sparql-results+xml", "<literal xml:lang"),
        ("text/csv", "json", "application/sparql-results+json", '"bindings"'),
    ],
)
def test_result_formats(
    client: httpx.Client, accept: str | None, fmt: str | None, media: str, check: str
) -> None:
    params = {"format": fmt} if fmt else {}
    r = sparql(client, LABEL, accept or "", **params)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert check in r.text


def test_ask(client: httpx.Client) -> None:
    r = sparql(client, "ASK { id:atlantis gg:signed id:example-declaration }")
    assert r.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "fmt", "media", "rdflib_format"),
    [
        ("text/turtle", None, "text/turtle", "turtle"),
        ("application/n-triples", None, "application/n-triples", "nt"),
        ("application/ld+json", None, "application/ld+json", "json-ld"),
        ("application/rdf+xml", None, "application/rdf+xml", "xml"),
        (None, "nt", "application/n-triples", "nt"),
        (None, "jsonld", "application/ld+json", "json-ld"),
        (None, None, "text/turtle", "turtle"),
    ],
)
def test_graph_formats(
    client: httpx.Client, accept: str | None, fmt: str | None, media: str, rdflib_format: str
) -> None:
    params = {"format": fmt} if fmt else {}
    r = sparql(client, CONSTRUCT, accept or "", **params)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    g = Graph().parse(data=r.content, format=rdflib_format)
    assert (URIRef(ATLANTIS), None, Literal("Atlantis", lang="en")) in g


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "text"),
    [
        ("get", {"params": {"query": "INSERT DATA { <a> <b> <c> }"}}, 400, "Update"),
        ("post", {"data": {"update": "DROP ALL"}}, 400, "Update"),
        ("post", {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 400, "Update"),
        (
            "post",
            {
                "content": b"CLEAR ALL",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            400,
            "Update",
        ),
        ("get", {"params": {"query": "SELEKT * WHERE { ?s ?p ?o }"}}, 400, "syntax"),
        ("get", {"params": {}}, 400, "missing query"),
        ("get", {"params": {"query": LABEL, "format": "yaml"}}, 400, "unknown format"),
        ("post", {"content": b"x", "headers": {"Content-Type": "text/plain"}}, 415, "POST"),
    ],
)
def test_protocol_errors(
    client: httpx.Client, method: str, kwargs: dict[str, object], status: int, text: str
) -> None:
    r = getattr(client, method)("/sparql", **kwargs)
    assert r.status_code == status and text in r.text


def test_store_is_unchanged_after_an_update_attempt(client: httpx.Client) -> None:
    client.post("/sparql", data={"update": "INSERT DATA { id:x rdfs:label 'x' }"})
    r = sparql(client, "ASK { id:x ?p ?o }")
    assert r.json()["boolean"] is False


def test_browser_gets_the_query_page(client: httpx.Client) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<textarea" in r.text and "/static/sparql.js" in r.text
    assert "cdn" not in r.text.lower() and "https://" not in r.text.split("<body>")[0]


def test_sparqlwrapper_select_ask_construct(base_url: str) -> None:
    endpoint = SPARQLWrapper(f"{base_url}/sparql")
    endpoint.setQuery("PREFIX gg: <https://w3id.org/govgraph/ontology#>\n" + SIGNERS)
    for fmt in (JSON, XML, CSV):
        endpoint.setReturnFormat(fmt)
        result = endpoint.query().convert()
        if fmt == JSON:
            assert next(b["who"]["value"] for b in result["results"]["bindings"]) == ATLANTIS
        elif fmt == CSV:
            assert ATLANTIS.encode() in result
        else:
            assert result.getElementsByTagName("uri")[0].firstChild.data == ATLANTIS
    endpoint.setMethod("POST")
    endpoint.setReturnFormat(JSON)
    endpoint.setQuery("ASK { id:lemuria gg:signed id:example-declaration }")
    assert endpoint.query().convert()["boolean"] is True
    endpoint.setQuery(CONSTRUCT)
    endpoint.setReturnFormat(TURTLE)
    g = Graph().parse(data=endpoint.query().convert(), format="turtle")
    assert (URIRef(ATLANTIS), None, Literal("Atlantis", lang="en")) in g


def test_rdflib_sparqlstore(base_url: str) -> None:
    graph = Graph(store=SPARQLStore(f"{base_url}/sparql"))
    rows = list(
        graph.query(
            "PREFIX gg: <https://w3id.org/govgraph/ontology#> "
            "PREFIX id: <https://w3id.org/govgraph/id/> "
            "SELECT ?who WHERE { ?who gg:signed id:example-declaration }"
        )
    )
    assert sorted(str(r[0]) for r in rows)[0] == ATLANTIS  # type: ignore[index]
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    assert (URIRef(ATLANTIS), None, None) in graph
    labels = list(
        graph.objects(URIRef(ATLANTIS), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    )
    assert Literal("Atlantis", lang="en") in labels


def test_results_json_is_valid_for_every_example_shape(client: httpx.Client) -> None:
    r = sparql(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    n = json.loads(r.text)["results"]["bindings"][0]["n"]
    assert n["datatype"].endswith("#integer") and int(n["value"]) > 100
