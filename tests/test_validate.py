"""Soft warnings from check_map, and the hard rules of assert_valid."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cop_toolkit.core.errors import MapError
from cop_toolkit.io import read_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.validate import assert_valid, check_map


def kinds(warnings) -> list[str]:
    return sorted(w.kind for w in warnings)


def test_a_clean_map_has_no_warnings() -> None:
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Level": ["grassroots", "Pan London"],
                                 "Last Verified": ["2024-01-31", None]}),
                   pd.DataFrame({"From": ["a"], "To": ["b"]}))
    assert check_map(m) == []


def test_isolated_elements_and_self_links_are_warned() -> None:
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
                   pd.DataFrame({"From": ["a", "c"], "To": ["b", "c"]}))
    ws = check_map(m)
    assert kinds(ws) == ["isolated", "self_link"]
    assert all(w.element == "c" for w in ws)  # c only links to itself, so it is isolated too


def test_the_same_label_under_two_ids_is_warned_with_both_ids() -> None:
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Food Bank", "food-bank"]}),
                   pd.DataFrame({"From": ["a"], "To": ["b"]}))
    (w,) = check_map(m)
    assert w.kind == "same_label" and "'a', 'b'" in w.message


def test_missing_borough_only_when_the_map_has_a_borough_column() -> None:
    e = pd.DataFrame({"ID": ["p", "f"], "Label": ["Ada", "Fund"], "Type": ["Person", "Funder"]})
    c = pd.DataFrame({"From": ["p"], "To": ["f"]})
    assert check_map(NetworkMap(e, c)) == []
    e["Borough"] = [None, None]
    ws = check_map(NetworkMap(e, c))
    assert kinds(ws) == ["missing_borough"] and ws[0].element == "p"


def test_unknown_levels_and_unreadable_dates_are_warned() -> None:
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Level": ["national", "borough"],
                                 "Last Verified": ["2024-02-30", "last spring"]}),
                   pd.DataFrame({"From": ["a"], "To": ["b"]}))
    assert kinds(check_map(m)) == ["bad_date", "bad_date", "unknown_level"]


def test_read_map_puts_warnings_with_file_sheet_and_row_on_the_map(tmp_path: Path) -> None:
    (tmp_path / "m-elements.csv").write_text("ID,Label,Level\na,A,grassroots\nb,B,street\nc,C,borough\n")
    (tmp_path / "m-connections.csv").write_text("From,To,Strength\na,b,strong\na,b,2\n")
    m = read_map(tmp_path)
    table = m.warnings_table()
    level = table[table["kind"] == "unknown_level"].iloc[0]
    assert (level["file"], level["row"], level["column"], level["element"]) == ("m-elements.csv", 3, "Level", "b")
    strength = table[table["kind"] == "not_a_number"].iloc[0]
    assert (strength["file"], strength["row"], strength["column"]) == ("m-connections.csv", 2, "Strength")
    assert "isolated" in set(table["kind"])
    assert pd.isna(m.connections.loc[0, "Strength"])


def test_assert_valid_rejects_duplicate_ids_and_bad_directions() -> None:
    e = pd.DataFrame({"ID": ["a", "a"], "Label": ["A", "B"]})
    with pytest.raises(MapError, match="the ID 'a' twice"):
        assert_valid(NetworkMap(e))
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
                   pd.DataFrame({"From": ["a"], "To": ["b"], "Direction": ["both ways"]}))
    with pytest.raises(MapError, match="'both ways' is not allowed"):
        assert_valid(m)
