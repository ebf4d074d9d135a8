"""``/reconcile``: the W3C Reconciliation Service API (v0.2) that OpenRefine speaks.

First the protocol on the fixture graph (manifest, query batches, type and property
constraints, suggest, preview, data extension, bad input), each response checked against the
shape the spec's JSON schemas require; then a round of real queries on the real data.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.schema import load_schema
from tests.live import LiveServer

SCHEMA = load_schema()


# --- the shapes the spec's JSON schemas require ---------------------------------------------


def assert_manifest(m: dict[str, Any]) -> None:
    assert "0.2" in m["versions"]
    assert isinstance(m["name"], str) and m["name"]
    assert m["identifierSpace"] == "https://w3id.org/govgraph/id/"
    assert m["schemaSpace"] == "https://w3id.org/govgraph/ontology#"
    assert "{{id}}" in m["view"]["url"] and "{{id}}" in m["preview"]["url"]
    assert isinstance(m["preview"]["width"], int) and isinstance(m["preview"]["height"], int)
    ids = [t["id"] for t in m["defaultTypes"]]
    assert len(ids) == len(set(ids)) and set(ids) <= set(SCHEMA.classes)
    for kind in ("entity", "type", "property"):
        assert set(m["suggest"][kind]) == {"service_url", "service_path"}
    assert set(m["extend"]["propose_properties"]) == {"service_url", "service_path"}


def assert_result_batch(batch: dict[str, Any], keys: set[str]) -> None:
    assert set(batch) == keys  # nothing but the query keys: each value must be a result
    for result in batch.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True)
        for c in result["result"]:
            assert isinstance(c["id"], str) and isinstance(c["name"], str)
            assert isinstance(c["score"], int | float) and isinstance(c["match"], bool)
            assert all({"id", "name"} <= set(t) for t in c["type"])
            assert isinstance(c.get("description", ""), str)
            assert all(isinstance(f["value"], int | float) for f in c["features"])


def assert_suggest(body: dict[str, Any]) -> None:
    assert all(isinstance(i["id"], str) and isinstance(i["name"], str) for i in body["result"])


def assert_extension(body: dict[str, Any], ids: list[str], pids: list[str]) -> None:
    assert [m["id"] for m in body["meta"]] == pids and all(m["name"] for m in body["meta"])
    assert list(body["rows"]) == ids
    for row in body["rows"].values():
        assert list(row) == pids
        for values in row.values():
            for v in values:
                assert set(v) in ({"str"}, {"id", "name"})


def reconcile(client: httpx.Client, queries: dict[str, Any]) -> dict[str, Any]:
    """POST a batch as OpenRefine does: a form field ``queries`` holding JSON."""
    r = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert_result_batch(body, set(queries))
    return body


def ids(result: dict[str, Any]) -> list[str]:
    return [c["id"] for c in result["result"]]


# --- manifest ---------------------------------------------------------------------------------


def test_manifest_has_the_shape_of_the_spec(client: httpx.Client) -> None:
    r = client.get("/reconcile")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    m = r.json()
    assert_manifest(m)
    assert m["view"]["url"].endswith("/id/{{id}}")
    assert {"Person", "Organization", "Document"} <= {t["id"] for t in m["defaultTypes"]}
    assert m["version"] == r.headers["X-Govgraph-Version"]


def test_every_url_in_the_manifest_answers(client: httpx.Client) -> None:
    m = client.get("/reconcile").json()
    view = m["view"]["url"].replace("{{id}}", "atlantis")
    assert client.get(view, headers={"Accept": "text/html"}).status_code == 200
    assert client.get(m["preview"]["url"].replace("{{id}}", "atlantis")).status_code == 200
    for kind in ("entity", "type", "property"):
        s = m["suggest"][kind]
        r = client.get(s["service_url"] + s["service_path"], params={"prefix": "a"})
        assert r.status_code == 200
        assert_suggest(r.json())
    p = m["extend"]["propose_properties"]
    assert client.get(p["service_url"] + p["service_path"], params={"type": "Country"}).is_success


def test_jsonp_wraps_the_json_for_a_plain_callback_name(client: httpx.Client) -> None:
    """OpenRefine 3.x may fetch the manifest and suggestions as JSONP."""
    for url, params in (("/reconcile", {}), ("/reconcile/suggest/entity", {"prefix": "Atl"})):
        r = client.get(url, params={**params, "callback": "jQuery3510_17"})
        assert r.headers["content-type"].startswith("application/javascript")
        assert r.text.startswith("/**/jQuery3510_17(") and r.text.endswith(");")
        json.loads(r.text[len("/**/jQuery3510_17(") : -2])


@pytest.mark.parametrize(
    "callback", ["alert(1)", "a;b", "<script>", "1abc", "a" * 100, "x.y.z.w.v", "cb//", ""]
)
def test_jsonp_refuses_any_other_callback(client: httpx.Client, callback: str) -> None:
    r = client.get("/reconcile", params={"callback": callback})
    assert r.status_code == 422 and r.json()["parameter"] == "callback"


# --- reconciliation queries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first", "match"),
    [
        ("Atlantis", "atlantis", True),  # exact English label
        ("亚特兰蒂斯", "atlantis", True),  # label in another language
        ("亞特蘭蒂斯", "atlantis", True),  # traditional characters
        ("RoA", "atlantis", True),  # acronym
        ("Exmaple Summit", "example-summit", False),  # a typo is a candidate, not a match
        ("atlantis", "atlantis", True),  # an id
        ("https://w3id.org/govgraph/id/lemuria", "lemuria", True),  # an IRI
    ],
)
def test_a_batch_finds_each_name(client: httpx.Client, query: str, first: str, match: bool) -> None:
    batch = reconcile(client, {"q0": {"query": query}, "q1": {"query": "Lemuria", "limit": 1}})
    top = batch["q0"]["result"][0]
    assert (top["id"], top["match"]) == (first, match)
    assert ids(batch["q1"]) == ["lemuria"]


def test_get_with_queries_answers_as_post_does(client: httpx.Client) -> None:
    queries = {"q0": {"query": "Atlantis", "limit": 2}}
    r = client.get("/reconcile", params={"queries": json.dumps(queries)})
    assert r.json() == reconcile(client, queries)


def test_candidates_carry_their_class_chain_and_description(client: httpx.Client) -> None:
    top = reconcile(client, {"q": {"query": "First Example Summit"}})["q"]["result"][0]
    assert top["type"] == [{"id": "Summit", "name": "Summit"}, {"id": "Event", "name": "Event"}]
    atlantis = reconcile(client, {"q": {"query": "Atlantis"}})["q"]["result"][0]
    assert atlantis["description"] == "A fictional country."
    assert atlantis["features"][0] == {"id": "name", "value": 100.0}


def test_match_only_when_clearly_ahead(client: httpx.Client) -> None:
    """'Example' starts several names: candidates, none a match; 'Atlantis' is unambiguous."""
    batch = reconcile(client, {"a": {"query": "Example"}, "b": {"query": "Atlantis"}})
    assert len(batch["a"]["result"]) > 1 and not any(c["match"] for c in batch["a"]["result"])
    assert [c["match"] for c in batch["b"]["result"]][:2] == [True, False]


def test_limit_and_blank_queries(client: httpx.Client) -> None:
    batch = reconcile(client, {"a": {"query": "Example", "limit": 2}, "b": {"query": "  "}})
    assert len(batch["a"]["result"]) == 2 and batch["b"]["result"] == []


def test_type_constraint_admits_subclasses(client: httpx.Client) -> None:
    batch = reconcile(
        client,
        {
            "post": {"query": "Atlantis", "type": "Post"},
            "event": {"query": "Example", "type": "Event"},
            "either": {"query": "Atlantis", "type": ["Post", "Country"]},
            "iri": {"query": "Example", "type": "https://w3id.org/govgraph/ontology#Summit"},
        },
    )
    assert ids(batch["post"]) == ["atlantis-foreign-minister"]
    assert ids(batch["event"]) == ["example-summit"]  # a Summit is an Event
    assert set(ids(batch["either"])) == {"atlantis", "atlantis-foreign-minister"}
    assert ids(batch["iri"]) == ["example-summit"]


@pytest.mark.parametrize(
    "value",
    [
        "First Example Summit",  # its label
        "Example Summit",  # an alias
        "Exmaple Summit",  # a typo
        "example-summit",  # its id
        {"id": "example-summit", "name": "whatever"},  # a reconciled cell
        ["Lemuria", "example-summit"],  # any of several
    ],
)
def test_property_constraint_lifts_the_candidate_that_has_it(
    client: httpx.Client, value: Any
) -> None:
    """Several 'Example ...' names; only the report was commissioned by the summit."""
    q = {"query": "Example", "properties": [{"pid": "commissionedBy", "v": value}]}
    result = reconcile(client, {"q": q})["q"]["result"]
    assert result[0]["id"] == "example-report"
    feature = result[0]["features"][1]
    assert feature["id"] == "property:commissionedBy" and feature["value"] > 0.7
    assert all(c["features"][1]["value"] == 0 for c in result[1:])


def test_property_constraint_reads_either_direction_and_can_be_required(
    client: httpx.Client,
) -> None:
    """``^signed`` is "signed by"; the draft's ``required`` keeps only candidates that agree."""
    signed_by = [{"pid": "^signed", "v": "Lemuria"}]
    batch = reconcile(
        client,
        {
            "boost": {"query": "Example", "properties": signed_by},
            "filter": {"query": "Example", "properties": [{**signed_by[0], "required": True}]},
            "exact": {"query": "Ada Example", "properties": [{"pid": "holds", "v": "Atlantis FM"}]},
        },
    )
    assert ids(batch["boost"])[0] == "example-declaration" and len(batch["boost"]["result"]) > 1
    assert ids(batch["filter"]) == ["example-declaration"]
    assert batch["exact"]["result"][0]["id"] == "ada-example"


