"""``GET /views/timeline``: dated events, documents and claims on a time axis (HTML), and the
items it draws (``?format=json``), the same ids and count as ``/api/timeline``.

A router of its own (not in ``api/routes/views.py``): the network views draw graphs with
pyvis; this one draws a time axis with the vendored vis-timeline (``api/static/vendor/``,
served under ``/static``), so nothing is shared but the legend colours and the embed snippet.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import SnapshotDep, resolve_entity
from api.errors import BadParameter
from api.routes.views import page_links
from api.state import Snapshot
from api.temporal import timeline
from api.timeline_view import ASSET_BASE, MAX_ITEMS, TimelinePage, drawn_items, render_timeline
from graph.dates import PartialDate, parse_date

__all__ = ["router"]

router = APIRouter(prefix="/views", tags=["views"])

_DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD; a partial date means the whole year or month"
Evidence = Annotated[
    Literal["documented", "reported", "inferred", ""] | None,
    Query(
        description="keep only claims at least this strong: documented (a primary source), "
        "reported (documented or a secondary source), inferred or empty (all)"
    ),
]  # as api.deps.EvidenceDep, but empty is "all": what the page's form sends for "any"


def _date(name: str, text: str | None) -> PartialDate | None:
    if text is None or not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise BadParameter(name, str(exc)) from exc


def _types(snapshot: Snapshot, values: list[str]) -> list[str]:
    types = [t.strip() for value in values for t in value.split(",") if t.strip()]
    for t in types:
        if t not in snapshot.schema.classes:
            known = ", ".join(sorted(snapshot.schema.classes))
            raise BadParameter("type", f"unknown class {t!r}; expected one of {known}")
    return types


def _query(params: list[tuple[str, str]]) -> str:
    return "?" + urlencode(params) if params else ""


def _api(params: dict[str, str | None]) -> str:
    pairs = [(k, v) for k, v in params.items() if v]
    return "/api/timeline" + _query([*pairs, ("limit", str(MAX_ITEMS))])


@router.get(
    "/timeline",
    summary="Dated events, documents and claims on a time axis",
    response_class=HTMLResponse,
)
async def timeline_page(
    request: Request,
    snapshot: SnapshotDep,
    entity: Annotated[
        str | None,
        Query(
            description="only this entity's dates and dated relations (slug or IRI)",
            openapi_examples={"china": {"value": "china"}},
        ),
    ] = None,
    from_: Annotated[str | None, Query(alias="from", description=_DATE_HELP)] = None,
    to: Annotated[str | None, Query(description=_DATE_HELP)] = None,
    type: Annotated[
        list[str],
        Query(
            description="keep items about entities of these classes (subclasses included; "
            "repeat or comma-separate): an entity's own dates, or the event or document a "
            "claim concerns, else its other party"
        ),
    ] = [],  # noqa: B006 (FastAPI copies defaults)
    evidence: Evidence = None,
    format: Annotated[
        Literal["html", "json"], Query(description="html: the timeline; json: the items drawn")
    ] = "html",
    embed: Annotated[
        bool, Query(description="only the legend and the axis, for an iframe")
    ] = False,
) -> Response:
    """The items of ``/api/timeline`` for the same `entity`, `from`, `to` and `evidence` (at
    most 1000), coloured by the class of what each is about and grouped into events, documents
    and other facts; a partial date spans its year or month, hatched. Click an item to open its
    profile. `format=json`: the items drawn, each the API's item plus how it is drawn."""
    slug = resolve_entity(snapshot, entity) if entity else None
    evidence = evidence or None
    lo, hi = _date("from", from_), _date("to", to)
    if lo is not None and hi is not None and lo.earliest > hi.latest:
        raise BadParameter("to", f"{hi} is before from={lo}")
    types = _types(snapshot, type)
    items = await asyncio.to_thread(timeline, snapshot, slug, lo, hi, evidence=evidence)
    drawn = drawn_items(items, focus=slug, types=types, schema=snapshot.schema)
    params: dict[str, Any] = {
        "entity": slug,
        "from": str(lo) if lo else None,
        "to": str(hi) if hi else None,
        "evidence": evidence,
    }
    api = _api(params)
    params["type"] = types
    ref = snapshot.ref(slug) if slug else None
    if format == "json":
        return JSONResponse(
            {
                **params,
                "entity": ref,
                "total": len(drawn),
                "truncated": len(drawn) > MAX_ITEMS,
                "items": drawn[:MAX_ITEMS],
                "api": api,
                "version": snapshot.version,
            }
        )
    page = TimelinePage(
        title=f"{ref['label']}: timeline" if ref else "Timeline of the graph",
        items=drawn[:MAX_ITEMS],
        total=len(drawn),
        params=params,
        links=page_links(request, api, snapshot.version, asset_base=ASSET_BASE),
    )
    html = await asyncio.to_thread(render_timeline, page, schema=snapshot.schema, embed=embed)
    return HTMLResponse(html)  # api.limits lets any site frame /views/ (the embed snippet)
