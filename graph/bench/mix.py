"""The fixed query mix every engine of ``govgraph bench --synthetic`` answers.

A comparison is only fair when every engine gets the same questions in the same words, so
each question is written once here, as SPARQL, and the same final text (prologue, IRIs
substituted) goes to pyoxigraph, rdflib, rdflib-endpoint, Virtuoso and govgraph's ``/sparql``.
govgraph's own answers (search index, ranked path explanations, lineage on the projection,
the profile and lineage routes) run alongside for the questions it has a native answer to;
those are timed but their counts are not compared, since they rank and page rather than list.

Parameters (entities, search words, pairs) are picked from the built store in a fixed order,
so two runs on the same synthetic graph ask exactly the same things.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.store import Store, sparql_prologue

__all__ = ["LINEAGE_DEPTH", "MIX", "BenchQuery", "Params", "choose_params", "sparql_text"]

LINEAGE_DEPTH = 3
_LINEAGE = "(gg:influencedBy|gg:issuedBy|gg:issuedAt)"
Params = dict[str, str]


@dataclass(frozen=True)
class BenchQuery:
    """One question of the mix: its SPARQL template (``{a}``/``{b}`` are entity IRIs, ``{text}``
    a lower-case search word), and which of govgraph's own answers it has, if any."""

    name: str
    what: str
    template: str
    native: str | None = None
    """govgraph's own answer to this question (search, profile, path, lineage), if any."""


MIX: tuple[BenchQuery, ...] = (
    BenchQuery(
        "label",
        "an entity's labels in every language",
        "SELECT ?label WHERE { <{a}> rdfs:label ?label }",
    ),
    BenchQuery(
        "search",
        "entities with a label or alias containing a word",
        "SELECT DISTINCT ?e WHERE { { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name }"
        ' FILTER(CONTAINS(LCASE(STR(?name)), "{text}")) }',
        native="search",
    ),
    BenchQuery(
        "profile",
        "1 hop: every claim about an entity, the other end's label and each source",
        "SELECT ?claim ?p ?other ?otherLabel ?source ?title WHERE {"
        " { ?claim rdf:subject <{a}> ; rdf:predicate ?p ; rdf:object ?other }"
        " UNION { ?claim rdf:subject ?other ; rdf:predicate ?p ; rdf:object <{a}> }"
        " ?claim gg:reference ?ref . ?ref prov:wasDerivedFrom ?source ."
        " OPTIONAL { ?source dcterms:title ?title }"
        ' OPTIONAL { ?other rdfs:label ?otherLabel FILTER(LANG(?otherLabel) = "en") } }',
        native="profile",
    ),
    BenchQuery(
        "path",
        "every lineage path of 1-4 hops from A to B (influence, issued by, issued at)",
        "SELECT ?m1 ?m2 ?m3 WHERE {"
        " { <{a}> @ <{b}> }"
        " UNION { <{a}> @ ?m1 . ?m1 @ <{b}> }"
        " UNION { <{a}> @ ?m1 . ?m1 @ ?m2 . ?m2 @ <{b}> }"
        " UNION { <{a}> @ ?m1 . ?m1 @ ?m2 . ?m2 @ ?m3 . ?m3 @ <{b}> } }".replace("@", _LINEAGE),
        native="path",
    ),
    BenchQuery(
        "lineage",
        f"what shaped or produced an entity, up to {LINEAGE_DEPTH} hops upstream",
        "SELECT DISTINCT ?up WHERE { { <{a}> @ ?up } UNION { <{a}> @/@ ?up }"
        " UNION { <{a}> @/@/@ ?up } }".replace("@", _LINEAGE),
        native="lineage",
    ),
    BenchQuery(
        "aggregate",
        "signatories per declaration",
        "SELECT ?declaration (COUNT(DISTINCT ?signatory) AS ?n)"
        " WHERE { ?signatory gg:signed ?declaration } GROUP BY ?declaration",
    ),
    BenchQuery(
        "join",
        "2 hops: who held which post of a country, with the claim's sources if any",
        "SELECT ?person ?post ?source WHERE { ?post gg:postIn <{a}> . ?person gg:holds ?post ."
        " OPTIONAL { ?claim rdf:subject ?person ; rdf:predicate gg:holds ; rdf:object ?post ;"
        " gg:reference/prov:wasDerivedFrom ?source } }",
    ),
)


def sparql_text(query: BenchQuery, params: Params) -> str:
    """The exact text every SPARQL engine receives: the prologue and the template filled in."""
    body = query.template
    for key, value in params.items():
        body = body.replace("{" + key + "}", value)
    return sparql_prologue() + body


def _column(store: Store, query: str, name: str = "x") -> list[str]:
    return [str(row[name]) for row in store.select(sparql_prologue() + query) if name in row]


def _spread(items: list[Any], count: int) -> list[Any]:
    """``count`` items evenly spread over ``items`` (all of them when there are fewer)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _word(label: str) -> str:
    """A search word from a label: its longest word, lower case (synthetic names are made
    of 2-3 syllable words, so a word matches a handful of entities)."""
    return max(label.lower().split(), key=len)


def choose_params(store: Store, per_query: int = 6) -> dict[str, list[Params]]:
    """Parameters for each question, picked from the store in a fixed order."""
    entities = _column(  # entities that some claim is about
        store, "SELECT DISTINCT ?x WHERE { ?c rdf:subject ?x } ORDER BY ?x"
    )
    picked = _spread(entities, per_query)
    labels = _column(
        store,
        'SELECT ?x WHERE { ?e rdfs:label ?x FILTER(LANG(?x) = "en"'
        " && STRSTARTS(STR(?e), STR(id:))) } ORDER BY ?x",
    )
    countries = _column(store, "SELECT DISTINCT ?x WHERE { ?p gg:postIn ?x } ORDER BY ?x")
    chains = store.select(
        sparql_prologue()
        + "SELECT ?a ?b WHERE { ?a gg:influencedBy ?m1 . ?m1 gg:influencedBy ?m2 ."
        " ?m2 gg:issuedBy|gg:influencedBy ?b FILTER(?a != ?b) } ORDER BY ?a ?b LIMIT 5000"
    )
    pairs = _spread([(str(r["a"]), str(r["b"])) for r in chains], per_query)
    if not pairs:  # a graph without influence chains: any two entities
        pairs = list(zip(picked, reversed(picked), strict=True))
    return {
        "label": [{"a": e} for e in picked],
        "search": [{"text": _word(label)} for label in _spread(labels, per_query)],
        "profile": [{"a": e} for e in picked],
        "path": [{"a": a, "b": b} for a, b in pairs],
        "lineage": [{"a": a} for a, _ in pairs],
        "aggregate": [{}],
        "join": [{"a": c} for c in _spread(countries, per_query)] or [{"a": picked[0]}],
    }
