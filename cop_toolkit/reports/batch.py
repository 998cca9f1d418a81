"""Many reports at once: one per map in a folder, or one per part of a map.

Reports run in parallel worker processes. A report that fails is listed on
the index page with its reason and does not stop the others.
"""

from __future__ import annotations

import multiprocessing
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cop_toolkit.analysis.clusters import find_clusters
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_text, check_folder
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.geo.locate import locate
from cop_toolkit.io import write_map
from cop_toolkit.reports.html import render
from cop_toolkit.reports.pages import failure_shown, write_shared_files
from cop_toolkit.reports.runner import (
    REPORT_BYTES,
    read_for_public,
    report,
    resolve_input,
    written_by_cop_toolkit,
)

__all__ = [
    "BATCH_EXTRA_BYTES",
    "RESERVED_NAMES",
    "BatchResult",
    "batch_sources",
    "find_maps",
    "page_names",
    "run_batch",
    "split_map",
    "write_index",
]

MAP_SUFFIXES = {".xlsx", ".json", ".graphml", ".gexf", ".csv"}
#: Room a batch needs besides its reports: the shared plotly.js and the index page.
BATCH_EXTRA_BYTES = 10 * 2**20


@dataclass
class BatchResult:
    """The outcome of one report in a batch.

    Examples
    --------
    >>> BatchResult("Hackney", "hackney.xlsx", None, "no Label column").ok
    False
    """

    name: str
    source: str
    output: Path | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


#: File names (without extension) a report page must not take: the batch's own index page.
RESERVED_NAMES = frozenset({"index"})


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "-", str(text)).strip("-").lower() or "map"


