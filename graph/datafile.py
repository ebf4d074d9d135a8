"""Reading the curated YAML files into records that remember where each value came from.

YAML is read without type guessing (every scalar stays the text the researcher typed: ``NO``
is not False, ``0123`` is not 83, ``2023-11-01`` is not a date object), anchors and aliases are
refused (no "billion laughs"), and files are size-capped and must be UTF-8. Each record keeps
the line of every field so that any later check can point at it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.problems import DataError, Location, Problem

__all__ = [
    "MAX_FILE_BYTES",
    "DataSet",
    "EntityRecord",
    "SourceRecord",
    "StatementRecord",
    "read_data_dir",
    "read_text_file",
]

MAX_FILE_BYTES = 5_000_000

_SECTIONS = ("sources", "entities", "statements")
_FIELDS = {
    "sources": {"id", "title", "publisher", "date", "url", "accessed", "text"},
    "entities": {
        "id",
        "type",
        "label",
        "labels",
        "aliases",
        "description",
        "wikidata",
        "start",
        "end",
        "sources",
        "incomplete",
        "coordinates",
    },
    "statements": {
        "subject",
        "predicate",
        "object",
        "start",
        "end",
        "source",
        "quote",
        "evidence",
    },
}


@dataclass
class Record:
    """A mapping from a data file with the line of each of its keys."""

    location: Location
    values: dict[str, Any]
    lines: dict[str, int]

    def get(self, key: str) -> Any:
        value = self.values.get(key)
        return None if value == "" else value

    def at(self, key: str) -> Location:
        return Location(self.location.file, self.lines.get(key, self.location.line))


@dataclass
class SourceRecord(Record):
    @property
    def id(self) -> str:
        return str(self.get("id") or "")


@dataclass
class EntityRecord(Record):
    @property
    def id(self) -> str:
        return str(self.get("id") or "")


@dataclass
class StatementRecord(Record):
    pass


@dataclass
class DataSet:
    """Everything read from a data folder, in file order."""

    root: Path
    files: list[Path] = field(default_factory=list)
    sources: list[SourceRecord] = field(default_factory=list)
    entities: list[EntityRecord] = field(default_factory=list)
    statements: list[StatementRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_BASE_LOADER: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_BASE_LOADER):
    """libyaml's composer when PyYAML has it (2-3x faster), else the pure-Python one: both keep
    every scalar as text and every node's line. Tags are never guessed here, so the resolver
    (a Python call per node, a fifth of the reading time) answers from a table."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_PARALLEL_BYTES = 8_000_000
"""Read the files in parallel processes above this total size: below it, starting the
processes costs more than they save (the project's own data is about 3 MB)."""


class _Located(dict[str, Any]):
    line: int
    key_lines: dict[str, int]


def _to_python(node: yaml.Node, file: str, seen: set[int], problems: list[Problem]) -> Any:
    if id(node) in seen:
        problems.append(
            Problem(
                Location(file, node.start_mark.line + 1),
                "yaml",
                "anchors and aliases (&name / *name) are not allowed in data files",
            )
        )
        return ""
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, file, seen, problems) for item in node.value]
    assert isinstance(node, yaml.MappingNode)
    result = _Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = str(_to_python(key_node, file, seen, problems))
        line = key_node.start_mark.line + 1
        if key in result:
            problems.append(Problem(Location(file, line), key, f"duplicate key {key!r}"))
        result[key] = _to_python(value_node, file, seen, problems)
        result.key_lines[key] = line
    return result


def read_text_file(path: Path, shown: str, *, max_bytes: int | None = None) -> str:
    """Read a UTF-8 text file the data refers to, size-capped and free of NUL characters.

    Raises DataError with one problem naming ``shown`` (the path as the user knows it) and the
    line where the trouble starts.
    """
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes

    def fail(message: str, line: int = 1) -> DataError:
        return DataError([Problem(Location(shown, line), "file", message)])

    if not path.is_file():
        raise fail("file not found")
    size = path.stat().st_size
    if size > limit:
        raise fail(f"file is {size} bytes; the limit is {limit}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8", line) from None
    if "\x00" in text:
        raise fail("contains a NUL character", text[: text.index("\x00")].count("\n") + 1)
    return text


