"""Dependencies shared by the routers, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from api.errors import UnknownEntity
from api.state import AppState, Snapshot
from graph.vocab import slug_of

__all__ = [
    "EvidenceDep",
    "SnapshotDep",
    "StateDep",
    "get_snapshot",
    "get_state",
    "resolve_entity",
]


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.govgraph
    return state


async def get_snapshot(request: Request) -> Snapshot:
    """The current dataset snapshot; also records its version for the response header."""
    snapshot = await get_state(request).current()
    request.scope["govgraph.version"] = snapshot.version
    return snapshot


def resolve_entity(snapshot: Snapshot, ident: str) -> str:
    """The slug of ``ident`` (a slug or full IRI), or UnknownEntity naming it."""
    slug = slug_of(ident.strip())
    if not snapshot.has_entity(slug):
        raise UnknownEntity(ident)
    return slug


StateDep = Annotated[AppState, Depends(get_state)]
SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]
EvidenceDep = Annotated[
    Literal["documented", "reported", "inferred"] | None,
    Query(
        description="keep only claims at least this strong: documented (a primary source), "
        "reported (documented or a secondary source), inferred (all)"
    ),
]
