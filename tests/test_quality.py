"""Data-quality checks for map managers."""

import pandas as pd

from cop_toolkit import NetworkMap
from cop_toolkit.core.quality import missing_fields, stale_elements, suspected_duplicates


def test_stale_elements_are_judged_against_the_map_date_and_undated_ones_listed():
    m = NetworkMap(
        pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"], "Last Verified": ["2016-01-01", "2017-05-01", None]}),
        metadata={"date": "2017-07-01"},
    )
    assert stale_elements(m).index.tolist() == ["a", "c"]


def test_near_identical_labels_are_suspected_duplicates_but_different_names_are_not():
    m = NetworkMap(pd.DataFrame({"ID": list("abcd"), "Label": ["Eastside Food Network", "East Side Food Network", "Eastside Youth Club", "Westway Trust"]}))
    pairs = suspected_duplicates(m)[["ID_a", "ID_b"]].values.tolist()
    assert pairs == [["a", "b"]]


def test_missing_fields_counts_blank_cells():
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Postcode": [None, None], "Type": ["x", None]}))
    assert missing_fields(m)["field"].tolist() == ["Postcode", "Type"]


def test_numbered_places_are_not_suspected_duplicates_but_typos_among_thousands_are_found():
    labels = [f"Organisation {i}" for i in range(3000)] + ["Mitcham Community Football Club", "Mitcham Comunity Football Club"]
    m = NetworkMap(pd.DataFrame({"ID": [f"e{i}" for i in range(len(labels))], "Label": labels}))
    found = suspected_duplicates(m)
    assert found[["Label_a", "Label_b"]].values.tolist() == [["Mitcham Community Football Club", "Mitcham Comunity Football Club"]]


def test_a_typo_at_the_start_of_a_name_is_still_found():
    labels = ["Aardvark Trust", "Zebra Crossing Youth Club", "Xebra Crossing Youth Club", "Middle Way"]
    m = NetworkMap(pd.DataFrame({"ID": list("abcd"), "Label": labels}))
    assert suspected_duplicates(m)[["ID_a", "ID_b"]].values.tolist() == [["b", "c"]]
