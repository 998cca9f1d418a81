"""Spreadsheets as people type them: guessing what a sheet's columns mean.

:func:`sort_tables` looks at the tables read from a workbook or a CSV file
and says which hold elements and which hold connections, understanding:

* **the toolkit's own layout**: ``Label`` (elements) and ``From``/``To``
  (connections) columns, read as before;
* **one row per organisation with a "works with" column** (also ``Partners``,
  ``Connections``, ``Links``): each cell holds one or more names separated by
  commas, semicolons, ``|`` or line breaks. Names are matched tolerantly to the
  rows' labels (:func:`cop_toolkit.core.text.close_matches`); a name matching
  no row becomes a new element, with a warning. Each pair is one tie, however
  many times it is named;
* **partner columns** ("Partner 1", "Partner 2", …), read the same way;
* **an adjacency matrix**: names down the first column and across the first
  row; a non-empty cell is a tie (a number other than 0 is its strength; a
  matrix that is not symmetric gives directed ties);
* **edge lists** with ``From``/``To``, ``Source``/``Target``, ``A``/``B`` or
  ``Entity A``/``Entity B`` columns; a Gephi ``Type`` column holding
  ``Directed``/``Undirected`` is read as ``Direction``;
* **common synonyms**: Organisation / Organization / Name / Group → ``Label``;
  Area / Local authority → ``Borough``; Kind / Category → ``Type``; and a
  ``*_vertices.csv`` / ``*_nodes.csv`` table with an ``id`` but no label takes
  its labels from the IDs.

``columns={"Label": "Group name", "ties": "Who we work with"}`` overrides the
guess. What was understood is written as one sentence by
:func:`understood_sentence` (kept in ``m.metadata["understood"]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import CONNECTION_COLUMNS, DIRECTIONS, ELEMENT_COLUMNS
from cop_toolkit.core.text import (
    NAME_CUTOFF,
    close_matches,
    is_missing,
    normalise_name,
    word_list,
)
from cop_toolkit.io.common import Table, show

__all__ = ["Understood", "sort_tables", "understood_sentence", "parse_columns", "split_names", "note_understood", "COLUMN_KEYS"]

#: Headers (folded) that name an element, in order of preference.
LABEL_WORDS = ("label", "organisation", "organization", "organisationname", "organizationname", "name", "group",
               "groupname")
#: Headers (folded) of a column listing the partners of each row.
TIE_WORDS = ("workswith", "partners", "partner", "connections", "connectedto", "links", "ties", "worksalongside")
#: Other synonyms: folded header -> standard column.
SYNONYMS = {"area": "Borough", "localauthority": "Borough", "borough": "Borough", "kind": "Type", "category": "Type"}
#: Pairs of headers (folded) naming the two ends of a connection.
END_PAIRS = (("from", "to"), ("source", "target"), ("a", "b"), ("entitya", "entityb"))
#: The keys ``columns=`` accepts (besides any standard column).
COLUMN_KEYS = tuple(dict.fromkeys(ELEMENT_COLUMNS + CONNECTION_COLUMNS + ["Borough", "ties"]))

_PARTNER_COLUMN = re.compile(r"^(partner|works ?with|connection|link|contact|tie)s?\s*#?\s*\d+$", re.IGNORECASE)
_SPLIT = re.compile(r"[,;|\n\r]+")
_MARK = re.compile(r"^(x|y|yes|✓|✔|\*|true)$", re.IGNORECASE)


def split_names(cell: Any) -> list[str]:
    """The names in a "works with" cell (commas, semicolons, ``|`` or line breaks between them).

    Examples
    --------
    >>> split_names("Food Bank; Youth Club,Oak Trust | Age UK\\nMind")
    ['Food Bank', 'Youth Club', 'Oak Trust', 'Age UK', 'Mind']
    """
    if is_missing(cell):
        return []
    return [p.strip() for p in _SPLIT.split(str(cell)) if p.strip()]


def parse_columns(text: str) -> dict[str, str]:
    """Read ``"Label=Group name,ties=Who we work with"`` into ``columns=`` form.

    Examples
    --------
    >>> parse_columns("Label=Group name, ties=Who we work with")
    {'Label': 'Group name', 'ties': 'Who we work with'}
    >>> parse_columns("Label")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: 'Label' is not of the form KEY=COLUMN. How to fix: write --columns "Label=Group name,ties=Who we work with".
    """
    out: dict[str, str] = {}
    for item in (p for p in text.split(",") if p.strip()):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise MapError(f"'{item.strip()}' is not of the form KEY=COLUMN",
                           fix='write --columns "Label=Group name,ties=Who we work with"')
        out[key.strip()] = value.strip()
    return check_columns(out)


def check_columns(columns: Mapping[str, str] | None) -> dict[str, str]:
    """Check the keys of ``columns=`` (standard column names, or ``ties``)."""
    out: dict[str, str] = {}
    folded = {k.lower(): k for k in COLUMN_KEYS}
    for key, value in (columns or {}).items():
        canon = folded.get(str(key).strip().lower())
        if canon is None:
            raise MapError(f"'{key}' is not a column the toolkit can be told about",
                           fix="use one of " + ", ".join(f"'{k}'" for k in COLUMN_KEYS))
        out[canon] = str(value)
    return out


@dataclass
class Understood:
    """What :func:`sort_tables` made of a file's tables (for :func:`understood_sentence`)."""

    layout: str = "standard"
    label_column: str | None = None
    tie_columns: list[str] = field(default_factory=list)
    end_columns: tuple[str, str] | None = None
    renamed: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)


