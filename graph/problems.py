"""Problems found in the data, each pointing at a file, a line and a field."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataError", "Location", "Problem"]


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, said so that a researcher knows what to fix and where."""

    location: Location
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.field}: {self.message}"


class DataError(Exception):
    """The data failed its checks; carries every problem found in one run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")
