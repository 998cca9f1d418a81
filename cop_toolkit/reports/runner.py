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

import contextlib
import hashlib
import html
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from cop_toolkit.analysis.engine import WORKERS_VARIABLE
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_files, atomic_write_text, check_folder
from cop_toolkit.figures.offline import PLOTLYJS_FILE, REPORT_MODE_VARIABLE, plotlyjs_bundle
from cop_toolkit.reports.pages import STYLESHEET_FILE, report_exporter, write_shared_files

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
    "check_output",
    "written_by_cop_toolkit",
    "REPORT_BYTES",
    "public_inputs",
    "read_for_public",
    "require_elements",
    "TABLES_VARIABLE",
    "tables_folder_of",
    "table_targets",
    "written_together",
]

DEFAULT_TEMPLATE = "network_report.ipynb"

#: Set to "0" in the report kernel's environment when the report must not start a
#: second process for some of its sections (see :func:`cop_toolkit.reports.story.work_ahead`):
#: batches already run one report per core.
SECOND_PROCESS_VARIABLE = "COP_TOOLKIT_SECOND_PROCESS"
#: Set in the report kernel's environment to the folder where the report writes the CSV files of its
#: long tables (see :func:`cop_toolkit.reports.story.table_file`); :func:`report` moves them beside the page.
TABLES_VARIABLE = "COP_TOOLKIT_TABLES"
#: The record, in a page's CSV folder, of the files cop_toolkit wrote there (name: SHA-256 of the content).
TABLES_RECORD = "written-by-cop_toolkit.json"
KERNEL_NAME = "cop-toolkit-report"
#: A generous estimate of the space one report (page and kept notebook) needs: checked before the analysis.
REPORT_BYTES = 20 * 2**20
#: The key of a kept report notebook's metadata that says cop_toolkit wrote it.
GENERATOR_KEY = "cop_toolkit"
#: The mark every report page carries in its head (see templates/cop_report/index.html.j2), in either attribute order.
GENERATOR_META = re.compile(r'<meta\b(?=[^>]*\bname="generator")(?=[^>]*\bcontent="cop_toolkit (?:report|lessons)")[^>]*>')


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

    return datasets.locate(source)


def resolve_input(source: str | Path) -> tuple[str, Any]:
    """Read a map named by a path or a bundled dataset name; return (how to find it again, map).

    Examples
    --------
    >>> where, m = resolve_input("owa-2017")
    >>> where, len(m) > 100
    ('owa-2017', True)
    """
    from cop_toolkit.io import datasets  # deferred: heavy (pandas)

    where = input_location(source)
    return where, datasets.open_map(where)


def require_elements(m: Any) -> None:
    """Refuse a map with no elements: a report of nothing would only puzzle (cop-report exits 2).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> require_elements(NetworkMap(pd.DataFrame(columns=["ID", "Label"]), metadata={"source": "/tmp/map.xlsx"}))
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: map.xlsx: the map is empty: it has no elements, so there is nothing to report. How to fix: add one row per organisation, network or person below the column headings, or check you picked the right file.
    """
    if len(m.elements) == 0:
        left = list(m.metadata.get("left_out") or [])
        if left:  # a public version that shows no one
            raise MapError("the public version would show nothing: " + "; ".join(left),
                           fix="record people's agreement (yes) in a Consent column, or make the report without --public")
        source = str(m.metadata.get("source") or "")
        raise MapError("the map is empty: it has no elements, so there is nothing to report",
                       fix="add one row per organisation, network or person below the column headings, "
                       "or check you picked the right file", file=Path(source).name if source else None)


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


def _kernel_spec(second_process: bool = True, tables: str = "") -> dict[str, Any]:
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
            # a batch runs one report per core: the engine then keeps to one process too
            **({} if second_process else {WORKERS_VARIABLE: "1"}),
            **({TABLES_VARIABLE: tables} if tables else {}),
        },
    }


