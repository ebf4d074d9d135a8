"""The app as a whole: version on every response, documented routes, reload, a free event loop."""

from __future__ import annotations

import csv
import io
import shutil
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute

from api.app import ROUTERS, VERSION_HEADER, create_app
from graph.build import build
from tests.api.conftest import API_DATA, serve
from tests.conftest import FIXTURE_DATA

ROUTES = [
    "/api/search?q=atlantis",
    "/api/entities/atlantis",
    "/api/paths?from=atlantis&to=lemuria",
    "/api/lineage/example-panel",
    "/api/holders?post=atlantis-foreign-minister",
    "/api/timeline",
    "/api/version",
]
ERRORS = ["/api/entities/nope", "/api/search", "/api/paths?from=a&to=b", "/api/holders?post=x"]


@pytest.mark.parametrize("url", ROUTES + ERRORS)
def test_every_json_response_carries_the_version(client: httpx.Client, url: str) -> None:
    r = client.get(url)
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["version"] == r.headers[VERSION_HEADER] == version(client)


@pytest.mark.parametrize(
    "url", ["/sparql?query=ASK{}", "/id/atlantis", "/api/export?format=nt", "/static/sparql.js"]
)
def test_other_responses_carry_the_version_header(client: httpx.Client, url: str) -> None:
    assert client.get(url).headers[VERSION_HEADER] == version(client)


def version(client: httpx.Client) -> str:
    return str(client.get("/api/version").json()["version"])


def test_openapi_documents_every_route_with_a_summary(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    for route in routes:
        if not route.include_in_schema:
            continue
        path = route.path.replace(":path", "")
        assert path in spec["paths"], f"{route.path} missing from OpenAPI"
        for method in route.methods:
            assert spec["paths"][path][method.lower()].get("summary"), f"{method} {path}"
    for path in ("/api/search", "/api/entities/{id}", "/api/paths", "/api/holders"):
        assert "examples" in str(spec["paths"][path]["get"]), f"{path} has no examples"
    assert client.get("/docs").status_code == 200


def test_readme_documents_every_route_and_serve() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                path = route.path.replace(":path", "").split("{")[0].rstrip("/")
                assert path in readme, f"README does not document {route.path}"
    assert "govgraph serve" in readme


def test_front_door_leads_with_search_and_sparql_is_one_click_away(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and 'id="home-search"' in r.text
    assert 'href="/sparql"' in r.text and 'action="/search"' in r.text
    # the fixture graph has none of the real entities the example questions need
    assert 'class="questions"' not in r.text


@pytest.mark.parametrize(
    ("q", "expected"), [("Atlantis", "/id/atlantis"), ("亞特蘭蒂斯", "/id/atlantis")]
)
def test_search_page_lists_hits_with_links(client: httpx.Client, q: str, expected: str) -> None:
    r = client.get("/search", params={"q": q})
    assert r.status_code == 200 and f'href="{expected}"' in r.text


def test_search_page_says_when_nothing_matches(client: httpx.Client) -> None:
    r = client.get("/search", params={"q": "<b>zzzqqq</b>"})
    assert r.status_code == 200 and 'id="no-hits"' in r.text
    assert "<b>zzzqqq</b>" not in r.text and "&lt;b&gt;zzzqqq&lt;/b&gt;" in r.text


@pytest.mark.parametrize("url", ["/", "/search?q=x", "/sparql", "/id/atlantis", "/id/nothing"])
def test_every_page_has_the_search_box(client: httpx.Client, url: str) -> None:
    page = client.get(url, headers={"Accept": "text/html"})
    assert 'role="search"' in page.text and 'action="/search"' in page.text


def test_reloads_when_a_new_build_becomes_current(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    root = tmp_path / "store"
    build(data, root)
    server = serve(create_app(root, check_interval=0.0))
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            before = version(c)
            assert c.get("/api/entities/mu-island").status_code == 404
            shutil.copy(API_DATA / "extra.yaml", data / "extra.yaml")
            build(data, root)
            r = c.get("/api/entities/mu-island")
            assert r.status_code == 200 and r.headers[VERSION_HEADER] != before
            assert r.json()["version"] == r.headers[VERSION_HEADER]
            hits = c.get("/api/search", params={"q": "Mu Island"}).json()["results"]
            assert hits[0]["id"] == "mu-island"
            ask = c.get("/sparql", params={"query": "ASK { id:mu-island ?p ?o }"})
            assert ask.json()["boolean"] is True
            export = c.get("/api/export", params={"format": "csv"})
            with zipfile.ZipFile(io.BytesIO(export.content)) as zf:
                text = zf.read("edges.csv").decode("utf-8-sig")
            quotes = [row["quotes"] for row in csv.DictReader(io.StringIO(text))]
            assert "'=SUM(1,2) is not a formula here" in quotes
    finally:
        server.stop()


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g gg:evidence ?h }"


def test_a_slow_query_does_not_delay_other_requests(base_url: str) -> None:
    done: dict[str, float] = {}

    def slow() -> None:
        t0 = time.perf_counter()
        httpx.get(f"{base_url}/sparql", params={"query": SLOW}, timeout=60)
        done["slow"] = time.perf_counter() - t0

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.15)
    latencies = []
    with httpx.Client(base_url=base_url) as c:
        for _ in range(5):
            t0 = time.perf_counter()
            assert c.get("/api/search", params={"q": "Atlantis"}).status_code == 200
            latencies.append(time.perf_counter() - t0)
        still_running = thread.is_alive()
    thread.join()
    assert still_running, f"the slow query took only {done['slow']:.2f} s; make it slower"
    assert max(latencies) < 0.25, f"searches waited for the slow query: {latencies}"
