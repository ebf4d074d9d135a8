"""Acceptance: each view in headless chromium against a live app (pytest -m browser).

Every view must load, draw as many nodes as the API returns for the same request, request
nothing outside the app's origin, log no error, and run none of the markup hidden in the
fixture's labels. Screenshots (1280x800) go to the folder printed at the end of the run.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from graph.cli import main as cli_main

pytestmark = pytest.mark.browser

XSS_IMG = "<img src=x onerror=window.__xss=1>"
XSS_SCRIPT = "<script>window.__xss=2</script>"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _entity_count(data: dict[str, Any]) -> int:
    return 1 + len({r["other"]["id"] for r in data["relations"]} - {data["id"]})


def _path_count(data: dict[str, Any]) -> int:
    ends = {data["from"]["id"], data["to"]["id"]}
    hops = [h for p in data["paths"] for h in p["hops"]]
    return len(ends | {h["subject"] for h in hops} | {h["object"] for h in hops})


def _node_count(data: dict[str, Any]) -> int:
    return len(data["nodes"])


@dataclass
class Case:
    name: str
    view: str
    api: str | None
    count: Callable[[dict[str, Any]], int] = _node_count


CASES = [
    Case(
        "entity",
        "/views/entity/nova-summit",
        "/api/entities/nova-summit?relations_limit=1000",
        _entity_count,
    ),
    Case(
        "entity-xss",
        "/views/entity/xss-img",
        "/api/entities/xss-img?relations_limit=1000",
        _entity_count,
    ),
    Case("entity-expanded", "/views/entity/xss-img?expand=nova-summit", None),
    Case(
        "path",
        "/views/path?from=nova-institute&to=xss-img",
        "/api/paths?from=nova-institute&to=xss-img",
        _path_count,
    ),
    Case("lineage", "/views/lineage/nova-institute", "/api/lineage/nova-institute"),
    Case(
        "lineage-downstream",
        "/views/lineage/nova-summit?direction=downstream",
        "/api/lineage/nova-summit?direction=downstream",
    ),
    Case("graph", "/views/graph", None),
    Case("graph-filtered", "/views/graph?type=Organization&type=Document&from=2021&to=2022", None),
    Case("embed", "/views/lineage/nova-institute?embed=true", "/api/lineage/nova-institute"),
]


@dataclass
class Watched:
    """A page with everything it requested and every error it logged."""

    page: Any
    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        allowed = (self.origin + "/", "data:", "about:")
        return [u for u in self.requests if not u.startswith(allowed)]


@pytest.fixture
def watched(browser: Any, live: str) -> Iterator[Watched]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    w = Watched(page, live)
    page.on("request", lambda r: w.requests.append(r.url))
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: m.type == "error" and w.errors.append(f"console: {m.text}"))
    yield w
    page.close()


def _settle(target: Any, timeout_ms: int = 20_000) -> None:
    """Wait until the view's layout has settled (polled from Python: the pages' CSP forbids
    the eval that ``wait_for_function`` polls with)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not target.evaluate("!!(window.govgraph && window.govgraph.stabilized)"):
        if time.monotonic() > deadline:
            raise AssertionError(f"the view did not settle within {timeout_ms} ms")
        time.sleep(0.05)


def _drawn(page: Any) -> int:
    return int(page.evaluate("window.govgraph.network.body.data.nodes.length"))


def _xss(page: Any) -> Any:
    return page.evaluate("typeof window.__xss === 'undefined' ? null : window.__xss")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_view_draws_api_nodes_offline_without_errors(
    case: Case, watched: Watched, live: str, screenshots: Path
) -> None:
    page = watched.page
    page.goto(live + case.view)
    _settle(page)
    drawn = _drawn(page)
    assert drawn > 0
    data_url = live + case.view + ("&" if "?" in case.view else "?") + "format=json"
    assert drawn == len(_get_json(data_url)["nodes"])
    if case.api is not None:
        assert drawn == case.count(_get_json(live + case.api)), "canvas and API disagree"
    assert page.locator("#network canvas").count() == 1
    page.screenshot(path=str(screenshots / f"{case.name}.png"))
    assert watched.outside() == [], "requested something outside the app"
    assert watched.errors == []
    assert _xss(page) is None


