"""``GET /api/paths`` and ``GET /api/lineage/{id}``: how A led to B, as cited, dated hops."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from api.deps import SnapshotDep, resolve_entity
from api.models import ErrorBody, LineageResponse, PathsResponse
from api.profile import hop_dict
from graph.network import find_paths, lineage

__all__ = ["MAX_DEPTH", "MAX_HOPS", "router"]

router = APIRouter(prefix="/api", tags=["network"])

MAX_HOPS = 6
MAX_DEPTH = 6
_PANEL = "independent-international-scientific-panel-on-ai"
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "an entity id is unknown"}
}


@router.get("/paths", response_model=PathsResponse, responses=_NOT_FOUND, summary="Cited paths")
async def paths(
    snapshot: SnapshotDep,
    from_: Annotated[
        str,
        Query(
            alias="from",
            min_length=1,
            description="start entity (slug or IRI)",
            openapi_examples={"summit": {"value": "ai-safety-summit-2023"}},
        ),
    ],
    to: Annotated[
        str,
        Query(
            min_length=1,
            description="end entity (slug or IRI)",
            openapi_examples={"panel": {"value": _PANEL}},
        ),
    ],
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS, description="longest path to return")] = 4,
    influence_only: Annotated[bool, Query(description="follow influence relations only")] = False,
    chronological: Annotated[
        bool, Query(description="keep only paths whose dated hops never go backwards in time")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=50, description="at most this many paths")] = 10,
) -> dict[str, Any]:
    """Shortest paths first, ignoring the direction of relations; each hop keeps its stored
    direction (subject -> object), dates and sources."""
    source, target = resolve_entity(snapshot, from_), resolve_entity(snapshot, to)
    found = await asyncio.to_thread(
        find_paths,
        snapshot.network,
        source,
        target,
        max_hops=max_hops,
        influence_only=influence_only,
        chronological=chronological,
        limit=limit,
    )
    return {
        "from": snapshot.ref(source),
        "to": snapshot.ref(target),
        "max_hops": max_hops,
        "influence_only": influence_only,
        "chronological": chronological,
        "paths": [
            {"length": len(path), "hops": [hop_dict(snapshot, hop) for hop in path]}
            for path in found
        ],
        "version": snapshot.version,
    }


@router.get(
    "/lineage/{id:path}",
    response_model=LineageResponse,
    responses=_NOT_FOUND,
    summary="The influence DAG around an entity",
)
async def get_lineage(
    snapshot: SnapshotDep,
    id: Annotated[
        str,
        Path(
            description="entity slug or IRI",
            openapi_examples={"panel": {"value": _PANEL}},
        ),
    ],
    direction: Annotated[
        Literal["upstream", "downstream"],
        Query(description="upstream: what shaped it; downstream: what it shaped"),
    ] = "upstream",
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="influence hops to follow")] = 3,
) -> dict[str, Any]:
    """Influence relations only (buildsOn, commissionedBy, establishedBy, succeeds...)."""
    root = resolve_entity(snapshot, id)
    result = await asyncio.to_thread(
        lineage, snapshot.network, root, direction=direction, depth=depth
    )
    distance = _distances(result.root, result.edges, direction)
    nodes = [
        {
            **snapshot.ref(n),
            "start": snapshot.network.nodes[n]["start"],
            "end": snapshot.network.nodes[n]["end"],
            "distance": distance.get(n, 0),
        }
        for n in result.nodes
    ]
    return {
        "root": snapshot.ref(root),
        "direction": direction,
        "depth": depth,
        "nodes": nodes,
        "edges": [hop_dict(snapshot, hop) for hop in result.edges],
        "version": snapshot.version,
    }


def _distances(root: str, edges: list[Any], direction: str) -> dict[str, int]:
    distance = {root: 0}
    for hop in edges:  # lineage() lists edges in breadth-first order
        near, far = hop.subject, hop.object
        if direction == "downstream":
            near, far = far, near
        if far not in distance and near in distance:
            distance[far] = distance[near] + 1
    return distance
