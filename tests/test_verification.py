"""A verification round on the sample: write the sheets, edit them as a person would, apply them."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from cop_toolkit.building.verification import (
    STILL_RIGHT,
    update_from_sheets,
    write_verification_sheets,
)
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io import datasets

WHO = ("Ana", "Ben", "Cy")


@pytest.fixture(scope="module")
def sample() -> NetworkMap:
    m = datasets.load("owa-2017")
    e, c = m.elements.copy(), m.connections.copy()
    e["Reported By"] = [WHO[i % 3] for i in range(len(e))]
    who = dict(zip(e["ID"], e["Reported By"]))
    c["Reported By"] = c["From"].map(who)
    e.loc[5, "Description"] = "=HYPERLINK(\"http://evil\")"  # formula-like text must come back unchanged
    return NetworkMap(e, c, m.metadata)


def _column(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def _row_of(ws, key: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            return r
    raise AssertionError(key)


@pytest.fixture(scope="module")
def round_trip(sample, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sheets")
    paths = write_verification_sheets(sample, folder, written_on="2018-05-01")
    e = sample.elements
    ana = e[e["Reported By"] == "Ana"]["ID"].tolist()
    plan = {"confirm": ana[:3], "correct": ana[3], "remove": ana[4], "formula": e.loc[5, "ID"]}
    # Ana: confirms three, corrects one description, removes one, confirms one tie, adds a group and a tie,
    # and by mistake edits a locked ID
    wb = openpyxl.load_workbook(folder / "ana.xlsx")
    ws = wb["Elements"]
    still, desc = _column(ws, STILL_RIGHT), _column(ws, "Description")
    for key in plan["confirm"]:
        ws.cell(_row_of(ws, key), still).value = "yes"
    ws.cell(_row_of(ws, plan["correct"]), desc).value = "Runs the Tuesday lunch club"
    ws.cell(_row_of(ws, plan["correct"]), still).value = "no"
    ws.cell(_row_of(ws, plan["remove"]), still).value = "remove"
    broken = ana[6]
    ws.cell(_row_of(ws, broken), 1).value = "not-an-id"
    ws.cell(_row_of(ws, "not-an-id"), still).value = "yes"
    wc = wb["Connections"]
    plan["tie"] = wc.cell(2, 1).value
    wc.cell(2, _column(wc, STILL_RIGHT)).value = "yes"
    wb["New elements"].append(["Holloway Sewing Circle", "Community group", None, "N7 6PA", "Mends and teaches"])
    wb["New connections"].append(["Holloway Sewing Circle", e.loc[e["ID"] == plan["confirm"][0], "Label"].iloc[0], "Partnership", 2])
    wb.save(folder / "ana.xlsx")
    # Ben breaks his sheet: the 'Still right?' column is renamed
    wb = openpyxl.load_workbook(folder / "ben.xlsx")
    ws = wb["Elements"]
    ws.cell(1, _column(ws, STILL_RIGHT)).value = "OK?"
    ws.cell(2, _column(ws, "OK?")).value = "yes"
    wb.save(folder / "ben.xlsx")
    # Cy does not return his sheet (it stays as written)
    updated, report = update_from_sheets(sample, folder, on="2018-06-01")
    return {"paths": paths, "plan": plan, "updated": updated, "report": report, "broken": broken, "folder": folder}


def test_one_sheet_per_contributor_is_written(round_trip):
    assert [p.name for p in round_trip["paths"]] == ["ana.xlsx", "ben.xlsx", "cy.xlsx"]


def test_sheets_are_protected_against_formula_injection_and_lock_the_ids(sample, round_trip, tmp_path):
    write_verification_sheets(sample, tmp_path, written_on="2018-05-01")
    who = sample.elements.loc[5, "Reported By"]
    ws = openpyxl.load_workbook(tmp_path / f"{who.lower()}.xlsx")["Elements"]
    cell = ws.cell(_row_of(ws, sample.elements.loc[5, "ID"]), _column(ws, "Description"))
    assert cell.value.startswith("'=")
    assert ws.cell(2, 1).fill.fgColor.rgb.endswith("DDDDDD")  # the locked ID column is shaded
    assert ws.cell(2, _column(ws, STILL_RIGHT)).fill.fill_type is None
    assert "Email" not in [c.value for c in ws[1]]  # private fields are never written


def test_confirmations_corrections_removals_and_additions_are_applied(sample, round_trip):
    m, plan = round_trip["updated"], round_trip["plan"]
    e = m.elements.set_index("ID")
    for key in plan["confirm"] + [plan["correct"]]:
        assert e.at[key, "Last Verified"] == "2018-06-01"
    assert e.at[plan["correct"], "Description"] == "Runs the Tuesday lunch club"
    assert plan["remove"] not in e.index
    c = m.connections
    assert not (c["From"].eq(plan["remove"]) | c["To"].eq(plan["remove"])).any()
    assert c.set_index("ID").at[plan["tie"], "Last Verified"] == "2018-06-01"
    new = e[e["Label"] == "Holloway Sewing Circle"]
    assert new["Reported By"].tolist() == ["Ana"] and new["Postcode"].tolist() == ["N7 6PA"]
    added = c[c["From"].eq(new.index[0])]
    assert added["To"].tolist() == [plan["confirm"][0]] and added["Reported By"].tolist() == ["Ana"]
    assert len(m.elements) == len(sample.elements) - 1 + 1
    # nothing else changed: the formula-like text came back exactly as it was
    assert e.at[plan["formula"], "Description"] == sample.elements.loc[5, "Description"]
    untouched = sample.elements.set_index("ID").drop(index=[plan["remove"], plan["correct"]])
    assert (untouched["Description"].fillna("") == e.loc[untouched.index, "Description"].fillna("")).all()


def test_the_report_lists_exactly_what_each_contributor_changed(round_trip):
    report, plan = round_trip["report"], round_trip["plan"]
    counts = report.by_contributor()
    assert counts.loc["Ana"].to_dict() == {"confirmed": 4, "corrected": 1, "removed": 1, "added": 2}
    assert list(counts.index) == ["Ana"]
    corrected = report.changes[report.changes["action"] == "corrected"]
    assert corrected[["ID", "field", "new"]].values.tolist() == [[plan["correct"], "Description", "Runs the Tuesday lunch club"]]
    assert report.not_returned == ["Cy"]


def test_each_bad_sheet_or_row_gets_one_clear_line_and_the_rest_still_apply(round_trip):
    problems = round_trip["report"].problems
    assert len(problems) == 2
    ben = problems[problems["file"] == "ben.xlsx"]["problem"].tolist()
    assert ben == ["its 'Elements' sheet has no 'Still right?' column, so it was not applied"]
    ana = problems[problems["file"] == "ana.xlsx"]
    assert ana["problem"].tolist() == ["unknown element ID 'not-an-id': the ID column is locked, so this row was not applied"]
    assert round_trip["broken"] in set(round_trip["updated"].elements["ID"])  # the row was skipped, not removed


def test_moving_a_tie_by_editing_its_locked_ends_is_refused(sample, tmp_path):
    write_verification_sheets(sample, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "ana.xlsx")
    wc = wb["Connections"]
    wc.cell(2, _column(wc, "To")).value = "Somewhere Else"
    wc.cell(2, _column(wc, STILL_RIGHT)).value = "yes"
    wb.save(tmp_path / "ana.xlsx")
    updated, report = update_from_sheets(sample, tmp_path)
    assert report.problems["problem"].str.startswith("From and To are locked").tolist() == [True]
    assert updated.connections["To"].tolist() == sample.connections["To"].tolist()


def test_a_map_without_reported_by_asks_for_boroughs_instead(tmp_path):
    m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"], "Borough": ["Camden"]}))
    with pytest.raises(MapError, match="no 'Reported By'"):
        write_verification_sheets(m, tmp_path)
    assert [p.name for p in write_verification_sheets(m, tmp_path, by="borough")] == ["camden.xlsx"]


def test_cop_map_verification_and_update_run_the_round_from_the_command_line(sample, tmp_path, capsys):
    from cop_toolkit.io import read_map, write_map
    from cop_toolkit.reports.mapcli import main

    write_map(sample, tmp_path / "map.xlsx")
    assert main(["verification", str(tmp_path / "map.xlsx"), "-o", str(tmp_path / "out")]) == 0
    assert "3 verification sheets written" in capsys.readouterr().out
    wb = openpyxl.load_workbook(tmp_path / "out" / "cy.xlsx")
    ws = wb["Elements"]
    ws.cell(2, _column(ws, STILL_RIGHT)).value = "yes"
    wb.save(tmp_path / "out" / "cy.xlsx")
    assert main(["update", str(tmp_path / "map.xlsx"), str(tmp_path / "out"), "-o", str(tmp_path / "new.xlsx"),
                 "--on", "2019-01-01", "--report", str(tmp_path / "update.html")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 confirmed, 0 corrected, 0 removed, 0 added; 0 problems; not returned: Ana, Ben.")
    confirmed = ws.cell(2, 1).value
    assert read_map(tmp_path / "new.xlsx").elements.set_index("ID").at[confirmed, "Last Verified"] == "2019-01-01"
    assert "Verification round" in (tmp_path / "update.html").read_text()
