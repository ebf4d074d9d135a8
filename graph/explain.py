"""How did A lead to B: paths between two entities, ranked as explanations.

A shortest path is rarely the best explanation: it runs through hubs that explain nothing
("both address AI safety", "both are part of the UN") or detours through a common ancestor.
Following relationship-explanation work (REX, VLDB 2011; RECAP, SWJ 2019; "Connecting the
dots", 2016: specificity, cohesiveness, diversity), a path costs:

- 1 per hop, plus more for a hop that carries no lineage (an association such as ``memberOf``)
  than for an origin hop (``issuedBy``) or an influence hop (``buildsOn``);
- its evidence (reported and inferred cost more than documented), and a little for no date;
- less for a step that continues a series (the same relation, the same direction: the summit
  series is ``succeeds, succeeds, succeeds``): cohesiveness;
- for every intermediate entity that is not a step of a chain, its specificity: log2 of its
  degree, so a hub costs more than a specific entity (a step of a chain, entered and left in
  the same lineage direction, is what a chain is made of and costs nothing extra);
- a change of lineage direction (A was shaped by X, which also shaped B: a detour through a
  common ancestor); and, ranked afterwards, dates that go backwards along the path.

``Topic`` entities are never intermediates unless asked (``via_topics``). Candidates come from
a best-first search (cheapest partial path first, pruned by the hop distance to the target), so
the cheapest explanations are found without enumerating every simple path. The top ``limit``
are then chosen for diversity: a path that only swaps one intermediate of a chosen path for
another in the same role is folded into it (counted in ``variants``), and overlap is penalised.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx

from graph.dates import parse_date
from graph.network import Hop, at_least, hops_of
from graph.schema import Schema, load_schema
from graph.vocab import slug_of

__all__ = ["Explanation", "Step", "backwards", "explain_paths", "nearest", "prepare"]

HOP_COST = 1.0
ASSOCIATION_COST = 1.5
ORIGIN_COST = 0.25
EVIDENCE_COST = {"documented": 0.0, "reported": 0.25, "inferred": 1.0}
UNDATED_COST = 0.05
HUB_WEIGHT = 0.35
FLIP_COST = 2.0
END_FLIP_COST = 0.5
TOPIC_COST = 1.0
BACKWARDS_COST = 1.0
OVERLAP_COST = 1.0
COHESION_DISCOUNT = 0.6
MIN_STEP_COST = HOP_COST - COHESION_DISCOUNT
MAX_POPS = 20_000
HUB_DEGREE = 20  # named as a hub in a path's reasons


@dataclass(frozen=True)
class Step:
    """One traversal of a fact: from ``here`` to ``there`` along ``hop``, and which way it
    runs in lineage terms ("downstream": from what shaped it to what it shaped; "upstream";
    None for an association)."""

    hop: Hop
    here: str
    there: str
    travel: str | None
    origin: bool = False
    own_cost: float = HOP_COST
    """What the hop costs wherever it is: base, relation kind, evidence, a missing date."""


def _own_cost(hop: Hop, schema: Schema) -> float:
    relation = schema.relations[hop.predicate]
    cost = HOP_COST + EVIDENCE_COST.get(hop.evidence, 1.0)
    cost += 0.0 if relation.influence else ORIGIN_COST if relation.origin else ASSOCIATION_COST
    return cost + (UNDATED_COST if hop.start is None else 0.0)


@dataclass
class Explanation:
    """A path from A to B with its cost (lower is better) and the reasons for its rank."""

    steps: list[Step]
    cost: float
    reasons: list[str] = field(default_factory=list)
    variants: int = 0

    @property
    def hops(self) -> list[Hop]:
        return [s.hop for s in self.steps]

    @property
    def nodes(self) -> list[str]:
        return [self.steps[0].here] + [s.there for s in self.steps]

    @property
    def score(self) -> float:
        """Between 0 and 1, higher is better: ``exp(-cost / 6)``."""
        return round(math.exp(-self.cost / 6), 3)

    @property
    def pattern(self) -> tuple[tuple[str, str | None, bool], ...]:
        return tuple((s.hop.predicate, s.travel, s.hop.subject == s.here) for s in self.steps)


class _Index:
    """Adjacency, degrees and types of one projection, computed once per graph."""

    def __init__(self, g: nx.MultiDiGraph, schema: Schema) -> None:
        self.schema = schema
        self.links: dict[str, list[Step]] = {n: [] for n in g}
        for s, o in {(s, o) for s, o in g.edges() if s != o}:
            for hop in hops_of(g, s, o, schema, per_triple=False):
                ends = schema.relations[hop.predicate].upstream(s, o)
                for here, there in ((s, o), (o, s)):
                    travel = (
                        None if ends is None else ("downstream" if here == ends[0] else "upstream")
                    )
                    origin = schema.relations[hop.predicate].origin
                    cost = _own_cost(hop, schema)
                    self.links[here].append(Step(hop, here, there, travel, origin, cost))
        for steps in self.links.values():
            steps.sort(key=lambda st: (st.there, st.hop.predicate))
        self.neighbours = {
            n: list(dict.fromkeys(st.there for st in steps)) for n, steps in self.links.items()
        }
        self.degree = {n: len(others) for n, others in self.neighbours.items()}
        self.lineage_degree = {
            n: len({st.there for st in steps if st.travel is not None})
            for n, steps in self.links.items()
        }
        self.topic = {n for n, d in g.nodes(data=True) if d.get("type") == "Topic"}
        self.label = {n: str(d.get("label") or n) for n, d in g.nodes(data=True)}


def prepare(g: nx.MultiDiGraph, schema: Schema | None = None) -> None:
    """Build the search index of a projection now (the first query would otherwise pay)."""
    _index(g, schema or load_schema())


def _index(g: nx.MultiDiGraph, schema: Schema) -> _Index:
    """The index of ``g``, built once: a projection is never changed after it is made (a new
    build makes a new one). Keyed cheaply: counting a MultiDiGraph's edges walks them all."""
    key = ("explain-index", g.number_of_nodes(), id(schema))
    cached = g.graph.get("_explain")
    if cached is None or cached[0] != key:
        cached = (key, _Index(g, schema))
        g.graph["_explain"] = cached
    return cached[1]


