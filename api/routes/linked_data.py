"""``GET /id/{slug}``: Linked-Data dereferencing (HTML, Turtle, JSON-LD, N-Triples)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.citations import claim_graph, claim_record, source_graph, source_record
from api.deps import SnapshotDep
from api.errors import BadParameter, UnknownEntity
from api.models import ErrorBody
from api.negotiate import best_match
from api.pages import templates
from api.profile import entity_profile
from api.state import Snapshot
from graph.formats import RdfFormat
from graph.results import serialize_graph
from graph.store import sparql_prologue
from graph.vocab import SLUG_RE, entity_iri, slug_of

__all__ = ["HTML_RELATIONS", "router"]

router = APIRouter(tags=["linked data"])

HTML_RELATIONS = 500
_OFFERS: dict[str, RdfFormat | None] = {
    "text/html": None,
    "application/xhtml+xml": None,
    "text/turtle": RdfFormat.TURTLE,
    "application/ld+json": RdfFormat.JSONLD,
    "application/n-triples": RdfFormat.NTRIPLES,
    "application/rdf+xml": RdfFormat.RDFXML,
    "application/json": RdfFormat.JSONLD,
    "text/plain": RdfFormat.NTRIPLES,
}
_NAMES = {"html": None, **{f.short: f for f in RdfFormat if f is not RdfFormat.NQUADS}}

_DESCRIBE = """CONSTRUCT {{
  <{iri}> ?p ?o . ?s ?q <{iri}> . ?st ?sp ?so . ?ref ?fp ?fo . ?src ?rp ?ro .
}}
WHERE {{
  {{ <{iri}> ?p ?o }}
  UNION {{ ?s ?q <{iri}> FILTER(?q NOT IN (rdf:subject, rdf:object)) }}
  UNION {{ {{ ?st rdf:subject <{iri}> }} UNION {{ ?st rdf:object <{iri}> }} ?st ?sp ?so }}
  UNION {{
    {{ ?x rdf:subject <{iri}> }} UNION {{ ?x rdf:object <{iri}> }}
    ?x gg:reference ?ref . ?ref ?fp ?fo
  }}
  UNION {{
    {{ ?y rdf:subject <{iri}> }} UNION {{ ?y rdf:object <{iri}> }}
    ?y gg:reference/prov:wasDerivedFrom ?src . ?src ?rp ?ro
  }}
  UNION {{ <{iri}> prov:wasDerivedFrom ?src . ?src ?rp ?ro }}
}}"""


_VERSION = Annotated[
    str | None,
    Query(description="the dataset version a citation was made against (noted on the page)"),
]


def _entity_graph(snapshot: Snapshot, slug: str) -> Any:
    if not SLUG_RE.match(slug):  # only a checked slug is ever written into query text
        raise UnknownEntity(slug)
    return snapshot.store.construct(sparql_prologue() + _DESCRIBE.format(iri=entity_iri(slug)))


def _choose(request: Request, format: str | None) -> RdfFormat | None:
    if format is not None:
        if format not in _NAMES:
            known = ", ".join(_NAMES)
            raise BadParameter("format", f"unknown format {format!r}; use one of {known}")
        return _NAMES[format]
    chosen = best_match(request.headers.get("accept"), list(_OFFERS))
    if chosen is None or "html" not in (request.headers.get("accept") or ""):
        return _OFFERS[chosen] if chosen and _OFFERS[chosen] else RdfFormat.TURTLE
    return _OFFERS[chosen]


@router.get(
    "/id/{slug}",
    summary="Dereference an entity IRI",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/html": {},
                "text/turtle": {},
                "application/ld+json": {},
                "application/n-triples": {},
            },
            "description": "the entity as a page or as RDF, by Accept or `format`",
        },
        404: {"model": ErrorBody, "description": "no entity has this id"},
    },
)
async def get_id(
    request: Request,
    snapshot: SnapshotDep,
    slug: Annotated[str, Path(openapi_examples={"lammy": {"value": "david-lammy"}})],
    format: Annotated[
        str | None, Query(description="html, ttl, jsonld, nt or rdf (overrides Accept)")
    ] = None,
    version: _VERSION = None,
) -> Response:
    """A browser gets a readable profile page; RDF clients get the entity's triples, its
    claims (dates, evidence), their references (quotes, evidence) and sources, as Turtle,
    JSON-LD or N-Triples."""
    rdf_format = _choose(request, format)
    slug = slug_of(slug)
    if not snapshot.has_entity(slug):
        if rdf_format is None:
            page = templates.TemplateResponse(
                request, "not_found.html", {"ident": slug, "version": snapshot.version}
            )
            page.status_code = 404
            return page
        raise UnknownEntity(slug)
    headers = {"Vary": "Accept", "Link": f'<{entity_iri(slug)}>; rel="canonical"'}
    if rdf_format is None:
        profile = await asyncio.to_thread(
            entity_profile, snapshot, slug, offset=0, limit=HTML_RELATIONS
        )
        html: HTMLResponse = templates.TemplateResponse(
            request,
            "entity.html",
            {"profile": profile, "version": snapshot.version, "asked": version},
        )
        html.headers.update(headers)
        return html
    graph = await asyncio.to_thread(_entity_graph, snapshot, slug)
    body = await asyncio.to_thread(serialize_graph, graph, format=rdf_format)
    return Response(body, media_type=rdf_format.media_type, headers=headers)


_RDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/html": {},
            "text/turtle": {},
            "application/ld+json": {},
            "application/n-triples": {},
        },
        "description": "a page for browsers, RDF by Accept or `format`",
    },
    404: {"model": ErrorBody, "description": "no such id"},
}


async def _citable(
    request: Request,
    snapshot: Snapshot,
    *,
    record: dict[str, Any] | None,
    graph: Any,
    template: str,
    what: str,
    ident: str,
    rdf_format: RdfFormat | None,
    asked: str | None,
) -> Response:
    if record is None:
        raise UnknownEntity(ident, what=what)
    headers = {"Vary": "Accept", "Link": f'<{record["iri"]}>; rel="canonical"'}
    if rdf_format is None:
        page: HTMLResponse = templates.TemplateResponse(
            request, template, {"record": record, "version": snapshot.version, "asked": asked}
        )
        page.headers.update(headers)
        return page
    body = await asyncio.to_thread(
        serialize_graph, await asyncio.to_thread(graph), format=rdf_format
    )
    return Response(body, media_type=rdf_format.media_type, headers=headers)


@router.get(
    "/statement/{id}",
    summary="A claim: one fact with all its references (citable)",
    response_class=Response,
    responses=_RDF_RESPONSES,
)
async def get_claim(
    request: Request,
    snapshot: SnapshotDep,
    id: Annotated[str, Path(description="the claim id (24 hex digits)")],
    format: Annotated[str | None, Query(description="html, ttl, jsonld, nt or rdf")] = None,
    version: _VERSION = None,
) -> Response:
    """A claim's page: the fact in words, its dates and evidence, every reference (source,
    publisher, date, quote) and a citation line with the dataset version; RDF by `Accept`."""
    rdf_format = _choose(request, format)
    record = await asyncio.to_thread(claim_record, snapshot, id)
    return await _citable(
        request,
        snapshot,
        record=record,
        graph=lambda: claim_graph(snapshot, id),
        template="statement.html",
        what="claim",
        ident=id,
        rdf_format=rdf_format,
        asked=version,
    )


@router.get(
    "/source/{id}",
    summary="A source: what it is and every claim that cites it (citable)",
    response_class=Response,
    responses=_RDF_RESPONSES,
)
async def get_source(
    request: Request,
    snapshot: SnapshotDep,
    id: Annotated[str, Path(description="the source id (a slug)")],
    format: Annotated[str | None, Query(description="html, ttl, jsonld, nt or rdf")] = None,
    version: _VERSION = None,
) -> Response:
    """A source's page: title, publisher, date, URL, access date, the claims that cite it (with
    their quotes) and the entities it describes; RDF by `Accept`."""
    rdf_format = _choose(request, format)
    record = await asyncio.to_thread(source_record, snapshot, id)
    return await _citable(
        request,
        snapshot,
        record=record,
        graph=lambda: source_graph(snapshot, id),
        template="source.html",
        what="source",
        ident=id,
        rdf_format=rdf_format,
        asked=version,
    )
