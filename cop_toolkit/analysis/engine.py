"""The fast engine behind the analysis functions: igraph built straight from the map's tables.

Learners see networkx graphs (``m.to_networkx()``); the analysis functions
(:func:`~cop_toolkit.analysis.metrics.element_metrics`, clusters, what-if, ...) compute
the heavy measures with `igraph <https://python.igraph.org>`_, which is written
in C and is 20-100 times faster than networkx. The results are the same as
networkx's reference algorithms (the tests compare them on small graphs).

The igraph graph is built from the element and connection tables with
vectorised pandas operations, never through networkx, so London-scale maps
(120,000 elements, a million ties) load in seconds. It follows the same rules
as :meth:`NetworkMap.to_networkx`: parallel connections are merged (``weight``
= summed strength, 1 where blank; ``distance`` = 1/weight), self-links and
connections to unknown elements are left out, and in a directed graph
undirected and mutual connections become arcs both ways.

Size threshold
--------------
Exact betweenness and closeness need one shortest-path search from every
element: fine up to :data:`EXACT_LIMIT` (20,000) elements (about 20 s for
the whole table at 10,000 elements and 80,000 ties). Above it, ``method="auto"`` switches to *sampled*
estimates from :data:`SAMPLE_SOURCES` randomly chosen source elements
(fixed seed, so repeatable): source-sampled Brandes betweenness (Brandes &
Pich 2007) and pivot-sampled closeness (Eppstein & Wang 2004). On the
10,000-element benchmark map the sampled betweenness of the exact top 100
is compared with the exact values (Spearman rank correlation; the measured
figure is in ``benchmarks/README.md``). Elements with small betweenness are
estimated roughly; the leading elements reliably.

Bit-parallel searches
---------------------
Two counts are done with numpy on neighbour lists (:func:`adjacency`) rather
than one igraph search per element, because pan-London hubs with thousands of
ties make those searches slow: two-step reach (:func:`reach_within_two`,
exact, with hubs' neighbour sets kept as bit rows) and, for unweighted sampled
closeness, the distances to all pivots at once, 64 pivots per machine word
(:func:`pivot_distance_sums`). Both give exactly the numbers of the
straightforward searches (the tests check them against networkx).

Both cores
----------
Betweenness and closeness start one search per source (or pivot), and the
searches are independent, so :func:`betweenness` and :func:`closeness` split
their sources into :data:`CHUNKS` fixed groups and, on large maps, work the
groups out in two processes: this one and a worker (:func:`run_chunks`), each
taking the next group not yet taken as it finishes one. The groups do not
depend on the number of processes and their results are added up in the same
order either way, so the answer is *identical*, to the last bit, with one
process or two (the tests check this for both ways of starting workers).
:func:`start_chunks` (and :func:`start_betweenness`) start the worker and
return at once: :func:`~cop_toolkit.analysis.metrics.element_metrics` works
out its other measures meanwhile, then joins in on the groups that are left.

* How workers start (:func:`pool_start_method`): in a process with no other
  thread (a plain script, the command line) they are forked for each call and
  start with the graph already in memory. Forking a process that has other
  threads (a Jupyter kernel's zmq threads, a web server) can copy a lock held
  by another thread and hang, so there the work goes to a *spawned* worker
  instead: started on first use, reused by later calls, shut down when Python
  exits (and leaving on their own if this process dies without shutting them
  down); each call pickles the graph once, as numpy arrays (igraph's own
  pickle is slower: see ``benchmarks/run.py``), and the worker reads it once.
* When: ``workers=None`` uses both cores for at least
  :data:`PARALLEL_MIN_WORK` search steps (:data:`PARALLEL_MIN_WORK_SPAWNED`
  with spawned workers, which cost more to start and to feed); below that
  starting workers costs more than it saves, so small maps (the owa-2017
  sample) never start one. ``COP_TOOLKIT_WORKERS=1`` in the environment
  (:data:`WORKERS_VARIABLE`) keeps every call in one process: a report's
  second process and the kernels of a batch set it, as they already take one
  core each.
* Not threads: igraph 1.0 keeps Python's interpreter lock during its searches
  (two threads took 0.20 s where one took 0.12 s for the same betweenness,
  measured); the bit-parallel numpy closeness releases it only in part (two
  threads 1.15x faster than one), against two processes for the whole.
* If a worker dies (out of memory, say) or the workers cannot start, the
  groups are worked out in this process: same results, only slower.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import multiprocessing.connection
import os
import pickle
import random
import signal
import sys
import tempfile
import threading
import types
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.ties import merge_parallel_ties

if TYPE_CHECKING:  # pragma: no cover
    import igraph
    import networkx as nx

__all__ = [
    "EXACT_LIMIT",
    "SAMPLE_SOURCES",
    "build_igraph",
    "igraph_from_ties",
    "edge_table",
    "adjacency",
    "resolve_method",
    "betweenness",
    "closeness",
    "component_sizes",
    "two_step_reach",
    "reach_within_two",
    "pivot_distance_sums",
    "sample_sources",
    "neighbour_pairs",
    "Method",
    "METHODS",
    "Mode",
    "seeded_igraph",
    "CHUNKS",
    "PARALLEL_MIN_WORK",
    "PARALLEL_MIN_WORK_SPAWNED",
    "WORKERS_VARIABLE",
    "resolve_workers",
    "run_chunks",
    "start_chunks",
    "PendingChunks",
    "start_betweenness",
    "pool_start_method",
    "close_pool",
    "StartMethod",
    "parallel_pivot_sums",
]

#: Largest map (elements) for which ``method="auto"`` computes exact betweenness and closeness.
EXACT_LIMIT = 20_000
#: How betweenness and closeness are computed: ``"exact"``, ``"sampled"``, or ``"auto"`` (exact up to :data:`EXACT_LIMIT`).
Method = Literal["auto", "exact", "sampled"]
#: The allowed values of ``method``.
METHODS: tuple[str, ...] = get_args(Method)
#: Which ties a search follows: both ways (``"all"``), or only out of or into each element.
Mode = Literal["all", "out", "in"]
#: Number of sampled source elements for ``method="sampled"``.
SAMPLE_SOURCES = 500
#: Betweenness splits its sources into this many groups, whatever the number of workers (same sums); small groups
#: keep both processes busy to the end (each takes the next group as it finishes one).
CHUNKS = 32
#: ``workers=None`` forks worker processes only above this many search steps (sources x (elements + ties), ~1 s of igraph).
PARALLEL_MIN_WORK = 100_000_000
#: ... and uses spawned workers (a process with threads) only above this many: they start once (~1-2 s) and
#: rebuild the graph on each call (~0.6 s per million ties).
PARALLEL_MIN_WORK_SPAWNED = 300_000_000
#: Environment variable capping the worker processes; "1" keeps the engine in one process.
WORKERS_VARIABLE = "COP_TOOLKIT_WORKERS"
#: How worker processes start: forked per call (single-threaded processes only) or spawned once and reused.
StartMethod = Literal["fork", "spawn"]


# --------------------------------------------------------------------------- workers
def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def resolve_workers(workers: int | None, work: float = float("inf")) -> int:
    """How many processes to use for ``work`` search steps.

    ``None`` means both cores (two processes: this one and a worker; fewer if the machine
    has fewer) for at least :data:`PARALLEL_MIN_WORK` steps
    (:data:`PARALLEL_MIN_WORK_SPAWNED` where the workers would be spawned, see
    :func:`pool_start_method`), and this process alone below that (starting
    workers would cost more than it saves: the owa-2017 sample never starts
    one) or off Linux. ``COP_TOOLKIT_WORKERS``
    (:data:`WORKERS_VARIABLE`) caps the number: ``1`` keeps every call in
    this process, as a report's second process and a batch's kernels do (they
    already take one core each). A number is taken as given (1 = this
    process only).

    Examples
    --------
    >>> resolve_workers(1), resolve_workers(3)
    (1, 3)
    >>> resolve_workers(None, work=1000)   # too little work to pay for a second process
    1
    >>> resolve_workers(0)
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: workers must be at least 1, not 0. How to fix: use workers=None (automatic) or a whole number of processes.
    """
    if workers is not None:
        if int(workers) < 1:
            raise MapError(f"workers must be at least 1, not {workers}",
                           fix="use workers=None (automatic) or a whole number of processes")
        return int(workers)
    least = PARALLEL_MIN_WORK if pool_start_method() == "fork" else PARALLEL_MIN_WORK_SPAWNED
    if work < least or not sys.platform.startswith("linux"):
        return 1
    cap = os.environ.get(WORKERS_VARIABLE, "").strip()
    limit = int(cap) if cap.isdigit() else 2
    return max(1, min(limit, _cores()))


def pool_start_method() -> StartMethod:
    """How :func:`run_chunks` starts its workers in this process now.

    ``"fork"`` where that is safe: on Linux, in a process with no other
    thread (a plain script, the command line before a kernel starts); the
    workers are forked per call and start with the graph already in memory.
    ``"spawn"`` everywhere else (a Jupyter kernel has zmq threads; a thread of
    a web server): forking a process with threads can copy a lock some other
    thread holds and hang, so the work goes to long-lived fresh processes
    instead (see :func:`run_chunks`).

    Examples
    --------
    >>> pool_start_method() in ("fork", "spawn")
    True
    """
    alone = threading.active_count() == 1 and threading.current_thread() is threading.main_thread()
    return "fork" if alone and sys.platform.startswith("linux") and hasattr(os, "fork") else "spawn"


class PendingChunks:
    """Chunks started by :func:`start_chunks`: :meth:`result` works out this process's share and collects them.

    Examples
    --------
    >>> pending = start_chunks(divmod, (17,), [2, 3], workers=1)
    >>> pending.parallel, pending.result()
    (False, [(8, 1), (5, 2)])
    >>> start_chunks(divmod, (17,), [2, 3], workers=1).then(len).result()
    2
    """

    def __init__(self, func: Callable[..., Any], shared: tuple, chunks: Sequence[Any],
                 helpers: _ForkedHelpers | _PoolHelpers | None) -> None:
        self._func, self._shared, self._chunks, self._helpers = func, shared, list(chunks), helpers
        self._finish: list[Callable[[Any], Any]] = []
        self._value: tuple[Any, ...] = ()
        self._parallel = helpers is not None

    @property
    def parallel(self) -> bool:
        """Whether worker processes took part (otherwise :meth:`result` works everything out here)."""
        return self._parallel

    def then(self, finish: Callable[[Any], Any]) -> PendingChunks:
        """Have :meth:`result` return ``finish(...)`` of what it would have returned; returns this object."""
        self._finish.append(finish)
        return self

    def result(self) -> Any:
        """The chunks' results in chunk order (passed through :meth:`then`'s functions), waiting for the workers."""
        if not self._value:
            value: Any = self._collect()
            for finish in self._finish:
                value = finish(value)
            self._value = (value,)
        return self._value[0]

    def __del__(self) -> None:  # never collected (an error on the way): the workers stop
        if getattr(self, "_helpers", None) is not None:
            self._helpers.stop()

    def _collect(self) -> list[Any]:
        func, shared, chunks, helpers = self._func, self._shared, self._chunks, self._helpers
        done: dict[int, Any] = {}
        if helpers is not None:
            self._helpers = None
            try:
                for k in helpers.claims():  # this process takes its share while the workers take theirs
                    done[k] = func(*shared, chunks[k])
                done.update(helpers.collect())
            except (BrokenProcessPool, OSError, pickle.PicklingError):  # a worker killed (out of memory, say)
                close_pool()
            finally:
                helpers.stop()
        # whatever a dead worker left undone is worked out here: the same results, only later
        return [done[k] if k in done else func(*shared, chunk) for k, chunk in enumerate(chunks)]


def start_chunks(func: Callable[..., Any], shared: tuple, chunks: Sequence[Any], workers: int) -> PendingChunks:
    """Start ``[func(*shared, chunk) for chunk in chunks]`` over ``workers`` processes: this one and ``workers - 1`` workers.

    The workers start on the chunks now; this process is free to do other
    work until it calls ``.result()``, which then takes the chunks no worker
    has taken yet, waits for the rest and returns every result in chunk
    order. ``func`` must be a module-level function, and ``shared`` must not
    change until ``.result()``. Where :func:`pool_start_method` says
    ``"fork"``, the workers are forked for this call and ``shared`` (the
    graph, say) reaches them without being copied; they take the chunks one
    at a time as they finish, like this process. Otherwise the chunks go to
    this process's pool of spawned workers, started on first use, kept for
    later calls and shut down when Python exits (or when this process dies);
    ``shared`` is pickled once per call into a temporary file (igraph graphs
    as numpy edge arrays: ~0.1 s at 120,000 elements) that each worker reads
    once, and this process takes chunks from the end of the list. With one
    process or one chunk everything runs here, in ``.result()``; if a worker
    dies or the workers cannot start, its chunks are worked out here instead
    (same results).

    Examples
    --------
    >>> pending = start_chunks(divmod, (17,), [2, 3, 5], workers=2)
    >>> pending.result()
    [(8, 1), (5, 2), (3, 2)]
    """
    helpers: _ForkedHelpers | _PoolHelpers | None = None
    if workers > 1 and len(chunks) > 1:
        try:
            if pool_start_method() == "fork":
                helpers = _ForkedHelpers(func, shared, chunks, min(workers, len(chunks)) - 1)
            else:
                if _POOL is not None and getattr(_POOL[2], "_broken", False):
                    close_pool()  # its workers died during an earlier call: start new ones
                helpers = _PoolHelpers(func, shared, chunks, workers - 1)
        except (BrokenProcessPool, OSError, pickle.PicklingError):  # the workers cannot start: all here
            close_pool()
    return PendingChunks(func, shared, chunks, helpers)


def run_chunks(func: Callable[..., Any], shared: tuple, chunks: Sequence[Any], workers: int) -> list[Any]:
    """``[func(*shared, chunk) for chunk in chunks]`` over ``workers`` processes; results in chunk order.

    This process and ``workers - 1`` workers share the chunks (see
    :func:`start_chunks`, which this waits for at once).

    Examples
    --------
    >>> run_chunks(divmod, (17,), [2, 3, 5], workers=2)
    [(8, 1), (5, 2), (3, 2)]
    """
    return start_chunks(func, shared, chunks, workers).result()


def _claims(counter: Any, count: int) -> Iterator[int]:
    """The next chunk numbers not yet taken by any process sharing ``counter`` (a shared integer)."""
    while True:
        with counter.get_lock():
            k = counter.value
            counter.value = k + 1
        if k >= count:
            return
        yield k


class _ForkedHelpers:
    """Worker processes forked for one call; each takes the next chunk no process has taken, like this one."""

    def __init__(self, func: Callable[..., Any], shared: tuple, chunks: Sequence[Any], helpers: int) -> None:
        context = multiprocessing.get_context("fork")
        self.count = len(chunks)
        self.counter = context.Value("q", 0)
        self.workers: list[tuple[Any, Any]] = []
        for _ in range(helpers):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_forked_worker, args=(func, shared, chunks, self.counter, send),
                                      daemon=True)
            try:
                process.start()  # forked: the arguments are inherited, not copied
            except OSError:
                receive.close()
                if not self.workers:
                    raise
                break  # fewer workers than asked for
            finally:
                send.close()  # the worker's end: a worker that dies then closes it for good
            self.workers.append((process, receive))

    def claims(self) -> Iterator[int]:
        return _claims(self.counter, self.count)

    def collect(self) -> dict[int, Any]:
        """What the workers worked out (they send it when no chunk is left); nothing from a worker that died."""
        done: dict[int, Any] = {}
        for process, receive in self.workers:
            ready = multiprocessing.connection.wait([receive, process.sentinel])
            if receive in ready or receive.poll():
                try:
                    done.update(receive.recv())
                except (EOFError, OSError, pickle.UnpicklingError):  # it died before or while sending
                    pass
        return done

    def stop(self) -> None:
        for process, receive in self.workers:
            if process.is_alive():  # still working: this process was interrupted
                process.terminate()
            process.join()
            receive.close()


def _forked_worker(func: Callable[..., Any], shared: tuple, chunks: Sequence[Any], counter: Any, send: Any) -> None:
    """In a forked worker: take chunks until none is left, then send their results to the parent at once."""
    os.environ[WORKERS_VARIABLE] = "1"  # a worker never starts workers of its own
    done = {}
    for k in _claims(counter, len(chunks)):
        try:
            done[k] = func(*shared, chunks[k])
        except Exception:  # noqa: BLE001 - the parent works this chunk out again, and meets the error itself
            break
    send.send(done)  # at the end: sending as it goes would wait for the parent, busy with its own share


class _GraphParcel:
    """An igraph graph as numpy arrays: pickles ~10x faster than the graph itself, and rebuilds the same graph."""

    def __init__(self, g: igraph.Graph) -> None:
        m = g.ecount()
        self.n, self.directed = g.vcount(), g.is_directed()
        self.edges = np.fromiter(itertools.chain.from_iterable(g.get_edgelist()), dtype=np.int64,
                                 count=2 * m).reshape(m, 2)
        self.edge_attrs = {a: np.asarray(g.es[a]) for a in g.es.attributes()}
        self.vertex_attrs = {a: g.vs[a] for a in g.vs.attributes()}

    def rebuild(self) -> igraph.Graph:
        import igraph as ig  # deferred: heavy

        g = ig.Graph(n=self.n, directed=self.directed)
        g.add_edges(self.edges)
        for name, values in self.edge_attrs.items():
            g.es[name] = values.tolist()
        for name, values in self.vertex_attrs.items():
            g.vs[name] = values
        return g


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    """A spawned worker that does not run this program's main script again.

    Plain spawn re-runs the main script in each new process (``__main__``
    unguarded by ``if __name__ == "__main__"`` would run twice); the workers
    need only this module, so ``__main__`` is hidden while they start.
    """

    @staticmethod
    def _Popen(process_obj: Any) -> Any:  # multiprocessing's name
        if os.name == "nt":  # pragma: no cover - Windows
            from multiprocessing.popen_spawn_win32 import Popen
        else:
            from multiprocessing.popen_spawn_posix import Popen

        with _MAIN_HIDDEN:
            main = sys.modules["__main__"]
            sys.modules["__main__"] = types.ModuleType("__main__")
            try:
                return Popen(process_obj)
            finally:
                sys.modules["__main__"] = main


class _WorkerContext(multiprocessing.context.SpawnContext):
    Process = _WorkerProcess


_MAIN_HIDDEN = threading.Lock()
_POOL_LOCK = threading.Lock()
#: This process's spawned workers: (owner pid, size, pool), started on first use (see :func:`run_chunks`).
_POOL: tuple[int, int, ProcessPoolExecutor] | None = None
#: In a spawned worker: the shared values of the latest call, (call key, values).
_CACHED: tuple[str, tuple] = ("", ())
_HOOKS_SET = False


def _pool(workers: int) -> ProcessPoolExecutor:
    """This process's pool of at least ``workers`` spawned workers, started now if need be."""
    global _POOL, _HOOKS_SET
    with _POOL_LOCK:
        if _POOL is not None and _POOL[0] == os.getpid() and _POOL[1] >= workers:
            return _POOL[2]
        close_pool()
        if not _HOOKS_SET:  # once, on first use: nothing happens on import
            atexit.register(close_pool)
            os.register_at_fork(after_in_child=_forget_pool)
            _HOOKS_SET = True
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_WorkerContext(),
                                   initializer=_pool_worker_start, initargs=(os.getpid(),))
        _POOL = (os.getpid(), workers, pool)
        return pool


