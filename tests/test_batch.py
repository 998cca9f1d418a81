"""Many reports at once: finding maps in a folder and splitting a map into parts."""

import subprocess
import sys

import pandas as pd
import pytest

from cop_toolkit import MapError, NetworkMap, write_map
from cop_toolkit.reports.batch import find_maps, split_map, split_sources


def two_borough_map() -> NetworkMap:
    return NetworkMap(
        pd.DataFrame(
            {
                "ID": ["a", "b", "c", "d"],
                "Label": ["Alpha Group", "Beta Group", "Gamma Group", "Delta Group"],
                "Borough": ["Hackney", "LB Hackney", "E09000030", "Tower Hamlets"],
            }
        ),
        pd.DataFrame({"From": ["a", "b", "c"], "To": ["b", "c", "d"]}),
        metadata={"name": "Two boroughs"},
    )


def test_split_by_borough_keeps_each_boroughs_elements_and_the_ties_inside_it():
    parts = split_map(two_borough_map(), "borough")
    assert sorted(parts) == ["Hackney", "Tower Hamlets"]
    assert parts["Hackney"].elements["ID"].tolist() == ["a", "b"]
    assert parts["Tower Hamlets"].connections[["From", "To"]].values.tolist() == [["c", "d"]]
    assert parts["Hackney"].name == "Two boroughs — Hackney"


def test_split_by_something_unknown_is_a_clear_error():
    with pytest.raises(MapError, match="--split-by borough"):
        split_map(two_borough_map(), "colour")


def test_find_maps_counts_a_csv_pair_once_and_skips_hidden_files(tmp_path):
    write_map(two_borough_map(), tmp_path / "first.csv")
    write_map(two_borough_map(), tmp_path / "second.json")
    (tmp_path / ".hidden.json").write_text("{}")
    names = [p.name for p in find_maps(tmp_path)]
    assert names == ["first-elements.csv", "second.json"]


def test_split_sources_writes_each_part_as_a_map_file(tmp_path):
    src = tmp_path / "map.json"
    write_map(two_borough_map(), src)
    parts = split_sources(str(src), "borough", tmp_path / "parts")
    assert sorted(parts) == ["Hackney", "Tower Hamlets"]
    from cop_toolkit import read_map

    assert len(read_map(parts["Hackney"]).elements) == 2


@pytest.mark.slow
def test_split_by_borough_from_the_command_line_makes_a_report_per_borough_and_an_index(tmp_path):
    src = tmp_path / "map.json"
    write_map(two_borough_map(), src)
    res = subprocess.run(
        [sys.executable, "-m", "cop_toolkit.reports.cli", str(src), "--split-by", "borough", "-o", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )
    assert res.returncode == 0, res.stderr
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="hackney.html"' in index and 'href="tower-hamlets.html"' in index
    assert "2 of 2 reports made" in index


def _foreign_index(folder):
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    page.write_text("<!doctype html><title>Our charity's home page</title>", encoding="utf-8")
    return page


def test_a_batch_refuses_an_index_page_it_did_not_write_in_one_line(tmp_path, capsys):
    from cop_toolkit.reports.cli import report_main

    maps = tmp_path / "maps"
    maps.mkdir()
    write_map(two_borough_map(), maps / "first.json")
    index = _foreign_index(tmp_path / "out")
    assert report_main(["--batch", str(maps), "-o", str(tmp_path / "out"), "-q"]) == 2
    said = capsys.readouterr().err.strip()
    assert said.count("\n") == 0 and "index.html' was not written by cop_toolkit" in said and "--force" in said
    assert index.read_text(encoding="utf-8").endswith("home page</title>")
    assert sorted(p.name for p in index.parent.iterdir()) == ["index.html"]  # refused before any work


def _quick_reports(monkeypatch):
    """Make run_batch's reports fail at once, so only its own files are written."""
    from cop_toolkit.reports import batch

    def no_report(source, **options):
        raise MapError("not made in this test")

    monkeypatch.setattr(batch, "report", no_report)
    return batch


def test_force_lets_a_batch_replace_an_index_page_it_did_not_write(tmp_path, monkeypatch):
    batch = _quick_reports(monkeypatch)
    index = _foreign_index(tmp_path)
    with pytest.raises(MapError, match="not written by cop_toolkit"):
        batch.run_batch({"First": "first.json"}, tmp_path, jobs=1, self_contained=True)
    batch.run_batch({"First": "first.json"}, tmp_path, jobs=1, self_contained=True, force=True)
    assert "0 of 1 reports made" in index.read_text(encoding="utf-8")


def test_a_batch_replaces_its_own_index_page_without_force(tmp_path, monkeypatch):
    batch = _quick_reports(monkeypatch)
    index = tmp_path / "index.html"
    batch.write_index([batch.BatchResult("Old", "old.json", None, "gone")], index)
    batch.run_batch({"First": "first.json"}, tmp_path, jobs=1, self_contained=True)
    text = index.read_text(encoding="utf-8")
    assert "First" in text and "Old" not in text
