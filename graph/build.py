"""The build: data/ -> checked records -> claims -> RDF -> shapes -> a new store, swapped in.

Every problem is collected and reported in one run (file, line, field). Nothing touches the
store in use until the new one is complete, so bad data can never lose the last good graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from graph.checks import CheckedData, check_data
from graph.datafile import read_data_dir
from graph.history import History
from graph.oxigraph_store import OxigraphStore
from graph.problems import DataError, Location, Problem
from graph.rdf import claim_iri, data_graph, reference_iri
from graph.schema import SCHEMA_PATH, Schema, load_schema
from graph.shape_check import check_shapes
from graph.store import Store
from graph.storedir import StoreDir
from graph.vocab import DATASET, DCTERMS, RDF, VOID, entity_iri, source_iri

__all__ = [
    "BuildResult",
    "build",
    "build_remote",
    "dataset_version",
    "describe_dataset",
    "served_version",
    "validate",
]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class BuildResult:
    checked: CheckedData
    graph: Graph
    manifest: dict[str, Any]
    ntriples: bytes = b""
    """``graph`` as N-Triples, serialised once for the shapes and the store."""


def dataset_version(files: list[Path], root: Path) -> str:
    """Content hash of the schema and every data file: same data, same version."""
    digest = hashlib.sha256(SCHEMA_PATH.read_bytes())
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def describe_dataset(graph: Graph, version: str) -> None:
    """Say in the graph itself which dataset version it is, so any store (a remote one too)
    can tell what it serves: ``<dataset> a void:Dataset ; dcterms:hasVersion "..."``."""
    graph.add((DATASET, RDF.type, VOID.Dataset))
    graph.add((DATASET, DCTERMS.title, Literal("govgraph", lang="en")))
    graph.add((DATASET, DCTERMS.hasVersion, Literal(version)))


def _locations(checked: CheckedData) -> dict[URIRef, Location]:
    where: dict[URIRef, Location] = {}
    for src in checked.data.sources:
        where[source_iri(src.id)] = src.location
    for ent in checked.data.entities:
        where[entity_iri(ent.id)] = ent.location
    for claim in checked.claims:
        where[claim_iri(claim)] = claim.location
        for index, ref in enumerate(claim.references):
            where[reference_iri(claim, index)] = ref.location
    return where


def _shacl(
    graph: Graph, checked: CheckedData, schema: Schema, ntriples: bytes | None = None
) -> list[Problem]:
    """The SHACL shapes, checked as SPARQL on pyoxigraph (``graph.shape_check``), each
    violation mapped back to the data file and line of its node."""
    found = check_shapes(graph, schema, ntriples=ntriples)
    if not found:
        return []
    where = _locations(checked)
    problems = []
    for v in found:
        location = where.get(URIRef(v.focus), Location("(generated graph)", 0))
        field = v.path.rsplit(":", 1)[-1]
        problems.append(Problem(location, field, f"SHACL: {v.message} (node {v.focus})"))
    return problems


def validate(data_dir: Path, *, progress: Progress = _quiet) -> BuildResult:
    """Read, check and convert ``data_dir``; raise DataError listing every problem."""
    schema = load_schema()
    t0 = time.perf_counter()
    progress(f"reading {data_dir}")
    data = read_data_dir(data_dir)
    progress(
        f"read {len(data.files)} files: {len(data.sources)} sources, "
        f"{len(data.entities)} entities, {len(data.statements)} statements"
    )
    checked = check_data(data, schema)
    if checked.problems:
        raise DataError(checked.problems)
    progress(
        f"checks passed: {len(data.statements)} statements are {len(checked.claims)} claims; "
        "generating RDF"
    )
    for warning in checked.warnings:
        progress(f"warning: {warning}")
    graph = data_graph(checked, schema)
    version = dataset_version(data.files, data_dir)
    describe_dataset(graph, version)  # before the shapes: the graph checked is the graph loaded
    progress(f"{len(graph)} triples; running SHACL shapes")
    ntriples = graph.serialize(format="nt", encoding="utf-8")
    problems = _shacl(graph, checked, schema, ntriples)
    if problems:
        raise DataError(problems)
    classes = Counter(str(e.get("type")) for e in data.entities)
    manifest = {
        "version": version,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "triples": len(graph),
        "entities": len(data.entities),
        "sources": len(data.sources),
        "statements": len(data.statements),
        "claims": len(checked.claims),
        "references": sum(len(c.references) for c in checked.claims),
        "warnings": [str(w) for w in checked.warnings],
        "data_files": len(data.files),
        "classes": dict(sorted(classes.items())),
        "validate_seconds": round(time.perf_counter() - t0, 2),
    }
    return BuildResult(checked=checked, graph=graph, manifest=manifest, ntriples=ntriples)


def build(data_dir: Path, store_root: Path, *, progress: Progress = _quiet) -> BuildResult:
    """Validate ``data_dir`` and make it the current store in ``store_root``."""
    t0 = time.perf_counter()
    result = validate(data_dir, progress=progress)
    store_dir = StoreDir(store_root)
    target = store_dir.new_build(result.manifest["version"])
    try:
        progress(f"loading {len(result.graph)} triples into {target}")
        store = OxigraphStore.open(target / "store", read_only=False)
        store.load_ntriples(result.ntriples)
        store.close()
        result.manifest["build_seconds"] = round(time.perf_counter() - t0, 2)
        with store_dir.locked():
            History(store_root).add(target, result.checked, result.manifest)  # before served
            store_dir.commit(target, result.manifest)
    except BaseException:
        store_dir.discard(target)
        raise
    progress(f"done: version {result.manifest['version']} is now current in {store_root}")
    return result


def build_remote(data_dir: Path, endpoint: str, *, progress: Progress = _quiet) -> BuildResult:
    """Validate ``data_dir`` and load it into a remote SPARQL store (``sparql+http://...``).

    The remote store loads into a staging graph and swaps it in, so a failed load leaves the
    graph it served before.
    """
    from graph.remote_store import RemoteStore

    t0 = time.perf_counter()
    result = validate(data_dir, progress=progress)
    store = RemoteStore(endpoint)
    try:
        progress(f"loading {len(result.graph)} triples into {store.endpoint}")
        store.load(result.graph)
    finally:
        store.close()
    result.manifest["build_seconds"] = round(time.perf_counter() - t0, 2)
    progress(f"done: version {result.manifest['version']} is now served by {store.endpoint}")
    return result


def served_version(store: Store) -> str | None:
    """The dataset version a store holds (see ``describe_dataset``), or None if it holds none."""
    rows = store.select(
        "SELECT ?dataset ?version WHERE { ?dataset a void:Dataset ; dcterms:hasVersion ?version }",
        bindings={"dataset": DATASET},
    ).rows
    return str(rows[0]["version"]) if rows else None
