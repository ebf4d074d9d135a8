"""The Reconciliation Service API's response bodies, with the protocol's own examples (they
document the routes in ``api.routes.reconcile`` and OpenAPI)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from api.reconcile_input import IDENTIFIER_SPACE, SCHEMA_SPACE

__all__ = [
    "CANDIDATE_EXAMPLE",
    "EXTEND_EXAMPLE",
    "MANIFEST_EXAMPLE",
    "Candidate",
    "ExtendResponse",
    "Manifest",
    "ProposeResponse",
    "Result",
    "ResultBatch",
    "SuggestResponse",
]


CANDIDATE_EXAMPLE: dict[str, Any] = {
    "id": "li-qiang",
    "name": "Li Qiang",
    "description": "Premier of China's State Council since 11 March 2023",
    "type": [{"id": "Person", "name": "Person"}],
    "score": 98.0,
    "match": True,
    "features": [{"id": "name", "value": 98.0}],
}

MANIFEST_EXAMPLE: dict[str, Any] = {
    "versions": ["0.2"],
    "name": "govgraph: actors of AI governance",
    "identifierSpace": IDENTIFIER_SPACE,
    "schemaSpace": SCHEMA_SPACE,
    "view": {"url": "http://127.0.0.1:8000/id/{{id}}"},
    "preview": {
        "url": "http://127.0.0.1:8000/reconcile/preview?id={{id}}",
        "width": 430,
        "height": 220,
    },
    "defaultTypes": [{"id": "Person", "name": "Person"}],
    "suggest": {
        "entity": {
            "service_url": "http://127.0.0.1:8000/reconcile",
            "service_path": "/suggest/entity",
        }
    },
    "extend": {
        "propose_properties": {
            "service_url": "http://127.0.0.1:8000/reconcile",
            "service_path": "/propose_properties",
        }
    },
    "version": "3f2a9c0d1e2b4a5c",
}

EXTEND_EXAMPLE: dict[str, Any] = {
    "meta": [
        {"id": "wikidata", "name": "Wikidata QID"},
        {"id": "holds", "name": "held post", "type": {"id": "Post", "name": "Post"}},
    ],
    "rows": {
        "david-lammy": {
            "wikidata": [{"str": "Q1174285"}],
            "holds": [{"id": "uk-foreign-secretary", "name": "UK Foreign Secretary"}],
        }
    },
    "version": "3f2a9c0d1e2b4a5c",
}


def _example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class TypeRef(BaseModel):
    id: str = Field(description="a class of graph/schema.yaml (its IRI is schemaSpace + id)")
    name: str


class Candidate(BaseModel):
    """One candidate of a reconciliation result; results are keyed like the query batch."""

    model_config = _example(CANDIDATE_EXAMPLE)
    id: str = Field(description="entity slug (its IRI is identifierSpace + id)")
    name: str
    description: str | None = None
    type: list[TypeRef] = Field(description="its class, then its superclasses")
    score: float = Field(description="0-100: name similarity, then 40% property agreement")
    match: bool = Field(description="exact label or alias, clearly ahead of the next")
    features: list[dict[str, Any]]


class Result(BaseModel):
    result: list[Candidate] = Field(description="candidates, best first")


class ResultBatch(RootModel[dict[str, Result]]):
    """A result per key of the query batch (no ``version`` key: every key is a query's)."""

    model_config = _example({"q0": {"result": [CANDIDATE_EXAMPLE]}})


class Manifest(BaseModel):
    model_config = _example(MANIFEST_EXAMPLE)
    versions: list[str]
    name: str
    identifierSpace: str
    schemaSpace: str
    documentation: str
    view: dict[str, str]
    preview: dict[str, Any]
    defaultTypes: list[TypeRef]
    suggest: dict[str, dict[str, str]]
    extend: dict[str, Any]
    version: str


class SuggestItem(BaseModel):
    id: str
    name: str
    description: str | None = None
    notable: list[TypeRef] | None = Field(default=None, description="entities: their class")


class SuggestResponse(BaseModel):
    model_config = _example(
        {
            "result": [
                {
                    "id": "bletchley-declaration",
                    "name": "Bletchley Declaration",
                    "notable": [{"id": "Declaration", "name": "Declaration"}],
                }
            ],
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    result: list[SuggestItem]
    version: str


class ProposeResponse(BaseModel):
    model_config = _example(
        {
            "type": "Person",
            "properties": [
                {"id": "wikidata", "name": "Wikidata QID", "description": "the Wikidata item"},
                {"id": "holds", "name": "held post", "description": "A person held a post."},
            ],
            "version": "3f2a9c0d1e2b4a5c",
        }
    )
    type: str | None
    limit: int | None = None
    properties: list[SuggestItem]
    version: str


class ExtendResponse(BaseModel):
    model_config = _example(EXTEND_EXAMPLE)
    meta: list[dict[str, Any]]
    rows: dict[str, dict[str, list[dict[str, Any]]]]
    version: str