def _allowed(step: Step, influence_only: bool, evidence: str | None = None) -> bool:
    return (step.travel is not None or not influence_only) and at_least(step.hop.evidence, evidence)


def _distances(
    ix: _Index,
    target: str,
    max_hops: int,
    influence_only: bool,
    via_topics: bool,
    evidence: str | None = None,
) -> dict[str, int]:
    """Hops from each entity to ``target`` through allowed intermediates (the search's bound)."""
    dist = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        if dist[node] >= max_hops or (node != target and node in ix.topic and not via_topics):
            continue
        if not influence_only and evidence is None:  # every link counts: the fast path
            for there in ix.neighbours[node]:
                if there not in dist:
                    dist[there] = dist[node] + 1
                    queue.append(there)
            continue
        for step in ix.links[node]:
            if step.there not in dist and _allowed(step, influence_only, evidence):
                dist[step.there] = dist[node] + 1
                queue.append(step.there)
    return dist


def _step_cost(ix: _Index, prev: Step | None, step: Step, *, prev_first: bool, last: bool) -> float:
    """The cost of walking ``step`` after ``prev`` (``prev_first``: ``prev`` left the source;
    ``last``: ``step`` reaches the target)."""
    cost = step.own_cost
    if prev is None:
        return cost
    pivot = step.here
    if prev.travel is not None and step.travel is not None:
        if prev.travel == step.travel and prev.hop.predicate == step.hop.predicate:
            cost -= COHESION_DISCOUNT  # a series: succeeds, succeeds, succeeds
        elif prev.travel != step.travel:  # a common origin or a shared outcome
            # A document located at its origin ("issued at the meeting, which ...") at either
            # end of a path is a small turn; a common ancestor in the middle is a detour.
            at_end = (prev.origin and prev_first) or (step.origin and last)
            cost += END_FLIP_COST if at_end else FLIP_COST
            cost += HUB_WEIGHT * math.log2(1 + ix.lineage_degree[pivot])
    else:
        cost += HUB_WEIGHT * math.log2(1 + ix.degree[pivot])
    if pivot in ix.topic:
        cost += TOPIC_COST
    return cost


