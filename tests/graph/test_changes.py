"""What changed between builds: every build leaves a record in the store's history, and any two
records diff into entities and claims added, removed and changed (``graph.changes``,
``graph.history``)."""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.build import build
from graph.changes import RECORD_NAME, Diff, read_record
from graph.changes_report import diff_json, diff_text
from graph.claims import claim_key
from graph.history import History, UnknownVersion
from graph.schema import load_schema
from graph.storedir import KEEP_BUILDS, StoreDir
from tests.changes_edits import EXPECTED, NEW_LABEL, edit_week
from tests.conftest import FIXTURE_DATA


@dataclass(frozen=True)
class Week:
    """A store built from the fixture, then again after a week of edits."""

    root: Path
    old: str
    new: str

    @property
    def history(self) -> History:
        return History(self.root)

    def diff(self) -> Diff:
        return self.history.diff(self.old, self.new)


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Week:
    tmp = tmp_path_factory.mktemp("week")
    data = tmp / "data"
    shutil.copytree(FIXTURE_DATA, data)
    old = build(data, tmp / "store").manifest["version"]
    edit_week(data)
    new = build(data, tmp / "store").manifest["version"]
    return Week(tmp / "store", old, new)


# --- the record ----------------------------------------------------------------------------


def test_every_build_keeps_a_record_beside_its_manifest_and_in_the_history(week: Week) -> None:
    current = StoreDir(week.root).require_current()
    beside = current / RECORD_NAME
    kept = week.root / "history" / f"{week.new}.jsonl.gz"
    assert (current / "manifest.json").is_file() and beside.is_file()
    assert beside.read_bytes() == kept.read_bytes()


def test_a_record_is_gzipped_json_lines_of_sources_entities_and_claims(week: Week) -> None:
    lines = gzip.decompress((week.root / "history" / f"{week.old}.jsonl.gz").read_bytes())
    rows = [json.loads(line) for line in lines.splitlines()]
    assert rows[0] == {"kind": "build", "format": 1, "version": week.old}
    assert {r["kind"] for r in rows[1:]} == {"source", "entity", "claim"}
    signed = next(
        r for r in rows if r.get("key") == claim_key("atlantis", "signed", "example-declaration")
    )
    assert signed == {
        "kind": "claim",
        "key": claim_key("atlantis", "signed", "example-declaration"),
        "subject": "atlantis",
        "predicate": "signed",
        "object": "example-declaration",
        "start": "2023-03-01",
        "end": None,
        "evidence": "reported",
        "references": [
            {
                "source": "example-article",
                "quote": "Its Example Declaration was signed by Atlantis and Lemuria.",
                "evidence": "reported",
            }
        ],
    }


def test_a_record_counts_what_the_build_has(week: Week) -> None:
    record = read_record(week.root / "history" / f"{week.old}.jsonl.gz")
    assert (len(record.entities), len(record.claims)) == (9, 11)
    assert record.entities["example-report"]["start"] == "2024-05"
    assert record.sources["example-registry"]["title"] == "Example registry of offices"


def test_the_index_lists_each_version_with_its_build_time(week: Week) -> None:
    builds = week.history.builds()
    assert [b.version for b in builds] == [week.old, week.new]
    assert builds[-1].built_at == StoreDir(week.root).manifest()["built_at"]


def test_rebuilding_the_same_data_is_not_a_new_version(tmp_path: Path) -> None:
    result = build(FIXTURE_DATA, tmp_path / "store")
    history = History(tmp_path / "store")
    (tmp_path / "again").mkdir()
    later = {**result.manifest, "built_at": "2099-01-01T00:00:00+00:00"}
    history.add(tmp_path / "again", result.checked, later)  # what a second build records
    assert [b.built_at for b in history.builds()] == [result.manifest["built_at"]]


# --- the diff ------------------------------------------------------------------------------


def test_the_diff_finds_exactly_the_week_s_changes(week: Week) -> None:
    found = {(c.kind, c.change, c.id): c.fields for c in week.diff().changes}
    assert found == EXPECTED


def test_a_changed_claim_keeps_its_id_and_says_before_and_after(week: Week) -> None:
    key = claim_key("ada-example", "holds", "atlantis-foreign-minister", ordinal=1)
    item = next(i for i in diff_json(week.diff())["items"] if i["id"] == key)
    assert (item["change"], item["before"], item["after"]) == (
        "changed",
        {"start": "2020-01-15"},
        {"start": "2020-01-16"},
    )


def test_a_new_reference_is_a_changed_claim_citing_both_sources(week: Week) -> None:
    key = claim_key("atlantis", "hosted", "example-summit")
    item = next(i for i in diff_json(week.diff())["items"] if i["id"] == key)
    before = [s["id"] for s in item["before"]["references"]]
    after = [s["id"] for s in item["after"]["references"]]
    assert (before, after) == (["example-article"], ["example-registry", "example-article"])
    assert item["after"]["references"][0]["title"] == "Example registry of offices"


