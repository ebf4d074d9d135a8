"""Importing an RDF file into a new build, safely.

The file is read as bytes under a size cap, must be UTF-8 without NUL, and is parsed from memory
(never from a URL or path that a parser could resolve further). Formats that can make a parser
fetch or expand things are checked first: RDF/XML with a DOCTYPE or ENTITY declaration is
refused (no "billion laughs", no external entities), and JSON-LD whose ``@context`` names a URL
or file, or uses ``@import``, is refused (nothing is ever fetched). The parsed triples are added
to the current graph, the union is validated with the SHACL shapes, and loaded into a new build
made current by the same atomic swap as ``build``: one bad file fails the import as a whole and
the last good store stays current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from graph.build import _shacl, describe_dataset
from graph.checks import CheckedData
from graph.datafile import DataSet, read_text_file
from graph.formats import RdfFormat
from graph.oxigraph_store import OxigraphStore
from graph.problems import DataError, Location, Problem
from graph.schema import load_schema
from graph.storedir import StoreDir
from graph.vocab import DATASET

__all__ = ["IMPORT_BASE", "MAX_IMPORT_BYTES", "import_file", "read_rdf_file"]

MAX_IMPORT_BYTES = 50_000_000
IMPORT_BASE = "https://w3id.org/govgraph/import/"
_BY_SUFFIX = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.NTRIPLES,
    ".nq": RdfFormat.NQUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSONLD,
    ".json": RdfFormat.JSONLD,
    ".rdf": RdfFormat.RDFXML,
    ".owl": RdfFormat.RDFXML,
    ".xml": RdfFormat.RDFXML,
}
_XML_DECLS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _fail(shown: str, message: str, line: int = 1) -> DataError:
    return DataError([Problem(Location(shown, line), "file", message)])


def _remote_contexts(node: Any, found: list[str]) -> None:
    """Collect every ``@context`` that names a document (URL or path) and every ``@import``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@import":
                found.append(f"@import {value!r}")
            elif key == "@context":
                for ctx in value if isinstance(value, list) else [value]:
                    if isinstance(ctx, str):
                        found.append(f"@context {ctx!r}")
                    else:
                        _remote_contexts(ctx, found)
                continue
            _remote_contexts(value, found)
    elif isinstance(node, list):
        for item in node:
            _remote_contexts(item, found)


def _check_jsonld(text: str, shown: str) -> None:
    try:
        doc = json.loads(text)
    except RecursionError:
        raise _fail(shown, "JSON nests too deeply") from None
    except json.JSONDecodeError as exc:
        raise _fail(shown, f"not valid JSON: {exc.msg}", exc.lineno) from None
    found: list[str] = []
    _remote_contexts(doc, found)
    if found:
        raise _fail(
            shown,
            f"JSON-LD context must be inline: remote or file contexts are refused ({found[0]}); "
            "nothing is fetched during an import",
        )


def _check_rdfxml(text: str, shown: str) -> None:
    match = _XML_DECLS.search(text)
    if match:
        line = text[: match.start()].count("\n") + 1
        raise _fail(shown, f"RDF/XML with a {match.group(1).upper()} declaration is refused", line)


def read_rdf_file(path: Path, *, max_bytes: int | None = None) -> Graph:
    """Parse ``path`` (format from its suffix) into a graph, or raise ``DataError``."""
    shown = str(path)
    fmt = _BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise _fail(shown, f"unknown RDF file type {path.suffix!r}; use {', '.join(_BY_SUFFIX)}")
    text = read_text_file(
        path, shown, max_bytes=MAX_IMPORT_BYTES if max_bytes is None else max_bytes
    )
    if fmt is RdfFormat.JSONLD:
        _check_jsonld(text, shown)
    if fmt is RdfFormat.RDFXML:
        _check_rdfxml(text, shown)
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser warns about its own internals
            warnings.simplefilter("ignore", DeprecationWarning)
            return _parse(text, fmt)
    except RecursionError:
        raise _fail(shown, "the file nests too deeply to parse") from None
    except Exception as exc:
        raise _fail(shown, f"not valid {fmt.short}: {type(exc).__name__}: {exc}"[:500]) from None


def _parse(text: str, fmt: RdfFormat) -> Graph:
    graph = Graph()
    if fmt in (RdfFormat.NQUADS, RdfFormat.TRIG):
        ds = Dataset()
        ds.parse(data=text, format=fmt.rdflib_name, publicID=IMPORT_BASE)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    graph.parse(data=text, format=fmt.rdflib_name, publicID=IMPORT_BASE)
    return graph


def import_file(
    path: Path,
    store_root: Path,
    *,
    progress: Callable[[str], None] = lambda _: None,
    max_bytes: int | None = None,
) -> dict[str, Any]:
    """Add the triples of ``path`` to the current graph as a new, validated, current build
    (``max_bytes``: the largest file read, ``MAX_IMPORT_BYTES`` by default)."""
    t0 = time.perf_counter()
    imported = read_rdf_file(path, max_bytes=max_bytes)
    progress(f"read {len(imported)} triples from {path}")
    store_dir = StoreDir(store_root)
    current = store_dir.open()
    manifest = store_dir.manifest()
    graph = Graph()
    graph.parse(data=current.export(format=RdfFormat.NTRIPLES), format="nt")
    current.close()
    before = len(graph)
    graph += imported
    progress(f"validating {len(graph)} triples with the SHACL shapes")
    nowhere = CheckedData(DataSet(root=path.parent), {}, {}, [])
    problems = _shacl(graph, nowhere, load_schema())
    if problems:
        raise DataError([Problem(Location(str(path), 0), p.field, p.message) for p in problems])
    digest = hashlib.sha256(manifest.get("version", "").encode())
    digest.update(path.read_bytes())
    version = digest.hexdigest()[:16]
    graph.remove((DATASET, None, None))  # the old build's (or an imported, forged) version
    describe_dataset(graph, version)
    target = store_dir.new_build(version)
    try:
        store = OxigraphStore.open(target / "store", read_only=False)
        store.load(graph)
        store.close()
        imports = [*manifest.get("imports", []), {"file": path.name, "triples": len(imported)}]
        manifest = {
            **manifest,
            "version": version,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "triples": len(graph),
            "imports": imports,
            "import_seconds": round(time.perf_counter() - t0, 2),
        }
        with store_dir.locked():
            store_dir.commit(target, manifest)
    except BaseException:
        store_dir.discard(target)
        raise
    progress(f"added {len(graph) - before} new triples; version {version} is now current")
    return manifest
