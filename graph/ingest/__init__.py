"""Ingesting an article for review: known entities it names, new ones, and candidate claims.

``ingest`` reads nothing from ``data/`` and writes nothing there: it takes the article's text
and the current store, finds mentions of known entities through the search index
(``graph.ingest.mentions``), proposes new entities for capitalised names the index does not
know, guesses claims between the entities of each sentence (``graph.ingest.claims``) and returns
a ``Review``; ``graph.ingest.review`` writes it as a data file for a reviewer to prune.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from graph.ingest.bridging import bridge, definites, pronouns, sibling_topics
from graph.ingest.claims import ClaimProposal, propose_claims
from graph.ingest.mentions import FUNCTION_WORDS, HONORIFICS, Mention, MentionFinder
from graph.ingest.text import Sentence, Token, sentences, tokens
from graph.schema import Schema, load_schema
from graph.search import SearchIndex, normalise
from graph.store import Store, sparql_prologue
from graph.vocab import slug_of

__all__ = [
    "EntityProposal",
    "Review",
    "SourceProposal",
    "guess_type",
    "ingest",
    "known_claims",
    "slugify",
]

_TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SafetyInstitute", ("safety institute", "security institute")),
    ("GovernmentBody", ("ministry", "department", "agency", "office", "commission", "council",
                        "bureau", "administration", "parliament", "congress", "cabinet")),
    ("InternationalOrganization", ("united nations", "network", "alliance", "partnership")),
    ("ResearchGroup", ("institute", "university", "college", "lab", "laboratory", "centre",
                       "center", "foundation", "endowment", "academy", "panel", "think tank")),
    ("Company", ("inc", "ltd", "corp", "corporation", "company", "technologies", "group")),
    ("Summit", ("summit",)),
    ("Meeting", ("conference", "meeting", "forum", "session", "plenum")),
    ("Dialogue", ("dialogue",)),
    ("Declaration", ("declaration",)),
    ("Report", ("report", "review", "study")),
    ("Law", ("act", "law", "regulation", "measures", "directive", "bill")),
    ("Statement", ("statement", "consensus", "speech", "letter")),
    ("PolicyDocument", ("framework", "strategy", "plan", "initiative", "guide", "guidelines",
                        "decision", "resolution", "roadmap", "white paper", "code")),
    ("Period", ("era", "age", "period", "decade")),
    ("Award", ("award", "prize", "medal")),
    ("Country", ("republic", "kingdom", "federation", "emirates", "states")),
)  # fmt: skip
"""Keywords of a name (its last words count most) and the type they suggest."""

_CLAIMS = (
    sparql_prologue()
    + "SELECT ?s ?p ?o WHERE { ?c a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; "
    "rdf:object ?o }"
)
_SOURCES = sparql_prologue() + "SELECT ?s WHERE { ?s a gg:Source }"
_SPLITTERS = {"and", "or", "&"}
_ACTIVE = 0.3
"""Proposals below this confidence are written commented out."""


@dataclass(frozen=True)
class SourceProposal:
    id: str
    title: str
    url: str | None
    date: str | None
    publisher: str | None
    text_path: str


@dataclass(frozen=True)
class EntityProposal:
    id: str
    type: str
    label: str
    context: str
    confidence: float
    reason: str


@dataclass
class Review:
    """Everything ``ingest`` proposes, for ``graph.ingest.review.review_yaml``."""

    source: SourceProposal
    text: str
    sentences: list[Sentence]
    mentions: list[Mention]
    entities: list[EntityProposal]
    claims: list[ClaimProposal]
    threshold: float = _ACTIVE
    labels: dict[str, str] = field(default_factory=dict)

    def active_claims(self) -> list[ClaimProposal]:
        return [c for c in self.claims if c.confidence >= self.threshold]

    def linked(self) -> set[str]:
        """Known entities the article names (mentions at or above the threshold)."""
        return {m.entity for m in self.mentions if m.confidence >= self.threshold}


def slugify(text: str) -> str:
    """``"Alarm Era"`` -> ``alarm-era``; a name with no Latin letters gets a stable hash."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")
    return slug or "entity-" + hashlib.sha256(text.encode()).hexdigest()[:8]


def _fresh(base: str, taken: set[str], index: SearchIndex | None = None) -> str:
    """``base``, or ``base-2``, ``base-3``...: never an id already taken or known to ``index``."""
    candidate, n = base, 2
    while candidate in taken or (index is not None and index.label(candidate) is not None):
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def guess_type(name: str, *, titled: bool) -> tuple[str, float, str]:
    """(type, confidence, reason) for a new name: a title before it says Person; a keyword in
    it (``Institute``, ``Ministry``, ``Era``) says its kind; two or three plain capitalised
    words are most often a person's name; anything else is an organisation, weakly."""
    if titled:
        return "Person", 0.6, "a title precedes it"
    words = normalise(name).split()
    for position in range(len(words), 0, -1):
        for type_, keys in _TYPE_WORDS:
            for key in keys:
                n = len(key.split())
                if " ".join(words[max(0, position - n) : position]) == key:
                    weight = 0.6 if position == len(words) else 0.45
                    return type_, weight, f"keyword {key!r}"
    if re.fullmatch(r"[\u3400-\u9fff]{2,4}", name):
        return "Person", 0.3, "a short Chinese name"
    if 2 <= len(words) <= 3 and all(w.isalpha() for w in words):
        return "Person", 0.35, "two or three capitalised words"
    return "Organization", 0.3, "a capitalised name"


