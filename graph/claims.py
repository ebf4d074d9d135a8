"""Claims and references: one fact, every source that states it (Wikidata's statement model).

Data files hold one YAML statement per source. A **claim** is one fact: a (subject, relation,
object) with compatible dates. Statements about the same triple merge into one claim when their
dates agree: equal, one a refinement of the other (``2024-07`` and ``2024-07-05``), or one
silent (a missing end and a known end). Each merged statement becomes a **reference** of the
claim (source, verbatim quote, evidence kind). Statements whose dates disagree stay separate
claims: two tenures of one post that do not overlap are simply two facts; dates that overlap but
disagree are a conflict, and the build reports a :class:`Warning` naming both files and lines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from graph.datafile import Record
from graph.dates import PartialDate, parse_date
from graph.problems import Location, Problem
from graph.vocab import Evidence

__all__ = [
    "EVIDENCE_ORDER",
    "Claim",
    "Reference",
    "claim_key",
    "merge_claims",
    "reference_key",
    "refines",
]

EVIDENCE_ORDER = (Evidence.DOCUMENTED, Evidence.REPORTED, Evidence.INFERRED)
"""Strongest first: a primary source beats a secondary one beats an inference."""


def refines(a: PartialDate | None, b: PartialDate | None) -> PartialDate | Literal[False] | None:
    """The more precise of two agreeing dates, or False when they disagree.

    ``None`` (the source is silent) agrees with anything; ``2024-07`` agrees with
    ``2024-07-05`` (the day refines the month); ``2024-07`` and ``2024-08`` disagree.
    """
    if a is None or b is None:
        return a if b is None else b
    fine, coarse = (a, b) if _precision(a) >= _precision(b) else (b, a)
    prefix = (fine.year, fine.month, fine.day)[: _precision(coarse)]
    return (
        fine if prefix == (coarse.year, coarse.month, coarse.day)[: _precision(coarse)] else False
    )


def _precision(d: PartialDate) -> int:
    return 1 + (d.month is not None) + (d.day is not None)


def _date(record: Record, key: str) -> PartialDate | None:
    value = record.get(key)
    return parse_date(value) if isinstance(value, str) else None


def _text(record: Record, key: str) -> str:
    value = record.get(key)
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class Reference:
    """One source's support for a claim: the source, its verbatim quote, the evidence kind."""

    source: str
    quote: str | None
    evidence: Evidence
    location: Location

    @property
    def rank(self) -> tuple[int, bool, str]:
        """Strongest evidence first, quoted before unquoted, then by source id."""
        return (EVIDENCE_ORDER.index(self.evidence), self.quote is None, self.source)


@dataclass
class Claim:
    """One fact with compatible dates, and every reference that states it."""

    subject: str
    predicate: str
    object: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    references: list[Reference] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    ordinal: int = 0

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)

    @property
    def evidence(self) -> Evidence:
        """The strongest evidence among the claim's references."""
        return min((r.evidence for r in self.references), key=EVIDENCE_ORDER.index)

    @property
    def location(self) -> Location:
        return self.records[0].location

    @property
    def key(self) -> str:
        """The stable hash that names the claim: the triple (and, for a triple stated as more
        than one claim, its rank in time), never its dates, so correcting a date keeps the id."""
        return claim_key(*self.triple, ordinal=self.ordinal)

    def accepts(self, start: PartialDate | None, end: PartialDate | None) -> bool:
        return refines(self.start, start) is not False and refines(self.end, end) is not False

    def add(self, record: Record) -> None:
        start, end = _date(record, "start"), _date(record, "end")
        merged_start, merged_end = refines(self.start, start), refines(self.end, end)
        assert merged_start is not False and merged_end is not False
        self.start, self.end = merged_start, merged_end
        self.records.append(record)
        ref = Reference(
            source=_text(record, "source"),
            quote=_text(record, "quote") or None,
            evidence=Evidence(_text(record, "evidence")),
            location=record.location,
        )
        if all((r.source, r.quote) != (ref.source, ref.quote) for r in self.references):
            self.references.append(ref)
            self.references.sort(key=lambda r: r.rank)

    def overlaps(self, start: PartialDate | None, end: PartialDate | None) -> bool:
        """Whether another dating of the triple could be the same stretch of time as this
        claim's (False only when one provably ends before the other starts)."""
        if self.end is not None and start is not None and self.end.latest < start.earliest:
            return False
        return not (end is not None and self.start is not None and end.latest < self.start.earliest)


