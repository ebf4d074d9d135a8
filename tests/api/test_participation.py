"""``/api/participation`` and ``/views/participation``: who took part in what.

What they must do: lay out actors by summits, declarations or networks, in time order with a
``succeeds`` link keeping a successor after its predecessor; count a summit's documents and
sessions as taking part in it (naming what the part went ``via``); give every cell its claims
and sources; say per row when the actor joined and whether it left a series; filter by actor
class (subclasses included); compare columns (``in``, ``not_in``); refuse a column of another
kind or an unknown class with a 422 naming the parameter; serve CSV that a spreadsheet shows
as text; and draw the same matrix as an escaped HTML table whose JSON is the API's body.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import httpx
import networkx as nx
import pytest

from api.participation import cell_text, matrix, matrix_csv, order_columns
from graph.schema import load_schema

SCHEMA = load_schema()


# --- the matrix, on small hand-made graphs ----------------------------------------------------


def _graph(nodes: dict[str, tuple[str, str | None]], edges: list[tuple[str, str, str]]) -> Any:
    """A projection-shaped graph: ``nodes`` id -> (class, start), ``edges`` (s, predicate, o)."""
    g = nx.MultiDiGraph()
    for ident, (cls, start) in nodes.items():
        g.add_node(ident, label=ident.title(), type=cls, start=start, end=None)
    for n, (s, p, o) in enumerate(edges):
        source = {"id": f"src-{n}", "title": f"Source {n}", "publisher": "P", "date": "2024"}
        source |= {"url": None, "quote": None, "evidence": "reported"}
        key = f"c{n}"
        evidence = "inferred" if s == "weak" else "reported"
        g.add_edge(s, o, key=key, claim=key, predicate=p, start=None, end=None)
        g.edges[s, o, key].update(evidence=evidence, sources=[source], influence=False)
    return g


SERIES = _graph(
    {
        "one": ("Summit", "2023-11"),
        "two": ("Summit", "2024-05"),
        "three": ("Summit", "2024-01"),  # dated before "two" but succeeds it
        "other": ("Summit", "2023-12"),
        "session": ("Meeting", "2024-05"),
        "accord": ("Declaration", "2023-11"),
        "stayer": ("Country", None),
        "leaver": ("Country", None),
        "returner": ("Country", None),
        "newcomer": ("Company", None),
        "weak": ("Person", None),
    },
    [
        ("two", "succeeds", "one"),
        ("three", "succeeds", "two"),
        ("session", "partOf", "two"),
        ("accord", "issuedAt", "one"),
        ("stayer", "hosted", "one"),
        ("stayer", "signed", "accord"),
        ("stayer", "attended", "session"),
        ("stayer", "attended", "three"),
        ("leaver", "attended", "one"),
        ("leaver", "attended", "two"),
        ("leaver", "attended", "other"),
        ("returner", "signed", "accord"),
        ("returner", "attended", "three"),
        ("newcomer", "attended", "three"),
        ("weak", "attended", "other"),
    ],
)


def _rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["actor"]["id"]: r for r in data["rows"]}


def test_a_successor_follows_what_it_succeeds_whatever_its_date() -> None:
    assert order_columns(SERIES, ["three", "two", "one", "other"]) == [
        "one",
        "other",
        "two",
        "three",
    ]


def test_columns_of_one_chain_of_succeeds_share_a_series() -> None:
    columns = matrix(SERIES, SCHEMA, "summits")["columns"]
    assert [(c["id"], c["series"]) for c in columns] == [
        ("one", "one"),
        ("other", "other"),
        ("two", "one"),
        ("three", "one"),
    ]


def test_a_summit_counts_documents_issued_at_it_and_its_sessions_via_them() -> None:
    cell = _rows(matrix(SERIES, SCHEMA, "summits"))["stayer"]["cells"]
    assert cell["one"]["relations"] == ["hosted", "signed"]
    assert [c["via"] and c["via"]["id"] for c in cell["one"]["claims"]] == [None, "accord"]
    assert cell["two"]["claims"][0]["via"]["id"] == "session"
    assert cell_text(cell["one"]) == "hosted; signed: Accord"


@pytest.mark.parametrize(
    ("actor", "present", "first", "last", "left"),
    [
        ("stayer", ["one", "two", "three"], "one", "three", None),
        ("leaver", ["one", "other", "two"], "one", "two", "two"),  # absent from three
        ("returner", ["one", "three"], "one", "three", None),  # back by the end
        ("newcomer", ["three"], "three", "three", None),
        ("weak", ["other"], "other", "other", None),  # "other" is a series of its own
    ],
)
def test_each_row_says_when_the_actor_joined_and_whether_it_left(
    actor: str, present: list[str], first: str, last: str, left: str | None
) -> None:
    row = _rows(matrix(SERIES, SCHEMA, "summits"))[actor]
    assert (row["in"], row["first"], row["last"], row["left"]) == (present, first, last, left)
    assert row["count"] == len(present) and list(row["cells"]) == present


def test_rows_sort_by_participation_then_label() -> None:
    ids = [r["actor"]["id"] for r in matrix(SERIES, SCHEMA, "summits")["rows"]]
    assert ids == ["leaver", "stayer", "returner", "newcomer", "weak"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"actor_types": ["Country"]}, {"stayer", "leaver", "returner"}),
        ({"actor_types": ["Organization"]}, {"newcomer"}),  # Company is an Organization
        ({"in_": ["one"], "not_in": ["three"]}, {"leaver"}),
        ({"in_": ["one", "three"]}, {"stayer", "returner"}),
        ({"columns": ["other"]}, {"leaver", "weak"}),
        ({"evidence": "reported", "columns": ["other"]}, {"leaver"}),
    ],
)
def test_filters_and_comparisons(filters: dict[str, Any], expected: set[str]) -> None:
    assert set(_rows(matrix(SERIES, SCHEMA, "summits", **filters))) == expected


def test_compared_columns_are_always_shown_and_in_time_order() -> None:
    data = matrix(SERIES, SCHEMA, "summits", columns=["three"], not_in=["one"])
    assert [c["id"] for c in data["columns"]] == ["one", "three"]
    assert set(_rows(data)) == {"newcomer"}


def test_declarations_and_networks_have_their_own_columns() -> None:
    declarations = matrix(SERIES, SCHEMA, "declarations")
    assert [c["id"] for c in declarations["columns"]] == ["accord"]
    assert set(_rows(declarations)) == {"stayer", "returner"}
    assert matrix(SERIES, SCHEMA, "networks")["columns"] == []


def test_csv_cells_say_how_and_are_never_formulas() -> None:
    data = matrix(SERIES, SCHEMA, "summits", columns=["one"])
    data["rows"][0]["actor"]["label"] = "=HYPERLINK(1)"
    rows = list(csv.reader(io.StringIO(matrix_csv(data).removeprefix("\ufeff"))))
    assert rows[0] == [
        "actor_id",
        "actor",
        "actor_type",
        "count",
        "first",
        "last",
        "left",
        "One",
        "claims",
        "sources",
    ]
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert "Source" in rows[1][-1]


# --- the API on the fixture graph -------------------------------------------------------------


def _get(client: httpx.Client, **params: Any) -> dict[str, Any]:
    r = client.get("/api/participation", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_summits_count_signing_the_declaration_issued_at_the_summit(client: httpx.Client) -> None:
    data = _get(client, of="summits")
    assert [c["id"] for c in data["columns"]] == ["example-summit"]
    column = data["columns"][0]
    assert column["start"] == "2023-03-01" and column["series"] == "example-summit"
    assert column["incomplete"] == ["signed"], "example-declaration's signatories are partial"
    rows = _rows(data)
    assert rows["atlantis"]["cells"]["example-summit"]["relations"] == ["hosted", "signed"]
    signed = rows["lemuria"]["cells"]["example-summit"]["claims"]
    assert [(c["predicate"], c["via"]["id"]) for c in signed] == [("signed", "example-declaration")]
    assert data["version"] and data["of"] == "summits"


def test_declaration_cells_carry_claims_dates_and_sources(client: httpx.Client) -> None:
    data = _get(client, of="declarations")
    assert [c["id"] for c in data["columns"]] == ["example-declaration"]
    assert [r["actor"]["id"] for r in data["rows"]] == ["atlantis", "lemuria"]
    cell = data["rows"][0]["cells"]["example-declaration"]
    claim = cell["claims"][0]
    assert claim["start"] == "2023-03-01" and claim["evidence"] == "reported"
    assert claim["sources"][0]["quote"].startswith("Its Example Declaration was signed")
    assert cell["sources"] == [
        {
            "id": "example-article",
            "title": "An example article",
            "publisher": "Example Press",
            "date": "2024-10-18",
            "url": "https://example.org/article",
        }
    ]
    profile = client.get("/api/entities/atlantis").json()
    assert claim["claim"] in {r["claim"] for r in profile["relations"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("of=declarations&actor_type=Country", ["atlantis", "lemuria"]),
        ("of=declarations&actor_type=Person", []),
        ("of=declarations&actor_type=Organization,Person", []),
        ("of=declarations&in=example-declaration", ["atlantis", "lemuria"]),
        ("of=declarations&not_in=example-declaration", []),
        ("of=summits&columns=example-summit&evidence=documented", []),
        ("of=summits&in=https://w3id.org/govgraph/id/example-summit", ["atlantis", "lemuria"]),
        ("of=networks", []),
    ],
)
def test_filters_over_http(client: httpx.Client, query: str, expected: list[str]) -> None:
    data = client.get(f"/api/participation?{query}").json()
    assert [r["actor"]["id"] for r in data["rows"]] == expected
    assert data["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "status", "named"),
    [
        ("of=meetings", 422, "of"),
        ("of=summits&columns=example-declaration", 422, "columns"),
        ("of=declarations&not_in=atlantis", 422, "not_in"),
        ("actor_type=Country,Planet", 422, "actor_type"),
        ("evidence=strong", 422, "evidence"),
        ("columns=no-such-thing", 404, "no-such-thing"),
    ],
)
def test_bad_parameters_are_refused_by_name(
    client: httpx.Client, query: str, status: int, named: str
) -> None:
    r = client.get(f"/api/participation?{query}")
    assert r.status_code == status and named in r.json()["detail"]


def test_csv_has_one_column_per_event_and_a_sources_column(client: httpx.Client) -> None:
    r = client.get("/api/participation", params={"of": "summits", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert "participation-summits.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text.removeprefix("\ufeff"))))
    assert [row["actor_id"] for row in rows] == ["atlantis", "lemuria"]
    assert rows[0]["First Example Summit"] == "hosted; signed: Example Declaration"
    assert "An example article" in rows[0]["sources"] and rows[0]["left"] == ""


# --- the view ----------------------------------------------------------------------------------


def test_view_json_is_the_api_body(client: httpx.Client) -> None:
    for of in ("summits", "declarations", "networks"):
        view = client.get("/views/participation", params={"of": of, "format": "json"}).json()
        assert view == _get(client, of=of)


def test_view_draws_one_marked_cell_per_api_cell(client: httpx.Client) -> None:
    r = client.get("/views/participation", params={"of": "summits"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "<script" not in html, "a table needs no script"
    assert "Content-Security-Policy" in html and 'role="search"' in html
    cells = re.findall(r'<td class="in" data-column="([^"]+)" data-relations="([^"]+)"', html)
    assert cells == [("example-summit", "hosted signed"), ("example-summit", "signed")]
    assert re.search(r'title="Atlantis · First Example Summit\nhosted ', html)
    assert "Source: An example article (Example Press, 2024-10-18)" in html
    assert "/id/atlantis" in html and "/statement/" in html and "partial list" in html
    assert 'id="embed-snippet"' in html and 'id="csv-link"' in html


def test_embedded_view_is_the_table_alone(client: httpx.Client) -> None:
    html = client.get("/views/participation?of=declarations&embed=true").text
    assert 'id="filter-form"' not in html and 'id="embed-caption"' in html
    assert 'target="_blank"' in html and html.count('<td class="in"') == 2


def test_view_form_keeps_the_choice(client: httpx.Client) -> None:
    html = client.get("/views/participation?of=declarations&in=example-declaration").text
    assert '<option value="example-declaration" selected>' in html
    assert '<input type="hidden" name="of" value="declarations">' in html


# --- the real data ----------------------------------------------------------------------------

BLETCHLEY = "bletchley-declaration"
PARIS = "paris-statement-inclusive-sustainable-ai"
SUMMITS = ["ai-safety-summit-2023", "ai-seoul-summit-2024", "ai-action-summit-2025"]


@pytest.mark.slow
def test_who_signed_at_bletchley_but_not_at_paris(real_live: Any) -> None:
    with real_live.client() as c:
        only = c.get(
            "/api/participation",
            params={"of": "declarations", "in": BLETCHLEY, "not_in": PARIS},
        ).json()
        both = c.get(
            "/api/participation",
            params={"of": "declarations", "columns": [BLETCHLEY, PARIS], "actor_type": "Country"},
        ).json()
        summits = c.get("/api/participation", params={"of": "summits"}).json()
    ids = {r["actor"]["id"] for r in only["rows"]}
    assert {"united-states", "united-kingdom"} <= ids and "china" not in ids
    assert [c["id"] for c in both["columns"]] == [BLETCHLEY, PARIS]
    china = _rows(both)["china"]
    assert china["in"] == [BLETCHLEY, PARIS] and china["left"] is None
    for cell in china["cells"].values():
        assert cell["relations"] == ["signed"]
        assert cell["sources"] and all(s["title"] for s in cell["sources"])
    us = _rows(both)["united-states"]
    assert us["in"] == [BLETCHLEY] and us["cells"][BLETCHLEY]["claims"][0]["sources"][0]["url"]
    assert us["left"] is None, "two declarations are not a series: compare with in/not_in"
    order = [c["id"] for c in summits["columns"]]
    assert [s for s in order if s in SUMMITS] == SUMMITS
    series = {c["id"]: c["series"] for c in summits["columns"]}
    assert {series[s] for s in SUMMITS} == {"ai-safety-summit-2023"}
    uk = _rows(summits)["united-kingdom"]["cells"]["ai-safety-summit-2023"]
    assert {"hosted", "signed"} <= set(uk["relations"])
