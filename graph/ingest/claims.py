"""Guessing the claims a sentence makes about the entities it names.

Two entities named in one sentence may be related; which relation, and which way, is guessed in
this order (the first that the schema admits for their types wins):

1. a cue phrase between the two names (``signed``, ``funded``, ``builds on``, ``modelled on``,
   ``invited``, ``hosted``...), mapped to a schema relation. A cue knows whether the name before
   it is the relation's subject (``A signed B``) or its object (``A funded B`` is ``B fundedBy
   A``); a passive (``was funded by``) turns that round;
2. a possessive (``OpenAI's o1``: developed by, issued by, established by...);
3. a title right before a name (``Premier Li Qiang``: the person holds the post);
4. a relation the graph already holds between them (the article is then one more reference);
5. a cue anywhere else in the sentence, then a default for the pair of types (a document and a
   topic: ``addresses``), with low confidence.

Domain and range always decide what is admissible (``Schema.is_a``); confidence drops with the
number of other names between the two. Every claim quotes its whole sentence.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from graph.ingest.mentions import Mention
from graph.ingest.text import Sentence, paragraphs
from graph.schema import Schema

__all__ = ["CUES", "ClaimProposal", "propose_claims"]


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    relation: str
    agent_is_subject: bool
    """In the active voice, the name before the cue is the relation's subject."""


def _cue(pattern: str, relation: str, agent_is_subject: bool) -> Cue:
    return Cue(re.compile(pattern, re.IGNORECASE), relation, agent_is_subject)


CUES: tuple[Cue, ...] = (
    _cue(r"\b(?:co-?)?sign(?:ed|s|ing|atories|atory)?\b|\bendors(?:ed|es)\b", "signed", True),
    _cue(r"\bmodell?ed (?:on|after)\b|\bbased on\b", "modelledOn", True),
    _cue(r"\bblueprint for\b|\bmodel for\b", "modelledOn", False),
    _cue(r"\bbuil(?:ds?|t|ding) on\b|\bfollow(?:s|ed)? up\b|\bextends\b", "buildsOn", True),
    _cue(r"\bsucceed(?:ed|s)?\b|\breplaced\b|\bsuccessor\b", "succeeds", False),
    _cue(r"\bfund(?:ed|s|ing)?\b|\bfinanc(?:ed|es|ing)\b|\bpaid for\b", "fundedBy", False),
    _cue(r"\bcommission(?:ed|s)?\b|\bmandated\b", "commissionedBy", False),
    _cue(
        r"\bestablish(?:ed|es)?\b|\bcreat(?:ed|es)\b|\bfound(?:ed|s)\b|\bset up\b"
        r"|\blaunch(?:ed|es)\b",
        "establishedBy",
        False,
    ),
    _cue(r"\bedit(?:ed|s)\b", "editedBy", False),
    _cue(
        r"\bissu(?:ed|es)\b|\bpublish(?:ed|es)\b|\breleas(?:ed|es)\b|\badopted\b|\blaid out\b",
        "issuedBy",
        False,
    ),
    _cue(r"\bdevelop(?:ed|s)\b|\btrain(?:ed|s)\b", "developedBy", False),
    _cue(
        r"\bhost(?:ed|s|ing)?\b|\b(?:ran|run|runs)\b|\borgani[sz](?:ed|es)\b|\bconven(?:ed|es)\b",
        "hosted",
        True,
    ),
    _cue(r"\binvit(?:ed|e|es|ing|ation)\b", "invitedTo", True),
    _cue(
        r"\battend(?:ed|s)?\b|\btook part\b|\bvisit(?:ed|s|ing)?\b|\bmet\b|\bmeeting\b",
        "attended",
        True,
    ),
    _cue(r"\bappoint(?:ed|s)\b|\bnamed\b|\bserv(?:ed|es) as\b", "holds", True),
    _cue(r"\bchair(?:ed|s|ing)?\b|\bhead(?:ed|s)?\b|\bled\b|\bdirect(?:ed|s)\b", "heads", True),
    _cue(r"\bmember(?:s|ship)? of\b|\bjoin(?:ed|s)\b", "memberOf", True),
    _cue(r"\bprais(?:ed|es|e)\b|\bhail(?:ed|s)?\b|\bwelcom(?:ed|es)\b", "praised", True),
    _cue(r"\bcompet(?:e|es|ed|ing|ition)\b|\brival", "competesWith", True),
    _cue(
        r"\bpropos(?:ed|es|al)\b|\brecommend(?:ed|s)?\b|\bcall(?:ed|s|ing)? for\b", "proposes", True
    ),
    _cue(r"\brequir(?:e|es|ed)\b|\bmandates\b", "requires", True),
    _cue(r"\bundermin(?:e|es|ed)\b|\bconflict(?:s|ed)? with\b|\bclash", "conflictsWith", True),
    _cue(r"\binspired\b|\bprompted\b", "inspiredBy", True),
    _cue(r"\brespon(?:ds?|se|ded) to\b", "respondsTo", True),
    _cue(
        r"\baddress(?:ed|es|ing)?\b|\btackl(?:e|es|ed|ing)\b|\bwarn(?:ed|s)? of\b|\brisks?\b"
        r"|\bconcerns?\b|\blink(?:ed|s|age)?\b|\bon the agenda\b",
        "addresses",
        True,
    ),
    _cue(r"\bdescrib(?:ed|es)\b|\bargued\b|\bcoined\b", "describedBy", False),
    _cue(r"^\s*(?:to|in|at)\s*$", "heldAt", True),
    _cue(r"\bin\b|\bat\b", "locatedIn", True),
)
"""Cue phrases, most specific first."""

