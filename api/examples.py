"""Example SPARQL queries for the query page: questions a journalist asks, on the real ids.

Each example is tested against a build of the real ``data/`` and must return rows (or true).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["EXAMPLES", "Example"]


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    query: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


EXAMPLES: list[Example] = [
    Example(
        "bletchley-signatories",
        "Who signed the Bletchley Declaration, with every source and quote?",
        """SELECT ?signatory ?name ?date ?source ?quote WHERE {
  ?claim rdf:subject ?signatory ; rdf:predicate gg:signed ; rdf:object id:bletchley-declaration ;
         gg:reference ?ref .
  ?ref prov:wasDerivedFrom ?src .
  ?signatory rdfs:label ?name FILTER(LANG(?name) = "en")
  ?src dcterms:title ?source .
  OPTIONAL { ?claim gg:start ?date } OPTIONAL { ?ref gg:quote ?quote }
} ORDER BY ?name""",
    ),
    Example(
        "un-panel-lineage",
        "What shaped the UN Independent International Scientific Panel on AI? (lineage)",
        """SELECT DISTINCT ?ancestor ?name ?type WHERE {
  id:independent-international-scientific-panel-on-ai gg:influencedBy+ ?ancestor .
  ?ancestor rdfs:label ?name FILTER(LANG(?name) = "en")
  ?ancestor a ?type . ?type a owl:Class .
} ORDER BY ?name""",
    ),
    Example(
        "uk-foreign-secretary-on-date",
        "Who was UK Foreign Secretary on 18 October 2024?",
        """SELECT DISTINCT ?person ?name ?start ?end WHERE {
  ?st rdf:subject ?person ; rdf:predicate gg:holds ; rdf:object id:uk-foreign-secretary ;
      gg:start ?start .
  OPTIONAL { ?st gg:end ?end }
  ?person rdfs:label ?name FILTER(LANG(?name) = "en")
  FILTER(STR(?start) <= "2024-10-18" && (!BOUND(?end) || STR(?end) >= "2024-10-18"))
}""",
    ),
    Example(
        "china-signed",
        "What did China sign?",
        """SELECT DISTINCT ?document ?title ?date WHERE {
  ?st rdf:subject id:china ; rdf:predicate gg:signed ; rdf:object ?document .
  OPTIONAL { ?st gg:start ?date }
  ?document rdfs:label ?title FILTER(LANG(?title) = "en")
} ORDER BY ?date""",
    ),
    Example(
        "seed-article-claims",
        "Every claim citing the seed article, with its quote",
        """SELECT ?subject ?relation ?object ?quote WHERE {
  ?claim a rdf:Statement ; gg:reference ?ref ;
         rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object .
  ?ref prov:wasDerivedFrom src:seed-article .
  OPTIONAL { ?ref gg:quote ?quote }
} ORDER BY ?subject ?relation""",
    ),
    Example(
        "interim-report-downstream",
        "What built on the Interim International Scientific Report (2024)?",
        """SELECT DISTINCT ?descendant ?name WHERE {
  ?descendant gg:influencedBy+ id:international-scientific-report-interim-2024 .
  ?descendant rdfs:label ?name FILTER(LANG(?name) = "en")
} ORDER BY ?name""",
    ),
    Example(
        "summit-documents",
        "Which declarations and statements were issued at which summit?",
        """SELECT ?summit ?summitName ?document ?documentName WHERE {
  ?document gg:issuedAt ?summit . ?summit a gg:Summit .
  ?summit rdfs:label ?summitName FILTER(LANG(?summitName) = "en")
  ?document rdfs:label ?documentName FILTER(LANG(?documentName) = "en")
} ORDER BY ?summitName ?documentName""",
    ),
    Example(
        "bletchley-attendees",
        "Who attended the AI Safety Summit at Bletchley Park (2023)?",
        """SELECT DISTINCT ?attendee ?name ?type WHERE {
  ?attendee gg:attended id:ai-safety-summit-2023 ; a ?type . ?type a owl:Class .
  ?attendee rdfs:label ?name FILTER(LANG(?name) = "en")
} ORDER BY ?type ?name""",
    ),
    Example(
        "aisi-network-members",
        "Members of the International Network of AI Safety Institutes",
        """SELECT DISTINCT ?member ?name WHERE {
  ?member gg:memberOf id:international-network-of-ai-safety-institutes .
  ?member rdfs:label ?name FILTER(LANG(?name) = "en")
} ORDER BY ?name""",
    ),
    Example(
        "lammy-visit",
        "Lammy's 2024 China visit: who took part, and what the sources say",
        """SELECT ?who ?relation ?quote ?source WHERE {
  ?claim rdf:object id:lammy-china-visit-2024 ; rdf:subject ?who ; rdf:predicate ?relation ;
         gg:reference ?ref .
  ?ref prov:wasDerivedFrom ?src .
  ?src dcterms:title ?source .
  OPTIONAL { ?ref gg:quote ?quote }
}""",
    ),
    Example(
        "post-holders",
        "Every tenure of every post, with dates",
        """SELECT ?post ?person ?start ?end WHERE {
  ?st rdf:predicate gg:holds ; rdf:subject ?person ; rdf:object ?post .
  OPTIONAL { ?st gg:start ?start } OPTIONAL { ?st gg:end ?end }
} ORDER BY ?post ?start""",
    ),
    Example(
        "leaders",
        "Who heads which organisation?",
        """SELECT ?person ?name ?organisation ?start WHERE {
  ?st rdf:predicate gg:heads ; rdf:subject ?person ; rdf:object ?organisation .
  OPTIONAL { ?st gg:start ?start }
  ?person rdfs:label ?name FILTER(LANG(?name) = "en")
} ORDER BY ?organisation ?start""",
    ),
    Example(
        "turing-laureates",
        "Turing Award laureates in the graph, and what they are tied to",
        """SELECT ?laureate ?relation ?other WHERE {
  ?laureate gg:receivedAward id:turing-award .
  ?laureate ?relation ?other . ?relation a owl:ObjectProperty .
} ORDER BY ?laureate""",
    ),
    Example(
        "chinese-names",
        "Entities with a Chinese name",
        """SELECT ?entity ?english ?chinese WHERE {
  ?entity rdfs:label ?chinese FILTER(langMatches(LANG(?chinese), "zh"))
  ?entity rdfs:label ?english FILTER(LANG(?english) = "en")
} ORDER BY ?english""",
    ),
    Example(
        "classes",
        "How many entities of each class?",
        """SELECT ?class (COUNT(?entity) AS ?entities) WHERE {
  ?entity a ?class . ?class a owl:Class . FILTER(STRSTARTS(STR(?entity), STR(id:)))
} GROUP BY ?class ORDER BY DESC(?entities)""",
    ),
    Example(
        "evidence",
        "How many claims rest on a primary source (documented), a secondary one (reported)?",
        """SELECT ?evidence (COUNT(?claim) AS ?claims) WHERE {
  ?claim a rdf:Statement ; gg:evidence ?evidence .
} GROUP BY ?evidence""",
    ),
    Example(
        "well-sourced-claims",
        "Which claims have the most independent sources?",
        """SELECT ?subject ?relation ?object (COUNT(DISTINCT ?src) AS ?sources) WHERE {
  ?claim rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object ;
         gg:reference/prov:wasDerivedFrom ?src .
} GROUP BY ?subject ?relation ?object HAVING (COUNT(DISTINCT ?src) > 2)
ORDER BY DESC(?sources)""",
    ),
    Example(
        "hlab-outputs",
        "What did the UN High-level Advisory Body on AI produce, and what did that shape?",
        """SELECT DISTINCT ?output ?name ?shaped ?shapedName WHERE {
  ?output gg:issuedBy id:un-high-level-advisory-body-on-ai .
  ?output rdfs:label ?name FILTER(LANG(?name) = "en")
  OPTIONAL {
    ?shaped gg:influencedBy ?output .
    ?shaped rdfs:label ?shapedName FILTER(LANG(?shapedName) = "en")
  }
} ORDER BY ?name""",
    ),
    Example(
        "us-signed-bletchley",
        "Did the United States sign the Bletchley Declaration? (ASK)",
        "ASK { id:united-states gg:signed id:bletchley-declaration }",
    ),
    Example(
        "lammy-graph",
        "Everything said about David Lammy, as RDF (CONSTRUCT)",
        """CONSTRUCT { id:david-lammy ?p ?o . ?s ?q id:david-lammy }
