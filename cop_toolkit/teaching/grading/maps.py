"""Which map each submission is marked on: the notebook's parameters cell, the lecturer's maps and groups.

A coursework notebook names its map in its papermill ``parameters`` cell
(``map_path = "coursework-2019"``). The grader reads that value **without
running anything** (:func:`notebook_parameters`: plain assignments, read with
:func:`ast.literal_eval`), then checks it against the maps the lecturer gave
(:class:`GivenMaps`), failing closed:

* a bundled sample map, by its name (``coursework-2019``);
* a map file directly in the folder given by ``cop-grade --maps DIR``, by its
  file name only. A path (``../x.xlsx``, ``/etc/x``), a link, a folder or a file
  that is not in DIR is *not given*: the grader never opens it, and the
  submission gets the line :data:`NOT_GIVEN`;
* with ``cop-grade --groups groups.csv`` the lecturer fixes each student's map
  (columns ``student`` and ``map``); a notebook naming another map is run and
  marked on its group's map, and its feedback says so.

This module holds no key, so the sandbox runner may use it
(:func:`parameters_cell`, to give the notebook its map).
"""

from __future__ import annotations

import ast
import csv
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cop_toolkit.core.errors import MapError
from cop_toolkit.io import datasets

if TYPE_CHECKING:  # pragma: no cover
    from cop_toolkit.core.model import NetworkMap

__all__ = ["MAP_SUFFIXES", "NOT_GIVEN", "SAMPLE", "CourseworkMap", "GivenMaps", "MapChoice", "cell_source",
           "notebook_cells", "notebook_parameters", "parameters_cell"]

#: The bundled map the coursework is written for (its parameters cell names it as written).
DATASET = "coursework-2019"
#: The line a submission gets when its parameters cell names a map the lecturer did not give.
NOT_GIVEN = "this notebook names a map you were not given"
#: Map files a maps folder may hold (one file each; a folder of CSV files is not copied).
MAP_SUFFIXES = (".xlsx", ".csv", ".json", ".graphml", ".gexf")
MAX_NOTEBOOK = 20 * 2**20
#: Characters of a parameters cell that are read; a longer one is not a parameters cell.
MAX_PARAMETERS = 20_000
#: Names in the sandbox's folder that a map file may not take.
_RESERVED = ("home", "tmp", "submission.ipynb")


@dataclass(frozen=True)
class CourseworkMap:
    """A map a submission is marked on: its name as the notebook writes it, and the lecturer's file.

    ``file`` is None for a bundled sample; ``stamp`` (modification time and
    size) makes a changed file a different map for the grader's caches.

    Examples
    --------
    >>> SAMPLE.name, SAMPLE.file
    ('coursework-2019', None)
    >>> len(SAMPLE.load())
    97
    """

    name: str
    file: str | None = None
    stamp: tuple[int, int] | None = None

    def load(self) -> NetworkMap:
        """Read the map (in the grader's process)."""
        return datasets.open_map(self.file or self.name)


SAMPLE = CourseworkMap(DATASET)


@dataclass(frozen=True)
class MapChoice:
    """Which map one submission is run and marked on (``map=None``: not marked), and what to tell the student.

    Examples
    --------
    >>> MapChoice(SAMPLE, "coursework-2019").map.name
    'coursework-2019'
    """

    map: CourseworkMap | None
    named: Any = DATASET
    note: str = ""
    reason: str = ""


# ------------------------------------------------------------------ reading a notebook without running it
def notebook_cells(path: Path) -> list[dict[str, Any]]:
    """The cells of a notebook file as JSON dicts, or [] when it is too big or not a notebook.

    Examples
    --------
    >>> cells = notebook_cells(Path("no-such-notebook.ipynb"))
    >>> cells
    []
    """
    try:
        if path.stat().st_size > MAX_NOTEBOOK:
            return []
        nb = json.loads(path.read_bytes())
        return [c for c in nb.get("cells", []) if isinstance(c, dict)]
    except (OSError, ValueError, RecursionError, AttributeError, TypeError):
        return []


