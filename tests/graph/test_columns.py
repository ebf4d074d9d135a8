"""Start-up derives its projection, search index and entity sources from per-predicate scans of
the store (``Store.pairs``): the embedded store reads its index, any other store runs one SPARQL
query, and both must give the same rows; derived data equals what a build keeps beside it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import URIRef

from graph.columns import Columns
from graph.oxigraph_store import OxigraphStore
from graph.store import QueryForms, Store
from graph.vocab import GG, RDF, RDFS


def test_the_index_scan_and_the_sparql_query_give_the_same_pairs(store: Store) -> None:
    for predicate in (RDF.type, RDFS.label, GG.start, GG.quote):
        via_sparql = sorted(QueryForms.pairs(store, predicate))  # type: ignore[arg-type]
        assert sorted(store.pairs(predicate)) == via_sparql
        assert via_sparql, f"the fixture graph has {predicate}"


def test_labels_keep_their_language(store: Store) -> None:
    labels = Columns(store).many_with_language(RDFS.label)
    atlantis = dict((lang, text) for text, lang in labels["https://w3id.org/govgraph/id/atlantis"])
    assert atlantis.get("en") == "Atlantis"


def test_columns_read_each_predicate_once(
    real_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[URIRef] = []
    scan = real_store.pairs

    def counting(predicate: URIRef) -> Iterator[tuple[str, str, str | None]]:
        calls.append(predicate)
        return scan(predicate)

    monkeypatch.setattr(real_store, "pairs", counting)
    columns = Columns(real_store)
    columns.first(RDFS.label, language="en")
    columns.many_with_language(RDFS.label)
    columns.of_type(GG.Source)
    columns.entity_types()
    assert calls == [RDFS.label, RDF.type]
