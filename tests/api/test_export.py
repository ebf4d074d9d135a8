"""``GET /api/export``: the whole graph as RDF, GraphML (Gephi) and CSV (spreadsheets)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import httpx
import networkx as nx
import pytest
from rdflib import Graph

from api.exports import neutralise

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.mark.parametrize(
    ("format", "media", "parser"),
    [
        ("ttl", "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdf", "application/rdf+xml", "xml"),
    ],
)
def test_rdf_exports_hold_every_triple(
    client: httpx.Client, format: str, media: str, parser: str
) -> None:
    r = client.get("/api/export", params={"format": format})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert f".{format}" in r.headers["content-disposition"]
    assert r.headers["X-Govgraph-Version"] in r.headers["content-disposition"]
    count = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert len(Graph().parse(data=r.content, format=parser)) == int(count)


def test_nquads_export(client: httpx.Client) -> None:
    r = client.get("/api/export", params={"format": "nq"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/n-quads")
    # the dataset has only the default graph, so every quad is a plain triple line
    assert len(Graph().parse(data=r.content, format="nt")) > 100


def test_graphml_opens_with_labels_and_types(client: httpx.Client, tmp_path: Path) -> None:
    r = client.get("/api/export", params={"format": "graphml"})
    assert r.status_code == 200
    path = tmp_path / "g.graphml"
    path.write_bytes(r.content)
    g = nx.read_graphml(path)
    assert g.nodes["atlantis"]["label"] == "Atlantis" and g.nodes["atlantis"]["type"] == "Country"
    assert g.number_of_nodes() == 9 and g.number_of_edges() == 11
    edge = next(d for s, o, d in g.edges(data=True) if d["predicate"] == "buildsOn")
    assert edge["label"] == "builds on" and edge["influence"] is True
    assert edge["start"] == "2025" and "example-article" in edge["sources"]
    # Gephi reads attribute declarations (<key attr.name=... attr.type=...>) and edge ids
    root = ElementTree.fromstring(r.content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    names = {(k.get("for"), k.get("attr.name")) for k in root.findall("g:key", ns)}
    assert {("node", "label"), ("node", "type"), ("edge", "predicate")} <= names
    assert all(e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge"))


def test_csv_zip_has_nodes_and_edges(client: httpx.Client) -> None:
    r = client.get("/api/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        nodes = list(csv.DictReader(io.StringIO(zf.read("nodes.csv").decode("utf-8-sig"))))
        edges = list(csv.DictReader(io.StringIO(zf.read("edges.csv").decode("utf-8-sig"))))
    assert len(nodes) == 9 and len(edges) == 11
    bo = next(n for n in nodes if n["id"] == "bo-sample")
    assert bo["type"] == "Person" and bo["iri"].endswith("/bo-sample")
    signed = next(e for e in edges if e["predicate"] == "signed" and e["source"] == "atlantis")
    assert signed["quotes"] == "Its Example Declaration was signed by Atlantis and Lemuria."


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(1,2)", "'=SUM(1,2)"),
        ("+44 20", "'+44 20"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("Atlantis", "Atlantis"),
        ("2024-06-30", "2024-06-30"),
        (None, ""),
        (True, "True"),
    ],
)
def test_neutralise_formula_cells(value: object, cell: str) -> None:
    assert neutralise(value) == cell


def test_bad_format_is_422(client: httpx.Client) -> None:
    r = client.get("/api/export", params={"format": "xlsx"})
    assert r.status_code == 422 and "'format'" in r.json()["detail"]