def _candidates(
    ix: _Index,
    source: str,
    target: str,
    *,
    max_hops: int,
    influence_only: bool,
    via_topics: bool,
    wanted: int,
    evidence: str | None = None,
) -> Iterator[tuple[float, list[Step]]]:
    """Complete paths, cheapest first (best-first search, admissible hop-distance bound).

    The bound is exact only near the target: hop distances are computed out to half the hop
    limit, and anything further counts as one hop beyond that (a true lower bound, and still
    consistent). A walk that has used more than half its hops must be inside that exact
    region, so the bound prunes as well as full distances would, while the breadth-first walk
    that computes it stays small: on a large graph, four hops from a hub reach most of it.
    """
    half = (max_hops + 1) // 2
    dist = _distances(ix, target, half, influence_only, via_topics, evidence)
    far = half + 1

    def bound(node: str) -> int:
        return dist.get(node, far)

    counter = 0
    heap: list[tuple[float, int, float, tuple[Step, ...]]] = [
        (bound(source) * MIN_STEP_COST, 0, 0.0, ())
    ]
    expanded: set[tuple[tuple[str, ...], str | None]] = set()
    found: set[tuple[str, ...]] = set()
    pops = 0
    while heap and len(found) < wanted and pops < MAX_POPS:
        _, _, cost, steps = heapq.heappop(heap)
        pops += 1
        node = steps[-1].there if steps else source
        nodes = (source, *(s.there for s in steps))
        if node == target:
            if nodes not in found:
                found.add(nodes)
                yield cost, list(steps)
            continue
        state = (nodes, steps[-1].travel if steps else None)
        if state in expanded:
            continue
        expanded.add(state)
        prev = steps[-1] if steps else None
        for step in ix.links[node]:
            there = step.there
            if there in nodes or len(steps) + 1 + bound(there) > max_hops:
                continue
            if not _allowed(step, influence_only, evidence):
                continue
            if there != target and there in ix.topic and not via_topics:
                continue
            new_cost = cost + _step_cost(
                ix, prev, step, prev_first=len(steps) == 1, last=there == target
            )
            counter += 1
            priority = new_cost + bound(there) * MIN_STEP_COST
            heapq.heappush(heap, (priority, counter, new_cost, (*steps, step)))


def backwards(hops: list[Hop]) -> int:
    """How many times the dated hops go back in time along the path (A to B). Partial dates
    are intervals: ``2024-09`` does not go back from ``2024-09-05``."""
    dates = [parse_date(h.date) for h in hops if h.date is not None]
    return sum(1 for a, b in pairwise(dates) if b.latest < a.earliest)


def _backwards(steps: list[Step]) -> int:
    return backwards([s.hop for s in steps])


def _shape(ix: _Index, steps: list[Step]) -> tuple[float, list[str]]:
    """Extra cost and the reasons a journalist reads: chain, chronology, evidence, hubs."""
    n = len(steps)
    travels = {s.travel for s in steps}
    lineage_hops = sum(1 for s in steps if s.travel is not None)
    turns = [i for i, (a, b) in enumerate(pairwise(steps)) if a.travel != b.travel]
    end_turns = all(
        (i == 0 and steps[0].origin) or (i == n - 2 and steps[-1].origin) for i in turns
    )
    if None not in travels and len(travels) == 1:
        influence = all(s.hop.influence for s in steps)
        reasons = ["influence chain" if influence else "lineage chain (influence and origin)"]
    elif lineage_hops == n and end_turns:
        reasons = ["lineage chain, its ends traced to where they were issued or produced"]
    elif lineage_hops == n:
        reasons = ["lineage with a change of direction (a common origin or a shared outcome)"]
    else:
        reasons = [f"{n - lineage_hops} of {n} hops are associations, not lineage"]
    backwards = _backwards(steps)
    dated = sum(1 for s in steps if s.hop.date is not None)
    if backwards:
        reasons.append(f"dates go backwards {backwards} time(s)")
    elif dated >= 2:
        reasons.append("chronological")
    documented = sum(1 for s in steps if s.hop.evidence == "documented")
    reasons.append(f"{documented} of {n} hops documented")
    for prev, step in pairwise(steps):
        pivot, name = step.here, ix.label[step.here]
        if (prev.travel is None or step.travel is None) and ix.degree[pivot] >= HUB_DEGREE:
            reasons.append(f"through a hub ({ix.degree[pivot]} links): {name}")
        if pivot in ix.topic:
            reasons.append(f"through a topic: {name}")
    return BACKWARDS_COST * backwards, reasons


