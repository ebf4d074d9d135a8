"""``GET /api/paths`` and ``GET /api/lineage/{id}``: cited, dated hops between entities."""

from __future__ import annotations

import httpx
import pytest

HOP_KEYS = {"subject", "predicate", "object", "start", "sources", "claim", "walked", "cites"}


def test_paths_are_ranked_explanations_with_narrative_and_references(
    client: httpx.Client,
) -> None:
    r = client.get("/api/paths", params={"from": "example-panel", "to": "lemuria"})
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert paths and all(0 < p["score"] <= 1 and p["reasons"] for p in paths)
    assert [p["cost"] for p in paths][:1] == [min(p["cost"] for p in paths)]
    first = paths[0]["hops"]
    assert all(set(h) >= HOP_KEYS for h in first)
    assert first[0]["subject"] == "example-panel" and first[0]["label"] == "builds on"
    assert first[0]["sources"][0]["quote"] == "The Example Panel builds on that report."
    numbers = [n for hop in first for n in hop["cites"]]
    assert [ref["n"] for ref in paths[0]["references"]] == sorted(set(numbers))
    assert all(f"[{n}]" in paths[0]["narrative"] for n in numbers)
    assert paths[0]["references"][0]["publisher"] == "Example Press"


def test_no_path_says_why(client: httpx.Client) -> None:
    body = client.get(
        "/api/paths", params={"from": "example-panel", "to": "lemuria", "max_hops": 1}
    ).json()
    assert body["paths"] == [] and "no connection within 1 hops" in body["hint"]


def test_influence_only_and_chronological(client: httpx.Client) -> None:
    params = {
        "from": "example-summit",
        "to": "example-panel",
        "influence_only": "true",
        "chronological": "true",
    }
    body = client.get("/api/paths", params=params).json()
    hops = body["paths"][0]["hops"]
    assert [(h["subject"], h["predicate"], h["object"]) for h in hops] == [
        ("example-report", "commissionedBy", "example-summit"),
        ("example-panel", "buildsOn", "example-report"),
    ]
    assert all(h["influence"] for h in hops)
    assert body["influence_only"] is True and body["chronological"] is True


def test_max_hops_bounds_paths(client: httpx.Client) -> None:
    params = {"from": "example-panel", "to": "lemuria", "max_hops": 1}
    assert client.get("/api/paths", params=params).json()["paths"] == []


def test_paths_accept_iris(client: httpx.Client) -> None:
    base = "https://w3id.org/govgraph/id/"
    params = {"from": base + "atlantis", "to": base + "example-summit"}
    body = client.get("/api/paths", params=params).json()
    assert body["from"]["id"] == "atlantis" and body["paths"][0]["length"] == 1


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ({"from": "nowhere", "to": "lemuria"}, 404, "nowhere"),
        ({"from": "atlantis", "to": "nowhere"}, 404, "nowhere"),
        ({"from": "atlantis"}, 422, "'to'"),
        ({"from": "atlantis", "to": "lemuria", "max_hops": 0}, 422, "'max_hops'"),
        ({"from": "atlantis", "to": "lemuria", "max_hops": 7}, 422, "'max_hops'"),
        ({"from": "atlantis", "to": "lemuria", "chronological": "maybe"}, 422, "chronological"),
    ],
)
def test_path_errors(
    client: httpx.Client, params: dict[str, object], status: int, text: str
) -> None:
    r = client.get("/api/paths", params=params)
    assert r.status_code == status and text in r.json()["detail"]


def test_lineage_upstream_and_downstream(client: httpx.Client) -> None:
    up = client.get("/api/lineage/example-panel").json()
    assert [n["id"] for n in up["nodes"]][:2] == ["example-panel", "example-report"]
    distances = {n["id"]: n["distance"] for n in up["nodes"]}
    assert distances["example-report"] == 1 and distances["example-summit"] == 2
    assert all(e["lineage"] and e["sources"] and e["claim"] for e in up["edges"])
    down = client.get(
        "/api/lineage/example-summit", params={"direction": "downstream", "depth": 1}
    ).json()
    # the report it commissioned (influence) and the declaration issued at it (origin)
    assert {n["id"] for n in down["nodes"]} == {
        "example-summit",
        "example-report",
        "example-declaration",
    }


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/lineage/nowhere", 404),
        ("/api/lineage/example-panel?direction=sideways", 422),
        ("/api/lineage/example-panel?depth=0", 422),
        ("/api/lineage/example-panel?depth=99", 422),
    ],
)
def test_lineage_errors(client: httpx.Client, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status and r.json()["detail"]
