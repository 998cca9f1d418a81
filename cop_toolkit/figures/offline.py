"""Figures that survive papermill, nbconvert and a laptop with no internet.

plotly's default renderer in plotly 7 (``plotly_mimetype``) vanishes when an
executed notebook is converted to HTML, and ``notebook_connected`` loads
plotly.js from the internet. :func:`use_offline_renderer` picks a renderer
that embeds plotly.js once per notebook; :func:`figures_to_html` writes a
single self-contained page.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cop_toolkit.core.files import atomic_write_text
from cop_toolkit.figures.html import Markup, render
from cop_toolkit.figures.style import use_template

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

__all__ = [
    "OFFLINE_RENDERER",
    "REPORT_RENDERER",
    "REPORT_MODE_VARIABLE",
    "use_offline_renderer",
    "use_report_renderer",
    "in_report_mode",
    "report_html",
    "REPORT_CONFIG",
    "figure_placeholder",
    "script_json",
    "figures_to_html",
    "PLOTLYJS_FILE",
    "plotlyjs_bundle",
    "write_plotlyjs",
]

#: Set (to "1") in the report kernel's environment, so the template draws its
#: figures for the page (see :func:`cop_toolkit.figures.offline.use_report_renderer`).
REPORT_MODE_VARIABLE = "COP_TOOLKIT_REPORT"

#: The renderer that draws in JupyterLab and in nbconvert's HTML, with plotly.js embedded.
OFFLINE_RENDERER = "plotly_mimetype+cop_notebook"

#: How report notebooks run by ``cop-report`` show figures: HTML only, no plotly.js (see :func:`report_html`).
REPORT_RENDERER = "cop_report"


#: plotly's notebook renderer always adds this MathJax script from a CDN to every figure.
_REMOTE_MATHJAX = re.compile(r"<script\b[^>]*\bsrc=[\"'][^\"']*mathjax[^\"']*[\"'][^>]*>\s*</script>", re.IGNORECASE)


def _offline_notebook_renderer() -> Any:
    """plotly's notebook renderer with plotly.js embedded and no MathJax fetched from a CDN."""
    from plotly.io.base_renderers import NotebookRenderer  # deferred: heavy

    class OfflineNotebookRenderer(NotebookRenderer):
        def to_mimebundle(self, fig_dict: dict) -> dict:
            bundle = super().to_mimebundle(fig_dict)
            bundle["text/html"] = _REMOTE_MATHJAX.sub("", bundle["text/html"])
            return bundle

    return OfflineNotebookRenderer(connected=False)


def use_offline_renderer() -> str:
    """Make notebook figures draw in JupyterLab, after papermill and in offline HTML.

    Sets ``plotly.io.renderers.default`` to ``"plotly_mimetype+cop_notebook"``:
    JupyterLab uses the first part; nbconvert's HTML uses the second, plotly's
    notebook renderer, which embeds plotly.js in the notebook once (never from
    a CDN) and here also leaves out the MathJax script plotly would otherwise
    fetch from a CDN for every figure. Returns the renderer's name.

    Examples
    --------
    >>> import plotly.io as pio
    >>> before = pio.renderers.default
    >>> use_offline_renderer()
    'plotly_mimetype+cop_notebook'
    >>> pio.renderers.default = before
    """
    import plotly.io as pio  # deferred: heavy

    if "cop_notebook" not in pio.renderers:
        pio.renderers["cop_notebook"] = _offline_notebook_renderer()
    pio.renderers.default = OFFLINE_RENDERER
    return OFFLINE_RENDERER


#: plotly.js settings for every figure in a report page.
REPORT_CONFIG = {"displaylogo": False, "responsive": True}


def in_report_mode() -> bool:
    """Whether this process runs a report under ``cop-report`` (``COP_TOOLKIT_REPORT=1``).

    Examples
    --------
    >>> import os
    >>> in_report_mode() == (os.environ.get("COP_TOOLKIT_REPORT") == "1")
    True
    """
    return os.environ.get(REPORT_MODE_VARIABLE) == "1"


def report_html(fig: go.Figure) -> str:
    """A figure as the report page wants it: an empty box and its data (see :func:`figure_placeholder`).

    plotly.js and the code that draws the figure are left out: the report
    page embeds plotly.js once in its head and draws the figures on view, the
    ones on screen first and the rest one by one just after (see
    ``cop_toolkit/templates/cop_report``), so a long report opens at once.
    Leaving them out also keeps the executed notebook small, which papermill
    saves and nbconvert reads.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> report_html(go.Figure(go.Bar(x=[1], y=[2]))).startswith('<div id="cop-figure-')
    True
    """
    return figure_placeholder(fig.to_plotly_json(), REPORT_CONFIG)


def _display_in_report(fig: go.Figure) -> None:
    from IPython.display import publish_display_data  # deferred: heavy

    publish_display_data({"text/html": report_html(fig)})


def figure_placeholder(fig_dict: dict, config: dict | None = None) -> str:
    """HTML for a figure drawn later by the report page: an empty box and the figure as JSON.

    The JSON sits in a ``<script type="application/json">`` element, which the
    browser never runs, written by :func:`script_json` so no text in a label
    can close the element.

    Examples
    --------
    >>> html = figure_placeholder({"data": [{"type": "bar", "name": "</script><b>"}], "layout": {}})
    >>> "</script><b>" in html, html.count("</script>")
    (False, 1)
    """
    from plotly.utils import PlotlyJSONEncoder  # deferred: heavy

    box = f"cop-figure-{uuid.uuid4().hex[:12]}"
    layout = fig_dict.get("layout", {}) or {}
    height = layout.get("height") or 525
    # plotly's own JSON (what plotly.io.to_json writes, without its escapes: \u003c for each <,
    # \u002f for each /, which made a network picture's hover text three times its size)
    spec = json.dumps({"data": fig_dict.get("data", []), "layout": layout, "config": config or {}},
                      cls=PlotlyJSONEncoder, separators=(",", ":"), ensure_ascii=False)
    return render("placeholder.html.j2", box=box, height=int(height), spec=script_json(spec))


