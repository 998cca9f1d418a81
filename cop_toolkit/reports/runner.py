"""Repeatable reports: run the report notebook on any map and turn it into one HTML file.

:func:`report` checks the map and the request first (so a user mistake gives
one clear message before anything slow starts), executes the parameterised
template ``notebooks/reports/network_report.ipynb`` with papermill, keeps the
executed notebook beside the output for reproducibility, and converts it with
nbconvert into one self-contained HTML page without code cells: plotly.js
embedded once, no script or style fetched from the internet.

Under ``cop-report`` the notebook's figures are written once each, as data
the page draws (on screen first, the rest just after), so a long report
opens at once; on a machine with two or more cores, some sections are worked
out in a second process meanwhile (:func:`cop_toolkit.reports.story.work_ahead`). The
kept notebook is for re-running: opened and run in JupyterLab, the same
template works everything out in order and draws its figures as any lesson does.

Parameters reach papermill only by names the template declares in its
``parameters`` cell, and only if they are Python identifiers (papermill
writes names into code unescaped). Values are passed as Python objects, so
strings stay strings.
"""

from __future__ import annotations

import html
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_text
from cop_toolkit.figures.offline import REPORT_MODE_VARIABLE

__all__ = [
    "report",
    "template_path",
    "template_parameters",
    "check_parameters",
    "notebook_to_html",
    "execute_notebook",
    "resolve_input",
    "input_location",
    "DEFAULT_TEMPLATE",
    "skip_slow_iri_checker",
]

DEFAULT_TEMPLATE = "network_report.ipynb"

#: Set to "0" in the report kernel's environment when the report must not start a
#: second process for some of its sections (see :func:`cop_toolkit.reports.story.work_ahead`):
#: batches already run one report per core.
SECOND_PROCESS_VARIABLE = "COP_TOOLKIT_SECOND_PROCESS"
KERNEL_NAME = "cop-toolkit-report"


def template_path(name: str = DEFAULT_TEMPLATE) -> Path:
    """Return the path of a bundled report template.

    Examples
    --------
    >>> template_path().name
    'network_report.ipynb'
    """
    path = Path(str(resources.files("cop_toolkit.report_notebooks").joinpath(name)))
    if not path.exists():
        raise MapError(f"there is no report template called '{name}'", fix="use network_report.ipynb")
    return path


def template_parameters(template: str | Path | None = None) -> dict[str, Any]:
    """Return the parameters a report template declares, with their defaults.

    Examples
    --------
    >>> params = template_parameters()
    >>> "input_path" in params and "public" in params
    True
    """
    import nbformat  # deferred: heavy

    path = Path(template) if template else template_path()
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            namespace: dict[str, Any] = {}
            exec(compile(cell.source, str(path), "exec"), {}, namespace)  # the template is ours
            return {k: v for k, v in namespace.items() if not k.startswith("_")}
    raise MapError(
        f"the report template {path.name} has no cell tagged 'parameters'",
        fix="tag the first code cell of the template with 'parameters'",
    )


def check_parameters(parameters: dict[str, Any], declared: Iterable[str]) -> dict[str, Any]:
    """Refuse parameter names that are not identifiers declared by the template.

    Examples
    --------
    >>> check_parameters({"title": "x"}, ["title"])
    {'title': 'x'}
    >>> check_parameters({"x=1;import os": 1}, ["title"])
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: 'x=1;import os' is not a parameter of this report. How to fix: use one of: title.
    """
    allowed = set(declared)
    for name in parameters:
        if not (isinstance(name, str) and name.isidentifier() and name in allowed):
            raise MapError(
                f"{name!r} is not a parameter of this report",
                fix="use one of: " + ", ".join(sorted(allowed)),
            )
    return dict(parameters)


def input_location(source: str | Path) -> str:
    """Check that a map exists and return how to find it again: a full path or a sample name.

    Examples
    --------
    >>> input_location("owa-2017")
    'owa-2017'
    >>> input_location("no-such-map.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: cannot find the map 'no-such-map.xlsx'. How to fix: give the path of a map file ... or a sample map name: coursework-2019, ...
    """
    from cop_toolkit.io import datasets  # deferred: heavy (pandas)

    text = str(source)
    path = Path(text).expanduser()
    if path.exists():
        return str(path.resolve())
    if text in datasets.names():
        return text
    raise MapError(
        f"cannot find the map '{text}'",
        fix="give the path of a map file (.xlsx, .csv, .json, .graphml, .gexf) or a sample map name: "
        + ", ".join(datasets.names()),
    )


def resolve_input(source: str | Path) -> tuple[str, Any]:
    """Read a map named by a path or a bundled dataset name; return (how to find it again, map).

    Examples
    --------
    >>> where, m = resolve_input("owa-2017")
    >>> where, len(m) > 100
    ('owa-2017', True)
    """
    from cop_toolkit.io import datasets, read_map  # deferred: heavy (pandas)

    where = input_location(source)
    return where, (read_map(where) if Path(where).is_absolute() else datasets.load(where))


