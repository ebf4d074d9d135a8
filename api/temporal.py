"""Questions of time: who held a post on a date, and what happened when (a timeline).

Dates may be partial (``2024``, ``2024-07``); a partial date stands for the interval of days it
covers, and two dates match when their intervals overlap.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.state import Snapshot
from graph.dates import PartialDate, parse_date
from graph.network import at_least

__all__ = ["held_on", "holders", "holders_warnings", "organs", "timeline"]


def _date(text: str | None) -> PartialDate | None:
    return parse_date(text) if text else None


def held_on(start: PartialDate | None, end: PartialDate | None, day: PartialDate) -> bool:
    """Whether a tenure from ``start`` to ``end`` (open when None) overlaps ``day``.

    A tenure without a start date cannot be placed in time, so it never matches a date.
    """
    if start is None or start.earliest > day.latest:
        return False
    return end is None or end.latest >= day.earliest


def _tenures(snapshot: Snapshot, post: str) -> list[dict[str, Any]]:
    tenures = [
        {
            "person": snapshot.ref(person),
            "start": data["start"],
            "end": data["end"],
            "claim": data["claim"],
            "evidence": data["evidence"],
            "sources": data["sources"],
        }
        for person, _, data in snapshot.network.in_edges(post, data=True)
        if data["predicate"] == "holds"
    ]
    return tenures


def holders(snapshot: Snapshot, post: str, day: PartialDate | None) -> list[dict[str, Any]]:
    """Tenures of ``post`` (one per ``holds`` claim, with all its sources), those overlapping
    ``day`` if given."""
    tenures = _tenures(snapshot, post)
    out = [t for t in tenures if day is None or held_on(_date(t["start"]), _date(t["end"]), day)]
    out.sort(key=lambda h: (h["start"] is None, _earliest(h["start"]), h["person"]["label"]))
    return out


def holders_warnings(
    snapshot: Snapshot, post: str, day: PartialDate | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """What an answer for ``day`` cannot see, said plainly: tenures without a start date (they
    may cover the day) and a day outside the post's own existence. Silence is not "nobody"."""
    if day is None:
        return [], []
    undated = [t for t in _tenures(snapshot, post) if t["start"] is None]
    undated.sort(key=lambda t: t["person"]["label"])
    warnings = []
    if undated:
        names = ", ".join(t["person"]["label"] for t in undated)
        warnings.append(
            f"{len(undated)} tenure(s) of this post have no start date and may cover {day}: "
            f"{names} (listed in 'undated')"
        )
    node = snapshot.network.nodes[post]
    start, end = _date(node.get("start")), _date(node.get("end"))
    if start is not None and day.latest < start.earliest:
        warnings.append(f"the post did not exist yet on {day}: it dates from {start}")
    if end is not None and day.earliest > end.latest:
        warnings.append(f"the post no longer existed on {day}: it ended in {end}")
    return undated, warnings


def _earliest(text: str | None) -> dt.date:
    date = _date(text)
    return date.earliest if date else dt.date.max


def _overlaps(start: str, end: str | None, lo: PartialDate | None, hi: PartialDate | None) -> bool:
    first = parse_date(start).earliest
    last = parse_date(end or start).latest
    if lo is not None and last < lo.earliest:
        return False
    return hi is None or first <= hi.latest


def _entity_items(snapshot: Snapshot, nodes: list[str]) -> list[dict[str, Any]]:
    items = []
    for ident in nodes:
        node = snapshot.network.nodes[ident]
        date = node["start"] or node["end"]
        if date:
            items.append(
                {
                    "date": date,
                    "end": node["end"] if node["start"] else None,
                    "kind": "entity",
                    "entity": snapshot.ref(ident),
                    "sources": snapshot.entity_sources.get(ident, []),
                }
            )
    return items


def _event_dates(snapshot: Snapshot, ident: str) -> tuple[str, str | None] | None:
    """An event's or a document's own (start, end), for placing an undated relation to it
    (attending a visit happens when the visit does; signing or issuing a document, when it
    was published); None for anything else or an undated one."""
    node = snapshot.network.nodes[ident]
    if node["start"] and snapshot.schema.is_a(node["type"], ("Event", "Document")):
        return node["start"], node["end"]
    return None


