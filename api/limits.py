"""ASGI middleware that protects the server: body cap, per-client query concurrency, headers.

- **Body cap**: a declared ``Content-Length`` over the cap gets 413 at once; a streamed body is
  counted as it arrives and the request is answered 413 as soon as it passes the cap (whatever
  the app was doing with it).
- **Per-client concurrency**: at most N requests at a time per client address on the query
  paths (``/sparql``); beyond that, 429 with ``Retry-After``.
- **Per-client query-time budget**: each address may use so many seconds of query-worker time
  per minute (a token bucket refilled continuously); once spent, 429 with ``Retry-After`` (the
  seconds until it is positive again). The middleware hands the app a ``QueryClient`` (in the
  scope, see ``query_client``): the runner queues the query under its key and charges it.
- **Security headers** on every response, and a Content-Security-Policy on HTML pages (local
  scripts only, no plugins, no framing, no remote fetches), the OpenAPI docs pages included:
  their Swagger UI assets are served by the app itself.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import Settings

__all__ = ["CSP", "ClientQueryTime", "LimitsMiddleware", "QueryBudget", "query_client"]

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]
_EMBEDDABLE_PATHS = (
    "/views/",
    "/reconcile/preview",
)  # views and the OpenRefine preview card are framed by other sites
_CLIENT_KEY = "govgraph.client"  # the scope entry holding the request's ClientQueryTime


class QueryBudget:
    """Seconds of query time per client per minute: a token bucket per key, ``per_minute`` deep,
    refilled at ``per_minute / 60`` per second. A query may start while the bucket is above zero
    and is charged when it ends (so the level can go below zero)."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.rate = per_minute / 60.0
        self.clock = clock
        self._levels: dict[str, tuple[float, float]] = {}  # key -> (level, when)

    def level(self, key: str) -> float:
        now = self.clock()
        level, when = self._levels.get(key, (self.per_minute, now))
        return min(self.per_minute, level + (now - when) * self.rate)

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may start a query again (0: now)."""
        level = self.level(key)
        return 0.0 if level > 0 else (1e-6 - level) / self.rate

    def charge(self, key: str, seconds: float) -> None:
        self._levels[key] = (self.level(key) - seconds, self.clock())
        if len(self._levels) > 10_000:  # forget clients whose bucket is full again
            full = [k for k in self._levels if self.level(k) >= self.per_minute]
            for k in full:
                del self._levels[k]


@dataclass(frozen=True)
class ClientQueryTime:
    """An ``api.runner.QueryClient``: the client's key and its account in the budget."""

    key: str
    budget: QueryBudget

    def charge(self, seconds: float) -> None:
        self.budget.charge(self.key, seconds)


def query_client(scope: Scope) -> ClientQueryTime | None:
    """The client the middleware identified for this request (None outside the middleware)."""
    found = scope.get(_CLIENT_KEY)
    return found if isinstance(found, ClientQueryTime) else None


class _BodyTooLarge(Exception):
    pass


def _json_response(status: int, message: str, headers: list[tuple[bytes, bytes]]) -> list[Message]:
    body = json.dumps({"error": message, "status": status}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *_ALWAYS,
            *headers,
        ],
    }
    return [start, {"type": "http.response.body", "body": body}]


class LimitsMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        settings: Settings | None = None,
        *,
        query_paths: Sequence[str] = ("/sparql",),
    ) -> None:
        self.app = app
        self.settings = settings or Settings.from_env()
        self.query_paths = tuple(query_paths)
        self.active: Counter[str] = Counter()
        self.budget = QueryBudget(self.settings.client_query_seconds_per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.settings.max_body_bytes:
            await _send_all(send, self._too_large())
            return
        path: str = scope.get("path", "")
        client = (scope.get("client") or ("unknown", 0))[0]
        limited = path.startswith(self.query_paths)
        if limited and self.active[client] >= self.settings.client_concurrency:
            retry = str(self.settings.retry_after_s).encode()
            await _send_all(
                send,
                _json_response(
                    429,
                    f"too many concurrent queries from your address (limit "
                    f"{self.settings.client_concurrency}); retry after "
                    f"{self.settings.retry_after_s} s",
                    [(b"retry-after", retry)],
                ),
            )
            return
        if limited and (refusal := self._over_budget(client)) is not None:
            await _send_all(send, refusal)
            return
        if limited:
            self.active[client] += 1
            scope[_CLIENT_KEY] = ClientQueryTime(client, self.budget)
        try:
            await self._guarded(scope, receive, send, path)
        finally:
            if limited:
                self.active[client] -= 1
                if self.active[client] <= 0:
                    del self.active[client]

    def _over_budget(self, client: str) -> list[Message] | None:
        wait = self.budget.retry_after(client)
        if wait <= 0:
            return None
        retry = max(1, math.ceil(wait))
        return _json_response(
            429,
            f"your address has used its {self.budget.per_minute:g} s of query time per minute; "
            f"retry after {retry} s",
            [(b"retry-after", str(retry).encode())],
        )

    def _too_large(self) -> list[Message]:
        return _json_response(
            413, f"request body is larger than {self.settings.max_body_bytes} bytes", []
        )

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        cap = self.settings.max_body_bytes
        state: dict[str, Any] = {"received": 0, "over": False, "started": False}

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > cap:
                    state["over"] = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["over"]:
                return  # the 413 below replaces whatever the app answers
            if message["type"] == "http.response.start":
                state["started"] = True
                message = dict(message)
                message["headers"] = _with_security_headers(message.get("headers", []), path)
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _BodyTooLarge:
            pass
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await _send_all(send, self._too_large())


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _with_security_headers(
    headers: Sequence[tuple[bytes, bytes]], path: str
) -> list[tuple[bytes, bytes]]:
    out = list(headers)
    names = {name.lower() for name, _ in out}
    embeddable = path.startswith(_EMBEDDABLE_PATHS)
    out += [
        (k, v)
        for k, v in _ALWAYS
        if k not in names and not (embeddable and k == b"x-frame-options")
    ]
    content_type = next((v for k, v in out if k.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
        csp = CSP
        if embeddable:
            csp = csp.replace("frame-ancestors 'none'", "frame-ancestors *")
        out.append((b"content-security-policy", csp.encode()))
    return out


async def _send_all(send: Send, messages: list[Message]) -> None:
    for message in messages:
        await send(message)