def cell_source(cell: dict[str, Any]) -> str:
    """A cell's source as one text (notebook files may store it as a list of lines).

    Examples
    --------
    >>> cell_source({"source": ["a = 1\\n", "b = 2"]})
    'a = 1\\nb = 2'
    """
    source = cell.get("source", "")
    return "".join(str(s) for s in source) if isinstance(source, list) else str(source)


def _assignments(source: str) -> dict[str, Any] | None:
    """The plain top-level assignments of a cell (``name = literal``), or None when it cannot be parsed."""
    if len(source) > MAX_PARAMETERS:
        return None
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found: dict[str, Any] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) and node.value is not None else []
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    found[target.id] = ast.literal_eval(node.value)
                except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                    found[target.id] = _NotPlain()
    return found


class _NotPlain:
    """A parameter whose value is code, not a plain value: never a map name."""

    def __repr__(self) -> str:
        return "code rather than a name in quotes"


def parameters_cell(cells: list[Any]) -> int | None:
    """The index of a notebook's parameters cell: tagged ``parameters``, else the first code cell setting ``map_path``.

    Examples
    --------
    >>> parameters_cell([{"cell_type": "code", "source": "x = 1"},
    ...                  {"cell_type": "code", "source": "map_path = 'a.xlsx'", "metadata": {}}])
    1
    """
    code = [(i, c) for i, c in enumerate(cells) if isinstance(c, dict) and c.get("cell_type") == "code"]
    for i, cell in code:
        meta = cell.get("metadata")
        tags = meta.get("tags") if isinstance(meta, dict) else None
        if isinstance(tags, list) and "parameters" in tags:
            return i
    for i, cell in code:
        found = _assignments(cell_source(cell))
        if found and "map_path" in found:
            return i
    return None


def notebook_parameters(path: Path) -> dict[str, Any]:
    """The parameters a notebook sets in its parameters cell, read statically (nothing is run).

    A value that is code rather than a plain literal is kept as a marker that
    names no map. No parameters cell gives ``{}``.

    Examples
    --------
    >>> import tempfile
    >>> nb = Path(tempfile.mkdtemp()) / "ama.ipynb"
    >>> cell = {"cell_type": "code", "metadata": {"tags": ["parameters"]},
    ...         "source": "map_path = 'group-a.xlsx'\\nseed = __import__('os').getpid()"}
    >>> _ = nb.write_text(json.dumps({"cells": [cell]}))
    >>> found = notebook_parameters(nb)
    >>> found["map_path"], found["seed"]
    ('group-a.xlsx', code rather than a name in quotes)
    """
    cells = notebook_cells(path)
    at = parameters_cell(cells)
    return {} if at is None else (_assignments(cell_source(cells[at])) or {})


# ------------------------------------------------------------------ the maps the lecturer gave
def _shown(name: Any) -> str:
    return repr(name[:60]) if isinstance(name, str) else repr(name)