def _kernel_manager_class(workdir: Path, second_process: bool = True, tables: str = "") -> type:
    """A kernel manager that finds the report kernel in ``workdir`` (no ``JUPYTER_PATH`` needed)."""
    from jupyter_client.kernelspec import KernelSpecManager  # deferred: heavy
    from jupyter_client.manager import KernelManager  # deferred: heavy
    from traitlets import default  # deferred: heavy

    kernels = workdir / "kernels"
    spec_dir = kernels / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps(_kernel_spec(second_process, tables)), encoding="utf-8")

    class ReportKernelManager(KernelManager):
        @default("kernel_spec_manager")
        def _report_kernel_specs(self) -> KernelSpecManager:
            return KernelSpecManager(kernel_dirs=[str(kernels)])

    return ReportKernelManager


def notebook_to_html(
    notebook: str | Path, output: str | Path, *, title: str | None = None, title_suffix: str = "",
    plotlyjs_src: str = "", stylesheet_href: str = "",
) -> Path:
    """Convert an executed notebook into one offline HTML page without code cells.

    The page's title is ``title``, else the report's own first heading, else
    the notebook's file name, followed by ``title_suffix``. The page is
    written atomically (temporary file, then rename). plotly.js is embedded
    in the page, or, with ``plotlyjs_src`` (a relative address such as
    ``"plotly.min.js"``), loaded from that file beside it. So are the page's
    styles: in its head, or, with ``stylesheet_href`` (such as
    ``"cop-report.css"``), in that stylesheet (:func:`cop_toolkit.reports.pages.write_stylesheet`).

    Examples
    --------
    >>> notebook_to_html("reports/owa-2017.ipynb", "/tmp/owa.html")  # doctest: +SKIP
    PosixPath('/tmp/owa.html')
    """
    import nbformat  # deferred: heavy

    nb = nbformat.read(str(notebook), as_version=4)
    nb.metadata.pop("widgets", None)
    nb.metadata["title"] = (title or _report_title(nb) or Path(notebook).stem) + title_suffix
    exporter = report_exporter(stylesheet_beside=bool(stylesheet_href), exclude_input=True,
                               exclude_input_prompt=True, exclude_output_prompt=True)
    needed = _draws_without_plotlyjs(nb)
    shared = {"cop_plotlyjs": plotlyjs_bundle() if needed and not plotlyjs_src else "",
              "cop_plotlyjs_src": plotlyjs_src if needed else "", "cop_stylesheet_href": stylesheet_href}
    body, _ = exporter.from_notebook_node(nb, resources=shared)
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


