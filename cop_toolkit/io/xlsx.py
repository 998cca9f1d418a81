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
import zipfile
from collections.abc import Sequence
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

__all__ = ["read_xlsx", "write_xlsx", "type_from_sheet"]

_META_SHEETS = {"map", "metadata"}


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


def _sheet_table(ws: Any, file: str) -> tuple[pd.DataFrame, int, list[int]] | None:
    rows = ws.iter_rows(values_only=True)
    header: list[Any] | None = None
    header_row = 0
    data: list[list[Any]] = []
    numbers: list[int] = []
    for r, values in enumerate(rows, start=1):
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
    fixed = [(row + [None] * width)[:width] for row in data]
    # trailing rows that are completely blank are dropped (Excel often leaves formatting there)
    while fixed and all(v is None for v in fixed[-1]):
        fixed.pop()
        numbers.pop()
    df = pd.DataFrame(fixed, columns=names, dtype=object)
    return df, header_row, numbers


def _role(df: pd.DataFrame, title: str) -> str | None:
    lower = {str(c).strip().lower() for c in df.columns}
    conn = {"from", "to"} <= lower or {"source", "target"} <= lower
    t = title.strip().lower()
    if t.startswith("connection") or t.startswith("edge") or conn:
        return "connections"
    if "label" in lower or t.startswith("element"):
        return "elements"
    return None


def read_xlsx(path: Path, *, sheet: str | Sequence[str] | None = None):
    """Read a Kumu-style workbook (see the module notes)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
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
                        + ", ".join(f"'{t}'" for t in titles),
                        fix="pass one of those names as sheet=",
                        file=name,
                    )
            lower = {t.lower().strip(): t for t in titles}
            chosen = [w if w in titles else lower[str(w).lower().strip()] for w in wanted]
        else:
            chosen = [t for t in titles if "(ignore)" not in t.lower()]
        element_tables: list[Table] = []
        connection_tables: list[Table] = []
        meta: dict[str, Any] = {}
        skipped: list[str] = []
        for title in titles:
            if title.strip().lower() in _META_SHEETS:
                meta = _read_meta(wb[title])
                continue
            if title not in chosen:
                continue
            try:
                got = _sheet_table(wb[title], name)
            except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
                raise MapError(
                    f"the sheet could not be read ({type(exc).__name__})",
                    fix="open the file in Excel or LibreOffice and save it again as .xlsx",
                    file=name,
                    sheet=title,
                ) from None
            if got is None:
                continue
            df, header_row, numbers = got
            role = _role(df, title)
            if role is None:
                skipped.append(title)
                continue
            table = Table(df, name, title, numbers, header_row, spreadsheet=True)
            if role == "elements":
                has_type = any(str(c).strip().lower() in ("type", "element type") for c in df.columns)
                if not has_type and title.strip().lower() not in ("elements", "element"):
                    df.insert(min(2, len(df.columns)), "Type", type_from_sheet(title))
                element_tables.append(table)
            else:
                connection_tables.append(table)
    finally:
        wb.close()
    if not element_tables and not connection_tables:
        raise MapError(
            "no sheet has a 'Label' column (elements) or 'From' and 'To' columns (connections); the sheets are "
            + ", ".join(f"'{t}'" for t in titles),
            fix="name the first row of your elements sheet 'Label' and of your connections sheet 'From' and 'To'",
            file=name,
        )
    m, loc, soft = assemble(element_tables, connection_tables, meta, create_missing=not element_tables)
    for title in skipped:
        soft.append(MapWarning("skipped_sheet", f"the sheet '{title}' has no 'Label' or 'From'/'To' columns, "
                               "so it was not read", file=name, sheet=title))
    return m, loc, soft


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


def write_xlsx(m: NetworkMap, path: Path) -> Path:
    """Write ``Elements``, ``Connections`` and ``Map`` sheets (atomically)."""
    import openpyxl

    check_storable(m, path.name, "Excel")
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
