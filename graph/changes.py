"""What changed between builds: the compact record of a build, and the diff of two records.

A reporter asks "what changed since last week?". The store cannot answer by itself: it holds one
version, and old builds are pruned. So every build also writes a **record** of its claims and
entities, kept beside its manifest and in the store's history (:mod:`graph.history`, which
outlives pruning). A record is gzipped JSON Lines, one object a line, told apart by ``kind``::

    {"kind": "build", "format": 1, "version": "..."}
    {"kind": "source", "id", "title", "publisher", "date", "url"}
    {"kind": "entity", "id", "type", "label", "description", "start", "end", "sources": [id]}
    {"kind": "claim", "key", "subject", "predicate", "object", "start", "end", "evidence",
     "references": [{"source", "quote", "evidence"}]}

A record depends on the data only (no build time inside), so one version always has the same
record. Claims are matched across versions by their stable ``key`` (:func:`graph.claims.claim_key`,
never the dates), so a corrected date is a *changed* claim, not one removed and one added.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from graph.checks import CheckedData

__all__ = [
    "CLAIM_FIELDS",
    "ENTITY_FIELDS",
    "RECORD_NAME",
    "BuildEntry",
    "Change",
    "Diff",
    "Record",
    "diff_records",
    "encode_record",
    "read_record",
    "record_of",
]

RECORD_NAME = "record.jsonl.gz"
FORMAT = 1
ENTITY_FIELDS = ("type", "label", "description", "start", "end", "sources")
"""What makes an entity *changed*: any of these differs between two versions."""
CLAIM_FIELDS = ("start", "end", "evidence", "references")
"""What makes a claim (same key, so same triple) *changed*."""

Row = dict[str, Any]
Kind = Literal["entity", "claim"]
ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Record:
    """One build's sources, entities and claims, each a plain JSON row keyed by its id."""

    version: str
    sources: dict[str, Row] = field(default_factory=dict)
    entities: dict[str, Row] = field(default_factory=dict)
    claims: dict[str, Row] = field(default_factory=dict)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def record_of(checked: CheckedData, version: str) -> Record:
    """The record of a checked data set: what a later version will be compared with."""
    record = Record(version)
    for src in checked.data.sources:
        keys = ("title", "publisher", "date", "url")
        record.sources[src.id] = {"id": src.id, **{k: _text(src.get(k)) for k in keys}}
    for ent in checked.data.entities:
        record.entities[ent.id] = {
            "id": ent.id,
            **{k: _text(ent.get(k)) for k in ("type", "label", "description", "start", "end")},
            "sources": [s.strip() for s in ent.get("sources") or []],
        }
    for claim in checked.claims:
        record.claims[claim.key] = {
            "key": claim.key,
            "subject": claim.subject,
            "predicate": claim.predicate,
            "object": claim.object,
            "start": str(claim.start) if claim.start else None,
            "end": str(claim.end) if claim.end else None,
            "evidence": claim.evidence.value,
            "references": [
                {"source": r.source, "quote": r.quote, "evidence": r.evidence.value}
                for r in claim.references
            ],
        }
    return record


def _lines(record: Record) -> Iterable[Row]:
    yield {"kind": "build", "format": FORMAT, "version": record.version}
    for kind, rows in (
        ("source", record.sources),
        ("entity", record.entities),
        ("claim", record.claims),
    ):
        for row in rows.values():
            yield {"kind": kind, **row}


def encode_record(record: Record) -> bytes:
    text = "".join(
        json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in _lines(record)
    )
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)  # mtime 0: same bytes


def read_record(path: Path) -> Record:
    """Read a record file; ValueError if it is not one (or a newer format)."""
    record: Record | None = None
    tables = {"source": ("sources", "id"), "entity": ("entities", "id"), "claim": ("claims", "key")}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            kind = row.pop("kind")
            if kind == "build":
                if row.get("format") != FORMAT:
                    raise ValueError(f"{path}: record format {row.get('format')} is not {FORMAT}")
                record = Record(str(row["version"]))
            elif record is not None and kind in tables:
                name, key = tables[kind]
                getattr(record, name)[row[key]] = row
    if record is None:
        raise ValueError(f"{path} is not a govgraph build record")
    return record


