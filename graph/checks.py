"""Checks over the records read from ``data/``: every problem, with its file, line and field.

These run before any RDF is made. They cover what a researcher gets wrong by hand: missing or
duplicate ids, unknown types and relations, broken references, bad dates, quotes that are not
verbatim, and relations whose subject or object has the wrong type. SHACL then re-checks the
generated graph (see graph.build).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.claims import Claim, merge_claims
from graph.datafile import DataSet, EntityRecord, Record, read_text_file
from graph.dates import PartialDate, parse_date
from graph.problems import DataError, Problem
from graph.schema import Schema
from graph.vocab import SLUG_RE, Evidence

__all__ = ["CheckedData", "check_data", "parse_coordinates"]

_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s<>\"{}|\\^`]*$")
_LANG_RE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_QID_RE = re.compile(r"^Q[1-9]\d*$")


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``"LAT, LON"`` in decimal degrees -> (lat, lon), or None if it is not that."""
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        return None
    ok = -90 <= lat <= 90 and -180 <= lon <= 180
    return (lat, lon) if ok else None


@dataclass
class CheckedData:
    """Records that passed their checks, indexed for the build."""

    data: DataSet
    entity_types: dict[str, str]
    source_texts: dict[str, str]
    problems: list[Problem]
    claims: list[Claim] = field(default_factory=list)
    """The statements merged into claims (only when there are no problems)."""
    warnings: list[Problem] = field(default_factory=list)
    """Things to look at that do not stop a build: statements whose dates conflict."""


class _Checker:
    def __init__(self, data: DataSet, schema: Schema) -> None:
        self.data = data
        self.schema = schema
        self.problems: list[Problem] = list(data.problems)

    def fail(self, record: Record, key: str, message: str) -> None:
        self.problems.append(Problem(record.at(key), key, message))

    def text(self, record: Record, key: str, *, required: bool = False) -> str | None:
        value = record.get(key)
        if value is None:
            if required:
                self.fail(record, key, "is required")
            return None
        if not isinstance(value, str):
            self.fail(record, key, "must be a single text value")
            return None
        return value.strip()

    def slug(self, record: Record, key: str) -> str | None:
        value = self.text(record, key, required=True)
        if value is not None and not SLUG_RE.match(value):
            self.fail(record, key, f"{value!r} is not a slug (lowercase letters, digits, hyphens)")
            return None
        return value

    def date(self, record: Record, key: str) -> PartialDate | None:
        value = self.text(record, key)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(record, key, str(exc))
            return None

    def interval(self, record: Record) -> None:
        start, end = self.date(record, "start"), self.date(record, "end")
        if start and end and end.latest < start.earliest:
            self.fail(record, "end", f"end {end} is before start {start}")

    def text_list(self, record: Record, key: str) -> list[str]:
        value = record.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(record, key, "must be a list of texts, e.g. [a, b]")
            return []
        return [v.strip() for v in value]

    def unique(self, records: list[Record], key: str, what: str) -> dict[str, Record]:
        seen: dict[str, Record] = {}
        for record in records:
            ident = record.get(key)
            if not isinstance(ident, str):
                continue
            if ident in seen:
                self.fail(
                    record,
                    key,
                    f"duplicate {what} id {ident!r} (first defined at {seen[ident].at(key)})",
                )
            else:
                seen[ident] = record
        return seen


def _check_sources(c: _Checker, root: Path) -> dict[str, str | None]:
    texts: dict[str, str | None] = {}
    for record in c.data.sources:
        ident = c.slug(record, "id")
        c.text(record, "title", required=True)
        c.text(record, "publisher")
        c.date(record, "date")
        c.date(record, "accessed")
        url = c.text(record, "url")
        if url is not None and not _URL_RE.match(url):
            c.fail(record, "url", f"{url!r} is not a well-formed http(s) URL")
        text_path = c.text(record, "text")
        text: str | None = None
        if text_path is not None:
            path = (root / text_path).resolve()
            if root.resolve() not in path.parents or not path.is_file():
                c.fail(record, "text", f"{text_path!r} is not a file inside the data folder")
            else:
                try:
                    text = read_text_file(path, text_path)
                except DataError as exc:
                    c.fail(
                        record,
                        "text",
                        "; ".join(f"{p.location}: {p.message}" for p in exc.problems),
                    )
        if ident:
            texts[ident] = text
    return texts


