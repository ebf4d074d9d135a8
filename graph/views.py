"""Interactive network views: a :class:`~graph.viewdata.ViewGraph` drawn with pyvis.

This is the only module that imports pyvis. pyvis builds the vis-network node, edge and
option objects; the page around them is our own Jinja2 template (``templates/view.html``),
not pyvis's, because pyvis's template links Bootstrap and a CDN and switches tooltips to
``innerHTML`` when a title contains "href". Here every tooltip is a plain string, which
vis-network shows with ``innerText``, every label is escaped, and the data reaches the page
as JSON that cannot close its ``<script>`` element: data is never markup.
"""

from __future__ import annotations

import colorsys
import html
import json
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network

from graph.schema import Schema, load_schema
from graph.viewdata import ViewEdge, ViewGraph, ViewKind, ViewNode

__all__ = [
    "VIS_ASSETS",
    "Assets",
    "EdgeLegendEntry",
    "LegendEntry",
    "PageLinks",
    "asset_path",
    "edge_legend",
    "embed_snippet",
    "legend",
    "render",
    "script_json",
]

VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
VIS_ASSETS = {"vis-network.min.js": "text/javascript", "vis-network.css": "text/css"}
TEMPLATES = Path(__file__).with_name("templates")
SHAPES = ("dot", "diamond", "square", "triangle", "star", "hexagon", "triangleDown")
INFLUENCE_COLOR = "#b03a2e"
ORIGIN_COLOR = "#7d3c98"
RELATION_COLOR = "#8a8f98"
HOP_COLOR = "#e67e22"
MUTED_COLOR = "#d9dce0"
MAX_TOOLTIP_SOURCES = 3


class Assets(StrEnum):
    """How a page gets vis-network: from the app (``SERVED``) or inlined (``INLINE``)."""

    SERVED = "served"
    INLINE = "inline"


@dataclass(frozen=True)
class PageLinks:
    """Where a view page points: its JSON, the matching API route, its embeddable URL."""

    json: str | None = None
    api: str | None = None
    embed: str | None = None
    profile_base: str = "/id/"
    asset_base: str = "/views/static/"
    page: str | None = None
    """The full (not embedded) view: where an embed's caption links to."""
    version: str | None = None
    """The dataset version drawn, shown in an embed's caption."""
    search: str | None = None
    """Where the page's search box submits (None: no search box, e.g. a standalone file)."""


@dataclass(frozen=True)
class LegendEntry:
    type: str
    label: str
    color: str
    shape: str
    depth: int


@dataclass(frozen=True)
class EdgeLegendEntry:
    kind: str
    label: str
    color: str
    relations: tuple[str, ...]


def edge_legend(schema: Schema | None = None) -> list[EdgeLegendEntry]:
    """Edge colours by lineage kind, each with the relations of that kind (from the schema)."""
    schema = schema or load_schema()

    def labels(keep: Any) -> tuple[str, ...]:
        return tuple(r.label for r in schema.relations.values() if keep(r))

    return [
        EdgeLegendEntry("influence", "influence", INFLUENCE_COLOR, labels(lambda r: r.influence)),
        EdgeLegendEntry("origin", "origin", ORIGIN_COLOR, labels(lambda r: r.origin)),
        EdgeLegendEntry(
            "other", "other relation", RELATION_COLOR, labels(lambda r: r.lineage is None)
        ),
    ]


def _edge_color(schema: Schema, predicate: str) -> str:
    relation = schema.relations.get(predicate)
    if relation is None or relation.lineage is None:
        return RELATION_COLOR
    return INFLUENCE_COLOR if relation.influence else ORIGIN_COLOR


def asset_path(name: str) -> Path:
    """The file of one vis-network asset; KeyError for any other name."""
    if name not in VIS_ASSETS:
        raise KeyError(name)
    return VIS_DIR / name