def claim_key(subject: str, predicate: str, obj: str, *, ordinal: int = 0) -> str:
    parts = [subject, predicate, obj] + ([str(ordinal)] if ordinal else [])
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def reference_key(claim: Claim, reference: Reference) -> str:
    parts = [claim.key, reference.source, reference.quote or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _precision_of(record: Record) -> int:
    dates = (_date(record, "start"), _date(record, "end"))
    return sum(_precision(d) for d in dates if d is not None)


def _source_day(record: Record, source_dates: dict[str, PartialDate]) -> PartialDate | None:
    return source_dates.get(_text(record, "source"))


def _pick(
    fits: list[Claim], record: Record, source_dates: dict[str, PartialDate]
) -> tuple[Claim, bool]:
    """Of several claims a silent statement fits, the one current when its source was
    published, else the latest; the flag says whether the choice was ambiguous."""
    if len(fits) == 1:
        return fits[0], False
    day = _source_day(record, source_dates)
    if day is not None:
        current = [
            c
            for c in fits
            if (c.start is None or c.start.earliest <= day.latest)
            and (c.end is None or c.end.latest >= day.earliest)
        ]
        if len(current) == 1:
            return current[0], False
    return max(fits, key=lambda c: c.start.earliest if c.start else PartialDate(1).earliest), True


def _group(
    records: list[Record], source_dates: dict[str, PartialDate]
) -> tuple[list[Claim], list[Problem]]:
    """Claims of one triple from its statements: the most precisely dated first, so that
    vaguer statements join the claim they refine."""
    s, p, o = (_text(records[0], k) for k in ("subject", "predicate", "object"))
    claims: list[Claim] = []
    warnings: list[Problem] = []
    for record in sorted(records, key=_precision_of, reverse=True):
        start, end = _date(record, "start"), _date(record, "end")
        fits = [c for c in claims if c.accepts(start, end)]
        if fits:
            claim, ambiguous = _pick(fits, record, source_dates)
            if ambiguous:
                others = ", ".join(str(c.location) for c in fits if c is not claim)
                warnings.append(
                    Problem(
                        record.at("subject"),
                        "start",
                        f"undated {p} statement fits several claims ({others} and "
                        f"{claim.location}); attached to the latest, {claim.location}: "
                        "add its dates",
                    )
                )
            claim.add(record)
            continue
        for other in claims:
            if other.overlaps(start, end):
                warnings.append(
                    Problem(
                        record.at("start" if record.get("start") else "end"),
                        "start",
                        f"dates conflict with the same {p} statement at {other.location} "
                        f"({_span(other.start, other.end)} there, {_span(start, end)} here): "
                        "kept as two claims",
                    )
                )
                break
        claim = Claim(s, p, o)
        claim.add(record)
        claims.append(claim)
    return claims, warnings


def _span(start: PartialDate | None, end: PartialDate | None) -> str:
    return f"{start or '?'} to {end or '…'}"


def merge_claims(
    statements: Iterable[Record], source_dates: dict[str, PartialDate] | None = None
) -> tuple[list[Claim], list[Problem]]:
    """Merge checked statement records into claims; return them and the date-conflict warnings.

    Claims come out in the order their triples first appear in the data. Within a triple the
    claims are ranked by start date (undated last), and that rank is part of the claim id.
    """
    groups: dict[tuple[str, str, str], list[Record]] = {}
    for record in statements:
        triple = (_text(record, "subject"), _text(record, "predicate"), _text(record, "object"))
        groups.setdefault(triple, []).append(record)
    claims: list[Claim] = []
    warnings: list[Problem] = []
    for records in groups.values():
        found, problems = _group(records, source_dates or {})
        found.sort(key=lambda c: (c.start is None, c.start.earliest if c.start else None))
        for ordinal, claim in enumerate(found):
            claim.ordinal = ordinal
        claims += found
        warnings += problems
    return claims, warnings
