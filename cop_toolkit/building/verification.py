"""A verification round: send each contributor their entries to check, and take the answers back.

:func:`write_verification_sheets` writes one spreadsheet per contributor
(the names in ``Reported By``) or per borough. Each holds:

* ``About`` — who the sheet is for, the map and how to fill it in;
* ``Elements`` and ``Connections`` — the contributor's entries with their
  current values, a ``Still right?`` column (``yes``, ``no`` or ``remove``)
  and a ``Notes`` column. The ``ID`` column, and a connection's ``From`` and
  ``To``, are locked (shaded grey; an edit to them is refused on update);
  the other values may be corrected in place;
* ``New elements`` and ``New connections`` — room for additions.

Text that a spreadsheet could run as a formula is written with a protective
``'`` (:func:`cop_toolkit.io.common.protect_formula`); private fields are
never written.

:func:`update_from_sheets` reads the returned sheets and applies them:
``yes`` sets ``Last Verified`` to the day of the update; a changed value is a
correction (and verifies the entry); ``remove`` removes it (an element with
its connections); new rows are added, credited to the contributor in
``Reported By`` / ``Reported On``. A sheet with wrong columns is skipped and a
row that cannot be applied (an unknown ID, an edited locked cell, an unknown
name) is left out, each with one clear line in :attr:`UpdateReport.problems`;
everything else still applies. A sheet with nothing filled in is listed as
not returned.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.errors import MapError, UnknownElementError
from cop_toolkit.core.files import atomic_files
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.privacy import private_columns
from cop_toolkit.core.text import is_missing, join_values, normalise_name, split_values
from cop_toolkit.io.common import protect_formula, unprotect_formula

__all__ = ["CONNECTION_FIELDS", "ELEMENT_FIELDS", "STILL_RIGHT", "UpdateReport", "update_from_sheets", "write_verification_sheets"]

#: The column each contributor fills in.
STILL_RIGHT = "Still right?"
#: Element fields shown for checking (those the map has), after ``ID``.
ELEMENT_FIELDS = ("Label", "Type", "Description", "Tags", "Borough", "Postcode", "URL", "Assets", "Needs", "Offers")
#: Connection fields shown for checking (those the map has), after ``ID``, ``From`` and ``To``.
CONNECTION_FIELDS = ("Type", "Direction", "Strength", "Description")
_NEW_ELEMENT_FIELDS = ("Label", "Type", "Borough", "Postcode", "Description")
_NEW_CONNECTION_FIELDS = ("From", "To", "Type", "Strength", "Description")
_YES = frozenset({"yes", "y", "right", "ok", "correct"})
_NO = frozenset({"no", "n", "wrong"})
_REMOVE = frozenset({"remove", "delete", "gone", "closed"})
_LOCKED_FILL = PatternFill("solid", fgColor="DDDDDD")
_HELP = (
    "Check each row. Write yes in 'Still right?' if it is right; correct any value in place "
    "(and write no); write remove if it no longer exists. Add missing organisations and ties "
    "on the 'New elements' and 'New connections' sheets. Grey cells are locked: do not change them."
)


@dataclass
class UpdateReport:
    """What :func:`update_from_sheets` did.

    Attributes
    ----------
    changes : one row per change: ``contributor``, ``action`` ("confirmed",
        "corrected", "removed", "added"), ``what`` ("element", "connection"),
        ``ID``, ``Label``, ``field``, ``old``, ``new``.
    problems : one row per sheet or row that was not applied: ``file``,
        ``sheet``, ``row``, ``problem`` (one plain line).
    not_returned : the contributors whose sheet came back with nothing filled in.
    """

    changes: pd.DataFrame
    problems: pd.DataFrame
    not_returned: list[str]

    def by_contributor(self) -> pd.DataFrame:
        """How many changes of each kind each contributor made.

        Examples
        --------
        >>> changes = pd.DataFrame({"contributor": ["Ana", "Ana"], "action": ["confirmed", "added"]})
        >>> UpdateReport(changes, pd.DataFrame(), []).by_contributor().loc["Ana"].tolist()
        [1, 0, 0, 1]
        """
        if not len(self.changes):
            return pd.DataFrame(columns=["confirmed", "corrected", "removed", "added"]).rename_axis("contributor")
        counts = pd.crosstab(self.changes["contributor"], self.changes["action"])
        return counts.reindex(columns=["confirmed", "corrected", "removed", "added"], fill_value=0)

    def headline(self) -> str:
        """One plain sentence.

        Examples
        --------
        >>> UpdateReport(pd.DataFrame(columns=["action"]), pd.DataFrame(), ["Ana"]).headline()
        '0 confirmed, 0 corrected, 0 removed, 0 added; 0 problems; not returned: Ana.'
        """
        n = self.changes["action"].value_counts() if len(self.changes) else pd.Series(dtype=int)
        parts = ", ".join(f"{int(n.get(k, 0))} {k}" for k in ("confirmed", "corrected", "removed", "added"))
        missing = ", ".join(self.not_returned) or "none"
        return f"{parts}; {len(self.problems)} problem{'s' * (len(self.problems) != 1)}; not returned: {missing}."

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's tables by sheet name.

        Examples
        --------
        >>> list(UpdateReport(pd.DataFrame(columns=["action"]), pd.DataFrame(), []).tables())
        ['By contributor', 'Changes', 'Problems', 'Not returned']
        """
        return {
            "By contributor": self.by_contributor().reset_index(),
            "Changes": self.changes,
            "Problems": self.problems,
            "Not returned": pd.DataFrame({"contributor": self.not_returned}),
        }


