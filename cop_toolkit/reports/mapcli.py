"""The ``cop-map`` command: the map manager's jobs.

* ``cop-map merge BASE OTHER... -o MERGED.xlsx [--report merge.html] [--decisions decisions.csv]``
  merges contributors' maps (:func:`cop_toolkit.merge_maps`). The pairs left for
  a decision are written to the decisions file; fill in its ``decision``
  column (``merge`` or ``keep apart``) and run the same command again to apply them.
* ``cop-map verification MAP -o FOLDER [--by borough]`` writes one sheet per
  contributor (:func:`cop_toolkit.write_verification_sheets`).
* ``cop-map update MAP FOLDER -o UPDATED.xlsx [--report update.html]`` applies the
  returned sheets (:func:`cop_toolkit.update_from_sheets`).
* ``cop-map log FOLDER`` lists a folder of dated snapshots, with each one's
  stage and the changes between each pair.

A report is written as an offline HTML page and, beside it, a spreadsheet of
the same tables. A mistake in the input gives one clear line on standard
error and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cop_toolkit.analysis.compare import compare_maps
from cop_toolkit.analysis.stages import network_stage
from cop_toolkit.building.merge import merge_maps
from cop_toolkit.building.verification import (
    update_from_sheets,
    write_verification_sheets,
)
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_files, atomic_write_text
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io import write_map
from cop_toolkit.io.common import protect_series
from cop_toolkit.reports.batch import find_maps
from cop_toolkit.reports.html import render
from cop_toolkit.reports.runner import resolve_input

__all__ = ["build_parser", "main", "snapshot_log", "write_report"]

#: Rows of each table shown on the HTML page (the spreadsheet has them all).
PAGE_ROWS = 200
_EMPTY = "Nothing here."


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cop-map``.

    Examples
    --------
    >>> build_parser().parse_args(["log", "maps/"]).command
    'log'
    """
    p = argparse.ArgumentParser(prog="cop-map", description="Keep a network map alive: merge contributors' maps, "
                                "run a verification round, and follow the map's history.")
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("merge", help="merge contributors' maps into the first one")
    m.add_argument("base", help="the base map (its values win a conflict)")
    m.add_argument("others", nargs="+", metavar="OTHER", help="the contributors' maps")
    m.add_argument("-o", "--output", required=True, help="the merged map to write")
    m.add_argument("--report", help="an HTML page of what was merged (a spreadsheet is written beside it)")
    m.add_argument("--decisions", help="a CSV of pairs to decide: applied if it exists, then rewritten with what is left")
    m.add_argument("--sources", nargs="+", help="a name for each map, base first (default: the maps' names)")
    v = sub.add_parser("verification", help="write one verification sheet per contributor")
    v.add_argument("map")
    v.add_argument("-o", "--output", required=True, help="the folder to write the sheets into")
    v.add_argument("--by", choices=["contributor", "borough"], default="contributor")
    u = sub.add_parser("update", help="apply the returned verification sheets")
    u.add_argument("map")
    u.add_argument("folder", help="the folder of returned sheets")
    u.add_argument("-o", "--output", required=True, help="the updated map to write")
    u.add_argument("--report", help="an HTML page of what changed (a spreadsheet is written beside it)")
    u.add_argument("--on", help="the date to record as Last Verified (default today)")
    g = sub.add_parser("log", help="list a folder of dated snapshots with the changes between them")
    g.add_argument("folder")
    return p


def _section(heading: str, df: pd.DataFrame) -> dict:
    shown = df.head(PAGE_ROWS).astype(object).where(df.head(PAGE_ROWS).notna(), "")
    return {"heading": heading, "columns": [str(c) for c in df.columns], "rows": shown.values.tolist(),
            "more": max(len(df) - PAGE_ROWS, 0), "empty": _EMPTY}


