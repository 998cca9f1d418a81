"""Who said what: Reported By / Reported On survive every format, merging and survey import."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cop_toolkit.analysis.provenance import (
    mark_unconsented,
    provenance_summary,
    unconsented_ties,
)
from cop_toolkit.building.merge import merge_maps
from cop_toolkit.building.survey import survey_to_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io import read_map, write_map
from cop_toolkit.io.datasets import load, load_survey

FORMATS = ["map.xlsx", "map.csv", "folder", "map.json", "map.graphml", "map.gexf"]


def _reported() -> NetworkMap:
    e = pd.DataFrame({"ID": ["hub", "club", "jo"], "Label": ["Camden Hub", "Oak Club", "Jo Bloggs"],
                      "Type": ["CVS", "Community group", "Person"], "Consent": [None, None, "no"],
                      "Reported By": ["Camden Hub", "Camden Hub|Oak Club", "Camden Hub"],
                      "Reported On": ["2018-01-02", "2018-01-02|2018-02-03", "2018-01-02"]})
    c = pd.DataFrame({"ID": ["t1", "t2", "t3"], "From": ["hub", "club", "hub"], "To": ["club", "hub", "jo"],
                      "Type": ["Partnership", "Referral", "Partnership"],
                      "Reported By": ["Camden Hub|Oak Club", "Oak Club", "Camden Hub"],
                      "Reported On": ["2018-01-02|2018-02-03", "2018-02-03", "2018-01-02"]})
    return NetworkMap(e, c, {"name": "Camden", "date": "2018-03-01"})


@pytest.mark.parametrize("fmt", FORMATS)
def test_provenance_round_trips_through_every_format(fmt: str, tmp_path: Path) -> None:
    m = _reported()
    back = read_map(write_map(m, tmp_path / ("saved" if fmt == "folder" else fmt)))
    for table in ("elements", "connections"):
        want = getattr(m, table).set_index("ID")[["Reported By", "Reported On"]]
        got = getattr(back, table).set_index("ID").loc[want.index, ["Reported By", "Reported On"]]
        assert got.astype(str).values.tolist() == want.astype(str).values.tolist(), table


def test_provenance_survives_a_merge_and_is_unioned(tmp_path: Path) -> None:
    m = _reported()
    other = NetworkMap(pd.DataFrame({"ID": ["club"], "Label": ["Oak Club"], "Reported By": ["Ash Trust"],
                                     "Reported On": ["2018-03-04"]}), metadata={"name": "Ash"})
    merged, _ = merge_maps(m, other)
    row = merged.elements.set_index("ID").loc["club"]
    assert row["Reported By"] == "Camden Hub|Oak Club|Ash Trust"
    assert row["Reported On"] == "2018-01-02|2018-02-03|2018-03-04"
    back = read_map(write_map(merged, tmp_path / "merged.xlsx"))
    assert back.elements.set_index("ID").at["club", "Reported By"] == "Camden Hub|Oak Club|Ash Trust"


def test_survey_import_records_each_respondent_as_the_reporter_of_its_ties() -> None:
    survey = load_survey()
    m = survey_to_map(survey)
    c = m.connections
    assert c["Reported By"].notna().all() and c["Reported On"].notna().all()
    labels = m.labels
    assert (c["Reported By"] == c["From"].map(labels)).all()
    assert pd.to_datetime(c["Reported On"]).min() >= pd.Timestamp("2017-01-01")


def test_provenance_summary_counts_contributors_confirmations_and_single_sources() -> None:
    s = provenance_summary(_reported())
    assert s.contributors.loc["Camden Hub"].to_dict() == {"elements": 3, "connections": 2, "own_ties": 2}
    assert s.contributors.loc["Oak Club"].to_dict() == {"elements": 1, "connections": 2, "own_ties": 2}
    assert s.ties["connections"].to_dict() == {"confirmed by both ends": 1, "reported by one side": 2,
                                               "reported by others": 0, "no reporter recorded": 0}
    assert sorted(s.single_source.index) == ["hub", "jo"]
    assert s.unconsented["ID"].tolist() == ["t3"]
    assert "1 name a person without consent" in s.headline()


def test_a_tie_naming_a_person_without_consent_is_marked_and_the_public_map_leaves_it_out() -> None:
    m = _reported()
    assert unconsented_ties(m).tolist() == [False, False, True]
    marked = mark_unconsented(m)
    assert marked.connections["Consent Check"].notna().tolist() == [False, False, True]
    assert "t3" not in set(marked.public().connections["ID"])


def test_the_sample_without_provenance_says_no_reporter_was_recorded() -> None:
    s = provenance_summary(load("owa-2017"))
    assert s.ties.at["no reporter recorded", "connections"] == 677
    assert len(s.contributors) == 0
