"""Limits on input: each limit gives one MapError line naming the file, the limit and how to raise it."""

from __future__ import annotations

import json
import os
import shutil
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cop_toolkit.core.errors import MapError
from cop_toolkit.io import ReadLimits, read_map, write_map
from cop_toolkit.io.limits import LIMITS_VARIABLE
from cop_toolkit.reports.cli import report_main


def _refused(path: Path, *words: str, limits: ReadLimits | None = None, seconds: float = 5.0) -> MapError:
    """Read ``path`` expecting one MapError line holding ``words``, within ``seconds``."""
    start = time.monotonic()
    with pytest.raises(MapError) as caught:
        read_map(path, limits=limits)
    took = time.monotonic() - start
    message = caught.value.message
    assert "\n" not in message
    assert took < seconds, f"took {took:.1f}s"
    for word in words:
        assert word in message, (word, message)
    return caught.value


def _small_map_csv(folder: Path) -> Path:
    path = folder / "links.csv"
    path.write_text("From,To,Strength\nFood Bank,Youth Club,2\nYouth Club,Age UK,1\n", encoding="utf-8")
    return path


def _workbook_with_sheet(path: Path, chunks, dimension: str | None = None) -> Path:
    """An .xlsx whose first sheet's XML is streamed from ``chunks`` (strings of <row> elements)."""
    seed = path.with_name("seed.xlsx")
    wb = openpyxl.Workbook()
    wb.active.title = "Connections"
    wb.save(seed)
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            if dimension:
                head += f'<dimension ref="{dimension}"/>'
            sheet.write((head + "<sheetData>").encode())
            for chunk in chunks:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData></worksheet>")
    seed.unlink()
    return path


def _rows(first: int, last: int, cols: int = 2) -> str:
    return "".join(
        f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>n{r}x{c}</t></is></c>'
                                   for c in range(cols)) + "</row>"
        for r in range(first, last + 1))


# ------------------------------------------------------------------ only regular files
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_like_a_csv_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "map.csv"
    os.mkfifo(fifo)
    _refused(fifo, "map.csv", "pipe (FIFO)", "ordinary file", seconds=1.0)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_inside_a_folder_is_refused_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "elements.csv").write_text("Label\nA\nB\n", encoding="utf-8")
    os.mkfifo(folder / "connections.csv")
    _refused(folder, "connections.csv", "pipe (FIFO)", seconds=1.0)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("name", ["map.csv", "map.xlsx", "map.json", "map.graphml", "map.gexf"])
def test_link_to_a_device_is_refused_at_once(tmp_path: Path, name: str) -> None:
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    _refused(link, name, "device", seconds=1.0)


# ------------------------------------------------------------------ sizes
def test_file_over_the_size_limit_names_the_limit_and_how_to_raise_it(tmp_path: Path) -> None:
    path = _small_map_csv(tmp_path)
    tiny = ReadLimits(max_file_mb=0.00001)
    _refused(path, "links.csv", "max_file_mb=1e-05", "ReadLimits(max_file_mb=", "--limits max_file_mb=", limits=tiny)
    assert len(read_map(path, limits=ReadLimits(max_file_mb=1)).connections) == 2


def test_zip_bomb_workbook_is_refused_from_its_directory_without_unpacking(tmp_path: Path) -> None:
    row = '<row><c t="inlineStr"><is><t>' + "x" * 1000 + "</t></is></c></row>"
    chunk = row * 1000  # about 1 MB
    bomb = _workbook_with_sheet(tmp_path / "bomb.xlsx", (chunk for _ in range(650)))
    assert bomb.stat().st_size < 3_000_000
    tracemalloc.start()
    try:
        unzipped = sum(i.file_size for i in zipfile.ZipFile(bomb).infolist()) / 1e6
        _refused(bomb, "bomb.xlsx", f"unzips to {unzipped:,.0f} MB", "max_unzipped_mb=600",
                 "--limits max_unzipped_mb=700")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000


def test_sheet_declaring_more_cells_than_the_limit_is_refused_before_its_rows_are_read(tmp_path: Path) -> None:
    big = _workbook_with_sheet(tmp_path / "rows.xlsx", [_rows(1, 5)], dimension="A1:L1000000")
    _refused(big, "rows.xlsx", "sheet 'Connections'", "12,000,000 cells", "max_cells=10000000",
             "ReadLimits(max_cells=20000000)", seconds=3.0)