def test_a_name_that_disagrees_with_the_property_is_no_match(client: httpx.Client) -> None:
    q = {"query": "Atlantis", "properties": [{"pid": "signed", "v": "Example Science Report"}]}
    top = reconcile(client, {"q": q})["q"]["result"][0]
    assert top["id"] == "atlantis" and top["score"] == 60.0 and top["match"] is False
    q = {"query": "Atlantis", "properties": [{"pid": "wikidata", "v": "Q1"}]}  # none in fixture
    assert reconcile(client, {"q": q})["q"]["result"][0]["features"][1]["value"] == 0


def test_newer_draft_shapes_are_accepted(client: httpx.Client) -> None:
    """A JSON body with a list of queries, and a query whose name is a property without pid."""
    body = {
        "queries": [
            {"properties": [{"v": "Atlantis"}]},
            {"type": "Country", "properties": [{"pid": "signed", "v": "Example Declaration"}]},
        ]
    }
    r = client.post("/reconcile", json=body)
    assert r.status_code == 200
    results = r.json()["results"]
    assert [c["id"] for c in results[0]["candidates"]][:1] == ["atlantis"]
    assert {c["id"] for c in results[1]["candidates"]} == {"atlantis", "lemuria"}


# --- suggest, preview -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "first"),
    [
        ("entity", {"prefix": "Atl"}, "atlantis"),
        ("entity", {"prefix": "Atl", "type": "Post"}, "atlantis-foreign-minister"),
        ("entity", {"prefix": "Atl", "cursor": 1}, "atlantis-foreign-minister"),
        ("entity", {"prefix": "亚特"}, "atlantis"),
        ("type", {"prefix": "sum"}, "Summit"),
        ("type", {"prefix": "safety"}, "SafetyInstitute"),
        ("property", {"prefix": "sign"}, "signed"),
        ("property", {"prefix": "signed b"}, "^signed"),
        ("property", {"prefix": "wiki"}, "wikidata"),
    ],
)
def test_suggest(client: httpx.Client, url: str, params: dict[str, Any], first: str) -> None:
    r = client.get(f"/reconcile/suggest/{url}", params=params)
    assert r.status_code == 200
    body = r.json()
    assert_suggest(body)
    assert body["result"][0]["id"] == first


