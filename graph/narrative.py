"""An explanation told as a paragraph a journalist can paste, with numbered citations.

"In November 2023, AI Safety Summit 2023 commissioned International Scientific Report on the
Safety of Advanced AI [1]. ..." The facts are told in time order: a lineage chain from its
upstream end, other paths by their dates where every hop has one, else in path order. Each
fact is one sentence, built from its relation's ``sentence`` in ``graph/schema.yaml``, followed
by the numbers of its references; the reference list gives title, publisher, date, URL, quote.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.dates import parse_date
from graph.explain import Explanation, backwards
from graph.network import Hop, hop_record
from graph.schema import Schema, load_schema

__all__ = [
    "Narrative",
    "explanation_record",
    "explanation_text",
    "format_date",
    "narrate",
    "reference_line",
]

_UNDATED_TYPES = ("Person", "Country", "Topic", "Post")


@dataclass
class Narrative:
    """The paragraph, its numbered references, and the reference numbers of each hop (in the
    explanation's path order)."""

    text: str
    references: list[dict[str, Any]]
    cites: list[list[int]]


def format_date(text: str) -> str:
    """``2023`` -> "2023", ``2023-11`` -> "November 2023", ``2023-11-02`` -> "2 November 2023"."""
    d = parse_date(text)
    if d.month is None:
        return str(d.year)
    month = calendar.month_name[d.month]
    return f"{d.day} {month} {d.year}" if d.day else f"{month} {d.year}"


def _when(start: str) -> str:
    d = parse_date(start)
    return f"On {format_date(start)}, " if d.day else f"In {format_date(start)}, "


def _span(node: dict[str, Any]) -> str | None:
    """An entity's own dates as text: "1–2 November 2023", "April 2023 to November 2023"."""
    start, end = node.get("start"), node.get("end")
    if not start or node.get("type") in _UNDATED_TYPES:
        return None
    if not end or end == start:
        return format_date(start)
    a, b = parse_date(start), parse_date(end)
    if a.day and b.day and (a.year, a.month) == (b.year, b.month):
        return f"{a.day}\u2013{format_date(end)}"
    return f"{format_date(start)} to {format_date(end)}"


def _order(explanation: Explanation) -> list[int]:
    """Indices of the hops in telling order: time order where it can be known. A chain walked
    upstream (A was shaped by ... B) is told from B; a path whose dates run backwards from A
    to B is told from B; one whose dates zigzag is told by date."""
    steps = explanation.steps
    indices = list(range(len(steps)))
    travels = {s.travel for s in steps}
    hops = explanation.hops
    if travels == {"upstream"} or (backwards(hops) and not backwards(hops[::-1])):
        return indices[::-1]
    if travels == {"downstream"} or not backwards(hops):
        return indices
    return sorted(indices, key=lambda i: parse_date(steps[i].hop.date or "9999").earliest)


class _Teller:
    def __init__(self, g: nx.MultiDiGraph, schema: Schema) -> None:
        self.g = g
        self.schema = schema
        self.mentioned: set[str] = set()
        self.references: list[dict[str, Any]] = []
        self._numbers: dict[tuple[str, str | None], int] = {}

    def name(self, ident: str, *, when: str | None = None) -> str:
        """The label, with the entity's own dates at its first mention (unless the sentence
        already says that date)."""
        node = self.g.nodes[ident]
        label = str(node.get("label") or ident)
        if ident in self.mentioned:
            return label
        self.mentioned.add(ident)
        span = None if when and node.get("start") == when else _span(node)
        if not span:
            return label
        return f"{label[:-1]}; {span})" if label.endswith(")") else f"{label} ({span})"

    def cite(self, hop: Hop) -> list[int]:
        numbers = []
        for src in hop.sources:
            key = (src["id"], src.get("quote"))
            if key not in self._numbers:
                self._numbers[key] = len(self.references) + 1
                self.references.append({"n": self._numbers[key], **src})
            numbers.append(self._numbers[key])
        return numbers

    def sentence(self, hop: Hop) -> tuple[str, list[int]]:
        relation = self.schema.relations[hop.predicate]
        order = relation.sentence.index("{subject}") < relation.sentence.index("{object}")
        first, second = (hop.subject, hop.object) if order else (hop.object, hop.subject)
        names = {first: self.name(first, when=hop.start)}
        names[second] = self.name(second, when=hop.start)
        clause = relation.clause(names[hop.subject], names[hop.object])
        if hop.start:
            clause = _when(hop.start) + clause
            if hop.end and hop.end != hop.start:
                clause += f" until {format_date(hop.end)}"
        clause = clause[0].upper() + clause[1:]
        numbers = self.cite(hop)
        marks = "".join(f"[{n}]" for n in numbers)
        return f"{clause} {marks}." if marks else f"{clause}.", numbers


def narrate(
    g: nx.MultiDiGraph, explanation: Explanation, schema: Schema | None = None
) -> Narrative:
    """The explanation as one paragraph with numbered citations and its reference list."""
    teller = _Teller(g, schema or load_schema())
    hops = explanation.hops
    cites: list[list[int]] = [[] for _ in hops]
    sentences = []
    for i in _order(explanation):
        text, numbers = teller.sentence(hops[i])
        sentences.append(text)
        cites[i] = numbers
    return Narrative(text=" ".join(sentences), references=teller.references, cites=cites)


def reference_line(ref: dict[str, Any]) -> str:
    """``[1] Title. Publisher, 2 November 2023. URL. "quote"`` for plain-text output."""
    parts = [f"[{ref['n']}] {ref.get('title') or ref['id']}."]
    published = ", ".join(
        p for p in (ref.get("publisher"), ref.get("date") and format_date(ref["date"])) if p
    )
    if published:
        parts.append(f"{published}.")
    if ref.get("url"):
        parts.append(f"{ref['url']}.")
    if ref.get("quote"):
        parts.append(f"\u201c{ref['quote']}\u201d")
    return " ".join(parts)


def explanation_text(
    g: nx.MultiDiGraph, explanation: Explanation, *, number: int, schema: Schema | None = None
) -> str:
    """An explanation as plain text: rank, score and reasons, the narrative, the references."""
    told = narrate(g, explanation, schema)
    head = f"{number}. score {explanation.score} ({len(explanation.steps)} hops): " + "; ".join(
        explanation.reasons
    )
    if explanation.variants:
        head += f"; {explanation.variants} similar path(s) folded in"
    lines = [head, "", told.text, ""] + [f"   {reference_line(r)}" for r in told.references]
    return "\n".join(lines) + "\n"


def explanation_record(
    g: nx.MultiDiGraph, explanation: Explanation, schema: Schema | None = None
) -> dict[str, Any]:
    """An explanation as JSON: score, reasons, narrative, references, and its hops in path
    order, each with the lineage direction it is walked in and its reference numbers."""
    schema = schema or load_schema()
    told = narrate(g, explanation, schema)
    return {
        "length": len(explanation.steps),
        "score": explanation.score,
        "cost": explanation.cost,
        "reasons": explanation.reasons,
        "variants": explanation.variants,
        "narrative": told.text,
        "references": told.references,
        "hops": [
            {**hop_record(g, step.hop, schema), "walked": step.travel, "cites": cites}
            for step, cites in zip(explanation.steps, told.cites, strict=True)
        ],
    }
