"""One router per area of the API; ``api.app.ROUTERS`` lists them in one place."""

from api.routes import (
    changes,
    entities,
    export,
    home,
    linked_data,
    meta,
    network,
    participation,
    reconcile,
    search,
    sparql,
    temporal,
    timeline_view,
)

__all__ = [
    "changes",
    "entities",
    "export",
    "home",
    "linked_data",
    "meta",
    "network",
    "participation",
    "reconcile",
    "search",
    "sparql",
    "temporal",
    "timeline_view",
]