def _check_entity(c: _Checker, record: EntityRecord, sources: dict[str, str | None]) -> None:
    c.slug(record, "id")
    kind = c.text(record, "type", required=True)
    if kind is not None and kind not in c.schema.classes:
        c.fail(record, "type", f"unknown type {kind!r}; known: {', '.join(c.schema.classes)}")
    c.text(record, "label", required=True)
    c.text(record, "description")
    labels = record.get("labels")
    if labels is not None:
        if not isinstance(labels, dict):
            c.fail(record, "labels", "must be a mapping of language tag to label")
        else:
            for lang, label in labels.items():
                if not _LANG_RE.match(lang) or not isinstance(label, str):
                    c.fail(record, "labels", f"{lang!r}: needs a language tag and one label")
    c.text_list(record, "aliases")
    qid = c.text(record, "wikidata")
    if qid is not None and not _QID_RE.match(qid):
        c.fail(record, "wikidata", f"{qid!r} is not a Wikidata id like Q145")
    c.interval(record)
    coordinates = c.text(record, "coordinates")
    if coordinates is not None and parse_coordinates(coordinates) is None:
        c.fail(
            record,
            "coordinates",
            f"{coordinates!r} is not 'LAT, LON' in decimal degrees (e.g. '51.9977, -0.7407')",
        )
    for name in c.text_list(record, "incomplete"):
        if name not in c.schema.relations:
            c.fail(record, "incomplete", f"unknown relation {name!r}; list relation names")
    refs = c.text_list(record, "sources")
    if not refs:
        c.fail(record, "sources", "is required: list the sources for this entity")
    for ref in refs:
        if ref not in sources:
            c.fail(record, "sources", f"unknown source {ref!r}")


def _check_statement(
    c: _Checker,
    record: Record,
    types: dict[str, str],
    sources: dict[str, str | None],
    seen: dict[tuple[str, ...], Record],
) -> None:
    ends = {}
    for key in ("subject", "object"):
        ident = c.text(record, key, required=True)
        if ident is not None and ident not in types:
            c.fail(record, key, f"unknown entity {ident!r}")
        ends[key] = ident
    predicate = c.text(record, "predicate", required=True)
    relation = c.schema.relations.get(predicate or "")
    if predicate is not None and relation is None:
        c.fail(
            record,
            "predicate",
            f"unknown predicate {predicate!r}; known: {', '.join(c.schema.relations)}",
        )
    if relation is not None:
        _check_types(c, record, relation.domain, "subject", types.get(ends["subject"] or ""))
        _check_types(c, record, relation.range, "object", types.get(ends["object"] or ""))
    c.interval(record)
    source = c.text(record, "source", required=True)
    if source is not None and source not in sources:
        c.fail(record, "source", f"unknown source {source!r}")
    quote = c.text(record, "quote")
    text = sources.get(source or "")
    if quote is not None and text is not None and quote not in text:
        c.fail(record, "quote", f"not a verbatim substring of source {source!r}'s text")
    evidence = c.text(record, "evidence", required=True)
    if evidence is not None and evidence not in {e.value for e in Evidence}:
        c.fail(record, "evidence", f"{evidence!r}; use documented, reported or inferred")
    statement_key = tuple(
        str(record.get(k) or "") for k in ("subject", "predicate", "object", "start", "source")
    )
    if statement_key in seen:
        c.fail(
            record,
            "subject",
            f"duplicate statement (same subject, predicate, object, start "
            f"and source as {seen[statement_key].location})",
        )
    seen[statement_key] = record


def _check_types(
    c: _Checker, record: Record, allowed: tuple[str, ...], key: str, kind: str | None
) -> None:
    if kind is not None and kind in c.schema.classes and not c.schema.is_a(kind, allowed):
        c.fail(
            record,
            key,
            f"is a {kind}, but {record.get('predicate')} needs one of {', '.join(allowed)}",
        )


def check_data(data: DataSet, schema: Schema) -> CheckedData:
    """Run every record-level check and return the indexed data with all problems found."""
    c = _Checker(data, schema)
    c.unique(list(data.sources), "id", "source")
    c.unique(list(data.entities), "id", "entity")
    sources = _check_sources(c, data.root)
    types: dict[str, str] = {}
    for entity in data.entities:
        _check_entity(c, entity, sources)
        kind = entity.get("type")
        if isinstance(kind, str) and entity.id:
            types.setdefault(entity.id, kind)
    seen: dict[tuple[str, ...], Record] = {}
    for statement in data.statements:
        _check_statement(c, statement, types, sources, seen)
    texts = {k: v for k, v in sources.items() if v is not None}
    checked = CheckedData(data=data, entity_types=types, source_texts=texts, problems=c.problems)
    if not checked.problems:
        checked.claims, checked.warnings = merge_claims(data.statements, _source_dates(data))
    return checked


def _source_dates(data: DataSet) -> dict[str, PartialDate]:
    """Publication date of each dated source (it tells which tenure an undated one means)."""
    return {
        src.id: parse_date(src.get("date"))
        for src in data.sources
        if isinstance(src.get("date"), str)
    }
