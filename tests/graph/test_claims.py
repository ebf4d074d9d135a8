"""Claims: statements about one fact merge into one claim with all its references."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.build import validate
from graph.claims import merge_claims, refines
from graph.datafile import Record
from graph.dates import PartialDate, parse_date
from graph.problems import Location
from graph.vocab import GG, RDF

_line = iter(range(1, 10_000))


def statement(
    source: str,
    *,
    start: str | None = None,
    end: str | None = None,
    evidence: str = "reported",
    quote: str | None = None,
    file: str = "data/a.yaml",
    triple: tuple[str, str, str] = ("ada", "holds", "minister"),
) -> Record:
    values = dict(zip(("subject", "predicate", "object"), triple, strict=True))
    values |= {"source": source, "evidence": evidence}
    values |= {k: v for k, v in (("start", start), ("end", end), ("quote", quote)) if v}
    line = next(_line)
    return Record(Location(file, line), values, {k: line for k in values})


dates = st.builds(
    lambda y, m, d, precision: PartialDate(
        y, m if precision > 1 else None, d if precision > 2 else None
    ),
    st.integers(2000, 2030),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(1, 3),
)


@given(dates, dates)
def test_refines_agrees_both_ways_and_keeps_the_finer_date(a: PartialDate, b: PartialDate) -> None:
    assert refines(a, b) == refines(b, a)
    merged = refines(a, b)
    if merged is not False:
        assert merged in (a, b)
        assert merged.earliest >= min(a.earliest, b.earliest)
        assert str(merged).startswith(str(a)) or str(merged).startswith(str(b))
    assert refines(a, None) == a and refines(a, a) == a


@pytest.mark.parametrize(
    ("a", "b", "merged"),
    [
        ("2024-07", "2024-07-05", "2024-07-05"),
        ("2024", "2024-07", "2024-07"),
        ("2024-07", "2024-08", None),
        ("2024", "2025-01-01", None),
    ],
)
def test_refines_examples(a: str, b: str, merged: str | None) -> None:
    result = refines(parse_date(a), parse_date(b))
    assert (None if result is False else str(result)) == merged


def test_agreeing_statements_are_one_claim_with_every_reference() -> None:
    claims, warnings = merge_claims(
        [
            statement("s1", start="2024-07-05", end="2025-09-05"),
            statement("s2", start="2024-07", evidence="documented", quote="appointed"),
            statement("s3"),
            statement("s4", start="2024-07-05"),
        ]
    )
    (claim,) = claims
    assert (str(claim.start), str(claim.end)) == ("2024-07-05", "2025-09-05")
    assert [r.source for r in claim.references] == ["s2", "s1", "s3", "s4"]  # strongest first
    assert claim.evidence == "documented" and not warnings


def test_tenures_that_do_not_overlap_are_separate_claims_without_warning() -> None:
    claims, warnings = merge_claims(
        [
            statement("s1", start="2013-03", end="2022-12-30"),
            statement("s2", start="2023-07-25"),
        ]
    )
    assert [str(c.start) for c in claims] == ["2013-03", "2023-07-25"] and not warnings
    assert len({c.key for c in claims}) == 2


def test_conflicting_dates_keep_two_claims_and_warn_naming_both_places() -> None:
    first = statement("s1", start="2024-07-05", file="data/one.yaml")
    second = statement("s2", start="2024-07-06", file="data/two.yaml")
    claims, warnings = merge_claims([first, second])
    assert len(claims) == 2
    (warning,) = warnings
    text = str(warning)
    assert str(first.location) in text and str(second.location) in text
    assert "kept as two claims" in text


def test_an_undated_statement_joins_the_tenure_current_when_its_source_was_published() -> None:
    old = statement("old", start="2013-03", end="2022-12-30")
    new = statement("new", start="2023-07-25")
    silent = statement("article")
    claims, warnings = merge_claims(
        [old, silent, new], source_dates={"article": parse_date("2025-02-01")}
    )
    by_start = {str(c.start): [r.source for r in c.references] for c in claims}
    assert by_start == {"2013-03": ["old"], "2023-07-25": ["article", "new"]}
    assert not warnings


def test_an_ambiguous_undated_statement_warns() -> None:
    claims, warnings = merge_claims(
        [
            statement("old", start="2013-03", end="2022-12-30"),
            statement("new", start="2023-07-25"),
            statement("undated-source"),
        ]
    )
    assert len(claims) == 2 and len(warnings) == 1 and "add its dates" in str(warnings[0])


def test_claim_ids_survive_a_date_correction() -> None:
    (before,), _ = merge_claims([statement("s1", start="2024-07-05")])
    (after,), _ = merge_claims([statement("s1", start="2024-07-06")])
    assert before.key == after.key


def test_the_same_source_and_quote_is_one_reference() -> None:
    (claim,), _ = merge_claims(
        [statement("s1", start="2024", quote="q"), statement("s1", start="2024-05", quote="q")]
    )
    assert len(claim.references) == 1 and str(claim.start) == "2024-05"


EXTRA = """
statements:
  - subject: example-panel
    predicate: buildsOn
    object: example-report
    start: 2025-02
    source: example-registry
    evidence: documented
  - subject: atlantis
    predicate: hosted
    object: example-summit
    start: 2023-04
    source: example-registry
    evidence: documented
"""


def test_the_build_writes_claims_with_references_and_warns_on_conflicts(data_dir: Path) -> None:
    (data_dir / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    result = validate(data_dir)
    g = result.graph
    claims = [c for c in g.subjects(RDF.subject, None) if (c, RDF.predicate, GG.buildsOn) in g]
    (claim,) = claims
    assert len(list(g.objects(claim, GG.reference))) == 2
    assert (
        str(g.value(claim, GG.start)) == "2025-02" and g.value(claim, GG.evidence) == GG.documented
    )
    (warning,) = result.manifest["warnings"]
    assert "extra.yaml" in warning and "fixture.yaml" in warning and "hosted" in warning
    assert result.manifest["claims"] == result.manifest["statements"] - 1
