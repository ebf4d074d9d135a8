"""Whole-graph exports for network tools: GraphML (Gephi, yEd) and CSV (spreadsheets).

RDF exports come straight from the store; these two are built from the networkx projection.
Spreadsheet cells that start with ``= + - @`` (or a tab or carriage return) are prefixed
with ``'`` so that a spreadsheet never runs them as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

import networkx as nx

from api.state import Snapshot
from graph.store import sparql_prologue
from graph.vocab import entity_iri, slug_of

__all__ = ["csv_zip", "edge_rows", "geojson", "graphml", "neutralise", "node_rows"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NODE_COLUMNS = ["id", "label", "type", "start", "end", "iri"]
EDGE_COLUMNS = [
    "claim",
    "source",
    "target",
    "predicate",
    "label",
    "influence",
    "start",
    "end",
    "evidence",
    "sources",
    "source_urls",
    "quotes",
    "publishers",
]


def neutralise(value: Any) -> str:
    """A cell value that a spreadsheet shows as text, never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def node_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    return [
        {
            "id": ident,
            "label": data["label"],
            "type": data["type"],
            "start": data["start"],
            "end": data["end"],
            "iri": str(entity_iri(ident)),
        }
        for ident, data in sorted(snapshot.network.nodes(data=True))
    ]


def edge_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    rows = []
    for s, o, data in snapshot.network.edges(data=True):
        sources = data["sources"]
        rows.append(
            {
                "claim": data["claim"],
                "source": s,
                "target": o,
                "predicate": data["predicate"],
                "label": snapshot.schema.relations[data["predicate"]].label,
                "influence": bool(data["influence"]),
                "start": data["start"],
                "end": data["end"],
                "evidence": data["evidence"],
                "sources": "; ".join(src["id"] for src in sources),
                "source_urls": "; ".join(src["url"] for src in sources if src.get("url")),
                "quotes": " | ".join(src["quote"] for src in sources if src.get("quote")),
                "publishers": "; ".join(src["publisher"] or "" for src in sources),
            }
        )
    rows.sort(key=lambda r: (r["source"], r["predicate"], r["target"], r["start"] or ""))
    return rows


def graphml(snapshot: Snapshot) -> bytes:
    """GraphML with labels, types, dates and sources as attributes (blocking)."""
    g = nx.MultiDiGraph(name="govgraph", version=snapshot.version)
    for row in node_rows(snapshot):
        g.add_node(row["id"], **{k: v for k, v in row.items() if k != "id" and v is not None})
    for row in edge_rows(snapshot):
        attrs = {
            k: v for k, v in row.items() if k not in ("source", "target") and v not in (None, "")
        }
        g.add_edge(row["source"], row["target"], key=row["claim"], **attrs)
    return "\n".join(nx.generate_graphml(g, prettyprint=True)).encode("utf-8")


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row[c]) for c in columns])
    return buf.getvalue()


def csv_zip(snapshot: Snapshot) -> bytes:
    """``nodes.csv`` and ``edges.csv`` in one zip (UTF-8 with BOM, for spreadsheets)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("nodes.csv", "\ufeff" + _csv(node_rows(snapshot), NODE_COLUMNS))
        zf.writestr("edges.csv", "\ufeff" + _csv(edge_rows(snapshot), EDGE_COLUMNS))
    return out.getvalue()


_POINTS = sparql_prologue() + "SELECT ?place ?wkt WHERE { ?place geo:hasGeometry/geo:asWKT ?wkt }"
_POINT = re.compile(r"^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$", re.IGNORECASE)


def _points(snapshot: Snapshot) -> dict[str, tuple[float, float]]:
    """Place id -> (lon, lat) from each place's ``geo:asWKT`` point."""
    found = {}
    for row in snapshot.store.select(_POINTS):
        match = _POINT.match(str(row["wkt"]))
        if match:
            found[slug_of(str(row["place"]))] = (float(match[1]), float(match[2]))
    return found


def geojson(snapshot: Snapshot) -> bytes:
    """Dated events at their places as a GeoJSON FeatureCollection (RFC 7946), for a map:
    one feature per event held at a place with sourced coordinates (blocking)."""
    g, schema = snapshot.network, snapshot.schema
    points = _points(snapshot)
    features = []
    for event, data in sorted(g.nodes(data=True)):
        if not schema.is_a(data["type"], ("Event",)):
            continue
        for _, place, edge in g.out_edges(event, data=True):
            if edge["predicate"] != "heldAt" or place not in points:
                continue
            features.append(
                {
                    "type": "Feature",
                    "id": event,
                    "geometry": {"type": "Point", "coordinates": list(points[place])},
                    "properties": {
                        "id": event,
                        "label": data["label"],
                        "type": data["type"],
                        "start": data["start"],
                        "end": data["end"],
                        "place": place,
                        "place_label": g.nodes[place]["label"],
                        "iri": str(entity_iri(event)),
                        "claim": edge["claim"],
                        "sources": [s["id"] for s in edge["sources"]],
                    },
                }
            )
    collection = {
        "type": "FeatureCollection",
        "name": "govgraph events",
        "version": snapshot.version,
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
