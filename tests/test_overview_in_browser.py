"""The large-map overview and the "find an element" control in a real browser, offline, as a person uses them.

A report page (made by the report's own converter, so plotly.js is in its head) holding the
overview of a generated 5,000-element London map and the find control is opened from
``file://`` in Debian's Chromium with every request that is not ``file:`` refused. A person types
part of a name, chooses the suggestion, and reads the neighbourhood drawn on screen.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from lab import artifacts_dir, block_the_network, launch_chromium, needs_chromium

import cop_toolkit as cop
from cop_toolkit import NetworkMap
from cop_toolkit.figures.offline import report_html
from cop_toolkit.reports.runner import notebook_to_html

pytestmark = [*needs_chromium, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
EVIL = "<img src=x onerror=alert(1)>"
NEIGHBOURS = 12


def page_of(outputs: list[str], folder: Path, name: str) -> Path:
    """A report page holding these HTML outputs, made as ``cop-report`` makes its pages."""
    nb = nbformat.v4.new_notebook()
    for html in outputs:
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
        nb.cells.append(cell)
    source = folder / f"{name}.ipynb"
    nbformat.write(nb, str(source))
    return notebook_to_html(source, folder / f"{name}.html")


@pytest.fixture(scope="module")
def london(tmp_path_factory):
    sys.path.insert(0, str(ROOT))  # the benchmarks' generator of London maps
    from benchmarks.london_map import london_map

    m = london_map(5000)
    clusters = cop.find_clusters(m)
    page = page_of([report_html(cop.plot_overview(m, clusters)), cop.find_control(m, clusters=clusters)],
                   tmp_path_factory.mktemp("overview"), "overview")
    return SimpleNamespace(map=m, clusters=clusters, page=page)


@pytest.fixture()
def browser_page():
    with launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        refused = block_the_network(page)
        errors: list[str] = []
        dialogs: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield SimpleNamespace(page=page, refused=refused, errors=errors, dialogs=dialogs)


def best_neighbours(m: NetworkMap, element: str, k: int) -> tuple[int, set[str]]:
    """The element's number of ties and the names of its ``k`` best-connected neighbours (counted with networkx)."""
    g = m.to_networkx().to_undirected()
    around = sorted(g.neighbors(element), key=lambda v: -g.degree(v))
    cut = g.degree(around[k - 1]) if len(around) >= k else -1
    sure = {v for v in around if g.degree(v) > cut}  # those ranked above any tie at the k-th place
    labels = m.labels.to_dict()
    return g.degree(element), {labels[v] for v in sure}


def drawn_neighbourhood(page) -> tuple[list[str], int]:
    """The names written in the drawn neighbourhood picture and its number of points."""
    page.wait_for_selector(".cop-find-figure .main-svg", timeout=30_000)
    names = page.eval_on_selector_all(".cop-find-figure .textpoint text", "els => els.map(e => e.textContent)")
    points = page.locator(".cop-find-figure .scatterlayer .point").count()
    return names, points


def test_typing_part_of_a_name_and_choosing_the_suggestion_draws_its_neighbourhood(london, browser_page):
    page = browser_page.page
    page.goto(london.page.as_uri(), wait_until="load", timeout=120_000)
    metrics = cop.element_metrics(london.map, method="sampled")
    element = metrics.sort_values("degree", ascending=False).index[3]
    name = london.map.label_of(element)
    box = page.get_by_role("combobox", name="Find an element")
    box.click()
    box.press_sequentially(name[len(name) // 3:], delay=20)  # part of the name, as typed
    option = page.get_by_role("option").filter(has_text=name).first
    option.click()
    names, points = drawn_neighbourhood(page)
    degree, sure = best_neighbours(london.map, element, NEIGHBOURS)
    assert points == 1 + min(NEIGHBOURS, degree)
    assert name in names and sure <= set(names)
    status = page.locator(".cop-find-status").text_content()
    assert london.clusters.at[element, "cluster_name"] in status and f"has {degree} ties" in status
    assert page.locator(".cop-find-scope").text_content().startswith("All 5,000 elements can be found here")
    # the overview above it drew too, with one circle per cluster
    assert page.locator("div.cop-figure .main-svg").count() >= 1
    assert browser_page.refused == [] and browser_page.errors == []
    page.screenshot(path=artifacts_dir() / "find-control.png", full_page=True)


def test_the_keyboard_alone_finds_an_element(london, browser_page):
    page = browser_page.page
    page.goto(london.page.as_uri(), wait_until="load", timeout=120_000)
    first = london.map.label_of(cop.element_metrics(london.map, method="sampled")["degree"].idxmax())
    box = page.get_by_role("combobox", name="Find an element")
    box.focus()
    page.keyboard.type(first)
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("option", selected=True).count() == 1
    page.keyboard.press("Enter")
    names, _ = drawn_neighbourhood(page)
    assert first in names and box.input_value() == first
    assert browser_page.refused == [] and browser_page.errors == []


def test_a_hostile_name_is_shown_as_text_and_never_runs(tmp_path, browser_page):
    m = NetworkMap(pd.DataFrame({"ID": ["e", "a", "b"], "Label": [EVIL, "Food Bank", "Youth Club"]}),
                   pd.DataFrame({"From": ["e", "e"], "To": ["a", "b"]}))
    page = browser_page.page
    page.goto(page_of([cop.find_control(m)], tmp_path, "evil").as_uri(), wait_until="load")
    page.get_by_role("combobox", name="Find an element").press_sequentially("onerror")
    page.get_by_role("option").first.click()
    names, points = drawn_neighbourhood(page)
    assert EVIL in names and points == 3
    assert EVIL in page.locator(".cop-find-status").text_content()
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert browser_page.dialogs == [] and browser_page.errors == []


def test_without_plotly_js_the_control_says_so_in_one_line_and_lists_the_neighbours(tmp_path, browser_page):
    m = NetworkMap(pd.DataFrame({"ID": ["h", "a", "b"], "Label": ["Hub", "Food Bank", "Youth Club"]}),
                   pd.DataFrame({"From": ["h", "h"], "To": ["a", "b"]}))
    bare = tmp_path / "bare.html"
    bare.write_text(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>t</title></head>"
                    f"<body>{cop.find_control(m)}</body></html>", encoding="utf-8")
    page = browser_page.page
    page.goto(bare.as_uri(), wait_until="load")
    assert "no plotly.js" in page.locator(".cop-find-status").text_content()
    page.get_by_role("combobox", name="Find an element").press_sequentially("hub")
    page.get_by_role("option").first.click()
    assert "Food Bank" in page.locator(".cop-find-list").text_content()
    assert page.locator(".cop-find-figure").is_hidden()
    assert browser_page.errors == []