def close_pool() -> None:
    """Shut down this process's spawned workers, if any (they start again when next needed).

    Examples
    --------
    >>> close_pool()
    """
    global _POOL
    if _POOL is not None and _POOL[0] == os.getpid():
        _POOL[2].shutdown(wait=True, cancel_futures=True)
    _POOL = None


def _forget_pool() -> None:
    """In a forked copy of this process: the pool's workers belong to the parent."""
    global _POOL
    _POOL = None


def _pool_worker_start(parent: int) -> None:
    os.environ[WORKERS_VARIABLE] = "1"  # a worker never starts workers of its own
    # an interrupt (Jupyter's stop button signals the kernel's whole process group) is for the
    # kernel: it stops waiting and cancels the groups not yet started; the workers stay for next time
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # leave when the parent dies without shutting the pool down (a kernel killed or ended with os._exit)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    process = multiprocessing.parent_process()
    if process is not None:
        process.join()
    os._exit(0)


class _PoolHelpers:
    """One call's chunks in this process's spawned workers; ``shared`` travels once, in a temporary file."""

    def __init__(self, func: Callable[..., Any], shared: tuple, chunks: Sequence[Any], helpers: int) -> None:
        pool = _pool(helpers)
        graph = sys.modules["igraph"].Graph if "igraph" in sys.modules else ()
        parcel = tuple(_GraphParcel(v) if isinstance(v, graph) else v for v in shared)
        folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # memory, not disk, where there is one
        fd, self.path = tempfile.mkstemp(prefix="cop-engine-", suffix=".pickle", dir=folder)
        key = (self.path, uuid.uuid4().hex)  # this call's own: a later file may get the same name
        self.futures: list[Future] = []
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(parcel, f, protocol=pickle.HIGHEST_PROTOCOL)
            self.futures = [pool.submit(_pool_call, key, func, chunk) for chunk in chunks]
        except BaseException:
            self.stop()
            raise

    def claims(self) -> Iterator[int]:
        """Chunks from the end of the list that no worker has started (the workers take them from the start)."""
        for k in range(len(self.futures) - 1, -1, -1):
            if not self.futures[k].cancel():
                return
            yield k

    def collect(self) -> dict[int, Any]:
        done: dict[int, Any] = {}
        for k, future in enumerate(self.futures):
            if not future.cancelled():
                try:
                    done[k] = future.result()
                except BrokenProcessPool:  # a worker died: the chunks it left are worked out here
                    close_pool()
        return done

    def stop(self) -> None:
        for future in self.futures:
            future.cancel()
        os.unlink(self.path)


