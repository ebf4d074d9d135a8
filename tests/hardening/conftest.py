"""Fixtures for the hostile-input suite: a store with a big generated graph beside the fixture
data, a live server on loopback running the hardened stack, and a local listener that records
any connection (no test ever makes a real outbound request)."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace

from api.app import create_app
from api.settings import Settings
from graph.build import validate
from graph.oxigraph_store import OxigraphStore
from graph.storedir import StoreDir
from tests.conftest import FIXTURE_DATA
from tests.live import LiveServer, serve

EX = Namespace("http://example.org/big/")
BIG_NODES = 3000

HARDENED = Settings(
    query_timeout_s=2.0,
    query_memory_mb=2048,  # address space, not RSS: RocksDB reserves ~0.5-1 GB on open
    query_workers=2,
    max_rows=10_000,
    max_body_bytes=200_000,
    client_concurrency=4,
    queue_timeout_s=10.0,
    client_workers=1,
    client_query_seconds_per_minute=600.0,  # the attack tests all come from 127.0.0.1
)


def big_graph(nodes: int = BIG_NODES) -> Graph:
    """A connected graph where ``(ex:p|^ex:p)*`` reaches every node from every node."""
    g = Graph()
    for i in range(nodes):
        g.add((EX[f"n{i}"], EX.p, EX[f"n{(i + 1) % nodes}"]))
        g.add((EX[f"n{i}"], EX.p, EX[f"n{(i * 7 + 3) % nodes}"]))
        g.add((EX[f"n{i}"], EX.label, Literal(f"node {i} " + "ab" * 10)))
    return g


def make_store(root: Path, extra: Graph | None = None) -> Path:
    """Build the fixture data (plus ``extra``) into ``root`` the way ``build`` does."""
    result = validate(FIXTURE_DATA)
    graph = result.graph
    if extra is not None:
        graph += extra
    store_dir = StoreDir(root)
    version = hashlib.sha256(f"{result.manifest['version']}{len(graph)}".encode()).hexdigest()
    target = store_dir.new_build(version)
    store = OxigraphStore.open(target / "store", read_only=False)
    store.load(graph)
    store.close()
    store_dir.commit(target, {**result.manifest, "triples": len(graph)})
    return root


@pytest.fixture(scope="session")
def big_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("big-store"), big_graph())


@pytest.fixture(scope="module")
def live(big_root: Path) -> Iterator[LiveServer]:
    server = serve(create_app(big_root, settings=HARDENED, check_interval=0.5))
    yield server
    server.stop()


@dataclass
class Listener:
    """A TCP listener on loopback that records every connection it receives."""

    port: int
    hits: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@pytest.fixture
def listener() -> Iterator[Listener]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.1)
    found = Listener(sock.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    found.hits.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    found.hits.append(b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join(2)
    sock.close()
