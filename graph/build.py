"""The build: data/ -> checked records -> claims -> RDF -> shapes -> a new store, swapped in.

Every problem is collected and reported in one run (file, line, field). Nothing touches the
store in use until the new one is complete, so bad data can never lose the last good graph.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import gc
import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from graph.checks import CheckedData, check_data
from graph.datafile import read_data_dir
from graph.derived import derive, save_derived
from graph.history import History
from graph.oxigraph_store import OxigraphStore
from graph.problems import DataError, Location, Problem
from graph.rdf import claim_iri, data_ntriples, reference_iri
from graph.schema import SCHEMA_PATH, Schema, load_schema
from graph.shape_check import violations
from graph.store import Store
from graph.storedir import StoreDir
from graph.vocab import DATASET, DCTERMS, PREFIXES, RDF, VOID, entity_iri, source_iri

__all__ = [
    "BuildResult",
    "Stages",
    "build",
    "build_remote",
    "dataset_version",
    "describe_dataset",
    "served_version",
    "validate",
    "write_store",
]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class BuildResult:
    checked: CheckedData
    manifest: dict[str, Any]
    ntriples: bytes
    """The whole graph as N-Triples: what the store loads and the shapes check."""
    _graph: Graph | None = field(default=None, repr=False)

    @property
    def graph(self) -> Graph:
        """The graph as an rdflib Graph, parsed on first use (a build never needs one)."""
        if self._graph is None:
            self._graph = Graph()
            for prefix, ns in PREFIXES.items():
                self._graph.bind(prefix, ns, override=True)
            self._graph.parse(data=self.ntriples, format="nt")
        return self._graph


class Stages:
    """Seconds per build stage, for the manifest (``govgraph bench`` reports them)."""

    def __init__(self, seconds: dict[str, float] | None = None) -> None:
        self.seconds = {} if seconds is None else seconds
        self._last = time.perf_counter()

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._last, 2)
        self._last = now


def dataset_version(files: list[Path], root: Path) -> str:
    """Content hash of the schema and every data file: same data, same version."""
    digest = hashlib.sha256(SCHEMA_PATH.read_bytes())
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dataset_triples(version: str) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    """What the graph says about itself, so any store (a remote one too) can tell which
    dataset version it serves: ``<dataset> a void:Dataset ; dcterms:hasVersion "..."``."""
    return [
        (DATASET, RDF.type, VOID.Dataset),
        (DATASET, DCTERMS.title, Literal("govgraph", lang="en")),
        (DATASET, DCTERMS.hasVersion, Literal(version)),
    ]


def describe_dataset(graph: Graph, version: str) -> None:
    """Add ``dataset_triples`` to an rdflib graph."""
    for triple in dataset_triples(version):
        graph.add(triple)


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


def shape_problems(store: OxigraphStore, checked: CheckedData, schema: Schema) -> list[Problem]:
    """The SHACL shapes, checked as SPARQL on the loaded store (``graph.shape_check``), each
    violation mapped back to the data file and line of its node."""
    found = violations(store, schema)
    if not found:
        return []
    where = _locations(checked)
    problems = []
    for v in found:
        location = where.get(URIRef(v.focus), Location("(generated graph)", 0))
        field_name = v.path.rsplit(":", 1)[-1]
        problems.append(Problem(location, field_name, f"SHACL: {v.message} (node {v.focus})"))
    return problems


def _convert(data_dir: Path, schema: Schema, progress: Progress) -> BuildResult:
    """Read, check and convert ``data_dir`` to N-Triples; raise DataError on any problem."""
    stages = Stages()
    progress(f"reading {data_dir}")
    data = read_data_dir(data_dir)
    stages.done("read")
    progress(
        f"read {len(data.files)} files: {len(data.sources)} sources, "
        f"{len(data.entities)} entities, {len(data.statements)} statements"
    )
    checked = check_data(data, schema)
    if checked.problems:
        raise DataError(checked.problems)
    stages.done("checks")
    progress(
        f"checks passed: {len(data.statements)} statements are {len(checked.claims)} claims; "
        "generating RDF"
    )
    for warning in checked.warnings:
        progress(f"warning: {warning}")
    lines = data_ntriples(checked, schema)
    version = dataset_version(data.files, data_dir)
    for triple in dataset_triples(version):  # the graph checked is the graph loaded
        lines.add(*(term.n3() for term in triple))
    ntriples = lines.encode()
    stages.done("rdf")
    classes = Counter(str(e.get("type")) for e in data.entities)
    manifest = {
        "version": version,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "triples": len(lines),
        "entities": len(data.entities),
        "sources": len(data.sources),
        "statements": len(data.statements),
        "claims": len(checked.claims),
        "references": sum(len(c.references) for c in checked.claims),
        "warnings": [str(w) for w in checked.warnings],
        "data_files": len(data.files),
        "classes": dict(sorted(classes.items())),
        "stage_seconds": stages.seconds,
    }
    result = BuildResult(checked=checked, manifest=manifest, ntriples=ntriples)
    progress(f"{len(lines)} triples")
    return result


def _load_and_check(
    store: OxigraphStore, result: BuildResult, schema: Schema, stages: Stages, progress: Progress
) -> None:
    """Load the graph into ``store`` and run the shapes there; raise DataError on violations."""
    progress(f"loading {result.manifest['triples']} triples")
    store.load_ntriples(result.ntriples)
    stages.done("load")
    progress("running SHACL shapes")
    problems = shape_problems(store, result.checked, schema)
    stages.done("shapes")
    if problems:
        raise DataError(problems)


def _release_memory() -> None:
    """Hand memory freed by Python and pyoxigraph back to the system (glibc keeps it in its
    arenas otherwise): the disk store's bulk loader allocates afresh, and without this a 1M-triple
    build peaked at 1.9 GB instead of 1.4 GB. A no-op where the C library has no malloc_trim."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def keep_derived(
    build: Path, store: OxigraphStore, schema: Schema, stages: Stages, progress: Progress
) -> None:
    """Derive what serving needs (projection, search index, entity sources) into the build's
    folder, so that the first start-up on it reads them instead of deriving them."""
    progress("deriving the network and the search index for serving")
    save_derived(build, derive(store, schema))
    stages.done("derive")


