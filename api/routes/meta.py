"""``GET /api/version``: the build manifest (the front door is in ``api.routes.home``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import SnapshotDep

__all__ = ["router"]

router = APIRouter(tags=["meta"])


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
