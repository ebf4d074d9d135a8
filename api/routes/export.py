"""``GET /api/export``: the whole graph as RDF, GraphML or CSV."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import SnapshotDep
from api.exports import csv_zip, geojson, graphml
from api.state import Snapshot
from graph.formats import RdfFormat

__all__ = ["ExportFormat", "router"]

router = APIRouter(prefix="/api", tags=["export"])


class ExportFormat(StrEnum):
    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    jsonld = "jsonld"
    rdf = "rdf"
    trig = "trig"
    graphml = "graphml"
    csv = "csv"
    geojson = "geojson"


_OTHER: dict[ExportFormat, tuple[Callable[[Snapshot], bytes], str, str]] = {
    ExportFormat.graphml: (graphml, "application/graphml+xml", "graphml"),
    ExportFormat.csv: (csv_zip, "application/zip", "csv.zip"),
    ExportFormat.geojson: (geojson, "application/geo+json", "geojson"),
}


@router.get(
    "/export",
    summary="Download the whole graph",
    response_class=Response,
    responses={200: {"content": {"text/turtle": {}, "application/zip": {}}}},
)
async def export(
    snapshot: SnapshotDep,
    format: Annotated[
        ExportFormat,
        Query(
            description="ttl, nt, nq, jsonld, rdf (RDF/XML), trig: every triple; graphml: the "
            "entity network with labels, types, dates and sources as attributes (opens in "
            "Gephi); csv: a zip of nodes.csv and edges.csv; geojson: dated events at their "
            "places, for a map"
        ),
    ] = ExportFormat.ttl,
) -> Response:
    if format in _OTHER:
        make, media, ext = _OTHER[format]
        body = await asyncio.to_thread(make, snapshot)
    else:
        rdf = RdfFormat.from_short(format.value)
        body = await asyncio.to_thread(snapshot.store.export, format=rdf)
        media, ext = rdf.media_type, rdf.short
    name = f"govgraph-{snapshot.version}.{ext}"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