def _fold(name: Any) -> str:
    return normalise_name(name)


def _apply_columns(t: Table, columns: Mapping[str, str], info: Understood) -> tuple[Table, list[str]]:
    """Rename the columns named by ``columns=``; return the table and the columns given as ties."""
    headers = [str(c) for c in t.df.columns]
    by_fold = {_fold(h): h for h in headers}
    rename, ties = {}, []
    for key, given in columns.items():
        wanted = [g.strip() for g in given.split("|")] if key == "ties" else [given.strip()]
        for w in wanted:
            found = w if w in headers else by_fold.get(_fold(w))
            if found is None:
                raise MapError(f"there is no column called '{show(w)}' (the columns are "
                               + ", ".join(f"'{show(h, 25)}'" for h in headers[:12]) + ")",
                               fix="give one of those names in columns=", **t.where(row=t.header_row))
            if key == "ties":
                ties.append(found)
            elif found != key:
                rename[found] = key
                info.renamed[key] = found
    df = t.df.drop(columns=[c for c in headers if c in rename.values() and c not in rename]).rename(columns=rename)
    return Table(df, t.file, t.sheet, t.rows, t.header_row, t.spreadsheet), ties


def _rename(t: Table, rename: dict[str, str]) -> Table:
    return Table(t.df.rename(columns=rename), t.file, t.sheet, t.rows, t.header_row, t.spreadsheet)


def _edge_columns(headers: Sequence[str]) -> tuple[str, str] | None:
    folded = {_fold(h): h for h in headers}
    if "From" in headers and "To" in headers:
        return "From", "To"
    for a, b in END_PAIRS:
        if a in folded and b in folded:
            return folded[a], folded[b]
    return None


def _as_edge_table(t: Table, ends: tuple[str, str], info: Understood) -> Table:
    """Name the ends From/To, and read a Gephi Type column of directions as Direction."""
    rename = {ends[0]: "From", ends[1]: "To"}
    lower = {str(c).strip().lower(): c for c in t.df.columns}
    kind = lower.get("type")
    if kind is not None and "direction" not in lower:
        values = t.df[kind].dropna().astype(str).str.strip().str.lower()
        values = values[values != ""]
        if len(values) and values.isin(DIRECTIONS).all():
            rename[kind] = "Direction"
    if _fold(ends[0]) not in ("from", "source"):
        info.renamed.update({"From": ends[0], "To": ends[1]})
    info.end_columns = ends
    return _rename(t, rename)


def _label_column(headers: Sequence[str]) -> str | None:
    folded = {}
    for h in headers:
        folded.setdefault(_fold(h), h)
    for word in LABEL_WORDS:
        if word in folded:
            return folded[word]
    return None


def _tie_columns(headers: Sequence[str]) -> list[str]:
    return [h for h in headers if _fold(h) in TIE_WORDS or _PARTNER_COLUMN.match(h.strip())]


def _synonyms(t: Table, label: str | None, info: Understood) -> Table:
    """Rename Organisation -> Label, Area -> Borough, Kind -> Type (when the standard name is absent)."""
    headers = [str(c) for c in t.df.columns]
    present = {h.strip().lower() for h in headers}
    rename: dict[str, str] = {}
    if label and label != "Label" and "label" not in present:
        rename[label] = "Label"
    for h in headers:
        canon = SYNONYMS.get(_fold(h))
        if canon and canon.lower() not in present and canon not in rename.values() and h != canon:
            rename[h] = canon
    for old, new in rename.items():
        info.renamed.setdefault(new, old)
    return _rename(t, rename)


