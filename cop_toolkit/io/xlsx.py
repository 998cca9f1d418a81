"""Kumu-style Excel workbooks (``.xlsx``).

Reading
-------
* Any sheet whose header row has ``Label`` is an element sheet; any sheet
  with ``From``/``To`` (or ``Source``/``Target``) is a connection sheet. A
  sheet called ``Elements`` or ``Connections`` must have those columns.
* Several element sheets are allowed (e.g. ``Organisations`` and ``People``);
  a sheet without a ``Type`` column gives its elements a type from the sheet
  name (``People`` -> ``Person``, ``Organisations`` -> ``Organisation``).
* Sheets whose name contains ``(ignore)`` are skipped, and so are other
  sheets with neither kind of header (a warning says so).
* A ``Map`` sheet holds metadata as ``Key``/``Value`` rows (an optional
  ``Kind`` column says ``json`` for values that are lists or numbers).
* Other layouts people type (one row per organisation with a "works with"
  column, partner columns, a matrix, synonyms such as ``Organisation``) are
  understood too, see :mod:`cop_toolkit.io.layouts`; ``columns=`` overrides
  the guess.
* ``sheet=`` reads only the named sheet(s) (plus ``Map``); a sheet of
  connections alone makes its elements from the names.
* The header is the first non-empty row; row numbers in messages are the ones
  Excel shows.

Writing makes three sheets, ``Elements``, ``Connections`` and ``Map``, with
formula-looking text protected (see :mod:`cop_toolkit.io.common`).
Numbers are stored as Excel stores them, to about 15 significant digits.
The file is read and written with openpyxl directly (not through pandas) so
that blank rows keep Excel's row numbers and no cell is ever re-typed.
"""

from __future__ import annotations

import datetime as _dt
import io as _stdio
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.files import atomic_files
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import NUMERIC_COLUMNS
from cop_toolkit.io.common import (
    Table,
    assemble,
    check_storable,
    metadata_from_rows,
    metadata_rows,
    number_text,
    protect_formula,
    show,
)
from cop_toolkit.io.layouts import note_understood, sort_tables
from cop_toolkit.io.limits import (
    DEFAULT_LIMITS,
    ReadLimits,
    limit_error,
    read_file_bytes,
)

__all__ = ["read_xlsx", "write_xlsx", "type_from_sheet", "check_workbook"]

_META_SHEETS = {"map", "metadata"}
#: The first bytes of an OLE compound file: an old .xls, or a password-protected workbook.
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
#: What openpyxl raises for a damaged workbook (ParseError is a SyntaxError).
_DAMAGED = (KeyError, ValueError, TypeError, AttributeError, IndexError, zipfile.BadZipFile, zlib.error, EOFError,
            SyntaxError, OSError)


def type_from_sheet(name: str) -> str:
    """Element type implied by a sheet name.

    Examples
    --------
    >>> type_from_sheet("People"), type_from_sheet("Organisations"), type_from_sheet("CVS")
    ('Person', 'Organisation', 'CVS')
    """
    n = name.strip()
    if n.lower() in ("people", "persons", "person"):
        return "Person"
    if n.lower().endswith("s") and not n.lower().endswith("ss") and not n.isupper():
        return n[:-1]
    return n


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _too_many_cells(cells: int, file: str, sheet: str, limits: ReadLimits) -> MapError:
    return limit_error(f"the sheet has {cells:,} cells (rows × columns) or more", "max_cells", cells, limits,
                       file=file, sheet=sheet)


