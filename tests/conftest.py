"""Shared fixtures: a tiny fictional graph (tests/fixtures/data) built once per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.build import build, validate
from graph.network import project
from graph.oxigraph_store import OxigraphStore
from graph.remote_store import RemoteStore
from graph.store import Store
from graph.storedir import StoreDir
from tests.live import CHROMIUM, CHROMIUM_ARGS
from tests.virtuoso import ISQL, VIRTUOSO, running_virtuoso

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
REPO_DATA = Path(__file__).parent.parent / "data"
REQUIRE_ALL = os.environ.get("GOVGRAPH_REQUIRE_ALL") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose external tool is missing, unless CI demands everything runs."""
    if REQUIRE_ALL:
        pytest.fail(f"GOVGRAPH_REQUIRE_ALL=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (never Playwright's own download).

    Module-scoped: Playwright's sync API holds an event loop on this thread while it runs,
    which must be gone before tests that call ``asyncio.run``.
    """
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
def virtuoso_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway Virtuoso on 127.0.0.1 (started once per session)."""
    if not (VIRTUOSO and ISQL):
        skip_or_fail("virtuoso-opensource is not installed (apt-get install virtuoso-opensource)")
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest, store_root: Path) -> Store:
    """The fixture graph in each store backend: the same tests run on both."""
    if request.param == "oxigraph":
        return StoreDir(store_root).open()
    remote = RemoteStore(request.getfixturevalue("virtuoso_endpoint"))
    remote.load(validate(FIXTURE_DATA).graph)
    return remote


@pytest.fixture(scope="session")
def network(store: Store) -> nx.MultiDiGraph:
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
