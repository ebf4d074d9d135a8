"""``/views/timeline``: the items of ``/api/timeline`` on a time axis (vis-timeline, vendored).

What it must do: draw exactly the API's items (same ids, same count) for the same parameters;
filter them by class (subclasses included), dates and evidence; refuse bad parameters with a
422 that names the parameter; show partial dates as the year or month they cover; show every
label and tooltip as text; open a profile on click (a new tab when embedded); work offline
and inside someone else's page on a 390 px phone.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
import tomllib
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.pages import STATIC_DIR
from api.timeline_view import about, axis
from graph.schema import load_schema
from tests.live import serve
from tests.views.conftest import make_app

VENDOR = STATIC_DIR / "vendor" / "vis-timeline"
XSS_IMG = "<img src=x onerror=window.__xss=1>"
XSS_SCRIPT = "<script>window.__xss=2</script>"


@pytest.fixture(scope="module")
def client(live: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live, timeout=30, trust_env=False) as c:
        yield c


def _api_items(client: httpx.Client, query: str) -> list[dict[str, Any]]:
    data = client.get(f"/api/timeline?{query}&limit=1000").json()
    assert not data["truncated"]
    return list(data["items"])


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    """What identifies an item of the API: its kind, claim or entity, and date."""
    return (item["kind"], item.get("claim"), (item.get("entity") or {}).get("id"), item["date"])


def _page_payload(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', html)
    assert match, "the page carries its items as JSON"
    return dict(json.loads(match.group(1)))


# --- where an item sits and what it is about ------------------------------------------------


@pytest.mark.parametrize(
    ("date", "end", "expected"),
    [
        ("2023-11-05", None, {"start": "2023-11-05", "end": None, "precision": "day"}),
        ("2023-11", None, {"start": "2023-11-01", "end": "2023-12-01", "precision": "month"}),
        ("2023", None, {"start": "2023-01-01", "end": "2024-01-01", "precision": "year"}),
        ("2024-02", None, {"start": "2024-02-01", "end": "2024-03-01", "precision": "month"}),
        (
            "2019-05-10",
            "2019-05-12",
            {"start": "2019-05-10", "end": "2019-05-13", "precision": "day"},
        ),
        ("2019-05-10", "2023", {"start": "2019-05-10", "end": "2024-01-01", "precision": "year"}),
        ("2019", "2020-06-30", {"start": "2019-01-01", "end": "2020-07-01", "precision": "year"}),
    ],
)
def test_a_partial_date_spans_the_year_or_month_it_covers(
    date: str, end: str | None, expected: dict[str, Any]
) -> None:
    assert axis(date, end) == expected


def _ref(ident: str, kind: str) -> dict[str, str]:
    return {"id": ident, "label": ident.title(), "type": kind}


@pytest.mark.parametrize(
    ("subject", "obj", "focus", "expected"),
    [
        (_ref("china", "Country"), _ref("bletchley", "Declaration"), "china", "bletchley"),
        (_ref("china", "Country"), _ref("bletchley", "Declaration"), None, "bletchley"),
        (_ref("accord", "Declaration"), _ref("summit", "Summit"), None, "accord"),
        (_ref("accord", "Declaration"), _ref("summit", "Summit"), "accord", "summit"),
        (_ref("lammy", "Person"), _ref("uk-fs", "Post"), "lammy", "uk-fs"),
        (_ref("lammy", "Person"), _ref("uk-fs", "Post"), "uk-fs", "lammy"),
        (_ref("lammy", "Person"), _ref("uk-fs", "Post"), None, "lammy"),
    ],
)
def test_a_claim_is_about_its_event_or_document_else_its_other_party(
    subject: dict[str, str], obj: dict[str, str], focus: str | None, expected: str
) -> None:
    item = {"kind": "claim", "subject": subject, "object": obj}
    assert about(item, focus, load_schema())["id"] == expected


def test_an_entity_item_is_about_its_entity() -> None:
    item = {"kind": "entity", "entity": _ref("nova-summit", "Summit")}
    assert about(item, "nova-summit", load_schema())["id"] == "nova-summit"


# --- the route: same items as the API, filters, errors ---------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "entity=nova-republic",
        "entity=https://w3id.org/govgraph/id/nova-republic",
        "entity=xss-img",
        "entity=nova-summit&from=2019-05-11",
        "from=2021&to=2022",
        "to=2019",
        "evidence=documented",
        "entity=nova-report&evidence=reported",
        "",
    ],
)
def test_json_is_the_items_drawn_and_the_apis_items(client: httpx.Client, query: str) -> None:
    view = client.get(f"/views/timeline?{query}&format=json")
    assert view.status_code == 200, view.text
    data = view.json()
    api = _api_items(client, query)
    assert [_key(i) for i in data["items"]] == [_key(i) for i in api]
    assert data["total"] == len(api) and data["truncated"] is False and data["version"]
    page = client.get(f"/views/timeline?{query}")
    drawn = _page_payload(page.text)["items"]
    assert [i["id"] for i in drawn] == [i["id"] for i in data["items"]]
    assert len({i["id"] for i in drawn}) == len(drawn), "ids are unique"


def test_empty_form_fields_mean_no_filter(client: httpx.Client) -> None:
    empty = client.get("/views/timeline?entity=nova-report&from=&to=&evidence=&format=json")
    assert empty.status_code == 200, empty.text
    plain = client.get("/views/timeline?entity=nova-report&format=json").json()
    assert [i["id"] for i in empty.json()["items"]] == [i["id"] for i in plain["items"]]


def test_each_item_says_how_it_is_drawn(client: httpx.Client) -> None:
    items = client.get("/views/timeline?entity=nova-republic&format=json").json()["items"]
    signed = next(i for i in items if i["predicate"] == "signed")
    assert signed["id"] == f"claim:{signed['claim']}"
    assert signed["about"]["id"] == "nova-accord" and signed["group"] == "documents"
    assert signed["href"] == f"/id/nova-accord#claim-{signed['claim']}"
    assert signed["text"] == "Nova Republic signed Nova Accord"
    assert "t-Declaration" in signed["axis"]["className"]
    hosted = next(i for i in items if i["predicate"] == "hosted")
    assert hosted["group"] == "events" and hosted["axis"]["precision"] == "day"
    funded = next(i for i in items if i["predicate"] == "fundedBy")
    assert funded["axis"] == {
        "start": "2021-03-01",
        "end": "2021-04-01",
        "precision": "month",
        "className": "t-Report precision-month claim",
    }


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (["Event"], ["hosted"]),
        (["Declaration"], ["signed"]),
        (["Document"], ["signed", "fundedBy"]),  # Declaration and Report are Documents
        (["Report,Summit"], ["hosted", "fundedBy"]),
        (["Report", "Summit"], ["hosted", "fundedBy"]),
        (["Person"], []),
    ],
)
def test_type_keeps_items_about_that_class_and_its_subclasses(
    client: httpx.Client, types: list[str], expected: list[str]
) -> None:
    params = [("entity", "nova-republic"), ("format", "json"), *[("type", t) for t in types]]
    data = client.get("/views/timeline", params=params).json()
    assert [i["predicate"] for i in data["items"]] == expected
    assert data["total"] == len(expected)
    page = client.get("/views/timeline", params=params[:1] + params[2:])
    assert len(_page_payload(page.text)["items"]) == len(expected)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("from=yesterday", "from"),
        ("to=2023-13", "to"),
        ("from=2024&to=2020", "to"),
        ("type=Spaceship", "type"),
        ("type=Event,Spaceship", "type"),
        ("evidence=rumoured", "evidence"),
        ("format=xml", "format"),
        ("embed=maybe", "embed"),
    ],
)
def test_bad_parameters_get_422_naming_the_parameter(
    client: httpx.Client, query: str, parameter: str
) -> None:
    response = client.get(f"/views/timeline?{query}")
    assert response.status_code == 422, response.text
    assert f"'{parameter}'" in response.json()["detail"]


def test_an_unknown_entity_is_404_naming_it(client: httpx.Client) -> None:
    response = client.get("/views/timeline?entity=no-such-thing")
    assert response.status_code == 404
    assert "no-such-thing" in response.json()["detail"]


def test_more_items_than_drawable_says_so(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("api.routes.timeline_view.MAX_ITEMS", 3)
    data = client.get("/views/timeline?format=json").json()
    assert len(data["items"]) == 3 and data["total"] > 3 and data["truncated"] is True
    page = client.get("/views/timeline").text
    assert len(_page_payload(page)["items"]) == 3
    assert f"of {data['total']} (the first 3: narrow the dates" in page


# --- the page: safe markup, CSP, framing, links ---------------------------------------------


def test_hostile_labels_are_escaped_text(client: httpx.Client) -> None:
    html = client.get("/views/timeline?entity=xss-img").text
    assert XSS_IMG not in html and XSS_SCRIPT not in html and "window.__xss=5</script>" not in html
    assert "<h1>&lt;img src=x onerror=window.__xss=1&gt;: timeline</h1>" in html
    assert "The Nova Gazette &lt;b&gt;href&lt;/b&gt; edition" in html
    data = re.search(r'id="timeline-data">(.*?)</script>', html)
    assert data and "<" not in data.group(1), "the JSON cannot close its script element"
    assert XSS_SCRIPT in json.dumps(_page_payload(html), ensure_ascii=False)


def test_the_page_runs_only_nonced_scripts_and_no_inline_handlers(client: httpx.Client) -> None:
    html = client.get("/views/timeline?entity=nova-republic").text
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", html)
    assert nonce, "a meta CSP with a per-page nonce"
    scripts = re.findall(r"<script([^>]*)>", html)
    for attrs in scripts:
        assert f'nonce="{nonce.group(1)}"' in attrs or 'type="application/json"' in attrs
    assert not re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", html), "no inline event handlers"
    assert not re.search(r"""(src|href)=["']https?://(?!example\.org)""", html)
    assert 'src="/static/vendor/vis-timeline/vis-timeline-graph2d.min.js"' in html
    assert 'href="/static/vendor/vis-timeline/vis-timeline-graph2d.min.css"' in html


