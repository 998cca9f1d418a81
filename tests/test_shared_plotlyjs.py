"""One plotly.js per folder of pages: batches share it, single reports and --self-contained carry their own."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from browser import browser, render
from lab import block_the_network, launch_chromium

from cop_toolkit import MapError, NetworkMap, write_map
from cop_toolkit.figures.offline import (
    PLOTLYJS_FILE,
    figure_placeholder,
    plotlyjs_bundle,
    write_plotlyjs,
)
from cop_toolkit.reports import batch
from cop_toolkit.reports.cli import report_main
from cop_toolkit.reports.pages import (
    STYLESHEET_FILE,
    report_stylesheet,
    write_stylesheet,
)
from cop_toolkit.reports.runner import notebook_to_html

PACKAGE = Path(__file__).resolve().parents[1] / "cop_toolkit"
#: the mark plotly.js puts at the top of its bundle, so a page that carries it can be told apart
BUNDLE_MARK = re.compile(r"plotly\.js v\d")
#: a page that loads the shared file
SHARED_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"plotly\.min\.js\"[^>]*>\s*</script>")
#: a page that links the shared stylesheet
SHARED_STYLES = re.compile(r"<link\b(?=[^>]*\brel=\"stylesheet\")(?=[^>]*\bhref=\"cop-report\.css\")[^>]*>")


def trace_types_used() -> set[str]:
    """Every plotly trace type the package makes: ``trace("kind", ...)`` and ``go.Kind(...)`` calls."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # trace("scatter", ...) and trace("scattergl" if large else "scatter", ...)
        for first, other in re.findall(r"\btrace\(\s*\"([a-z0-9]+)\"(?: if [^\n]*? else \"([a-z0-9]+)\")?", text):
            found |= {first, other} - {""}
        found |= {name.lower() for name in re.findall(r"\bgo\.([A-Z][A-Za-z0-9]*)\(", text)} - {"figure", "layout"}
    return found


def test_the_trace_types_the_figures_use_are_found():
    used = trace_types_used()
    assert {"bar", "scatter", "scattergl"} <= used, used


def test_every_trace_type_the_figures_use_is_in_the_bundle_pages_get():
    bundle = plotlyjs_bundle()
    registered = set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', bundle))
    assert trace_types_used() <= registered, trace_types_used() - registered


def _notebook_with_a_figure() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("")
    figure = figure_placeholder(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])).to_dict())
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<h1>A map</h1>" + figure})]
    return nbformat.v4.new_notebook(cells=[cell])


def test_a_page_embeds_plotly_js_unless_told_to_load_the_file_beside_it(tmp_path):
    nb = tmp_path / "executed.ipynb"
    nbformat.write(_notebook_with_a_figure(), str(nb))
    alone = notebook_to_html(nb, tmp_path / "alone.html").read_text(encoding="utf-8")
    shared = notebook_to_html(nb, tmp_path / "shared.html", plotlyjs_src=PLOTLYJS_FILE).read_text(encoding="utf-8")
    assert BUNDLE_MARK.search(alone) and not SHARED_SCRIPT.search(alone)
    assert not BUNDLE_MARK.search(shared) and SHARED_SCRIPT.search(shared)
    assert len(shared) < len(alone) - 4_000_000


def test_a_page_carries_its_styles_unless_told_to_link_the_stylesheet_beside_it(tmp_path):
    nb = tmp_path / "executed.ipynb"
    nbformat.write(_notebook_with_a_figure(), str(nb))
    alone = notebook_to_html(nb, tmp_path / "alone.html").read_text(encoding="utf-8")
    shared = notebook_to_html(nb, tmp_path / "shared.html", plotlyjs_src=PLOTLYJS_FILE,
                              stylesheet_href=STYLESHEET_FILE).read_text(encoding="utf-8")
    assert "<style" in alone and ".jp-Notebook" in alone and not SHARED_STYLES.search(alone)
    assert "<style" not in shared and SHARED_STYLES.search(shared)
    assert len(shared) < len(alone) - 4_000_000 - 200_000
    # the stylesheet holds every style the page would carry, in the page's order
    styles = re.findall(r"<style\b[^>]*>(.*?)</style>", alone.split("</head>")[0], re.DOTALL)
    sheet = report_stylesheet()
    assert [sheet.index(s.strip()) for s in styles] == sorted(sheet.index(s.strip()) for s in styles)


