"""Command-line entry points.

``cop-report`` makes the HTML report of a map (or of many maps). A mistake in
the input gives one clear line on standard error and exit status 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import write_error
from cop_toolkit.reports.runner import report, skip_slow_iri_checker

__all__ = ["report_main", "build_report_parser"]


def build_report_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cop-report``.

    Examples
    --------
    >>> build_report_parser().parse_args(["owa-2017", "--public"]).public
    True
    >>> build_report_parser().parse_args(["owa-2017", "--large-from", "5000"]).large_from
    5000
    """
    p = argparse.ArgumentParser(
        prog="cop-report",
        description="Make a shareable HTML report of a network map: who is central, clusters, "
        "what if a hub goes, geography, introductions to make, changes and data quality.",
        epilog="Examples:\n  cop-report my_map.xlsx -o report.html\n"
        "  cop-report owa-2018 --previous owa-2017 --remove 'Borough Networks Forum'\n"
        "  cop-report my_map.xlsx --public -o public.html\n"
        "  cop-report --batch maps/ -o reports/\n"
        "  cop-report owa-2017 --split-by borough -o boroughs/\n"
        "  cop-report my_map.xlsx --lesson 06 -o what_if.html\n"
        "  cop-report my_map.xlsx --lessons -o my_map_lessons/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", nargs="?", help="a map file or folder, or a sample map name such as owa-2017")
    p.add_argument("-o", "--output", help="the HTML file to write (a folder with --batch or --split-by)")
    p.add_argument("--previous", help="an earlier snapshot of the same map, to show what changed")
    p.add_argument("--title", help="the report's title (default: the map's name)")
    p.add_argument("--focus", nargs="+", default=[], metavar="NAME", help="elements to look at closely")
    p.add_argument("--remove", nargs="+", default=[], metavar="NAME", help="elements to take out in 'What if' (default: the top broker)")
    p.add_argument("--public", action="store_true", help="leave out private entries and fields, and people without consent")
    p.add_argument("--accept-risk", action="store_true",
                   help="with --public: publish even if some entries could be picked out by their ties (the report says so)")
    p.add_argument("--force", action="store_true", help="replace an existing file of that name that cop_toolkit did not write")
    p.add_argument("--columns", metavar="KEY=COLUMN,...",
                   help="for a spreadsheet: which column is which, e.g. \"Label=Group name,ties=Who we work with\"")
    p.add_argument("--limits", metavar="KEY=VALUE,...",
                   help="raise the limits on input, e.g. max_file_mb=500,max_cells=5000000 (see cop_toolkit.io.limits)")
    p.add_argument("--large-from", type=int, metavar="N",
                   help="maps with at least N elements get the large report: clusters instead of every dot, "
                   "a find box, long tables as their top rows with every row in a CSV beside the page "
                   "(default 10000; also with --batch and --split-by)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="another template parameter (text)")
    p.add_argument("--batch", metavar="DIR", help="make one report per map in DIR")
    p.add_argument("--split-by", choices=["borough", "cluster"], help="make one report per borough or cluster of INPUT")
    p.add_argument("--lesson", metavar="NN", help="make the page of one lesson (01 to 12) run on the map")
    p.add_argument("--lessons", action="store_true",
                   help="make every lesson's page run on the map, in a folder (-o) with an index.html")
    p.add_argument("--jobs", type=int, default=2, help="reports to make at once with --batch/--split-by (default 2)")
    p.add_argument("--self-contained", action="store_true",
                   help="with --batch/--split-by/--lessons: put plotly.js in every page instead of one plotly.min.js beside them")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--debug", action="store_true", help="show the full details of an unexpected error")
    return p


def _parse_params(items: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise MapError(f"'{item}' is not of the form NAME=VALUE", fix="write --param title='My map'")
        out[name.strip()] = value
    return out


def _lessons_main(args: argparse.Namespace, say: Callable[[str], None], options: dict[str, Any]) -> int:
    """``cop-report MAP --lesson NN`` or ``--lessons``: lessons run on the map as report pages."""
    from cop_toolkit.reports.lessons import (  # deferred: heavy (pandas)
        lesson_report,
        lessons_report,
    )

    if not args.input:
        raise MapError("--lesson and --lessons need a map", fix="write cop-report MAP --lessons -o folder/")
    if args.lesson and args.lessons:
        raise MapError("give either --lesson NN or --lessons, not both")
    if args.batch or args.split_by or args.columns is not None:
        raise MapError("--lesson and --lessons do not go with --batch, --split-by or --columns",
                       fix="make the lesson pages of one map at a time")
    if "large_from" in (options.get("parameters") or {}):
        raise MapError("--large-from applies to reports, not to lesson pages", fix="leave --large-from out with --lesson and --lessons")
    if args.lessons and args.param:
        raise MapError("--lessons does not go with --param",
                       fix="give a lesson's own parameter with one lesson: --lesson 07 --param borough=Hackney")
    if args.lesson:  # --param: the lesson's own parameters, such as lesson 07's borough
        lesson_report(args.input, args.lesson, output=args.output, progress=say, **options)
        return 0
    options = {k: v for k, v in options.items() if k != "parameters"}
    pages = lessons_report(args.input, args.output or "reports/lessons", self_contained=args.self_contained,
                           progress=say, **options)
    failed = [p for p in pages if not p.ok]
    for page in failed:
        print(f"cop-report: lesson {page.heading}: {page.error}", file=sys.stderr)
    say(f"{len(pages) - len(failed)} of {len(pages)} lesson pages made; index at {args.output or 'reports/lessons'}/index.html")
    return 1 if failed and len(failed) == len(pages) else 0


def report_main(argv: Sequence[str] | None = None) -> int:
    """Run ``cop-report``; return the exit status.

    Examples
    --------
    >>> report_main(["no-such-map.xlsx", "-q"])
    2
    """
    skip_slow_iri_checker()
    parser = build_report_parser()
    args = parser.parse_args(argv)
    start = time.perf_counter()

    def say(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - start:5.1f}s] {message}", file=sys.stderr, flush=True)

    try:
        options = dict(
            previous=args.previous,
            title=args.title,
            elements=args.focus,
            remove=args.remove,
            public=args.public,
            parameters=_parse_params(args.param) or None,
            accept_risk=args.accept_risk,
            force=args.force,
        )
        if args.large_from is not None:
            if args.large_from < 0:
                raise MapError(f"--large-from must be a number of elements (0 or more), not {args.large_from}",
                               fix="write --large-from 10000")
            options["parameters"] = {**(options["parameters"] or {}), "large_from": args.large_from}
        if args.limits is not None:
            from cop_toolkit.io.limits import use_limits  # deferred: heavy (pandas via cop_toolkit.io)

            use_limits(args.limits)  # also read by the report's own processes
        if args.columns is not None and (args.batch or args.split_by):
            raise MapError("--columns applies to one map, not to --batch or --split-by",
                           fix="make the report of each spreadsheet on its own with --columns")
        if args.batch or args.split_by:
            # deferred: heavy (pandas), needed by batches only
            from cop_toolkit.reports.batch import (
                batch_sources,
                find_maps,
                run_batch,
                split_sources,
                temp_workdir,
            )

            outdir = args.output or "reports"
            if args.batch:
                if args.input:
                    raise MapError("give either a map or --batch DIR, not both")
                sources = batch_sources(find_maps(args.batch))
                results = run_batch(sources, outdir, jobs=args.jobs, progress=say,
                                    self_contained=args.self_contained, **options)
            else:
                if not args.input:
                    raise MapError("--split-by needs a map to split", fix="write cop-report MAP --split-by borough")
                with temp_workdir() as tmp:
                    say(f"Splitting the map by {args.split_by}")
                    sources = split_sources(args.input, args.split_by, tmp, public=args.public)
                    results = run_batch(sources, outdir, jobs=args.jobs, progress=say,
                                        self_contained=args.self_contained, **options)
            failed = [r for r in results if not r.ok]
            for r in failed:
                print(f"cop-report: {r.name}: {r.error}", file=sys.stderr)
            say(f"{len(results) - len(failed)} of {len(results)} reports made; index at {outdir}/index.html")
            return 1 if failed and len(failed) == len(results) else 0
        if args.lesson or args.lessons:
            return _lessons_main(args, say, options)
        if not args.input:
            parser.print_usage(sys.stderr)
            raise MapError("no map given", fix="write cop-report MAP_FILE -o report.html (or a sample name such as owa-2017)")
        columns = None
        if args.columns is not None:
            from cop_toolkit.io.layouts import parse_columns  # deferred: heavy (pandas)

            columns = parse_columns(args.columns)
        report(args.input, output=args.output, progress=say, columns=columns, **options)
        return 0
    except MapError as exc:
        print(f"cop-report: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cop-report: stopped.", file=sys.stderr)
        return 130
    except OSError as exc:  # a disk that filled up or a folder that cannot be written, found late
        if args.debug and _write_failure(exc, args.output) is None:
            raise
        return _say_write_failure(exc, args.output)
    except Exception as exc:
        if args.debug:
            raise
        return _unexpected(exc)


def _write_failure(exc: OSError, output: str | None) -> MapError | None:
    """The one-line error for a full disk or a folder that cannot be written (``None`` for other errors)."""
    out = Path(output or ".")
    folder = Path(str(exc.filename)).parent if exc.filename else out.parent if out.suffix.lower() == ".html" else out
    return write_error(exc, folder)


def _say_write_failure(exc: OSError, output: str | None) -> int:
    """Say what :func:`_write_failure` found and return exit status 2 (or 1 for an unexpected error)."""
    error = _write_failure(exc, output)
    if error is None:
        return _unexpected(exc)
    print(f"cop-report: {error.message}", file=sys.stderr)
    return 2


def _unexpected(exc: BaseException) -> int:
    """Say that something unexpected went wrong (not the user's fault); return exit status 1."""
    print(
        f"cop-report: something went wrong that is not your fault ({type(exc).__name__}: {exc}). "
        "Run again with --debug to see the details, and tell the cop_toolkit team.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(report_main())
