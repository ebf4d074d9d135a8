"""What a reporter writes without a name, and claims spread over lists and sentences, on the
real graph: a bridging phrase links the entity the graph ties to the names around it; a list
carries its cue to every member; a coordinated name shares its partner's claims."""

from __future__ import annotations

import pytest

from graph.ingest import Review, ingest
from graph.oxigraph_store import OxigraphStore


def _ingest(store: OxigraphStore, text: str) -> Review:
    return ingest(text, store, title="A test article about AI governance")


def _claims(review: Review) -> set[tuple[str, str, str]]:
    return {(c.subject, c.predicate, c.object) for c in review.active_claims()}


@pytest.mark.slow
def test_a_visit_is_linked_by_its_visitor_and_carries_its_places(
    real_store: OxigraphStore,
) -> None:
    review = _ingest(
        real_store,
        "On Friday, Foreign Secretary David Lammy will begin a two-day visit to Beijing and "
        "Shanghai.",
    )
    bridged = [m for m in review.mentions if m.how.startswith("bridging")]
    assert [m.entity for m in bridged] == ["lammy-china-visit-2024"]
    assert bridged[0].text == "a two-day visit"
    claims = _claims(review)
    assert ("lammy-china-visit-2024", "heldAt", "beijing") in claims
    assert ("lammy-china-visit-2024", "heldAt", "shanghai") in claims


@pytest.mark.slow
def test_a_phrase_the_graph_cannot_tie_to_the_names_around_it_links_nothing(
    real_store: OxigraphStore,
) -> None:
    review = _ingest(real_store, "The weather was fine for the visit, and the summit ended late.")
    assert not [m for m in review.mentions if m.how.startswith("bridging")]


@pytest.mark.slow
def test_a_list_of_signatories_carries_the_cue_to_every_member(
    real_store: OxigraphStore,
) -> None:
    review = _ingest(
        real_store,
        "The United States, China, the UK and twenty-five other countries signed the Bletchley "
        "Declaration.",
    )
    signed = {s for s, p, o in _claims(review) if p == "signed" and o == "bletchley-declaration"}
    assert signed == {"united-states", "china", "united-kingdom"}


@pytest.mark.slow
def test_a_list_of_verb_phrases_keeps_one_subject(real_store: OxigraphStore) -> None:
    review = _ingest(
        real_store,
        "Last year, the UK created the world’s first AI Safety Institute, ran the first AI Safety "
        "Summit, and funded the first International Scientific Report on the Safety of Advanced "
        "AI.",
    )
    claims = _claims(review)
    assert ("uk-ai-safety-institute", "establishedBy", "united-kingdom") in claims
    assert ("united-kingdom", "hosted", "ai-safety-summit-2023") in claims
    assert ("international-scientific-report-interim-2024", "fundedBy", "united-kingdom") in claims
    assert ("uk-ai-safety-institute", "hosted", "ai-safety-summit-2023") not in claims


@pytest.mark.slow
def test_plain_phrases_listed_with_a_topic_are_proposed_as_topics(
    real_store: OxigraphStore,
) -> None:
    review = _ingest(
        real_store,
        "The decision linked AI safety mechanisms, chip smuggling, and data sovereignty.",
    )
    topics = {p.label for p in review.entities if p.type == "Topic"}
    assert topics == {"chip smuggling", "data sovereignty"}
