"""A minimal app wired like the real one: the hardened runner behind ``/sparql``, the limits
middleware around everything, and an in-process lookup standing in for the JSON API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import URIRef

from api.limits import LimitsMiddleware
from api.pool_runner import ProcessPoolRunner
from api.runner import QueryFailed, QueryRefused, QueryTimeout
from api.settings import Settings
from graph.formats import RdfFormat, ResultFormat
from graph.store import QueryError, sparql_prologue
from graph.storedir import StoreDir

_LOOKUP = sparql_prologue() + "SELECT ?e ?label WHERE { ?e rdfs:label ?label }"


def create_mini_app(store_root: Path, settings: Settings) -> FastAPI:
    runner = ProcessPoolRunner(store_root, settings)
    store = StoreDir(store_root).open()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runner.start()
        yield
        await runner.stop()

    app = FastAPI(lifespan=lifespan)
    app.state.runner = runner

    async def answer(query: str) -> Response:
        try:
            out = await runner.run(
                query,
                result_format=ResultFormat.JSON,
                graph_format=RdfFormat.TURTLE,
                max_rows=settings.max_rows,
            )
        except (QueryRefused, QueryError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except QueryTimeout as exc:
            return JSONResponse({"error": str(exc)}, status_code=503)
        except QueryFailed as exc:
            return JSONResponse({"error": str(exc)}, status_code=500)
        headers = {"X-Truncated": "true"} if out.truncated else {}
        return Response(out.body, media_type=out.media_type, headers=headers)

    @app.get("/sparql")
    async def sparql_get(query: str) -> Response:
        return await answer(query)

    @app.post("/sparql")
    async def sparql_post(request: Request) -> Response:
        body = await request.body()
        return await answer(body.decode("utf-8", errors="replace"))

    @app.get("/lookup/{slug}")
    async def lookup(slug: str) -> JSONResponse:
        iri = URIRef(f"https://w3id.org/govgraph/id/{slug}")
        rows = await asyncio.to_thread(store.select, _LOOKUP, bindings={"e": iri})
        return JSONResponse({"labels": [str(r["label"]) for r in rows]})

    @app.get("/page")
    async def page() -> HTMLResponse:
        return HTMLResponse("<p>hello</p>")

    app.add_middleware(LimitsMiddleware, settings=settings)
    return app
