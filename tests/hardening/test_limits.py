"""The limits middleware on the real app: body caps (declared and streamed) and page headers."""

from __future__ import annotations

from collections.abc import Iterator

from api.limits import CSP
from tests.hardening.conftest import HARDENED, LiveServer


def test_declared_oversized_body_gets_413(live: LiveServer) -> None:
    body = b"query=" + b"x" * (HARDENED.max_body_bytes + 1)
    with live.client() as client:
        response = client.post(
            "/sparql", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
        )
    assert response.status_code == 413
    assert str(HARDENED.max_body_bytes) in response.json()["error"]


def test_streamed_oversized_body_gets_413(live: LiveServer) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(HARDENED.max_body_bytes // 10_000 + 5):
            yield b"#" * 10_000

    with live.client() as client:
        response = client.post(
            "/sparql", content=chunks(), headers={"content-type": "application/sparql-query"}
        )
    assert response.status_code == 413


def test_body_under_the_cap_is_served(live: LiveServer) -> None:
    with live.client() as client:
        response = client.post(
            "/sparql",
            content=b"ASK { ?s ?p ?o }",
            headers={"content-type": "application/sparql-query"},
        )
    assert response.status_code == 200


def test_html_pages_get_a_content_security_policy(live: LiveServer) -> None:
    with live.client() as client:
        page = client.get("/sparql", headers={"accept": "text/html"})
        data = client.get("/api/entities/atlantis")
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CSP
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in data.headers
    assert data.headers["x-frame-options"] == "DENY"
