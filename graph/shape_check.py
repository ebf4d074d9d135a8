"""The SHACL shapes of ``graph.schema.shapes_graph``, checked fast: as SPARQL on pyoxigraph.

pyshacl walks the graph in Python and took 89 s of a 147 s build at 380k triples. The shapes
stay the published contract (``shapes_graph`` still generates them, and a test runs pyshacl on
the same graphs to show both find the same violations); the build checks them here, with one
SPARQL query per constraint generated from the same schema, on an in-memory pyoxigraph store.

Each query returns the focus node of every violation (and the offending value where there is
one); ``violations`` turns the rows into (focus, path, message) triples that the build maps
back to data files and lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from rdflib import Graph

from graph.oxigraph_store import OxigraphStore
from graph.schema import Schema, load_schema
from graph.store import Store, sparql_prologue
from graph.vocab import GG

__all__ = ["Violation", "check_shapes", "violations"]

_DATES = "(xsd:date, xsd:gYearMonth, xsd:gYear)"
_EVIDENCE = "(gg:documented, gg:reported, gg:inferred)"


@dataclass(frozen=True)
class Violation:
    """One node that breaks one shape: ``path`` is the property concerned (a CURIE)."""

    focus: str
    path: str
    message: str


@dataclass(frozen=True)
class _Check:
    path: str
    message: str
    query: str


_SUBCLASSES = """SELECT ?sub ?sup WHERE { ?sub rdfs:subClassOf+ ?sup }"""

Closure = dict[str, set[str]]
"""A class IRI -> itself and every class declared (in the checked graph) below it."""


def _closure(store: Store) -> Closure:
    """Subclasses as the graph itself declares them, as SHACL's ``sh:class`` reads them."""
    below: Closure = {}
    for row in store.select(sparql_prologue() + _SUBCLASSES):
        below.setdefault(str(row["sup"]), {str(row["sup"])}).add(str(row["sub"]))
    return below


def _classes(closure: Closure, names: tuple[str, ...]) -> str:
    """A VALUES list of the named govgraph classes and all their subclasses."""
    iris: set[str] = set()
    for name in names:
        iri = str(GG[name])
        iris |= closure.get(iri, {iri})
    return " ".join(f"<{i}>" for i in sorted(iris))


def _relation_checks(schema: Schema, closure: Closure) -> Iterator[_Check]:
    for r in schema.relations.values():
        yield _Check(
            f"gg:{r.name}",
            f"subject of {r.name} must be one of {list(r.domain)}",
            f"""SELECT DISTINCT ?focus WHERE {{ ?focus gg:{r.name} ?o .
  FILTER NOT EXISTS {{ ?focus a ?c . VALUES ?c {{ {_classes(closure, r.domain)} }} }} }}""",
        )
        yield _Check(
            f"gg:{r.name}",
            f"object of {r.name} must be one of {list(r.range)}",
            f"""SELECT DISTINCT ?focus WHERE {{ ?s gg:{r.name} ?focus .
  FILTER NOT EXISTS {{ ?focus a ?c . VALUES ?c {{ {_classes(closure, r.range)} }} }} }}""",
        )


def _count(target: str, path: str, test: str, message: str, extra: str = "") -> _Check:
    """Nodes of ``target`` whose number of ``path`` values fails ``test`` (e.g. ``!= 1``)."""
    return _Check(
        path,
        message,
        f"""SELECT ?focus WHERE {{ {target}
  OPTIONAL {{ ?focus {path} ?v {extra} }} }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) {test})""",
    )


def _claim_checks(closure: Closure) -> Iterator[_Check]:
    claim = "?focus a rdf:Statement ."
    for path in ("rdf:subject", "rdf:predicate", "rdf:object"):
        yield _count(claim, path, "!= 1", f"a claim needs exactly one {path}")
        yield _Check(
            path,
            f"a claim's {path} must be an IRI",
            f"SELECT ?focus WHERE {{ {claim} ?focus {path} ?v FILTER(!isIRI(?v)) }}",
        )
    yield _count(claim, "gg:reference", "< 1", "a claim needs at least one gg:reference")
    yield _Check(
        "gg:reference",
        "a claim's gg:reference must be a gg:Reference",
        f"""SELECT ?focus WHERE {{ {claim} ?focus gg:reference ?v
  FILTER NOT EXISTS {{ ?v a ?c . VALUES ?c {{ {_classes(closure, ("Reference",))} }} }} }}""",
    )
    yield from _evidence(claim, "claim")
    for path in ("gg:start", "gg:end"):
        yield _count(claim, path, "> 1", f"a claim has at most one {path}")
        yield _Check(
            path,
            f"a claim's {path} must be an xsd:date, xsd:gYearMonth or xsd:gYear",
            f"SELECT ?focus WHERE {{ {claim} ?focus {path} ?v "
            f"FILTER(DATATYPE(?v) NOT IN {_DATES}) }}",
        )


