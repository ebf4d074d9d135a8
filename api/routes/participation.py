"""``GET /api/participation`` (JSON or CSV) and ``GET /views/participation`` (an HTML table):
who took part in which summit, signed which declaration, is a member of which network.

Both routes parse the same parameters (:func:`matrix_params`) and answer with the same
matrix (:func:`api.participation.matrix`), so the view's ``format=json`` is the API's body.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import SnapshotDep, resolve_entity
from api.models import ErrorBody
from api.participation import (
    Of,
    candidate_columns,
    incomplete_lists,
    matrix,
    matrix_csv,
    order_columns,
)
from api.participation_models import ParticipationResponse
from api.participation_view import ParticipationPage, render_participation
from api.state import Snapshot
from graph.views import PageLinks

__all__ = ["MatrixDep", "MatrixParams", "answer", "matrix_params", "router"]

router = APIRouter(tags=["participation"])

_IDS_HELP = "repeat or comma-separate; slugs or IRIs"


@dataclass(frozen=True)
class MatrixParams:
    """The request's choice of matrix, its filters and its comparison."""

    of: Of
    actor_type: tuple[str, ...]
    columns: tuple[str, ...]
    in_: tuple[str, ...]
    not_in: tuple[str, ...]
    evidence: str | None

    def query(self) -> list[tuple[str, str]]:
        """As query parameters (for links to the API, the CSV and the view)."""
        pairs: list[tuple[str, str]] = [("of", self.of)]
        for name, values in (
            ("actor_type", self.actor_type),
            ("columns", self.columns),
            ("in", self.in_),
            ("not_in", self.not_in),
        ):
            pairs += [(name, v) for v in values]
        return pairs + ([("evidence", self.evidence)] if self.evidence else [])


def _split(values: list[str]) -> tuple[str, ...]:
    found = (v.strip() for value in values for v in value.split(","))
    return tuple(dict.fromkeys(v for v in found if v))


async def matrix_params(
    snapshot: SnapshotDep,
    of: Annotated[
        Of,
        Query(
            description="summits: actors by summit (hosted, attended, invited to, signed a "
            "document issued at it); declarations: signatories and sponsors by signed "
            "document; networks: members by organisation"
        ),
    ] = "summits",
    actor_type: Annotated[
        list[str],
        Query(
            description="keep actors of these classes (subclasses included; " + _IDS_HELP + ")",
            openapi_examples={"countries": {"value": ["Country"]}},
        ),
    ] = [],  # noqa: B006 (FastAPI copies defaults)
    columns: Annotated[
        list[str],
        Query(description="show only these columns (" + _IDS_HELP + "); default: all"),
    ] = [],  # noqa: B006
    in_: Annotated[
        list[str],
        Query(
            alias="in",
            description="keep actors present in every one of these columns (always shown)",
            openapi_examples={"bletchley": {"value": ["bletchley-declaration"]}},
        ),
    ] = [],  # noqa: B006
    not_in: Annotated[
        list[str],
        Query(
            description="keep actors absent from every one of these columns (always shown)",
            openapi_examples={"paris": {"value": ["paris-statement-inclusive-sustainable-ai"]}},
        ),
    ] = [],  # noqa: B006
    evidence: Annotated[
        Literal["documented", "reported", "inferred", ""] | None,
        Query(
            description="keep only claims at least this strong: documented, reported "
            "(documented or a secondary source), inferred or empty (all)"
        ),
    ] = None,
) -> MatrixParams:
    def ids(values: list[str]) -> tuple[str, ...]:
        return tuple(resolve_entity(snapshot, v) for v in _split(values))

    return MatrixParams(
        of=of,
        actor_type=_split(actor_type),
        columns=ids(columns),
        in_=ids(in_),
        not_in=ids(not_in),
        evidence=evidence or None,
    )


MatrixDep = Annotated[MatrixParams, Depends(matrix_params)]