def test_sheet_with_more_cells_than_the_limit_is_refused_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    pd.DataFrame({"From": [f"a{i}" for i in range(60)], "To": [f"b{i}" for i in range(60)]}).to_excel(
        path, sheet_name="Connections", index=False)
    _refused(path, "many.xlsx", "sheet 'Connections'", "max_cells=100", limits=ReadLimits(max_cells=100))
    undeclared = _workbook_with_sheet(tmp_path / "undeclared.xlsx", [_rows(1, 60)])
    _refused(undeclared, "undeclared.xlsx", "max_cells=100", limits=ReadLimits(max_cells=100))
    assert len(read_map(path, limits=ReadLimits(max_cells=1000)).connections) == 60


def test_csv_with_more_cells_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("From,To\n" + "".join(f"a{i},b{i}\n" for i in range(100)), encoding="utf-8")
    _refused(path, "links.csv", "cells", "max_cells=50", "--limits max_cells=", limits=ReadLimits(max_cells=50))


def test_limits_come_from_the_environment_when_not_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _small_map_csv(tmp_path)
    monkeypatch.setenv(LIMITS_VARIABLE, "max_cells=3")
    _refused(path, "max_cells=3")


# ------------------------------------------------------------------ JSON
def test_json_nested_five_thousand_deep_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"elements": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    _refused(path, "deep.json", "nested 5,001 deep", "max_json_depth=100", "--limits max_json_depth=6000")


def test_json_number_of_five_thousand_digits_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text('{"elements": [{"id": "a", "label": "A", "x": ' + "9" * 5000 + "}]}", encoding="utf-8")
    _refused(path, "long.json", "5,000 characters long", "max_number_digits=100")


