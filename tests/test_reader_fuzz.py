"""Fuzzing every reader: random bytes and random structured junk give a map or one MapError, quickly.

Each example must finish within the hypothesis deadline (2 s) and allocate
less than :data:`MEMORY` bytes (measured with tracemalloc). Any exception
other than :class:`MapError` fails the test.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io import read_map

HERE = Path(__file__).parent
#: The most memory one example may allocate.
MEMORY = 200_000_000
FUZZ = settings(max_examples=25, deadline=2000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXTENSIONS = [".csv", ".xlsx", ".json", ".graphml", ".gexf"]
SEEDS = sorted(p for folder in ("real_files", "broken_files") for p in (HERE / folder).iterdir()
               if p.suffix in EXTENSIONS and p.stat().st_size < 20_000)


def _read_bounded(path: Path) -> NetworkMap | MapError:
    """Read ``path``; only a map or a MapError may come out, within the memory bound."""
    tracemalloc.start()
    try:
        return read_map(path)
    except MapError as exc:
        assert "\n" not in exc.message
        return exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < MEMORY, f"reading took {peak / 1e6:.0f} MB"


def _read_bytes(data: bytes, name: str) -> NetworkMap | MapError:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return _read_bounded(path)


# ------------------------------------------------------------------ strategies
WORDS = ["ID", "Label", "label", "From", "To", "Source", "Target", "Strength", "Weight", "Type", "Direction",
         "Tags", "Works with", "Partner 1", "X", "Y", "Latitude", "Longitude", "Borough", "Consent", "Visibility",
         "A", "B", "Food Bank", "food bank", "Youth Club", "a|b", "=1+1", "'=SUM(A1)", "Infinity", "-inf", "NaN",
         "1e999", "007", "-3", "directed", "mutual", "undirected", "sideways", "", " ", "é", "\u200b", "\x00",
         "\r\n", '"', ",", ";", "\t", "Person", "People", "Elements", "Connections", "Map"]
CELLS = st.one_of(st.sampled_from(WORDS), st.text(max_size=12))


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, length to cut, bytes to insert) edits at positions taken modulo the length."""
    out = bytearray(data)
    for pos, cut, insert in edits:
        at = pos % (len(out) + 1)
        out[at: at + cut] = insert
    return bytes(out)


JUNK = [b"<", b">", b'"', b"{", b"[", b"]", b"}", b",", b"\n", b"\xff", b"&amp;", b"&#0;", b"Infinity", b"9" * 40,
        b"</node>", b'<node id="a">', b"\x00"]
EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 40), st.one_of(st.binary(max_size=8), st.sampled_from(JUNK))),
                 min_size=1, max_size=6)

JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), CELLS),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(CELLS, inner, max_size=4)),
    max_leaves=25)
RECORD = st.dictionaries(st.sampled_from(["id", "_id", "label", "from", "to", "strength", "type", "direction",
                                          "tags", "attributes", "x", "Label", "element", "position"]), JSON,
                         max_size=6)
KUMU = st.fixed_dictionaries({"elements": st.one_of(st.lists(RECORD, max_size=5), JSON)},
                             optional={"connections": st.one_of(st.lists(RECORD, max_size=5), JSON),
                                       "map": JSON, "maps": JSON, "columns": JSON})

TAGS = ["graphml", "graph", "node", "edge", "key", "data", "default", "hyperedge", "endpoint", "port", "gexf",
        "nodes", "edges", "attributes", "attribute", "attvalues", "attvalue", "meta", "title", "description",
        "viz:position", "viz:color", "viz:size", "spells", "spell", "parents", "parent"]
ATTRS = ["id", "source", "target", "for", "key", "attr.name", "attr.type", "value", "type", "weight",
         "edgedefault", "defaultedgetype", "label", "x", "y", "r", "g", "b", "hex", "class", "title", "start",
         "end", "pid", "directed", "node"]
VALUES = st.one_of(st.sampled_from(["a", "b", "n0", "d0", "node", "edge", "graph", "all", "string", "double",
                                    "boolean", "liststring", "int", "directed", "undirected", "mutual", "1", "-1",
                                    "NaN", "Infinity", "1e999", "", "300", "#ff0000", "true"]), st.text(max_size=6))


def _xml(tag: str, attrs: dict[str, str], children: list[str], text: str) -> str:
    from xml.sax.saxutils import escape, quoteattr

    inner = escape(text) + "".join(children)
    return f"<{tag}" + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items()) + f">{inner}</{tag}>"


