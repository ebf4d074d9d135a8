"""The timeline view: the items of ``/api/timeline`` on a time axis, drawn with vis-timeline.

The items come from :func:`api.temporal.timeline` unchanged (so the view shows what the API
says, with the same ids and count); this module only decides how each is drawn: which entity
it is *about* (its colour, its group, what the ``type`` filter looks at, where a click goes),
where it sits on the axis, and its tooltip. A partial date (``2023``, ``2023-11``) is drawn as
the range of days it covers, hatched, so the reader sees it is not a day.

vis-timeline is vendored under ``api/static/vendor/vis-timeline/`` (no CDN). Data reaches the
page as JSON that cannot close its ``<script>`` element (:func:`graph.views.script_json`), and
every label, tooltip and group name is set as text by the page's script, never as markup.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from api.pages import is_web_url, templates
from graph.dates import PartialDate, parse_date
from graph.schema import Schema
from graph.views import LegendEntry, PageLinks, embed_snippet, legend, script_json

__all__ = [
    "ASSET_BASE",
    "GROUPS",
    "MAX_ITEMS",
    "Group",
    "TimelinePage",
    "about",
    "axis",
    "drawn_items",
    "render_timeline",
]

ASSET_BASE = "/static/vendor/vis-timeline/"
MAX_ITEMS = 1000
"""Items drawn at most (the API's largest page): past it, the page says to narrow the dates."""
MAX_TOOLTIP_SOURCES = 3
_PRECISION = {3: "day", 2: "month", 1: "year"}
_SAFE_CLASS = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Group:
    """A row of the timeline: what kind of entity its items are about."""

    id: str
    label: str
    classes: tuple[str, ...]
    """Root classes whose items (subclasses included) fall in this row; empty: the rest."""


GROUPS = (
    Group("events", "Events", ("Event",)),
    Group("documents", "Documents", ("Document",)),
    Group("other", "Other dated facts", ()),
)


@dataclass(frozen=True)
class TimelinePage:
    """Everything a timeline page shows: the request, the drawn items and where it links."""

    title: str
    items: list[dict[str, Any]]
    total: int
    """Items matching the filters, before the cap at :data:`MAX_ITEMS`."""
    params: dict[str, Any] = field(default_factory=dict)
    """The request's ``entity``, ``from``, ``to``, ``type`` and ``evidence``, for the form."""
    links: PageLinks = field(default_factory=PageLinks)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.items)


def about(item: dict[str, Any], focus: str | None, schema: Schema) -> dict[str, str]:
    """The entity an item is about: an entity item's entity; for a claim, the event or document
    it concerns (what China signed, not China), else its other party than ``focus``."""
    if item["kind"] == "entity":
        return dict(item["entity"])
    ends = [item["subject"], item["object"]]
    for end in ends:
        if end["id"] != focus and schema.is_a(end["type"], ("Event", "Document")):
            return dict(end)
    others = [end for end in ends if end["id"] != focus]
    return dict((others or ends)[0])


def _group(kind: str, schema: Schema) -> str:
    return next(g.id for g in GROUPS if not g.classes or schema.is_a(kind, g.classes))


def _precision(date: PartialDate) -> int:
    return 3 if date.day is not None else 2 if date.month is not None else 1


def axis(date: str, end: str | None) -> dict[str, Any]:
    """Where an item sits: a day is a box at that day; a partial date, or a date with an end,
    is a range over every day it covers (``end`` exclusive, the day after the last).
    ``precision`` is the coarser of its two dates."""
    first = parse_date(date)
    last = parse_date(end) if end else first
    precision = _PRECISION[min(_precision(first), _precision(last))]
    if end is None and precision == "day":
        return {"start": first.earliest.isoformat(), "end": None, "precision": precision}
    stop = last.latest + dt.timedelta(days=1)
    return {"start": first.earliest.isoformat(), "end": stop.isoformat(), "precision": precision}


def _text(item: dict[str, Any]) -> str:
    if item["kind"] == "entity":
        return str(item["entity"]["label"])
    return f"{item['subject']['label']} {item['label']} {item['object']['label']}"


def _when(item: dict[str, Any], precision: str) -> str:
    when = f"{item['date']} – {item['end']}" if item.get("end") else str(item["date"])
    return when if precision == "day" else f"{when} (known to the {precision})"


def _tooltip(item: dict[str, Any], type_label: str, precision: str) -> str:
    """Plain text (the page sets it with ``textContent``): what, when, and the sources."""
    lines = [_text(item), f"{_when(item, precision)} · {type_label}"]
    if item.get("via"):
        lines.append(f"through {item['via']['label']}")
    if item.get("evidence"):
        lines.append(f"evidence: {item['evidence']}")
    sources = item.get("sources") or []
    for src in sources[:MAX_TOOLTIP_SOURCES]:
        published = ", ".join(p for p in (src.get("publisher"), src.get("date")) if p)
        lines += ["", f"Source: {src.get('title') or src['id']}"]
        lines[-1] += f" ({published})" if published else ""
        if src.get("quote"):
            lines.append(f"“{src['quote']}”")
    if len(sources) > MAX_TOOLTIP_SOURCES:
        lines.append(f"(+{len(sources) - MAX_TOOLTIP_SOURCES} more sources)")
    return "\n".join(lines)


