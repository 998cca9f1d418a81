"""The bit-parallel searches of the engine give exactly the straightforward answers.

``reach_within_two`` (two-step reach) and ``pivot_distance_sums`` (sampled
closeness) replace igraph's per-vertex searches for speed on London-scale maps;
these tests prove they count the same as networkx's breadth-first search on
random graphs: disconnected, with isolates, directed, with parallel ties and
self-loops, and with hubs far above the hub cut-off.
"""

from __future__ import annotations

from unittest import mock

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cop_toolkit.analysis import engine
from cop_toolkit.analysis.engine import (
    adjacency,
    closeness,
    pivot_distance_sums,
    two_step_reach,
)


@st.composite
def graphs(draw, directed: bool | None = None) -> ig.Graph:
    """Random igraph graphs: a sparse part, some hubs tied to many, isolates, repeats and self-loops."""
    n = draw(st.integers(min_value=0, max_value=90))
    is_directed = draw(st.booleans()) if directed is None else directed
    edges: list[tuple[int, int]] = []
    if n:
        vertex = st.integers(min_value=0, max_value=n - 1)
        edges += draw(st.lists(st.tuples(vertex, vertex), max_size=2 * n))
        for hub in draw(st.lists(vertex, max_size=4, unique=True)):  # degree well above the cut-off of 8
            share = draw(st.floats(min_value=0.1, max_value=1.0))
            rng = np.random.default_rng(draw(st.integers(0, 2**16)))
            others = rng.choice(n, size=int(share * n), replace=False)
            edges += [(hub, int(o)) if rng.random() < 0.5 else (int(o), hub) for o in others]
    return ig.Graph(n=n, edges=edges, directed=is_directed)


def random_graph(n: int, m: int, seed: int) -> ig.Graph:
    """A simple undirected random graph (with isolates and several pieces at these sizes)."""
    pairs = np.random.default_rng(seed).integers(0, n, size=(m, 2))
    g = ig.Graph(n=n, edges=pairs[pairs[:, 0] != pairs[:, 1]].tolist())
    return g.simplify()


def nx_reach(g: ig.Graph, mode: str, vertices=None) -> list[int]:
    """Two-step reach by networkx breadth-first search, the straightforward way."""
    G = nx.DiGraph() if g.is_directed() else nx.Graph()
    G.add_nodes_from(range(g.vcount()))
    G.add_edges_from(g.get_edgelist())
    if g.is_directed():
        G = {"out": G, "in": G.reverse(), "all": G.to_undirected()}[mode]
    todo = range(g.vcount()) if vertices is None else vertices
    return [len(nx.single_source_shortest_path_length(G, v, cutoff=2)) - 1 for v in todo]


@settings(max_examples=150, deadline=None)
@given(graphs(), st.sampled_from(["all", "out", "in"]))
def test_two_step_reach_equals_networkx_breadth_first_search(g, mode):
    expected = nx_reach(g, mode)
    assert two_step_reach(g, 2, mode=mode).tolist() == expected
    assert (np.asarray(g.neighborhood_size(order=2, mode=mode), dtype=int) - 1).tolist() == expected


@settings(max_examples=60, deadline=None)
@given(graphs(directed=False), st.data())
def test_two_step_reach_of_some_vertices_equals_networkx(g, data):
    if g.vcount() == 0:
        assert two_step_reach(g, vertices=[]).tolist() == []
        return
    some = data.draw(st.lists(st.integers(0, g.vcount() - 1), max_size=20))
    assert two_step_reach(g, vertices=some).tolist() == nx_reach(g, "all", some)


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_two_step_reach_is_exact_when_memory_budgets_force_many_blocks_and_few_hubs(g):
    # tiny budgets: one vertex per block, pairs listed a handful at a time, one hub bit row kept
    with mock.patch.object(engine, "_BLOCK_WORDS", 1), mock.patch.object(engine, "_BLOCK_PAIRS", 5), mock.patch.object(
        engine, "_HUB_WORDS", 1
    ):
        assert two_step_reach(g, mode="all").tolist() == nx_reach(g, "all")


def test_two_step_reach_with_a_hub_tied_to_everyone_in_a_large_sparse_graph():
    rng = np.random.default_rng(3)
    n = 3000  # 47 words per bit row: hubs are vertices with 8 or more ties
    edges = [(int(a), int(b)) for a, b in rng.integers(0, n, size=(4000, 2))]
    edges += [(0, v) for v in range(1, n, 2)] + [(1, v) for v in range(2, n, 7)]
    g = ig.Graph(n=n, edges=edges)
    assert two_step_reach(g).tolist() == nx_reach(g, "all")


