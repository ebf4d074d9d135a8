"""What the app serves: one snapshot of the current build, reloaded when CURRENT changes.

A ``Snapshot`` bundles everything derived from one build (store, networkx projection, search
index, manifest, query runner), so a request always sees one consistent dataset version. The
``AppState`` swaps in a new snapshot when ``govgraph build`` points CURRENT at a new build.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from api.runner import QueryRunner
from graph.network import project
from graph.oxigraph_store import OxigraphStore
from graph.schema import Schema, load_schema
from graph.search import SearchIndex
from graph.store import Store, sparql_prologue
from graph.storedir import StoreDir
from graph.vocab import slug_of

__all__ = ["AppState", "RunnerFactory", "Snapshot", "load_snapshot"]

RunnerFactory = Callable[[Store], QueryRunner]

_ENTITY_SOURCES = (
    sparql_prologue()
    + """
SELECT ?e ?src ?title ?url WHERE {
  ?e prov:wasDerivedFrom ?src . ?src a gg:Source .
  FILTER(STRSTARTS(STR(?e), STR(id:)))
  OPTIONAL { ?src dcterms:title ?title } OPTIONAL { ?src schema:url ?url }
} ORDER BY ?e ?src"""
)


@dataclass
class Snapshot:
    """Everything derived from one build of the store."""

    build: str
    store: Store
    network: nx.MultiDiGraph
    search: SearchIndex
    manifest: dict[str, Any]
    schema: Schema
    runner: QueryRunner
    entity_sources: dict[str, list[dict[str, str | None]]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unknown"))

    def has_entity(self, ident: str) -> bool:
        return ident in self.network

    def ref(self, ident: str) -> dict[str, str]:
        """``{"id", "label", "type"}`` of an entity in the projection."""
        node = self.network.nodes[ident]
        return {"id": ident, "label": node["label"], "type": node["type"]}


def _entity_sources(store: Store) -> dict[str, list[dict[str, str | None]]]:
    out: dict[str, list[dict[str, str | None]]] = {}
    for row in store.select(_ENTITY_SOURCES):
        out.setdefault(slug_of(str(row["e"])), []).append(
            {
                "id": str(row["src"]).rsplit("/", 1)[-1],
                "title": str(row["title"]) if "title" in row else None,
                "url": str(row["url"]) if "url" in row else None,
                "quote": None,
            }
        )
    return out


def load_snapshot(build: Path, runner_factory: RunnerFactory) -> Snapshot:
    """Open ``build`` read-only and derive the projection and search index (blocking)."""
    store = OxigraphStore.open(build / "store", read_only=True)
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    schema = load_schema()
    return Snapshot(
        build=build.name,
        store=store,
        network=project(store, schema),
        search=SearchIndex.from_store(store, schema),
        manifest=manifest,
        schema=schema,
        runner=runner_factory(store),
        entity_sources=_entity_sources(store),
    )


class AppState:
    """Holds the current snapshot; checks CURRENT at most every ``check_interval`` seconds."""

    def __init__(
        self, root: Path, runner_factory: RunnerFactory, *, check_interval: float = 1.0
    ) -> None:
        self.store_dir = StoreDir(root)
        self.runner_factory = runner_factory
        self.check_interval = check_interval
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            raise RuntimeError("the app state is not started")
        return self._snapshot

    async def start(self) -> None:
        build = self.store_dir.require_current()
        self._snapshot = await asyncio.to_thread(load_snapshot, build, self.runner_factory)
        self._checked = time.monotonic()

    async def current(self) -> Snapshot:
        """The snapshot to answer a request with, reloading first if CURRENT has moved."""
        now = time.monotonic()
        if now - self._checked >= self.check_interval:
            self._checked = now
            build = self.store_dir.current()
            if build is not None and build.name != self.snapshot.build:
                await self._reload(build)
        return self.snapshot

    async def _reload(self, build: Path) -> None:
        async with self._lock:
            if build.name == self.snapshot.build:
                return
            fresh = await asyncio.to_thread(load_snapshot, build, self.runner_factory)
            old, self._snapshot = self._snapshot, fresh
            if old is not None:
                await old.runner.close()

    async def close(self) -> None:
        if self._snapshot is not None:
            await self._snapshot.runner.close()
            self._snapshot.store.close()
            self._snapshot = None
