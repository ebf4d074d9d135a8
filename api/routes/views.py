"""``GET /views/...``: interactive network views (HTML), their data (``?format=json``) and the
vis-network assets they load, served by the app itself so views work with no internet."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from api.deps import EvidenceDep, SnapshotDep, resolve_entity
from api.errors import BadParameter, UnknownEntity
from api.state import Snapshot
from graph.viewdata import (
    ViewGraph,
    describe,
    ego_view,
    graph_view,
    lineage_view,
    path_view,
)
from graph.views import VIS_ASSETS, PageLinks, asset_path, render

__all__ = ["ASSET_PREFIX", "page_links", "router"]

router = APIRouter(prefix="/views", tags=["views"])

ASSET_PREFIX = "/views/static/"
MAX_HOPS = 6
MAX_DEPTH = 6
MAX_EXPAND = 10

Format = Annotated[
    Literal["html", "json"], Query(description="html: the interactive view; json: its data")
]
Embed = Annotated[bool, Query(description="only the canvas and legend, for an iframe")]
EntityId = Annotated[str, Path(description="entity slug or IRI")]


def _query(params: list[tuple[str, str]]) -> str:
    return "?" + urlencode(params) if params else ""


def page_links(
    request: Request, api: str | None, version: str, *, asset_base: str = ASSET_PREFIX
) -> PageLinks:
    """Where a view page points (JSON, API, embed, full page), kept in one place for every
    view: the network views and the timeline view."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("format", "embed")]
    path = request.url.path
    base = str(request.base_url).rstrip("/")
    return PageLinks(
        json=path + _query([*kept, ("format", "json")]),
        api=api,
        embed=base + path + _query([*kept, ("embed", "true")]),
        profile_base=base + "/id/",  # absolute: an embed opens profiles from another site
        asset_base=asset_base,
        page=base + path + _query(kept),
        version=version,
        search="/search",
    )


async def _respond(
    request: Request,
    snapshot: Snapshot,
    view: ViewGraph,
    *,
    format: str,
    embed: bool,
    api: str | None,
    types: list[str] | None = None,
) -> Response:
    view = await asyncio.to_thread(describe, snapshot.store, view)
    if format == "json":
        return JSONResponse({**view.to_json(), "version": snapshot.version})
    html = await asyncio.to_thread(
        render,
        view,
        links=page_links(request, api, snapshot.version),
        embed=embed,
        types=types,
        schema=snapshot.schema,
    )
    return HTMLResponse(html)  # api.limits lets any site frame /views/ (the embed snippet)


def _api(path: str, **params: Any) -> str:
    pairs = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in params.items()]
    return path + _query(pairs)


@router.get("/entity/{id:path}", summary="Ego network of an entity", response_class=HTMLResponse)
async def entity_view(
    request: Request,
    snapshot: SnapshotDep,
    id: EntityId,
    expand: Annotated[
        list[str], Query(description="also show the neighbours of these entities")
    ] = [],  # noqa: B006 (FastAPI copies defaults)
    format: Format = "html",
    embed: Embed = False,
) -> Response:
    """The entity, its neighbours, and the neighbours of each expanded entity."""
    slug = resolve_entity(snapshot, id)
    view = ego_view(snapshot.network, slug, expand=expand[:MAX_EXPAND])
    api = _api(f"/api/entities/{slug}")
    return await _respond(request, snapshot, view, format=format, embed=embed, api=api)


@router.get("/path", summary="How A led to B, drawn", response_class=HTMLResponse)
async def path_page(
    request: Request,
    snapshot: SnapshotDep,
    from_: Annotated[str, Query(alias="from", min_length=1, description="start entity")],
    to: Annotated[str, Query(min_length=1, description="end entity")],
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 4,
    influence_only: bool = False,
    chronological: bool = False,
    via_topics: bool = False,
    limit: Annotated[int, Query(ge=1, le=20, description="explanations to list")] = 5,
    evidence: EvidenceDep = None,
    format: Format = "html",
    embed: Embed = False,
) -> Response:
    """The explanations of ``/api/paths``: the best drawn and highlighted, the others toggled
    on demand; each with its narrative and numbered references under the canvas."""
    a, b = resolve_entity(snapshot, from_), resolve_entity(snapshot, to)
    view = await asyncio.to_thread(
        path_view,
        snapshot.network,
        a,
        b,
        max_hops=max_hops,
        influence_only=influence_only,
        chronological=chronological,
        via_topics=via_topics,
        evidence=evidence,
        limit=limit,
        schema=snapshot.schema,
    )
    api = _api(
        "/api/paths",
        **{"from": a, "to": b, "max_hops": max_hops},
        influence_only=influence_only,
        chronological=chronological,
        via_topics=via_topics,
        limit=limit,
        **({"evidence": evidence} if evidence else {}),
    )
    return await _respond(request, snapshot, view, format=format, embed=embed, api=api)


@router.get("/lineage/{id:path}", summary="Lineage in time order", response_class=HTMLResponse)
async def lineage_page(
    request: Request,
    snapshot: SnapshotDep,
    id: EntityId,
    direction: Literal["upstream", "downstream"] = "upstream",
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 3,
    format: Format = "html",
    embed: Embed = False,
) -> Response:
    """The lineage DAG of ``/api/lineage``, laid out left to right by date."""
    slug = resolve_entity(snapshot, id)
    view = lineage_view(
        snapshot.network, slug, direction=direction, depth=depth, schema=snapshot.schema
    )
    api = _api(f"/api/lineage/{slug}", direction=direction, depth=depth)
    return await _respond(request, snapshot, view, format=format, embed=embed, api=api)


@router.get("/graph", summary="The whole network, filtered", response_class=HTMLResponse)
async def graph_page(
    request: Request,
    snapshot: SnapshotDep,
    type: Annotated[
        list[str],
        Query(description="classes to keep (subclasses included); repeat or comma-separate"),
    ] = [],  # noqa: B006 (FastAPI copies defaults)
    from_: Annotated[str | None, Query(alias="from", description="YYYY[-MM[-DD]]")] = None,
    to: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
    format: Format = "html",
    embed: Embed = False,
) -> Response:
    """Every entity of the chosen types whose dates (or relations' dates) meet the range."""
    types = [t.strip() for value in type for t in value.split(",") if t.strip()]
    try:
        view = await asyncio.to_thread(
            graph_view,
            snapshot.network,
            types=types,
            date_from=from_ or None,
            date_to=to or None,
            schema=snapshot.schema,
        )
    except ValueError as exc:
        name = "type" if "type" in str(exc) else "from/to"
        raise BadParameter(name, str(exc)) from exc
    return await _respond(
        request, snapshot, view, format=format, embed=embed, api=None, types=types
    )


@router.get("/static/{name}", include_in_schema=False)
async def vis_asset(name: str) -> FileResponse:
    """vis-network's JS and CSS, from the installed pyvis package (no CDN)."""
    if name not in VIS_ASSETS:
        raise UnknownEntity(name, what="asset")
    return FileResponse(
        asset_path(name),
        media_type=VIS_ASSETS[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )
