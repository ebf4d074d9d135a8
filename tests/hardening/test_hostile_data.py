"""Malicious data files: each is refused with a clear message, and the last good store stays
current and served. YAML goes through ``build``; RDF files through ``govgraph import``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import datafile, rdf_import
from graph.build import build, served_version
from graph.cli import main
from graph.problems import DataError
from graph.storedir import StoreDir
from tests.conftest import FIXTURE_DATA
from tests.hardening.conftest import Listener, make_store

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
SOURCE = "sources:\n  - id: evil\n    title: Evil\n"
YAML_CASES = {
    "yaml-bomb-aliases": (BILLION_LAUGHS, "anchors and aliases"),
    "invalid-utf8": (b"entities:\n  - id: a\n    label: caf\xe9\n", "not valid UTF-8"),
    "nul-byte": ("entities:\n  - id: a\n    label: a\x00b\n", "NUL"),
    "bom-then-nul": (b"\xef\xbb\xbfentities:\n  - id: a\x00\n", "NUL"),
    "oversize": ("entities: []\n" + "#" * 2000 + "\n", "the limit is 1000"),
    "path-traversal-text": (SOURCE + "    text: ../../../../../../etc/passwd\n", "inside the data"),
    "symlink-style-absolute-text": (SOURCE + "    text: /etc/passwd\n", "inside the data"),
    "date-type-trap": (
        "entities:\n  - id: trap\n    type: Country\n    label: NO\n    start: yes\n"
        "    sources: [example-article]\n",
        "start",
    ),
    "python-object-tag": (
        "entities:\n  - id: !!python/object/apply:os.system [touch /tmp/govgraph-pwned]\n",
        "single text value",
    ),
}


@pytest.fixture(scope="module")
def good_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("good"))


def assert_last_good_store_served(root: Path, before: str, triples: int) -> None:
    current = StoreDir(root).require_current()
    assert current.name == before, "a failed build or import replaced the current store"
    assert len(StoreDir(root).open()) == triples


def snapshot(root: Path) -> tuple[str, int]:
    return StoreDir(root).require_current().name, len(StoreDir(root).open())


@pytest.mark.parametrize("name", sorted(YAML_CASES))
def test_malicious_yaml_fails_the_build_and_keeps_the_store(
    good_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    content, message = YAML_CASES[name]
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    path = data / "evil.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    monkeypatch.setattr(datafile, "MAX_FILE_BYTES", 1000 if name == "oversize" else 5_000_000)
    before, triples = snapshot(good_root)
    with pytest.raises(DataError) as info:
        build(data, good_root)
    assert message in str(info.value) and "evil.yaml" in str(info.value), str(info.value)
    assert_last_good_store_served(good_root, before, triples)
    assert not Path("/tmp/govgraph-pwned").exists()


def test_yaml_type_traps_are_read_as_the_text_typed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "traps.yaml").write_text(
        "entities:\n  - id: norway\n    type: Country\n    label: NO\n"
        "    description: '0123'\n    aliases: [yes, 0123, 1e3, null, 2023-11-01]\n"
        "    sources: [example-article]\n",
        encoding="utf-8",
    )
    result = build(data, tmp_path / "store")
    (entity,) = [e for e in result.checked.data.entities if e.id == "norway"]
    assert entity.values["label"] == "NO"
    assert entity.values["aliases"] == ["yes", "0123", "1e3", "null", "2023-11-01"]


XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">
  <rdf:Description rdf:about="http://e/a"><e:p>&x;</e:p></rdf:Description>
</rdf:RDF>
"""
LAUGHS_XML = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:e="http://e/"><rdf:Description rdf:about="http://e/a"><e:p>&lol9;</e:p>'
    "</rdf:Description></rdf:RDF>\n"
)


