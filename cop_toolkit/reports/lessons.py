"""Every lesson is also a report: run a lesson notebook on any map and turn it into one HTML page.

Each lesson notebook ``notebooks/NN_*.ipynb`` (01 to 12) starts with a
``parameters`` cell (``map_path``, ``previous_path``, ``focus``, ``remove``,
``public``, ``mode``). Run as written, it is the lesson on the sample map.
Run here, in report mode, the cells tagged ``exercise``, ``sample-only`` or
``lesson-only`` are left out before anything runs (see :func:`for_report`),
``mode`` is ``"report"``, and the rest goes through the report's own runner
(:func:`cop_toolkit.reports.runner.report`): the same checks, the same public
rules, the same offline page without code cells, the executed notebook kept
beside the page.

Examples
--------
>>> lesson_numbers()[:3]
['01', '02', '03']
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_text
from cop_toolkit.io.datasets import locate, open_map
from cop_toolkit.reports.html import render
from cop_toolkit.reports.pages import failure_shown
from cop_toolkit.reports.runner import report, written_by_cop_toolkit
from cop_toolkit.reports.story import ReportContext

__all__ = [
    "LEFT_OUT_TAGS",
    "LessonPage",
    "for_report",
    "lesson_heading",
    "lesson_needs",
    "lesson_numbers",
    "lesson_path",
    "lesson_report",
    "lessons_folder",
    "lessons_map_has",
    "lessons_report",
    "link_lesson_pages",
    "map_has",
    "page_headline",
    "write_lessons_index",
]

#: Cell tags a lesson's report page leaves out (see CONTRIBUTING.md, "Cell tags for lesson authors").
LEFT_OUT_TAGS = ("exercise", "sample-only", "lesson-only")


def lessons_folder() -> Path:
    """The folder of the workbook's lesson notebooks (installed as ``cop_toolkit.lesson_notebooks``).

    Examples
    --------
    >>> sorted(lessons_folder().glob("06_*.ipynb"))[0].name
    '06_what_if_a_hub_goes.ipynb'
    """
    folder = Path(str(resources.files("cop_toolkit.lesson_notebooks")))
    if not folder.is_dir():
        raise MapError("cannot find the lesson notebooks",
                       fix="reinstall cop_toolkit (pip install cop_toolkit) so its lesson notebooks come with it")
    return folder


def lesson_numbers() -> list[str]:
    """The two-digit numbers of the lessons that run as reports (01 to 12).

    Examples
    --------
    >>> lesson_numbers()[-1]
    '12'
    """
    found = sorted(p.name[:2] for p in lessons_folder().glob("[0-9][0-9]_*.ipynb"))
    return [n for n in found if 1 <= int(n) <= 12]


def lesson_path(number: str | int) -> Path:
    """The notebook of lesson ``number`` (``"06"``, ``"6"`` or ``6``).

    Examples
    --------
    >>> lesson_path(6).name
    '06_what_if_a_hub_goes.ipynb'
    >>> lesson_path("13")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: there is no lesson '13' to run as a report. How to fix: give a lesson number from 01 to 12.
    """
    text = str(number).strip()
    key = text.zfill(2) if text.isdigit() else text
    if key not in lesson_numbers():
        raise MapError(f"there is no lesson '{text}' to run as a report", fix="give a lesson number from 01 to 12")
    return next(lessons_folder().glob(f"{key}_*.ipynb"))


def lesson_heading(number: str | int) -> str:
    """The lesson's own title (its first heading), such as ``'06 What if a hub goes?'``.

    Examples
    --------
    >>> lesson_heading(3)
    '03 Who is central?'
    """
    import nbformat  # deferred: heavy

    nb = nbformat.read(lesson_path(number), as_version=4)
    for cell in nb.cells:
        found = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE) if cell.cell_type == "markdown" else None
        if found:
            return found.group(1).strip()
    return lesson_path(number).stem


def for_report(nb: Any, available: Collection[str] | None = None) -> Any:
    """Leave out the cells a lesson's report page does not show; return the notebook.

    Cells tagged as in :data:`LEFT_OUT_TAGS` go. A cell whose metadata
    ``cop_needs`` names data (fields, ``"geography"``, ``"previous"``, ``"ties"``, ``"hub"``: see :func:`map_has`) not in
    ``available`` goes too, and one line says what the map lacks instead
    (once for cells in a row that lack the same). ``available=None`` keeps them.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("kept"),
    ...     nbformat.v4.new_code_cell("x = ____", metadata={"tags": ["exercise"]}),
    ...     nbformat.v4.new_code_cell("m.multi('Needs')", metadata={"cop_needs": ["Needs"]})])
    >>> [c.source for c in for_report(nb, available={"ID", "Label"}).cells]
    ['kept', '*This map has no Needs, so this part of the lesson is left out.*']
    """
    import nbformat  # deferred: heavy

    cells: list[Any] = []
    said = ""
    for cell in nb.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & set(LEFT_OUT_TAGS):
            continue
        lacking = [x for x in cell.get("metadata", {}).get("cop_needs", []) if available is not None and x not in available]
        if not lacking:
            cells.append(cell)
            said = ""
            continue
        line = f"*This map has no {' or '.join(_NEEDS_WORDS.get(x, x) for x in lacking)}, so this part of the lesson is left out.*"
        if line != said:
            cells.append(nbformat.v4.new_markdown_cell(line))
        said = line
    nb.cells = cells
    return nb


def map_has(m: Any, previous: bool = False, remove: Sequence[str] = (), hub: bool = False) -> set[str]:
    """What a map offers the lessons' ``cop_needs``: its fields, ``"geography"``, ``"previous"``, ``"ties"``, ``"hub"``.

    ``"hub"`` (asked for with ``hub=True``: it takes the map's measures) means
    the what-if has an element to take out: ``remove``, else the hub the report
    picks (:attr:`cop_toolkit.reports.story.ReportContext.removed`). A map
    without ties, or where no element stands out, has none.

    Examples
    --------
    >>> from cop_toolkit.io.datasets import open_map
    >>> sorted({"Needs", "geography", "previous", "ties", "hub"} & map_has(open_map("owa-2017"), hub=True))
    ['Needs', 'geography', 'hub', 'ties']
    >>> import networkx as nx
    >>> from cop_toolkit.core.inputs import map_from_networkx
    >>> "hub" in map_has(map_from_networkx(nx.cycle_graph(5)), hub=True)  # all equally connected
    False
    """
    fields = set(map(str, m.elements.columns)) | set(map(str, m.connections.columns))
    place = {"Latitude", "Longitude", "Postcode", "Borough"}
    has = fields | ({"geography"} if fields & place else set()) | ({"previous"} if previous else set())
    has |= {"ties"} if len(m.connections) else set()
    if hub and ReportContext(map=m, remove=m.resolve_many(list(remove))).removed:
        has.add("hub")
    return has


def lesson_needs(nb: Any) -> set[str]:
    """Everything the cells of a lesson notebook name in their ``cop_needs`` metadata.

    Examples
    --------
    >>> import nbformat
    >>> sorted(lesson_needs(nbformat.read(lesson_path(6), as_version=4)))
    ['hub', 'ties']
    """
    return {str(x) for cell in nb.cells for x in cell.get("metadata", {}).get("cop_needs", [])}


#: How a page names what the map lacks.
_NEEDS_WORDS = {"geography": "places (coordinates, postcodes or boroughs)", "previous": "earlier snapshot (--previous)",
                "ties": "ties between its elements",
                "hub": "element that stands out as a hub (name one with --remove)"}


def page_headline(notebook: str | Path) -> str:
    """The first highlighted sentence (``cop-headline``) an executed notebook shows, as plain text; "" if none.

    Examples
    --------
    >>> page_headline("/nonexistent.ipynb")
    ''
    """
    path = Path(notebook)
    if not path.is_file():
        return ""
    found = re.search(r'class=\\?"cop-headline\\?">(.*?)</div>', path.read_text(encoding="utf-8"), re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


def _map_name(where: str) -> str:
    return Path(where).stem if Path(where).is_absolute() else where


def lesson_report(
    source: str | Path,
    lesson: str | int,
    *,
    output: str | Path | None = None,
    title: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
    shared_plotlyjs: bool = False,
    available: Collection[str] | None = None,
    **options: Any,
) -> Path:
    """Run one lesson in report mode on a map and write its page; return the page's path.

    ``options`` are those of :func:`cop_toolkit.reports.runner.report`
    (``previous``, ``elements``, ``remove``, ``public``, ``accept_risk``,
    ``force``, ...). ``parameters`` are the lesson's own (such as lesson 07's
    ``borough``; ``mode`` is always ``"report"``). The page's title is ``title`` (default: the map's name)
    followed by the lesson's heading (and "(public version)", as for the report).
    ``available`` is what the map offers the lesson's ``cop_needs``
    (:func:`lessons_map_has`), worked out here unless given.

    Examples
    --------
    >>> lesson_report("owa-2017", 6, output="/tmp/owa-06.html")  # doctest: +SKIP
    PosixPath('/tmp/owa-06.html')
    """
    import nbformat  # deferred: heavy

    number = lesson_path(lesson).name[:2]
    name = _map_name(locate(source))
    public_suffix = " (public version)" if options.get("public") and not title else ""
    if output is None:
        output = Path("reports") / f"{name}-lesson-{number}.html"
    with tempfile.TemporaryDirectory(prefix="cop-lesson-") as tmp:
        staged = Path(tmp) / lesson_path(number).name
        has = lessons_map_has(source, [number], **options) if available is None else available
        nbformat.write(for_report(nbformat.read(lesson_path(number), as_version=4), has), staged)
        return report(source, output=output, template=staged, parameters={**(parameters or {}), "mode": "report"},
                      title=f"{title or name}: {lesson_heading(number)}{public_suffix}", progress=progress,
                      shared_plotlyjs=shared_plotlyjs, **options)


def lessons_map_has(source: str | Path, lessons: Sequence[str | int], **options: Any) -> set[str]:
    """What a map offers the ``cop_needs`` of these lessons (:func:`map_has`), with the report's ``options``.

    ``"hub"`` (which takes the map's measures) is worked out only if one of the lessons needs it.

    Examples
    --------
    >>> sorted({"hub", "previous"} & lessons_map_has("owa-2017", ["06"], previous="owa-2018"))
    ['hub', 'previous']
    >>> "hub" in lessons_map_has("owa-2017", ["03"])
    False
    """
    import nbformat  # deferred: heavy

    needed = set().union(*(lesson_needs(nbformat.read(lesson_path(n), as_version=4)) for n in lessons))
    return map_has(open_map(source, public=bool(options.get("public"))), previous=bool(options.get("previous")),
                   remove=options.get("remove", ()), hub="hub" in needed)


@dataclass
class LessonPage:
    """One lesson's page in a ``--lessons`` folder (``error`` says why it was not made).

    Examples
    --------
    >>> LessonPage("06", "06 What if a hub goes?", None, "", "no ties").ok
    False
    """

    number: str
    heading: str
    output: Path | None
    headline: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def lessons_report(
    source: str | Path,
    folder: str | Path,
    *,
    lessons: Sequence[str | int] | None = None,
    title: str | None = None,
    self_contained: bool = False,
    progress: Callable[[str], None] | None = None,
    **options: Any,
) -> list[LessonPage]:
    """Make every lesson's page for a map in ``folder``, plus ``index.html``; return the pages.

    Each page links the previous and next page made and the index (:func:`link_lesson_pages`).

    Unless ``self_contained``, the pages share one ``plotly.min.js`` beside
    them (written by :func:`cop_toolkit.reports.runner.report`). A lesson that fails is listed on the index with its reason and does
    not stop the others.

    Examples
    --------
    >>> lessons_report("owa-2017", "/tmp/owa-lessons")  # doctest: +SKIP
    [LessonPage(number='01', ...), ...]
    """
    say = progress or (lambda message: None)
    where = locate(source)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    if index.exists() and not options.get("force") and not written_by_cop_toolkit(index):
        raise MapError(f"'{index}' was not written by cop_toolkit, so it is not replaced",
                       fix="write the lesson pages to another folder, or add --force to replace it")
    pages: list[LessonPage] = []
    numbers = [lesson_path(n).name[:2] for n in (lessons or lesson_numbers())]
    has: set[str] | None = None  # what the map offers the lessons, worked out once for them all
    for number in numbers:
        heading = lesson_heading(number)
        say(f"Lesson {heading}")
        try:
            has = lessons_map_has(source, numbers, **options) if has is None else has
            page = lesson_report(source, number, output=out / f"{lesson_path(number).stem}.html", title=title,
                                 shared_plotlyjs=not self_contained, available=has, **options)
            pages.append(LessonPage(number, heading, page, page_headline(page.with_suffix(".ipynb"))))
        except MapError as exc:
            pages.append(LessonPage(number, heading, None, error=exc.message))
    link_lesson_pages(pages)
    write_lessons_index(pages, index, title=title or _map_name(where), public=bool(options.get("public")))
    return pages


#: Where a lesson page's links go: after its opening ``<body>`` tag and before its closing one.
_BODY_OPEN = re.compile(r"<body\b[^>]*>")


def link_lesson_pages(pages: Sequence[LessonPage], index: str = "index.html") -> None:
    """Put links to the previous and next lesson page made, and to ``index``, at the top and foot of each page.

    Pages that were not made are skipped: every link goes to a page in the folder.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> made = [LessonPage(n, f"{n} <Lesson>", folder / f"{n}.html") for n in ("01", "02")]
    >>> for p in made:
    ...     _ = p.output.write_text("<html><body class='x'><p>page</p></body></html>")
    >>> link_lesson_pages(made)
    >>> re.findall(r'href="([^"]+)"', made[0].output.read_text())
    ['index.html', '02.html', 'index.html', '02.html']
    >>> "02 &lt;Lesson&gt;" in made[0].output.read_text()
    True
    """
    made = [(p.heading, p.output) for p in pages if p.ok and p.output is not None]
    for i, (_, path) in enumerate(made):
        before = made[i - 1] if i > 0 else ("", None)
        after = made[i + 1] if i + 1 < len(made) else ("", None)
        nav = render("lessons/nav.html.j2", index_href=index,
                     previous_href=before[1].name if before[1] else "", previous_heading=before[0],
                     next_href=after[1].name if after[1] else "", next_heading=after[0])
        text = path.read_text(encoding="utf-8")
        opening, closing = _BODY_OPEN.search(text), text.rfind("</body>")
        if opening is None or closing < opening.end():
            continue
        atomic_write_text(path, text[:opening.end()] + nav + text[opening.end():closing] + nav + text[closing:])


def write_lessons_index(pages: list[LessonPage], path: str | Path, title: str, public: bool = False) -> Path:
    """Write "your network, lesson by lesson": each lesson's headline and a link to its page.

    A lesson page that was not made is listed, with its reason unless ``public``
    (:func:`~cop_toolkit.reports.pages.failure_shown`).

    Examples
    --------
    >>> import tempfile
    >>> page = write_lessons_index([LessonPage("06", "06 What if?", Path("06.html"), "A & B")],
    ...                            Path(tempfile.mkdtemp()) / "index.html", "<my map>")
    >>> "A &amp; B" in page.read_text() and "&lt;my map&gt;" in page.read_text()
    True
    """
    rows = [{"heading": p.heading, "href": p.output.name if p.ok and p.output else "",
             "headline": p.headline, "error": failure_shown(p.error, public) if p.error else ""} for p in pages]
    return atomic_write_text(Path(path), render("lessons/index.html.j2", title=title, pages=rows))
