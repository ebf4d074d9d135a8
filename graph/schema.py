"""The schema, declared once in ``schema.yaml`` and turned into everything else.

Classes and relations are read into small frozen dataclasses. From them we generate the
OWL/RDFS ontology (``ontology.ttl``), the SHACL shapes used at build time, the relation list
the API and views use, and the legend of the views: nothing is kept in sync by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from graph.vocab import GG, OWL, PREFIXES, PROV, RDF, RDFS, SCHEMA, SH, XSD, Evidence

__all__ = [
    "ONTOLOGY_PATH",
    "SCHEMA_PATH",
    "ClassDef",
    "LineageKind",
    "RelationDef",
    "Schema",
    "load_schema",
    "ontology_graph",
    "shapes_graph",
]

SCHEMA_PATH = Path(__file__).with_name("schema.yaml")
ONTOLOGY_PATH = Path(__file__).with_name("ontology.ttl")


@dataclass(frozen=True)
class ClassDef:
    name: str
    label: str
    parent: str | None
    equivalent: tuple[str, ...]
    description: str

    @property
    def iri(self) -> URIRef:
        return GG[self.name]


class LineageKind(StrEnum):
    """Whether and which way a relation carries lineage (declared per relation in the schema)."""

    SHAPED_BY = "shaped-by"  # influence: the subject was shaped by the object
    PRODUCED_BY = "produced-by"  # origin: the subject was produced by the object
    PRODUCES = "produces"  # origin: the subject produced the object


@dataclass(frozen=True)
class RelationDef:
    name: str
    label: str
    inverse: str
    domain: tuple[str, ...]
    range: tuple[str, ...]
    lineage: LineageKind | None
    sentence: str
    description: str

    @property
    def iri(self) -> URIRef:
        return GG[self.name]

    @property
    def influence(self) -> bool:
        """The subject was shaped by the object (``rdfs:subPropertyOf gg:influencedBy``)."""
        return self.lineage is LineageKind.SHAPED_BY

    @property
    def origin(self) -> bool:
        """The relation says where something came from (issued by, agreed at, proposes)."""
        return self.lineage in (LineageKind.PRODUCED_BY, LineageKind.PRODUCES)

    def upstream(self, subject: str, obj: str) -> tuple[str, str] | None:
        """``(upstream, downstream)`` ends of one such relation, or None if it has no lineage:
        what came first and shaped or produced the other."""
        if self.lineage is None:
            return None
        return (subject, obj) if self.lineage is LineageKind.PRODUCES else (obj, subject)

    def clause(self, subject: str, obj: str) -> str:
        """The fact as a past-tense clause: ``clause("Panel", "Report")`` -> "Panel built on
        Report"."""
        return self.sentence.replace("{subject}", subject).replace("{object}", obj)


@dataclass(frozen=True)
class Schema:
    classes: dict[str, ClassDef]
    relations: dict[str, RelationDef]

    def ancestors(self, name: str) -> list[str]:
        """The class itself and its govgraph superclasses, nearest first."""
        chain = []
        current: str | None = name
        while current is not None:
            chain.append(current)
            current = self.classes[current].parent
        return chain

    def is_a(self, name: str, allowed: tuple[str, ...]) -> bool:
        return any(a in allowed for a in self.ancestors(name))

    def relation_by_iri(self, iri: str) -> RelationDef | None:
        if not iri.startswith(str(GG)):
            return None
        return self.relations.get(iri[len(str(GG)) :])

    def class_by_iri(self, iri: str) -> ClassDef | None:
        if not iri.startswith(str(GG)):
            return None
        return self.classes.get(iri[len(str(GG)) :])

    @property
    def influence_relations(self) -> list[RelationDef]:
        return [r for r in self.relations.values() if r.influence]

    @property
    def lineage_relations(self) -> list[RelationDef]:
        """Influence and origin relations: what lineage follows."""
        return [r for r in self.relations.values() if r.lineage is not None]


def _expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES:
        raise ValueError(f"schema.yaml: unknown prefix in {curie!r}")
    return URIRef(PREFIXES[prefix] + local)


def _check(schema: Schema) -> None:
    for c in schema.classes.values():
        if c.parent is not None and c.parent not in schema.classes:
            raise ValueError(f"schema.yaml: class {c.name} has unknown parent {c.parent}")
    for r in schema.relations.values():
        for cls in (*r.domain, *r.range):
            if cls not in schema.classes:
                raise ValueError(f"schema.yaml: relation {r.name} names unknown class {cls}")
        if "{subject}" not in r.sentence or "{object}" not in r.sentence:
            raise ValueError(
                f"schema.yaml: relation {r.name}: sentence needs {{subject}} and {{object}}"
            )


