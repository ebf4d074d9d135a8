"""What serving derives from a build, kept next to it so that no start-up derives it again.

Serving a build needs its networkx projection (with the explanation index ``prepare`` adds),
its search index and each entity's sources. On a large graph deriving them is most of the
start-up (a 1M-triple synthetic build: ~15 s, against ~3 s to read them back), and a build never
changes once committed, so ``govgraph build`` and ``govgraph import`` derive them into
``<build>/derived.pickle`` before the build becomes current, and the app reads that file (an
app that finds no usable file, e.g. for a build made by an older version, derives and keeps it).

The file is trusted like the store beside it (both are written by govgraph into the store
folder). It is ignored and rewritten when its format, the schema or the code that derives it
changed (``FORMAT`` and the hashes of the schema file and of the modules that derive the data
are stored in it), and a file that cannot be read is treated as absent: the cache can make
start-up faster, never wrong.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

import graph.columns
import graph.explain
import graph.network
import graph.search
from graph.columns import Columns
from graph.explain import prepare
from graph.network import project, source_table
from graph.schema import SCHEMA_PATH, Schema
from graph.search import SearchIndex
from graph.store import Store
from graph.vocab import ENTITY_BASE, PROV, slug_of

__all__ = ["FORMAT", "NAME", "Derived", "derive", "entity_sources", "load_derived", "save_derived"]

FORMAT = 1
"""Bump when the projection, the explanation index or the search index change shape."""

NAME = "derived.pickle"
_log = logging.getLogger(__name__)


@dataclass
class Derived:
    network: nx.MultiDiGraph
    search: SearchIndex
    entity_sources: dict[str, list[dict[str, str | None]]]


_DERIVERS = (
    SCHEMA_PATH,
    Path(__file__),
    *(Path(m.__file__ or "") for m in (graph.columns, graph.network, graph.explain, graph.search)),
)


def entity_sources(columns: Columns) -> dict[str, list[dict[str, str | None]]]:
    """entity id -> the sources its own record cites (title, publisher, date, url), by id."""
    sources = source_table(columns)
    out: dict[str, list[dict[str, str | None]]] = {}
    for entity, src, _ in columns.pairs(PROV.wasDerivedFrom):
        if entity.startswith(ENTITY_BASE) and src in sources:
            out.setdefault(slug_of(entity), []).append(
                {"id": src.rsplit("/", 1)[-1], **sources[src], "quote": None}
            )
    for found in out.values():
        found.sort(key=lambda source: source["id"] or "")
    return out


def derive(store: Store, schema: Schema) -> Derived:
    """Derive everything serving needs from ``store`` (each predicate read once)."""
    columns = Columns(store)
    network = project(store, schema, columns=columns)
    prepare(network, schema)
    search = SearchIndex.from_store(store, schema, columns=columns)
    return Derived(network, search, entity_sources(columns))


def _stamp() -> dict[str, Any]:
    digest = hashlib.sha256()
    for path in _DERIVERS:
        digest.update(path.read_bytes())
    return {"format": FORMAT, "code": digest.hexdigest()}


def load_derived(folder: Path) -> Derived | None:
    """The derived data pickled for the build in ``folder``, or None if absent or stale."""
    path = folder / NAME
    try:
        with path.open("rb") as fh:
            stamp, derived = pickle.load(fh)  # the store folder is trusted (docstring)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a torn or foreign file only costs a re-derivation
        _log.warning("ignoring %s: %s", path, exc)
        return None
    return derived if stamp == _stamp() and isinstance(derived, Derived) else None


def save_derived(folder: Path, derived: Derived) -> None:
    """Pickle ``derived`` beside the build, atomically; a read-only folder is not an error."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".derived-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((_stamp(), derived), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / NAME)
    except OSError as exc:
        _log.warning("could not keep the derived data in %s: %s", folder, exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
