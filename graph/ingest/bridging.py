"""Mentions without a name: "his visit", "their own AI summits", "the scientists' statement", "It".

An article names an event once and then calls it "the visit"; it says "South Korea and France
have organized their own AI summits" and expects the reader to know which. Such phrases carry
many of an article's claims, so ingest links them, conservatively:

- **Bridging noun phrases.** A head noun names the class (``visit`` -> Visit, ``summits`` ->
  Summit...). Each entity of that class the graph knows is scored by what the article names
  around the phrase: a graph neighbour of the candidate named in the same sentence counts 2, one
  named elsewhere in the paragraph 1, and a name that appears in the candidate's own label 2
  ("Lammy" in "David Lammy's visit to China"), and the head noun in the label 1. A singular
  phrase links the single best candidate scoring at least 2; a plural one links every
  candidate with a neighbour in its own sentence.
  Entities already named in the paragraph are not candidates: a phrase that could mean them is
  an ordinary anaphor, not a new mention.
  A tie is broken by the phrase's complement ("network of AISIs"): the tied candidate the
  search index ranks first for it wins.
  Capitalised words before the head ("AI summits") must appear in the candidate's label. Each
  such mention remembers the names that chose it (``how`` is ``bridging:<ids>``): a plural
  phrase stands for several entities, each paired only with its own anchors among names of the
  anchors' kind ("South Korea and France ... their own summits": Seoul with South Korea).
- **"It" at the start of a sentence** refers to the first thing the previous sentence named
  that is not a country or a place (the sentence's topic, in a reporter's prose).

Both give mentions of lower confidence than a name (``BRIDGING``, ``PRONOUN``), marked by
``how`` so that the review file says why the entity was linked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from graph.ingest.mentions import Mention, strip_possessive
from graph.ingest.text import Sentence, paragraphs
from graph.search import SearchIndex, normalise

__all__ = ["BRIDGING", "HEADS", "PRONOUN", "bridge", "pronouns"]

BRIDGING = 0.7
PRONOUN = 0.65

HEADS: dict[str, str] = {
    "visit": "Visit",
    "trip": "Visit",
    "summit": "Summit",
    "statement": "Statement",
    "declaration": "Declaration",
    "network": "Organization",
    "panel": "Organization",
    "report": "Report",
    "meeting": "Meeting",
    "dialogue": "Dialogue",
}
"""Head noun -> the class of what it may refer to."""

_HEAD = re.compile(
    r"(?P<phrase>(?:\b(?:the|a|an|his|her|its|their|our|this|that|these|those)\s+)?"
    r"(?:[\w’'-]+\s+){0,3}?)\b(?P<head>" + "|".join(HEADS) + r")(?P<plural>s)?\b",
    re.IGNORECASE,
)
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these",
                "those"}  # fmt: skip
_NOT_TOPICAL = {"Country", "Place", "Region", "Topic", "Post"}


def _neighbours(known: dict[tuple[str, str], str]) -> dict[str, set[str]]:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for s, o in known:
        adjacent[s].add(o)
        adjacent[o].add(s)
    return adjacent


def bridge(
    text: str,
    sents: list[Sentence],
    mentions: list[Mention],
    index: SearchIndex,
    known: dict[tuple[str, str], str],
) -> list[Mention]:
    """Mentions for the bridging noun phrases of ``text`` (see the module docstring)."""
    paragraph = paragraphs(text, sents)
    adjacent = _neighbours(known)
    in_paragraph: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        in_paragraph[paragraph[m.sentence]].append(m)
    found: list[Mention] = []
    for number, sentence in enumerate(sents):
        around = in_paragraph[paragraph[number]]
        named = {m.entity for m in around}
        for match in _HEAD.finditer(sentence.text):
            start = sentence.start + match.start("head")
            if any(m.start <= start < m.end for m in mentions):
                continue
            cls = HEADS[match.group("head").lower()]
            head = match.group("head").lower()
            marks = [
                w for w in re.findall(r"\b[A-Z][\w-]*\b", match.group("phrase"))
                if w.lower() not in _DETERMINERS
            ]  # fmt: skip
            candidates = [
                c for c in index.of_type(cls)
                if all(re.search(rf"\b{re.escape(w)}\b", c[1]) for w in marks)
            ]  # fmt: skip
            scored = _score(candidates, head, around, number, adjacent, named)
            complement = re.match(r"\s+of\s+[\w’'-]+", sentence.text[match.end() :])
            if complement and len(scored) > 1 and scored[0][0] == scored[1][0]:
                phrase = match.group("head") + complement.group(0)
                order = [h.id for h in index.search(phrase, type=cls, limit=10)]
                rank = {ident: i for i, ident in enumerate(order)}
                scored.sort(key=lambda x: (-x[0], rank.get(x[2][0], len(order))))
                if scored[0][2][0] in rank:
                    scored = scored[:1]
            chosen = _choose(scored, plural=bool(match.group("plural")))
            phrase = match.group("phrase")
            determiners = list(re.finditer(rf"\b(?:{'|'.join(_DETERMINERS)})\s", phrase, re.I))
            phrase_start = sentence.start + match.start("phrase")
            phrase_start += determiners[-1].start() if determiners else 0
            for (ident, label, type_), anchors in chosen:
                found.append(
                    Mention(
                        ident, label, type_, phrase_start, sentence.start + match.end(),
                        text[phrase_start : sentence.start + match.end()], number, BRIDGING,
                        "bridging:" + ",".join(anchors),
                    )
                )  # fmt: skip
    return found


def _score(
    candidates: Iterable[tuple[str, str, str]],
    head: str,
    around: list[Mention],
    sentence: int,
    adjacent: dict[str, set[str]],
    named: set[str],
) -> list[tuple[int, bool, tuple[str, str, str], list[str]]]:
    """(score, has a neighbour named in the same sentence, candidate, the names in its own
    sentence that chose it), best first."""
    scored = []
    for candidate in candidates:
        ident, label, _ = candidate
        if ident in named:
            continue
        key = normalise(label)
        score, local = (1 if re.search(rf"\b{head}", key) else 0), False
        anchors: list[str] = []
        for m in {(m.entity, m.sentence == sentence, m.text): m for m in around}.values():
            if m.entity in adjacent.get(ident, ()):
                score += 2 if m.sentence == sentence else 1
                local = local or m.sentence == sentence
                anchors += [m.entity] if m.sentence == sentence else []
            name = normalise(strip_possessive(m.text))
            if len(name) >= 4 and re.search(rf"\b{re.escape(name)}\b", key):
                score += 2
                local = local or m.sentence == sentence
                anchors += [m.entity] if m.sentence == sentence else []
        if score > 1:
            scored.append((score, local, candidate, sorted(set(anchors))))
    return sorted(scored, key=lambda s: (-s[0], s[2][0]))


def _choose(
    scored: list[tuple[int, bool, tuple[str, str, str], list[str]]], *, plural: bool
) -> list[tuple[tuple[str, str, str], list[str]]]:
    if plural:
        return [(c, a) for score, local, c, a in scored if score >= 2 and local][:4]
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return []
    return [(scored[0][2], scored[0][3])]


_IT = re.compile(r"\s*(It|This)\s+(?:was|is|has|had|will|would|became|remains)\b")


def pronouns(sents: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """Mentions for a sentence-initial "It"/"This" (see the module docstring)."""
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: m.start):
        by_sentence[m.sentence].append(m)
    found = []
    for number, sentence in enumerate(sents[1:], start=1):
        match = _IT.match(sentence.text)
        topical = [m for m in by_sentence[number - 1] if m.type not in _NOT_TOPICAL]
        if match is None or not topical:
            continue
        antecedent = topical[0]
        start = sentence.start + match.start(1)
        found.append(
            Mention(
                antecedent.entity, antecedent.label, antecedent.type, start,
                start + len(match.group(1)), match.group(1), number,
                round(min(antecedent.confidence, PRONOUN), 2), "pronoun",
            )
        )  # fmt: skip
    return found


_DEFINITE = re.compile(
    r"\b(?:the|this|that)\s+(?P<head>document|decision|statement|declaration|report|summit"
    r"|visit|law|measures|plan|framework|institute|panel|network)\b",
    re.IGNORECASE,
)
_DEFINITE_CLASS = {
    "document": "Document", "decision": "Document", "statement": "Document",
    "declaration": "Document", "report": "Document", "law": "Document", "measures": "Document",
    "plan": "Document", "framework": "Document", "summit": "Event", "visit": "Event",
    "institute": "Organization", "panel": "Organization", "network": "Organization",
}  # fmt: skip


def definites(
    text: str, sents: list[Sentence], mentions: list[Mention], index: SearchIndex
) -> list[Mention]:
    """Mentions for "the document", "this decision"...: the nearest thing of that class the
    paragraph named before, in this sentence or the two before it (a definite description
    refers back; further back it is too uncertain)."""
    paragraph = paragraphs(text, sents)
    found = []
    for number, sentence in enumerate(sents):
        for match in _DEFINITE.finditer(sentence.text):
            start = sentence.start + match.start()
            if any(m.start <= start < m.end for m in mentions):
                continue
            cls = _DEFINITE_CLASS[match.group("head").lower()]
            before = [
                m for m in mentions
                if m.end <= start and number - 2 <= m.sentence and
                paragraph[m.sentence] == paragraph[number] and m.entity and
                index.is_a(m.type, cls)
            ]  # fmt: skip
            if not before:
                continue
            antecedent = max(before, key=lambda m: m.start)
            found.append(
                Mention(
                    antecedent.entity, antecedent.label, antecedent.type, start,
                    sentence.start + match.end(), match.group(0), number,
                    round(min(antecedent.confidence, PRONOUN), 2), "definite",
                )
            )  # fmt: skip
    return found


_ITEM = r"([a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2})"
_GLUE = r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "with", "that", "which", "is", "are",
         "was", "were", "be", "has", "have", "had", "its", "their", "his", "her", "this", "it",
         "not", "as", "by", "from", "at", "and", "or", "but", "also"}  # fmt: skip


def sibling_topics(sents: list[Sentence], mentions: list[Mention]) -> list[Mention]:
    """New Topic proposals for plain noun phrases listed alongside a known topic: in
    "linked AI safety mechanisms, public security, and national security", "public security"
    and "national security" are topics like "AI safety" (coordination joins like with like)."""
    found: list[Mention] = []
    for m in mentions:
        if m.type != "Topic":
            continue
        sentence = sents[m.sentence]
        rest = sentence.text[m.end - sentence.start :]
        lead = re.match(r"(?:\s+[a-z][a-z-]+)?", rest)
        offset = m.end + (lead.end() if lead else 0)
        while True:
            tail = sentence.text[offset - sentence.start :]
            item = re.match(_GLUE + _ITEM, tail)
            if item is None:
                break
            words = item.group(1).split()
            if any(w in _STOP for w in words):
                break
            start = offset + item.start(1)
            if not any(x.start < start + len(item.group(1)) and start < x.end for x in mentions):
                phrase = item.group(1)
                found.append(
                    Mention("", phrase, "Topic", start, start + len(phrase), phrase,
                            m.sentence, 0.6, "listed with a topic")
                )  # fmt: skip
            offset += item.end()
    return found
