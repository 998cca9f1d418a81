"""element_metrics agrees with networkx and with published values on classic networks."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from cop_toolkit.analysis.engine import build_igraph
from cop_toolkit.core.inputs import map_from_networkx
from cop_toolkit.analysis.metrics import assign_roles, element_metrics
from cop_toolkit.core.model import NetworkMap

KITE_NAMES = ["Andre", "Beverley", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather", "Ike", "Jane"]


def kite() -> NetworkMap:
    G = nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE_NAMES)))
    return map_from_networkx(G, name="Kite")


def reference(m: NetworkMap, directed: bool, weighted: bool) -> dict[str, dict]:
    H = m.to_networkx(directed=directed)
    U = m.to_networkx()
    plain = nx.Graph(U.edges())
    plain.add_nodes_from(U.nodes())
    d = "distance" if weighted else None
    w = "weight" if weighted else None
    ref = {
        "degree": dict(H.degree()),
        "weighted_degree": dict(H.degree(weight="weight")),
        "in_degree": dict(m.to_networkx(directed=True).in_degree()),
        "out_degree": dict(m.to_networkx(directed=True).out_degree()),
        "betweenness": nx.betweenness_centrality(H, weight=d),
        "closeness": nx.closeness_centrality(H, distance=d),
        "pagerank": _pagerank_python(H, weight=w, tol=1e-12, max_iter=1000),
        "clustering": nx.clustering(plain),
        "coreness": nx.core_number(plain),
        "effective_size": nx.effective_size(plain),
        "constraint": nx.constraint(plain),
        "articulation_point": {v: v in set(nx.articulation_points(plain)) for v in plain},
    }
    bridge_count = {v: 0 for v in plain}
    for a, b in nx.bridges(plain):
        bridge_count[a] += 1
        bridge_count[b] += 1
    ref["bridges"] = bridge_count
    if U.number_of_edges() and nx.is_connected(U):
        ref["eigenvector"] = nx.eigenvector_centrality(U, weight=w, max_iter=10000, tol=1e-13)
    reach = {}
    for v in H:
        lengths = nx.single_source_shortest_path_length(H if directed else U, v, cutoff=2)
        reach[v] = len(lengths) - 1
    ref["reach"] = reach
    return ref


def assert_agrees(m: NetworkMap, *, directed: bool = False, weighted: bool = False) -> None:
    df = element_metrics(m, directed=directed, weighted=weighted, method="exact")
    for column, values in reference(m, directed, weighted).items():
        expected = pd.Series(values, dtype=float).reindex(df.index)
        got = df[column].astype(float)
        assert np.allclose(got, expected, atol=1e-6, equal_nan=True), (column, (got - expected).abs().max())


def weighted_graph(G: nx.Graph) -> nx.Graph:
    # strengths 1, 2, 4 give distances 1, 0.5, 0.25: exact in binary, so equal-length routes tie exactly
    for u, v in G.edges():
        G[u][v]["weight"] = [1, 2, 4][(hash((u, v)) % 3 + u * 7 + v) % 3]
    return G


def test_metrics_agree_with_networkx_on_krackhardt_kite():
    assert_agrees(kite())


def test_metrics_agree_with_networkx_on_karate_club_unweighted():
    assert_agrees(map_from_networkx(nx.karate_club_graph(), weight=None))


def test_weighted_metrics_agree_with_networkx_using_distance():
    assert_agrees(map_from_networkx(weighted_graph(nx.karate_club_graph())), weighted=True)


def test_directed_metrics_agree_with_networkx():
    G = nx.gnp_random_graph(40, 0.08, seed=3, directed=True)
    assert_agrees(map_from_networkx(G), directed=True)


def test_disconnected_map_metrics_agree_with_networkx():
    G = nx.disjoint_union(nx.path_graph(4), nx.cycle_graph(5))
    G.add_node(99)
    assert_agrees(map_from_networkx(G))


def test_mixed_directions_in_and_out_degree_follow_the_arrows():
    m = NetworkMap(
        pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
        pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"], "Direction": ["directed", "mutual"]}),
    )
    df = element_metrics(m)
    assert df["in_degree"].to_dict() == {"a": 0, "b": 2, "c": 1}
    assert df["out_degree"].to_dict() == {"a": 1, "b": 1, "c": 1}
    assert_agrees(m, directed=True)


def test_krackhardt_kite_published_values():
    df = element_metrics(kite())
    assert df["degree"].idxmax() == "Diane"
    top_closeness = df.index[np.isclose(df["closeness"], df["closeness"].max())]
    assert set(top_closeness) == {"Fernando", "Garth"}
    assert df["betweenness"].idxmax() == "Heather"
    assert df.loc["Heather", "betweenness"] == pytest.approx(14 / 36, abs=1e-9)  # published: 14 of 36 pairs
    assert df.loc["Diane", "role"] == "hub"
    assert df.loc["Heather", "role"] == "broker"
    assert df.loc["Jane", "role"] == "peripheral"
    assert bool(df.loc["Ike", "articulation_point"]) and bool(df.loc["Heather", "articulation_point"])


def test_karate_club_leaders_are_most_central():
    df = element_metrics(map_from_networkx(nx.karate_club_graph(), weight=None))
    top2 = set(df["betweenness"].nlargest(2).index)
    assert top2 == {"0", "33"}
    assert df.loc["0", "betweenness"] == pytest.approx(0.43763528, abs=1e-6)


def test_medici_have_highest_betweenness_among_florentine_families():
    df = element_metrics(map_from_networkx(nx.florentine_families_graph()))
    assert df["betweenness"].idxmax() == "Medici"
    assert df.loc["Medici", "role"] == "hub"


def test_reach_efficiency_is_share_reached_per_tie():
    df = element_metrics(map_from_networkx(nx.path_graph(5)))
    # element 0: one tie, reaches 2 others of 4 -> 2 / 4 / 1
    assert df.loc["0", "reach_efficiency"] == pytest.approx(0.5)
    assert df.loc["2", "reach_efficiency"] == pytest.approx(4 / 4 / 2)


def test_roles_follow_documented_rules():
    t = pd.DataFrame(
        {"degree": [10, 3, 2, 2, 1, 0, 2, 2, 2, 2, 2], "betweenness": [0.5, 0.6, 0.0, 0.1, 0, 0, 0, 0, 0, 0, 0.0]}
    )
    roles = assign_roles(t).tolist()
    assert roles[0] == "hub" and roles[1] == "broker" and roles[4] == "peripheral" and roles[5] == "isolate"
    assert roles[3] == "connector"  # betweenness below the top-10% cut


def test_sampled_method_is_recorded_and_close_to_exact():
    G = nx.barabasi_albert_graph(800, 3, seed=7)
    m = map_from_networkx(G)
    exact = element_metrics(m, method="exact")
    sampled = element_metrics(m, method="sampled", samples=200)
    assert exact.attrs["method"] == "exact" and sampled.attrs["method"] == "sampled"
    assert "sampled" in sampled.attrs["method_note"]
    top = exact["betweenness"].nlargest(50).index
    rho = exact.loc[top, "betweenness"].rank().corr(sampled.loc[top, "betweenness"].rank())
    assert rho > 0.8
    assert np.corrcoef(exact["closeness"], sampled["closeness"])[0, 1] > 0.95
    assert (sampled["degree"] == exact["degree"]).all()


def test_sampling_is_repeatable_with_a_seed():
    m = map_from_networkx(nx.barabasi_albert_graph(300, 2, seed=1))
    a = element_metrics(m, method="sampled", samples=50, seed=5)["betweenness"]
    b = element_metrics(m, method="sampled", samples=50, seed=5)["betweenness"]
    assert a.equals(b)


def test_empty_and_single_element_maps_do_not_crash():
    empty = NetworkMap(pd.DataFrame({"ID": [], "Label": []}))
    assert len(element_metrics(empty)) == 0
    one = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["Alone"]}))
    df = element_metrics(one)
    assert df.loc["a", "role"] == "isolate"
    assert df.loc["a", "degree"] == 0 and df.loc["a", "betweenness"] == 0
    assert math.isnan(df.loc["a", "constraint"])


def test_accepts_a_networkx_graph_and_keeps_labels():
    G = nx.Graph()
    G.add_node("x", Label="Food Bank", Type="Community group")
    G.add_node("y", Label="Youth Club")
    G.add_edge("x", "y")
    df = element_metrics(G)
    assert df.index.name == "ID"
    assert df.loc["x", "Label"] == "Food Bank" and df.loc["x", "Type"] == "Community group"


def test_igraph_is_built_from_tables_like_to_networkx():
    m = NetworkMap(
        pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
        pd.DataFrame({"From": ["a", "b", "a", "a"], "To": ["b", "a", "a", "zz"], "Strength": [2, 3, 1, 1]}),
    )
    g = build_igraph(m)
    G = m.to_networkx()
    assert g.ecount() == G.number_of_edges() == 1
    assert g.es[0]["weight"] == G["a"]["b"]["weight"] == 5.0
    assert g.es[0]["distance"] == pytest.approx(G["a"]["b"]["distance"])


def test_lvsc_is_the_top_hub_and_broker_of_owa_2017():
    datasets = pytest.importorskip("cop_toolkit.io.datasets")
    m = datasets.load("owa-2017")
    df = element_metrics(m)
    assert df["betweenness"].idxmax() == "lvsc"
    assert df["degree"].idxmax() == "lvsc"
    assert df.loc["lvsc", "role"] == "hub"
    assert bool(df.loc["lvsc", "articulation_point"])


def test_a_long_chain_whose_eigenvector_does_not_settle_still_gets_every_other_measure():
    import networkx as nx

    df = element_metrics(nx.path_graph(3001))  # igraph's ARPACK gives up on this chain
    assert df["eigenvector"].isna().all()
    assert df["betweenness"].notna().all() and df["degree"].sum() == 2 * 3000
