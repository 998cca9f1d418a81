"""Many reports at once: one per map in a folder, or one per part of a map.

Reports run in parallel worker processes. A report that fails is listed on
the index page with its reason and does not stop the others.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cop_toolkit.analysis.clusters import find_clusters
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_text
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.geo.locate import locate
from cop_toolkit.io import write_map
from cop_toolkit.reports.html import render
from cop_toolkit.reports.runner import report, resolve_input

__all__ = ["BatchResult", "find_maps", "split_map", "run_batch", "write_index"]

MAP_SUFFIXES = {".xlsx", ".json", ".graphml", ".gexf", ".csv"}


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


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "-", str(text)).strip("-").lower() or "map"


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
    **options: Any,
) -> list[BatchResult]:
    """Make one report per source in parallel processes and write ``index.html``.

    ``sources`` maps a display name to a map path or sample name.

    Examples
    --------
    >>> run_batch({"OWA 2017": "owa-2017"}, "/tmp/reports")  # doctest: +SKIP
    [BatchResult(name='OWA 2017', source='owa-2017', output=PosixPath('/tmp/reports/owa-2017.html'), error=None)]
    """
    say = progress or (lambda message: None)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    # reports running side by side already use the cores: each keeps to one process
    alone = jobs <= 1 or len(sources) == 1
    work = [(name, src, str(out / f"{_slug(name)}.html"), dict(options, second_process=alone))
            for name, src in sources.items()]
    results: list[BatchResult] = []
    if alone:
        for job in work:
            results.append(_one(job))
            say(f"{'done' if results[-1].ok else 'FAILED'}: {job[0]}")
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_one, job): job for job in work}
            for fut in as_completed(futures):
                results.append(fut.result())
                say(f"{'done' if results[-1].ok else 'FAILED'}: {futures[fut][0]} ({len(results)}/{len(work)})")
    order = {name: i for i, name in enumerate(sources)}
    results.sort(key=lambda r: order[r.name])
    write_index(results, out / "index.html")
    return results


def write_index(results: list[BatchResult], path: str | Path, title: str = "Network reports") -> Path:
    """Write an index page linking every report and listing the failures.

    Examples
    --------
    >>> import tempfile
    >>> page = write_index([BatchResult("<b>A</b>", "a.xlsx", None, "bad file")], Path(tempfile.mkdtemp()) / "index.html")
    >>> "&lt;b&gt;A&lt;/b&gt;" in page.read_text()
    True
    """
    reports = [
        {"name": r.name, "href": Path(r.output).name if r.ok and r.output is not None else "", "error": r.error or ""}
        for r in results
    ]
    page = render("batch/index.html.j2", title=title, made=sum(r.ok for r in results), reports=reports)
    return atomic_write_text(Path(path), page)


def split_sources(source: str, by: str, workdir: str | Path, *, public: bool = False) -> dict[str, str]:
    """Write each part of a map to ``workdir`` and return {part name: folder}."""
    _, m = resolve_input(source)
    if public:
        m = m.public()
    parts = split_map(m, by)
    out: dict[str, str] = {}
    for name, part in parts.items():
        folder = Path(workdir) / _slug(name)
        folder.mkdir(parents=True, exist_ok=True)
        write_map(part, folder / "map.json")
        out[name] = str(folder / "map.json")
    return out


def temp_workdir() -> tempfile.TemporaryDirectory:
    """A temporary folder for split maps (removed when the batch ends)."""
    return tempfile.TemporaryDirectory(prefix="cop-split-")
