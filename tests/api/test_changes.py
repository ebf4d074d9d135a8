"""``GET /api/changes``, ``GET /changes.atom`` and ``first_version`` in profiles, over a store
built from the fixture and rebuilt after a week of edits (``tests/changes_edits.py``)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from graph.build import build
from graph.claims import claim_key
from tests.changes_edits import EXPECTED, NEW_LABEL, edit_week
from tests.conftest import FIXTURE_DATA
from tests.live import serve

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class Served:
    client: httpx.Client
    old: str
    new: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("changes")
    shutil.copytree(FIXTURE_DATA, tmp / "data")
    old = build(tmp / "data", tmp / "store").manifest["version"]
    edit_week(tmp / "data")
    new = build(tmp / "data", tmp / "store").manifest["version"]
    server = serve(create_app(tmp / "store", check_interval=0.0))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield Served(client, old, new)
    server.stop()


def changes(served: Served, **params: str) -> httpx.Response:
    return served.client.get("/api/changes", params=params)


# --- /api/changes --------------------------------------------------------------------------


def test_changes_since_a_version_go_to_the_build_served(served: Served) -> None:
    body = changes(served, since=served.old).json()
    assert (body["from"]["version"], body["to"]["version"]) == (served.old, served.new)
    assert body["version"] == served.new and body["to"]["built_at"]
    found = {(i["kind"], i["change"], i["id"]): tuple(i["fields"]) for i in body["items"]}
    assert found == EXPECTED


def test_a_claim_item_has_its_triple_in_words_dates_and_sources(served: Served) -> None:
    key = claim_key("narnia", "signed", "example-declaration")
    item = next(i for i in changes(served, since=served.old).json()["items"] if i["id"] == key)
    assert item["subject"] == {"id": "narnia", "label": "Narnia", "type": "Country"}
    assert (item["predicate"], item["predicate_label"]) == ("signed", "signed")
    assert item["object"]["label"] == "Example Declaration"
    assert (item["start"], item["evidence"]) == ("2023-03-01", "documented")
    assert item["sources"][0]["title"] == "Example registry of offices"


def test_a_changed_item_has_before_and_after(served: Served) -> None:
    item = next(
        i for i in changes(served, since=served.old).json()["items"] if i["id"] == "lemuria"
    )
    assert (item["before"], item["after"]) == ({"label": "Lemuria"}, {"label": NEW_LABEL})


def test_since_a_date_picks_the_latest_build_at_or_before_it(served: Served) -> None:
    body = changes(served, since="2999-01-01").json()  # the latest build: nothing since
    assert body["from"]["version"] == served.new and body["items"] == []


def test_until_names_the_newer_build(served: Served) -> None:
    body = changes(served, since=served.new[:8], until=served.old).json()
    assert body["to"]["version"] == served.old
    assert ("entity", "added", "bo-sample") in {
        (i["kind"], i["change"], i["id"]) for i in body["items"]
    }


def test_entity_keeps_its_changes_even_once_removed(served: Served) -> None:
    for entity, expected in [
        ("lemuria", {("entity", "changed"), ("claim", "removed")}),
        ("https://w3id.org/govgraph/id/bo-sample", {("entity", "removed"), ("claim", "removed")}),
        ("example-summit", {("claim", "changed")}),
    ]:
        body = changes(served, since=served.old, entity=entity).json()
        assert {(i["kind"], i["change"]) for i in body["items"]} == expected, entity
        assert body["entity"] == entity.rsplit("/", 1)[-1]


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"since": "ffffffffffff"}, 404, "query parameter 'since'"),
        ({"since": "1999-01-01"}, 404, "no build at or before 1999-01-01"),
        ({"since": "OLD", "until": "nope"}, 404, "query parameter 'until'"),
        ({"since": "OLD", "entity": "nobody"}, 404, "unknown entity 'nobody'"),
        ({}, 422, "query parameter 'since'"),
    ],
)
def test_errors_name_the_parameter(
    served: Served, params: dict[str, str], status: int, says: str
) -> None:
    params = {k: served.old if v == "OLD" else v for k, v in params.items()}
    r = changes(served, **params)
    assert r.status_code == status and says in r.json()["detail"]


# --- /changes.atom -------------------------------------------------------------------------


def feed(served: Served, **params: str) -> ET.Element:
    r = served.client.get("/changes.atom", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    return ET.fromstring(r.content)


def test_the_feed_is_atom_with_one_entry_per_build_newest_first(served: Served) -> None:
    root = feed(served)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}content") is not None or entry.find(f"{ATOM}link") is not None
    newest = entries[0]
    assert served.new in newest.findtext(f"{ATOM}title", "")
    assert root.findtext(f"{ATOM}updated") == newest.findtext(f"{ATOM}updated")


def test_an_entry_lists_changes_with_links_to_id_pages_and_escaped_labels(served: Served) -> None:
    content = feed(served).find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.get("type") == "html"
    html = content.text or ""
    assert "/id/narnia" in html and "Example registry of offices" in html
    assert "Lemuria &lt;b&gt;Republic&lt;/b&gt; &amp; Co" in html  # data, never markup
    assert "<b>Republic" not in html


def test_entry_ids_are_stable(served: Served) -> None:
    ids = [e.findtext(f"{ATOM}id") for e in feed(served).findall(f"{ATOM}entry")]
    assert ids == [e.findtext(f"{ATOM}id") for e in feed(served).findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)


def test_a_per_entity_feed_lists_only_its_changes(served: Served) -> None:
    root = feed(served, entity="atlantis-foreign-minister")
    assert "Atlantis Foreign Minister" in (root.findtext(f"{ATOM}title") or "")
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"].endswith("/changes.atom?entity=atlantis-foreign-minister")
    assert links["alternate"].endswith("/id/atlantis-foreign-minister")
    (entry,) = root.findall(f"{ATOM}entry")
    html = entry.findtext(f"{ATOM}content") or ""
    assert "Bo Sample" in html and "Narnia" not in html
    assert feed(served, entity="narnia").findall(f"{ATOM}entry")


def test_a_feed_for_an_unknown_entity_is_a_404(served: Served) -> None:
    r = served.client.get("/changes.atom", params={"entity": "nobody"})
    assert r.status_code == 404 and "nobody" in r.json()["detail"]


def test_the_entity_page_links_its_feed(served: Served) -> None:
    page = served.client.get("/id/atlantis", headers={"Accept": "text/html"}).text
    assert 'type="application/atom+xml" href="/changes.atom?entity=atlantis"' in page


# --- first_version in profiles -------------------------------------------------------------


def test_each_relation_says_in_which_version_it_first_appeared(served: Served) -> None:
    rows = served.client.get("/api/entities/example-declaration").json()["relations"]
    first = {r["other"]["id"]: r["first_version"] for r in rows if r["predicate"] == "signed"}
    assert first == {"atlantis": served.old, "narnia": served.new}
    assert all(r["first_version_built_at"] for r in rows)


def test_a_store_without_history_has_no_first_version_and_no_changes(tmp_path: Path) -> None:
    build(FIXTURE_DATA, tmp_path / "store")
    shutil.rmtree(tmp_path / "store" / "history")  # a store built before history was kept
    server = serve(create_app(tmp_path / "store", check_interval=0.0))
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            rows = client.get("/api/entities/atlantis").json()["relations"]
            assert rows and all(r["first_version"] is None for r in rows)
            r = client.get("/api/changes", params={"since": "2024-01-01"})
            assert r.status_code == 404 and "no history yet" in r.json()["detail"]
            empty = ET.fromstring(client.get("/changes.atom").content)  # still a valid feed
            assert empty.tag == f"{ATOM}feed" and not empty.findall(f"{ATOM}entry")
    finally:
        server.stop()
