"""govgraph's graph package: schema, data build, validation, stores, network, search, CLI."""
