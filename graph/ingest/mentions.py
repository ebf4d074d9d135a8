"""Finding the known entities an article names, through the search index (no second matcher).

Candidate spans are n-grams of a sentence's tokens: runs of capitalised words (with ``of``,
``the``, ``on``... inside), acronyms, names with digits (``o1``) and CJK runs; and, for lower-case
phrases (``frontier AI safety``), only n-grams whose every word occurs in some known name.
Each span is asked of ``SearchIndex.search`` in a few forms (as written, without a possessive
``'s``, without a leading honorific or title, singular) and accepted by how it matched:

- exactly a label or alias (index score >= 95): confident; an acronym must be written in capitals
  (``US`` is not ``us``) and a lower-case span must be two words or more (no common words);
- a misspelling of a name (a fuzzy hit whose name is as long as the span): fairly confident;
- the start of a longer name (``Bletchley`` for ``Bletchley Summit``): a guess, only for
  capitalised spans that are not a function word.

Overlapping candidates are settled longest and most exact first. Where a name fits several
entities equally (``AISI``), the one the article names unambiguously elsewhere wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from graph.ingest.text import Sentence, Token, tokens
from graph.search import SearchHit, SearchIndex, normalise
from graph.store import Store, sparql_prologue

__all__ = ["FUNCTION_WORDS", "HONORIFICS", "Mention", "MentionFinder", "Span", "strip_possessive"]

HONORIFICS = (
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "premier", "vice premier", "prime minister", "foreign minister",
    "foreign secretary", "secretary", "minister", "chancellor", "senator", "general secretary",
    "secretary-general", "ambassador", "chairman", "chair", "director", "ceo", "king", "queen",
    "mr.", "mrs.", "ms.", "dr.", "prof.",
)  # fmt: skip
"""Words before a person's name that are not part of it (longest first when stripped)."""

_CONNECTORS = {"of", "on", "the", "for", "and", "in", "de", "du", "des", "la", "le", "to", "&"}
FUNCTION_WORDS = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "his", "her",
    "they", "their", "we", "our", "us", "you", "i", "on", "in", "at", "for", "of", "to", "by",
    "and", "or", "but", "if", "as", "so", "not", "no", "any", "all", "some", "each", "every",
    "one", "first", "second", "third", "last", "lastly", "since", "while", "when", "where",
    "there", "here", "now", "then", "even", "most", "more", "many", "such", "like", "with",
    "from", "into", "about", "after", "before", "between", "both", "either", "who",
    "what", "which", "whether", "how", "why", "time", "put", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "senior", "leading", "longtime", "likewise",
    "moreover", "importantly", "for example", "in short", "is", "are", "was", "were", "be",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
}  # fmt: skip
_EXACT, _FUZZY, _PREFIX = 95.0, 72.0, 80.0
_MAX_WORDS = 10
_NAMES = sparql_prologue() + "SELECT ?name WHERE { ?e rdfs:label|skos:altLabel ?name }"


def strip_possessive(text: str) -> str:
    """``Lammy's`` -> ``Lammy``; ``Britain’s`` -> ``Britain``; ``Jones'`` -> ``Jones``."""
    return re.sub(r"['’]s?$", "", text)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    words: int
    capitalised: bool
    sentence: int


@dataclass(frozen=True)
class Mention:
    entity: str
    label: str
    type: str
    start: int
    end: int
    text: str
    sentence: int
    confidence: float
    how: str
    """exact | alias | surname | typo | prefix | title: how the index matched the span."""


@dataclass(frozen=True)
class _Resolution:
    hits: tuple[SearchHit, ...]
    confidence: float
    how: str
    stripped: int
    """Characters of a leading honorific dropped from the span (the name starts after them)."""


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in name.strip()


