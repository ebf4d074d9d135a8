"""Choosing a store from the ``--store`` setting: a folder (embedded) or a SPARQL endpoint."""

from __future__ import annotations

from pathlib import Path

from graph.remote_store import RemoteStore, is_remote
from graph.store import Store
from graph.storedir import StoreDir

__all__ = ["open_store"]


def open_store(spec: str | Path) -> Store:
    """``sparql+http://host:port/sparql`` opens a remote store; anything else is a store folder
    holding embedded builds (opened read-only)."""
    text = str(spec)
    if is_remote(text):
        return RemoteStore(text)
    return StoreDir(Path(text)).open()
