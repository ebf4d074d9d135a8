"""Shared fixtures: a tiny fictional graph (tests/fixtures/data) built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import networkx as nx
import pytest

from graph.build import build
from graph.network import project
from graph.oxigraph_store import OxigraphStore
from graph.storedir import StoreDir

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
REPO_DATA = Path(__file__).parent.parent / "data"
REQUIRE_ALL = os.environ.get("GOVGRAPH_REQUIRE_ALL") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose external tool is missing, unless CI demands everything runs."""
    if REQUIRE_ALL:
        pytest.fail(f"GOVGRAPH_REQUIRE_ALL=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private, editable copy of the fixture data."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


@pytest.fixture(scope="session")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    build(FIXTURE_DATA, root)
    return root


@pytest.fixture(scope="session")
def store(store_root: Path) -> OxigraphStore:
    return StoreDir(store_root).open()


@pytest.fixture(scope="session")
def network(store: OxigraphStore) -> nx.MultiDiGraph:
    return project(store)


@pytest.fixture(scope="session")
def real_store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data/ built once per session; fails (never skips) if data/ is invalid."""
    from graph.problems import DataError

    root = tmp_path_factory.mktemp("real-store")
    try:
        build(REPO_DATA, root)
    except DataError as exc:
        pytest.fail(f"data/ does not build:\n{exc}")
    return root


@pytest.fixture(scope="session")
def real_store(real_store_root: Path) -> OxigraphStore:
    return StoreDir(real_store_root).open()
