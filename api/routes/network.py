"""``GET /api/paths`` and ``GET /api/lineage/{id}``: how A led to B, as cited, dated hops."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from api.deps import EvidenceDep, SnapshotDep, resolve_entity
from api.models import ErrorBody, LineageResponse, PathsResponse
from api.profile import hop_dict
from graph.explain import explain_paths, nearest
from graph.narrative import explanation_record
from graph.network import lineage

__all__ = ["MAX_DEPTH", "MAX_HOPS", "router"]

router = APIRouter(prefix="/api", tags=["network"])

MAX_HOPS = 6
MAX_DEPTH = 6
_PANEL = "independent-international-scientific-panel-on-ai"
_HLAB = "un-high-level-advisory-body-on-ai"
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "an entity id is unknown"}
}


@router.get("/paths", response_model=PathsResponse, responses=_NOT_FOUND, summary="How A led to B")
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
    influence_only: Annotated[
        bool,
        Query(
            description="follow lineage relations only (influence and origin: built on, "
            "commissioned by, issued by...)"
        ),
    ] = False,
    chronological: Annotated[
        bool, Query(description="keep only paths whose dated hops never go backwards in time")
    ] = False,
    via_topics: Annotated[
        bool, Query(description="let Topic entities (e.g. 'AI safety') be intermediate hops")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=50, description="at most this many paths")] = 10,
    evidence: EvidenceDep = None,
) -> dict[str, Any]:
    """The best explanations first: lineage chains over associations, chronological over
    backwards, specific entities over hubs, documented over reported over inferred, and
    diverse. Each path has a score, its reasons, a narrative with numbered citations and the
    reference list; each hop keeps its stored direction (subject -> object), dates and sources."""
    source, target = resolve_entity(snapshot, from_), resolve_entity(snapshot, to)
    found = await asyncio.to_thread(
        _explain,
        snapshot,
        source,
        target,
        max_hops=max_hops,
        influence_only=influence_only,
        chronological=chronological,
        via_topics=via_topics,
        evidence=evidence,
        limit=limit,
    )
    hint = None
    if not found:
        hops = await asyncio.to_thread(nearest, snapshot.network, source, target, snapshot.schema)
        hint = _no_path_hint(max_hops, hops, influence_only, chronological, via_topics, evidence)
    return {
        "from": snapshot.ref(source),
        "to": snapshot.ref(target),
        "max_hops": max_hops,
        "influence_only": influence_only,
        "chronological": chronological,
        "via_topics": via_topics,
        "paths": found,
        "evidence": evidence,
        "hint": hint,
        "version": snapshot.version,
    }


def _explain(snapshot: Any, source: str, target: str, **options: Any) -> list[dict[str, Any]]:
    g, schema = snapshot.network, snapshot.schema
    found = explain_paths(g, source, target, schema=schema, **options)
    return [explanation_record(g, e, schema) for e in found]


def _no_path_hint(
    max_hops: int,
    hops: int | None,
    influence_only: bool,
    chronological: bool,
    via_topics: bool,
    evidence: str | None,
) -> str:
    """Why there is no path, and what to try: silence must not read as "unrelated"."""
    if hops is None:
        return "these two entities are not connected at all in the graph"
    said = f"no connection within {max_hops} hops with these options"
    if hops > max_hops:
        said += f"; the nearest connection, through any relation, is {hops} hops long"
    tries = [f"max_hops={min(hops, MAX_HOPS)}"] if hops > max_hops and max_hops < MAX_HOPS else []
    tries += ["influence_only=false"] if influence_only else []
    tries += ["chronological=false"] if chronological else []
    tries += [] if via_topics else ["via_topics=true"]
    tries += ["no evidence filter"] if evidence else []
    return said + ("; try " + ", ".join(tries) if tries else "")


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
            openapi_examples={"panel": {"value": _PANEL}, "hlab": {"value": _HLAB}},
        ),
    ],
    direction: Annotated[
        Literal["upstream", "downstream"],
        Query(description="upstream: what shaped it; downstream: what it shaped"),
    ] = "upstream",
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="lineage hops to follow")] = 3,
) -> dict[str, Any]:
    """Lineage relations as declared in the schema: influence (built on, commissioned by,
    established by, succeeds...) and origin (issued by, issued at, developed by, proposes), so
    a body's downstream includes its outputs and what they shaped. One edge per fact, with the
    sources of all its claims."""
    root = resolve_entity(snapshot, id)
    result = await asyncio.to_thread(
        lineage, snapshot.network, root, direction=direction, depth=depth, schema=snapshot.schema
    )
    distance = _distances(snapshot, result.root, result.edges, direction)
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


def _distances(snapshot: Any, root: str, edges: list[Any], direction: str) -> dict[str, int]:
    distance = {root: 0}
    for hop in edges:  # lineage() lists edges in breadth-first order
        up, down = snapshot.schema.relations[hop.predicate].upstream(hop.subject, hop.object)
        near, far = (down, up) if direction == "upstream" else (up, down)
        if far not in distance and near in distance:
            distance[far] = distance[near] + 1
    return distance
