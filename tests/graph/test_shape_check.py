"""The fast shape check finds exactly what pyshacl finds with the published SHACL shapes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from graph.build import validate
from graph.schema import shapes_graph
from graph.shape_check import check_shapes
from graph.vocab import DCTERMS, GG, ID, OWL, PROV, RDF, RDFS, SCHEMA, SOURCE, XSD
from tests.conftest import FIXTURE_DATA


@pytest.fixture(scope="module")
def clean() -> Graph:
    return validate(FIXTURE_DATA).graph


def _pyshacl_focus(graph: Graph) -> set[str]:
    _, results, _ = pyshacl_validate(
        graph, shacl_graph=shapes_graph(), inference="none", advanced=False
    )
    assert isinstance(results, Graph)
    return {str(f) for f in results.objects(None, SH.focusNode)}


def _claim(g: Graph, predicate: URIRef) -> URIRef:
    return next(c for c in g.subjects(RDF.predicate, predicate) if isinstance(c, URIRef))


def _ref(g: Graph) -> URIRef:
    """A reference that has a quote (so adding a second one breaks its shape)."""
    quoted = (r for r in g.subjects(RDF.type, GG.Reference) if (r, GG.quote, None) in g)
    return min(r for r in quoted if isinstance(r, URIRef))


Mutation = Callable[[Graph], None]

MUTATIONS: dict[str, Mutation] = {
    "wrong domain": lambda g: g.add((ID["example-report"], GG.holds, ID["atlantis"])),
    "wrong range": lambda g: g.add((ID["atlantis"], GG.hosted, ID["lemuria"])),
    "untyped object": lambda g: g.add((ID["atlantis"], GG.signed, ID["nowhere"])),
    "claim without reference": lambda g: g.remove((_claim(g, GG.buildsOn), GG.reference, None)),
    "claim with two subjects": lambda g: g.add(
        (_claim(g, GG.buildsOn), RDF.subject, ID["lemuria"])
    ),
    "claim with a literal object": lambda g: g.add(
        (_claim(g, GG.hosted), RDF.object, Literal("x"))
    ),
    "claim with a bad date type": lambda g: g.add(
        (_claim(g, GG.fundedBy), GG.start, Literal("soon"))
    ),
    "claim with two starts": lambda g: g.add(
        (_claim(g, GG.buildsOn), GG.start, Literal("2026", datatype=XSD.gYear))
    ),
    "claim with unknown evidence": lambda g: g.set(
        (_claim(g, GG.buildsOn), GG.evidence, GG.rumoured)
    ),
    "reference without source": lambda g: g.remove((_ref(g), PROV.wasDerivedFrom, None)),
    "reference citing a non-source": lambda g: g.set(
        (_ref(g), PROV.wasDerivedFrom, ID["atlantis"])
    ),
    "reference with two quotes": lambda g: g.add((_ref(g), GG.quote, Literal("another"))),
    "entity without label": lambda g: g.remove((ID["lemuria"], RDFS.label, None)),
    "entity with two English labels": lambda g: g.add(
        (ID["lemuria"], RDFS.label, Literal("Lemuria Two", lang="en"))
    ),
    "entity without source": lambda g: g.remove((ID["lemuria"], PROV.wasDerivedFrom, None)),
    "source without title": lambda g: g.remove((SOURCE["example-article"], DCTERMS.title, None)),
    "source with a javascript url": lambda g: g.set(
        (SOURCE["example-article"], SCHEMA.url, URIRef("javascript:alert(1)"))
    ),
    "source with a literal url": lambda g: g.set(
        (SOURCE["example-article"], SCHEMA.url, Literal("https://example.org"))
    ),
    "a subclass declared in the data": lambda g: (
        g.add((URIRef("https://example.org/Minister"), RDFS.subClassOf, GG.Person)),
        g.add((ID["zed"], RDF.type, URIRef("https://example.org/Minister"))),
        g.add((ID["zed"], RDFS.label, Literal("Zed", lang="en"))),
        g.add((ID["zed"], PROV.wasDerivedFrom, SOURCE["example-article"])),
        g.add((ID["zed"], GG.holds, ID["atlantis-foreign-minister"])),
        g.add((ID["zed"], OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1"))),
    ),
}


def test_the_clean_graph_conforms_to_both(clean: Graph) -> None:
    assert check_shapes(clean) == [] and _pyshacl_focus(clean) == set()


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_both_checkers_flag_the_same_nodes(clean: Graph, name: str) -> None:
    g = Graph()
    for triple in clean:
        g.add(triple)
    MUTATIONS[name](g)
    expected = _pyshacl_focus(g)
    found = {v.focus for v in check_shapes(g)}
    assert found == expected, name
    if name != "a subclass declared in the data":
        assert found, f"{name}: the mutation should break a shape"
