"""Reading and writing network maps, losslessly, with clear errors.

``read_map(path)`` gives a :class:`~cop_toolkit.core.model.NetworkMap`;
``write_map(m, path)`` saves one. The format follows
the file extension:

=================  ==========================================================
``.xlsx``          Kumu-style workbook (see :mod:`cop_toolkit.io.xlsx`)
``.csv``           an ``*elements*.csv`` + ``*connections*.csv`` pair, or one
                   edge list (see :mod:`cop_toolkit.io.csv_files`)
a folder           a CSV pair plus an optional ``map.json``
``.json``          Kumu JSON (see :mod:`cop_toolkit.io.kumu_json`)
``.graphml``       GraphML (see :mod:`cop_toolkit.io.graphml`)
``.gexf``          GEXF, Gephi's format (see :mod:`cop_toolkit.io.gexf`)
=================  ==========================================================

Reading then writing keeps every element, connection and column (custom
fields and ``|``-separated values included) and the metadata. Writing is
atomic: the file appears complete or not at all. Spreadsheets (``.xlsx``,
``.csv``) are protected against formula injection, reversibly (see
:mod:`cop_toolkit.io.common`).

Mistakes in a file raise one :class:`~cop_toolkit.core.errors.MapError` naming the
file, sheet, row and column and saying how to fix it; softer problems are
listed on ``m.warnings`` (see :mod:`cop_toolkit.core.validate`).

Reading is bounded (see :mod:`cop_toolkit.io.limits`): only ordinary files
are read (a pipe or a device is refused at once), and the file size, the
unzipped size of a workbook, the cells of a sheet, the nesting of JSON and
the length of its numbers are capped, each limit raisable with
``read_map(path, limits=ReadLimits(...))`` or ``cop-report --limits``.
Numbers that are not finite (``Infinity``) are blanked with a warning, and a
CSV mixing UTF-8 and Windows text is read line by line with a warning.

The bundled sample maps are read by :mod:`.datasets` (``cop.datasets.load("owa-2017")``).

May import: :mod:`cop_toolkit.core` only.
"""

from __future__ import annotations

import importlib
import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io.limits import ReadLimits, check_regular, current_limits

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["read_map", "write_map", "ReadLimits", "READERS", "WRITERS", "FORMATS", "REGISTRY"]

#: The extensions ``read_map`` and ``write_map`` understand, with a plain description.
FORMATS = {
    ".xlsx": "Excel workbook (Kumu style)",
    ".csv": "CSV pair (elements + connections) or one edge list",
    ".json": "Kumu JSON",
    ".graphml": "GraphML",
    ".gexf": "GEXF (Gephi)",
    "": "a folder holding elements.csv + connections.csv (+ map.json)",
}


#: The one registry of formats: extension -> (module of this folder, its reader, its writer).
#: A module is imported when its format is first used, so reading a CSV never loads openpyxl.
REGISTRY: dict[str, tuple[str, str, str]] = {
    ".xlsx": ("xlsx", "read_xlsx", "write_xlsx"),
    ".csv": ("csv_files", "read_csv", "write_csv"),
    ".json": ("kumu_json", "read_json", "write_json"),
    ".graphml": ("graphml", "read_graphml", "write_graphml"),
    ".gexf": ("gexf", "read_gexf", "write_gexf"),
    "": ("csv_files", "read_folder", "write_folder"),
}


def _handler(ext: str, which: int) -> Callable[..., Any]:
    module, *names = REGISTRY.get(ext, REGISTRY[""])
    return getattr(importlib.import_module(f"{__name__}.{module}"), names[which])


def _reader(ext: str) -> Callable[..., Any]:
    return _handler(ext, 0)


def _writer(ext: str) -> Callable[[NetworkMap, Path], Path]:
    return _handler(ext, 1)


#: Absolute file-system paths inside a library's warning text.
_PATH = re.compile(r"(?:[A-Za-z]:\\|/)[^\s'\"]*[/\\][^\s'\"]+")

READERS = tuple(FORMATS)
WRITERS = tuple(FORMATS)

_OLD_FORMATS = {
    ".xls": "this is an old-style Excel file (.xls), which cannot be read",
    ".xlsm": "this is an Excel file with macros (.xlsm), which is not read for safety",
    ".ods": "this is a LibreOffice spreadsheet (.ods)",
    ".numbers": "this is an Apple Numbers file",
}


def _unknown_extension(path: Path) -> MapError:
    ext = path.suffix.lower()
    if ext in _OLD_FORMATS:
        return MapError(_OLD_FORMATS[ext], fix="open it and save it as .xlsx (Excel Workbook), then read that file",
                        file=path.name)
    known = ", ".join(e for e in FORMATS if e)
    return MapError(f"files ending in '{ext}' are not a map format this toolkit knows",
                    fix=f"save the map as one of {known}, or as a folder of CSV files", file=path.name)


