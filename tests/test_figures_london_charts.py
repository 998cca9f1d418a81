"""Maps of London and charts: boroughs as polygons, markers, colour bars, escaped text."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit import NetworkMap
from cop_toolkit.core.errors import MapError
from cop_toolkit.figures import (
    TYPE_COLOURS,
    plot_borough_choropleth,
    plot_cluster_composition,
    plot_collaboration_vs_resources,
    plot_comparison,
    plot_degree_distribution,
    plot_flows,
    plot_local_sharing,
    plot_london,
    plot_matches,
    plot_ranking,
    plot_tile_grid,
    plot_what_if_changes,
)

EVIL = "<img src=x onerror=alert(1)>"


def no_raw_html(fig) -> bool:
    text = json.dumps(fig.to_plotly_json(), default=lambda array: array.tolist())  # numpy arrays too
    return "<img" not in text and "<script" not in text


def placed_map() -> tuple[NetworkMap, pd.DataFrame]:
    m = NetworkMap(
        pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Food Bank", EVIL, "Nowhere Group"],
                      "Type": ["Community group", "CVS", "Funder"]}),
        pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"], "Type": ["Referral", "Funding"]}),
    )
    loc = pd.DataFrame({"Latitude": [51.52, 51.46, None], "Longitude": [-0.07, -0.11, None],
                        "approximate": [False, True, False], "borough_name": ["Tower Hamlets", "Lambeth", None]},
                       index=pd.Index(["a", "b", "c"], name="ID"))
    return m, loc


def test_no_figure_uses_geo_or_tile_traces():
    m, loc = placed_map()
    summary = pd.DataFrame({"assets": [3], "ties_within": [2]}, index=pd.Index(["E09000030"], name="code"))
    flows = pd.DataFrame({"code_a": ["E09000030"], "code_b": ["E09000022"], "ties": [2]})
    for fig in (plot_london(m, locations=loc), plot_borough_choropleth(summary, "assets"),
                plot_tile_grid(summary, "assets"), plot_flows(flows), plot_collaboration_vs_resources(summary)):
        assert {t.type for t in fig.data} <= {"scatter"}
        assert fig.layout.xaxis.scaleanchor == "y" or fig.layout.yaxis.scaleanchor == "x"


def test_london_map_draws_all_boroughs_and_marks_approximate_places_hollow():
    m, loc = placed_map()
    fig = plot_london(m, locations=loc)
    boroughs = fig.data[0]
    assert boroughs.fill == "toself" and boroughs.x.count(None) >= 33
    cvs = next(t for t in fig.data if t.name == "CVS (approximate)")
    assert cvs.marker.symbol.endswith("-open")
    assert "approximate" in cvs.hovertext[0]
    food = next(t for t in fig.data if t.name == "Community group")
    assert food.marker.color == TYPE_COLOURS["Community group"]
    assert "2 of 3 elements placed" in fig.layout.title.text
    ties = [t for t in fig.data if t.legendgroup == "links"]
    assert [t.name for t in ties] == ["Referral"]  # the funding tie has an unplaced end
    assert no_raw_html(fig)


def test_choropleth_colours_boroughs_by_value_with_a_colour_bar():
    summary = pd.DataFrame({"assets": [10, 0]}, index=pd.Index(["E09000030", "E09000012"], name="code"))
    fig = plot_borough_choropleth(summary, "assets")
    polys = {t.name: t for t in fig.data if t.fill == "toself"}
    assert len(polys) == 33
    assert polys["Tower Hamlets"].fillcolor != polys["Hackney"].fillcolor
    assert polys["Westminster"].fillcolor == "#F7F7F7"  # no data
    assert "assets: 10" in polys["Tower Hamlets"].text
    assert any(t.marker.showscale for t in fig.data if t.mode == "markers")
    with pytest.raises(MapError, match="no 'money' column"):
        plot_borough_choropleth(summary, "money")


def test_tile_grid_has_one_square_per_borough_with_abbreviations():
    summary = pd.DataFrame({"needs": [4]}, index=pd.Index(["E09000001"], name="code"))
    fig = plot_tile_grid(summary, "needs")
    squares, names = fig.data[0], fig.data[1]
    assert len(squares.x) == 33 and squares.marker.symbol == "square"
    assert len(set(zip(squares.x, squares.y))) == 33
    assert "CTY" in names.text


def test_flow_map_draws_thicker_lines_for_more_ties_and_circles_for_ties_within():
    flows = pd.DataFrame({"code_a": ["E09000030", "E09000012", "E09000033", "E09000012"],
                          "code_b": ["E09000012", "E09000030", "E09000022", "E09000012"],
                          "ties": [5, 3, 1, 4]})
    fig = plot_flows(flows)
    lines = [t for t in fig.data if t.legendgroup == "flows"]
    assert max(lines, key=lambda t: t.line.width).name.endswith("8 ties between boroughs")  # 5 + 3 merged
    within = next(t for t in fig.data if t.name == "Ties within a borough")
    assert "Hackney: 4 ties" in within.hovertext[0]


def test_collaboration_overlay_and_local_sharing_lines():
    summary = pd.DataFrame({"assets": [5, 1], "ties_within": [0, 7]},
                           index=pd.Index(["E09000030", "E09000012"], name="code"))
    fig = plot_collaboration_vs_resources(summary)
    circles = fig.data[-1]
    assert circles.name.startswith("Collaboration") and max(circles.marker.size) > 30
    m, loc = placed_map()
    pairs = pd.DataFrame({"ID_a": ["a"], "ID_b": ["b"], "reason": [f"{EVIL} has a hall"]})
    fig = plot_local_sharing(m, pairs, locations=loc)
    line = next(t for t in fig.data if t.name == "Could share (no tie yet)")
    assert len(line.x) == 3
    assert no_raw_html(fig)


def test_owa_2017_london_maps_from_the_real_tables():
    m = cop.datasets.load("owa-2017")
    fig = plot_london(m)
    assert sum(len(t.x) for t in fig.data if t.customdata is not None) > 100
    summary = cop.borough_summary(m)
    assert len([t for t in plot_borough_choropleth(summary, "assets").data if t.fill == "toself"]) == 33
    from cop_toolkit.analysis.boroughs import borough_flows

    flows = borough_flows(m)
    assert any(t.legendgroup == "flows" for t in plot_flows(flows).data)
    sharing = cop.local_sharing(m)
    assert plot_local_sharing(m, sharing).data


# ---------------------------------------------------------------- charts
def metrics_table() -> pd.DataFrame:
    return pd.DataFrame({"Label": ["LVSC", "Forum", EVIL, "Small"], "Type": ["Pan-London body", "Borough network",
                         "Community group", "Community group"], "degree": [9, 4, 1, 1],
                         "betweenness": [0.6, 0.2, 0.0, 0.05]}, index=pd.Index(["l", "f", "e", "s"], name="ID"))


def test_degree_distribution_counts_elements_per_degree_by_type():
    fig = plot_degree_distribution(metrics_table())
    groups = {t.name: (list(t.x), list(t.y)) for t in fig.data}
    assert groups["Community group"] == ([1], [2])
    assert fig.layout.xaxis.title.text.startswith("Number of connections")
    assert next(t for t in fig.data if t.name == "Pan-London body").marker.color == TYPE_COLOURS["Pan-London body"]


def test_ranking_shows_the_top_elements_largest_first_with_escaped_labels():
    fig = plot_ranking(metrics_table(), "betweenness", top=3)
    assert list(fig.layout.yaxis.categoryarray) == ["Small", "Forum", "LVSC"]
    fig = plot_ranking(metrics_table(), "degree", top=4)
    assert "&lt;img src=x onerror=alert(1)&gt;" in fig.layout.yaxis.categoryarray
    assert no_raw_html(fig)


def test_cluster_composition_stacks_types_per_cluster():
    cl = pd.DataFrame({"Type": ["CVS", "CVS", "Funder", "CVS"], "cluster": [0, 0, 0, 1],
                       "cluster_name": ["Around A", "Around A", "Around A", EVIL]})
    fig = plot_cluster_composition(cl)
    cvs = next(t for t in fig.data if t.name == "CVS")
    assert list(cvs.y) == [2, 1]
    assert no_raw_html(fig)


def test_what_if_changes_and_snapshot_comparison_charts():
    r = SimpleNamespace(summary=pd.DataFrame({"measure": ["components"], "before": [1], "after": [3], "change": [2]}),
                        to_the_fore=pd.DataFrame({"Label": ["Forum", "Down"], "rank_gain": [12, -1]}, index=["f", "d"]),
                        headline=lambda: "Without LVSC, 3 groups are cut off.")
    fig = plot_what_if_changes(r)
    gained = next(t for t in fig.data if t.name == "Places gained")
    assert list(gained.y) == ["Forum"]
    assert "3 groups are cut off" in fig.layout.title.text
    c = SimpleNamespace(elements_added=pd.DataFrame({"Label": ["New"]}), elements_removed=pd.DataFrame(),
                        connections_added=pd.DataFrame({"From": ["a", "b"]}), connections_removed=pd.DataFrame(),
                        metric_changes=pd.DataFrame({"Label": ["Rose", "Fell", "Same"], "change": [3, -2, 0]}))
    fig = plot_comparison(c)
    bars = {t.name: t for t in fig.data}
    assert list(bars["Rose"].y) == ["Rose"] and list(bars["Fell"].y) == ["Fell"]
    assert list(bars["Added"].y) == [1, 2]


def test_matches_join_needs_to_offers_and_mark_existing_ties():
    mt = pd.DataFrame({"ID_a": ["a", "a", "c"], "Label_a": ["Food Bank", "Food Bank", EVIL],
                       "ID_b": ["b", "d", "b"], "Label_b": ["Youth Club", "Hall", "Youth Club"],
                       "item": ["space", "space", "vans"], "already_tied": [False, True, False],
                       "reason": ["Youth Club offers space", "Hall offers space", "Youth Club has vans"]})
    fig = plot_matches(mt)
    names = [t.name for t in fig.data]
    assert "space" in names and "space (already tied)" in names and "vans" in names
    tied = next(t for t in fig.data if t.name == "space (already tied)")
    assert tied.line.dash == "dot"
    needs = next(t for t in fig.data if t.name == "Needs something")
    assert len(needs.x) == 2
    assert no_raw_html(fig)


def test_charts_from_the_real_owa_2017_tables():
    m = cop.datasets.load("owa-2017")
    metrics = cop.element_metrics(m)
    assert plot_ranking(metrics, "betweenness").data
    assert plot_degree_distribution(m).data
    assert plot_cluster_composition(cop.find_clusters(m)).data
    assert plot_what_if_changes(cop.what_if(m, remove=["lvsc"])).data
    matches = cop.match_needs_offers(m)
    assert plot_matches(matches).data


def test_london_map_draws_the_strongest_ties_when_thinned_and_says_so():
    ids = [f"e{i}" for i in range(6)]
    m = NetworkMap(
        pd.DataFrame({"ID": ids, "Label": ids, "Type": ["Community group"] * 6}),
        pd.DataFrame({"From": ["e0", "e1", "e2", "e3"], "To": ["e1", "e2", "e3", "e4"],
                      "Type": ["Referral"] * 4, "Strength": [1, 5, 4, 2]}),
    )
    loc = pd.DataFrame({"Latitude": [51.5 + i / 100 for i in range(6)], "Longitude": [-0.1 - i / 100 for i in range(6)],
                        "approximate": False}, index=pd.Index(ids, name="ID"))
    everything = plot_london(m, locations=loc, max_ties=None)
    assert sum(t.x.count(None) for t in everything.data if t.legendgroup == "links") == 4
    thinned = plot_london(m, locations=loc, max_ties=2)
    (ties,) = [t for t in thinned.data if t.legendgroup == "links"]
    drawn = {(ties.y[k], ties.y[k + 1]) for k in range(0, len(ties.y), 3)}
    assert drawn == {(51.51, 51.52), (51.52, 51.53)}  # strengths 5 and 4
    assert "the 2 strongest of 4 ties" in thinned.layout.title.text