def _draws_without_plotlyjs(nb: Any) -> bool:
    """Whether the notebook draws figures without carrying plotly.js itself (then the page must bring it).

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
    return draws and not carries


def execute_notebook(
    notebook: str | Path,
    output: str | Path,
    parameters: dict[str, Any] | None = None,
    *,
    timeout: int = 600,
    second_process: bool = True,
    files: Sequence[Path] = (),
    tables: Path | None = None,
) -> Path:
    """Run a notebook with papermill in the report kernel and keep the executed copy at ``output``.

    The kernel runs this Python (so it sees the same cop_toolkit) in report
    mode (``COP_TOOLKIT_REPORT=1``: figures are written for the report page).
    The notebook runs in a temporary folder and is saved once, at the end
    (written atomically), not after every cell as papermill does by default.
    ``second_process=False`` keeps the report to one process (see
    :func:`cop_toolkit.reports.story.work_ahead`). ``files`` are copied into
    that folder first, so parameters can name them by file name alone. The
    report writes the CSV files of its long tables in ``tables`` (if given). The
    kept notebook is marked as cop_toolkit's (``metadata['cop_toolkit']``).
    An error in the notebook comes back as a one-line :class:`MapError`.

    Examples
    --------
    >>> execute_notebook(template_path(), "/tmp/owa.ipynb", {"input_path": "owa-2017"})  # doctest: +SKIP
    PosixPath('/tmp/owa.ipynb')
    """
    import papermill  # deferred: heavy

    with tempfile.TemporaryDirectory(prefix="cop-report-") as tmp:
        tmp_nb = Path(tmp) / "executed.ipynb"
        for f in files:
            (Path(tmp) / Path(f).name).write_bytes(Path(f).read_bytes())
        try:
            papermill.execute_notebook(
                str(notebook),
                str(tmp_nb),
                parameters=parameters or None,
                kernel_name=KERNEL_NAME,
                kernel_manager_class=_kernel_manager_class(Path(tmp), second_process, str(tables or "")),
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
        nb = json.loads(tmp_nb.read_text(encoding="utf-8"))
        nb.setdefault("metadata", {})[GENERATOR_KEY] = {"report": True}
        return atomic_write_text(Path(output), json.dumps(nb, ensure_ascii=False, indent=1) + "\n")


def written_by_cop_toolkit(path: str | Path) -> bool:
    """True if ``path`` is a report page, a batch's index page or a kept notebook this toolkit wrote.

    Examples
    --------
    >>> written_by_cop_toolkit("/nonexistent.html")
    False
    """
    path = Path(path)
    if path.suffix.lower() == ".html":
        try:  # the mark sits in the head, after plotly.js when that is embedded
            return GENERATOR_META.search(path.read_text(encoding="utf-8", errors="replace")) is not None
        except OSError:
            return False
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return False
    papermill = meta.get("papermill", {}) if isinstance(meta, dict) else {}
    return GENERATOR_KEY in meta or "input_path" in (papermill.get("parameters") or {})


def check_output(output: str | Path, *, force: bool = False) -> tuple[Path, Path]:
    """Check a report's output path before any work; return (page, kept notebook).

    The page must end in ``.html`` and sit in a folder that can be written
    with room for :data:`REPORT_BYTES`; an existing page or notebook that cop_toolkit did not write is only
    replaced with ``force=True``.

    Examples
    --------
    >>> check_output("/tmp/owa.ipynb")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: the report must be an .html file, not '/tmp/owa.ipynb'. How to fix: write -o NAME.html (the notebook is kept beside it as NAME.ipynb).
    """
    page = Path(output)
    if page.suffix.lower() != ".html":
        raise MapError(f"the report must be an .html file, not '{page}'",
                       fix="write -o NAME.html (the notebook is kept beside it as NAME.ipynb)")
    if page.is_dir():
        raise MapError(f"'{page}' is a folder", fix="give a file name ending in .html, such as report.html")
    check_folder(page.parent, need=REPORT_BYTES)
    kept = page.with_suffix(".ipynb")
    for target in (page, kept):
        if target.is_dir():
            raise MapError(f"'{target}' is a folder", fix="choose another report name")
        if target.exists() and not force and not written_by_cop_toolkit(target):
            raise MapError(f"'{target}' was not written by cop_toolkit, so it is not replaced",
                           fix="choose another report name, or add --force to replace it")
    folder = tables_folder_of(page)
    _refuse_others(folder, sorted(p.name for p in folder.glob("*.csv")), force=force)
    return page, kept


def tables_folder_of(page: str | Path) -> Path:
    """The folder beside a report page holding the CSV files of its long tables: ``NAME_files``.

    Examples
    --------
    >>> tables_folder_of("/tmp/reports/owa.html").as_posix()
    '/tmp/reports/owa_files'
    """
    page = Path(page)
    return page.with_name(f"{page.stem}_files")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _written_tables(folder: Path) -> dict[str, str]:
    """The files in ``folder`` that cop_toolkit wrote, as its record says (name: SHA-256); {} without one."""
    try:
        files = json.loads((folder / TABLES_RECORD).read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def _refuse_others(folder: Path, names: Iterable[str], *, force: bool) -> None:
    """Refuse to replace a file in ``folder`` that cop_toolkit did not write (or that was changed since)."""
    ours = _written_tables(folder)
    for name in names:
        target = folder / name
        if target.exists() and not force and ours.get(name) != _sha256(target):
            raise MapError(f"'{target}' was not written by cop_toolkit, so it is not replaced",
                           fix="choose another report name, or add --force to replace it")


@contextlib.contextmanager
def written_together(page: Path, kept: Path, ran: Path, *, force: bool = False) -> Iterator[tuple[Path, Path]]:
    """Put a report's executed notebook ``ran`` at ``kept``, its CSV files beside ``page``, and its page: all or none.

    Yields (the notebook, where to write the page). A large report
    (:data:`cop_toolkit.reports.story.LARGE_REPORT`) writes every row of
    its long tables as CSV files in the folder ``<page stem>_files`` beside
    ``ran`` (:data:`TABLES_VARIABLE`); they go to :func:`tables_folder_of`
    ``page``, checked by :func:`table_targets`. The page is moved in last.

    Examples
    --------
    >>> with written_together(Path("/tmp/owa.html"), Path("/tmp/owa.ipynb"), Path("/tmp/run.ipynb")) as (nb, page):
    ...     pass  # doctest: +SKIP
    """
    sources, targets = table_targets(page, ran.parent / tables_folder_of(page).name, force=force)
    with atomic_files(kept, *targets, page) as (tmp_nb, *tmp_tables, tmp_page):
        for made, tmp in zip([ran, *sources], [tmp_nb, *tmp_tables]):
            shutil.move(made, tmp)
        yield tmp_nb, tmp_page


def table_targets(page: str | Path, made: Path, *, force: bool = False) -> tuple[list[Path], list[Path]]:
    """The CSV files a report made in ``made``, and where each goes beside ``page``; checked first.

    Returns (files made, their places in :func:`tables_folder_of` ``page``),
    with the folder's record of what cop_toolkit wrote there last (written
    into ``made`` here). A file there that cop_toolkit did not write is
    refused unless ``force``, as the page is (:func:`check_output`), and the
    page's folder must have room for them all. No CSV made: ``([], [])``.

    Examples
    --------
    >>> import tempfile
    >>> table_targets("/tmp/owa.html", Path(tempfile.mkdtemp()))
    ([], [])
    """
    made_files = sorted(made.glob("*.csv")) if made.is_dir() else []
    if not made_files:
        return [], []
    folder = tables_folder_of(page)
    _refuse_others(folder, [f.name for f in made_files], force=force)
    check_folder(Path(page).parent, need=REPORT_BYTES + sum(f.stat().st_size for f in made_files))
    kept = {name: digest for name, digest in _written_tables(folder).items()
            if (folder / name).is_file() and _sha256(folder / name) == digest}
    record = {"generator": "cop_toolkit report", "files": {**kept, **{f.name: _sha256(f) for f in made_files}}}
    (made / TABLES_RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    sources = [*made_files, made / TABLES_RECORD]
    return sources, [folder / f.name for f in sources]


def read_for_public(where: str) -> Any:
    """Read a map for a public report; a read error names nothing from the map (no suggestions).

    Examples
    --------
    >>> len(read_for_public("owa-2017")) > 100
    True
    """
    try:
        return resolve_input(where)[1]
    except MapError as exc:
        raise public_error(exc) from None


def public_error(exc: MapError) -> MapError:
    """The same error without "did you mean" suggestions (they may name hidden entries) or folders.

    Examples
    --------
    >>> public_error(MapError("no such element", fix="did you mean 'Jane Doe'?", file="/home/x/m.xlsx")).message
    'm.xlsx: no such element. How to fix: correct the map file.'
    """
    fix = "correct the map file" if exc.fix and "did you mean" in exc.fix else exc.fix
    return MapError(exc.problem, fix=fix, file=exc.file and Path(exc.file).name, sheet=exc.sheet,
                    row=exc.row, column=exc.column)


def public_inputs(where: str, previous: str, folder: Path, *, accept_risk: bool = False) -> tuple[Path, Path | None]:
    """Build the public map (and previous map) once, write them to ``folder``; return their files.

    Nothing else reads the original files: the report reads these copies.
    Unless ``accept_risk``, a map with entries that can be picked out by
    their ties (:func:`cop_toolkit.core.anonymity.at_risk`) is refused.

    Examples
    --------
    >>> import tempfile
    >>> public_inputs("owa-2017", "", Path(tempfile.mkdtemp()))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: 108 entries on the public map could be picked out by their ties ... --accept-risk ...
    """
    from cop_toolkit.core.anonymity import (  # deferred: heavy (pandas)
        MIN_CROWD,
        at_risk,
    )
    from cop_toolkit.core.privacy import public_map, public_previous  # deferred: heavy (pandas)
    from cop_toolkit.io import write_map  # deferred: heavy (pandas)

    m = read_for_public(where)
    pub = public_map(m)
    require_elements(pub)
    risky = at_risk(pub)
    if len(risky) and not accept_risk:
        raise MapError(
            f"{len(risky)} entr{'y' if len(risky) == 1 else 'ies'} on the public map could be picked out by their ties "
            f"(fewer than {MIN_CROWD} look alike)",
            fix="leave them out of the map, or add --accept-risk to publish anyway with the risk stated in the report",
        )
    stem = Path(where).stem if Path(where).is_absolute() else where
    page = write_map(pub, folder / f"{stem}-public.json")
    prev_page = None
    if previous:
        prev_page = write_map(public_previous(read_for_public(previous), m), folder / f"{Path(previous).stem}-previous-public.json")
    return page, prev_page


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
    accept_risk: bool = False,
    force: bool = False,
    columns: Mapping[str, str] | None = None,
    shared_plotlyjs: bool = False,
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
    public : leave out private elements and fields, and people without consent. The
        public map is made once, first (:func:`public_inputs`); nothing else reads the file.
    parameters : further template parameters (names must be declared by the template), such as
        ``large_from``: maps with this many elements or more get the large report (:func:`written_together`).
    progress : called with a short message at each step (the command line prints them).
    second_process : on a machine with two or more cores, work out some sections in a
        second process meanwhile (off in batches, which run one report per core).
    shared_plotlyjs : load plotly.js and the page's styles from files beside the page
        (:data:`~cop_toolkit.figures.offline.PLOTLYJS_FILE` and
        :data:`~cop_toolkit.reports.pages.STYLESHEET_FILE`, written there if
        missing) instead of embedding them: a folder of pages then carries them once.
    accept_risk : publish a public map even if some entries can be picked out by their ties.
    force : replace an existing page, notebook or CSV file that cop_toolkit did not write.
    columns : for a spreadsheet: which column is which, overriding the guess
        (``{"Label": "Group name", "ties": "Who we work with"}``; see ``read_map``).
        How a spreadsheet was understood is said through ``progress``.

    The output path is checked first (:func:`check_output`); the page, its notebook and CSV files are all written, or none.

    Examples
    --------
    >>> report("owa-2017", output="/tmp/owa.html")   # doctest: +SKIP
    PosixPath('/tmp/owa.html')
    """
    say = progress or (lambda message: None)
    say("Checking the request")
    where = input_location(source)
    prev_where = input_location(previous) if previous else ""
    if output is None:
        stem = Path(where).stem if Path(where).exists() else where
        output = Path("reports") / f"{stem}{'-public' if public else ''}.html"
    output, executed = check_output(output, force=force)
    with tempfile.TemporaryDirectory(prefix="cop-public-") as staging:
        files: list[Path] = []
        try:
            staged = read_spreadsheet_first(where, columns, Path(staging), say)
        except MapError as exc:
            raise (public_error(exc) if public else exc) from None
        if staged is not None:
            where = str(staged)
            files = [] if public else [staged]
        if public:
            # the public map is made once, here; the report and its kept notebook see only it
            page, prev_page = public_inputs(where, prev_where, Path(staging), accept_risk=accept_risk)
            files = [page] + ([prev_page] if prev_page else [])
            where, prev_where = page.name, prev_page.name if prev_page else ""
        elif staged is not None:
            where = staged.name
        if elements or remove:
            # Check names now so a typo fails in a second with close matches, not after a kernel start.
            m = resolve_input(files[0])[1] if public else resolve_input(where)[1]
            m.resolve_many(list(elements))
            m.resolve_many(list(remove))
        # Otherwise the map is read once, by the report itself: a problem in the file
        # comes back from the kernel as the same one-line MapError.
        values = _template_values(template, where, prev_where, title, elements, remove, public, parameters)
        say("Running the analysis (this takes a few seconds)")
        ran = execute_notebook(values.pop("__template__"), Path(staging) / "executed.ipynb", values, timeout=timeout,
                               second_process=second_process, files=files, tables=Path(staging) / tables_folder_of(output).name)
        with written_together(output, executed, ran, force=force) as (tmp_nb, tmp_page):  # the page last: it says "done"
            say("Writing the HTML page")
            if shared_plotlyjs:  # there before the page that needs them
                write_shared_files(Path(output).parent, force=force)
            notebook_to_html(tmp_nb, tmp_page, title=title or None,
                             title_suffix=" (public version)" if public and not title else "",
                             plotlyjs_src=PLOTLYJS_FILE if shared_plotlyjs else "",
                             stylesheet_href=STYLESHEET_FILE if shared_plotlyjs else "")
    say(f"Report written to {output}")
    return output


