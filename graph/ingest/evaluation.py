"""Measuring ``govgraph ingest`` honestly: the seed article, ingested as if it were new.

Protocol (``ablate``): copy ``data/`` to a temporary folder and remove what the seed article
taught the graph:

- the source ``seed-article`` and its text file, and every statement citing it;
- ``seed-article`` from every entity's ``sources``. An entity left with no source stays known
  only if a statement from another source still names it (it then cites those sources); any
  other entity is dropped: the graph would not know it before reading the article.

Entity names (labels, aliases) are kept as curated: some aliases were written from the article
itself, which flatters linking a little. The gold is the seed article's own statements merged
per (subject, predicate, object). Claims whose subject or object is the article itself (the
entity named by the source title: "the article is about X") cannot come from a sentence and are
left out.

Figures: the share of the article's actors (entities of gold claims) that are linked (found as
mentions at or above the review threshold) among those the ablated graph knows and among all;
gold actors the graph no longer knows that were proposed as new entities under one of their
names; precision and recall of the active claim proposals for the right pair (unordered) and
the right relation (exact triple), new-entity proposals mapped to gold ids by name.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.build import validate
from graph.datafile import read_data_dir
from graph.ingest import Review, ingest
from graph.oxigraph_store import OxigraphStore
from graph.search import SearchIndex, normalise

__all__ = ["Evaluation", "ablate", "evaluate", "evaluation_text"]

SEED_SOURCE = "seed-article"


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def ablate(data_dir: Path, target: Path, *, source: str = SEED_SOURCE) -> str:
    """Write ``data_dir`` without what ``source`` taught it into ``target``; return the text."""
    shutil.copytree(data_dir, target)
    docs = {p: _load(p) or {} for p in sorted(target.rglob("*.yaml"))}
    cited_by: dict[str, set[str]] = {}
    text_path = None
    for doc in docs.values():
        for src in doc.get("sources") or []:
            if src.get("id") == source:
                text_path = src.get("text")
        doc["statements"] = [s for s in doc.get("statements") or [] if s.get("source") != source]
        for st in doc["statements"]:
            for end in (st.get("subject"), st.get("object")):
                cited_by.setdefault(end, set()).add(st["source"])
        doc["sources"] = [s for s in doc.get("sources") or [] if s.get("id") != source]
    for doc in docs.values():
        kept = []
        for ent in doc.get("entities") or []:
            others = [s for s in ent.get("sources") or [] if s != source]
            ent["sources"] = others or sorted(cited_by.get(ent["id"], ()))
            if ent["sources"]:
                kept.append(ent)
        doc["entities"] = kept
    for path, doc in docs.items():
        clean = {k: v for k, v in doc.items() if v}
        path.write_text(yaml.safe_dump(clean, allow_unicode=True, sort_keys=False), "utf-8")
    if text_path is None:
        raise ValueError(f"source {source!r} has no text file")
    text = (data_dir / text_path).read_text(encoding="utf-8")
    (target / text_path).unlink()
    return text


@dataclass
class Evaluation:
    actors: int
    actors_known: int
    linked: int
    proposed_new: int
    gold_claims: int
    self_claims: int
    proposals: int
    right_pair: int
    right_relation: int
    pairs_found: int
    relations_found: int
    gold_pairs: int

    def share(self, a: int, b: int) -> float:
        return round(a / b, 3) if b else 0.0

    def figures(self) -> dict[str, float]:
        return {
            "actors_linked_of_known": self.share(self.linked, self.actors_known),
            "actors_linked_of_all": self.share(self.linked, self.actors),
            "pair_precision": self.share(self.right_pair, self.proposals),
            "pair_recall": self.share(self.pairs_found, self.gold_pairs),
            "relation_precision": self.share(self.right_relation, self.proposals),
            "relation_recall": self.share(self.relations_found, self.gold_claims),
        }


def _gold(data_dir: Path, source: str) -> tuple[set[tuple[str, str, str]], dict[str, list[str]]]:
    data = read_data_dir(data_dir)
    gold = {
        (str(s.get("subject")), str(s.get("predicate")), str(s.get("object")))
        for s in data.statements
        if s.get("source") == source
    }
    names = {}
    for ent in data.entities:
        labels = ent.get("labels") or {}
        names[ent.id] = [str(ent.get("label")), *labels.values(), *(ent.get("aliases") or [])]
    return gold, names


def _name_key(name: str) -> str:
    return normalise(name.split(" (")[0])


def evaluate(
    data_dir: Path,
    *,
    source: str = SEED_SOURCE,
    title: str | None = None,
    threshold: float | None = None,
) -> Evaluation:
    """Ablate, build in memory, ingest the article, compare with the gold (module docstring)."""
    gold, names = _gold(data_dir, source)
    with tempfile.TemporaryDirectory() as tmp:
        ablated = Path(tmp) / "data"
        text = ablate(data_dir, ablated, source=source)
        result = validate(ablated)
        store = OxigraphStore.in_memory()
        store.load_ntriples(result.ntriples)
        known = {e.id for e in result.checked.data.entities}
    index = SearchIndex.from_store(store)
    src = next(s for s in read_data_dir(data_dir).sources if s.id == source)
    title = title or str(src.get("title"))
    review = ingest(text, store, title=title, index=index)
    if threshold is not None:
        review.threshold = threshold
    itself = {h.id for h in index.search(title, limit=3) if h.score >= 95}
    return _compare(review, gold, names, known, itself, text)


def _compare(
    review: Review,
    gold: set[tuple[str, str, str]],
    names: dict[str, list[str]],
    known: set[str],
    itself: set[str],
    text: str,
) -> Evaluation:
    about_self = {g for g in gold if g[0] in itself or g[2] in itself}
    gold = gold - about_self
    actors = {e for s, _, o in gold for e in (s, o)}
    by_name = {_name_key(n): e for e in actors - known for n in names.get(e, [])}
    rename = {p.id: by_name.get(_name_key(p.label), p.id) for p in review.entities}
    linked = review.linked() & actors
    claims = {
        (rename.get(c.subject, c.subject), c.predicate, rename.get(c.object, c.object))
        for c in review.active_claims()
    }
    gold_pairs = {frozenset((s, o)) for s, _, o in gold}
    pairs = [frozenset((s, o)) for s, _, o in claims]
    return Evaluation(
        actors=len(actors),
        actors_known=len(actors & known),
        linked=len(linked),
        proposed_new=len(set(rename.values()) & (actors - known)),
        gold_claims=len(gold),
        self_claims=len(about_self),
        proposals=len(claims),
        right_pair=sum(1 for p in pairs if p in gold_pairs),
        right_relation=len(claims & gold),
        pairs_found=len(gold_pairs & set(pairs)),
        relations_found=len(claims & gold),
        gold_pairs=len(gold_pairs),
    )


def evaluation_text(ev: Evaluation) -> str:
    f = ev.figures()
    return "\n".join(
        [
            f"actors (entities of the {ev.gold_claims} gold claims): {ev.actors}; "
            f"known to the ablated graph: {ev.actors_known}",
            f"linked: {ev.linked} = {f['actors_linked_of_known']:.1%} of known, "
            f"{f['actors_linked_of_all']:.1%} of all; unknown actors proposed as new "
            f"entities: {ev.proposed_new}",
            f"active claim proposals: {ev.proposals}; gold claims: {ev.gold_claims} "
            f"({ev.gold_pairs} pairs; {ev.self_claims} claims about the article itself "
            "left out)",
            f"right pair:     precision {f['pair_precision']:.1%} "
            f"({ev.right_pair}/{ev.proposals}), recall {f['pair_recall']:.1%} "
            f"({ev.pairs_found}/{ev.gold_pairs})",
            f"right relation: precision {f['relation_precision']:.1%} "
            f"({ev.right_relation}/{ev.proposals}), recall {f['relation_recall']:.1%} "
            f"({ev.relations_found}/{ev.gold_claims})",
        ]
    )
