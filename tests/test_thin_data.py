"""Thin data, honest words: maps without ties, ties all equal, unknown types, rough places, people only, empty maps."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest

from cop_toolkit.building.resources import match_needs_offers
from cop_toolkit.building.sharing import local_sharing
from cop_toolkit.building.weaving import suggest_introductions
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.figures.charts import (
    plot_cluster_composition,
    plot_degree_distribution,
    plot_ranking,
)
from cop_toolkit.figures.london import plot_london
from cop_toolkit.figures.network import plot_network
from cop_toolkit.figures.style import OTHER_COLOUR, TYPE_COLOURS
from cop_toolkit.geo.locate import locate
from cop_toolkit.reports import story
from cop_toolkit.reports.cli import report_main

#: Words that single out an element as better than others.
SUPERLATIVES = ["best-connected are", "best-connected is", "strongest broker", "strongest go-between", "most central",
                "to the fore", "has the most", "largest are"]
#: A distance stated to 0.1 km ("2.3 km", "0.4 km").
TENTH_OF_KM = re.compile(r"\d\.\d km")


def words(items: list) -> str:
    """The text of a section's HTML items (figures left out), tags removed."""
    return re.sub(r"<[^>]+>", " ", " ".join(i for i in items if isinstance(i, str)))


def sheet(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def context(m: NetworkMap) -> story.ReportContext:
    return story.ReportContext(map=m, title="Test map")


def graph_map(g: nx.Graph, **fields: list[object]) -> NetworkMap:
    ids = [f"n{v}" for v in g]
    return NetworkMap(pd.DataFrame({"ID": ids, "Label": [f"Group {v}" for v in g], "Type": "Community group", **fields}),
                      pd.DataFrame([(f"n{a}", f"n{b}") for a, b in g.edges()], columns=["From", "To"]))


# ------------------------------------------------------------------ 1. no ties, unused tie column
def test_a_map_without_connections_says_so_at_the_top_and_ranks_nobody(tmp_path: Path) -> None:
    path = sheet(tmp_path / "groups.xlsx", {"Sheet1": [["Organisation", "Works with", "Borough"],
                                                       ["Food Bank", None, "Camden"], ["Youth Club", None, "Hackney"],
                                                       ["Library", None, "Camden"]]})
    ctx = story.prepare(str(path))
    top = story.title_block(ctx)
    assert any('class="cop-notice"' in i and "no connections" in i for i in top)
    for section in (story.key_connectors, story.clusters, story.what_if_section, story.building):
        text = words(section(ctx))
        assert "There are no connections" in text, section.__name__
        assert not any(w in text for w in SUPERLATIVES), section.__name__
        assert "Food Bank" not in text and "Youth Club" not in text, section.__name__
    assert not any(w in words(story.overview(ctx) + story.the_map(ctx)) for w in SUPERLATIVES)


def test_a_partner_column_that_was_not_read_as_ties_is_noticed_at_the_top(tmp_path: Path) -> None:
    path = sheet(tmp_path / "kumu.xlsx", {"Elements": [["Label", "Partners"], ["A", "B"], ["B", "C"], ["C", "A"]],
                                          "Connections": [["From", "To"], ["A", "B"]]})
    ctx = story.prepare(str(path))
    notices = [i for i in story.title_block(ctx) if 'class="cop-notice"' in i]
    assert len(notices) == 1 and "Partners" in notices[0] and "not read as ties" in notices[0]


def test_a_well_connected_map_gets_no_notice() -> None:
    assert story.thin_data_notice(story.prepare("owa-2017")) == []


# ------------------------------------------------------------------ 2. no superlative among equals or with 0 ties
@pytest.mark.parametrize("graph", [nx.cycle_graph(6), nx.complete_graph(4), nx.Graph([(0, 1), (2, 3)])],
                         ids=["cycle", "complete", "two-pairs"])
def test_when_every_element_scores_the_same_nobody_is_called_the_best(graph: nx.Graph) -> None:
    ctx = context(graph_map(graph))
    text = words(story.overview(ctx) + story.the_map(ctx) + story.key_connectors(ctx) + story.what_if_section(ctx))
    assert not any(w in text for w in SUPERLATIVES)
    assert "All elements are equally connected" in text
    assert "No element stands out as a hub" in text
    assert not [i for i in story.key_connectors(ctx) if not isinstance(i, str)]  # no ranking chart of equals


def test_an_element_with_no_ties_is_never_named_best_connected_or_a_broker() -> None:
    g = nx.star_graph(3)
    g.add_nodes_from([10, 11])  # two isolated groups
    ctx = context(graph_map(g))
    headline = next(i for i in story.key_connectors(ctx) if "cop-headline" in i)
    assert "The best-connected are Group 0, Group " in headline  # the hub, then two of its partners
    assert "Group 10" not in headline and "Group 11" not in headline
    assert "The strongest broker — who most often sits on the shortest route between others — is Group 0." in headline


# ------------------------------------------------------------------ 3. colours of unknown types, own colours
def _type_colours(fig) -> dict[str, str]:
    return {t.name: t.marker.color for t in fig.data
            if t.name and isinstance(t.marker.color, str) and t.name not in ("Cut off",)}


def test_unknown_element_types_get_their_own_colour_blind_safe_colours_in_every_figure() -> None:
    g = nx.path_graph(8)
    types = ["Mosque", "Allotment", "CVS", "Food co-op", "Mosque", "Allotment", "Food co-op", "CVS"]
    m = graph_map(g, Type=types, Borough=["Hackney"] * 8)
    ctx = context(m)
    network = _type_colours(plot_network(m))
    unknown = {t: network[t] for t in ("Mosque", "Allotment", "Food co-op")}
    assert len(set(unknown.values())) == 3
    assert not set(unknown.values()) & (set(TYPE_COLOURS.values()) | {OTHER_COLOUR})
    assert network["CVS"] == TYPE_COLOURS["CVS"]
    figures = [plot_degree_distribution(ctx.metrics), plot_ranking(ctx.metrics, top=2),
               plot_cluster_composition(ctx.clusters), plot_london(m, locations=ctx.places)]
    for fig in figures:
        seen = {name.replace(" (approximate)", ""): c for name, c in _type_colours(fig).items()}
        for t, colour in seen.items():
            if t in network:
                assert colour == network[t], (fig.layout.title.text, t)


def test_an_element_s_own_colour_is_used_for_its_dot_and_the_legend_stays_by_type() -> None:
    m = graph_map(nx.path_graph(3), Type=["CVS", "CVS", "Funder"], Color=["#ff0000", None, "not a colour"])
    fig = plot_network(m)
    dots = {t.name: t.marker.color for t in fig.data if t.legendgroup == "types"}
    assert set(dots) == {"CVS", "Funder"}
    assert list(dots["CVS"]) == ["#ff0000", TYPE_COLOURS["CVS"]]
    assert list(dots["Funder"]) == [TYPE_COLOURS["Funder"]]


# ------------------------------------------------------------------ 4. distances of borough-only places
def _rough_map() -> NetworkMap:
    e = pd.DataFrame({
        "ID": ["a", "b", "c", "hub"], "Label": ["Oak Club", "Elm Trust", "Ash Hall", "Hub"],
        "Type": ["Community group", "Community group", "Community group", "CVS"],
        "Borough": ["Hackney", "Hackney", "Islington", None],
        "Latitude": [None, None, None, 51.53], "Longitude": [None, None, None, -0.08],
        "Needs": ["meeting space", None, None, None], "Offers": [None, "room hire", "room hire", None],
    })
    return NetworkMap(e, pd.DataFrame({"From": ["a", "b", "c"], "To": ["hub", "hub", "hub"]}))


def test_distances_between_elements_placed_only_by_borough_are_never_given_to_a_tenth_of_a_km() -> None:
    m = _rough_map()
    matches = match_needs_offers(m)
    assert matches["approximate"].all() and len(matches) == 2
    reasons = " ".join(matches["reason"]) + " " + " ".join(suggest_introductions(m, top=None)["reason"])
    reasons += " " + " ".join(local_sharing(m, within_km=10)["reason"])
    assert "both in Hackney" in reasons and re.search(r"about \d+ km apart", reasons)
    assert not TENTH_OF_KM.search(reasons)
    text = words(story.building(context(m)) + story.geography(context(m)))
    assert "Needs matched to offers" in text
    assert not TENTH_OF_KM.search(text) and not re.search(r"about \d+ m\b", text)


# ------------------------------------------------------------------ 5. people only, no consent
def _kite(path: Path) -> Path:
    g = nx.krackhardt_kite_graph()
    names = ["Andre", "Beverly", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather", "Ike", "Jane"]
    return sheet(path, {"Elements": [["Label", "Type"]] + [[n, "Person"] for n in names],
                        "Connections": [["From", "To"]] + [[names[a], names[b]] for a, b in g.edges()]})


def test_locating_a_map_with_no_elements_gives_an_empty_table() -> None:
    assert len(locate(NetworkMap(pd.DataFrame(columns=["ID", "Label"])))) == 0


def test_a_map_of_people_without_consent_gets_a_report_that_says_introductions_need_consent(tmp_path: Path) -> None:
    ctx = story.prepare(str(_kite(tmp_path / "kite.xlsx")))
    assert suggest_introductions(ctx.map).empty
    text = words(story.building(ctx))
    assert "Introductions between people need their consent: 10 people" in text
    assert "already connected" not in text
    for section in [story.title_block, *story.SECTIONS]:
        section(ctx)  # every section is made


def test_cop_report_makes_the_page_of_a_map_of_people_only(tmp_path: Path) -> None:
    out = tmp_path / "kite.html"
    assert report_main([str(_kite(tmp_path / "kite.xlsx")), "-o", str(out), "-q"]) == 0
    assert "need their consent" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ 6. empty map
@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv"])
def test_an_empty_map_gets_one_clear_line_and_exit_status_2(tmp_path: Path, name: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    if name.endswith(".xlsx"):
        sheet(path, {"Elements": [["Label", "Type"]]})
    else:
        path.write_text("Label,Type\n", encoding="utf-8")
    assert report_main([str(path), "-o", str(tmp_path / "out.html"), "-q"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "empty" in lines[0] and "How to fix" in lines[0]
    assert not (tmp_path / "out.html").exists()


def test_a_public_report_that_would_show_no_one_says_why_in_one_line(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert report_main([str(_kite(tmp_path / "kite.xlsx")), "--public", "-o", str(tmp_path / "p.html"), "-q"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "public version would show nothing" in lines[0] and "Consent" in lines[0]
