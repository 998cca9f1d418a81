"""Time and memory of the analysis on London-scale maps, and how it compares with plain networkx.

Usage::

    python benchmarks/run.py                    # 1,000 / 10,000 / 120,000 elements
    python benchmarks/run.py --sizes 1000,10000
    python benchmarks/run.py --quick            # 1,000 elements, small baseline
    python benchmarks/run.py --sizes 1000000    # the sampled table alone on a UK-scale map
    python benchmarks/run.py --parallel-only    # just the two-core comparisons below

Each size runs in its own subprocess, so the peak memory (``ru_maxrss``) is
that size's own. For each size it times the full element-metrics table
(``element_metrics``, method "auto": exact up to 20,000 elements, sampled
above), Louvain clusters (``find_clusters``) and a what-if removal of the
best-connected element (``what_if``), then the same what-if given the element
table (``metrics=df``, which reuses its "before" figures). Targets are
printed, not asserted; the main total uses the what-if on its own. Above
120,000 elements only the table is timed (a UK-scale map of the whole
voluntary sector: time and peak memory).

Both cores (``--parallel-only``, also part of the full run): in one process
on one 120,000-element map, table + clusters + what-if is timed with the
engine kept to one process (``COP_TOOLKIT_WORKERS=1``) and as it runs by
default (both cores), in turns, three rounds (the order alternates), with the
load average of each run and the medians; the results of the two are
compared. Then once more with a thread running, as in a Jupyter kernel (the
engine's workers are then spawned once and reused, the graph pickled), and
the cost of pickling the graph. The 10,000-element exact table (both cores)
is set against igraph's own exact betweenness call alone on the same graph,
in turns, three rounds. And the owa-2017 analysis is timed by default, to
show it starts no worker process. Peak memory is given for the main process
and for the largest worker process.

The networkx baseline computes the same table with plain networkx on a
2,000-element map (networkx needs ~24 minutes for exact betweenness alone at
10,000 elements) and is extrapolated to 10,000 elements by the n*m cost of
the path-based measures, which dominate: (10,000/2,000)^2 = 25 times. The
printout says which figures are measured and which extrapolated.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _load() -> str:
    """The machine's 1-minute load average (other people's work slows the timings down)."""
    return Path("/proc/loadavg").read_text().split()[0]


def _worker_peak_mb() -> float:
    """The peak memory of the largest finished worker process (the engine's forked workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


def run_table(n: int) -> dict:
    """Time and peak memory of the element table alone (sampled above 20,000 elements) on an n-element map."""
    from london_map import london_map

    from cop_toolkit.analysis.metrics import element_metrics

    t = time.perf_counter()
    m = london_map(n)
    out: dict = {"elements": n, "connections": len(m.connections), "map_s": time.perf_counter() - t,
                 "peak_mb_after_loading": _peak_mb()}
    t, c = time.perf_counter(), time.process_time()
    df = element_metrics(m)
    out["metrics_s"] = time.perf_counter() - t
    out["metrics_cpu"] = time.process_time() - c
    out["method"] = df.attrs["method"]
    out["peak_mb"] = _peak_mb()
    out["worker_peak_mb"] = _worker_peak_mb()
    out["workers_cpu"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    return out


def _table_clusters_what_if(m) -> tuple[float, dict, tuple]:
    """Time the element table, clusters and a what-if removal of the best-connected element on ``m``."""
    from cop_toolkit.analysis.clusters import find_clusters
    from cop_toolkit.analysis.metrics import element_metrics
    from cop_toolkit.analysis.resilience import what_if

    t0 = time.perf_counter()
    df = element_metrics(m)
    t1 = time.perf_counter()
    cl = find_clusters(m)
    t2 = time.perf_counter()
    r = what_if(m, remove=[df["degree"].idxmax()])
    t3 = time.perf_counter()
    parts = {"table": t1 - t0, "clusters": t2 - t1, "what_if": t3 - t2}
    return t3 - t0, parts, (df, cl, r.summary, r.to_the_fore, r.reach_lost)


#: igraph's eigenvector and PageRank vary in their last bits from run to run, in one process too
_RUN_TO_RUN = ["eigenvector", "pagerank"]


def _same_results(a: tuple, b: tuple) -> bool:
    """Every table the same, to the last bit (NaN where NaN), but for the columns in :data:`_RUN_TO_RUN`."""
    first = a[0].drop(columns=_RUN_TO_RUN).equals(b[0].drop(columns=_RUN_TO_RUN))
    return first and all(x.equals(y) for x, y in zip(a[1:], b[1:], strict=True))


def run_both_cores(n: int, rounds: int = 3) -> dict:
    """Table + clusters + what-if on one process and on both cores, in turns on one map; then with a thread running."""
    import pickle

    from london_map import london_map

    from cop_toolkit.analysis import engine

    m = london_map(n)
    runs: list[dict] = []
    reference = None
    identical = True
    for k in range(rounds):
        for how in (("one", "both") if k % 2 == 0 else ("both", "one")):
            if how == "one":
                os.environ[engine.WORKERS_VARIABLE] = "1"
            else:
                os.environ.pop(engine.WORKERS_VARIABLE, None)  # the default: both cores
            load = _load()
            total, parts, results = _table_clusters_what_if(m)
            runs.append({"round": k + 1, "how": how, "total_s": total, **parts, "load": load,
                         "method": engine.pool_start_method()})
            print(f"  (progress) {json.dumps(runs[-1])}", file=sys.stderr, flush=True)
            reference = reference or results
            identical = identical and _same_results(reference, results)
    out: dict = {"elements": n, "runs": runs, "identical": identical, "peak_mb": _peak_mb(),
                 "worker_peak_mb": _worker_peak_mb()}
    # as in a Jupyter kernel: another thread is running, so the workers are spawned (once) rather than forked
    os.environ.pop(engine.WORKERS_VARIABLE, None)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    load = _load()
    total, parts, results = _table_clusters_what_if(m)
    out["threaded"] = {"total_s": total, **parts, "load": load, "method": engine.pool_start_method(),
                       "identical": _same_results(reference, results)}
    total, parts, _ = _table_clusters_what_if(m)
    out["threaded_again"] = {"total_s": total, **parts, "load": _load()}
    stop.set()
    engine.close_pool()
    g = engine.build_igraph(m)
    t = time.perf_counter()
    blob = pickle.dumps(engine._GraphParcel(g), protocol=pickle.HIGHEST_PROTOCOL)
    t_dump = time.perf_counter() - t
    t = time.perf_counter()
    pickle.loads(blob).rebuild()
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    plain = pickle.dumps(g, protocol=pickle.HIGHEST_PROTOCOL)
    t_plain = time.perf_counter() - t
    out["parcel"] = {"dump_s": t_dump, "load_s": t_load, "mb": len(blob) / 1e6, "igraph_pickle_s": t_plain,
                     "igraph_pickle_mb": len(plain) / 1e6, "edges": g.ecount()}
    return out


def run_exact_vs_igraph(n: int, rounds: int = 3) -> dict:
    """The exact element table (engine on both cores) against igraph's own exact betweenness call, in turns."""
    from london_map import london_map

    from cop_toolkit.analysis.engine import WORKERS_VARIABLE, build_igraph
    from cop_toolkit.analysis.metrics import element_metrics

    os.environ.pop(WORKERS_VARIABLE, None)  # the default: both cores
    m = london_map(n)
    g = build_igraph(m)
    turns = []
    for _ in range(rounds):
        load = _load()
        t = time.perf_counter()
        g.betweenness()
        igraph_s = time.perf_counter() - t
        t = time.perf_counter()
        df = element_metrics(m, method="exact")
        table_s = time.perf_counter() - t
        turns.append({"igraph_betweenness_s": igraph_s, "table_s": table_s, "ratio": table_s / igraph_s,
                      "load": load, "method": df.attrs["method"]})
        print(f"  (progress) {json.dumps(turns[-1])}", file=sys.stderr, flush=True)
    return {"elements": n, "turns": turns}


def run_size(n: int) -> dict:
    """Time the analysis on one synthetic map (runs inside a fresh subprocess)."""
    from london_map import london_map

    from cop_toolkit.analysis.clusters import find_clusters
    from cop_toolkit.analysis.metrics import element_metrics
    from cop_toolkit.analysis.resilience import what_if

    m = london_map(n)
    out: dict = {"elements": n, "connections": len(m.connections), "peak_mb_after_loading": _peak_mb()}
    t, c = time.perf_counter(), time.process_time()
    df = element_metrics(m)
    out["metrics_s"] = time.perf_counter() - t
    out["metrics_cpu"] = time.process_time() - c
    out["method"] = df.attrs["method"]
    t, c = time.perf_counter(), time.process_time()
    cl = find_clusters(m)
    out["clusters_s"] = time.perf_counter() - t
    out["clusters_cpu"] = time.process_time() - c
    out["clusters"] = int(cl["cluster"].max() + 1)
    top = df["degree"].idxmax()
    t, c = time.perf_counter(), time.process_time()
    r = what_if(m, remove=[top])
    out["what_if_s"] = time.perf_counter() - t
    out["what_if_cpu"] = time.process_time() - c
    out["cut_off"] = len(r.cut_off)
    out["total_s"] = out["metrics_s"] + out["clusters_s"] + out["what_if_s"]
    out["total_cpu"] = out["metrics_cpu"] + out["clusters_cpu"] + out["what_if_cpu"]
    # the notebook way: what_if given the element table already computed reuses its
    # "before" betweenness, PageRank and reach (same results, checked in the tests)
    t, c = time.perf_counter(), time.process_time()
    r2 = what_if(m, remove=[top], metrics=df)
    out["what_if_reuse_s"] = time.perf_counter() - t
    out["what_if_reuse_cpu"] = time.process_time() - c
    out["reused"] = bool(r2.notes) and "taken from the element table" in r2.notes[0]
    out["total_reuse_s"] = out["metrics_s"] + out["clusters_s"] + out["what_if_reuse_s"]
    out["total_reuse_cpu"] = out["metrics_cpu"] + out["clusters_cpu"] + out["what_if_reuse_cpu"]
    out["peak_mb"] = _peak_mb()
    out["worker_peak_mb"] = _worker_peak_mb()
    return out


def run_batch_size(count: int) -> dict:
    """Size of a batch folder of ``count`` generated small maps (150 elements each), plotly.js and styles shared."""
    import tempfile

    from london_map import london_map

    from cop_toolkit.figures.offline import PLOTLYJS_FILE
    from cop_toolkit.io import write_map
    from cop_toolkit.reports.batch import run_batch
    from cop_toolkit.reports.pages import STYLESHEET_FILE

    with tempfile.TemporaryDirectory(prefix="cop-batch-bench-") as tmp:
        maps = Path(tmp) / "maps"
        maps.mkdir()
        sources = {}
        for k in range(count):
            m = london_map(150, seed=k + 1)
            m.metadata["name"] = f"Small map {k + 1}"
            sources[f"map-{k + 1:02d}"] = str(write_map(m, maps / f"map-{k + 1:02d}.json"))
        out = Path(tmp) / "reports"
        t = time.perf_counter()
        results = run_batch(sources, out, jobs=2)
        seconds = time.perf_counter() - t
        files = [p for p in out.iterdir() if p.is_file()]
        pages = [p for p in files if p.suffix == ".html" and p.name != "index.html"]
        bundle = (out / PLOTLYJS_FILE).stat().st_size
        styles = (out / STYLESHEET_FILE).stat().st_size
        total = sum(p.stat().st_size for p in files)
        html_total = sum(p.stat().st_size for p in files if p.suffix == ".html") + bundle + styles
        return {"maps": count, "made": sum(r.ok for r in results), "seconds": seconds, "folder_mb": total / 1e6,
                "html_and_plotlyjs_mb": html_total / 1e6, "plotlyjs_mb": bundle / 1e6, "stylesheet_mb": styles / 1e6,
                "largest_page_mb": max(p.stat().st_size for p in pages) / 1e6,
                "self_contained_mb_computed": (html_total - bundle - styles + len(pages) * (bundle + styles)) / 1e6}


def run_owa() -> dict:
    """Full analysis of the owa-2017 sample (or the 1,000 map if the sample is missing)."""
    from cop_toolkit.analysis.clusters import cluster_summary, find_clusters
    from cop_toolkit.analysis.levels import tie_levels
    from cop_toolkit.analysis.metrics import element_metrics
    from cop_toolkit.analysis.resilience import what_if
    from cop_toolkit.analysis.summary import map_summary

    try:
        from cop_toolkit.io.datasets import load

        m = load("owa-2017")
        name, remove = "owa-2017", ["LVSC"]
    except Exception:  # pragma: no cover - sample data not there yet
        from london_map import london_map

        m = london_map(1000)
        name, remove = "synthetic 1,000", ["org000000"]
    t = time.perf_counter()
    map_summary(m)
    element_metrics(m)
    cl = find_clusters(m)
    cluster_summary(m, cl)
    what_if(m, remove=remove)
    tie_levels(m)
    seconds = time.perf_counter() - t
    from cop_toolkit.analysis import engine

    started = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss > 0 or engine._POOL is not None
    return {"map": name, "elements": len(m), "full_analysis_s": seconds, "workers_started": started}


def run_baseline(n: int) -> dict:
    """The same table with plain networkx, and with cop_toolkit, on an n-element map.

    networkx's ``constraint`` and ``effective_size`` are left out of the
    networkx side (they alone ran for over 10 minutes on the 1,000-element
    map, whose biggest hub has ~600 ties), which flatters networkx.
    """
    import networkx as nx
    from london_map import london_map
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    from cop_toolkit.analysis.metrics import element_metrics

    m = london_map(n)
    G = m.to_networkx()
    t = time.perf_counter()
    nx.betweenness_centrality(G)
    nx.closeness_centrality(G)
    nx.eigenvector_centrality(G, max_iter=1000)
    _pagerank_python(G)
    nx.clustering(G)
    nx.core_number(G)
    set(nx.articulation_points(G))
    list(nx.bridges(G))
    {v: len(nx.single_source_shortest_path_length(G, v, cutoff=2)) - 1 for v in G}
    nx_s = time.perf_counter() - t
    t = time.perf_counter()
    element_metrics(m)
    ours = time.perf_counter() - t
    return {"elements": n, "networkx_s": nx_s, "cop_s": ours, "ratio": nx_s / ours}


def run_accuracy(n: int, samples: int = 500) -> dict:
    """Sampled vs exact betweenness on an n-element map: Spearman correlation over the exact top 100."""
    import numpy as np
    import pandas as pd
    from london_map import london_map

    from cop_toolkit.analysis.engine import betweenness, build_igraph

    g = build_igraph(london_map(n))
    t = time.perf_counter()
    exact = betweenness(g)
    exact_s = time.perf_counter() - t
    t = time.perf_counter()
    sampled = betweenness(g, method="sampled", samples=samples)
    sampled_s = time.perf_counter() - t
    top = np.argsort(-exact)[:100]
    rho = pd.Series(exact[top]).rank().corr(pd.Series(sampled[top]).rank())
    overlap = len(set(top) & set(np.argsort(-sampled)[:100]))
    return {"elements": n, "samples": samples, "spearman_top100": float(rho), "top100_overlap": overlap,
            "exact_s": exact_s, "sampled_s": sampled_s}


def _sub(kind: str, arg: int, *, one_process: bool = False) -> dict:
    from cop_toolkit.analysis.engine import WORKERS_VARIABLE

    env = dict(os.environ)
    env.pop(WORKERS_VARIABLE, None)  # the engine's default: both cores for large work
    if one_process:
        env[WORKERS_VARIABLE] = "1"
    if kind == "table":  # the UK-scale table: the memory of every process (PSS: shared pages counted once)
        from report import run_sampled

        run = run_sampled([sys.executable, __file__, "--one", kind, str(arg)], env=env)
        out = json.loads(run["out"].strip().splitlines()[-1])
        return {**out, "pss_all_mb": run["pss"] / 2**20, "rss_all_mb": run["rss"] / 2**20}  # bytes -> MB
    # the long runs report progress on stderr as they go: shown here as it comes
    proc = subprocess.run([sys.executable, __file__, "--one", kind, str(arg)], stdout=subprocess.PIPE, text=True, env=env)
    if proc.returncode != 0:
        return {"error": f"failed with exit code {proc.returncode} (see the messages above)"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _size_row(n: int, r: dict) -> None:
    if "error" in r:
        print(f"{n:>9,} error: {r['error']}", flush=True)
        return
    if "clusters_s" not in r:  # the table alone (UK-scale sizes)
        print(f"{n:>9,} {r['connections']:>9,} {r['method']:>8} {r['metrics_s']:>10.2f} {'-':>11} {'-':>10} "
              f"{r['metrics_s']:>8.2f} {r['metrics_cpu']:>12.2f} {r['peak_mb']:>8.0f}   (table only; workers' CPU "
              f"{r.get('workers_cpu', float('nan')):.0f} s; largest worker "
              f"{r['worker_peak_mb']:.0f} MB; making the map took {r['map_s']:.0f} s more)", flush=True)
        if "pss_all_mb" in r:
            print(f"{'':>9} peak over all processes (sampled every 0.2 s, making the map included): "
                  f"{r['pss_all_mb']:.0f} MB PSS (shared pages counted once), {r['rss_all_mb']:.0f} MB RSS summed",
                  flush=True)
        return
    print(f"{n:>9,} {r['connections']:>9,} {r['method']:>8} {r['metrics_s']:>10.2f} {r['clusters_s']:>11.2f} "
          f"{r['what_if_s']:>10.2f} {r['total_s']:>8.2f} {r['total_cpu']:>12.2f} {r['peak_mb']:>8.0f}", flush=True)
    print(f"{'':>9} what-if given the element table (what_if(m, ..., metrics=df)): {r['what_if_reuse_s']:.2f} s "
          f"({r['what_if_reuse_cpu']:.2f} s CPU) -> total {r['total_reuse_s']:.2f} s ({r['total_reuse_cpu']:.2f} s CPU)",
          flush=True)


def _print_sizes(sizes: list[int]) -> dict[int, dict]:
    print(f"\n{'elements':>9} {'ties':>9} {'method':>8} {'metrics s':>10} {'clusters s':>11} {'what-if s':>10} "
          f"{'total s':>8} {'total CPU s':>12} {'peak MB':>8}", flush=True)
    results = {}
    for n in sizes:
        results[n] = _sub("size" if n <= 120_000 else "table", n)
        _size_row(n, results[n])
    print("(wall-clock seconds; 'total CPU s' is the main process's own CPU time, without the engine's worker"
          " processes; the main total runs what_if on its own, without the table)")
    print("Targets: 10,000 full table (exact) < 30 s; 120,000 table + clusters + what-if < 180 s and < 6,000 MB; "
          "1,000,000 table (sampled) < 15 min and < 12,000 MB.")
    return results


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _print_both_cores() -> None:
    """The engine on both cores against one process (120,000), the exact table against igraph (10,000), owa-2017."""
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"\nBoth cores ({stamp}; load average at the start: {_load()})", flush=True)
    owa = _sub("owa", 0)
    if "error" not in owa:
        print(f"  {owa['map']} full analysis, by default: {owa['full_analysis_s']:.2f} s (target < 1 s); "
              f"worker processes started: {'yes' if owa['workers_started'] else 'none'}", flush=True)
    e = _sub("exact", 10_000)
    if "error" in e:
        print(f"  10,000 exact comparison failed: {e['error']}")
    else:
        turns = "; ".join(f"{t['table_s']:.1f} s vs {t['igraph_betweenness_s']:.1f} s = {t['ratio']:.2f}x (load {t['load']})"
                          for t in e["turns"])
        print(f"  10,000 exact table (both cores) vs igraph's own exact betweenness call alone, in turns: {turns}",
              flush=True)
        table = _median([t["table_s"] for t in e["turns"]])
        igraph_s = _median([t["igraph_betweenness_s"] for t in e["turns"]])
        print(f"    median: table {table:.1f} s, igraph {igraph_s:.1f} s -> {table / igraph_s:.2f}x igraph's time "
              f"(target <= 0.5x)", flush=True)
    r = _sub("both", 120_000)
    if "error" in r:
        print(f"  120,000 comparison failed: {r['error']}")
    else:
        print("  120,000 table + clusters + what-if, one process and both cores in turns on one map:", flush=True)
        for run in r["runs"]:
            print(f"    round {run['round']} {run['how']:>4}: {run['total_s']:6.1f} s (table {run['table']:.1f}, clusters "
                  f"{run['clusters']:.1f}, what-if {run['what_if']:.1f}; workers {run['method'] if run['how'] == 'both' else '-'}) "
                  f"load {run['load']}", flush=True)
        one = [x["total_s"] for x in r["runs"] if x["how"] == "one"]
        both = [x["total_s"] for x in r["runs"] if x["how"] == "both"]
        ratios = [a / b for a, b in zip(one, both, strict=True)]
        print(f"    median: one process {_median(one):.1f} s, both cores {_median(both):.1f} s -> "
              f"{_median(one) / _median(both):.2f}x faster (per round {', '.join(f'{x:.2f}x' for x in ratios)}; "
              f"target >= 1.6x); identical results: {r['identical']} (all but {' and '.join(_RUN_TO_RUN)}, "
              "which vary in the last bits from run to run in one process too)", flush=True)
        print(f"    peak {r['peak_mb']:.0f} MB main + {r['worker_peak_mb']:.0f} MB largest forked worker", flush=True)
        th, again, p = r["threaded"], r["threaded_again"], r["parcel"]
        print(f"    with a thread running (as in a Jupyter kernel: workers {th['method']}ed once, then reused): first "
              f"{th['total_s']:.1f} s (load {th['load']}), again {again['total_s']:.1f} s (load {again['load']}) -> "
              f"{_median(one) / again['total_s']:.2f}x the one-process median; identical results: {th['identical']}",
              flush=True)
        print(f"    the graph for spawned workers ({p['edges']:,} ties): {p['mb']:.0f} MB as numpy arrays, pickled in "
              f"{p['dump_s']:.2f} s, read and rebuilt in {p['load_s']:.2f} s (igraph's own pickle: "
              f"{p['igraph_pickle_s']:.2f} s, {p['igraph_pickle_mb']:.0f} MB)", flush=True)
    print(f"  load average at the end: {_load()}", flush=True)


def _print_batch_size() -> None:
    b = _sub("batch", 30)
    if "error" in b:
        print(f"batch size failed: {b['error']}")
        return
    print(f"\nBatch of {b['maps']} generated 150-element maps ({b['made']} made in {b['seconds']:.0f} s, 2 at a time): "
          f"{b['html_and_plotlyjs_mb']:.1f} MB of pages + one plotly.min.js ({b['plotlyjs_mb']:.1f} MB) "
          f"+ one cop-report.css ({b['stylesheet_mb']:.2f} MB) (target < 40 MB); whole folder with the kept "
          f"notebooks {b['folder_mb']:.1f} MB; largest page {b['largest_page_mb']:.2f} MB; with --self-contained the "
          f"pages would be {b['self_contained_mb_computed']:.0f} MB (computed: each page carrying plotly.js and the "
          f"styles)", flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,120000")
    ap.add_argument("--quick", action="store_true", help="1,000 elements only, baseline on 1,000")
    ap.add_argument("--baseline", type=int, default=2000, help="size of the networkx baseline map")
    ap.add_argument("--parallel-only", action="store_true", help="only the engine on both cores against one process")
    ap.add_argument("--batch-size", action="store_true", help="only the size of a batch folder of 30 small maps")
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        kind, arg = args.one[0], int(args.one[1])
        fn = {"size": run_size, "owa": lambda _: run_owa(), "baseline": run_baseline, "accuracy": run_accuracy,
              "table": run_table, "exact": run_exact_vs_igraph, "both": run_both_cores, "batch": run_batch_size}[kind]
        print(json.dumps(fn(arg)))
        return
    if args.parallel_only:
        _print_both_cores()
        return
    if args.batch_size:
        _print_batch_size()
        return
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    baseline_n = 1000 if args.quick else args.baseline
    if max(sizes) > 120_000 and not args.quick:  # UK scale: the table alone
        _print_sizes(sizes)
        return

    owa = _sub("owa", 0)
    print(f"Full analysis of {owa.get('map')} ({owa.get('elements')} elements): {owa.get('full_analysis_s', float('nan')):.2f} s "
          f"(target < 1 s)", flush=True)
    results = _print_sizes(sizes)
    if not args.quick and 120_000 in sizes:
        _print_both_cores()

    b = _sub("baseline", baseline_n)
    if "error" not in b:
        print(f"\nnetworkx baseline (measured) on {baseline_n:,} elements: networkx {b['networkx_s']:.1f} s, "
              f"cop_toolkit {b['cop_s']:.2f} s -> {b['ratio']:.0f}x faster\n  (networkx side without constraint and "
              f"effective size, which alone took over 10 min at 1,000 elements; cop_toolkit side includes them)", flush=True)
        if 10000 in results and "metrics_s" in results[10000]:
            factor = (10000 / baseline_n) ** 2
            nx10 = b["networkx_s"] * factor
            print(f"networkx at 10,000 elements (extrapolated x{factor:.0f} from {baseline_n:,}): ~{nx10 / 60:.0f} min; "
                  f"cop_toolkit measured {results[10000]['metrics_s']:.1f} s -> ~{nx10 / results[10000]['metrics_s']:.0f}x "
                  f"faster (target >= 20x)", flush=True)
    else:
        print(f"baseline failed: {b['error']}")
    if not args.quick:
        a = _sub("accuracy", 10000)
        if "error" not in a:
            print(f"\nSampled betweenness ({a['samples']} sources) vs exact on 10,000 elements: Spearman over the exact "
                  f"top 100 = {a['spearman_top100']:.3f} (target >= 0.9); {a['top100_overlap']} of the top 100 agree; "
                  f"exact {a['exact_s']:.1f} s, sampled {a['sampled_s']:.1f} s", flush=True)
        else:
            print(f"accuracy failed: {a['error']}")


if __name__ == "__main__":
    main()
