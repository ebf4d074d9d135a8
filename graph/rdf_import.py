"""Importing an RDF file into a new build, safely.

The file is read as bytes under a size cap, must be UTF-8 without NUL, and is parsed from memory
(never from a URL or path that a parser could resolve further). Formats that can make a parser
fetch or expand things are checked first: RDF/XML with a DOCTYPE or ENTITY declaration is
refused (no "billion laughs", no external entities), and JSON-LD whose ``@context`` names a URL
or file, or uses ``@import``, is refused (nothing is ever fetched). pyoxigraph parses the file
into a copy of the current store, the union is validated there with the SHACL shapes, and the
copy is made current by the same atomic swap as ``build``: one bad file fails the import as a
whole and the last good store stays current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.build import Stages, dataset_triples, keep_derived, shape_problems, write_store
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


def read_rdf_file(path: Path, *, max_bytes: int | None = None) -> tuple[bytes, RdfFormat]:
    """The bytes of ``path`` and its format (from its suffix), checked safe to parse: size-capped,
    UTF-8 without NUL, no DOCTYPE in RDF/XML, no remote or file context in JSON-LD. Raises
    ``DataError`` naming the file (and line) otherwise."""
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
    return text.encode("utf-8"), fmt


def import_file(
    path: Path,
    store_root: Path,
    *,
    progress: Callable[[str], None] = lambda _: None,
    max_bytes: int | None = None,
) -> dict[str, Any]:
    """Add the triples of ``path`` to the current graph as a new, validated, current build
    (``max_bytes``: the largest file read, ``MAX_IMPORT_BYTES`` by default).

    The current graph is copied into memory, the file is parsed into that copy, and the shapes
    and the derived serving data are computed there; only then is the new build's store
    written. Any failure discards the new build folder.
    """
    t0 = time.perf_counter()
    data, fmt = read_rdf_file(path, max_bytes=max_bytes)
    store_dir = StoreDir(store_root)
    manifest = store_dir.manifest()
    digest = hashlib.sha256(manifest.get("version", "").encode())
    digest.update(data)
    version = digest.hexdigest()[:16]
    target = store_dir.new_build(version)
    stages = Stages()
    try:
        # The union is made, checked and derived in memory (several times faster to query than
        # a disk store), then written to the new build's own folder.
        current = store_dir.open()
        try:
            memory = OxigraphStore.in_memory()
            memory.load_ntriples(current.export(format=RdfFormat.NTRIPLES))
        finally:
            current.close()
        try:
            before = len(memory)
            try:
                imported = memory.add_rdf(data, fmt, base_iri=IMPORT_BASE)
            except ValueError as exc:
                raise _fail(str(path), f"not valid {fmt.short}: {exc}"[:500]) from None
            stages.done("read")
            progress(f"read {imported} triples from {path}")
            # the old build's version (or an imported, forged one) gives way to the new one
            memory.replace_about(DATASET, list(dataset_triples(version)))
            triples = len(memory)
            progress(f"validating {triples} triples with the SHACL shapes")
            nowhere = CheckedData(DataSet(root=path.parent), {}, {}, [])
            schema = load_schema()
            problems = shape_problems(memory, nowhere, schema)
            if problems:
                raise DataError(
                    [Problem(Location(str(path), 0), p.field, p.message) for p in problems]
                )
            stages.done("shapes")
            keep_derived(target, memory, schema, stages, progress)
            ntriples = memory.export(format=RdfFormat.NTRIPLES)
        finally:
            memory.close()
        write_store(target, ntriples, stages, progress)
        imports = [*manifest.get("imports", []), {"file": path.name, "triples": imported}]
        manifest = {
            **manifest,
            "version": version,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "triples": triples,
            "imports": imports,
            "stage_seconds": stages.seconds,
            "import_seconds": round(time.perf_counter() - t0, 2),
        }
        with store_dir.locked():
            store_dir.commit(target, manifest)
    except BaseException:
        store_dir.discard(target)
        raise
    progress(f"added {triples - before} new triples; version {version} is now current")
    return manifest
