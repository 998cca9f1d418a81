"""Shared machinery for reading and writing map files.

Every reader turns its file into :class:`Table` objects (raw text cells plus
the spreadsheet row number of each line) and hands them to :func:`assemble`,
which applies the same hard checks to every format and builds the
:class:`~cop_toolkit.core.model.NetworkMap`. Every writer goes through
:func:`cop_toolkit.core.files.atomic_files`, so a crash never leaves a half-written file behind.

Spreadsheet safety (``.xlsx`` and ``.csv``)
-------------------------------------------
A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return could be run as a formula by a spreadsheet program ("formula
injection"). On writing, such a cell -- and a cell that already starts with
quotes followed by one of those characters -- gets one protective single quote
``'`` in front. On reading, exactly one quote is taken off a cell that starts
with quotes followed by one of those characters. The two rules undo each
other, so a round trip is lossless, and a hand-made cell such as ``'Twas`` is
left alone. Numbers in number columns (``Strength`` -3) are written as numbers
and never get a quote.

Line breaks
-----------
Spreadsheets and XML turn a carriage return into a line break, so every reader
stores line breaks inside cells as ``\\n`` (``\\r\\n`` and ``\\r`` become ``\\n``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.model import NetworkMap, blank_text
from cop_toolkit.core.schema import (
    CONNECTION_COLUMNS,
    DIRECTIONS,
    NUMERIC_COLUMNS,
)
from cop_toolkit.core.text import SEP, SUGGEST_CUTOFF, close_matches, normalise_name

#: Characters that make a spreadsheet treat a text cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_HAS_QUOTE = re.compile(r"^'+[=+\-@\t\r]")

#: Header spellings (lower case) accepted for the standard columns, per table.
_COMMON_ALIASES = {c.lower(): c for c in NUMERIC_COLUMNS + ["ID", "Label", "Type", "Description", "Tags"]}
HEADER_ALIASES: dict[str, dict[str, str]] = {
    "elements": {
        **_COMMON_ALIASES,
        "element type": "Type",
        "last verified": "Last Verified",
        "borough": "Borough",
        "level": "Level",
        "id": "ID",
    },
    "connections": {
        **_COMMON_ALIASES,
        **{c.lower(): c for c in CONNECTION_COLUMNS},
        "source": "From",
        "target": "To",
        "weight": "Strength",
        "connection type": "Type",
    },
}

#: Characters XML (and so xlsx, GraphML, GEXF) cannot hold at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------- small text helpers
def show(value: Any, limit: int = 40) -> str:
    """Return ``value`` as short one-line text for a message.

    Examples
    --------
    >>> show("Food\\nBank")
    'Food Bank'
    >>> show("x" * 50)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
    """
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def protect_formula(value: Any) -> Any:
    """Put a protective ``'`` in front of text a spreadsheet could run as a formula.

    Examples
    --------
    >>> protect_formula("=SUM(A1:A9)"), protect_formula("-3"), protect_formula("'Twas")
    ("'=SUM(A1:A9)", "'-3", "'Twas")
    >>> protect_formula(-3)
    -3
    """
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return "'" + value
    return value


def unprotect_formula(value: Any) -> Any:
    """Take off the one protective ``'`` that :func:`protect_formula` added.

    Examples
    --------
    >>> unprotect_formula("'=SUM(A1:A9)"), unprotect_formula("'Twas")
    ('=SUM(A1:A9)', "'Twas")
    """
    if isinstance(value, str) and _HAS_QUOTE.match(value):
        return value[1:]
    return value


def protect_series(s: pd.Series) -> pd.Series:
    """Vectorised :func:`protect_formula` for a text column."""
    text = s.astype(object)
    mask = text_cells(text)
    if not mask.any():
        return text
    hit = mask & text.where(mask, "").astype(str).str.match(_NEEDS_QUOTE.pattern)
    if hit.any():
        text = text.copy()
        text[hit] = "'" + text[hit].astype(str)
    return text


def text_cells(s: pd.Series) -> pd.Series:
    """Which cells of a column hold text (``str``): a boolean Series, quick when every cell does.

    Examples
    --------
    >>> text_cells(pd.Series(["a", None, 3, "b"], dtype=object)).tolist()
    [True, False, False, True]
    """
    if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):  # text and blanks only
        return s.notna().astype(bool)
    return s.map(lambda v: isinstance(v, str)).astype(bool)


def unprotect_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Vectorised :func:`unprotect_formula` for every text cell (and header)."""
    df = df.rename(columns=lambda c: unprotect_formula(c) if isinstance(c, str) else c)
    for col in df.columns:
        s = df[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        strs = s.astype(object)
        if s.dtype != object:
            is_str = s.notna()
        else:
            is_str = text_cells(strs)
        if not is_str.any():
            continue
        text = strs.where(is_str, "").astype(str)
        first = text.str.slice(0, 1).eq("'")
        if not first.any():
            continue
        hit = is_str & first & text.str.match(_HAS_QUOTE.pattern)
        if hit.any():
            strs = strs.copy()
            strs[hit] = text[hit].str.slice(1)
            df[col] = strs
    return df


def normalise_newlines(df: pd.DataFrame) -> pd.DataFrame:
    """Store line breaks inside cells as ``\\n`` (see the module notes)."""
    for col in df.columns:
        s = df[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        strs = s.astype(object)
        is_str = s.notna() if s.dtype != object else text_cells(strs)
        values = strs.to_numpy()
        hit = is_str.to_numpy().copy()
        hit[hit] = np.fromiter(("\r" in v for v in values[hit]), dtype=bool, count=int(hit.sum()))
        if hit.any():
            text = strs.where(is_str, "").astype(str)
            strs = strs.copy()
            strs[hit] = text[hit].str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
            df[col] = strs
    return df


def number_text(value: Any) -> str:
    """Write a number the short way that reads back exactly (3.0 -> '3').

    Examples
    --------
    >>> number_text(3.0), number_text(0.1), number_text(-2)
    ('3', '0.1', '-2')
    """
    f = float(value)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def cell_text(df: pd.DataFrame, *, protect: bool) -> pd.DataFrame:
    """Return a copy of a map table as text ready for CSV (blank for missing)."""
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s = df[col]
        if col in NUMERIC_COLUMNS:
            out[col] = [("" if (v is None or (isinstance(v, float) and math.isnan(v))) else number_text(v)) for v in s]
        else:
            text = s.astype(object).where(s.notna(), "")
            out[col] = protect_series(text) if protect else text
    return out


def check_storable(m: NetworkMap, target: str, fmt: str) -> None:
    """Refuse text with control characters that XML-based formats cannot hold."""
    for table_name, df in (("elements", m.elements), ("connections", m.connections)):
        for col in df.columns:
            if _XML_ILLEGAL.search(str(col)):
                raise MapError(
                    f"the {table_name} column {show(col)!r} has an invisible control character in its name",
                    fix=f"rename the column before saving as {fmt}",
                    file=target,
                )
            s = df[col]
            if col in NUMERIC_COLUMNS:
                continue
            text = s.dropna().astype(str)
            bad = text.str.contains(_XML_ILLEGAL.pattern, regex=True)
            if bad.any():
                idx = bad.idxmax()
                who = df.loc[idx, "ID"]
                raise MapError(
                    f"the {table_name[:-1]} {show(who)!r} has an invisible control character in "
                    f"column {show(col)!r}, which a {fmt} file cannot hold",
                    fix="delete the odd character (often pasted from another program) and save again",
                    file=target,
                )


# --------------------------------------------------------------- tables read from files
@dataclass
class Table:
    """One table read from a file: raw cells plus where each line came from.

    ``df`` holds text (or numbers) with ``NaN`` for blank cells; ``rows`` the
    row number a spreadsheet shows for each line (the header is row 1).
    """

    df: pd.DataFrame
    file: str
    sheet: str | None = None
    rows: np.ndarray | None = None
    header_row: int = 1
    spreadsheet: bool = False

    def __post_init__(self) -> None:
        if self.rows is None:
            self.rows = np.arange(len(self.df)) + self.header_row + 1
        self.rows = np.asarray(self.rows)

    def where(self, row: int | None = None, column: str | None = None) -> dict[str, Any]:
        """Keyword arguments for :class:`MapError` describing a place in this table."""
        return {"file": self.file, "sheet": self.sheet, "row": row, "column": column}


def canonical_headers(df: pd.DataFrame, *, table: str) -> pd.DataFrame:
    """Give standard columns their standard spelling (``label`` -> ``Label``).

    A header is only renamed when the standard name is not already there.
    """
    names = [str(c).strip() for c in df.columns]
    aliases = HEADER_ALIASES[table]
    present = set(names)
    new: list[str] = []
    for name in names:
        canon = aliases.get(name.lower())
        if canon and canon != name and canon not in present and canon not in new:
            new.append(canon)
        else:
            new.append(name)
    df = df.copy()
    df.columns = new
    return df


def blank_to_nan(df: pd.DataFrame) -> pd.DataFrame:
    """Turn empty and whitespace-only text cells into ``NaN`` (vectorised)."""
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            obj = s.astype(object)
            values = obj.to_numpy()
            blank = pd.isna(values)
            is_str = text_cells(obj).to_numpy() if s.dtype == object else ~blank
            blank[is_str] = blank_text(values[is_str])
            if blank.any():
                obj = obj.mask(blank)
            df[col] = obj
    return df


def _locate(tables: Sequence[Table]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    files = np.concatenate([np.full(len(t.df), t.file, dtype=object) for t in tables]) if tables else np.array([], dtype=object)
    sheets = np.concatenate([np.full(len(t.df), t.sheet, dtype=object) for t in tables]) if tables else np.array([], dtype=object)
    rows = np.concatenate([t.rows for t in tables]) if tables else np.array([], dtype=int)
    return files, sheets, rows


def _where(files: np.ndarray, sheets: np.ndarray, rows: np.ndarray, i: int, column: str | None = None) -> dict[str, Any]:
    return {"file": files[i], "sheet": sheets[i], "row": int(rows[i]), "column": column}


def _place(files: np.ndarray, sheets: np.ndarray, rows: np.ndarray, i: int) -> str:
    return f"row {int(rows[i])}" + (f" of sheet '{sheets[i]}'" if sheets[i] else "")


# --------------------------------------------------------------- assembling a map
@dataclass
class Locations:
    """Where each element and connection of a map came from (for warnings)."""

    elements: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["file", "sheet", "row"]))
    connections: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["file", "sheet", "row"]))


