"""A remote SPARQL 1.1 store (Query + Update protocols), for graphs that outgrow one machine.

Tested against Virtuoso. The govgraph dataset lives in one named graph on the server
(``DEFAULT_GRAPH``, or the ``#fragment`` of a ``sparql+http://host/sparql#graph`` spec); every
query is sent with that graph as its default graph (``default-graph-uri``), so the server may
hold other data. Bindings are sent as a trailing ``VALUES`` clause whose terms are serialised
by rdflib (escaped), never pasted user text; as with the embedded store, a bound variable must
appear in the projection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.formats import RdfFormat
from graph.query_guard import QueryRejected, tokens
from graph.results import serialize_graph
from graph.store import QueryError, QueryForms, SelectResult
from graph.vocab import PREFIXES

__all__ = [
    "DEFAULT_GRAPH",
    "RemoteStore",
    "is_remote",
    "query_form",
    "remote_endpoint",
    "remote_graph",
]

DEFAULT_GRAPH = "https://w3id.org/govgraph/graph/main"
SCHEME = "sparql+"
_CHUNK = 2000
_RESULTS = "application/sparql-results+json"
_GRAPH = "text/turtle"
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_PREFIX_RE = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def is_remote(spec: str) -> bool:
    return spec.startswith(SCHEME + "http://") or spec.startswith(SCHEME + "https://")


def remote_endpoint(spec: str) -> str:
    """``sparql+http://host:port/sparql[#graph]`` -> ``http://host:port/sparql``."""
    url = spec[len(SCHEME) :] if is_remote(spec) else spec
    return url.split("#", 1)[0]


def remote_graph(spec: str) -> str:
    """The named graph a spec selects: its ``#fragment`` when it has one, else DEFAULT_GRAPH."""
    _, _, fragment = spec.partition("#")
    return fragment or DEFAULT_GRAPH


def _term(binding: Mapping[str, str]) -> Node:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = binding.get("xml:lang") or binding.get("lang")  # Virtuoso writes "lang"
    if lang:
        return Literal(value, lang=lang)
    datatype = binding.get("datatype")  # also on Virtuoso's legacy "typed-literal"
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside strings and IRIs."""
    try:
        for token in tokens(query):
            if token.kind == "word" and token.text.upper() in _FORMS:
                return token.text.upper()
    except QueryRejected as exc:
        raise QueryError(str(exc)) from exc
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def _with_prefixes(query: str) -> str:
    declared = {m.group(1) or "" for m in _PREFIX_RE.finditer(query)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    return "\n".join([*lines, query])


def _with_bindings(query: str, bindings: Mapping[str, Node] | None) -> str:
    if not bindings:
        return query
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    return f"{query}\nVALUES ({names}) {{ ({values}) }}"


def _chunks(graph: Graph) -> Iterator[str]:
    batch: list[str] = []
    for s, p, o in graph:
        batch.append(f"{s.n3()} {p.n3()} {o.n3()} .")
        if len(batch) >= _CHUNK:
            yield "\n".join(batch)
            batch = []
    if batch:
        yield "\n".join(batch)


class RemoteStore(QueryForms):
    """The Store protocol over HTTP against a SPARQL 1.1 Query/Update endpoint."""

    def __init__(
        self,
        endpoint: str,
        *,
        graph: str = DEFAULT_GRAPH,
        update_endpoint: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.endpoint = remote_endpoint(endpoint)
        self.update_endpoint = update_endpoint or self.endpoint
        self.graph = remote_graph(endpoint) if "#" in endpoint else graph
        self._client = httpx.Client(timeout=timeout)

    def _post(self, url: str, data: dict[str, str], accept: str) -> httpx.Response:
        try:
            response = self._client.post(url, data=data, headers={"Accept": accept})
        except httpx.HTTPError as exc:
            raise QueryError(f"SPARQL server {url} unreachable: {exc}") from exc
        if response.status_code >= 400:
            raise QueryError(
                f"SPARQL server answered {response.status_code}: {response.text[:500]}"
            )
        return response

    def query(
        self, query: str, *, bindings: Mapping[str, Node] | None = None, max_rows: int | None = None
    ) -> SelectResult | bool | Graph:
        form = query_form(query)
        text = _with_bindings(_with_prefixes(query), bindings)
        accept = _RESULTS if form in ("SELECT", "ASK") else _GRAPH
        response = self._post(
            self.endpoint, {"query": text, "default-graph-uri": self.graph}, accept
        )
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if accept == _RESULTS:
            return self._results(response.json(), max_rows)
        graph = Graph()
        try:
            graph.parse(data=response.text, format="turtle")
        except Exception as exc:  # rdflib raises many parser error types
            raise QueryError(
                f"could not read the server's {media or 'graph'} answer: {exc}"
            ) from exc
        return graph

    @staticmethod
    def _results(body: dict[str, Any], max_rows: int | None) -> SelectResult | bool:
        if "boolean" in body:
            return bool(body["boolean"])
        if body["head"].get("vars") == ["__ASK_RETVAL"]:  # Virtuoso's answer to ASK
            rows = body["results"]["bindings"]
            return bool(rows) and rows[0]["__ASK_RETVAL"]["value"] not in ("0", "false")
        out = SelectResult(variables=list(body["head"]["vars"]))
        for row in body["results"]["bindings"]:
            if max_rows is not None and len(out.rows) >= max_rows:
                out.truncated = True
                break
            out.rows.append({k: _term(v) for k, v in row.items()})
        return out

    def update(self, update: str) -> None:
        self._post(self.update_endpoint, {"update": update}, "*/*")

    def load(self, graph: Graph) -> None:
        """Load into a staging graph, then replace ours with it, so readers never see half."""
        staging = f"{self.graph}/staging"
        self.update(f"DROP SILENT GRAPH <{staging}>")
        for chunk in _chunks(graph):
            self.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{chunk}\n}} }}")
        self.update(f"COPY SILENT <{staging}> TO <{self.graph}>")  # one update: replace
        self.update(f"DROP SILENT GRAPH <{staging}>")

    def export(self, *, format: RdfFormat) -> bytes:
        graph = self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return serialize_graph(graph, format=format)

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        return int(str(rows[0]["n"]))

    def close(self) -> None:
        self._client.close()
