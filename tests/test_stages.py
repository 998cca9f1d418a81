"""Following the network over waves: stages, health and followed introductions."""

from __future__ import annotations

import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit.analysis.compare import compare_maps
from cop_toolkit.analysis.stages import (
    introductions_followed,
    network_health,
    network_stage,
)
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io.datasets import load


def _map(ties: list[tuple[str, str]], extra: list[str] = (), **meta) -> NetworkMap:
    ids = sorted({x for t in ties for x in t} | set(extra))
    return NetworkMap(pd.DataFrame({"ID": ids, "Label": [i.upper() for i in ids]}),
                      pd.DataFrame(ties, columns=["From", "To"]), meta)


def fragments() -> NetworkMap:
    return _map([(f"{g}{a}", f"{g}{b}") for g in "abcde" for a, b in ((1, 2), (2, 3), (1, 3))])


def hub_and_spoke() -> NetworkMap:
    return _map([("hub", f"s{i}") for i in range(12)] + [("s1", "s2"), ("s5", "s6")])


def multi_hub() -> NetworkMap:
    ties = [(f"h{k}", f"h{k}l{i}") for k in range(4) for i in range(8)]
    ties += [("h0", "h1"), ("h1", "h2"), ("h2", "h3"), ("h0l1", "h1l1")]
    return _map(ties)


def core_periphery() -> NetworkMap:
    core = [f"c{i}" for i in range(8)]
    ties = [(a, b) for i, a in enumerate(core) for b in core[i + 1:]]
    ties += [(f"p{j}", core[j % 8]) for j in range(30)] + [(f"p{j}", core[(j + 3) % 8]) for j in range(0, 30, 2)]
    return _map(ties)


@pytest.mark.parametrize("build, stage, words", [
    (fragments, "scattered fragments", "still in pieces"),
    (hub_and_spoke, "single hub-and-spoke", "most ties run through it"),
    (multi_hub, "multi-hub small world", "Several hubs"),
    (core_periphery, "core and periphery", "dense core"),
])
def test_each_stage_is_recognised_on_a_built_example_with_its_evidence(build, stage, words):
    result = network_stage(build())
    assert result.stage == stage
    assert words in result.evidence[0]
    assert len(result.evidence) == 5 and stage in result.text()


def test_the_built_examples_report_the_measures_the_rules_use():
    assert network_stage(hub_and_spoke()).hubs == ["hub"]
    assert sorted(network_stage(multi_hub()).hubs) == ["h0", "h1", "h2", "h3"]
    assert sorted(network_stage(core_periphery()).core) == [f"c{i}" for i in range(8)]
    assert network_stage(fragments()).measures["main_share"] == pytest.approx(0.2)


@pytest.fixture(scope="module")
def waves():
    return load("owa-2017"), load("owa-2018")


def test_the_2017_and_2018_samples_are_a_multi_hub_small_world_that_depends_less_on_lvsc(waves):
    old, new = waves
    s17, s18 = network_stage(old), network_stage(new)
    assert s17.stage == s18.stage == "multi-hub small world"
    assert "lvsc" in s17.hubs and "lvsc" not in s18.hubs
    assert "LVSC" in s17.text()
    assert s18.measures["top_hub_share"] < s17.measures["top_hub_share"]


def test_network_health_is_one_row_per_wave_with_newcomers_counted_from_the_wave_before(waves):
    old, new = waves
    health = network_health([old, new])
    assert list(health.index) == ["2017-07-31", "2018-07-31"]
    assert health.loc["2017-07-31", "ties"] == 677 and pd.isna(health.loc["2017-07-31", "newcomers"])
    joined = set(compare_maps(old, new).elements_added.index) - set(network_stage(new).core)
    assert health.loc["2018-07-31", "newcomers"] == len(joined)
    assert health["stage"].tolist() == ["multi-hub small world"] * 2
    assert 0 < health.loc["2018-07-31", "bottom_across_share"] < 1
    assert health.loc["2018-07-31", "hub_share"] < health.loc["2017-07-31", "hub_share"]


def test_reciprocity_counts_mutual_ties_and_directed_ties_both_ways():
    m = NetworkMap(pd.DataFrame({"ID": list("abcd"), "Label": list("ABCD")}),
                   pd.DataFrame({"From": ["a", "b", "a", "c"], "To": ["b", "a", "c", "d"],
                                 "Direction": ["directed", "directed", "directed", "mutual"]}))
    assert network_health([m])["reciprocity"].iloc[0] == pytest.approx(2 / 3)


def test_the_known_followed_introductions_are_found_on_a_constructed_pair_of_waves():
    left = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]
    right = [("w", "x"), ("x", "y"), ("w", "y"), ("y", "z")]
    old = _map(left + right + [("c", "w")])
    new = _map(left + right + [("c", "w"), ("b", "d"), ("a", "x")])
    suggestions = pd.DataFrame({"ID_a": ["b", "a", "d"], "ID_b": ["d", "x", "z"],
                                "kind": ["open triangle", "bridge", "bridge"]})
    out = introductions_followed(old, new, suggestions)
    assert out["followed"].tolist() == [True, True, False]
    assert out["closed_triangle"].tolist() == [True, False, False]
    assert out["bridged_clusters"].tolist() == [False, True, False]
    assert out["outcome"].tolist() == ["made: closed a triangle", "made: bridged clusters", "not made"]


def test_followed_introductions_follow_renamed_elements_by_label():
    old = _map([("a", "b"), ("b", "c")])
    new = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c2"], "Label": ["A", "B", "C"]}),
                     pd.DataFrame({"From": ["a", "b", "a"], "To": ["b", "c2", "c2"]}))
    out = introductions_followed(old, new, pd.DataFrame({"ID_a": ["a"], "ID_b": ["c"]}))
    assert out["followed"].tolist() == [True]


def test_stage_functions_are_exported_at_the_top_level():
    assert cop.network_stage is network_stage and cop.network_health is network_health
    assert cop.introductions_followed is introductions_followed


def test_cop_map_log_lists_snapshots_oldest_first_with_the_changes_between_them(waves, tmp_path, capsys):
    from cop_toolkit.io import write_map
    from cop_toolkit.reports.mapcli import main

    old, new = waves
    write_map(new, tmp_path / "map-b.xlsx")
    write_map(old, tmp_path / "map-a.xlsx")
    assert main(["log", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2017-07-31  map-a.xlsx: 195 elements, 677 connections; stage: multi-hub small world"
    assert lines[1] == "    " + compare_maps(old, new).headline()
    assert lines[2].startswith("2018-07-31  map-b.xlsx: 200 elements")


def test_the_report_changes_section_shows_the_stage_health_and_followed_introductions(waves):
    from cop_toolkit.building.weaving import suggest_introductions
    from cop_toolkit.reports.story import changes, prepare

    items = changes(prepare("owa-2018", previous_path="owa-2017"))
    html = "".join(i for i in items if isinstance(i, str))
    old, new = waves
    stage_then, stage_now = network_stage(old).stage, network_stage(new).stage
    assert f"Then: {stage_then}. Now: {stage_now}." in html
    assert "Largest hub&#39;s share" in html or "hub_share" in html or "Hub share" in html
    followed = introductions_followed(old, new, suggest_introductions(old))
    assert f"{int(followed['followed'].sum())} of the {len(followed)} introductions suggested" in html
    assert "No earlier snapshot" in "".join(i for i in changes(prepare("owa-2018")) if isinstance(i, str))
