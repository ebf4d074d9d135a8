"""The server's protective limits, in one place, read from ``GOVGRAPH_*`` environment variables.

Defaults follow public SPARQL services (Wikidata's 60 s timeout, Oxigraph's ``--timeout-s``,
Virtuoso's ``ResultSetMaxRows``) scaled to one small machine. Every setting is documented in the
README's "Limits" table (a test checks it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["Settings"]


def _env(name: str, doc: str) -> dict[str, str]:
    return {"env": name, "doc": doc}


@dataclass(frozen=True)
class Settings:
    query_timeout_s: float = field(
        default=30.0,
        metadata=_env(
            "GOVGRAPH_QUERY_TIMEOUT",
            "seconds a SPARQL query may take end to end: waiting for a worker plus running",
        ),
    )
    max_rows: int = field(
        default=10_000, metadata=_env("GOVGRAPH_MAX_ROWS", "result rows returned (then truncated)")
    )
    max_body_bytes: int = field(
        default=1_000_000, metadata=_env("GOVGRAPH_MAX_BODY_BYTES", "request body size (413)")
    )
    max_query_chars: int = field(
        default=100_000, metadata=_env("GOVGRAPH_MAX_QUERY_CHARS", "SPARQL query length")
    )
    max_query_depth: int = field(
        default=100, metadata=_env("GOVGRAPH_MAX_QUERY_DEPTH", "nesting of { ( [ in a query")
    )
    client_concurrency: int = field(
        default=4,
        metadata=_env("GOVGRAPH_CLIENT_CONCURRENCY", "concurrent queries per client (429)"),
    )
    retry_after_s: int = field(
        default=2, metadata=_env("GOVGRAPH_RETRY_AFTER", "Retry-After seconds sent with 429")
    )
    query_workers: int = field(
        default=2, metadata=_env("GOVGRAPH_QUERY_WORKERS", "worker processes running queries")
    )
    query_memory_mb: int = field(
        default=2048,
        metadata=_env("GOVGRAPH_QUERY_MEMORY_MB", "address-space cap of each query worker"),
    )
    queue_timeout_s: float = field(
        default=10.0,
        metadata=_env(
            "GOVGRAPH_QUEUE_TIMEOUT",
            "seconds a query may wait for a free worker (503), within its time limit",
        ),
    )
    client_workers: int = field(
        default=1,
        metadata=_env(
            "GOVGRAPH_CLIENT_WORKERS",
            "query workers one client may hold at once (the others stay free for other clients)",
        ),
    )
    client_query_seconds_per_minute: float = field(
        default=60.0,
        metadata=_env(
            "GOVGRAPH_CLIENT_QUERY_SECONDS_PER_MINUTE",
            "seconds of query-worker time one client may use per minute (429 with Retry-After)",
        ),
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Defaults overridden by any ``GOVGRAPH_*`` variable set; a bad value raises."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or raw.strip() == "":
                continue
            kind = float if isinstance(f.default, float) else int
            try:
                value = kind(raw)
            except ValueError:
                raise ValueError(f"{f.metadata['env']}={raw!r} is not a number") from None
            if value <= 0:
                raise ValueError(f"{f.metadata['env']} must be positive, not {raw!r}")
            values[f.name] = value
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def documented(cls) -> list[tuple[str, Any, str]]:
        """(variable, default, meaning) for each setting, for docs."""
        return [(f.metadata["env"], f.default, f.metadata["doc"]) for f in fields(cls)]
