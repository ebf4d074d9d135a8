"""The app factory: ``create_app()`` wires the routers, the lifespan that opens the store,
the version header, error handlers and the local static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import install_error_handlers
from api.limits import LimitsMiddleware
from api.pages import STATIC_DIR
from api.pool_runner import ProcessPoolRunner
from api.routes import (
    changes,
    entities,
    export,
    home,
    linked_data,
    meta,
    network,
    participation,
    reconcile,
    search,
    sparql,
    temporal,
    timeline_view,
)
from api.routes import views as views_routes
from api.runner import QueryRunner, ThreadRunner
from api.settings import Settings
from api.state import AppState, LocalBuilds, RunnerFactory, build_source
from graph.store import Store
from graph.storedir import default_store_path

__all__ = ["ROUTERS", "VERSION_HEADER", "create_app"]

VERSION_HEADER = "X-Govgraph-Version"

# Every router of the app, in one place. Add a new area here.
ROUTERS: list[APIRouter] = [
    meta.router,
    home.router,
    search.router,
    reconcile.router,
    entities.router,
    network.router,
    temporal.router,
    changes.router,
    export.router,
    sparql.router,
    linked_data.router,
    views_routes.router,
    participation.router,
    timeline_view.router,
]

_DESCRIPTION = """An open knowledge graph of the actors of AI governance. Every relation
carries its dates, evidence kind, source and a verbatim quote. Entity ids are slugs
(`david-lammy`); every route also accepts the full IRI
(`https://w3id.org/govgraph/id/david-lammy`). Every JSON body has `version` and every
response the `X-Govgraph-Version` header: the dataset version of the build being served."""


class VersionHeader:
    """Adds the dataset version being served to every response."""

    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                version = scope.get("govgraph.version")
                if version is None and self.state._snapshot is not None:
                    version = self.state._snapshot.version
                if version is not None:
                    headers = list(message.get("headers", []))
                    headers.append((VERSION_HEADER.lower().encode(), str(version).encode()))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_version)


def create_app(
    store: Path | str | None = None,
    *,
    runner_factory: RunnerFactory | None = None,
    check_interval: float = 1.0,
    settings: Settings | None = None,
) -> FastAPI:
    """The govgraph web app serving the current build in ``store``: a store folder, or
    ``sparql+http://host:port/sparql`` for a remote SPARQL store.

    ``runner_factory`` makes the SPARQL query runner for each snapshot of the store;
    ``check_interval`` is how often (seconds) to look for a newer build. By default queries on
    a local store run in isolated worker processes (``ProcessPoolRunner``) under the limits of
    ``settings``; on a remote store they run on the remote server, which enforces its own.
    """
    root = store or default_store_path()
    settings = settings or Settings.from_env()
    source = build_source(root)
    pool = None
    if runner_factory is None and isinstance(source, LocalBuilds):
        pool = ProcessPoolRunner(Path(root), settings)
        runner_factory = pool.for_store
    if runner_factory is None:  # a remote store: its server runs the queries

        def runner_factory(store: Store) -> QueryRunner:
            return ThreadRunner(
                store, max_length=settings.max_query_chars, max_depth=settings.max_query_depth
            )

    state = AppState(source, runner_factory, check_interval=check_interval)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if pool is not None:
            await pool.start()
        await state.start()
        try:
            yield
        finally:
            await state.close()
            if pool is not None:
                await pool.stop()

    app = FastAPIOffline(  # Swagger UI served by the app: /docs works offline
        redoc_url=None,  # ReDoc's bundle fetches its logo from a CDN
        title="govgraph",
        description=_DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.govgraph = state
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=[VERSION_HEADER],
    )
    app.add_middleware(VersionHeader, state=state)
    app.add_middleware(LimitsMiddleware, settings=settings)
    return app
