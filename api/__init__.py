"""The govgraph web app: JSON API, SPARQL 1.1 endpoint, Linked-Data pages and views."""
