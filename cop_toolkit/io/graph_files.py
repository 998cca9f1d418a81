"""GraphML and GEXF, the exchange formats of Gephi, Cytoscape and networkx.

Writing
-------
The map becomes a networkx ``MultiDiGraph``: one node per element (node id =
element ``ID``), one edge per connection (edge id = connection ``ID``, drawn
``From`` -> ``To``; the ``Direction`` column says whether it is really
directed). Every other column is an attribute named after the column: text
as strings, number columns as doubles, blank cells left out. A file written
here opens in ``networkx.read_graphml`` / ``read_gexf`` with the same nodes,
edges and attributes.

To make the round trip lossless a small record is kept in the file: in
GraphML the graph attributes ``cop_metadata``, ``cop_element_columns`` and
``cop_connection_columns`` (JSON text); in GEXF the same record as JSON in the
``<meta><description>``. In GEXF the element label is the node's ``label``
and ``Strength`` is the edge ``weight``, as Gephi expects.

Reading files from other tools
------------------------------
node id -> ``ID``; ``label`` -> ``Label`` (the ID when there is no label);
edge ``weight`` -> ``Strength``; edge id -> connection ``ID``. In an
undirected file every connection gets ``Direction`` ``undirected``.

Attribute names GEXF reserves (``label``, ``weight``, ``id``, ``type``,
``start``, ``end``) cannot be used as custom column names in GEXF.
"""

from __future__ import annotations

import io as _stdio
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_files
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import NUMERIC_COLUMNS
from cop_toolkit.io.common import (
    Table,
    assemble,
    check_storable,
    jsonable,
    number_text,
)

__all__ = ["read_graphml", "write_graphml", "read_gexf", "write_gexf", "map_to_multidigraph"]

_GEXF_NS = "http://www.gexf.net/1.2draft"


def map_to_multidigraph(m: NetworkMap, *, gexf: bool = False) -> nx.MultiDiGraph:
    """Turn a map into a ``MultiDiGraph`` keeping every cell (see the module notes).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
    ...                pd.DataFrame({"ID": ["c1"], "From": ["a"], "To": ["b"], "Direction": ["mutual"]}))
    >>> list(map_to_multidigraph(m).edges(keys=True, data=True))
    [('a', 'b', 'c1', {'Direction': 'mutual'})]
    """
    G = nx.MultiDiGraph()

    def attrs(cols: list[str], row: tuple) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for col, v in zip(cols, row):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            out[col] = float(v) if col in NUMERIC_COLUMNS else str(v)
        return out

    e = m.elements
    ecols = [c for c in e.columns if c != "ID"]
    for row in e[["ID"] + ecols].itertuples(index=False, name=None):
        a = attrs(ecols, row[1:])
        if gexf and "Label" in a:
            a["label"] = a.pop("Label")
        G.add_node(str(row[0]), **a)
    c = m.connections
    ccols = [col for col in c.columns if col not in ("ID", "From", "To")]
    for row in c[["ID", "From", "To"] + ccols].itertuples(index=False, name=None):
        a = attrs(ccols, row[3:])
        if gexf:
            if "Strength" in a:
                a["weight"] = a.pop("Strength")
            a["id"] = str(row[0])
        G.add_edge(str(row[1]), str(row[2]), key=str(row[0]), **a)
    return G


def _record(m: NetworkMap) -> dict[str, str]:
    return {
        "cop_metadata": json.dumps(jsonable(m.metadata), ensure_ascii=False),
        "cop_element_columns": json.dumps(list(m.elements.columns), ensure_ascii=False),
        "cop_connection_columns": json.dumps(list(m.connections.columns), ensure_ascii=False),
        # networkx writes edges grouped by node; this keeps the map's own order
        "cop_connection_order": json.dumps([str(i) for i in m.connections["ID"]], ensure_ascii=False),
    }


def write_graphml(m: NetworkMap, path: Path) -> Path:
    """Write GraphML (atomically)."""
    check_storable(m, path.name, "GraphML")
    G = map_to_multidigraph(m)
    G.graph.update(_record(m))
    with atomic_files(path) as (tmp,):
        nx.write_graphml(G, tmp, encoding="utf-8", prettyprint=True)
    return path


def write_gexf(m: NetworkMap, path: Path) -> Path:
    """Write GEXF 1.2 (atomically), with our record in ``<meta><description>``."""
    check_storable(m, path.name, "GEXF")
    G = map_to_multidigraph(m, gexf=True)
    if m.metadata.get("name"):
        G.graph["name"] = str(m.metadata["name"])
    buf = _stdio.BytesIO()
    nx.write_gexf(G, buf, encoding="utf-8", prettyprint=True)
    ET.register_namespace("", _GEXF_NS)
    ET.register_namespace("viz", "http://www.gexf.net/1.2draft/viz")
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(buf.getvalue())
    meta = root.find(f"{{{_GEXF_NS}}}meta")
    if meta is None:
        meta = ET.SubElement(root, f"{{{_GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{_GEXF_NS}}}description").text = json.dumps(
        {"cop_toolkit": _record(m)}, ensure_ascii=False
    )
    with atomic_files(path) as (tmp,):
        ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    return path


# ------------------------------------------------------------------ reading
def _text(v: Any, col: str) -> Any:
    if v is None:
        return None
    if col in NUMERIC_COLUMNS:
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return None if isinstance(v, float) and math.isnan(v) else number_text(v)
    if isinstance(v, (list, tuple)):
        return "|".join(str(x) for x in v)
    return str(v)


