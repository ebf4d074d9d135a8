"""`govgraph ingest` turns an article into a review file: mentions of known entities (through
the search index), proposed new entities, candidate claims quoting their sentence verbatim."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graph.build import validate
from graph.cli import main
from graph.ingest import Review, guess_type, ingest, slugify
from graph.ingest.evaluation import evaluate, evaluation_text
from graph.ingest.review import review_yaml
from graph.ingest.text import html_to_text, sentences
from graph.oxigraph_store import OxigraphStore
from graph.storedir import StoreDir
from tests.conftest import FIXTURE_DATA, REPO_DATA

ARTICLE = (FIXTURE_DATA / "texts" / "example-article.txt").read_text(encoding="utf-8")
EXTRA = (
    "\nMr Sample's deputy, Dr Carla Newname, visited the Ocean Research Institute. "
    "Atlantis’s envoy praised the Example Report."
)


@pytest.fixture(scope="module")
def fixture_store(store_root: Path) -> OxigraphStore:
    return StoreDir(store_root).open()


@pytest.fixture(scope="module")
def review(fixture_store: OxigraphStore) -> Review:
    return ingest(
        ARTICLE + EXTRA,
        fixture_store,
        title="An ingested article",
        url="https://example.org/ingested",
        published="2024-10-20",
    )


def test_sentences_are_verbatim_spans() -> None:
    text = "Mr. Lammy met Dr. Wang in Beijing. Then he left!\n他来了。"
    found = sentences(text)
    assert [s.text for s in found] == [
        "Mr. Lammy met Dr. Wang in Beijing.",
        "Then he left!",
        "他来了。",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_html_keeps_visible_text_only() -> None:
    html = (
        "<p>Atlantis &amp; Lemuria</p><script>alert('x')</script><style>p{}</style><div>met</div>"
    )
    assert html_to_text(html) == "Atlantis & Lemuria\nmet"


@pytest.mark.parametrize(
    ("written", "entity"),
    [
        ("Republic of Atlantis", "atlantis"),  # an alias
        ("Sample's", "bo-sample"),  # a possessive after an honorific: Mr Sample
        ("Atlantis’s", "atlantis"),  # a curly possessive
        ("Example Declaration", "example-declaration"),
        ("Ada Example", "ada-example"),
    ],
)
def test_finds_known_entities_by_any_name(review: Review, written: str, entity: str) -> None:
    assert any(m.entity == entity and written in m.text for m in review.mentions), [
        (m.text, m.entity) for m in review.mentions
    ]


def test_common_words_are_not_mentions(review: Review) -> None:
    assert not any(m.text.lower() in {"the", "its", "when", "march"} for m in review.mentions)


def test_proposes_new_entities_with_fresh_ids(review: Review) -> None:
    new = {p.label: p for p in review.entities}
    assert new["Carla Newname"].type == "Person"  # the honorific says so, and is not the name
    assert new["Ocean Research Institute"].type == "ResearchGroup"
    report = new["Example Report"]  # its slug example-report is a known id: never reuse it
    assert report.id == "example-report-2" and report.type == "Report"
    assert "Ocean Research Institute" in new["Ocean Research Institute"].context


@pytest.mark.parametrize(
    ("name", "type_"),
    [("Ministry of Truth", "GovernmentBody"), ("Golden Era", "Period"), ("Jane Roe", "Person")],
)
def test_guesses_types_from_keywords_and_names(name: str, type_: str) -> None:
    assert guess_type(name, titled=False)[0] == type_
    assert slugify("Alarm Era (UK–China)") == "alarm-era-uk-china"


def test_claims_quote_their_sentence_and_follow_the_cue(review: Review) -> None:
    claims = {(c.subject, c.predicate, c.object): c for c in review.active_claims()}
    hosted = claims[("atlantis", "hosted", "example-summit")]
    assert hosted.quote == "The Republic of Atlantis hosted the First Example Summit in March 2023."
    assert ("lemuria", "signed", "example-declaration") in claims  # passive "signed by"
    assert all(c.quote in review.text for c in review.claims)


def _uncomment_all(text: str) -> str:
    text = re.sub(r"^(\w+): \[\]  #.*$", r"\1:", text, flags=re.MULTILINE)
    return re.sub(r"^# (  .*)$", r"\1", text, flags=re.MULTILINE)


@pytest.mark.parametrize("keep", ["as written", "every proposal"])
def test_review_file_validates_in_a_data_folder(review: Review, data_dir: Path, keep: str) -> None:
    text = review_yaml(review)
    assert "# ?" in text
    if keep == "every proposal":
        text = _uncomment_all(text)
    (data_dir / "review.yaml").write_text(text, encoding="utf-8")
    (data_dir / review.source.text_path).write_text(review.text, encoding="utf-8")
    result = validate(data_dir)
    assert result.manifest["statements"] > 11


def test_cli_writes_a_review_file(store_root: Path, tmp_path: Path) -> None:
    html = tmp_path / "article.html"
    html.write_text(f"<html><body><p>{ARTICLE}</p><script>x()</script></body></html>", "utf-8")
    out = tmp_path / "review.yaml"
    code = main(
        [
            "ingest", str(html), "--source-title", "From HTML", "--published", "2024-10-21",
            "--source-url", "https://example.org/h", "--store", str(store_root), "-o", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    shutil.copy(out, data / "review.yaml")
    shutil.copy(out.with_suffix(".txt"), data / "texts" / "from-html.txt")
    assert "x()" not in out.with_suffix(".txt").read_text(encoding="utf-8")
    validate(data)


@pytest.mark.slow
def test_evaluation_on_the_seed_article() -> None:
    """The measured figures (see README) meet the issue's targets: at least 90% of the known
    actors linked, and at least 60% recall of the curated claims' pairs at 50% precision."""
    ev = evaluate(REPO_DATA)
    figures = ev.figures()
    print(evaluation_text(ev))
    assert set(figures) >= {"actors_linked_of_known", "pair_precision", "pair_recall"}
    assert all(0.0 <= v <= 1.0 for v in figures.values())
    assert ev.gold_claims > 50 and ev.actors_known > 30
    assert figures["actors_linked_of_known"] >= 0.9
    assert figures["pair_recall"] >= 0.6
    assert figures["pair_precision"] >= 0.5
