"""what_if and key_players: removal effects, coming to the fore, greedy key players."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cop_toolkit.analysis.engine import betweenness, build_igraph
from cop_toolkit.core.inputs import map_from_networkx
from cop_toolkit.core.errors import MapError, UnknownElementError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.analysis.resilience import key_players, what_if


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
    # b1, b2 and z broker more but keep their ranks (#2, #2, #1): nobody comes to the fore
    assert r.gainers().empty and "come" not in r.headline() and "Without h" in r.headline()


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
    datasets = pytest.importorskip("cop_toolkit.io.datasets")
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
    from cop_toolkit.io import datasets

    r = what_if(datasets.load("owa-2017"), remove=["LVSC"])
    first = r.to_the_fore.iloc[0]
    assert first["Label"] == "Borough Networks Forum" and first["rank_after"] == 1
    assert r.headline().startswith("Without LVSC, 14 elements lose their only route")
    assert "Borough Networks Forum" in r.headline()


def brute_force_reach_lost(G: nx.Graph, removed: list[str]) -> pd.DataFrame:
    """what_if's reach_lost table computed the slow, obvious way with networkx."""
    H = G.copy()
    H.remove_nodes_from(removed)
    rows = {}
    for v in H:
        ball0 = nx.single_source_shortest_path_length(G, v, cutoff=2)
        ball1 = nx.single_source_shortest_path_length(H, v, cutoff=2)
        comp0 = nx.node_connected_component(G, v)
        reachable_before = len(comp0) - 1 - sum(x in comp0 for x in removed)
        reachable_after = len(nx.node_connected_component(H, v)) - 1
        removed_near = sum(x in ball0 for x in removed)
        before, after = len(ball0) - 1, len(ball1) - 1
        if before - removed_near > after or reachable_after < reachable_before:
            rows[v] = {
                "reach_before": before,
                "reach_after": after,
                "reach_lost": before - after,
                "reachable_before": reachable_before,
                "reachable_after": reachable_after,
            }
    return pd.DataFrame.from_dict(rows, orient="index", columns=["reach_before", "reach_after", "reach_lost", "reachable_before", "reachable_after"])


@st.composite
def maps_with_hubs(draw):
    """Random maps in several pieces, with isolates and hubs tied to a large share of the map."""
    n = draw(st.integers(min_value=2, max_value=70))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    G = nx.gnp_random_graph(n, draw(st.floats(0.0, 0.08)), seed=int(rng.integers(2**16)))
    for hub in rng.choice(n, size=min(n, draw(st.integers(0, 3))), replace=False):
        G.add_edges_from((int(hub), int(o)) for o in rng.choice(n, size=int(n * rng.uniform(0.2, 0.9)), replace=False) if o != hub)
    G = nx.relabel_nodes(G, {v: f"e{v}" for v in G})
    by_degree = sorted(G, key=lambda v: (-G.degree(v), v))
    k = draw(st.integers(1, 3))
    removed = by_degree[:k] if draw(st.booleans()) else [f"e{int(v)}" for v in rng.choice(n, size=min(k, n), replace=False)]
    return G, removed


@settings(max_examples=60, deadline=None)
@given(maps_with_hubs())
def test_reach_lost_table_equals_a_brute_force_networkx_computation(case):
    G, removed = case
    r = what_if(map_from_networkx(G), remove=removed)
    expected = brute_force_reach_lost(G, removed)
    got = r.reach_lost[list(expected.columns)]
    assert sorted(got.index) == sorted(expected.index)
    if len(expected):
        pd.testing.assert_frame_equal(
            got.sort_index().astype("int64"), expected.sort_index().astype("int64"), check_names=False, check_index_type=False
        )


def test_after_the_removal_the_map_is_analysed_exactly_as_the_map_without_them():
    G = nx.relabel_nodes(nx.gnp_random_graph(80, 0.06, seed=11), str)
    m = map_from_networkx(G)
    r = what_if(m, remove=["3", "40"])
    after = betweenness(build_igraph(m.without(["3", "40"])))
    ids = [str(v) for v in build_igraph(m.without(["3", "40"])).vs["name"]]
    assert r.to_the_fore.loc[ids, "betweenness_after"].to_numpy() == pytest.approx(after)
    assert r.summary.loc["ties", "after"] == m.without(["3", "40"]).to_networkx().number_of_edges()


def test_sampled_what_if_compares_like_with_like_so_removing_an_isolate_moves_nobody():
    G = nx.relabel_nodes(nx.gnp_random_graph(300, 0.02, seed=4), str)
    G.add_node("loner")
    r = what_if(map_from_networkx(G), remove="loner", method="sampled")
    assert r.method == "sampled"
    assert (r.to_the_fore["rank_gain"] == 0).all()


@pytest.mark.parametrize("method", ["exact", "sampled"])
def test_reusing_the_element_table_gives_the_same_result(method):
    from cop_toolkit.analysis.metrics import element_metrics

    G = nx.relabel_nodes(nx.barabasi_albert_graph(400, 2, seed=8), str)
    G.add_edges_from([("500", "501"), ("0", "502")])
    m = map_from_networkx(G)
    hub = max(G, key=G.degree)
    fresh = what_if(m, remove=[hub, "501"], method=method)
    reused = what_if(m, remove=[hub, "501"], method=method, metrics=element_metrics(m, method=method))
    assert reused.notes and "taken from the element table" in reused.notes[0]
    assert not fresh.notes
    for name in ("summary", "cut_off", "reach_lost", "to_the_fore"):
        pd.testing.assert_frame_equal(getattr(fresh, name), getattr(reused, name))


def test_an_element_table_computed_differently_is_not_reused():
    from cop_toolkit.analysis.metrics import element_metrics

    G = hub_and_ring()
    m = map_from_networkx(G)
    for other in (element_metrics(m, weighted=True), element_metrics(m, directed=True), element_metrics(m).iloc[1:]):
        r = what_if(m, remove="hub", metrics=other)
        assert "computed afresh" in r.notes[0]
        pd.testing.assert_frame_equal(r.to_the_fore, what_if(m, remove="hub").to_the_fore)


def test_only_elements_that_climb_the_go_between_ranking_come_to_the_fore():
    G = nx.Graph([("a", "b"), ("a", "e"), ("a", "g"), ("b", "c"), ("b", "e"), ("b", "f"), ("b", "h"), ("c", "e"),
                  ("d", "f"), ("e", "h"), ("f", "g"), ("g", "h")])
    r = what_if(G, remove="b")
    fore = r.to_the_fore
    steady = fore[(fore["betweenness_gain"] > 0) & (fore["rank_gain"] <= 0)]
    assert {"a", "h"} <= set(steady.index), "a and h broker more but stay joint #4"
    assert list(r.gainers().index) == ["g", "e"]
    headline = r.headline(top=4)
    assert "g (from #2 to #1 as a go-between) and e (from #3 to #2 as a go-between) come to the fore" in headline
    assert "more of a go-between" not in headline and "a (" not in headline and "h (" not in headline
