"""``GET /api/search``: find entities by any label, alias or acronym, tolerating typos."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SnapshotDep
from api.errors import BadParameter
from api.models import SearchResponse

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=SearchResponse, summary="Find entities by any name")
async def search(
    snapshot: SnapshotDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="a label in any language, an alias, an acronym, or a near miss",
            openapi_examples={
                "acronym": {"value": "AISI"},
                "chinese": {"value": "李强"},
                "typo": {"value": "Bletchly"},
            },
        ),
    ],
    type: Annotated[
        str | None,
        Query(description="restrict to a class and its subclasses, e.g. Person, Organization"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="at most this many results")] = 10,
) -> dict[str, object]:
    """Ranked: exact English label, then exact label in another language, then alias or
    acronym, then names starting with the query, then fuzzy matches (small misspellings)."""
    if not q.strip():
        raise BadParameter("q", "must contain more than spaces")
    if type is not None and type not in snapshot.schema.classes:
        allowed = ", ".join(sorted(snapshot.schema.classes))
        raise BadParameter("type", f"unknown class {type!r}; use one of {allowed}")
    hits = await asyncio.to_thread(snapshot.search.search, q, type=type, limit=limit)
    return {"query": q, "results": [hit.__dict__ for hit in hits], "version": snapshot.version}
