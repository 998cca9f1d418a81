"""what_if and key_players: removal effects, coming to the fore, greedy key players."""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd
import pytest

from cop_toolkit.engine import map_from_networkx
from cop_toolkit.errors import MapError, UnknownElementError
from cop_toolkit.model import NetworkMap
from cop_toolkit.resilience import key_players, what_if


def hub_and_ring() -> nx.Graph:
    G = nx.Graph([("a", "hub"), ("b", "hub"), ("hub", "c"), ("c", "d"), ("d", "e"), ("e", "c"), ("e", "f"), ("f", "g"), ("g", "c")])
    nx.set_node_attributes(G, {"hub": "Big Hub"}, "Label")
    return G


def test_removing_a_hub_cuts_off_its_only_members():
    r = what_if(hub_and_ring(), remove="Big Hub")
    assert r.removed == ["hub"]
    assert sorted(r.cut_off.index) == ["a", "b"]
    assert r.cut_off["piece_size"].tolist() == [1, 1]
    assert r.summary.loc["components", "before"] == 1 and r.summary.loc["components", "after"] == 3


def test_share_of_pairs_still_connected_matches_brute_force():
    G = hub_and_ring()
    r = what_if(G, remove=["hub"])
    H = G.copy()
    H.remove_node("hub")
    pairs = list(itertools.combinations(H.nodes, 2))
    still = sum(nx.has_path(H, u, v) for u, v in pairs)
    before = sum(nx.has_path(G, u, v) for u, v in pairs)
    assert r.summary.loc["share of pairs still connected", "after"] == pytest.approx(still / before)


def test_reach_lost_counts_two_step_reach():
    G = hub_and_ring()
    r = what_if(G, remove=["hub"])
    # 'a' reached hub, b, c within two steps; afterwards nobody
    assert r.reach_lost.loc["a", "reach_before"] == 3
    assert r.reach_lost.loc["a", "reach_after"] == 0
    assert r.reach_lost.loc["a", "reachable_after"] == 0


def test_to_the_fore_puts_the_biggest_gain_in_brokerage_first_with_ranks_among_those_who_remain():
    G = nx.Graph([("x", "h"), ("y", "h"), ("h", "z"), ("x", "b1"), ("b1", "z"), ("y", "b2"), ("b2", "z"), ("z", "w")])
    r = what_if(G, remove="h")
    H = G.copy()
    H.remove_node("h")
    ref = nx.betweenness_centrality(H)
    assert r.to_the_fore["betweenness_after"].to_dict() == pytest.approx(ref)
    assert (r.to_the_fore["rank_gain"] == r.to_the_fore["rank_before"] - r.to_the_fore["rank_after"]).all()
    gain = r.to_the_fore["betweenness_after"] - r.to_the_fore["betweenness_before"]
    assert r.to_the_fore["betweenness_gain"].to_dict() == pytest.approx(gain.to_dict())
    assert r.to_the_fore["betweenness_gain"].is_monotonic_decreasing
    assert r.to_the_fore.iloc[0]["betweenness_gain"] > 0
    assert "come" in r.headline() and "Without h" in r.headline()


def test_headline_when_nobody_is_cut_off():
    r = what_if(nx.cycle_graph(5), remove="0")
    assert r.cut_off.empty
    assert r.headline().startswith("Without 0, everyone else stays connected")


def test_removing_nothing_or_unknown_elements_is_a_clear_error():
    with pytest.raises(MapError):
        what_if(nx.path_graph(3), remove=[])
    with pytest.raises(UnknownElementError):
        what_if(nx.path_graph(3), remove=["nobody"])


def test_removing_the_only_element_works():
    r = what_if(NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"]})), remove="a")
    assert r.summary.loc["elements", "after"] == 0
    assert r.to_the_fore.empty and r.cut_off.empty


def test_key_player_for_fragmenting_is_the_bridge_of_a_barbell():
    df = key_players(nx.barbell_graph(5, 1), k=2)
    assert df.index[0] == "5"
    assert df["order"].tolist() == [1, 2]
    assert df["connected_pairs_share"].is_monotonic_decreasing


def test_key_players_for_reach_cover_the_map_greedily():
    G = nx.disjoint_union(nx.star_graph(5), nx.star_graph(3))
    df = key_players(G, k=3, goal="reach", steps=1)
    assert df.index.tolist() == ["0", "6"]  # two centres cover everyone; no third adds anything
    assert df["new_reach"].tolist() == [6, 4]
    assert df["share_reached"].iloc[-1] == pytest.approx(1.0)


def test_unknown_goal_is_rejected():
    with pytest.raises(MapError, match="goal"):
        key_players(nx.path_graph(3), goal="speed")


def test_without_lvsc_groups_are_cut_off_and_other_networks_come_to_the_fore():
    datasets = pytest.importorskip("cop_toolkit.datasets")
    m = datasets.load("owa-2017")
    r = what_if(m, remove=["LVSC"])
    assert len(r.cut_off) >= 5
    assert "lvsc" not in r.to_the_fore.index
    risers = r.to_the_fore[r.to_the_fore["rank_gain"] > 0]
    assert len(risers) >= 2
    text = r.headline()
    assert text.startswith(f"Without LVSC, {len(r.cut_off)} elements lose their only route")
    assert risers.iloc[0]["Label"] in text
    assert key_players(m, k=1).index[0] == "lvsc"


def test_works_on_a_map_built_from_networkx():
    m = map_from_networkx(nx.karate_club_graph(), weight=None)
    r = what_if(m, remove=["0", "33"])
    assert r.summary.loc["elements", "after"] == 32
    assert len(r.cut_off) == r.summary.loc["largest component", "before"] - 2 - r.summary.loc["largest component", "after"]


@pytest.mark.parametrize("seed", range(4))
def test_reach_lost_lists_exactly_who_loses_a_remaining_element_matching_networkx_brute_force(seed):
    G = nx.gnp_random_graph(60, 0.05, seed=seed)
    removed = [str(v) for v in list(G.nodes)[:2]]
    r = what_if(map_from_networkx(G), remove=removed)
    H = G.copy()
    H.remove_nodes_from(int(v) for v in removed)
    expected = {}
    for v in H:
        before = len(nx.single_source_shortest_path_length(G, v, cutoff=2)) - 1
        after = len(nx.single_source_shortest_path_length(H, v, cutoff=2)) - 1
        comp = nx.node_connected_component(G, v)
        reachable_before = len(comp) - 1 - sum(int(x) in comp for x in removed)
        reachable_after = len(nx.node_connected_component(H, v)) - 1
        removed_near = sum(int(x) in nx.single_source_shortest_path_length(G, v, cutoff=2) for x in removed)
        if before - removed_near > after or reachable_after < reachable_before:
            expected[str(v)] = (before, after)
    got = {i: (row.reach_before, row.reach_after) for i, row in r.reach_lost.iterrows()}
    assert got == expected


def test_without_lvsc_the_borough_networks_forum_comes_to_the_fore_not_small_groups_climbing_near_the_bottom():
    from cop_toolkit import datasets

    r = what_if(datasets.load("owa-2017"), remove=["LVSC"])
    first = r.to_the_fore.iloc[0]
    assert first["Label"] == "Borough Networks Forum" and first["rank_after"] == 1
    assert r.headline().startswith("Without LVSC, 14 elements lose their only route")
    assert "Borough Networks Forum" in r.headline()