def _tooltip_at(page: Any, x: float, y: float) -> str | None:
    """The text of the tooltip shown when hovering (x, y), checking it holds no markup."""
    page.mouse.move(x, y)
    try:
        page.wait_for_selector(".vis-tooltip", state="visible", timeout=1000)
    except Exception:
        return None
    tip = page.locator(".vis-tooltip")
    tags = tip.evaluate("el => [...el.querySelectorAll('*')].map(c => c.tagName)")
    assert set(tags) <= {"BR"}, f"tooltip holds markup: {tags}"  # innerText makes <br>
    text = str(tip.inner_text())
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 3)
    page.wait_for_selector(".vis-tooltip", state="hidden", timeout=3000)
    return text


_TARGETS = """() => {
    const n = window.govgraph.network, pos = n.getPositions(), out = [];
    for (const node of window.govgraph.nodes.get())
        out.push({title: node.title, points: [n.canvasToDOM(pos[node.id])]});
    for (const e of window.govgraph.edges.get()) {
        if (e.from === e.to) continue;
        const curve = n.body.edges[e.id].edgeType;  // points on the drawn (curved) edge
        const at = f => n.canvasToDOM(curve.getPoint(f));
        out.push({title: e.title, points: [0.5, 0.3, 0.7, 0.2, 0.8].map(at)});
    }
    return out;
}"""


def _hover_every_item(page: Any) -> list[str]:
    """Hover each node and edge; each tooltip shows exactly its title, as text."""
    box = page.locator("#network").bounding_box()
    shown = []
    for target in page.evaluate(_TARGETS):
        for p in target["points"]:
            text = _tooltip_at(page, box["x"] + p["x"], box["y"] + p["y"])
            if text is not None and text.strip() == target["title"].strip():
                shown.append(text)
                break
        else:
            pytest.fail(f"no tooltip shows {target['title']!r}")
    return shown