def _pool_call(key: tuple[str, str], func: Callable[..., Any], chunk: Any) -> Any:
    """In a spawned worker: ``func(*shared, chunk)``, reading ``shared`` from the call's file on its first chunk."""
    global _CACHED
    if _CACHED[0] != key[1]:
        _CACHED = ("", ())  # let the previous call's graph go first
        with open(key[0], "rb") as f:
            parcel = pickle.load(f)
        _CACHED = (key[1], tuple(v.rebuild() if isinstance(v, _GraphParcel) else v for v in parcel))
    return func(*_CACHED[1], chunk)


def _in_order_sum(parts: list[np.ndarray], n: int) -> np.ndarray:
    """Add arrays one after the other, from zeros: the same floating-point sums wherever they were made."""
    total = np.zeros(n)
    for part in parts:
        total += part
    return total


# --------------------------------------------------------------------------- graph
def edge_table(m: NetworkMap, directed: bool = False) -> tuple[np.ndarray, pd.DataFrame]:
    """Return the element IDs and the merged tie table of a map (vectorised).

    The tie table has integer columns ``source``, ``target`` (positions in
    the ID array) and ``weight``, ``distance``, ``n_connections``, merged by
    :func:`cop_toolkit.core.ties.merge_parallel_ties` like :meth:`NetworkMap.to_networkx`.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["b", "a"], "Strength": [2, 3]}))
    >>> ids, ties = edge_table(m)
    >>> ties[["source", "target", "weight"]].to_dict("records")
    [{'source': 0, 'target': 1, 'weight': 5.0}]
    """
    ids = m.elements["ID"].astype(str).drop_duplicates().to_numpy(dtype=object)
    ties = merge_parallel_ties(m.connections, directed=directed, ids=ids, types=False)
    return ids, ties[["source", "target", "weight", "distance", "n_connections"]]


