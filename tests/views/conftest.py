"""Fixtures for the network views: fictional graphs, a live app on a random port, chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI

from graph.build import build
from tests.live import serve

VIEWS_DATA = Path(__file__).parent.parent / "fixtures" / "views"
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
