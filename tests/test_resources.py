"""Needs, offers and assets: vocabulary, matching, the asset map."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cop_toolkit as cop
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.privacy import is_private_element
from cop_toolkit.building.resources import asset_map, match_needs_offers
from cop_toolkit.core.vocabulary import normalise_item, resource_items, resource_vocabulary


@pytest.fixture(scope="module")
def owa() -> NetworkMap:
    return cop.datasets.load("owa-2017")


@pytest.mark.parametrize(
    "written, common",
    [
        ("meeting space", "meeting space"),
        ("Meeting Room", "meeting space"),
        ("  meeting   rooms ", "meeting space"),
        ("Room hire", "meeting space"),
        ("Volunteers", "volunteers"),
        ("volunteer", "volunteers"),
        ("mini-bus", "transport"),
        ("Minibus", "transport"),
        ("Funding advice", "fundraising support"),
        ("Youth Workers", "youth worker"),
    ],
)
def test_vocabulary_folds_case_spacing_plurals_and_synonyms(written: str, common: str) -> None:
    assert normalise_item(written) == common


def test_users_can_add_their_own_synonyms() -> None:
    assert normalise_item("church hall") == "church hall"
    assert normalise_item("Church Halls", synonyms={"church hall": "meeting space"}) == "meeting space"


@given(st.text(alphabet="abcdefgh &-", min_size=1, max_size=20))
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise_item(text)
    assert normalise_item(once) == normalise_item(text) or once == ""


def test_tables_show_the_wording_people_used_most() -> None:
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
                                 "Needs": ["DBS checks", "DBS checks|Room hire", "dbs check"]}))
    assert resource_items(m).loc["b", "needs"] == ["dbs checks", "meeting space"]
    vocab = resource_vocabulary(m)
    assert set(vocab["item"]) == {"dbs checks", "meeting space"}
    assert vocab.loc[vocab["as_written"] == "DBS checks", "elements"].item() == 2


def tiny_map() -> NetworkMap:
    return NetworkMap(
        pd.DataFrame({
            "ID": ["bank", "club", "hall", "far", "pat"],
            "Label": ["Food Bank", "Youth Club", "Church Hall Trust", "Far Away Group", "Pat Person"],
            "Type": ["Community group", "Community group", "Community group", "Community group", "Person"],
            "Consent": [None, None, None, None, "no"],
            "Latitude": [51.520, 51.525, 51.521, 51.40, 51.52],
            "Longitude": [-0.070, -0.060, -0.071, -0.30, -0.07],
            "Needs": ["Meeting rooms|volunteers", None, None, "meeting space", None],
            "Offers": [None, "room hire", "Meeting Space|Volunteers", None, "volunteers"],
            "Assets": [None, "minibus", "hall", "Minibus", None],
        }),
        pd.DataFrame({"From": ["bank"], "To": ["club"]}),
    )


def test_needs_are_matched_to_offers_with_ties_and_distances() -> None:
    t = match_needs_offers(tiny_map())
    got = {(n, o, i): tied for n, o, i, tied in zip(t["ID_a"], t["ID_b"], t["item"], t["already_tied"])}
    assert got == {
        ("bank", "club", "meeting space"): True,
        ("bank", "hall", "meeting space"): False,
        ("bank", "hall", "volunteers"): False,
        ("far", "club", "meeting space"): False,
        ("far", "hall", "meeting space"): False,
    }
    assert not t["already_tied"].iloc[0]  # new possibilities come first
    row = t[(t["ID_a"] == "bank") & (t["ID_b"] == "hall") & (t["item"] == "volunteers")].iloc[0]
    assert row["reason"] == (
        "Church Hall Trust offers volunteers, which Food Bank needs; they are not yet connected; 131 m apart."
    )


def test_matching_never_names_an_unconsented_person() -> None:
    t = match_needs_offers(tiny_map())
    assert "pat" not in set(t["ID_b"]) | set(t["ID_a"])
    assert not t["reason"].str.contains("Pat Person").any()


def test_matching_can_keep_only_near_and_untied_pairs() -> None:
    t = match_needs_offers(tiny_map(), within_km=2, include_tied=False)
    assert set(zip(t["ID_a"], t["ID_b"])) == {("bank", "hall")}
    assert (t["distance_km"] <= 2).all()


def test_owa_matches_include_the_stepney_meeting_space(owa: NetworkMap) -> None:
    t = match_needs_offers(owa)
    hit = t[(t["ID_a"] == "stepney-youth-project") & (t["ID_b"] == "limehouse-community-kitchen")]
    assert list(hit["item"]) == ["meeting space"]
    assert not hit["already_tied"].item()
    hidden = is_private_element(owa)
    hidden_ids = set(hidden.index[hidden.to_numpy()])
    assert not (set(t["ID_a"]) | set(t["ID_b"])) & hidden_ids
    tied = {frozenset(p) for p in zip(owa.connections["From"], owa.connections["To"])}
    for n, o, flag in zip(t["ID_a"], t["ID_b"], t["already_tied"]):
        assert flag == (frozenset((n, o)) in tied)


def test_asset_map_has_inventory_projection_boroughs_and_sole_holders() -> None:
    am = asset_map(tiny_map())
    inv = am.inventory.set_index("item")
    assert inv.loc["transport", "holders"] == 2  # "minibus" and "Minibus"
    assert inv.loc["meeting space", "holder_ids"] == ["hall"]
    assert list(am.sole_holders["item"]) == ["meeting space"]
    assert "Only Church Hall Trust" in am.sole_holders["reason"].iloc[0]
    assert am.shared[["ID_a", "ID_b", "shared_assets", "items"]].values.tolist() == [["club", "far", 1, "transport"]]
    g = am.two_mode
    assert {d["bipartite"] for _, d in g.nodes(data=True)} == {0, 1}
    assert g.has_edge("club", "asset: transport")
    assert set(am.by_borough.columns) == {"code", "name", "item", "holders"}


def test_owa_asset_map_is_consistent(owa: NetworkMap) -> None:
    am = asset_map(owa)
    assert len(am.inventory) > 5
    assert (am.inventory["holders"] == am.inventory["holder_ids"].map(len)).all()
    assert set(am.sole_holders["item"]) == set(am.inventory.loc[am.inventory["holders"] == 1, "item"])
    # every shared pair really holds the listed assets
    items = resource_items(owa)
    for a, b, listed in am.shared.head(50)[["ID_a", "ID_b", "items"]].itertuples(index=False):
        assert set(listed.split(", ")) == set(items.at[a, "assets"]) & set(items.at[b, "assets"])
    hidden = is_private_element(owa)
    assert not set(am.sole_holders["ID"]) & set(hidden.index[hidden.to_numpy()])
