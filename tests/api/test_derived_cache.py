"""A build keeps what serving derives from it (projection, search index, entity sources) beside
it, so the first start reads it back; the app derives and keeps it when the file is missing,
and never trusts a stale or torn file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import api.state as state
import graph.derived as derived_cache
from api.runner import ThreadRunner
from api.state import LocalBuilds, load_snapshot
from graph.build import build
from graph.rdf_import import import_file
from graph.store import Store
from tests.conftest import FIXTURE_DATA


def _runner(store: Store) -> ThreadRunner:
    return ThreadRunner(store, max_length=10_000, max_depth=50)


@pytest.fixture
def builds(store_root: Path, tmp_path: Path) -> LocalBuilds:
    root = tmp_path / "store"
    shutil.copytree(store_root, root)
    for leftover in root.rglob(derived_cache.NAME):
        leftover.unlink()
    return LocalBuilds(root)


def _current(builds: LocalBuilds) -> str:
    build = builds.current()
    assert build is not None
    return build


def _forbid_deriving(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> derived_cache.Derived:
        raise AssertionError("derived again although the cache was fresh")

    monkeypatch.setattr(state, "derive", refuse)


def test_a_build_keeps_its_derived_data_so_the_first_start_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    build(FIXTURE_DATA, root)
    builds = LocalBuilds(root)
    current = _current(builds)
    assert (builds.store_dir.builds / current / derived_cache.NAME).is_file()
    stages = builds.store_dir.manifest()["stage_seconds"]
    assert list(stages) == ["read", "checks", "rdf", "load", "shapes", "derive", "store"]
    _forbid_deriving(monkeypatch)
    snapshot = load_snapshot(builds, current, _runner)
    assert [h.id for h in snapshot.search.search("Atlantis")][:1] == ["atlantis"]
    assert snapshot.network.number_of_nodes() == 9


def test_the_first_start_keeps_the_derived_data_and_the_next_reads_it(
    builds: LocalBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = _current(builds)
    first = load_snapshot(builds, build, _runner)
    assert (builds.store_dir.builds / build / derived_cache.NAME).is_file()
    _forbid_deriving(monkeypatch)
    second = load_snapshot(builds, build, _runner)
    assert dict(first.network.nodes(data=True)) == dict(second.network.nodes(data=True))
    assert list(first.network.edges(keys=True, data=True)) == list(
        second.network.edges(keys=True, data=True)
    )
    assert second.network.graph.keys() == first.network.graph.keys()
    assert first.entity_sources == second.entity_sources
    assert [h.id for h in second.search.search("Atlantis")] == [
        h.id for h in first.search.search("Atlantis")
    ]


def test_a_cache_from_other_code_is_derived_again(
    builds: LocalBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = _current(builds)
    load_snapshot(builds, build, _runner)
    monkeypatch.setattr(derived_cache, "FORMAT", derived_cache.FORMAT + 1)
    calls = []
    real = state.derive

    def counting(*args: object, **kwargs: object) -> derived_cache.Derived:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(state, "derive", counting)
    load_snapshot(builds, build, _runner)
    assert calls == [1]


def test_a_torn_cache_file_is_ignored_and_rewritten(builds: LocalBuilds) -> None:
    build = _current(builds)
    path = builds.store_dir.builds / build / derived_cache.NAME
    path.write_bytes(b"\x80\x05not a pickle")
    snapshot = load_snapshot(builds, build, _runner)
    assert snapshot.network.number_of_nodes() > 0
    assert derived_cache.load_derived(path.parent) is not None


def test_an_import_keeps_the_derived_data_of_the_union(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    build(FIXTURE_DATA, root)
    extra = tmp_path / "extra.nt"
    extra.write_text(
        "<https://w3id.org/govgraph/id/atlantis> <http://www.w3.org/2004/02/skos/core#altLabel>"
        ' "Poseidonis" .\n',
        encoding="utf-8",
    )
    manifest = import_file(extra, root)
    builds = LocalBuilds(root)
    current = _current(builds)
    assert (builds.store_dir.builds / current / derived_cache.NAME).is_file()
    assert manifest["stage_seconds"].keys() == {"read", "shapes", "derive", "store"}
    _forbid_deriving(monkeypatch)
    snapshot = load_snapshot(builds, current, _runner)
    assert [h.id for h in snapshot.search.search("Poseidonis")][:1] == ["atlantis"]
