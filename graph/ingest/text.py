"""An article as plain text, cut into sentences and tokens that remember their offsets.

Quotes in a review file must be verbatim substrings of the source text, so nothing here ever
rewrites the text: sentences and tokens are spans (start, end) into it. HTML is reduced to its
visible text with the standard library's ``html.parser`` (no markup is ever interpreted beyond
that; script and style are dropped), under the same size cap as every data file.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from graph.datafile import MAX_FILE_BYTES, read_text_file

__all__ = [
    "Sentence",
    "Token",
    "html_to_text",
    "paragraphs",
    "read_article",
    "sentences",
    "tokens",
]

_SKIPPED = {"script", "style", "noscript", "template", "head", "svg"}
_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
    "th", "section", "article", "blockquote", "header", "footer", "figcaption", "title",
}  # fmt: skip


class _TextOnly(HTMLParser):
    """Collects text outside script/style; block elements end a line (a sentence boundary)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page: one line per block, inner spaces collapsed."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def read_article(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A ``.txt`` file as it is, or an ``.html``/``.htm`` file's visible text (size-capped,
    UTF-8; a DataError names the file otherwise)."""
    text = read_text_file(path, str(path), max_bytes=max_bytes)
    if path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return html_to_text(text)
    return text


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        """Starts with a capital letter, a digit-bearing name (``o1``) or a CJK character."""
        first = self.text[0]
        return (
            first.isupper() or _CJK.match(first) is not None or any(c.isdigit() for c in self.text)
        )


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u3400-\u9fff])|(?<=[。！？])|\n+"
)
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "sen",
    "rep",
    "gen",
    "no",
    "vs",
    "inc",
    "jr",
}
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W_](?:[\w.&'’]*[^\W_])?(?:['’]s?)?")


def _abbreviation_before(text: str, end: int) -> bool:
    """Whether the full stop ending at ``end`` closes an abbreviation (``Mr.``, ``U.S.``)."""
    word = re.search(r"(\S+)\.[\"”’)\]]*\s*$", text[:end])
    if word is None:
        return False
    stem = word.group(1).lower()
    return stem in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", stem) is not None


def sentences(text: str) -> list[Sentence]:
    """Sentences as spans of ``text`` (trimmed), split after . ! ? before a capital, after
    CJK full stops and at line breaks; an abbreviation's full stop does not end a sentence."""
    cuts = [0]
    for match in _BOUNDARY.finditer(text):
        gap = match.group(0)
        if gap and "\n" not in gap and _abbreviation_before(text, match.end()):
            continue
        cuts.append(match.end())
    cuts.append(len(text))
    found = []
    for start, end in itertools.pairwise(cuts):
        chunk = text[start:end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            found.append(Sentence(start + left, start + right, chunk[left:right]))
    return found


def tokens(sentence: Sentence) -> list[Token]:
    """Words (with inner apostrophes and dots and a trailing possessive: ``Lammy's``,
    ``U.S``) and runs of CJK characters, with offsets into the whole text. Hyphens separate
    words (``UK-China`` is two), but a span of tokens keeps the text between them."""
    return [
        Token(sentence.start + m.start(), sentence.start + m.end(), m.group(0))
        for m in _TOKEN.finditer(sentence.text)
    ]


def paragraphs(text: str, sents: list[Sentence]) -> list[int]:
    """The paragraph number of each sentence (paragraphs are separated by line breaks, which
    also end sentences)."""
    numbers, current, last_end = [], 0, 0
    for sentence in sents:
        if "\n" in text[last_end : sentence.start]:
            current += 1
        numbers.append(current)
        last_end = sentence.end
    return numbers
