"""Figures people can read: names that never sit on each other, subtitles that fit, legends with symbols.

The first tests check each figure's data and layout; the last ones open the
figures in Debian's Chromium (Playwright, network blocked) and measure what is
drawn: the boxes of the names, the title lines, the legend's symbols and line
widths, the bar numbers. Screenshots go to the artifacts folder
(``$COP_TEST_ARTIFACTS`` or ``tests/artifacts/``).
"""

from __future__ import annotations

import html
import re
from itertools import combinations
from types import SimpleNamespace

import pandas as pd
import pytest
from lab import artifacts_dir, block_the_network, clipped_bar_labels, launch_chromium, needs_chromium

import cop_toolkit as cop
from cop_toolkit import NetworkMap
from cop_toolkit.figures import (
    figures_to_html,
    plot_cluster_matrix,
    plot_flows,
    plot_network,
    plot_ranking,
    plot_what_if,
)
from cop_toolkit.figures.labels import LabelSpace, label_box
from cop_toolkit.figures.london import FLOW_WIDTHS
from cop_toolkit.figures.style import truncate


@pytest.fixture(scope="module")
def owa():
    m = cop.datasets.load("owa-2017")
    return SimpleNamespace(map=m, metrics=cop.element_metrics(m), result=cop.what_if(m, remove=["lvsc"]))


def _trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def crowd(n: int = 30) -> tuple[NetworkMap, pd.DataFrame]:
    """``n`` elements with long names, all drawn at (almost) the same spot, and one far away."""
    ids = [f"e{k}" for k in range(n)] + ["far"]
    elements = pd.DataFrame({"ID": ids, "Label": [f"Community Organisation Number {k}" for k in range(n)] + ["Far"],
                             "Type": "Community group"})
    connections = pd.DataFrame({"From": ids[1:], "To": ids[:-1]})
    layout = pd.DataFrame({"X": [0.001 * k for k in range(n)] + [1.0], "Y": [0.0] * n + [1.0]},
                          index=pd.Index(ids, name="ID"))
    return NetworkMap(elements, connections), layout


