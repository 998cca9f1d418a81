"""Pictures of large maps: the cluster/borough overview, the what-if per cluster, the find control, bounded London maps.

Their size must not grow with the map (checked on generated London maps of 5,000 and 20,000
elements), what they draw must be what the analysis finds (counted here independently), and
map text must stay text.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit import NetworkMap
from cop_toolkit.figures.london import SHOWN_ABOVE_LIMIT
from cop_toolkit.figures.offline import report_html
from cop_toolkit.reports.runner import notebook_to_html

ROOT = Path(__file__).resolve().parents[1]
EVIL = "<img src=x onerror=alert(1)>"


def generated(n: int) -> NetworkMap:
    sys.path.insert(0, str(ROOT))  # the benchmarks' generator of London maps
    from benchmarks.london_map import london_map

    return london_map(n)


@pytest.fixture(scope="module")
def small_london():
    m = generated(5000)
    return m, cop.find_clusters(m)


@pytest.fixture(scope="module")
def large_london():
    m = generated(20000)
    return m, cop.find_clusters(m)


def control_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" class="cop-find-data">(.*?)</script>', html, re.DOTALL)
    return json.loads(found.group(1))


def circles(fig) -> dict[str, dict]:
    """Each drawn group: its name and members (from its hover card) and its circle's centre and radius."""
    out = {}
    for t in fig.data:
        if t.fill != "toself":
            continue
        name, members = re.match(r"<b>(.*?)</b><br>([\d,]+) members", t.text).groups()
        x, y = np.asarray(t.x, dtype=float), np.asarray(t.y, dtype=float)
        out[name] = {"members": int(members.replace(",", "")), "x": (x.max() + x.min()) / 2,
                     "y": (y.max() + y.min()) / 2, "r": (x.max() - x.min()) / 2}
    return out


def dots(fig) -> list[tuple[str, float, float]]:
    """The named elements drawn: name (from the hover card) and position."""
    return [(re.match(r"<b>(.*?)</b>", card).group(1), x, y) for t in fig.data if t.legendgroup == "types"
            for card, x, y in zip(t.hovertext, t.x, t.y)]


def test_the_overview_and_find_control_stay_the_same_size_on_a_map_four_times_larger(small_london, large_london):
    sizes = {}
    for name, (m, cl) in {"small": small_london, "large": large_london}.items():
        sizes[name] = (len(report_html(cop.plot_overview(m, cl))),
                       len(report_html(cop.plot_overview(m, cl, by="borough"))),
                       len(cop.find_control(m, clusters=cl, limit=2000)),
                       len(report_html(cop.plot_london(m, max_points=3000))))
    for before, after in zip(sizes["small"], sizes["large"]):
        assert after < 1.25 * before, sizes
    assert max(sizes["large"]) < 1_000_000, sizes


def test_the_overview_draws_one_circle_per_cluster_sized_by_the_members_find_clusters_gives(small_london):
    m, cl = small_london
    fig = cop.plot_overview(m, cl)
    drawn = circles(fig)
    expected = cl.groupby("cluster_name").size()
    assert len(expected) <= cop.figures.overview.MAX_GROUPS  # so every cluster is drawn
    assert {k: v["members"] for k, v in drawn.items()} == expected.to_dict()
    biggest = max(drawn.values(), key=lambda c: c["members"])
    for c in drawn.values():
        if c["members"] >= 0.04 * biggest["members"]:  # smaller circles are kept big enough to see
            assert c["r"] / biggest["r"] == pytest.approx((c["members"] / biggest["members"]) ** 0.5, rel=0.02)
    names = list(drawn.values())
    for k, a in enumerate(names):  # no circle sits on another
        for b in names[k + 1:]:
            assert np.hypot(a["x"] - b["x"], a["y"] - b["y"]) >= a["r"] + b["r"] - 1e-3


def test_the_overview_by_borough_counts_each_boroughs_elements(small_london):
    m, cl = small_london
    fig = cop.plot_overview(m, cl, by="borough")
    names = cop.geography.boroughs()["name"]
    expected = m.elements["Borough"].value_counts().rename(index=names.to_dict())
    assert {k: v["members"] for k, v in circles(fig).items()} == expected.to_dict()
    assert "5,000 elements in 33 boroughs" in fig.layout.title.text


def test_the_overview_draws_the_best_connected_elements_inside_their_own_cluster(small_london):
    m, cl = small_london
    fig = cop.plot_overview(m, cl, top=30)
    degree = dict(m.to_networkx().to_undirected().degree())
    labels = m.labels.to_dict()
    drawn = dots(fig)
    assert len(drawn) == 30
    thirtieth = sorted(degree.values(), reverse=True)[29]
    by_name = {labels[i]: i for i in degree}
    assert all(degree[by_name[name]] >= thirtieth for name, _, _ in drawn)
    assert len({degree[i] for i in degree if degree[i] > thirtieth} - {degree[by_name[n]] for n, _, _ in drawn}) == 0
    where = circles(fig)
    for name, x, y in drawn:
        home = where[cl.at[by_name[name], "cluster_name"]]
        assert np.hypot(x - home["x"], y - home["y"]) < home["r"]


