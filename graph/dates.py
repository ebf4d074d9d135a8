"""Partial ISO dates (``2023``, ``2023-11``, ``2023-11-01``) as the data and RDF use them.

Statements often know only a year or a month. We keep the precision the source gives, type
the literal accordingly (xsd:gYear, xsd:gYearMonth, xsd:date), and compare partial dates by
the interval they cover.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Literal
from rdflib.namespace import XSD

__all__ = ["PartialDate", "parse_date"]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def earliest(self) -> dt.date:
        """The first day this partial date may mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day this partial date may mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def to_literal(self) -> Literal:
        if self.day is not None:
            return Literal(str(self), datatype=XSD.date)
        if self.month is not None:
            return Literal(str(self), datatype=XSD.gYearMonth)
        return Literal(str(self), datatype=XSD.gYear)


def parse_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError saying what is wrong."""
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r} has month {month}, not 01-12")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"{text!r} has day {day}, but that month has {last} days")
    return PartialDate(year, month, day)