def build_igraph(m: NetworkMap | nx.Graph, directed: bool = False) -> igraph.Graph:
    """Build a simple igraph graph from a map's tables, without networkx.

    Vertices are in the order of ``m.elements`` and carry ``name`` (the ID);
    edges carry ``weight``, ``distance`` and ``n_connections``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
    ...                pd.DataFrame({"From": ["a", "a"], "To": ["b", "b"]}))
    >>> g = build_igraph(m)
    >>> g.vcount(), g.ecount(), g.es["weight"]
    (3, 1, [2.0])
    """
    m = as_map(m)
    ids, ties = edge_table(m, directed=directed)
    return igraph_from_ties(ids, ties, directed=directed)


def igraph_from_ties(ids: np.ndarray, ties: pd.DataFrame, directed: bool = False) -> igraph.Graph:
    """Build the igraph graph of :func:`build_igraph` from :func:`edge_table`'s output.

    Lets a caller that already has the tie table (for example to count
    in- and out-degrees) build the graph without merging the ties again.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"]}))
    >>> igraph_from_ties(*edge_table(m)).get_edgelist()
    [(0, 1)]
    """
    import igraph as ig  # deferred: heavy

    g = ig.Graph(n=len(ids), directed=directed)
    # add_edges takes a numpy array directly and is about twice as fast as Graph(edges=...)
    g.add_edges(ties[["source", "target"]].to_numpy(dtype=np.int64).reshape(-1, 2))
    g.vs["name"] = list(ids)
    g.es["weight"] = ties["weight"].to_numpy(dtype=float).tolist()
    g.es["distance"] = ties["distance"].to_numpy(dtype=float).tolist()
    g.es["n_connections"] = ties["n_connections"].to_numpy(dtype=np.int64).tolist()
    return g


def resolve_method(method: Method, n: int) -> Literal["exact", "sampled"]:
    """Turn ``"auto"`` into ``"exact"`` or ``"sampled"`` by map size.

    An unknown ``method`` raises :class:`~cop_toolkit.core.errors.MapError`
    (a ``ValueError``) naming the allowed values.

    Examples
    --------
    >>> resolve_method("auto", 200), resolve_method("auto", 120_000)
    ('exact', 'sampled')
    >>> resolve_method("fast", 10)
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: unknown method 'fast'. How to fix: use method='auto', 'exact' or 'sampled'.
    """
    if method not in METHODS:
        raise MapError(f"unknown method '{method}'", fix="use method='auto', 'exact' or 'sampled'")
    if method == "auto":
        return "exact" if n <= EXACT_LIMIT else "sampled"
    return method


