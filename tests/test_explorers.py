"""Explorers change their picture and table when a widget value changes (no browser needed)."""

from __future__ import annotations

import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit.teaching.explorers import element_explorer, filter_explorer, what_if_explorer


def owa():
    return cop.datasets.load("owa-2017")


def markers(fig) -> int:
    return sum(len(t.x) for t in fig.data if t.legendgroup == "types")


def test_choosing_another_element_redraws_its_neighbourhood_and_introductions():
    m = owa()
    ex = element_explorer(m, "LVSC")
    first = ex.figure
    assert ex.table.index.tolist() == ["lvsc"] and "betweenness" in ex.table.columns
    assert "LVSC" in first.layout.title.text
    other = next(i for i in m.elements["ID"] if i != "lvsc" and (m.connections["From"] == i).any())
    ex.chooser.value = other
    assert ex.table.index.tolist() == [other]
    assert ex.figure is not first and m.label_of(other) in ex.figure.layout.title.text
    assert ex.updates == 2
    before = markers(ex.figure)
    ex.steps.value = 2
    assert markers(ex.figure) > before


def test_taking_lvsc_away_shows_before_and_after_with_the_real_what_if():
    m = owa()
    ex = what_if_explorer(m)
    assert ex.result is None and "Choose" in ex.message.value
    ex.chooser.value = ("lvsc",)
    assert ex.result.removed == ["lvsc"]
    assert isinstance(ex.table, pd.DataFrame) and len(ex.table)
    names = {t.name for t in ex.figure.data}
    assert {"Taken away", "Cut off"} <= names
    assert ex.message.value  # the headline sentence


def test_filters_narrow_the_map_and_the_table():
    m = owa()
    ex = filter_explorer(m)
    everyone = len(ex.table)
    assert everyone == len(m.elements)
    ex.types.value = ("Community group",)
    assert 0 < len(ex.table) < everyone
    assert {t.name for t in ex.figure.data if t.legendgroup == "types"} == {"Community group"}
    groups = len(ex.table)
    ex.threshold.value = 3
    assert len(ex.table) < groups and (ex.table["degree"] >= 3).all()
    ex.connections.value = ()
    assert not any(t.legendgroup == "links" for t in ex.figure.data)
    some = tuple(b for b in ex.boroughs.options[:1])
    ex.boroughs.value = some
    assert "Showing" in ex.message.value or "Nothing matches" in ex.message.value


@pytest.mark.notebook
def test_explorers_run_by_a_program_show_a_still_picture_of_the_first_choice_not_dead_controls():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import cop_toolkit as cop\n"
        "from cop_toolkit.teaching.explorers import element_explorer, filter_explorer, what_if_explorer\n"
        "m = cop.datasets.load('owa-2017')")]
    nb.cells += [nbformat.v4.new_code_cell(code) for code in (
        "element_explorer(m, 'LVSC')", "filter_explorer(m)", "what_if_explorer(m, remove=['lvsc'])")]
    NotebookClient(nb, kernel_name="python3", timeout=180).execute()
    for cell in nb.cells[1:]:
        kinds = {kind for out in cell.outputs for kind in out.get("data", {})}
        assert "application/vnd.jupyter.widget-view+json" not in kinds, cell.source
        assert "application/vnd.plotly.v1+json" in kinds or any(
            "plotly" in str(out.get("data", {}).get("text/html", "")) for out in cell.outputs), cell.source
        text = "".join(str(out.get("data", {}).get("text/html", "")) for out in cell.outputs)
        assert "open this notebook in JupyterLab" in text
    assert "LVSC" in "".join(str(o.get("data", {})) for o in nb.cells[3].outputs)  # the what-if of the chosen element


@pytest.mark.notebook
def test_explorers_sent_from_a_front_end_that_a_person_uses_show_their_controls():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        kc.execute_interactive("import cop_toolkit as cop\nm = cop.datasets.load('owa-2017')", timeout=120)
        kinds: set[str] = set()

        def collect(msg):
            if msg["msg_type"] in ("display_data", "execute_result"):
                kinds.update(msg["content"]["data"])

        # JupyterLab sends code with allow_stdin on, as here
        kc.execute_interactive("from cop_toolkit.teaching.explorers import element_explorer\n"
                               "element_explorer(m, 'LVSC')", allow_stdin=True, timeout=120,
                               output_hook=collect)
        assert "application/vnd.jupyter.widget-view+json" in kinds
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
