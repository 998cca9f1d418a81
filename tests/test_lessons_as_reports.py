"""Every lesson is also a report: lessons 01-12 run in report mode on maps unlike the sample.

The maps: Zachary's karate club (a classic network with no geography, types
or needs), its members without their ties (a map with no ties at all), Les
Misérables as graphology's tests keep it (a real file with ties but no places
and no types), a directed weighted GraphML, and a generated 2,000-element
London map. Each page is made, shows no exercise, names the map's own top
element by the measure it states, and names nothing of the sample. Run as
written, the lessons are unchanged (``test_notebooks_execute.py`` runs them
with their exercises).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from browser import browser, render

import cop_toolkit as cop
from cop_toolkit.reports.cli import report_main
from cop_toolkit.reports.lessons import (
    LEFT_OUT_TAGS,
    for_report,
    lesson_numbers,
    lesson_path,
    lesson_report,
    lessons_report,
    map_has,
)
from cop_toolkit.reports.runner import template_parameters

ROOT = Path(__file__).resolve().parents[1]

#: A real file with ties but no places and no types.
LES_MISERABLES = ROOT / "tests" / "real_files" / "graphology_les_miserables.gexf"
SAMPLES = ("owa-2017", "owa-2018", "unlocking-networks")

FIGURE = re.compile(r"<script\b[^>]*\bdata-cop-figure=")
EXERCISE_MARKS = ("cop-exercise", "____", "ex.q1", "Exercise 1", "Uncomment a line for help")


def _page_text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def _named_after(text: str, lead: str) -> str:
    """The first element a sentence starting with ``lead`` names (up to the next comma, ' and ' or full stop)."""
    found = re.search(re.escape(lead) + r"\s+(.+?)(?:,| and |\. | \(|$)", text)
    assert found, f"no sentence starting {lead!r}"
    return found.group(1).strip()


def _top_label(m: cop.NetworkMap, measure: str) -> set[str]:
    met = cop.element_metrics(m)
    values = pd.to_numeric(met[measure], errors="coerce")
    return set(met.loc[values == values.max(), "Label"].astype(str))


@pytest.fixture(scope="module")
def karate(tmp_path_factory) -> Path:
    g = nx.relabel_nodes(nx.karate_club_graph(), lambda n: f"Member {n}")
    return cop.write_map(cop.map_from_networkx(g), tmp_path_factory.mktemp("karate") / "karate.graphml")


@pytest.fixture(scope="module")
def no_ties(tmp_path_factory) -> Path:
    """The karate club's 34 members without any of their ties."""
    g = nx.relabel_nodes(nx.karate_club_graph(), lambda n: f"Member {n}")
    g.remove_edges_from(list(g.edges))
    return cop.write_map(cop.map_from_networkx(g), tmp_path_factory.mktemp("no-ties") / "members.graphml")


def _sample_names() -> set[str]:
    """What only the samples have: their elements' labels and IDs, the sample maps' names, London's boroughs."""
    names = set(cop.geography.boroughs()["name"]) | set(cop.datasets.names()) | {"Our Way Ahead"}
    for sample in SAMPLES:
        elements = cop.datasets.load(sample).elements
        names |= set(elements["Label"].astype(str)) | set(elements["ID"].astype(str))
    return names


def _sample_names_on(text: str, m: cop.NetworkMap) -> list[str]:
    """The samples' names a page shows that the map it is about does not have."""
    own = set(m.elements["Label"].astype(str)) | set(m.elements["ID"].astype(str))
    return sorted(n for n in _sample_names() - own if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))


def _lesson_pages_from_the_command_line(source: Path, folder: Path) -> dict[str, str]:
    """Run ``cop-report SOURCE --lessons``; return each lesson's page text by lesson number."""
    assert report_main([str(source), "--lessons", "-o", str(folder), "-q"]) == 0
    pages = {p.name[:2]: p for p in sorted(folder.glob("[0-9][0-9]_*.html"))}
    assert list(pages) == lesson_numbers(), "a lesson page was not made"
    m = cop.read_map(source)
    for number, page in pages.items():
        raw = page.read_text(encoding="utf-8")
        assert not [mark for mark in EXERCISE_MARKS if mark in raw], number
        text = _page_text(page)
        assert "Traceback" not in text, number
        assert _sample_names_on(text, m) == [], number
    return {number: _page_text(page) for number, page in pages.items()}