def _lineage(name: str, value: object) -> LineageKind | None:
    if value is None:
        return None
    try:
        return LineageKind(str(value))
    except ValueError:
        known = ", ".join(k.value for k in LineageKind)
        raise ValueError(f"schema.yaml: relation {name}: lineage {value!r}; use {known}") from None


@cache
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    """Read and check the schema declaration (cached: it never changes while we run)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    classes = {
        name: ClassDef(
            name=name,
            label=spec["label"],
            parent=spec.get("parent"),
            equivalent=tuple(spec.get("equivalent") or ()),
            description=spec["description"],
        )
        for name, spec in raw["classes"].items()
    }
    relations = {
        name: RelationDef(
            name=name,
            label=spec["label"],
            inverse=spec["inverse"],
            domain=tuple(spec["domain"]),
            range=tuple(spec["range"]),
            lineage=_lineage(name, spec.get("lineage")),
            sentence=spec["sentence"],
            description=spec["description"],
        )
        for name, spec in raw["relations"].items()
    }
    schema = Schema(classes=classes, relations=relations)
    _check(schema)
    return schema


def _bind(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def ontology_graph(schema: Schema | None = None) -> Graph:
    """The OWL/RDFS ontology generated from the schema declaration."""
    schema = schema or load_schema()
    g = _bind(Graph())
    onto = URIRef(str(GG).rstrip("#"))
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.label, Literal("govgraph ontology", lang="en")))
    for c in schema.classes.values():
        g.add((c.iri, RDF.type, OWL.Class))
        g.add((c.iri, RDFS.label, Literal(c.label, lang="en")))
        g.add((c.iri, RDFS.comment, Literal(c.description, lang="en")))
        if c.parent:
            g.add((c.iri, RDFS.subClassOf, GG[c.parent]))
        for eq in c.equivalent:
            g.add((c.iri, RDFS.subClassOf, _expand(eq)))
    g.add((GG.Source, RDF.type, OWL.Class))
    g.add((GG.Source, RDFS.label, Literal("Source", lang="en")))
    g.add((GG.Source, RDFS.subClassOf, PROV.Entity))
    g.add((GG.Reference, RDF.type, OWL.Class))
    g.add((GG.Reference, RDFS.label, Literal("Reference", lang="en")))
    g.add((GG.Reference, RDFS.subClassOf, PROV.Entity))
    g.add(
        (
            GG.Reference,
            RDFS.comment,
            Literal(
                "One source's support for a claim: prov:wasDerivedFrom the source, "
                "a verbatim gg:quote and its own gg:evidence.",
                lang="en",
            ),
        )
    )
    g.add((GG.reference, RDF.type, OWL.ObjectProperty))
    g.add((GG.reference, RDFS.label, Literal("reference", lang="en")))
    g.add((GG.reference, RDFS.domain, RDF.Statement))
    g.add((GG.reference, RDFS.range, GG.Reference))
    g.add((GG.influencedBy, RDF.type, OWL.ObjectProperty))
    g.add((GG.influencedBy, RDFS.label, Literal("influenced by", lang="en")))
    g.add((GG.influencedBy, GG.inverseLabel, Literal("influenced", lang="en")))
    g.add((GG.influencedBy, RDFS.subPropertyOf, PROV.wasInfluencedBy))
    for r in schema.relations.values():
        g.add((r.iri, RDF.type, OWL.ObjectProperty))
        g.add((r.iri, RDFS.label, Literal(r.label, lang="en")))
        g.add((r.iri, GG.inverseLabel, Literal(r.inverse, lang="en")))
        g.add((r.iri, RDFS.comment, Literal(r.description, lang="en")))
        g.add((r.iri, GG.isInfluence, Literal(r.influence)))
        if r.lineage is not None:
            g.add((r.iri, GG.lineage, Literal(r.lineage.value)))
        for cls in r.domain:
            g.add((r.iri, SCHEMA.domainIncludes, GG[cls]))
        for cls in r.range:
            g.add((r.iri, SCHEMA.rangeIncludes, GG[cls]))
        if r.influence:
            g.add((r.iri, RDFS.subPropertyOf, GG.influencedBy))
    for prop, label in [
        (GG.start, "start"),
        (GG.end, "end"),
        (GG.quote, "quote"),
        (GG.evidence, "evidence"),
        (GG.accessed, "accessed"),
        (GG.inverseLabel, "inverse label"),
        (GG.isInfluence, "is influence relation"),
        (GG.lineage, "lineage (shaped-by, produced-by or produces)"),
        (
            GG.incompleteList,
            "incomplete list (who holds this relation to it is partly known)",
        ),
    ]:
        g.add((prop, RDF.type, OWL.AnnotationProperty))
        g.add((prop, RDFS.label, Literal(label, lang="en")))
    for ev in Evidence:
        g.add((ev.iri, RDF.type, GG.EvidenceKind))
        g.add((ev.iri, RDFS.label, Literal(ev.value, lang="en")))
    return g


def _class_or(g: Graph, classes: tuple[str, ...]) -> BNode:
    """An sh:or list of sh:class alternatives (a class admits its subclasses)."""
    items: list[Node] = []
    for cls in classes:
        alt = BNode()
        g.add((alt, SH["class"], GG[cls]))
        items.append(alt)
    head = BNode()
    Collection(g, head, items)
    return head


def _property(g: Graph, shape: URIRef, path: URIRef, **constraints: object) -> None:
    prop = BNode()
    g.add((shape, SH.property, prop))
    g.add((prop, SH.path, path))
    for key, value in constraints.items():
        term = value if isinstance(value, (URIRef, BNode, Literal)) else Literal(value)
        g.add((prop, SH[key], term))


def _date_or(g: Graph) -> BNode:
    items: list[Node] = []
    for dtype in (XSD.date, XSD.gYearMonth, XSD.gYear):
        alt = BNode()
        g.add((alt, SH.datatype, dtype))
        items.append(alt)
    head = BNode()
    Collection(g, head, items)
    return head


def _evidence_list(g: Graph) -> BNode:
    head = BNode()
    Collection(g, head, [ev.iri for ev in Evidence])
    return head


def shapes_graph(schema: Schema | None = None) -> Graph:
    """SHACL shapes generated from the schema: domains, ranges, claims and their references,
    sources, names."""
    schema = schema or load_schema()
    g = _bind(Graph())
    for r in schema.relations.values():
        dom = GG[f"{r.name}DomainShape"]
        g.add((dom, RDF.type, SH.NodeShape))
        g.add((dom, SH.targetSubjectsOf, r.iri))
        g.add((dom, SH["or"], _class_or(g, r.domain)))
        g.add((dom, SH.message, Literal(f"subject of {r.name} must be one of {list(r.domain)}")))
        rng = GG[f"{r.name}RangeShape"]
        g.add((rng, RDF.type, SH.NodeShape))
        g.add((rng, SH.targetObjectsOf, r.iri))
        g.add((rng, SH["or"], _class_or(g, r.range)))
        g.add((rng, SH.message, Literal(f"object of {r.name} must be one of {list(r.range)}")))

    st = GG.StatementShape
    g.add((st, RDF.type, SH.NodeShape))
    g.add((st, SH.targetClass, RDF.Statement))
    for path in (RDF.subject, RDF.predicate, RDF.object):
        _property(g, st, path, minCount=1, maxCount=1, nodeKind=SH.IRI)
    _property(g, st, GG.reference, minCount=1, **{"class": GG.Reference})
    _property(g, st, GG.evidence, minCount=1, maxCount=1, **{"in": _evidence_list(g)})
    for path in (GG.start, GG.end):
        _property(g, st, path, maxCount=1, **{"or": _date_or(g)})

    ref = GG.ReferenceShape
    g.add((ref, RDF.type, SH.NodeShape))
    g.add((ref, SH.targetClass, GG.Reference))
    _property(g, ref, PROV.wasDerivedFrom, minCount=1, maxCount=1, **{"class": GG.Source})
    _property(g, ref, GG.evidence, minCount=1, maxCount=1, **{"in": _evidence_list(g)})
    _property(g, ref, GG.quote, maxCount=1)

    entity = GG.EntityShape
    g.add((entity, RDF.type, SH.NodeShape))
    for c in schema.classes.values():
        if c.parent is None:
            g.add((entity, SH.targetClass, c.iri))
    _property(g, entity, RDFS.label, minCount=1, uniqueLang=True)
    _property(g, entity, PROV.wasDerivedFrom, minCount=1, **{"class": GG.Source})

    src = GG.SourceShape
    g.add((src, RDF.type, SH.NodeShape))
    g.add((src, SH.targetClass, GG.Source))
    _property(g, src, URIRef("http://purl.org/dc/terms/title"), minCount=1, maxCount=1)
    _property(g, src, SCHEMA.url, maxCount=1, nodeKind=SH.IRI, pattern="^https?://[^\\s]+$")
    return g
