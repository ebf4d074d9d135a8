"""Integrity of the real curated data/: each failure says what to fix and where.

These run over the whole of data/ (built once per session) and read like the curation rules
in data/README.md: every statement sourced, one id per entity, no orphans, tenures of a post
never overlapping, well-formed https URLs, and the seed article's lineage as influence.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graph.checks import check_data
from graph.claims import merge_claims
from graph.datafile import DataSet, read_data_dir
from graph.oxigraph_store import OxigraphStore
from graph.schema import load_schema
from graph.search import normalise
from tests.conftest import REPO_DATA

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data() -> DataSet:
    return read_data_dir(REPO_DATA)


def test_no_claim_without_a_source(real_store: OxigraphStore) -> None:
    result = real_store.select("""SELECT (COUNT(*) AS ?n) WHERE {
        ?claim a rdf:Statement
        FILTER NOT EXISTS { ?claim gg:reference/prov:wasDerivedFrom ?s } }""")
    assert int(result.rows[0]["n"]) == 0


def test_influence_chains_exist(real_store: OxigraphStore) -> None:
    assert real_store.ask("ASK { ?a gg:influencedBy/gg:influencedBy ?b }")


def test_every_entity_takes_part_in_a_statement(data: DataSet) -> None:
    used = set()
    for st in data.statements:
        used.update({st.get("subject"), st.get("object")})
    orphans = [
        f"{e.location}: entity {e.id!r} is in no statement; relate it or remove it"
        for e in data.entities
        if e.id not in used
    ]
    assert not orphans, "\n".join(orphans)


def test_one_id_per_name(data: DataSet) -> None:
    """A label or alias names one entity; two ids sharing a name are probably duplicates.

    The one exception: a body and the body that ``succeeds`` it (a renaming) may share a name
    such as an acronym that outlived the rename.
    """
    renamed = {
        frozenset((st.get("subject"), st.get("object")))
        for st in data.statements
        if st.get("predicate") == "succeeds"
    }
    owners: dict[str, set[str]] = defaultdict(set)
    where: dict[str, str] = {}
    for entity in data.entities:
        names = [
            entity.get("label") or "",
            *(entity.get("labels") or {}).values(),
            *(entity.get("aliases") or []),
        ]
        for name in names:
            key = normalise(name)
            if key:
                owners[key].add(entity.id)
                where[f"{key}|{entity.id}"] = str(entity.location)
    clashes = [
        f"name {key!r} is used by "
        + ", ".join(f"{ident} ({where[f'{key}|{ident}']})" for ident in sorted(ids))
        + ": merge them or make the names distinct"
        for key, ids in owners.items()
        if len(ids) > 1 and frozenset(ids) not in renamed
    ]
    assert not clashes, "\n".join(clashes)


def test_tenures_of_a_post_never_overlap(data: DataSet) -> None:
    """Tenures are claims: a start from one source and an end from another make one tenure."""
    claims, _ = merge_claims(st for st in data.statements if st.get("predicate") == "holds")
    tenures: dict[str, list[tuple[object, object, str, str]]] = defaultdict(list)
    for claim in claims:
        if claim.start is not None:
            tenures[claim.object].append(
                (claim.start, claim.end, claim.subject, str(claim.location))
            )
    problems = []
    for post, spans in tenures.items():
        spans.sort(key=lambda s: s[0].earliest)  # type: ignore[attr-defined]
        for (s1, e1, who1, at1), (s2, _, who2, at2) in itertools.pairwise(spans):
            if who1 == who2:  # one person's two tenures, or one tenure at two precisions
                continue
            if e1 is None or s2.latest < e1.earliest:  # type: ignore[attr-defined]
                problems.append(
                    f"{post}: {who1} ({s1}-{e1 or 'open'}, {at1}) overlaps {who2} "
                    f"(from {s2}, {at2}): fix the end or start date"
                )
    assert not problems, "\n".join(problems)


def _well_formed(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme in ("https", "http")
        and "." in parts.netloc
        and " " not in url
        and not parts.username
        and not parts.password
    )


def test_urls_are_well_formed(data: DataSet) -> None:
    """Source URLs are absolute web addresses exactly as published: https where the site has
    it; an http-only address is kept as published rather than guessed."""
    bad = [
        f"{s.at('url')}: source {s.id!r} url {s.get('url')!r} is not a well-formed web URL"
        for s in data.sources
        if s.get("url") and not _well_formed(str(s.get("url")))
    ]
    assert not bad, "\n".join(bad)


def test_every_source_is_cited(data: DataSet) -> None:
    cited = {st.get("source") for st in data.statements}
    for entity in data.entities:
        cited.update(entity.get("sources") or [])
    unused = [
        f"{s.location}: source {s.id!r} is never cited; cite it or remove it"
        for s in data.sources
        if s.id not in cited
    ]
    assert not unused, "\n".join(unused)


def test_seed_article_is_fully_quoted(data: DataSet) -> None:
    quoted = [
        st for st in data.statements if st.get("source") == "seed-article" and st.get("quote")
    ]
    assert len(quoted) >= 40, f"only {len(quoted)} quoted statements cite the seed article"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("independent-international-scientific-panel-on-ai", "ai-safety-summit-2023"),
        ("international-network-of-ai-safety-institutes", "uk-ai-safety-institute"),
        ("ai-seoul-summit-2024", "ai-safety-summit-2023"),
        ("ai-action-summit-2025", "ai-safety-summit-2023"),
    ],
)
def test_seed_lineage_is_influence(real_store: OxigraphStore, a: str, b: str) -> None:
    query = f"ASK {{ id:{a} gg:influencedBy+ id:{b} }}"
    assert real_store.ask(query), f"{a} should be influenced (transitively) by {b}"


def test_every_class_of_the_schema_is_used(data: DataSet) -> None:
    schema = load_schema()
    used = {
        cls
        for e in data.entities
        if e.get("type") in schema.classes
        for cls in schema.ancestors(e.get("type"))
    }
    missing = sorted(set(schema.classes) - used)
    assert not missing, f"no entity in data/ has type {missing}"


def test_data_passes_every_check(data: DataSet) -> None:
    problems = check_data(data, load_schema()).problems
    assert not problems, "\n".join(map(str, problems))


def test_data_readme_documents_every_field() -> None:
    readme = (Path(REPO_DATA) / "README.md").read_text(encoding="utf-8")
    for field in ("sources:", "entities:", "statements:", "quote:", "evidence:", "wikidata:"):
        assert field in readme
