"""A public report, and every file beside it, holds nothing private; output files are safe."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from cop_toolkit.reports.cli import report_main

pytestmark = [pytest.mark.slow]

MARKERS = ["ZQXSAFEHOUSE", "ZQXJANEDOE", "ZQXSTRENGTH", "ZQXSELFLINK", "ZQXNOTE", "ZQXDESC", "ZQXPERSONID",
           "ZQXBLANKTYPE", "ZQXINTERNAL", "ZQXVISCONN"]


def write_marked_map(path: Path, *, jane_consent: str = "no") -> Path:
    """A workbook whose private entries carry a marker in every field; public entries are safe to show."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Organisations"
    ws.append(["ID", "Label", "Type", "Description", "Borough", "Visibility", "Notes"])
    for i in range(6):
        ws.append([f"g{i}", f"Group {i}", "CVS", "open", "Hackney" if i % 2 else "Camden", "public", "ok"])
    ws.append(["ZQXSAFEHOUSE-ID", "Shared Name", "Refuge", "ZQXDESC refuge", "Hackney", "hidden", "ZQXNOTE"])
    ws.append(["ZQXINTERNAL-ID", "ZQXINTERNAL Office", "CVS", "ZQXDESC", "Camden", "Yes, internal", "ZQXNOTE"])
    ws.append(["g6", "Shared Name", "CVS", "open", "Camden", "public", "ok"])
    people = wb.create_sheet("People")
    people.append(["ID", "Label", "Type", "Description", "Consent", "Notes"])
    people.append(["ZQXPERSONID", "ZQXJANEDOE Jane", "Person|Volunteer", "ZQXDESC", jane_consent, "ZQXNOTE"])
    people.append(["ZQXBLANKTYPE-ID", "ZQXBLANKTYPE Bob", None, "ZQXDESC", "no", "ZQXNOTE"])
    people.append(["ZQXINDIV", "ZQXINDIV Cy", "Individual", "ZQXDESC", "Yes, but only internally", "ZQXNOTE"])
    ties = wb.create_sheet("Connections")
    ties.append(["ID", "From", "To", "Strength", "Visibility"])
    for i in range(6):
        ties.append([f"c{i}", f"g{i}", f"g{(i + 1) % 6}", 1, None])
        ties.append([f"d{i}", f"g{i}", f"g{(i + 2) % 6}", 1, None])
    ties.append(["ZQXSTRENGTH-ID", "g0", "g3", "ZQXSTRENGTH", "private"])
    ties.append(["ZQXSELFLINK", "g1", "g1", 1, "private"])
    ties.append(["ZQXVISCONN", "g2", "g4", 1, "ZQXVISCONN"])
    ties.append(["t1", "g0", "ZQXSAFEHOUSE-ID", 1, None])
    ties.append(["t2", "ZQXPERSONID", "g1", 1, None])
    ties.append(["t3", "ZQXBLANKTYPE-ID", "g2", 1, None])
    ties.append(["t4", "ZQXINDIV", "g3", 1, None])
    ties.append(["t5", "g6", "g0", 1, None])
    meta = wb.create_sheet("Map")
    meta.append(["Key", "Value"])
    meta.append(["name", "Marked map"])
    meta.append(["private_fields", "Notes, Phone"])
    wb.save(path)
    return path


def marker_forms(marker: str) -> list[str]:
    return [marker, html.escape(marker), json.dumps(marker)[1:-1], marker.lower()]


def assert_no_marker_in(folder: Path) -> list[Path]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files
    for p in files:
        text = p.read_text(encoding="utf-8", errors="replace")
        for marker in MARKERS:
            for form in marker_forms(marker):
                assert form not in text, f"{form!r} leaked into {p.name}"
    return files


def run(argv: list[str]) -> int:
    return report_main(argv + ["-q"])


def test_public_report_and_kept_notebook_hold_no_private_marker_or_input_path(tmp_path):
    src = write_marked_map(tmp_path / "marked.xlsx")
    out = tmp_path / "out"
    assert run([str(src), "--public", "--accept-risk", "-o", str(out / "public.html")]) == 0
    files = assert_no_marker_in(out)
    assert {p.name for p in files} == {"public.html", "public.ipynb"}
    notebook = (out / "public.ipynb").read_text(encoding="utf-8")
    assert str(tmp_path) not in notebook and str(tmp_path) not in (out / "public.html").read_text(encoding="utf-8")


def test_public_report_says_what_was_left_out_in_counts_and_states_the_risk(tmp_path):
    src = write_marked_map(tmp_path / "marked.xlsx", jane_consent="yes")
    page = tmp_path / "public.html"
    assert run([str(src), "--public", "--accept-risk", "-o", str(page)]) == 0
    text = html.unescape(page.read_text(encoding="utf-8"))
    assert "Privacy" in text
    assert "2 entries left out because they are people whose Consent is not an explicit yes" in text
    assert "is not a public value" in text
    assert "Re-identification risk" in text


