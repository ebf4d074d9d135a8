"""The embedded store: pyoxigraph on disk (or in memory for tests).

This is the only module that imports pyoxigraph. It converts between pyoxigraph terms and
rdflib terms at the boundary, so the rest of the code never sees a backend type.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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


def _plain(term: object) -> str:
    """An IRI, blank node id or literal's lexical form (a quoted triple as N-Triples)."""
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


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

    def pairs(self, predicate: URIRef) -> Iterator[tuple[str, str, str | None]]:
        """``Store.pairs`` from the store's predicate index (no query, no rdflib terms)."""
        for quad in self._store.quads_for_pattern(
            None, ox.NamedNode(str(predicate)), None, ox.DefaultGraph()
        ):
            obj = quad.object
            yield _plain(quad.subject), _plain(obj), getattr(obj, "language", None)

    def add_rdf(self, data: bytes, format: RdfFormat, *, base_iri: str) -> int:
        """Parse ``data`` and add its triples to the default graph; return how many were read.

        Named graphs are flattened into the default graph (govgraph has one graph), and blank
        nodes get fresh identifiers so they cannot merge with those of an earlier import.
        Raises ValueError with the parser's message (it names the line and column).
        """
        read = 0

        def triples() -> Iterator[ox.Quad]:
            nonlocal read
            for quad in ox.parse(
                input=data, format=_OX_FORMATS[format], base_iri=base_iri, rename_blank_nodes=True
            ):
                read += 1
                yield ox.Quad(quad.subject, quad.predicate, quad.object)

        try:
            self._store.bulk_extend(triples())
        except SyntaxError as exc:
            raise ValueError(str(exc)) from None
        self._store.flush()
        return read

    def replace_about(self, subject: URIRef, triples: list[tuple[Node, Node, Node]]) -> None:
        """Remove every triple about ``subject``, then add ``triples`` (a small update)."""
        node = ox.NamedNode(str(subject))
        for quad in list(self._store.quads_for_pattern(node, None, None, ox.DefaultGraph())):
            self._store.remove(quad)
        for s, p, o in triples:
            self._store.add(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)))  # type: ignore[arg-type]

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