_ORGAN_LINKS = ("partOf", "locatedIn")
_ORGAN_DEPTH = 3


def organs(snapshot: Snapshot, entity: str) -> dict[str, str]:
    """The government bodies that act for ``entity`` (part of it, or of its parts, or based in
    it), each with the body it acts through: China's timeline includes what its ministries and
    standards committees issued. Bounded to a few levels."""
    g, schema = snapshot.network, snapshot.schema
    found: dict[str, str] = {}
    frontier = [entity]
    for _ in range(_ORGAN_DEPTH):
        nxt = []
        for parent in frontier:
            for child, _, data in g.in_edges(parent, data=True):
                kind = g.nodes[child]["type"]
                if (
                    data["predicate"] in _ORGAN_LINKS
                    and child not in found
                    and child != entity
                    and schema.is_a(kind, ("GovernmentBody",))
                ):
                    found[child] = parent
                    nxt.append(child)
        frontier = nxt
    return found


def _claim_items(
    snapshot: Snapshot, entity: str | None, evidence: str | None
) -> list[dict[str, Any]]:
    g = snapshot.network
    via: dict[tuple[str, str, str], str] = {}
    if entity is None:
        edges = list(g.edges(data=True))
    else:
        edges = list(g.out_edges(entity, data=True))
        edges += [e for e in g.in_edges(entity, data=True) if e[0] != entity]
        direct = {s for s, _, d in edges if d["predicate"] == "issuedBy"}
        for organ in sorted(organs(snapshot, entity)):
            for doc, _, data in g.in_edges(organ, data=True):
                # a document several bodies issued together is told once (each fact once)
                if data["predicate"] == "issuedBy" and doc not in direct:
                    direct.add(doc)
                    edges.append((doc, organ, data))
                    via[(doc, organ, data["claim"])] = organ
    items = []
    for s, o, data in edges:
        if not at_least(data["evidence"], evidence):
            continue
        date, end = data["start"] or data["end"], data["end"] if data["start"] else None
        if not date:
            date, end = _event_dates(snapshot, o) or _event_dates(snapshot, s) or (None, None)
        if not date:
            continue
        items.append(
            {
                "date": date,
                "end": end,
                "kind": "claim",
                "claim": data["claim"],
                "subject": snapshot.ref(s),
                "predicate": data["predicate"],
                "label": snapshot.schema.relations[data["predicate"]].label,
                "object": snapshot.ref(o),
                "evidence": data["evidence"],
                "sources": data["sources"],
                **(
                    {"via": snapshot.ref(via[(s, o, data["claim"])])}
                    if (s, o, data["claim"]) in via
                    else {}
                ),
            }
        )
    return items


def timeline(
    snapshot: Snapshot,
    entity: str | None,
    lo: PartialDate | None,
    hi: PartialDate | None,
    *,
    evidence: str | None = None,
) -> list[dict[str, Any]]:
    """Dated entities and claims (about ``entity`` if given) in time order (blocking). An
    undated claim to a dated event or document is placed at its date, so an entity's timeline
    includes what it issued, signed, attended or hosted, and what its government bodies issued
    (each such item says ``via`` which body). ``evidence``: the weakest kept."""
    nodes = [entity] if entity is not None else list(snapshot.network.nodes)
    items = _entity_items(snapshot, nodes) + _claim_items(snapshot, entity, evidence)
    items = [i for i in items if _overlaps(i["date"], i["end"], lo, hi)]

    def key(item: dict[str, Any]) -> tuple[Any, ...]:
        first = item.get("entity") or item.get("subject") or {}
        other = item.get("object") or {}
        return (
            _earliest(item["date"]),
            item["kind"] != "entity",
            first.get("label", ""),
            item.get("label") or "",
            other.get("label", ""),
        )

    items.sort(key=key)
    return items
