"""The build: every fact becomes a sourced statement; bad data never replaces a good store."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.build import build, validate
from graph.oxigraph_store import OxigraphStore
from graph.problems import DataError
from graph.storedir import StoreDir


def test_every_claim_has_a_sourced_reference(store: OxigraphStore) -> None:
    result = store.select("""SELECT (COUNT(*) AS ?n) WHERE {
        ?claim a rdf:Statement
        FILTER NOT EXISTS { ?claim gg:reference/prov:wasDerivedFrom ?s } }""")
    assert int(result.rows[0]["n"]) == 0


def test_influence_is_materialised_for_property_paths(store: OxigraphStore) -> None:
    assert store.ask("ASK { ?a gg:influencedBy/gg:influencedBy ?b }")
    assert store.ask("ASK { id:example-panel gg:influencedBy+ id:example-summit }")


def test_relations_are_stored_twice(store: OxigraphStore) -> None:
    assert store.ask("ASK { id:atlantis gg:signed id:example-declaration }")
    assert store.ask("""ASK { ?claim rdf:subject id:atlantis ; rdf:predicate gg:signed ;
        rdf:object id:example-declaration ; gg:evidence gg:reported ;
        gg:start "2023-03-01"^^xsd:date ; gg:reference ?ref .
        ?ref a gg:Reference ; prov:wasDerivedFrom src:example-article ; gg:quote ?q ;
             gg:evidence gg:reported }""")


def test_partial_dates_are_typed_by_precision(store: OxigraphStore) -> None:
    assert store.ask('ASK { ?st rdf:subject id:atlantis ; gg:start "2023-03"^^xsd:gYearMonth }')


def test_labels_in_other_languages(store: OxigraphStore) -> None:
    assert store.ask('ASK { id:atlantis rdfs:label "亚特兰蒂斯"@zh-Hans ; skos:altLabel "RoA" }')


def test_claim_ids_are_deterministic(data_dir: Path, tmp_path: Path) -> None:
    query = "SELECT ?st WHERE { ?st a rdf:Statement } ORDER BY ?st"
    first = build(data_dir, tmp_path / "a")
    second = build(data_dir, tmp_path / "b")
    ids = [StoreDir(r).open().select(query).rows for r in (tmp_path / "a", tmp_path / "b")]
    assert ids[0] == ids[1] and len(ids[0]) == 11
    assert first.manifest["version"] == second.manifest["version"]


def test_manifest_counts(store_root: Path) -> None:
    manifest = StoreDir(store_root).manifest()
    assert manifest["entities"] == 9 and manifest["statements"] == 11
    assert manifest["classes"]["Person"] == 2
    assert len(manifest["version"]) == 16


BROKEN = {
    "broken reference": (
        "object: example-declaration",
        "object: no-such-thing",
        "unknown entity 'no-such-thing'",
    ),
    "bad date": ("start: 2024-06-30\n", "start: 2024-13-45\n", "has month 13"),
    "duplicate id": ("id: lemuria", "id: atlantis", "duplicate entity id 'atlantis'"),
    "unknown predicate": ("predicate: hosted", "predicate: hostedd", "unknown predicate"),
    "wrong range": (
        "predicate: hosted\n    object: example-summit",
        "predicate: hosted\n    object: lemuria",
        "needs one of Event",
    ),
    "quote not verbatim": (
        "quote: which Atlantis funded",
        "quote: which Atlantis paid for",
        "not a verbatim substring",
    ),
    "bad evidence": ("evidence: documented", "evidence: rumoured", "rumoured"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_data_fails_with_file_and_line_and_keeps_previous_store(
    case: str, data_dir: Path, tmp_path: Path
) -> None:
    root = tmp_path / "store"
    build(data_dir, root)
    before = StoreDir(root).current()
    path = data_dir / "fixture.yaml"
    old, new, message = BROKEN[case]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build(data_dir, root)
    problems = [str(p) for p in caught.value.problems]
    assert any(message in p and "fixture.yaml:" in p for p in problems), problems
    assert StoreDir(root).current() == before
    assert StoreDir(root).open().ask("ASK { id:atlantis gg:hosted id:example-summit }")


def test_all_problems_are_reported_in_one_run(data_dir: Path) -> None:
    path = data_dir / "fixture.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "object: example-declaration", "object: nowhere"
    )
    path.write_text(text.replace("predicate: hosted", "predicate: hostedd"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        validate(data_dir)
    assert len(caught.value.problems) == 3  # two broken references, one predicate


def test_line_numbers_point_at_the_field(data_dir: Path) -> None:
    path = data_dir / "fixture.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index("    predicate: hosted") + 1
    lines[line - 1] = "    predicate: hostedd"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        validate(data_dir)
    assert [p.location.line for p in caught.value.problems] == [line]


def test_missing_data_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="data folder not found"):
        validate(tmp_path / "nope")


def test_source_text_that_is_not_utf8_is_a_clear_problem(data_dir: Path) -> None:
    (data_dir / "texts" / "example-article.txt").write_bytes(b"caf\xe9 au lait\n")
    with pytest.raises(DataError) as caught:
        validate(data_dir)
    (problem,) = caught.value.problems
    assert problem.field == "text" and "not valid UTF-8" in problem.message
