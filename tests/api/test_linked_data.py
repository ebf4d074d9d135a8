"""``GET /id/{slug}``: one IRI, negotiated as an HTML page or as RDF."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from api.pages import templates
from graph.vocab import GG, PROV

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

ATLANTIS = URIRef("https://w3id.org/govgraph/id/atlantis")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_browser_gets_an_html_profile(client: httpx.Client) -> None:
    r = client.get("/id/atlantis", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Accept" in r.headers["vary"]
    assert "<h1>Atlantis" in r.text and "亚特兰蒂斯" in r.text
    assert "Its Example Declaration was signed by Atlantis and Lemuria." in r.text
    assert 'href="/id/example-declaration"' in r.text


def test_html_escapes_data(client: httpx.Client) -> None:
    r = client.get("/id/bo-sample", headers={"Accept": BROWSER})
    assert "<script>alert" not in r.text and "&lt;script&gt;alert(" in r.text
    assert "<b>markup</b>" not in r.text


def test_html_links_only_web_urls() -> None:
    """An imported ``owl:sameAs <javascript:...>`` (SHACL only checks source URLs) is shown
    as text, never as a link a reader could click."""
    profile = {
        "id": "evil",
        "iri": "https://w3id.org/govgraph/id/evil",
        "label": "Evil",
        "labels": {"en": "Evil"},
        "aliases": [],
        "type": "Organization",
        "description": None,
        "sameAs": ["javascript:alert(1)", "http://www.wikidata.org/entity/Q1"],
        "incomplete": [],
        "start": None,
        "end": None,
        "sources": [{"id": "s", "title": "S", "url": "javascript:alert(2)", "quote": None}],
        "relations": [],
        "relations_total": 0,
        "relations_truncated": False,
    }
    html = templates.get_template("entity.html").render(profile=profile, version="v")
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html  # shown, as text
    assert 'href="http://www.wikidata.org/entity/Q1"' in html


@pytest.mark.parametrize(
    ("accept", "format", "media", "parser"),
    [
        ("text/turtle", None, "text/turtle", "turtle"),
        ("application/ld+json", None, "application/ld+json", "json-ld"),
        ("application/n-triples", None, "application/n-triples", "nt"),
        ("application/rdf+xml", None, "application/rdf+xml", "xml"),
        ("*/*", None, "text/turtle", "turtle"),
        (BROWSER, "ttl", "text/turtle", "turtle"),
        (None, "jsonld", "application/ld+json", "json-ld"),
        (None, "nt", "application/n-triples", "nt"),
    ],
)
def test_rdf_by_accept_or_format(
    client: httpx.Client, accept: str | None, format: str | None, media: str, parser: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    params = {"format": format} if format else {}
    r = client.get("/id/atlantis", headers=headers, params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    g = Graph().parse(data=r.content, format=parser)
    assert (ATLANTIS, None, Literal("Atlantis", lang="en")) in g
    assert (ATLANTIS, GG.signed, URIRef("https://w3id.org/govgraph/id/example-declaration")) in g
    statements = set(g.subjects(RDF.subject, ATLANTIS)) | set(g.subjects(RDF.object, ATLANTIS))
    assert statements and all((st, GG.reference, None) in g for st in statements)
    refs = {r for st in statements for r in g.objects(st, GG.reference)}
    assert all((ref, PROV.wasDerivedFrom, None) in g for ref in refs)
    assert any(g.objects(None, GG.quote))
    assert any("An example article" in str(t) for t in g.objects())


def test_unknown_id(client: httpx.Client) -> None:
    page = client.get("/id/no-such-thing", headers={"Accept": BROWSER})
    assert page.status_code == 404 and "no-such-thing" in page.text
    data = client.get("/id/no-such-thing", headers={"Accept": "text/turtle"})
    assert data.status_code == 404 and data.json()["id"] == "no-such-thing"


def test_bad_format_is_422(client: httpx.Client) -> None:
    r = client.get("/id/atlantis", params={"format": "yaml"})
    assert r.status_code == 422 and "yaml" in r.json()["detail"]