def _sheet_table(ws: Any, file: str, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[pd.DataFrame, int, list[int]] | None:
    declared = (ws.max_row or 0) * (ws.max_column or 0)  # from the sheet's own <dimension>, when it has one
    if declared > limits.max_cells:
        raise _too_many_cells(declared, file, ws.title, limits)
    rows = ws.iter_rows(values_only=True)
    header: list[Any] | None = None
    header_row = 0
    data: list[list[Any]] = []
    numbers: list[int] = []
    cells = 0
    for r, values in enumerate(rows, start=1):
        cells += len(values)
        if cells > limits.max_cells:
            raise _too_many_cells(cells, file, ws.title, limits)
        if header is None:
            if values and any(v is not None and str(v).strip() for v in values):
                header = list(values)
                header_row = r
            continue
        data.append([_cell(v) for v in values])
        numbers.append(r)
    if header is None:
        return None
    while header and (header[-1] is None or str(header[-1]).strip() == ""):
        header.pop()
    width = len(header)
    names = []
    for i, h in enumerate(header):
        names.append(f"Column {i + 1}" if h is None or str(h).strip() == "" else str(_cell(h)).strip())
    _refuse_duplicate_headers(names, file, ws.title, header_row)
    fixed = [(row + [None] * width)[:width] for row in data]
    # trailing rows that are completely blank are dropped (Excel often leaves formatting there)
    while fixed and all(v is None for v in fixed[-1]):
        fixed.pop()
        numbers.pop()
    df = pd.DataFrame(fixed, columns=names, dtype=object)
    return df, header_row, numbers


def _column_letter(n: int) -> str:
    """Excel's letters for column ``n`` (1 -> A, 28 -> AB)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _refuse_duplicate_headers(names: list[str], file: str, sheet: str, row: int) -> None:
    """One clear error for a header row naming a column twice (pandas would fail later)."""
    seen: dict[str, int] = {}
    for i, h in enumerate(names):
        if h in seen:
            first, second = (_column_letter(k + 1) for k in (seen[h], i))
            raise MapError(f"the header row names the column '{show(h)}' twice (columns {first} and {second})",
                           fix="give each column its own name, or merge the two columns into one",
                           file=file, sheet=sheet, row=row, column=h)
        seen[h] = i


def check_workbook(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """Refuse, before openpyxl opens it, a workbook that is encrypted, old-style or too big once unzipped.

    Returns the file's bytes (read once, so what is checked is what is read).

    The unzipped size is read from the zip's directory, so a zip bomb is
    refused without being unpacked (and a zip that lies about its sizes fails
    its checksum when read).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "locked.xlsx"
    >>> _ = p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptedPackage".encode("utf-16-le"))
    >>> check_workbook(p)
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: locked.xlsx: this Excel file is protected with a password, so it cannot be read. How to fix: remove the password in Excel (File › Info › Protect Workbook) and save again.
    """
    data = read_file_bytes(path, limits)
    name = path.name
    if data[:8] == _OLE:
        if b"EncryptedPackage" in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise MapError("this Excel file is protected with a password, so it cannot be read",
                           fix="remove the password in Excel (File › Info › Protect Workbook) and save again",
                           file=name)
        raise MapError("this is an old-style Excel file (.xls) with an .xlsx name",
                       fix="open it in Excel and save it as .xlsx (Excel Workbook), then read that file", file=name)
    try:
        with zipfile.ZipFile(_stdio.BytesIO(data)) as z:
            unzipped = sum(max(0, info.file_size) for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return data  # openpyxl gives its own "damaged" message
    if unzipped > limits.max_unzipped_mb * 1_000_000:
        mb = unzipped / 1_000_000
        raise limit_error(f"the workbook unzips to {mb:,.0f} MB", "max_unzipped_mb", mb, limits, file=name)
    return data


def read_xlsx(path: Path, *, sheet: str | Sequence[str] | None = None, columns: Mapping[str, str] | None = None,
              limits: ReadLimits = DEFAULT_LIMITS):
    """Read a Kumu-style workbook (see the module notes)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    data = check_workbook(path, limits)
    try:
        wb = openpyxl.load_workbook(_stdio.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_DAMAGED) as exc:
        raise MapError(
            f"the Excel file is damaged or is not really an Excel file ({type(exc).__name__})",
            fix="open it in Excel or LibreOffice and save it again as .xlsx",
            file=name,
        ) from None
    try:
        titles = list(wb.sheetnames)
        if sheet is not None:
            wanted = [sheet] if isinstance(sheet, str) else list(sheet)
            for w in wanted:
                if w not in titles:
                    lower = {t.lower().strip(): t for t in titles}
                    if str(w).lower().strip() in lower:
                        continue
                    raise MapError(
                        f"there is no sheet called '{show(w)}'; the sheets are "
                        + ", ".join(f"'{show(t, 60)}'" for t in titles),
                        fix="pass one of those names as sheet=",
                        file=name,
                    )
            lower = {t.lower().strip(): t for t in titles}
            chosen = [w if w in titles else lower[str(w).lower().strip()] for w in wanted]
        else:
            chosen = [t for t in titles if "(ignore)" not in t.lower()]
        meta: dict[str, Any] = {}
        raw: list[Table] = []
        for title in titles:
            is_meta = title.strip().lower() in _META_SHEETS
            if title not in chosen and not is_meta:
                continue
            try:
                if is_meta:
                    meta = _read_meta(wb[title])
                    continue
                got = _sheet_table(wb[title], name, limits)
            except MapError:
                raise
            except _DAMAGED as exc:
                raise MapError(
                    f"the sheet could not be read ({type(exc).__name__})",
                    fix="open the file in Excel or LibreOffice and save it again as .xlsx",
                    file=name,
                    sheet=show(title, 60),
                ) from None
            if got is not None:
                df, header_row, numbers = got
                raw.append(Table(df, name, show(title, 60), numbers, header_row, spreadsheet=True))
    finally:
        wb.close()
    element_tables, connection_tables, skipped, info, soft = sort_tables(
        raw, columns, titles=[str(t.sheet) for t in raw])
    for table in element_tables:
        title = str(table.sheet)
        type_cols = [c for c in table.df.columns if str(c).strip().lower() in ("type", "element type")]
        if not type_cols and title.strip().lower() not in ("elements", "element"):
            table.df.insert(min(2, len(table.df.columns)), "Type", type_from_sheet(title))
        elif type_cols and type_from_sheet(title) == "Person":
            # a blank Type on a People sheet is a person (so the privacy rules apply to them)
            col = type_cols[0]
            blank = table.df[col].isna() | table.df[col].astype(str).str.strip().eq("")
            table.df[col] = table.df[col].where(~blank, "Person")
    if not element_tables and not connection_tables:
        raise MapError(
            "no sheet has a 'Label' column (elements) or 'From' and 'To' columns (connections); the sheets are "
            + ", ".join(f"'{show(t, 60)}'" for t in titles),
            fix="name the first row of your elements sheet 'Label' and of your connections sheet 'From' and 'To'",
            file=name,
        )
    m, loc, more = assemble(element_tables, connection_tables, meta, create_missing=not element_tables)
    more += note_understood(m, info, file=name)
    for table in skipped:
        more.append(MapWarning("skipped_sheet", f"the sheet '{table.sheet}' has no 'Label' or 'From'/'To' columns, "
                               "so it was not read", file=name, sheet=table.sheet))
    return m, loc, soft + more


def _read_meta(ws: Any) -> dict[str, Any]:
    rows = [list(r) + [None, None, None] for r in ws.iter_rows(values_only=True)]
    rows = [r for r in rows if any(v is not None for v in r[:3])]
    if rows and str(rows[0][0] or "").strip().lower() == "key":
        rows = rows[1:]
    from cop_toolkit.io.common import unprotect_formula

    cleaned = []
    for r in rows:
        key, value, kind = (unprotect_formula(_cell(v)) for v in r[:3])
        cleaned.append((key, value, kind))
    return metadata_from_rows(cleaned)


def _row_values(df: pd.DataFrame) -> list[list[Any]]:
    cols = []
    for col in df.columns:
        s = df[col]
        if col in NUMERIC_COLUMNS:
            cols.append([None if pd.isna(v) else float(v) for v in s])
        else:
            cols.append([None if not isinstance(v, str) else protect_formula(v) for v in s.astype(object)])
    return [list(r) for r in zip(*cols)] if cols else []


#: The most rows an Excel sheet holds (one of them the header).
EXCEL_ROWS = 1_048_576


def _refuse_too_many_rows(m: NetworkMap, file: str) -> None:
    """A table longer than an Excel sheet is refused before writing (Excel would not open the file)."""
    for title, df in (("Elements", m.elements), ("Connections", m.connections)):
        if len(df) >= EXCEL_ROWS:
            raise MapError(f"the map has {len(df):,} {title.lower()}, more than the {EXCEL_ROWS - 1:,} rows an Excel "
                           "sheet holds", fix="save it as a folder of CSV files, JSON or GraphML instead",
                           file=file, sheet=title)


def write_xlsx(m: NetworkMap, path: Path) -> Path:
    """Write ``Elements``, ``Connections`` and ``Map`` sheets (atomically).

    A table with more rows than an Excel sheet holds (1,048,575 besides the header) is refused.
    """
    import openpyxl

    check_storable(m, path.name, "Excel")
    _refuse_too_many_rows(m, path.name)
    with atomic_files(path) as (tmp,):
        wb = openpyxl.Workbook(write_only=True)
        for title, df in (("Elements", m.elements), ("Connections", m.connections)):
            ws = wb.create_sheet(title)
            ws.append([protect_formula(str(c)) for c in df.columns])
            for row in _row_values(df):
                ws.append(row)
        ws = wb.create_sheet("Map")
        ws.append(["Key", "Value", "Kind"])
        for key, value, kind in metadata_rows(m.metadata):
            ws.append([protect_formula(key), protect_formula(value), kind])
        wb.save(tmp)
    return path
