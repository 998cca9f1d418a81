"""The ``cop-grade`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cop_toolkit.core.errors import MapError
from cop_toolkit.teaching.grading.marks import grade_folder

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """``cop-grade SUBMISSIONS_DIR -o marks.csv [--feedback DIR] [--timeout S] [--jobs N] [--maps DIR] [--groups CSV]``.

    Returns the exit status: 0 when the folder was marked (even if some
    notebooks failed: they get a mark and a note), 2 for a user mistake.

    Examples
    --------
    >>> main(["no-such-folder"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="cop-grade",
        description="Mark a folder of coursework notebooks: run each in a sandbox, mark the automatic questions "
                    "with hidden tests, write a marks table and one feedback file per student.")
    parser.add_argument("submissions", help="folder of submitted notebooks (or one folder per student)")
    parser.add_argument("-o", "--output", default="marks.csv", help="marks table to write (.csv or .xlsx)")
    parser.add_argument("--feedback", default=None, help="folder for feedback files (default: feedback/ beside -o)")
    parser.add_argument("--timeout", type=float, default=120, help="time limit per notebook in seconds (default 120)")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks to run at once (default 1)")
    parser.add_argument("--maps", default=None, help="folder of the groups' map files: a notebook may name one of "
                        "them (by file name) in its parameters cell, besides the bundled samples")
    parser.add_argument("--groups", default=None, help="CSV with columns student,map: each student's notebook is run "
                        "and marked on that map, whatever its parameters cell names")
    args = parser.parse_args(argv)
    try:
        table = grade_folder(args.submissions, args.output, feedback=args.feedback, timeout=args.timeout,
                             jobs=args.jobs, maps=args.maps, groups=args.groups)
    except MapError as exc:
        print(f"cop-grade: {exc}", file=sys.stderr)
        return 2
    counts = table["status"].value_counts()
    print(f"Marked {len(table)} notebook{'s' * (len(table) != 1)}: "
          + ", ".join(f"{n} {s}" for s, n in counts.items())
          + f". Marks: {args.output}; feedback: {args.feedback or Path(args.output).parent / 'feedback'}")
    return 0