# ------------------------------------------------------------------ writing
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).casefold()).strip("-") or "contributor"


def _groups(m: NetworkMap, by: str) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """``(name, element rows, connection rows)`` for each contributor or borough, as boolean masks."""
    e, c = m.elements, m.connections
    if by == "borough":
        if "Borough" not in e.columns:
            raise MapError("the map has no 'Borough' column", fix="use by='contributor', or add each element's borough")
        for borough in sorted(e["Borough"].dropna().astype(str).unique()):
            mine = e["Borough"].astype(str).eq(borough).to_numpy()
            ids = set(e.loc[mine, "ID"].astype(str))
            yield borough, mine, (c["From"].astype(str).isin(ids) | c["To"].astype(str).isin(ids)).to_numpy()
        return
    if "Reported By" not in e.columns and "Reported By" not in c.columns:
        raise MapError("the map records no 'Reported By', so it cannot be split by contributor",
                       fix="use by='borough', or merge the contributors' maps first (cop-map merge)")
    e_who = [split_values(v) for v in e.get("Reported By", pd.Series(np.nan, index=e.index))]
    c_who = [split_values(v) for v in c.get("Reported By", pd.Series(np.nan, index=c.index))]
    names = sorted({w for who in e_who + c_who for w in who})
    for name in names:
        yield name, np.array([name in w for w in e_who], dtype=bool), np.array([name in w for w in c_who], dtype=bool)


def _cell(value: Any) -> Any:
    if is_missing(value):
        return None
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return protect_formula(value) if isinstance(value, str) else value


#: The named style of locked cells (grey): set once per workbook, shared by every locked cell.
LOCKED_STYLE = "cop locked"


def _add_styles(wb: Any) -> None:
    locked = NamedStyle(name=LOCKED_STYLE)
    locked.fill = _LOCKED_FILL
    wb.add_named_style(locked)


def _write_sheet(wb: Any, title: str, header: list[str], rows: Iterable[list[Any]], locked: set[str]) -> None:
    """Append one sheet in write-only mode: locked columns grey (their edits are refused on update), others plain."""
    ws = wb.create_sheet(title)
    for j, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(j)].width = 14 if name in locked else 24
    ws.freeze_panes = "B2"
    heads = []
    for h in header:
        cell = WriteOnlyCell(ws, value=protect_formula(h))
        cell.font = Font(bold=True)
        heads.append(cell)
    ws.append(heads)
    shut = [j for j, h in enumerate(header) if h in locked]
    n = 0
    for row in rows:
        out = [_cell(v) for v in row]
        for j in shut:
            cell = WriteOnlyCell(ws, value=out[j])
            cell.style = LOCKED_STYLE
            out[j] = cell
        ws.append(out)
        n += 1
    if STILL_RIGHT in header:
        col = get_column_letter(header.index(STILL_RIGHT) + 1)
        choice = DataValidation(type="list", formula1='"yes,no,remove"', allow_blank=True)
        choice.add(f"{col}2:{col}{max(n + 1, 2)}")
        ws.data_validations.append(choice)