XML_TREE = st.recursive(
    st.builds(_xml, st.sampled_from(TAGS), st.dictionaries(st.sampled_from(ATTRS), VALUES, max_size=4),
              st.just([]), st.one_of(st.just(""), CELLS.map(str))),
    lambda inner: st.builds(_xml, st.sampled_from(TAGS), st.dictionaries(st.sampled_from(ATTRS), VALUES, max_size=4),
                            st.lists(inner, max_size=4), st.just("")),
    max_leaves=30)

TABLE = st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=8)


def _csv_text(rows: list[list[str]], sep: str) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=sep).writerows(rows)
    return out.getvalue()


def _workbook(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k, (title, rows) in enumerate(sheets):
        ws = wb.create_sheet((re.sub(r"[\[\]:*?/\\']", "", title).strip() or "S")[:25] + str(k))
        for row in rows:
            ws.append([openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ random bytes
@pytest.mark.parametrize("ext", EXTENSIONS)
@FUZZ
@given(data=st.binary(min_size=1, max_size=400))
def test_random_bytes_give_a_map_or_one_map_error(ext: str, data: bytes) -> None:
    _read_bytes(data, "map" + ext)


@FUZZ
@given(data=st.binary(min_size=1, max_size=200))
def test_random_bytes_behind_a_zip_header_give_one_map_error(data: bytes) -> None:
    assert isinstance(_read_bytes(b"PK\x03\x04" + data, "map.xlsx"), MapError)


# ------------------------------------------------------------------ mutated real files
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
@settings(FUZZ, max_examples=6)
@given(edits=EDITS)
def test_mutated_real_files_give_a_map_or_one_map_error(seed: Path, edits: list[tuple[int, int, bytes]]) -> None:
    _read_bytes(_mutate(seed.read_bytes(), edits), seed.name)


@FUZZ
@given(sheets=st.lists(st.tuples(CELLS, TABLE), min_size=1, max_size=3), edits=EDITS,
       member=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
                               "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]))
def test_workbooks_with_a_mutated_part_give_a_map_or_one_map_error(sheets, edits, member: str) -> None:
    original = zipfile.ZipFile(io.BytesIO(_workbook(sheets)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in original.infolist():
            body = original.read(info)
            z.writestr(info.filename, _mutate(body, edits) if info.filename == member else body)
    _read_bytes(out.getvalue(), "map.xlsx")


# ------------------------------------------------------------------ structured junk
@FUZZ
@given(doc=st.one_of(KUMU, JSON))
def test_random_json_trees_give_a_map_or_one_map_error(doc) -> None:
    _read_bytes(json.dumps(doc).encode("utf-8"), "map.json")


@pytest.mark.parametrize("root", ["graphml", "gexf"])
@FUZZ
@given(children=st.lists(XML_TREE, max_size=4), graph_attrs=st.dictionaries(st.sampled_from(ATTRS), VALUES,
                                                                           max_size=3))
def test_random_xml_trees_give_a_map_or_one_map_error(root: str, children: list[str], graph_attrs) -> None:
    xmlns = ('xmlns="http://graphml.graphdrawing.org/xmlns"' if root == "graphml"
             else 'xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz"')
    body = _xml("graph", graph_attrs, children, "")
    _read_bytes(f"<{root} {xmlns}>{body}</{root}>".encode(), "map." + root)


@FUZZ
@given(rows=TABLE, sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_random_csv_tables_give_a_map_or_one_map_error(rows: list[list[str]], sep: str, encoding: str) -> None:
    _read_bytes(_csv_text(rows, sep).encode(encoding, errors="replace"), "links.csv")


@FUZZ
@given(sheets=st.lists(st.tuples(CELLS, TABLE), min_size=1, max_size=3))
def test_random_workbooks_give_a_map_or_one_map_error(sheets) -> None:
    _read_bytes(_workbook(sheets), "map.xlsx")


@FUZZ
@given(elements=TABLE, connections=TABLE, meta=st.one_of(st.none(), JSON.map(json.dumps), st.binary(max_size=30)))
def test_random_folders_give_a_map_or_one_map_error(elements, connections, meta) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "map"
        folder.mkdir()
        (folder / "elements.csv").write_text(_csv_text(elements, ","), encoding="utf-8")
        (folder / "connections.csv").write_text(_csv_text(connections, ","), encoding="utf-8")
        if meta is not None:
            (folder / "map.json").write_bytes(meta if isinstance(meta, bytes) else meta.encode("utf-8"))
        _read_bounded(folder)
