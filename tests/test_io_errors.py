"""Every broken file in tests/broken_files gives one clear, one-line MapError."""

from __future__ import annotations

from pathlib import Path

import pytest

from cop_toolkit.core.errors import MapError
from cop_toolkit.io import read_map

BROKEN = Path(__file__).parent / "broken_files"

# file -> words the message must contain (file name, place, and how to fix)
EXPECTED = {
    "bad-direction-connections.csv": ["bad-direction-connections.csv", "row 3", "column 'Direction'", "sideways",
                                      "'directed', 'undirected' or 'mutual'"],
    "blank-label-elements.csv": ["blank-label-elements.csv", "row 3", "column 'Label'", "no label",
                                 "type the element's name"],
    "corrupt.gexf": ["corrupt.gexf", "damaged", "export the GEXF file again"],
    "corrupt.graphml": ["corrupt.graphml", "damaged", "export the GraphML file again"],
    "corrupt.json": ["corrupt.json", "row 2", "damaged", "missing comma"],
    "corrupt.xlsx": ["corrupt.xlsx", "damaged", "save it again as .xlsx"],
    "duplicate-id-across-sheets.xlsx": ["duplicate-id-across-sheets.xlsx", "row 2 of sheet 'Organisations'",
                                        "row 3 of sheet 'People'", "'a'", "give each element its own ID"],
    "duplicate-id-elements.csv": ["duplicate-id-elements.csv", "row 2 and row 4", "column 'ID'", "'a'",
                                  "give each element its own ID"],
    "empty.csv": ["empty.csv", "empty", "right file"],
    "missing-connections-partner-elements.csv": ["missing-connections-partner-connections.csv", "missing",
                                                 "same folder"],
    "no-elements.json": ["no-elements.json", '"elements"', "Kumu"],
    "no-from-to.csv": ["no-from-to.csv", "row 1", "'From' and 'To'", "How to fix"],
    "no-label-elements.csv": ["no-label-elements.csv", "row 1", "'Label'", "'Title'", "add a column headed 'Label'"],
    "no-label.xlsx": ["no-label.xlsx", "sheet 'Elements'", "row 1", "'Label'", "add a column headed 'Label'"],
    "old-excel.xls": ["old-excel.xls", ".xls", "save it as .xlsx"],
    "undecodable.csv": ["undecodable.csv", "row 2", "0x81", "CSV UTF-8"],
    "unknown-end-connections.csv": ["unknown-end-connections.csv", "row 3", "column 'To'", "'Yuoth Club'",
                                    "did you mean 'Youth Club'"],
    "unknown-end.xlsx": ["unknown-end.xlsx", "sheet 'Connections'", "row 3", "column 'To'", "'Youth Clb'",
                         "did you mean 'Youth Club'"],
    "unknown-extension.txt": ["unknown-extension.txt", "'.txt'", ".xlsx, .csv"],
}


def test_every_broken_file_has_an_expected_message() -> None:
    partners = {"bad-direction-elements.csv", "blank-label-connections.csv", "duplicate-id-connections.csv",
                "no-label-connections.csv", "unknown-end-elements.csv"}
    assert {p.name for p in BROKEN.iterdir()} == set(EXPECTED) | partners


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gives_one_clear_line_naming_place_and_fix(name: str) -> None:
    with pytest.raises(MapError) as info:
        read_map(BROKEN / name)
    message = str(info.value)
    for words in EXPECTED[name]:
        assert words in message, f"{words!r} missing from: {message}"
    assert "How to fix:" in message
    assert "\n" not in message and "\r" not in message
    assert "Traceback" not in message and 'File "' not in message and "Error:" not in message


def test_reading_either_half_of_a_pair_reports_the_same_problem() -> None:
    for stem in ("bad-direction", "blank-label", "duplicate-id", "unknown-end", "no-label"):
        a = pytest.raises(MapError, read_map, BROKEN / f"{stem}-elements.csv")
        b = pytest.raises(MapError, read_map, BROKEN / f"{stem}-connections.csv")
        assert str(a.value) == str(b.value)


def test_a_wrong_sheet_name_lists_the_sheets_there_are() -> None:
    with pytest.raises(MapError, match=r"no sheet called 'Conections'; the sheets are 'Elements', 'Connections'"):
        read_map(BROKEN / "unknown-end.xlsx", sheet="Conections")


def test_a_missing_file_says_so_and_lists_the_folder(tmp_path: Path) -> None:
    (tmp_path / "my-map.xlsx").write_bytes(b"")
    with pytest.raises(MapError, match=r"no file or folder called 'my_map.xlsx' \(that folder has: my-map.xlsx\)"):
        read_map(tmp_path / "my_map.xlsx")


def test_several_unknown_ends_are_counted_in_the_one_message(tmp_path: Path) -> None:
    (tmp_path / "x-elements.csv").write_text("ID,Label\na,A\n")
    (tmp_path / "x-connections.csv").write_text("From,To\na,zz\na,yy\na,xx\n")
    with pytest.raises(MapError, match=r"'zz'.*\(2 more connections name unknown elements\)"):
        read_map(tmp_path / "x-elements.csv")


def test_a_connection_with_a_blank_end_names_its_row(tmp_path: Path) -> None:
    (tmp_path / "x-elements.csv").write_text("ID,Label\na,A\nb,B\n")
    (tmp_path / "x-connections.csv").write_text("From,To\na,b\n,b\n")
    with pytest.raises(MapError, match=r"row 3, column 'From': this connection has no 'From' element"):
        read_map(tmp_path / "x-connections.csv")


def test_sheet_option_is_refused_for_files_without_sheets(tmp_path: Path) -> None:
    (tmp_path / "edges.csv").write_text("From,To\na,b\n")
    with pytest.raises(MapError, match="only applies to Excel"):
        read_map(tmp_path / "edges.csv", sheet="Connections")
