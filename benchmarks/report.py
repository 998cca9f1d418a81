"""Report speed and size figures (printed, never asserted in tests).

Targets from the report issues (#10, #19):
- the owa-2017 report end to end (command line to HTML file) at most 2x the time
  of pushing an empty notebook through the same papermill + nbconvert pipeline;
- a 10,000-element report under 30 s; its HTML under 15 MB, opening in Chromium
  in under 5 s;
- a 120,000-element report (``--size 120000``, the large report) under 3 min wall
  and under 2.5 GB peak memory over all its processes; HTML under 15 MB, opening in
  Chromium (first screen drawn) in under 5 s.

Peak memory over all processes is sampled from ``/proc`` every 0.2 s while the
report runs: the command, the report kernel and the kernel's second process
(a fork). Two sums are printed: of resident set sizes (RSS; a fork's pages
shared with its parent count twice) and of proportional set sizes (PSS, from
``smaps_rollup``: shared pages split between the processes sharing them), and
each process's own peak RSS.

"Opening" is measured by ``page_timing.py`` in real time from navigation
start until every figure in the first screen is drawn (the report draws the
figures on screen first, the rest one by one just after; when all are drawn
is printed too).

Run it with the environment ``make report`` builds (``.venv/bin/python``);
the optional postcode extra, when installed, adds its one-off directory read
to the first report.

Usage: ``python benchmarks/report.py [--skip-large] [--runs N] [--size N] [--map FILE] [--only-size]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

EMPTY_PIPELINE = """
import sys, tempfile
from pathlib import Path
from cop_toolkit.reports.runner import execute_notebook, notebook_to_html, skip_slow_iri_checker
skip_slow_iri_checker()  # the same start-up as cop-report, so the comparison is fair
import nbformat
with tempfile.TemporaryDirectory() as tmp:
    src = Path(tmp) / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), src)
    # the same papermill run (kernel, options) and the same HTML conversion as every report
    execute_notebook(src, Path(tmp) / "out.ipynb")
    notebook_to_html(Path(tmp) / "out.ipynb", Path(sys.argv[1]))
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{res.stderr[-2000:]}")
    return elapsed


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (pid: child pids)."""
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree(root: int) -> list[int]:
    kids, todo, seen = _children(), [root], []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo.extend(kids.get(pid, []))
    return seen


def _memory(pid: int) -> tuple[int, int, str]:
    """(RSS, PSS) in bytes and the command line of one process; zeros if it has gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
            fields = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f if line.split()[-1] == "kB"}
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return 0, 0, ""
    return fields.get("Rss", 0), fields.get("Pss", 0), cmd


