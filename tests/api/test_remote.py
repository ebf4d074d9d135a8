"""The app served on a remote SPARQL store (Virtuoso on 127.0.0.1): the same routes answer the
same way as on the embedded store, and a new remote build is picked up without a restart."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from graph.build import build_remote
from tests.conftest import FIXTURE_DATA
from tests.live import serve

GRAPH = "https://w3id.org/govgraph/graph/api-remote-test"  # not the store tests' graph


@pytest.fixture(scope="module")
def spec(virtuoso_endpoint: str) -> str:
    spec = f"sparql+{virtuoso_endpoint}#{GRAPH}"
    build_remote(FIXTURE_DATA, spec)
    return spec


@pytest.fixture(scope="module")
def remote(spec: str) -> Iterator[httpx.Client]:
    server = serve(create_app(spec, check_interval=0.0))
    with httpx.Client(base_url=server.url, timeout=30, trust_env=False) as client:
        yield client
    server.stop()


def test_search_and_profile(remote: httpx.Client) -> None:
    hits = remote.get("/api/search", params={"q": "RoA"}).json()["results"]
    assert hits[0]["id"] == "atlantis"
    profile = remote.get("/api/entities/atlantis").json()
    assert profile["labels"]["zh-Hans"] == "亚特兰蒂斯"
    assert {r["other"]["id"] for r in profile["relations"]} >= {"example-summit", "example-report"}


def test_paths_and_holders(remote: httpx.Client) -> None:
    paths = remote.get(
        "/api/paths",
        params={"from": "example-summit", "to": "example-panel", "influence_only": "true"},
    ).json()["paths"]
    assert [h["predicate"] for h in paths[0]["hops"]] == ["commissionedBy", "buildsOn"]
    holders = remote.get(
        "/api/holders", params={"post": "atlantis-foreign-minister", "date": "2024-07-01"}
    ).json()["holders"]
    assert [h["person"]["id"] for h in holders] == ["bo-sample"]


def test_sparql_endpoint(remote: httpx.Client) -> None:
    response = remote.get(
        "/sparql",
        params={"query": "SELECT ?who WHERE { ?who gg:signed id:example-declaration }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    rows = response.json()["results"]["bindings"]
    assert len(rows) == 2


def test_new_remote_build_is_served_without_restart(
    remote: httpx.Client, spec: str, tmp_path: Path
) -> None:
    before = remote.get("/api/version").json()["version"]
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    extra = (
        "entities:\n  - id: mu\n    type: Country\n    label: Mu\n"
        "    sources: [example-article]\nstatements:\n  - subject: mu\n    predicate: signed\n"
        "    object: example-declaration\n    source: example-article\n    evidence: reported\n"
    )
    (data / "extra.yaml").write_text(extra, encoding="utf-8")
    build_remote(data, spec)
    response = remote.get("/api/search", params={"q": "Mu"})
    assert response.json()["results"][0]["id"] == "mu"
    assert response.headers["X-Govgraph-Version"] != before


def test_remote_server_is_never_asked_to_contact_another_host(remote: httpx.Client) -> None:
    for query in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/x.ttl>",
    ):
        response = remote.get("/sparql", params={"query": query})
        assert response.status_code == 400, query
        assert "not allowed" in response.text
