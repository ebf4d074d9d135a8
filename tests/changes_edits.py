"""One week of edits to the fixture data, and what ``govgraph diff`` must say about them.

Shared by the graph, API and CLI tests of changes: :func:`edit_week` applies every edit to a
copy of ``tests/fixtures/data``; :data:`EXPECTED` is every change it makes, and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from graph.claims import claim_key

__all__ = ["EXPECTED", "NEW_LABEL", "edit_week"]

NEW_LABEL = "Lemuria <b>Republic</b> & Co"
"""A relabelling with markup in it: feeds and pages must show it as text."""

_BO_ENTITY = (
    "  - id: bo-sample\n    type: Person\n    label: Bo Sample\n"
    "    description: \"<script>alert('label')</script> a fictional minister with <b>markup</b>"
    ' in her description"\n    sources: [example-registry]\n'
)
_BO_HOLDS = """  - subject: bo-sample
    predicate: holds
    object: atlantis-foreign-minister
    start: 2024-06-30
    source: example-registry
    evidence: documented
"""
_LEMURIA_SIGNED = """  - subject: lemuria
    predicate: signed
    object: example-declaration
    start: 2023-03-01
    source: example-article
    evidence: reported
"""
_NARNIA = """  - id: narnia
    type: Country
    label: Narnia
    sources: [example-registry]
"""
_NEW_STATEMENTS = """  - subject: narnia
    predicate: signed
    object: example-declaration
    start: 2023-03-01
    source: example-registry
    evidence: documented
  - subject: atlantis
    predicate: hosted
    object: example-summit
    start: 2023-03
    source: example-registry
    evidence: documented
"""

_EDITS = [
    ("start: 2020-01-15", "start: 2020-01-16"),  # a corrected date
    ("    label: Lemuria\n", f'    label: "{NEW_LABEL}"\n'),  # a relabelled entity
    (_LEMURIA_SIGNED, ""),  # a claim withdrawn
    (_BO_ENTITY, _NARNIA),  # an entity removed (with its claim), another added
    (_BO_HOLDS, ""),
]

EXPECTED = {
    ("entity", "added", "narnia"): (),
    ("entity", "removed", "bo-sample"): (),
    ("entity", "changed", "lemuria"): ("label",),
    ("claim", "added", claim_key("narnia", "signed", "example-declaration")): (),
    ("claim", "removed", claim_key("lemuria", "signed", "example-declaration")): (),
    ("claim", "removed", claim_key("bo-sample", "holds", "atlantis-foreign-minister")): (),
    (
        "claim",
        "changed",
        claim_key("ada-example", "holds", "atlantis-foreign-minister", ordinal=1),
    ): ("start",),
    ("claim", "changed", claim_key("atlantis", "hosted", "example-summit")): (
        "evidence",  # a primary source now says so too
        "references",
    ),
}
"""(kind, change, id) -> the fields that changed."""


def edit_week(data: Path) -> None:
    """Apply every edit of the week to the data folder ``data`` (a copy of the fixture)."""
    path = data / "fixture.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in _EDITS:
        assert text.count(old) == 1, f"fixture.yaml changed: {old!r} is not there once"
        text = text.replace(old, new)
    path.write_text(text + _NEW_STATEMENTS, encoding="utf-8")