def test_the_page_is_frameable_and_has_an_embed_snippet(client: httpx.Client) -> None:
    page = client.get("/views/timeline?entity=nova-republic&from=2019")
    assert "x-frame-options" not in page.headers
    assert "frame-ancestors *" in page.headers["content-security-policy"]
    snippet = re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', page.text)
    assert (
        snippet
        and "/views/timeline?entity=nova-republic&amp;amp;from=2019&amp;amp;embed=true"
        in (snippet.group(1))
    )
    embed = client.get("/views/timeline?entity=nova-republic&embed=true").text
    assert "<h1>" not in embed and 'id="embed-caption"' in embed and "embed-snippet" not in embed
    assert 'target="_blank" rel="noopener"' in embed
    assert '"newTab":true' in embed


def test_the_page_links_its_json_api_and_sources(client: httpx.Client) -> None:
    html = client.get("/views/timeline?entity=nova-republic&evidence=reported").text
    assert (
        'href="/views/timeline?entity=nova-republic&amp;evidence=reported&amp;format=json"' in html
    )
    assert 'href="/api/timeline?entity=nova-republic&amp;evidence=reported&amp;limit=1000"' in html
    assert '<a href="https://example.org/nova-gazette" rel="noopener noreferrer">' in html
    assert 'class="claim-link" href="/statement/' in html