def test_the_stylesheet_is_written_once_and_a_file_cop_toolkit_did_not_write_is_refused(tmp_path):
    first = write_stylesheet(tmp_path)
    stamp = first.stat().st_mtime_ns
    assert write_stylesheet(tmp_path).stat().st_mtime_ns == stamp
    old = report_stylesheet().replace(".cop-headline", ".cop-old-headline")  # an older version of ours
    first.write_text(old, encoding="utf-8")
    assert write_stylesheet(tmp_path).read_text(encoding="utf-8") == report_stylesheet()
    first.write_text("body { color: red }", encoding="utf-8")
    with pytest.raises(MapError, match="not written by cop_toolkit.*--force"):
        write_stylesheet(tmp_path)
    assert first.read_text(encoding="utf-8") == "body { color: red }"
    assert write_stylesheet(tmp_path, force=True).read_text(encoding="utf-8") == report_stylesheet()


def test_the_shared_file_is_written_once_and_replaced_only_if_different(tmp_path):
    first = write_plotlyjs(tmp_path)
    stamp = first.stat().st_mtime_ns
    assert write_plotlyjs(tmp_path).stat().st_mtime_ns == stamp
    first.write_text("stale", encoding="utf-8")
    assert write_plotlyjs(tmp_path).read_text(encoding="utf-8") == plotlyjs_bundle()


def _small_map(name: str, n: int) -> NetworkMap:
    ids = [f"{name}{k}" for k in range(n)]
    elements = pd.DataFrame({"ID": ids, "Label": [f"{name.title()} group {k}" for k in range(n)],
                             "Type": ["Charity" if k % 3 else "Network" for k in range(n)]})
    # a ring, and a chord from every third element to the one three further on
    ties = pd.DataFrame({"From": ids + ids[::3], "To": ids[1:] + ids[:1] + [ids[(k + 3) % n] for k in range(0, n, 3)]})
    return NetworkMap(elements, ties, metadata={"name": name.title()})