def _variant(a: Explanation, b: Explanation) -> bool:
    """Whether ``b`` is ``a`` with one intermediate swapped for another in the same role."""
    if len(a.steps) != len(b.steps) or len(a.steps) < 2 or a.pattern != b.pattern:
        return False
    return sum(1 for x, y in zip(a.nodes[1:-1], b.nodes[1:-1], strict=True) if x != y) == 1


def _overlap(a: Explanation, b: Explanation) -> float:
    pairs_a = {frozenset(p) for p in pairwise(a.nodes)}
    pairs_b = {frozenset(p) for p in pairwise(b.nodes)}
    return len(pairs_a & pairs_b) / max(len(pairs_a), len(pairs_b))


def _diverse(ranked: list[Explanation], limit: int) -> list[Explanation]:
    """Greedy selection: the best first, then the best of the rest after an overlap penalty;
    one-intermediate swaps of a chosen path are folded into it."""
    chosen: list[Explanation] = []
    rest = list(ranked)
    while rest and len(chosen) < limit:
        best = min(
            rest,
            key=lambda e: e.cost + OVERLAP_COST * max((_overlap(e, c) for c in chosen), default=0),
        )
        rest.remove(best)
        chosen.append(best)
        folded = [e for e in rest if _variant(best, e)]
        best.variants = len(folded)
        rest = [e for e in rest if e not in folded]
    return chosen


def _chronological(steps: list[Step]) -> bool:
    return _backwards(steps) == 0


def explain_paths(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 4,
    influence_only: bool = False,
    chronological: bool = False,
    via_topics: bool = False,
    evidence: str | None = None,
    limit: int = 10,
    schema: Schema | None = None,
) -> list[Explanation]:
    """The best explanations of how ``source`` and ``target`` are connected, best first.

    ``influence_only`` follows lineage relations only (influence and origin);
    ``chronological`` keeps only paths whose dated hops never go backwards from A to B;
    ``via_topics`` lets ``Topic`` entities be intermediates; ``evidence`` keeps only hops at
    least that strong. KeyError for an unknown entity.
    """
    schema = schema or load_schema()
    source, target = slug_of(source), slug_of(target)
    for node in (source, target):
        if node not in g:
            raise KeyError(node)
    if source == target:
        return []
    ix = _index(g, schema)
    ranked = []
    for cost, steps in _candidates(
        ix,
        source,
        target,
        max_hops=max_hops,
        influence_only=influence_only,
        via_topics=via_topics,
        wanted=3 * limit + 10,
        evidence=evidence,
    ):
        if chronological and not _chronological(steps):
            continue
        extra, reasons = _shape(ix, steps)
        ranked.append(Explanation(steps, round(cost + extra, 3), reasons))
    ranked.sort(key=lambda e: (e.cost, len(e.steps), e.nodes))
    return _diverse(ranked, limit)


def nearest(
    g: nx.MultiDiGraph, source: str, target: str, schema: Schema | None = None
) -> int | None:
    """How many hops apart two entities are through any relation and any entity (topics
    included), or None when nothing connects them: what to tell a user who found no path."""
    ix = _index(g, schema or load_schema())
    source, target = slug_of(source), slug_of(target)
    seen = {source: 0}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            return seen[node]
        for step in ix.links.get(node, []):
            if step.there not in seen:
                seen[step.there] = seen[node] + 1
                queue.append(step.there)
    return None
