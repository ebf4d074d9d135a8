"""``/reconcile``: the W3C Reconciliation Service API, so OpenRefine can match names to ids.

``GET /reconcile`` is the service manifest; with ``queries=`` (GET or POST form) it reconciles
a batch of names, with ``extend=`` it fetches property values (data extension). Preview,
suggest and property proposals live under it, as the manifest says. The logic is in
``api.reconcile``; this module speaks HTTP: form or query parameters, JSONP for GET (OpenRefine
3.x falls back to it; the callback name is checked strictly), and a preview card that OpenRefine
may frame from its own origin.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api import reconcile as rc
from api.deps import SnapshotDep, resolve_entity
from api.limits import CSP
from api.models import ErrorBody
from api.reconcile_models import (
    CANDIDATE_EXAMPLE,
    EXTEND_EXAMPLE,
    MANIFEST_EXAMPLE,
    Candidate,
    ExtendResponse,
    Manifest,
    ProposeResponse,
    Result,
    ResultBatch,
    SuggestResponse,
)
from api.state import Snapshot

__all__ = [
    "Candidate",
    "ExtendResponse",
    "Manifest",
    "ProposeResponse",
    "Result",
    "ResultBatch",
    "SuggestResponse",
    "router",
]

router = APIRouter(prefix="/reconcile", tags=["reconcile"])

_CALLBACK = re.compile(r"[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,3}", re.ASCII)
_FRAMEABLE_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")
_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "a parameter is not valid JSON or names no class"}
}

_GET_EXAMPLES = {
    "manifest": {"summary": "no parameters: the manifest", "value": MANIFEST_EXAMPLE},
    "queries": {
        "summary": "queries=: a result per query key",
        "value": {"q0": {"result": [CANDIDATE_EXAMPLE]}},
    },
    "extend": {"summary": "extend=: values per id and property", "value": EXTEND_EXAMPLE},
}

QueriesParam = Annotated[
    str | None,
    Query(
        description='a JSON query batch: {"q0": {"query": "Li Qiang", "type": "Person", '
        '"limit": 3, "properties": [{"pid": "holds", "v": "Premier of China"}]}}',
        openapi_examples={
            "typo": {"value": '{"q0": {"query": "Bletchly declaration"}}'},
            "acronym, typed": {"value": '{"q0": {"query": "AISI", "type": "SafetyInstitute"}}'},
            "property": {
                "value": '{"q0": {"query": "Ada Example", '
                '"properties": [{"pid": "holds", "v": "Atlantis Foreign Minister"}]}}'
            },
        },
    ),
]
ExtendParam = Annotated[
    str | None,
    Query(
        description='a JSON data extension query: {"ids": ["li-qiang"], '
        '"properties": [{"id": "wikidata"}, {"id": "holds"}]}',
        openapi_examples={
            "extend": {"value": '{"ids": ["atlantis"], "properties": [{"id": "^signed"}]}'}
        },
    ),
]
CallbackParam = Annotated[
    str | None,
    Query(description="JSONP: wrap the JSON in a call to this function (GET only)"),
]


def _root(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _checked(callback: str | None) -> str | None:
    """A JSONP callback must be a plain (dotted) JavaScript name: nothing else reaches a script."""
    if callback is not None and not _CALLBACK.fullmatch(callback):
        raise rc.BadInput("callback", "expected a JavaScript function name like cb or jQuery.cb")
    return callback


def _reply(body: dict[str, Any], callback: str | None) -> Response:
    """JSON, or JSONP when a (strictly checked) callback name is given."""
    if _checked(callback) is None:
        return JSONResponse(body)
    text = json.dumps(body, ensure_ascii=True)
    return Response(f"/**/{callback}({text});", media_type="application/javascript")


async def _answer(
    snapshot: Snapshot, queries: Any | None, extend: Any | None, request: Request
) -> dict[str, Any]:
    """The manifest, a reconciliation batch or a data extension, whichever was asked."""
    if queries is not None:
        parsed, listed = rc.parse_queries(queries, snapshot.schema)
        results = await asyncio.to_thread(rc.reconcile, snapshot, parsed)
        if listed:  # the newer draft: results in query order, each with its candidates
            return {"results": [{"candidates": results[k]["result"]} for k in parsed]}
        return results  # no version key here: every key of a result batch is a query's
    if extend is not None:
        ids, props = rc.parse_extend(extend, snapshot.schema)
        body = await asyncio.to_thread(rc.extend, snapshot, ids, props)
        return {**body, "version": snapshot.version}
    return rc.manifest(snapshot, _root(request))


@router.get(
    "",
    summary="Reconciliation service: manifest, queries or data extension",
    responses={
        200: {"model": Manifest, "content": {"application/json": {"examples": _GET_EXAMPLES}}},
        **_ERRORS,
    },
)
async def reconcile_get(
    request: Request,
    snapshot: SnapshotDep,
    queries: QueriesParam = None,
    extend: ExtendParam = None,
    callback: CallbackParam = None,
) -> Response:
    """Without parameters, the service manifest (add `http://127.0.0.1:8000/reconcile` in
    OpenRefine: Reconcile → Start reconciling → Add standard service). With `queries`, a
    result per query key, best candidate first: names match any label, alias or acronym and
    tolerate typos; `type` admits subclasses; `properties` (a relation such as `memberOf`,
    `^signed` for "signed by", or `wikidata`, valued by an id or a name) boost candidates
    that agree (`"required": true` keeps only those). `match` is true for an exact label or
    alias clearly ahead of the next candidate. With `extend`, property values per id."""
    _checked(callback)  # before any work
    return _reply(await _answer(snapshot, queries, extend, request), callback)


@router.post(
    "",
    summary="Reconcile a batch of names, or extend ids with property values",
    responses={200: {"model": ResultBatch, "description": "a result per query"}, **_ERRORS},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "queries": {
                                "type": "string",
                                "description": "a JSON query batch",
                                "example": '{"q0": {"query": "Bletchly declaration"}}',
                            },
                            "extend": {
                                "type": "string",
                                "description": "a JSON data extension query",
                                "example": '{"ids": ["li-qiang"], "properties": [{"id": "holds"}]}',
                            },
                        },
                    }
                },
                "application/json": {
                    "schema": {"type": "object", "description": '{"queries": [...]} (draft)'}
                },
            }
        }
    },
)
async def reconcile_post(request: Request, snapshot: SnapshotDep) -> Response:
    """As GET, with `queries` or `extend` in a form body (what OpenRefine sends); a JSON body
    `{"queries": [...]}` (the newer draft) gets `{"results": [{"candidates": [...]}]}`."""
    fields: dict[str, Any] = dict(request.query_params)
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body())
        except json.JSONDecodeError as exc:
            raise rc.BadInput("queries", f"the JSON body is not valid JSON ({exc.msg})") from None
        if not isinstance(body, dict):
            raise rc.BadInput("queries", 'expected a JSON body like {"queries": [...]}')
        fields.update({k: v for k, v in body.items() if k in ("queries", "extend")})
    else:
        form = await request.form()
        fields.update({k: v for k, v in form.items() if isinstance(v, str)})
    return _reply(
        await _answer(snapshot, fields.get("queries"), fields.get("extend"), request), None
    )


@router.get(
    "/preview",
    summary="An entity as a small HTML card (OpenRefine frames it)",
    response_class=HTMLResponse,
    responses={404: {"model": ErrorBody, "description": "no entity has this id"}},
)
async def preview(
    snapshot: SnapshotDep,
    id: Annotated[str, Query(description="entity slug or IRI", examples=["li-qiang"])],
) -> HTMLResponse:
    """Label, class, description, other names and a link to the entity's page; every name is
    escaped text. Any site may frame it (OpenRefine shows it in a popup from its own origin)."""
    slug = resolve_entity(snapshot, id)
    facts = await asyncio.to_thread(rc.preview_facts, snapshot, slug)
    return HTMLResponse(_card(facts), headers={"Content-Security-Policy": _FRAMEABLE_CSP})


def _card(facts: dict[str, Any]) -> str:
    e = html.escape
    others = [v for k, v in facts["labels"].items() if k not in ("en", "")] + facts["aliases"]
    dates = " – ".join(d for d in (facts["start"], facts["end"]) if d)
    rows = [
        f'<p class="type">{e(facts["type_label"])}{" · " + e(dates) if dates else ""}</p>',
        f'<p class="desc">{e(facts["description"])}</p>' if facts["description"] else "",
        f'<p class="aka">Also: {e(", ".join(others))}</p>' if others else "",
        f'<p class="qid">Wikidata: {e(", ".join(facts["wikidata"]))}</p>'
        if facts["wikidata"]
        else "",
    ]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(facts['label'])}</title><style>"
        "body{font:14px/1.4 system-ui,sans-serif;margin:8px;color:#222}"
        "h1{font-size:16px;margin:0 0 4px}p{margin:2px 0}.type,.aka,.qid{color:#555}"
        "</style></head><body>"
        f'<h1><a href="/id/{e(facts["id"])}" target="_blank" rel="noopener">'
        f"{e(facts['label'])}</a></h1>{''.join(rows)}"
        f'<p class="id"><code>{e(facts["id"])}</code></p></body></html>'
    )


PrefixParam = Annotated[
    str, Query(max_length=200, description="what the user typed so far", examples=["Bletch"])
]
CursorParam = Annotated[int, Query(ge=0, le=1000, description="skip this many suggestions")]
LimitParam = Annotated[int, Query(ge=1, le=100, description="at most this many suggestions")]


def _class(snapshot: Snapshot, name: str, type_: str | None) -> str | None:
    if type_ is None:
        return None
    cls = type_.removeprefix(rc.SCHEMA_SPACE)
    if cls not in snapshot.schema.classes:
        allowed = ", ".join(sorted(snapshot.schema.classes))
        raise rc.BadInput(name, f"unknown class {type_!r}; use one of {allowed}")
    return cls


@router.get(
    "/suggest/entity",
    summary="Suggest entities as the user types",
    response_model=SuggestResponse,
    responses=_ERRORS,
)
async def suggest_entity(
    snapshot: SnapshotDep,
    prefix: PrefixParam,
    type: Annotated[str | None, Query(description="restrict to a class and its subclasses")] = None,
    cursor: CursorParam = 0,
    limit: LimitParam = 10,
    callback: CallbackParam = None,
) -> Response:
    """Entities whose label, alias or acronym starts with or contains `prefix` (or nearly
    spells it), as `/api/search` ranks them."""
    cls = _class(snapshot, "type", type)
    result = await asyncio.to_thread(
        rc.suggest_entities, snapshot, prefix, type_=cls, cursor=cursor, limit=limit
    )
    return _reply({"result": result, "version": snapshot.version}, callback)


@router.get(
    "/suggest/type", summary="Suggest classes as the user types", response_model=SuggestResponse
)
async def suggest_type(
    snapshot: SnapshotDep,
    prefix: PrefixParam,
    cursor: CursorParam = 0,
    limit: LimitParam = 10,
    callback: CallbackParam = None,
) -> Response:
    """Classes of graph/schema.yaml whose id or label starts with, then contains, `prefix`."""
    result = rc.suggest_types(snapshot, prefix)[cursor : cursor + limit]
    return _reply({"result": result, "version": snapshot.version}, callback)


@router.get(
    "/suggest/property",
    summary="Suggest properties as the user types",
    response_model=SuggestResponse,
)
async def suggest_property(
    snapshot: SnapshotDep,
    prefix: PrefixParam,
    cursor: CursorParam = 0,
    limit: LimitParam = 10,
    callback: CallbackParam = None,
) -> Response:
    """Relations (`^relation` reads the other way: `^signed` is "signed by"), `wikidata` and
    the plain fields, whose id or name starts with, then contains, `prefix`."""
    result = rc.suggest_properties(snapshot, prefix)[cursor : cursor + limit]
    return _reply({"result": result, "version": snapshot.version}, callback)


@router.get(
    "/propose_properties",
    summary="Properties to fetch for a class (data extension)",
    response_model=ProposeResponse,
    responses=_ERRORS,
)
async def propose_properties(
    snapshot: SnapshotDep,
    type: Annotated[
        str | None, Query(description="a class id; its relations by schema domain and range")
    ] = None,
    limit: Annotated[int | None, Query(ge=1, le=500, description="at most this many")] = None,
    callback: CallbackParam = None,
) -> Response:
    """The plain fields (label, aliases, description, type, Wikidata QID, dates), then every
    relation whose domain admits the class, then every reversed relation whose range does."""
    cls = _class(snapshot, "type", type)
    props = rc.propose_properties(snapshot, cls)[:limit]
    body: dict[str, Any] = {"type": cls, "properties": props, "version": snapshot.version}
    if limit is not None:
        body["limit"] = limit
    return _reply(body, callback)
