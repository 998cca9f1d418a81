"""A report people can read: plain headings, how-to-read lines, whole tables, grouped warnings, honest gains, text for figures.

Most checks read the sample report page (``cop-report owa-2017``), as a person would get it.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cop_toolkit import read_map
from cop_toolkit.analysis.resilience import what_if
from cop_toolkit.reports import story

#: column names of the toolkit that must never reach a reader as a heading
RAW_NAMES = ["cluster_name", "hub_label", "Label_hub", "internal_ties", "need_label", "Label_a", "Label_b", "distance_km",
             "old_id", "new_id", "matched_by", "ID_a", "ID_b", "rank_gain", "rank_before", "missing_borough",
             "not_a_number", "share_missing", "ties_within", "name_a"]


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("readable") / "owa-2017.html"
    run = subprocess.run([sys.executable, "-m", "cop_toolkit.reports.cli", "owa-2017", "-o", str(out)],
                         check=False, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    return out.read_text(encoding="utf-8")


def _tables(page: str) -> list[str]:
    return re.findall(r"<table class=\"cop-table\" data-cop-table[^>]*>.*?</table>", page, flags=re.DOTALL)


def _headings(table_html: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r"<th scope=\"col\">(.*?)</th>", table_html, flags=re.DOTALL)]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def test_no_report_table_heading_is_a_raw_column_name(page):
    headings = {h for t in _tables(page) for h in _headings(t)}
    assert len(_tables(page)) >= 20
    assert headings & set(RAW_NAMES) == set()
    assert [h for h in headings if "_" in h] == []
    assert {"Cluster", "Hub", "Ties inside the cluster", "Needs it", "Offers it", "Distance", "Places climbed"} <= headings


def test_numbers_are_written_as_people_write_them(page):
    matches = next(t for t in _tables(page) if _headings(t)[:3] == ["Needs it", "What", "Offers it"] and "Distance" in _headings(t))
    cells = re.findall(r"<td data-sort=\"([0-9.e-]+)\">(.*?)</td>", matches)
    distances = [text for _, text in cells if text.endswith((" m", " km"))]
    assert distances and all(re.fullmatch(r"about [\d,]+ k?m|[\d,]+\.\d km", d) for d in distances)
    assert not re.search(r">0\.\d{3,}<", matches), "no raw kilometres such as 0.0566"
    missing = next(t for t in _tables(page) if "Share without it" in _headings(t))
    assert re.search(r">\d+%<", missing)
    assert not re.search(r"<td data-sort=\"[^\"]+\">-?\d{4,}</td>", page), "thousands have separators"
    assert re.search(r"<td data-sort=\"[^\"]+\">\d{1,3},\d{3}</td>", page)


def test_each_measure_has_a_how_to_read_line_where_it_first_appears(page):
    lines = re.findall(r"<p class=\"cop-howto\"><strong>(\w+)</strong>: ([^<]+)</p>", page)
    named = [name for name, _ in lines]
    assert sorted(named) == sorted(["Modularity", "Constraint", "Transitivity", "Betweenness", "Closeness", "Reach"])
    for name, sentence in lines:
        assert sentence.endswith(".") and sentence.count(". ") == 0, f"{name}: one sentence"
        first_table_use = page.find(f'<th scope="col">{name}</th>')
        if first_table_use >= 0:
            assert page.find(f"<strong>{name}</strong>") < first_table_use, f"{name} is explained before its column"
    assert page.find("<strong>Modularity</strong>") > page.find("modularity 0.")


def test_long_tables_are_complete_and_come_with_the_sort_and_search_script(page):
    assert not re.search(r"… and [\d,]+ more", _text(page))
    ctx = story.prepare("owa-2017")
    everyone = next(t for t in _tables(page) if _headings(t)[:4] == ["Name", "Type", "Role", "Ties"] and "Constraint" in _headings(t))
    assert everyone.count("<tr>") == len(ctx.metrics) + 1
    assert len(re.findall(r'<label class="cop-table-search" hidden[^>]*>Search this table <input type="search"/?></label>', page)) >= 5
    assert page.count("table[data-cop-table]") == 1, "the table script is embedded once"
    assert not re.search(r"<script[^>]+src=", page)


def test_warnings_are_grouped_by_kind_with_counts_and_first_rows(tmp_path: Path):
    n = 20
    pd.DataFrame({"ID": [f"e{i}" for i in range(n)], "Label": [f"Group {i}" for i in range(n)]}).to_csv(tmp_path / "elements.csv", index=False)
    strength = ["strong" if i % 3 == 0 else 2 for i in range(n - 1)]
    pd.DataFrame({"From": [f"e{i}" for i in range(n - 1)], "To": [f"e{i + 1}" for i in range(n - 1)],
                  "Strength": strength}).to_csv(tmp_path / "connections.csv", index=False)
    rows = read_map(tmp_path).warnings_table().query("kind == 'not_a_number'")["row"].tolist()
    words = _text(" ".join(i for i in story.data_quality(story.prepare(str(tmp_path))) if isinstance(i, str)))
    expected = f"{len(rows)} ties have a Strength that is not a number (rows {rows[0]}, {rows[1]}, {rows[2]} and {len(rows) - 3} more)."
    assert expected in words
    assert words.count("is not a number, so it is treated as blank") == len(rows), "each warning once, behind its control"
    assert "not_a_number" not in words


def test_who_comes_to_the_fore_lists_only_real_gains_on_owa_2018():
    ctx = story.prepare("owa-2018")
    assert "lvsc" not in set(ctx.map.elements["ID"])
    result = what_if(ctx.map, remove=ctx.removed, metrics=ctx.metrics)
    steady = result.to_the_fore[(result.to_the_fore["betweenness_gain"] > 0) & (result.to_the_fore["rank_gain"] <= 0)]
    assert len(steady), "owa-2018 has elements that broker more without climbing"
    assert "more of a go-between" not in result.headline()
    assert set(result.gainers()["Label"]).isdisjoint(steady["Label"])
    items = story.what_if_section(ctx)
    fore = items[next(i for i, x in enumerate(items) if x == "<h3>Who comes to the fore</h3>") + 2]
    cells = re.findall(r"<tr><td>(.*?)</td><td data-sort=\"([\d.]+)\">\d+</td><td data-sort=\"([\d.]+)\">", fore)
    assert cells and all(float(after) < float(before) for _, before, after in cells)
    assert {html.unescape(label) for label, _, _ in cells}.isdisjoint(steady["Label"])


def test_who_comes_to_the_fore_says_so_when_nobody_gains():
    from cop_toolkit import NetworkMap

    ring = NetworkMap(pd.DataFrame({"ID": list("abcd"), "Label": ["A", "B", "C", "D"]}),
                      pd.DataFrame({"From": list("abcd"), "To": list("bcda")}))
    ctx = story.ReportContext(map=ring, remove=["a"])
    words = _text(" ".join(i for i in story.what_if_section(ctx) if isinstance(i, str)))
    assert "Nobody climbs the go-between (betweenness) ranking without A" in words
    assert "come to the fore" not in words.split("Who comes to the fore")[0]


def test_every_figure_has_a_caption_and_its_data_behind_a_control(page):
    figures = page.count('class="cop-figure"')
    texts = re.findall(r"<div class=\"cop-figure-text\">(.*?)</details>", page, flags=re.DOTALL)
    with_caption = [t for t in texts if '<p class="cop-caption">' in t and "<summary>Show the data</summary>" in t]
    assert figures >= 10 and len(with_caption) == figures
    for text in with_caption:
        caption = _text(re.search(r"<p class=\"cop-caption\">(.*?)</p>", text, flags=re.DOTALL).group(1)).strip()
        assert caption.endswith(".") and re.search(r"\d", caption), caption
        assert "<table" in text
    assert "LVSC has the most ties (58)." in page


def test_the_cluster_matrix_is_a_labelled_heatmap_with_short_names_and_its_numbers_behind_a_control():
    import json

    from cop_toolkit.analysis.clusters import cluster_ties

    ctx = story.prepare("owa-2017")
    items = story.clusters(ctx)
    at = items.index("<h3>Ties between clusters</h3>")
    figure, text = items[at + 1], items[at + 2]
    heatmap = json.loads(figure.to_json())["data"][0]
    assert heatmap["type"] == "heatmap"
    assert heatmap["x"] and all(len(name) <= 22 for name in heatmap["x"])
    ties = cluster_ties(ctx.map, ctx.clusters)
    inside = round(100 * sum(ties.iat[i, i] for i in range(len(ties))) / sum(
        ties.iat[i, j] for i in range(len(ties)) for j in range(i, len(ties))))
    assert f"{inside}% of the ties are inside a cluster" in _text(text)
    assert "<summary>Show the data</summary>" in text
    assert _headings(text)[0] == "Cluster" and len(_headings(text)) == len(ties) + 1
