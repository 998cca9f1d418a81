"""London borough geography: the table, tolerant name matching, boundaries, neighbours."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from cop_toolkit.io import datasets
from cop_toolkit.geo.boroughs import (
    ATTRIBUTION,
    adjacent_boroughs,
    borough_at,
    borough_name,
    borough_polygons,
    boroughs,
    boroughs_at,
    haversine_km,
    match_borough,
)


def test_boroughs_lists_the_33_london_local_authorities():
    b = boroughs()
    assert len(b) == 33 and b.index.name == "code"
    assert list(b.columns) == ["name", "abbreviation", "centroid_lat", "centroid_lon", "grid_x",
                               "grid_y", "inner"]
    assert list(b.index) == [f"E09{i:06d}" for i in range(1, 34)]
    assert b["inner"].dtype == bool and b["inner"].sum() == 14
    assert bool(b.loc["E09000025", "inner"]) and not bool(b.loc["E09000011", "inner"])
    assert b["abbreviation"].is_unique
    assert not b[["grid_x", "grid_y"]].duplicated().any()


def test_boroughs_returns_a_copy_the_caller_may_change():
    b = boroughs()
    b.loc["E09000001", "name"] = "changed"
    assert boroughs().loc["E09000001", "name"] == "City of London"


@pytest.mark.parametrize("text, code", [
    ("E09000030", "E09000030"), ("e09000030", "E09000030"), (" E09000001 ", "E09000001"),
    ("Tower Hamlets", "E09000030"), ("LB Tower Hamlets", "E09000030"),
    ("towerhamlets", "E09000030"), ("TOWER HAMLETS", "E09000030"), ("Tower-Hamlets", "E09000030"),
    ("London Borough of Tower Hamlets", "E09000030"), ("LBTH", "E09000030"),
    ("Royal Borough of Kensington & Chelsea", "E09000020"), ("RBKC", "E09000020"),
    ("Kensington and Chelsea", "E09000020"), ("K&C", "E09000020"),
    ("Westminster City Council", "E09000033"), ("City of Westminster", "E09000033"),
    ("City of London", "E09000001"), ("City of London Corporation", "E09000001"),
    ("Hammersmith & Fulham", "E09000013"), ("H&F", "E09000013"),
    ("Barking & Dagenham", "E09000002"), ("LB of Newham", "E09000025"),
    ("Richmond-upon-Thames", "E09000027"), ("Richmond on Thames", "E09000027"),
    ("Kingston", "E09000021"), ("Royal Borough of Greenwich", "E09000011"),
    ("Greenwich Royal Borough", "E09000011"), ("Waltham Forest Council", "E09000031"),
    ("Sutton LB", "E09000029"), ("haringey ", "E09000014"), ("WST", "E09000033"),
    ("Tower Hamlet", "E09000030"), ("Lewisam", "E09000023"),
])
def test_match_borough_understands_common_spellings(text, code):
    assert match_borough(text) == code


@pytest.mark.parametrize("text", ["", "   ", None, float("nan"), "London", "Manchester",
                                  "E09000099", "E08000003", "Pan-London"])
def test_match_borough_returns_none_for_blanks_and_places_outside_the_33(text):
    assert match_borough(text) is None


def test_borough_name_gives_the_official_name():
    assert borough_name("LB of Newham") == "Newham"
    assert borough_name("nowhere") is None


def test_all_33_boundaries_are_valid_polygons():
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import shape

    data = json.loads((datasets.path("london-boroughs") / "boroughs.geojson").read_text())
    assert len(data["features"]) == 33
    for f in data["features"]:
        geom = shape(f["geometry"])
        assert geom.is_valid, f["properties"]["name"]
        assert geom.geom_type in ("Polygon", "MultiPolygon")
        assert geom.area > 0
    polys = borough_polygons()
    assert set(polys) == set(boroughs().index)
    for code, rings in polys.items():
        for ring in rings:
            assert shapely.geometry.Polygon(ring).is_valid, code


def test_boundaries_are_in_longitude_latitude_around_london():
    for rings in borough_polygons().values():
        pts = np.array([p for ring in rings for p in ring])
        assert ((pts[:, 0] > -0.52) & (pts[:, 0] < 0.34)).all()
        assert ((pts[:, 1] > 51.28) & (pts[:, 1] < 51.70)).all()


def test_each_borough_contains_a_point_near_its_centroid():
    b = boroughs()
    inside = [borough_at(r.centroid_lat, r.centroid_lon) == code for code, r in b.iterrows()]
    assert sum(inside) >= 31  # centroids are approximate; nearly all fall inside


def test_borough_at_is_none_outside_london():
    assert borough_at(51.75, -0.1) is None
    assert borough_at(float("nan"), 0.0) is None


def test_boroughs_at_agrees_with_shapely_on_a_grid_across_london():
    shapely = pytest.importorskip("shapely.geometry")
    shapes = {code: [shapely.Polygon(r) for r in rings] for code, rings in borough_polygons().items()}
    lats, lons = np.meshgrid(np.linspace(51.27, 51.71, 23), np.linspace(-0.53, 0.35, 29))
    lats, lons = lats.ravel(), lons.ravel()
    found = boroughs_at(lats, lons)
    assert found.shape == lats.shape and found.dtype == object
    expected = []
    for la, lo in zip(lats, lons):
        p = shapely.Point(lo, la)
        expected.append(next((c for c, polys in shapes.items() if any(poly.contains(p) for poly in polys)), None))
    assert list(found) == expected
    assert sum(c is not None for c in expected) > 200 and None in expected  # both inside and outside checked


def test_boroughs_at_gives_none_for_blank_coordinates_and_matches_borough_at():
    found = boroughs_at([51.5148, float("nan"), 51.5, 51.75], [-0.092, -0.1, float("nan"), -0.1])
    assert list(found) == ["E09000001", None, None, None]
    assert borough_at(51.5148, -0.092) == found[0]


def test_neighbours_are_symmetric_and_follow_land_borders():
    adj = adjacent_boroughs()
    assert list(adj.columns) == ["code_a", "code_b"]
    pairs = set(zip(adj["code_a"], adj["code_b"]))
    assert all((b, a) in pairs for a, b in pairs)
    assert not any(a == b for a, b in pairs)
    assert set(adj["code_a"]) == set(boroughs().index)  # nobody is an island
    assert ("E09000030", "E09000012") in pairs  # Tower Hamlets - Hackney
    assert ("E09000001", "E09000033") in pairs  # City - Westminster
    assert ("E09000030", "E09000028") not in pairs  # Tower Hamlets - Southwark: the Thames


def test_haversine_km_measures_known_distances_and_broadcasts():
    assert haversine_km(51.5, -0.1, 51.5, -0.1) == 0.0
    assert haversine_km(51.5, 0.0, 52.5, 0.0) == pytest.approx(111.2, abs=0.1)
    d = haversine_km(np.array([51.5, 51.6]), np.array([-0.1, -0.1]), 51.5, -0.1)
    assert d.shape == (2,)
    assert haversine_km(51.4, -0.3, 51.6, 0.1) == pytest.approx(haversine_km(51.6, 0.1, 51.4, -0.3))
    assert np.isnan(haversine_km(float("nan"), 0, 0, 0))


def test_attribution_credits_crown_copyright_and_the_tile_grid():
    assert "Crown copyright" in ATTRIBUTION and "Open Government Licence" in ATTRIBUTION
    assert "London Squared" in ATTRIBUTION


def test_geography_works_without_shapely():
    code = ("import sys; sys.modules['shapely'] = None\n"
            "from cop_toolkit import geography as g\n"
            "assert g.match_borough('LB Hackney') == 'E09000012'\n"
            "assert len(g.borough_polygons()) == 33 and len(g.adjacent_boroughs()) > 0\n"
            "assert g.borough_at(51.5148, -0.092) == 'E09000001'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
