"""Read time of real and generated graph files, against networkx's own reader on the same file.

Prints, for the biggest real GEXF/GraphML file in ``tests/real_files`` and a generated GEXF of
120,000 elements (written by ``write_map`` from ``london_map``), our ``read_map`` time, networkx's
``read_gexf``/``read_graphml`` time and their ratio, all measured in this one run.

Run ``python benchmarks/read_files.py`` (or ``python benchmarks/read_files.py 20000`` for a smaller
generated file).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from cop_toolkit.io import read_map, write_map

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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 120_000)
