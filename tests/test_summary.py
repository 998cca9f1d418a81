"""map_summary and degree_distribution agree with networkx."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from cop_toolkit.core.inputs import map_from_networkx
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.analysis.summary import degree_distribution, map_summary


def test_summary_matches_networkx_on_a_disconnected_graph():
    G = nx.disjoint_union(nx.karate_club_graph(), nx.path_graph(3))
    G.add_node(500)
    s = map_summary(map_from_networkx(G, weight=None))["value"]
    giant = G.subgraph(max(nx.connected_components(G), key=len))
    assert s["elements"] == 38 and s["ties"] == G.number_of_edges()
    assert s["density"] == pytest.approx(nx.density(G))
    assert s["components"] == nx.number_connected_components(G) == 3
    assert s["largest component share"] == pytest.approx(34 / 38)
    assert s["diameter"] == nx.diameter(giant)
    assert s["average path length"] == pytest.approx(nx.average_shortest_path_length(giant))
    assert s["average clustering"] == pytest.approx(nx.average_clustering(G))
    assert s["transitivity"] == pytest.approx(nx.transitivity(G))
    assert s["isolated elements"] == 1
    assert "reciprocity" not in s.index  # no one-way ties


def test_reciprocity_appears_for_directed_maps_and_matches_networkx():
    G = nx.gnp_random_graph(30, 0.1, seed=2, directed=True)
    m = map_from_networkx(G)
    s = map_summary(m)["value"]
    assert s["reciprocity"] == pytest.approx(nx.reciprocity(G))


def test_weighted_rows_only_when_strengths_vary():
    G = nx.path_graph(4)
    for i, (u, v) in enumerate(G.edges()):
        G[u][v]["weight"] = i + 1
    s = map_summary(map_from_networkx(G))["value"]
    assert s["weighted diameter"] == pytest.approx(nx.diameter(G, weight=lambda u, v, d: 1 / d["weight"]))
    assert "weighted diameter" not in map_summary(nx.path_graph(4)).index


def test_counts_by_type_and_plain_descriptions():
    m = NetworkMap(
        pd.DataFrame({"ID": ["a", "b", "c"], "Label": list("ABC"), "Type": ["CVS", "CVS", "Funder"]}),
        pd.DataFrame({"From": ["a"], "To": ["b"], "Type": ["Funding"]}),
    )
    s = map_summary(m)
    assert s.loc["elements: CVS", "value"] == 2
    assert s.loc["connections: Funding", "value"] == 1
    assert s["description"].str.len().min() > 10


def test_empty_and_single_element_maps_summarise():
    s = map_summary(NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"]})))["value"]
    assert s["elements"] == 1 and s["density"] == 0 and s["components"] == 1
    e = map_summary(NetworkMap(pd.DataFrame({"ID": [], "Label": []})))["value"]
    assert e["elements"] == 0 and e["components"] == 0


def test_degree_distribution_matches_networkx_histogram():
    G = nx.karate_club_graph()
    d = degree_distribution(G)
    hist = nx.degree_histogram(G)
    assert d["elements"].to_dict() == {k: v for k, v in enumerate(hist) if v}
    assert d["share"].sum() == pytest.approx(1.0)
    assert d["share_at_least"].iloc[0] == pytest.approx(1.0)


def test_sampled_path_lengths_are_those_of_the_full_distance_table_from_the_same_sources(monkeypatch):
    import numpy as np

    from benchmarks.london_map import london_map
    from cop_toolkit.analysis import summary
    from cop_toolkit.analysis.engine import build_igraph, component_sizes

    m = london_map(1500)
    g = build_igraph(m)
    comp, _ = component_sizes(g)
    giant = g.subgraph(np.flatnonzero(comp == np.bincount(comp).argmax()).tolist())
    monkeypatch.setattr(summary, "WEIGHTED_PATH_FULL", 1000)  # weighted: fewer sources above 1,000 elements
    s = summary.map_summary(m, method="sampled")
    for weights, prefix, key in ((None, "", "path_sources"), ("distance", "weighted ", "weighted_path_sources")):
        src = summary.path_sources(giant.vcount(), weights is not None)
        d = np.asarray(giant.distances(source=src.tolist(), weights=weights), dtype=float)
        d = d[np.isfinite(d) & (d > 0)]
        assert s.attrs[key] == len(src)
        assert s.loc[f"{prefix}diameter", "value"] == d.max()
        assert s.loc[f"{prefix}average path length", "value"] == pytest.approx(d.mean(), rel=1e-12)
    assert s.attrs["weighted_path_sources"] < s.attrs["path_sources"] == summary.PATH_SAMPLES