def read_map(path: str | os.PathLike[str], *, sheet: str | Sequence[str] | None = None,
             columns: Mapping[str, str] | None = None, check: bool = True,
             limits: ReadLimits | None = None) -> NetworkMap:
    """Read a network map from a file or folder.

    Parameters
    ----------
    path : an ``.xlsx``, ``.csv``, ``.json``, ``.graphml`` or ``.gexf`` file,
        or a folder holding ``elements.csv`` and ``connections.csv``.
    sheet : for ``.xlsx`` only: read just this sheet (or these sheets).
    columns : for spreadsheets (``.xlsx``, ``.csv``, a folder): which column is
        which, overriding the guess, e.g. ``{"Label": "Group name", "ties":
        "Who we work with"}`` (see :mod:`cop_toolkit.io.layouts`). What was
        understood is kept in ``metadata["understood"]``.
    check : look for softer problems and list them on ``m.warnings``.
    limits : how big a file may be, how many cells a sheet may hold, how deep
        JSON may nest ... (:class:`~cop_toolkit.io.limits.ReadLimits`; default:
        :func:`~cop_toolkit.io.limits.current_limits`). Only ordinary files are
        read: pipes and devices are refused at once.

    Returns
    -------
    NetworkMap with ``metadata["source"]`` set to the path.

    Raises
    ------
    MapError : when the file cannot be read, with where and how to fix it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "links.csv").write_text("Source,Target,Weight\\nFood Bank,Youth Club,2\\n")
    >>> m = read_map(folder / "links.csv")
    >>> m.connections[["From", "To"]].values.tolist(), float(m.connections["Strength"].iloc[0])
    ([['Food Bank', 'Youth Club']], 2.0)
    >>> read_map(folder / "map.xls")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: map.xls: this is an old-style Excel file (.xls), which cannot be read. How to fix: open it and save it as .xlsx (Excel Workbook), then read that file.
    """
    p = Path(path)
    ext = p.suffix.lower()
    if ext in _OLD_FORMATS:
        raise _unknown_extension(p)
    if not p.exists():
        near = sorted(q.name for q in p.parent.glob("*")) if p.parent.is_dir() else []
        hint = (" (that folder has: " + ", ".join(near[:6]) + ("…" if len(near) > 6 else "") + ")") if near else ""
        raise MapError(f"there is no file or folder called '{p.name}'{hint}",
                       fix="check the name and the folder it is in", file=str(p))
    if p.is_dir():
        ext = ""
    elif ext not in FORMATS or ext == "":
        raise _unknown_extension(p)
    if sheet is not None and ext != ".xlsx":
        raise MapError("sheet= only applies to Excel (.xlsx) files", fix="leave sheet= out for this file",
                       file=p.name)
    if columns and ext not in (".xlsx", ".csv", ""):
        raise MapError("columns= only applies to spreadsheets (.xlsx, .csv or a folder of CSV files)",
                       fix="leave columns= out for this file", file=p.name)
    limits = current_limits() if limits is None else limits
    if ext and check_regular(p, limits) == 0:
        raise MapError("the file is empty", fix="check you picked the right file, or save it again", file=p.name)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            m, locations, soft = _reader(ext)(p, sheet=sheet, limits=limits,
                                              **({"columns": columns} if columns else {}))
    except MapError:
        raise
    except RecursionError:
        raise MapError("the file nests things inside each other too deeply to be read",
                       fix="export the map again from the program that made it, or save it as .xlsx",
                       file=p.name) from None
    except (OSError, UnicodeError) as exc:
        raise MapError(f"the file could not be read ({getattr(exc, 'strerror', None) or type(exc).__name__})",
                       fix="check the file is not open in another program and that you may read it",
                       file=p.name) from None
    m.metadata["source"] = str(p)
    if check:
        from cop_toolkit.core.validate import check_map

        m.warnings = list(soft) + library_warnings(caught, p) + thin_data_warnings(m, file=p.name) + \
            check_map(m, file=p.name, locations=locations)
    return m


def library_warnings(caught: Sequence[warnings.WarningMessage], path: Path) -> list[MapWarning]:
    """Python warnings raised while reading, as map warnings without file-system paths.

    Examples
    --------
    >>> import warnings
    >>> w = warnings.WarningMessage(UserWarning("odd style in /home/me/map.xlsx"), UserWarning, "x.py", 1)
    >>> library_warnings([w], Path("/home/me/map.xlsx"))[0].message
    'a library reading the file said: odd style in map.xlsx'
    """
    out: list[MapWarning] = []
    for w in caught:
        text = str(w.message).replace(str(path), path.name).replace(str(path.parent) + os.sep, "")
        text = _PATH.sub(lambda hit: Path(hit.group(0)).name, text)
        if text not in [o.extra.get("text") for o in out]:
            out.append(MapWarning("library_warning", f"a library reading the file said: {text}", file=path.name,
                                  extra={"text": text}))
    return out


def thin_data_warnings(m: NetworkMap, *, file: str) -> list[MapWarning]:
    """A plain warning when a map with elements has no connections at all.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["a"]}), pd.DataFrame(columns=["ID", "From", "To"]))
    >>> [w.kind for w in thin_data_warnings(m, file="map.xlsx")]
    ['no_ties']
    """
    if len(m.elements) and not len(m.connections):
        return [MapWarning("no_ties", f"no connections were read: the map has {len(m.elements):,} elements and no "
                           "ties between them, so nothing can be said about who is connected", file=file,
                           extra={"fix": "add a connections sheet (From, To), or a 'Works with' column naming "
                                  "each one's partners"})]
    return []


def write_map(m: NetworkMap | nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write a map; the format follows the extension (no extension = a folder).

    The file is written to a temporary file in the same folder first and
    moved into place only when complete. Returns the path to give
    :func:`read_map` to read the map back (for ``x.csv`` that is
    ``x-elements.csv``).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["007", "=1+1"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"]}), metadata={"name": "Tiny"})
    >>> out = write_map(m, pathlib.Path(tempfile.mkdtemp()) / "tiny.xlsx")
    >>> read_map(out).elements["Label"].tolist()
    ['007', '=1+1']
    """
    from cop_toolkit.core.validate import assert_valid

    m = as_map(m)
    p = Path(path)
    ext = p.suffix.lower()
    if p.is_dir():
        ext = ""
    if ext not in FORMATS:
        raise _unknown_extension(p)
    assert_valid(m, file=p.name)
    return Path(_writer(ext)(m, p))
