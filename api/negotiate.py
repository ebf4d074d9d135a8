"""Content negotiation: pick the best of our media types for an ``Accept`` header.

A small, strict implementation of RFC 9110 proactive negotiation: media ranges with ``q``
weights and ``*`` wildcards; ties go to the server's order of preference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MediaRange", "best_match", "parse_accept"]


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type`` (0 = no match)."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type != main:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == sub else 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        if "/" not in kind:
            if kind == "*":
                kind = "*/*"
            else:
                continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        main, _, sub = kind.partition("/")
        ranges.append(MediaRange(main, sub, q))
    return ranges


def _quality(ranges: list[MediaRange], media_type: str) -> tuple[float, int]:
    best = (0.0, 0)
    for r in ranges:
        specificity = r.matches(media_type)
        if specificity and specificity > best[1]:
            best = (r.q, specificity)
    return best


def best_match(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client accepts with the highest weight, or None if it accepts none.

    Among equal weights an explicitly named type beats a wildcard match, then the earlier offer.
    """
    ranges = parse_accept(header)
    scored = []
    for position, offer in enumerate(offers):
        q, specificity = _quality(ranges, offer)
        if q > 0:
            scored.append((-q, -specificity, position, offer))
    return min(scored)[3] if scored else None
