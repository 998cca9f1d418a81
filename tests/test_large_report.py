"""The large report: what a map of many elements gets (issue #19), run here on 5,000 elements.

The real report (``cop_toolkit.reports.runner.report``) is made once on a generated London
map with the threshold lowered (``large_from``), and its page is read and opened in
headless Chromium: the size notice, the cluster map drawn, the "find an element" control
typed into and used, long tables cut to their top rows with every row in a CSV beside the
page (checked against the element table worked out here on its own). A small map's report
is the same as it was: no notice, every row, no CSV.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from browser import render

import cop_toolkit as cop
from cop_toolkit.core.errors import MapError
from cop_toolkit.figures.offline import REPORT_MODE_VARIABLE
from cop_toolkit.reports import background, batch, cli, story
from cop_toolkit.reports.runner import (
    SECOND_PROCESS_VARIABLE,
    check_output,
    report,
    resolve_input,
    tables_folder_of,
    template_parameters,
)

ROOT = Path(__file__).resolve().parents[1]
SIZE = 5000
LOWERED = 1000

pytestmark = [pytest.mark.slow]


def generated(n: int) -> cop.NetworkMap:
    sys.path.insert(0, str(ROOT))  # the benchmarks' generator of London maps
    from benchmarks.london_map import london_map

    return london_map(n)


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> tuple[cop.NetworkMap, Path]:
    """A 5,000-element map and its report made with the large report from 1,000 elements."""
    folder = tmp_path_factory.mktemp("large")
    m = generated(SIZE)
    source = cop.write_map(m, folder / "london.json")
    page = report(source, output=folder / "london.html", parameters={"large_from": LOWERED})
    return cop.read_map(source), page


def links(page: Path) -> dict[str, Path]:
    """The CSV files the page links to (name: file beside the page)."""
    text = page.read_text(encoding="utf-8")
    hrefs = {html.unescape(h) for h in re.findall(r'href="([^"]+\.csv)"', text)}
    return {Path(h).stem: page.parent / h for h in hrefs}


def test_large_report_says_at_the_top_how_it_shows_the_map(large):
    _, page = large
    text = page.read_text(encoding="utf-8")
    notice = re.search(r'<p class="cop-notice">(Please note: this is a large map.*?)</p>', text, re.DOTALL)
    assert notice is not None
    assert f"{SIZE:,} elements" in notice.group(1) and f"{LOWERED:,} elements or more" in notice.group(1)
    assert text.index("Please note: this is a large map") < text.index("<h2>1. Overview</h2>")
    assert "On a map this size, introductions come from the bounded search" in text
    assert "On a map this size the what-if is drawn cluster by cluster" in text


def test_long_tables_show_top_rows_and_link_a_csv_of_every_row(large):
    _, page = large
    files = links(page)
    assert {"key_connectors", "elements"} <= set(files)
    for f in files.values():
        assert f.is_file(), f
        assert f.parent == tables_folder_of(page)
    text = page.read_text(encoding="utf-8")
    assert f"The first {story.TOP_ROWS} of {SIZE:,} rows are shown" in text
    # the key connectors' table on the page: its top rows only
    section = text[text.index("<h2>3. Key connectors"):text.index("<h2>4. Clusters")]
    note = section.index("key_connectors.csv")
    shown = section[section.index("<table", note):section.index("</table>", note)]
    assert shown.count("<tr>") == story.TOP_ROWS + 1  # the heading row and the top rows


def test_key_connectors_csv_holds_every_element_with_its_measures(large):
    m, page = large
    whole = pd.read_csv(links(page)["key_connectors"])
    met = cop.element_metrics(m, method="sampled")  # worked out here, apart from the report
    assert len(whole) == len(m.elements) == len(met)
    assert list(whole.columns) == ["Name", "Type", "Role", "Ties", "Betweenness", "Reach", "Closeness", "Constraint"]
    assert sorted(whole["Name"]) == sorted(met["Label"].astype(str))
    by_name = met.set_index("Label")
    assert (whole["Ties"].to_numpy() == by_name.loc[whole["Name"], "degree"].to_numpy()).all()
    assert np.allclose(whole["Betweenness"], by_name.loc[whole["Name"], "betweenness"])
    assert whole["Betweenness"].is_monotonic_decreasing  # the order of the table on the page
    everyone = pd.read_csv(links(page)["elements"])
    assert sorted(everyone["Name"]) == sorted(m.elements["Label"].astype(str))


def test_csv_files_are_recorded_as_written_by_cop_toolkit_and_others_are_not_replaced(large, tmp_path):
    _, page = large
    record = json.loads((tables_folder_of(page) / "written-by-cop_toolkit.json").read_text(encoding="utf-8"))
    assert set(record["files"]) == {f.name for f in tables_folder_of(page).glob("*.csv")}
    check_output(page)  # our own page and files may be made again
    copy = tmp_path / page.name
    shutil.copy(page, copy)
    shutil.copytree(tables_folder_of(page), tables_folder_of(copy))
    check_output(copy)
    (tables_folder_of(copy) / "key_connectors.csv").write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(MapError, match="key_connectors.csv' was not written by cop_toolkit"):
        check_output(copy)
    check_output(copy, force=True)
    (tables_folder_of(copy) / "key_connectors.csv").unlink()
    (tables_folder_of(copy) / "mine.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(MapError, match="mine.csv' was not written by cop_toolkit"):
        check_output(copy)


FIND_AND_CHOOSE = """
<script>
window.addEventListener('load', function () {
  setTimeout(function () {
    var root = document.querySelector('.cop-find'), input = root.querySelector('input');
    input.focus();
    input.value = %(typed)s;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    var options = root.querySelectorAll('[role=option]');
    document.body.setAttribute('data-test-options', String(options.length));
    var wanted = Array.prototype.filter.call(options, function (li) { return li.firstChild.textContent === %(name)s; });
    if (wanted.length) { wanted[0].dispatchEvent(new MouseEvent('mousedown', {bubbles: true, cancelable: true})); }
  }, 500);
});
</script>
"""


def test_cluster_map_is_drawn_and_find_control_shows_an_elements_neighbourhood(large, tmp_path, artifacts):
    m, page = large
    met = cop.element_metrics(m, method="sampled")
    # an element a third of the way down the ranking: not only the first few can be found
    chosen = met.sort_values("degree", ascending=False).iloc[len(met) // 3]
    name, element = str(chosen["Label"]), str(chosen.name)
    typed = name.lower()  # as someone types it
    copy = tmp_path / page.name
    text = page.read_text(encoding="utf-8")
    script = FIND_AND_CHOOSE % {"typed": json.dumps(typed), "name": json.dumps(name)}
    copy.write_text(text.replace("</body>", script + "</body>"), encoding="utf-8")
    result = render(copy, screenshot=artifacts / "large-report.png", budget_ms=12000, timeout=90)
    assert result.requests == []
    assert not result.console_errors, result.console_errors
    # the cluster map and the borough map are drawn (plotly's titles are in the drawn SVG)
    assert re.search(r'<tspan class="line"[^>]*>[^<]*: clusters and how they connect</tspan>', result.dom)
    assert re.search(r'<tspan class="line"[^>]*>[^<]*: boroughs and the ties between them</tspan>', result.dom)
    assert re.search(r'data-test-options="[1-8]"', result.dom)
    find = result.dom[result.dom.index('class="cop-find"'):]
    status = html.unescape(re.search(r'class="cop-find-status"[^>]*>(.*?)</p>', find, re.DOTALL).group(1))
    assert status.startswith(f"{name} (") and f"has {int(chosen['degree']):,} ties" in status
    listed = html.unescape(re.search(r'class="cop-find-list"[^>]*>Neighbours: (.*?)\.</p>', find, re.DOTALL).group(1))
    shown = [re.sub(r" \(\d[\d,]* ties?\)$", "", part) for part in listed.split("; ")]
    c = m.connections
    around = set(c.loc[c["From"].astype(str) == element, "To"].astype(str)) | set(
        c.loc[c["To"].astype(str) == element, "From"].astype(str))
    labels = m.elements.set_index(m.elements["ID"].astype(str))["Label"].astype(str)
    assert 0 < len(shown) <= 12 and set(shown) <= set(labels[list(around)])
    # the neighbourhood is drawn as a plotly figure inside the control
    figure = find[find.index('class="cop-find-figure'):find.index('class="cop-find-list"')]
    assert 'class="main-svg"' in figure and "its best-connected neighbours" in figure


def test_a_focus_on_a_hub_of_a_large_map_draws_its_best_connected_contacts_and_lists_them_all(large, monkeypatch,
                                                                                                   tmp_path):
    m, _ = large
    monkeypatch.setattr(story, "FOCUS_DRAWN", 40)
    monkeypatch.chdir(tmp_path)
    met = cop.element_metrics(m, method="sampled")
    hub = str(met["degree"].idxmax())
    ctx = story.prepare(str(cop.write_map(m, tmp_path / "m.json")), focus=[hub], large_from=LOWERED)
    items = story.focus_elements(ctx)
    figure = next(x for x in items if not isinstance(x, str))
    drawn = {str(i) for trace in figure.data if trace.mode == "markers" and trace.customdata is not None
             for i in trace.customdata}
    assert hub in drawn and len(drawn) == 41
    c = m.connections
    around = set(c.loc[c["From"] == hub, "To"]) | set(c.loc[c["To"] == hub, "From"])
    left_out = met.loc[sorted(around - drawn), "degree"]
    assert drawn - {hub} <= around and left_out.max() <= met.loc[list(drawn - {hub}), "degree"].min()
    contacts = int(met.loc[hub, "degree"])
    text = " ".join(x for x in items if isinstance(x, str))
    assert contacts > 40 and f"its {contacts:,} direct connections" in text
    assert "draws the 40 best-connected of them" in text
    assert "focus_1.csv" in text  # every contact is in the CSV beside the page


def test_small_map_report_is_unchanged_by_the_threshold(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a report run by hand would write its CSV files
    ctx = story.prepare("owa-2017")
    assert not ctx.large and story.size_notice(ctx) == []
    items = [x for f in [story.title_block, *story.SECTIONS] for x in f(ctx) if isinstance(x, str)]
    page = "".join(items)
    assert "this is a large map" not in page and "cop-table-part" not in page
    assert not re.search(r'href="[^"]*\.csv"', page)
    assert not (tmp_path / "report_files").exists()
    connectors = "".join(x for x in story.key_connectors(ctx) if isinstance(x, str))
    heading = connectors.index('<th scope="col">Constraint</th>')  # the table of every element's measures
    whole = connectors[connectors.rindex("<table", 0, heading):connectors.index("</table>", heading)]
    assert whole.count("<tr>") == len(ctx.map.elements) + 1  # every element, as before
    lowered = story.prepare("owa-2017", large_from=100)
    assert lowered.large and "cop-table-part" in "".join(x for x in story.key_connectors(lowered) if isinstance(x, str))
    assert (tmp_path / "report_files" / "key_connectors.csv").is_file()


def test_threshold_is_one_number_everywhere():
    assert story.LARGE_REPORT == 10_000
    assert template_parameters()["large_from"] == story.LARGE_REPORT
    assert story.ReportContext.__dataclass_fields__["large_from"].default == story.LARGE_REPORT
    helptext = cli.build_report_parser().format_help()
    assert "--large-from N" in helptext and f"default {story.LARGE_REPORT}" in " ".join(helptext.split())


@pytest.mark.parametrize("bad", [-1, 2.5, True, "100"])
def test_large_from_that_is_not_a_count_is_refused_in_one_line(bad):
    with pytest.raises(MapError, match="'large_from' must be a whole number of elements"):
        story.prepare("owa-2017", large_from=bad)


def test_a_lesson_page_works_out_exact_measures_where_the_lessons_own_code_does(tmp_path):
    import networkx as nx

    n = story.REPORT_EXACT_LIMIT + 1
    path = cop.write_map(cop.map_from_networkx(nx.path_graph(n)), tmp_path / "path.graphml")
    assert story.prepare(str(path)).method == "sampled"
    lesson = story.prepare(str(path), exact_up_to=story.LESSON_EXACT_LIMIT)
    assert lesson.method == "exact" == lesson.metrics.attrs["method"] == cop.element_metrics(lesson.map).attrs["method"]
    with pytest.raises(MapError, match="'exact_up_to' must be a whole number of elements"):
        story.prepare(str(path), exact_up_to=-5)


@pytest.mark.parametrize("how", ["batch", "split"])
def test_large_from_travels_to_every_report_of_a_batch_or_split(how, tmp_path, monkeypatch):
    made: list[dict] = []

    def record(source, output, **options):
        made.append(options)
        return Path(output)

    monkeypatch.setattr(batch, "report", record)
    folder = tmp_path / "maps"
    cop.write_map(resolve_input("owa-2017")[1], folder / "owa.json")
    where = ["--batch", str(folder)] if how == "batch" else ["owa-2017", "--split-by", "borough"]
    assert cli.report_main([*where, "-o", str(tmp_path / "out"), "--large-from", "7", "--jobs", "1", "-q"]) == 0
    assert made and all(options["parameters"] == {"large_from": 7} for options in made)


def test_lesson_pages_refuse_large_from_in_one_line(capsys):
    assert cli.report_main(["owa-2017", "--lessons", "--large-from", "5", "-q"]) == 2
    assert "--large-from applies to reports, not to lesson pages" in capsys.readouterr().err


def _count_measuring(tmp_path, monkeypatch):
    calls = tmp_path / "calls"
    measured = story.element_metrics

    def counted(*args, **kwargs):
        with calls.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return measured(*args, **kwargs)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(story, "element_metrics", counted)
    monkeypatch.setenv(REPORT_MODE_VARIABLE, "1")
    monkeypatch.setenv(SECOND_PROCESS_VARIABLE, "1")
    return calls


@pytest.mark.skipif(not background.can_fork(), reason="needs Linux and two or more cores")
def test_second_process_inherits_the_element_measures_instead_of_working_them_out_again(tmp_path, monkeypatch):
    calls = _count_measuring(tmp_path, monkeypatch)
    ctx = story.prepare("owa-2017")
    made = story.work_ahead(ctx, [story.geography]).get(story.geography)
    assert all(isinstance(item, str) for item in made)  # made by the second process: figures come back as HTML
    assert any('class="cop-figure"' in item for item in made)
    assert calls.read_text(encoding="utf-8").split() == [str(os.getpid())]  # measured once, here


@pytest.mark.skipif(not background.can_fork(), reason="needs Linux and two or more cores")
def test_a_large_report_makes_its_sections_in_one_process_and_writes_their_csv(tmp_path, monkeypatch):
    calls = _count_measuring(tmp_path, monkeypatch)
    ctx = story.prepare("owa-2017", large_from=100)
    made = story.work_ahead(ctx, [story.geography]).get(story.geography)
    assert any(not isinstance(item, str) for item in made)  # figures made here, not sent back as HTML
    assert calls.read_text(encoding="utf-8").split() == [str(os.getpid())]
    assert (tmp_path / "report_files" / "places.csv").is_file()  # its long tables written beside the page
