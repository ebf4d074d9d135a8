"""Places: coordinates become GeoSPARQL points, and events at places export as GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.exports import geojson
from api.runner import ThreadRunner
from api.state import LocalBuilds, load_snapshot
from graph.build import build, validate
from graph.problems import DataError
from graph.storedir import StoreDir

PLACES = """
entities:
  - id: atlantis-city
    type: Place
    label: Atlantis City
    coordinates: "51.9977, -0.7407"
    sources: [example-article]
statements:
  - subject: example-summit
    predicate: heldAt
    object: atlantis-city
    source: example-article
    evidence: reported
  - subject: atlantis-city
    predicate: locatedIn
    object: atlantis
    source: example-article
    evidence: reported
"""


def test_events_at_places_export_as_geojson(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "places.yaml").write_text(PLACES, encoding="utf-8")
    root = tmp_path / "store"
    build(data_dir, root)
    current = StoreDir(root).current()
    assert current is not None
    source = LocalBuilds(root)
    snapshot = load_snapshot(
        source, current.name, lambda store: ThreadRunner(store, max_length=10_000, max_depth=50)
    )
    try:
        assert snapshot.store.ask(
            "ASK { id:atlantis-city geo:hasGeometry/geo:asWKT "
            '"POINT(-0.7407 51.9977)"^^geo:wktLiteral }'
        )
        data = json.loads(geojson(snapshot))
        assert data["type"] == "FeatureCollection" and data["version"] == snapshot.version
        (feature,) = data["features"]
        assert feature["geometry"] == {"type": "Point", "coordinates": [-0.7407, 51.9977]}
        props = feature["properties"]
        assert props["id"] == "example-summit" and props["place"] == "atlantis-city"
        assert props["start"] == "2023-03-01" and props["sources"] == ["example-article"]
    finally:
        snapshot.store.close()


@pytest.mark.parametrize("bad", ["91, 0", "51.9, -200", "north", "1, 2, 3"])
def test_bad_coordinates_name_the_file_and_field(data_dir: Path, bad: str) -> None:
    (data_dir / "places.yaml").write_text(
        PLACES.replace('"51.9977, -0.7407"', f'"{bad}"'), encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        validate(data_dir)
    (problem,) = caught.value.problems
    assert "places.yaml:" in str(problem) and problem.field == "coordinates"