def run_sampled(cmd: list[str], every: float = 0.2, env: dict | None = None) -> dict:
    """Run ``cmd``; sample the memory of its whole process tree meanwhile; return the peaks, wall time and output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peaks = {"rss": 0, "pss": 0, "each": {}}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss = pss = 0
            for pid in _tree(proc.pid):
                r, p, what = _memory(pid)
                rss, pss = rss + r, pss + p
                key = f"{pid} {what[:90]}"
                was = peaks["each"].get(key, (0, 0))
                peaks["each"][key] = (max(was[0], r), max(was[1], p))
            peaks["rss"], peaks["pss"] = max(peaks["rss"], rss), max(peaks["pss"], pss)
            stop.wait(every)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-2000:]}")
    return {**peaks, "seconds": time.perf_counter() - start, "log": err, "out": out}


def large_report(source: Path, page: Path, size: int) -> None:
    """Make the report of a large map (the large report) and print its targets."""
    py = sys.executable
    cmd = [py, "-m", "cop_toolkit.reports.cli", str(source), "-o", str(page),
           "--limits", "max_file_mb=2000,max_cells=50000000"]
    run = run_sampled(cmd)
    kept = page.with_suffix(".ipynb")
    files = page.with_name(f"{page.stem}_files")
    csv_mb = sum(f.stat().st_size for f in files.glob("*.csv")) / 1e6 if files.is_dir() else 0.0
    print(f"{size:,}-element map, report made {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load {Path('/proc/loadavg').read_text().split()[:3]}")
    targets = "< 3 min" if size >= 100_000 else "< 30 s" if size <= 10_000 else "-"
    print(f"  full report:   {run['seconds']:6.1f} s wall (target {targets})")
    print(f"  peak memory over all processes: {run['pss'] / 1e9:.2f} GB PSS, {run['rss'] / 1e9:.2f} GB RSS summed "
          "(target < 2.5 GB)")
    for key, (rss, pss) in sorted(run["each"].items(), key=lambda kv: -kv[1][1])[:5]:
        print(f"    {pss / 1e9:5.2f} GB peak PSS, {rss / 1e9:5.2f} GB peak RSS  {key}")
    print(f"  HTML size:     {page.stat().st_size / 1e6:6.1f} MB (target < 15 MB)")
    print(f"  kept notebook: {kept.stat().st_size / 1e6:6.1f} MB; CSV files beside the page: {csv_mb:.1f} MB")
    print(f"  {opening(page)} (target < 5 s)")
    for line in run["log"].splitlines():
        print(f"    {line}")


def opening(page: Path) -> str:
    """How the page opens in headless Chromium (network blocked), in real time from navigation start."""
    from page_timing import open_page

    t = open_page(page)
    return (f"opens in Chromium in {t['first_screen_s']:.1f} s (first screen drawn; page loaded at "
            f"{t['loaded_s']:.1f} s); all {t['figures']} figures drawn at {t['all_drawn_s']:.1f} s; "
            f"{t['wall_s']:.1f} s with browser start-up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-large", action="store_true", help="skip the 10,000-element report")
    parser.add_argument("--size", type=int, default=10_000, help="elements of the generated map (london_map)")
    parser.add_argument("--map", type=Path, help="use this map file (of --size elements) instead of generating one")
    parser.add_argument("--only-size", action="store_true", help="skip the owa-2017 ratio: only the large map's report")
    parser.add_argument("--runs", type=int, default=5, help="runs of each pipeline for the owa-2017 ratio")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.only_size:
            large_report(args.map or _generated(args.size, tmp), tmp / "large.html", args.size)
            return
        # Taken in turns, so a slow spell of a shared machine falls on both alike.
        empty_runs: list[float] = []
        sample_runs: list[float] = []
        for i in range(args.runs):
            empty_runs.append(timed([py, "-c", EMPTY_PIPELINE, str(tmp / f"empty{i}.html")]))
            sample_runs.append(timed([py, "-m", "cop_toolkit.reports.cli", "owa-2017", "-q", "-o", str(tmp / f"owa{i}.html")]))
        empty, sample = min(empty_runs), min(sample_runs)
        empty_mid, sample_mid = statistics.median(empty_runs), statistics.median(sample_runs)
        print(f"Report pipeline ({args.runs} runs each, taken in turns, fresh process each, command line to HTML file)")
        print(f"  empty notebook through papermill + nbconvert: best {empty:4.1f} s, median {empty_mid:4.1f} s")
        print(f"  owa-2017 full report:                         best {sample:4.1f} s, median {sample_mid:4.1f} s")
        print(f"  ratio: {sample / empty:.2f}x best to best, {sample_mid / empty_mid:.2f}x median to median (target <= 2x)")
        size = (tmp / "owa0.html").stat().st_size / 1e6
        print(f"  owa-2017 report size: {size:.1f} MB")
        print(f"  owa-2017 report {opening(tmp / 'owa0.html')}")
        if args.skip_large:
            return
        large_report(args.map or _generated(args.size, tmp), tmp / "large.html", args.size)


def _generated(size: int, folder: Path) -> Path:
    """A generated London map of ``size`` elements (benchmarks/london_map.py), written in ``folder``."""
    from london_map import london_map

    import cop_toolkit as cop

    return cop.write_map(london_map(size), folder / "large" / "map.json")


if __name__ == "__main__":
    main()
