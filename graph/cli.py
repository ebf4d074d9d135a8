"""The ``govgraph`` command line: build, validate, query, search, path, view, export, schema.

Each sub-command is a small function taking the parsed arguments; errors a user can fix are
printed as one clear message (or one line per data problem) with a non-zero exit status.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from graph.bench.cli import bench_arguments, cmd_bench
from graph.build import build, build_remote, validate
from graph.explain import explain_paths
from graph.formats import RdfFormat, ResultFormat
from graph.narrative import explanation_text
from graph.network import project
from graph.problems import DataError
from graph.remote_store import is_remote
from graph.results import serialize_graph, serialize_result, text_table
from graph.schema import ONTOLOGY_PATH, ontology_graph
from graph.search import SearchIndex
from graph.store import QueryError, SelectResult
from graph.storedir import StoreDir, StoreMissing, default_store_path
from graph.stores import open_store
from graph.viewdata import describe, ego_view, lineage_view
from graph.views import Assets, PageLinks, render
from graph.vocab import ENTITY_BASE

__all__ = ["COMMANDS", "main"]

REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def default_data_path() -> Path:
    """``$GOVGRAPH_DATA``, else ``./data`` when it exists, else the data/ of this checkout."""
    env = os.environ.get("GOVGRAPH_DATA")
    if env:
        return Path(env)
    return Path("data") if Path("data").is_dir() else REPO_DATA


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    if is_remote(str(args.store)):
        result = build_remote(args.data, str(args.store), progress=_progress)
    else:
        result = build(args.data, Path(args.store), progress=_progress)
    m = result.manifest
    print(
        f"built version {m['version']}: {m['entities']} entities, {m['claims']} claims "
        f"({m['statements']} statements), {m['sources']} sources, {m['triples']} triples in "
        f"{m['build_seconds']} s -> {args.store}"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    result = validate(args.data, progress=_progress)
    m = result.manifest
    for warning in m["warnings"]:
        print(f"warning: {warning}")
    print(
        f"valid: {m['entities']} entities, {m['claims']} claims from {m['statements']} "
        f"statements, {m['sources']} sources in {m['data_files']} files"
        + (f"; {len(m['warnings'])} warning(s) above" if m["warnings"] else "")
    )
    return 0


def _read_query(text: str) -> str:
    if text.startswith("@"):
        path = Path(text[1:])
        if not path.is_file():
            raise QueryError(f"query file not found: {path}")
        return path.read_text(encoding="utf-8")
    return text


def cmd_query(args: argparse.Namespace) -> int:
    store = open_store(args.store)
    result = store.query(_read_query(args.sparql))
    out = sys.stdout.buffer
    if args.format == "table":
        if isinstance(result, SelectResult):
            text = text_table(result)
        elif isinstance(result, bool):
            text = "true" if result else "false"
        else:
            text = serialize_graph(result, format=RdfFormat.TURTLE).decode()
        out.write((text + "\n").encode())
    elif args.format == "ttl":
        if not hasattr(result, "serialize"):
            raise QueryError("--format ttl needs a CONSTRUCT or DESCRIBE query")
        out.write(serialize_graph(result, format=RdfFormat.TURTLE))  # type: ignore[arg-type]
    else:
        if not isinstance(result, (SelectResult, bool)):
            raise QueryError(f"--format {args.format} needs a SELECT or ASK query; use ttl")
        fmt = {f.short: f for f in ResultFormat}[args.format]
        out.write(serialize_result(result, format=fmt) + b"\n")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    index = SearchIndex.from_store(open_store(args.store))
    hits = index.search(args.text, type=args.type, limit=args.limit)
    if not hits:
        print(f"no entity matches {args.text!r}")
        return 1
    for hit in hits:
        print(
            f"{hit.score:6.1f}  {hit.id:40}  {hit.type:18}  {hit.label}"
            f"{'' if hit.matched == hit.label else f'  (matched {hit.matched!r})'}"
        )
    return 0


def cmd_path(args: argparse.Namespace) -> int:
    g = project(open_store(args.store))
    try:
        found = explain_paths(
            g,
            args.source,
            args.target,
            max_hops=args.max_hops,
            influence_only=args.influence_only,
            chronological=args.chronological,
            via_topics=args.via_topics,
            limit=args.limit,
        )
    except KeyError as exc:
        print(f"error: unknown entity {exc.args[0]!r}", file=sys.stderr)
        return 1
    if not found:
        print(f"no path from {args.source} to {args.target} within {args.max_hops} hops")
        return 1
    for number, explanation in enumerate(found, 1):
        print(explanation_text(g, explanation, number=number))
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    store = open_store(args.store)
    g = project(store)
    try:
        if args.lineage:
            view = lineage_view(g, args.id, direction=args.lineage, depth=args.depth)
        else:
            view = ego_view(g, args.id)
    except KeyError as exc:
        print(f"error: unknown entity {exc.args[0]!r}", file=sys.stderr)
        return 1
    html = render(
        describe(store, view),
        links=PageLinks(profile_base=args.profile_base),
        assets=Assets.INLINE,
    )
    Path(args.output).write_text(html, encoding="utf-8")
    print(
        f"wrote {len(view.nodes)} nodes, {len(view.edges)} relations to {args.output}",
        file=sys.stderr,
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    data = open_store(args.store).export(format=RdfFormat.from_short(args.format))
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"wrote {len(data)} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn  # the web stack loads only for this command

    from api.app import create_app

    if not is_remote(str(args.store)) and StoreDir(Path(args.store)).current() is None:
        print(f"no store at {args.store}: building it from {args.data} first", file=sys.stderr)
        cmd_build(args)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/"
    print(
        f"govgraph: open {url} (search, questions; SPARQL at {url}sparql, API at {url}docs)",
        flush=True,
    )
    uvicorn.run(create_app(args.store), host=args.host, port=args.port, log_level="warning")
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def cmd_import(args: argparse.Namespace) -> int:
    from graph.rdf_import import import_file

    limit = args.max_mb * 1_000_000 if args.max_mb is not None else None
    m = import_file(args.file, args.store, progress=_progress, max_bytes=limit)
    print(f"imported {args.file}: version {m['version']}, {m['triples']} triples -> {args.store}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from graph.ingest import ingest
    from graph.ingest.evaluation import evaluate, evaluation_text
    from graph.ingest.review import review_yaml
    from graph.ingest.text import read_article

    if args.evaluate:
        print(evaluation_text(evaluate(args.data)))
        return 0
    if args.file is None or not args.source_title:
        print("error: give FILE and --source-title (or --evaluate)", file=sys.stderr)
        return 2
    text = read_article(args.file)
    review = ingest(
        text,
        open_store(args.store),
        title=args.source_title,
        url=args.source_url,
        published=args.published,
        publisher=args.publisher,
    )
    out = review_yaml(review)
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
        text_copy = Path(args.output).with_suffix(".txt")
        text_copy.write_text(text, encoding="utf-8")
        print(
            f"wrote {len(review.entities)} new entities and {len(review.claims)} claims "
            f"({len(review.active_claims())} proposed, the rest commented out) to "
            f"{args.output}; the quoted text is {text_copy}",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(out)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from graph.changes_report import diff_json, diff_text
    from graph.history import History
    from graph.schema import load_schema
    from graph.vocab import slug_of

    if is_remote(str(args.store)):
        raise ValueError("diff needs a store folder: a remote SPARQL store keeps no history")
    new = args.new or str(StoreDir(Path(args.store)).manifest()["version"])
    diff = History(Path(args.store)).diff(args.old, new)
    diff = diff.about(slug_of(args.entity.strip())) if args.entity else diff
    if args.format == "json":
        print(json.dumps(diff_json(diff, load_schema()), indent=2, ensure_ascii=False))
    else:
        print(diff_text(diff, load_schema()))
    return 0


def _diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", help="a version (or its first 4+ characters) or a date: YYYY-MM-DD")
    p.add_argument("new", nargs="?", help="a version or date (default: the current build)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--entity", help="only the changes to this entity and its claims")
    p.add_argument("--store", default=str(default_store_path()), help="store folder")


def cmd_schema(args: argparse.Namespace) -> int:
    text = ontology_graph().serialize(format="turtle")
    if args.write:
        ONTOLOGY_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {ONTOLOGY_PATH}")
    else:
        sys.stdout.write(text)
    return 0


Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Command]] = {
    "build": ("build the graph from data/ into a new store and make it current", cmd_build),
    "validate": ("check data/ (every problem, with file and line) without building", cmd_validate),
    "query": ("run a SPARQL query (text or @FILE) on the store", cmd_query),
    "search": ("find entities by any name, alias or acronym", cmd_search),
    "path": ("how A led to B: ranked, narrated, cited paths", cmd_path),
    "view": ("write an entity's network view as one offline HTML file", cmd_view),
    "export": ("write the whole graph in an RDF format", cmd_export),
    "serve": ("serve the web app: API, SPARQL endpoint, pages (builds first if needed)", cmd_serve),
    "import": ("add an RDF file (checked, validated) to the graph as a new build", cmd_import),
    "bench": (
        "measure lookups and queries against a raw-store baseline (--load: HTTP mix)",
        cmd_bench,
    ),
    "schema": (
        "print the ontology generated from graph/schema.yaml (--write to save it)",
        cmd_schema,
    ),
    "ingest": (
        "propose entities and claims from an article as a review file (--evaluate: measure it)",
        cmd_ingest,
    ),
    "diff": ("claims and entities added, removed, changed between two builds", cmd_diff),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govgraph", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = {
        name: sub.add_parser(name, help=help_, description=help_)
        for name, (help_, _) in COMMANDS.items()
    }
    for name in ("build", "query", "search", "path", "view", "export", "serve"):
        p[name].add_argument(
            "--store",
            default=str(default_store_path()),
            help="store folder, or sparql+http://host:port/sparql for a remote SPARQL 1.1 store "
            "(default: $GOVGRAPH_STORE or ./govgraph-store)",
        )

    for name in ("build", "validate", "serve"):
        p[name].add_argument(
            "--data",
            type=Path,
            default=default_data_path(),
            help="data folder (default: $GOVGRAPH_DATA or ./data)",
        )
    p["query"].add_argument("sparql", help="SPARQL text, or @FILE to read it from a file")
    p["query"].add_argument(
        "--format", choices=["table", "json", "csv", "tsv", "ttl"], default="table"
    )
    p["search"].add_argument("text")
    p["search"].add_argument("--type", help="restrict to a class, e.g. Person")
    p["search"].add_argument("--limit", type=int, default=10)
    p["path"].add_argument("source", help="entity id or IRI")
    p["path"].add_argument("target", help="entity id or IRI")
    p["path"].add_argument("--max-hops", type=int, default=4)
    p["path"].add_argument("--influence-only", action="store_true")
    p["path"].add_argument("--chronological", action="store_true")
    p["path"].add_argument(
        "--via-topics", action="store_true", help="let topics be intermediate hops"
    )
    p["path"].add_argument("--limit", type=int, default=3, help="explanations to show")
    p["view"].add_argument("id", help="entity id or IRI")
    p["view"].add_argument("-o", "--output", required=True, help="HTML file to write")
    p["view"].add_argument(
        "--lineage",
        choices=["upstream", "downstream"],
        help="draw the influence lineage (in time order) instead of the ego network",
    )
    p["view"].add_argument("--depth", type=int, default=3, help="lineage hops (default 3)")
    p["view"].add_argument(
        "--profile-base",
        default=ENTITY_BASE,
        help=f"clicking a node opens this URL + its id (default {ENTITY_BASE})",
    )
    p["export"].add_argument("--format", choices=[f.short for f in RdfFormat], default="ttl")
    p["export"].add_argument("-o", "--output", help="file to write (default: stdout)")
    p["serve"].add_argument("--host", default="127.0.0.1", help="address to listen on")
    p["serve"].add_argument("--port", type=int, default=8000, help="port (default 8000)")
    for name in ("import", "bench"):
        p[name].add_argument(
            "--store", type=Path, default=default_store_path(), help="store folder"
        )
    p["import"].add_argument("file", type=Path, help="a .ttl .nt .nq .trig .jsonld .rdf file")
    p["import"].add_argument(
        "--max-mb",
        type=_positive_int,
        default=None,
        help="refuse files larger than this many megabytes (default 50: a guard against a "
        "wrong or hostile file; raise it for a large import you trust)",
    )
    bench_arguments(p["bench"])
    p["schema"].add_argument("--write", action="store_true", help=f"write {ONTOLOGY_PATH.name}")
    ingest = p["ingest"]
    ingest.add_argument("file", type=Path, nargs="?", help="the article, .txt or .html")
    ingest.add_argument("--source-title", help="the article's title")
    ingest.add_argument("--source-url", help="the article's URL")
    ingest.add_argument("--published", help="publication date, YYYY-MM-DD")
    ingest.add_argument("--publisher", help="the publisher's name")
    ingest.add_argument("-o", "--output", help="review file to write (default: stdout)")
    ingest.add_argument(
        "--store", default=str(default_store_path()), help="store folder (default ./govgraph-store)"
    )
    ingest.add_argument(
        "--evaluate",
        action="store_true",
        help="measure ingest on the seed article against its curated claims (see ingest_eval)",
    )
    ingest.add_argument("--data", type=Path, default=default_data_path(), help="for --evaluate")
    _diff_arguments(p["diff"])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command][1](args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("the previous store (if any) is unchanged", file=sys.stderr)
        return 1
    except (StoreMissing, QueryError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
