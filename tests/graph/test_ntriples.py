"""The build writes its graph as N-Triples text itself: every literal it writes must read back as
the same term in any parser (rdflib and pyoxigraph), whatever characters the data holds."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.ntriples import TripleLines, iri, literal

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
"""Any text a YAML file can hold (lone surrogates cannot be UTF-8)."""


def _rdflib_object(line: str) -> object:
    g = Graph()
    g.parse(data=line, format="nt")
    ((_, _, obj),) = list(g)
    return obj


@given(_TEXT)
def test_a_plain_literal_reads_back_as_written(text: str) -> None:
    line = f"{iri('http://e/s')} {iri('http://e/p')} {literal(text)} .\n"
    assert _rdflib_object(line) == Literal(text)
    (quad,) = list(ox.parse(line.encode(), ox.RdfFormat.N_TRIPLES))
    assert quad.object.value == text


@given(_TEXT, st.sampled_from(["en", "zh-Hans", "fr"]))
def test_a_language_tagged_literal_keeps_its_language(text: str, lang: str) -> None:
    line = f"<http://e/s> <http://e/p> {literal(text, lang=lang)} .\n"
    assert _rdflib_object(line) == Literal(text, lang=lang)


def test_a_typed_literal_keeps_its_datatype() -> None:
    line = f"<http://e/s> <http://e/p> {literal('2024-07', datatype=str(XSD.gYearMonth))} .\n"
    assert _rdflib_object(line) == Literal("2024-07", datatype=XSD.gYearMonth)


def test_lines_are_a_set_and_count_distinct_triples() -> None:
    lines = TripleLines()
    for _ in range(2):
        lines.add(iri("http://e/s"), iri("http://e/p"), literal("x"))
    lines.extend('<http://e/s> <http://e/p> "x" .\n\n<http://e/s> <http://e/q> <http://e/o> .\n')
    assert len(lines) == 2
    g = Graph()
    g.parse(data=lines.encode(), format="nt")
    assert (URIRef("http://e/s"), URIRef("http://e/q"), URIRef("http://e/o")) in g
