"""Kumu JSON: the blueprint form Kumu imports, and Kumu's project export.

Reading
-------
- The **blueprint** form ``{"elements": [...], "connections": [...]}``:
  Kumu's lower-case keys (``id``, ``label``, ``type``, ``description``,
  ``tags``, ``from``, ``to``, ``direction``, ``strength``) become the
  standard columns; any other key is a custom field under its own name.
- Kumu's **project export**: elements and connections keyed by ``_id``
  (used as ``ID`` when there is no ``id``), connections pointing at those
  ``_id``\\ s, fields inside an ``attributes`` record (``"element type"``,
  ``"connection type"``), so labels may repeat; element positions in
  ``maps[].elements[].position`` (the first map that has any) become ``X``/``Y``,
  and the first map's name the map's ``name``.
- Lists become ``|``-separated values; records become JSON text; a
  ``direction`` holding something other than ``directed``, ``undirected``
  or ``mutual`` is kept as a custom field, with a warning.

Writing
-------
The blueprint form Kumu imports: standard fields under Kumu's keys, ``tags``
as a list, numbers as JSON numbers, blank cells left out, and connections
pointing at element ``id``\\ s. Two keys of ours make the round trip lossless:
``map`` (the metadata) and ``columns`` (the column order, including columns
blank everywhere); Kumu ignores them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_bytes
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import NUMERIC_COLUMNS
from cop_toolkit.core.text import SEP
from cop_toolkit.io.common import HEADER_ALIASES, Table, assemble, jsonable, number_text
from cop_toolkit.io.csv_files import read_text
from cop_toolkit.io.graph_files import keep_custom_direction
from cop_toolkit.io.limits import DEFAULT_LIMITS, ReadLimits, parse_json

__all__ = ["json_keys", "json_text", "read_json", "write_json"]

_LOWER = ("ID", "Label", "Type", "Description", "Tags", "From", "To", "Direction", "Strength")


def json_keys(columns: list[str]) -> dict[str, str]:
    """The JSON key for each column: Kumu's lower-case key for standard ones, unless a custom column has it.

    Examples
    --------
    >>> json_keys(["ID", "Label", "label", "Needs"])
    {'ID': 'id', 'Label': 'Label', 'label': 'label', 'Needs': 'Needs'}
    """
    taken = set(columns)
    return {c: (c.lower() if c in _LOWER and c.lower() not in taken else c) for c in columns}


def _value(v: Any, column: str) -> Any:
    if v is None:
        return None
    if isinstance(v, list):
        return SEP.join(str(_value(x, column)) for x in v if x is not None)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return v if column in NUMERIC_COLUMNS else number_text(v)
    return str(v)


def _items(items: Any, key: str, file: str) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise MapError(f"'{key}' should be a list of records [...]", fix="check the file was exported as Kumu JSON",
                       file=file)
    out = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise MapError(f"item {n} of '{key}' is not a record {{...}}", fix="fix or delete that item",
                           file=file, sheet=key, row=n)
        if "attributes" not in item:  # nothing to lift out: the record as it is (never changed later)
            out.append(item)
            continue
        flat = dict(item)
        attrs = flat.pop("attributes", None)
        if isinstance(attrs, dict):
            flat = {**attrs, **flat}
        out.append(flat)
    return out


def _column_name(k: str, exact: dict[str, str] | None, aliases: dict[str, str], has_id: bool) -> str:
    """The column a JSON key goes to."""
    if exact is not None:
        return exact.get(k, k)
    if k == "_id" and not has_id:
        return "ID"
    # only lower-case keys are Kumu's standard ones; "Weight" stays a custom field
    return (aliases.get(k) if k == k.lower() else None) or k


_ABSENT = object()
_PLAIN = frozenset({str, type(None)})


def _column_values(items: list[dict[str, Any]], key: Any, col: str) -> list[Any]:
    """One key's values down the rows, as :func:`_value` makes them (NaN where a row lacks the key)."""
    values = [item.get(key, _ABSENT) for item in items]
    kinds = set(map(type, values))
    if kinds <= _PLAIN:  # text and nulls only, the usual case: nothing to convert
        return values
    if kinds <= _PLAIN | {object}:
        return [math.nan if v is _ABSENT else v for v in values]
    return [math.nan if v is _ABSENT else _value(v, col) for v in values]


def _records(items: list[dict[str, Any]], table: str, exact: dict[str, str] | None) -> pd.DataFrame:
    """Rows as a table; ``exact`` (our own file) maps each JSON key back to its column."""
    aliases = HEADER_ALIASES[table]
    has_id = any("id" in item for item in items)
    keys: dict[Any, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
    cols = {k: _column_name(str(k), exact, aliases, has_id) for k in keys}
    if len(set(cols.values())) < len(cols) or not all(isinstance(k, str) for k in cols):
        return _records_by_row(items, cols)
    data = {col: _column_values(items, k, col) for k, col in cols.items()}
    return pd.DataFrame(data, columns=list(data), dtype=object, index=pd.RangeIndex(len(items)))


def _records_by_row(items: list[dict[str, Any]], cols: dict[Any, str]) -> pd.DataFrame:
    """Rows as a table, one row at a time: for two keys that go to one column (the later one wins)."""
    rows: list[dict[str, Any]] = []
    order: dict[str, None] = {}
    for item in items:
        row = {}
        for k, v in item.items():
            col = cols[k]
            order.setdefault(col, None)
            row[col] = _value(v, col)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(order), dtype=object)