_POSSESSED = ("developedBy", "issuedBy", "postIn", "establishedBy", "partOf")
_DEFAULTS = (
    "holds", "developedBy", "exhibits", "describedBy", "addresses", "postIn", "issuedBy",
    "signed", "affiliatedWith", "locatedIn",
)  # fmt: skip
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?\w+(?:ed|en|t)\s+by\b|\bby\s*$", re.I
)
_AGGREGATE_CUES = {"addresses", "locatedIn"}


@dataclass(frozen=True)
class ClaimProposal:
    subject: str
    predicate: str
    object: str
    quote: str
    confidence: float
    cue: str
    sentence: int


def _admits(schema: Schema, relation: str, subject: Mention, obj: Mention) -> bool:
    r = schema.relations[relation]
    return schema.is_a(subject.type, r.domain) and schema.is_a(obj.type, r.range)


def _oriented(
    schema: Schema, relation: str, agent: Mention, patient: Mention, agent_is_subject: bool
) -> tuple[Mention, Mention] | None:
    """(subject, object) for ``relation`` between the two, the cue's way round if the schema
    admits it, else the other way round if only that fits, else None."""
    first = (agent, patient) if agent_is_subject else (patient, agent)
    if _admits(schema, relation, *first):
        return first
    second = (first[1], first[0])
    return second if _admits(schema, relation, *second) else None


@dataclass
class _Pair:
    a: Mention
    b: Mention
    between: str
    sentence: Sentence
    others: int
    mentions: list[Mention]

    def cue_penalty(self, position: int) -> float:
        """A cue at ``position`` of ``between`` belongs to a name nearer to it than ``a``
        (not one of a list of names like ``a``), or starts a clause whose subject came
        before ``a`` (``X created A, ran B``): then it is weaker evidence for this pair."""
        cue_at = self.a.end + position
        nearer = [
            m for m in self.mentions
            if self.a.end <= m.start and m.end <= cue_at and m.type != self.a.type
        ]  # fmt: skip
        clause = re.search(r",\s*(?:and\s+)?(?:\w+ly\s+)?$", self.between[:position]) is not None
        return 0.55 if clause else 0.3 if nearer else 0.0

    def after_possessive(self) -> str | None:
        """The text between the two when the first is a possessive (``OpenAI’s o1``)."""
        return self.a.text[-2:] + self.between if self.a.text.endswith(("'s", "’s")) else None


