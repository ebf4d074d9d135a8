"""The HTML pages in headless Chromium: the SPARQL page runs queries and shows a table; the
/id page shows a profile; data is never executed as markup."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.live import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.dialogs: list[str] = []  # type: ignore[misc]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    outside: list[str] = []
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith("http://127.0.0.1") else None,
    )
    yield page
    context.close()
    assert not outside, f"the page loaded resources from outside: {outside}"


def test_sparql_page_runs_a_query_and_shows_a_table(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/sparql")
    page.fill(
        "#query",
        "SELECT ?who ?name WHERE { ?who gg:signed id:example-declaration ; rdfs:label ?name "
        "FILTER(LANG(?name) = 'en') } ORDER BY ?name",
    )
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    headers = page.locator("table.results th").all_inner_texts()
    assert headers == ["who", "name"]
    names = page.locator("table.results tbody tr td:nth-child(2)").all_inner_texts()
    assert [n.split("@")[0] for n in names] == ["Atlantis", "Lemuria"]
    assert page.inner_text("#status") == "2 rows"
    page.click("table.results tbody tr:first-child td:first-child a")
    page.wait_for_selector("h1")
    assert page.inner_text("h1").startswith("Atlantis")


def test_sparql_page_links_only_web_iris(page: Any, base_url: str) -> None:
    """A shared query link whose results hold a ``javascript:`` IRI shows it as text: a click
    on it must not run script in the app's origin."""
    page.goto(f"{base_url}/sparql")
    page.fill(
        "#query",
        'SELECT ?x ?y WHERE { BIND(IRI("javascript:window.__xss=1") AS ?x) '
        'BIND(IRI("https://example.org/a") AS ?y) }',
    )
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    first = page.locator("table.results tbody tr td:nth-child(1)")
    assert first.inner_text() == "javascript:window.__xss=1"
    assert first.locator("a").count() == 0
    second = page.locator("table.results tbody tr td:nth-child(2) a")
    assert second.get_attribute("href") == "https://example.org/a"


def test_sparql_page_shows_errors(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/sparql")
    page.fill("#query", "SELEKT nothing")
    page.click("#run")
    page.wait_for_selector("pre.error")
    assert "syntax" in page.inner_text("pre.error").lower()


def test_id_page_shows_relations_and_sources_escaped(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/id/bo-sample")
    assert page.inner_text("h1").startswith("Bo Sample")
    assert "<script>alert('label')</script>" in page.inner_text(".description")
    assert page.locator(".description b").count() == 0
    assert page.dialogs == []
    assert "held post" in page.inner_text("table.relations")
    page.goto(f"{base_url}/id/atlantis")
    assert "Its Example Declaration was signed by Atlantis and Lemuria." in page.inner_text(
        "table.relations"
    )


@pytest.mark.slow
def test_an_example_runs_on_the_real_data(page: Any, real_live: LiveServer) -> None:
    page.goto(f"{real_live.url}/sparql")
    page.click('a[data-example="bletchley-signatories"]')
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results tbody tr").count() >= 10
    assert "china" in page.inner_text("table.results").lower()


def test_api_docs_render_offline(page: Any, base_url: str) -> None:
    """Swagger UI comes from the app itself (the page fixture fails on any outside request)
    and renders every route with no page error."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert "/api/search" in page.inner_text("body")
    assert not errors
