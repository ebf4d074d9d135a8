"""The /views routes over HTTP (no browser): data, errors, assets, framing."""

from __future__ import annotations

import httpx
import pytest

from graph.views import VIS_ASSETS, asset_path
from tests.views.test_views import _payload


@pytest.fixture(scope="module")
def client(live: str) -> httpx.Client:
    return httpx.Client(base_url=live, timeout=30)


@pytest.mark.parametrize(
    "url",
    [
        "/views/entity/nova-report",
        "/views/entity/https://w3id.org/govgraph/id/nova-report",
        "/views/path?from=nova-institute&to=nova-summit",
        "/views/lineage/nova-institute?direction=upstream&depth=2",
        "/views/graph?type=Event,Document&from=2019",
    ],
)
def test_each_view_has_html_and_the_same_data_as_json(client: httpx.Client, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="json-link"' in page.text and "<iframe src=" not in page.text
    data = client.get(url + ("&" if "?" in url else "?") + "format=json").json()
    assert data["nodes"] and data["version"]
    drawn = _payload(page.text)["nodes"]
    assert [n["id"] for n in drawn] == [n["id"] for n in data["nodes"]]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/views/entity/no-such-entity", 404),
        ("/views/lineage/no-such-entity", 404),
        ("/views/path?from=nova-summit&to=nobody", 404),
        ("/views/path?from=nova-summit", 422),
        ("/views/lineage/nova-summit?depth=99", 422),
        ("/views/graph?type=Spaceship", 422),
        ("/views/graph?from=0000", 422),
        ("/views/graph?to=soon", 422),
        ("/views/static/../../network.py", 404),
        ("/views/static/tom-select.js", 404),
    ],
)
def test_bad_requests_get_clear_errors(client: httpx.Client, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    if status != 404 or "static" not in url:
        assert response.json()["detail"]


def test_vis_network_is_served_by_the_app(client: httpx.Client) -> None:
    for name, media_type in VIS_ASSETS.items():
        response = client.get(f"/views/static/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
        assert response.content == asset_path(name).read_bytes()


def test_the_embed_page_may_be_framed(client: httpx.Client) -> None:
    embed = client.get("/views/entity/nova-report?embed=true")
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    assert "x-frame-options" not in embed.headers
    assert "<h1>" not in embed.text and 'id="network"' in embed.text


def test_links_point_at_json_api_and_embed(client: httpx.Client, live: str) -> None:
    text = client.get("/views/lineage/nova-institute?depth=2").text
    assert 'href="/views/lineage/nova-institute?depth=2&amp;format=json"' in text
    assert 'href="/api/lineage/nova-institute?direction=upstream&amp;depth=2"' in text
    assert f"{live}/views/lineage/nova-institute?depth=2&amp;amp;embed=true" in text
