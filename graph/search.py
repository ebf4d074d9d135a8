"""Finding an entity by any name a journalist might type.

Names are every label (any language), alias and acronym. Ranking: an exact English label
first, then an exact label in another language, then an exact alias, then names that start
with the query, then fuzzy matches (rapidfuzz) that tolerate small misspellings. A name much
shorter than the query matches fuzzily only as a whole word of it: ``UN`` inside ``Sunak`` is a
fragment, not a misspelling.

The index answers without scanning every name (a 1M-triple graph has ~100k names): exact
names through a dictionary, prefixes through a sorted list of every word-start suffix of every
name (bisect), and fuzzy matches by scoring with rapidfuzz only the few hundred names that share
the most character trigrams with the query (bigrams for Chinese, which has short names).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from graph.columns import Columns
from graph.schema import Schema, load_schema
from graph.store import Store
from graph.vocab import RDFS, SCHEMA, SKOS, slug_of

__all__ = ["SearchHit", "SearchIndex", "normalise"]

_EXACT_SCORES = {"label": 100.0, "label-other": 98.0, "alias": 95.0}
_PREFIX_SCORE = 85.0
_FUZZY_CUTOFF = 75.0


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _to_simplified() -> Callable[[str], str]:
    """OpenCC's traditional-to-simplified converter (loaded once)."""
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def normalise(text: str) -> str:
    """Case-, width-, accent- and Chinese-script-insensitive form of a name: traditional
    characters fold to simplified (李強 finds 李强), as our Chinese labels are simplified."""
    if _CJK.search(text):
        text = _to_simplified()(text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("’", "'").split())


def _is_fragment(key: str, query: str) -> bool:
    """Whether the name ``key`` is much shorter than ``query`` (so fuzzy scoring compares it
    with pieces of the query) and sits inside a longer Latin word of it (``un`` in ``sunak``).
    Scripts written without spaces (``李强`` in ``总理李强``) have no such words."""
    if 2 * len(query) < 3 * len(key):
        return False
    return re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", query) is None


_CANDIDATES = 300
"""Names per query that rapidfuzz scores, chosen by shared n-grams."""
_PREFIX_SCAN = 5000
"""Prefix matches looked at per query (a one-letter query would otherwise touch every name)."""
_COMMON = 0.05
"""An n-gram in more than this share of the names (and 5,000 of them; `the`, ` ai` in a large
graph) does not pick candidates: its list would cost more than it tells."""


