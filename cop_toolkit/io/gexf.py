"""GEXF, Gephi's format: every version in use read, GEXF 1.3 written.

Reading
-------
Any namespace (``gephi.org/gexf``, ``gexf.net`` 1.1draft / 1.2draft / 1.3,
with or without ``www.``, or none). Node ``id`` -> ``ID``, ``label`` ->
``Label`` (the ID when there is none); ``viz:position`` -> ``X``/``Y`` (and
``Z`` when not 0), ``viz:color`` -> ``Color`` as ``#rrggbb`` (``Opacity``
when not 1), ``viz:size`` -> ``Size``, ``viz:shape`` -> ``Shape``; edge
``weight`` -> ``Strength``, ``label`` -> ``Label``, ``viz:thickness`` ->
``Thickness``. Attributes keep their titles; ``<default>`` values fill the
gaps; list types (``liststring``, ``listboolean`` …) become ``|``-separated
values; booleans are read whatever their spacing and case. Dynamic values
are kept as text: ``value [start,end]`` items separated by ``|`` (``(`` or
``)`` marks an open end); spells likewise in a ``spells`` field, and
``start``/``end`` attributes as fields of those names. Nested nodes are
flattened with their parent in ``pid``; nested edges are read. ``<meta>``
``title``/``description``/``creator``/``keywords`` and ``lastmodifieddate``
become the map's ``name``, ``description``, ``creator``, ``keywords`` and
``date``. Each edge's ``type`` (or the graph's ``defaultedgetype``, which is
``undirected`` when absent) gives its ``Direction``.

Writing
-------
GEXF 1.3 (``xmlns="http://gexf.net/1.3"``), which Gephi and networkx read.
``X``/``Y``, ``Color`` (``#rrggbb``), ``Opacity``, ``Size`` and ``Thickness``
go into ``viz`` elements; custom fields are typed attributes (see
:func:`~cop_toolkit.io.graph_files.column_kind`). A map with a directed
connection is written ``defaultedgetype="directed"`` (its ``mutual``
connections with ``type="mutual"``), any other ``undirected``; the
``Direction`` column is kept as an attribute too. Our record (metadata and
column order) is JSON in ``<meta><description>``.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.files import atomic_write_bytes
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import DIRECTIONS, NUMERIC_COLUMNS
from cop_toolkit.core.text import SEP
from cop_toolkit.io.common import check_storable, number_text
from cop_toolkit.io.graph_files import (
    cell_texts,
    column_kind,
    finish_graph,
    map_direction,
    parse_xml,
    read_guarded,
    read_record,
    record_text,
    split_list,
    tolerant_bool,
    xml_attr,
    xml_text,
)
from cop_toolkit.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["gexf_text", "read_gexf", "write_gexf"]

_NS = "http://gexf.net/1.3"
_HEX = re.compile(r"#[0-9a-f]{6}")
_TIME_ATTRS = ("start", "end", "startopen", "endopen", "timestamp", "timestamps")
_META = {"title": "name", "description": "description", "creator": "creator", "keywords": "keywords"}


@dataclass
class _Key:
    column: str
    type: str
    default: str | None


# ------------------------------------------------------------------ reading
def _keys(graph: ET.Element, cls: str, reserved: set[str]) -> dict[str, _Key]:
    keys: dict[str, _Key] = {}
    used: set[str] = set()
    for block in graph.findall("attributes"):
        if (block.get("class") or "node").strip().lower() != cls:
            continue
        for a in block.findall("attribute"):
            kid = a.get("id") or a.get("title") or ""
            title = (a.get("title") or kid).strip() or kid
            if title in reserved or title in used:
                title = f"{title} (attribute)"
            used.add(title)
            d = a.find("default")
            keys[kid] = _Key(title, (a.get("type") or "string").strip().lower(), None if d is None else d.text)
    return keys


def _convert(value: str, kind: str) -> str:
    if kind == "boolean":
        return tolerant_bool(value)
    if kind.startswith("list"):
        items = split_list(value)
        if kind == "listboolean":
            items = [tolerant_bool(x) for x in items]
        return SEP.join(items)
    return value


def _interval(el: ET.Element) -> str:
    if el.get("timestamp") is not None:
        return f"[{el.get('timestamp')}]"
    if el.get("timestamps") is not None:
        return f"[{el.get('timestamps')}]"
    start, end = el.get("startopen"), el.get("endopen")
    left = "(" if start is not None else "["
    right = ")" if end is not None else "]"
    start = start if start is not None else el.get("start") or ""
    end = end if end is not None else el.get("end") or ""
    return f"{left}{start},{end}{right}"


def _attvalues(block: ET.Element, keys: dict[str, _Key], row: dict[str, Any]) -> None:
    found: dict[str, list[tuple[str, str | None]]] = {}
    for av in block:
        if av.tag != "attvalue":
            continue
        kid = av.get("for") or av.get("id") or ""
        key = keys.get(kid) or _Key(kid, "string", None)
        value = av.get("value")
        if value is None:
            continue
        timed = any(av.get(t) is not None for t in _TIME_ATTRS)
        found.setdefault(key.column, []).append((_convert(value, key.type), _interval(av) if timed else None))
    for col, items in found.items():
        if len(items) == 1 and items[0][1] is None:
            row[col] = items[0][0]
        else:
            row[col] = SEP.join(v if t is None else f"{v} {t}" for v, t in items)


def _viz(el: ET.Element, row: dict[str, Any]) -> None:
    tag = el.tag
    if tag == "position":
        row["X"], row["Y"] = el.get("x", "0"), el.get("y", "0")
        z = el.get("z")
        if z is not None and z.strip() not in ("", "0", "0.0"):
            row["Z"] = z
    elif tag == "color":
        hexa = el.get("hex")
        if hexa:
            row["Color"] = hexa.strip().lower()
        else:
            row["Color"] = "#" + "".join(f"{max(0, min(255, int(float(el.get(c) or 0)))):02x}" for c in "rgb")
        a = el.get("a")
        if a is not None and a.strip() not in ("1", "1.0"):
            row["Opacity"] = a.strip()
    elif tag in ("size", "thickness"):
        if el.get("value") is not None:
            row[tag.capitalize()] = el.get("value")
    elif tag == "shape":
        row["Shape"] = el.get("uri") or el.get("value") or el.get("shape")


def _spells(el: ET.Element) -> str:
    return SEP.join(_interval(s) for s in el if s.tag in ("spell", "slice"))


def _row(el: ET.Element, keys: dict[str, _Key], row: dict[str, Any]) -> dict[str, Any]:
    for t in _TIME_ATTRS:
        if el.get(t) is not None:
            row[t] = el.get(t)
    for child in el:
        tag = child.tag
        if tag == "attvalues":
            _attvalues(child, keys, row)
        elif tag in ("spells", "slices"):
            row[tag] = _spells(child)
        elif tag == "parents":
            row["parents"] = SEP.join(p.get("for") or "" for p in child if p.tag == "parent")
        elif tag in ("position", "color", "size", "thickness", "shape"):
            _viz(child, row)
    for key in keys.values():
        if key.default is not None and key.column not in row:
            row[key.column] = _convert(key.default, key.type)
    return row


def _nodes(container: ET.Element, keys: dict[str, _Key], parent: str | None, out: list[dict[str, Any]]) -> bool:
    nested = False
    for el in container:
        if el.tag != "node":
            continue
        row: dict[str, Any] = {"ID": el.get("id"), "Label": el.get("label")}
        pid = el.get("pid", parent)
        if pid is not None:
            row["pid"] = pid
        out.append(_row(el, keys, row))
        for child in el:
            if child.tag == "nodes":
                nested = True
                _nodes(child, keys, row["ID"], out)
    return nested


def _edges(graph: ET.Element, keys: dict[str, _Key], default: str, file: str
           ) -> tuple[list[dict[str, Any]], list[str], list[MapWarning]]:
    rows, directions, warnings = [], [], []
    odd: list[str] = []
    for el in graph.iter("edge"):
        row: dict[str, Any] = {"ID": el.get("id"), "From": el.get("source"), "To": el.get("target")}
        if el.get("label") is not None:
            row["Label"] = el.get("label")
        if el.get("weight") is not None:
            row["Strength"] = el.get("weight")
        if el.get("kind") is not None:
            row["kind"] = el.get("kind")
        kind = (el.get("type") or "").strip().lower()
        if kind and kind not in DIRECTIONS:
            row["GEXF type"] = el.get("type")
            odd.append(el.get("type") or "")
            kind = ""
        rows.append(_row(el, keys, row))
        directions.append(kind or default)
    if odd:
        warnings.append(MapWarning("custom_field", f"{len(odd)} edges have a type such as {odd[0]!r}, which is not "
                                   "a direction; it is kept in the field 'GEXF type'", file=file))
    return rows, directions, warnings


def _meta(root: ET.Element, graph: ET.Element) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, Any] = {}
    record: dict[str, Any] = {}
    block = root.find("meta")
    if block is not None:
        if block.get("lastmodifieddate"):
            meta["date"] = block.get("lastmodifieddate")
        for child in block:
            text = (child.text or "").strip()
            key = _META.get(child.tag.lower())
            if not key or not text:
                continue
            found = None
            if key == "description" and text.startswith("{"):
                try:
                    found = json.loads(text)
                except ValueError:
                    found = None
            if isinstance(found, dict) and isinstance(found.get("cop_toolkit"), dict):
                record = found["cop_toolkit"]
            else:
                meta.setdefault(key, text)
    if "name" not in meta and graph.get("name"):
        meta["name"] = graph.get("name")
    return meta, record


def read_gexf(path: Path, *, sheet: Any = None, limits: ReadLimits = DEFAULT_LIMITS):
    """Read GEXF of any version (ours, Gephi's or another tool's); see the module notes.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "g.gexf"
    >>> _ = p.write_text('<gexf xmlns="http://www.gexf.net/1.3" xmlns:viz="http://www.gexf.net/1.3/viz">'
    ...     '<graph defaultedgetype="directed"><nodes><node id="a" label="A"><viz:position x="1" y="2"/>'
    ...     '</node><node id="b" label="B"/></nodes><edges><edge source="a" target="b"/></edges></graph></gexf>')
    >>> m, _, _ = read_gexf(p)
    >>> float(m.elements.loc[0, "X"]), m.connections.loc[0, "Direction"]
    (1.0, 'directed')
    """
    root = parse_xml(path, "GEXF", "gexf", limits)
    graph = root.find("graph")
    if graph is None:
        raise MapError("the GEXF file has no <graph> section, so there is no network in it",
                       fix="open the file in Gephi to check it shows a network, then save it again with "
                       "File > Export > Graph file (.gexf)", file=path.name)
    return read_guarded(lambda: _read_graph(root, graph, path.name), path.name, "GEXF",
                        "open it in Gephi and save it again with File > Export > Graph file (.gexf)")


def _read_graph(root: ET.Element, graph: ET.Element, file: str):
    meta, record = _meta(root, graph)
    own_meta, ecols, ccols = read_record(record)
    own = ecols is not None
    nkeys = _keys(graph, "node", {"ID", "Label"})
    ekeys = _keys(graph, "edge", {"ID", "From", "To", "Label"})
    nodes: list[dict[str, Any]] = []
    warnings: list[MapWarning] = []
    top = graph.find("nodes")
    if top is not None and _nodes(top, nkeys, None, nodes):
        warnings.append(MapWarning("nested", "the file nests nodes inside nodes; they were read as one map, "
                                   "with each node's parent in the field 'pid'", file=file))
    default = (graph.get("defaultedgetype") or "undirected").strip().lower()
    edges, directions, more = _edges(graph, ekeys, default if default in DIRECTIONS else "undirected", file)
    return finish_graph(nodes, edges, file, own_meta if own and own_meta is not None else meta,
                        warnings=warnings + more, directions=None if own else directions,
                        element_columns=ecols, connection_columns=ccols)


# ------------------------------------------------------------------ writing
def _viz_ok(column: str, value: str | None, row: dict[str, str | None]) -> bool:
    if value is None:
        return False
    if column in ("X", "Y"):
        return row.get("X") is not None and row.get("Y") is not None
    if column == "Color":
        return bool(_HEX.fullmatch(value))
    if column in ("Size", "Thickness"):
        return _plain_number(value)
    if column == "Opacity":
        return _plain_number(value) and 0 <= float(value) < 1 and bool(_HEX.fullmatch(row.get("Color") or ""))
    return False


def _plain_number(value: str) -> bool:
    try:
        f = float(value)
    except ValueError:
        return False
    return math.isfinite(f) and number_text(f) == value


def _viz_xml(row: dict[str, str | None], ok: set[str], edge: bool) -> list[str]:
    out = []
    if "Color" in ok:
        c = row["Color"] or ""
        a = f' a="{row["Opacity"]}"' if "Opacity" in ok else ""
        out.append(f'<viz:color r="{int(c[1:3], 16)}" g="{int(c[3:5], 16)}" b="{int(c[5:7], 16)}"{a}/>')
    if not edge and "X" in ok:
        out.append(f'<viz:position x="{row["X"]}" y="{row["Y"]}" z="0.0"/>')
    if not edge and "Size" in ok:
        out.append(f'<viz:size value="{row["Size"]}"/>')
    if edge and "Thickness" in ok:
        out.append(f'<viz:thickness value="{row["Thickness"]}"/>')
    return out


def _table_xml(df: pd.DataFrame, cls: str, skip: set[str], viz: set[str]
               ) -> tuple[list[str], list[tuple[dict[str, str | None], list[str]]]]:
    """Attribute declarations and, per row, its texts and inner XML."""
    cols = [c for c in df.columns if c not in skip]
    texts = {c: cell_texts(df[c], c) for c in df.columns}
    n = len(df)
    rows = [{c: texts[c][i] for c in df.columns} for i in range(n)]
    inner: list[list[str]] = [[] for _ in range(n)]
    fallback: dict[str, set[int]] = {}
    for i, row in enumerate(rows):
        ok = {c for c in viz if c in row and _viz_ok(c, row[c], row)}
        inner[i] = _viz_xml(row, ok, cls == "edge")
        for c in viz:
            if c in row and row[c] is not None and c not in ok:
                fallback.setdefault(c, set()).add(i)
    declared = [c for c in cols if c not in viz or c in fallback]
    decl = [f'<attributes class="{cls}" mode="static">']
    for k, c in enumerate(declared):
        vals = texts[c] if c not in viz else [texts[c][i] for i in sorted(fallback[c])]
        kind = "string" if c == "Direction" else column_kind(vals, numeric=c in NUMERIC_COLUMNS)
        decl.append(f'<attribute id="{k}" title="{xml_attr(str(c))}" type="{kind}"/>')
    decl.append("</attributes>")
    for i, row in enumerate(rows):
        values = [(k, row[c]) for k, c in enumerate(declared)
                  if row[c] is not None and (c not in viz or i in fallback[c])]
        if values:
            inner[i] = ['<attvalues>' + "".join(f'<attvalue for="{k}" value="{xml_attr(v)}"/>' for k, v in values)
                        + '</attvalues>'] + inner[i]
    return (decl if declared else []), list(zip(rows, inner))


def gexf_text(m: NetworkMap) -> str:
    """The map as GEXF 1.3 text (see the module notes).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "X": [1.0, 2.0], "Y": [0.5, 1.0]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"], "Direction": ["directed"]}))
    >>> text = gexf_text(m)
    >>> 'defaultedgetype="directed"' in text, '<viz:position x="1" y="0.5" z="0.0"/>' in text
    (True, True)
    """
    direction = map_direction(m.connections)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<gexf xmlns="{_NS}" xmlns:viz="{_NS}/viz" version="1.3">',
             "<meta><creator>cop_toolkit</creator><description>"
             + xml_text(json.dumps({"cop_toolkit": json.loads(record_text(m.metadata, m.elements, m.connections))},
                                   ensure_ascii=False))
             + "</description></meta>",
             f'<graph mode="static" defaultedgetype="{direction}">']
    ndecl, nrows = _table_xml(m.elements, "node", {"ID", "Label"}, {"X", "Y", "Color", "Opacity", "Size"})
    edecl, erows = _table_xml(m.connections, "edge", {"ID", "From", "To", "Label", "Strength"},
                              {"Color", "Opacity", "Thickness"})
    lines += ndecl + edecl + ["<nodes>"]
    for row, inner in nrows:
        label = f' label="{xml_attr(row["Label"])}"' if row.get("Label") is not None else ""
        lines.append(f'<node id="{xml_attr(row["ID"] or "")}"{label}>' + "".join(inner) + "</node>")
    lines.append("</nodes><edges>")
    for row, inner in erows:
        extra = ""
        if row.get("Label") is not None:
            extra += f' label="{xml_attr(row["Label"])}"'
        if row.get("Strength") is not None:
            extra += f' weight="{row["Strength"]}"'
        d = (row.get("Direction") or "").strip().lower()
        if direction == "directed" and d == "mutual":
            extra += ' type="mutual"'
        lines.append(f'<edge id="{xml_attr(row["ID"] or "")}" source="{xml_attr(row["From"] or "")}" '
                     f'target="{xml_attr(row["To"] or "")}"{extra}>' + "".join(inner) + "</edge>")
    lines += ["</edges>", "</graph>", "</gexf>", ""]
    return "\n".join(lines)


def write_gexf(m: NetworkMap, path: Path) -> Path:
    """Write GEXF 1.3 (atomically); see the module notes.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}), pd.DataFrame({"From": ["a"], "To": ["b"]}))
    >>> out = write_gexf(m, Path(tempfile.mkdtemp()) / "m.gexf")
    >>> read_gexf(out)[0].connections[["From", "To"]].values.tolist()
    [['a', 'b']]
    """
    check_storable(m, path.name, "GEXF")
    return atomic_write_bytes(path, gexf_text(m).encode("utf-8"))
