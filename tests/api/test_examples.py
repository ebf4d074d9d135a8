"""The query page's example questions: each one returns rows on the real data/ build."""

from __future__ import annotations

import httpx
import pytest

from api.examples import EXAMPLES, Example
from tests.api.conftest import LiveServer


def test_there_are_at_least_twelve_distinct_examples() -> None:
    assert len(EXAMPLES) >= 12
    assert len({e.id for e in EXAMPLES}) == len(EXAMPLES)
    assert len({e.query for e in EXAMPLES}) == len(EXAMPLES)


def test_the_page_offers_every_example(client: httpx.Client) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    for example in EXAMPLES:
        assert f'data-example="{example.id}"' in page


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example_returns_rows_on_the_real_data(real_live: LiveServer, example: Example) -> None:
    r = httpx.get(
        f"{real_live.url}/sparql",
        params={"query": example.query},
        headers={"Accept": "application/sparql-results+json, application/n-triples;q=0.9"},
        timeout=60,
    )
    assert r.status_code == 200, f"{example.id}: {r.text}"
    if r.headers["content-type"].startswith("application/n-triples"):
        assert r.text.strip(), f"{example.id} built an empty graph"
        return
    body = r.json()
    if "boolean" in body:
        assert body["boolean"] is True, f"{example.id} answered false"
    else:
        assert body["results"]["bindings"], f"{example.id} returned no rows on data/"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("李强", "li-qiang"),
        ("AISI", "uk-ai-safety-institute"),
        ("Bletchly", "bletchley-declaration"),
    ],
)
def test_real_search(real_live: LiveServer, q: str, expected: str) -> None:
    r = httpx.get(f"{real_live.url}/api/search", params={"q": q, "limit": 5}, timeout=30)
    assert expected in [hit["id"] for hit in r.json()["results"]]


@pytest.mark.slow
def test_real_holder_of_uk_foreign_secretary(real_live: LiveServer) -> None:
    params = {"post": "uk-foreign-secretary", "date": "2024-10-18"}
    body = httpx.get(f"{real_live.url}/api/holders", params=params, timeout=30).json()
    assert [h["person"]["id"] for h in body["holders"]] == ["david-lammy"]
    assert all(h["sources"] for h in body["holders"])


def test_real_timeline_places_an_undated_visit_at_the_visits_dates(real_live: LiveServer) -> None:
    params = {"entity": "david-lammy", "from": "2024-10", "to": "2024-10"}
    body = httpx.get(f"{real_live.url}/api/timeline", params=params, timeout=30).json()
    visits = [i for i in body["items"] if i.get("object", {}).get("id") == "lammy-china-visit-2024"]
    assert visits and visits[0]["predicate"] == "attended"
    assert visits[0]["date"].startswith("2024-10")
