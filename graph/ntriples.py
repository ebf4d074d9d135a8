"""N-Triples written as text, without an rdflib Graph in between.

A build needs its graph only as N-Triples (the store bulk-loads it and the shapes run on the
store). Filling an rdflib Graph and serialising it cost about 23 s and 1 GB at a million
triples, most of it in rdflib's term validation and its three in-memory indexes; writing the
lines directly costs a fraction of that. The terms written here are few and simple (IRIs the
checks have validated, and plain, language-tagged or typed literals), so the writer is small.
"""

from __future__ import annotations

__all__ = ["TripleLines", "iri", "literal"]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
"""The four characters an N-Triples string may not hold raw (every other one is UTF-8 text)."""


def iri(value: str) -> str:
    """``<value>``: the caller passes an IRI it has checked (slugs, validated URLs)."""
    return f"<{value}>"


def literal(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal: plain, language-tagged (``lang``) or typed (``datatype``, a full IRI)."""
    quoted = f'"{text.translate(_ESCAPES)}"'
    if lang:
        return f"{quoted}@{lang}"
    if datatype:
        return f"{quoted}^^<{datatype}>"
    return quoted


class TripleLines:
    """An ordered set of N-Triples lines: a triple added twice is written once, so ``len`` is
    the number of distinct triples (what an rdflib Graph or a store would count)."""

    def __init__(self) -> None:
        self._lines: dict[str, None] = {}

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self._lines[f"{subject} {predicate} {obj} .\n"] = None

    def extend(self, text: str) -> None:
        """Add the lines of an N-Triples document (one triple per line, as rdflib writes it)."""
        for line in text.splitlines():
            if line.strip():
                self._lines[line.rstrip() + "\n"] = None

    def __len__(self) -> int:
        return len(self._lines)

    def encode(self) -> bytes:
        return "".join(self._lines).encode("utf-8")