#: Python run at report-kernel start: skip the slow IRI checker (see
#: :func:`skip_slow_iri_checker`), and end the kernel without tearing Python
#: down when papermill shuts it: everything the report made has been sent by
#: then, and tearing down pandas, plotly and the map took ~0.5 s a report.
_FAST_START = "import sys; sys.modules.setdefault('rfc3987_syntax', None); __import__('atexit').register(__import__('os')._exit, 0)"


def skip_slow_iri_checker() -> None:
    """Make this process skip importing ``rfc3987_syntax`` (about 3 s of import time).

    jsonschema imports it, when installed, only to check the ``iri`` string
    format, which no notebook schema uses; building its grammar costs ~3 s
    every time papermill or nbconvert starts. The report command and the
    report kernel call this first; nothing else in the process changes.

    Examples
    --------
    >>> skip_slow_iri_checker()
    >>> "rfc3987_syntax" in sys.modules
    True
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _kernel_spec(second_process: bool = True) -> dict[str, Any]:
    """A kernelspec that runs *this* Python (so the report sees the same cop_toolkit) in report mode.

    The report settings travel in the spec's ``env``: the kernel starts with
    them, and this process's environment is left as it was.

    Examples
    --------
    >>> _kernel_spec(second_process=False)["env"][SECOND_PROCESS_VARIABLE]
    '0'
    """
    return {
        "argv": [
            sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
            "--IPKernelApp.log_level=ERROR", f"--IPKernelApp.exec_lines={_FAST_START}",
        ],
        "display_name": "cop_toolkit report",
        "language": "python",
        "env": {
            REPORT_MODE_VARIABLE: "1",  # the template draws figures with the report renderer
            SECOND_PROCESS_VARIABLE: "1" if second_process else "0",
        },
    }


def _kernel_manager_class(workdir: Path, second_process: bool = True) -> type:
    """A kernel manager that finds the report kernel in ``workdir`` (no ``JUPYTER_PATH`` needed)."""
    from jupyter_client.kernelspec import KernelSpecManager  # deferred: heavy
    from jupyter_client.manager import KernelManager  # deferred: heavy
    from traitlets import default  # deferred: heavy

    kernels = workdir / "kernels"
    spec_dir = kernels / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps(_kernel_spec(second_process)), encoding="utf-8")

    class ReportKernelManager(KernelManager):
        @default("kernel_spec_manager")
        def _report_kernel_specs(self) -> KernelSpecManager:
            return KernelSpecManager(kernel_dirs=[str(kernels)])

    return ReportKernelManager


def notebook_to_html(
    notebook: str | Path, output: str | Path, *, title: str | None = None, title_suffix: str = ""
) -> Path:
    """Convert an executed notebook into one offline HTML page without code cells.

    The page's title is ``title``, else the report's own first heading, else
    the notebook's file name, followed by ``title_suffix``. The page is
    written atomically (temporary file, then rename).

    Examples
    --------
    >>> notebook_to_html("reports/owa-2017.ipynb", "/tmp/owa.html")  # doctest: +SKIP
    PosixPath('/tmp/owa.html')
    """
    import nbformat  # deferred: heavy
    from nbconvert import HTMLExporter  # deferred: heavy

    nb = nbformat.read(str(notebook), as_version=4)
    nb.metadata.pop("widgets", None)
    nb.metadata["title"] = (title or _report_title(nb) or Path(notebook).stem) + title_suffix
    exporter = HTMLExporter(
        template_name="cop_report",
        extra_template_basedirs=[str(Path(__file__).parent / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"cop_plotlyjs": _plotlyjs_needed(nb)})
    return atomic_write_text(Path(output), body)


def _html_outputs(nb: Any) -> Iterable[str]:
    """The HTML of every output of a notebook, in order."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/html", "")
            yield "".join(text) if isinstance(text, list) else text


def _report_title(nb: Any) -> str:
    """The title the report gave itself (its first heading), as plain text; "" if none."""
    for text in _html_outputs(nb):
        found = re.search(r"<h1>(.*?)</h1>", text, re.DOTALL)
        if found:
            return html.unescape(found.group(1))
    return ""


def _plotlyjs_needed(nb: Any) -> str:
    """plotly.js, if the notebook draws figures without carrying plotly.js itself; else "".

    Report notebooks show their figures with
    :func:`cop_toolkit.figures.offline.report_html`, which leaves plotly.js out
    of every figure so the page can embed it once, in its head.
    """
    # raw <script> elements only: text from the map is escaped, so no label can fake one
    draw = re.compile(r"<script\b[^>]*\bdata-cop-figure=|<script\b[^>]*>[^<]*Plotly\.newPlot")
    carry = re.compile(r"<script\b[^>]*>\s*/\*\*\s*\*\s*plotly\.js v")
    draws = carries = False
    for text in _html_outputs(nb):
        draws = draws or bool(draw.search(text))
        carries = carries or bool(carry.search(text))
    if not draws or carries:
        return ""
    from plotly.offline import get_plotlyjs  # deferred: heavy

    return get_plotlyjs()


