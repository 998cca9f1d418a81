"""GraphML, the exchange format of yEd, Cytoscape, igraph and networkx.

Reading
-------
Node ``id`` -> ``ID``; a ``label`` key -> ``Label`` (the ID when there is
none); edge ``weight`` -> ``Strength``; every other key keeps its
``attr.name``. Key ``<default>`` values fill the gaps and booleans are read
whatever their spacing and case. Each edge's ``directed`` attribute, or the
graph's ``edgedefault``, gives its ``Direction``. yEd/yFiles graphics are
read for what a map holds: ``y:NodeLabel``/``y:EdgeLabel`` -> ``Label``,
``y:Geometry`` ``x``/``y`` -> ``X``/``Y``, ``y:Fill`` colour -> ``Color``.
Graph-level data become the map's metadata. Endpoints not declared as nodes
become elements, with a warning; nested graphs are flattened (each node's
enclosing node in ``parent``) and each hyperedge becomes ordinary
connections between all its ends (marked in ``hyperedge``), with a warning.

Writing
-------
``edgedefault="directed"`` when any connection is directed, else
``undirected``; the ``Direction`` column is kept as a key. ``Strength`` is
written as ``weight``, custom fields are typed keys (``int``/``long``,
``double``, ``boolean`` or ``string``); our record (metadata and column
order) is the graph key ``cop_toolkit``, and the map's ``name`` and
``description`` are graph keys too.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.files import atomic_write_bytes
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import NUMERIC_COLUMNS
from cop_toolkit.io.common import check_storable
from cop_toolkit.io.graph_files import (
    cell_texts,
    column_kind,
    finish_graph,
    map_direction,
    parse_xml,
    read_guarded,
    read_record,
    record_text,
    tolerant_bool,
    xml_attr,
    xml_text,
)
from cop_toolkit.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["graphml_text", "read_graphml", "write_graphml"]

_NS = "http://graphml.graphdrawing.org/xmlns"
_TYPES = {"integer": "long", "double": "double", "boolean": "boolean", "string": "string"}


@dataclass
class _Key:
    name: str
    domain: str
    type: str = "string"
    default: str | None = None
    graphics: bool = False


@dataclass
class _Walk:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    directions: list[str] = field(default_factory=list)
    nested: int = 0
    hyperedges: int = 0


# ------------------------------------------------------------------ reading
def _keys(root: ET.Element) -> dict[str, _Key]:
    keys: dict[str, _Key] = {}
    used: set[tuple[str, str]] = set()
    reserved = {"node": {"ID"}, "edge": {"ID", "From", "To"}}
    for k in root.findall("key"):
        kid = k.get("id") or ""
        domain = (k.get("for") or "all").strip().lower()
        name = (k.get("attr.name") or "").strip() or kid
        while name in reserved.get(domain, ()) or (domain, name) in used:
            name = f"{name} (key)"
        used.add((domain, name))
        d = k.find("default")
        keys[kid] = _Key(name, domain, (k.get("attr.type") or "string").strip().lower(),
                         None if d is None else (d.text or ""), bool(k.get("yfiles.type")))
    return keys


def _yfiles(d: ET.Element, row: dict[str, Any]) -> None:
    for el in d.iter():
        tag = el.tag
        if tag in ("NodeLabel", "EdgeLabel") and "Label" not in row:
            text = "".join(el.itertext()).strip()
            if text:
                row["Label"] = text
        elif tag == "Geometry" and "X" not in row and el.get("x") is not None:
            row["X"], row["Y"] = el.get("x"), el.get("y")
        elif tag == "Fill" and "Color" not in row and (el.get("color") or "").startswith("#"):
            row["Color"] = el.get("color", "").lower()


def _data(el: ET.Element, keys: dict[str, _Key], domain: str, row: dict[str, Any]) -> dict[str, Any]:
    for d in el.findall("data"):
        kid = d.get("key") or ""
        key = keys.get(kid) or _Key(kid, domain)
        if key.graphics or len(d):
            _yfiles(d, row)
            continue
        if d.text is None:
            continue
        row[key.name] = tolerant_bool(d.text) if key.type == "boolean" else d.text
    for key in keys.values():
        if key.default is not None and key.domain in (domain, "all") and key.name not in row:
            row[key.name] = tolerant_bool(key.default) if key.type == "boolean" else key.default
    return row


def _direction(el: ET.Element, default: str) -> str:
    flag = tolerant_bool(el.get("directed") or "")
    return {"true": "directed", "false": "undirected"}.get(flag, default)


def _hyperedge(el: ET.Element, keys: dict[str, _Key], default: str, out: _Walk) -> None:
    ends = [e.get("node") for e in el.findall("endpoint") if e.get("node")]
    hid = el.get("id") or f"h{out.hyperedges + 1}"
    out.hyperedges += 1
    k = 0
    for i in range(len(ends)):
        for j in range(i + 1, len(ends)):
            k += 1
            row = {"ID": f"{hid}-{k}", "From": ends[i], "To": ends[j], "hyperedge": hid}
            out.edges.append(_data(el, keys, "edge", row))
            out.directions.append("undirected" if default == "undirected" else _direction(el, default))


def _walk(graph: ET.Element, keys: dict[str, _Key], default: str, parent: str | None, out: _Walk) -> None:
    for el in graph:
        tag = el.tag
        if tag == "node":
            row: dict[str, Any] = {"ID": el.get("id")}
            if parent is not None:
                row["parent"] = parent
            out.nodes.append(_data(el, keys, "node", row))
            for sub in el.findall("graph"):
                out.nested += 1
                _walk(sub, keys, _edgedefault(sub, default), row["ID"], out)
        elif tag == "edge":
            out.edges.append(_data(el, keys, "edge", {"ID": el.get("id"), "From": el.get("source"),
                                                      "To": el.get("target")}))
            out.directions.append(_direction(el, default))
        elif tag == "hyperedge":
            _hyperedge(el, keys, default, out)


def _edgedefault(graph: ET.Element, inherited: str) -> str:
    value = (graph.get("edgedefault") or "").strip().lower()
    return value if value in ("directed", "undirected") else inherited


def _graph_data(graph: ET.Element, keys: dict[str, _Key]) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, Any] = {}
    record: dict[str, Any] = {}
    for d in graph.findall("data"):
        key = keys.get(d.get("key") or "") or _Key(d.get("key") or "", "graph")
        if key.graphics or len(d) or d.text is None:
            continue
        if key.name == "cop_toolkit":
            try:
                found = json.loads(d.text)
            except ValueError:
                found = None
            record = found if isinstance(found, dict) else record
        elif key.name.startswith("cop_"):
            record[key.name] = d.text
        else:
            meta[key.name] = d.text
    return meta, record


def read_graphml(path: Path, *, sheet: Any = None, limits: ReadLimits = DEFAULT_LIMITS):
    """Read GraphML (ours, yEd's, Gephi's, igraph's or networkx's); see the module notes.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "g.graphml"
    >>> _ = p.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    ...     '<key id="c" for="node" attr.name="colour"><default>red</default></key>'
    ...     '<graph edgedefault="directed"><node id="a"/><edge source="a" target="b"/></graph></graphml>')
    >>> m, _, warnings = read_graphml(p)
    >>> m.elements["colour"].tolist(), m.connections["Direction"].tolist(), warnings[0].kind
    (['red', nan], ['directed'], 'undeclared_element')
    """
    root = parse_xml(path, "GraphML", "graphml", limits)
    graphs = root.findall("graph")
    if not graphs:
        raise MapError("the GraphML file has no <graph> section, so there is no network in it",
                       fix="open the file in yEd or Gephi to check it shows a network, then save it again as GraphML",
                       file=path.name)
    return read_guarded(lambda: _read(root, graphs, path.name), path.name, "GraphML",
                        "open it in yEd or Gephi and save it again as GraphML")


def _read(root: ET.Element, graphs: list[ET.Element], file: str):
    keys = _keys(root)
    meta, record = _graph_data(graphs[0], keys)
    own_meta, ecols, ccols = read_record(record)
    out = _Walk()
    for graph in graphs:
        _walk(graph, keys, _edgedefault(graph, "undirected"), None, out)
    warnings = []
    if len(graphs) > 1:
        warnings.append(MapWarning("nested", f"the file holds {len(graphs)} graphs; they were read as one map",
                                   file=file))
    if out.nested:
        warnings.append(MapWarning("nested", f"the file has {out.nested} graphs nested inside nodes; they were "
                                   "read as one map, with each node's enclosing node in the field 'parent'",
                                   file=file))
    if out.hyperedges:
        warnings.append(MapWarning("hyperedge", f"the file has {out.hyperedges} hyperedges (edges joining more "
                                   "than two nodes); each became connections between all its ends, marked in "
                                   "the field 'hyperedge'", file=file))
    own = ecols is not None
    if own and ccols is not None and "weight" not in ccols:
        for row in out.edges:
            if "weight" in row:
                row["Strength"] = row.pop("weight")
    return finish_graph(out.nodes, out.edges, file, own_meta if own and own_meta is not None else meta,
                        warnings=warnings, directions=None if own else out.directions,
                        element_columns=ecols, connection_columns=ccols)


# ------------------------------------------------------------------ writing
def _graphml_type(values: list[str | None], column: str) -> str:
    if column in ("Label", "Direction", "ID"):
        return "string"
    kind = _TYPES[column_kind(values, numeric=column in NUMERIC_COLUMNS)]
    if kind == "long" and all(v is None or abs(int(v)) < 2**31 for v in values):
        return "int"
    return kind


def _declare(df: pd.DataFrame, domain: str, skip: set[str], prefix: str, rename: dict[str, str]
             ) -> tuple[list[str], list[tuple[str, str, list[str | None]]]]:
    decl, cols = [], []
    for k, col in enumerate(c for c in df.columns if c not in skip):
        texts = cell_texts(df[col], col)
        kid = f"{prefix}{k}"
        name = rename.get(col, col)
        decl.append(f'<key id="{kid}" for="{domain}" attr.name="{xml_attr(str(name))}" '
                    f'attr.type="{_graphml_type(texts, col)}"/>')
        cols.append((kid, col, texts))
    return decl, cols


def _data_xml(cols: list[tuple[str, str, list[str | None]]], i: int) -> str:
    return "".join(f'<data key="{kid}">{xml_text(texts[i])}</data>' for kid, _, texts in cols
                   if texts[i] is not None)


def graphml_text(m: NetworkMap) -> str:
    """The map as GraphML text (see the module notes).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"], "Strength": [2.0]}))
    >>> text = graphml_text(m)
    >>> 'edgedefault="undirected"' in text, 'attr.name="weight" attr.type="double"' in text
    (True, True)
    """
    e, c = m.elements, m.connections
    rename = {} if "weight" in c.columns else {"Strength": "weight"}
    ndecl, ncols = _declare(e, "node", {"ID"}, "n", {})
    edecl, ecols = _declare(c, "edge", {"ID", "From", "To"}, "e", rename)
    graph_keys = [("g0", "cop_toolkit", record_text(m.metadata, e, c))]
    for k, name in enumerate(("name", "description"), start=1):
        if isinstance(m.metadata.get(name), str):
            graph_keys.append((f"g{k}", name, m.metadata[name]))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<graphml xmlns="{_NS}">']
    lines += [f'<key id="{kid}" for="graph" attr.name="{name}" attr.type="string"/>' for kid, name, _ in graph_keys]
    lines += ndecl + edecl
    lines.append(f'<graph id="G" edgedefault="{map_direction(c)}">')
    lines += [f'<data key="{kid}">{xml_text(text)}</data>' for kid, _, text in graph_keys]
    for i, node_id in enumerate(cell_texts(e["ID"], "ID")):
        lines.append(f'<node id="{xml_attr(node_id or "")}">{_data_xml(ncols, i)}</node>')
    ids, froms, tos = (cell_texts(c[col], col) for col in ("ID", "From", "To"))
    for i in range(len(c)):
        lines.append(f'<edge id="{xml_attr(ids[i] or "")}" source="{xml_attr(froms[i] or "")}" '
                     f'target="{xml_attr(tos[i] or "")}">{_data_xml(ecols, i)}</edge>')
    lines += ["</graph>", "</graphml>", ""]
    return "\n".join(lines)


def write_graphml(m: NetworkMap, path: Path) -> Path:
    """Write GraphML (atomically); see the module notes.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}), pd.DataFrame({"From": ["a"], "To": ["b"]}))
    >>> out = write_graphml(m, Path(tempfile.mkdtemp()) / "m.graphml")
    >>> read_graphml(out)[0].elements["Label"].tolist()
    ['A', 'B']
    """
    check_storable(m, path.name, "GraphML")
    return atomic_write_bytes(path, graphml_text(m).encode("utf-8"))
