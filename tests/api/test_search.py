"""``GET /api/search``: any name a journalist types finds the entity, ranked sensibly."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    ("q", "first", "matched"),
    [
        ("Atlantis", "atlantis", "Atlantis"),  # exact English label
        ("atlantis", "atlantis", "Atlantis"),  # case-insensitive
        ("亚特兰蒂斯", "atlantis", "亚特兰蒂斯"),  # Chinese label
        ("RoA", "atlantis", "RoA"),  # acronym
        ("Republic of Atlantis", "atlantis", "Republic of Atlantis"),  # alias
        ("Atlantsi", "atlantis", "Atlantis"),  # misspelling
        ("Exmaple Summit", "example-summit", "Example Summit"),  # misspelled alias
        ("艾达", "ada-example", "艾达"),
    ],
)
def test_finds_by_any_name(client: httpx.Client, q: str, first: str, matched: str) -> None:
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200
    top = r.json()["results"][0]
    assert (top["id"], top["matched"]) == (first, matched)
    assert set(top) == {"id", "label", "type", "description", "score", "matched"}


def test_exact_label_beats_alias_beats_fuzzy(client: httpx.Client) -> None:
    exact = client.get("/api/search", params={"q": "Atlantis"}).json()["results"][0]["score"]
    alias = client.get("/api/search", params={"q": "RoA"}).json()["results"][0]["score"]
    fuzzy = client.get("/api/search", params={"q": "Atlantsi"}).json()["results"][0]["score"]
    assert exact > alias > fuzzy


@pytest.mark.parametrize("q", ["Broadway", "Lemurian Broads"])
def test_a_short_name_inside_a_longer_word_is_not_a_match(client: httpx.Client, q: str) -> None:
    """'RoA' inside 'Broadway' is a fragment, not a misspelling (as 'UN' in 'Sunak')."""
    results = client.get("/api/search", params={"q": q}).json()["results"]
    assert "RoA" not in [hit["matched"] for hit in results]


def test_a_short_name_as_a_word_of_the_query_still_matches(client: httpx.Client) -> None:
    results = client.get("/api/search", params={"q": "RoA capital"}).json()["results"]
    assert [hit["id"] for hit in results][:1] == ["atlantis"]


def test_type_filter_admits_subclasses(client: httpx.Client) -> None:
    r = client.get("/api/search", params={"q": "Atlantis", "type": "Post"}).json()
    assert [hit["id"] for hit in r["results"]] == ["atlantis-foreign-minister"]
    events = client.get("/api/search", params={"q": "Example", "type": "Event"}).json()
    assert {hit["type"] for hit in events["results"]} == {"Summit"}


def test_limit_and_version(client: httpx.Client) -> None:
    r = client.get("/api/search", params={"q": "example", "limit": 1})
    body = r.json()
    assert len(body["results"]) == 1
    assert body["version"] == r.headers["X-Govgraph-Version"]


def test_no_match_is_an_empty_list(client: httpx.Client) -> None:
    assert client.get("/api/search", params={"q": "zzzzqqqq"}).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, "'q'"),
        ({"q": ""}, "'q'"),
        ({"q": "   "}, "'q'"),
        ({"q": "x", "type": "Sumit"}, "unknown class 'Sumit'"),
        ({"q": "x", "limit": 0}, "'limit'"),
        ({"q": "x", "limit": 101}, "'limit'"),
        ({"q": "x", "limit": "ten"}, "'limit'"),
        ({"q": "x" * 201}, "'q'"),
    ],
)
def test_bad_parameters_are_422_with_a_message(
    client: httpx.Client, params: dict[str, object], names: str
) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_parameter" and names in body["detail"]
    assert body["version"]
