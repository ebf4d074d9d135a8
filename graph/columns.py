"""The store read one predicate at a time, as plain text: what start-up derives from.

Serving a build derives its networkx projection, its search index and each entity's sources.
Asked as SPARQL joins with ``OPTIONAL`` parts, pyoxigraph took about 30 s on a 1M-triple store
(half evaluating the joins, half turning every value into an rdflib term); the same data read
as one scan per predicate (``Store.pairs``) and joined in dictionaries takes a few seconds.
A ``Columns`` reads each predicate once and shares it between the three derivations.
"""

from __future__ import annotations

from rdflib import URIRef

from graph.store import Store
from graph.vocab import ENTITY_BASE, RDF

__all__ = ["Columns"]

Pair = tuple[str, str, str | None]


class Columns:
    """Per-predicate tables of one store, read on first use and kept."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pairs: dict[URIRef, list[Pair]] = {}

    def pairs(self, predicate: URIRef) -> list[Pair]:
        """(subject, object, object's language or None) of every triple with ``predicate``."""
        found = self._pairs.get(predicate)
        if found is None:
            found = self._pairs[predicate] = list(self._store.pairs(predicate))
        return found

    def first(self, predicate: URIRef, *, language: str | None = None) -> dict[str, str]:
        """subject -> one object (the first read; with ``language``, only literals in it)."""
        out: dict[str, str] = {}
        for s, o, lang in self.pairs(predicate):
            if (language is None or lang == language) and s not in out:
                out[s] = o
        return out

    def many(self, predicate: URIRef) -> dict[str, list[str]]:
        """subject -> every object."""
        out: dict[str, list[str]] = {}
        for s, o, _ in self.pairs(predicate):
            out.setdefault(s, []).append(o)
        return out

    def many_with_language(self, predicate: URIRef) -> dict[str, list[tuple[str, str | None]]]:
        """subject -> every (object, language)."""
        out: dict[str, list[tuple[str, str | None]]] = {}
        for s, o, lang in self.pairs(predicate):
            out.setdefault(s, []).append((o, lang))
        return out

    def of_type(self, cls: URIRef) -> list[str]:
        """The subjects typed ``cls`` (exactly that class, as ``?x a cls`` matches)."""
        target = str(cls)
        return [s for s, o, _ in self.pairs(RDF.type) if o == target]

    def entity_types(self) -> list[tuple[str, str]]:
        """(entity IRI, class IRI) for every ``rdf:type`` of a govgraph entity."""
        return [(s, o) for s, o, _ in self.pairs(RDF.type) if s.startswith(ENTITY_BASE)]
