"""Partial dates keep their precision and compare by the interval they cover."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib.namespace import XSD

from graph.dates import parse_date


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_full_dates_round_trip(day: dt.date) -> None:
    parsed = parse_date(day.isoformat())
    assert parsed.earliest == parsed.latest == day
    assert str(parsed) == day.isoformat()


@pytest.mark.parametrize(
    ("text", "datatype", "earliest", "latest"),
    [
        ("2023", XSD.gYear, "2023-01-01", "2023-12-31"),
        ("2024-02", XSD.gYearMonth, "2024-02-01", "2024-02-29"),
        ("2023-11-01", XSD.date, "2023-11-01", "2023-11-01"),
    ],
)
def test_partial_dates(text: str, datatype: object, earliest: str, latest: str) -> None:
    parsed = parse_date(text)
    assert parsed.to_literal().datatype == datatype
    assert parsed.earliest.isoformat() == earliest
    assert parsed.latest.isoformat() == latest


@pytest.mark.parametrize("text", ["2023-13", "2023-02-30", "23-01-01", "2023/01/01", "soon", ""])
def test_bad_dates_say_what_is_wrong(text: str) -> None:
    with pytest.raises(ValueError, match=repr(text).strip("'\"")[:4] or "date"):
        parse_date(text)
