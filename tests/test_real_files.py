"""Real GEXF and GraphML files written by other tools: read completely, kept through every format.

Counts are checked against an independent reader: raw ``xml.etree`` parsing here, not ours.
"""

from __future__ import annotations

import math
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import NUMERIC_COLUMNS
from cop_toolkit.io import read_map, write_map

REAL = Path(__file__).parent / "real_files"
INVALID = {"igraph_invalid2.graphml"}
GRAPH_FILES = sorted(p.name for p in REAL.iterdir() if p.suffix in (".gexf", ".graphml", ".json") and p.name not in INVALID)
FORMATS = ["map.gexf", "map.graphml", "map.json", "map.xlsx", "map.csv", "folder"]
BIG = {"gexf_WebAtlas_EuroSiS.gexf", "graphology_arctic.gexf"}  # the slow xlsx/csv round trips use smaller files


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def raw(path: Path) -> dict:
    """Nodes, edges, directions and per-attribute value counts, straight from the XML."""
    root = ET.parse(path).getroot()
    els = list(root.iter())
    gexf = local(root.tag) == "gexf"
    node_ids: list[str] = []
    node_vals: dict[str, set[str]] = {}
    edges: list[tuple[str, str, str]] = []
    keys: dict[str, tuple[str, str, str | None]] = {}  # key id -> (class, title, default)
    graph = next(e for e in els if local(e.tag) == "graph")
    if gexf:
        for block in (e for e in els if local(e.tag) == "attributes"):
            for a in block:
                default = next((d.text for d in a if local(d.tag) == "default"), None)
                keys[a.get("id")] = (block.get("class"), a.get("title") or a.get("id"), default)
        default_dir = graph.get("defaultedgetype") or "undirected"
    else:
        for k in (e for e in els if local(e.tag) == "key"):
            if k.get("yfiles.type"):
                continue
            default = next((d.text for d in k if local(d.tag) == "default"), None)
            keys[k.get("id")] = (k.get("for"), k.get("attr.name") or k.get("id"), default)
        default_dir = graph.get("edgedefault") or "undirected"
    for el in els:
        tag = local(el.tag)
        if tag == "node":
            node_ids.append(el.get("id"))
            for v in el.iter():
                key = v.get("for") if local(v.tag) == "attvalue" else v.get("key") if local(v.tag) == "data" else None
                if key in keys and (keys[key][0] or "node") in ("node", "all") and el.get("id") is not None:
                    node_vals.setdefault(keys[key][1], set()).add(el.get("id"))
        elif tag == "edge":
            if gexf:
                d = el.get("type") or default_dir
            else:
                flag = el.get("directed")
                d = {"true": "directed", "false": "undirected"}.get(flag, default_dir)
            edges.append((el.get("source"), el.get("target"), d))
    ids = list(dict.fromkeys(node_ids))
    for _, title, default in (k for k in keys.values() if (k[0] or "node") in ("node", "all") and k[2] is not None):
        node_vals[title] = set(ids)
    ends = [x for s, t, _ in edges for x in (s, t) if x not in set(ids)]
    return {"elements": len(ids) + len(dict.fromkeys(ends)), "ties": len(edges),
            "directions": Counter(d for _, _, d in edges),
            "node_attributes": {t: len(v) for t, v in node_vals.items()}}


def column_for(title: str, columns: list[str]) -> list[str]:
    variants = [title, title + " (attribute)", title + " (key)", title + " (text)", title + " (custom)"]
    canon = {"label": "Label", "x": "X", "y": "Y", "latitude": "Latitude", "longitude": "Longitude", "type": "Type",
             "description": "Description", "tags": "Tags"}
    variants.append(canon.get(title.lower(), title))
    return [v for v in variants if v in columns]


@pytest.mark.parametrize("name", GRAPH_FILES)
def test_real_file_has_as_many_elements_ties_and_attribute_values_as_the_raw_xml(name: str) -> None:
    m = read_map(REAL / name)
    want = raw(REAL / name)
    assert len(m.elements) == want["elements"]
    assert len(m.connections) == want["ties"]
    assert Counter(m.connections.get("Direction", pd.Series(dtype=object)).dropna()) == want["directions"]
    for title, n in want["node_attributes"].items():
        found = column_for(title, list(m.elements.columns))
        assert found, f"attribute {title!r} is missing"
        assert any(int(m.elements[c].notna().sum()) == n for c in found), title


def same_tables(a: NetworkMap, b: NetworkMap) -> None:
    for x, y in ((a.elements, b.elements), (a.connections, b.connections)):
        assert list(x.columns) == list(y.columns)
        for col in x.columns:
            left, right = x[col].tolist(), y[col].tolist()
            if col in NUMERIC_COLUMNS:
                left = [math.nan if pd.isna(v) else float(v) for v in left]
                right = [math.nan if pd.isna(v) else float(v) for v in right]
                assert right == pytest.approx(left, rel=1e-14, nan_ok=True), col
            else:
                assert [None if pd.isna(v) else v for v in right] == [None if pd.isna(v) else v for v in left], col


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", GRAPH_FILES)
def test_real_file_survives_a_round_trip_through_every_format(name: str, fmt: str) -> None:
    if name in BIG and fmt in ("map.xlsx", "map.csv", "folder"):
        pytest.skip("covered by the smaller files; slow")
    m = read_map(REAL / name)
    with tempfile.TemporaryDirectory() as tmp:
        out = write_map(m, Path(tmp) / ("saved" if fmt == "folder" else fmt))
        back = read_map(out)
    same_tables(m, back)
    meta = {k: v for k, v in m.metadata.items() if k != "source"}
    assert {k: v for k, v in back.metadata.items() if k != "source"} == meta