class MentionFinder:
    """Resolves the candidate spans of sentences to known entities through ``index``."""

    def __init__(self, index: SearchIndex, vocabulary: frozenset[str]) -> None:
        self.index = index
        self.vocabulary = vocabulary
        self._cache: dict[tuple[str, str | None], list[SearchHit]] = {}

    @classmethod
    def from_store(cls, store: Store, index: SearchIndex) -> MentionFinder:
        """The finder for ``store``: the words of every known name make the vocabulary that
        lower-case phrases must stay within (a cheap filter before asking the index)."""
        words: set[str] = set()
        for row in store.select(_NAMES):
            name = normalise(str(row["name"]))
            words.update(strip_possessive(w) for w in re.findall(r"[^\W_][\w.'’]*", name))
        return cls(index, frozenset(words))

    def search(self, text: str, type_: str | None = None) -> list[SearchHit]:
        key = (normalise(text), type_)
        if key not in self._cache:
            self._cache[key] = self.index.search(text, type=type_, limit=5)
        return self._cache[key]

    # --- candidate spans -----------------------------------------------------------------

    def spans(self, sentence: Sentence, number: int, text: str) -> Iterator[Span]:
        """Every candidate n-gram of ``sentence`` (see the module docstring)."""
        toks = tokens(sentence)
        for i in range(len(toks)):
            for j in range(i, min(i + _MAX_WORDS, len(toks))):
                words = toks[i : j + 1]
                if not self._plausible(words):
                    continue
                capital = words[0].capitalised and words[-1].capitalised
                yield Span(
                    words[0].start,
                    words[-1].end,
                    text[words[0].start : words[-1].end],
                    len(words),
                    capital,
                    number,
                )

    def _plausible(self, words: list[Token]) -> bool:
        first, last = words[0], words[-1]
        if not (first.capitalised and last.capitalised):
            return len(words) >= 2 and all(self._known_word(w) for w in words)
        return all(w.capitalised or w.text.lower() in _CONNECTORS for w in words) or all(
            self._known_word(w) for w in words
        )

    def _known_word(self, word: Token) -> bool:
        return strip_possessive(normalise(word.text)) in self.vocabulary

    # --- resolution ------------------------------------------------------------------------

    def resolve(self, span: Span, *, sentence_start: bool) -> _Resolution | None:
        """How ``span`` names a known entity, or None."""
        text = strip_possessive(span.text)
        stripped = 0
        forms = [(text, 0)]
        lowered = text.lower()
        for title in sorted(HONORIFICS, key=len, reverse=True):
            if lowered.startswith(title + " ") and len(text) > len(title) + 1:
                rest = text[len(title) + 1 :]
                forms.append((rest, len(title) + 1))
                break
        if span.words == 1 and len(text) > 4 and text.endswith("s") and not text[:-1].isupper():
            forms.append((text[:-1], 0))
        for form, stripped in forms:
            found = self._exact(form, span)
            if found:
                return _Resolution(tuple(found), 0.95 if stripped == 0 else 0.9, "exact", stripped)
        if len(forms) > 1 and forms[1][1] and span.capitalised:
            surname = self._surname(*forms[1])
            if surname is not None:
                return surname
        if not span.capitalised:
            return self._phrase_prefix(text, span)
        form, stripped = forms[-1] if len(forms) > 1 and forms[1][1] else forms[0]
        if normalise(form) in FUNCTION_WORDS or (sentence_start and span.words == 1):
            return None
        return self._approximate(form, span, stripped)

    def _phrase_prefix(self, form: str, span: Span) -> _Resolution | None:
        """A lower-case phrase of three words or more that starts a known name
        (``loss of human control`` for ``Loss of human control over AI``)."""
        key = normalise(form)
        if span.words < 3 or len(key) < 18:
            return None
        hits = [h for h in self.search(form) if normalise(h.matched).startswith(key + " ")]
        if len({h.id for h in hits}) != 1:
            return None
        return _Resolution((hits[0],), 0.6, "prefix", 0)

    def _surname(self, form: str, stripped: int) -> _Resolution | None:
        """``Mr Sample`` names the one known person whose name ends with ``Sample``."""
        key = normalise(form)
        if " " in key or len(key) < 3:
            return None
        people = [
            h for h in self.search(form, "Person") if normalise(h.matched).endswith(" " + key)
        ]
        if len({h.id for h in people}) != 1:
            return None
        return _Resolution((people[0],), 0.8, "surname", stripped)

    def _exact(self, form: str, span: Span) -> list[SearchHit]:
        hits = [h for h in self.search(form) if h.score >= _EXACT]
        if not hits:
            return []
        if _is_acronym(hits[0].matched) and not _is_acronym(form):
            return []
        if not span.capitalised and span.words < 2:
            return []
        top = hits[0].score
        return [h for h in hits if h.score >= top - 0.01]

    def _approximate(self, form: str, span: Span, stripped: int) -> _Resolution | None:
        hits = self.search(form)
        if not hits or len(normalise(form)) < 4:
            return None
        best = hits[0]
        key, matched = normalise(form), normalise(best.matched)
        if best.score >= _FUZZY and best.score < _PREFIX:
            if SequenceMatcher(None, key, matched).ratio() >= 0.88:
                return _Resolution((best,), 0.75, "typo", stripped)
            return None
        follows = matched[len(key) : len(key) + 1]
        if _PREFIX <= best.score < _EXACT and matched.startswith(key) and not follows.isalnum():
            rest = matched[len(key) :].lstrip(" :,;-")
            if rest.startswith("("):  # only a qualifier follows: "Golden Era (UK-China ...)"
                return _Resolution((best,), 0.85, "prefix", stripped)
            if span.words >= 3 or len(key) >= 20:
                return _Resolution((best,), 0.75, "prefix", stripped)
            if _is_acronym(form) or span.words >= 2:
                return _Resolution((best,), 0.55, "prefix", stripped)
            return _Resolution((best,), 0.4, "prefix", stripped)
        return None

    # --- one article -------------------------------------------------------------------------

    def find(self, text: str, sents: list[Sentence]) -> list[Mention]:
        """The mentions of known entities in ``sents`` of ``text``, non-overlapping."""
        candidates: list[tuple[Span, _Resolution]] = []
        for number, sentence in enumerate(sents):
            for span in self.spans(sentence, number, text):
                found = self.resolve(span, sentence_start=span.start == sentence.start)
                if found is not None:
                    candidates.append((span, found))
        candidates.sort(key=lambda c: (-c[1].confidence, -(c[0].end - c[0].start), c[0].start))
        taken: list[tuple[Span, _Resolution]] = []
        used: list[tuple[int, int]] = []
        for span, found in candidates:
            if any(span.start < e and s < span.end for s, e in used):
                continue
            taken.append((span, found))
            used.append((span.start, span.end))
        sure = {f.hits[0].id for _, f in taken if len(f.hits) == 1 and f.confidence >= 0.9}
        taken = [
            (span, found)
            for span, found in taken
            if found.confidence > 0.4 or found.hits[0].id in sure
        ]
        pairs = [(span, self._mention(span, found, sure)) for span, found in taken]
        mentions = [m for _, m in pairs]
        mentions.extend(self._titles(pairs))
        return sorted(mentions, key=lambda m: (m.start, m.end))

    def _mention(self, span: Span, found: _Resolution, sure: set[str]) -> Mention:
        hits = list(found.hits)
        confidence = found.confidence
        if len(hits) > 1:
            preferred = [h for h in hits if h.id in sure]
            hits = preferred or hits
            confidence -= 0.05 if preferred else 0.25
        hit = hits[0]
        return Mention(
            hit.id,
            hit.label,
            hit.type,
            span.start + found.stripped,
            span.end,
            span.text[found.stripped :],
            span.sentence,
            round(confidence, 2),
            found.how
            if found.how != "exact"
            else ("exact" if hit.matched == hit.label else "alias"),
        )

    def _titles(self, pairs: list[tuple[Span, Mention]]) -> Iterator[Mention]:
        """A person named with a title (``Premier Li Qiang``) also names the post, when the
        title alone finds one post among the index's posts."""
        for span, mention in pairs:
            if mention.type != "Person":
                continue
            title = strip_possessive(span.text)
            lowered = title.lower()
            for honorific in sorted(HONORIFICS, key=len, reverse=True):
                if lowered.startswith(honorific + " ") and honorific[0].isalpha():
                    posts = self.search(title[: len(honorific)], "Post")
                    if (
                        posts
                        and posts[0].score >= _PREFIX
                        and (len(posts) == 1 or posts[0].score - posts[1].score >= 0.2)
                    ):
                        post = posts[0]
                        yield Mention(
                            post.id,
                            post.label,
                            post.type,
                            span.start,
                            span.start + len(honorific),
                            span.text[: len(honorific)],
                            span.sentence,
                            0.6,
                            "title",
                        )
                    break
