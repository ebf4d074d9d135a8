"""``govgraph diff OLD [NEW]``: what changed between two builds, as text or JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.build import build
from tests.changes_edits import EXPECTED, edit_week
from tests.conftest import FIXTURE_DATA
from tests.test_cli import run


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A store built from the fixture and rebuilt after a week of edits: (root, old, new)."""
    tmp = tmp_path_factory.mktemp("cli-diff")
    shutil.copytree(FIXTURE_DATA, tmp / "data")
    old = build(tmp / "data", tmp / "store").manifest["version"]
    edit_week(tmp / "data")
    new = build(tmp / "data", tmp / "store").manifest["version"]
    return tmp / "store", old, new


def test_diff_to_the_current_build_as_text(
    capsys: pytest.CaptureFixture[str], week: tuple[Path, str, str]
) -> None:
    root, old, new = week
    code, out, _ = run(capsys, "diff", old[:8], "--store", str(root))
    assert code == 0
    assert out.startswith(f"changes from {old}") and f"to {new}" in out
    assert "entities: 1 added, 1 removed, 1 changed; claims: 1 added, 2 removed, 2 changed" in out
    assert "~ claim Ada Example held post Atlantis Foreign Minister" in out


def test_diff_as_json_is_the_api_body(
    capsys: pytest.CaptureFixture[str], week: tuple[Path, str, str]
) -> None:
    root, old, new = week
    code, out, _ = run(capsys, "diff", old, new, "--format", "json", "--store", str(root))
    body = json.loads(out)
    assert code == 0 and body["to"]["version"] == new
    assert {(i["kind"], i["change"], i["id"]) for i in body["items"]} == set(EXPECTED)


def test_diff_about_one_entity(
    capsys: pytest.CaptureFixture[str], week: tuple[Path, str, str]
) -> None:
    root, old, _ = week
    code, out, _ = run(capsys, "diff", old, "--entity", "narnia", "--store", str(root))
    assert code == 0 and "changes about narnia" in out
    assert "+ entity Narnia (narnia, Country)" in out and "Lemuria" not in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["nope"], "old: 'nope' names no build"),
        (["1999-01-01"], "old: no build at or before 1999-01-01"),
        (["OLD", "nope"], "new: 'nope' names no build"),
    ],
)
def test_diff_errors_name_the_argument(
    capsys: pytest.CaptureFixture[str], week: tuple[Path, str, str], argv: list[str], says: str
) -> None:
    root, old, _ = week
    argv = [old if a == "OLD" else a for a in argv]
    code, _, err = run(capsys, "diff", *argv, "--store", str(root))
    assert code == 2 and says in err


def test_diff_needs_a_store_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "diff", "2025-01-01", "--store", str(tmp_path / "none"))
    assert code == 2 and "govgraph build" in err
    code, _, err = run(capsys, "diff", "2025-01-01", "--store", "sparql+http://127.0.0.1:1/sparql")
    assert code == 2 and "remote SPARQL store keeps no history" in err
