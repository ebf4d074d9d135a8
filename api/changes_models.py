"""Response model of ``GET /api/changes``, with an example so that ``/docs`` teaches it.

Kept beside :mod:`api.routes.changes` rather than in :mod:`api.models`: one area, one file.
The body is :func:`graph.changes_report.diff_json` plus ``version``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.models import EntityRef, SourceRef, Versioned

__all__ = ["ChangeCounts", "ChangeItem", "ChangesResponse", "Counts", "VersionRef"]

_EXAMPLE: dict[str, Any] = {
    "from": {"version": "85be24b907a537df", "built_at": "2025-03-01T09:12:40+00:00"},
    "to": {"version": "3b1a98055104016e", "built_at": "2025-03-08T10:02:11+00:00"},
    "entity": None,
    "counts": {
        "entities": {"added": 0, "removed": 0, "changed": 0},
        "claims": {"added": 0, "removed": 0, "changed": 1},
    },
    "items": [
        {
            "kind": "claim",
            "change": "changed",
            "id": "446f08233af6713b69d2970c",
            "subject": {"id": "david-lammy", "label": "David Lammy", "type": "Person"},
            "predicate": "holds",
            "predicate_label": "held post",
            "object": {"id": "uk-foreign-secretary", "label": "...", "type": "Post"},
            "evidence": "documented",
            "start": "2024-07-05",
            "end": "2025-09-05",
            "sources": [{"id": "gov-uk-lammy", "title": "David Lammy", "quote": "..."}],
            "fields": ["end"],
            "before": {"end": None},
            "after": {"end": "2025-09-05"},
        }
    ],
    "version": "3b1a98055104016e",
}


class VersionRef(BaseModel):
    version: str = Field(description="the dataset version (content hash)")
    built_at: str = Field(description="when it was built in this store (ISO 8601, UTC)")


class ChangeCounts(BaseModel):
    added: int
    removed: int
    changed: int


class Counts(BaseModel):
    entities: ChangeCounts
    claims: ChangeCounts


class ChangeItem(BaseModel):
    """One entity or claim added, removed or changed; a claim with its triple in words."""

    kind: Literal["entity", "claim"]
    change: Literal["added", "removed", "changed"]
    id: str = Field(description="the entity id, or the claim id (stable across versions)")
    label: str | None = Field(default=None, description="an entity's English label")
    type: str | None = Field(default=None, description="an entity's class")
    subject: EntityRef | None = None
    predicate: str | None = Field(default=None, description="a claim's relation, e.g. signed")
    predicate_label: str | None = Field(default=None, description="the relation in words")
    object: EntityRef | None = None
    evidence: str | None = Field(default=None, description="a claim's strongest evidence")
    start: str | None
    end: str | None
    sources: list[SourceRef] = Field(description="the newest state's sources (or references)")
    fields: list[str] = Field(description="for a change: the fields that differ")
    before: dict[str, Any] | None = Field(description="for a change: those fields before")
    after: dict[str, Any] | None = Field(description="for a change: those fields after")


class ChangesResponse(Versioned):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    from_: VersionRef = Field(alias="from", description="the older build compared")
    to: VersionRef = Field(description="the newer build compared (default: the one served)")
    entity: str | None = Field(description="the entity the changes were restricted to")
    counts: Counts
    items: list[ChangeItem] = Field(description="entities, then claims; data order")
