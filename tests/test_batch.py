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