_LIST_GLUE = re.compile(r"^(?:\s*(?:,|and|or|as well as)\s*(?:the\s+)?)+$", re.IGNORECASE)
_RELATIVE = re.compile(r"^\s*,?\s*(?:which|who|that|whose)\b", re.IGNORECASE)


def _governing_cue(schema: Schema, pair: _Pair) -> tuple[str, Mention, Mention, float, str] | None:
    """The cue right before ``b`` when other names stand between the two.

    ``the United States, China and the EU signed X`` (a list of subjects) and ``the UK created
    A, ran B and funded C`` (one subject, a list of verb phrases) both relate the first name to
    the last through the cue that governs the last; a relative clause (``A, which funded C``)
    hands the cue to the name before it instead.
    """
    a, b = pair.a, pair.b
    inside = sorted(
        (m for m in pair.mentions if a.end <= m.start and m.end <= b.start),
        key=lambda m: m.start,
    )
    if not inside:
        return None
    tail = pair.between[inside[-1].end - a.end :]
    if _RELATIVE.match(tail):
        return None
    steps = itertools.pairwise([a, *inside])
    gaps = [pair.between[x.end - a.end : y.start - a.end] for x, y in steps]
    subjects_listed = all(_LIST_GLUE.match(g) for g in gaps)
    objects_listed = all(_LIST_GLUE.match(g) for g in [*gaps[1:], tail]) and all(
        m.type == b.type for m in inside
    )
    if objects_listed and not subjects_listed:
        tail = gaps[0]
    head = re.match(r"^\s*,?\s*(?:and\s+)?(?:[\w-]+\s+){0,4}?", tail)
    for cue in CUES:
        match = cue.pattern.search(tail)
        if match is None or cue.relation in _AGGREGATE_CUES:
            continue
        verbs_listed = tail.lstrip().startswith((",", "and")) and head
        if not (subjects_listed or objects_listed or verbs_listed):
            continue
        passive = _PASSIVE.search(tail) is not None
        agent, patient = (b, a) if passive else (a, b)
        ends = _oriented(schema, cue.relation, agent, patient, cue.agent_is_subject)
        if ends is not None:
            how = (
                "a list of subjects" if subjects_listed
                else "a list of objects" if objects_listed
                else "a list of verb phrases"
            )  # fmt: skip
            return cue.relation, ends[0], ends[1], 0.7, f"cue {match.group(0)!r} after {how}"
    return None


def _guess(
    schema: Schema, pair: _Pair, known: dict[tuple[str, str], str]
) -> tuple[str, Mention, Mention, float, str] | None:
    a, b, between = pair.a, pair.b, pair.between
    governed = _governing_cue(schema, pair)
    if governed is not None:
        return governed
    passive = _PASSIVE.search(between) is not None
    for cue in CUES:
        match = cue.pattern.search(between)
        if match is None or (cue.relation in _AGGREGATE_CUES and len(between) > 60):
            continue
        agent, patient = (b, a) if passive else (a, b)
        ends = _oriented(schema, cue.relation, agent, patient, cue.agent_is_subject)
        if ends is not None:
            weight = 0.55 if cue.relation in _AGGREGATE_CUES else 0.8
            weight -= pair.cue_penalty(match.start())
            return cue.relation, ends[0], ends[1], weight, f"cue {match.group(0)!r}"
    possessive = pair.after_possessive()
    if possessive is not None and re.fullmatch(r"['’]s?\s*(?:\w+\s+){0,2}", possessive):
        for relation in _POSSESSED:
            ends = _oriented(schema, relation, b, a, True)
            if ends is not None:
                return relation, ends[0], ends[1], 0.7, "possessive"
    if b.how == "title" or a.how == "title":
        person, post = (a, b) if b.how == "title" else (b, a)
        if not between.strip() and _admits(schema, "holds", person, post):
            return "holds", person, post, 0.8, "title"
    for s, o in ((a, b), (b, a)):
        held = known.get((s.entity, o.entity))
        if held is not None:
            return held, s, o, 0.7, "already in the graph"
    context = pair.sentence.text
    for cue in CUES:
        match = cue.pattern.search(context)
        if match is None or cue.relation == "locatedIn":
            continue
        ends = _oriented(schema, cue.relation, a, b, cue.agent_is_subject)
        if ends is not None:
            return cue.relation, ends[0], ends[1], 0.45, f"cue {match.group(0)!r} in the sentence"
    for relation in _DEFAULTS:
        ends = _oriented(schema, relation, a, b, True)
        if ends is not None:
            return relation, ends[0], ends[1], 0.25, f"types {a.type}/{b.type}"
    return None


