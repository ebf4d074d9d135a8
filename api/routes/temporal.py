"""``GET /api/holders`` and ``GET /api/timeline``: who held a post when, and what happened when."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import EvidenceDep, SnapshotDep, resolve_entity
from api.errors import BadParameter
from api.models import ErrorBody, HoldersResponse, TimelineResponse
from api.temporal import holders, holders_warnings, timeline
from graph.dates import PartialDate, parse_date

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["time"])

_DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD; a partial date means the whole year or month"


def _parse(name: str, text: str | None) -> PartialDate | None:
    if text is None or not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise BadParameter(name, str(exc)) from exc


@router.get(
    "/holders",
    response_model=HoldersResponse,
    responses={404: {"model": ErrorBody, "description": "unknown post"}},
    summary="Who held a post (on a date)",
)
async def get_holders(
    snapshot: SnapshotDep,
    post: Annotated[
        str,
        Query(
            min_length=1,
            description="the post's slug or IRI",
            openapi_examples={"uk": {"value": "uk-foreign-secretary"}},
        ),
    ],
    date: Annotated[
        str | None,
        Query(description=_DATE_HELP, openapi_examples={"day": {"value": "2024-10-18"}}),
    ] = None,
) -> dict[str, Any]:
    """Tenures (one per `holds` claim), oldest first. With `date`, only tenures that overlap it
    (a tenure with no end date is open); without, every holder. With `date`, `undated` lists
    tenures with no start date (they may cover it) and `warnings` says so, and says when the
    date falls outside the post's own existence: an empty list is not proof of "nobody"."""
    slug = resolve_entity(snapshot, post)
    node = snapshot.network.nodes[slug]
    if not snapshot.schema.is_a(node["type"], ("Post",)):
        raise BadParameter("post", f"{slug!r} is a {node['type']}, not a Post")
    day = _parse("date", date)
    found = await asyncio.to_thread(holders, snapshot, slug, day)
    undated, warnings = holders_warnings(snapshot, slug, day)
    return {
        "post": {"id": slug, "label": node["label"]},
        "date": str(day) if day else None,
        "holders": found,
        "undated": undated,
        "warnings": warnings,
        "version": snapshot.version,
    }


@router.get(
    "/timeline",
    response_model=TimelineResponse,
    responses={404: {"model": ErrorBody, "description": "unknown entity"}},
    summary="Dated events and claims in time order",
)
async def get_timeline(
    snapshot: SnapshotDep,
    entity: Annotated[
        str | None,
        Query(
            description="only this entity's own dates and its dated relations (an undated "
            "relation to an event or a document takes its dates)",
            openapi_examples={"lammy": {"value": "david-lammy"}},
        ),
    ] = None,
    from_: Annotated[str | None, Query(alias="from", description=_DATE_HELP)] = None,
    to: Annotated[str | None, Query(description=_DATE_HELP)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    evidence: EvidenceDep = None,
) -> dict[str, Any]:
    """Items whose dates overlap [`from`, `to`]: entities with their own dates (events,
    publications, foundings) and dated claims, each with its sources."""
    slug = resolve_entity(snapshot, entity) if entity else None
    lo, hi = _parse("from", from_), _parse("to", to)
    if lo is not None and hi is not None and lo.earliest > hi.latest:
        raise BadParameter("to", f"{hi} is before from={lo}")
    items = await asyncio.to_thread(timeline, snapshot, slug, lo, hi, evidence=evidence)
    return {
        "entity": snapshot.ref(slug) if slug else None,
        "from": str(lo) if lo else None,
        "to": str(hi) if hi else None,
        "total": len(items),
        "offset": offset,
        "limit": limit,
        "truncated": offset + limit < len(items),
        "items": items[offset : offset + limit],
        "version": snapshot.version,
    }
