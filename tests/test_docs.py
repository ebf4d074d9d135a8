"""README examples run: every ``govgraph`` line of its Examples block works on the real data."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from graph.cli import main

README = Path(__file__).parent.parent / "README.md"
_BLOCK = re.compile(r"^Examples:\n\n```sh\n(.*?)```", re.MULTILINE | re.DOTALL)


def readme_examples() -> list[str]:
    match = _BLOCK.search(README.read_text(encoding="utf-8"))
    assert match, "README.md has no 'Examples:' sh block"
    return [line for line in match.group(1).splitlines() if line.startswith("govgraph ")]


def test_readme_has_examples() -> None:
    assert len(readme_examples()) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("line", readme_examples())
def test_readme_example_runs(
    line: str, real_store_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = shlex.split(line)[1:]
    code = main([*argv, "--store", str(real_store_root)])
    out = capsys.readouterr().out
    assert code == 0, f"`{line}` failed"
    assert out.strip() and out.strip() != "false", f"`{line}` printed nothing useful"


_SAMPLE = re.compile(r"^```sh\n\$ (govgraph path [^\n]+)\n(.*?)```", re.MULTILINE | re.DOTALL)


@pytest.mark.slow
def test_readme_explanation_sample_is_what_the_command_prints(
    real_store_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    match = _SAMPLE.search(README.read_text(encoding="utf-8"))
    assert match, "README.md shows a `$ govgraph path` sample"
    argv = shlex.split(match.group(1))[1:]
    assert main([*argv, "--store", str(real_store_root)]) == 0
    assert capsys.readouterr().out.rstrip() == match.group(2).rstrip()


_BENCH = Path(__file__).parent / "fixtures" / "bench"


@pytest.mark.parametrize("result", sorted(_BENCH.glob("peers-*.json")), ids=lambda p: p.name)
def test_readme_performance_tables_are_a_recorded_run(result: Path) -> None:
    """The Performance tables are printed from a recorded run, never typed in by hand."""
    import json

    from graph.bench.report import table

    report = json.loads(result.read_text(encoding="utf-8"))
    assert table(report) in README.read_text(encoding="utf-8"), f"README lacks {result.name}"


def test_readme_performance_has_a_recorded_run() -> None:
    assert sorted(_BENCH.glob("peers-*.json")), "bench/ holds no recorded peers run"
