"""Data files are read as the text a researcher typed, and hostile files are refused clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph import datafile
from graph.datafile import DataSet, read_data_dir


def _write(tmp_path: Path, content: bytes | str) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    path = root / "x.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def test_yaml_type_traps_stay_text(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        "entities:\n  - id: no\n    label: NO\n    description: 0123\n"
        "    start: 2023-11-01\n    aliases: [yes, 1e3, null]\n",
    )
    (entity,) = read_data_dir(root).entities
    assert entity.values["label"] == "NO"
    assert entity.values["description"] == "0123"
    assert entity.values["start"] == "2023-11-01"
    assert entity.values["aliases"] == ["yes", "1e3", "null"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"entities:\n  - id: a\n    label: \xff\xfe\n", "not valid UTF-8"),
        ("entities:\n  - id: a\n    label: x\x00y\n", "NUL"),
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("entities: [\n", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("people:\n  - id: a\n", "unknown section"),
        ("entities:\n  - id: a\n    colour: red\n", "unknown field"),
        ("entities:\n  - id: a\n    id: b\n", "duplicate key"),
    ],
)
def test_hostile_or_malformed_files_name_file_and_line(
    tmp_path: Path, content: bytes | str, message: str
) -> None:
    problems = read_data_dir(_write(tmp_path, content)).problems
    assert problems, "expected a problem"
    assert any(message in str(p) and "x.yaml:" in str(p) for p in problems), problems


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    root = _write(tmp_path, b"\xef\xbb\xbfentities:\n  - id: a\n")
    data = read_data_dir(root)
    assert not data.problems and data.entities[0].id == "a"


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafile, "MAX_FILE_BYTES", 10)
    problems = read_data_dir(_write(tmp_path, "entities: []\n# padding\n")).problems
    assert "the limit is 10" in str(problems[0])


def _read_as_text(data: DataSet) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (kind, str(record.location), record.values)
        for kind in ("sources", "entities", "statements")
        for record in getattr(data, kind)
    ]


def test_large_folders_are_read_in_parallel_with_the_same_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above a size the files are read by worker processes; the records, their order and their
    file:line locations are exactly those of a sequential read."""
    real_data = Path(__file__).parent.parent.parent / "data"
    sequential = read_data_dir(real_data)
    monkeypatch.setattr(datafile, "_PARALLEL_BYTES", 0)
    parallel = read_data_dir(real_data)
    assert _read_as_text(parallel) == _read_as_text(sequential)
    assert [str(p) for p in parallel.problems] == [str(p) for p in sequential.problems]


def test_problems_found_by_a_worker_name_their_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text("entities:\n  - id: x\n    colour: red\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("sources: [\n", encoding="utf-8")
    monkeypatch.setattr(datafile, "_PARALLEL_BYTES", 0)
    problems = [str(p) for p in read_data_dir(tmp_path).problems]
    assert any(p.startswith(f"{tmp_path.name}/a.yaml:3") and "colour" in p for p in problems)
    assert any(p.startswith(f"{tmp_path.name}/b.yaml:") and "not valid YAML" in p for p in problems)