def _runs(toks: list[Token], covered: list[tuple[int, int]]) -> list[list[Token]]:
    """Maximal runs of capitalised words not covered by a mention (``of``/``the``... inside)."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for tok in [*toks, None]:
        free = tok is not None and not any(s < tok.end and tok.start < e for s, e in covered)
        lower = tok.text.lower() if tok is not None else ""
        name_word = tok is not None and tok.capitalised and lower not in _SPLITTERS
        inner = bool(current) and lower in {"of", "on", "the", "for", "de"}
        if tok is not None and free and (name_word or inner):
            current.append(tok)
        else:
            while current and not current[-1].capitalised:
                current.pop()
            if current:
                runs.append(current)
            current = []
    return runs


def _new_entities(
    finder: MentionFinder, text: str, sents: list[Sentence], mentions: list[Mention]
) -> list[Mention]:
    """Unknown capitalised names as mentions of new entities (ids assigned later)."""
    covered = [(m.start, m.end) for m in mentions]
    found: list[Mention] = []
    for number, sentence in enumerate(sents):
        for run in _runs(tokens(sentence), covered):
            titled = False
            while run and (
                normalise(run[0].text) in FUNCTION_WORDS
                or run[0].text.isdigit()
                or normalise(run[0].text).rstrip(".") in HONORIFICS
            ):
                titled = titled or normalise(run[0].text).rstrip(".") in HONORIFICS
                run = run[1:]
            if any(normalise(t.text) in FUNCTION_WORDS for t in run if t.capitalised):
                continue
            caps = [t for t in run if t.capitalised]
            name = text[run[0].start : run[-1].end] if run else ""
            cjk = re.fullmatch(r"[\u3400-\u9fff]{2,4}", name) is not None
            if not cjk and (len(caps) < 2 or " " not in name):
                continue
            if finder.search(name) and finder.search(name)[0].score >= 95:
                continue
            before = text[max(sentence.start, run[0].start - 25) : run[0].start].lower().split()
            titled = titled or (bool(before) and before[-1].strip(".,") in HONORIFICS)
            type_, confidence, reason = guess_type(name, titled=titled)
            found.append(
                Mention(
                    "", name, type_, run[0].start, run[-1].end, name, number, confidence, reason
                )
            )
    return found


def known_claims(store: Store) -> dict[tuple[str, str], str]:
    """(subject, object) -> relation of every claim the graph already holds."""
    known: dict[tuple[str, str], str] = {}
    for row in store.select(_CLAIMS):
        predicate = str(row["p"]).rsplit("#", 1)[-1]
        known.setdefault((slug_of(str(row["s"])), slug_of(str(row["o"]))), predicate)
    return known


def ingest(
    text: str,
    store: Store,
    *,
    title: str,
    url: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    index: SearchIndex | None = None,
    schema: Schema | None = None,
    use_known: bool = True,
) -> Review:
    """Propose entities and claims for ``text`` against the graph in ``store``."""
    schema = schema or load_schema()
    index = index or SearchIndex.from_store(store, schema)
    finder = MentionFinder.from_store(store, index)
    sents = sentences(text)
    mentions = finder.find(text, sents)
    new = _new_entities(finder, text, sents, mentions)
    new += sibling_topics(sents, [*mentions, *new])
    source_ids = {str(r["s"]).rsplit("/", 1)[-1] for r in store.select(_SOURCES)}
    source_id = _fresh(slugify(title)[:60].strip("-"), source_ids)
    taken = set(source_ids) | {source_id}
    ids: dict[str, str] = {}
    proposals: list[EntityProposal] = []
    for m in new:
        key = normalise(m.label)
        if key not in ids:
            ids[key] = _fresh(slugify(m.label)[:60].strip("-"), taken, index)
            context = sents[m.sentence].text
            proposals.append(
                EntityProposal(ids[key], m.type, m.label, context, m.confidence, m.how)
            )
    new_mentions = [
        Mention(ids[normalise(m.label)], m.label, m.type, m.start, m.end, m.text, m.sentence,
                m.confidence, "new")
        for m in new
    ]  # fmt: skip
    held = known_claims(store)
    bridged = bridge(text, sents, [*mentions, *new_mentions], index, held)
    referred = pronouns(sents, [*mentions, *new_mentions, *bridged])
    referred += definites(text, sents, [*mentions, *new_mentions, *bridged], index)
    mentions = sorted([*mentions, *bridged], key=lambda m: (m.start, m.end))
    everything = [*mentions, *new_mentions, *referred]
    claims = propose_claims(everything, sents, text, schema, known=held if use_known else {})
    labels = {m.entity: m.label for m in mentions}
    source = SourceProposal(source_id, title, url, published, publisher, f"texts/{source_id}.txt")
    return Review(source, text, sents, mentions, proposals, claims, labels=labels)
