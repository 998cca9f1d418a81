"""Lessons and explorers used in a real JupyterLab, the way a learner uses them.

One JupyterLab server (on a copy of ``notebooks/``) serves this whole module.
Each test opens a notebook in headless Chromium, runs every cell from the Run
menu and then reads the screen and clicks, chooses and types in the widgets.
Screenshots go to the artifacts folder (``$COP_TEST_ARTIFACTS`` or ``tests/artifacts/``).
"""

from __future__ import annotations

import sys

import nbformat
import pytest
from lab import (
    clipped_bar_labels,
    Notebook,
    artifacts_dir,
    axe_violations,
    describe,
    jupyterlab,
    launch_chromium,
    needs_chromium,
)

import cop_toolkit as cop
from cop_toolkit.teaching.game_widgets import ACTIONS, play

pytestmark = [*needs_chromium, pytest.mark.slow]

ACTION_LABEL = {key: label for label, key in ACTIONS}
EXPLORERS = "explorers.ipynb"


def _explorer_notebook() -> str:
    """A scratch notebook that opens each explorer on the sample map."""
    cells = [
        ("import cop_toolkit as cop\n"
         "from cop_toolkit.figures import use_offline_renderer\n"
         "from cop_toolkit.teaching.explorers import element_explorer, filter_explorer, what_if_explorer\n\n"
         "use_offline_renderer()\n"
         'm = cop.datasets.load("owa-2017")'),
        'element_explorer(m, "LVSC")',
        "what_if_explorer(m)",
        "filter_explorer(m)",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (cop_toolkit)", "language": "python"}
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with jupyterlab(tmp_path_factory.mktemp("lab"), {EXPLORERS: _explorer_notebook()}) as server:
        # the kernel is this project's Python, not whatever else is installed
        assert server.kernel_python() == sys.executable or server.kernel_python().startswith(sys.prefix)
        yield server


@pytest.fixture(scope="module")
def browser(lab):
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def notebooks(browser, lab):
    """Lessons 03 and 09 and the explorers, each in its own tab, every cell run (all three at once)."""
    names = {"lesson_03": "03_who_is_central.ipynb", "lesson_09": "09_network_weaving.ipynb",
             "explorers": EXPLORERS}
    opened = {key: Notebook(browser.new_page(viewport={"width": 1280, "height": 900}), lab, name).go()
              for key, name in names.items()}
    for nb in opened.values():
        nb.wait_until_open()
        nb.run_all(wait=False)
    for nb in opened.values():
        nb.wait_for_kernel(timeout=180)
    yield opened
    for nb in opened.values():
        nb.page.close()


@pytest.fixture(scope="module")
def lesson_09(notebooks):
    return notebooks["lesson_09"]


@pytest.fixture(scope="module")
def lesson_03(notebooks):
    return notebooks["lesson_03"]


@pytest.fixture(scope="module")
def explorers(notebooks):
    return notebooks["explorers"]


# ------------------------------------------------------------------ lesson 09: the Living Lab
def _args(idea) -> list[str]:
    args = [idea["a"]]
    if idea["action"] == "introduce":
        args.append(idea["b"])
    if idea["action"] == "share":
        args.append(idea["item"])
    return args


def _play_on_screen(board, m, idea) -> None:
    """Choose the idea's action, organisations and item in the board's drop-downs, as a learner would."""
    from playwright.sync_api import expect

    action, first, second, item = (board.locator(".widget-dropdown").nth(i) for i in range(4))
    action.locator("select").select_option(label=ACTION_LABEL[idea["action"]])
    # the kernel renames "Introduce"/"With" and shows only the drop-downs this action needs
    expect(first.locator("label")).to_have_text("Introduce" if idea["action"] == "introduce" else "With")
    for dropdown in (action, first):
        expect(dropdown).to_be_visible()
    expect(second).to_be_visible() if idea["action"] == "introduce" else expect(second).to_be_hidden()
    expect(item).to_be_visible() if idea["action"] == "share" else expect(item).to_be_hidden()
    first.locator("select").select_option(label=m.label_of(idea["a"]))
    if idea["action"] == "introduce":
        second.locator("select").select_option(label=m.label_of(idea["b"]))
    if idea["action"] == "share":
        item.locator("select").select_option(label=idea["item"])


def test_a_whole_round_of_the_living_lab_is_played_by_clicking_in_lesson_09(lesson_09):
    from playwright.sync_api import expect

    page = lesson_09.page
    assert lesson_09.error_outputs() == []
    m = cop.datasets.load("owa-2017")
    # the same game the lesson starts (``play(m, rounds=3, picture=False)``), played here in step
    game = play(m, rounds=3, picture=False).game
    board = lesson_09.cell("board = play(").locator(".jp-Cell-outputArea .widget-vbox").first
    board.scroll_into_view_if_needed()
    header, feedback, scores = (board.locator(":scope > .widget-html").nth(i) for i in range(3))
    dropdowns = board.locator(".widget-dropdown")
    expect(header).to_contain_text("Round 1 of 3")
    # a fresh board asks for two organisations to introduce: Action, Introduce and "and" are on screen
    for i, label in enumerate(["Action", "Introduce", "and"]):
        expect(dropdowns.nth(i)).to_be_visible()
        expect(dropdowns.nth(i).locator("label")).to_have_text(label)
    expect(dropdowns.nth(3)).to_be_hidden()
    page.screenshot(path=artifacts_dir() / "lesson09-board-start.png")
    assert "Scores" not in scores.inner_text()

    for turn, player in enumerate(game.players):
        expect(header).to_contain_text(f"{player.name}")
        idea = game.ideas(top=1).iloc[0]
        _play_on_screen(board, m, idea)
        board.get_by_role("button", name="Do it").click()
        expect(feedback).to_have_text(game.play(idea["action"], *_args(idea)).message, timeout=30_000)
        if turn == 0:
            page.screenshot(path=artifacts_dir() / "lesson09-board-first-move.png")
        board.get_by_role("button", name="End turn").click()
        expect(feedback).to_have_text(game.end_turn(), timeout=30_000)

    expect(header).to_contain_text("Round 2 of 3")
    expect(scores).to_contain_text("Scores")
    for row in game.score_table().itertuples():
        assert row.player in scores.inner_text()
        assert f"{row.total_points}" in scores.inner_text()
    page.screenshot(path=artifacts_dir() / "lesson09-board-after-round-1.png")
    assert lesson_09.refused == [] and lesson_09.errors == []


# ------------------------------------------------------------------ explorers
def _figure_title(area) -> str:
    return area.locator(".js-plotly-plot .gtitle").first.text_content() or ""


def test_the_element_explorer_redraws_the_neighbourhood_of_the_element_chosen(explorers):
    from playwright.sync_api import expect

    assert explorers.error_outputs() == []
    m = cop.datasets.load("owa-2017")
    cell = explorers.cell("element_explorer(m")
    cell.scroll_into_view_if_needed()
    figure = cell.locator(".js-plotly-plot .gtitle").first
    expect(figure).to_contain_text("LVSC")
    cell.get_by_label("Element:").select_option(label=m.label_of("borough-networks-forum"))
    expect(figure).to_contain_text("Borough Networks Forum", timeout=30_000)
    expect(figure).not_to_contain_text("LVSC")
    explorers.page.screenshot(path=artifacts_dir() / "explorer-element.png")


def test_the_what_if_explorer_shows_who_is_cut_off_when_an_element_is_taken_away(explorers):
    from playwright.sync_api import expect

    cell = explorers.cell("what_if_explorer(m")
    cell.scroll_into_view_if_needed()
    title = cell.locator(".js-plotly-plot .gtitle").first
    expect(title).to_contain_text("Choose elements to take away")
    cell.get_by_label("Take away:").select_option(label="LVSC")
    expect(title).not_to_contain_text("Choose elements to take away", timeout=30_000)
    expect(cell.locator(".widget-html").first).to_contain_text("LVSC")
    explorers.page.screenshot(path=artifacts_dir() / "explorer-what-if.png")


def test_the_filter_explorer_redraws_the_map_for_the_types_and_least_degree_chosen(explorers):
    from playwright.sync_api import expect

    cell = explorers.cell("filter_explorer(m")
    cell.scroll_into_view_if_needed()
    message = cell.locator(".widget-html").first
    markers = cell.locator(".js-plotly-plot .scatterlayer .point")
    expect(message).to_contain_text("Showing 195 of 195 elements")
    everyone = markers.count()
    cell.get_by_label("Types:").select_option(label=["CVS", "Borough network"])
    expect(message).to_contain_text("Showing 20 of 195 elements", timeout=30_000)
    # the message comes first, then the new picture: wait for fewer dots (and not none)
    explorers.page.wait_for_function(
        """([cell, everyone]) => {
            const dots = cell.querySelectorAll('.js-plotly-plot .scatterlayer .point').length;
            return dots > 0 && dots < everyone;
        }""", arg=[cell.element_handle(), everyone], timeout=30_000)
    # type a least degree into the slider's read-out, as a learner can
    readout = cell.locator(".widget-readout").first
    readout.click()
    readout.press("Control+a")
    readout.type("20")
    readout.press("Enter")
    expect(message).not_to_contain_text("Showing 20 of 195 elements", timeout=30_000)
    expect(message).to_contain_text("of 195 elements")
    explorers.page.screenshot(path=artifacts_dir() / "explorer-filter.png")


# ------------------------------------------------------------------ lesson 03
def test_lesson_03_runs_without_errors_and_draws_every_figure(lesson_03):
    assert lesson_03.error_outputs() == []
    figures = lesson_03.page.locator(".jp-Cell-outputArea .js-plotly-plot")
    assert figures.count() >= 3
    for figure in figures.all():
        figure.scroll_into_view_if_needed()
        assert figure.locator(".main-svg").count() >= 1
        assert figure.locator(".point").count() > 0  # bars or dots drawn
    lesson_03.cell("plot_ranking(metrics").scroll_into_view_if_needed()
    lesson_03.page.screenshot(path=artifacts_dir() / "lesson03-ranking.png")
    assert lesson_03.refused == [] and lesson_03.errors == []


def test_lesson_03_ranking_bar_labels_are_not_cut_off(lesson_03):
    cell = lesson_03.cell('plot_ranking(metrics, "betweenness"')
    cell.scroll_into_view_if_needed()
    figure = cell.locator(".js-plotly-plot").first
    labels = figure.locator(".bartext")
    assert labels.count() == 10
    assert clipped_bar_labels(figure.element_handle()) == []


def test_a_lessons_text_and_outputs_have_no_serious_or_critical_accessibility_problems(lesson_03):
    # the lesson's own content: its text and what its cells show (JupyterLab's editors and toolbars are not ours)
    found = axe_violations(lesson_03.page, context=[".jp-Notebook .jp-MarkdownOutput", ".jp-Notebook .jp-Cell-outputArea"])
    # Two findings are the frameworks' own markup, not the lesson's: the handle ipywidgets draws for a
    # slider (noUiSlider, no way to name it from Python), and the scrolling box JupyterLab puts round a
    # wide HTML output. Every other finding counts.
    frameworks = {("aria-input-field-name", ".noUi-handle"), ("scrollable-region-focusable", ".jp-RenderedHTML")}
    ours = [v for v in found
            if not all(any(rule == v["id"] and mark in target for rule, mark in frameworks) for target in v["targets"])]
    assert ours == [], describe(ours)