def _legend(schema: Schema) -> tuple[LegendEntry, ...]:
    roots = [c for c in schema.classes.values() if c.parent is None]
    entries = []
    for cls in schema.classes.values():
        chain = schema.ancestors(cls.name)
        root = chain[-1]
        r = next(j for j, c in enumerate(roots) if c.name == root)
        siblings = [c.name for c in schema.classes.values() if schema.ancestors(c.name)[-1] == root]
        k = siblings.index(cls.name)
        hue = (r / len(roots) + 0.03 * (k % 3)) % 1.0
        light = 0.42 + 0.10 * (k % 4)
        red, green, blue = colorsys.hls_to_rgb(hue, light, 0.62)
        color = f"#{int(red * 255):02x}{int(green * 255):02x}{int(blue * 255):02x}"
        entries.append(
            LegendEntry(cls.name, cls.label, color, SHAPES[r % len(SHAPES)], len(chain) - 1)
        )
    return tuple(entries)


def legend(schema: Schema | None = None) -> list[LegendEntry]:
    """Colour and shape of every class, generated from the schema (subclasses share a shape)."""
    return list(_legend(schema or load_schema()))


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _dates(start: str | None, end: str | None) -> str:
    if start and end and start != end:
        return f"{start} – {end}"
    if end and not start:
        return f"until {end}"
    return start or ""


def _node_title(node: ViewNode, type_label: str) -> str:
    lines = [node.label, type_label + (f", {_dates(node.start, node.end)}" if node.start else "")]
    if node.description:
        lines += ["", node.description]
    return "\n".join(lines)


def _edge_title(edge: ViewEdge, labels: dict[str, str], relation: str) -> str:
    lines = [f"{labels[edge.source]} — {relation} — {labels[edge.target]}"]
    if edge.start or edge.end:
        lines.append(_dates(edge.start, edge.end))
    for src in edge.sources[:MAX_TOOLTIP_SOURCES]:
        published = ", ".join(p for p in (src.get("publisher"), src.get("date")) if p)
        title = src.get("title") or src.get("id")
        lines += ["", f"Source: {title}" + (f" ({published})" if published else "")]
        if src.get("quote"):
            lines.append(f"“{src['quote']}”")
    if len(edge.sources) > MAX_TOOLTIP_SOURCES:
        lines.append(f"(+{len(edge.sources) - MAX_TOOLTIP_SOURCES} more sources)")
    return "\n".join(lines)


def _options(view: ViewGraph) -> dict[str, Any]:
    big = len(view.nodes) > 150
    options: dict[str, Any] = {
        "interaction": {"hover": True, "tooltipDelay": 150},
        "nodes": {"size": 14, "font": {"size": 13}, "widthConstraint": {"maximum": 170}},
        "edges": {
            "font": {"size": 10, "strokeWidth": 3},
            "smooth": False if big else {"type": "continuous"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        },
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 140, "avoidOverlap": 0.1},
            "stabilization": {"enabled": True, "iterations": 150 if big else 300, "fit": True},
        },
    }
    if view.kind is ViewKind.LINEAGE:  # wide levels, spaced nodes: labels never overlap
        options["nodes"]["widthConstraint"] = {"maximum": 150}
        options["layout"]["hierarchical"] = {
            "enabled": True,
            "direction": "LR",
            "levelSeparation": 260,
            "nodeSpacing": 150,
            "treeSpacing": 170,
            "sortMethod": "directed",
        }
        options["edges"]["smooth"] = {"type": "curvedCW", "roundness": 0.2}
        options["physics"] = {"enabled": False}
    return options


