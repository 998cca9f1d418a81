"""CSV files: an elements/connections pair, a single edge list, or a folder.

File-naming rules
-----------------
* **A pair** is two files whose names differ only in the word ``elements`` /
  ``connections`` (or Gephi's ``nodes`` / ``edges``), in any letter case:
  ``owa-elements.csv`` + ``owa-connections.csv``, or ``elements.csv`` +
  ``connections.csv``. Reading either half finds the other next to it. The
  map's metadata, when there is any, sits beside them in a JSON file named the
  same way with ``map``: ``owa-map.json`` (``map.json`` for a plain pair).
* **Writing** ``x.csv`` writes ``x-elements.csv``, ``x-connections.csv`` and
  ``x-map.json``; writing ``x-elements.csv`` (or ``x-connections.csv``) writes
  that pair. The elements file's path is returned, so ``read_map`` of the
  returned path reads the map back.
* **A single CSV** whose name has neither word (or a connections half whose
  elements file is not there) is an edge list: columns
  ``From``/``To`` (or ``Source``/``Target``), an optional ``Weight`` (read as
  ``Strength``) and any other columns (kept on the connections). Its elements
  are made from the names, with the name as both ID and label.
* **A folder** holding one pair (plus an optional ``map.json``) is read as
  that map; writing to a path without an extension (or to an existing folder)
  writes ``elements.csv``, ``connections.csv`` and ``map.json`` into it.

Text is read as UTF-8 (with or without a byte-order mark), falling back to
Windows-1252 (what older Excel saves); files are written as UTF-8 with a
byte-order mark, which Excel opens correctly. Every cell is kept as text, so
``007`` stays ``007``.
"""

from __future__ import annotations

import io as _stdio
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_files
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io.common import (
    Table,
    assemble,
    cell_text,
    jsonable,
    protect_formula,
    show,
)

__all__ = ["read_text", "read_csv_table", "read_csv", "read_folder", "write_csv", "write_folder", "pair_paths"]

#: Word pairs that mark the two halves of a CSV pair.
PAIR_WORDS = (("elements", "connections"), ("nodes", "edges"))