def rdf_cases(listener: Listener) -> dict[str, tuple[str, bytes | str, str]]:
    ctx = '{"@context": %s, "@id": "http://e/a", "http://e/p": "x"}'
    return {
        "rdfxml-external-entity": ("evil.rdf", XXE, "DOCTYPE declaration is refused"),
        "rdfxml-billion-laughs": ("evil.rdf", LAUGHS_XML, "DOCTYPE declaration is refused"),
        "jsonld-remote-context": ("evil.jsonld", ctx % f'"{listener.url}"', "must be inline"),
        "jsonld-file-context": ("evil.jsonld", ctx % '"file:///etc/passwd"', "must be inline"),
        "jsonld-context-list": (
            "evil.jsonld",
            ctx % f'[{{"e": "http://e/"}}, "{listener.url}ctx"]',
            "must be inline",
        ),
        "jsonld-import": ("evil.jsonld", ctx % f'{{"@import": "{listener.url}"}}', "@import"),
        "jsonld-scoped-context": (
            "evil.jsonld",
            ctx % f'{{"t": {{"@id": "http://e/t", "@context": "{listener.url}"}}}}',
            "must be inline",
        ),
        "turtle-invalid-utf8": ("evil.ttl", b'<http://e/a> <http://e/p> "\xff" .\n', "UTF-8"),
        "turtle-deep-nesting": (
            "evil.ttl",
            "<http://e/a> <http://e/p> " + "[ <http://e/p> " * 20000 + "]" * 20000 + " .\n",
            "evil.ttl",
        ),
        "turtle-breaks-the-shapes": (
            "evil.ttl",
            "<https://w3id.org/govgraph/id/ghost> a "
            "<https://w3id.org/govgraph/ontology#Person> .\n",
            "SHACL",
        ),
        "oversize": ("evil.nt", "<http://e/a> <http://e/p> <http://e/b> .\n" * 100, "limit is"),
        "unknown-type": ("evil.exe", "MZ", "unknown RDF file type"),
    }


RDF_NAMES = sorted(rdf_cases(Listener(0)))


@pytest.mark.parametrize("name", RDF_NAMES)
def test_malicious_rdf_import_is_refused_and_keeps_the_store(
    good_root: Path,
    tmp_path: Path,
    listener: Listener,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    filename, content, message = rdf_cases(listener)[name]
    path = tmp_path / filename
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if name == "oversize":
        monkeypatch.setattr(rdf_import, "MAX_IMPORT_BYTES", 1000)
    before, triples = snapshot(good_root)
    assert main(["import", str(path), "--store", str(good_root)]) == 1
    err = capsys.readouterr().err
    assert message in err and "previous store" in err, err[-800:]
    assert_last_good_store_served(good_root, before, triples)
    assert listener.hits == [], "the import contacted another server"


def test_a_trusted_large_import_passes_with_a_raised_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_store(tmp_path / "store")
    path = tmp_path / "large.nt"
    path.write_text('<http://example.org/e/a> <http://example.org/e/p> "x" .\n' * 50)
    monkeypatch.setattr(rdf_import, "MAX_IMPORT_BYTES", 1000)
    assert main(["import", str(path), "--store", str(root)]) == 1
    assert "limit is 1000" in capsys.readouterr().err
    assert main(["import", str(path), "--store", str(root), "--max-mb", "1"]) == 0


def test_a_good_import_becomes_the_current_build(tmp_path: Path) -> None:
    root = make_store(tmp_path / "store")
    before, triples = snapshot(root)
    path = tmp_path / "extra.jsonld"
    path.write_text(
        '{"@context": {"e": "http://example.org/e/"}, "@id": "e:a", "e:p": "hello"}',
        encoding="utf-8",
    )
    assert main(["import", str(path), "--store", str(root)]) == 0
    after, count = snapshot(root)
    assert after != before and count == triples + 1
    manifest = StoreDir(root).manifest()
    assert manifest["imports"] == [{"file": "extra.jsonld", "triples": 1}]
    assert served_version(StoreDir(root).open()) == manifest["version"]
