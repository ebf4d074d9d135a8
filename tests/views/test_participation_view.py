"""``/views/participation`` in headless Chromium: the table shows the API's matrix.

What it must do: one row per API row in the same order, a marked cell exactly where the API
has a cell, with the same relations and a tooltip naming the sources; hostile labels show as
text and run nothing; the page loads nothing but itself (no script, no CDN: it works
offline); its header row and actor column stay in view while a large table scrolls; and it
may be framed by another site.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.browser

XSS_IMG = "<img src=x onerror=window.__xss=1>"

_TABLE = """() => [...document.querySelectorAll("tbody tr")].map(tr => ({
    actor: tr.dataset.actor,
    label: tr.querySelector("th a").textContent,
    cells: [...tr.querySelectorAll("td.in")].map(td => ({
        column: td.dataset.column, relations: td.dataset.relations.split(" "), title: td.title
    })),
    empty: [...tr.querySelectorAll("td.out")].map(td => td.dataset.column)
}))"""


@dataclass
class Watched:
    """A page with everything it requested and every error it logged."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    w = Watched(page)
    page.on("request", lambda r: w.requests.append(r.url))
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: m.type == "error" and w.errors.append(m.text))
    yield w
    page.close()


def _get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=30, trust_env=False)


@pytest.mark.parametrize("query", ["of=summits", "of=declarations", "of=summits&embed=true"])
def test_cells_are_the_api_cells_and_nothing_else_loads(
    watched: Watched, live: str, query: str
) -> None:
    page = watched.page
    url = f"{live}/views/participation?{query}"
    page.goto(url)
    api = _get(f"{live}/api/participation?{query.replace('&embed=true', '')}").json()
    drawn = page.evaluate(_TABLE)
    assert [r["actor"] for r in drawn] == [r["actor"]["id"] for r in api["rows"]]
    columns = [c["id"] for c in api["columns"]]
    for shown, row in zip(drawn, api["rows"], strict=True):
        assert shown["label"] == row["actor"]["label"]
        assert [c["column"] for c in shown["cells"]] == row["in"]
        assert shown["empty"] == [c for c in columns if c not in row["in"]]
        for cell in shown["cells"]:
            expected = row["cells"][cell["column"]]
            assert cell["relations"] == expected["relations"]
            assert all(s["title"] in cell["title"] for s in expected["sources"][:4])
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert watched.requests == [url], "loads nothing but the page: works offline"
    assert watched.errors == []


def test_hostile_labels_show_as_text(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(f"{live}/views/participation?of=summits")
    assert page.locator('tr[data-actor="xss-img"] th a').inner_text() == XSS_IMG
    title = page.locator('tr[data-actor="xss-img"] td.in').get_attribute("title")
    assert title.startswith(f"{XSS_IMG} · Nova Summit\nattended")


def test_header_row_and_actor_column_stay_in_view(browser: Any, live_big: str) -> None:
    page = browser.new_page(viewport={"width": 900, "height": 600})
    page.goto(f"{live_big}/views/participation?of=summits")
    corner = page.locator("thead th").first.bounding_box()
    actor = page.locator("tbody th").first.bounding_box()
    page.locator("#matrix").evaluate("el => el.scrollTo(600, 900)")
    assert page.locator("#matrix").evaluate("el => el.scrollTop > 0 && el.scrollLeft > 0")
    assert page.locator("thead th").first.bounding_box() == corner
    row = page.locator("tbody tr").nth(25).locator("th").bounding_box()
    assert row["x"] == actor["x"], "the actor column stays at the left edge"
    page.close()


def test_embed_may_be_framed_by_any_site(live: str) -> None:
    r = _get(f"{live}/views/participation?of=summits&embed=true")
    assert "x-frame-options" not in r.headers
    assert "frame-ancestors *" in r.headers["content-security-policy"]
