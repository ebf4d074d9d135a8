"""The schema is declared once; ontology and shapes are generated from it."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import isomorphic

from graph.schema import ONTOLOGY_PATH, load_schema, ontology_graph, shapes_graph
from graph.vocab import GG, RDFS, SCHEMA, SH


def test_committed_ontology_is_generated_from_schema_yaml() -> None:
    committed = Graph().parse(ONTOLOGY_PATH, format="turtle")
    assert isomorphic(committed, ontology_graph()), (
        "graph/ontology.ttl is stale: run `govgraph schema --write` and commit it"
    )


def test_influence_relations_are_subproperties_of_influenced_by() -> None:
    g = ontology_graph()
    schema = load_schema()
    for relation in schema.relations.values():
        is_sub = (relation.iri, RDFS.subPropertyOf, GG.influencedBy) in g
        assert is_sub == relation.influence, relation.name
    assert {r.name for r in schema.influence_relations} >= {
        "buildsOn",
        "modelledOn",
        "commissionedBy",
        "establishedBy",
        "succeeds",
        "inspiredBy",
    }


def test_every_class_reaches_a_standard_vocabulary() -> None:
    schema = load_schema()
    for name in schema.classes:
        chain = schema.ancestors(name)
        assert any(schema.classes[c].equivalent for c in chain), name


def test_relations_carry_labels_inverse_labels_and_domains() -> None:
    g = ontology_graph()
    for relation in load_schema().relations.values():
        assert g.value(relation.iri, RDFS.label) is not None
        assert g.value(relation.iri, GG.inverseLabel) is not None
        assert set(g.objects(relation.iri, SCHEMA.domainIncludes))
        assert set(g.objects(relation.iri, SCHEMA.rangeIncludes))


def test_shapes_check_domain_and_range_of_every_relation() -> None:
    shapes = shapes_graph()
    for relation in load_schema().relations.values():
        assert (None, SH.targetSubjectsOf, relation.iri) in shapes
        assert (None, SH.targetObjectsOf, relation.iri) in shapes


def test_subclass_admits_into_parent_range() -> None:
    schema = load_schema()
    assert schema.is_a("SafetyInstitute", ("Organization",))
    assert not schema.is_a("Person", ("Organization",))