def _edge_order(root: ET.Element) -> dict[str, int]:
    order: dict[str, int] = {}
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == "edge":
            eid = el.get("id")
            if eid is not None and eid not in order:
                order[eid] = len(order)
    return order


def _tables(G: nx.Graph, file: str, record: dict[str, Any], order: dict[str, int]):
    ecols = _json_list(record.get("cop_element_columns"))
    ccols = _json_list(record.get("cop_connection_columns"))
    own = ecols is not None
    own_order = _json_list(record.get("cop_connection_order"))
    if own_order is not None:
        order = {cid: i for i, cid in enumerate(own_order)}
    nodes = []
    for n, data in G.nodes(data=True):
        d = dict(data)
        if "label" in d and "Label" not in d:
            d["Label"] = d.pop("label")
        if "Label" not in d and not own:
            d["Label"] = str(n)
        row = {"ID": str(n)}
        row.update({str(k): _text(v, str(k)) for k, v in d.items()})
        nodes.append(row)
    edges = []
    it = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, None, d) for u, v, d in G.edges(data=True))
    for u, v, key, data in it:
        d = dict(data)
        eid = d.pop("id", None)
        d.pop("networkx_key", None)
        if key is not None and not isinstance(key, int):
            eid = key
        if "weight" in d and "Strength" not in d:
            d["Strength"] = d.pop("weight")
        if "label" in d and "Label" not in d:
            d["Label"] = d.pop("label")
        if not G.is_directed() and "Direction" not in d:
            d["Direction"] = "undirected"
        row = {"ID": None if eid is None else str(eid), "From": str(u), "To": str(v)}
        row.update({str(k): _text(x, str(k)) for k, x in d.items()})
        edges.append(row)
    edf = pd.DataFrame(nodes, dtype=object)
    cdf = pd.DataFrame(edges, dtype=object)
    if order and len(cdf):
        rank = cdf["ID"].map(order).fillna(len(order)).astype(float)
        cdf = cdf.iloc[rank.argsort(kind="stable").to_numpy()].reset_index(drop=True)
    if ecols is not None:
        edf = edf.reindex(columns=ecols + [c for c in edf.columns if c not in ecols])
    elif "Label" in edf.columns:
        edf = edf[["ID", "Label"] + [c for c in edf.columns if c not in ("ID", "Label")]]
    if ccols is not None:
        cdf = cdf.reindex(columns=ccols + [c for c in cdf.columns if c not in ccols])
    if not len(cdf.columns):
        cdf = pd.DataFrame(columns=["ID", "From", "To"])
    if not len(edf.columns):
        edf = pd.DataFrame(columns=["ID", "Label"])
    meta = record.get("cop_metadata")
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except ValueError:
            meta = None
    if not isinstance(meta, dict):
        meta = {k: v for k, v in record.items() if not str(k).startswith("cop_") and k not in ("node_default", "edge_default", "mode")}
    return (
        [Table(edf, file, "nodes", header_row=0)],
        [Table(cdf, file, "edges", header_row=0)],
        meta,
    )


def _json_list(text: Any) -> list[str] | None:
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return [str(v) for v in value] if isinstance(value, list) else None


def _parse_xml(path: Path, kind: str) -> ET.Element:
    data = path.read_bytes()
    if not data.strip():
        raise MapError("the file is empty", fix="check you picked the right file, or export it again", file=path.name)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line = getattr(exc, "position", (None, None))[0]
        raise MapError(f"the {kind} file is damaged (the XML breaks off or has a stray character)",
                       fix=f"export the {kind} file again from the program that made it",
                       file=path.name, row=line) from None


def read_graphml(path: Path, *, sheet: Any = None):
    """Read GraphML (ours or another tool's)."""
    root = _parse_xml(path, "GraphML")
    try:
        G = nx.read_graphml(path, edge_key_type=str, force_multigraph=True)
    except (nx.NetworkXError, ET.ParseError, KeyError, ValueError, TypeError, IndexError) as exc:
        raise MapError(f"the GraphML file could not be understood ({type(exc).__name__}: {str(exc)[:80]})",
                       fix="export the GraphML file again, or save the map as .xlsx", file=path.name) from None
    e, c, meta = _tables(G, path.name, dict(G.graph), _edge_order(root))
    return assemble(e, c, meta)


def read_gexf(path: Path, *, sheet: Any = None):
    """Read GEXF (ours or another tool's, e.g. Gephi)."""
    root = _parse_xml(path, "GEXF")
    try:
        G = nx.read_gexf(path)
    except (nx.NetworkXError, ET.ParseError, KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise MapError(f"the GEXF file could not be understood ({type(exc).__name__}: {str(exc)[:80]})",
                       fix="export the GEXF file again, or save the map as .xlsx", file=path.name) from None
    record: dict[str, Any] = {}
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == "description" and el.text:
            try:
                found = json.loads(el.text)
            except ValueError:
                continue
            if isinstance(found, dict) and isinstance(found.get("cop_toolkit"), dict):
                record = found["cop_toolkit"]
    if not record:
        record = {"name": G.graph.get("name")} if G.graph.get("name") else {}
    e, c, meta = _tables(G, path.name, record, _edge_order(root))
    return assemble(e, c, meta)
