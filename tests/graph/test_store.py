"""The store protocol: queries with bindings, every query form, exports that parse back."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from graph.formats import RdfFormat
from graph.oxigraph_store import OxigraphStore
from graph.store import QueryError, SelectResult, Store
from graph.vocab import entity_iri


def test_implements_protocol(store: OxigraphStore) -> None:
    assert isinstance(store, Store)


def test_bindings_pass_user_input_as_values_not_text(store: OxigraphStore) -> None:
    query = "SELECT ?e ?label WHERE { ?e rdfs:label ?label FILTER(LANG(?label) = 'en') }"
    rows = store.select(query, bindings={"e": entity_iri("atlantis")}).rows
    assert [r["label"] for r in rows] == [Literal("Atlantis", lang="en")]
    hostile = Literal('x" } ; DROP ALL ; { "')
    assert (
        store.select("SELECT ?e ?l WHERE { ?e rdfs:label ?l }", bindings={"l": hostile}).rows == []
    )


def test_ask_construct_describe(store: OxigraphStore) -> None:
    assert store.ask("ASK { id:atlantis a gg:Country }")
    g = store.construct("CONSTRUCT { ?s gg:signed ?o } WHERE { ?s gg:signed ?o }")
    assert len(g) == 2
    assert len(store.construct("DESCRIBE id:atlantis")) > 3


def test_max_rows_truncates_and_says_so(store: OxigraphStore) -> None:
    result = store.query("SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert isinstance(result, SelectResult)
    assert len(result) == 5 and result.truncated


def test_syntax_errors_are_query_errors(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="syntax"):
        store.query("SELECT WHERE {")


@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
@pytest.mark.parametrize("fmt", list(RdfFormat))
def test_exports_parse_back_to_the_same_size(store: OxigraphStore, fmt: RdfFormat) -> None:
    data = store.export(format=fmt)
    if fmt in (RdfFormat.NQUADS, RdfFormat.TRIG):
        parsed: Graph = Dataset()
    else:
        parsed = Graph()
    parsed.parse(data=data, format=fmt.rdflib_name)
    assert len(parsed) == len(store)


def test_in_memory_store_loads_a_graph() -> None:
    mem = OxigraphStore.in_memory()
    g = Graph()
    g.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("1")))
    mem.load(g)
    assert len(mem) == 1
