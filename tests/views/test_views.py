"""The HTML of the views (graph/views.py), without a browser: legend, safety, offline assets."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from graph.network import project
from graph.schema import load_schema
from graph.storedir import StoreDir
from graph.viewdata import ViewGraph, describe, ego_view, graph_view, lineage_view, path_view
from graph.views import (
    VIS_ASSETS,
    Assets,
    PageLinks,
    asset_path,
    edge_legend,
    embed_snippet,
    legend,
    render,
    script_json,
)

GRAPH_DIR = Path(__file__).parent.parent.parent / "graph"
HOSTILE = [
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=2</script>",
    "</script><script>window.__xss=4</script>",
    "<img src=x onerror=window.__xss=6>",
    '<a href="javascript:window.__xss=3"',
]


@pytest.fixture(scope="module")
def nova(views_store: Path) -> nx.MultiDiGraph:
    return project(StoreDir(views_store).open())


@pytest.fixture(scope="module")
def views(nova: nx.MultiDiGraph, views_store: Path) -> dict[str, ViewGraph]:
    store = StoreDir(views_store).open()
    return {
        name: describe(store, view)
        for name, view in {
            "entity": ego_view(nova, "xss-img", expand=["nova-report"]),
            "path": path_view(nova, "nova-institute", "xss-img"),
            "lineage": lineage_view(nova, "nova-institute"),
            "graph": graph_view(nova),
        }.items()
    }


def _payload(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', html, re.S)
    assert match, "the page embeds its data as JSON"
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_only_graph_views_imports_pyvis() -> None:
    importers = []
    for path in [
        *GRAPH_DIR.parent.joinpath("graph").glob("*.py"),
        *GRAPH_DIR.parent.joinpath("api").rglob("*.py"),
    ]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "pyvis" or n.startswith("pyvis.") for n in names):
                importers.append(path.name)
    assert sorted(set(importers)) == ["views.py"] and (GRAPH_DIR / "views.py").exists()


def test_legend_is_generated_from_the_schema() -> None:
    schema = load_schema()
    entries = legend(schema)
    assert [e.type for e in entries] == list(schema.classes)
    assert [e.label for e in entries] == [c.label for c in schema.classes.values()]
    assert len({e.color for e in entries}) == len(entries), "each class has its own colour"
    by_type = {e.type: e for e in entries}
    for e in entries:
        root = schema.ancestors(e.type)[-1]
        assert e.shape == by_type[root].shape, f"{e.type} shares the shape of {root}"
        assert re.fullmatch(r"#[0-9a-f]{6}", e.color)


def test_edge_legend_follows_the_lineage_kinds_of_the_schema() -> None:
    schema = load_schema()
    entries = {e.kind: e for e in edge_legend(schema)}
    assert "builds on" in entries["influence"].relations
    assert "issued by" in entries["origin"].relations
    assert "signed" in entries["other"].relations
    named = [r for e in entries.values() for r in e.relations]
    assert sorted(named) == sorted(r.label for r in schema.relations.values())
    assert len({e.color for e in entries.values()}) == 3


@pytest.mark.parametrize("name", ["entity", "lineage"])
def test_edges_are_coloured_by_lineage_kind(views: dict[str, ViewGraph], name: str) -> None:
    schema = load_schema()
    colours = {e.kind: e.color for e in edge_legend(schema)}
    view = views[name]
    html = render(view)
    drawn = {e["id"]: e for e in _payload(html)["edges"]}
    for edge in view.edges:
        relation = schema.relations[edge.predicate]
        kind = "influence" if relation.influence else "origin" if relation.origin else "other"
        if not edge.muted and not edge.highlight:
            assert drawn[edge.id]["color"] == colours[kind], edge.id
    for kind in colours:
        assert f'data-edge="{kind}"' in html


@pytest.mark.parametrize("name", ["entity", "path", "lineage", "graph"])
def test_page_draws_every_node_styled_by_type(views: dict[str, ViewGraph], name: str) -> None:
    view = views[name]
    html = render(view, links=PageLinks(json="/x?format=json"))
    data = _payload(html)
    nodes = data["nodes"]
    assert isinstance(nodes, list) and len(nodes) == len(view.nodes)
    styles = {e.type: e for e in legend()}
    for drawn, node in zip(nodes, view.nodes, strict=True):
        assert drawn["id"] == node.id and drawn["title"].startswith(node.label)
        assert (drawn["color"], drawn["shape"]) == (
            styles[node.type].color,
            styles[node.type].shape,
        )
    for entry in {n.type for n in view.nodes}:
        assert f'data-type="{entry}"' in html, "legend lists each type shown"


@pytest.mark.parametrize("name", ["entity", "path", "lineage", "graph"])
def test_data_is_never_markup(views: dict[str, ViewGraph], name: str) -> None:
    html = render(views[name], links=PageLinks(json="/x?format=json", embed="https://h/v?embed=1"))
    for text in HOSTILE:
        assert text not in html
    assert "innerHTML" not in html, "tooltips are text (vis-network uses innerText for strings)"
    assert html.count("<script") == 3  # vis-network, the JSON data, our code
    data = _payload(html)
    titles = [n["title"] for n in data["nodes"]] + [e["title"] for e in data["edges"]]
    assert all(isinstance(t, str) for t in titles)


def test_hostile_text_survives_as_text(views: dict[str, ViewGraph]) -> None:
    html = render(views["entity"])
    assert "<h1>&lt;img src=x onerror=window.__xss=1&gt;</h1>" in html
    data = _payload(html)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["xss-img"] == "<img src=x onerror=window.__xss=1>"
    assert labels["xss-script"] == "<script>window.__xss=2</script>"
    tips = "\n".join(e["title"] for e in data["edges"])
    assert "<img src=x onerror=window.__xss=6>" in tips and "href" in tips


def test_edges_are_labelled_by_relation_with_dates_on_hover(
    views: dict[str, ViewGraph],
) -> None:
    edges = {(e["from"], e["to"]): e for e in _payload(render(views["lineage"]))["edges"]}
    built = edges["nova-panel", "nova-report"]
    assert built["label"] == "builds on"  # the date is in the tooltip, not drawn
    assert built["title"].splitlines()[1] == "2022"
    assert "Source: The Nova Gazette <b>href</b> edition" in built["title"]
    assert "“The Nova Panel builds on the Nova Report (see href).”" in built["title"]
    funded = edges["nova-report", "nova-republic"]
    assert funded["label"] == "funded by"


def test_lineage_is_hierarchical_left_to_right(views: dict[str, ViewGraph]) -> None:
    data = _payload(render(views["lineage"]))
    options = data["options"]
    assert isinstance(options, dict)
    assert options["layout"]["hierarchical"]["direction"] == "LR"
    assert all(isinstance(n["level"], int) for n in data["nodes"])


def test_big_graphs_stabilise_in_bounded_iterations() -> None:
    g = nx.MultiDiGraph()
    for i in range(600):
        g.add_node(f"n{i}", label=f"N{i}", type="Report", start=None, end=None)
    for i in range(1, 600):
        g.add_edge(
            f"n{i}",
            f"n{i // 2}",
            key="buildsOn||",
            predicate="buildsOn",
            influence=True,
            start=None,
            end=None,
            sources=[],
        )
    options = _payload(render(graph_view(g)))["options"]
    assert isinstance(options, dict)
    assert options["physics"]["stabilization"]["iterations"] <= 200
    assert options["layout"]["improvedLayout"] is False
    assert options["edges"]["smooth"] is False


def test_served_page_loads_assets_from_the_app_only(views: dict[str, ViewGraph]) -> None:
    html = render(views["entity"], links=PageLinks(asset_base="/views/static/"))
    assert '<script nonce="' in html and 'src="/views/static/vis-network.min.js"' in html
    assert 'href="/views/static/vis-network.css"' in html
    for tag in re.findall(r"<(?:script|link)[^>]*>", html):
        assert "http" not in tag, tag
    assert "bootstrap" not in html.lower() and "cdn" not in html.lower()


def test_standalone_page_inlines_everything(views: dict[str, ViewGraph]) -> None:
    html = render(views["lineage"], assets=Assets.INLINE)
    assert "<script src" not in html and '<link rel="stylesheet"' not in html
    assert asset_path("vis-network.min.js").read_text()[:200] in html
    assert ".vis-network" in html
    assert "expand-form" not in html and "filter-form" not in html


def test_embed_mode_and_links(views: dict[str, ViewGraph]) -> None:
    links = PageLinks(
        json="/views/x?format=json", api="/api/x", embed="http://h/views/x?embed=true"
    )
    full = render(views["entity"], links=links)
    assert 'id="json-link" href="/views/x?format=json"' in full
    assert 'id="api-link" href="/api/x"' in full
    assert "&lt;iframe src=&#34;http://h/views/x?embed=true&#34;" in full
    snippet = embed_snippet("http://h/v?a=1&b=2", 'say "hi" <b>')
    assert 'src="http://h/v?a=1&amp;b=2"' in snippet
    assert 'title="say &quot;hi&quot; &lt;b&gt; (govgraph)"' in snippet
    embedded = render(views["entity"], links=links, embed=True)
    assert "<h1>" not in embedded and "embed-snippet" not in embedded


def test_script_json_cannot_close_its_script() -> None:
    text = script_json({"a": "</script><!-- \u2028 & '"})
    assert "<" not in text and ">" not in text and "\u2028" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & '"}


def test_only_vis_assets_are_served() -> None:
    assert set(VIS_ASSETS) == {"vis-network.min.js", "vis-network.css"}
    for name in VIS_ASSETS:
        assert asset_path(name).is_file()
    with pytest.raises(KeyError):
        asset_path("../network.py")
