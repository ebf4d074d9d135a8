"""Start a throwaway Virtuoso on 127.0.0.1 for the remote-store tests (never any other host).

The server itself is graph.bench.servers' (the peers bench starts the same one), so the tests
and the bench run Virtuoso with one configuration.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.bench.servers import ISQL, VIRTUOSO
from graph.bench.servers import running_virtuoso as _running

__all__ = ["ISQL", "VIRTUOSO", "running_virtuoso"]


@contextmanager
def running_virtuoso(workdir: Path, *, timeout: float = 60.0) -> Iterator[str]:
    """Yield the SPARQL endpoint of a fresh Virtuoso that lets its SPARQL user update."""
    with _running(workdir, timeout=timeout) as server:
        yield server.endpoint