def _network(view: ViewGraph, schema: Schema) -> Network:
    styles = {e.type: e for e in legend(schema)}
    net = Network(directed=True)
    labels = {n.id: n.label for n in view.nodes}
    for node in view.nodes:
        style = styles.get(node.type)
        type_label = style.label if style else node.type
        label = node.label
        if view.kind is ViewKind.LINEAGE and node.start:
            label = f"{label}\n{node.start}"
        extra: dict[str, Any] = {"level": node.level} if node.level is not None else {}
        if view.kind is ViewKind.PATH:  # the best explanation shows; the others on demand
            extra |= {
                "paths": list(node.paths),
                "focus": node.focus,
                "hidden": not node.focus and 0 not in node.paths,
            }
        net.add_node(
            node.id,
            label=label,
            shape=style.shape if style else "dot",
            color=style.color if style else "#999999",
            title=_node_title(node, type_label),
            borderWidth=3 if node.focus else 1,
            size=22 if node.focus else 14,
            **extra,
        )
    dimmed = any(e.highlight for e in view.edges)
    for edge in view.edges:
        rel = schema.relations.get(edge.predicate)
        relation = rel.label if rel else edge.predicate
        color = _edge_color(schema, edge.predicate)
        styling: dict[str, Any] = {}
        if edge.muted:  # context between two neighbours: labelled, but small and faint
            color = MUTED_COLOR
            styling["font"] = {"size": 8, "color": "#9aa0a6", "strokeWidth": 0}
        if view.kind is ViewKind.PATH:
            styling |= {"paths": list(edge.paths), "hidden": 0 not in edge.paths}
        net.add_edge(
            edge.source,
            edge.target,
            id=edge.id,
            label=relation,  # its dates show on hover (in the tooltip), not drawn
            title=_edge_title(edge, labels, relation),
            color=HOP_COLOR if edge.highlight else color,
            width=4 if edge.highlight else 0.6 if edge.muted else 1,
            dashes=dimmed and not edge.highlight and view.kind is not ViewKind.PATH,
            **styling,
        )
    net.options = _options(view)
    return net


def _explanations(view: ViewGraph) -> list[dict[str, Any]]:
    """The path view's explanations for the page: narrative and numbered references, with
    source links only for web URLs."""
    return [
        {
            **path,
            "references": [
                {**ref, "url": ref["url"] if _is_web(ref.get("url")) else None}
                for ref in path["references"]
            ],
        }
        for path in view.paths
    ]


def embed_snippet(url: str, title: str) -> str:
    """The ``<iframe>`` to paste into another page, itself correctly escaped HTML: as wide as
    its column (a 390 px phone too), its height kept in proportion."""
    return (
        f'<iframe src="{html.escape(url)}" '
        f'style="width:100%;max-width:100%;aspect-ratio:4/3;border:1px solid #ddd" '
        f'loading="lazy" title="{html.escape(title)} (govgraph)"></iframe>'
    )


def _is_web(url: object) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    view: ViewGraph,
    *,
    links: PageLinks | None = None,
    assets: Assets = Assets.SERVED,
    embed: bool = False,
    types: list[str] | None = None,
    schema: Schema | None = None,
) -> str:
    """The HTML page of ``view``: canvas, legend, hop list, embed snippet and JSON link.

    ``Assets.INLINE`` makes a standalone file that works offline (no links to anything but
    entity profiles and sources); ``Assets.SERVED`` loads vis-network from ``links.asset_base``.
    """
    schema = schema or load_schema()
    links = links or PageLinks()
    net = _network(view, schema)
    nodes, edges, _, _, _, _ = net.get_network_data()
    present = {n.type for n in view.nodes}
    inline = assets is Assets.INLINE
    payload = {
        "kind": view.kind.value,
        "nodes": nodes,
        "edges": edges,
        "options": net.options,
        "profileBase": links.profile_base,
        "expandable": view.kind is ViewKind.ENTITY and not inline,
        "newTab": embed,
    }
    return (
        _environment()
        .get_template("view.html")
        .render(
            view=view,
            kinds=ViewKind,
            links=links,
            embed=embed,
            inline=inline,
            css=Markup(asset_path("vis-network.css").read_text()) if inline else None,
            js=Markup(asset_path("vis-network.min.js").read_text()) if inline else None,
            nonce=secrets.token_urlsafe(16),
            payload=script_json(payload),
            legend=[e for e in legend(schema) if e.type in present],
            all_types=legend(schema),
            edge_legend=edge_legend(schema),
            selected_types=types or [],
            explanations=_explanations(view),
            snippet=embed_snippet(links.embed, view.title) if links.embed else None,
        )
    )
