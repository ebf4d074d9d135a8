"""The store protocol: what everything above the store may ask of it.

Code above this layer speaks SPARQL and rdflib terms only, never a backend's own API, so the
embedded store (graph.oxigraph_store) and a remote SPARQL store are interchangeable. User
input reaches a query only through ``bindings`` (pre-bound variables), never as query text.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.formats import RdfFormat
from graph.vocab import PREFIXES

__all__ = ["QueryError", "QueryForms", "SelectResult", "Store", "sparql_prologue"]


class QueryError(Exception):
    """A query could not be parsed or run; the message is safe to show to the user."""


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    truncated: bool = False

    def __iter__(self) -> Iterator[dict[str, Node]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def sparql_prologue() -> str:
    """PREFIX lines for every namespace we use, for queries written in code."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@runtime_checkable
class Store(Protocol):
    """A SPARQL-queryable RDF store holding one govgraph dataset."""

    def select(self, query: str, *, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        """Run a SELECT query; ``bindings`` pre-bind variables (by name, without ``?``).

        As in SPARQL SEP-0007, a bound variable must appear in the SELECT projection.
        """
        ...

    def ask(self, query: str, *, bindings: Mapping[str, Node] | None = None) -> bool: ...

    def construct(self, query: str, *, bindings: Mapping[str, Node] | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""
        ...

    def query(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        max_rows: int | None = None,
    ) -> SelectResult | bool | Graph:
        """Run any query form; SELECT results stop after ``max_rows`` (``truncated`` set)."""
        ...

    def load(self, graph: Graph) -> None:
        """Add all triples of ``graph`` (bulk)."""
        ...

    def pairs(self, predicate: URIRef) -> Iterator[tuple[str, str, str | None]]:
        """(subject, object, object's language or None) of every triple with ``predicate``,
        as plain text (IRIs, blank node ids and literals' lexical forms): the bulk read that
        start-up derives from (see ``graph.columns``)."""
        ...

    def export(self, *, format: RdfFormat) -> bytes: ...

    def __len__(self) -> int: ...

    def close(self) -> None: ...


class QueryForms(ABC):
    """``select``/``ask``/``construct`` for a store that implements ``query``: each checks
    the query form it got, so a caller expecting rows never receives a graph."""

    @abstractmethod
    def query(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        max_rows: int | None = None,
    ) -> SelectResult | bool | Graph:
        """Run any query form (see ``Store.query``)."""

    def select(self, query: str, *, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        result = self.query(query, bindings=bindings)
        if not isinstance(result, SelectResult):
            raise QueryError("expected a SELECT query")
        return result

    def ask(self, query: str, *, bindings: Mapping[str, Node] | None = None) -> bool:
        result = self.query(query, bindings=bindings)
        if not isinstance(result, bool):
            raise QueryError("expected an ASK query")
        return result

    def construct(self, query: str, *, bindings: Mapping[str, Node] | None = None) -> Graph:
        result = self.query(query, bindings=bindings)
        if not isinstance(result, Graph):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        return result

    def pairs(self, predicate: URIRef) -> Iterator[tuple[str, str, str | None]]:
        """``Store.pairs`` as one SPARQL query (a backend may read its indexes instead)."""
        for row in self.select(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"):
            o = row["o"]
            yield str(row["s"]), str(o), o.language if isinstance(o, Literal) else None