_NAN = float("nan")


def _clean_cell(v: Any, unprotect: bool) -> Any:
    if v is None:
        return _NAN
    if isinstance(v, str):
        if unprotect and v[:1] == "'" and _HAS_QUOTE.match(v):
            v = v[1:]
        if not v.strip():
            return _NAN
        if "\r" in v:
            v = v.replace("\r\n", "\n").replace("\r", "\n")
        return v
    return v


#: Tables longer than this are cleaned with vectorised pandas code; shorter
#: ones cell by cell, which is quicker for small tables.
VECTOR_ROWS = 5000


def _refuse_duplicate_columns(df: pd.DataFrame, t: Table) -> None:
    """One clear error for two columns of one name (pandas would otherwise fail later)."""
    names = [str(c) for c in df.columns]
    dup = pd.Series(names).duplicated()
    if dup.any():
        name = names[int(np.flatnonzero(dup.to_numpy())[0])]
        raise MapError(f"two columns are both called {show(name)!r} (once spaces at either end are taken off)",
                       fix="give each column its own name, or merge the two columns into one",
                       **t.where(row=t.header_row or None, column=name))


def _prepare(t: Table, table: str) -> Table:
    _refuse_duplicate_columns(canonical_headers(t.df.iloc[:0], table=table), t)
    df = t.df
    if len(df) > VECTOR_ROWS:
        if t.spreadsheet:
            df = unprotect_frame(df)
        df = canonical_headers(df, table=table)
        df = normalise_newlines(blank_to_nan(df))
    else:
        df = df.rename(columns=lambda c: unprotect_formula(c) if (t.spreadsheet and isinstance(c, str)) else c)
        df = canonical_headers(df, table=table)
        df = pd.DataFrame(
            {i: [_clean_cell(v, t.spreadsheet) for v in df.iloc[:, i].astype(object)] for i in range(df.shape[1])},
            index=df.index,
            dtype=object,
        ).set_axis(df.columns, axis=1) if df.shape[1] else df
    return Table(df, t.file, t.sheet, t.rows, t.header_row, t.spreadsheet)


