"""The govgraph command line, run in-process through ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.cli import COMMANDS, main
from tests.conftest import FIXTURE_DATA


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_reports_counts_and_progress(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys, "build", "--data", str(FIXTURE_DATA), "--store", str(tmp_path / "s")
    )
    assert code == 0
    assert "9 entities, 11 claims (11 statements)" in out
    assert "running SHACL" in err


def test_validate_lists_problems_with_file_and_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    path = data_dir / "fixture.yaml"
    path.write_text(path.read_text().replace("type: Summit", "type: Sumit"), encoding="utf-8")
    code, _, err = run(capsys, "validate", "--data", str(data_dir))
    assert code == 1
    assert "fixture.yaml:" in err and "unknown type 'Sumit'" in err


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("table", lambda out: "Atlantis" in out and "(1 row)" in out),
        ("json", lambda out: json.loads(out)["results"]["bindings"][0]["l"]["value"] == "Atlantis"),
        ("csv", lambda out: out.splitlines()[0] == "l"),
        ("tsv", lambda out: out.splitlines()[1] == '"Atlantis"@en'),
    ],
)
def test_query_formats(
    capsys: pytest.CaptureFixture[str], store_root: Path, fmt: str, check: object
) -> None:
    q = "SELECT ?l WHERE { id:atlantis rdfs:label ?l FILTER(LANG(?l) = 'en') }"
    code, out, _ = run(capsys, "query", q, "--format", fmt, "--store", str(store_root))
    assert code == 0 and check(out)  # type: ignore[operator]


def test_query_from_file_and_ttl(
    capsys: pytest.CaptureFixture[str], store_root: Path, tmp_path: Path
) -> None:
    path = tmp_path / "q.rq"
    path.write_text("CONSTRUCT { ?s gg:signed ?o } WHERE { ?s gg:signed ?o }")
    code, out, _ = run(capsys, "query", f"@{path}", "--format", "ttl", "--store", str(store_root))
    assert code == 0 and "gg:signed" in out


def test_query_errors_are_clear(capsys: pytest.CaptureFixture[str], store_root: Path) -> None:
    code, _, err = run(capsys, "query", "SELEC nothing", "--store", str(store_root))
    assert code == 2 and "SPARQL syntax error" in err


def test_missing_store_says_how_to_build(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "search", "x", "--store", str(tmp_path / "none"))
    assert code == 2 and "govgraph build" in err


def test_search_and_path(capsys: pytest.CaptureFixture[str], store_root: Path) -> None:
    code, out, _ = run(capsys, "search", "RoA", "--store", str(store_root))
    assert code == 0 and out.split()[1] == "atlantis"
    code, out, _ = run(
        capsys,
        "path",
        "example-summit",
        "example-panel",
        "--influence-only",
        "--store",
        str(store_root),
    )
    assert code == 0 and out.startswith("1. score ")
    assert "First Example Summit (1–2 March 2023) commissioned Example Science Report" in out
    assert "[1] An example article. Example Press, 18 October 2024." in out


def test_export(capsys: pytest.CaptureFixture[str], store_root: Path, tmp_path: Path) -> None:
    target = tmp_path / "g.nt"
    code, _, _ = run(
        capsys, "export", "--format", "nt", "-o", str(target), "--store", str(store_root)
    )
    assert code == 0 and target.read_text().count("\n") > 100


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"govgraph {name}" not in readme]
    assert not missing, f"README.md does not document: {missing}"


def test_remote_store_round_trip(
    capsys: pytest.CaptureFixture[str], virtuoso_endpoint: str
) -> None:
    spec = f"sparql+{virtuoso_endpoint}"
    code, out, _ = run(capsys, "build", "--data", str(FIXTURE_DATA), "--store", spec)
    assert code == 0 and "9 entities" in out
    code, out, _ = run(
        capsys,
        "query",
        "ASK { id:example-panel gg:influencedBy+ id:example-summit }",
        "--store",
        spec,
    )
    assert code == 0 and out.strip() == "true"
    code, out, _ = run(capsys, "search", "RoA", "--store", spec)
    assert code == 0 and out.split()[1] == "atlantis"
    code, out, _ = run(
        capsys, "path", "example-summit", "example-panel", "--influence-only", "--store", spec
    )
    assert code == 0 and "Example Panel built on Example Science Report" in out
