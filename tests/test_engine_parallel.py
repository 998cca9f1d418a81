"""The engine on both cores: worker processes give exactly the single-process figures.

Workers are forked per call in a process with no other thread, and spawned
once and reused otherwise (a Jupyter kernel, a thread); both ways are tested.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from unittest import mock

import igraph as ig
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_toolkit.analysis import engine
from cop_toolkit.analysis.engine import (
    WORKERS_VARIABLE,
    betweenness,
    close_pool,
    closeness,
    pool_start_method,
    resolve_workers,
    run_chunks,
    start_chunks,
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


@pytest.fixture(params=["fork", "spawn"])
def start(request):
    """Each start method of the workers in turn (spawned workers are closed afterwards)."""
    with mock.patch.object(engine, "pool_start_method", return_value=request.param):
        yield request.param
    close_pool()


@pytest.fixture
def spawned():
    """Workers spawned and reused, as in a process with threads (closed afterwards)."""
    with mock.patch.object(engine, "pool_start_method", return_value="spawn"):
        yield
    close_pool()


#: the start method is the same for every generated graph: the fixture need not be reset between them
_ONE_START = [HealthCheck.function_scoped_fixture]


@settings(max_examples=30, deadline=None, suppress_health_check=_ONE_START)
@given(g=small_graphs(), weighted=st.booleans(), sampled=st.booleans(), samples=st.integers(1, 6), seed=st.integers(0, 99))
def test_two_worker_processes_give_exactly_the_single_process_betweenness_and_closeness(start, g, weighted, sampled, samples, seed):
    weights = "distance" if weighted else None
    options = {"weights": weights, "method": "sampled" if sampled else "exact", "samples": samples, "seed": seed}
    assert _same(betweenness(g, workers=2, **options), betweenness(g, workers=1, **options))
    assert _same(closeness(g, workers=2, **options), closeness(g, workers=1, **options))


@settings(max_examples=15, deadline=None, suppress_health_check=_ONE_START)
@given(g=small_graphs(), data=st.data())
def test_two_workers_give_the_same_betweenness_from_chosen_sources(start, g, data):
    sources = data.draw(st.lists(st.integers(0, g.vcount() - 1), min_size=1, max_size=g.vcount()))
    one = betweenness(g, method="sampled", sources=np.array(sources), workers=1)
    assert _same(betweenness(g, method="sampled", sources=np.array(sources), workers=2), one)


def test_parallel_betweenness_is_still_networkx_betweenness_on_a_renumbered_graph(start):
    # large enough to be renumbered in breadth-first order, and split over engine.CHUNKS source groups
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


def _after_a_worker(parent: int, marker: str) -> None:
    """A chunk that this process (``parent``) starts only once a worker has started one (which then takes its time)."""
    if os.getpid() != parent:
        open(marker, "a").close()
        time.sleep(0.3)  # leave the other chunks to this process as well
        return
    deadline = time.monotonic() + 60
    while not os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.01)


def _pid_after_a_worker(parent: int, marker: str, _chunk: int) -> int:
    _after_a_worker(parent, marker)
    return os.getpid()


def _pids(tmp_path, chunks: int = 8) -> set[int]:
    """The processes that worked out some chunks of one call over two processes (a worker among them)."""
    marker = tmp_path / f"marker-{time.monotonic_ns()}"
    return set(run_chunks(_pid_after_a_worker, (os.getpid(), str(marker)), list(range(chunks)), workers=2))


def _worker_pids(tmp_path) -> set[int]:
    return _pids(tmp_path) - {os.getpid()}


def test_chunks_are_shared_by_this_process_and_a_worker_and_come_back_in_order(start, tmp_path):
    assert run_chunks(divmod, (100,), [7, 9, 11, 13], workers=2) == [divmod(100, d) for d in (7, 9, 11, 13)]
    pids = _pids(tmp_path)
    assert os.getpid() in pids and len(pids) == 2  # both cores: this process and one worker
    assert run_chunks(_pid, (), list(range(3)), workers=1) == [os.getpid()] * 3


def _mark_in_a_worker(marker: str, chunk: int) -> int:
    if not os.path.exists(marker):
        open(marker, "a").close()
    return chunk * 3


def test_workers_start_on_the_chunks_before_this_process_asks_for_them(start, tmp_path):
    marker = tmp_path / "started"
    pending = start_chunks(_mark_in_a_worker, (str(marker),), list(range(6)), workers=2)
    assert pending.parallel
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:  # this process does other work meanwhile
        time.sleep(0.01)
    assert marker.exists()
    assert pending.result() == [k * 3 for k in range(6)]
    assert pending.result() == [k * 3 for k in range(6)]  # asked again: the same, nothing worked out again
    assert pending.parallel


def _slow(_chunk: int) -> None:
    time.sleep(30)


def test_workers_forked_for_chunks_never_asked_for_stop_with_them():
    with mock.patch.object(engine, "pool_start_method", return_value="fork"):
        pending = start_chunks(_slow, (), list(range(4)), workers=2)
    assert pending.parallel and multiprocessing.active_children()
    del pending  # an error before .result(), say
    gc.collect()
    assert not multiprocessing.active_children()


def test_one_process_works_the_chunks_out_only_when_asked_for_them(tmp_path):
    marker = tmp_path / "started"
    pending = start_chunks(_mark_in_a_worker, (str(marker),), list(range(3)), workers=1)
    assert not pending.parallel and not marker.exists()
    assert pending.then(sum).result() == 9 and marker.exists()


def test_spawned_workers_are_started_once_and_reused_by_later_calls(spawned, tmp_path):
    first = _worker_pids(tmp_path)
    second = _worker_pids(tmp_path)
    assert first and second <= first
    close_pool()
    assert not _worker_pids(tmp_path) & first  # closed: new workers next time


def test_an_interrupt_leaves_the_spawned_workers_ready_for_the_next_call(spawned, tmp_path):
    first = _worker_pids(tmp_path)
    for pid in first:  # as Jupyter's stop button does to the kernel's process group
        os.kill(pid, signal.SIGINT)
    time.sleep(0.5)
    assert _worker_pids(tmp_path) <= first


def test_a_worker_killed_between_calls_is_replaced_by_new_workers(spawned, tmp_path):
    first = _worker_pids(tmp_path)
    os.kill(min(first), signal.SIGKILL)
    deadline = time.monotonic() + 20
    while not engine._POOL[2]._broken and time.monotonic() < deadline:  # the pool notices the death
        time.sleep(0.1)
    again = _worker_pids(tmp_path)
    assert again and not again & first


def test_spawned_workers_get_a_graph_equal_to_this_one(spawned, tmp_path):
    g = ig.Graph([(0, 1), (1, 2), (3, 1)], directed=True)
    g.es["distance"] = [0.5, 2.0, 1.5]
    g.vs["name"] = ["a", "b", "c", "d"]
    copies = run_chunks(_describe, (g, os.getpid(), str(tmp_path / "marker")), [0, 1], workers=2)
    here = [_describe(g, os.getpid(), "", chunk)[1] for chunk in (0, 1)]
    assert [copy[1] for copy in copies] == here
    assert {copy[0] for copy in copies} != {os.getpid()}  # a worker made one


def _describe(g: ig.Graph, parent: int, marker: str, chunk: int) -> tuple[int, tuple]:
    if marker:
        _after_a_worker(parent, marker)
    return os.getpid(), (chunk, g.vcount(), g.is_directed(), g.get_edgelist(), g.es["distance"], g.vs["name"])


def test_workers_fork_only_where_this_process_has_no_other_thread():
    if threading.active_count() == 1:
        assert pool_start_method() == "fork"
    seen = []
    thread = threading.Thread(target=lambda: seen.append(pool_start_method()))
    thread.start()
    thread.join()
    assert seen == ["spawn"]


def test_engine_calls_from_a_thread_give_the_single_process_values():
    g = ig.Graph.Barabasi(300, 3)
    one = betweenness(g, workers=1), closeness(g, workers=1)
    got = []
    thread = threading.Thread(target=lambda: got.append((betweenness(g, workers=2), closeness(g, workers=2))))
    thread.start()
    thread.join()
    close_pool()
    assert _same(got[0][0], one[0]) and _same(got[0][1], one[1])


def _die_in_a_worker(parent: int, chunk: int) -> int:
    if os.getpid() != parent:
        os._exit(3)  # as if killed (out of memory, say)
    return chunk * 2


def test_a_worker_that_dies_leaves_the_work_to_this_process_with_the_same_results(start, tmp_path):
    assert run_chunks(_die_in_a_worker, (os.getpid(),), [1, 2, 3, 4], workers=2) == [2, 4, 6, 8]
    assert _worker_pids(tmp_path)  # workers start again afterwards


def _fail_on_three(chunk: int) -> int:
    if chunk == 3:
        raise ValueError("three")
    return chunk


def test_an_error_in_a_chunk_reaches_the_caller_wherever_it_was_worked_out(start):
    with pytest.raises(ValueError, match="three"):
        run_chunks(_fail_on_three, (), [1, 2, 3, 4, 5, 6], workers=2)
    assert run_chunks(_fail_on_three, (), [1, 2], workers=2) == [1, 2]  # and the next call works


def test_workers_that_cannot_start_leave_the_work_to_this_process(start):
    failing = OSError("Resource temporarily unavailable")
    with mock.patch.object(os, "fork", side_effect=failing), \
            mock.patch.object(engine, "ProcessPoolExecutor", side_effect=failing):
        pending = start_chunks(_pid, (), list(range(4)), workers=2)
        assert not pending.parallel
        assert pending.result() == [os.getpid()] * 4


def _run_script(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_a_script_without_a_main_guard_is_not_run_again_by_spawned_workers(tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent("""
        import os, threading
        print("script ran", flush=True)
        from cop_toolkit.analysis.engine import run_chunks
        out = []
        t = threading.Thread(target=lambda: out.append(run_chunks(divmod, (100,), [7, 9, 11], workers=2)))
        t.start(); t.join()
        print(out[0], flush=True)
    """))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["script ran", str([divmod(100, d) for d in (7, 9, 11)])]


def test_spawned_workers_leave_when_their_process_ends_without_closing_them():
    done = _run_script("""
        import os, threading
        from cop_toolkit.analysis import engine
        t = threading.Thread(target=engine.run_chunks, args=(divmod, (100,), [7, 9, 11], 2))
        t.start(); t.join()
        print(*engine._POOL[2]._processes, flush=True)
        os._exit(0)  # as a report kernel ends: no clean-up
    """)
    assert done.returncode == 0, done.stderr
    workers = [int(p) for p in done.stdout.split()]
    assert len(workers) == 1  # both cores: this process and one worker
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize(("method", "least"), [("fork", engine.PARALLEL_MIN_WORK),
                                                ("spawn", engine.PARALLEL_MIN_WORK_SPAWNED)])
def test_automatic_workers_use_both_cores_for_large_work_unless_the_environment_says_one(monkeypatch, method, least):
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(engine, "pool_start_method", lambda: method)
    cores = len(os.sched_getaffinity(0))
    assert resolve_workers(None, work=least) == min(2, cores)
    assert resolve_workers(None, work=least - 1) == 1  # too little work: no workers start
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    assert resolve_workers(None, work=least * 100) == 1
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    assert resolve_workers(None, work=least * 100) == min(2, cores)
    assert resolve_workers(2) == 2  # asked for by name: taken as given
    with pytest.raises(MapError, match="workers must be at least 1"):
        resolve_workers(0)


def test_spawned_workers_need_more_work_than_forked_ones():
    assert engine.PARALLEL_MIN_WORK_SPAWNED > engine.PARALLEL_MIN_WORK


def test_the_owa_2017_analysis_starts_no_worker(monkeypatch):
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    from cop_toolkit.analysis.metrics import element_metrics
    from cop_toolkit.io.datasets import load

    started = AssertionError("a worker was started")
    with mock.patch.object(os, "fork", side_effect=started), \
            mock.patch.object(engine, "ProcessPoolExecutor", side_effect=started):
        element_metrics(load("owa-2017"))


def test_the_element_table_on_both_cores_is_the_one_process_table(start, monkeypatch):
    from cop_toolkit.analysis.metrics import element_metrics
    from cop_toolkit.core.inputs import map_from_networkx

    nx = pytest.importorskip("networkx")
    m = map_from_networkx(nx.barabasi_albert_graph(300, 3, seed=5))
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    one = element_metrics(m, method="exact"), element_metrics(m, method="sampled", samples=40, weighted=True)
    monkeypatch.delenv(WORKERS_VARIABLE)
    monkeypatch.setattr(engine, "PARALLEL_MIN_WORK", 0)  # a small map, on both cores all the same
    monkeypatch.setattr(engine, "PARALLEL_MIN_WORK_SPAWNED", 0)
    pending = engine.start_betweenness(engine.build_igraph(m))
    assert pending.parallel
    pending.result()
    both = element_metrics(m, method="exact"), element_metrics(m, method="sampled", samples=40, weighted=True)
    for a, b in zip(one, both, strict=True):
        assert list(a.columns) == list(b.columns)
        for column in a.columns:
            if column in ("eigenvector", "pagerank"):  # igraph varies their last bits from run to run
                np.testing.assert_allclose(a[column], b[column], rtol=1e-9)
            elif a[column].dtype.kind in "fi":
                assert _same(a[column].to_numpy(), b[column].to_numpy()), column
            else:
                assert a[column].equals(b[column]), column


def test_a_workers_process_never_starts_workers_of_its_own(start, monkeypatch, tmp_path):
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    inner = run_chunks(_inner_workers, (os.getpid(), str(tmp_path / "marker")), [0, 1, 2, 3], workers=2)
    in_workers = [workers for here, workers in inner if not here]
    assert in_workers and set(in_workers) == {1}


def _inner_workers(parent: int, marker: str, _chunk: int) -> tuple[bool, int]:
    _after_a_worker(parent, marker)
    return os.getpid() == parent, resolve_workers(None, work=float("inf"))


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