def _blank_columns(t: Table, info: Understood) -> Table:
    """Drop columns with no header and no values (listed as ignored)."""
    blank = [c for c in t.df.columns if re.fullmatch(r"Column \d+", str(c)) and t.df[c].map(is_missing).all()]
    info.ignored.extend(str(c) for c in blank)
    return Table(t.df.drop(columns=blank), t.file, t.sheet, t.rows, t.header_row, t.spreadsheet) if blank else t


class _Matcher:
    """Tolerant name -> label lookup over one table's labels (exact, folded, then close)."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.exact = {lab: lab for lab in self.labels}
        self.folded: dict[str, str] = {}
        for lab in self.labels:
            self.folded.setdefault(_fold(lab), lab)

    def find(self, name: str) -> str | None:
        hit = self.exact.get(name) or self.folded.get(_fold(name))
        if hit is None and self.labels:
            close = close_matches(name, self.labels, cutoff=NAME_CUTOFF, limit=1)
            hit = close[0] if close else None
        return hit

    def add(self, name: str) -> None:
        self.labels.append(name)
        self.exact[name] = name
        self.folded.setdefault(_fold(name), name)


def _ties_from_cells(t: Table, ties: list[str], info: Understood) -> tuple[Table, Table, list[MapWarning]]:
    """One row per organisation: turn its "works with" cells into connections."""
    df = t.df
    labels = [str(v).strip() for v in df["Label"] if not is_missing(v)]
    match = _Matcher(labels)
    seen: set[frozenset[str]] = set()
    pairs: list[tuple[str, str, int]] = []
    added: list[tuple[str, int]] = []
    warnings: list[MapWarning] = []
    cells = df[ties].to_numpy(dtype=object)
    for i, (label, row) in enumerate(zip(df["Label"], cells)):
        if is_missing(label):
            continue
        me = str(label).strip()
        for col, cell in zip(ties, row):
            for name in split_names(cell):
                other = match.find(name)
                if other is None:
                    match.add(name)
                    added.append((name, int(t.rows[i])))
                    warnings.append(MapWarning(
                        "unknown_partner", f"'{show(name)}' (named in '{show(col, 25)}' of '{show(me)}') is not "
                        "one of the rows, so it was added as a new element", file=t.file, sheet=t.sheet,
                        row=int(t.rows[i]), column=col))
                    other = name
                key = frozenset((me, other))
                if other != me and key not in seen:
                    seen.add(key)
                    pairs.append((me, other, int(t.rows[i])))
    info.added = [a for a, _ in added]
    elements = df.drop(columns=ties)
    if added:
        extra = pd.DataFrame({"Label": [a for a, _ in added]}, dtype=object)
        elements = pd.concat([elements, extra], ignore_index=True, sort=False)
    rows = np.concatenate([np.asarray(t.rows), np.array([r for _, r in added], dtype=int)])
    conns = pd.DataFrame({"From": [p[0] for p in pairs], "To": [p[1] for p in pairs]}, dtype=object)
    return (Table(elements, t.file, t.sheet, rows, t.header_row, t.spreadsheet),
            Table(conns, t.file, t.sheet, np.array([p[2] for p in pairs], dtype=int), t.header_row, t.spreadsheet),
            warnings)


def _matrix_cell(v: Any) -> tuple[bool, float | None]:
    """Whether a matrix cell is a tie, and its strength."""
    if is_missing(v):
        return False, None
    text = str(v).strip()
    try:
        num = float(text)
    except ValueError:
        return True, None
    return num != 0, num


def _is_matrix(df: pd.DataFrame) -> bool:
    if df.shape[1] < 3 or len(df) < 2:
        return False
    names = [_fold(v) for v in df.iloc[:, 0] if not is_missing(v)]
    heads = [_fold(c) for c in df.columns[1:]]
    if not names or len(set(names)) != len(names) or len(set(heads)) != len(heads):
        return False
    both = set(names) & set(heads)
    if len(both) < 0.8 * max(len(names), len(heads)):
        return False
    cells = df.iloc[:, 1:].to_numpy(dtype=object).ravel()
    for v in cells:
        if is_missing(v):
            continue
        text = str(v).strip()
        if not _MARK.match(text):
            try:
                float(text)
            except ValueError:
                return False
    return True


def _ties_from_matrix(t: Table, info: Understood) -> tuple[Table, Table]:
    """An adjacency matrix: names down the first column and across the first row."""
    df = t.df
    first = df.columns[0]
    rows_named = [str(v).strip() for v in df[first]]
    heads = [str(c).strip() for c in df.columns[1:]]
    match = _Matcher([n for n in rows_named if n])
    col_names = [match.find(h) or h for h in heads]
    grid: dict[tuple[str, str], tuple[float | None, int]] = {}
    for i, (name, values) in enumerate(zip(rows_named, df.iloc[:, 1:].to_numpy(dtype=object))):
        if not name:
            continue
        for other, v in zip(col_names, values):
            tie, strength = _matrix_cell(v)
            if tie and other != name:
                grid[(name, other)] = (strength, int(t.rows[i]))
    missing = object()
    symmetric = all(grid.get((b, a), (missing,))[0] == s for (a, b), (s, _) in grid.items())
    pairs = [(a, b, s, r) for (a, b), (s, r) in grid.items() if not symmetric or (b, a) not in grid or a < b]
    labels = list(dict.fromkeys([n for n in rows_named if n] + col_names))
    info.layout, info.label_column = "matrix", str(first)
    conns = pd.DataFrame({"From": [p[0] for p in pairs], "To": [p[1] for p in pairs]}, dtype=object)
    strengths = [p[2] for p in pairs]
    if any(s is not None for s in strengths) and not all(s in (None, 1.0) for s in strengths):
        conns["Strength"] = [np.nan if s is None else s for s in strengths]
    if not symmetric and pairs:
        conns["Direction"] = "directed"
    row_of = {n: int(r) for n, r in zip(rows_named, t.rows)}
    elements = Table(pd.DataFrame({"Label": labels}, dtype=object), t.file, t.sheet,
                     np.array([row_of.get(n, t.header_row) for n in labels]), t.header_row, t.spreadsheet)
    return elements, Table(conns, t.file, t.sheet, np.array([p[3] for p in pairs], dtype=int), t.header_row,
                           t.spreadsheet)


def _names_others(df: pd.DataFrame, col: str, labels: set[str]) -> bool:
    """Whether most filled cells of a column name other rows (a tie column nobody asked for)."""
    cells = [v for v in df[col] if not is_missing(v)]
    if len(cells) < 2 or len(df) > 5000:
        return False
    hits = sum(any(_fold(n) in labels for n in split_names(v)) for v in cells)
    return hits >= 0.5 * len(cells)


def _element_table(t: Table, ties: list[str], use_ties: bool, info: Understood
                   ) -> tuple[Table, Table | None, list[MapWarning]]:
    """An element sheet, with its tie columns read as connections (or noted as unused)."""
    label = _label_column([str(c) for c in t.df.columns])
    if label is None and "Label" not in t.df.columns and _is_node_table(t):
        ident = next((c for c in t.df.columns if str(c).strip().lower() == "id"), None)
        if ident is not None:
            t = _rename(t, {ident: "ID"})
            t = Table(t.df.assign(Label=t.df["ID"]), t.file, t.sheet, t.rows, t.header_row, t.spreadsheet)
            info.renamed.setdefault("Label", str(ident))
        info.label_column = info.label_column or (str(ident) if ident is not None else None)
    else:
        info.label_column = info.label_column or str(info.renamed.get("Label", label or "Label"))
    t = _synonyms(t, label, info)
    if "Label" not in t.df.columns:
        return t, None, []  # no names at all: build_elements explains what to add
    ties = ties or _tie_columns([str(c) for c in t.df.columns if c != "Label"])
    if ties and use_ties:
        info.layout = "works with" if len(ties) == 1 else "partner columns"
        info.tie_columns = list(ties)
        elements, conns, warnings = _ties_from_cells(t, ties, info)
        return elements, conns, warnings
    folded = {_fold(v) for v in t.df["Label"] if not is_missing(v)}
    unused = [c for c in t.df.columns if c in ties or (c not in ("Label", "ID") and _names_others(t.df, c, folded))]
    info.unused.extend(str(c) for c in unused)
    return t, None, []


def _is_node_table(t: Table) -> bool:
    """A table of nodes named by ID only, as igraph and R write them (``*_vertices.csv``, ``*_nodes.csv``)."""
    named = re.search(r"vertices|nodes", t.file, re.IGNORECASE) is not None
    return named and any(str(h).strip().lower() == "id" for h in t.df.columns)


def _is_element_table(t: Table) -> bool:
    return _label_column([str(c) for c in t.df.columns]) is not None or _is_node_table(t)


def sort_tables(
    tables: Sequence[Table], columns: Mapping[str, str] | None = None, *, titles: Sequence[str] | None = None
) -> tuple[list[Table], list[Table], list[Table], Understood, list[MapWarning]]:
    """Sort a file's tables into element and connection tables (see the module notes).

    ``titles`` are the sheet names (an ``Elements``/``Connections`` sheet keeps
    its role whatever its columns). Returns the element tables, the connection
    tables, the tables not understood, what was understood and the warnings.

    Examples
    --------
    >>> t = Table(pd.DataFrame({"Organisation": ["Food Bank", "Youth Club"],
    ...                         "Works with": ["youth club", None]}), "map.csv")
    >>> els, cons, skipped, info, _ = sort_tables([t])
    >>> cons[0].df.values.tolist(), info.layout, info.tie_columns
    ([['Food Bank', 'Youth Club']], 'works with', ['Works with'])
    """
    info = Understood()
    given = check_columns(columns)
    titles = list(titles) if titles is not None else [""] * len(tables)
    elements: list[Table] = []
    connections: list[Table] = []
    skipped: list[Table] = []
    warnings: list[MapWarning] = []
    pending: list[tuple[Table, list[str]]] = []
    for t, title in zip(tables, titles):
        t, ties = _apply_columns(t, given, info) if given else (t, [])
        t = _blank_columns(t, info)
        headers = [str(c) for c in t.df.columns]
        ends = _edge_columns(headers)
        name = title.strip().lower()
        if not ties and "Label" not in t.df.columns and not name.startswith(("connection", "edge")) \
                and _is_matrix(t.df):
            els, cons = _ties_from_matrix(t, info)
            elements.append(els)
            connections.append(cons)
        elif (ends and not ties) or name.startswith(("connection", "edge")):
            connections.append(_as_edge_table(t, ends, info) if ends else t)
        elif ties or _is_element_table(t) or name.startswith("element"):
            pending.append((t, ties))
        else:
            skipped.append(t)
    for t, ties in pending:
        if "Label" in t.df.columns and not ties and not _tie_columns([str(c) for c in t.df.columns]):
            elements.append(t)  # the toolkit's own layout: left exactly as it is
            continue
        els, cons, soft = _element_table(t, ties, use_ties=bool(ties) or not connections, info=info)
        elements.append(els)
        connections.extend([cons] if cons is not None else [])
        warnings.extend(soft)
    return elements, connections, skipped, info, warnings


def understood_sentence(info: Understood, n_elements: int, n_connections: int) -> str | None:
    """One sentence saying how a guessed layout was read (``None`` for the toolkit's own layout).

    Examples
    --------
    >>> info = Understood("works with", "Organisation", ["Works with"], ignored=["Column 4"])
    >>> understood_sentence(info, 30, 52)
    "read 30 organisations from column 'Organisation' and 52 ties from 'Works with'; ignored columns: 'Column 4'"
    """
    folded = _fold(info.label_column or "")
    noun = "organisations" if folded.startswith(("organisation", "organization")) else (
        "groups" if folded.startswith("group") else "elements")
    quoted = word_list([f"'{show(c, 30)}'" for c in info.tie_columns], limit=4)
    if info.layout in ("works with", "partner columns"):
        text = (f"read {n_elements - len(info.added):,} {noun} from column '{show(info.label_column, 30)}' and "
                f"{n_connections:,} ties from {quoted}")
        if info.added:
            text += f" ({len(info.added):,} partners not listed as rows were added as new elements)"
    elif info.layout == "matrix":
        text = (f"read a matrix of {n_elements:,} {noun} (names down the first column and across the first row) "
                f"and {n_connections:,} ties from its cells")
    elif info.renamed:
        text = "read " + ", ".join(f"'{show(old, 30)}' as {new}" for new, old in info.renamed.items())
        text += f": {n_elements:,} elements and {n_connections:,} connections"
    else:
        return None
    if info.ignored:
        text += "; ignored columns: " + ", ".join(f"'{show(c, 30)}'" for c in info.ignored)
    return text


def note_understood(m: NetworkMap, info: Understood, *, file: str) -> list[MapWarning]:
    """Keep the understood-sentence in ``m.metadata["understood"]``; warn about unused tie columns.

    Examples
    --------
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["a"]}), pd.DataFrame(columns=["ID", "From", "To"]))
    >>> [w.kind for w in note_understood(m, Understood(unused=["Partners"]), file="map.xlsx")]
    ['unused_tie_column']
    """
    text = understood_sentence(info, len(m.elements), len(m.connections))
    if text:
        m.metadata["understood"] = text
    return [MapWarning("unused_tie_column", f"the column '{show(c, 30)}' seems to name partners, but it was not "
                       "read as ties (it is kept as a field)", file=file, column=c,
                       extra={"fix": f"to read it as ties, pass columns={{'ties': '{c}'}} "
                              f"(cop-report --columns \"ties={c}\")"})
            for c in dict.fromkeys(info.unused)]