def test_public_report_with_previous_never_names_what_is_hidden_now(tmp_path):
    old = write_marked_map(tmp_path / "old.xlsx", jane_consent="yes")
    new = write_marked_map(tmp_path / "new.xlsx", jane_consent="no")
    out = tmp_path / "out"
    assert run([str(new), "--public", "--accept-risk", "--previous", str(old), "-o", str(out / "p.html")]) == 0
    assert_no_marker_in(out)


def test_public_batch_and_split_pages_hold_no_private_marker(tmp_path):
    maps = tmp_path / "maps"
    maps.mkdir()
    write_marked_map(maps / "marked.xlsx")
    broken = write_marked_map(maps / "broken.xlsx")
    wb = load_workbook(broken)
    wb["Connections"].append(["bad", "ZQXJANED0E Jane", "g0", 1, None])
    wb.save(broken)
    out = tmp_path / "batch"
    run(["--batch", str(maps), "--public", "--accept-risk", "--jobs", "1", "-o", str(out)])
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "broken" in index and "did you mean" not in index
    assert_no_marker_in(out)
    split = tmp_path / "split"
    assert run([str(maps / "marked.xlsx"), "--split-by", "borough", "--public", "--accept-risk", "--jobs", "1",
                "-o", str(split)]) == 0
    assert_no_marker_in(split)


def test_a_public_index_leaves_out_the_reason_a_page_failed_which_quotes_a_private_entry(tmp_path, capsys):
    maps = tmp_path / "maps"
    maps.mkdir()
    write_marked_map(maps / "marked.xlsx")
    broken = write_marked_map(maps / "broken.xlsx")
    wb = load_workbook(broken)
    wb["Organisations"].append(["ZQXSAFEHOUSE-ID", "Another Name", "CVS", "open", "Camden", "hidden", "ok"])
    wb.save(broken)
    out = tmp_path / "batch"
    run(["--batch", str(maps), "--public", "--accept-risk", "--jobs", "1", "-o", str(out)])
    assert "ZQXSAFEHOUSE-ID" in capsys.readouterr().err  # the map manager's terminal says why in full
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "broken" in index and "not made" in index and "left out of this public page" in index
    assert_no_marker_in(out)
    run([str(broken), "--lessons", "--public", "--accept-risk", "-o", str(tmp_path / "lessons")])
    assert "ZQXSAFEHOUSE-ID" in capsys.readouterr().err
    assert_no_marker_in(tmp_path / "lessons")


def test_public_report_is_refused_when_someone_could_be_picked_out_by_their_ties(tmp_path, capsys):
    src = write_marked_map(tmp_path / "marked.xlsx", jane_consent="yes")
    page = tmp_path / "public.html"
    assert run([str(src), "--public", "-o", str(page)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--accept-risk" in err[0] and "picked out" in err[0]
    assert not page.exists() and not page.with_suffix(".ipynb").exists()


def test_output_that_is_not_html_or_is_a_folder_is_refused_before_any_work(tmp_path, capsys):
    (tmp_path / "dir.html").mkdir()
    for target in [tmp_path / "x.ipynb", tmp_path / "dir.html", tmp_path]:
        assert run(["owa-2017", "-o", str(target)]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not (tmp_path / "x.ipynb").exists()


def test_output_in_a_folder_that_cannot_be_written_is_refused(tmp_path, capsys):
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    for target in [a_file / "r.html", Path("/proc/cop-toolkit-test/r.html")]:
        assert run(["owa-2017", "-o", str(target)]) == 2
        assert "cannot write to" in capsys.readouterr().err
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        try:
            assert run(["owa-2017", "-o", str(ro / "r.html")]) == 2
        finally:
            ro.chmod(0o700)


def test_an_unrelated_notebook_or_page_is_kept_unless_forced(tmp_path, capsys):
    mine = tmp_path / "a.ipynb"
    mine.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    page = tmp_path / "a.html"
    assert run(["owa-2017", "-o", str(page)]) == 2
    assert "--force" in capsys.readouterr().err
    assert not page.exists() and json.loads(mine.read_text())["cells"] == []
    assert run(["owa-2017", "-o", str(page), "--force"]) == 0
    assert page.exists() and json.loads(mine.read_text())["metadata"]["cop_toolkit"]["report"] is True
    assert run(["owa-2017", "-o", str(page)]) == 0, "a report cop_toolkit wrote is replaced without --force"


def test_a_failed_report_leaves_the_old_pair_intact(tmp_path):
    page = tmp_path / "a.html"
    assert run(["owa-2017", "-o", str(page)]) == 0
    before = page.read_bytes(), page.with_suffix(".ipynb").read_bytes()
    assert run(["owa-2017", "-o", str(page), "--param", "focus=not a list"]) == 2, "fails inside the analysis"
    assert (page.read_bytes(), page.with_suffix(".ipynb").read_bytes()) == before
