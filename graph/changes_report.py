"""A :class:`graph.changes.Diff` for people: as JSON (the API and ``govgraph diff --format
json``) and as text (``govgraph diff``).

Both say the same things: each change with its triple in words (labels, the relation's label
from the schema), its dates and its sources (title, publisher, date, URL, quote), and for a
changed entity or claim which fields changed, before and after.
"""

from __future__ import annotations

from typing import Any

from graph.changes import Change, Diff
from graph.schema import Schema

__all__ = ["change_item", "diff_json", "diff_text"]

Row = dict[str, Any]
_MARK = {"added": "+", "removed": "-", "changed": "~"}


def _entity_ref(diff: Diff, ident: str) -> dict[str, str]:
    row = diff.entities.get(ident, {})
    return {"id": ident, "label": row.get("label") or ident, "type": row.get("type") or ""}


def _source(diff: Diff, ident: str, quote: str | None = None, evidence: str | None = None) -> Row:
    row = diff.sources.get(ident, {})
    keys = ("title", "publisher", "date", "url")
    return {"id": ident, **{k: row.get(k) for k in keys}, "quote": quote, "evidence": evidence}


def _sources(diff: Diff, kind: str, row: Row) -> list[Row]:
    if kind == "entity":
        return [_source(diff, s) for s in row.get("sources") or []]
    return [_source(diff, r["source"], r["quote"], r["evidence"]) for r in row["references"]]


def _field_value(diff: Diff, change: Change, row: Row, name: str) -> Any:
    if name == "references":
        return _sources(diff, "claim", row)
    if name == "sources" and change.kind == "entity":
        return _sources(diff, "entity", row)
    return row.get(name)


def change_item(diff: Diff, change: Change, schema: Schema | None = None) -> Row:
    """One change as JSON: ``kind``, ``change``, the entity or the triple with labels, dates,
    sources, and for a change the ``fields`` that changed with their ``before``/``after``."""
    row = change.row
    item: Row = {"kind": change.kind, "change": change.change, "id": change.id}
    if change.kind == "entity":
        item |= {"label": row.get("label") or change.id, "type": row.get("type")}
    else:
        relation = schema.relations.get(row["predicate"]) if schema else None
        item |= {
            "subject": _entity_ref(diff, row["subject"]),
            "predicate": row["predicate"],
            "predicate_label": relation.label if relation else row["predicate"],
            "object": _entity_ref(diff, row["object"]),
            "evidence": row.get("evidence"),
        }
    item |= {
        "start": row.get("start"),
        "end": row.get("end"),
        "sources": _sources(diff, change.kind, row),
        "fields": list(change.fields),
        "before": None,
        "after": None,
    }
    if change.change == "changed":
        assert change.before is not None and change.after is not None
        for side, state in (("before", change.before), ("after", change.after)):
            item[side] = {f: _field_value(diff, change, state, f) for f in change.fields}
    return item


def diff_json(diff: Diff, schema: Schema | None = None) -> Row:
    """``{"from", "to", "entity", "counts", "items"}``: the body of ``GET /api/changes``."""
    return {
        "from": diff.old.ref(),
        "to": diff.new.ref(),
        "entity": diff.entity,
        "counts": diff.counts(),
        "items": [change_item(diff, c, schema) for c in diff.changes],
    }


def _cite(source: Row) -> str:
    said = ", ".join(str(source[k]) for k in ("publisher", "date") if source.get(k))
    line = f"{source.get('title') or source['id']}" + (f" ({said})" if said else "")
    line += f" {source['url']}" if source.get("url") else ""
    line += f" [{source['evidence']}]" if source.get("evidence") else ""
    return line + (f": “{source['quote']}”" if source.get("quote") else "")


def _dates(item: Row) -> str:
    if not item["start"] and not item["end"]:
        return ""
    return f" ({item['start'] or '?'} to {item['end']})" if item["end"] else f" ({item['start']})"


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_cite(v) if isinstance(v, dict) else str(v) for v in value) or "none"
    return "none" if value is None else repr(value)


def _item_text(item: Row) -> list[str]:
    mark = _MARK[item["change"]]
    if item["kind"] == "entity":
        head = f"{mark} entity {item['label']} ({item['id']}, {item['type']}){_dates(item)}"
    else:
        s, o = item["subject"]["label"], item["object"]["label"]
        head = f"{mark} claim {s} {item['predicate_label']} {o}{_dates(item)} [{item['id']}]"
    lines = [head]
    for name in item["fields"]:
        before, after = _shown(item["before"][name]), _shown(item["after"][name])
        lines.append(f"    {name}: {before} -> {after}")
    if item["change"] != "changed":
        lines += [f"    source: {_cite(s)}" for s in item["sources"]]
    return lines


def diff_text(diff: Diff, schema: Schema | None = None) -> str:
    """The diff as lines a person reads: a summary, then one block per change."""
    body = diff_json(diff, schema)
    counts = body["counts"]
    summary = "; ".join(
        f"{kind}: " + ", ".join(f"{n} {change}" for change, n in counts[kind].items())
        for kind in ("entities", "claims")
    )
    about = f" about {diff.entity}" if diff.entity else ""
    lines = [
        f"changes{about} from {diff.old.version} (built {diff.old.built_at}) "
        f"to {diff.new.version} (built {diff.new.built_at})",
        summary,
    ]
    if not body["items"]:
        return "\n".join([*lines, "no changes"])
    lines.append("")
    for item in body["items"]:
        lines += _item_text(item)
    return "\n".join(lines)
