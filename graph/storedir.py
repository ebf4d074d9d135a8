"""Where built stores live on disk, and how a new build replaces the old one safely.

Layout of a store folder::

    govgraph-store/
      CURRENT                 name of the build in use (replaced atomically)
      .lock                   taken while a build records its history and moves CURRENT
      builds/<name>/store/    the pyoxigraph database
      builds/<name>/manifest.json
      builds/<name>/record.jsonl.gz   its claims and entities (see graph.history)
      builds/<name>/derived.pickle    what the app derived from it (see api.derived_cache)
      history/                every build's record, kept when old builds are pruned

A build writes a new folder beside the old ones and only then points CURRENT at it, so a
failed or interrupted build never touches the store being served. Old builds beyond the last
few are pruned.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.oxigraph_store import OxigraphStore

__all__ = ["DEFAULT_STORE", "KEEP_BUILDS", "StoreDir", "StoreMissing", "default_store_path"]

DEFAULT_STORE = "govgraph-store"
KEEP_BUILDS = 3


class StoreMissing(FileNotFoundError):
    """No build has been completed in this store folder yet."""


def default_store_path() -> Path:
    """``$GOVGRAPH_STORE`` if set, else ``./govgraph-store``."""
    return Path(os.environ.get("GOVGRAPH_STORE") or DEFAULT_STORE)


class StoreDir:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def builds(self) -> Path:
        return self.root / "builds"

    def current(self) -> Path | None:
        pointer = self.root / "CURRENT"
        if not pointer.is_file():
            return None
        build = self.builds / pointer.read_text(encoding="utf-8").strip()
        return build if (build / "store").is_dir() else None

    def require_current(self) -> Path:
        build = self.current()
        if build is None:
            raise StoreMissing(f"no store at {self.root}: run `govgraph build` first")
        return build

    def open(self) -> OxigraphStore:
        """Open the current build read-only (many processes may do so at once)."""
        return OxigraphStore.open(self.require_current() / "store", read_only=True)

    def manifest(self) -> dict[str, Any]:
        text = (self.require_current() / "manifest.json").read_text(encoding="utf-8")
        return dict(json.loads(text))

    def new_build(self, version: str) -> Path:
        self.builds.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{version[:12]}-{os.getpid()}"
        path = self.builds / name
        path.mkdir()
        return path

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store folder's lock: builds finishing at the same time take turns to record
        their history and move CURRENT (each reads, extends and rewrites the history index, so
        without it one build's entry could be lost). Loading a build, the slow part, needs no
        lock: every build has its own folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def commit(self, build: Path, manifest: dict[str, Any]) -> None:
        """Write the manifest, then atomically make ``build`` the current one."""
        (build / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(build.name, encoding="utf-8")
        os.replace(tmp, self.root / "CURRENT")
        self.prune()

    def discard(self, build: Path) -> None:
        shutil.rmtree(build, ignore_errors=True)

    def prune(self) -> None:
        current = self.current()
        done = sorted(
            (p for p in self.builds.iterdir() if (p / "manifest.json").is_file()),
            key=lambda p: p.stat().st_mtime,
        )
        for old in done[:-KEEP_BUILDS]:
            if old != current:
                shutil.rmtree(old, ignore_errors=True)
