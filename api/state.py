"""What the app serves: one snapshot of the current build, reloaded when the build changes.

A ``Snapshot`` bundles everything derived from one build (store, networkx projection, search
index, manifest, query runner), so a request always sees one consistent dataset version. The
``AppState`` swaps in a new snapshot when ``govgraph build`` makes a new build current: in a
local store folder (CURRENT moves) or in a remote SPARQL store (the dataset version changes).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import networkx as nx

from api.runner import QueryRunner
from graph.build import served_version
from graph.changes import BuildEntry
from graph.derived import derive, load_derived, save_derived
from graph.history import History
from graph.oxigraph_store import OxigraphStore
from graph.remote_store import RemoteStore, is_remote
from graph.schema import Schema, load_schema
from graph.search import SearchIndex
from graph.store import Store
from graph.storedir import StoreDir, StoreMissing

__all__ = [
    "AppState",
    "BuildSource",
    "LocalBuilds",
    "RemoteBuilds",
    "RunnerFactory",
    "Snapshot",
    "build_source",
    "load_snapshot",
]

RunnerFactory = Callable[[Store], QueryRunner]


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
    history: History | None = None
    """The store folder's build history (None on a remote store, which keeps none)."""
    first_seen: dict[str, BuildEntry] = field(default_factory=dict)
    """Claim key -> the build it first appeared in, read once per snapshot."""

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unknown"))

    def has_entity(self, ident: str) -> bool:
        return ident in self.network

    def ref(self, ident: str) -> dict[str, str]:
        """``{"id", "label", "type"}`` of an entity in the projection."""
        node = self.network.nodes[ident]
        return {"id": ident, "label": node["label"], "type": node["type"]}


class BuildSource(Protocol):
    """Where the builds to serve come from: a local store folder or a remote SPARQL store."""

    def current(self) -> str | None:
        """The name of the build to serve now, or None when there is none (blocking)."""
        ...

    def open(self, build: str) -> tuple[Store, dict[str, Any]]:
        """The store holding ``build`` and its manifest (blocking)."""
        ...

    def missing(self) -> str:
        """What to tell the user when there is no build."""
        ...


class LocalBuilds:
    """Builds in a store folder (``govgraph build --store DIR``), opened read-only."""

    def __init__(self, root: Path) -> None:
        self.store_dir = StoreDir(root)

    def current(self) -> str | None:
        build = self.store_dir.current()
        return build.name if build is not None else None

    def open(self, build: str) -> tuple[Store, dict[str, Any]]:
        folder = self.store_dir.builds / build
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return OxigraphStore.open(folder / "store", read_only=True), manifest

    def missing(self) -> str:
        return f"no store at {self.store_dir.root}: run `govgraph build` first"


class RemoteBuilds:
    """The dataset in a remote SPARQL store; its build is the version it says it holds."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._probe = RemoteStore(spec)

    def current(self) -> str | None:
        return served_version(self._probe)

    def open(self, build: str) -> tuple[Store, dict[str, Any]]:
        store = RemoteStore(self.spec)
        return store, {"version": build, "store": store.endpoint, "graph": store.graph}

    def missing(self) -> str:
        return (
            f"the SPARQL store {self._probe.endpoint} holds no govgraph dataset in graph "
            f"{self._probe.graph}: run `govgraph build --store {self.spec}` first"
        )


def build_source(store: Path | str) -> BuildSource:
    """``sparql+http://...`` serves a remote store; anything else is a local store folder."""
    return RemoteBuilds(str(store)) if is_remote(str(store)) else LocalBuilds(Path(store))


def load_snapshot(source: BuildSource, build: str, runner_factory: RunnerFactory) -> Snapshot:
    """Open ``build`` and derive the projection and search index (blocking)."""
    store, manifest = source.open(build)
    history = History(source.store_dir.root) if isinstance(source, LocalBuilds) else None
    schema = load_schema()
    folder = source.store_dir.builds / build if isinstance(source, LocalBuilds) else None
    derived = load_derived(folder) if folder is not None else None
    if derived is None:  # a remote store, or a build made without its derived data
        derived = derive(store, schema)
        if folder is not None:
            save_derived(folder, derived)
    return Snapshot(
        build=build,
        store=store,
        network=derived.network,
        search=derived.search,
        manifest=manifest,
        schema=schema,
        runner=runner_factory(store),
        entity_sources=derived.entity_sources,
        history=history,
        first_seen=history.first_seen() if history else {},
    )


class AppState:
    """Holds the current snapshot; checks CURRENT at most every ``check_interval`` seconds."""

    def __init__(
        self, source: BuildSource, runner_factory: RunnerFactory, *, check_interval: float = 1.0
    ) -> None:
        self.source = source
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
        build = await asyncio.to_thread(self.source.current)
        if build is None:
            raise StoreMissing(self.source.missing())
        self._snapshot = await asyncio.to_thread(
            load_snapshot, self.source, build, self.runner_factory
        )
        self._checked = time.monotonic()

    async def current(self) -> Snapshot:
        """The snapshot to answer a request with, reloading first if CURRENT has moved."""
        now = time.monotonic()
        if now - self._checked >= self.check_interval:
            self._checked = now
            build = await asyncio.to_thread(self.source.current)
            if build is not None and build != self.snapshot.build:
                await self._reload(build)
        return self.snapshot

    async def _reload(self, build: str) -> None:
        async with self._lock:
            if build == self.snapshot.build:
                return
            fresh = await asyncio.to_thread(load_snapshot, self.source, build, self.runner_factory)
            old, self._snapshot = self._snapshot, fresh
            if old is not None:
                await old.runner.close()

    async def close(self) -> None:
        if self._snapshot is not None:
            await self._snapshot.runner.close()
            self._snapshot.store.close()
            self._snapshot = None
