"""How nbconvert makes a report page, and the stylesheet a folder of pages shares.

A report page is an executed notebook turned into HTML by nbconvert with the
``cop_report`` template (``templates/cop_report``; :func:`report_exporter`).
Most of a small page is not the report but what every page carries: plotly.js
(see :func:`cop_toolkit.figures.offline.write_plotlyjs`) and the stylesheets
in its head, JupyterLab's above all (about 0.25 MB). Pages in one folder (a
batch, a split map, the lessons) share both, written once beside them
(:func:`write_shared_files`); a single report keeps everything in its one file.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_text
from cop_toolkit.figures.offline import write_plotlyjs

__all__ = ["STYLESHEET_FILE", "failure_shown", "report_exporter", "report_stylesheet", "write_shared_files", "write_stylesheet"]

#: The file name of the stylesheet that a folder of report pages shares (see :func:`write_stylesheet`).
STYLESHEET_FILE = "cop-report.css"
#: The first lines of that file: how cop_toolkit knows it wrote it.
_STYLESHEET_HEAD = ('@charset "UTF-8";\n/* cop_toolkit report stylesheet: the styles of the report pages beside it'
                    ' (the report\'s own and JupyterLab\'s), shared by them all. */\n')
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def report_exporter(*, stylesheet_beside: bool = False, **options: Any) -> Any:
    """nbconvert's HTML exporter with the report template (``templates/cop_report``).

    ``stylesheet_beside`` leaves out the code-highlighting styles nbconvert
    puts in every head: a page linking :func:`report_stylesheet` has them
    there. ``options`` go to ``HTMLExporter`` (such as ``exclude_input=True``).

    Examples
    --------
    >>> report_exporter().template_name
    'cop_report'
    """
    from nbconvert import HTMLExporter  # deferred: heavy
    from traitlets.config import Config  # deferred: heavy

    config = Config({"CSSHTMLHeaderPreprocessor": {"enabled": False}}) if stylesheet_beside else Config()
    return HTMLExporter(template_name="cop_report", config=config,
                        extra_template_basedirs=[str(Path(__file__).parent / "templates")], **options)


@cache
def report_stylesheet() -> str:
    """The stylesheet shared by a folder of pages: every style the head of a report page carries, in order.

    It is made from the page of an empty notebook, so it is exactly what a
    self-contained page holds (the report's own styles, then JupyterLab's),
    headed by a mark that says cop_toolkit wrote it.

    Examples
    --------
    >>> css = report_stylesheet()
    >>> css.startswith('@charset "UTF-8";'), ".jp-Notebook" in css, ".cop-headline" in css, "<" in css
    (True, True, True, False)
    """
    import nbformat  # deferred: heavy

    page, _ = report_exporter().from_notebook_node(nbformat.v4.new_notebook(), resources={})
    head = page.split("</head>", 1)[0]
    return _STYLESHEET_HEAD + "\n".join(style.strip("\n") for style in _STYLE.findall(head)) + "\n"


def write_stylesheet(folder: str | Path, *, force: bool = False) -> Path:
    """Write :data:`STYLESHEET_FILE` into ``folder`` for the pages there to share; return its path.

    Written once: a file there with the same contents is left as it is (each
    write is atomic, so a page never sees half a file). A file of that name
    that cop_toolkit did not write is refused unless ``force``.

    Examples
    --------
    >>> import tempfile
    >>> first = write_stylesheet(tempfile.mkdtemp())
    >>> first.name, write_stylesheet(first.parent).stat().st_mtime_ns == first.stat().st_mtime_ns
    ('cop-report.css', True)
    >>> _ = first.write_text("body { color: red }", encoding="utf-8")
    >>> write_stylesheet(first.parent)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: '.../cop-report.css' was not written by cop_toolkit, so it is not replaced. How to fix: ...
    """
    path = Path(folder) / STYLESHEET_FILE
    text = report_stylesheet()
    try:
        there = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        there = None
    except OSError:
        there = ""
    if there == text:
        return path
    if there is not None and not force and not there.startswith(_STYLESHEET_HEAD):
        raise MapError(f"'{path}' was not written by cop_toolkit, so it is not replaced",
                       fix="write the pages to another folder, or add --force to replace it")
    return atomic_write_text(path, text)


def write_shared_files(folder: str | Path, *, force: bool = False) -> None:
    """Write what the pages of ``folder`` share: plotly.js and the stylesheet (see above).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_shared_files(folder)
    >>> sorted(p.name for p in folder.iterdir())
    ['cop-report.css', 'plotly.min.js']
    """
    write_stylesheet(folder, force=force)  # first: the one that may be refused
    write_plotlyjs(folder)


def failure_shown(error: str, public: bool) -> str:
    """What a folder's index page says about a page that was not made.

    On a public folder the reason is left out, failing closed: a reason can
    quote a name typed in the map (a private element's, a person's). It was
    shown in full where the pages were made.

    Examples
    --------
    >>> failure_shown("row 4: 'Jane Doe' is not on the map", public=False)
    "row 4: 'Jane Doe' is not on the map"
    >>> "Jane" in failure_shown("row 4: 'Jane Doe' is not on the map", public=True)
    False
    """
    if not public:
        return error
    return ("the reason is left out of this public page, as it may quote a private entry; "
            "it was shown where the pages were made")
