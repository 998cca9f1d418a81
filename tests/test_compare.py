"""compare_maps finds joiners, leavers, renames, tie changes and who rose or fell."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from cop_toolkit.analysis.compare import compare_maps, match_elements
from cop_toolkit.core.model import NetworkMap


def snapshots() -> tuple[NetworkMap, NetworkMap]:
    old = NetworkMap(
        pd.DataFrame(
            {
                "ID": ["hub", "a", "b", "c", "old1"],
                "Label": ["Borough Hub", "Eastside Food Bank", "Youth Club", "Carers Circle", "Gone Group"],
                "Type": ["CVS", "Community group", "Community group", "Community group", "Community group"],
            }
        ),
        pd.DataFrame(
            {
                "From": ["a", "b", "c", "old1", "a"],
                "To": ["hub", "hub", "hub", "hub", "b"],
                "Type": ["Membership", "Membership", "Membership", "Membership", "Referral"],
                "Strength": [2, 2, 2, 1, 1],
            }
        ),
        metadata={"name": "2017"},
    )
    new = NetworkMap(
        pd.DataFrame(
            {
                "ID": ["hub", "a2", "b", "c", "new1"],
                "Label": ["Borough Hub", "East Side Foodbank", "Youth Club (Northside)", "Carers Circle", "New Group"],
                "Type": ["CVS", "Community group", "Community group", "Community group", "Community group"],
            }
        ),
        pd.DataFrame(
            {
                "From": ["a2", "b", "c", "new1", "new1"],
                "To": ["hub", "hub", "hub", "c", "b"],
                "Type": ["Membership", "Membership", "Partnership", "Referral", "Referral"],
                "Strength": [2, 5, 2, 1, 1],
            }
        ),
        metadata={"name": "2018"},
    )
    return old, new


def test_elements_added_removed_and_renamed():
    c = compare_maps(*snapshots())
    assert c.elements_added.index.tolist() == ["new1"]
    assert c.elements_removed.index.tolist() == ["old1"]
    renamed = c.elements_renamed.set_index("ID_a")
    assert renamed.loc["a", "ID_b"] == "a2" and renamed.loc["a", "matched_by"] == "label"
    assert renamed.loc["b", "Label_b"] == "Youth Club (Northside)" and renamed.loc["b", "matched_by"] == "ID"
    assert "c" not in renamed.index


def test_connections_added_removed_and_changed_use_new_ids():
    c = compare_maps(*snapshots())
    added = set(zip(c.connections_added["ID_a"], c.connections_added["ID_b"]))
    removed = set(zip(c.connections_removed["ID_a"], c.connections_removed["ID_b"]))
    assert added == {("c", "new1"), ("b", "new1")}
    assert removed == {("hub", "old1"), ("a2", "b")}  # 'a' is matched to 'a2'
    changed = c.connections_changed.set_index(["ID_a", "ID_b"])
    assert changed.loc[("b", "hub"), "old_strength"] == 2 and changed.loc[("b", "hub"), "new_strength"] == 5
    assert changed.loc[("c", "hub"), "new_type"] == "Partnership"
    assert ("a2", "hub") not in changed.index  # same tie after the rename


def test_metric_changes_say_who_rose_and_who_fell():
    c = compare_maps(*snapshots())
    mc = c.metric_changes
    assert set(mc["movement"]) <= {"rose", "fell", "steady"}
    assert (mc["rank_change"] == mc["rank_old"] - mc["rank_new"]).all()
    assert mc["rank_change"].is_monotonic_decreasing
    assert mc.loc["b", "degree_new"] == 2 and mc.loc["b", "degree_old"] == 2


def test_summary_and_headline_have_the_numbers():
    c = compare_maps(*snapshots())
    assert c.summary.loc["elements added", "new"] == 1
    assert c.summary.loc["elements renamed", "new"] == 2
    text = c.headline()
    assert "1 element joined, 1 left (Gone Group), 2 renamed" in text
    assert "2 connections added, 2 removed, 2 changed" in text


def test_label_matching_needs_similar_names():
    old = NetworkMap(pd.DataFrame({"ID": ["x"], "Label": ["Riverside Allotments"]}))
    new = NetworkMap(pd.DataFrame({"ID": ["y"], "Label": ["Hillside Chess Club"]}))
    assert match_elements(old, new).empty


def test_comparing_a_map_with_itself_finds_no_change():
    G = nx.karate_club_graph()
    c = compare_maps(G, G)
    assert c.elements_added.empty and c.elements_removed.empty and c.elements_renamed.empty
    assert c.connections_added.empty and c.connections_removed.empty and c.connections_changed.empty
    assert (c.metric_changes["movement"] == "steady").all()


def test_owa_2017_to_2018_loses_lvsc_and_finds_renames():
    datasets = pytest.importorskip("cop_toolkit.io.datasets")
    c = compare_maps(datasets.load("owa-2017"), datasets.load("owa-2018"))
    assert "lvsc" in c.elements_removed.index
    assert len(c.elements_renamed) >= 2
    assert len(c.elements_added) >= 1
    assert "LVSC" in c.headline() or len(c.elements_removed) > 3
    assert (c.metric_changes["movement"] == "rose").any() and (c.metric_changes["movement"] == "fell").any()
