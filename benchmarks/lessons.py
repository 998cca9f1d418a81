"""How long every lesson takes as a report (``cop-report MAP --lessons``) against the plain report.

Measured in one run, on the same maps, each command in a fresh process:
``owa-2017`` and a generated London map (``london_map.py``, as ``report.py``
makes it), the machine's load (``/proc/loadavg``) printed before each step.
Printed, never asserted in tests.

Usage: ``python benchmarks/lessons.py [--size N] [--skip-large]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cop_toolkit as cop

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def load() -> str:
    """The machine's load averages over 1, 5 and 15 minutes."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def timed(args: list[str]) -> float:
    """Seconds ``cop-report ARGS`` takes, command line to files written."""
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "cop_toolkit.reports.cli", *args, "-q"],
                         capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"failed: cop-report {' '.join(args)}\n{res.stderr[-2000:]}")
    return elapsed


def compare(name: str, source: str, folder: Path) -> None:
    """Print the plain report's time and the lessons' time on one map."""
    before = load()
    plain = timed([source, "-o", str(folder / f"{name}.html")])
    between = load()
    lessons = timed([source, "--lessons", "-o", str(folder / f"{name}-lessons")])
    pages = len(list((folder / f"{name}-lessons").glob("[0-9][0-9]_*.html")))
    print(f"{name}")
    print(f"  plain report:            {plain:6.1f} s  (load {before})")
    print(f"  --lessons ({pages} pages):    {lessons:6.1f} s  (load {between}); {lessons / plain:.1f}x the report, "
          f"{lessons / max(pages, 1):.1f} s a page")
    print(f"  load after:              {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="elements of the generated London map")
    parser.add_argument("--skip-large", action="store_true", help="only owa-2017")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        compare("owa-2017", "owa-2017", folder)
        if args.skip_large:
            return
        from london_map import london_map

        m = london_map(args.size)
        source = cop.write_map(m, folder / "large.json")
        compare(f"{args.size:,}-element map ({len(m.connections):,} ties)", str(source), folder)


if __name__ == "__main__":
    main()