def _positions(data: dict[str, Any], elements: pd.DataFrame) -> pd.DataFrame:
    maps = data.get("maps")
    if not isinstance(maps, list) or "ID" not in elements.columns:
        return elements
    for view in maps:
        placed = view.get("elements") if isinstance(view, dict) else None
        xy = {}
        for item in placed if isinstance(placed, list) else []:
            pos = item.get("position") if isinstance(item, dict) else None
            if isinstance(pos, dict) and item.get("element") is not None:
                xy[str(item["element"])] = (pos.get("x"), pos.get("y"))
        if xy:
            ids = elements["ID"].astype(str)
            for i, col in enumerate(("X", "Y")):
                found = ids.map(lambda e, i=i, xy=xy: xy.get(e, (None, None))[i])
                elements[col] = found if col not in elements.columns else elements[col].where(
                    elements[col].notna(), found)
            return elements
    return elements


def _metadata(data: dict[str, Any], file: str) -> dict[str, Any]:
    meta = data.get("map")
    if meta is None:
        meta = data.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise MapError('"map" should be a record of map facts {...}', fix='write it like {"name": "My map"}',
                       file=file)
    meta = dict(meta or {})
    maps = data.get("maps")
    if "name" not in meta and isinstance(maps, list) and maps and isinstance(maps[0], dict) and maps[0].get("name"):
        meta["name"] = str(maps[0]["name"])
    return meta


def read_json(path: Path, *, sheet: Any = None, limits: ReadLimits = DEFAULT_LIMITS):
    """Read Kumu JSON: a blueprint, Kumu's project export, or a file of ours.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "k.json"
    >>> _ = p.write_text(json.dumps({"elements": [{"_id": "e1", "attributes": {"label": "A"}},
    ...     {"_id": "e2", "attributes": {"label": "A"}}], "connections": [{"_id": "c1", "from": "e1", "to": "e2",
    ...     "direction": "mutual"}], "maps": [{"name": "Web", "elements": [{"element": "e1", "position": {"x": 3, "y": 4}}]}]}))
    >>> m, _, _ = read_json(p)
    >>> m.elements[["ID", "Label", "X"]].values.tolist(), m.connections["Direction"].tolist(), m.metadata["name"]
    ([['e1', 'A', 3.0], ['e2', 'A', nan]], ['mutual'], 'Web')
    """
    text, text_soft = read_text(path, limits)
    try:
        data = parse_json(text, limits, file=path.name)
        del text  # the parsed file is all that is needed now
    except json.JSONDecodeError as exc:
        raise MapError(f"the JSON is damaged ({exc.msg} at line {exc.lineno}, character {exc.colno})",
                       fix="fix that spot (often a missing comma or quote mark) or export the file again",
                       file=path.name, row=exc.lineno) from None
    if not isinstance(data, dict) or "elements" not in data:
        raise MapError("this JSON file has no \"elements\" list",
                       fix='write it as {"elements": [...], "connections": [...]} (Kumu\'s JSON export)',
                       file=path.name)
    columns = data.get("columns") if isinstance(data.get("columns"), dict) else {}
    tables = []
    for name in ("elements", "connections"):
        wanted = columns.get(name)
        wanted = [str(c) for c in wanted] if isinstance(wanted, list) else None
        exact = {v: k for k, v in json_keys(wanted).items()} if wanted is not None else None
        # taken out of the parsed file as it is read, so its records can be freed (a big map's take GBs)
        df = _records(_items(data.pop(name, None) or [], name, path.name), name, exact)
        if wanted is not None:
            df = df.reindex(columns=wanted + [c for c in df.columns if c not in wanted])
        tables.append(df)
    elements, connections = tables
    elements = _positions(data, elements)
    if not len(connections.columns):
        connections = pd.DataFrame(columns=["From", "To"])
    connections, soft = keep_custom_direction(connections, path.name)
    m, loc, more = assemble([Table(elements, path.name, "elements", header_row=0)],
                            [Table(connections, path.name, "connections", header_row=0)],
                            _metadata(data, path.name))
    return m, loc, text_soft + soft + more


def _dump_table(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = [str(c) for c in df.columns]
    keys = json_keys(cols)
    numeric = [c in NUMERIC_COLUMNS for c in cols]
    out = []
    for row in df.itertuples(index=False, name=None):
        rec: dict[str, Any] = {}
        for col, num, v in zip(cols, numeric, row):
            if v is None or (isinstance(v, float) and not math.isfinite(v)):
                continue
            if num:
                f = float(v)
                rec[keys[col]] = int(f) if f.is_integer() and abs(f) < 2**53 else f
            elif keys[col] == "tags":
                rec["tags"] = str(v).split(SEP)
            else:
                rec[keys[col]] = str(v)
        out.append(rec)
    return out


def json_text(m: NetworkMap) -> str:
    """The map as Kumu blueprint JSON text (see the module notes).

    Examples
    --------
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Tags": ["x|y", None]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"], "Direction": ["mutual"]}))
    >>> doc = json.loads(json_text(m))
    >>> doc["elements"][0], doc["connections"][0]["direction"]
    ({'id': 'a', 'label': 'A', 'tags': ['x', 'y']}, 'mutual')
    """
    doc = {
        "elements": _dump_table(m.elements),
        "connections": _dump_table(m.connections),
        "map": jsonable(m.metadata),
        "columns": {"elements": [str(c) for c in m.elements.columns],
                    "connections": [str(c) for c in m.connections.columns]},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def write_json(m: NetworkMap, path: Path) -> Path:
    """Write Kumu blueprint JSON (atomically).

    Examples
    --------
    >>> import tempfile
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"]}), pd.DataFrame(columns=["From", "To"]))
    >>> read_json(write_json(m, Path(tempfile.mkdtemp()) / "m.json"))[0].elements["Label"].tolist()
    ['A']
    """
    return atomic_write_bytes(path, json_text(m).encode("utf-8"))

