"""The embedded store: pyoxigraph on disk (or in memory for tests).

This is the only module that imports pyoxigraph. It converts between pyoxigraph terms and
rdflib terms at the boundary, so the rest of the code never sees a backend type.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.formats import RdfFormat
from graph.store import QueryError, QueryForms, SelectResult
from graph.vocab import PREFIXES

__all__ = ["OxigraphStore"]

_OX_FORMATS = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
    RdfFormat.RDFXML: ox.RdfFormat.RDF_XML,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
}
_XSD_STRING = str(XSD.string)


_LITERALS: dict[tuple[str, str | None, str], Literal] = {}
_LITERAL_CACHE = 200_000


def _literal(value: str, language: str | None, datatype: str) -> Literal:
    """rdflib's Literal, cached: building one parses its lexical form into a Python value,
    which costs more than the query that found it; results repeat the same titles, dates and
    quotes across rows, and Literals are immutable, so they are shared (a bounded cache)."""
    key = (value, language, datatype)
    found = _LITERALS.get(key)
    if found is None:
        if len(_LITERALS) >= _LITERAL_CACHE:
            _LITERALS.clear()
        if language:
            found = Literal(value, lang=language)
        elif datatype == _XSD_STRING:
            found = Literal(value)
        else:
            found = Literal(value, datatype=URIRef(datatype))
        _LITERALS[key] = found
    return found


_IRIS: dict[str, URIRef] = {}


def _iri(value: str) -> URIRef:
    """rdflib's URIRef, cached like literals (building one validates the IRI each time)."""
    found = _IRIS.get(value)
    if found is None:
        if len(_IRIS) >= _LITERAL_CACHE:
            _IRIS.clear()
        found = _IRIS[value] = URIRef(value)
    return found


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, term.datatype.value)
    raise QueryError(f"unsupported RDF term in results: {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}: only IRIs, blank nodes and literals")


class OxigraphStore(QueryForms):
    """A pyoxigraph store; ``open`` an on-disk one, or build an in-memory one for tests."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self._store = store
        self.path = path

    @classmethod
    def open(cls, path: Path, *, read_only: bool = True) -> OxigraphStore:
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            raise OSError(f"cannot open the store at {path}: {exc}") from exc
        return cls(store, path)

    @classmethod
    def in_memory(cls) -> OxigraphStore:
        return cls(ox.Store())

    def _run(self, query: str, bindings: Mapping[str, Node] | None) -> object:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()
        }
        try:
            return self._store.query(query, substitutions=subs or None, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def query(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        max_rows: int | None = None,
    ) -> SelectResult | bool | Graph:
        result = self._run(query, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            out = SelectResult(variables=names)
            for solution in result:
                if max_rows is not None and len(out.rows) >= max_rows:
                    out.truncated = True
                    break
                row = {}
                for name in names:
                    value = solution[name]
                    if value is not None:
                        row[name] = to_rdflib(value)
                out.rows.append(row)
            return out
        graph = Graph()
        for triple in result:  # type: ignore[attr-defined]
            graph.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        return graph

    def load(self, graph: Graph) -> None:
        self.load_ntriples(graph.serialize(format="nt", encoding="utf-8"))

    def load_ntriples(self, data: bytes) -> None:
        """Bulk-load N-Triples already serialised (a build serialises its graph once for the
        shapes and its store: on a large graph that costs as much as the load itself)."""
        self._store.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)
        self._store.flush()

    def export(self, *, format: RdfFormat) -> bytes:
        ox_format = _OX_FORMATS[format]
        from_graph = None if ox_format.supports_datasets else ox.DefaultGraph()
        data = self._store.dump(format=ox_format, from_graph=from_graph)
        assert data is not None
        return data

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        """Release the store (pyoxigraph closes when the object is dropped)."""
        del self._store