def execute_notebook(
    notebook: str | Path,
    output: str | Path,
    parameters: dict[str, Any] | None = None,
    *,
    timeout: int = 600,
    second_process: bool = True,
) -> Path:
    """Run a notebook with papermill in the report kernel and keep the executed copy at ``output``.

    The kernel runs this Python (so it sees the same cop_toolkit) in report
    mode (``COP_TOOLKIT_REPORT=1``: figures are written for the report page).
    The notebook runs in a temporary folder and is saved once, at the end
    (written atomically), not after every cell as papermill does by default.
    ``second_process=False`` keeps the report to one process (see
    :func:`cop_toolkit.reports.story.work_ahead`). An error in the notebook comes back
    as a one-line :class:`MapError`.

    Examples
    --------
    >>> execute_notebook(template_path(), "/tmp/owa.ipynb", {"input_path": "owa-2017"})  # doctest: +SKIP
    PosixPath('/tmp/owa.ipynb')
    """
    import papermill  # deferred: heavy

    with tempfile.TemporaryDirectory(prefix="cop-report-") as tmp:
        tmp_nb = Path(tmp) / "executed.ipynb"
        try:
            papermill.execute_notebook(
                str(notebook),
                str(tmp_nb),
                parameters=parameters or None,
                kernel_name=KERNEL_NAME,
                kernel_manager_class=_kernel_manager_class(Path(tmp), second_process),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,  # nobody watches it: one save at the end
                execution_timeout=timeout,
                cwd=tmp,
            )
        except papermill.PapermillExecutionError as exc:
            if exc.ename in ("MapError", "UnknownElementError"):
                raise MapError(str(exc.evalue)) from exc
            raise MapError(
                f"the report could not be made: {exc.ename}: {exc.evalue}",
                fix="check the map with cop_toolkit.read_map, or report this problem with the map attached",
            ) from exc
        return atomic_write_text(Path(output), tmp_nb.read_text(encoding="utf-8"))


def report(
    source: str | Path,
    *,
    output: str | Path | None = None,
    previous: str | Path | None = None,
    title: str | None = None,
    elements: Sequence[str] = (),
    remove: Sequence[str] = (),
    public: bool = False,
    parameters: dict[str, Any] | None = None,
    template: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    timeout: int = 600,
    second_process: bool = True,
) -> Path:
    """Build the HTML report of a map and return the path of the page.

    Parameters
    ----------
    source : a map file or folder, or a bundled sample name such as ``"owa-2017"``.
    output : the HTML file to write (default: ``reports/<name>.html``). The
        executed notebook is kept beside it (same name, ``.ipynb``).
    previous : an earlier snapshot of the same map, to report what changed.
    title : the report's title (default: the map's name).
    elements : elements to look at closely (IDs or labels; the template's
        ``focus`` parameter, ``--focus`` on the command line).
    remove : elements to take out in the "what if" section (default: the top hub).
    public : leave out private elements and fields, and people without consent.
    parameters : further template parameters (names must be declared by the template).
    progress : called with a short message at each step (the command line prints them).
    second_process : on a machine with two or more cores, work out some sections in a
        second process meanwhile (off in batches, which run one report per core).

    Examples
    --------
    >>> report("owa-2017", output="/tmp/owa.html")   # doctest: +SKIP
    PosixPath('/tmp/owa.html')
    """
    say = progress or (lambda message: None)
    say("Checking the request")
    where = input_location(source)
    prev_where = input_location(previous) if previous else ""
    if elements or remove:
        # Check names now so a typo fails in a second with close matches, not after a kernel start.
        _, m = resolve_input(where)
        checked = m.public() if public else m
        checked.resolve_many(list(elements))
        checked.resolve_many(list(remove))
    # Otherwise the map is read once, by the report itself: a problem in the file
    # comes back from the kernel as the same one-line MapError.

    template_file = Path(template) if template else template_path()
    declared = template_parameters(template_file)
    values = {
        "input_path": where,
        "previous_path": prev_where,
        "title": title or "",
        "focus": [str(x) for x in elements],
        "remove": [str(x) for x in remove],
        "public": bool(public),
    }
    values.update(parameters or {})
    values = check_parameters({k: v for k, v in values.items() if k in declared or k in (parameters or {})}, declared)

    if output is None:
        stem = Path(where).stem if Path(where).exists() else where
        output = Path("reports") / f"{stem}{'-public' if public else ''}.html"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    executed = output.with_suffix(".ipynb")

    say("Running the analysis (this takes a few seconds)")
    execute_notebook(template_file, executed, values, timeout=timeout, second_process=second_process)
    say("Writing the HTML page")
    notebook_to_html(executed, output, title=title, title_suffix=" (public version)" if public and not title else "")
    say(f"Report written to {output}")
    return output