def test_hostile_labels_show_as_text_and_run_nothing(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(live + "/views/entity/xss-img?expand=xss-script")
    _settle(page)
    assert page.locator("h1").inner_text() == XSS_IMG
    labels = page.evaluate("window.govgraph.nodes.get().map(n => n.label)")
    assert XSS_IMG in labels and XSS_SCRIPT in labels
    snippet = page.locator("#embed-snippet").input_value()
    assert 'title="&lt;img src=x onerror=window.__xss=1&gt; (govgraph)"' in snippet
    tips = "\n".join(_hover_every_item(page))
    assert XSS_IMG in tips and "href" in tips and "<b>bold</b>" in tips
    assert "window.__xss=6" in tips, "edge tooltips show their quote"
    assert page.locator("img").count() == 0
    assert _xss(page) is None
    assert watched.errors == [] and watched.outside() == []


def test_path_view_draws_the_best_explanation_and_toggles_the_others(
    watched: Watched, live: str
) -> None:
    page = watched.page
    page.goto(live + "/views/path?from=nova-institute&to=nova-summit")
    _settle(page)
    assert page.locator("article.explanation").count() >= 2
    first = page.locator("#explanation-1")
    assert "Nova Panel" in first.locator(".narrative").inner_text()
    assert "[1]" in first.locator(".narrative").inner_text()
    assert first.locator("ol.references > li").count() >= 1
    text = page.locator("#details").inner_text()
    assert "The Nova Gazette <b>href</b> edition" in text
    visible = "window.govgraph.edges.get().filter(e => !e.hidden).length"
    shown = page.evaluate(visible)
    highlighted = page.evaluate("window.govgraph.edges.get().filter(e => e.width === 4).length")
    assert shown == highlighted >= 3, "only the best explanation is drawn at first"
    page.locator("#explanation-2 input.path-toggle").check()
    assert page.evaluate(visible) > shown
    page.locator("#explanation-2 input.path-toggle").uncheck()
    assert page.evaluate(visible) == shown


def test_lineage_reads_left_to_right_in_time(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(live + "/views/lineage/nova-institute")
    _settle(page)
    x = page.evaluate(
        "(() => { const p = window.govgraph.network.getPositions(); "
        "return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.x])); })()"
    )
    order = ["nova-summit", "nova-report", "nova-panel", "nova-institute"]
    assert [x[n] for n in order] == sorted(x[n] for n in order)


def _click_node(page: Any, ident: str, *, shift: bool = False) -> None:
    box = page.locator("#network").bounding_box()
    p = page.evaluate(
        "id => window.govgraph.network.canvasToDOM(window.govgraph.network.getPosition(id))", ident
    )
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(box["x"] + p["x"], box["y"] + p["y"])
    if shift:
        page.keyboard.up("Shift")


def test_click_opens_profile_and_shift_click_expands(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(live + "/views/entity/nova-report")
    _settle(page)
    before = _drawn(page)
    with page.expect_navigation():
        _click_node(page, "nova-summit", shift=True)
    _settle(page)
    assert "expand=nova-summit" in page.url
    assert _drawn(page) > before
    with page.expect_request(lambda r: r.url == live + "/id/nova-republic"):
        _click_node(page, "nova-republic")


def test_expand_form_merges_neighbour(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(live + "/views/entity/nova-panel")
    _settle(page)
    page.select_option("#expand-form select", "nova-report")
    with page.expect_navigation():
        page.click("#expand-form button")
    _settle(page)
    assert _drawn(page) == len(
        _get_json(live + "/views/entity/nova-panel?expand=nova-report&format=json")["nodes"]
    )


def test_whole_graph_of_500_nodes_stabilises_and_stops(
    browser: Any, live_big: str, screenshots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: r.url.startswith(live_big + "/") or outside.append(r.url))
    started = time.monotonic()
    page.goto(live_big + "/views/graph")
    _settle(page, timeout_ms=60_000)
    seconds = time.monotonic() - started
    assert _drawn(page) >= 500
    assert _drawn(page) == len(_get_json(live_big + "/views/graph?format=json")["nodes"])
    assert page.evaluate("window.govgraph.network.physics.physicsEnabled") is False
    assert seconds < 60
    page.screenshot(path=str(screenshots / "graph-500.png"))
    assert errors == [] and outside == []
    page.close()


def test_cli_view_file_works_offline(
    browser: Any, views_store: Path, tmp_path: Path, screenshots: Path
) -> None:
    out = tmp_path / "nova.html"
    assert cli_main(["view", "nova-report", "-o", str(out), "--store", str(views_store)]) == 0
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(out.as_uri())
    _settle(page)
    assert _drawn(page) == 1 + 4  # nova-report and its four neighbours
    page.screenshot(path=str(screenshots / "cli-standalone.png"))
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    assert errors == []
    page.close()


def test_embed_snippet_frames_the_view_in_another_page(
    watched: Watched, live: str, browser: Any, tmp_path: Path, screenshots: Path
) -> None:
    watched.page.goto(live + "/views/lineage/nova-institute")
    snippet = watched.page.locator("#embed-snippet").input_value()
    host = tmp_path / "host.html"
    host.write_text(
        f"<!DOCTYPE html><link rel=icon href=data:,><h1>Someone else's article</h1>{snippet}",
        encoding="utf-8",
    )
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    other = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # another origin (another port)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"http://127.0.0.1:{other.server_address[1]}/host.html")
    page.wait_for_selector("iframe")
    frame = page.frames[1]
    frame.wait_for_load_state()
    _settle(frame)
    assert frame.evaluate("window.govgraph.network.body.data.nodes.length") == 5
    assert frame.locator("h1").count() == 0 and frame.locator("#legend").count() == 1
    page.screenshot(path=str(screenshots / "embedded-in-host-page.png"))
    assert errors == []
    page.close()
    other.shutdown()


def _host_page(tmp_path: Path, snippet: str) -> ThreadingHTTPServer:
    """Someone else's article on another origin, with our embed snippet in it."""
    (tmp_path / "host.html").write_text(
        "<!DOCTYPE html><meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<link rel=icon href=data:,><h1>Someone else's article</h1><p>{snippet}</p>",
        encoding="utf-8",
    )
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    other = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    return other


def test_embedded_node_click_opens_a_new_tab_and_the_host_page_stays(
    watched: Watched, live: str, browser: Any, tmp_path: Path
) -> None:
    watched.page.goto(live + "/views/entity/nova-report")
    other = _host_page(tmp_path, watched.page.locator("#embed-snippet").input_value())
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    host = f"http://127.0.0.1:{other.server_address[1]}/host.html"
    page.goto(host)
    page.wait_for_selector("iframe")
    frame = page.frames[1]
    frame.wait_for_load_state()
    _settle(frame)
    caption = frame.locator("#embed-caption").inner_text()
    assert "govgraph" in caption and "dataset" in caption
    box = frame.locator("#network").bounding_box()
    p = frame.evaluate(
        "id => window.govgraph.network.canvasToDOM(window.govgraph.network.getPosition(id))",
        "nova-summit",
    )
    with context.expect_page() as opened:
        page.mouse.click(box["x"] + p["x"], box["y"] + p["y"])
    profile = opened.value
    profile.wait_for_load_state()
    assert profile.url == live + "/id/nova-summit"
    assert page.url == host and frame.url.startswith(live + "/views/entity/nova-report")
    context.close()
    other.shutdown()


def test_the_embed_fits_a_390_px_phone(
    watched: Watched, live: str, browser: Any, tmp_path: Path, screenshots: Path
) -> None:
    watched.page.goto(live + "/views/lineage/nova-institute")
    other = _host_page(tmp_path, watched.page.locator("#embed-snippet").input_value())
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"http://127.0.0.1:{other.server_address[1]}/host.html")
    page.wait_for_selector("iframe")
    frame = page.frames[1]
    frame.wait_for_load_state()
    _settle(frame)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    width = page.locator("iframe").bounding_box()["width"]
    assert 200 < width <= 390
    legend = frame.locator("#legend").bounding_box()
    canvas = frame.locator("#network").bounding_box()
    assert legend["y"] + legend["height"] <= canvas["y"] + 1, "the legend is off the canvas"
    page.screenshot(path=str(screenshots / "embed-phone.png"))
    page.close()
    other.shutdown()


@pytest.mark.parametrize(
    "start", ["/", "/sparql", "/id/nova-panel", "/views/entity/nova-panel", "/search?q=nova"]
)
def test_search_from_any_page(watched: Watched, live: str, start: str) -> None:
    page = watched.page
    page.goto(live + start)
    box = page.locator("form[role=search] input[name=q]").first
    box.fill("Nova Panle")  # a typo
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.startswith(live + "/search?q=Nova")
    first = page.locator("#hits a").first
    assert first.inner_text() == "Nova Panel"
    with page.expect_navigation():
        first.click()
    assert page.url == live + "/id/nova-panel"
    assert watched.errors == [] and watched.outside() == []


def test_lineage_labels_do_not_overlap(watched: Watched, live: str) -> None:
    page = watched.page
    page.goto(live + "/views/lineage/nova-institute?depth=6")
    _settle(page)
    boxes = page.evaluate(
        "(() => { const n = window.govgraph.network; return n.body.data.nodes.getIds()"
        ".map(id => n.getBoundingBox(id)); })()"
    )
    assert len(boxes) >= 4
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["right"] <= b["left"]
                or b["right"] <= a["left"]
                or a["bottom"] <= b["top"]
                or b["bottom"] <= a["top"]
            )
            assert apart, f"labels overlap: {a} {b}"