def write_report(title: str, headline: str, tables: dict[str, pd.DataFrame], path: str | Path) -> tuple[Path, Path]:
    """Write an offline HTML page of ``tables`` and a spreadsheet of them beside it; return both paths.

    Examples
    --------
    >>> import tempfile
    >>> page, sheet = write_report("T", "<b>", {"A": pd.DataFrame({"x": ["=1+1"]})}, Path(tempfile.mkdtemp()) / "r.html")
    >>> "&lt;b&gt;" in page.read_text(), sheet.name
    (True, 'r.xlsx')
    """
    page = Path(path)
    sheet = page.with_suffix(".xlsx")
    html = render("map/page.html.j2", title=title, headline=headline, sheet=sheet.name,
                  sections=[_section(name, df) for name, df in tables.items()])
    atomic_write_text(page, html)
    with atomic_files(sheet) as (tmp,), pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for name, df in tables.items():
            safe = df.copy()
            safe.columns = [str(c) for c in safe.columns]
            for col in safe.columns:
                if safe[col].dtype == object:
                    safe[col] = protect_series(safe[col])
            safe.to_excel(xl, sheet_name=name[:31], index=False)
    return page, sheet


def _read(source: str) -> NetworkMap:
    return resolve_input(source)[1]


def _merge(args: argparse.Namespace) -> None:
    decisions = Path(args.decisions) if args.decisions else None
    maps = [_read(args.base), *(_read(o) for o in args.others)]
    merged, report = merge_maps(*maps, sources=args.sources,
                                decisions=decisions if decisions is not None and decisions.exists() else None)
    write_map(merged, args.output)
    print(report.headline())
    if decisions is not None:
        with atomic_files(decisions) as (tmp,):
            report.decisions.to_csv(tmp, index=False)
        if len(report.decisions):
            print(f"{len(report.decisions)} pairs to decide are in {decisions}: write 'merge' or 'keep apart' "
                  "in its decision column and run the same command again.")
    elif len(report.decisions):
        print(f"{len(report.decisions)} pairs were left apart for a decision: add --decisions decisions.csv to list them.")
    if args.report:
        write_report("Merge report", report.headline(), report.tables(), args.report)


def _update(args: argparse.Namespace) -> None:
    m = _read(args.map)
    updated, report = update_from_sheets(m, args.folder, on=args.on)
    write_map(updated, args.output)
    print(report.headline())
    for row in report.problems.itertuples(index=False):
        where = f"{row.file}" + (f", sheet '{row.sheet}'" if row.sheet else "") + (f", row {int(row.row)}" if pd.notna(row.row) else "")
        print(f"  {where}: {row.problem}")
    if args.report:
        write_report("Verification round", report.headline(), report.tables(), args.report)


def _snapshot_date(m: NetworkMap, path: Path) -> str:
    return str(m.metadata.get("date") or path.stem)


def snapshot_log(folder: str | Path) -> list[str]:
    """The lines of ``cop-map log``: each snapshot (oldest first) with its stage, then the changes since the one before.

    Examples
    --------
    >>> import tempfile
    >>> from cop_toolkit.io import datasets
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = write_map(datasets.load("owa-2018"), folder / "b.xlsx"), write_map(datasets.load("owa-2017"), folder / "a.xlsx")
    >>> print(snapshot_log(folder)[0])
    2017-07-31  a.xlsx: 195 elements, 677 connections; stage: multi-hub small world
    """
    snaps = sorted(((p, _read(str(p))) for p in find_maps(folder)), key=lambda s: (_snapshot_date(s[1], s[0]), s[0].name))
    if not snaps:
        raise MapError("the folder holds no map files", file=str(folder), fix="put dated snapshots (.xlsx, .csv, ...) in it")
    lines: list[str] = []
    previous = None
    for path, m in snaps:
        if previous is not None:
            lines.append("    " + compare_maps(previous, m).headline())
        lines.append(f"{_snapshot_date(m, path)}  {path.name}: {len(m.elements)} elements, "
                     f"{len(m.connections)} connections; stage: {network_stage(m).stage}")
        previous = m
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cop-map``; return the exit status.

    Examples
    --------
    >>> main(["update", "no-such-map.xlsx", "nowhere", "-o", "x.xlsx"])
    2
    """
    args = build_parser().parse_args(argv)
    try:
        if args.command == "merge":
            _merge(args)
        elif args.command == "verification":
            paths = write_verification_sheets(_read(args.map), args.output, by=args.by)
            print(f"{len(paths)} verification sheets written to {args.output}")
        elif args.command == "update":
            _update(args)
        else:
            print("\n".join(snapshot_log(args.folder)))
        return 0
    except MapError as exc:
        print(f"cop-map: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
