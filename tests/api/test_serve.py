"""``govgraph serve``: builds first when there is no store, prints the URL, runs the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from graph.cli import COMMANDS, main
from graph.storedir import StoreDir
from tests.conftest import FIXTURE_DATA


def test_serve_builds_first_and_prints_the_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    store = tmp_path / "store"
    argv = ["serve", "--store", str(store), "--data", str(FIXTURE_DATA), "--port", "8765"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8765/" in out
    assert StoreDir(store).current() is not None
    (call,) = calls
    assert isinstance(call["app"], FastAPI)
    assert (call["host"], call["port"]) == ("127.0.0.1", 8765)
    build = StoreDir(store).current()
    assert main(argv) == 0 and StoreDir(store).current() == build  # no rebuild


def test_serve_is_a_command() -> None:
    assert "serve" in COMMANDS