def _foreign_anchor(bridged: Mention, other: Mention, mentions: list[Mention]) -> bool:
    """``other`` is of the kind that chose ``bridged`` (a bridging mention), but not one of the
    names that chose it: "South Korea and France ... their own summits" pairs the Seoul summit
    with South Korea, not with France."""
    if not bridged.how.startswith("bridging:"):
        return False
    anchors = set(bridged.how.split(":", 1)[1].split(",")) - {""}
    kinds = {m.type for m in mentions if m.entity in anchors}
    return other.type in kinds and other.entity not in anchors


def _pairs(mentions: list[Mention], sentence: Sentence, text: str) -> list[_Pair]:
    """Each pair of distinct entities of one sentence, at their closest occurrences."""
    best: dict[tuple[str, str], _Pair] = {}
    for i, a in enumerate(mentions):
        for b in mentions[i + 1 :]:
            titled = "title" in (a.how, b.how)
            if a.entity == b.entity or (b.start < a.end and not titled):
                continue
            if _foreign_anchor(a, b, mentions) or _foreign_anchor(b, a, mentions):
                continue
            inside = [m for m in mentions if a.end <= m.start and m.end <= b.start]
            others = len({m.entity for m in inside if m.type not in (a.type, b.type)})
            pair = _Pair(a, b, text[a.end : max(a.end, b.start)], sentence, others, mentions)
            key = (a.entity, b.entity) if a.entity < b.entity else (b.entity, a.entity)
            if key not in best or len(pair.between) < len(best[key].between):
                best[key] = pair
    return list(best.values())


def propose_claims(
    mentions: list[Mention],
    sentences: list[Sentence],
    text: str,
    schema: Schema,
    *,
    known: dict[tuple[str, str], str] | None = None,
) -> list[ClaimProposal]:
    """Candidate claims between the entities of each sentence, best first; one per fact."""
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_sentence[mention.sentence].append(mention)
    found: dict[tuple[str, str, str], ClaimProposal] = {}
    for number, group in sorted(by_sentence.items()):
        sentence = sentences[number]
        for pair in _pairs(sorted(group, key=lambda m: m.start), sentence, text):
            guess = _guess(schema, pair, known or {})
            if guess is None:
                continue
            relation, subject, obj, weight, cue = guess
            confidence = weight * min(subject.confidence, obj.confidence) / 0.95
            confidence -= 0.1 * pair.others
            proposal = ClaimProposal(
                subject.entity,
                relation,
                obj.entity,
                sentence.text,
                round(max(confidence, 0.05), 2),
                cue,
                number,
            )
            key = (subject.entity, relation, obj.entity)
            if key not in found or found[key].confidence < proposal.confidence:
                found[key] = proposal
    for proposal in _shared_by_coordinates(by_sentence, text, list(found.values())):
        key = (proposal.subject, proposal.predicate, proposal.object)
        if key not in found and (key[2], key[1], key[0]) not in found:
            found[key] = proposal
    argued = {r: d for r, d in (known or {}).items() if _argued(schema, d)}
    for proposal in _nearby_known(by_sentence, sentences, text, argued):
        key = (proposal.subject, proposal.predicate, proposal.object)
        if not any((c.subject, c.object) in (key[::2], key[2::-2]) for c in found.values()):
            found[key] = proposal
    return sorted(found.values(), key=lambda c: (-c.confidence, c.sentence, c.subject))


