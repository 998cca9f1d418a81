"""Kumu JSON: ``{"elements": [...], "connections": [...], "map": {...}}``.

The standard fields are written with Kumu's lower-case keys (``id``,
``label``, ``type``, ``description``, ``tags``, ``from``, ``to``,
``direction``, ``strength``); custom fields keep their column names. Text
stays text (``|``-separated values are kept as one string), numbers are JSON
numbers and blank cells are left out. Two keys of ours make the round trip
lossless: ``map`` (the metadata) and ``columns`` (the column order, including
columns that are blank everywhere).

Reading also accepts Kumu's own export, where fields may sit inside an
``attributes`` object (``"element type"``, ``"connection type"``) and
multi-values are lists (joined with ``|``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_files
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import NUMERIC_COLUMNS
from cop_toolkit.core.text import SEP
from cop_toolkit.io.common import (
    HEADER_ALIASES,
    Table,
    assemble,
    jsonable,
    number_text,
    show,
)
from cop_toolkit.io.csv_files import read_text

__all__ = ["read_json", "write_json"]

_LOWER = {"ID", "Label", "Type", "Description", "Tags", "From", "To", "Direction", "Strength"}


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


def _records(items: Any, key: str, file: str, table: str) -> Table:
    if not isinstance(items, list):
        raise MapError(f"'{key}' should be a list of records [...]", fix="check the file was exported as Kumu JSON",
                       file=file)
    aliases = HEADER_ALIASES[table]
    rows: list[dict[str, Any]] = []
    order: dict[str, None] = {}
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise MapError(f"item {n} of '{key}' is not a record {{...}}", fix="fix or delete that item",
                           file=file, sheet=key, row=n)
        flat = dict(item)
        attrs = flat.pop("attributes", None)
        if isinstance(attrs, dict):
            flat = {**attrs, **flat}
        row = {}
        for k, v in flat.items():
            k = str(k)
            # only lower-case keys are Kumu's standard ones; "Weight" stays a custom field
            col = (aliases.get(k) if k == k.lower() else None) or k
            order.setdefault(col, None)
            row[col] = _value(v, col)
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(order), dtype=object)
    return Table(df, file, key, header_row=0)


def read_json(path: Path, *, sheet: Any = None):
    """Read a Kumu JSON file."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MapError(f"the JSON is damaged ({exc.msg} at line {exc.lineno}, character {exc.colno})",
                       fix="fix that spot (often a missing comma or quote mark) or export the file again",
                       file=path.name, row=exc.lineno) from None
    if not isinstance(data, dict) or "elements" not in data:
        raise MapError("this JSON file has no \"elements\" list",
                       fix='write it as {"elements": [...], "connections": [...]} (Kumu\'s JSON export)',
                       file=path.name)
    elements = _records(data["elements"], "elements", path.name, "elements")
    connections = _records(data.get("connections") or [], "connections", path.name, "connections")
    columns = data.get("columns") if isinstance(data.get("columns"), dict) else {}
    for table, name in ((elements, "elements"), (connections, "connections")):
        wanted = columns.get(name)
        if isinstance(wanted, list):
            extra = [c for c in table.df.columns if c not in wanted]
            table.df = table.df.reindex(columns=[str(c) for c in wanted] + extra)
    if not len(connections.df.columns):
        connections.df = pd.DataFrame(columns=["From", "To"])
    meta = data.get("map")
    if meta is None:
        meta = data.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise MapError('"map" should be a record of map facts {...}', fix='write it like {"name": "My map"}',
                       file=path.name)
    return assemble([elements], [connections], dict(meta or {}))


def _key(col: str) -> str:
    return col.lower() if col in _LOWER else col


def _dump_table(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = list(df.columns)
    keys = [_key(c) for c in cols]
    numeric = [c in NUMERIC_COLUMNS for c in cols]
    out = []
    for row in df.itertuples(index=False, name=None):
        rec = {}
        for k, num, v in zip(keys, numeric, row):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            rec[k] = float(v) if num else str(v)
            if num and rec[k].is_integer():
                rec[k] = int(rec[k])
        out.append(rec)
    return out


def write_json(m: NetworkMap, path: Path) -> Path:
    """Write Kumu JSON (atomically)."""
    doc = {
        "elements": _dump_table(m.elements),
        "connections": _dump_table(m.connections),
        "map": jsonable(m.metadata),
        "columns": {"elements": list(m.elements.columns), "connections": list(m.connections.columns)},
    }
    with atomic_files(path) as (tmp,):
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    return path