WHERE { { id:david-lammy ?p ?o } UNION { ?s ?q id:david-lammy } }""",
    ),
    Example(
        "laws-in-force-on-date",
        "Which laws and binding rules were in force on 1 January 2026, and where?",
        """SELECT ?law ?name ?jurisdiction ?since ?until WHERE {
  ?st rdf:subject ?law ; rdf:predicate gg:inForceIn ; rdf:object ?where ; gg:start ?since .
  OPTIONAL { ?st gg:end ?until }
  FILTER(STR(?since) <= "2026-01-01" && (!BOUND(?until) || STR(?until) > "2026-01-01"))
  ?law rdfs:label ?name FILTER(LANG(?name) = "en")
  ?where rdfs:label ?jurisdiction FILTER(LANG(?jurisdiction) = "en")
} ORDER BY ?jurisdiction ?since""",
    ),
    Example(
        "code-of-practice-signatories",
        "Which companies signed the EU General-Purpose AI Code of Practice (or a chapter of it)?",
        """SELECT DISTINCT ?company ?name ?signed ?date WHERE {
  VALUES ?document { id:gpai-code-of-practice id:gpai-code-transparency-chapter
                     id:gpai-code-copyright-chapter id:gpai-code-safety-and-security-chapter }
  ?st rdf:subject ?company ; rdf:predicate gg:signed ; rdf:object ?document .
  ?company a gg:Company ; rdfs:label ?name FILTER(LANG(?name) = "en")
  ?document rdfs:label ?signed FILTER(LANG(?signed) = "en")
  OPTIONAL { ?st gg:start ?date }
} ORDER BY ?name""",
    ),
    Example(
        "events-in-a-city",
        "What happened in Shanghai? (events held there, with where exactly and when)",
        """SELECT DISTINCT ?event ?name ?venue ?date WHERE {
  { ?event gg:heldAt id:shanghai . id:shanghai rdfs:label ?venue FILTER(LANG(?venue) = "en") }
  UNION
  { ?event gg:heldAt ?place . ?place rdfs:label ?venue FILTER(LANG(?venue) = "en")
    FILTER(?place != id:shanghai && CONTAINS(?venue, "Shanghai")) }
  ?event rdfs:label ?name FILTER(LANG(?name) = "en")
  OPTIONAL { ?event gg:start ?date }
} ORDER BY ?date""",
    ),
]