def _shared_by_coordinates(
    by_sentence: dict[int, list[Mention]], text: str, proposals: list[ClaimProposal]
) -> list[ClaimProposal]:
    """What one of two coordinated names does, the other does too: in "Premier Li Qiang and
    Foreign Minister Wang Yi called for X", a claim found for Li Qiang and X is proposed for
    Wang Yi and X (a little less confidently)."""
    partners: dict[tuple[int, str], set[str]] = defaultdict(set)
    for number, group in by_sentence.items():
        ordered = sorted((m for m in group if m.how != "title"), key=lambda m: m.start)
        for x, y in itertools.pairwise(ordered):
            glue = text[x.end : y.start]
            if x.type == y.type and x.entity != y.entity and _LIST_GLUE.match(glue):
                partners[(number, x.entity)].add(y.entity)
                partners[(number, y.entity)].add(x.entity)
    shared = []
    for c in proposals:
        for end, other in ((c.subject, c.object), (c.object, c.subject)):
            for partner in partners.get((c.sentence, end), ()):
                if partner == other:
                    continue
                s, o = (partner, other) if end == c.subject else (other, partner)
                shared.append(
                    ClaimProposal(s, c.predicate, o, c.quote, round(c.confidence * 0.9, 2),
                                  f"{c.cue}, shared by a coordinated name", c.sentence)
                )  # fmt: skip
    return shared


NEARBY = 3
"""Sentences apart (in one paragraph) that two names may be for a known claim between them."""

_ARGUED = {"addresses", "exhibits", "requires", "signed", "about", "conflictsWith", "praised"}


def _argued(schema: Schema, relation: str) -> bool:
    """Relations an article argues across sentences (what shaped what, what a document proposes
    or addresses), as opposed to background it takes for granted (where a body is, who holds
    which post), which only a sentence naming both supports."""
    lineage = schema.relations[relation].lineage
    return relation in _ARGUED or lineage in ("shaped-by", "produces")


def _nearby_known(
    by_sentence: dict[int, list[Mention]],
    sentences: list[Sentence],
    text: str,
    known: dict[tuple[str, str], str],
) -> list[ClaimProposal]:
    """Claims the graph already holds between names a sentence or two apart in one paragraph.

    An article often names a document in one sentence and what it proposes in the next; when
    the graph already has that claim, the article is one more reference for it. The quote runs
    from the first sentence to the last, so that it names both.
    """
    found: dict[tuple[str, str, str], ClaimProposal] = {}
    paragraph = paragraphs(text, sentences)
    for i, first in sorted(by_sentence.items()):
        for j in range(i + 1, i + NEARBY + 1):
            if j not in by_sentence or paragraph[j] != paragraph[i]:
                continue
            for a in first:
                for b in by_sentence[j]:
                    for s, o in ((a, b), (b, a)):
                        relation = known.get((s.entity, o.entity))
                        if relation is None or s.entity == o.entity:
                            continue
                        confidence = 0.55 * min(s.confidence, o.confidence) / 0.95
                        quote = text[sentences[i].start : sentences[j].end]
                        key = (s.entity, relation, o.entity)
                        if key not in found:
                            found[key] = ClaimProposal(
                                s.entity, relation, o.entity, quote, round(confidence, 2),
                                f"already in the graph, {j - i} sentence(s) apart", j,
                            )  # fmt: skip
    return list(found.values())