def _evidence(target: str, what: str) -> Iterator[_Check]:
    yield _count(target, "gg:evidence", "!= 1", f"a {what} needs exactly one gg:evidence")
    yield _Check(
        "gg:evidence",
        f"a {what}'s gg:evidence must be gg:documented, gg:reported or gg:inferred",
        f"SELECT ?focus WHERE {{ {target} ?focus gg:evidence ?v FILTER(?v NOT IN {_EVIDENCE}) }}",
    )


def _source_of(target: str, what: str, minimum: str, closure: Closure) -> Iterator[_Check]:
    yield _count(target, "prov:wasDerivedFrom", minimum, f"a {what} needs its source(s)")
    yield _Check(
        "prov:wasDerivedFrom",
        f"a {what}'s prov:wasDerivedFrom must be a gg:Source",
        f"""SELECT ?focus WHERE {{ {target} ?focus prov:wasDerivedFrom ?v
  FILTER NOT EXISTS {{ ?v a ?c . VALUES ?c {{ {_classes(closure, ("Source",))} }} }} }}""",
    )


def _of_class(closure: Closure, *names: str) -> str:
    return f"?focus a ?t . VALUES ?t {{ {_classes(closure, names)} }}"


def _reference_checks(closure: Closure) -> Iterator[_Check]:
    ref = _of_class(closure, "Reference")
    yield from _source_of(ref, "reference", "!= 1", closure)
    yield from _evidence(ref, "reference")
    yield _count(ref, "gg:quote", "> 1", "a reference has at most one gg:quote")


def _entity_checks(schema: Schema, closure: Closure) -> Iterator[_Check]:
    entity = _of_class(closure, *(c.name for c in schema.classes.values() if c.parent is None))
    yield _count(entity, "rdfs:label", "< 1", "an entity needs an rdfs:label")
    yield _Check(
        "rdfs:label",
        "an entity has at most one rdfs:label per language",
        f"""SELECT DISTINCT ?focus WHERE {{ {entity} ?focus rdfs:label ?a, ?b
  FILTER(?a != ?b && LANG(?a) != "" && LANG(?a) = LANG(?b)) }}""",
    )
    yield from _source_of(entity, "entity", "< 1", closure)


def _source_checks(closure: Closure) -> Iterator[_Check]:
    source = _of_class(closure, "Source")
    yield _count(source, "dcterms:title", "!= 1", "a source needs exactly one dcterms:title")
    yield _count(source, "schema:url", "> 1", "a source has at most one schema:url")
    yield _Check(
        "schema:url",
        "a source's schema:url must be an http(s) IRI",
        f"""SELECT ?focus WHERE {{ {source} ?focus schema:url ?v
  FILTER(!isIRI(?v) || !REGEX(STR(?v), "^https?://[^\\\\s]+$")) }}""",
    )


def _checks(schema: Schema, closure: Closure) -> list[_Check]:
    return [
        *_relation_checks(schema, closure),
        *_claim_checks(closure),
        *_reference_checks(closure),
        *_entity_checks(schema, closure),
        *_source_checks(closure),
    ]


def violations(store: Store, schema: Schema | None = None) -> list[Violation]:
    """Every violation of the schema's shapes in ``store`` (any Store: SPARQL only).

    The checks are independent read-only queries, run on as many threads as there are CPUs
    (pyoxigraph releases the GIL while it evaluates: 14 s -> 8 s at a million triples on 2).
    """
    prologue = sparql_prologue()

    def run(check: _Check) -> list[Violation]:
        rows = store.select(prologue + check.query)
        return [Violation(str(row["focus"]), check.path, check.message) for row in rows]

    checks = _checks(schema or load_schema(), _closure(store))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        found = {v for batch in pool.map(run, checks) for v in batch}
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


def check_shapes(graph: Graph, schema: Schema | None = None) -> list[Violation]:
    """The violations in an rdflib graph, checked on a throwaway in-memory pyoxigraph copy
    (the build checks its own N-Triples on a store it loads anyway: ``violations``)."""
    store = OxigraphStore.in_memory()
    try:
        store.load(graph)
        return violations(store, schema)
    finally:
        store.close()
