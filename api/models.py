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
    "ReferenceItem",
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
    """One reference of a claim: the source and what it says (or a source of an entity)."""

    model_config = _example(
        {
            "id": "seed-article",
            "title": "Lammy's China visit",
            "publisher": "Example Press",
            "date": "2024-10-18",
            "url": "https://example.org",
            "quote": "verbatim words from the source",
            "evidence": "reported",
        }
    )
    id: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = Field(default=None, description="the source's publication date")
    url: str | None = None
    quote: str | None = Field(default=None, description="verbatim words of the source")
    evidence: str | None = Field(
        default=None, description="documented, reported or inferred: this reference's own kind"
    )


class ReferenceItem(SourceRef):
    """A numbered entry of an explanation's reference list (``[n]`` in its narrative)."""

    n: int = Field(description="the number cited in the narrative")


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
    claim: str = Field(description="the claim id: one row per fact, with all its sources")
    evidence: str = Field(description="documented, reported or inferred (the strongest source)")
    influence: bool
    lineage: str | None = Field(
        default=None, description="shaped-by, produced-by, produces, or null (no lineage)"
    )
    single_source: bool = Field(
        default=False, description="true when the claim rests on one source only"
    )
    sources: list[SourceRef] = Field(description="every reference of the claim, strongest first")
    first_version: str | None = Field(
        default=None,
        description="the dataset version the claim first appeared in (null: no history)",
    )
    first_version_built_at: str | None = Field(
        default=None, description="when that version was built (ISO 8601, UTC)"
    )


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
                    "end": "2025-09-05",
                    "claim": "2cf2a03fa24af7c61598265d",
                    "evidence": "reported",
                    "influence": False,
                    "lineage": None,
                    "sources": [
                        {"id": "anews-lammy-appointed-2024", "title": "...", "quote": "..."},
                        {"id": "seed-article", "title": "...", "quote": None},
                    ],
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
    incomplete: list[dict[str, str]] = Field(
        default=[],
        description="relations whose list is known to be partial, e.g. "
        "[{'predicate': 'signed', 'label': 'signed by'}]: not every signatory is recorded",
    )
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
    claim: str = Field(description="the claim id (the earliest claim of this triple)")
    evidence: str = Field(description="documented, reported or inferred (the strongest source)")
    influence: bool
    lineage: str | None = Field(description="shaped-by, produced-by, produces, or null")
    sources: list[SourceRef]


class PathHop(HopModel):
    walked: Literal["downstream", "upstream"] | None = Field(
        description="which way the path walks this lineage fact: downstream (from what shaped "
        "it to what it shaped) or upstream; null for an association"
    )
    cites: list[int] = Field(description="numbers of this hop's references in the narrative")


class PathModel(BaseModel):
    length: int
    score: float = Field(description="0-1, higher is better (exp(-cost/6))")
    cost: float = Field(description="the ranking cost (see the README's ranking notes)")
    reasons: list[str] = Field(description="why the path ranks where it does")
    variants: int = Field(
        description="similar paths folded into this one (one intermediate swapped for another "
        "in the same role)"
    )
    narrative: str = Field(description="the path as a paragraph in time order with [n] citations")
    references: list[ReferenceItem]
    hops: list[PathHop] = Field(description="in path order, from `from` to `to`")


class PathsResponse(Versioned):
    model_config = _example(
        {
            "from": {"id": "ai-safety-summit-2023", "label": "AI Safety Summit", "type": "Summit"},
            "to": {"id": "example", "label": "Example", "type": "ResearchGroup"},
            "max_hops": 4,
            "influence_only": False,
            "chronological": False,
            "via_topics": False,
            "paths": [
                {
                    "length": 2,
                    "score": 0.676,
                    "cost": 2.35,
                    "reasons": ["influence chain", "chronological", "1 of 2 hops documented"],
                    "variants": 0,
                    "narrative": "AI Safety Summit 2023 (1–2 November 2023) commissioned "
                    "International Scientific Report on the Safety of Advanced AI: Interim "
                    "Report (17 May 2024) [1]. Independent International Scientific Panel on "
                    "Artificial Intelligence (26 August 2025) built on International Scientific "
                    "Report on the Safety of Advanced AI: Interim Report [2].",
                    "references": [{"n": 1, "id": "...", "title": "...", "quote": "..."}],
                    "hops": [],
                }
            ],
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    from_: EntityRef = Field(alias="from")
    to: EntityRef
    max_hops: int
    influence_only: bool
    chronological: bool
    via_topics: bool
    evidence: str | None = Field(default=None, description="the evidence filter applied")
    paths: list[PathModel] = Field(description="the best explanation first")
    hint: str | None = Field(
        default=None, description="when no path is found: why, and what to try"
    )


class LineageNode(BaseModel):
    id: str
    label: str
    type: str
    start: str | None
    end: str | None
    distance: int = Field(description="lineage hops from the root")


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
    claim: str = Field(description="the claim id of this tenure")
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
    undated: list[HolderItem] = Field(
        default=[], description="with `date`: tenures with no start date (they may cover it)"
    )
    warnings: list[str] = Field(
        default=[],
        description="what the answer cannot see: undated tenures, a date outside the post's "
        "existence",
    )


class TimelineItem(BaseModel):
    date: str
    end: str | None
    kind: Literal["entity", "claim"] = Field(
        description="'entity': an entity's own dates (an event, a publication, a founding); "
        "'claim': a dated fact (one row per claim, with all its sources)"
    )
    entity: EntityRef | None = None
    subject: EntityRef | None = None
    predicate: str | None = None
    label: str | None = None
    object: EntityRef | None = None
    claim: str | None = Field(default=None, description="the claim id (kind 'claim')")
    via: EntityRef | None = Field(
        default=None,
        description="for an entity's timeline: the government body of it that issued this",
    )
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
                    "kind": "claim",
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
