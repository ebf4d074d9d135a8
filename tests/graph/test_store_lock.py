"""Builds that finish at the same time take turns to record their history: none is lost."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import graph.history as history
from graph.build import validate
from graph.history import History
from graph.storedir import StoreDir
from tests.conftest import FIXTURE_DATA


def test_concurrent_builds_each_keep_their_history_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = validate(FIXTURE_DATA)
    store_dir = StoreDir(tmp_path / "store")
    slow_builds = History.builds

    def builds_slowly(self: History) -> list[history.BuildEntry]:
        found = slow_builds(self)
        time.sleep(0.05)  # widen the read-modify-write window a lost update needs
        return found

    monkeypatch.setattr(History, "builds", builds_slowly)

    def finish(n: int) -> None:
        manifest = {**checked.manifest, "version": f"{n:x}" * 16, "built_at": f"2026-01-0{n + 1}"}
        target = store_dir.new_build(manifest["version"])
        with store_dir.locked():
            History(store_dir.root).add(target, checked.checked, manifest)
            store_dir.commit(target, manifest)

    threads = [threading.Thread(target=finish, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    versions = {entry.version for entry in History(store_dir.root).builds()}
    assert versions == {f"{n:x}" * 16 for n in range(6)}
