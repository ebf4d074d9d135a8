"""The synthetic benchmark graph: deterministic, valid, and about the size asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.bench.synthetic import generate, parse_size, write
from graph.build import validate


def test_same_seed_same_records() -> None:
    assert generate(5_000, seed=3) == generate(5_000, seed=3)
    assert generate(5_000, seed=3) != generate(5_000, seed=4)


def test_it_builds_cleanly_at_about_the_size_asked(tmp_path: Path) -> None:
    write(generate(10_000), tmp_path / "syn")
    result = validate(tmp_path / "syn")
    assert 7_000 < result.manifest["triples"] < 14_000
    assert result.manifest["claims"] < result.manifest["statements"], "several sources a fact"
    assert result.manifest["warnings"] == []
    classes = result.manifest["classes"]
    for kind in ("Person", "Post", "Report", "Country", "SafetyInstitute", "Topic"):
        assert classes.get(kind), kind


def test_it_never_writes_into_a_folder_with_data(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("sources: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not empty"):
        write(generate(2_000), tmp_path)


@pytest.mark.parametrize(("text", "size"), [("10k", 10_000), ("1M", 1_000_000), ("2500", 2_500)])
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("bad", ["big", "10", "-5"])
def test_bad_sizes_say_what_to_use(bad: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(bad)