def page_names(names: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Give each report a file name of its own; return ({name: file stem}, notes on the names changed).

    Stems are lower case, so two names differing only in case never share a
    file on a case-insensitive disk, and never ``index`` (the index page).
    When names would share a stem, the first keeps it and the others get
    ``-2``, ``-3``…; each change is told in a note.

    Examples
    --------
    >>> stems, notes = page_names(["A b", "a-b", "index"])
    >>> stems
    {'A b': 'a-b', 'a-b': 'a-b-2', 'index': 'index-2'}
    >>> notes[0]
    "'a-b' would share the page a-b.html with 'A b', so it is written to a-b-2.html"
    """
    names = list(names)
    natural = {name: _slug(name) for name in names}
    claimed: dict[str, str] = {}  # stem -> the name that has it
    taken = set(natural.values()) | set(RESERVED_NAMES)
    stems: dict[str, str] = {}
    notes: list[str] = []
    for name in names:
        stem = natural[name]
        if stem in claimed or stem in RESERVED_NAMES:
            n = 2
            while f"{stem}-{n}" in taken:
                n += 1
            whose = f"with '{claimed[stem]}'" if stem in claimed else "with the index page"
            notes.append(f"'{name}' would share the page {stem}.html {whose}, so it is written to {stem}-{n}.html")
            stem = f"{stem}-{n}"
            taken.add(stem)
        claimed[stem] = name
        stems[name] = stem
    return stems, notes


def batch_sources(paths: Iterable[Path]) -> dict[str, str]:
    """Name each map of a batch by its file name without extension; {name: path}, one entry per map.

    Maps whose names differ only by extension or case (``x.xlsx`` and
    ``x.json``) are named with their extension, so none is dropped.

    Examples
    --------
    >>> batch_sources([Path("m/x.xlsx"), Path("m/X.json"), Path("m/hackney")])
    {'x.xlsx': 'm/x.xlsx', 'X.json': 'm/X.json', 'hackney': 'm/hackney'}
    """
    paths = list(paths)
    stem = {p: p.stem if p.suffix.lower() in MAP_SUFFIXES else p.name for p in paths}
    counts = Counter(stem[p].lower() for p in paths)
    return {(stem[p] if counts[stem[p].lower()] == 1 else p.name): str(p) for p in paths}


def _is_pair_metadata(p: Path) -> bool:
    name = p.name.lower()
    if name == "map.json":
        return (p.parent / "elements.csv").exists()
    if name.endswith("-map.json"):
        return any(p.parent.glob(p.name[: -len("map.json")] + "elements.csv"))
    return False


def find_maps(folder: str | Path) -> list[Path]:
    """List the map files (and map folders) directly inside ``folder``.

    A CSV pair counts once (its ``*elements*.csv`` half); connection halves
    and a pair's metadata file (``x-map.json`` beside ``x-elements.csv``) are
    skipped.

    Examples
    --------
    >>> find_maps("/nonexistent")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: cannot find the folder '/nonexistent'. How to fix: give a folder that holds map files.
    """
    root = Path(folder)
    if not root.is_dir():
        raise MapError(f"cannot find the folder '{folder}'", fix="give a folder that holds map files")
    found: list[Path] = []
    for p in sorted(root.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_dir() and any(p.glob("*elements*.csv")):
            found.append(p)
        elif p.suffix.lower() in MAP_SUFFIXES and "connections" not in p.name.lower():
            if _is_pair_metadata(p):
                continue
            found.append(p)
    if not found:
        raise MapError(
            f"the folder '{folder}' holds no map files",
            fix="put .xlsx, .csv, .json, .graphml or .gexf maps in it",
        )
    return found


def split_map(m: NetworkMap, by: str) -> dict[str, NetworkMap]:
    """Split a map into parts by ``borough`` or ``cluster`` (connections inside each part).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Borough": ["E09000001", "Hackney"]}))
    >>> sorted(split_map(m, "borough"))
    ['City of London', 'Hackney']
    """
    if by == "borough":
        placed = locate(m)
        groups = placed["borough_name"].dropna()
    elif by == "cluster":
        groups = find_clusters(m)["cluster_name"]
    else:
        raise MapError(f"cannot split a map by '{by}'", fix="use --split-by borough or --split-by cluster")
    parts: dict[str, NetworkMap] = {}
    for name, ids in groups.groupby(groups).groups.items():
        part = m.subset(list(ids))
        part.metadata["name"] = f"{m.name} — {name}"
        parts[str(name)] = part
    if not parts:
        raise MapError(f"no element of the map has a {by}", fix=f"add a {by} to the elements, or leave out --split-by")
    return parts


def _one(job: tuple[str, str, str, dict[str, Any]]) -> BatchResult:
    name, source, output, options = job
    try:
        out = report(source, output=output, **options)
        return BatchResult(name, source, out)
    except MapError as exc:
        return BatchResult(name, source, None, exc.message)
    except Exception as exc:  # one broken report must not stop the batch
        return BatchResult(name, source, None, f"{type(exc).__name__}: {exc}")


def run_batch(
    sources: dict[str, str],
    outdir: str | Path,
    *,
    jobs: int = 2,
    progress: Callable[[str], None] | None = None,
    self_contained: bool = False,
    **options: Any,
) -> list[BatchResult]:
    """Make one report per source in parallel processes and write ``index.html``.

    ``sources`` maps a display name to a map path or sample name; each
    report gets a file of its own (:func:`page_names`; the changed names are
    told through ``progress``). The folder is checked first: it must be
    writable, with room for every report, and an ``index.html`` there that
    cop_toolkit did not write is replaced only with ``force=True``. The pages
    share one plotly.js and one stylesheet beside them
    (:func:`~cop_toolkit.reports.pages.write_shared_files`, written once),
    unless ``self_contained``: then each page carries its own.

    Examples
    --------
    >>> run_batch({"OWA 2017": "owa-2017"}, "/tmp/reports")  # doctest: +SKIP
    [BatchResult(name='OWA 2017', source='owa-2017', output=PosixPath('/tmp/reports/owa-2017.html'), error=None)]
    """
    say = progress or (lambda message: None)
    out = check_folder(outdir, need=REPORT_BYTES * len(sources) + BATCH_EXTRA_BYTES)
    index = out / "index.html"
    if index.exists() and not options.get("force") and not written_by_cop_toolkit(index):
        raise MapError(f"'{index}' was not written by cop_toolkit, so it is not replaced",
                       fix="write the reports to another folder, or add --force to replace it")
    stems, notes = page_names(sources)
    for note in notes:
        say(f"Note: {note}")
    if not self_contained:
        write_shared_files(out, force=bool(options.get("force")))  # once, before any page refers to them
    # reports running side by side already use the cores: each keeps to one process
    alone = jobs <= 1 or len(sources) == 1
    work = [(name, src, str(out / f"{stems[name]}.html"),
             dict(options, second_process=alone, shared_plotlyjs=not self_contained))
            for name, src in sources.items()]
    results: list[BatchResult] = []
    if alone:
        for job in work:
            results.append(_one(job))
            say(f"{'done' if results[-1].ok else 'FAILED'}: {job[0]}")
    else:
        # "spawn": a worker forked from a process holding other threads' locks can hang for ever
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_one, job): job for job in work}
            for fut in as_completed(futures):
                results.append(fut.result())
                say(f"{'done' if results[-1].ok else 'FAILED'}: {futures[fut][0]} ({len(results)}/{len(work)})")
    order = {name: i for i, name in enumerate(sources)}
    results.sort(key=lambda r: order[r.name])
    write_index(results, index, public=bool(options.get("public")))
    return results


def write_index(results: list[BatchResult], path: str | Path, title: str = "Network reports",
                public: bool = False) -> Path:
    """Write an index page linking every report and listing the failures (without their reasons if ``public``).

    Examples
    --------
    >>> import tempfile
    >>> page = write_index([BatchResult("<b>A</b>", "a.xlsx", None, "bad file")], Path(tempfile.mkdtemp()) / "index.html")
    >>> "&lt;b&gt;A&lt;/b&gt;" in page.read_text()
    True
    """
    reports = [
        {"name": r.name, "href": Path(r.output).name if r.ok and r.output is not None else "", "error": failure_shown(r.error, public) if r.error else ""}
        for r in results
    ]
    page = render("batch/index.html.j2", title=title, made=sum(r.ok for r in results), reports=reports)
    return atomic_write_text(Path(path), page)


def split_sources(source: str, by: str, workdir: str | Path, *, public: bool = False) -> dict[str, str]:
    """Write each part of a map to ``workdir`` and return {part name: folder}."""
    m = read_for_public(source).public() if public else resolve_input(source)[1]
    parts = split_map(m, by)
    stems, _ = page_names(parts)  # run_batch tells the changed names
    out: dict[str, str] = {}
    for name, part in parts.items():
        folder = Path(workdir) / stems[name]
        folder.mkdir(parents=True, exist_ok=True)
        write_map(part, folder / "map.json")
        out[name] = str(folder / "map.json")
    return out


def temp_workdir() -> tempfile.TemporaryDirectory:
    """A temporary folder for split maps (removed when the batch ends)."""
    return tempfile.TemporaryDirectory(prefix="cop-split-")
