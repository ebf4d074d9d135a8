"""``GET /api/entities/{id}``: an entity's profile with every relation, both directions."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import EvidenceDep, SnapshotDep, resolve_entity
from api.models import EntityProfile, ErrorBody
from api.profile import entity_profile

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["entities"])


@router.get(
    "/entities/{id:path}",
    response_model=EntityProfile,
    responses={404: {"model": ErrorBody, "description": "no entity has this id"}},
    summary="An entity's profile",
)
async def get_entity(
    snapshot: SnapshotDep,
    id: Annotated[
        str,
        Path(
            description="entity slug or full IRI",
            openapi_examples={
                "slug": {"value": "david-lammy"},
                "iri": {"value": "https://w3id.org/govgraph/id/david-lammy"},
            },
        ),
    ],
    relations_offset: Annotated[int, Query(ge=0, description="skip this many relations")] = 0,
    relations_limit: Annotated[
        int, Query(ge=1, le=1000, description="return at most this many relations")
    ] = 100,
    evidence: EvidenceDep = None,
) -> dict[str, Any]:
    """Names (all languages, aliases), dates, sources, and relations in both directions with
    their human labels ("signed" / "signed by"), dates, evidence kind and sources (with quotes).
    Relations are paged: `relations_total` counts them all, `relations_truncated` says more follow.
    One row per claim, with every reference; `single_source` marks claims resting on one source;
    `incomplete` names the relations whose list (e.g. who signed it) is known to be partial.
    """
    slug = resolve_entity(snapshot, id)
    return await asyncio.to_thread(
        entity_profile,
        snapshot,
        slug,
        offset=relations_offset,
        limit=relations_limit,
        evidence=evidence,
    )