def sample_sources(n: int, samples: int, seed: int) -> np.ndarray:
    """The sorted positions of ``min(n, samples)`` source vertices drawn at random (same seed, same draw).

    Sampled betweenness and closeness start their searches from these.

    Examples
    --------
    >>> sample_sources(10, 3, seed=42).tolist() == sample_sources(10, 3, seed=42).tolist()
    True
    >>> sample_sources(4, 500, seed=1).tolist()
    [0, 1, 2, 3]
    """
    rng = np.random.default_rng(seed)
    k = min(n, samples)
    return np.sort(rng.choice(n, size=k, replace=False))


# --------------------------------------------------------------------------- measures
def betweenness(
    g: igraph.Graph,
    *,
    weights: str | None = None,
    method: Method = "exact",
    samples: int = SAMPLE_SOURCES,
    seed: int = 42,
    sources: np.ndarray | None = None,
    workers: int | None = None,
) -> np.ndarray:
    """Normalised betweenness, equal to ``nx.betweenness_centrality(G, weight=...)``.

    With ``method="sampled"`` shortest paths are counted only from ``samples``
    random sources and scaled up by ``n / samples`` (an unbiased estimate).
    ``sources`` (vertex positions) replaces the random choice, so that two
    graphs can be compared on the same sources (see
    :func:`cop_toolkit.analysis.resilience.what_if`). ``workers`` processes
    share the searches (see :func:`resolve_workers`; the same values whatever
    the number). :func:`start_betweenness` starts the same work and returns
    at once.

    Examples
    --------
    >>> import igraph as ig
    >>> betweenness(ig.Graph.Star(4)).round(3).tolist()
    [1.0, 0.0, 0.0, 0.0]
    >>> betweenness(ig.Graph.Star(4), method="sampled", sources=[1, 2]).round(3).tolist()  # estimate
    [1.333, 0.0, 0.0, 0.0]
    >>> bool((betweenness(ig.Graph.Star(4), workers=2) == betweenness(ig.Graph.Star(4), workers=1)).all())
    True
    """
    return start_betweenness(g, weights=weights, method=method, samples=samples, seed=seed, sources=sources,
                             workers=workers).result()


def start_betweenness(
    g: igraph.Graph,
    *,
    weights: str | None = None,
    method: Method = "exact",
    samples: int = SAMPLE_SOURCES,
    seed: int = 42,
    sources: np.ndarray | None = None,
    workers: int | None = None,
) -> PendingChunks:
    """:func:`betweenness` started in the worker processes; ``.result()`` returns it (this process helps then).

    Meanwhile this process can work out other measures (``g`` must not
    change until ``.result()``). ``.parallel`` says whether workers took part.

    Examples
    --------
    >>> import igraph as ig
    >>> pending = start_betweenness(ig.Graph.Star(4))
    >>> pending.result().round(3).tolist()
    [1.0, 0.0, 0.0, 0.0]
    """
    n = g.vcount()
    method = resolve_method(method, n)
    src = np.arange(n, dtype=np.int64)
    if method == "sampled":
        if sources is not None:
            src = np.unique(np.asarray(sources, dtype=np.int64))
        elif samples < n:
            src = sample_sources(n, samples, seed)
    if n <= 2 or g.ecount() == 0 or len(src) == 0:
        return PendingChunks(_betweenness_part, (), [], None).then(lambda _: np.zeros(n))
    directed = g.is_directed()
    # On large maps, number the vertices in breadth-first order first: neighbours then sit
    # near each other in memory and igraph's searches run ~1.5x faster (same values, up to
    # the order in which floating-point sums are added)
    h, pos = _in_locality_order(g, weights) if n >= _LOCALITY_MIN else (g, np.arange(n))
    # fixed groups of sources (every CHUNKS-th one), added up in order: identical for any number of workers
    chunks = [pos[src[k::CHUNKS]] for k in range(min(CHUNKS, len(src)))]
    use = resolve_workers(workers, len(src) * (n + g.ecount()))

    def finish(parts: list[np.ndarray]) -> np.ndarray:
        raw = _in_order_sum(parts, n)[pos]
        if len(src) < n:
            raw *= n / len(src)
        scale = 1.0 / ((n - 1) * (n - 2))
        if not directed:
            scale *= 2.0
        return raw * scale

    return start_chunks(_betweenness_part, (h, weights, directed), chunks, use).then(finish)


def _betweenness_part(h: igraph.Graph, weights: str | None, directed: bool, sources: np.ndarray) -> np.ndarray:
    """The betweenness counted from some sources only (igraph's subset betweenness, not scaled)."""
    return np.asarray(h.betweenness(directed=directed, weights=weights, sources=sources.tolist()), dtype=float)


#: Graphs with at least this many vertices are renumbered in breadth-first order for betweenness.
_LOCALITY_MIN = 5_000


def _in_locality_order(g: igraph.Graph, weights: str | None) -> tuple[igraph.Graph, np.ndarray]:
    """A copy of ``g`` numbered in breadth-first order from its best-connected vertex (see :func:`_hubs_first_bfs`).

    Returns the copy (with only the ``weights`` edge attribute) and ``pos``:
    vertex ``i`` of ``g`` is vertex ``pos[i]`` of the copy. Vertices the search
    does not reach (other pieces of the map) follow in their own order.
    """
    import igraph as ig  # deferred: heavy

    n, m = g.vcount(), g.ecount()
    indptr, indices = adjacency(g, "all")
    order = _hubs_first_bfs(indptr, indices, int(np.argmax(np.diff(indptr))))
    if len(order) < n:
        seen = np.zeros(n, dtype=bool)
        seen[order] = True
        order = np.concatenate([order, np.flatnonzero(~seen)])
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    edges = np.fromiter(itertools.chain.from_iterable(g.get_edgelist()), dtype=np.int64, count=2 * m).reshape(m, 2)
    h = ig.Graph(n=n, directed=g.is_directed())
    h.add_edges(pos[edges])
    if weights is not None:
        h.es[weights] = g.es[weights]
    return h, pos


def _hubs_first_bfs(indptr: np.ndarray, indices: np.ndarray, start: int) -> np.ndarray:
    """The vertices reached from ``start``, breadth first, each vertex's new neighbours best-connected first.

    The order in which betweenness's searches run fastest on the London map
    (~10% faster than plain breadth-first order, measured): the searches
    then meet the hubs' long neighbour lists, and the vertices they reach
    next, close together in memory. One level at a time, vectorised: the
    same order as one vertex at a time.
    """
    deg = np.diff(indptr)
    seen = np.zeros(len(deg), dtype=bool)
    frontier = np.array([start], dtype=np.int64)
    seen[frontier] = True
    levels = [frontier]
    while len(frontier):
        owner, nb = neighbour_pairs(indptr, indices, frontier)
        new = ~seen[nb]
        owner, nb = owner[new], nb[new]
        nb = nb[np.lexsort((nb, -deg[nb], owner))]  # by who finds it first, then best-connected first
        _, first = np.unique(nb, return_index=True)
        frontier = nb[np.sort(first)]
        seen[frontier] = True
        levels.append(frontier)
    return np.concatenate(levels)


