"""Fixtures for the network views: fictional graphs, a live app on a random port, chromium."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml
from fastapi import FastAPI

from graph.build import build
from tests.conftest import skip_or_fail

VIEWS_DATA = Path(__file__).parent.parent / "fixtures" / "views"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BIG_NODES = 560


def make_app(store_root: Path) -> FastAPI:
    """The real app over ``store_root`` (with the views router, even before app.py lists it)."""
    from api.app import create_app
    from api.routes import views

    app = create_app(store_root)
    if not any(getattr(r, "path", "").startswith("/views/") for r in app.routes):
        app.include_router(views.router)
    return app


def big_graph_data(folder: Path, nodes: int = BIG_NODES) -> Path:
    """A generated fictional graph of ``nodes`` entities: countries, bodies, summits, reports."""
    folder.mkdir(parents=True, exist_ok=True)
    countries = [f"land-{i}" for i in range(nodes // 14)]
    bodies = [f"body-{i}" for i in range(nodes // 4)]
    summits = [f"meet-{i}" for i in range(nodes // 7)]
    reports = [f"paper-{i}" for i in range(nodes - len(countries) - len(bodies) - len(summits))]
    src = "generated"
    entities: list[dict[str, Any]] = []
    entities += [{"id": c, "type": "Country", "label": f"Land {c[5:]}"} for c in countries]
    entities += [{"id": b, "type": "ResearchGroup", "label": f"Body {b[5:]}"} for b in bodies]
    entities += [
        {"id": s, "type": "Summit", "label": f"Meeting {i}", "start": f"{2000 + i % 25}-05"}
        for i, s in enumerate(summits)
    ]
    entities += [
        {"id": r, "type": "Report", "label": f"Paper {i}", "start": f"{2000 + i % 25}"}
        for i, r in enumerate(reports)
    ]
    for e in entities:
        e["sources"] = [src]
    statements = []

    def link(s: str, p: str, o: str, start: str | None = None) -> None:
        st = {"subject": s, "predicate": p, "object": o, "source": src, "evidence": "inferred"}
        if start:
            st["start"] = start
        statements.append(st)

    for i, s in enumerate(summits):
        link(countries[i % len(countries)], "hosted", s, f"{2000 + i % 25}-05")
    for i, b in enumerate(bodies):
        link(b, "memberOf", countries[i % len(countries)])
        link(b, "attended", summits[i % len(summits)])
    for i, r in enumerate(reports):
        link(r, "commissionedBy", summits[i % len(summits)], f"{2000 + i % 25}")
        link(r, "editedBy", bodies[(i * 7) % len(bodies)])
        if i:
            link(r, "buildsOn", reports[(i * 3) // 4])
    doc = {
        "sources": [{"id": src, "title": "Generated test source", "publisher": "Tests"}],
        "entities": entities,
        "statements": statements,
    }
    (folder / "big.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return folder


@dataclass
class LiveServer:
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(app: FastAPI) -> LiveServer:
    """Run ``app`` with uvicorn on 127.0.0.1 at a random free port, in a thread."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)


@pytest.fixture(scope="session")
def views_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("views-store")
    build(VIEWS_DATA, root)
    return root


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = big_graph_data(tmp_path_factory.mktemp("big-data"))
    root = tmp_path_factory.mktemp("big-store")
    build(data, root)
    return root


@pytest.fixture(scope="session")
def live(views_store: Path) -> Iterator[str]:
    server = serve(make_app(views_store))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def live_big(big_store: Path) -> Iterator[str]:
    server = serve(make_app(big_store))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright for Python is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


_SHOTS: list[Path] = []


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder (under pytest's tmp path) for every view's 1280x800 screenshot."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    _SHOTS.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for folder in _SHOTS:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"view screenshots ({count}): {folder}")
