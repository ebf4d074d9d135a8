"""Search finds an entity by any name: labels in any language, aliases, small typos."""

from __future__ import annotations

import pytest

from graph.oxigraph_store import OxigraphStore
from graph.search import SearchIndex


@pytest.fixture(scope="module")
def index(store: OxigraphStore) -> SearchIndex:
    return SearchIndex.from_store(store)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Atlantis", "atlantis"),
        ("atlantis", "atlantis"),
        ("亚特兰蒂斯", "atlantis"),
        ("亞特蘭蒂斯", "atlantis"),  # traditional characters fold to simplified
        ("RoA", "atlantis"),
        ("Atlantsi", "atlantis"),
        ("艾达", "ada-example"),
        ("Example Summit", "example-summit"),
        ("Exmaple Declaration", "example-declaration"),
    ],
)
def test_finds_by_any_name(index: SearchIndex, text: str, expected: str) -> None:
    assert index.search(text)[0].id == expected


def test_exact_label_ranks_above_alias_and_fuzzy(index: SearchIndex) -> None:
    hits = index.search("Example Summit")
    assert hits[0].score > hits[-1].score or len(hits) == 1
    assert index.search("Atlantis")[0].score == 100.0


def test_type_filter_admits_subclasses(index: SearchIndex) -> None:
    assert {h.type for h in index.search("example", type="Event")} == {"Summit"}
    assert {h.type for h in index.search("example", type="Document")} <= {"Declaration", "Report"}


def test_nonsense_finds_nothing(index: SearchIndex) -> None:
    assert index.search("zzzzqqq") == []
    assert index.search("   ") == []
