"""The govgraph web app: JSON API, SPARQL 1.1 endpoint, Linked-Data pages and views."""

from api.app import ROUTERS, create_app

__all__ = ["ROUTERS", "create_app"]