def networkx_graph(path: Path) -> nx.Graph:
    return nx.read_gexf(path) if path.suffix == ".gexf" else nx.read_graphml(path, edge_key_type=str)


@pytest.mark.parametrize("fmt", ["map.gexf", "map.graphml"])
@pytest.mark.parametrize("name", GRAPH_FILES)
def test_networkx_reads_what_we_write_with_the_same_direction_weights_and_number_types(name: str, fmt: str) -> None:
    m = read_map(REAL / name)
    directed = m.connections.get("Direction", pd.Series(dtype=object)).eq("directed").any()
    with tempfile.TemporaryDirectory() as tmp:
        out = write_map(m, Path(tmp) / fmt)
        G = networkx_graph(out)
        text = out.read_text(encoding="utf-8")
    assert G.is_directed() == directed
    assert G.number_of_nodes() == len(m.elements)
    assert "networkx_key" not in text
    strengths = dict(zip(m.connections["ID"], m.connections.get("Strength", pd.Series(dtype=float))))
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, None, d) for u, v, d in G.edges(data=True))
    for _, _, key, data in edges:
        cid = data.get("id", key)
        want = strengths.get(cid)
        if want is not None and not math.isnan(want):
            assert data["weight"] == pytest.approx(float(want))
    for col in [c for c in m.elements.columns if c not in ("ID", "Label")][:6]:
        values = m.elements[col].dropna()
        key = col
        got = [d.get(key) for _, d in G.nodes(data=True) if d.get(key) is not None]
        if len(values) and values.astype(str).str.fullmatch(r"-?(0|[1-9][0-9]{0,8})").all() and col not in NUMERIC_COLUMNS:
            assert all(isinstance(v, int) for v in got), col


@pytest.mark.parametrize("name", [n for n in GRAPH_FILES if n.endswith((".gexf", ".graphml"))])
def test_igraph_reads_our_graphml_with_the_same_direction_and_weights(name: str) -> None:
    ig = pytest.importorskip("igraph")
    m = read_map(REAL / name)
    with tempfile.TemporaryDirectory() as tmp:
        g = ig.Graph.Read_GraphML(str(write_map(m, Path(tmp) / "map.graphml")))
    assert g.is_directed() == bool(m.connections.get("Direction", pd.Series(dtype=object)).eq("directed").any())
    assert (g.vcount(), g.ecount()) == (len(m.elements), len(m.connections))
    if "Strength" in m.connections.columns and m.connections["Strength"].notna().all():
        assert g.es["weight"] == pytest.approx(m.connections["Strength"].astype(float).tolist())


@pytest.mark.parametrize("name", sorted(INVALID))
def test_a_deliberately_broken_real_file_gives_one_clean_line(name: str) -> None:
    with pytest.raises(MapError) as info:
        read_map(REAL / name)
    message = str(info.value)
    assert name in message and "How to fix:" in message and "\n" not in message and "Traceback" not in message


@st.composite
def one_way_or_two_way_maps(draw: st.DrawFn) -> tuple[NetworkMap, bool]:
    n = draw(st.integers(2, 6))
    ids = [f"e{i}" for i in range(n)]
    k = draw(st.integers(1, 8))
    directed = draw(st.booleans())
    choices = ["directed"] if directed else [None, "undirected", "mutual"]
    conns = pd.DataFrame({
        "ID": [f"c{i}" for i in range(k)],
        "From": draw(st.lists(st.sampled_from(ids), min_size=k, max_size=k)),
        "To": draw(st.lists(st.sampled_from(ids), min_size=k, max_size=k)),
        "Direction": draw(st.lists(st.sampled_from(choices), min_size=k, max_size=k)),
        "Strength": draw(st.lists(st.sampled_from([1.0, 2.0, 4.5]), min_size=k, max_size=k)),
    })
    return NetworkMap(pd.DataFrame({"ID": ids, "Label": [f"Group {i}" for i in range(n)]}), conns), directed


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=one_way_or_two_way_maps())
def test_directed_maps_stay_directed_and_undirected_maps_undirected_in_every_format(fmt: str, case) -> None:
    m, directed = case
    with tempfile.TemporaryDirectory() as tmp:
        out = write_map(m, Path(tmp) / ("saved" if fmt == "folder" else fmt))
        back = read_map(out)
        if fmt in ("map.gexf", "map.graphml"):
            assert networkx_graph(out).is_directed() == directed
    assert [None if pd.isna(v) else v for v in back.connections["Direction"]] == \
        [None if pd.isna(v) else v for v in m.connections["Direction"]]


#: A sample of the corpus for whole reports (each takes seconds): small GEXF and GraphML files, one CSV pair.
REPORTED = ["gexf_viz.gexf", "graphology_les_miserables.gexf", "igraph_test.graphml", "ona_workfrance_edgelist.csv"]


@pytest.mark.parametrize("name", REPORTED)
def test_cop_report_of_a_real_file_shows_no_python_warning_and_no_file_path(name: str, tmp_path: Path) -> None:
    import re

    from cop_toolkit.reports.cli import report_main

    out = tmp_path / "report.html"
    assert report_main([str(REAL / name), "-o", str(out), "-q"]) == 0
    page = out.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)  # plotly's own code says "Warning:"
    assert "application/vnd.jupyter.stderr" not in text  # no warning block printed by Python
    for bad in ("/tmp/", "/work/", str(Path.home()) + "/", "Warning:", "Traceback", str(REAL)):
        assert bad not in text, bad