def test_deep_json_in_a_folder_metadata_file_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "elements.csv").write_text("Label\nA\nB\n", encoding="utf-8")
    (folder / "connections.csv").write_text("From,To\nA,B\n", encoding="utf-8")
    (folder / "map.json").write_text('{"x": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    _refused(folder, "map.json", "max_json_depth")


# ------------------------------------------------------------------ numbers that are not finite
def test_infinite_strengths_are_warned_blanked_and_never_written_as_nonstandard_json(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("From,To,Strength\nA,B,Infinity\nB,C,-inf\nC,A,2\n", encoding="utf-8")
    m = read_map(path)
    assert m.connections["Strength"].isna().tolist() == [True, True, False]
    warned = [w for w in m.warnings if w.kind == "not_finite"]
    assert [(w.row, w.column) for w in warned] == [(2, "Strength"), (3, "Strength")]
    assert "'Infinity' is not a finite number" in warned[0].message
    out = write_map(m, tmp_path / "out.json")

    def refuse(word: str) -> None:
        raise AssertionError(f"non-standard JSON {word}")

    json.loads(out.read_text(encoding="utf-8"), parse_constant=refuse)


def test_json_infinity_and_nan_literals_in_numbers_are_blanked(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    path.write_text('{"elements": [{"id": "a", "label": "A", "x": Infinity}, {"id": "b", "label": "B"}], '
                    '"connections": [{"from": "a", "to": "b", "strength": NaN}]}', encoding="utf-8")
    m = read_map(path)
    assert m.elements["X"].isna().all() and m.connections["Strength"].isna().all()
    assert [w.element for w in m.warnings if w.kind == "not_finite"] == ["a"]


def test_infinite_metadata_is_written_as_null(tmp_path: Path) -> None:
    m = read_map(_small_map_csv(tmp_path))
    m.metadata["score"] = float("inf")
    out = write_map(m, tmp_path / "out.json")
    assert json.loads(out.read_text(encoding="utf-8"))["map"]["score"] is None


# ------------------------------------------------------------------ encodings, headers, labels
def test_csv_mixing_utf8_and_windows_text_is_read_per_line_and_warned(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes("From,To\nCafé,Youth Club\n".encode() + "Crème,Youth Club\n".encode("cp1252"))
    m = read_map(path)
    assert set(m.elements["Label"]) == {"Café", "Crème", "Youth Club"}
    mixed = [w for w in m.warnings if w.kind == "mixed_encoding"]
    assert len(mixed) == 1 and mixed[0].row == 3 and "row 3" in mixed[0].message


def test_csv_wholly_in_windows_text_is_read_without_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes("From,To\nCafé,Crème\n".encode("cp1252"))
    m = read_map(path)
    assert set(m.elements["Label"]) == {"Café", "Crème"}
    assert not [w for w in m.warnings if w.kind == "mixed_encoding"]


def test_duplicate_csv_headers_are_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("From,To,Label,Label\nA,B,x,y\n", encoding="utf-8")
    _refused(path, "links.csv", "row 1", "column 'Label'", "twice", "columns 3 and 4")


def test_duplicate_xlsx_headers_are_one_clear_error_naming_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "map.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Elements"
    ws.append(["ID", "Label", "Type", "Label"])
    ws.append(["a", "A", "Org", "B"])
    wb.save(path)
    _refused(path, "map.xlsx", "sheet 'Elements'", "column 'Label'", "twice", "columns B and D")


def test_end_matching_the_label_of_two_elements_lists_both_ids(tmp_path: Path) -> None:
    (tmp_path / "m-elements.csv").write_text("ID,Label\ne1,Food Bank\ne2,Food Bank\ne3,Youth Club\n",
                                             encoding="utf-8")
    (tmp_path / "m-connections.csv").write_text("From,To\ne3,e1\nYouth Club,Food Bank\n", encoding="utf-8")
    _refused(tmp_path / "m-elements.csv", "m-connections.csv", "row 3", "column 'To'", "'Food Bank'",
             "2 elements have that label", "'e1', 'e2'", "write the ID")


def test_end_matching_two_labels_only_when_folded_is_an_error_too(tmp_path: Path) -> None:
    (tmp_path / "m-elements.csv").write_text("ID,Label\ne1,Food Bank\ne2,food bank\ne3,Youth Club\n",
                                             encoding="utf-8")
    (tmp_path / "m-connections.csv").write_text("From,To\nYouth Club,FOOD BANK\nYouth Club,food bank\n",
                                                encoding="utf-8")
    _refused(tmp_path / "m-elements.csv", "row 2", "'FOOD BANK'", "'e1', 'e2'")
    (tmp_path / "m-connections.csv").write_text("From,To\nYouth Club,food bank\n", encoding="utf-8")
    assert read_map(tmp_path / "m-elements.csv").connections["To"].tolist() == ["e2"]


def test_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    path.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + bytes(1000))
    _refused(path, "locked.xlsx", "protected with a password", "File › Info › Protect Workbook")


def test_old_excel_file_renamed_xlsx_is_named_as_such(tmp_path: Path) -> None:
    src = Path(__file__).parent / "broken_files" / "old-excel.xls"
    path = tmp_path / "renamed.xlsx"
    shutil.copy(src, path)
    if path.read_bytes()[:4] != bytes.fromhex("D0CF11E0"):
        path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    _refused(path, "renamed.xlsx", "old-style Excel file (.xls)")


# ------------------------------------------------------------------ the command line
def test_report_limits_option_is_used_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(LIMITS_VARIABLE, "")  # so that the test ends with the variable as it was
    path = _small_map_csv(tmp_path)
    assert report_main([str(path), "-o", str(tmp_path / "r.html"), "-q", "--limits", "max_cells=3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "max_cells=3" in err and "--limits max_cells=" in err
    assert not (tmp_path / "r.html").exists()
    assert report_main([str(path), "-q", "--limits", "size=5"]) == 2
    assert "'size' is not a limit" in capsys.readouterr().err


# ------------------------------------------------------------------ XML
def test_xml_entity_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "laughs.graphml"
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE graphml [{entities}]>'
                    '<graphml><graph><node id="&a9;"/></graph></graphml>', encoding="utf-8")
    _refused(path, "laughs.graphml", "damaged")


def test_gexf_nodes_nested_thousands_deep_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.gexf"
    depth = 3000
    inner = "".join(f'<nodes><node id="n{i}">' for i in range(depth)) + "</node></nodes>" * depth
    path.write_text(f'<gexf xmlns="http://gexf.net/1.3"><graph>{inner}</graph></gexf>', encoding="utf-8")
    _refused(path, "deep.gexf", "too deeply")