def _workbook(m: NetworkMap, name: str, e_rows: np.ndarray, c_rows: np.ndarray, written_on: str) -> openpyxl.Workbook:
    hidden = set(private_columns(m))
    e, c = m.elements[e_rows], m.connections[c_rows]
    e_fields = [f for f in ELEMENT_FIELDS if f in e.columns and f not in hidden]
    c_fields = [f for f in CONNECTION_FIELDS if f in c.columns and f not in hidden]
    labels = m.labels
    labels = labels[~labels.index.duplicated()]
    wb = openpyxl.Workbook(write_only=True)
    _add_styles(wb)
    about = wb.create_sheet("About")
    for row in (("Contributor", name), ("Map", m.name), ("Written on", written_on), ("How to fill in", _HELP)):
        about.append([protect_formula(v) for v in row])
    lv = ["Last Verified"] if "Last Verified" in e.columns else []
    _write_sheet(wb, "Elements", ["ID", *e_fields, *lv, STILL_RIGHT, "Notes"],
                 ([*r, None, None] for r in e[["ID", *e_fields, *lv]].itertuples(index=False, name=None)), {"ID", *lv})
    ends = ([i, labels.get(a, a), labels.get(b, b)] for i, a, b in zip(c["ID"], c["From"].astype(str), c["To"].astype(str)))
    values = c[c_fields].itertuples(index=False, name=None)
    _write_sheet(wb, "Connections", ["ID", "From", "To", *c_fields, STILL_RIGHT, "Notes"],
                 ([*ends_row, *v, None, None] for ends_row, v in zip(ends, values)), {"ID", "From", "To"})
    _write_sheet(wb, "New elements", list(_NEW_ELEMENT_FIELDS), [], set())
    _write_sheet(wb, "New connections", list(_NEW_CONNECTION_FIELDS), [], set())
    return wb


def write_verification_sheets(
    m: NetworkMap,
    folder: str | Path,
    *,
    by: Literal["contributor", "borough"] = "contributor",
    written_on: str | None = None,
) -> list[Path]:
    """Write one verification spreadsheet per contributor (or borough) into ``folder``; return the paths.

    Examples
    --------
    >>> import tempfile
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Hub", "=Club"], "Reported By": ["Ana", "Ana|Ben"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"], "Reported By": ["Ben"]}))
    >>> [p.name for p in write_verification_sheets(m, tempfile.mkdtemp())]
    ['ana.xlsx', 'ben.xlsx']
    """
    m = as_map(m)
    if by not in ("contributor", "borough"):
        raise MapError(f"unknown grouping by={by!r}", fix="use by='contributor' or by='borough'")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written_on = written_on or dt.date.today().isoformat()
    books, paths, used = [], [], set()
    for name, e_rows, c_rows in _groups(m, by):
        stem = _slug(name)
        n = 2
        while stem in used:
            stem, n = f"{_slug(name)}-{n}", n + 1
        used.add(stem)
        books.append(_workbook(m, name, e_rows, c_rows, written_on))
        paths.append(folder / f"{stem}.xlsx")
    with atomic_files(*paths) as temps:
        for wb, tmp in zip(books, temps):
            wb.save(tmp)
    return paths


# ------------------------------------------------------------------ reading
@dataclass
class _Round:
    """The state of an update while the sheets are read: the tables being changed and what happened."""

    elements: pd.DataFrame
    connections: pd.DataFrame
    on: str
    changes: list[tuple]
    problems: list[tuple]
    remove_elements: set[str]
    remove_connections: set[str]


def _rows(ws: Any) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """A sheet's header and its non-blank rows ``(row number, {column: value})``, unprotected."""
    values = list(ws.iter_rows(values_only=True))
    if not values:
        return [], []
    header = [str(unprotect_formula(h)).strip() if h is not None else "" for h in values[0]]
    out = []
    for i, row in enumerate(values[1:], start=2):
        cells = {h: unprotect_formula(v) for h, v in zip(header, row) if h}
        if any(not is_missing(v) for v in cells.values()):
            out.append((i, cells))
    return header, out


def _differs(old: Any, new: Any) -> bool:
    if is_missing(old) and is_missing(new):
        return False
    if is_missing(old) or is_missing(new):
        return True
    try:
        return abs(float(old) - float(new)) > 1e-9
    except (TypeError, ValueError):
        return str(old).strip() != str(new).strip()


def _credit(table: pd.DataFrame, r: int, who: str) -> None:
    if "Reported By" not in table.columns:
        table["Reported By"] = pd.Series(np.nan, index=table.index, dtype=object)
    j = table.columns.get_loc("Reported By")
    table.iat[r, j] = join_values(dict.fromkeys(split_values(table.iat[r, j]) + [who]))


def _verify(table: pd.DataFrame, r: int, on: str) -> None:
    if "Last Verified" not in table.columns:
        table["Last Verified"] = pd.Series(np.nan, index=table.index, dtype=object)
    table.iat[r, table.columns.get_loc("Last Verified")] = on


