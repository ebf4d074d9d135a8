"""Writing a ``Review`` as a data file (sources/entities/statements) to prune line by line.

Every proposal is preceded by a ``# ?`` comment giving its confidence and why it was proposed
(the cue, the keyword, the context sentence); a proposal below the threshold is written
commented out, so a reviewer deletes what is wrong and uncomments what is right. Strings are
written as JSON strings, which are valid YAML double-quoted scalars: a quote reads back as the
exact substring of the source text it was cut from.
"""

from __future__ import annotations

import json

from graph.ingest import EntityProposal, Review
from graph.ingest.claims import ClaimProposal

__all__ = ["review_yaml"]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _block(lines: list[str], *, active: bool) -> list[str]:
    return lines if active else [f"# {line}" for line in lines]


def _entity(p: EntityProposal, source: str, threshold: float) -> list[str]:
    head = [
        f"  # ? {p.confidence:.2f} new {p.type} ({p.reason}); check it is not a known entity "
        "under another name",
        f"  #   context: {_q(p.context)}",
    ]
    body = [
        f"  - id: {p.id}",
        f"    type: {p.type}",
        f"    label: {_q(p.label)}",
        f"    sources: [{source}]",
    ]
    return head + _block(body, active=p.confidence >= threshold)


def _claim(c: ClaimProposal, review: Review, new: set[str]) -> list[str]:
    def name(ident: str) -> str:
        return f"{ident} (new)" if ident in new else review.labels.get(ident, ident)

    head = [f"  # ? {c.confidence:.2f} {name(c.subject)} {c.predicate} {name(c.object)} [{c.cue}]"]
    body = [
        f"  - subject: {c.subject}",
        f"    predicate: {c.predicate}",
        f"    object: {c.object}",
        f"    source: {review.source.id}",
        f"    quote: {_q(c.quote)}",
        "    evidence: reported",
    ]
    return head + _block(body, active=c.confidence >= review.threshold)


def _header(section: str, active: bool) -> str:
    if active:
        return f"{section}:"
    return f"{section}: []  # to accept a proposal below, delete the ' []' and uncomment it"


def review_yaml(review: Review) -> str:
    """The review file's text (see the module docstring)."""
    src = review.source
    linked = sorted(review.linked())
    out = [
        f"# Review file from `govgraph ingest`: {len(review.mentions)} mentions of "
        f"{len(linked)} known entities, {len(review.entities)} new entities and "
        f"{len(review.claims)} candidate claims proposed.",
        "# Nothing here is curated yet. Delete every wrong proposal, uncomment (remove '# ' from)",
        "# the right ones written commented out (confidence below "
        f"{review.threshold:.2f}), then move the file into data/",
        f"# with the article's text as data/{src.text_path} (quotes are verbatim",
        "# substrings of it) and run `govgraph validate`.",
        f"# Known entities named: {', '.join(linked) or '(none)'}",
        "sources:",
        f"  - id: {src.id}",
        f"    title: {_q(src.title)}",
    ]
    if src.publisher:
        out.append(f"    publisher: {_q(src.publisher)}")
    if src.date:
        out.append(f"    date: {src.date}")
    if src.url:
        out.append(f"    url: {_q(src.url)}")
    out.append(f"    text: {src.text_path}")
    out.append("")
    out.append(_header("entities", any(p.confidence >= review.threshold for p in review.entities)))
    for proposal in review.entities:
        out.extend(_entity(proposal, src.id, review.threshold))
    out.append("")
    out.append(_header("statements", bool(review.active_claims())))
    new = {p.id for p in review.entities}
    for claim in review.claims:
        out.extend(_claim(claim, review, new))
    return "\n".join(out) + "\n"