def test_the_entity_page_links_to_the_timeline_view(client: httpx.Client) -> None:
    html = client.get("/id/nova-republic", headers={"Accept": "text/html"}).text
    assert 'id="timeline" href="/views/timeline?entity=nova-republic"' in html


def test_vis_timeline_is_vendored_with_its_licence_and_served(client: httpx.Client) -> None:
    js = client.get("/static/vendor/vis-timeline/vis-timeline-graph2d.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "@version 7.7.4" in js.text[:400]
    css = client.get("/static/vendor/vis-timeline/vis-timeline-graph2d.min.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "Apache-2.0 OR MIT" in (VENDOR / "LICENSE.md").read_text(encoding="utf-8")
    assert (VENDOR / "LICENSE.MIT.txt").exists() and (VENDOR / "LICENSE.Apache-2.0.txt").exists()
    assert "7.7.4" in (VENDOR / "README.md").read_text(encoding="utf-8")
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert "static/**/*" in pyproject["tool"]["setuptools"]["package-data"]["api"]


# --- in a browser -------------------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Watched:
    """A page with everything it requested and every error it logged."""

    def __init__(self, page: Any, origin: str) -> None:
        self.page, self.origin = page, origin
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))

    def outside(self) -> list[str]:
        allowed = (self.origin + "/", "data:", "about:")
        return [u for u in self.requests if not u.startswith(allowed)]


