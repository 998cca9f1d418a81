"""Figures survive papermill-style execution, nbconvert to HTML and a browser with no network."""

from __future__ import annotations

import nbformat
import plotly.graph_objects as go
import plotly.io as pio
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from browser import browser, render
from cop_toolkit.figures import figures_to_html, use_offline_renderer


def test_offline_renderer_embeds_plotly_js_in_notebook_output():
    before = pio.renderers.default
    try:
        assert use_offline_renderer() == "plotly_mimetype+cop_notebook"
        bundle = pio.renderers._build_mime_bundle(go.Figure(go.Bar(x=[1], y=[1])).to_dict())
        assert "application/vnd.plotly.v1+json" in bundle and "text/html" in bundle
        assert "<script src=" not in bundle["text/html"], "nothing (MathJax included) is fetched from a CDN"
    finally:
        pio.renderers.default = before


def test_page_holds_plotly_js_once_and_nothing_from_a_cdn(tmp_path):
    figs = [go.Figure(go.Bar(x=[1], y=[2])), go.Figure(go.Scatter(x=[1], y=[2]))]
    page = figures_to_html(figs, tmp_path / "p.html", title="<b>Report</b>", captions=["<i>one</i>", "two"])
    text = page.read_text(encoding="utf-8")
    assert text.count("<script src=") == 0
    assert text.count("Plotly.newPlot") == 2
    assert len(text) < 6_000_000  # plotly.js (~4.8 MB) once, not twice
    assert "&lt;b&gt;Report&lt;/b&gt;" in text and "&lt;i&gt;one&lt;/i&gt;" in text


@browser
def test_a_figure_in_an_executed_notebook_converted_to_html_draws_offline(tmp_path, artifacts):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import pandas as pd\n"
        "from cop_toolkit import NetworkMap\n"
        "from cop_toolkit.figures import plot_network, plot_ranking, use_offline_renderer\n"
        "use_offline_renderer()\n"
        "m = NetworkMap(pd.DataFrame({'ID': ['a', 'b'], 'Label': ['Food Bank', 'Youth Club']}),\n"
        "               pd.DataFrame({'From': ['a'], 'To': ['b']}))\n"
        "plot_network(m).show()"), nbformat.v4.new_code_cell(
        "plot_ranking(pd.DataFrame({'Label': ['A', 'B'], 'degree': [2, 1]}), 'degree').show()")]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    body, _ = HTMLExporter().from_notebook_node(nb)
    page = tmp_path / "notebook.html"
    page.write_text(body, encoding="utf-8")
    result = render(page, screenshot=artifacts / "notebook_figures.png", window=(1200, 1600))
    assert result.figures == 2
    assert result.plots >= 2
    assert not [r for r in result.requests if "plot.ly" in r or "plotly" in r]


def test_in_report_mode_each_figure_is_shown_once_as_data_for_the_page_to_draw():
    # In its own Python: it makes an IPython shell, which would change plotly's renderer choice here.
    import json
    import os
    import subprocess
    import sys

    script = """
import json, os, sys
os.environ["COP_TOOLKIT_REPORT"] = "1"
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import display
from IPython.utils.capture import capture_output
import plotly.graph_objects as go
from cop_toolkit.figures.offline import use_report_renderer
InteractiveShell.instance()
name = use_report_renderer()
with capture_output() as cap:
    display(go.Figure(go.Bar(x=[1], y=[1])))
    display(go.Figure(go.Bar(x=[2], y=[2], name="</script><b>x</b>")))
print(json.dumps({"name": name, "outputs": [o.data for o in cap.outputs],
                  "plotly_renderers_loaded": "plotly.io._renderers" in sys.modules}))
"""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["name"] == "cop_report"
    assert [list(o) for o in seen["outputs"]] == [["text/html"], ["text/html"]]  # through IPython's hook
    html = seen["outputs"][0]["text/html"]
    assert "</script><b>" not in seen["outputs"][1]["text/html"]
    assert 'class="cop-figure"' in html and 'type="application/json" data-cop-figure=' in html
    assert "plotly.js v" not in html and "<script src=" not in html
    assert not seen["plotly_renderers_loaded"], "the report kernel does not load plotly's renderers (nor nbformat)"


def test_opened_by_hand_the_report_notebook_draws_like_a_lesson(monkeypatch):
    from cop_toolkit.figures.offline import REPORT_MODE_VARIABLE, use_report_renderer

    before = pio.renderers.default
    try:
        monkeypatch.delenv(REPORT_MODE_VARIABLE, raising=False)
        assert use_report_renderer() == "plotly_mimetype+cop_notebook"
    finally:
        pio.renderers.default = before


def test_the_report_page_embeds_plotly_js_whatever_the_labels_say():
    from cop_toolkit.figures.offline import figure_placeholder
    from cop_toolkit.reports.runner import _draws_without_plotlyjs

    def notebook(*htmls):
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": h}) for h in htmls]
        return nbformat.v4.new_notebook(cells=[cell])

    label = "<p>We love plotly.js v9 and data-cop-figure=1</p>"  # escaped map text reads like this
    figure = figure_placeholder(go.Figure(go.Bar(x=[1], y=[1])).to_dict())
    assert _draws_without_plotlyjs(notebook(label, figure))
    assert not _draws_without_plotlyjs(notebook(label)), "no figure, no plotly.js"
    carried = "<script>/**\n* plotly.js v4.1.1\n* Copyright</script>"
    assert not _draws_without_plotlyjs(notebook(carried, figure)), "a notebook that carries plotly.js already"
