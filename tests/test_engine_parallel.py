"""The engine on both cores: worker processes give exactly the single-process figures."""

from __future__ import annotations

import os

import igraph as ig
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cop_toolkit.analysis import engine
from cop_toolkit.analysis.engine import (
    WORKERS_VARIABLE,
    betweenness,
    closeness,
    resolve_workers,
    run_chunks,
)
from cop_toolkit.core.errors import MapError
from cop_toolkit.reports import background
from cop_toolkit.reports.runner import _kernel_spec


@st.composite
def small_graphs(draw: st.DrawFn) -> ig.Graph:
    """Random small graphs: some pieces and isolates, one-way or not, strengths from 0.5 to 5."""
    n = draw(st.integers(3, 24))
    directed = draw(st.booleans())
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=3 * n))
    g = ig.Graph(n=n, edges=[(a, b) for a, b in pairs if a != b], directed=directed)
    g.simplify(combine_edges="first")
    weights = draw(st.lists(st.floats(0.5, 5.0, allow_nan=False), min_size=g.ecount(), max_size=g.ecount()))
    g.es["distance"] = [1.0 / w for w in weights]
    return g


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit for bit the same floats (NaN nowhere expected)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@settings(max_examples=30, deadline=None)
@given(g=small_graphs(), weighted=st.booleans(), sampled=st.booleans(), samples=st.integers(1, 6), seed=st.integers(0, 99))
def test_two_worker_processes_give_exactly_the_single_process_betweenness_and_closeness(g, weighted, sampled, samples, seed):
    weights = "distance" if weighted else None
    options = {"weights": weights, "method": "sampled" if sampled else "exact", "samples": samples, "seed": seed}
    assert _same(betweenness(g, workers=2, **options), betweenness(g, workers=1, **options))
    assert _same(closeness(g, workers=2, **options), closeness(g, workers=1, **options))


@settings(max_examples=15, deadline=None)
@given(g=small_graphs(), data=st.data())
def test_two_workers_give_the_same_betweenness_from_chosen_sources(g, data):
    sources = data.draw(st.lists(st.integers(0, g.vcount() - 1), min_size=1, max_size=g.vcount()))
    one = betweenness(g, method="sampled", sources=np.array(sources), workers=1)
    assert _same(betweenness(g, method="sampled", sources=np.array(sources), workers=2), one)


def test_parallel_betweenness_is_still_networkx_betweenness_on_a_renumbered_graph():
    # large enough to be renumbered in breadth-first order, and split over sixteen source groups
    nx = pytest.importorskip("networkx")
    G = nx.barabasi_albert_graph(engine._LOCALITY_MIN, 2, seed=3)
    g = ig.Graph(n=G.number_of_nodes(), edges=list(G.edges()))
    sources = np.arange(0, g.vcount(), 250)
    two = betweenness(g, method="sampled", sources=sources, workers=2)
    ref = nx.betweenness_centrality_subset(G, sources=sources.tolist(), targets=list(G), normalized=False)
    n = g.vcount()
    expected = np.array([ref[v] for v in range(n)]) * n / len(sources) * 2 / ((n - 1) * (n - 2))
    np.testing.assert_allclose(two, expected, rtol=1e-9, atol=1e-15)
    assert _same(two, betweenness(g, method="sampled", sources=sources, workers=1))


def _pid(_chunk: int) -> int:
    return os.getpid()


def test_chunks_run_in_other_processes_and_come_back_in_order():
    assert run_chunks(divmod, (100,), [7, 9, 11, 13], workers=2) == [divmod(100, d) for d in (7, 9, 11, 13)]
    pids = run_chunks(_pid, (), list(range(8)), workers=2)
    assert os.getpid() not in pids
    assert run_chunks(_pid, (), list(range(3)), workers=1) == [os.getpid()] * 3


def test_automatic_workers_only_on_request_for_large_work_and_never_when_the_environment_says_one(monkeypatch):
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    assert resolve_workers(None, work=engine.PARALLEL_MIN_WORK * 100) == 1  # not asked for
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    assert resolve_workers(None, work=engine.PARALLEL_MIN_WORK - 1) == 1
    cores = len(os.sched_getaffinity(0))
    assert resolve_workers(None, work=engine.PARALLEL_MIN_WORK) == min(2, cores)
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    assert resolve_workers(None, work=engine.PARALLEL_MIN_WORK * 100) == 1
    assert resolve_workers(2) == 2  # asked for by name: taken as given
    with pytest.raises(MapError, match="workers must be at least 1"):
        resolve_workers(0)


def test_a_workers_process_never_starts_workers_of_its_own(monkeypatch):
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    inner = run_chunks(_inner_workers, (), [0, 1], workers=2)
    assert inner == [1, 1]


def _inner_workers(_chunk: int) -> int:
    return resolve_workers(None, work=float("inf"))


def test_a_reports_second_process_keeps_the_engine_to_one_process(monkeypatch):
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    job = background.start({"workers": lambda: resolve_workers(None, work=float("inf"))})
    if job is None:
        pytest.skip("no second process on this machine")
    assert job.result("workers") == 1
    assert WORKERS_VARIABLE not in os.environ  # this process is left as it was


def test_batch_reports_keep_the_engine_to_one_process_and_single_reports_do_not():
    assert _kernel_spec(second_process=False)["env"][WORKERS_VARIABLE] == "1"
    assert WORKERS_VARIABLE not in _kernel_spec(second_process=True)["env"]
