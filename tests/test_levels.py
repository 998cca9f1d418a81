"""Tie levels and the network-of-networks view."""

from __future__ import annotations

import pandas as pd
import pytest

from cop_toolkit.analysis.levels import (
    element_levels,
    network_metrics,
    network_of_networks,
    tie_levels,
)
from cop_toolkit.core.model import NetworkMap


def layered() -> NetworkMap:
    elements = pd.DataFrame(
        {
            "ID": ["g1", "g2", "g3", "b1", "b2", "p1", "f1"],
            "Label": ["G1", "G2", "G3", "B1", "B2", "P1", "F1"],
            "Type": ["Community group", "Community group", "Social enterprise", "CVS", "Borough network", "Pan-London body", "Funder"],
            "Level": ["grassroots", "Grassroots", None, "borough", "borough", "Pan London", None],
        }
    )
    connections = pd.DataFrame(
        {
            "From": ["g1", "g1", "g2", "b1", "b1", "g3", "f1", "g2", "g1"],
            "To": ["g2", "b1", "b1", "b2", "p1", "p1", "g1", "g1", "b2"],
            "Type": ["Partnership", "Membership", "Membership", "Partnership", "Membership", "Membership", "Funding", "Referral", "Membership"],
        }
    )
    return NetworkMap(elements, connections)


def test_levels_come_from_the_level_field_else_the_type():
    lv = element_levels(layered())
    assert lv["g2"] == "grassroots" and lv["p1"] == "pan-London"
    assert lv["g3"] == "grassroots"  # social enterprise with a blank Level
    assert pd.isna(lv["f1"])  # funders have no default level


def test_ties_are_classed_by_the_levels_of_their_ends():
    t = tie_levels(layered())
    # pairs: g1-g2 (twice, one tie), g1-b1, g2-b1, b1-b2, b1-p1, g3-p1, f1-g1, g1-b2
    assert t.loc["bottom-across", "ties"] == 1
    assert t.loc["bottom-up", "ties"] == 3
    assert t.loc["middle-across", "ties"] == 1
    assert t.loc["middle-up", "ties"] == 1
    assert t.loc["bottom-to-top", "ties"] == 1
    assert t.loc["level unknown", "ties"] == 1
    assert t["share"].sum() == pytest.approx(1.0)
    assert t.loc["bottom-up", "levels"] == "grassroots–borough"


def test_by_type_counts_connections_of_each_type():
    t = tie_levels(layered(), by_type=True)
    assert t.loc["bottom-across", "Partnership"] == 1 and t.loc["bottom-across", "Referral"] == 1
    assert t.loc["bottom-up", "Membership"] == 3


def test_network_of_networks_links_networks_through_shared_members():
    nn = network_of_networks(layered())
    assert sorted(nn.elements["ID"]) == ["b1", "b2", "p1"]  # elements with members
    members = nn.elements.set_index("ID")["members"].astype(int)
    assert members.to_dict() == {"b1": 2, "b2": 1, "p1": 2}
    ties = nn.connections.set_index(["From", "To"])
    assert ties.loc[("b1", "b2"), "shared_members"] == "1"  # g1 belongs to both
    assert ties.loc[("b1", "b2"), "direct_ties"] == "1"  # and b1-b2 are partners
    assert ties.loc[("b1", "b2"), "Strength"] == 2.0
    assert ties.loc[("b1", "b2"), "Type"] == "Direct tie|Shared members"
    assert ties.loc[("b1", "p1"), "Type"] == "Direct tie"


def test_network_metrics_measure_the_network_level():
    df = network_metrics(layered())
    assert df.loc["b1", "degree"] == 2 and df.loc["b1", "members"] == 2
    assert df.loc["b1", "betweenness"] == pytest.approx(1.0)


def test_maps_without_membership_or_connections_give_empty_results():
    m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"]}))
    assert len(network_of_networks(m)) == 0
    assert tie_levels(m).empty


def test_owa_2017_has_bottom_up_ties_and_lvsc_among_networks():
    datasets = pytest.importorskip("cop_toolkit.io.datasets")
    m = datasets.load("owa-2017")
    t = tie_levels(m)
    assert {"bottom-across", "bottom-up"} <= set(t.index)
    df = network_metrics(m)
    assert df["betweenness"].idxmax() == "lvsc"
