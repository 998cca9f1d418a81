"""Reading what write_map wrote gives back the same map, in every format."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_toolkit.io import read_map, write_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import DIRECTIONS, NUMERIC_COLUMNS

FORMATS = ["map.xlsx", "map.csv", "folder", "map.json", "map.graphml", "map.gexf"]

AWKWARD = [
    "007", "=SUM(A1:A9)", "'=already quoted", "''+twice", "-3", "+44 20 7946 0000", "@handle", "\tTab first",
    "a|b", "food|housing|", "NA", "null", "None", "True", "1e5", " padded ", 'say "hi"', "line\nbreak",
    "Café Ünïcödé ✓ 日本", "'Twas", "<tag>&amp;", "#hash", "0", "-", "=",
]
chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from(
    ["\n", "\t", "|", "'", '"', "=", "-", "+", "@", ",", ";", "0", "7"]
)
text = (st.sampled_from(AWKWARD) | st.text(chars, min_size=1, max_size=10)).filter(lambda s: s.strip() != "")
maybe_text = st.none() | text
number = st.none() | st.sampled_from([-3.0, 0.0, 1.0, 2.5, 5.0, 0.1, 1e-7, 123456789.0]) | st.floats(-1e6, 1e6)

CUSTOM = ["Borough", "Needs", "Notes (private)", "Café ✓", "=odd header", "Last Verified"]


@st.composite
def maps(draw: st.DrawFn) -> NetworkMap:
    ids = draw(st.lists(text, min_size=1, max_size=6, unique=True))
    n = len(ids)
    # labels are trimmed when read (with a warning: tests/test_trimmed_labels.py), so none here has
    # spaces at its ends; every other cell keeps them
    labels = text.map(str.strip)
    elements = {"ID": ids, "Label": draw(st.lists(labels, min_size=n, max_size=n))}
    elements["Type"] = draw(st.lists(maybe_text, min_size=n, max_size=n))
    for col in draw(st.lists(st.sampled_from(CUSTOM), unique=True, max_size=3)):
        elements[col] = draw(st.lists(maybe_text, min_size=n, max_size=n))
    if draw(st.booleans()):
        elements["Latitude"] = draw(st.lists(number, min_size=n, max_size=n))
    if draw(st.booleans()):
        elements["Empty everywhere"] = [None] * n
    k = draw(st.integers(0, 6))
    conn_ids = draw(st.lists(text, min_size=k, max_size=k, unique=True))
    conns = {
        "ID": conn_ids,
        "From": draw(st.lists(st.sampled_from(ids), min_size=k, max_size=k)),
        "To": draw(st.lists(st.sampled_from(ids), min_size=k, max_size=k)),
        "Type": draw(st.lists(maybe_text, min_size=k, max_size=k)),
        "Direction": draw(st.lists(st.none() | st.sampled_from(DIRECTIONS), min_size=k, max_size=k)),
        "Strength": draw(st.lists(number, min_size=k, max_size=k)),
    }
    if draw(st.booleans()):
        conns["Since"] = draw(st.lists(maybe_text, min_size=k, max_size=k))
    metadata = {"name": draw(text), "private_fields": ["Notes (private)"], "date": "2019-05-01"}
    if draw(st.booleans()):
        metadata["description"] = draw(text)
    return NetworkMap(pd.DataFrame(elements), pd.DataFrame(conns), metadata)


def table_as_lists(df: pd.DataFrame, digits: int | None = None) -> dict[str, list]:
    out = {}
    for col in df.columns:
        if col in NUMERIC_COLUMNS:
            # Excel keeps about 15 significant digits, so .xlsx numbers are compared to that precision
            values = [math.nan if pd.isna(v) else float(v) for v in df[col]]
            out[col] = pytest.approx(values, rel=10.0 ** -digits, nan_ok=True) if digits else [
                None if math.isnan(v) else v for v in values]
        else:
            out[col] = [None if (v is None or (isinstance(v, float) and math.isnan(v))) else v for v in df[col]]
    return out


def assert_same_map(a: NetworkMap, b: NetworkMap, digits: int | None = None) -> None:
    assert list(a.elements.columns) == list(b.elements.columns)
    assert list(a.connections.columns) == list(b.connections.columns)
    for x, y in ((a.elements, b.elements), (a.connections, b.connections)):
        got = table_as_lists(y)
        for col, want in table_as_lists(x, digits).items():
            if not isinstance(want, list):  # numbers compared approximately: blanks as NaN
                got[col] = [math.nan if v is None else v for v in got[col]]
            assert got[col] == want, col
    strip = lambda d: {k: v for k, v in d.items() if k != "source"}  # noqa: E731
    assert strip(a.metadata) == strip(b.metadata)


def target(folder: Path, fmt: str) -> Path:
    return folder / ("saved" if fmt == "folder" else fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m=maps())
def test_reading_what_was_written_gives_back_the_same_map(fmt: str, m: NetworkMap) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = write_map(m, target(Path(tmp), fmt))
        back = read_map(out)
        assert_same_map(m, back, digits=14 if fmt.endswith("xlsx") else None)
        # and a second round trip changes nothing either
        again = read_map(write_map(back, target(Path(tmp) / "second", fmt)))
        assert_same_map(back, again)


@pytest.mark.parametrize("fmt", ["map.graphml", "map.gexf"])
@settings(max_examples=8, deadline=None)
@given(m=maps())
def test_networkx_opens_written_graph_files_with_same_nodes_edges_and_attributes(fmt: str, m: NetworkMap) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = write_map(m, Path(tmp) / fmt)
        G = nx.read_graphml(out, edge_key_type=str) if fmt.endswith("graphml") else nx.read_gexf(out)
        assert set(G.nodes) == set(m.elements["ID"])
        directed = m.connections["Direction"].eq("directed").any()
        assert G.is_directed() == directed
        # in a directed GEXF a mutual connection is type="mutual", which networkx reads as two edges
        # (one, for a self-link: its reverse is itself)
        c = m.connections
        mutual = (c["Direction"].eq("mutual") & c["From"].ne(c["To"])).sum() if directed and fmt.endswith("gexf") else 0
        if G.is_multigraph():
            assert G.number_of_edges() == len(m.connections) + mutual
        else:  # a simple DiGraph keeps one edge per ordered pair: a mutual tie's reverse may already be there
            pairs = set(zip(c["From"], c["To"]))
            if mutual:
                pairs |= {(b, a) for a, b, d in zip(c["From"], c["To"], c["Direction"]) if d == "mutual"}
            assert G.number_of_edges() == len(pairs)
        label_key = "Label" if fmt.endswith("graphml") else "label"
        for row in m.elements.itertuples(index=False):
            assert G.nodes[row.ID][label_key] == row.Label
        edges = G.edges(keys=True, data=True) if G.is_multigraph() else [(u, v, d.get("id"), d) for u, v, d in G.edges(data=True)]
        got = {}
        for u, v, key, data in edges:
            cid = data.get("id", key)
            got[cid] = (u, v, data.get("Direction"), data.get("Strength", data.get("weight")))
        for row in m.connections.itertuples(index=False):
            u, v, d, s = got[row.ID]
            assert (u, v) == (row.From, row.To) or ((not directed or row.Direction == "mutual") and (v, u) == (row.From, row.To))
            assert d == (None if pd.isna(row.Direction) else row.Direction)
            assert (s is None and pd.isna(row.Strength)) or s == pytest.approx(row.Strength)