def answer(snapshot: Snapshot, params: MatrixParams) -> dict[str, Any]:
    """The matrix with the request's filters and the dataset version (blocking)."""
    found = matrix(
        snapshot.network,
        snapshot.schema,
        params.of,
        actor_types=params.actor_type,
        columns=params.columns,
        in_=params.in_,
        not_in=params.not_in,
        evidence=params.evidence,
        incomplete=incomplete_lists(snapshot.store, snapshot.schema),
    )
    filters = {
        "actor_type": list(params.actor_type),
        "columns": list(params.columns),
        "in": list(params.in_),
        "not_in": list(params.not_in),
        "evidence": params.evidence,
    }
    return {"of": found.pop("of"), "filters": filters, **found, "version": snapshot.version}


def _csv_response(body: dict[str, Any]) -> Response:
    return Response(
        matrix_csv(body),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="participation-{body["of"]}.csv"'},
    )


@router.get(
    "/api/participation",
    response_model=ParticipationResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "the matrix (JSON, or CSV)"},
        404: {"model": ErrorBody, "description": "unknown entity id"},
        422: {"model": ErrorBody, "description": "not a column of this matrix, unknown class"},
    },
    summary="Who took part in what: actors by summits, declarations or networks",
)
async def get_participation(
    snapshot: SnapshotDep,
    params: MatrixDep,
    format: Annotated[
        Literal["json", "csv"],
        Query(description="json; csv: one row per actor, one column per summit/document/network"),
    ] = "json",
) -> Any:
    """A matrix of actors (rows) by summits, declarations or networks (columns, in time order;
    a `succeeds` link keeps a successor after its predecessor). Each cell lists how the actor
    took part (`relations`), the `claims` (id, dates, evidence, `via` the document issued at
    the summit or the session part of it, every reference with its quote) and the `sources`
    to cite. Each row says which columns it is `in`, its `count`, `first` (when it joined),
    `last`, and `left`: the last column it was in before being absent from every later column
    of that series (a series is a chain of `succeeds` links: the summit series; a network and
    its renamed successor). Compare with `in` and `not_in`: `of=declarations&in=A&not_in=B`
    are those who signed A but not B. An empty cell is no record, not proof of absence."""
    body = await asyncio.to_thread(answer, snapshot, params)
    return _csv_response(body) if format == "csv" else body


def _query(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs) if pairs else ""


def _page(
    request: Request, snapshot: Snapshot, params: MatrixParams, body: dict[str, Any]
) -> ParticipationPage:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("format", "embed")]
    site = str(request.base_url).rstrip("/")
    path = request.url.path
    api = "/api/participation" + _query(params.query())
    links = PageLinks(
        json=path + _query([*kept, ("format", "json")]),
        api=api,
        embed=site + path + _query([*kept, ("embed", "true")]),
        profile_base=site + "/id/",
        page=site + path + _query(kept),
        version=snapshot.version,
        search="/search",
    )
    g = snapshot.network
    every = order_columns(g, candidate_columns(g, snapshot.schema, params.of))
    return ParticipationPage(
        data=body,
        all_columns=[{"id": c, **g.nodes[c]} for c in every],
        links=links,
        csv=api + "&format=csv",
        site=site,
    )


@router.get(
    "/views/participation",
    tags=["views"],
    summary="Who took part in what, as a table",
    response_class=HTMLResponse,
)
async def participation_page(
    request: Request,
    snapshot: SnapshotDep,
    params: MatrixDep,
    format: Annotated[
        Literal["html", "json"], Query(description="html: the table; json: the API's body")
    ] = "html",
    embed: Annotated[bool, Query(description="only the table, for an iframe")] = False,
) -> Response:
    """The matrix of `/api/participation` as a table: actors down, columns across, a ✓ in
    each cell with a part (hover for how, when and the sources; click it for the claim), the
    header row and the actor column kept in view. Filter by actor type, choose columns,
    compare two (`in`, `not_in`). No script: it works offline. `format=json` is the API's
    body; `embed=true` the table alone, for an iframe."""
    body = await asyncio.to_thread(answer, snapshot, params)
    if format == "json":
        return JSONResponse(body)
    page = _page(request, snapshot, params, body)
    html = await asyncio.to_thread(render_participation, page, schema=snapshot.schema, embed=embed)
    return HTMLResponse(html)  # api.limits lets any site frame /views/ (the embed snippet)
