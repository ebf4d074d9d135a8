"""The participation view: the matrix of :func:`api.participation.matrix` as an HTML table.

A table, not a drawing: actors down, summits, declarations or networks across, a mark in
each cell where the graph records a part, with a tooltip (the ``title`` attribute, shown by
the browser as text) listing how, when and on which sources. The page has no script at all,
so it works offline and under the strictest policy; the header row and the actor column
stay in view while the table scrolls (CSS ``position: sticky``). Every label, quote and title
is data, escaped by the template's autoescaping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from api.pages import templates
from graph.schema import Schema
from graph.views import PageLinks, embed_snippet, legend

__all__ = [
    "MAX_TOOLTIP_SOURCES",
    "TITLES",
    "ParticipationPage",
    "cell_title",
    "render_participation",
]

MAX_TOOLTIP_SOURCES = 4
TITLES = {
    "summits": "Who took part in the summits",
    "declarations": "Who signed the declarations",
    "networks": "Who is a member of the networks",
}
_INTROS = {
    "summits": "Countries, organisations and people by summit, in series order: hosted, "
    "attended, invited to, or signed a document issued at it (or took part in a session or "
    "side event of it).",
    "declarations": "Signatories and sponsors by declaration, statement or commitment, in "
    "time order.",
    "networks": "Members by organisation, network or panel, in time order of founding.",
}


@dataclass(frozen=True)
class ParticipationPage:
    """What a participation page shows: the matrix, the request, and where it links."""

    data: Mapping[str, Any]
    """The matrix as the API returns it."""
    all_columns: Sequence[Mapping[str, Any]] = ()
    """Every column of this kind (for the form), whatever ``columns`` chose."""
    links: PageLinks = field(default_factory=PageLinks)
    csv: str | None = None
    """The CSV of the same matrix."""
    site: str = ""
    """The app's origin: links are absolute so that an embed opens them from another site."""


def _when(claim: Mapping[str, Any]) -> str:
    start, end = claim.get("start"), claim.get("end")
    if start and end and start != end:
        return f"{start} – {end}"
    return str(start or (f"until {end}" if end else "undated"))


def cell_title(actor: Mapping[str, Any], column: Mapping[str, Any], cell: Mapping[str, Any]) -> str:
    """The tooltip of a cell, plain text: who, where, each claim (how, via what, when,
    evidence) and the first few sources."""
    lines = [f"{actor['label']} · {column['label']}"]
    for claim in cell["claims"]:
        how = str(claim["label"]) + (f" {claim['via']['label']}" if claim.get("via") else "")
        lines.append(f"{how} ({_when(claim)}; {claim['evidence']})")
    sources = cell["sources"]
    for src in sources[:MAX_TOOLTIP_SOURCES]:
        published = ", ".join(str(p) for p in (src.get("publisher"), src.get("date")) if p)
        title = f"Source: {src.get('title') or src['id']}"
        lines.append(title + (f" ({published})" if published else ""))
    if len(sources) > MAX_TOOLTIP_SOURCES:
        lines.append(f"(+{len(sources) - MAX_TOOLTIP_SOURCES} more sources)")
    return "\n".join(lines)


def _table(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each row with its cells in column order: present or not, and what to show."""
    labels = {c["id"]: c["label"] for c in data["columns"]}
    out = []
    for row in data["rows"]:
        cells = []
        for column in data["columns"]:
            cell = row["cells"].get(column["id"])
            if cell is None:
                cells.append({"column": column["id"], "present": False})
                continue
            cells.append(
                {
                    "column": column["id"],
                    "present": True,
                    "relations": cell["relations"],
                    "text": ", ".join(data["relations"][r] for r in cell["relations"]),
                    "title": cell_title(row["actor"], column, cell),
                    "claim": cell["claims"][0]["claim"],
                }
            )
        out.append(
            {
                **row,
                "row_cells": cells,
                "first_label": labels[row["first"]],
                "left_label": labels[row["left"]] if row["left"] else None,
            }
        )
    return out


def render_participation(page: ParticipationPage, *, schema: Schema, embed: bool = False) -> str:
    """The HTML page: tabs, filters, the matrix, links to its JSON, API and CSV."""
    data = page.data
    title = TITLES[data["of"]]
    return templates.env.get_template("participation.html").render(
        page=page,
        data=data,
        title=title,
        intro=_INTROS[data["of"]],
        kinds=TITLES,
        links=page.links,
        site=page.site,
        embed=embed,
        rows=_table(data),
        names={c["id"]: c["label"] for c in data["columns"]},
        types=legend(schema),
        selected_types=data["filters"]["actor_type"],
        chosen=set(data["filters"]["columns"]),
        snippet=embed_snippet(page.links.embed, title) if page.links.embed else None,
    )
