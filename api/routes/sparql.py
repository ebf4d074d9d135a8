"""``GET, POST /sparql``: the SPARQL 1.1 Protocol (query only), and a query page for browsers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SnapshotDep
from api.examples import EXAMPLES
from api.limits import query_client
from api.pages import templates
from api.runner import QueryFailed, QueryRefused, QueryTimeout
from api.sparql import ProtocolError, choose_formats, wants_html
from graph.store import QueryError

__all__ = ["MAX_ROWS", "router"]

router = APIRouter(tags=["sparql"])

MAX_ROWS = 10_000
_TEXT_TYPES = ("text/", "application/sparql-results+xml", "application/rdf+xml")
_DOC = """SPARQL 1.1 Protocol, query only. Send the query as `query` (GET parameter or POST form
field) or as a POST body of type `application/sparql-query`. Results follow `Accept`
(SPARQL JSON/XML/CSV/TSV for SELECT and ASK; Turtle, N-Triples, JSON-LD or RDF/XML for
CONSTRUCT and DESCRIBE) or the `format` parameter (json, xml, csv, tsv, ttl, nt, jsonld, rdf).
Prefixes gg:, id:, src:, st:, rdf:, rdfs:, owl:, skos:, schema:, prov:, dcterms:... are
predeclared. SPARQL Update is refused with 400. A browser without a query gets the query page."""


def _plain(message: str, status: int) -> Response:
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")


def _page(request: Request, snapshot: SnapshotDep, query: str | None) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "sparql.html",
        {
            "examples": [e.as_dict() for e in EXAMPLES],
            "query": query or EXAMPLES[0].query,
            "autorun": bool(query),
            "version": snapshot.version,
            "manifest": snapshot.manifest,
        },
    )


async def _answer(
    request: Request, snapshot: SnapshotDep, query: str | None, format: str | None
) -> Response:
    accept = request.headers.get("accept")
    try:
        if query is None or not query.strip():
            raise ProtocolError("missing query: send ?query=... or POST a query")
        formats = choose_formats(accept, format)
        outcome = await snapshot.runner.run(
            query,
            result_format=formats.result,
            graph_format=formats.graph,
            max_rows=MAX_ROWS,
            client=query_client(request.scope),
        )
    except ProtocolError as exc:
        return _plain(str(exc), exc.status)
    except (QueryRefused, QueryFailed, QueryError) as exc:
        return _plain(str(exc), 400)
    except QueryTimeout as exc:
        return _plain(str(exc), 503)
    media = outcome.media_type
    if media.startswith(_TEXT_TYPES) or media.endswith("json"):
        media += "; charset=utf-8"
    headers = {"X-Govgraph-Truncated": "true" if outcome.truncated else "false"}
    if outcome.rows is not None:
        headers["X-Govgraph-Rows"] = str(outcome.rows)
    return Response(outcome.body, media_type=media, headers=headers)


@router.get("/sparql", summary="SPARQL query (GET) or the query page", description=_DOC)
async def sparql_get(
    request: Request,
    snapshot: SnapshotDep,
    query: Annotated[
        str | None,
        Query(
            description="the SPARQL query",
            openapi_examples={
                "signatories": {
                    "value": "SELECT ?who WHERE { ?who gg:signed id:bletchley-declaration }"
                }
            },
        ),
    ] = None,
    format: Annotated[str | None, Query(description="json|xml|csv|tsv|ttl|nt|jsonld|rdf")] = None,
) -> Response:
    if format is None and wants_html(request.headers.get("accept")):
        return _page(request, snapshot, query)
    return await _answer(request, snapshot, query, format)


@router.post(
    "/sparql",
    summary="SPARQL query (POST form or application/sparql-query body)",
    description=_DOC,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}, "format": {"type": "string"}},
                    }
                },
            }
        }
    },
)
async def sparql_post(
    request: Request,
    snapshot: SnapshotDep,
    format: Annotated[str | None, Query(description="json|xml|csv|tsv|ttl|nt|jsonld|rdf")] = None,
) -> Response:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/sparql-update":
        return _plain("SPARQL Update is not allowed: this endpoint is read-only", 400)
    if kind == "application/sparql-query":
        body = await request.body()
        try:
            query: str | None = body.decode("utf-8")
        except UnicodeDecodeError:
            return _plain("the query must be UTF-8", 400)
    elif kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        if form.get("update") is not None:
            return _plain("SPARQL Update is not allowed: this endpoint is read-only", 400)
        value = form.get("query")
        query = value if isinstance(value, str) else None
        fmt = form.get("format")
        format = fmt if isinstance(fmt, str) and fmt else format
    else:
        return _plain(
            "POST the query as application/sparql-query or as the form field 'query'", 415
        )
    return await _answer(request, snapshot, query, format)