@pytest.fixture
def watched(browser: Any, live: str) -> Iterator[Watched]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    yield Watched(page, live)
    page.close()


def _ready(target: Any, timeout_s: float = 20) -> None:
    """Wait for the first drawing (polled from Python: the CSP forbids the eval that
    ``wait_for_function`` uses)."""
    deadline = time.monotonic() + timeout_s
    while not target.evaluate("!!(window.govgraph && window.govgraph.ready)"):
        if time.monotonic() > deadline:
            raise AssertionError("the timeline did not draw")
        time.sleep(0.05)


def _drawn(target: Any) -> int:
    return int(target.evaluate("window.govgraph.items.length"))


def _shown(target: Any) -> int:
    """Items on screen: one content box per item."""
    return int(target.locator("#timeline .vis-item-content").count())


def _center_of(target: Any, text: str) -> dict[str, float]:
    box = target.locator("#timeline .vis-item-content", has_text=text).first.bounding_box()
    return {"x": box["x"] + min(box["width"] / 2, 20), "y": box["y"] + box["height"] / 2}


BROWSER_CASES = [
    "entity=nova-republic",
    "entity=xss-img",
    "entity=nova-summit&evidence=reported",
    "from=2019&to=2021-06",
    "",
]


@pytest.mark.browser
@pytest.mark.parametrize("query", BROWSER_CASES)
def test_it_draws_the_apis_items_offline_without_errors(
    watched: Watched, live: str, client: httpx.Client, query: str, screenshots: Path
) -> None:
    page = watched.page
    page.goto(f"{live}/views/timeline?{query}")
    _ready(page)
    api = _api_items(client, query)
    assert _drawn(page) == len(api) > 0
    assert _shown(page) == len(api), "every item is on screen at first"
    years = [i for i in api if len(i["date"]) == 4]
    assert page.locator("#timeline .vis-item.vis-range.precision-year").count() == len(years)
    page.screenshot(path=str(screenshots / f"timeline-{query.replace('&', '_') or 'all'}.png"))
    assert watched.outside() == [], "requested something outside the app"
    assert watched.errors == []
    assert page.evaluate("typeof window.__xss") == "undefined"