def component_sizes(g: igraph.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Return (component number of each vertex, size of each vertex's component); weak components.

    Examples
    --------
    >>> import igraph as ig
    >>> component_sizes(ig.Graph(n=3, edges=[(0, 1)]))[1].tolist()
    [2, 2, 1]
    """
    membership = np.asarray(g.connected_components(mode="weak").membership, dtype=np.int64)
    if len(membership) == 0:
        return membership, membership
    sizes = np.bincount(membership)
    return membership, sizes[membership]


def closeness(
    g: igraph.Graph,
    *,
    weights: str | None = None,
    method: Method = "exact",
    samples: int = SAMPLE_SOURCES,
    seed: int = 42,
    workers: int | None = None,
) -> np.ndarray:
    """Closeness, equal to ``nx.closeness_centrality(G, distance=...)`` (Wasserman-Faust scaling).

    For an element that reaches ``r - 1`` others at total distance ``D``,
    closeness is ``(r - 1) / D * (r - 1) / (n - 1)``; isolated elements get 0.
    In a directed map distances *to* the element count (as in networkx).
    With ``method="sampled"`` (undirected maps) ``D`` is estimated from the
    distances to ``samples`` random pivot elements in the same component.
    ``workers`` processes share the searches (see :func:`resolve_workers`;
    the same values whatever the number).

    Examples
    --------
    >>> import igraph as ig
    >>> closeness(ig.Graph.Star(3)).round(3).tolist()
    [1.0, 0.667, 0.667]
    """
    n = g.vcount()
    method = resolve_method(method, n)
    if n <= 1:
        return np.zeros(n)
    directed = g.is_directed()
    if method == "sampled" and samples < n and not directed:
        return _closeness_sampled(g, weights, sample_sources(n, samples, seed), workers)
    return _closeness_exact(g, weights, None, workers)


def _closeness_sampled(g: igraph.Graph, weights: str | None, src: np.ndarray, workers: int | None) -> np.ndarray:
    """Pivot-sampled closeness (Eppstein-Wang) of an undirected graph from the pivots ``src``."""
    n = g.vcount()
    comp, size = component_sizes(g)
    use = resolve_workers(workers, len(src) * (n + g.ecount()))
    if weights is None:  # steps: one bit-parallel search from all pivots at once (same sums)
        k, t = parallel_pivot_sums(*adjacency(g), src, use)
        k_same, total = k.astype(float), t.astype(float)
    else:
        # 100 pivots at a time keeps memory small; the partial sums are added in order
        chunks = [src[start : start + 100] for start in range(0, len(src), 100)]
        parts = run_chunks(_distance_part, (g, weights), chunks, use)
        k_same = _in_order_sum([p[0] for p in parts], n)
        total = _in_order_sum([p[1] for p in parts], n)
    r = size.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        est_sum = total / k_same * (r - 1)
        value = (r - 1) / est_sum * (r - 1) / (n - 1)
    value[(k_same == 0) | (r <= 1) | ~np.isfinite(value)] = np.nan
    missing = np.isnan(value) & (r > 1)
    if missing.any():  # small components with no pivot: compute them exactly
        idx = np.flatnonzero(missing)
        value[idx] = _closeness_exact(g, weights, idx.tolist(), 1)
    value[r <= 1] = 0.0
    return value


def _distance_part(g: igraph.Graph, weights: str, chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For some pivots: how many are in each vertex's component (not itself), and their summed distances."""
    dist = np.asarray(g.distances(source=chunk.tolist(), weights=weights), dtype=float)
    # pivots in the element's own component, excluding the element itself
    same = np.isfinite(dist)
    same[np.arange(len(chunk)), chunk] = False
    dist[~same] = 0.0
    return same.sum(axis=0).astype(float), dist.sum(axis=0)


def parallel_pivot_sums(indptr: np.ndarray, indices: np.ndarray, pivots: np.ndarray,
                        workers: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pivot_distance_sums` with the pivots split over ``workers`` processes (integer sums: identical).

    Examples
    --------
    >>> import igraph as ig
    >>> lists = adjacency(ig.Graph.Ring(8))
    >>> a, b = parallel_pivot_sums(*lists, np.arange(8), workers=2), pivot_distance_sums(*lists, np.arange(8))
    >>> bool((a[0] == b[0]).all() and (a[1] == b[1]).all())
    True
    """
    pivots = np.asarray(pivots, dtype=np.int64).reshape(-1)
    # whole groups of 512 (the searches' own batch), or one share per worker if fewer
    size = max(1, min(512, -(-len(pivots) // max(1, workers))))
    chunks = [pivots[start : start + size] for start in range(0, len(pivots), size)] or [pivots]
    parts = run_chunks(pivot_distance_sums, (indptr, indices), chunks, workers)
    count = np.sum([p[0] for p in parts], axis=0, dtype=np.int64)
    total = np.sum([p[1] for p in parts], axis=0, dtype=np.int64)
    return count, total


def _closeness_exact(g: igraph.Graph, weights: str | None, vertices: list[int] | None,
                     workers: int | None) -> np.ndarray:
    n = g.vcount()
    mode = "in" if g.is_directed() else "all"
    use = resolve_workers(workers, (n if vertices is None else len(vertices)) * (n + g.ecount()))
    if weights is None and vertices is None:
        # steps: a search from every element at once, 64 per machine word; the distance sums
        # are integers, so this equals igraph's closeness (and networkx's) exactly
        reached, total = parallel_pivot_sums(*adjacency(g, mode), np.arange(n, dtype=np.int64), use)
        r = reached.astype(float) + 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (r - 1) / total * (r - 1) / (n - 1)
        value[~np.isfinite(value) | (r <= 1)] = 0.0
        return value
    todo = np.arange(n, dtype=np.int64) if vertices is None else np.asarray(vertices, dtype=np.int64)
    # each vertex's closeness is its own search: any split gives the same values
    chunks = [todo[k::CHUNKS] for k in range(min(CHUNKS, len(todo)))]
    parts = run_chunks(_closeness_part, (g, weights, mode), chunks, use)
    value, r = np.zeros(len(todo)), np.zeros(len(todo))
    for k, (raw_k, r_k) in enumerate(parts):
        value[k::CHUNKS], r[k::CHUNKS] = raw_k, r_k
    if not g.is_directed():
        _, size = component_sizes(g)
        r = size[todo].astype(float)
    value = value * (r - 1) / (n - 1)
    value[~np.isfinite(value) | (r <= 1)] = 0.0
    return value


def _closeness_part(g: igraph.Graph, weights: str | None, mode: str, chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """igraph's normalised closeness of some vertices and, in a directed graph, how many reach each (itself included)."""
    verts = chunk.tolist()
    raw = np.asarray(g.closeness(vertices=verts, mode=mode, weights=weights, normalized=True), dtype=float)
    if not g.is_directed():
        return raw, np.zeros(len(verts))
    return raw, np.asarray(g.neighborhood_size(vertices=verts, order=g.vcount(), mode="in"), dtype=float)


def _check_mode(mode: str) -> None:
    """Raise a clear error unless ``mode`` is one of ``"all"``, ``"out"``, ``"in"``."""
    if mode not in get_args(Mode):
        raise MapError(f"unknown mode '{mode}'", fix="use mode='all', 'out' or 'in'")


def adjacency(g: igraph.Graph, mode: Mode = "all") -> tuple[np.ndarray, np.ndarray]:
    """Neighbour lists of every vertex as two numpy arrays (compressed sparse rows).

    The neighbours of vertex ``v`` are ``indices[indptr[v]:indptr[v + 1]]``.
    ``mode`` is igraph's: ``"out"`` follows arcs, ``"in"`` goes against them,
    ``"all"`` ignores direction (undirected graphs: all three are the same).
    Self-loops are left out; parallel edges repeat a neighbour.

    Examples
    --------
    >>> import igraph as ig
    >>> indptr, indices = adjacency(ig.Graph([(0, 1), (1, 2)]))
    >>> [sorted(indices[indptr[v]:indptr[v + 1]].tolist()) for v in range(3)]
    [[1], [0, 2], [1]]
    >>> adjacency(ig.Graph([(0, 1), (1, 2)], directed=True), mode="in")[1].tolist()
    [0, 1]
    """
    _check_mode(mode)
    n = g.vcount()
    m = g.ecount()
    edges = np.fromiter(itertools.chain.from_iterable(g.get_edgelist()), dtype=np.int64, count=2 * m).reshape(m, 2)
    a, b = edges[:, 0], edges[:, 1]
    if not g.is_directed() or mode == "all":
        src, dst = np.concatenate([a, b]), np.concatenate([b, a])
    elif mode == "out":
        src, dst = a, b
    else:
        src, dst = b, a
    keep = src != dst
    src, dst = src[keep], dst[keep]
    order = np.argsort(src, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst[order]


def neighbour_pairs(indptr: np.ndarray, indices: np.ndarray, verts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (position in ``verts``, neighbour) pairs of some vertices, vectorised.

    ``indptr, indices`` are neighbour lists as from :func:`adjacency`.

    Examples
    --------
    >>> import igraph as ig
    >>> owner, nb = neighbour_pairs(*adjacency(ig.Graph.Star(3)), np.array([0, 1]))
    >>> owner.tolist(), nb.tolist()
    ([0, 0, 1], [1, 2, 0])
    """
    counts = indptr[verts + 1] - indptr[verts]
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(verts), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    offsets = np.repeat(indptr[verts] - first, counts) + np.arange(total, dtype=np.int64)
    return owner, indices[offsets]


def _bit(positions: np.ndarray) -> np.ndarray:
    return np.left_shift(np.uint64(1), (positions & 63).astype(np.uint64))


#: Memory budgets (in 64-bit words) of the bit-parallel searches below.
_BLOCK_WORDS = 8_000_000  # 64 MB of per-vertex bit rows at a time
_HUB_WORDS = 32_000_000  # at most 256 MB of hub neighbour sets
_BLOCK_PAIRS = 6_000_000  # two-step pairs listed at a time (~250 MB of index arrays)


def reach_within_two(indptr: np.ndarray, indices: np.ndarray, vertices: np.ndarray | None = None) -> np.ndarray:
    """Exact number of other vertices within two steps, from neighbour lists.

    Each vertex's two-step neighbourhood is built as a bit row (one bit per
    vertex) and counted with ``np.bitwise_count``. Middle vertices with many
    neighbours ("hubs") keep their neighbour set as a ready-made bit row that
    is OR-ed in whole; through the others the two-step pairs are listed and
    their bits set one by one. A hub of degree ``d`` costs ``d * n / 64``
    word operations instead of ``d ** 2`` pair operations, so the hub cut-off
    is about ``n / 900`` neighbours (the break-even point measured on the
    London benchmark map). The result is exact whatever the cut-off.

    Parameters
    ----------
    indptr, indices : neighbour lists from :func:`adjacency` (follow them to step).
    vertices : positions to count for (default: every vertex).

    Examples
    --------
    >>> import igraph as ig
    >>> reach_within_two(*adjacency(ig.Graph.Ring(6))).tolist()
    [4, 4, 4, 4, 4, 4]
    >>> reach_within_two(*adjacency(ig.Graph.Star(5)), vertices=[0, 1]).tolist()
    [4, 4]
    """
    n = len(indptr) - 1
    q_all = np.arange(n, dtype=np.int64) if vertices is None else np.asarray(vertices, dtype=np.int64).reshape(-1)
    out = np.zeros(len(q_all), dtype=np.int64)
    if n == 0 or len(q_all) == 0:
        return out
    words = (n + 63) // 64
    deg = np.diff(indptr)
    # hubs: ORing a bit row of `words` words is ~14 times cheaper per word than setting one pair's bit
    hub_min = max(8, words // 14)
    hubs = np.flatnonzero(deg >= hub_min)
    if len(hubs) * words > _HUB_WORDS:  # keep the best-connected ones within the memory budget
        hubs = np.sort(hubs[np.argsort(-deg[hubs], kind="stable")[: max(1, _HUB_WORDS // words)]])
    hub_row = np.full(n, -1, dtype=np.int64)
    hub_row[hubs] = np.arange(len(hubs))
    hub_bits = np.zeros((len(hubs), words), dtype=np.uint64)
    if len(hubs):
        owner, nb = neighbour_pairs(indptr, indices, hubs)
        np.bitwise_or.at(hub_bits.reshape(-1), owner * words + (nb >> 6), _bit(nb))
    # blocks of query vertices, bounded by the bit rows' memory and by the pairs they list
    arc_cost = np.where(hub_row[indices] >= 0, 0, deg[indices])  # pairs listed through each arc's far end
    arc_cum = np.concatenate([[0], np.cumsum(arc_cost)])
    cost = arc_cum[indptr[q_all + 1]] - arc_cum[indptr[q_all]] + deg[q_all] + 1
    max_rows = max(1, _BLOCK_WORDS // words)
    start = 0
    cum = np.cumsum(cost)
    while start < len(q_all):
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + _BLOCK_PAIRS, side="right"))
        stop = min(max(stop, start + 1), start + max_rows, len(q_all))
        q = q_all[start:stop]
        rows = np.zeros((len(q), words), dtype=np.uint64)
        own1, mid = neighbour_pairs(indptr, indices, q)
        via_hub = hub_row[mid] >= 0
        own2, far = neighbour_pairs(indptr, indices, mid[~via_hub])
        own2 = own1[~via_hub][own2]
        owner = np.concatenate([np.arange(len(q), dtype=np.int64), own1, own2])
        target = np.concatenate([q, mid, far])
        np.bitwise_or.at(rows.reshape(-1), owner * words + (target >> 6), _bit(target))
        h_own, h_row = own1[via_hub], hub_row[mid[via_hub]]
        if len(h_own):
            order = np.argsort(h_row, kind="stable")
            h_own, h_row = h_own[order], h_row[order]
            cuts = np.flatnonzero(np.r_[True, h_row[1:] != h_row[:-1], True])
            for a, b in zip(cuts[:-1], cuts[1:]):
                rows[h_own[a:b]] |= hub_bits[h_row[a]]
        out[start:stop] = np.bitwise_count(rows).sum(axis=1, dtype=np.int64) - 1
        start = stop
    return out


def pivot_distance_sums(indptr: np.ndarray, indices: np.ndarray, pivots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Breadth-first search from many pivots at once, 64 per machine word.

    Returns, for every vertex, how many pivots (other than itself) it reaches
    by stepping along neighbour lists, and the sum of the distances (in steps).
    With ``mode="all"`` lists (undirected) these are the distances between
    each vertex and the pivots; with ``mode="in"`` lists of a directed graph,
    the distances *from* the pivots *to* each vertex. Same numbers as summing
    ``igraph.Graph.distances`` columns, in a fraction of the time.

    Examples
    --------
    >>> import igraph as ig
    >>> count, total = pivot_distance_sums(*adjacency(ig.Graph([(0, 1), (1, 2)])), [0, 2])
    >>> count.tolist(), total.tolist()
    ([1, 2, 1], [2, 2, 2])
    """
    n = len(indptr) - 1
    pivots = np.asarray(pivots, dtype=np.int64).reshape(-1)
    count = np.zeros(n, dtype=np.int64)
    total = np.zeros(n, dtype=np.int64)
    if n == 0 or len(pivots) == 0:
        return count, total
    deg = np.diff(indptr)
    arc_owner = np.repeat(np.arange(n, dtype=np.int64), deg)
    for start in range(0, len(pivots), 512):  # 8 words per vertex at a time
        chunk = pivots[start : start + 512]
        words = (len(chunk) + 63) // 64
        cols = np.arange(len(chunk), dtype=np.int64)
        frontier = np.zeros((n, words), dtype=np.uint64)
        np.bitwise_or.at(frontier.reshape(-1), chunk * words + (cols >> 6), _bit(cols))
        visited = frontier.copy()
        step = 0
        while True:
            step += 1
            active = frontier.any(axis=1)
            live = active[indices]
            if not live.any():
                break
            owners, froms = arc_owner[live], indices[live]
            cuts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
            heads = owners[cuts]
            new = np.bitwise_or.reduceat(frontier[froms], cuts, axis=0) & ~visited[heads]
            visited[heads] |= new
            frontier = np.zeros((n, words), dtype=np.uint64)
            frontier[heads] = new
            found = np.bitwise_count(new).sum(axis=1, dtype=np.int64)
            count[heads] += found
            total[heads] += step * found
    return count, total


def two_step_reach(
    g: igraph.Graph, steps: int = 2, mode: Mode = "all", vertices: list[int] | np.ndarray | None = None
) -> np.ndarray:
    """Number of other elements within ``steps`` ties of each element (or of ``vertices``).

    Exact: equal to ``len(nx.single_source_shortest_path_length(G, v,
    cutoff=steps)) - 1`` and to igraph's ``neighborhood_size``. For two steps
    (the usual case) it uses the bit-parallel :func:`reach_within_two`, which
    stays fast when pan-London hubs have thousands of ties.

    Examples
    --------
    >>> import igraph as ig
    >>> two_step_reach(ig.Graph.Ring(6)).tolist()
    [4, 4, 4, 4, 4, 4]
    >>> two_step_reach(ig.Graph.Ring(6), steps=1, vertices=[0]).tolist()
    [2]
    """
    _check_mode(mode)
    if vertices is not None:
        vertices = np.asarray(vertices, dtype=np.int64).reshape(-1)
    if g.vcount() == 0:
        return np.zeros(0 if vertices is None else len(vertices), dtype=np.int64)
    if steps == 2:
        return reach_within_two(*adjacency(g, mode), vertices)
    size = g.neighborhood_size(vertices=None if vertices is None else vertices.tolist(), order=steps, mode=mode)
    return np.asarray(size, dtype=np.int64).reshape(-1) - 1


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Run igraph's random steps (Louvain, layouts) from their own generator, ``random.Random(seed)``.

    igraph has one process-wide random number generator and no per-call one,
    so inside the block it draws from a fresh seeded generator (same seed,
    same answer) and afterwards goes back to its default, Python's ``random``
    module, whose own state is never touched.

    Examples
    --------
    >>> import igraph as ig
    >>> g = ig.Graph.Famous("Zachary")
    >>> with seeded_igraph(7):
    ...     a = g.community_multilevel().membership
    >>> with seeded_igraph(7):
    ...     b = g.community_multilevel().membership
    >>> a == b
    True
    """
    import igraph as ig  # deferred: heavy

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def node_ids(ids: np.ndarray) -> pd.Index:
    """Return element IDs as a pandas index named ``ID``."""
    return pd.Index(list(ids), name="ID", dtype=object)


def tied_codes(m: NetworkMap, ids: np.ndarray) -> np.ndarray:
    """Existing ties (any visibility) as ``low * n + high`` codes over positions in ``ids``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
    ...                pd.DataFrame({"From": ["c"], "To": ["a"]}))
    >>> tied_codes(m, np.array(["a", "b", "c"])).tolist()   # a=0, c=2: 0 * 3 + 2
    [2]
    """
    pos = pd.Series(np.arange(len(ids)), index=pd.Index(ids))
    c = m.connections
    a = pos.reindex(c["From"].astype(str)).to_numpy(dtype=float)
    b = pos.reindex(c["To"].astype(str)).to_numpy(dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b)) & (a != b)
    a, b = a[ok].astype(np.int64), b[ok].astype(np.int64)
    return np.unique(np.minimum(a, b) * len(ids) + np.maximum(a, b))
