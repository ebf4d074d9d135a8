"""``GET /api/changes`` and ``GET /changes.atom``: what changed since a version or a date.

Both read the store folder's history (:mod:`graph.history`), which keeps the record of every
build ever made there, so "since last week" works after last week's build was pruned. A remote
SPARQL store keeps no history: both routes then answer 404 saying so.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.changes_feed import atom_feed, feed_entries
from api.changes_models import ChangesResponse
from api.deps import SnapshotDep
from api.errors import UnknownEntity, error_response
from api.models import ErrorBody
from api.state import Snapshot
from graph.changes import Diff
from graph.changes_report import diff_json
from graph.history import History, UnknownVersion
from graph.vocab import slug_of

__all__ = ["router"]

router = APIRouter(tags=["changes"])

_NO_HISTORY = (
    "this store keeps no history of builds (a remote SPARQL store has none): changes need a "
    "store folder built with `govgraph build`"
)
_REF_HELP = (
    "a dataset version (or its first 4+ characters), or a date YYYY-MM-DD (or a timestamp): "
    "the latest build at or before it"
)
_ENTITY_HELP = "only the changes to this entity (slug or IRI) and to its claims"


def _served(history: History, snapshot: Snapshot) -> str:
    if history.entry(snapshot.version) is None:
        raise UnknownVersion(
            "until",
            f"the build served (version {snapshot.version}) has no record in the history (it "
            "predates it or was imported): give `until`, or rebuild with `govgraph build`",
        )
    return snapshot.version


def _changes(snapshot: Snapshot, history: History, since: str, until: str | None) -> Diff:
    old = history.resolve(since, name="since")
    new = history.resolve(until or _served(history, snapshot), name="until")
    return history.diff_entries(old, new)


def _known(snapshot: Snapshot, history: History, diff: Diff, slug: str) -> bool:
    """An entity served now, or one the compared versions had (a removed one too)."""
    if snapshot.has_entity(slug) or slug in diff.entities:
        return True
    return any(slug in history.record(e.version).entities for e in (diff.old, diff.new))


def _unknown_version(request: Request, exc: UnknownVersion) -> JSONResponse:
    detail = f"query parameter {exc.parameter!r}: {exc.message}"
    return error_response(request, 404, "not_found", detail, parameter=exc.parameter)


@router.get(
    "/api/changes",
    response_model=ChangesResponse,
    responses={404: {"model": ErrorBody, "description": "unknown version, date or entity"}},
    summary="Claims and entities added, removed, changed since a version or date",
)
async def get_changes(
    request: Request,
    snapshot: SnapshotDep,
    since: Annotated[
        str,
        Query(
            min_length=1,
            description=_REF_HELP,
            openapi_examples={"date": {"value": "2025-03-01"}},
        ),
    ],
    until: Annotated[
        str | None, Query(description=_REF_HELP + " (default: the build served)")
    ] = None,
    entity: Annotated[str | None, Query(description=_ENTITY_HELP)] = None,
) -> Any:
    """Every entity and claim added, removed or changed from the build `since` names to the
    one served (or `until`). A claim keeps its id across versions, so a corrected date or a new
    source is a *changed* claim: `fields` says what changed, `before` and `after` how."""
    history = snapshot.history
    if history is None:
        return error_response(request, 404, "not_found", _NO_HISTORY)
    try:
        diff = await asyncio.to_thread(_changes, snapshot, history, since, until)
        if entity:
            slug = slug_of(entity.strip())
            if not await asyncio.to_thread(_known, snapshot, history, diff, slug):
                raise UnknownEntity(entity)
            diff = diff.about(slug)
    except UnknownVersion as exc:
        return _unknown_version(request, exc)
    return {**diff_json(diff, snapshot.schema), "version": snapshot.version}


def _feed(
    request: Request, snapshot: Snapshot, history: History, entity: str | None, limit: int
) -> bytes:
    slug = slug_of(entity.strip()) if entity else None
    entries = feed_entries(history, until=snapshot.version, entity=slug, limit=limit)
    named: tuple[str, str] | None = None
    if slug is not None:
        if snapshot.has_entity(slug):
            named = (slug, snapshot.network.nodes[slug]["label"])
        else:  # removed since: its label is in the builds that changed it
            rows = [e.diff.entities[slug] for e in entries if e.diff and slug in e.diff.entities]
            if not rows:
                raise UnknownEntity(str(entity))
            named = (slug, str(rows[0].get("label") or slug))
    return atom_feed(
        entries,
        base_url=str(request.base_url),
        entity=named,
        updated=str(snapshot.manifest.get("built_at") or "1970-01-01T00:00:00+00:00"),
        schema=snapshot.schema,
    )


@router.get(
    "/changes.atom",
    response_class=Response,
    responses={
        200: {"content": {"application/atom+xml": {}}, "description": "an Atom 1.0 feed"},
        404: {"model": ErrorBody, "description": "unknown entity, or a store without history"},
    },
    summary="The changes as an Atom feed, one entry per build (per entity with entity=)",
)
async def changes_atom(
    request: Request,
    snapshot: SnapshotDep,
    entity: Annotated[str | None, Query(description=_ENTITY_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="entries (builds), newest first")] = 20,
) -> Response:
    """An Atom feed (RFC 4287) to subscribe to: one entry per build that changed something
    (about `entity`, if given), listing each change with links to the `/id/` pages and its
    sources. Entry ids are stable; `updated` is the build time."""
    history = snapshot.history
    if history is None:
        return error_response(request, 404, "not_found", _NO_HISTORY)
    body = await asyncio.to_thread(_feed, request, snapshot, history, entity, limit)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
