"""The sample report read in a real browser, offline: every figure draws, the menus work, axe finds no serious problem.

``cop-report owa-2017`` is made into a temporary folder and opened from
``file://`` in Debian's Chromium (Playwright) with every request that is not
``file:`` refused and written down. Screenshots go to the artifacts folder
(``$COP_TEST_ARTIFACTS`` or ``tests/artifacts/``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from lab import (
    artifacts_dir,
    axe_violations,
    block_the_network,
    describe,
    launch_chromium,
    needs_chromium,
)

pytestmark = [*needs_chromium, pytest.mark.slow]

#: every figure box (written by the report's figure_placeholder) holds a drawn plotly SVG
ALL_DRAWN = """() => [...document.querySelectorAll('script[data-cop-figure]')].every(
    s => document.getElementById(s.getAttribute('data-cop-figure')).querySelector('.main-svg'))"""


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "owa-2017.html"
    run = subprocess.run([sys.executable, "-m", "cop_toolkit.reports.cli", "owa-2017", "-o", str(out)],
                         check=False, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def report_page(report_file):
    """The report open in Chromium with the network blocked, every figure drawn."""
    with launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        refused = block_the_network(page)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(report_file.as_uri(), wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_function(ALL_DRAWN, timeout=120_000, polling=250)
        yield SimpleNamespace(page=page, refused=refused, script_errors=errors)


def test_every_report_figure_draws_offline_and_nothing_asks_the_network(report_page):
    page = report_page.page
    figures = page.locator("script[data-cop-figure]").count()
    assert figures >= 10
    # each drawn figure has a plotting area with something in it, not just an empty frame
    drawn = page.evaluate("""() => [...document.querySelectorAll('script[data-cop-figure]')].filter(s => {
        const box = document.getElementById(s.getAttribute('data-cop-figure'));
        const r = box.getBoundingClientRect();
        return r.width > 200 && r.height > 150 && box.querySelectorAll('path, text').length > 10;
    }).length""")
    assert drawn == figures
    assert report_page.refused == []
    assert report_page.script_errors == []
    page.screenshot(path=artifacts_dir() / "report-top.png")


def _menu(figure, starts: str):
    """The plotly drop-down menu of ``figure`` whose header text starts with ``starts``.

    Plotly draws menus in SVG, where Playwright's text filters (``innerText``) do not reach, so
    this reads each header's ``textContent``.
    """
    for header in figure.locator(".updatemenu-header-group").all():
        if (header.text_content() or "").startswith(starts):
            return header
    raise AssertionError(f"no menu starting {starts!r}; menus: {_menus(figure)}")


def _menus(figure) -> list[str]:
    return [(h.text_content() or "").rstrip("▼") for h in figure.locator(".updatemenu-header-group").all()]


def _items(figure) -> list[str]:
    """The choices of the open drop-down, as shown."""
    return [b.text_content() or "" for b in figure.locator(".updatemenu-dropdown-button").all()]


def _choose(figure, menu: str, item: str) -> None:
    """Open the drop-down whose header reads ``menu`` and click the choice reading ``item``."""
    _menu(figure, menu).click()
    figure.locator(".updatemenu-dropdown-button").nth(_items(figure).index(item)).click()


def _network_map(page):
    """The figure with the type, connection, borough and find menus (the network map)."""
    for figure in page.locator(".js-plotly-plot").all():
        if "All element types" in _menus(figure):
            figure.scroll_into_view_if_needed()
            return figure
    raise AssertionError("no figure has an 'All element types' menu")


def test_the_map_menu_shows_only_one_element_type_and_back(report_page):
    page = report_page.page
    figure = _network_map(page)
    markers = figure.locator(".scatterlayer .point")
    everyone = markers.count()
    _choose(figure, "All element types", "Only: CVS")
    assert _menus(figure)[0] == "Only: CVS"
    only_cvs = markers.count()
    assert 0 < only_cvs < everyone
    page.screenshot(path=artifacts_dir() / "report-map-only-cvs.png")
    _choose(figure, "Only: CVS", "All element types")
    assert markers.count() == everyone


def test_the_map_find_menu_lists_names_as_people_write_them(report_page):
    page = report_page.page
    figure = _network_map(page)
    _menu(figure, "Find an element").click()
    items = _items(figure)
    assert len(items) > 100
    assert [t for t in items if "&#" in t or "&amp;" in t or "&lt;" in t] == []
    choice = items[1]
    figure.locator(".updatemenu-dropdown-button").nth(1).click()
    assert _menus(figure)[-1] == choice
    page.screenshot(path=artifacts_dir() / "report-map-find.png")


def test_the_map_borough_menu_outlines_one_borough(report_page):
    page = report_page.page
    figure = _network_map(page)
    drawing = figure.locator(".scatterlayer")
    before = drawing.inner_html()
    _choose(figure, "All boroughs", "Barnet")
    assert "Barnet" in _menus(figure)
    assert drawing.inner_html() != before
    page.screenshot(path=artifacts_dir() / "report-map-barnet.png")


def test_the_report_has_no_serious_or_critical_accessibility_problems(report_page):
    serious = axe_violations(report_page.page)
    assert serious == [], describe(serious)


def test_a_long_report_table_sorts_by_a_clicked_heading_and_filters_by_typed_words(report_page):
    page = report_page.page
    box = page.locator(".cop-table-box").filter(has=page.locator("th", has_text="Constraint")).first
    box.scroll_into_view_if_needed()
    rows = box.locator("tbody tr")
    everyone = rows.count()
    assert everyone > 100
    ties = box.get_by_role("button", name="Ties", exact=True)
    ties.click()  # fewest ties first
    fewest = [int(t.replace(",", "")) for t in box.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    assert fewest == sorted(fewest) and len(fewest) == everyone
    ties.click()  # most ties first
    assert rows.first.locator("td").first.inner_text() == "LVSC"
    assert box.locator("th[aria-sort=descending]").inner_text().startswith("Ties")
    box.get_by_role("searchbox").fill("lewisham")
    shown = box.locator("tbody tr:visible").all_inner_texts()
    assert 0 < len(shown) < everyone and all("lewisham" in row.lower() for row in shown)
    assert box.locator(".cop-table-count").inner_text() == f"{len(shown)} of {everyone} rows hold \u201clewisham\u201d."
    page.screenshot(path=artifacts_dir() / "report-table-sorted-and-searched.png")
    box.get_by_role("searchbox").fill("")
    assert box.locator("tbody tr:visible").count() == everyone