def _read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    try:
        return read_text_file(path, shown)
    except DataError as exc:
        problems.extend(exc.problems)
        return None


def _parse(text: str, shown: str, problems: list[Problem]) -> Any:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(Problem(Location(shown, line), "yaml", f"not valid YAML: {exc}"))
        return None
    if node is None:
        return None
    return _to_python(node, shown, set(), problems)


def _records(doc: Any, shown: str, problems: list[Problem]) -> Iterator[tuple[str, Record]]:
    if doc is None:
        return
    if not isinstance(doc, _Located):
        problems.append(
            Problem(
                Location(shown, 1),
                "file",
                "a data file must be a mapping with sources/entities/statements",
            )
        )
        return
    for section, items in doc.items():
        line = doc.key_lines[section]
        if section not in _SECTIONS:
            problems.append(
                Problem(
                    Location(shown, line),
                    section,
                    f"unknown section; expected one of {', '.join(_SECTIONS)}",
                )
            )
            continue
        if not isinstance(items, list):
            problems.append(Problem(Location(shown, line), section, "must be a list of items"))
            continue
        for index, item in enumerate(items):
            where = f"{section}[{index}]"
            if not isinstance(item, _Located):
                problems.append(
                    Problem(Location(shown, line), where, "each item must be a mapping")
                )
                continue
            for key in item:
                if key not in _FIELDS[section]:
                    problems.append(
                        Problem(
                            Location(shown, item.key_lines[key]),
                            key,
                            f"unknown field in {section}; allowed: "
                            f"{', '.join(sorted(_FIELDS[section]))}",
                        )
                    )
            yield section, Record(Location(shown, item.line), dict(item), item.key_lines)


_KINDS: dict[str, type[Record]] = {
    "sources": SourceRecord,
    "entities": EntityRecord,
    "statements": StatementRecord,
}


_FileRecords = tuple[list[tuple[str, Record]], list[Problem]]
"""One file's (section, record) pairs and its problems."""


def _read_file(path: Path, shown: str) -> _FileRecords:
    """One data file's typed records and problems (a unit of work for a reading process)."""
    problems: list[Problem] = []
    text = _read_text(path, shown, problems)
    if text is None:
        return [], problems
    doc = _parse(text, shown, problems)
    records = [
        (section, _KINDS[section](record.location, record.values, record.lines))
        for section, record in _records(doc, shown, problems)
    ]
    return records, problems


def _read_all(paths: list[Path], shown: list[str]) -> Iterator[_FileRecords]:
    """Every file's records, in order; in parallel processes when the files are large."""
    total = sum(path.stat().st_size for path in paths)
    workers = min(len(paths), os.cpu_count() or 1)
    if total < _PARALLEL_BYTES or workers < 2:
        yield from map(_read_file, paths, shown)
        return
    context = multiprocessing.get_context("forkserver")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            done = list(pool.map(_read_file, paths, shown))
    except BrokenProcessPool:  # e.g. a __main__ the workers cannot import (a script on stdin)
        done = list(map(_read_file, paths, shown))
    yield from done


def read_data_dir(root: Path) -> DataSet:
    """Read every ``*.yaml`` under ``root`` (sorted), collecting problems instead of stopping."""
    data = DataSet(root=root)
    if not root.is_dir():
        data.problems.append(Problem(Location(str(root), 0), "data", "data folder not found"))
        return data
    data.files = sorted(root.rglob("*.yaml"))
    shown = [str(path.relative_to(root.parent)) for path in data.files]
    for records, problems in _read_all(data.files, shown):
        data.problems.extend(problems)
        for section, record in records:
            getattr(data, section).append(record)
    return data
