"""Every kind of figure, on one offline page, opened in headless Chromium with the network blocked."""

from __future__ import annotations

import networkx as nx
import pandas as pd

import cop_toolkit as cop
from cop_toolkit import NetworkMap
from cop_toolkit import figures as F
from cop_toolkit.analysis.boroughs import borough_flows

from browser import browser, render


def all_figures() -> list:
    m = cop.datasets.load("owa-2017")
    metrics = cop.element_metrics(m)
    clusters = cop.find_clusters(m)
    result = cop.what_if(m, remove=["lvsc"])
    summary = cop.borough_summary(m)
    biggest = int(clusters["cluster"].min())
    return [
        F.plot_network(m, metrics=metrics),
        F.plot_ego(m, "LVSC"),
        F.plot_cluster(m, biggest, clusters),
        F.plot_what_if(m, result),
        F.plot_london(m),
        F.plot_borough_choropleth(summary, "assets"),
        F.plot_tile_grid(summary, "ties"),
        F.plot_flows(borough_flows(m)),
        F.plot_collaboration_vs_resources(summary),
        F.plot_local_sharing(m, cop.local_sharing(m)),
        F.plot_degree_distribution(metrics),
        F.plot_ranking(metrics, "betweenness"),
        F.plot_cluster_composition(clusters),
        F.plot_what_if_changes(result),
        F.plot_matches(cop.match_needs_offers(m)),
    ]


@browser
def test_a_page_of_every_figure_kind_draws_offline_with_no_request_leaving(artifacts):
    figs = all_figures()
    page = F.figures_to_html(figs, artifacts / "all_figures.html", title="Every figure <kind>")
    result = render(page, screenshot=artifacts / "all_figures.png", window=(1300, 9000), timeout=90)
    drawn = result.dom.count('class="plot-container plotly"')
    assert drawn == len(figs)
    assert result.plots >= len(figs)
    assert result.page_requests == []
    assert result.screenshot is not None and result.screenshot.stat().st_size > 50_000
    assert "Every figure &lt;kind&gt;" in result.dom


@browser
def test_the_recording_proxy_catches_a_page_that_tries_to_reach_a_cdn(tmp_path):
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><script src="https://cdn.plot.ly/plotly-9.9.9.min.js"></script>'
                    '<img src="http://tiles.example.org/1/2/3.png"></body></html>', encoding="utf-8")
    result = render(page)
    assert any("cdn.plot.ly" in r for r in result.page_requests)
    assert any("tiles.example.org" in r for r in result.page_requests)
    assert result.plots == 0


@browser
def test_a_10000_element_network_draws_in_the_browser(artifacts):
    G = nx.barabasi_albert_graph(10_000, 2, seed=3)
    types = list(F.TYPE_COLOURS)
    m = NetworkMap(pd.DataFrame({"ID": [f"e{i}" for i in G], "Label": [f"Group {i}" for i in G],
                                 "Type": [types[i % len(types)] for i in G]}),
                   pd.DataFrame({"From": [f"e{u}" for u, _ in G.edges], "To": [f"e{v}" for _, v in G.edges],
                                 "Type": "Partnership"}))
    fig = F.plot_network(m)
    page = F.figures_to_html([fig], artifacts / "network_10000.html", title="10,000 elements")
    result = render(page, timeout=120)
    assert result.dom.count('class="plot-container plotly"') == 1
    assert result.plots >= 1
    assert result.page_requests == []
