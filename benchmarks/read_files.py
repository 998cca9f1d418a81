"""Read time of real and generated graph files, against networkx's own reader on the same file.

Prints, for the biggest real GEXF/GraphML file in ``tests/real_files`` and a generated GEXF of
120,000 elements (written by ``write_map`` from ``london_map``), our ``read_map`` time, networkx's
``read_gexf``/``read_graphml`` time and their ratio, all measured in this one run.

Run ``python benchmarks/read_files.py`` (or ``python benchmarks/read_files.py 20000`` for a smaller
generated file).

``python benchmarks/read_files.py --size 120000 --formats json,csv,folder,xlsx,gexf,graphml`` instead
writes ``london_map(120000)`` (about 960,000 ties) in each format (into ``--maps DIR``, kept for the
next run, or a temporary folder) and prints, for each, the ``write_map`` time and the wall time and
peak memory of ``read_map`` in a fresh Python process, with the load average. ``--package DIR``
reads with the ``cop_toolkit`` in ``DIR`` instead (an earlier copy, for before/after figures).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from cop_toolkit.io import FORMATS, read_map, write_map

sys.path.insert(0, str(Path(__file__).parent))
from london_map import london_map

REAL = Path(__file__).parent.parent / "tests" / "real_files"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The quickest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def compare(path: Path, repeat: int) -> None:
    """Print our read time, networkx's and the ratio for one file."""
    theirs = nx.read_gexf if path.suffix == ".gexf" else nx.read_graphml
    ours_s = best_of(lambda: read_map(path), repeat)
    size = path.stat().st_size / 1e6
    try:
        nx_s = best_of(lambda: theirs(path), repeat)
    except nx.NetworkXError as exc:
        print(f"{path.name:32s} {size:7.1f} MB  read_map {ours_s:7.3f} s  networkx cannot read it ({exc})")
        return
    print(f"{path.name:32s} {size:7.1f} MB  read_map {ours_s:7.3f} s  networkx {nx_s:7.3f} s  "
          f"ratio {ours_s / nx_s:5.2f}")


def main(n: int = 120_000) -> None:
    """Measure the biggest real file and a generated GEXF of ``n`` elements."""
    files = sorted((p for p in REAL.iterdir() if p.suffix in (".gexf", ".graphml")), key=lambda p: -p.stat().st_size)
    for real in files[:2]:  # the biggest (which networkx cannot read) and the next
        compare(real, repeat=3)
    with tempfile.TemporaryDirectory() as tmp:
        out = write_map(london_map(n, avg_degree=2.0), Path(tmp) / f"london_{n}.gexf")
        compare(out, repeat=1)


_READ_ONE = """
import json, resource, sys, time
sys.path[:0] = sys.argv[2:]  # another copy of the package to measure (--package)
start = time.perf_counter()
from cop_toolkit.io import read_map
m = read_map(sys.argv[1])
seconds = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu": use.ru_utime + use.ru_stime, "peak_mb": use.ru_maxrss / 1024,
                  "elements": len(m.elements), "ties": len(m.connections)}))
"""


def read_in_child(path: Path, package: Path | None = None) -> dict[str, float]:
    """``read_map(path)`` in a fresh Python process: wall and CPU seconds (with the import), peak memory in MB.

    ``package`` is a folder holding another ``cop_toolkit`` to measure instead (an earlier copy, say).
    """
    extra = [str(package)] if package is not None else []
    out = subprocess.run([sys.executable, "-c", _READ_ONE, str(path), *extra], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def map_path(folder: Path, n: int, fmt: str) -> Path:
    """Where the map of ``n`` elements in ``fmt`` is written (``folder`` is a folder of CSV files)."""
    return folder / (f"london_{n}" if fmt == "folder" else f"london_{n}.{fmt}")


def formats(n: int, wanted: list[str], folder: Path, package: Path | None = None) -> None:
    """Write ``london_map(n)`` in each wanted format (unless there already) and time reading each back."""
    unknown = [f for f in wanted if f != "folder" and f".{f}" not in FORMATS]
    if unknown:
        raise SystemExit(f"unknown formats {unknown}: use folder or one of {sorted(FORMATS)}")
    m = None
    print(f"london_map({n:,}) read in a fresh process; load average {Path('/proc/loadavg').read_text().strip()}")
    for fmt in wanted:
        path = map_path(folder, n, fmt)
        files = (list(path.iterdir()) if path.is_dir() else [path]) if fmt != "csv" else \
            [path.with_name(f"{path.stem}-{part}.csv") for part in ("elements", "connections")]
        wrote = ""
        if not all(f.exists() for f in files):
            m = m if m is not None else london_map(n)
            start = time.perf_counter()
            write_map(m, path)
            wrote = f"write_map {time.perf_counter() - start:6.1f} s"
        got = read_in_child(files[0] if fmt == "csv" else path, package)  # a CSV pair is read from its elements file
        files = list(path.iterdir()) if fmt == "folder" else files
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"{fmt:8s} {size:7.1f} MB  read_map {got['seconds']:6.1f} s (CPU {got['cpu']:6.1f} s)  peak {got['peak_mb']:6.0f} MB  "
              f"{got['elements']:,} elements, {got['ties']:,} ties  {wrote}", flush=True)
    print(f"load average {Path('/proc/loadavg').read_text().strip()}")


def cli() -> None:
    """The command line (see the module notes)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=120_000, help="elements of the generated GEXF (networkx mode)")
    ap.add_argument("--size", type=int, help="elements of the generated map (formats mode)")
    ap.add_argument("--formats", default="json,csv,folder,xlsx,gexf,graphml", help="comma-separated formats")
    ap.add_argument("--maps", type=Path, help="folder to keep the written maps in (default: a temporary one)")
    ap.add_argument("--package", type=Path, help="folder holding another cop_toolkit to time reading with")
    args = ap.parse_args()
    if args.size is None:
        main(args.n)
        return
    wanted = [f.strip().lstrip(".") for f in args.formats.split(",") if f.strip()]
    if args.maps is not None:
        args.maps.mkdir(parents=True, exist_ok=True)
        formats(args.size, wanted, args.maps, args.package)
        return
    with tempfile.TemporaryDirectory() as tmp:
        formats(args.size, wanted, Path(tmp), args.package)


if __name__ == "__main__":
    cli()
