"""A deterministic, realistic synthetic governance graph in the project's own YAML format.

Benchmarks need data at sizes the curated graph will not reach for years (100k, 1M triples)
with the same shape: people holding posts in turns, bodies and their members, a summit series,
declarations signed by countries, reports issued by bodies and building on one another in long
influence chains, Chinese labels, aliases and acronyms, and several sources per fact. The same
``seed`` and size always give the same files, so runs can be compared. Every value is invented
and says so (``example.org`` URLs, "Synthetic" publishers): it must never be mixed with data/.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["SIZES", "Synthetic", "generate", "parse_size", "write"]

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
TRIPLES_PER_CLAIM = 21  # measured on a synthetic build: claim, references, sources, entities
_SYLLABLES: tuple[str, ...] = ("an", "ba", "ce", "di", "fo", "gu", "ha", "ji", "ka", "lo")
_SYLLABLES += ("mi", "nu", "pa", "qi", "ro", "su", "ta", "vi", "wo", "xe", "yu", "za")
_HANZI = "安北成东方国和华金京林龙明南平清人山上天文西新阳中"
_RECORDS_PER_FILE = 5_000


def parse_size(text: str) -> int:
    """``10k``, ``100k``, ``1M`` or a plain number of triples."""
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    try:
        value = int(key)
    except ValueError:
        raise ValueError(f"size {text!r}: use 10k, 100k, 1M or a number of triples") from None
    if value < 1_000:
        raise ValueError(f"size {text!r}: at least 1000 triples")
    return value


@dataclass
class Synthetic:
    """The generated records, before they are written as YAML files."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)


class _Maker:
    def __init__(self, seed: int, claims: int) -> None:
        self.rng = random.Random(seed)
        self.data = Synthetic()
        self.claims_wanted = claims
        self.claims = 0
        self.names: set[str] = set()
        self.by_type: dict[str, list[str]] = {}

    def name(self, words: int = 2) -> str:
        while True:
            parts = [
                "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 3)))
                for _ in range(words)
            ]
            text = " ".join(p.capitalize() for p in parts)
            if text not in self.names:
                self.names.add(text)
                return text

    def source(self) -> str:
        n = len(self.data.sources)
        ident = f"syn-source-{n}"
        year = self.rng.randint(2015, 2026)
        self.data.sources.append(
            {
                "id": ident,
                "title": f"Synthetic report {n}",
                "publisher": f"Synthetic Press {n % 50}",
                "date": f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}",
                "url": f"https://example.org/synthetic/{n}",
            }
        )
        return ident

    def entity(self, kind: str, prefix: str, **extra: Any) -> str:
        label = self.name(3 if kind in ("Report", "Declaration") else 2)
        ident = f"{prefix}-{len(self.data.entities)}"
        record: dict[str, Any] = {"id": ident, "type": kind, "label": f"{label}"}
        if self.rng.random() < 0.15:
            record["labels"] = {
                "zh-Hans": "".join(self.rng.choice(_HANZI) for _ in range(self.rng.randint(2, 4)))
            }
        if self.rng.random() < 0.3:
            record["aliases"] = ["".join(w[0] for w in label.split()).upper() + "S"]
        record |= extra
        record["sources"] = [self.source() if self.rng.random() < 0.2 else self.any_source()]
        self.data.entities.append(record)
        self.by_type.setdefault(kind, []).append(ident)
        return ident

    def any_source(self) -> str:
        if not self.data.sources:
            return self.source()
        return str(self.rng.choice(self.data.sources)["id"])

    def claim(
        self, s: str, p: str, o: str, *, start: str | None = None, end: str | None = None
    ) -> None:
        """One fact stated by 1-3 sources (some with a coarser date: they merge into one claim)."""
        self.claims += 1
        used: set[str] = set()
        for k in range(self.rng.choice((1, 1, 2, 3))):
            record: dict[str, Any] = {"subject": s, "predicate": p, "object": o}
            if start:
                record["start"] = start if k == 0 else start[:7]
            if end and k == 0:
                record["end"] = end
            source = self.source() if self.rng.random() < 0.3 else self.any_source()
            record["source"] = source if source not in used else self.source()
            used.add(record["source"])
            record["quote"] = f"{s} {p} {o} (synthetic)"
            record["evidence"] = "documented" if k == 0 else "reported"
            self.data.statements.append(record)

    def pick(self, kind: str) -> str:
        return self.rng.choice(self.by_type[kind])

    def done(self) -> bool:
        return self.claims >= self.claims_wanted


