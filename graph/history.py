"""A store folder's history: the record of every build ever made there, never pruned.

Builds are pruned (``graph.storedir.KEEP_BUILDS``); their records are not, so changes can be
computed between any two versions ever built in a store::

    govgraph-store/
      builds/<name>/record.jsonl.gz   this build's record, beside its manifest (pruned with it)
      history/<version>.jsonl.gz      every record ever built here (see graph.changes)
      history/index.json              [{version, built_at, build, entities, claims}], oldest first
      history/first_seen.json         {"claims": {key: version}, "entities": {id: version}}

``first_seen.json`` grows by one build at a time, so the app learns in which version each claim
first appeared by reading one file, not every record. A remote SPARQL store has no history.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.changes import (
    RECORD_NAME,
    BuildEntry,
    Diff,
    Record,
    diff_records,
    encode_record,
    read_record,
    record_of,
)
from graph.checks import CheckedData
from graph.dates import parse_date

__all__ = ["History", "UnknownVersion"]


class UnknownVersion(ValueError):
    """A version or date that names no build in this store's history; ``parameter`` says
    which argument gave it (``old``, ``since``...)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@lru_cache(maxsize=6)
def _cached_record(path: str, _mtime_ns: int) -> Record:
    return read_record(Path(path))


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _as_time(text: str) -> dt.datetime | None:
    """The last moment a date (``2025``, ``2025-03``, ``2025-03-07``) or a timestamp means;
    None if ``text`` is neither (a version); ValueError for an impossible date."""
    if _DATE.match(text):
        day = parse_date(text).latest
        return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class History:
    """The records of every build made in one store folder (see the module docstring)."""

    def __init__(self, store_root: Path) -> None:
        self.folder = Path(store_root) / "history"

    @property
    def index_path(self) -> Path:
        return self.folder / "index.json"

    def builds(self) -> list[BuildEntry]:
        """Every version built here, oldest first (a rebuild of the same data is not new)."""
        if not self.index_path.is_file():
            return []
        return [BuildEntry(**e) for e in json.loads(self.index_path.read_text(encoding="utf-8"))]

    def record(self, version: str) -> Record:
        path = self.folder / f"{version}.jsonl.gz"
        if not path.is_file():
            raise UnknownVersion("version", f"no record of version {version!r} in {self.folder}")
        return _cached_record(str(path), path.stat().st_mtime_ns)

    def add(self, build: Path, checked: CheckedData, manifest: Mapping[str, Any]) -> BuildEntry:
        """Record a build before it becomes current (so the app serving it finds its history):
        beside its manifest, in the history, in the index, in ``first_seen.json``."""
        record = record_of(checked, str(manifest["version"]))
        data = encode_record(record)
        _write_atomic(build / RECORD_NAME, data)
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.folder / f"{record.version}.jsonl.gz", data)
        entry = BuildEntry(
            record.version,
            str(manifest["built_at"]),
            build.name,
            len(record.entities),
            len(record.claims),
        )
        builds = self.builds()
        if builds and builds[-1].version == entry.version:
            return builds[-1]
        first = self._first_seen_versions()
        for kind, keys in (("claims", record.claims), ("entities", record.entities)):
            for key in keys:
                first[kind].setdefault(key, entry.version)
        _write_atomic(self.folder / "first_seen.json", json.dumps(first).encode())
        index = [vars(b) for b in [*builds, entry]]
        _write_atomic(self.index_path, json.dumps(index, indent=1).encode())
        return entry

    def _first_seen_versions(self) -> dict[str, dict[str, str]]:
        path = self.folder / "first_seen.json"
        if path.is_file():
            return dict(json.loads(path.read_text(encoding="utf-8")))
        first: dict[str, dict[str, str]] = {"claims": {}, "entities": {}}
        for entry in self.builds():  # no file (deleted?): rebuild it from the records
            record = self.record(entry.version)
            for kind, keys in (("claims", record.claims), ("entities", record.entities)):
                for key in keys:
                    first[kind].setdefault(key, entry.version)
        return first

    def first_seen(self) -> dict[str, BuildEntry]:
        """Claim key -> the first build that had the claim (read once per served snapshot)."""
        if not self.index_path.is_file():
            return {}
        firsts: dict[str, BuildEntry] = {}
        for entry in self.builds():
            firsts.setdefault(entry.version, entry)
        claims = self._first_seen_versions()["claims"]
        return {key: firsts[v] for key, v in claims.items() if v in firsts}

    def entry(self, version: str, builds: list[BuildEntry] | None = None) -> BuildEntry | None:
        """The latest build of exactly ``version``, or None."""
        found = [b for b in (self.builds() if builds is None else builds) if b.version == version]
        return found[-1] if found else None

    def resolve(self, ref: str, *, name: str = "version") -> BuildEntry:
        """The build ``ref`` names: a version (or its first 4 or more characters), or
        a date or timestamp, meaning the latest build at or before it."""
        ref = ref.strip()
        builds = self.builds()
        if not builds:
            raise UnknownVersion(name, "this store has no history yet: run `govgraph build`")
        exact = self.entry(ref, builds)
        if exact is not None:
            return exact
        try:
            moment = _as_time(ref)
        except ValueError as exc:  # 2025-13: shaped like a date, but not one
            raise UnknownVersion(name, f"{ref!r} is not a date: {exc}") from exc
        if moment is not None:
            before = [b for b in builds if dt.datetime.fromisoformat(b.built_at) <= moment]
            if not before:
                first = builds[0].built_at
                raise UnknownVersion(name, f"no build at or before {ref}; the first was {first}")
            return before[-1]
        found = {b.version: b for b in builds if len(ref) >= 4 and b.version.startswith(ref)}
        if len(found) == 1:
            return next(iter(found.values()))
        known = ", ".join(b.version for b in builds[-5:])
        why = "is ambiguous" if found else "names no build"
        raise UnknownVersion(
            name, f"{ref!r} {why}; give a version (latest: {known}) or a date (YYYY-MM-DD)"
        )

    def diff(self, old: str, new: str | None = None) -> Diff:
        """The changes from build ``old`` to ``new`` (default: the latest), by version or date."""
        old_entry = self.resolve(old, name="old")
        new_entry = self.resolve(new, name="new") if new else self.builds()[-1]
        return self.diff_entries(old_entry, new_entry)

    def diff_entries(self, old: BuildEntry, new: BuildEntry) -> Diff:
        return _diff(self, old, new)

    def transitions(self, until: str | None = None) -> list[tuple[BuildEntry | None, BuildEntry]]:
        """Each build with the one before it (None for the first), up to version ``until``."""
        builds = self.builds()
        if until is not None:
            last = max((i for i, b in enumerate(builds) if b.version == until), default=None)
            builds = builds if last is None else builds[: last + 1]
        return list(zip([None, *builds], builds, strict=False))  # (None, first), ...


@lru_cache(maxsize=64)
def _diff_cached(folder: str, old: BuildEntry, new: BuildEntry) -> Diff:
    history = History(Path(folder).parent)
    return diff_records(history.record(old.version), history.record(new.version), old, new)


def _diff(history: History, old: BuildEntry, new: BuildEntry) -> Diff:
    """Diffs are immutable (a version's record never changes): cache them for the feed."""
    return _diff_cached(str(history.folder), old, new)