def test_suggested_entities_name_their_class(client: httpx.Client) -> None:
    item = client.get("/reconcile/suggest/entity", params={"prefix": "First Ex"}).json()
    assert item["result"][0]["notable"] == [{"id": "Summit", "name": "Summit"}]


def test_preview_is_an_escaped_card(client: httpx.Client) -> None:
    r = client.get("/reconcile/preview", params={"id": "bo-sample"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script>" not in r.text and "&lt;script&gt;alert(" in r.text
    assert "<b>markup" not in r.text and 'href="/id/bo-sample"' in r.text
    assert "Person" in r.text and "Bo Sample" in r.text
    assert "frame-ancestors *" in r.headers["content-security-policy"]
    other_languages = client.get("/reconcile/preview", params={"id": "atlantis"}).text
    assert "亚特兰蒂斯" in other_languages and "RoA" in other_languages


def test_preview_of_an_unknown_id_is_404(client: httpx.Client) -> None:
    r = client.get("/reconcile/preview", params={"id": "<nope>"})
    assert r.status_code == 404 and r.json()["id"] == "<nope>"


@pytest.fixture
def other_origin(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Another origin (another port) serving pages from ``tmp_path``, as OpenRefine would."""
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    server.shutdown()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.browser
def test_another_origin_can_frame_the_preview_but_not_a_profile_page(
    browser: Any, base_url: str, other_origin: tuple[str, Path]
) -> None:
    origin, folder = other_origin
    (folder / "host.html").write_text(
        f'<iframe name="preview" src="{base_url}/reconcile/preview?id=atlantis"></iframe>'
        f'<iframe name="profile" src="{base_url}/id/atlantis"></iframe>',
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto(f"{origin}/host.html")
    page.wait_for_load_state("load")
    preview = page.frame(name="preview")
    preview.wait_for_selector("h1")
    assert preview.locator("h1").inner_text() == "Atlantis"
    assert page.frame(name="profile").url.startswith("chrome-error:")  # refused: not frameable
    page.close()


# --- data extension -------------------------------------------------------------------------


def test_propose_properties_by_class(client: httpx.Client) -> None:
    body = client.get("/reconcile/propose_properties", params={"type": "Declaration"}).json()
    proposed = [p["id"] for p in body["properties"]]
    assert body["type"] == "Declaration"
    assert {"label", "description", "wikidata", "type", "^signed", "issuedAt"} <= set(proposed)
    assert "holds" not in proposed and "signed" not in proposed  # a person's, a signatory's
    limited = client.get("/reconcile/propose_properties", params={"type": "Person", "limit": 3})
    assert len(limited.json()["properties"]) == 3 and limited.json()["limit"] == 3


def test_extend_fetches_values_per_id_and_property(client: httpx.Client) -> None:
    pids = ["label", "aliases", "type", "description", "wikidata", "start", "signed", "^signed"]
    wanted = ["atlantis", "example-declaration", "no-such-entity"]
    query = {"ids": wanted, "properties": [{"id": p} for p in pids]}
    r = client.post("/reconcile", data={"extend": json.dumps(query)})
    assert r.status_code == 200
    body = r.json()
    assert_extension(body, wanted, pids)
    atlantis, declaration = body["rows"]["atlantis"], body["rows"]["example-declaration"]
    assert atlantis["label"] == [{"str": "Atlantis"}]
    assert atlantis["aliases"] == [{"str": "Republic of Atlantis"}, {"str": "RoA"}]
    assert atlantis["type"] == [{"str": "Country"}]
    assert atlantis["signed"] == [{"id": "example-declaration", "name": "Example Declaration"}]
    assert declaration["start"] == [{"str": "2023-03-01"}]
    assert [v["id"] for v in declaration["^signed"]] == ["atlantis", "lemuria"]
    assert all(v == [] for v in body["rows"]["no-such-entity"].values())
    meta = {m["id"]: m for m in body["meta"]}
    assert meta["signed"]["type"] == {"id": "Document", "name": "Document"}
    assert meta["^signed"]["name"] == "signed by"


def test_extend_by_get_with_a_limit_setting(client: httpx.Client) -> None:
    query = {
        "ids": ["example-declaration"],
        "properties": [{"id": "^signed", "settings": {"limit": 1}}],
    }
    r = client.get("/reconcile", params={"extend": json.dumps(query)})
    assert r.json()["rows"]["example-declaration"]["^signed"] == [
        {"id": "atlantis", "name": "Atlantis"}
    ]


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "parameter", "says"),
    [
        ({"queries": '{"q0": {"query": "Atlantis"'}, "queries", "not valid JSON"),
        ({"queries": '["Atlantis", 1]'}, "queries", "[1]: expected an object"),
        ({"queries": '"Atlantis"'}, "queries", "expected a JSON object"),
        ({"queries": '{"q0": {"query": "x", "type": "Sumit"}}'}, "queries", "q0.type"),
        ({"queries": '{"q0": {"query": "x", "limit": 0}}'}, "queries", "q0.limit"),
        ({"queries": '{"q0": {"query": 5}}'}, "queries", "q0.query"),
        (
            {"queries": '{"q0": {"query": "x", "properties": [{"pid": "nope", "v": "y"}]}}'},
            "queries",
            "q0.properties[0].pid: unknown property 'nope'",
        ),
        (
            {"queries": '{"q0": {"query": "x", "properties": [{"pid": "memberOf"}]}}'},
            "queries",
            "v",
        ),
        ({"extend": "{ids"}, "extend", "not valid JSON"),
        ({"extend": '{"ids": "atlantis"}'}, "extend", "ids"),
        ({"extend": '{"ids": [], "properties": [{"id": "nope"}]}'}, "extend", "properties[0]"),
        (
            {"extend": '{"ids": [], "properties": [{"id": "label", "settings": {"limit": "x"}}]}'},
            "extend",
            "properties[0].settings.limit",
        ),
    ],
)
def test_bad_input_is_422_naming_the_parameter(
    client: httpx.Client, params: dict[str, str], parameter: str, says: str
) -> None:
    for r in (client.get("/reconcile", params=params), client.post("/reconcile", data=params)):
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["parameter"] == parameter and says in body["detail"], body["detail"]
        assert f"'{parameter}'" in body["detail"] and body["version"]


@pytest.mark.parametrize(
    "url",
    [
        "/reconcile/suggest/entity?prefix=a&type=Sumit",
        "/reconcile/propose_properties?type=Sumit",
        "/reconcile/suggest/entity",
        "/reconcile/suggest/type?prefix=a&limit=0",
    ],
)
def test_bad_suggest_parameters_are_422(client: httpx.Client, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422 and r.json()["error"] == "invalid_parameter"


def test_a_bad_json_body_is_422(client: httpx.Client) -> None:
    r = client.post("/reconcile", content=b"{oops", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["parameter"] == "queries"


# --- real queries on the real data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real(real_live: LiveServer) -> Iterator[httpx.Client]:
    with real_live.client(timeout=60) as c:
        yield c


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "first", "match"),
    [
        ({"query": "Bletchly declaration"}, "bletchley-declaration", False),  # a typo
        ({"query": "Bletchley Declaration"}, "bletchley-declaration", True),
        ({"query": "李强"}, "li-qiang", True),  # Chinese
        ({"query": "李強", "type": "Person"}, "li-qiang", True),  # traditional characters
        ({"query": "Li Qiang", "type": "Person"}, "li-qiang", True),
        ({"query": "HLAB"}, "un-high-level-advisory-body-on-ai", False),  # start of HLAB-AI
        ({"query": "HLAB-AI"}, "un-high-level-advisory-body-on-ai", True),
        ({"query": "Lammy", "type": "Person"}, "david-lammy", True),
    ],
)
def test_real_names_reconcile(
    real: httpx.Client, query: dict[str, Any], first: str, match: bool
) -> None:
    top = reconcile(real, {"q": query})["q"]["result"][0]
    assert (top["id"], top["match"]) == (first, match)


@pytest.mark.slow
def test_aisi_is_two_uk_institutes_so_no_match(real: httpx.Client) -> None:
    """'AISI' is an alias of the UK AI Safety Institute and of its renamed successor."""
    result = reconcile(real, {"q": {"query": "AISI", "type": "SafetyInstitute"}})["q"]["result"]
    assert {c["id"] for c in result[:2]} == {"uk-ai-safety-institute", "uk-ai-security-institute"}
    assert not any(c["match"] for c in result)
    assert all(SCHEMA.is_a(c["type"][0]["id"], ("SafetyInstitute",)) for c in result)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "first"),
    [
        # 'Zhang' is several people; the UN advisory body had one of them
        (
            {
                "query": "Zhang",
                "type": "Person",
                "properties": [{"pid": "memberOf", "v": "UN AI Advisory Body"}],
            },
            "zhang-linghan",
        ),
        (
            {
                "query": "Yi Zeng",
                "type": "Person",
                "properties": [{"pid": "memberOf", "v": "HLAB-AI"}],
            },
            "zeng-yi",
        ),
        (
            {
                "query": "Cameron",
                "type": "Person",
                "properties": [{"pid": "wikidata", "v": "Q192"}],
            },
            "david-cameron",
        ),
    ],
)
def test_a_person_with_a_property_constraint(
    real: httpx.Client, query: dict[str, Any], first: str
) -> None:
    result = reconcile(real, {"q": query})["q"]["result"]
    assert result[0]["id"] == first and result[0]["features"][1]["value"] == 1.0
    without = {k: v for k, v in query.items() if k != "properties"}
    assert reconcile(real, {"q": without})["q"]["result"][0]["score"] <= result[0]["score"]


@pytest.mark.slow
def test_zhang_alone_is_several_people_and_no_match(real: httpx.Client) -> None:
    result = reconcile(real, {"q": {"query": "Zhang", "type": "Person"}})["q"]["result"]
    assert len(result) > 2 and not any(c["match"] for c in result)


@pytest.mark.slow
def test_real_extension(real: httpx.Client) -> None:
    query = {
        "ids": ["david-cameron", "li-qiang"],
        "properties": [{"id": "wikidata"}, {"id": "holds"}],
    }
    body = real.post("/reconcile", data={"extend": json.dumps(query)}).json()
    assert_extension(body, ["david-cameron", "li-qiang"], ["wikidata", "holds"])
    assert body["rows"]["david-cameron"]["wikidata"] == [{"str": "Q192"}]
    assert body["rows"]["li-qiang"]["holds"]
