"""``GET /``: the front door (search first, then example questions); ``GET /search``: results.

A reporter arrives with a name, not a query language: the home page leads with a search box
and questions the graph answers well, with SPARQL one click away. Every HTML page carries the
same search box (``base.html``) and submits here.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SnapshotDep
from api.errors import BadParameter
from api.pages import templates
from api.state import Snapshot

__all__ = ["QUESTIONS", "Question", "router"]

router = APIRouter(tags=["pages"])


@dataclass(frozen=True)
class Question:
    """An example question, shown when the entities it needs are in the graph."""

    text: str
    url: str
    needs: tuple[str, ...]


QUESTIONS = [
    Question(
        "How did the Bletchley AI Safety Summit lead to the UN's scientific panel on AI?",
        "/views/path?from=ai-safety-summit-2023&to=independent-international-scientific-panel-on-ai",
        ("ai-safety-summit-2023", "independent-international-scientific-panel-on-ai"),
    ),
    Question(
        "Who signed the Bletchley Declaration?",
        "/id/bletchley-declaration",
        ("bletchley-declaration",),
    ),
    Question(
        "Who was UK Foreign Secretary on 18 October 2024?",
        "/api/holders?post=uk-foreign-secretary&date=2024-10-18",
        ("uk-foreign-secretary",),
    ),
    Question(
        "What did the UN High-level Advisory Body on AI produce, and what did that shape?",
        "/views/lineage/un-high-level-advisory-body-on-ai?direction=downstream",
        ("un-high-level-advisory-body-on-ai",),
    ),
    Question(
        "How did the AI safety summit series run from Bletchley to New Delhi?",
        "/views/path?from=ai-safety-summit-2023&to=india-ai-impact-summit-2026",
        ("ai-safety-summit-2023", "india-ai-impact-summit-2026"),
    ),
    Question(
        "Which companies signed the EU's General-Purpose AI Code of Practice?",
        "/id/gpai-code-of-practice",
        ("gpai-code-of-practice",),
    ),
    Question(
        "What revoked Biden's executive order on AI, and what followed from it?",
        "/views/lineage/eo-14110?direction=downstream",
        ("eo-14110",),
    ),
    Question(
        "Who is David Lammy, and what is he tied to?",
        "/views/entity/david-lammy",
        ("david-lammy",),
    ),
]


def _questions(snapshot: Snapshot) -> list[Question]:
    return [q for q in QUESTIONS if all(snapshot.has_entity(n) for n in q.needs)]


@router.get("/", include_in_schema=False, response_class=HTMLResponse)
async def home(request: Request, snapshot: SnapshotDep) -> HTMLResponse:
    context = {
        "version": snapshot.version,
        "manifest": snapshot.manifest,
        "questions": _questions(snapshot),
        "types": sorted(snapshot.schema.classes),
        "query": "",
    }
    return templates.TemplateResponse(request, "home.html", context)


@router.get("/search", summary="Search results as a page", response_class=HTMLResponse)
async def search_page(
    request: Request,
    snapshot: SnapshotDep,
    q: Annotated[str, Query(max_length=200, description="a name in any language")] = "",
    type: Annotated[str | None, Query(description="restrict to a class")] = None,
) -> HTMLResponse:
    """The HTML face of ``/api/search``: each hit links to its page and its network view."""
    if type and type not in snapshot.schema.classes:
        raise BadParameter("type", f"unknown class {type!r}")
    hits = await asyncio.to_thread(snapshot.search.search, q, type=type or None, limit=30)
    context = {
        "version": snapshot.version,
        "query": q,
        "search_query": q,
        "type": type or "",
        "types": sorted(snapshot.schema.classes),
        "hits": hits if q.strip() else [],
    }
    return templates.TemplateResponse(request, "search.html", context)