@pytest.mark.browser
def test_labels_and_tooltips_are_text(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(f"{live}/views/timeline?entity=xss-img")
    _ready(page)
    contents = page.locator("#timeline .vis-item-content")
    texts = contents.all_inner_texts()
    assert f"{XSS_IMG} headed {XSS_SCRIPT}" in texts
    assert (
        contents.evaluate_all(
            "els => els.flatMap(e => [...e.querySelectorAll('img,script,b')]).length"
        )
        == 0
    )
    page.mouse.move(**_center_of(page, "headed"))
    page.wait_for_selector("#tip", state="visible", timeout=3000)
    tip = page.locator("#tip")
    assert tip.evaluate("el => el.children.length") == 0, "the tooltip holds no markup"
    text = tip.inner_text()
    assert text.startswith(f"{XSS_IMG} headed {XSS_SCRIPT}")
    assert "2021 (known to the year)" in text and "Source: Nova registry of bodies" in text
    page.mouse.move(5, 5)
    page.wait_for_selector("#tip", state="hidden", timeout=3000)
    assert page.locator("img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert watched.errors == []


@pytest.mark.browser
def test_a_partial_date_is_drawn_as_the_span_it_covers(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(f"{live}/views/timeline?entity=xss-script")  # 2021 (a year), 2021-06 (a month)
    _ready(page)
    year = page.locator("#timeline .vis-range.precision-year").first.bounding_box()
    month = page.locator("#timeline .vis-range.precision-month").first.bounding_box()
    assert year["width"] > 6 * month["width"] > 0
    assert month["x"] > year["x"], "June starts after January"


@pytest.mark.browser
def test_filters_on_the_page_reload_with_url_parameters(
    watched: Watched, live: str, client: httpx.Client
) -> None:
    page = watched.page
    page.goto(f"{live}/views/timeline?entity=nova-republic")
    _ready(page)
    page.select_option("#filter-form select[name=type]", ["Document"])
    page.fill("#filter-form input[name=from]", "2019-05-11")
    with page.expect_navigation():
        page.click("#filter-form button")
    _ready(page)
    assert page.url == f"{live}/views/timeline?entity=nova-republic&type=Document&from=2019-05-11"
    expected = client.get(
        "/views/timeline?entity=nova-republic&type=Document&from=2019-05-11&format=json"
    ).json()
    assert _drawn(page) == len(expected["items"]) == 2
    assert page.locator("#filter-form select[name=type] option:checked").all_inner_texts() == [
        "Document"
    ]


@pytest.mark.browser
def test_a_click_opens_the_profile(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(f"{live}/views/timeline?entity=nova-republic")
    _ready(page)
    with page.expect_navigation():
        page.mouse.click(**_center_of(page, "signed"))
    assert page.url.startswith(f"{live}/id/nova-accord#claim-")
    assert watched.errors == []


def _host(tmp_path: Path, snippet: str) -> ThreadingHTTPServer:
    """Someone else's article on another origin (another port), with our embed snippet."""
    (tmp_path / "host.html").write_text(
        "<!DOCTYPE html><meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<link rel=icon href=data:,><h1>Someone else's article</h1><p>{snippet}</p>",
        encoding="utf-8",
    )
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    other = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    return other


@pytest.mark.browser
def test_the_embed_fits_a_390_px_phone_and_opens_profiles_in_a_new_tab(
    watched: Watched, live: str, browser: Any, tmp_path: Path, screenshots: Path
) -> None:
    watched.page.goto(f"{live}/views/timeline?entity=nova-republic")
    other = _host(tmp_path, watched.page.locator("#embed-snippet").input_value())
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    host = f"http://127.0.0.1:{other.server_address[1]}/host.html"
    page.goto(host)
    page.wait_for_selector("iframe")
    frame = page.frames[1]
    frame.wait_for_load_state()
    _ready(frame)
    assert _drawn(frame) == 3 and frame.locator("h1").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert 200 < page.locator("iframe").bounding_box()["width"] <= 390
    assert frame.evaluate("document.documentElement.scrollWidth") <= frame.evaluate(
        "window.innerWidth"
    ), "nothing sticks out of the frame"
    legend = frame.locator("#legend").bounding_box()
    axis_box = frame.locator("#timeline").bounding_box()
    assert legend["y"] + legend["height"] <= axis_box["y"] + 1, "the legend is off the axis"
    assert "dataset" in frame.locator("#embed-caption").inner_text()
    page.screenshot(path=str(screenshots / "timeline-embed-phone.png"))
    with context.expect_page() as opened:
        target = _center_of(frame, "hosted")
        page.mouse.click(**target)
    profile = opened.value
    profile.wait_for_load_state()
    assert profile.url.startswith(f"{live}/id/nova-summit#claim-")
    assert page.url == host
    assert errors == []
    context.close()
    other.shutdown()


# --- the real data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_live(real_store_root: Path) -> Iterator[str]:
    server = serve(make_app(real_store_root))
    yield server.url
    server.stop()


@pytest.mark.slow
def test_chinas_timeline_2023_to_2025_has_items(real_live: str) -> None:
    with httpx.Client(base_url=real_live, timeout=60, trust_env=False) as c:
        query = "entity=china&from=2023&to=2025"
        data = c.get(f"/views/timeline?{query}&format=json").json()
        api = c.get(f"/api/timeline?{query}&limit=1000").json()
        assert data["total"] == api["total"] >= 10
        assert [_key(i) for i in data["items"]] == [_key(i) for i in api["items"]]
        groups = {i["group"] for i in data["items"]}
        assert {"events", "documents"} <= groups
        assert c.get(f"/views/timeline?{query}").status_code == 200


@pytest.mark.slow
@pytest.mark.browser
def test_chinas_timeline_draws_in_a_browser(
    browser: Any, real_live: str, screenshots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    w = Watched(page, real_live)
    page.goto(f"{real_live}/views/timeline?entity=china&from=2023&to=2025")
    _ready(page, timeout_s=60)
    url = f"{real_live}/views/timeline?entity=china&from=2023&to=2025&format=json"
    data = httpx.get(url, timeout=60, trust_env=False).json()
    assert _drawn(page) == len(data["items"]) > 0
    page.screenshot(path=str(screenshots / "timeline-china-2023-2025.png"))
    assert w.errors == [] and w.outside() == []
    page.close()
