"""Louvain clusters: repeatable, sensible, with summaries and a tie matrix."""

from __future__ import annotations

import networkx as nx
import pytest

from cop_toolkit.analysis.clusters import cluster_summary, cluster_ties, find_clusters
from cop_toolkit.core.inputs import map_from_networkx


def two_cliques() -> nx.Graph:
    G = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(4))
    G.add_edge(0, 5)
    return G


def test_same_input_and_seed_give_the_same_clusters():
    m = map_from_networkx(nx.karate_club_graph(), weight=None)
    a = find_clusters(m, seed=7)
    b = find_clusters(m, seed=7)
    assert a.equals(b)
    assert a.attrs["modularity"] == b.attrs["modularity"]


def test_two_cliques_joined_by_one_tie_form_two_clusters():
    df = find_clusters(two_cliques())
    assert df.loc[["0", "1", "2", "3", "4"], "cluster"].nunique() == 1
    assert df.loc[["5", "6", "7", "8"], "cluster"].nunique() == 1
    assert df.loc["0", "cluster"] == 0  # largest first
    assert df.loc["5", "cluster"] == 1


def test_modularity_matches_networkx():
    G = nx.karate_club_graph()
    df = find_clusters(map_from_networkx(G, weight=None), weighted=False)
    parts = [set(int(i) for i in grp.index) for _, grp in df.groupby("cluster")]
    assert df.attrs["modularity"] == pytest.approx(nx.community.modularity(G, parts, weight=None))
    assert df.attrs["modularity"] > 0.35


def test_higher_resolution_gives_more_clusters():
    m = map_from_networkx(nx.karate_club_graph(), weight=None)
    assert find_clusters(m, resolution=3.0)["cluster"].nunique() > find_clusters(m, resolution=0.3)["cluster"].nunique()


def test_clusters_are_named_after_their_hub():
    G = nx.star_graph(4)
    nx.set_node_attributes(G, {0: "Borough Forum"}, "Label")
    df = find_clusters(G)
    assert set(df["cluster_name"]) == {"Borough Forum cluster"}
    s = cluster_summary(G)
    assert s.loc[0, "ID_hub"] == "0" and s.loc[0, "Label_hub"] == "Borough Forum"


def test_cluster_summary_and_ties_count_every_tie_once():
    G = two_cliques()
    s = cluster_summary(G)
    assert s["size"].tolist() == [5, 4]
    assert s["internal_ties"].tolist() == [10, 6]
    assert s["external_ties"].tolist() == [1, 1]
    t = cluster_ties(G)
    assert t.to_numpy().tolist() == [[10, 1], [1, 6]]
    assert (t.to_numpy().sum() + t.to_numpy().trace()) / 2 == G.number_of_edges()


def test_isolated_elements_and_empty_maps_do_not_crash():
    G = nx.empty_graph(3)
    df = find_clusters(G)
    assert sorted(df["cluster"]) == [0, 1, 2]
    assert df.attrs["modularity"] == 0.0
    assert len(cluster_summary(G)) == 3


def test_owa_2017_has_an_lvsc_cluster_with_main_boroughs():
    datasets = pytest.importorskip("cop_toolkit.io.datasets")
    m = datasets.load("owa-2017")
    df = find_clusters(m)
    assert "LVSC cluster" in set(df["cluster_name"])
    s = cluster_summary(m, df)
    assert s["size"].sum() == len(m)
    assert s["main_boroughs"].iloc[0] != ""
