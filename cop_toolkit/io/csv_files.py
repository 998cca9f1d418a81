"""CSV files: an elements/connections pair, a single edge list, or a folder.

File-naming rules
-----------------
* **A pair** is two files whose names differ only in the word ``elements`` /
  ``connections`` (or Gephi's ``nodes`` / ``edges``, or ``vertices`` /
  ``edgelist``), in any letter case:
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
  ``From``/``To`` (or ``Source``/``Target``, ``A``/``B``, ``Entity A``/``Entity B``),
  an optional ``Weight`` (read as ``Strength``), a Gephi ``Type`` of
  ``Directed``/``Undirected`` (read as ``Direction``) and any other columns
  (kept on the connections). A single CSV typed one row per organisation
  with a "works with" column, partner columns or a matrix is read too (see
  :mod:`cop_toolkit.io.layouts`). Its elements
  are made from the names, with the name as both ID and label.
* **A folder** holding one pair (plus an optional ``map.json``) is read as
  that map; writing to a path without an extension (or to an existing folder)
  writes ``elements.csv``, ``connections.csv`` and ``map.json`` into it.

Text is read as UTF-8 (with or without a byte-order mark), falling back to
Windows-1252 (what older Excel saves); a file mixing the two is read line by
line, each line (and each piece of a line) in its own encoding, with a
warning naming the rows. Files are written as UTF-8 with a
byte-order mark, which Excel opens correctly. Every cell is kept as text, so
``007`` stays ``007``.
"""

from __future__ import annotations

import csv
import io as _stdio
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
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
from cop_toolkit.io.layouts import note_understood, sort_tables
from cop_toolkit.io.limits import (
    DEFAULT_LIMITS,
    ReadLimits,
    limit_error,
    parse_json,
    read_file_bytes,
)

__all__ = ["read_text", "decode_text", "read_csv_table", "read_csv", "read_folder", "write_csv", "write_folder", "pair_paths"]

#: Word pairs that mark the two halves of a CSV pair.
PAIR_WORDS = (("elements", "connections"), ("nodes", "edges"), ("vertices", "edgelist"))