@dataclass(frozen=True)
class BuildEntry:
    """One version in a store's history: when it was built, under which build folder."""

    version: str
    built_at: str
    build: str = ""
    entities: int = 0
    claims: int = 0

    def ref(self) -> dict[str, str]:
        return {"version": self.version, "built_at": self.built_at}


@dataclass(frozen=True)
class Change:
    """One entity or claim added, removed or changed (``fields`` says which, if changed)."""

    kind: Kind
    change: ChangeKind
    id: str
    before: Row | None
    after: Row | None
    fields: tuple[str, ...] = ()

    @property
    def row(self) -> Row:
        """The newest state: after, or before for a removal."""
        row = self.after if self.after is not None else self.before
        assert row is not None
        return row

    def involves(self, entity: str) -> bool:
        row = self.row
        return entity in (
            (row["id"],) if self.kind == "entity" else (row["subject"], row["object"])
        )


@dataclass(frozen=True)
class Diff:
    """Every change from ``old`` to ``new``, with the entities and sources of both versions
    (newest first) to label and cite them."""

    old: BuildEntry
    new: BuildEntry
    changes: tuple[Change, ...]
    entities: Mapping[str, Row]
    sources: Mapping[str, Row]
    entity: str | None = None

    def about(self, entity: str) -> Diff:
        """Only the changes to ``entity`` and to the claims it is part of."""
        found = tuple(c for c in self.changes if c.involves(entity))
        return replace(self, changes=found, entity=entity)

    def counts(self) -> dict[str, dict[str, int]]:
        out = {k: {"added": 0, "removed": 0, "changed": 0} for k in ("entities", "claims")}
        for c in self.changes:
            out["entities" if c.kind == "entity" else "claims"][c.change] += 1
        return out


def _compare(kind: Kind, old: dict[str, Row], new: dict[str, Row]) -> list[Change]:
    fields = ENTITY_FIELDS if kind == "entity" else CLAIM_FIELDS
    added = [Change(kind, "added", k, None, row) for k, row in new.items() if k not in old]
    removed = [Change(kind, "removed", k, row, None) for k, row in old.items() if k not in new]
    changed = []
    for k, row in new.items():
        if k in old and (differ := tuple(f for f in fields if old[k].get(f) != row.get(f))):
            changed.append(Change(kind, "changed", k, old[k], row, differ))
    return added + removed + changed


def diff_records(old: Record, new: Record, old_entry: BuildEntry, new_entry: BuildEntry) -> Diff:
    """Entities then claims, each added, removed, changed, in data order."""
    changes = _compare("entity", old.entities, new.entities)
    changes += _compare("claim", old.claims, new.claims)
    named: set[str] = set()
    cited: set[str] = set()
    for c in changes:
        for row in (c.before, c.after):
            if row is None:
                continue
            named.update((row["id"],) if c.kind == "entity" else (row["subject"], row["object"]))
            cited.update(row["sources"] if c.kind == "entity" else _cited(row))
    return Diff(  # only what the changes name: a cached diff does not hold two whole records
        old=old_entry,
        new=new_entry,
        changes=tuple(changes),
        entities=_pick(named, new.entities, old.entities),
        sources=_pick(cited, new.sources, old.sources),
    )


def _cited(claim: Row) -> list[str]:
    return [r["source"] for r in claim["references"]]


def _pick(keys: set[str], newer: Mapping[str, Row], older: Mapping[str, Row]) -> dict[str, Row]:
    return {k: newer.get(k) or older[k] for k in sorted(keys) if k in newer or k in older}