def _concat(tables: Sequence[Table]) -> pd.DataFrame:
    frames = [t.df.reset_index(drop=True) for t in tables]
    if not frames:
        return pd.DataFrame()
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True, sort=False)


def _without_blank_rows(tables: Sequence[Table]) -> list[Table]:
    """Drop completely blank lines (kept until now only so that row numbers stay right)."""
    kept = []
    for t in tables:
        nonblank = t.df.notna().any(axis=1).to_numpy()
        kept.append(Table(t.df[nonblank], t.file, t.sheet, t.rows[nonblank], t.header_row, t.spreadsheet))
    return kept


def _columns_text(df: pd.DataFrame) -> str:
    cols = [show(c, 25) for c in df.columns]
    return ", ".join(f"'{c}'" for c in cols[:12]) + (" …" if len(cols) > 12 else "") if cols else "none"


def build_elements(tables: Sequence[Table]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Check and combine element tables: Label present and filled, IDs unique."""
    tables = [_prepare(t, "elements") for t in tables]
    for t in tables:
        if "Label" not in t.df.columns:
            raise MapError(
                f"this element sheet has no 'Label' column (the columns are {_columns_text(t.df)})",
                fix="add a column headed 'Label' with each element's name, in the first row",
                **t.where(row=t.header_row),
            )
    # drop completely blank lines (kept so far only to keep row numbers right)
    tables = _without_blank_rows(tables)
    df = _concat(tables)
    files, sheets, rows = _locate(tables)
    if df.empty and not len(df.columns):
        df = pd.DataFrame(columns=["ID", "Label"])
    label_blank = df["Label"].isna().to_numpy()
    if label_blank.any():
        i = int(np.flatnonzero(label_blank)[0])
        n = int(label_blank.sum())
        more = f" ({n - 1} more rows have the same problem)" if n > 1 else ""
        raise MapError(
            f"this element has no label{more}",
            fix="type the element's name in the 'Label' cell, or delete the row",
            **_where(files, sheets, rows, i, "Label"),
        )
    if "ID" not in df.columns:
        df.insert(0, "ID", df["Label"])
        id_column = "Label"
    else:
        df["ID"] = df["ID"].where(df["ID"].notna(), df["Label"])
        id_column = "ID"
    ids = df["ID"].astype(str)
    dup = ids.duplicated(keep=False).to_numpy()
    if dup.any():
        first_dup = ids[dup].iloc[0]
        where = np.flatnonzero((ids == first_dup).to_numpy())
        a, b = int(where[0]), int(where[1])
        n = int(ids[dup].nunique())
        more = f" ({n - 1} more IDs are used twice too)" if n > 1 else ""
        what = "ID" if id_column == "ID" else "label (used as the ID because there is no ID column)"
        raise MapError(
            f"{_place(files, sheets, rows, a)} and {_place(files, sheets, rows, b)} both have the "
            f"{what} {show(first_dup)!r}{more}",
            fix="give each element its own ID (or label), or merge the two rows into one",
            **_where(files, sheets, rows, b, id_column),
        )
    return df, files, sheets, rows


def _folded_labels(elements: pd.DataFrame) -> list[str]:
    """Each element's label folded for tolerant matching (:func:`normalise_name`), worked out once."""
    return [normalise_name(lab) for lab in elements["Label"].astype(str)]


def _lookup(elements: pd.DataFrame, folded_labels: list[str] | None = None,
            ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    ids = elements["ID"].astype(str)
    by_id = dict(zip(ids, ids))
    labels = elements["Label"].astype(str)
    by_label: dict[str, str] = {}
    for lab, i in zip(labels, ids):
        by_label.setdefault(lab, i)
    by_folded: dict[str, str] = {}
    for key, i in zip(_folded_labels(elements) if folded_labels is None else folded_labels, ids):
        if key:
            by_folded.setdefault(key, i)
    return by_id, by_label, by_folded


def _shared_labels(elements: pd.DataFrame, folded_labels: list[str],
                   ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Labels that two or more elements share (as written, and folded), with those elements' IDs."""
    ids = elements["ID"].astype(str).tolist()
    labels = elements["Label"].astype(str).tolist()
    exact: dict[str, list[str]] = {}
    folded: dict[str, list[str]] = {}
    for lab, key, i in zip(labels, folded_labels, ids):
        exact.setdefault(lab, []).append(i)
        if key:
            folded.setdefault(key, []).append(i)
    return ({k: v for k, v in exact.items() if len(v) > 1}, {k: v for k, v in folded.items() if len(v) > 1})


def _refuse_shared_label(names: pd.Series, by_id: dict, by_label: dict, shared: tuple[dict, dict],
                         ) -> tuple[int, str, list[str]] | None:
    """The first end that is no ID but the label of two or more elements: (row, name, their IDs)."""
    exact, folded = shared
    text = names.astype(str)
    candidates = np.flatnonzero((names.notna() & ~text.isin(list(by_id))).to_numpy())
    for i in candidates:
        name = text.iloc[i]
        ids = exact.get(name) or (folded.get(normalise_name(name)) if name not in by_label else None)
        if ids:
            return int(i), name, ids
    return None


def _resolve_series(s: pd.Series, by_id: dict, by_label: dict, by_folded: dict) -> pd.Series:
    out = s.map(by_id)
    todo = out.isna() & s.notna()
    if todo.any():
        out[todo] = s[todo].map(by_label)
        todo = out.isna() & s.notna()
        if todo.any():
            text = s[todo].astype(str)
            single = ~text.str.contains(SEP, regex=False)  # "A|B" names two elements, never one called "AB"
            out[todo] = text[single].map(normalise_name).map(by_folded).reindex(text.index)
    return out


def _require_ends(tables: Sequence[Table]) -> None:
    """Every connection sheet has a From and a To column."""
    for t in tables:
        for col in ("From", "To"):
            if col not in t.df.columns:
                raise MapError(
                    f"this connection sheet has no '{col}' column (the columns are {_columns_text(t.df)})",
                    fix="head the two columns naming each connection's ends 'From' and 'To' "
                    "(or 'Source' and 'Target')",
                    **t.where(row=t.header_row),
                )


def _require_filled_ends(df: pd.DataFrame, files: np.ndarray, sheets: np.ndarray, rows: np.ndarray) -> None:
    """Every connection names both its ends."""
    for col in ("From", "To"):
        blank = df[col].isna().to_numpy()
        if blank.any():
            i = int(np.flatnonzero(blank)[0])
            other = "To" if col == "From" else "From"
            raise MapError(
                f"this connection has no '{col}' element",
                fix=f"fill in both 'From' and 'To' (it says {other}: {show(df[other].iloc[i])!r}), or delete the row",
                **_where(files, sheets, rows, i, col),
            )


def _with_missing_ends(df: pd.DataFrame, elements: pd.DataFrame) -> pd.DataFrame:
    """The elements, plus one new element for each end that names no known element (edge lists)."""
    names = pd.unique(pd.concat([df["From"], df["To"]], ignore_index=True).astype(str))
    by_id, by_label, _ = _lookup(elements) if len(elements) else ({}, {}, {})
    known = set(by_id) | set(by_label)
    new = [n for n in names if n not in known]
    if not new:
        return elements
    add = pd.DataFrame({"ID": new, "Label": new})
    return pd.concat([elements, add], ignore_index=True, sort=False) if len(elements) else add


def _one_row_per_end(df: pd.DataFrame, col: str, multi: np.ndarray, src: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Split cells such as "A|B" (several elements) into one connection to each."""
    parts = df[col].astype(object).copy()
    parts[multi] = df.loc[multi, col].astype(str).str.split(SEP, regex=False).map(
        lambda xs: [x.strip() for x in xs if x.strip()]
    )
    df = df.assign(**{col: parts}).explode(col, ignore_index=False)
    order = df.index.to_numpy()
    within = df.groupby(level=0).cumcount().to_numpy()
    df = df.reset_index(drop=True)
    if "ID" in df.columns:
        ids = df["ID"].astype(object)
        has = ids.notna().to_numpy() & (within > 0)
        ids[has] = ids[has].astype(str) + "-" + (within[has] + 1).astype(str)
        df["ID"] = ids
    return df, src[order]


def _unknown_end(df: pd.DataFrame, col: str, todo: np.ndarray, elements: pd.DataFrame) -> tuple[int, MapError]:
    """The first connection whose end names no element, and the error that explains it."""
    i = int(np.flatnonzero(todo)[0])
    name = str(df[col].iloc[i])
    n = int(todo.sum())
    close = close_matches(name, list(elements["Label"].astype(str)), cutoff=SUGGEST_CUTOFF, limit=3)
    more = f" ({n - 1} more connections name unknown elements)" if n > 1 else ""
    if close:
        fix = "did you mean " + " or ".join(f"'{show(c)}'" for c in close) + \
              "? Correct the name, or add the element to the elements sheet"
    else:
        fix = "check the spelling, or add the element to the elements sheet"
    return i, MapError(f"the connection goes to {show(name)!r}, but no element has that ID or label{more}", fix=fix)


def _resolve_ends(
    df: pd.DataFrame, elements: pd.DataFrame, files: np.ndarray, sheets: np.ndarray, rows: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray]:
    """Turn From/To names into element IDs; return the connections and each row's source row."""
    folded = _folded_labels(elements)
    by_id, by_label, by_folded = _lookup(elements, folded)
    shared = _shared_labels(elements, folded)
    src = np.arange(len(df))
    for col in ("From", "To"):
        resolved = _resolve_series(df[col].astype(object), by_id, by_label, by_folded)
        todo = resolved.isna().to_numpy()
        multi = todo.copy()
        if todo.any():  # only ends not found may name several elements ("A|B")
            multi[todo] = df.loc[todo, col].astype(str).str.contains(SEP, regex=False).to_numpy()
        if multi.any():
            df, src = _one_row_per_end(df, col, multi, src)
            resolved = _resolve_series(df[col].astype(object), by_id, by_label, by_folded)
            todo = resolved.isna().to_numpy()
        found = _refuse_shared_label(df[col], by_id, by_label, shared) if shared[0] or shared[1] else None
        if found is not None:
            i, name, ids = found
            raise MapError(
                f"the connection goes to {show(name)!r}, but {len(ids)} elements have that label (IDs "
                + ", ".join(f"'{show(x)}'" for x in ids[:6]) + (" …" if len(ids) > 6 else "") + ")",
                fix=f"write the ID of the one you mean in the '{col}' cell, or give the elements different labels",
                **_where(files, sheets, rows, int(src[i]), col))
        if todo.any():
            i, error = _unknown_end(df, col, todo, elements)
            raise MapError(error.problem, fix=error.fix, **_where(files, sheets, rows, int(src[i]), col))
        df[col] = resolved.to_numpy()
    return df, src


def folded_directions(s: pd.Series) -> pd.Series:
    """Cells as text, stripped and in lower case (``" Mutual"`` -> ``"mutual"``), NaN where blank.

    Worked out once for each different value, as a direction column holds only a few.

    Examples
    --------
    >>> folded_directions(pd.Series([" Mutual", None, "directed", 3])).tolist()
    ['mutual', nan, 'directed', '3']
    """
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    folded = np.array([str(u).strip().lower() for u in uniques] + [_NAN], dtype=object)
    return pd.Series(folded[codes], index=s.index, dtype=object, name=s.name)


def _clean_directions(df: pd.DataFrame, files: np.ndarray, sheets: np.ndarray, rows: np.ndarray,
                      written: str = "Direction") -> list[MapWarning]:
    """Direction cells in lower case; a column holding no directions at all is kept as a custom field.

    A column holding some directions and some other values is refused (the
    others are taken to be typos); one holding none (``direction`` = "Exp")
    is a field of its own, kept with a warning.

    ``written`` is the column's header as the file spells it; the custom field
    keeps that name (``Direction (as written)`` when it was ``Direction``).
    """
    d = df["Direction"]
    text = folded_directions(d)
    bad = d.notna().to_numpy() & ~text.isin(DIRECTIONS).to_numpy()
    if not bad.any():
        df["Direction"] = text
        return []
    i = int(np.flatnonzero(bad)[0])
    if bad.sum() < d.notna().sum():  # mostly directions: a typo, best corrected
        raise MapError(
            f"the direction {show(d.iloc[i])!r} is not one this toolkit knows",
            fix="write 'directed', 'undirected' or 'mutual', or leave the cell blank",
            **_where(files, sheets, rows, i, "Direction"),
        )
    name = written if written != "Direction" else "Direction (as written)"
    while name in df.columns:
        name += " (field)"
    df.rename(columns={"Direction": name}, inplace=True)
    return [MapWarning(
        "direction_as_field",
        f"the column '{show(written, 30)}' holds values such as {show(d.iloc[i])!r}, which are not directions "
        f"('directed', 'undirected' or 'mutual'), so it was kept as a field called '{name}'",
        **_where(files, sheets, rows, i, written),
    )]


def _number_connections(df: pd.DataFrame, files: np.ndarray, sheets: np.ndarray, rows: np.ndarray) -> None:
    """Give blank connection IDs fresh numbers (c1, c2, ...); refuse duplicate IDs."""
    ids = df["ID"].astype(object)
    missing = ids.isna().to_numpy()
    if missing.any():
        taken = set(ids.dropna().astype(str))
        fresh, k = [], 0
        for _ in range(int(missing.sum())):
            k += 1
            while f"c{k}" in taken:
                k += 1
            fresh.append(f"c{k}")
        ids[missing] = fresh
        df["ID"] = ids
    dup = df["ID"].astype(str).duplicated(keep=False).to_numpy()
    if dup.any():
        first = df["ID"].astype(str)[dup].iloc[0]
        where = np.flatnonzero((df["ID"].astype(str) == first).to_numpy())
        a, b = int(where[0]), int(where[1])
        raise MapError(
            f"{_place(files, sheets, rows, a)} and {_place(files, sheets, rows, b)} both have the "
            f"connection ID {show(first)!r}",
            fix="give each connection its own ID, or clear the ID cells and let the toolkit number them",
            **_where(files, sheets, rows, b, "ID"),
        )


def build_connections(
    tables: Sequence[Table],
    elements: pd.DataFrame,
    *,
    create_missing: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, list[MapWarning]]:
    """Check and combine connection tables; resolve From/To to element IDs.

    Returns the connections, the (possibly grown) elements, where each
    connection came from and soft warnings. With ``create_missing`` (edge lists), unknown names
    become new elements instead of an error.
    """
    written = next((str(c).strip() for t in tables for c in t.df.columns if str(c).strip().lower() == "direction"),
                   "Direction")
    tables = [_prepare(t, "connections") for t in tables]
    _require_ends(tables)
    tables = _without_blank_rows(tables)
    df = _concat(tables)
    files, sheets, rows = _locate(tables)
    if not len(df.columns):
        df = pd.DataFrame(columns=["From", "To"])
    _require_filled_ends(df, files, sheets, rows)
    if create_missing:
        elements = _with_missing_ends(df, elements)
    df, src = _resolve_ends(df, elements, files, sheets, rows)
    files, sheets, rows = files[src], sheets[src], rows[src]
    soft = _clean_directions(df, files, sheets, rows, written) if "Direction" in df.columns else []
    if "ID" in df.columns:
        _number_connections(df, files, sheets, rows)
    return df, elements, files, sheets, rows, soft


def nonfinite_warnings(df: pd.DataFrame, files: np.ndarray, sheets: np.ndarray, rows: np.ndarray
                       ) -> list[MapWarning]:
    """Blank infinite numbers (``Infinity``, ``-inf``, ``1e999``) in number columns, with a warning each.

    Examples
    --------
    >>> df = pd.DataFrame({"ID": ["c1", "c2"], "Strength": ["Infinity", "2"]}, dtype=object)
    >>> [w.message for w in nonfinite_warnings(df, np.array(["m.csv"] * 2), np.array([None] * 2), np.array([2, 3]))]
    ["Strength 'Infinity' is not a finite number, so it is treated as blank"]
    >>> df["Strength"].tolist()
    [nan, '2']
    """
    out: list[MapWarning] = []
    for col in NUMERIC_COLUMNS:
        if col not in df.columns:
            continue
        s = df[col]
        num = pd.to_numeric(s, errors="coerce")
        bad = np.isinf(num.to_numpy(dtype=float))
        if not bad.any():
            continue
        for i in np.flatnonzero(bad)[:200]:
            who = df["ID"].iloc[i] if "ID" in df.columns else None
            out.append(MapWarning(
                "not_finite", f"{col} {show(s.iloc[i])!r} is not a finite number, so it is treated as blank",
                element=None if who is None else str(who), file=files[i], sheet=sheets[i], row=int(rows[i]),
                column=col, extra={"value": s.iloc[i]}))
        df[col] = s.astype(object).where(~bad, _NAN)
    return out


def numeric_warnings(df: pd.DataFrame, files: np.ndarray, sheets: np.ndarray, rows: np.ndarray) -> list[MapWarning]:
    """Warn about number columns holding text (before the model turns them into blanks)."""
    out: list[MapWarning] = []
    for col in NUMERIC_COLUMNS:
        if col not in df.columns:
            continue
        s = df[col]
        if pd.api.types.is_numeric_dtype(s):
            continue
        num = pd.to_numeric(s, errors="coerce")
        bad = (num.isna() & s.notna()).to_numpy()
        for i in np.flatnonzero(bad)[:200]:
            who = df["ID"].iloc[i] if "ID" in df.columns else None
            out.append(
                MapWarning(
                    "not_a_number",
                    f"{col} {show(s.iloc[i])!r} is not a number, so it is treated as blank",
                    element=None if who is None else str(who),
                    file=files[i],
                    sheet=sheets[i],
                    row=int(rows[i]),
                    column=col,
                    extra={"value": s.iloc[i]},
                )
            )
    return out


def trim_labels(df: pd.DataFrame, files: np.ndarray, sheets: np.ndarray, rows: np.ndarray) -> list[MapWarning]:
    """Remove spaces at the start and end of labels (in place), warning for each label it changed.

    A trailing space is invisible in a spreadsheet but shows in every sentence
    ("Tower Hamlets CVS ,"), so labels are trimmed when read, and the warning
    says where, so the source can be tidied too.

    Examples
    --------
    >>> df = pd.DataFrame({"ID": ["a", "b"], "Label": ["Tower Hamlets CVS ", "B"]})
    >>> w = trim_labels(df, np.array(["m.csv"] * 2), np.array([None] * 2), np.array([2, 3]))
    >>> df["Label"].tolist(), w[0].kind, w[0].row
    (['Tower Hamlets CVS', 'B'], 'trimmed_label', 2)
    """
    if "Label" not in df.columns:
        return []
    labels = df["Label"]
    text = labels.where(labels.isna(), labels.astype(str))
    trimmed = text.str.strip()
    changed = (labels.notna() & trimmed.ne(text)).to_numpy()
    out: list[MapWarning] = []
    for i in np.flatnonzero(changed)[:200]:
        who = df["ID"].iloc[i] if "ID" in df.columns else None
        out.append(MapWarning(
            "trimmed_label",
            f"the label {str(text.iloc[i])[:60]!r} had spaces at its start or end, which were removed",
            element=None if who is None else str(who),
            file=files[i], sheet=sheets[i], row=int(rows[i]), column="Label",
        ))
    df.loc[changed, "Label"] = trimmed[changed]
    return out


def assemble(
    element_tables: Sequence[Table],
    connection_tables: Sequence[Table],
    metadata: dict[str, Any] | None = None,
    *,
    create_missing: bool = False,
) -> tuple[NetworkMap, Locations, list[MapWarning]]:
    """Run the hard checks and build the map from tables read from files."""
    if element_tables:
        elements, efiles, esheets, erows = build_elements(element_tables)
        trimmed = trim_labels(elements, efiles, esheets, erows)
    else:
        trimmed = []
        elements = pd.DataFrame(columns=["ID", "Label"])
        efiles = esheets = np.array([], dtype=object)
        erows = np.array([], dtype=int)
    n_given = len(elements)
    if connection_tables:
        conns, elements, cfiles, csheets, crows, direction_soft = build_connections(
            connection_tables, elements, create_missing=create_missing
        )
    else:
        direction_soft = []
        conns = pd.DataFrame(columns=["ID", "From", "To"])
        cfiles = csheets = np.array([], dtype=object)
        crows = np.array([], dtype=int)
    extra = len(elements) - n_given
    if extra:
        efiles = np.concatenate([efiles, np.full(extra, None, dtype=object)])
        esheets = np.concatenate([esheets, np.full(extra, None, dtype=object)])
        erows = np.concatenate([erows, np.full(extra, -1)])
    soft = trimmed + direction_soft + nonfinite_warnings(elements, efiles, esheets, erows) + \
        nonfinite_warnings(conns, cfiles, csheets, crows) + numeric_warnings(elements, efiles, esheets, erows) + \
        numeric_warnings(conns, cfiles, csheets, crows)
    m = NetworkMap(elements, conns, metadata or {})
    loc = Locations(
        pd.DataFrame({"file": efiles, "sheet": esheets, "row": erows}, index=m.elements["ID"].to_numpy()),
        pd.DataFrame({"file": cfiles, "sheet": csheets, "row": crows}, index=m.connections["ID"].to_numpy()),
    )
    loc.elements.loc[loc.elements["row"] < 0, "row"] = None
    return m, loc, soft


# --------------------------------------------------------------- metadata as text
def metadata_rows(metadata: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Metadata as (key, value, kind) rows: text stays text, anything else is JSON.

    Examples
    --------
    >>> metadata_rows({"name": "Tiny", "private_fields": ["Email"]})
    [('name', 'Tiny', 'text'), ('private_fields', '["Email"]', 'json')]
    """
    out = []
    for key, value in metadata.items():
        if isinstance(value, str):
            out.append((str(key), value, "text"))
        else:
            out.append((str(key), json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False), "json"))
    return out


def metadata_from_rows(rows: Sequence[tuple[Any, Any, Any]]) -> dict[str, Any]:
    """Inverse of :func:`metadata_rows` (a blank kind means text)."""
    out: dict[str, Any] = {}
    for key, value, kind in rows:
        if key is None or (isinstance(key, float) and math.isnan(key)) or str(key).strip() == "":
            continue
        if value is None or (isinstance(value, float) and math.isnan(value)):
            value = ""
        if str(kind or "").strip().lower() == "json":
            try:
                out[str(key)] = json.loads(str(value))
                continue
            except (ValueError, RecursionError):  # damaged, too deep or a number too long: kept as text
                pass
        out[str(key)] = value if isinstance(value, str) else (number_text(value) if isinstance(value, (int, float)) else str(value))
    return out


def jsonable(value: Any) -> Any:
    """Turn metadata values into things ``json.dumps`` accepts (``NaN`` and infinities become ``None``).

    Examples
    --------
    >>> jsonable({"n": np.int64(3), "x": float("inf"), "when": Path("a")})
    {'n': 3, 'x': None, 'when': 'a'}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
