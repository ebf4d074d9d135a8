"""``GET /api/holders`` and ``GET /api/timeline``: tenures and dated items, partial dates."""

from __future__ import annotations

import httpx
import pytest

POST = "atlantis-foreign-minister"


@pytest.mark.parametrize(
    ("date", "holders"),
    [
        ("2019-03-10", ["ada-example"]),  # inside a month-precision tenure
        ("2019", ["ada-example"]),  # a year overlaps the 2019-01..2019-06 tenure
        ("2019-09", []),  # between Ada's two tenures
        ("2022-05-01", ["ada-example"]),
        ("2024-06-30", ["ada-example", "bo-sample"]),  # handover day: both
        ("2025", ["bo-sample"]),  # open-ended tenure
        ("1990", []),
    ],
)
def test_holders_on_a_date(client: httpx.Client, date: str, holders: list[str]) -> None:
    r = client.get("/api/holders", params={"post": POST, "date": date})
    assert r.status_code == 200
    body = r.json()
    assert [h["person"]["id"] for h in body["holders"]] == holders
    assert body["post"] == {"id": POST, "label": "Atlantis Foreign Minister"}
    assert body["date"] == date


def test_all_holders_in_order_with_sources(client: httpx.Client) -> None:
    body = client.get("/api/holders", params={"post": POST}).json()
    assert [(h["person"]["id"], h["start"]) for h in body["holders"]] == [
        ("ada-example", "2019-01"),
        ("ada-example", "2020-01-15"),
        ("bo-sample", "2024-06-30"),
    ]
    assert body["date"] is None
    assert body["holders"][0]["sources"][0]["title"] == "Example registry of offices"


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ({"post": "no-such-post"}, 404, "no-such-post"),
        ({"post": "atlantis"}, 422, "not a Post"),
        ({"post": POST, "date": "2024-13-01"}, 422, "month 13"),
        ({"post": POST, "date": "yesterday"}, 422, "'date'"),
        ({}, 422, "'post'"),
    ],
)
def test_holder_errors(
    client: httpx.Client, params: dict[str, str], status: int, text: str
) -> None:
    r = client.get("/api/holders", params=params)
    assert r.status_code == status and text in r.json()["detail"]


def test_timeline_in_time_order_with_sources(client: httpx.Client) -> None:
    body = client.get("/api/timeline").json()
    dates = [item["date"] for item in body["items"]]
    assert body["total"] == len(dates) > 5
    assert dates[0].startswith("2019") and dates[-1] == "2025"
    kinds = {item["kind"] for item in body["items"]}
    assert kinds == {"entity", "claim"}
    assert all(item["claim"] for item in body["items"] if item["kind"] == "claim")
    assert all(item["sources"] for item in body["items"])


def test_timeline_for_an_entity_and_range(client: httpx.Client) -> None:
    body = client.get(
        "/api/timeline", params={"entity": "atlantis", "from": "2023-03", "to": "2023-03"}
    ).json()
    assert body["entity"]["id"] == "atlantis"
    assert [(i["predicate"], i["object"]["id"]) for i in body["items"]] == [
        ("hosted", "example-summit"),  # 2023-03 and 2023-03-01 start the same day
        ("signed", "example-declaration"),
    ]
    summit = client.get("/api/timeline", params={"entity": "example-summit"}).json()
    assert summit["items"][0]["kind"] == "entity"
    assert summit["items"][0]["entity"]["id"] == "example-summit"


def test_timeline_paging(client: httpx.Client) -> None:
    page = client.get("/api/timeline", params={"limit": 2, "offset": 1}).json()
    assert len(page["items"]) == 2 and page["truncated"] is True and page["offset"] == 1


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"entity": "nowhere"}, 404),
        ({"from": "2024-02-30"}, 422),
        ({"from": "2025", "to": "2024"}, 422),
        ({"limit": 0}, 422),
    ],
)
def test_timeline_errors(client: httpx.Client, params: dict[str, str], status: int) -> None:
    r = client.get("/api/timeline", params=params)
    assert r.status_code == status and r.json()["detail"]