@pytest.fixture(scope="module")
def batch_folders(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("batch")
    maps = root / "maps"
    maps.mkdir()
    for name, n in (("first", 9), ("second", 12)):
        write_map(_small_map(name, n), maps / f"{name}.json")
    made = []
    for out, extra in ((root / "shared", []), (root / "alone", ["--self-contained"])):
        res = subprocess.run([sys.executable, "-m", "cop_toolkit.reports.cli", "--batch", str(maps), "-o", str(out), "-q",
                              *extra], capture_output=True, text=True, timeout=600, check=False)
        assert res.returncode == 0, res.stderr
        made.append(out)
    return made[0], made[1]


@pytest.mark.slow
def test_a_batch_folder_holds_one_plotly_js_and_one_stylesheet_that_every_page_refers_to(batch_folders):
    shared, _ = batch_folders
    assert (shared / PLOTLYJS_FILE).read_text(encoding="utf-8") == plotlyjs_bundle()
    assert (shared / STYLESHEET_FILE).read_text(encoding="utf-8") == report_stylesheet()
    for page in ("first.html", "second.html"):
        text = (shared / page).read_text(encoding="utf-8")
        assert SHARED_SCRIPT.search(text) and not BUNDLE_MARK.search(text)
        assert SHARED_STYLES.search(text) and "<style" not in text.split("</head>")[0]
        assert "data-cop-figure" in text


@pytest.mark.slow
def test_self_contained_batch_pages_each_carry_plotly_js(batch_folders):
    shared, alone = batch_folders
    assert not (alone / PLOTLYJS_FILE).exists() and not (alone / STYLESHEET_FILE).exists()
    for page in ("first.html", "second.html"):
        text = (alone / page).read_text(encoding="utf-8")
        assert BUNDLE_MARK.search(text) and not SHARED_SCRIPT.search(text)
        assert ".jp-Notebook" in text and not SHARED_STYLES.search(text)
    shared_bytes, alone_bytes = (sum(p.stat().st_size for p in folder.iterdir()) for folder in (shared, alone))
    assert shared_bytes < alone_bytes - 4_000_000


@browser
@pytest.mark.slow
def test_a_shared_page_draws_its_figures_from_file_with_the_network_blocked(batch_folders):
    shared, _ = batch_folders
    page = render(shared / "first.html")
    assert page.figures >= 1, page.console_errors
    assert page.requests == []


@browser
def test_chromium_finds_every_trace_type_used_in_the_shared_file(tmp_path):
    write_plotlyjs(tmp_path)
    used = sorted(trace_types_used())
    probe = tmp_path / "probe.html"
    probe.write_text(
        f'<!doctype html><html><head><script src="{PLOTLYJS_FILE}"></script></head><body><script>'
        f"var known = Object.keys(Plotly.PlotSchema.get().traces);"
        f"document.title = JSON.stringify({json.dumps(used)}.filter(function (t) {{ return known.indexOf(t) < 0; }}));"
        f"</script></body></html>", encoding="utf-8")
    assert render(probe).title == "[]"


def test_self_contained_reaches_the_batch_from_the_command_line(monkeypatch, tmp_path):
    seen = {}

    def fake_run_batch(sources, outdir, **kwargs):
        seen.update(kwargs)
        return [batch.BatchResult(name, src, None) for name, src in sources.items()]

    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    (tmp_path / "one.json").write_text("{}", encoding="utf-8")
    assert report_main(["--batch", str(tmp_path), "-o", str(tmp_path / "out"), "-q", "--self-contained"]) == 0
    assert seen["self_contained"] is True
    report_main(["--batch", str(tmp_path), "-o", str(tmp_path / "out"), "-q"])
    assert seen["self_contained"] is False


#: elements of a report page whose look the shared stylesheet must keep
LOOKED_AT = ["body", "main", ".jp-Cell", ".jp-OutputArea-output", "h1", "h2", "p", ".cop-headline", "table.cop-table",
             "table.cop-table th", "table.cop-table td", ".cop-caption", "details.cop-figure-data summary"]
#: the computed styles compared (not sizes: those follow the content, which is the same)
STYLE_PROPERTIES = ["font-family", "font-size", "font-weight", "font-style", "line-height", "color", "background-color",
                    "margin-top", "margin-right", "margin-bottom", "margin-left", "padding-top", "padding-right",
                    "padding-bottom", "padding-left", "border-left-width", "border-left-color", "border-bottom-style",
                    "border-bottom-color", "border-collapse", "max-width", "display", "position", "text-align",
                    "overflow-x", "cursor"]


def _looks(page_file: Path) -> tuple[dict, list[str]]:
    """The computed styles of the first element of each of LOOKED_AT, and the requests refused, in Chromium."""
    with launch_chromium() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        refused = block_the_network(page)
        page.goto(page_file.as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_function("() => document.querySelector('.main-svg')", timeout=120_000)
        styles = page.evaluate("""([selectors, properties]) => Object.fromEntries(selectors.map(s => {
            const el = document.querySelector(s);
            if (!el) { return [s, null]; }
            const cs = getComputedStyle(el);
            return [s, Object.fromEntries(properties.map(p => [p, cs.getPropertyValue(p)]))];
        }))""", [LOOKED_AT, STYLE_PROPERTIES])
    return styles, refused


@browser
@pytest.mark.slow
def test_a_page_sharing_the_stylesheet_looks_as_the_self_contained_page_does_with_the_network_blocked(batch_folders):
    shared, alone = batch_folders
    shared_looks, shared_refused = _looks(shared / "first.html")
    alone_looks, alone_refused = _looks(alone / "first.html")
    assert shared_refused == [] and alone_refused == []
    found = [s for s, style in alone_looks.items() if style is not None]
    assert {"h1", ".cop-headline", "table.cop-table th"} <= set(found), found
    assert shared_looks == alone_looks
    # the styles came from the stylesheet: JupyterLab's font and the report's headline box, not the browser's
    assert shared_looks["h1"]["font-family"].startswith("system-ui")
    assert shared_looks[".cop-headline"]["background-color"] == "rgb(242, 246, 251)"
