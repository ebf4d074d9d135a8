"""Checks on a user's SPARQL text before any parser sees it.

Both engines fail badly on some inputs (pyoxigraph segfaults on a few thousand nested ``{``;
``SERVICE`` and remote ``FROM`` make a server send requests for the user), so the endpoint
refuses, with a message saying why: over-long queries, nesting deeper than a limit, SPARQL
Update, ``SERVICE``, ``LOAD``, and ``FROM``/``FROM NAMED`` naming anything but our own graphs.

The scan is a small linear tokenizer that knows SPARQL's comments, strings and IRIs, so a
keyword inside a string (``"DROP ALL"``) is not refused and one hidden in a comment or string
trick cannot slip through. Codepoint escapes (``\\u0053ERVICE``) are decoded first, as the
SPARQL grammar does. Text the tokenizer cannot read (an unterminated string or IRI) is
refused, so the guard never reads a query differently from the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from graph.vocab import PREFIXES

__all__ = [
    "OUR_GRAPHS",
    "QueryRejected",
    "Token",
    "check_query",
    "tokens",
]

OUR_GRAPHS = ("https://w3id.org/govgraph/",)
"""IRI prefixes of the graphs a query may name in FROM / FROM NAMED."""

UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*'
      | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[\w\u00b7-\uffff][\w.\-:%\\\u00b7-\uffff]*|:[\w.\-:%\\\u00b7-\uffff]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class QueryRejected(ValueError):
    """The query is refused before parsing; the message says why and is safe to show."""


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, var, lang, word, open, close, other
    text: str
    offset: int


def decode_escapes(query: str) -> str:
    """Replace ``\\uXXXX`` / ``\\UXXXXXXXX`` by their characters, as SPARQL does before parsing."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF:
            raise QueryRejected(f"invalid codepoint escape {match.group(0)!r}")
        return chr(code)

    return _ESCAPE.sub(char, query)


def tokens(query: str) -> Iterator[Token]:
    """Split (escape-decoded) SPARQL text into tokens, dropping spaces and comments."""
    pos = 0
    while pos < len(query):
        match = _TOKEN.match(query, pos)
        assert match is not None and match.lastgroup is not None  # "other" matches anything
        kind, text = match.lastgroup, match.group(0)
        if kind == "other" and text in "'\"":
            line = query.count("\n", 0, pos) + 1
            raise QueryRejected(f"unterminated string starting on line {line}")
        if kind not in ("space", "comment"):
            yield Token(kind, text, pos)
        pos = match.end()


def _refuse_word(word: str) -> str | None:
    upper = word.upper()
    if upper == "SERVICE":
        return (
            "SERVICE (federated queries) is not allowed: this endpoint never contacts other servers"
        )
    if upper == "LOAD":
        return "LOAD is not allowed: this endpoint is read-only and never fetches data"
    if upper in UPDATE_WORDS:
        return f"SPARQL Update ({upper}) is not allowed: this endpoint is read-only"
    return None


def _graph_iri(token: Token, prefixes: Mapping[str, str], base: str | None) -> str | None:
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1]) if base else token.text[1:-1]
    if token.kind == "word" and ":" in token.text:
        prefix, local = token.text.split(":", 1)
        ns = prefixes.get(prefix)
        return ns + local if ns is not None else None
    return None


def _check_from(
    tok: Token, nxt: Token | None, prefixes: Mapping[str, str], base: str | None
) -> None:
    iri = _graph_iri(nxt, prefixes, base) if nxt is not None else None
    shown = nxt.text if nxt is not None else "(nothing)"
    if iri is None:
        raise QueryRejected(f"FROM must name a graph IRI, not {shown[:80]!r}")
    if not iri.startswith(OUR_GRAPHS):
        raise QueryRejected(
            f"FROM {shown[:200]} is not allowed: queries may only name this dataset's own "
            f"graphs ({', '.join(OUR_GRAPHS)}...); nothing is ever fetched from elsewhere"
        )


def _check_depth(toks: list[Token], max_depth: int) -> None:
    depth = 0
    for tok in toks:
        if tok.kind == "open":
            depth += 1
            if depth > max_depth:
                raise QueryRejected(
                    f"query nests brackets {{ ( [ more than {max_depth} levels deep "
                    f"(at character {tok.offset}); simplify it"
                )
        elif tok.kind == "close":
            depth = max(0, depth - 1)


def check_query(query: str, *, max_length: int = 100_000, max_depth: int = 100) -> None:
    """Raise ``QueryRejected`` unless ``query`` is a read-only query within the limits."""
    if len(query) > max_length:
        raise QueryRejected(f"query is {len(query)} characters long; the limit is {max_length}")
    if "\x00" in query:
        raise QueryRejected("query contains a NUL character")
    toks = list(tokens(decode_escapes(query)))
    _check_depth(toks, max_depth)
    prefixes: dict[str, str] = dict(PREFIXES)
    base: str | None = None
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok.kind != "word":
            continue
        reason = _refuse_word(tok.text)
        if reason:
            raise QueryRejected(reason)
        upper = tok.text.upper()
        if upper == "PREFIX" and nxt is not None and i + 2 < len(toks):
            if toks[i + 2].kind == "iri":
                prefixes[nxt.text.rstrip(":")] = toks[i + 2].text[1:-1]
        elif upper == "BASE" and nxt is not None and nxt.kind == "iri":
            base = nxt.text[1:-1]
        elif upper == "FROM":
            if nxt is not None and nxt.kind == "word" and nxt.text.upper() == "NAMED":
                tok, nxt = nxt, toks[i + 2] if i + 2 < len(toks) else None
            _check_from(tok, nxt, prefixes, base)
