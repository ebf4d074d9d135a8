"""``GET /api/entities/{id}``: a profile with every relation in both directions, cited."""

from __future__ import annotations

import httpx
import pytest

CONTRACT_KEYS = {
    "id",
    "iri",
    "label",
    "labels",
    "aliases",
    "type",
    "description",
    "sameAs",
    "start",
    "end",
    "relations",
}
RELATION_KEYS = {"predicate", "label", "direction", "other", "start", "end", "evidence", "sources"}


def profile(client: httpx.Client, ident: str, **params: object) -> dict[str, object]:
    r = client.get(f"/api/entities/{ident}", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def test_profile_has_the_contract_fields(client: httpx.Client) -> None:
    p = profile(client, "atlantis")
    assert set(p) >= CONTRACT_KEYS
    assert p["iri"] == "https://w3id.org/govgraph/id/atlantis"
    assert p["labels"] == {"en": "Atlantis", "zh-Hans": "亚特兰蒂斯"}
    assert p["aliases"] == ["Republic of Atlantis", "RoA"]
    assert p["type"] == "Country" and p["description"] == "A fictional country."
    assert p["sources"][0]["id"] == "example-article"  # type: ignore[index]


def test_accepts_the_full_iri(client: httpx.Client) -> None:
    assert profile(client, "https://w3id.org/govgraph/id/lemuria")["id"] == "lemuria"


def test_relations_both_directions_with_human_labels(client: httpx.Client) -> None:
    decl = profile(client, "example-declaration")
    relations = decl["relations"]
    assert isinstance(relations, list)
    assert all(set(r) >= RELATION_KEYS for r in relations)
    signed_by = sorted(r["other"]["id"] for r in relations if r["label"] == "signed by")
    assert signed_by == ["atlantis", "lemuria"]
    assert {r["direction"] for r in relations} == {"in", "out"}
    out = next(r for r in relations if r["predicate"] == "issuedAt")
    assert out["direction"] == "out" and out["label"] == "issued at"


def test_sources_show_on_both_ends_with_quote(client: httpx.Client) -> None:
    quote = "Its Example Declaration was signed by Atlantis and Lemuria."
    for ident, label in (("atlantis", "signed"), ("example-declaration", "signed by")):
        rel = next(
            r
            for r in profile(client, ident)["relations"]  # type: ignore[union-attr]
            if r["label"] == label and "atlantis" in (ident, r["other"]["id"])
        )
        assert rel["sources"][0]["quote"] == quote
        assert rel["sources"][0]["url"] == "https://example.org/article"
        assert rel["start"] == "2023-03-01" and rel["evidence"] == "reported"


def test_entity_dates_and_tenure_dates(client: httpx.Client) -> None:
    summit = profile(client, "example-summit")
    assert (summit["start"], summit["end"]) == ("2023-03-01", "2023-03-02")
    ada = profile(client, "ada-example")
    tenures = sorted((r["start"], r["end"]) for r in ada["relations"])  # type: ignore[union-attr]
    assert tenures == [("2019-01", "2019-06"), ("2020-01-15", "2024-06-30")]


def test_relations_are_paginated(client: httpx.Client) -> None:
    full = profile(client, "atlantis")
    total = full["relations_total"]
    assert isinstance(total, int) and total >= 4
    assert full["relations_truncated"] is False
    pages = [
        profile(client, "atlantis", relations_offset=o, relations_limit=2)
        for o in range(0, total, 2)
    ]
    assert pages[0]["relations_truncated"] is True and pages[-1]["relations_truncated"] is False
    joined = [r for page in pages for r in page["relations"]]  # type: ignore[attr-defined]
    assert joined == full["relations"]


def test_unknown_id_is_a_json_404_naming_it(client: httpx.Client) -> None:
    r = client.get("/api/entities/no-such-body")
    assert r.status_code == 404
    body = r.json()
    assert body["id"] == "no-such-body" and "no-such-body" in body["detail"]
    assert body["version"] == r.headers["X-Govgraph-Version"]


@pytest.mark.parametrize(
    "params", [{"relations_limit": 0}, {"relations_limit": 5000}, {"relations_offset": -1}]
)
def test_bad_paging_is_422(client: httpx.Client, params: dict[str, int]) -> None:
    r = client.get("/api/entities/atlantis", params=params)
    assert r.status_code == 422 and "relations_" in r.json()["detail"]


def test_partial_lists_and_single_sources_are_said(client: httpx.Client) -> None:
    body = client.get("/api/entities/example-declaration").json()
    assert body["incomplete"] == [{"predicate": "signed", "label": "signed by"}]
    assert all(r["single_source"] for r in body["relations"])
    page = client.get("/id/example-declaration", headers={"Accept": "text/html"}).text
    assert 'class="note partial-list"' in page and "signed by" in page
    assert "single source" in page
    assert client.get("/api/entities/atlantis").json()["incomplete"] == []


def test_evidence_filter_on_profiles(client: httpx.Client) -> None:
    every = client.get("/api/entities/atlantis-foreign-minister").json()["relations"]
    documented = client.get(
        "/api/entities/atlantis-foreign-minister", params={"evidence": "documented"}
    ).json()["relations"]
    assert documented and all(r["evidence"] == "documented" for r in documented)
    assert len(documented) <= len(every)
    reported = client.get("/api/entities/atlantis", params={"evidence": "documented"}).json()
    assert all(r["evidence"] == "documented" for r in reported["relations"])