# ------------------------------------------------------------------ label placement
def test_labels_placed_in_a_crowd_never_overlap_and_the_rest_are_left_out():
    xs, ys = [0.5 + 0.001 * k for k in range(12)], [0.5] * 12
    space = LabelSpace([0.0, 1.0, *xs], [0.0, 1.0, *ys], size=(600, 400))
    texts = [f"Borough network {k}" for k in range(12)]
    placed = space.place(xs, ys, texts, [6] * 12)
    kept = [k for k, p in enumerate(placed) if p]
    assert 2 <= len(kept) < 12 and kept[0] == 0  # the first (most important) always gets its place
    px, py = space.to_px(xs, ys)
    boxes = [label_box(px[k], py[k], 6, texts[k], placed[k]) for k in kept]
    for a, b in combinations(boxes, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_a_forced_label_is_placed_even_where_every_place_is_taken():
    space = LabelSpace([0, 1], [0, 1], size=(400, 300))
    first = space.place([0.5] * 4, [0.5] * 4, ["A long name here"] * 4, [5] * 4)
    assert None not in first
    assert space.place([0.5], [0.5], ["A long name here"], [5]) == [None]
    assert space.place([0.5], [0.5], ["A long name here"], [5], force=True) != [None]


def test_an_element_named_once_is_not_named_again_on_the_same_panel():
    space = LabelSpace([0, 1], [0, 1], size=(400, 300))
    assert space.place([0.2], [0.2], ["LVSC"], [5], keys=["lvsc"]) != [None]
    assert space.place([0.2, 0.8], [0.2, 0.8], ["LVSC", "Other"], [5, 5], keys=["lvsc", "other"])[0] is None


# ------------------------------------------------------------------ network map
def test_a_crowded_map_names_only_as_many_elements_as_have_room():
    m, layout = crowd()
    fig = plot_network(m, layout=layout, label_top=30)
    names = _trace(fig, "Names")
    assert 1 <= len(names.text) <= 8  # 30 asked for, on one spot: only those with room are named
    assert len(set(zip(names.x, names.y, names.textposition))) == len(names.text)  # no two in one place


def test_the_map_names_the_top_15_elements_beside_their_markers(owa):
    fig = plot_network(owa.map, metrics=owa.metrics)
    names = _trace(fig, "Names")
    ranked = owa.metrics.assign(_minus=-owa.metrics["degree"]).sort_values(["_minus", "Label"], kind="stable")
    top_15 = [truncate(label, 32) for label in ranked["Label"].head(15)]  # names are cut to 32 characters
    assert 10 <= len(names.text) <= 15
    assert names.text[0] == top_15[0]
    assert set(names.text) <= set(top_15)
    assert names.mode == "markers+text" and names.marker.color == "rgba(0,0,0,0)"  # markers only set the gap


def test_the_map_fills_the_width_with_its_legend_in_rows_below(owa):
    fig = plot_network(owa.map, metrics=owa.metrics)
    assert fig.layout.width is None  # autosize: as wide as the page or notebook
    assert fig.layout.yaxis.scaleanchor is None  # not squeezed to the layout's shape
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y < 0 and fig.layout.legend.yanchor == "top"


# ------------------------------------------------------------------ what-if
def test_the_what_if_names_only_a_few_of_those_cut_off_and_those_coming_to_the_fore(owa):
    fig = plot_what_if(owa.map, owa.result, top=5)
    cut, fore = _trace(fig, "Cut off"), _trace(fig, "Comes to the fore")
    assert len(cut.x) == len(owa.result.cut_off) > 5  # every one ringed ...
    named = [t for t in cut.text if t]
    assert 1 <= len(named) <= 3  # ... a few named
    degree = owa.metrics["degree"].reindex([str(i) for i in owa.result.cut_off.index])
    best = owa.map.label_of(degree.idxmax())
    assert best in named
    assert 1 <= sum(1 for t in fore.text if t) <= 3


def test_the_what_if_rings_and_legend_symbols_are_drawn_in_colour(owa):
    fig = plot_what_if(owa.map, owa.result)
    for name in ("Taken away", "Cut off", "Comes to the fore"):
        marker = _trace(fig, name).marker
        # an open symbol is drawn in the marker colour: a see-through one shows nothing
        assert marker.color not in (None, "rgba(0,0,0,0)") and marker.color == marker.line.color


def test_the_what_if_subtitle_is_wrapped_and_the_title_has_room_above_the_panels(owa):
    fig = plot_what_if(owa.map, owa.result)
    heading = fig.layout.title.text
    assert len(_plain(owa.result.headline())) > 100
    lines = [_plain(line) for line in heading.split("<br>")[1:]]
    assert len(lines) >= 2 and max(len(line) for line in lines) <= 60
    assert html.unescape(" ".join(lines)).split() == owa.result.headline().split()
    assert fig.layout.margin.t >= 60 + 20 * len(lines)


# ------------------------------------------------------------------ flows, ranking, cluster matrix
def test_the_flow_map_draws_four_clearly_different_widths_and_the_legend_shows_them():
    codes = ["E09000001", "E09000002", "E09000003", "E09000004", "E09000005"]
    flows = pd.DataFrame({"code_a": [codes[0]] * 4, "code_b": codes[1:], "ties": [1, 5, 8, 12]})
    fig = plot_flows(flows)
    lines = [t for t in fig.data if t.legendgroup == "flows"]
    assert [t.line.width for t in lines] == list(FLOW_WIDTHS) == [1, 3, 6, 10]
    assert [t.name for t in lines] == ["1–3 ties between boroughs", "4–6 ties between boroughs",
                                       "7–9 ties between boroughs", "10–12 ties between boroughs"]
    assert fig.layout.legend.itemsizing == "trace"  # "constant" draws every line in the legend alike
    assert lines[0].legendgrouptitle.text == "Line width"


def test_the_ranking_leaves_room_for_the_longest_bar_s_number(owa):
    fig = plot_ranking(owa.metrics, "betweenness", top=10)
    top = float(owa.metrics["betweenness"].max())
    low, high = fig.layout.xaxis.range
    assert low == 0 and high >= 1.2 * top
    assert all(t.cliponaxis is False and t.textposition == "outside" for t in fig.data)


def test_the_cluster_matrix_is_a_heatmap_of_the_ties_with_short_names_and_full_ones_on_hover(owa):
    clusters = cop.find_clusters(owa.map)
    ties = cop.cluster_ties(owa.map, clusters)
    fig = plot_cluster_matrix(owa.map, clusters)
    (heat,) = fig.data
    assert heat.type == "heatmap"
    k = len(heat.x)
    assert list(heat.x) == list(heat.y) and len(set(heat.x)) == k
    assert all(len(name) <= 18 for name in heat.x)
    full = [str(n) for n in ties.index[:k]]
    assert any(name.endswith("…") for name in heat.x) and any(len(n) > 18 for n in full)
    assert heat.z.tolist() == ties.iloc[:k, :k].to_numpy().tolist()
    assert full[0] in heat.hovertext[0][1] and full[1] in heat.hovertext[0][1]
    assert heat.text[0][0] == str(ties.iloc[0, 0])


def test_the_cluster_matrix_shows_only_the_biggest_clusters_when_asked(owa):
    fig = plot_cluster_matrix(owa.map, top=3)
    assert len(fig.data[0].x) == 3 and "3 biggest" in fig.layout.title.text


# ------------------------------------------------------------------ in a browser
#: the screen boxes of every name drawn in each figure, by figure (SVG text of scatter traces)
NAME_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(fig =>
    [...fig.querySelectorAll('.scatterlayer .textpoint text')].filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    }))"""


def in_browser(test):
    """Mark a test that draws in Chromium (skipped, saying why, where Chromium is missing)."""
    for mark in (*needs_chromium, pytest.mark.slow):
        test = mark(test)
    return test


def _overlapping(boxes: list[dict], slack: float = 1.0) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for a, b in combinations(boxes, 2)
            if a["left"] + slack < b["right"] and b["left"] + slack < a["right"]
            and a["top"] + slack < b["bottom"] and b["top"] + slack < a["bottom"]]


@pytest.fixture(scope="module")
def drawn(owa, tmp_path_factory):
    """The map, the what-if, the flows, the ranking and the cluster matrix drawn in Chromium (report width)."""
    figures = [plot_network(owa.map, metrics=owa.metrics), plot_what_if(owa.map, owa.result),
               plot_flows(cop.borough_flows(owa.map)), plot_ranking(owa.metrics, "betweenness", top=10),
               plot_cluster_matrix(owa.map)]
    page_file = figures_to_html(figures, tmp_path_factory.mktemp("readable") / "figures.html")
    with launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        refused = block_the_network(page)
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 10")
        figs = page.locator(".js-plotly-plot").all()
        names = ["map", "what-if", "flows", "ranking", "cluster-matrix"]
        for name, fig in zip(names, figs):
            fig.scroll_into_view_if_needed()
            fig.screenshot(path=artifacts_dir() / f"readable-{name}.png")
        yield SimpleNamespace(page=page, figures=dict(zip(names, figs)), refused=refused)


@in_browser
@pytest.mark.parametrize("figure", [0, 1], ids=["map", "what-if"])
def test_no_two_names_drawn_overlap(drawn, figure):
    boxes = drawn.page.evaluate(NAME_BOXES)[figure]
    assert len(boxes) >= 5
    assert _overlapping(boxes) == []
    assert drawn.refused == []


@in_browser
def test_the_drawn_what_if_subtitle_fits_the_figure_and_clears_the_panel_titles(drawn):
    found = drawn.figures["what-if"].evaluate("""fig => {
        const box = fig.getBoundingClientRect();
        const title = fig.querySelector('.gtitle').getBoundingClientRect();
        const panels = [...fig.querySelectorAll('.annotation-text')].map(a => a.getBoundingClientRect());
        return {figRight: box.right, titleRight: title.right, titleBottom: title.bottom,
                panelTops: panels.map(p => p.top)};
    }""")
    assert found["titleRight"] <= found["figRight"] / 2 + 100  # wrapped: well inside the left half
    assert len(found["panelTops"]) == 2 and found["titleBottom"] <= min(found["panelTops"])


@in_browser
def test_the_drawn_what_if_legend_has_a_visible_symbol_for_each_change(drawn):
    symbols = drawn.figures["what-if"].evaluate("""fig => [...fig.querySelectorAll('.legend .traces')]
        .filter(t => ['Taken away', 'Cut off', 'Comes to the fore'].includes(t.querySelector('.legendtext').textContent))
        .map(t => {
            const p = t.querySelector('.legendpoints path');
            const r = p.getBoundingClientRect();
            return {stroke: getComputedStyle(p).stroke, opacity: getComputedStyle(p).strokeOpacity,
                    size: Math.min(r.width, r.height)};
        })""")
    assert len(symbols) == 3
    for s in symbols:
        assert s["size"] >= 6 and s["stroke"] not in ("none", "rgba(0, 0, 0, 0)") and float(s["opacity"]) > 0.5


@in_browser
def test_the_drawn_map_spans_the_width_and_every_legend_entry_shows(drawn):
    found = drawn.figures["map"].evaluate("""fig => {
        const box = fig.getBoundingClientRect();
        const points = [...fig.querySelectorAll('.scatterlayer .trace .points path')].map(p => p.getBoundingClientRect())
            .filter(r => r.width > 0);
        const legend = fig.querySelector('.legend').getBoundingClientRect();
        const entries = [...fig.querySelectorAll('.legend .legendtext')].map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, inside: r.top >= box.top && r.bottom <= box.bottom && r.right <= box.right};
        });
        const bar = fig.querySelector('.legend .scrollbar');
        return {width: box.width, left: Math.min(...points.map(r => r.left)) - box.left,
                right: Math.max(...points.map(r => r.right)) - box.left, entries: entries,
                scrollbar: bar ? bar.getBoundingClientRect().height : 0,
                legendTop: legend.top, plotBottom: fig.querySelector('.nsewdrag').getBoundingClientRect().bottom};
    }""")
    assert found["right"] - found["left"] >= 0.8 * found["width"]
    shown = {e["text"]: e["inside"] for e in found["entries"]}
    assert shown.get("Pan-London body") is True and all(shown.values())
    assert found["scrollbar"] == 0
    assert found["legendTop"] >= found["plotBottom"] - 1


@in_browser
def test_the_drawn_flow_legend_shows_four_line_widths(drawn):
    widths = drawn.figures["flows"].evaluate("""fig => [...fig.querySelectorAll('.legend .traces')]
        .filter(t => t.querySelector('.legendtext').textContent.includes('between boroughs'))
        .map(t => parseFloat(getComputedStyle(t.querySelector('.legendlines path')).strokeWidth))""")
    assert widths == sorted(widths) and len(set(widths)) == len(widths) == 4
    assert widths[-1] >= 3 * widths[0]


@in_browser
def test_the_drawn_ranking_numbers_stay_inside_the_plot_even_when_narrow(drawn):
    page = drawn.page
    page.set_viewport_size({"width": 620, "height": 900})
    figure = drawn.figures["ranking"]
    figure.scroll_into_view_if_needed()
    page.wait_for_timeout(400)  # responsive figures redraw on resize
    clipped = clipped_bar_labels(figure)
    labels = figure.locator(".bartext")
    assert labels.count() == 10 and clipped == []
    figure.screenshot(path=artifacts_dir() / "readable-ranking-narrow.png")
    page.set_viewport_size({"width": 1100, "height": 900})
