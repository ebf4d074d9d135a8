"""API fixtures: the real app served by uvicorn on a free loopback port, and an HTTP client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from api.app import create_app

API_DATA = Path(__file__).parent.parent / "fixtures" / "api_data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@dataclass
class LiveServer:
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(app: FastAPI) -> LiveServer:
    """Run ``app`` with uvicorn on a free 127.0.0.1 port in a thread, until ``stop()``."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)


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