def write_store(build: Path, ntriples: bytes, stages: Stages, progress: Progress) -> None:
    """Write the build's on-disk store, once the in-memory work is done and its copy closed."""
    _release_memory()
    progress(f"writing the store in {build}")
    store = OxigraphStore.open(build / "store", read_only=False)
    try:
        store.load_ntriples(ntriples)
    finally:
        store.close()
    stages.done("store")


def validate(data_dir: Path, *, progress: Progress = _quiet) -> BuildResult:
    """Read, check and convert ``data_dir`` and check the shapes on a throwaway in-memory
    store; raise DataError listing every problem."""
    t0 = time.perf_counter()
    schema = load_schema()
    result = _convert(data_dir, schema, progress)
    store = OxigraphStore.in_memory()
    try:
        _load_and_check(store, result, schema, Stages(result.manifest["stage_seconds"]), progress)
    finally:
        store.close()
    result.manifest["validate_seconds"] = round(time.perf_counter() - t0, 2)
    return result


def build(data_dir: Path, store_root: Path, *, progress: Progress = _quiet) -> BuildResult:
    """Validate ``data_dir`` and make it the current store in ``store_root``."""
    t0 = time.perf_counter()
    schema = load_schema()
    result = _convert(data_dir, schema, progress)
    store_dir = StoreDir(store_root)
    target = store_dir.new_build(result.manifest["version"])
    try:
        # Checked and derived on an in-memory copy (several times faster to query than the
        # disk store), then written to the new build's own folder: a violation discards the
        # folder, and the current build is never touched.
        stages = Stages(result.manifest["stage_seconds"])
        memory = OxigraphStore.in_memory()
        try:
            _load_and_check(memory, result, schema, stages, progress)
            keep_derived(target, memory, schema, stages, progress)
        finally:
            memory.close()
        write_store(target, result.ntriples, stages, progress)
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
        progress(f"loading {result.manifest['triples']} triples into {store.endpoint}")
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