def _grams(key: str) -> set[str]:
    """Character trigrams of `` key `` (bigrams for Chinese, whose names are 2-4 characters)."""
    if _CJK.search(key):
        return {key[i : i + 2] for i in range(max(1, len(key) - 1))}
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class _KeyIndex:
    """Exact, prefix and n-gram access to the normalised names (see the module docstring)."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.exact: dict[str, list[int]] = defaultdict(list)
        grams: dict[str, list[int]] = defaultdict(list)
        suffixes: list[tuple[str, int]] = []
        self._sizes: list[int] = []
        for i, key in enumerate(keys):
            self.exact[key].append(i)
            suffixes.append((key, i))
            suffixes.extend((key[m.end() :], i) for m in re.finditer(" ", key))
            own = _grams(key)
            self._sizes.append(len(own))
            for gram in own:
                grams[gram].append(i)
        suffixes.sort()
        self._suffixes = [s for s, _ in suffixes]
        self._owners = [i for _, i in suffixes]
        limit = max(5000, int(len(keys) * _COMMON))
        self.grams = {g: ids for g, ids in grams.items() if len(ids) <= limit}

    def prefixed(self, query: str) -> Iterator[int]:
        """Names with a word that starts with ``query`` (the name itself included)."""
        lo = bisect_left(self._suffixes, query)
        hi = bisect_left(self._suffixes, query + "\U0010ffff", lo)
        for j in range(lo, min(hi, lo + _PREFIX_SCAN)):
            yield self._owners[j]

    def candidates(self, query: str) -> list[int]:
        """The names sharing most n-grams with ``query`` relative to the shorter of the two
        (a short name inside a long query counts as much as a long name), best first."""
        wanted = _grams(query)
        counts: Counter[int] = Counter()
        for gram in wanted:
            counts.update(self.grams.get(gram, ()))
        size = len(wanted)
        ranked = sorted(counts.items(), key=lambda kv: -kv[1] / min(self._sizes[kv[0]], size))
        return [i for i, _ in ranked[:_CANDIDATES]]


@dataclass(frozen=True)
class SearchHit:
    id: str
    label: str
    type: str
    description: str | None
    score: float
    matched: str


@dataclass(frozen=True)
class _Name:
    entity: str
    text: str
    kind: str


class SearchIndex:
    """An in-memory name index over the entities of a store; rebuild it when the store changes."""

    def __init__(
        self, names: list[_Name], entities: dict[str, tuple[str, str, str | None]], schema: Schema
    ) -> None:
        self._names = names
        self._keys = [normalise(n.text) for n in names]
        self._index = _KeyIndex(self._keys)
        self._entities = entities
        self._schema = schema

    @classmethod
    def from_store(
        cls, store: Store, schema: Schema | None = None, *, columns: Columns | None = None
    ) -> SearchIndex:
        """Index every entity's labels (English first) and aliases, with its class and
        description (``columns``: the store's tables, when the caller shares them)."""
        schema = schema or load_schema()
        columns = columns or Columns(store)
        labels, aliases = columns.many_with_language(RDFS.label), columns.many(SKOS.altLabel)
        descriptions = columns.first(SCHEMA.description)
        names: set[_Name] = set()
        entities: dict[str, tuple[str, str, str | None]] = {}
        for iri, type_iri in columns.entity_types():
            cls_def = schema.class_by_iri(type_iri)
            if cls_def is None:
                continue
            ident = slug_of(iri)
            label = ident
            for name, language in labels.get(iri, ()):
                kind = "label" if language == "en" else "label-other"
                names.add(_Name(ident, name, kind))
                if kind == "label":
                    label = name
            names.update(_Name(ident, alias, "alias") for alias in aliases.get(iri, ()))
            if iri in labels or iri in aliases:
                entities[ident] = (label, cls_def.name, descriptions.get(iri))
        return cls(sorted(names, key=lambda n: (n.entity, n.kind, n.text)), entities, schema)

    def __len__(self) -> int:
        return len(self._entities)

    def label(self, ident: str) -> str | None:
        entry = self._entities.get(ident)
        return entry[0] if entry else None

    def is_a(self, cls: str, type_: str) -> bool:
        """Whether class ``cls`` is ``type_`` or a subclass of it."""
        return self._schema.is_a(cls, (type_,))

    def of_type(self, type_: str) -> list[tuple[str, str, str]]:
        """(id, label, class) of every entity of ``type_`` or a subclass of it."""
        return [
            (ident, label, cls)
            for ident, (label, cls, _) in self._entities.items()
            if self._schema.is_a(cls, (type_,))
        ]

    def _admits(self, ident: str, type_: str | None) -> bool:
        if type_ is None:
            return True
        return self._schema.is_a(self._entities[ident][1], (type_,))

    def search(self, text: str, *, type: str | None = None, limit: int = 10) -> list[SearchHit]:
        """Ranked hits for ``text``; ``type`` restricts to a class and its subclasses."""
        query = normalise(text)
        if not query:
            return []
        best: dict[str, tuple[float, str]] = {}

        def offer(index: int, score: float) -> None:
            name = self._names[index]
            if not self._admits(name.entity, type):
                return
            if score > best.get(name.entity, (-1.0, ""))[0]:
                best[name.entity] = (score, name.text)

        for i in self._index.exact.get(query, ()):
            offer(i, _EXACT_SCORES[self._names[i].kind])
        for i in self._index.prefixed(query):
            key = self._keys[i]
            if key != query:
                offer(i, _PREFIX_SCORE - min(len(key) - len(query), 40) / 10)
        pool = self._index.candidates(query)
        choices = {i: self._keys[i] for i in pool}
        for _, score, i in process.extract(
            query, choices, scorer=fuzz.WRatio, score_cutoff=_FUZZY_CUTOFF, limit=limit * 5
        ):
            if not _is_fragment(self._keys[i], query):
                offer(i, round(float(score) * 0.8, 2))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self._entities[kv[0]][0]))
        hits = []
        for ident, (score, matched) in ranked[:limit]:
            label, cls_name, desc = self._entities[ident]
            hits.append(SearchHit(ident, label, cls_name, desc, round(score, 2), matched))
        return hits
