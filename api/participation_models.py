"""Response model of ``GET /api/participation``, with an example so that ``/docs`` teaches it.

Kept beside :mod:`api.participation` rather than in :mod:`api.models`: one area, one file.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.models import EntityRef, SourceRef, Versioned

__all__ = [
    "CellClaim",
    "CellModel",
    "CitedSource",
    "ColumnModel",
    "Filters",
    "ParticipationResponse",
    "RowModel",
]

_SOURCE = {
    "id": "gov-uk-bletchley-declaration",
    "title": "The Bletchley Declaration by Countries Attending the AI Safety Summit",
    "publisher": "UK Government (GOV.UK)",
    "date": "2023-11-01",
    "url": "https://www.gov.uk/government/publications/ai-safety-summit-2023-the-bletchley-declaration",
}
_EXAMPLE: dict[str, Any] = {
    "of": "declarations",
    "filters": {
        "actor_type": ["Country"],
        "columns": [],
        "in": ["bletchley-declaration"],
        "not_in": ["paris-statement-inclusive-sustainable-ai"],
        "evidence": None,
    },
    "columns": [
        {
            "id": "bletchley-declaration",
            "label": "The Bletchley Declaration",
            "type": "Declaration",
            "start": "2023-11-01",
            "end": None,
            "series": "bletchley-declaration",
            "incomplete": [],
            "count": 1,
        }
    ],
    "relations": {"signed": "signed", "sponsored": "sponsored"},
    "total": 1,
    "rows": [
        {
            "actor": {"id": "united-kingdom", "label": "United Kingdom", "type": "Country"},
            "in": ["bletchley-declaration"],
            "count": 1,
            "first": "bletchley-declaration",
            "last": "bletchley-declaration",
            "left": None,
            "cells": {
                "bletchley-declaration": {
                    "relations": ["signed"],
                    "claims": [
                        {
                            "claim": "4c1d2e3f4a5b6c7d8e9f0a1b",
                            "predicate": "signed",
                            "label": "signed",
                            "via": None,
                            "start": "2023-11-01",
                            "end": None,
                            "evidence": "documented",
                            "sources": [{**_SOURCE, "quote": "...", "evidence": "documented"}],
                        }
                    ],
                    "sources": [_SOURCE],
                }
            },
        }
    ],
    "version": "3f2a9c0d1e2b4a5c",
}


class CellClaim(BaseModel):
    """One claim that puts the actor in the column."""

    claim: str = Field(description="claim id: cite it at /statement/{claim}")
    predicate: str = Field(description="the relation, e.g. signed, attended, memberOf")
    label: str = Field(description="the relation in words")
    via: EntityRef | None = Field(
        default=None,
        description="summits only: the document issued at the summit (signed, sponsored) or "
        "the session or side event part of it (attended, hosted, invited to); null: direct",
    )
    start: str | None = None
    end: str | None = None
    evidence: str = Field(description="the claim's strongest evidence")
    sources: list[SourceRef] = Field(description="every reference, with its quote")


class CitedSource(BaseModel):
    """A source to cite (its quotes are on the claims)."""

    id: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


class CellModel(BaseModel):
    """How an actor took part in one column."""

    relations: list[str] = Field(description="the relations, in the matrix's order")
    claims: list[CellClaim]
    sources: list[CitedSource] = Field(description="the sources to cite, once each")


class ColumnModel(BaseModel):
    """A summit, declaration (or other signed document) or network, in time order."""

    id: str
    label: str
    type: str
    start: str | None = None
    end: str | None = None
    series: str = Field(
        description="the first column of its chain of `succeeds` links (a column without "
        "one is its own series); joined and left are read within a series"
    )
    incomplete: list[str] = Field(
        description="relations whose list is known to be partial here (for a summit, also "
        "the signatories of a document issued at it): an empty cell proves nothing"
    )
    count: int = Field(description="rows present in this column")


class RowModel(BaseModel):
    """One actor: the columns it is in and how."""

    actor: EntityRef
    in_: list[str] = Field(alias="in", description="ids of the columns it is in, in order")
    count: int = Field(description="how many columns it is in")
    first: str = Field(description="the first column it is in: when it joined")
    last: str = Field(description="the last column it is in")
    left: str | None = Field(
        description="the last column it was in before being absent from every later column "
        "of that series (the latest such); null: present at the end of each series it joined"
    )
    cells: dict[str, CellModel] = Field(description="column id -> how it took part")

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class Filters(BaseModel):
    actor_type: list[str]
    columns: list[str]
    in_: list[str] = Field(alias="in")
    not_in: list[str]
    evidence: str | None = None

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class ParticipationResponse(Versioned):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    of: str = Field(description="summits, declarations or networks")
    filters: Filters
    columns: list[ColumnModel]
    relations: dict[str, str] = Field(description="relation -> its words, in cell order")
    total: int = Field(description="rows")
    rows: list[RowModel] = Field(description="most columns first, then by label")
