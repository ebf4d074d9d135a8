"""Each module's public API is pinned by ``__all__``: every listed name exists."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import api
import api.routes
import graph

MODULES = sorted(
    m.name
    for package, prefix in ((graph, "graph."), (api, "api."), (api.routes, "api.routes."))
    for m in pkgutil.iter_modules(package.__path__, prefix)
    if not m.ispkg
)


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported, f"{name} should declare its public API in __all__"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ lists missing names {missing}"


def test_only_the_store_module_imports_pyoxigraph() -> None:
    from pathlib import Path

    root = Path(graph.__file__).parent.parent
    offenders = [
        str(p)
        for folder in ("graph", "api")
        for p in (root / folder).rglob("*.py")
        if "import pyoxigraph" in p.read_text(encoding="utf-8") and p.name != "oxigraph_store.py"
    ]
    assert not offenders, f"only graph/oxigraph_store.py may import pyoxigraph: {offenders}"
