"""Spreadsheets as people type them: works-with cells, partner columns, matrices, edge lists."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_toolkit.core.errors import MapError
from cop_toolkit.io import read_map
from cop_toolkit.reports.cli import report_main

REAL = Path(__file__).parent / "real_files"
NAMES = ["Food Bank", "Youth Club", "Oak Trust", "Age UK Camden", "Mind in Haringey", "Refugee Action",
         "Tenants Forum", "Library Friends", "Men's Shed", "Sure Start Centre"]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _ties(m) -> set[frozenset[str]]:
    label = dict(zip(m.elements["ID"], m.elements["Label"]))
    return {frozenset((label[a], label[b])) for a, b in zip(m.connections["From"], m.connections["To"])}


def test_works_with_sheet_reads_ties_matched_tolerantly_and_adds_unknown_partners(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "map.xlsx", [
        ["Organisation", "Works with", "Area"],
        ["Food Bank", "youth club; Oak Trust\nAge UK", "Camden"],
        ["Youth Club", "Food-Bank, Mind", "Hackney"],
        ["Oak Trust", None, "Camden"],
    ])
    m = read_map(path)
    assert _ties(m) == {frozenset(p) for p in [("Food Bank", "Youth Club"), ("Food Bank", "Oak Trust"),
                                               ("Food Bank", "Age UK"), ("Youth Club", "Mind")]}
    assert m.elements.set_index("Label").loc["Oak Trust", "Borough"] == "Camden"
    assert sorted(w.element or w.message.split("'")[1] for w in m.warnings if w.kind == "unknown_partner") == \
        ["Age UK", "Mind"]
    assert m.metadata["understood"].startswith("read 3 organisations from column 'Organisation' and 4 ties "
                                               "from 'Works with'")


def test_columns_argument_overrides_the_guess(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("Group name,Who we work with,Notes\nA Club,B Club\nB Club,\n", encoding="utf-8")
    m = read_map(path, columns={"Label": "Group name", "ties": "Who we work with"})
    assert _ties(m) == {frozenset(("A Club", "B Club"))}
    with pytest.raises(MapError, match="no column called 'Partners'"):
        read_map(path, columns={"ties": "Partners"})


def test_a_tie_column_beside_a_connections_sheet_is_kept_and_flagged_unused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Elements"
    for r in [["Label", "Partners"], ["A", "B"], ["B", "A"]]:
        ws.append(r)
    ws2 = wb.create_sheet("Connections")
    ws2.append(["From", "To"])
    wb.save(tmp_path / "kumu.xlsx")
    m = read_map(tmp_path / "kumu.xlsx")
    assert len(m.connections) == 0 and "Partners" in m.elements.columns
    assert {"unused_tie_column", "no_ties"} <= {w.kind for w in m.warnings}


def test_partner_columns_and_matrix_read_the_same_ties(tmp_path: Path) -> None:
    partners = _xlsx(tmp_path / "p.xlsx", [["Name", "Partner 1", "Partner 2"], ["A", "B", "C"], ["B", "C", None],
                                           ["C", None, None]])
    matrix = _xlsx(tmp_path / "m.xlsx", [[None, "A", "B", "C"], ["A", None, 2, 1], ["B", 2, None, "x"],
                                         ["C", 1, "x", None]])
    expected = {frozenset(p) for p in [("A", "B"), ("A", "C"), ("B", "C")]}
    assert _ties(read_map(partners)) == expected
    m = read_map(matrix)
    assert _ties(m) == expected
    strength = {frozenset((a, b)): s for a, b, s in zip(m.connections["From"], m.connections["To"],
                                                        m.connections["Strength"])}
    assert strength[frozenset(("A", "B"))] == 2.0


def test_a_custom_direction_field_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("Source,Target,direction\nA,B,Exp\nB,C,Imp\n", encoding="utf-8")
    m = read_map(path)
    assert m.connections["direction"].tolist() == ["Exp", "Imp"]
    assert "direction_as_field" in {w.kind for w in m.warnings}


@pytest.mark.parametrize("ends", [("From", "To"), ("A", "B"), ("Entity A", "Entity B")])
def test_single_edge_lists_keep_their_extra_columns(tmp_path: Path, ends: tuple[str, str]) -> None:
    path = tmp_path / "ties.csv"
    path.write_text(f"{ends[0]},{ends[1]},Type,Weight,Since\nx,y,Directed,3,2019\n", encoding="utf-8")
    m = read_map(path)
    row = m.connections.iloc[0]
    assert (row["Direction"], row["Strength"], row["Since"]) == ("directed", 3.0, "2019")


@pytest.mark.parametrize("stem", ["ona_email", "ona_ontariopol", "ona_workfrance"])
def test_edgelist_and_vertices_pair_keeps_vertex_attributes(stem: str) -> None:
    vertices = pd.read_csv(REAL / f"{stem}_vertices.csv", dtype=str)
    edges = pd.read_csv(REAL / f"{stem}_edgelist.csv", dtype=str)
    m = read_map(REAL / f"{stem}_edgelist.csv")
    assert len(m.elements) == len(vertices) and len(m.connections) == len(edges)
    extra = [c for c in vertices.columns if c not in ("id", "name")]
    assert set(extra) <= set(m.elements.columns)
    if "name" in vertices.columns:
        assert set(m.elements["Label"]) == set(vertices["name"])


def test_library_warnings_become_map_warnings_without_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    from cop_toolkit.io import csv_files

    original = csv_files.read_csv_table

    def noisy(path: Path, *args: object) -> tuple[pd.DataFrame, list]:
        warnings.warn(f"odd style in {path}", UserWarning, stacklevel=1)
        return original(path, *args)

    monkeypatch.setattr(csv_files, "read_csv_table", noisy)
    path = tmp_path / "links.csv"
    path.write_text("From,To\nA,B\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping read_map would fail the test
        m = read_map(path)
    said = [w.message for w in m.warnings if w.kind == "library_warning"]
    assert said == ["a library reading the file said: odd style in links.csv"]


def test_bad_columns_option_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report_main([str(tmp_path / "x.csv"), "--columns", "Label", "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "KEY=COLUMN" in err


pairs = st.sets(st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)).filter(lambda p: p[0] != p[1]),
                max_size=15).map(lambda ps: {frozenset(p) for p in ps})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ties=pairs, layout=st.sampled_from(["works with", "partners", "matrix"]),
       sep=st.sampled_from([", ", ";", "|", "\n"]), fmt=st.sampled_from(["xlsx", "csv"]))
def test_generated_layouts_read_back_to_the_same_ties(tmp_path: Path, ties: set[frozenset[str]], layout: str,
                                                      sep: str, fmt: str) -> None:
    orgs = NAMES
    partners = {o: sorted(next(iter(t - {o})) for t in ties if o in t and min(t) == o) for o in orgs}
    if layout == "works with":
        rows = [["Organisation", "Works with"]] + [[o, sep.join(partners[o]) or None] for o in orgs]
    elif layout == "partners":
        width = max([len(p) for p in partners.values()] + [1])
        rows = [["Organisation"] + [f"Partner {k + 1}" for k in range(width)]] + \
               [[o] + (partners[o] + [None] * width)[:width] for o in orgs]
    else:
        rows = [[None] + orgs] + [[o] + [1 if frozenset((o, p)) in ties else None for p in orgs] for o in orgs]
    path = tmp_path / f"gen-{len(list(tmp_path.iterdir()))}.{fmt}"
    if fmt == "xlsx":
        _xlsx(path, rows)
    else:
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["" if v is None else v for v in r] for r in rows])
    m = read_map(path)
    assert _ties(m) == ties
    assert set(m.elements["Label"]) == set(orgs)