def _check_row(st: _Round, table: pd.DataFrame, what: str, who: str, where: tuple, cells: dict[str, Any],
               fields: list[str], positions: dict[str, int]) -> None:
    """Apply one row of the Elements or Connections sheet."""
    key = "" if is_missing(cells.get("ID")) else str(cells["ID"]).strip()
    if key not in positions:
        st.problems.append((*where, f"unknown {what} ID '{key}': the ID column is locked, so this row was not applied"))
        return
    r = positions[key]
    word = "" if is_missing(cells.get(STILL_RIGHT)) else str(cells[STILL_RIGHT]).strip().lower()
    label = str(table.iat[r, table.columns.get_loc("Label")]) if "Label" in table.columns else key
    if word and word not in _YES | _NO | _REMOVE:
        st.problems.append((*where, f"'{cells[STILL_RIGHT]}' in '{STILL_RIGHT}' is not yes, no or remove; this row was not applied"))
        return
    if word in _REMOVE:
        (st.remove_elements if what == "element" else st.remove_connections).add(key)
        st.changes.append((who, "removed", what, key, label, "", "", ""))
        return
    edits = [(f, table.iat[r, table.columns.get_loc(f)], cells.get(f)) for f in fields if f in cells and f in table.columns
             and _differs(table.iat[r, table.columns.get_loc(f)], cells.get(f))]
    for f, old, new in edits:
        value = np.nan if is_missing(new) else (float(new) if f == "Strength" else str(new).strip())
        table.iat[r, table.columns.get_loc(f)] = value
        st.changes.append((who, "corrected", what, key, label, f, old, value))
    if edits:
        _credit(table, r, who)
    if word in _NO and not edits:
        st.problems.append((*where, (f"'{label}' was marked 'no' without a correction, so nothing changed "
                                    "(write the right value in its cell, or 'remove')")))
        return
    if word in _YES or edits:
        _verify(table, r, st.on)
        if word in _YES:
            st.changes.append((who, "confirmed", what, key, label, "", "", ""))


def _locked_ends_changed(st: _Round, cells: dict[str, Any], r: int, labels: pd.Series) -> bool:
    c = st.connections
    for end in ("From", "To"):
        now = labels.get(str(c.iat[r, c.columns.get_loc(end)]), c.iat[r, c.columns.get_loc(end)])
        if end in cells and _differs(now, cells.get(end)):
            return True
    return False


def _apply_existing(st: _Round, wb: Any, who: str, file: str, labels: pd.Series) -> None:
    e_pos = {str(i): k for k, i in reversed(list(enumerate(st.elements["ID"])))}
    c_pos = {str(i): k for k, i in reversed(list(enumerate(st.connections["ID"])))}
    _, rows = _rows(wb["Elements"])
    for i, cells in rows:
        _check_row(st, st.elements, "element", who, (file, "Elements", i), cells, list(ELEMENT_FIELDS), e_pos)
    _, rows = _rows(wb["Connections"])
    for i, cells in rows:
        key = "" if is_missing(cells.get("ID")) else str(cells["ID"]).strip()
        if key in c_pos and _locked_ends_changed(st, cells, c_pos[key], labels):
            st.problems.append((file, "Connections", i, ("From and To are locked; to move a tie, write remove "
                                                       "and add the new one on 'New connections'. This row was not applied")))
            continue
        _check_row(st, st.connections, "connection", who, (file, "Connections", i), cells, list(CONNECTION_FIELDS), c_pos)


def _new_id(taken: set[str], base: str) -> str:
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def _apply_new(st: _Round, wb: Any, who: str, file: str) -> None:
    """Add the rows of 'New elements' (first) and 'New connections'."""
    taken = set(st.elements["ID"].astype(str))
    for i, cells in _rows(wb["New elements"])[1] if "New elements" in wb.sheetnames else []:
        label = "" if is_missing(cells.get("Label")) else str(cells["Label"]).strip()
        if not label:
            st.problems.append((file, "New elements", i, "a new element needs a Label; this row was not added"))
            continue
        if normalise_name(label) in set(st.elements["Label"].astype(str).map(normalise_name)):
            st.problems.append((file, "New elements", i, f"'{label}' is already on the map; this row was not added"))
            continue
        row = {k: v for k, v in cells.items() if k in _NEW_ELEMENT_FIELDS and not is_missing(v)}
        row.update(ID=_new_id(taken, _slug(label)), **{"Reported By": who, "Reported On": st.on, "Last Verified": st.on})
        st.elements = pd.concat([st.elements, pd.DataFrame([row])], ignore_index=True)
        st.changes.append((who, "added", "element", row["ID"], label, "", "", ""))
    rows = _rows(wb["New connections"])[1] if "New connections" in wb.sheetnames else []
    if not rows:
        return
    current = NetworkMap(st.elements[["ID", "Label"]])
    c_taken = set(st.connections["ID"].astype(str))
    for i, cells in rows:
        try:
            a, b = (current.resolve(str(cells.get(k) or "").strip()) for k in ("From", "To"))
        except UnknownElementError as exc:
            st.problems.append((file, "New connections", i, f"{exc.problem}; add it on 'New elements' first. This row was not added"))
            continue
        row = {k: v for k, v in cells.items() if k in _NEW_CONNECTION_FIELDS and not is_missing(v)}
        row.update(ID=_new_id(c_taken, f"{who[:12]}-{i}".replace(" ", "-")), From=a, To=b,
                   **{"Reported By": who, "Reported On": st.on, "Last Verified": st.on})
        if "Strength" in row:
            row["Strength"] = pd.to_numeric(row["Strength"], errors="coerce")
        st.connections = pd.concat([st.connections, pd.DataFrame([row])], ignore_index=True)
        st.changes.append((who, "added", "connection", row["ID"], f"{current.label_of(a)} – {current.label_of(b)}", "", "", ""))