def test_removed_things_keep_their_labels_and_sources(week: Week) -> None:
    key = claim_key("bo-sample", "holds", "atlantis-foreign-minister")
    item = next(i for i in diff_json(week.diff(), load_schema())["items"] if i["id"] == key)
    assert item["subject"] == {"id": "bo-sample", "label": "Bo Sample", "type": "Person"}
    assert item["predicate_label"] == "held post"
    assert [s["title"] for s in item["sources"]] == ["Example registry of offices"]


def test_counts_add_up(week: Week) -> None:
    assert diff_json(week.diff())["counts"] == {
        "entities": {"added": 1, "removed": 1, "changed": 1},
        "claims": {"added": 1, "removed": 2, "changed": 2},
    }


def test_about_an_entity_keeps_its_changes_and_its_claims_changes(week: Week) -> None:
    about = week.diff().about("lemuria")
    assert {(c.kind, c.change) for c in about.changes} == {
        ("entity", "changed"),
        ("claim", "removed"),
    }


def test_the_text_says_what_changed_with_sources(week: Week) -> None:
    text = diff_text(week.diff(), load_schema())
    assert f"from {week.old}" in text and f"to {week.new}" in text
    assert "claims: 1 added, 2 removed, 2 changed" in text
    assert "start: '2020-01-15' -> '2020-01-16'" in text
    assert f"label: 'Lemuria' -> {NEW_LABEL!r}" in text
    assert "+ claim Narnia signed Example Declaration (2023-03-01)" in text
    assert "source: Example registry of offices (Example Government, 2025)" in text


def test_no_changes_says_so(week: Week) -> None:
    assert diff_text(week.history.diff(week.new, week.new)).endswith("no changes")


# --- naming builds -------------------------------------------------------------------------


def _backdate(history: History, *times: str) -> None:
    """Pretend the builds were made at ``times`` (the index is the history's clock)."""
    index = json.loads(history.index_path.read_text())
    for entry, when in zip(index, times, strict=True):
        entry["built_at"] = when
    history.index_path.write_text(json.dumps(index))


@pytest.mark.parametrize(
    ("ref", "which"),
    [
        ("old", "old"),  # a full version
        ("old[:6]", "old"),  # its first characters
        ("2025-03-01", "old"),  # a day: the latest build at or before its end
        ("2025-03-07", "old"),
        ("2025-03-08", "new"),
        ("2025-03", "new"),  # a month
        ("2025-03-08T09:00:00+00:00", "old"),  # a timestamp
    ],
)
def test_a_build_is_named_by_version_or_date(
    week: Week, tmp_path: Path, ref: str, which: str
) -> None:
    shutil.copytree(week.root / "history", tmp_path / "history")
    history = History(tmp_path)
    _backdate(history, "2025-03-01T09:00:00+00:00", "2025-03-08T10:00:00+00:00")
    given = {"old": week.old, "old[:6]": week.old[:6]}.get(ref, ref)
    assert history.resolve(given).version == getattr(week, which)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("0000000000000000", "names no build"),
        ("1999-12-31", "no build at or before 1999-12-31"),
        ("yesterday", "give a version"),
        ("2025-13", "'2025-13' is not a date"),
    ],
)
def test_an_unknown_build_is_an_error_naming_the_parameter(
    week: Week, ref: str, message: str
) -> None:
    with pytest.raises(UnknownVersion) as caught:
        week.history.resolve(ref, name="since")
    assert caught.value.parameter == "since" and message in str(caught.value)


# --- history outlives builds ---------------------------------------------------------------


def test_history_survives_pruning_of_old_builds(data_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    path = data_dir / "fixture.yaml"
    versions, said = [], "A fictional country."
    for n in range(KEEP_BUILDS + 1):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(said, said := f"Edit {n}."), encoding="utf-8")
        versions.append(build(data_dir, root).manifest["version"])
    assert len(list((root / "builds").iterdir())) == KEEP_BUILDS  # the first build is gone
    history = History(root)
    assert [b.version for b in history.builds()] == versions
    diff = history.diff(versions[0], versions[-1])
    assert [(c.id, c.fields) for c in diff.changes] == [("atlantis", ("description",))]


def test_first_seen_says_in_which_version_each_claim_first_appeared(week: Week) -> None:
    first = week.history.first_seen()
    assert first[claim_key("atlantis", "signed", "example-declaration")].version == week.old
    assert first[claim_key("narnia", "signed", "example-declaration")].version == week.new
    assert first[claim_key("lemuria", "signed", "example-declaration")].version == week.old


def test_first_seen_is_rebuilt_from_the_records_when_its_file_is_lost(
    week: Week, tmp_path: Path
) -> None:
    shutil.copytree(week.root / "history", tmp_path / "history")
    (tmp_path / "history" / "first_seen.json").unlink()
    assert History(tmp_path).first_seen() == week.history.first_seen()


def test_a_store_without_history_has_no_first_seen(tmp_path: Path) -> None:
    assert History(tmp_path).first_seen() == {}
    with pytest.raises(UnknownVersion, match="no history yet"):
        History(tmp_path).resolve("2025")