def test_a_hostile_label_stays_text_in_the_overview_the_what_if_and_the_find_control():
    m = NetworkMap(pd.DataFrame({"ID": ["e", "a", "b", "c", "d"], "Label": [EVIL, "A", "B", "C", "D"],
                                 "Type": [EVIL, "CVS", "CVS", "CVS", "CVS"]}),
                   pd.DataFrame({"From": ["e", "e", "e", "c"], "To": ["a", "b", "c", "d"]}))
    result = cop.what_if(m, remove=["e"])
    for fig in (cop.plot_overview(m), cop.plot_overview(m, by="cluster", title=EVIL), cop.plot_what_if_overview(m, result)):
        text = json.dumps(fig.to_plotly_json(), default=lambda a: a.tolist())
        assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    html = cop.find_control(m, title=EVIL)
    data = re.search(r'(<script type="application/json" class="cop-find-data">)(.*?)(</script>)', html, re.DOTALL)
    assert "</" not in data.group(2)  # the data cannot end its element...
    assert "<img" not in html.replace(data.group(0), "")  # ...and is the only place the label is written raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the title, escaped
    assert control_data(html)["names"][0] == EVIL  # data, given to the page as text


def test_the_find_control_carries_the_best_connected_their_neighbours_and_the_ties_among_them():
    # hub is tied to a, b, c, d; a-b tied; c has one more tie (to x), so a, b and c rank above d
    m = NetworkMap(pd.DataFrame({"ID": ["hub", "a", "b", "c", "d", "x"], "Label": ["Hub", "A", "B", "C", "D", "X"]}),
                   pd.DataFrame({"From": ["hub", "hub", "hub", "hub", "a", "c"], "To": ["a", "b", "c", "d", "b", "x"]}))
    data = control_data(cop.find_control(m, limit=1, neighbours=3))
    assert data["shown"] == 1 and data["total"] == 6
    assert data["names"][0] == "Hub"
    around = [data["names"][v] for v in data["nb"][0]]
    assert around == ["A", "B", "C"]  # the three best connected of four, ties broken by map order
    assert data["tied"][0] == [0, 1, 0]  # B is tied to A (bit 0); C to neither
    assert data["degree"][:1] == [4]
    assert data["clusterNames"][data["cluster"][0]] == cop.find_clusters(m).at["hub", "cluster_name"]


def test_the_find_control_says_how_many_elements_it_can_find_and_links_the_csv():
    m = cop.datasets.load("owa-2017")
    part = cop.find_control(m, limit=50, csv="owa_files/elements.csv")
    assert f"50 of {len(m):,} elements can be found here" in part
    assert 'href="owa_files/elements.csv"' in part
    whole = cop.find_control(m, csv="owa_files/elements.csv")
    assert f"All {len(m):,} elements can be found here." in whole and "href=" not in whole


def test_a_report_page_holding_only_the_find_control_carries_plotly_js(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("find_control(m)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": cop.find_control(nx.path_graph(3))})]
    nb.cells = [cell]
    source = tmp_path / "find.ipynb"
    nbformat.write(nb, str(source))
    page = notebook_to_html(source, tmp_path / "find.html").read_text(encoding="utf-8")
    assert "plotly.js v" in page and "Plotly.newPlot" in page


def test_plot_london_above_the_point_limit_counts_boroughs_and_draws_only_the_best_connected(small_london):
    m, _ = small_london
    fig = cop.plot_london(m, max_points=1000)
    circle = next(t for t in fig.data if t.name == "Elements in each borough (circle size)")
    counts = [int(re.search(r"([\d,]+) elements placed here", c).group(1).replace(",", "")) for c in circle.hovertext]
    assert sum(counts) == len(m)
    drawn = sum(len(t.x) for t in fig.data if (t.legendgroup or "").startswith("type-"))
    assert drawn == SHOWN_ABOVE_LIMIT
    assert f"the {SHOWN_ABOVE_LIMIT:,} best connected are drawn as dots" in fig.layout.title.text
    every = cop.plot_london(m)  # below the default limit: every element, as before
    assert sum(len(t.x) for t in every.data if (t.legendgroup or "").startswith("type-")) == len(m)


def test_the_what_if_overview_counts_what_each_cluster_loses():
    m = cop.datasets.load("owa-2017")
    cl = cop.find_clusters(m)
    result = cop.what_if(m, remove=["lvsc"])
    fig = cop.plot_what_if_overview(m, result, cl, top=50)
    taken, cut = fig.data
    lost = pd.concat([cl.loc[["lvsc"], "cluster_name"], cl.loc[result.cut_off.index, "cluster_name"]]).value_counts()
    shown = {name: t + c for name, t, c in zip(taken.y, taken.x, cut.x)}
    assert {k.replace("&#x27;", "'"): v for k, v in shown.items()} == lost.to_dict()
    assert sum(cut.x) == len(result.cut_off) and sum(taken.x) == 1
    assert any("✕ LVSC" in text for text in cut.text)