class GivenMaps:
    """The maps submissions may name: bundled samples, files in ``folder``, and (optionally) one map per student.

    Parameters
    ----------
    folder : the lecturer's maps folder (``cop-grade --maps``), or None for samples only.
    groups : a CSV with columns ``student`` and ``map`` (``cop-grade --groups``); a
        student's name is the one in the marks table (or the notebook's file name).

    Examples
    --------
    >>> given = GivenMaps()
    >>> given.find("coursework-2019") == SAMPLE, given.find("../elements.csv")
    (True, None)
    """

    def __init__(self, folder: str | Path | None = None, groups: str | Path | None = None) -> None:
        self.folder = None if folder is None else Path(folder)
        if self.folder is not None and not self.folder.is_dir():
            raise MapError(f"the maps folder '{self.folder}' does not exist",
                           fix="give the folder that holds the groups' map files")
        self.groups = None if groups is None else self._read_groups(Path(groups))

    def find(self, name: Any) -> CourseworkMap | None:
        """The given map called ``name`` (a sample name, or a file name in the folder), or None.

        Nothing outside the folder is opened: a path, a link or a name that is
        not there gives None.
        """
        if not isinstance(name, str) or not name or len(name) > 255 or "\x00" in name:
            return None
        if name in datasets.names():
            return CourseworkMap(name) if _is_map(name) else None
        if self.folder is None or name != os.path.basename(name) or "\\" in name or name in (".", ".."):
            return None
        if name in _RESERVED or not name.lower().endswith(MAP_SUFFIXES):
            return None
        path = self.folder / name
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or path.resolve().parent != self.folder.resolve():
            return None
        return CourseworkMap(name, str(path.resolve()), (info.st_mtime_ns, info.st_size))

    def choose(self, student: str, notebook: Path) -> MapChoice:
        """Which map ``student``'s notebook is run and marked on, with a line for the feedback.

        A notebook with no parameters cell names the map the coursework is
        written for, :data:`SAMPLE`.

        Examples
        --------
        >>> GivenMaps().choose("ama", Path("no-parameters.ipynb")).map == SAMPLE
        True
        >>> GivenMaps(groups=None).find("/etc/passwd") is None
        True
        """
        named = notebook_parameters(notebook).get("map_path", DATASET)
        found = self.find(named)
        if self.groups is None:
            if found is None:
                return MapChoice(None, named, f"{NOT_GIVEN} ({_shown(named)} in its parameters cell); name "
                                               "the map your lecturer gave you, as written on it, in map_path",
                                 NOT_GIVEN)
            return MapChoice(found, named)
        assigned = self.groups.get(student) or self.groups.get(notebook.name)
        if assigned is None:
            return MapChoice(None, named, "your lecturer's groups file gives no map for you, so this notebook "
                                          "was not marked; ask your lecturer which map is yours",
                             "no map was given for you")
        if found == assigned:
            return MapChoice(assigned, named)
        why = f"{NOT_GIVEN} ({_shown(named)})" if found is None else f"this notebook names {_shown(named)}"
        return MapChoice(assigned, named, f"{why}, but your group was given '{assigned.name}', so it was run "
                                          f"and marked on '{assigned.name}'")

    def _read_groups(self, path: Path) -> dict[str, CourseworkMap]:
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
        except (OSError, UnicodeError) as exc:
            raise MapError(f"the groups file cannot be read ({getattr(exc, 'strerror', None) or type(exc).__name__})",
                           fix="give a CSV file with columns student and map", file=path.name) from None
        header = [h.strip().lower() for h in rows[0]] if rows else []
        if "student" not in header or "map" not in header:
            raise MapError("the groups file needs a 'student' and a 'map' column",
                           fix="write a header row 'student,map', then one row per student", file=path.name, row=1)
        who, which = header.index("student"), header.index("map")
        groups: dict[str, CourseworkMap] = {}
        for number, row in enumerate(rows[1:], start=2):
            if len(row) <= max(who, which) or not row[who].strip():
                continue
            student, name = row[who].strip(), row[which].strip()
            found = self.find(name)
            if found is None:
                where = f"the maps folder '{self.folder}'" if self.folder else "the bundled samples (no --maps folder)"
                raise MapError(f"the map '{name}' for {student} is not in {where}",
                               fix="put the map file in the maps folder and write its file name only", file=path.name,
                               row=number)
            if groups.get(student, found) != found:
                raise MapError(f"{student} is given two different maps", fix="keep one row per student",
                               file=path.name, row=number)
            groups[student] = found
        return groups


def _is_map(name: str) -> bool:
    """Is the bundled sample ``name`` a network map (not a survey table or the borough geography)?"""
    try:
        return (datasets.path(name) / "elements.csv").is_file()
    except MapError:
        return False