def test_other_numbers_of_steps_still_count_exactly():
    g = ig.Graph.Lattice([5, 5], circular=False)
    G = nx.grid_2d_graph(5, 5)
    order = sorted(G)  # igraph's lattice numbers row by row, as sorted (row, column) pairs do
    expected = [len(nx.single_source_shortest_path_length(G, v, cutoff=3)) - 1 for v in order]
    assert two_step_reach(g, steps=3).tolist() == expected


def test_adjacency_lists_every_tie_once_each_way_and_drops_self_loops():
    g = ig.Graph(n=4, edges=[(0, 1), (1, 2), (2, 2), (3, 1)], directed=True)
    indptr, indices = adjacency(g, mode="out")
    assert [sorted(indices[indptr[v] : indptr[v + 1]].tolist()) for v in range(4)] == [[1], [2], [], [1]]
    indptr, indices = adjacency(g, mode="all")
    assert [sorted(indices[indptr[v] : indptr[v + 1]].tolist()) for v in range(4)] == [[1], [0, 2, 3], [1], [1]]


@settings(max_examples=80, deadline=None)
@given(graphs(directed=False), st.data())
def test_pivot_distance_sums_equal_breadth_first_distances(g, data):
    n = g.vcount()
    pivots = data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n)) if n else []
    count, total = pivot_distance_sums(*adjacency(g), np.asarray(pivots, dtype=np.int64))
    exp_count = np.zeros(n, dtype=int)
    exp_total = np.zeros(n, dtype=int)
    G = nx.Graph(g.get_edgelist())
    G.add_nodes_from(range(n))
    for p in pivots:
        for v, d in nx.single_source_shortest_path_length(G, p).items():
            if v != p:
                exp_count[v] += 1
                exp_total[v] += d
    assert count.tolist() == exp_count.tolist()
    assert total.tolist() == exp_total.tolist()


def test_pivot_distance_sums_handle_more_pivots_than_one_pass_holds():
    g = random_graph(1200, 2000, seed=1)
    pivots = np.arange(0, 1200, 2)  # 600 pivots: two passes of up to 512
    count, total = pivot_distance_sums(*adjacency(g), pivots)
    dist = np.asarray(g.distances(source=pivots.tolist()), dtype=float)
    finite = np.isfinite(dist)
    finite[np.arange(len(pivots)), pivots] = False
    assert count.tolist() == finite.sum(axis=0).tolist()
    assert total.tolist() == np.where(finite, dist, 0).sum(axis=0).astype(int).tolist()


def test_sampled_closeness_is_unchanged_by_the_bit_parallel_search():
    g = random_graph(700, 1100, seed=2)
    fast = closeness(g, method="sampled", samples=300, seed=5)
    # the igraph distance route the engine takes for weighted maps, with every tie weighing 1
    g.es["one"] = [1.0] * g.ecount()
    slow = closeness(g, weights="one", method="sampled", samples=300, seed=5)
    assert fast == pytest.approx(slow, rel=1e-12, abs=1e-15)


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_exact_closeness_by_bit_parallel_search_equals_networkx(g):
    G = nx.DiGraph() if g.is_directed() else nx.Graph()
    G.add_nodes_from(range(g.vcount()))
    G.add_edges_from((a, b) for a, b in g.get_edgelist() if a != b)
    expected = nx.closeness_centrality(G)
    assert closeness(g).tolist() == pytest.approx([expected[v] for v in range(g.vcount())], abs=1e-12)


def test_exact_closeness_is_unchanged_by_the_bit_parallel_search():
    g = random_graph(900, 1500, seed=6)
    g.es["one"] = [1.0] * g.ecount()  # forces igraph's own closeness
    assert closeness(g).tolist() == pytest.approx(closeness(g, weights="one").tolist(), rel=1e-13, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(graphs(), st.booleans(), st.data())
def test_betweenness_is_the_same_when_the_vertices_are_renumbered_for_speed(g, weighted, data):
    if weighted:
        g.es["distance"] = data.draw(st.lists(st.sampled_from([0.2, 0.25, 0.5, 1.0]), min_size=g.ecount(), max_size=g.ecount()))
    w = "distance" if weighted else None
    sources = data.draw(st.lists(st.integers(0, max(g.vcount() - 1, 0)), max_size=10)) if g.vcount() else []
    plain = engine.betweenness(g, weights=w)
    plain_sampled = engine.betweenness(g, weights=w, method="sampled", sources=sources)
    with mock.patch.object(engine, "_LOCALITY_MIN", 0):  # renumber even these small graphs
        assert engine.betweenness(g, weights=w) == pytest.approx(plain, rel=1e-9, abs=1e-12)
        assert engine.betweenness(g, weights=w, method="sampled", sources=sources) == pytest.approx(plain_sampled, rel=1e-9, abs=1e-12)
