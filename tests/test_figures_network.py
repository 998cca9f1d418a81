"""Network pictures: traces, legends, menus, escaping, layouts, focus views, large maps."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from lab import launch_chromium, needs_chromium

import cop_toolkit as cop
from cop_toolkit import NetworkMap
from cop_toolkit.core.errors import MapError
from cop_toolkit.figures import (
    TYPE_COLOURS,
    layout_positions,
    plot_cluster,
    plot_ego,
    plot_network,
    plot_what_if,
    save_layout,
)
from cop_toolkit.figures.network import LARGE_MAP
from cop_toolkit.figures.offline import figures_to_html
from cop_toolkit.figures.style import escape, truncate

EVIL = "<img src=x onerror=alert(1)>"
BROWSER_MARK, NEEDS_CHROMIUM = needs_chromium  # the browser mark, and a skip where Chromium is missing


def small_map() -> NetworkMap:
    elements = pd.DataFrame({
        "ID": ["hub", "cvs", "food", "youth", "fund", "evil", "lone"],
        "Label": ["London Hub", "Hackney CVS", "Food Bank", "Youth Club", "Trust Fund", EVIL, "Lonely Group"],
        "Type": ["Pan-London body", "CVS", "Community group", "Community group", "Funder", "Community group",
                 "Community group"],
        "Borough": ["E09000033", "Hackney", "E09000012", "E09000030", None, "E09000012", "E09000030"],
        "Description": ["Pan-London <b>hub</b>", None, "Feeds " * 80, None, None, "<script>x</script>", None],
        "URL": ["https://hub.example", None, None, None, None, "javascript:alert(1)", None],
    })
    connections = pd.DataFrame({
        "From": ["cvs", "food", "youth", "fund", "evil", "food"],
        "To": ["hub", "cvs", "cvs", "hub", "food", "youth"],
        "Type": ["Membership", "Membership", "Referral", "Funding", "Partnership", "Partnership"],
        "Strength": [3, 2, 1, 5, 1, 2],
    })
    return NetworkMap(elements, connections, metadata={"name": "Test <map>"})


def node_traces(fig):
    return [t for t in fig.data if t.mode == "markers" and t.legendgroup == "types"]


def test_one_legend_entry_per_element_type_in_type_colours():
    fig = plot_network(small_map())
    traces = {t.name: t for t in node_traces(fig)}
    assert set(traces) == {"Pan-London body", "CVS", "Community group", "Funder"}
    for name, t in traces.items():
        assert t.marker.color == TYPE_COLOURS[name]
    assert sum(len(t.x) for t in traces.values()) == 7


def test_one_link_trace_per_connection_type_with_its_own_style():
    fig = plot_network(small_map())
    links = {t.name: t for t in fig.data if t.legendgroup == "links"}
    assert set(links) == {"Membership", "Referral", "Funding", "Partnership"}
    assert links["Referral"].line.dash == "dash"
    assert links["Membership"].line.color != links["Funding"].line.color
    # Membership has two links: 2 segments of 3 points (two ends + gap)
    assert len(links["Membership"].x) == 6


def test_hover_cards_show_map_text_escaped_never_as_html():
    fig = plot_network(small_map())
    everything = json.dumps(fig.to_plotly_json(), default=lambda array: array.tolist())  # numpy arrays too
    assert "<img" not in everything and "<script" not in everything
    card = next(h for t in node_traces(fig) for h in t.hovertext if "onerror" in h)
    assert "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "&lt;script&gt;" in card
    hub = next(h for t in node_traces(fig) for h in t.hovertext if "London Hub" in h)
    assert "&lt;b&gt;hub&lt;/b&gt;" in hub and "https://hub.example" in hub and "degree: 2" in hub
    # menu labels and the title are escaped too
    labels = [b.label for u in fig.layout.updatemenus for b in u.buttons]
    assert "&lt;img src=x onerror=alert(1)&gt;" in labels
    assert "Test &lt;map&gt;" in fig.layout.title.text


def test_long_descriptions_are_truncated_in_hover_cards():
    fig = plot_network(small_map())
    card = next(h for t in node_traces(fig) for h in t.hovertext if "Food Bank" in h)
    assert "…" in card and card.count("Feeds") < 40


def test_find_menu_lists_every_element_a_to_z_and_lights_up_its_neighbours():
    m = small_map()
    fig = plot_network(m)
    find = next(u for u in fig.layout.updatemenus if u.name == "find")
    labels = [b.label for b in find.buttons[1:]]
    assert labels == sorted(labels, key=str.casefold) and len(labels) == 7
    cvs = next(b for b in find.buttons if b.label == "Hackney CVS")
    update, traces = cvs.args
    chosen = update["x"][2]
    assert len(chosen) == 4  # CVS, hub, food bank, youth club
    assert update["visible"] == [True, True, True]
    assert all(fig.data[i].visible is False for i in traces)  # nothing highlighted at first


def test_type_and_connection_menus_toggle_the_right_traces():
    fig = plot_network(small_map())
    types = next(u for u in fig.layout.updatemenus if u.name == "types")
    funder = next(b for b in types.buttons if b.label == "Only: Funder")
    visible, idx = funder.args[0]["visible"], funder.args[1]
    shown = [fig.data[i].name for i, v in zip(idx, visible) if v is True]
    assert shown == ["Funder"]
    conns = next(u for u in fig.layout.updatemenus if u.name == "connections")
    assert [b.label for b in conns.buttons][:2] == ["All connection types", "No connections"]


def test_borough_menu_uses_borough_names_and_picks_that_boroughs_elements():
    fig = plot_network(small_map())
    boroughs = next(u for u in fig.layout.updatemenus if u.name == "boroughs")
    labels = [b.label for b in boroughs.buttons]
    assert "Hackney" in labels and "Westminster" in labels and "Tower Hamlets" in labels
    hackney = next(b for b in boroughs.buttons if b.label == "Hackney")
    assert len(hackney.args[0]["x"][2]) == 3  # CVS (by name), food bank and the evil one (by code)


def test_size_and_colour_by_a_measure_add_a_colour_bar():
    m = small_map()
    fig = plot_network(m, color_by="betweenness", size_by="weighted_degree")
    assert fig.layout.coloraxis.colorbar.title.text == "betweenness"
    hub = next(t for t in node_traces(fig) if t.name == "Pan-London body")
    assert hub.marker.coloraxis == "coloraxis" and hub.marker.size[0] > 7


def test_colour_by_a_text_field_gives_a_legend_of_its_values():
    fig = plot_network(small_map(), color_by="Borough")
    entries = [t.name for t in fig.data if t.legendgroup == "colours"]
    assert "E09000012" in entries and "Not given" in entries


def test_unknown_measure_is_a_plain_map_error():
    with pytest.raises(MapError, match="no field or measure called 'populatiry'"):
        plot_network(small_map(), size_by="populatiry")


def test_labels_for_the_top_elements_and_highlighted_ones():
    fig = plot_network(small_map(), label_top=1, elements="Lonely Group")
    names = next(t for t in fig.data if t.name == "Names")
    assert list(names.text) == ["Food Bank", "Lonely Group"]  # 3 ties, level with the CVS: A–Z decides
    assert any(t.name == "Highlighted" for t in fig.data)


def test_layout_is_the_same_every_time_and_saved_positions_are_reused():
    m = small_map()
    first = layout_positions(m, seed=7)
    assert first.equals(layout_positions(m, seed=7))
    assert not first.equals(layout_positions(m, seed=8))
    save_layout(m, first)
    assert m.elements["X"].notna().all()
    fig = plot_network(m)
    hub = next(t for t in node_traces(fig) if t.name == "Pan-London body")
    # drawn where it was saved, to within half a thousandth of the map's width (under a pixel)
    span = max(first["X"].max() - first["X"].min(), first["Y"].max() - first["Y"].min())
    assert hub.x[0] == pytest.approx(first.loc["hub", "X"], abs=span / 2000)
    assert hub.y[0] == pytest.approx(first.loc["hub", "Y"], abs=span / 2000)


def test_new_elements_go_beside_their_neighbours_and_old_ones_stay_put():
    m = small_map()
    save_layout(m, layout_positions(m))
    before = m.elements.set_index("ID")[["X", "Y"]]
    new = NetworkMap(
        pd.concat([m.elements, pd.DataFrame({"ID": ["newbie"], "Label": ["New Group"], "Type": ["Community group"]})]),
        pd.concat([m.connections, pd.DataFrame({"ID": ["cx"], "From": ["newbie"], "To": ["lone"]})]),
    )
    pos = layout_positions(new)
    assert pos.loc[before.index].round(4).equals(before.round(4))
    span = float(pos["X"].max() - pos["X"].min())
    gap = ((pos.loc["newbie"] - pos.loc["lone"]) ** 2).sum() ** 0.5
    assert gap < 0.1 * span


def test_ego_view_shows_only_the_neighbourhood_and_rings_the_centre():
    fig = plot_ego(small_map(), "Food Bank")
    shown = sum(len(t.x) for t in node_traces(fig))
    assert shown == 4  # food bank, CVS, youth club, the evil one
    ring = next(t for t in fig.data if t.name == "Highlighted")
    assert len(ring.x) == 1 and "Food Bank" in fig.layout.title.text


def test_cluster_view_draws_only_its_members():
    m = small_map()
    clusters = pd.DataFrame({"Label": m.elements["Label"].tolist(), "cluster": [0, 0, 1, 1, 0, 1, 2],
                             "cluster_name": ["Hub"] * 2 + ["Food"] * 2 + ["Hub", "Food", "Lone"]},
                            index=pd.Index(m.elements["ID"].tolist(), name="ID"))
    fig = plot_cluster(m, "Food", clusters)
    assert sum(len(t.x) for t in node_traces(fig)) == 3
    with pytest.raises(MapError, match="no cluster called"):
        plot_cluster(m, "Nowhere", clusters)


def test_what_if_marks_removed_cut_off_and_rising_elements_side_by_side():
    from types import SimpleNamespace

    m = small_map()
    result = SimpleNamespace(
        removed=["hub"],
        cut_off=pd.DataFrame({"Label": ["Trust Fund"]}, index=pd.Index(["fund"], name="ID")),
        to_the_fore=pd.DataFrame({"Label": ["Food Bank", "Youth Club"], "rank_gain": [3, 0]},
                                 index=pd.Index(["food", "youth"], name="ID")),
    )
    fig = plot_what_if(m, result)
    by_name = {t.name: t for t in fig.data if t.legendgroup == "whatif"}
    assert by_name["Taken away"].xaxis == "x" and by_name["Cut off"].xaxis == "x2"
    assert list(by_name["Comes to the fore"].text) == ["Food Bank"]  # only real gains
    right = [t for t in fig.data if t.xaxis == "x2" and t.legendgroup == "types"]
    assert sum(len(t.x) for t in right) == 6  # hub gone on the right


def test_large_maps_use_webgl_and_draw_only_the_strongest_links():
    import networkx as nx

    G = nx.barabasi_albert_graph(LARGE_MAP + 100, 3, seed=1)
    m = NetworkMap(pd.DataFrame({"ID": [f"n{i}" for i in G], "Label": [f"Group {i}" for i in G],
                                 "Type": ["Community group" if i % 3 else "CVS" for i in G]}),
                   pd.DataFrame({"From": [f"n{u}" for u, _ in G.edges], "To": [f"n{v}" for _, v in G.edges],
                                 "Type": "Partnership", "Strength": [1 + (u + v) % 5 for u, v in G.edges]}))
    fig = plot_network(m, max_links=1000)
    assert {t.type for t in node_traces(fig)} == {"scattergl"}
    links = [t for t in fig.data if t.legendgroup == "links"]
    assert sum(len(t.x) for t in links) == 3 * 1000
    assert "showing the 1,000 strongest" in fig.layout.title.text
    find = next(u for u in fig.layout.updatemenus if u.name == "find")
    assert len(find.buttons) == 301


def test_owa_2017_network_shows_lvsc_as_the_biggest_element():
    m = cop.datasets.load("owa-2017")
    metrics = cop.element_metrics(m)
    fig = plot_network(m, size_by="betweenness", metrics=metrics)
    names = next(t for t in fig.data if t.name == "Names")
    assert names.text[0] == "LVSC"
    assert sum(len(t.x) for t in node_traces(fig)) == len(m.elements)


def test_owa_2017_what_if_without_lvsc_uses_the_real_result():
    m = cop.datasets.load("owa-2017")
    result = cop.what_if(m, remove=["lvsc"])
    fig = plot_what_if(m, result)
    names = {t.name for t in fig.data if t.legendgroup == "whatif"}
    assert "Taken away" in names and "Cut off" in names and "Comes to the fore" in names


def test_large_map_names_and_find_overlay_are_webgl_so_they_draw_above_the_elements():
    import networkx as nx

    G = nx.path_graph(LARGE_MAP)
    m = NetworkMap(pd.DataFrame({"ID": [f"n{i}" for i in G], "Label": [f"Group {i}" for i in G]}),
                   pd.DataFrame({"From": [f"n{u}" for u, _ in G.edges], "To": [f"n{v}" for _, v in G.edges]}))
    fig = plot_network(m, elements="Group 3")
    by_name = {t.name: t.type for t in fig.data}
    assert by_name["Names"] == by_name["Highlighted"] == by_name["chosen elements"] == "scattergl"
    assert by_name["veil"] == "scattergl"


def test_degree_counted_for_pictures_equals_networkx_on_the_samples():
    from cop_toolkit.figures.common import degree_table

    for name in ("owa-2017", "coursework-2019"):
        m = cop.datasets.load(name)
        G = m.to_networkx()
        table = degree_table(m)
        assert table["degree"].tolist() == [G.degree(i) for i in table.index]
        assert table["weighted_degree"].tolist() == pytest.approx([G.degree(i, weight="weight") for i in table.index])


#: a name longer than a name drawn on the map (32 characters) and shorter than a hover card's (60)
LONG_NAME = "Youth Club of Tower Hamlets and the Isle of Dogs"


def long_named_map() -> NetworkMap:
    m = small_map()
    m.elements.loc[m.elements["ID"] == "youth", "Label"] = LONG_NAME
    return m


def find_button(fig, label: str):
    return next(b for u in fig.layout.updatemenus if u.name == "find" for b in u.buttons if b.label == label)


def shown_on_hover(update: dict) -> list[str]:
    """What plotly shows over each picked-out element: its hover text, or its text where that is empty."""
    return [hover or text for hover, text in zip(update["hovertext"][2], update["text"][2])]


def test_the_find_menu_shows_each_neighbours_name_and_the_found_elements_card_on_hover():
    m = long_named_map()
    fig = plot_network(m)
    cards = {i: card for t in node_traces(fig) for i, card in zip(t.customdata, t.hovertext)}
    update, _ = find_button(fig, "Hackney CVS").args
    chosen = ["cvs", "food", "hub", "youth"]  # the element found, then its neighbours by ID
    label = m.elements.set_index("ID")["Label"]
    assert shown_on_hover(update) == [cards["cvs"]] + [escape(truncate(label[i], 60)) for i in chosen[1:]]
    # a name drawn in full is written once, as the text (plotly shows it on hover too); a cut one twice
    assert update["hovertext"][2][1:] == ["", "", escape(LONG_NAME)]
    assert update["text"][2][3] == escape(truncate(LONG_NAME, 32)) != escape(LONG_NAME)


def test_the_menus_draw_each_element_with_its_own_symbol_written_as_plotlys_number():
    from plotly.validator_cache import ValidatorCache

    values = ValidatorCache.get_validator("scatter.marker", "symbol").values
    name_of = dict(zip(values[::3], values[2::3]))
    fig = plot_network(small_map())
    symbol = {i: t.marker.symbol for t in node_traces(fig) for i in t.customdata}
    update, _ = find_button(fig, "Hackney CVS").args
    assert [name_of[n] for n in update["marker.symbol"][2]] == [symbol[i] for i in ["cvs", "food", "hub", "youth"]]
    assert len(set(symbol.values())) > 2  # a CVS, a pan-London body and community groups: shapes of their own


def test_the_find_menu_draws_every_tie_of_the_found_element_two_to_a_line_through_it():
    fig = plot_network(small_map())
    m = small_map()
    pos = {i: (x, y) for t in node_traces(fig) for i, x, y in zip(t.customdata, t.x, t.y)}
    update, _ = find_button(fig, "Hackney CVS").args
    xs, ys = update["x"][1], update["y"][1]
    lines, line = [], []
    for x, y in zip(xs, ys):
        if x is None:
            lines.append(line)
            line = []
        else:
            line.append((x, y))
    centre = pos["cvs"]
    assert all(len(one) in (2, 3) and one[1] == centre for one in lines)
    ends = sorted(p for one in lines for p in one if p != centre)
    ties = m.connections[(m.connections["From"] == "cvs") | (m.connections["To"] == "cvs")]
    others = {u if u != "cvs" else v for u, v in zip(ties["From"], ties["To"])}
    assert ends == sorted(pos[i] for i in others)


def test_positions_are_drawn_to_four_significant_digits_of_the_maps_width():
    m = small_map()
    saved = {i: (1000 + k * 123.456789, k * 0.5) for k, i in enumerate(m.elements["ID"])}
    fig = plot_network(m, layout=saved)
    drawn = {i: x for t in node_traces(fig) for i, x in zip(t.customdata, t.x)}
    # the map is 741 wide: to four significant digits, a tenth
    assert drawn == {i: round(x, 1) for i, (x, _) in saved.items()}
    assert drawn != {i: x for i, (x, _) in saved.items()}


@BROWSER_MARK
@NEEDS_CHROMIUM
@pytest.mark.slow
def test_in_chromium_a_found_elements_neighbour_shows_its_name_on_hover(tmp_path):
    m = long_named_map()
    fig = plot_network(m)
    page_file = figures_to_html([fig], tmp_path / "map.html")
    find = next(k for k, u in enumerate(fig.layout.updatemenus) if u.name == "find")
    button = next(k for k, b in enumerate(fig.layout.updatemenus[find].buttons) if b.label == "Hackney CVS")
    expected = [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in shown_on_hover(find_button(fig, "Hackney CVS").args[0])]
    with launch_chromium() as chromium:
        page = chromium.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_function("() => document.querySelector('#figure-1 .main-svg')")
        shown = page.evaluate("""async ([menu, button, count]) => {
            const gd = document.getElementById('figure-1');
            const [update, traces] = gd.layout.updatemenus[menu].buttons[button].args;
            await Plotly.restyle(gd, update, traces);
            const seen = [];
            for (let k = 0; k < count; k++) {
                Plotly.Fx.hover(gd, [{curveNumber: traces[2], pointNumber: k}]);
                await new Promise(done => setTimeout(done, 150));  // plotly draws one hover each 50 ms at most
                const label = gd.querySelector('.hoverlayer .hovertext');
                seen.push(label ? label.textContent : null);
            }
            return seen;
        }""", [find, button, len(expected)])
    assert shown == expected
    assert LONG_NAME in shown
