"""What each file format reads and writes, beyond the round trip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest

from cop_toolkit.core.errors import MapError
from cop_toolkit.io import read_map, write_map
from cop_toolkit.core.model import NetworkMap


def small_map() -> NetworkMap:
    return NetworkMap(
        pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Food Bank", "=HYPERLINK(\"x\")", "007"],
                      "Needs": ["food|housing", "-3 volunteers", None], "Latitude": [51.5, -0.1, None]}),
        pd.DataFrame({"ID": ["c1", "c2"], "From": ["a", "b"], "To": ["b", "c"], "Strength": [-3, 2.5],
                      "Direction": ["mutual", "directed"]}),
        metadata={"name": "Small", "private_fields": ["Email", "Phone"]},
    )


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_kumu_workbook_with_sheets_per_type_ignored_sheets_and_map_metadata(tmp_path: Path) -> None:
    path = workbook(tmp_path / "kumu.xlsx", {
        "Organisations": [["Label", "Borough"], ["Food Bank", "Hackney"], ["Youth Club", "Camden"]],
        "People": [["Label"], ["Ada Lovelace"]],
        "Old stuff (ignore)": [["Label"], ["Ghost"]],
        "Connections": [["From", "To", "Direction"], ["Ada Lovelace", "Food Bank|Youth Club", "Directed"]],
        "Map": [["Key", "Value"], ["name", "Kumu test"], ["description", "two sheets"]],
    })
    m = read_map(path)
    assert list(m.elements["Label"]) == ["Food Bank", "Youth Club", "Ada Lovelace"]
    assert list(m.elements["Type"]) == ["Organisation", "Organisation", "Person"]
    # "To: A|B" makes two connections; labels resolve to IDs; direction case is tolerated
    assert m.connections[["From", "To", "Direction"]].values.tolist() == [
        ["Ada Lovelace", "Food Bank", "directed"], ["Ada Lovelace", "Youth Club", "directed"]]
    assert m.metadata["name"] == "Kumu test" and m.metadata["source"] == str(path)
    assert "Ghost" not in set(m.elements["Label"])
    kinds = {w.kind for w in m.warnings}
    assert "missing_borough" in kinds  # Ada is a person with no borough


def test_sheet_option_reads_one_sheet_of_connections_as_an_edge_list(tmp_path: Path) -> None:
    path = workbook(tmp_path / "two.xlsx", {
        "Elements": [["Label"], ["A"], ["B"]],
        "Links 2019": [["Source", "Target", "Weight"], ["A", "B", 4], ["B", "C", 1]],
    })
    m = read_map(path, sheet="Links 2019")
    assert sorted(m.elements["ID"]) == ["A", "B", "C"]
    assert m.connections["Strength"].tolist() == [4, 1]


def test_from_and_to_may_be_labels_or_ids(tmp_path: Path) -> None:
    (tmp_path / "m-elements.csv").write_text("ID,Label\nfb,Food Bank\nyc,Youth Club\n")
    (tmp_path / "m-connections.csv").write_text("From,To\nfb,Youth Club\nfood bank,yc\n")
    m = read_map(tmp_path)
    assert m.connections[["From", "To"]].values.tolist() == [["fb", "yc"], ["fb", "yc"]]


def test_edge_list_csv_makes_elements_from_the_names_and_weight_becomes_strength(tmp_path: Path) -> None:
    (tmp_path / "links.csv").write_text("Source,Target,Weight,Since\nA,B,2,2019\nB,C,,007\n")
    m = read_map(tmp_path / "links.csv")
    assert m.elements[["ID", "Label"]].values.tolist() == [["A", "A"], ["B", "B"], ["C", "C"]]
    assert list(m.connections.columns[:3]) == ["ID", "From", "To"]
    assert m.connections["Since"].tolist() == ["2019", "007"]


def test_writing_x_csv_writes_a_named_pair_and_metadata_and_returns_the_elements_file(tmp_path: Path) -> None:
    out = write_map(small_map(), tmp_path / "x.csv")
    assert out == tmp_path / "x-elements.csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-connections.csv", "x-elements.csv", "x-map.json"]
    assert read_map(tmp_path / "x-connections.csv").metadata["name"] == "Small"


def test_folder_of_csv_pair_and_map_json_is_read_and_written(tmp_path: Path) -> None:
    write_map(small_map(), tmp_path / "data")
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["connections.csv", "elements.csv", "map.json"]
    m = read_map(tmp_path / "data")
    assert m.metadata["private_fields"] == ["Email", "Phone"]
    assert len(m) == 3


def test_spreadsheets_protect_formulas_but_not_numbers(tmp_path: Path) -> None:
    write_map(small_map(), tmp_path / "x.csv")
    rows = list(csv.reader((tmp_path / "x-elements.csv").open(encoding="utf-8-sig")))
    assert rows[2][1] == "'=HYPERLINK(\"x\")" and rows[2][2] == "'-3 volunteers" and rows[2][3] == "-0.1"
    conn_rows = list(csv.reader((tmp_path / "x-connections.csv").open(encoding="utf-8-sig")))
    assert conn_rows[1][conn_rows[0].index("Strength")] == "-3"
    write_map(small_map(), tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["Elements"]
    assert ws["B3"].value == "'=HYPERLINK(\"x\")" and ws["B3"].data_type == "s"
    assert ws["D3"].value == -0.1
    assert read_map(tmp_path / "x.xlsx").elements["Label"].tolist() == ["Food Bank", "=HYPERLINK(\"x\")", "007"]


def test_a_hand_made_leading_apostrophe_is_kept(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("From,To\n'Twas Club,'=1+1\n")
    m = read_map(tmp_path / "e.csv")
    assert m.elements["Label"].tolist() == ["'Twas Club", "=1+1"]


def test_windows_1252_and_utf8_with_bom_simply_work(tmp_path: Path) -> None:
    (tmp_path / "w.csv").write_bytes("From,To\nCafé Ünïon,Hackney “Hub”\n".encode("cp1252"))
    (tmp_path / "b.csv").write_bytes("From,To\nCafé Ünïon,Hackney “Hub”\n".encode("utf-8-sig"))
    for name in ("w.csv", "b.csv"):
        m = read_map(tmp_path / name)
        assert m.elements["Label"].tolist() == ["Café Ünïon", "Hackney “Hub”"]
        assert list(m.connections.columns[1:3]) == ["From", "To"]


def test_line_breaks_in_cells_are_kept_as_newlines(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b'From,To,Description\r\nA,B,"two\r\nlines"\r\n')
    assert read_map(tmp_path / "e.csv").connections["Description"].tolist() == ["two\nlines"]


def test_kumu_json_uses_lower_case_keys_and_keeps_our_map_key(tmp_path: Path) -> None:
    out = write_map(small_map(), tmp_path / "m.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["elements"][0] == {"id": "a", "label": "Food Bank", "Needs": "food|housing", "Latitude": 51.5}
    assert doc["connections"][0]["direction"] == "mutual" and doc["map"]["name"] == "Small"


def test_kumu_own_json_export_with_attributes_and_lists_is_read(tmp_path: Path) -> None:
    doc = {"elements": [{"_id": "x1", "attributes": {"label": "A", "element type": "CVS", "tags": ["food", "youth"]}},
                        {"attributes": {"label": "B"}}],
           "connections": [{"from": "A", "to": "B", "attributes": {"connection type": "Referral"}}]}
    (tmp_path / "k.json").write_text(json.dumps(doc))
    m = read_map(tmp_path / "k.json")
    assert m.elements.loc[0, "Type"] == "CVS" and m.elements.loc[0, "Tags"] == "food|youth"
    assert m.connections.loc[0, "Type"] == "Referral"


def test_gephi_style_graphml_and_gexf_are_read(tmp_path: Path) -> None:
    G = nx.Graph()
    G.add_node("n1", label="Food Bank", community="3")
    G.add_node("n2", label="Youth Club")
    G.add_edge("n1", "n2", weight=2.0, id="e7")
    nx.write_graphml(G, tmp_path / "g.graphml")
    nx.write_gexf(G, tmp_path / "g.gexf")
    for name in ("g.graphml", "g.gexf"):
        m = read_map(tmp_path / name)
        assert m.elements[["ID", "Label"]].values.tolist() == [["n1", "Food Bank"], ["n2", "Youth Club"]]
        assert m.connections.loc[0, "Strength"] == 2.0
        assert m.connections.loc[0, "Direction"] == "undirected"


def test_writing_is_atomic_a_failure_midway_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    from cop_toolkit.io import csv_files

    target = tmp_path / "x.xlsx"
    write_map(small_map(), target)
    before = target.read_bytes()
    import openpyxl.workbook.workbook as wbmod

    real_save = wbmod.Workbook.save

    def broken_save(self, filename):  # write the file, cut it in half, then fail like a full disk would
        real_save(self, filename)
        data = Path(filename).read_bytes()
        Path(filename).write_bytes(data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(wbmod.Workbook, "save", broken_save)
    with pytest.raises(OSError):
        write_map(small_map(), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]
    # a CSV pair is all-or-nothing too
    calls = {"n": 0}
    real = csv_files._meta_bytes

    def failing_meta(m):
        calls["n"] += 1
        raise RuntimeError("crash while preparing")

    monkeypatch.setattr(csv_files, "_meta_bytes", failing_meta)
    with pytest.raises(RuntimeError):
        write_map(small_map(), tmp_path / "y.csv")
    assert not list(tmp_path.glob("y*")) and calls["n"] == 1
    monkeypatch.setattr(csv_files, "_meta_bytes", real)

    def failing_write(self, data):
        Path.write_text(self, "half")
        raise OSError("disk full")

    write_map(small_map(), tmp_path / "z.csv")
    old = (tmp_path / "z-elements.csv").read_bytes()
    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OSError):
        write_map(small_map(), tmp_path / "z.csv")
    monkeypatch.undo()
    assert (tmp_path / "z-elements.csv").read_bytes() == old
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_write_refuses_a_map_it_could_not_read_back(tmp_path: Path) -> None:
    m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"]}), pd.DataFrame({"From": ["a"], "To": ["b"]}))
    with pytest.raises(MapError, match="not an element of the map"):
        write_map(m, tmp_path / "bad.xlsx")
    assert not list(tmp_path.iterdir())


def test_unknown_extension_for_writing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MapError, match="'.pdf' are not a map format"):
        write_map(small_map(), tmp_path / "m.pdf")


def test_map_write_method_uses_write_map(tmp_path: Path) -> None:
    out = write_map(small_map(), tmp_path / "m.gexf")
    assert read_map(out).connections["Direction"].tolist() == ["mutual", "directed"]
