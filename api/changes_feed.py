"""The changes as an Atom feed (RFC 4287) that a reporter subscribes to: one entry per build.

Each entry lists what that build changed (to one entity and its claims, for a per-entity feed),
in words, with links to the ``/id/`` pages and the sources. Ids are stable IRIs under the
dataset's (``<dataset>/changes/<old>..<new>``) so a feed reader never shows an entry twice;
``<updated>`` is the build time. Labels and quotes are data: ElementTree escapes them for XML,
and :func:`html.escape` first for the HTML inside ``<content type="html">``.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from graph.changes import BuildEntry, Diff
from graph.changes_report import change_item
from graph.history import History
from graph.schema import Schema
from graph.vocab import DATASET

__all__ = ["ATOM", "MAX_ITEMS", "MAX_SCAN", "FeedEntry", "atom_feed", "feed_entries"]

ATOM = "http://www.w3.org/2005/Atom"
MAX_ITEMS = 100
"""Changes listed in one entry; the rest are counted, and the entry links to the JSON."""
MAX_SCAN = 200
"""Builds looked at for one feed, newest first (a per-entity feed skips builds without news)."""

_VERB = {"added": "Added", "removed": "Removed", "changed": "Changed"}


@dataclass(frozen=True)
class FeedEntry:
    """One build and what it changed since the build before (None for the first build)."""

    new: BuildEntry
    diff: Diff | None


def feed_entries(
    history: History, *, until: str, entity: str | None, limit: int
) -> list[FeedEntry]:
    """The newest ``limit`` builds up to version ``until`` that changed something (about
    ``entity``, if given), newest first; the first build is listed in the general feed only."""
    out: list[FeedEntry] = []
    for old, new in reversed(history.transitions(until)[-MAX_SCAN:]):
        if len(out) >= limit:
            break
        if old is None:
            if entity is None:
                out.append(FeedEntry(new, None))
            continue
        diff = history.diff_entries(old, new)
        diff = diff.about(entity) if entity else diff
        if diff.changes:
            out.append(FeedEntry(new, diff))
    return out


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)  # unprefixed: the feed declares Atom default
    element.text = text
    return element


def _kind(evidence: str | None) -> str:
    return f" ({evidence})" if evidence else ""


class _Html:
    """The HTML of one entry's content, every piece of data escaped."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def entity(self, ref: dict[str, Any]) -> str:
        href = html.escape(f"{self.base_url}id/{quote(ref['id'])}")
        return f'<a href="{href}">{html.escape(ref["label"] or ref["id"])}</a>'

    def value(self, value: Any) -> str:
        if isinstance(value, list):  # sources: title and, for a reference, its evidence
            shown = [(v.get("title") or v["id"]) + _kind(v.get("evidence")) for v in value]
            return "; ".join(html.escape(v) for v in shown) or "none"
        return "none" if value is None else html.escape(str(value))

    def source(self, src: dict[str, Any]) -> str:
        title = html.escape(src.get("title") or src["id"])
        if src.get("url"):
            title = f'<a href="{html.escape(src["url"])}">{title}</a>'
        said = ", ".join(html.escape(str(src[k])) for k in ("publisher", "date") if src.get(k))
        quoted = f": “{html.escape(src['quote'])}”" if src.get("quote") else ""
        return title + (f" ({said})" if said else "") + quoted

    def item(self, item: dict[str, Any]) -> str:
        if item["kind"] == "entity":
            what = f"entity {self.entity(item)} ({html.escape(item['type'] or '')})"
        else:
            subject, obj = self.entity(item["subject"]), self.entity(item["object"])
            what = f"claim: {subject} {html.escape(item['predicate_label'])} {obj}"
        dates = [d for d in (item["start"], item["end"]) if d]
        text = f"{_VERB[item['change']]} {what}" + (f" ({' to '.join(dates)})" if dates else "")
        for name in item["fields"]:
            before, after = self.value(item["before"][name]), self.value(item["after"][name])
            text += f"; {html.escape(name)}: {before} → {after}"
        sources = "; ".join(self.source(s) for s in item["sources"])
        return f"<li>{text}" + (f"<br>Sources: {sources}" if sources else "") + "</li>"


_NOUNS = {"entities": ("entity", "entities"), "claims": ("claim", "claims")}


def _summary(diff: Diff) -> str:
    """``1 entity changed, 2 claims added``."""
    parts = [
        f"{n} {_NOUNS[kind][n != 1]} {change}"
        for kind, counts in diff.counts().items()
        for change, n in counts.items()
        if n
    ]
    return ", ".join(parts) or "no changes"


def _entry(
    feed: ET.Element, entry: FeedEntry, *, base_url: str, entity: str | None, schema: Schema
) -> None:
    node = _sub(feed, "entry")
    new, diff = entry.new, entry.diff
    suffix = f"/{entity}" if entity else ""
    if diff is None:
        summary = f"the first recorded build: {new.entities} entities, {new.claims} claims"
        _sub(node, "id", f"{DATASET}/build/{new.version}")
    else:
        summary = _summary(diff)
        _sub(node, "id", f"{DATASET}/changes/{diff.old.version}..{new.version}{suffix}")
    _sub(node, "title", f"Version {new.version}: {summary}")
    _sub(node, "updated", new.built_at)
    if diff is None or entity:  # the page to read (an entry without content needs one)
        html_page = f"{base_url}id/{quote(entity)}" if entity else base_url
        _sub(node, "link", rel="alternate", type="text/html", href=html_page)
    if diff is not None:
        query = {"since": diff.old.version, "until": new.version} | (
            {"entity": entity} if entity else {}
        )
        href = f"{base_url}api/changes?{urlencode(query)}"
        _sub(node, "link", rel="alternate", type="application/json", href=href)
        items = [change_item(diff, c, schema) for c in diff.changes]
        page = _Html(base_url)
        lines = "".join(page.item(i) for i in items[:MAX_ITEMS])
        more = len(items) - MAX_ITEMS
        tail = f"<p>… and {more} more: see the JSON.</p>" if more > 0 else ""
        _sub(node, "content", f"<ul>{lines}</ul>{tail}", type="html")
    _sub(node, "summary", summary)


def atom_feed(
    entries: list[FeedEntry],
    *,
    base_url: str,
    entity: tuple[str, str] | None,
    updated: str,
    schema: Schema,
) -> bytes:
    """The feed document. ``entity``: (id, label) for a per-entity feed; ``updated``: when
    there are no entries, the time of the build served."""
    feed = ET.Element("feed", xmlns=ATOM)
    ident = entity[0] if entity else None
    self_href = f"{base_url}changes.atom" + (f"?{urlencode({'entity': ident})}" if ident else "")
    _sub(feed, "id", f"{DATASET}/changes" + (f"/{ident}" if ident else ""))
    _sub(feed, "title", f"govgraph: changes to {entity[1]}" if entity else "govgraph: changes")
    _sub(feed, "subtitle", "Claims and entities added, removed and changed, build by build")
    _sub(feed, "updated", entries[0].new.built_at if entries else updated)
    _sub(_sub(feed, "author"), "name", "govgraph")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_href)
    page = f"{base_url}id/{quote(ident)}" if ident else base_url
    _sub(feed, "link", rel="alternate", type="text/html", href=page)
    for entry in entries:
        _entry(feed, entry, base_url=base_url, entity=ident, schema=schema)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