@pytest.fixture(scope="module")
def directed(tmp_path_factory) -> Path:
    g = nx.gnp_random_graph(60, 0.06, seed=3, directed=True)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = (u * 7 + v) % 5 + 1
    path = tmp_path_factory.mktemp("directed") / "directed.graphml"
    nx.write_graphml(nx.relabel_nodes(g, lambda n: f"Org {n}"), path)
    return path


@pytest.fixture(scope="module")
def karate_lessons(karate, tmp_path_factory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("karate-lessons")
    return folder, lessons_report(str(karate), folder)


def test_every_lesson_declares_the_report_parameters_in_a_parameters_cell_before_any_other_code():
    import nbformat

    for number in lesson_numbers():
        nb = nbformat.read(lesson_path(number), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), number
        names = template_parameters(lesson_path(number))
        assert {"map_path", "previous_path", "focus", "remove", "public", "mode"} <= set(names), number
        assert names["mode"] == "lesson" and names["public"] is False, number
        assert all(not c.get("outputs") for c in code), f"lesson {number} is stored with outputs"


def test_every_exercise_check_and_hint_cell_is_tagged_so_report_pages_leave_it_out():
    import nbformat

    for number in lesson_numbers():
        for cell in nbformat.read(lesson_path(number), as_version=4).cells:
            if cell.cell_type == "code" and re.search(r"(?<!import )____|\bex\.q\d", cell.source):
                assert set(cell.metadata.get("tags", [])) & set(LEFT_OUT_TAGS), (number, cell.source[:60])


def test_every_lesson_page_is_made_on_a_classic_network_without_geography(karate_lessons):
    _, pages = karate_lessons
    assert [p.number for p in pages] == lesson_numbers()
    assert all(p.ok for p in pages), [(p.number, p.error) for p in pages if not p.ok]
    for p in pages:
        text = p.output.read_text(encoding="utf-8")
        assert not [mark for mark in EXERCISE_MARKS if mark in text], p.number
        assert "LVSC" not in _page_text(p.output), p.number
        assert p.output.with_suffix(".ipynb").is_file(), "the executed notebook is kept beside the page"


def test_a_section_the_map_has_no_data_for_says_so_in_one_line(karate_lessons):
    folder, _ = karate_lessons
    text = _page_text(folder / f"{lesson_path(8).stem}.html")
    assert "This map has no Assets" in text
    assert "Traceback" not in text


def test_the_pages_name_the_top_element_of_the_map_they_ran_on(karate, karate_lessons):
    folder, _ = karate_lessons
    m = cop.read_map(karate)
    central = _page_text(folder / f"{lesson_path(3).stem}.html")
    assert _named_after(central, "The best-connected are") in _top_label(m, "degree")
    assert _named_after(central, "between others — are") in _top_label(m, "betweenness")
    what_if = _page_text(folder / f"{lesson_path(6).stem}.html")
    assert _named_after(what_if, "Without") in _top_label(m, "betweenness")


def test_the_index_links_every_lesson_page_with_its_headline(karate_lessons):
    folder, pages = karate_lessons
    index = (folder / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', index)
    assert hrefs == [p.output.name for p in pages]
    assert all((folder / h).is_file() for h in hrefs)
    assert html.escape(next(p.headline for p in pages if p.number == "03")) in index


def test_each_lesson_page_links_the_previous_and_next_lesson_and_the_index(karate_lessons):
    folder, pages = karate_lessons
    names = [p.output.name for p in pages]
    for i, p in enumerate(pages):
        nav = re.findall(r'<nav class="cop-lesson-nav".*?</nav>', p.output.read_text(encoding="utf-8"), re.DOTALL)
        assert nav, p.number
        hrefs = re.findall(r'href="([^"]+)"', nav[0])
        assert hrefs == names[max(i - 1, 0):i] + ["index.html"] + names[i + 1:i + 2], p.number
        assert all((folder / h).is_file() for h in hrefs), p.number


def test_a_folder_of_lesson_pages_shares_one_plotly_js(karate_lessons):
    folder, pages = karate_lessons
    assert (folder / "plotly.min.js").stat().st_size > 1_000_000
    for p in pages:
        assert p.output.stat().st_size < 2_000_000, p.number


@browser
@pytest.mark.slow
def test_every_lesson_page_draws_its_figures_offline_and_its_links_work(karate_lessons):
    folder, pages = karate_lessons
    index = render(folder / "index.html")
    assert index.requests == []
    for p in pages:
        expected = len(FIGURE.findall(p.output.read_text(encoding="utf-8")))
        page = render(p.output)
        assert page.figures == expected, (p.number, page.console_errors)
        assert page.requests == [], p.number


@pytest.mark.slow
def test_every_lesson_runs_as_a_report_on_a_directed_weighted_graphml_from_the_command_line(directed, tmp_path):
    folder = tmp_path / "lessons"
    assert report_main([str(directed), "--lessons", "-o", str(folder), "-q"]) == 0
    pages = sorted(folder.glob("[0-9][0-9]_*.html"))
    assert [p.name[:2] for p in pages] == lesson_numbers()
    m = cop.read_map(directed)
    central = _page_text(folder / f"{lesson_path(3).stem}.html")
    assert _named_after(central, "The best-connected are") in _top_label(m, "degree")
    for page in pages:
        assert not [mark for mark in EXERCISE_MARKS if mark in page.read_text(encoding="utf-8")], page.name


def test_every_lesson_runs_as_a_report_on_a_map_without_ties_and_names_nothing_of_the_sample(no_ties, tmp_path):
    pages = _lesson_pages_from_the_command_line(no_ties, tmp_path / "lessons")
    for number in ("06", "09", "11"):  # the what-if, the game's hub, the story's risk
        assert pages[number].count("This map has no element that stands out as a hub") >= 1, number
    assert "This map has no places" in pages["07"]


def test_every_lesson_runs_as_a_report_on_a_real_file_without_places_or_types_and_names_nothing_of_the_sample(tmp_path):
    m = cop.read_map(LES_MISERABLES)
    assert len(m.connections) and not {"Type", "geography"} & map_has(m)
    pages = _lesson_pages_from_the_command_line(LES_MISERABLES, tmp_path / "lessons")
    assert "This map has no places" in pages["07"]
    assert _named_after(pages["06"], "Without") in _top_label(m, "betweenness")


def _report_mode_cells(number: str) -> list:
    """The cells lesson ``number`` runs in report mode on a map that has everything."""
    import nbformat

    return for_report(nbformat.read(lesson_path(number), as_version=4)).cells


def test_a_cell_that_falls_back_to_a_sample_element_runs_in_report_mode_only_when_the_map_has_a_hub():
    sample_ids = set().union(*(cop.datasets.load(s).elements["ID"].astype(str) for s in SAMPLES))
    for number in lesson_numbers():
        for cell in _report_mode_cells(number):
            named = {x for x in re.findall(r"[\"']([\w-]+)[\"']", cell.source) if x in sample_ids}
            if cell.cell_type == "code" and named:
                assert "hub" in cell.metadata.get("cop_needs", []), (number, named, cell.source[:60])


def test_no_section_heading_is_left_out_while_its_section_runs_in_report_mode():
    import nbformat

    for number in lesson_numbers():
        cells = nbformat.read(lesson_path(number), as_version=4).cells
        for i, cell in enumerate(cells):
            heading = cell.cell_type == "markdown" and re.search(r"^#", cell.source, re.MULTILINE)
            if not heading or not set(cell.metadata.get("tags", [])) & {"sample-only", "lesson-only"}:
                continue
            after = next((c for c in cells[i + 1:] if not set(c.metadata.get("tags", [])) & set(LEFT_OUT_TAGS)), None)
            assert after is None or re.match(r"\s*#", after.source), (number, cell.source[:50], after.source[:50])


def test_every_lesson_page_states_its_facts_from_the_same_measures_as_the_lessons_own_tables():
    from cop_toolkit.analysis.engine import EXACT_LIMIT
    from cop_toolkit.reports import story

    assert story.LESSON_EXACT_LIMIT == EXACT_LIMIT  # element_metrics(m)'s own rule for exact or sampled
    for number in lesson_numbers():
        calls = [c.source for c in _report_mode_cells(number) if "story.prepare(" in c.source]
        assert calls and all("exact_up_to=story.LESSON_EXACT_LIMIT" in c for c in calls), number


def test_a_map_whose_elements_are_all_alike_has_no_hub_for_the_lessons_unless_one_is_named():
    cycle = cop.map_from_networkx(nx.cycle_graph(6))
    assert "hub" not in map_has(cycle, hub=True)
    assert "hub" in map_has(cycle, remove=["3"], hub=True)
    assert "hub" in map_has(cop.read_map(LES_MISERABLES), hub=True)


def test_one_lesson_page_from_the_command_line_with_focus_and_remove(karate, tmp_path):
    out = tmp_path / "what_if.html"
    code = report_main([str(karate), "--lesson", "6", "--remove", "Member 33", "--title", "Club", "-o", str(out), "-q"])
    assert code == 0
    text = _page_text(out)
    assert "Without Member 33" in text
    assert "<title>Club: 06 What if a hub goes?</title>" in out.read_text(encoding="utf-8")
    nb = json.loads(out.with_suffix(".ipynb").read_text(encoding="utf-8"))
    assert any('mode = "report"' in "".join(c["source"]) for c in nb["cells"])


def test_a_public_lesson_page_names_no_entry_the_public_map_leaves_out(tmp_path):
    out = tmp_path / "public.html"
    assert report_main(["owa-2017", "--lesson", "03", "--public", "--accept-risk", "-o", str(out), "-q"]) == 0
    full = cop.datasets.load("owa-2017")
    hidden = set(full.elements["Label"]) - set(cop.public_map(full).elements["Label"])
    assert hidden
    text = _page_text(out)
    assert [label for label in hidden if label in text] == []
    assert "(public version)" in out.read_text(encoding="utf-8")


def _cell_output(notebook: Path, starts: str) -> str:
    """The HTML a code cell of an executed notebook shows, found by how its source starts."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).startswith(starts))
    return "".join("".join(out.get("data", {}).get("text/html", "")) for out in cell["outputs"])


def test_lesson_07_looks_at_the_borough_its_borough_parameter_names(tmp_path):
    assert template_parameters(lesson_path(7))["borough"] == ""
    out = tmp_path / "barnet.html"
    assert report_main(["owa-2017", "--lesson", "07", "--param", "borough=barnet", "-o", str(out), "-q"]) == 0
    m = cop.open_map("owa-2017")
    names = set(cop.geography.boroughs()["name"])
    summary = _cell_output(out.with_suffix(".ipynb"), "summary = cop.borough_summary(m)")
    assert {n for n in names if f">{n}<" in summary} == {"Barnet"}
    flows = cop.borough_flows(m)
    own = flows[(flows["code_a"] == "E09000003") | (flows["code_b"] == "E09000003")].head(8)
    shown = _cell_output(out.with_suffix(".ipynb"), "flows = cop.borough_flows(m)")
    assert {n for n in names if f">{n}<" in shown} == set(own["name_a"]) | set(own["name_b"])


def test_lesson_07_with_an_unknown_borough_is_one_plain_line(tmp_path, capsys):
    out = tmp_path / "nowhere.html"
    assert report_main(["owa-2017", "--lesson", "07", "--param", "borough=Atlantis", "-o", str(out), "-q"]) == 2
    assert capsys.readouterr().err.strip() == (
        "cop-report: there is no London borough called 'Atlantis'. How to fix: give a borough name such as Tower Hamlets."
    )
    assert not out.exists()


def test_an_unknown_lesson_is_one_plain_line(karate, capsys):
    assert report_main([str(karate), "--lesson", "13", "-q"]) == 2
    assert capsys.readouterr().err.strip() == (
        "cop-report: there is no lesson '13' to run as a report. How to fix: give a lesson number from 01 to 12."
    )


@pytest.mark.slow
def test_the_lesson_notebooks_come_with_the_installed_package(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(wheels)],
                   check=True, cwd=tmp_path)
    wheel = next(wheels.glob("cop_toolkit-*.whl"))
    inside = {Path(n).name for n in zipfile.ZipFile(wheel).namelist() if n.startswith("cop_toolkit/lesson_notebooks/")}
    assert {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")} <= inside
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, cwd=tmp_path)
    ask = "from cop_toolkit.reports.lessons import lesson_numbers, lesson_path; print(lesson_path(7)); print(*lesson_numbers())"
    found = subprocess.run(
        [sys.executable, "-c", ask],
        check=True, cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(target)},
    ).stdout.splitlines()
    assert Path(found[0]) == target / "cop_toolkit" / "lesson_notebooks" / lesson_path(7).name
    assert found[1].split() == lesson_numbers()


def _london_2000(tmp_path_factory) -> Path:
    """A generated 2,000-element London map (16,000 ties), written once per test run."""
    base = tmp_path_factory.getbasetemp() / "london2000"
    base.mkdir(exist_ok=True)
    source = base / "london.json"
    if not source.exists():
        sys.path.insert(0, str(ROOT))  # the benchmarks' generator of London maps
        from benchmarks.london_map import london_map

        cop.write_map(london_map(2000), source)
    return source


@pytest.mark.slow
@pytest.mark.parametrize("number", ["03", "04", "06", "07"])
def test_lessons_run_as_reports_on_a_generated_london_map_of_2000_elements(number, tmp_path_factory):
    source = _london_2000(tmp_path_factory)
    page = lesson_report(str(source), number, output=tmp_path_factory.mktemp("page") / "page.html")
    text = page.read_text(encoding="utf-8")
    assert not [mark for mark in EXERCISE_MARKS if mark in text]
    assert FIGURE.search(text)
    if number == "03":
        assert _named_after(_page_text(page), "The best-connected are") in _top_label(cop.read_map(source), "degree")


@pytest.mark.slow
def test_lesson_09_plays_the_living_lab_on_a_generated_london_map_around_its_own_top_broker(tmp_path_factory):
    source = _london_2000(tmp_path_factory)
    m = cop.read_map(source)
    page = _page_text(lesson_report(str(source), "09", output=tmp_path_factory.mktemp("page") / "page.html"))
    hub = m.label_of(cop.top_broker(cop.element_metrics(m)))
    assert f"If {hub} went" in page  # the game's summary, about this map's hub
    assert "first_because" in page and ("reaches a group cut off" in page or "best suggestions left" in page)
    assert "introduced" in page and "points" in page  # a round was played
    assert not [mark for mark in EXERCISE_MARKS if mark in page]


def test_a_lessons_folder_index_we_did_not_write_is_refused_before_any_lesson_runs(tmp_path):
    from cop_toolkit.core.errors import MapError
    from cop_toolkit.reports.lessons import LessonPage, lessons_report, write_lessons_index
    from cop_toolkit.reports.runner import written_by_cop_toolkit

    (tmp_path / "index.html").write_text("<p>the group's own front page</p>", encoding="utf-8")
    with pytest.raises(MapError, match="not written by cop_toolkit"):
        lessons_report("owa-2017", tmp_path, lessons=["06"])
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<p>the group's own front page</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
    ours = write_lessons_index([LessonPage("06", "06 What if?", None, error="x")], tmp_path / "ours.html", "m")
    assert written_by_cop_toolkit(ours)  # so a later run may replace the index it wrote


def _sections(cells: list) -> list[tuple[str, list]]:
    """The cells under each markdown heading, as (heading line, cells up to the next heading)."""
    out: list[tuple[str, list]] = []
    for cell in cells:
        found = cell.cell_type == "markdown" and re.search(r"^#+ .+$", cell.source, re.MULTILINE)
        if found:
            out.append((found.group(0), []))
        elif out:
            out[-1][1].append(cell)
    return out


def test_no_section_keeps_its_heading_in_report_mode_when_all_its_code_is_left_out():
    import nbformat

    for number in lesson_numbers():
        lesson = dict(_sections(nbformat.read(lesson_path(number), as_version=4).cells))
        for title, cells in _sections(_report_mode_cells(number)):
            had_code = any(c.cell_type == "code" for c in lesson.get(title, []))
            assert not had_code or any(c.cell_type == "code" for c in cells), (number, title)
