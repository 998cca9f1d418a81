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

Both cores: the same 120,000-element table + clusters + what-if is timed
with the engine kept to one process (``COP_TOOLKIT_WORKERS=1``) and as it
runs by default (worker processes on both cores), one after the other in
the same run, and the 10,000-element exact table is set against igraph's own
exact betweenness call alone on the same graph. Peak memory is given for
the main process and for the largest worker process.

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
import subprocess
import sys
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


def run_interleaved(n: int, rounds: int = 2) -> dict:
    """Sampled betweenness on one process and on both cores, taken in turns on the same graph (fairer under load)."""
    from london_map import london_map

    from cop_toolkit.analysis.engine import betweenness, build_igraph

    g = build_igraph(london_map(n))
    pairs = []
    for _ in range(rounds):
        t = time.perf_counter()
        one = betweenness(g, method="sampled", workers=1)
        t1 = time.perf_counter() - t
        t = time.perf_counter()
        two = betweenness(g, method="sampled", workers=2)
        t2 = time.perf_counter() - t
        pairs.append((t1, t2, _load()))
    return {"elements": n, "pairs": pairs, "identical": bool((one == two).all())}


def run_exact_vs_igraph(n: int) -> dict:
    """The exact element table (engine on both cores) against igraph's own exact betweenness call, same graph."""
    from london_map import london_map

    from cop_toolkit.analysis.engine import build_igraph
    from cop_toolkit.analysis.metrics import element_metrics

    m = london_map(n)
    g = build_igraph(m)
    t = time.perf_counter()
    g.betweenness()
    igraph_s = time.perf_counter() - t
    t = time.perf_counter()
    df = element_metrics(m, method="exact")
    table_s = time.perf_counter() - t
    return {"elements": n, "igraph_betweenness_s": igraph_s, "table_s": table_s, "method": df.attrs["method"],
            "ratio": table_s / igraph_s}


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
    """Size of a batch folder of ``count`` generated small maps (150 elements each), plotly.js shared."""
    import tempfile

    from london_map import london_map

    from cop_toolkit.figures.offline import PLOTLYJS_FILE
    from cop_toolkit.io import write_map
    from cop_toolkit.reports.batch import run_batch

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
        total = sum(p.stat().st_size for p in files)
        html_total = sum(p.stat().st_size for p in files if p.suffix == ".html") + bundle
        return {"maps": count, "made": sum(r.ok for r in results), "seconds": seconds, "folder_mb": total / 1e6,
                "html_and_plotlyjs_mb": html_total / 1e6, "plotlyjs_mb": bundle / 1e6,
                "largest_page_mb": max(p.stat().st_size for p in pages) / 1e6,
                "self_contained_mb_computed": (html_total - bundle + len(pages) * bundle) / 1e6}


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
    return {"map": name, "elements": len(m), "full_analysis_s": time.perf_counter() - t}


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
    env[WORKERS_VARIABLE] = "1" if one_process else "2"  # the engine uses a second process only on request
    proc = subprocess.run([sys.executable, __file__, "--one", kind, str(arg)], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
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


def _print_both_cores(results: dict[int, dict]) -> None:
    """The engine on both cores against one process (120,000), and the exact table against igraph (10,000)."""
    print(f"\nBoth cores (load average at the start: {_load()})", flush=True)
    two = results.get(120_000) or _sub("size", 120_000)
    one = _sub("size", 120_000, one_process=True)
    if "error" in one or "error" in two:
        print(f"  120,000 comparison failed: {one.get('error') or two.get('error')}")
    else:
        print(f"  120,000 table + clusters + what-if: one process {one['total_s']:.1f} s "
              f"(table {one['metrics_s']:.1f}, what-if {one['what_if_s']:.1f}), both cores {two['total_s']:.1f} s "
              f"(table {two['metrics_s']:.1f}, what-if {two['what_if_s']:.1f}) -> {one['total_s'] / two['total_s']:.2f}x "
              f"faster (target >= 1.6x); peak {two['peak_mb']:.0f} MB main + {two['worker_peak_mb']:.0f} MB largest worker",
              flush=True)
    i = _sub("interleaved", 120_000)
    if "error" not in i:
        turns = "; ".join(f"{a:.1f} s vs {b:.1f} s = {a / b:.2f}x (load {load})" for a, b, load in i["pairs"])
        print(f"  120,000 sampled betweenness alone, one process vs both cores, in turns: {turns}; "
              f"identical values: {i['identical']}", flush=True)
    e = _sub("exact", 10_000)
    if "error" in e:
        print(f"  10,000 exact comparison failed: {e['error']}")
    else:
        print(f"  10,000 exact table (both cores) {e['table_s']:.1f} s, igraph's own exact betweenness call alone "
              f"{e['igraph_betweenness_s']:.1f} s -> the table takes {e['ratio']:.2f}x igraph's time "
              f"(target <= 0.5x)", flush=True)
    print(f"  load average at the end: {_load()}", flush=True)


def _print_batch_size() -> None:
    b = _sub("batch", 30)
    if "error" in b:
        print(f"batch size failed: {b['error']}")
        return
    print(f"\nBatch of {b['maps']} generated 150-element maps ({b['made']} made in {b['seconds']:.0f} s, 2 at a time): "
          f"{b['html_and_plotlyjs_mb']:.1f} MB of pages + one plotly.min.js ({b['plotlyjs_mb']:.1f} MB) "
          f"(target < 40 MB); whole folder with the kept notebooks {b['folder_mb']:.1f} MB; largest page "
          f"{b['largest_page_mb']:.2f} MB; with --self-contained the pages would be {b['self_contained_mb_computed']:.0f} MB "
          f"(computed: each page carrying plotly.js)", flush=True)


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
              "table": run_table, "exact": run_exact_vs_igraph, "interleaved": run_interleaved, "batch": run_batch_size}[kind]
        print(json.dumps(fn(arg)))
        return
    if args.parallel_only:
        _print_both_cores({})
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
        _print_both_cores(results)

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