def read_text(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[str, list[MapWarning]]:
    """Read a text file as UTF-8 (BOM or not), else Windows-1252; clear error otherwise.

    A file that mixes the two (some rows pasted from an old program) is read
    line by line, each piece in the encoding it is in, with a warning naming
    the rows. Pipes, devices and files over the size limit are refused
    (see :mod:`cop_toolkit.io.limits`).
    """
    return decode_text(read_file_bytes(path, limits), path.name)


def decode_text(data: bytes, name: str) -> tuple[str, list[MapWarning]]:
    """Text of a file's bytes (see :func:`read_text`), and a warning if it mixes encodings.

    Examples
    --------
    >>> text, warnings = decode_text("Label\\nCafé\\n".encode("utf-8") + "Crème\\n".encode("cp1252"), "m.csv")
    >>> text.split("\\n")[1:3], warnings[0].row
    (['Café', 'Crème'], 3)
    """
    if not data.strip():
        raise MapError("the file is empty", fix="check you picked the right file, or save it again", file=name)
    if data[:4] == b"PK\x03\x04":
        raise MapError(
            "this is an Excel workbook with a .csv name",
            fix="rename it to end in .xlsx, or open it in Excel and 'Save As' CSV",
            file=name,
        )
    text, warnings = None, []
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, warnings = _decode_mixed(data, name)
    if "\x00" in text:
        raise MapError(
            "this does not look like a text (CSV) file",
            fix="open it in a spreadsheet program and save it as 'CSV UTF-8'",
            file=name,
        )
    return text, warnings


def _cp1252(data: bytes, name: str, line: int) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise MapError(
            f"the text could not be read: byte 0x{data[exc.start]:02X} is not a letter in UTF-8 "
            "or in Windows (Excel) text",
            fix="open the file in Excel or LibreOffice and save it as 'CSV UTF-8'",
            file=name,
            row=line + data[: exc.start].count(b"\n"),
        ) from None


#: Lines longer than this are not decoded piece by piece (that would be slow), but as Windows text.
_PIECEWISE_LINE = 100_000


def _decode_line(line: bytes, name: str, number: int) -> str:
    """One line that is not all UTF-8: its UTF-8 pieces as UTF-8, the rest as Windows-1252."""
    if len(line) > _PIECEWISE_LINE:
        return _cp1252(line, name, number)
    out, pos = [], 0
    while pos < len(line):
        try:
            out.append(line[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            out.append(line[pos: pos + exc.start].decode("utf-8"))
            out.append(_cp1252(line[pos + exc.start: pos + exc.end], name, number))
            pos += exc.end
    return "".join(out)


def _decode_mixed(data: bytes, name: str) -> tuple[str, list[MapWarning]]:
    """Windows-1252 text, or a file mixing UTF-8 and Windows-1252 lines (read per line, with a warning)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    utf8_rows = [n for n, line in enumerate(lines, start=1) if not line.isascii() and _is_utf8(line)]
    if not utf8_rows:
        return _cp1252(data, name, 1), []
    windows_rows = []
    out = []
    for n, line in enumerate(lines, start=1):
        if line.isascii() or _is_utf8(line):
            out.append(line.decode("utf-8"))
        else:
            windows_rows.append(n)
            out.append(_decode_line(line, name, n))
    rows = ", ".join(str(r) for r in windows_rows[:5]) + (" …" if len(windows_rows) > 5 else "")
    warning = MapWarning(
        "mixed_encoding",
        f"the file mixes two text encodings: {len(windows_rows):,} lines (row {rows}) are in Windows (Excel) "
        f"text and {len(utf8_rows):,} in UTF-8; each was read in its own, so check the accented letters on "
        "those rows",
        file=name, row=windows_rows[0],
        extra={"rows": windows_rows, "fix": "open the file in Excel or LibreOffice and save it as 'CSV UTF-8'"},
    )
    return "\n".join(out), [warning]


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _separator(text: str) -> str:
    first = text.split("\n", 1)[0]
    if first.count(",") == 0 and first.count(";") > 0:
        return ";"
    if first.count(",") == 0 and first.count("\t") > 0:
        return "\t"
    return ","


def _check_header(text: str, sep: str, name: str, limits: ReadLimits) -> None:
    """Refuse a header naming one column twice, and a table of more cells than the limit."""
    line = text[: text.find("\n") + 1 or len(text)]
    try:
        first = next(csv.reader(_stdio.StringIO(line, newline=""), delimiter=sep), [])
    except csv.Error:  # pandas says what is wrong with it
        first = line.split(sep)
    seen: dict[str, int] = {}
    for i, header in enumerate(first, start=1):
        h = header.strip()
        if h and h in seen:
            raise MapError(f"the header row names the column '{show(h)}' twice (columns {seen[h]} and {i})",
                           fix="give each column its own name, or merge the two columns into one",
                           file=name, row=1, column=h)
        seen.setdefault(h, i)
    cells = (text.count("\n") + 1) * max(1, len(first))
    if cells > limits.max_cells:
        raise limit_error(f"the file has about {cells:,} cells (rows × columns)", "max_cells", cells, limits,
                          file=name)


def read_csv_table(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[pd.DataFrame, list[MapWarning]]:
    """Read one CSV file as text cells (blank lines kept so row numbers stay right), and its warnings."""
    text, warnings = read_text(path, limits)
    sep = _separator(text)
    _check_header(text, sep, path.name, limits)
    try:
        df = pd.read_csv(
            _stdio.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            sep=sep,
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
    return df, warnings


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


def _read_metadata(path: Path, limits: ReadLimits) -> tuple[dict[str, Any], list[MapWarning]]:
    if not path.exists():
        return {}, []
    text, warnings = read_text(path, limits)
    try:
        data = parse_json(text, limits, file=path.name)
    except ValueError as exc:
        if isinstance(exc, MapError):
            raise
        raise MapError(f"the metadata file is damaged ({show(exc, 60)})",
                       fix="fix the JSON (check commas and quote marks) or delete the file", file=path.name) from None
    if not isinstance(data, dict):
        raise MapError("the metadata file should hold one {...} record of map facts",
                       fix="write it like {\"name\": \"My map\"}", file=path.name)
    return data, warnings


def _read_pair(elements: Path, connections: Path, meta: Path, columns: Mapping[str, str] | None = None,
               limits: ReadLimits = DEFAULT_LIMITS):
    for p, role in ((elements, "elements"), (connections, "connections")):
        if not p.exists():
            raise MapError(
                f"the {role} file that goes with it is missing (looked for '{p.name}')",
                fix=f"put '{p.name}' in the same folder, or read a single edge-list CSV instead",
                file=(connections if role == "elements" else elements).name,
            )
    e, e_soft = read_csv_table(elements, limits)
    c, c_soft = read_csv_table(connections, limits)
    metadata, m_soft = _read_metadata(meta, limits)
    els, cons, _, info, soft = sort_tables(
        [Table(e, elements.name, spreadsheet=True), Table(c, connections.name, spreadsheet=True)],
        columns, titles=["elements", "connections"])
    m, loc, more = assemble(els, cons, metadata)
    return m, loc, e_soft + c_soft + m_soft + soft + more + note_understood(m, info, file=elements.name)


def read_csv(path: Path, *, sheet: Any = None, columns: Mapping[str, str] | None = None,
             limits: ReadLimits = DEFAULT_LIMITS):
    """Read a CSV pair (given either half), an edge list, or a sheet typed by hand (see :mod:`.layouts`)."""
    pair = pair_paths(path)
    if pair is not None and not (path == pair[1] and not pair[0].exists()):
        return _read_pair(*pair, columns=columns, limits=limits)
    # a connections file on its own (e.g. 'edges.csv') is read as an edge list
    df, text_soft = read_csv_table(path, limits)
    if not len(df):
        raise MapError("the map is empty: the file has column headings but no rows",
                       fix="add one row per organisation (or per connection) below the headings, "
                       "or check you picked the right file", file=path.name)
    els, cons, _, info, soft = sort_tables([Table(df, path.name, spreadsheet=True)], columns)
    if not cons:
        if els:
            raise MapError(
                "this looks like a list of elements, but its connections file was not found",
                fix="name the two files like 'mymap-elements.csv' and 'mymap-connections.csv' "
                "and keep them in the same folder, or add a 'Works with' column naming each one's partners",
                file=path.name,
            )
        raise MapError(
            "this CSV has no 'From' and 'To' columns (or 'Source' and 'Target')",
            fix="head the two columns naming each connection's ends 'From' and 'To', or save "
            "elements and connections as 'name-elements.csv' and 'name-connections.csv'",
            file=path.name,
            row=1,
        )
    m, loc, more = assemble(els, cons, {}, create_missing=not els)
    return m, loc, text_soft + soft + more + note_understood(m, info, file=path.name)


def read_folder(path: Path, *, sheet: Any = None, columns: Mapping[str, str] | None = None,
                limits: ReadLimits = DEFAULT_LIMITS):
    """Read a folder holding one CSV pair and an optional ``map.json``.

    Every file read from it must be an ordinary file (not a pipe or a device) within the limits.
    """
    csvs = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and not p.name.startswith("."))
    plain = [(path / "elements.csv", path / "connections.csv", path / "map.json")]
    if plain[0][0].exists() or plain[0][1].exists():
        return _read_pair(*plain[0], columns=columns, limits=limits)
    pairs = []
    for p in csvs:
        pp = pair_paths(p)
        if pp and pp[0] == p:
            pairs.append(pp)
    if len(pairs) == 1:
        el, co, meta = pairs[0]
        if not meta.exists() and (path / "map.json").exists():
            meta = path / "map.json"
        return _read_pair(el, co, meta, columns=columns, limits=limits)
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
    return (json.dumps(jsonable(m.metadata), ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


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