def _date(rng: random.Random, lo: int = 2015, hi: int = 2026) -> str:
    return f"{rng.randint(lo, hi)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _steps(m: _Maker) -> Iterator[None]:
    """Add facts in a realistic mix until the wanted number of claims is reached."""
    rng = m.rng
    while True:
        # a government with bodies, posts held in turn, a safety institute
        country = m.pick("Country")
        body = m.entity("GovernmentBody", "syn-ministry")
        m.claim(body, "partOf", country)
        post = m.entity("Post", "syn-post")
        m.claim(post, "postIn", country)
        year = rng.randint(2010, 2018)
        for _ in range(rng.randint(2, 4)):
            person = m.entity("Person", "syn-person")
            end = year + rng.randint(1, 3)
            m.claim(person, "holds", post, start=f"{year}-03-01", end=f"{end}-02-01")
            m.claim(person, "affiliatedWith", country)
            year = end
        institute = m.entity("SafetyInstitute", "syn-institute", start=_date(rng, 2023, 2025))
        m.claim(institute, "establishedBy", country)
        # a company and its model
        company = m.entity("Company", "syn-lab")
        m.claim(company, "locatedIn", country)
        model = m.entity("AIModel", "syn-model")
        m.claim(model, "developedBy", company)
        m.claim(model, "evaluatedBy", institute)
        # documents in long influence chains
        previous = m.by_type.get("Report", [None])[-1]
        for _ in range(rng.randint(1, 3)):
            report = m.entity("Report", "syn-report", start=_date(rng))
            m.claim(report, "issuedBy", rng.choice((body, institute)))
            m.claim(report, "addresses", m.pick("Topic"))
            if previous:
                m.claim(report, "buildsOn", previous)
            previous = report
        # a summit of the series, its declaration and signatories
        if rng.random() < 0.2:
            summit = m.entity("Summit", "syn-summit", start=_date(rng, 2023, 2026))
            last = m.by_type["Summit"][-2] if len(m.by_type["Summit"]) > 1 else None
            if last:
                m.claim(summit, "succeeds", last)
            m.claim(country, "hosted", summit)
            declaration = m.entity("Declaration", "syn-declaration", start=_date(rng, 2023, 2026))
            m.claim(declaration, "issuedAt", summit)
            for signatory in rng.sample(m.by_type["Country"], k=min(12, len(m.by_type["Country"]))):
                m.claim(signatory, "signed", declaration)
                m.claim(signatory, "attended", summit)
        yield


def generate(target_triples: int, *, seed: int = 7) -> Synthetic:
    """Records for about ``target_triples`` triples once built."""
    m = _Maker(seed, claims=max(50, target_triples // TRIPLES_PER_CLAIM))
    for _ in range(60):
        m.entity("Country", "syn-country")
    for _ in range(25):
        m.entity("Topic", "syn-topic")
    for _ in _steps(m):
        if m.done():
            break
    return m.data


def write(data: Synthetic, folder: Path) -> list[Path]:
    """The records as YAML files in ``folder`` (created; must be empty), a few thousand
    records a file like the curated data."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise ValueError(f"{folder} is not empty: synthetic data never mixes with other data")
    files = []
    for section in ("sources", "entities", "statements"):
        records = getattr(data, section)
        for n in range(0, len(records), _RECORDS_PER_FILE):
            path = folder / f"{section}-{n // _RECORDS_PER_FILE:04d}.yaml"
            chunk = {section: records[n : n + _RECORDS_PER_FILE]}
            path.write_text(
                yaml.dump(
                    chunk,
                    Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                    allow_unicode=True,
                    sort_keys=False,
                    width=200,
                ),
                encoding="utf-8",
            )
            files.append(path)
    return files
