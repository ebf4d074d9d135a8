"""Response models of the JSON API, with examples so that ``/docs`` teaches the API.

Every JSON body carries ``version``, the dataset version from the build manifest.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "EntityProfile",
    "EntityRef",
    "ErrorBody",
    "HolderItem",
    "HoldersResponse",
    "HopModel",
    "LineageResponse",
    "PathModel",
    "PathsResponse",
    "PostRef",
    "RelationModel",
    "SearchResponse",
    "SearchResult",
    "SourceRef",
    "TimelineItem",
    "TimelineResponse",
    "Versioned",
]


def _example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class Versioned(BaseModel):
    version: str = Field(description="dataset version (content hash) from the build manifest")


class ErrorBody(Versioned):
    model_config = _example(
        {
            "error": "not_found",
            "detail": "unknown entity 'no-such-thing'",
            "id": "no-such-thing",
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    error: str
    detail: str
    id: str | None = None
    errors: list[dict[str, Any]] | None = None


class SourceRef(BaseModel):
    model_config = _example(
        {
            "id": "seed-article",
            "title": "Lammy's China visit",
            "url": "https://example.org",
            "quote": "verbatim words from the source",
        }
    )
    id: str
    title: str | None = None
    url: str | None = None
    quote: str | None = None


class EntityRef(BaseModel):
    id: str
    label: str
    type: str


class PostRef(BaseModel):
    id: str
    label: str


class SearchResult(BaseModel):
    id: str
    label: str
    type: str
    description: str | None
    score: float = Field(
        description="100 exact English label, 98 other label, 95 alias, lower fuzzy"
    )
    matched: str = Field(description="the name (label or alias) that matched the query")


class SearchResponse(Versioned):
    model_config = _example(
        {
            "query": "Bletchly",
            "results": [
                {
                    "id": "ai-safety-summit-2023",
                    "label": "AI Safety Summit 2023",
                    "type": "Summit",
                    "description": "The first global AI Safety Summit, at Bletchley Park.",
                    "score": 72.0,
                    "matched": "Bletchley Park summit",
                }
            ],
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    query: str
    results: list[SearchResult]


class RelationModel(BaseModel):
    predicate: str = Field(description="the relation name in the schema, e.g. signed")
    label: str = Field(description="human label read from this entity: 'signed' or 'signed by'")
    direction: Literal["out", "in"]
    other: EntityRef
    start: str | None
    end: str | None
    evidence: str = Field(description="documented, reported or inferred (the strongest source)")
    influence: bool
    sources: list[SourceRef]


class EntityProfile(Versioned):
    model_config = _example(
        {
            "id": "david-lammy",
            "iri": "https://w3id.org/govgraph/id/david-lammy",
            "label": "David Lammy",
            "labels": {"en": "David Lammy", "zh-Hans": "拉米"},
            "aliases": [],
            "type": "Person",
            "description": "UK Foreign Secretary from July 2024.",
            "sameAs": ["http://www.wikidata.org/entity/Q1174285"],
            "start": None,
            "end": None,
            "sources": [{"id": "seed-article", "title": "...", "url": None, "quote": None}],
            "relations": [
                {
                    "predicate": "holds",
                    "label": "held post",
                    "direction": "out",
                    "other": {"id": "uk-foreign-secretary", "label": "...", "type": "Post"},
                    "start": "2024-07-05",
                    "end": None,
                    "evidence": "documented",
                    "influence": False,
                    "sources": [{"id": "seed-article", "title": "...", "quote": "..."}],
                }
            ],
            "relations_total": 1,
            "relations_offset": 0,
            "relations_limit": 100,
            "relations_truncated": False,
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    id: str
    iri: str
    label: str
    labels: dict[str, str]
    aliases: list[str]
    type: str
    description: str | None
    sameAs: list[str]
    start: str | None
    end: str | None
    sources: list[SourceRef] = Field(description="sources for the entity itself")
    relations: list[RelationModel]
    relations_total: int = Field(description="relations in both directions before paging")
    relations_offset: int
    relations_limit: int
    relations_truncated: bool = Field(
        description="true when more relations follow: ask again with a larger relations_offset"
    )


class HopModel(BaseModel):
    subject: str
    subject_label: str
    predicate: str
    label: str = Field(description="human label of the relation")
    object: str
    object_label: str
    start: str | None
    end: str | None
    influence: bool
    sources: list[SourceRef]


class PathModel(BaseModel):
    length: int
    hops: list[HopModel]


class PathsResponse(Versioned):
    model_config = _example(
        {
            "from": {"id": "ai-safety-summit-2023", "label": "AI Safety Summit", "type": "Summit"},
            "to": {"id": "example", "label": "Example", "type": "ResearchGroup"},
            "max_hops": 4,
            "influence_only": True,
            "chronological": True,
            "paths": [{"length": 1, "hops": []}],
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    from_: EntityRef = Field(alias="from")
    to: EntityRef
    max_hops: int
    influence_only: bool
    chronological: bool
    paths: list[PathModel]


class LineageNode(BaseModel):
    id: str
    label: str
    type: str
    start: str | None
    end: str | None
    distance: int = Field(description="influence hops from the root")


class LineageResponse(Versioned):
    root: EntityRef
    direction: Literal["upstream", "downstream"]
    depth: int
    nodes: list[LineageNode]
    edges: list[HopModel]


class HolderItem(BaseModel):
    person: EntityRef
    start: str | None
    end: str | None
    evidence: str
    sources: list[SourceRef]


class HoldersResponse(Versioned):
    model_config = _example(
        {
            "post": {"id": "uk-foreign-secretary", "label": "UK Foreign Secretary"},
            "date": "2024-10-18",
            "holders": [
                {
                    "person": {"id": "david-lammy", "label": "David Lammy", "type": "Person"},
                    "start": "2024-07-05",
                    "end": None,
                    "evidence": "documented",
                    "sources": [],
                }
            ],
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    post: PostRef
    date: str | None
    holders: list[HolderItem]


class TimelineItem(BaseModel):
    date: str
    end: str | None
    kind: Literal["entity", "statement"] = Field(
        description="'entity': an entity's own dates (an event, a publication, a founding); "
        "'statement': a dated relation"
    )
    entity: EntityRef | None = None
    subject: EntityRef | None = None
    predicate: str | None = None
    label: str | None = None
    object: EntityRef | None = None
    evidence: str | None = None
    sources: list[SourceRef]


class TimelineResponse(Versioned):
    model_config = _example(
        {
            "entity": None,
            "from": "2023",
            "to": "2024",
            "total": 1,
            "offset": 0,
            "limit": 200,
            "truncated": False,
            "items": [
                {
                    "date": "2023-11-01",
                    "end": None,
                    "kind": "statement",
                    "subject": {"id": "china", "label": "China", "type": "Country"},
                    "predicate": "signed",
                    "label": "signed",
                    "object": {"id": "bletchley-declaration", "label": "", "type": "Declaration"},
                    "evidence": "documented",
                    "sources": [],
                }
            ],
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    entity: EntityRef | None
    from_: str | None = Field(alias="from")
    to: str | None
    total: int
    offset: int
    limit: int
    truncated: bool
    items: list[TimelineItem]