def _href(item: dict[str, Any], target: dict[str, str]) -> str:
    """The profile of what the item is about; a claim opens at its row (``#claim-<id>``)."""
    anchor = f"#claim-{item['claim']}" if item["kind"] == "claim" else ""
    return f"/id/{target['id']}{anchor}"


def _css_class(kind: str) -> str:
    return f"t-{kind}" if _SAFE_CLASS.match(kind) else "t-unknown"


def _item_id(item: dict[str, Any]) -> str:
    return f"claim:{item['claim']}" if item["kind"] == "claim" else f"entity:{item['entity']['id']}"


def drawn_items(
    items: list[dict[str, Any]],
    *,
    focus: str | None,
    types: list[str],
    schema: Schema,
) -> list[dict[str, Any]]:
    """The API's items of the chosen ``types`` (subclasses included; all when empty), each with
    how it is drawn: ``id``, ``about``, ``group``, ``text``, ``tooltip``, ``href``, ``axis``."""
    labels = {c.name: c.label for c in schema.classes.values()}
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for item in items:
        target = about(item, focus, schema)
        if types and not schema.is_a(target["type"], tuple(types)):
            continue
        ident = _item_id(item)
        seen[ident] = seen.get(ident, 0) + 1
        place = axis(item["date"], item.get("end"))
        classes = [_css_class(target["type"]), f"precision-{place['precision']}", item["kind"]]
        out.append(
            {
                **item,
                "id": ident if seen[ident] == 1 else f"{ident}#{seen[ident]}",
                "about": target,
                "group": _group(target["type"], schema),
                "text": _text(item),
                "tooltip": _tooltip(
                    item, labels.get(target["type"], target["type"]), place["precision"]
                ),
                "href": _href(item, target),
                "axis": {**place, "className": " ".join(classes)},
            }
        )
    return out


def _text_color(hex_color: str) -> str:
    """Black or white, whichever reads better on ``hex_color`` (WCAG relative luminance)."""
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#111111" if luminance > 0.179 else "#ffffff"


def _styles(entries: list[LegendEntry]) -> list[dict[str, str]]:
    return [
        {"css": _css_class(e.type), "color": e.color, "text": _text_color(e.color)} for e in entries
    ]


def _references(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items for the list under the axis: each with its sources, links only for web URLs."""
    return [
        {
            **item,
            "sources": [
                {**src, "url": src.get("url") if is_web_url(src.get("url")) else None}
                for src in item.get("sources") or []
            ],
        }
        for item in items
    ]


def _window(page: TimelinePage) -> dict[str, str] | None:
    """The span shown first: ``from``-``to`` when asked (an open side ends at the items),
    else None (vis-timeline fits every item)."""
    lo, hi = page.params.get("from"), page.params.get("to")
    if not (lo or hi):
        return None
    starts = [i["axis"]["start"] for i in page.items]
    ends = [i["axis"]["end"] or i["axis"]["start"] for i in page.items]
    first = parse_date(lo).earliest.isoformat() if lo else min(starts, default=None)
    last = (parse_date(hi).latest + dt.timedelta(days=1)).isoformat() if hi else None
    last = last or max(ends, default=None)
    if first is None or last is None:
        return None
    return {"start": first, "end": last}


def _payload(page: TimelinePage, embed: bool) -> dict[str, Any]:
    present = {item["group"] for item in page.items}
    return {
        "items": [
            {"id": i["id"], "group": i["group"], "text": i["text"], "tooltip": i["tooltip"]}
            | {"href": i["href"], **i["axis"]}
            for i in page.items
        ],
        "groups": [{"id": g.id, "text": g.label} for g in GROUPS if g.id in present],
        "window": _window(page),
        "profileBase": page.links.profile_base.removesuffix("/id/"),
        "newTab": embed,
    }


def render_timeline(page: TimelinePage, *, schema: Schema, embed: bool = False) -> str:
    """The HTML page: legend, axis, filters, the items with their sources, embed snippet."""
    entries = legend(schema)
    present = {item["about"]["type"] for item in page.items}
    shown = [e for e in entries if e.type in present]
    return templates.env.get_template("timeline.html").render(
        page=page,
        links=page.links,
        embed=embed,
        nonce=secrets.token_urlsafe(16),
        payload=script_json(_payload(page, embed)),
        legend=shown,
        styles=_styles(shown),
        all_types=entries,
        selected_types=page.params.get("type") or [],
        references=_references(page.items),
        snippet=embed_snippet(page.links.embed, page.title) if page.links.embed else None,
    )