def _contributor(wb: Any, path: Path) -> str:
    if "About" in wb.sheetnames:
        for row in wb["About"].iter_rows(values_only=True):
            if row and row[0] == "Contributor" and not is_missing(row[1] if len(row) > 1 else None):
                return str(unprotect_formula(row[1]))
    return path.stem


def _sheet_problem(wb: Any) -> str:
    """Why a returned workbook cannot be read at all ("" when it can)."""
    for sheet in ("Elements", "Connections"):
        if sheet not in wb.sheetnames:
            return f"it has no '{sheet}' sheet, so it was not applied (send the contributor a fresh sheet)"
        first = next(wb[sheet].iter_rows(min_row=1, max_row=1, values_only=True), ())
        header = [str(unprotect_formula(h)).strip() for h in first if h is not None]
        missing = [c for c in ("ID", STILL_RIGHT) if c not in header]
        if missing:
            return f"its '{sheet}' sheet has no {' or '.join(repr(c) for c in missing)} column, so it was not applied"
    return ""


def update_from_sheets(m: NetworkMap, folder: str | Path, *, on: str | None = None) -> tuple[NetworkMap, UpdateReport]:
    """Apply the returned verification sheets in ``folder`` to ``m`` (see the module notes).

    Parameters
    ----------
    m : the map the sheets were written from.
    folder : the folder of returned ``.xlsx`` sheets.
    on : the date written as ``Last Verified`` and ``Reported On`` (default today).

    Examples
    --------
    >>> import tempfile
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["Hub"], "Reported By": ["Ana"]}))
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_verification_sheets(m, folder)
    >>> updated, report = update_from_sheets(m, folder, on="2018-01-01")
    >>> report.not_returned
    ['Ana']
    """
    m = as_map(m)
    folder = Path(folder)
    if not folder.is_dir():
        raise MapError("the folder of returned sheets was not found", file=str(folder))
    st = _Round(m.elements.copy(), m.connections.copy(), on or dt.date.today().isoformat(), [], [], set(), set())
    not_returned = []
    labels = m.labels[~m.labels.index.duplicated()]
    for path in sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", "."))):
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:  # a damaged or non-Excel file: one line; the rest still apply
            st.problems.append((path.name, "", None, f"it could not be opened as a spreadsheet ({type(exc).__name__})"))
            continue
        with contextlib.closing(wb):
            problem = _sheet_problem(wb)
            if problem:
                st.problems.append((path.name, "", None, problem))
                continue
            who, before = _contributor(wb, path), (len(st.changes), len(st.problems))
            _apply_existing(st, wb, who, path.name, labels)
            _apply_new(st, wb, who, path.name)
            if (len(st.changes), len(st.problems)) == before:
                not_returned.append(who)
    return _finish(m, st), UpdateReport(
        pd.DataFrame(st.changes, columns=["contributor", "action", "what", "ID", "Label", "field", "old", "new"]),
        pd.DataFrame(st.problems, columns=["file", "sheet", "row", "problem"]),
        not_returned,
    )


def _finish(m: NetworkMap, st: _Round) -> NetworkMap:
    e = st.elements[~st.elements["ID"].astype(str).isin(st.remove_elements)]
    c = st.connections
    gone = c["ID"].astype(str).isin(st.remove_connections) | c["From"].astype(str).isin(st.remove_elements) \
        | c["To"].astype(str).isin(st.remove_elements)
    return NetworkMap(e.reset_index(drop=True), c[~gone].reset_index(drop=True), dict(m.metadata), list(m.warnings))
