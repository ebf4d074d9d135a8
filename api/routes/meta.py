"""``GET /``: the front door (to the query page); ``GET /api/version``: the build manifest."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from api.deps import SnapshotDep

__all__ = ["router"]

router = APIRouter(tags=["meta"])


@router.get("/", include_in_schema=False)
async def home() -> RedirectResponse:
    return RedirectResponse("/sparql", status_code=307)


@router.get(
    "/api/version",
    summary="The dataset version and the manifest of the build being served",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "version": "3f2a9c0d1e2b4a5c",
                        "manifest": {"entities": 9, "statements": 11, "triples": 700},
                    }
                }
            }
        }
    },
)
async def version(snapshot: SnapshotDep) -> dict[str, Any]:
    return {"version": snapshot.version, "manifest": snapshot.manifest}