def script_json(spec: str) -> Markup:
    """JSON text that can sit in a ``<script type="application/json">`` element: no ``</`` or ``<!`` left.

    Only those two can end the element or change how the browser reads it
    (``</script>``, ``<!--``); they are written ``<\\/`` and ``\\u003c!``, which
    JSON reads back as the same characters. Every other ``<``, ``>`` and ``&``
    stays as it is: a browser takes a script's text as it is written, and a
    figure's HTML hover text stays small (``<br>`` is 4 characters, not 14).

    Examples
    --------
    >>> print(script_json('{"label": "</script><!-- <br> &"}'))
    {"label": "<\\/script>\\u003c!-- <br> &"}
    """
    # the JSON can close no element and open no comment: trusted as it is
    return Markup(spec.replace("</", "<\\/").replace("<!", "\\u003c!"))


def use_report_renderer() -> str:
    """Choose how a report notebook shows its figures; return the name of the choice.

    Under ``cop-report`` (:func:`in_report_mode`) every figure the notebook
    shows is written once, by :func:`report_html`, for the report page to
    draw; this goes through IPython's display hook for plotly figures rather
    than a plotly renderer, so the report kernel never loads plotly's
    renderers (and nbformat with them). Opened by hand in JupyterLab, the
    same notebook draws its figures like any lesson (:func:`use_offline_renderer`).

    Examples
    --------
    >>> import os, plotly.io as pio
    >>> before, template = pio.renderers.default, pio.templates.default
    >>> os.environ["COP_TOOLKIT_REPORT"] = "1"
    >>> use_report_renderer()
    'cop_report'
    >>> del os.environ["COP_TOOLKIT_REPORT"]
    >>> use_report_renderer()
    'plotly_mimetype+cop_notebook'
    >>> pio.renderers.default, pio.templates.default = before, template
    """
    if not in_report_mode():
        return use_offline_renderer()
    import plotly.io as pio  # deferred: heavy
    from IPython import get_ipython  # deferred: heavy

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.ipython_display_formatter.for_type_by_name(
            "plotly.basedatatypes", "BaseFigure", _display_in_report
        )
    pio.templates.default = use_template()  # the report kernel draws nothing else; see style.base_layout
    return REPORT_RENDERER


def figures_to_html(
    figs: Iterable[go.Figure] | go.Figure,
    path: str | Path,
    title: str = "Figures",
    *,
    captions: Iterable[str] | None = None,
) -> Path:
    """Write figures to ONE self-contained HTML page (plotly.js inline, once).

    The page needs no internet: open it from a USB stick or attach it to an
    e-mail. Captions (plain text, escaped) go above each figure.

    Examples
    --------
    >>> import tempfile, plotly.graph_objects as go
    >>> from pathlib import Path
    >>> out = figures_to_html([go.Figure(go.Bar(x=[1], y=[2]))], Path(tempfile.mkdtemp()) / "f.html")
    >>> text = out.read_text(encoding="utf-8")
    >>> text.count('<script src='), text.count('class="plotly-graph-div"')
    (0, 1)
    """
    import plotly.io as pio  # deferred: heavy

    if hasattr(figs, "to_plotly_json"):
        figs = [figs]  # type: ignore[list-item]
    figs = list(figs)  # type: ignore[arg-type]
    caps = list(captions) if captions is not None else []
    shown = [
        {
            "caption": caps[k] if k < len(caps) else "",
            "div": Markup(pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=f"figure-{k + 1}",
                                      config={"displaylogo": False, "responsive": True})),
        }
        for k, fig in enumerate(figs)
    ]
    page = render("page.html.j2", title=title, plotlyjs=Markup(plotlyjs_bundle()), figures=shown)
    return atomic_write_text(Path(path), page)


#: The file name of the one plotly.js that a folder of report pages shares (see :func:`write_plotlyjs`).
PLOTLYJS_FILE = "plotly.min.js"


def plotlyjs_bundle() -> str:
    """The plotly.js that pages embed or share: plotly's full minified bundle (about 4.6 MB).

    It is the smallest bundle that draws every trace type the figures use
    (``bar``, ``scatter`` and, for maps of 2,000 elements or more,
    ``scattergl``): plotly's partial bundles have either ``bar`` (basic,
    cartesian) or ``scattergl`` (gl2d), never both, and the Python package
    ships only the full one.

    Examples
    --------
    >>> plotlyjs_bundle().lstrip().startswith("/**")
    True
    """
    from plotly.offline import get_plotlyjs  # deferred: heavy

    return get_plotlyjs()


def write_plotlyjs(folder: str | Path) -> Path:
    """Write :data:`PLOTLYJS_FILE` into ``folder`` for the pages there to share; return its path.

    Written once: a file already there with the same contents is left as it
    is (several reports of a batch may ask at the same time; each write is
    atomic, so a page never sees half a file).

    Examples
    --------
    >>> import tempfile
    >>> first = write_plotlyjs(tempfile.mkdtemp())
    >>> first.name, write_plotlyjs(first.parent).stat().st_mtime_ns == first.stat().st_mtime_ns
    ('plotly.min.js', True)
    """
    path = Path(folder) / PLOTLYJS_FILE
    text = plotlyjs_bundle()
    try:
        if path.stat().st_size == len(text.encode("utf-8")) and path.read_text(encoding="utf-8") == text:
            return path
    except OSError:
        pass
    return atomic_write_text(path, text)
