"""How each engine of the peers bench answers one question of the mix, as a row count.

An engine is a factory: ``factory(client)`` returns the answer function that client ``client``
uses (in-process engines share one loaded graph; HTTP clients get their own connection, from
their own loopback address 127.0.0.(10 + client), since govgraph's server tells clients apart
by address). Answers return a count (rows, hits, paths, lineage nodes) so engines can be checked
against each other, not just timed.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.bench.mix import LINEAGE_DEPTH, BenchQuery, Params, sparql_text
from graph.store import Store
from graph.vocab import slug_of

__all__ = [
    "Answer",
    "Factory",
    "govgraph_in_process",
    "http_api",
    "http_sparql",
    "rdflib_in_process",
    "remote_store",
    "store_sparql",
]

Answer = Callable[[BenchQuery, Params], int]
Factory = Callable[[int], Answer]
_JSON = "application/sparql-results+json"


def store_sparql(store: Store) -> Answer:
    """Every question as the shared SPARQL, on a govgraph Store (embedded or remote)."""

    def answer(query: BenchQuery, params: Params) -> int:
        return len(store.select(sparql_text(query, params)))

    return answer


def govgraph_in_process(store_root: Path) -> Factory:
    """govgraph as a library: its search index, ranked path explanations and lineage on the
    networkx projection; the shared SPARQL on the embedded store for the rest."""
    from graph.explain import explain_paths, prepare
    from graph.network import lineage, project
    from graph.schema import load_schema
    from graph.search import SearchIndex
    from graph.storedir import StoreDir

    store = StoreDir(store_root).open()
    schema = load_schema()
    g = project(store, schema)
    prepare(g, schema)
    index = SearchIndex.from_store(store, schema)
    sparql = store_sparql(store)

    def answer(query: BenchQuery, params: Params) -> int:
        if query.native == "search":
            return len(index.search(params["text"], limit=20))
        if query.native == "path":
            a, b = slug_of(params["a"]), slug_of(params["b"])
            return len(explain_paths(g, a, b, max_hops=4, schema=schema))
        if query.native == "lineage":
            found = lineage(g, slug_of(params["a"]), depth=LINEAGE_DEPTH, schema=schema)
            return len(found.nodes) - 1
        return sparql(query, params)

    return lambda client: answer


def rdflib_in_process(ntriples: Path) -> Factory:
    """rdflib's ``Graph.query`` over the N-Triples file (parsed into a memory graph)."""
    from rdflib import Graph

    g = Graph()
    g.parse(ntriples, format="nt")

    def answer(query: BenchQuery, params: Params) -> int:
        return len(list(g.query(sparql_text(query, params))))

    return lambda client: answer


def remote_store(endpoint: str, graph: str) -> Factory:
    """A SPARQL server through govgraph's RemoteStore (one HTTP client per bench client)."""
    from graph.remote_store import RemoteStore

    def factory(client: int) -> Answer:
        return store_sparql(RemoteStore(endpoint, graph=graph, timeout=120))

    return factory


class _Http:
    """One keep-alive connection to a server on 127.0.0.1 from a given loopback address."""

    def __init__(self, port: int, client: int) -> None:
        self.port, self.source = port, f"127.0.0.{10 + client % 200}"
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=120, source_address=(self.source, 0)
        )

    def request(self, method: str, path: str, body: str | None = None) -> Any:
        headers = {"Accept": f"{_JSON}, application/json"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = self._connect()
            raise
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status} for {path[:80]}: {data[:300]!r}")
        return json.loads(data)

    def sparql(self, path: str, text: str) -> int:
        body = self.request("POST", path, urllib.parse.urlencode({"query": text}))
        return len(body["results"]["bindings"])


def http_sparql(port: int, path: str = "/sparql") -> Factory:
    """Every question as the shared SPARQL, POSTed to a SPARQL 1.1 endpoint."""

    def factory(client: int) -> Answer:
        conn = _Http(port, client)
        return lambda query, params: conn.sparql(path, sparql_text(query, params))

    return factory


def _api_path(query: BenchQuery, params: Params) -> str:
    quote = urllib.parse.quote
    if query.native == "search":
        return "/api/search?" + urllib.parse.urlencode({"q": params["text"], "limit": 20})
    if query.native == "profile":
        return f"/api/entities/{quote(slug_of(params['a']))}"
    if query.native == "path":
        pair = {"from": slug_of(params["a"]), "to": slug_of(params["b"]), "max_hops": 4}
        return "/api/paths?" + urllib.parse.urlencode(pair)
    return f"/api/lineage/{quote(slug_of(params['a']))}?direction=upstream&depth={LINEAGE_DEPTH}"


def _api_count(query: BenchQuery, body: dict[str, Any]) -> int:
    if query.native == "search":
        return len(body["results"])
    if query.native == "profile":
        return int(body.get("relations_total", len(body["relations"])))
    if query.native == "path":
        return len(body["paths"])
    return len(body["nodes"]) - 1


def http_api(port: int) -> Factory:
    """govgraph's HTTP API: its routes where it has one (search, entity profile, ranked paths,
    lineage), its ``/sparql`` endpoint with the shared SPARQL for the rest."""

    def factory(client: int) -> Answer:
        conn = _Http(port, client)

        def answer(query: BenchQuery, params: Params) -> int:
            if query.native is None:
                return conn.sparql("/sparql", sparql_text(query, params))
            return _api_count(query, conn.request("GET", _api_path(query, params)))

        return answer

    return factory
