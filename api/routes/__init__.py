"""One router per area of the API; ``api.app.ROUTERS`` lists them in one place."""

from api.routes import (
    entities,
    export,
    home,
    linked_data,
    meta,
    network,
    search,
    sparql,
    temporal,
)

__all__ = [
    "entities",
    "export",
    "home",
    "linked_data",
    "meta",
    "network",
    "search",
    "sparql",
    "temporal",
]
