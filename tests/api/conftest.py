"""API fixtures: the real app served by uvicorn on a free loopback port, and an HTTP client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from tests.live import LiveServer, serve

API_DATA = Path(__file__).parent.parent / "fixtures" / "api_data"


@pytest.fixture(scope="session")
def live(store_root: Path) -> Iterator[LiveServer]:
    """The app over the fixture graph, served for the whole session."""
    server = serve(create_app(store_root, check_interval=0.0))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live: LiveServer) -> str:
    return live.url


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def real_live(real_store_root: Path) -> Iterator[LiveServer]:
    """The app over the real data/ (built once per session; fails if data/ is invalid)."""
    server = serve(create_app(real_store_root, check_interval=0.0))
    yield server
    server.stop()