def read_text(path: Path) -> str:
    """Read a text file as UTF-8 (BOM or not), else Windows-1252; clear error otherwise."""
    data = path.read_bytes()
    name = path.name
    if not data.strip():
        raise MapError("the file is empty", fix="check you picked the right file, or save it again", file=name)
    if data[:4] == b"PK\x03\x04":
        raise MapError(
            "this is an Excel workbook with a .csv name",
            fix="rename it to end in .xlsx, or open it in Excel and 'Save As' CSV",
            file=name,
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise MapError(
                f"the text could not be read: byte 0x{data[exc.start]:02X} is not a letter in UTF-8 "
                "or in Windows (Excel) text",
                fix="open the file in Excel or LibreOffice and save it as 'CSV UTF-8'",
                file=name,
                row=line,
            ) from None
    if "\x00" in text:
        raise MapError(
            "this does not look like a text (CSV) file",
            fix="open it in a spreadsheet program and save it as 'CSV UTF-8'",
            file=name,
        )
    return text


def _separator(text: str) -> str:
    first = text.split("\n", 1)[0]
    if first.count(",") == 0 and first.count(";") > 0:
        return ";"
    if first.count(",") == 0 and first.count("\t") > 0:
        return "\t"
    return ","


def read_csv_table(path: Path) -> pd.DataFrame:
    """Read one CSV file as text cells (blank lines kept so row numbers stay right)."""
    text = read_text(path)
    try:
        df = pd.read_csv(
            _stdio.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            sep=_separator(text),
        )
    except pd.errors.EmptyDataError:
        raise MapError("the file is empty", fix="check you picked the right file", file=path.name) from None
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise MapError(
            "the CSV is damaged: a line has more cells than the header" if "Expected" in str(exc)
            else "the CSV is damaged (an unclosed quote mark?)",
            fix="open it in a spreadsheet program, check that row and the quote marks, and save it again",
            file=path.name,
            row=int(found.group(1)) if found else None,
        ) from None
    if not len(df.columns) or all(str(c).startswith("Unnamed:") for c in df.columns):
        raise MapError("the file has no header row", fix="put the column names (such as 'Label') in row 1",
                       file=path.name, row=1)
    return df


def pair_paths(path: Path) -> tuple[Path, Path, Path] | None:
    """Return (elements, connections, metadata) paths if ``path`` names half of a pair.

    Examples
    --------
    >>> [p.name for p in pair_paths(Path("owa-Elements.csv"))]
    ['owa-Elements.csv', 'owa-Connections.csv', 'owa-Map.json']
    >>> pair_paths(Path("links.csv")) is None
    True
    """
    name = path.name
    for first, second in PAIR_WORDS:
        for word, other in ((first, second), (second, first)):
            hits = list(re.finditer(word, name, flags=re.IGNORECASE))
            if not hits:
                continue
            hit = hits[-1]
            found = hit.group(0)

            def same_case(w: str, found: str = found) -> str:
                if found.isupper():
                    return w.upper()
                if found[0].isupper():
                    return w.capitalize()
                return w

            def swap(w: str, suffix: str | None = None) -> Path:
                new = name[: hit.start()] + same_case(w) + name[hit.end():]
                p = path.with_name(new)
                return p.with_suffix(suffix) if suffix else p

            elements = path if word == first else swap(first)
            connections = path if word == second else swap(second)
            return elements, connections, swap("map", ".json")
    return None


def _read_metadata(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(read_text(path))
    except ValueError as exc:
        raise MapError(f"the metadata file is damaged ({show(exc, 60)})",
                       fix="fix the JSON (check commas and quote marks) or delete the file", file=path.name) from None
    if not isinstance(data, dict):
        raise MapError("the metadata file should hold one {...} record of map facts",
                       fix="write it like {\"name\": \"My map\"}", file=path.name)
    return data


def _read_pair(elements: Path, connections: Path, meta: Path):
    for p, role in ((elements, "elements"), (connections, "connections")):
        if not p.exists():
            raise MapError(
                f"the {role} file that goes with it is missing (looked for '{p.name}')",
                fix=f"put '{p.name}' in the same folder, or read a single edge-list CSV instead",
                file=(connections if role == "elements" else elements).name,
            )
    e = read_csv_table(elements)
    c = read_csv_table(connections)
    return assemble(
        [Table(e, elements.name, spreadsheet=True)],
        [Table(c, connections.name, spreadsheet=True)],
        _read_metadata(meta),
    )


def read_csv(path: Path, *, sheet: Any = None):
    """Read a CSV pair (given either half) or a single edge-list CSV."""
    pair = pair_paths(path)
    if pair is not None and not (path == pair[1] and not pair[0].exists()):
        return _read_pair(*pair)
    # a connections file on its own (e.g. 'edges.csv') is read as an edge list
    df = read_csv_table(path)
    t = Table(df, path.name, spreadsheet=True)
    lower = {str(c).strip().lower() for c in df.columns}
    if not ({"from", "to"} <= lower or {"source", "target"} <= lower):
        if "label" in lower:
            raise MapError(
                "this looks like a list of elements, but its connections file was not found",
                fix="name the two files like 'mymap-elements.csv' and 'mymap-connections.csv' "
                "and keep them in the same folder",
                file=path.name,
            )
        raise MapError(
            "this CSV has no 'From' and 'To' columns (or 'Source' and 'Target')",
            fix="head the two columns naming each connection's ends 'From' and 'To', or save "
            "elements and connections as 'name-elements.csv' and 'name-connections.csv'",
            file=path.name,
            row=1,
        )
    return assemble([], [t], {}, create_missing=True)


def read_folder(path: Path, *, sheet: Any = None):
    """Read a folder holding one CSV pair and an optional ``map.json``."""
    csvs = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and not p.name.startswith("."))
    plain = [(path / "elements.csv", path / "connections.csv", path / "map.json")]
    if plain[0][0].exists() or plain[0][1].exists():
        return _read_pair(*plain[0])
    pairs = []
    for p in csvs:
        pp = pair_paths(p)
        if pp and pp[0] == p:
            pairs.append(pp)
    if len(pairs) == 1:
        el, co, meta = pairs[0]
        if not meta.exists() and (path / "map.json").exists():
            meta = path / "map.json"
        return _read_pair(el, co, meta)
    if not pairs:
        listed = ", ".join(p.name for p in csvs[:8]) or "no CSV files"
        raise MapError(
            f"this folder has no elements/connections pair of CSV files (it has {listed})",
            fix="put 'elements.csv' and 'connections.csv' in the folder, or read one file directly",
            file=path.name,
        )
    raise MapError(
        "this folder holds several maps (" + ", ".join(p[0].name for p in pairs) + ")",
        fix="read one of the elements files directly, e.g. read_map('" + str(pairs[0][0]) + "')",
        file=path.name,
    )


# ------------------------------------------------------------------ writing
def _csv_bytes(df: pd.DataFrame) -> bytes:
    out = cell_text(df, protect=True)
    out.columns = [protect_formula(str(c)) for c in out.columns]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _meta_bytes(m: NetworkMap) -> bytes:
    return (json.dumps(jsonable(m.metadata), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_pair(m: NetworkMap, elements: Path, connections: Path, meta: Path) -> None:
    """Write the three files of a pair atomically (all or nothing)."""
    payloads = [_csv_bytes(m.elements), _csv_bytes(m.connections), _meta_bytes(m)]
    with atomic_files(elements, connections, meta) as temps:
        for tmp, data in zip(temps, payloads):
            tmp.write_bytes(data)


def write_csv(m: NetworkMap, path: Path) -> Path:
    """Write ``x.csv`` as ``x-elements.csv`` + ``x-connections.csv`` + ``x-map.json``."""
    pair = pair_paths(path)
    if pair is None:
        stem = path.with_suffix("")
        pair = (
            stem.with_name(stem.name + "-elements.csv"),
            stem.with_name(stem.name + "-connections.csv"),
            stem.with_name(stem.name + "-map.json"),
        )
    write_pair(m, *pair)
    return pair[0]


def write_folder(m: NetworkMap, path: Path) -> Path:
    """Write ``elements.csv``, ``connections.csv`` and ``map.json`` into a folder."""
    path.mkdir(parents=True, exist_ok=True)
    write_pair(m, path / "elements.csv", path / "connections.csv", path / "map.json")
    return path