def read_spreadsheet_first(where: str, columns: Mapping[str, str] | None, staging: Path,
                           say: Callable[[str], None]) -> Path | None:
    """Say how a spreadsheet was understood; with ``columns``, stage the map read that way.

    Returns the staged file (``None`` without ``columns``).

    Examples
    --------
    >>> read_spreadsheet_first("owa-2017", None, Path("."), print) is None
    True
    """
    path = Path(where)
    if not path.is_absolute() or not (path.is_dir() or path.suffix.lower() in (".xlsx", ".csv")):
        if columns:
            raise MapError("--columns only applies to spreadsheets (.xlsx, .csv or a folder of CSV files)",
                           fix="leave --columns out for this map")
        return None
    from cop_toolkit.io import read_map, write_map  # deferred: heavy (pandas)

    m = read_map(path, columns=columns)
    require_elements(m)
    if m.metadata.get("understood"):
        say(f"Understood: {m.metadata['understood']}")
    for w in m.warnings:
        if w.kind in ("no_ties", "unused_tie_column"):
            say(f"Note: {w.message}")
    if not columns:
        return None
    m.metadata.setdefault("name", path.stem)
    m.metadata.pop("source", None)
    return write_map(m, staging / f"{path.stem}.xlsx")


def _template_values(
    template: str | Path | None,
    where: str,
    prev_where: str,
    title: str | None,
    elements: Sequence[str],
    remove: Sequence[str],
    public: bool,
    parameters: dict[str, Any] | None,
) -> dict[str, Any]:
    """The checked papermill parameters of a report, with the template's path under ``__template__``."""
    template_file = Path(template) if template else template_path()
    declared = template_parameters(template_file)
    values = {
        "input_path": where,
        "map_path": where,  # the lessons' name for it (cop_toolkit.reports.lessons)
        "previous_path": prev_where,
        "title": title or "",
        "focus": [str(x) for x in elements],
        "remove": [str(x) for x in remove],
        "public": bool(public),
    }
    values.update(parameters or {})
    values = check_parameters({k: v for k, v in values.items() if k in declared or k in (parameters or {})}, declared)
    return {**values, "__template__": template_file}
