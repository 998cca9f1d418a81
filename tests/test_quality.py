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


# Real-looking London names. Each (a, b) in KNOWN_DUPLICATES is one body written two ways
# (a typo, '&' for 'and', 'Ltd', spacing, word order); every other pair names different bodies,
# many of them differing only in a place word (a borough, or East/West/North/South/Central).
KNOWN_DUPLICATES = [
    ("Mitcham Community Football Club", "Mitcham Comunity Football Club"),
    ("Bow Carers & Families Network", "Bow Carers and Families Network"),
    ("Peckham Food Bank Ltd", "Peckham Food Bank"),
    ("Eastside Food Network", "East Side Food Network"),
    ("The Harrow Women's Centre", "Harrow Womens Centre"),
    ("Somali Youth Development Resource Centre", "Somali Youth Developement Resource Centre"),
    ("Hackeny Refugee Support Group", "Hackney Refugee Support Group"),
    ("Age Friendly Croydon CIC", "Age Friendly Croydon"),
    ("Deptford Arts & Heritage Trust", "Deptford Arts and Heritage Trust Limited"),
]
DIFFERENT_BODIES = [
    "East London Community Health Board", "West London Community Health Board",
    "North London Community Health Board", "South London Community Health Board",
    "Haringey Third Sector Council", "Ealing Third Sector Council", "Lewisham Third Sector Council",
    "Tower Hamlets Third Sector Council", "Hammersmith and Fulham Voluntary Sector Council",
    "Kensington and Chelsea Voluntary Sector Council", "Kingston upon Thames Voluntary Sector Council",
    "Richmond upon Thames Voluntary Sector Council", "Central London Law Centre", "North Kensington Law Centre",
    "Brent Carers Centre", "Barnet Carers Centre", "Camden Youth Forum", "Croydon Youth Forum",
    "Enfield Voluntary Action", "Merton Voluntary Action", "Sutton Voluntary Action",
    "Islington Mind", "Lambeth Mind", "Greenwich Mencap", "Lewisham Mencap",
    "Waltham Forest Food Bank", "Wandsworth Food Bank", "South Bermondsey Residents Association",
    "North Bermondsey Residents Association", "London Voluntary Service Council",
    "Citizens Advice Westminster", "Citizens Advice Southwark", "Roundshaw Pensioners Forum",
    "Canonbury Disabled People's Group", "Unit 1 Studios", "Unit 2 Studios",
]


def test_duplicate_checks_find_every_known_duplicate_and_no_body_that_differs_only_by_place():
    names = [name for pair in KNOWN_DUPLICATES for name in pair] + DIFFERENT_BODIES
    assert len(names) >= 40
    m = NetworkMap(pd.DataFrame({"ID": [f"e{i}" for i in range(len(names))], "Label": names}))
    found = {frozenset(pair) for pair in suspected_duplicates(m)[["Label_a", "Label_b"]].values.tolist()}
    known = {frozenset(pair) for pair in KNOWN_DUPLICATES}
    assert found - known == set(), "flagged bodies that are not the same"
    assert known - found == set(), "missed known duplicates"


def test_names_differing_only_by_borough_or_compass_word_are_not_flagged_even_when_alone():
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c", "d"], "Label": [
        "East London Community Health Board", "West London Community Health Board",
        "Haringey Third Sector Council", "Ealing Third Sector Council"]}))
    assert suspected_duplicates(m).empty
