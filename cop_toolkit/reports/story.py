"""The words and pictures of a network report, section by section.

Each section function takes a :class:`ReportContext` and returns a list of
items to show: HTML fragments, made from the autoescaped templates in
``templates/story`` (every label and value escaped — map text is data, never
markup), and plotly figures. The report notebook
``notebooks/reports/network_report.ipynb`` calls them in order with
:func:`show`; tests call them directly.

Examples
--------
>>> ctx = prepare("owa-2017")                # doctest: +SKIP
>>> show(overview(ctx))                      # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cop_toolkit.analysis.boroughs import borough_flows, borough_summary
from cop_toolkit.analysis.clusters import cluster_summary, cluster_ties, find_clusters
from cop_toolkit.analysis.compare import compare_maps
from cop_toolkit.analysis.ego import ego_network
from cop_toolkit.analysis.engine import EXACT_LIMIT
from cop_toolkit.analysis.metrics import element_metrics
from cop_toolkit.analysis.resilience import top_broker, what_if
from cop_toolkit.analysis.stages import (
    introductions_followed,
    network_health,
    network_stage,
)
from cop_toolkit.analysis.summary import map_summary
from cop_toolkit.building.resources import match_needs_offers
from cop_toolkit.building.sharing import local_sharing
from cop_toolkit.building.weaving import suggest_introductions
from cop_toolkit.core.anonymity import MIN_CROWD, at_risk
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_text
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.privacy import is_person, is_private_element
from cop_toolkit.core.quality import (
    missing_fields,
    stale_elements,
    suspected_duplicates,
)
from cop_toolkit.core.schema import CONNECTION_COLUMNS, ELEMENT_COLUMNS
from cop_toolkit.core.text import word_list
from cop_toolkit.figures.charts import (
    plot_cluster_composition,
    plot_cluster_matrix,
    plot_comparison,
    plot_degree_distribution,
    plot_matches,
    plot_ranking,
)
from cop_toolkit.figures.layout import layout_positions
from cop_toolkit.figures.london import (
    plot_borough_choropleth,
    plot_collaboration_vs_resources,
    plot_flows,
    plot_local_sharing,
    plot_london,
    plot_tile_grid,
)
from cop_toolkit.figures.network import plot_network, plot_what_if
from cop_toolkit.figures.offline import in_report_mode, report_html
from cop_toolkit.figures.overview import (
    find_control,
    plot_overview,
    plot_what_if_overview,
)
from cop_toolkit.geo.locate import locate
from cop_toolkit.io.common import protect_formula
from cop_toolkit.reports import background
from cop_toolkit.reports.html import Markup, render
from cop_toolkit.reports.runner import (
    SECOND_PROCESS_VARIABLE,
    TABLES_VARIABLE,
    require_elements,
    resolve_input,
)

__all__ = [
    "ReportContext",
    "prepare",
    "show",
    "work_ahead",
    "WorkAhead",
    "paragraph",
    "headline",
    "table",
    "COLUMN_HEADINGS",
    "column_heading",
    "cell_text",
    "number_text",
    "distance_text",
    "how_to_read",
    "MEASURE_HELP",
    "warning_summary",
    "WARNING_WORDS",
    "WARNING_KINDS",
    "figure_text",
    "described",
    "privacy_section",
    "overview",
    "the_map",
    "key_connectors",
    "focus_elements",
    "clusters",
    "what_if_section",
    "geography",
    "building",
    "changes",
    "development",
    "data_quality",
    "SECTIONS",
    "REPORT_EXACT_LIMIT",
    "LESSON_EXACT_LIMIT",
    "LARGE_REPORT",
    "TOP_ROWS",
    "SHARING_TOP",
    "FOCUS_DRAWN",
    "table_file",
    "size_notice",
]

Item = Any  # an HTML string or a plotly Figure

#: Above this many elements a report estimates betweenness, closeness and path
#: lengths from sampled elements (see :attr:`ReportContext.method`), so a
#: 10,000-element report takes seconds, not minutes; lessons and the analysis
#: functions keep their own limit (``cop_toolkit.analysis.engine.EXACT_LIMIT``).
REPORT_EXACT_LIMIT = 3_000
#: The limit a lesson's report page uses (``prepare(..., exact_up_to=LESSON_EXACT_LIMIT)``): the
#: analysis functions' own, so that the page's sentences and the lesson's own tables (worked out
#: with ``element_metrics(m)``) rest on the same numbers.
LESSON_EXACT_LIMIT = EXACT_LIMIT

#: Maps with at least this many elements get the large report (:attr:`ReportContext.large`): it
#: shows the same findings, drawn and listed so that the page stays small and quick to open (the
#: network as clusters with a "find an element" control, long tables as their top rows with every
#: row in a CSV file beside the page). The report parameter ``large_from`` (``cop-report
#: --large-from N``) moves the threshold.
LARGE_REPORT = 10_000
#: On the large report, a table longer than this shows its first rows only (:func:`table_file`).
TOP_ROWS = 100
#: On the large report, local sharing lists the best this many nearby pairs (``local_sharing(top=)``).
SHARING_TOP = 2_000
#: On the large report, a ``--focus`` picture draws at most this many of the element's contacts
#: (the best-connected); its table and CSV list them all.
FOCUS_DRAWN = 1_000
#: Introductions are looked for among each element's this many best contacts of contacts
#: (``suggest_introductions(max_candidates=)``, its default).
INTRO_CANDIDATES = 30


def paragraph(text: str, cls: str = "") -> str:
    """A paragraph of plain text (escaped here), with an optional CSS class.

    Examples
    --------
    >>> paragraph("Hello", "cop-note")
    '<p class="cop-note">Hello</p>'
    >>> paragraph("<b>bold</b>?")
    '<p>&lt;b&gt;bold&lt;/b&gt;?</p>'
    """
    return render("story/paragraph.html.j2", text=text, cls=cls)


def headline(text: str) -> str:
    """A highlighted sentence built from numbers (the text is escaped here).

    Examples
    --------
    >>> headline("A & B")
    '<div class="cop-headline">A &amp; B</div>'
    """
    return render("story/headline.html.j2", text=text)


def heading(text: str, level: int = 3) -> str:
    """An escaped heading.

    Examples
    --------
    >>> heading("Tom & Jerry", 2)
    '<h2>Tom &amp; Jerry</h2>'
    """
    return render("story/heading.html.j2", text=text, level=int(level))


#: The heading each table column gets in a report, in plain English: every report table
#: (:func:`table`) shows these instead of the toolkit's column names. A column not listed
#: here is shown with its underscores as spaces; ``headings=`` of :func:`table` overrides
#: an entry where a section means something more particular (who needs, who offers).
COLUMN_HEADINGS: dict[str, str] = {
    "ID": "ID", "Label": "Name", "Type": "Type", "Borough": "Borough", "role": "Role",
    "degree": "Ties", "betweenness": "Betweenness", "closeness": "Closeness", "reach": "Reach",
    "constraint": "Constraint", "k": "Alike (k)", "Neighbour types": "Kinds of neighbour",
    "measure": "Measure", "value": "Value", "description": "What it means",
    "before": "Before", "after": "After", "change": "Change", "old": "Earlier map", "new": "This map",
    "cluster_name": "Cluster", "size": "Elements", "Label_hub": "Hub", "hub_label": "Hub",
    "main_types": "Main types", "main_boroughs": "Main boroughs", "internal_ties": "Ties inside the cluster",
    "external_ties": "Ties to other clusters", "piece_size": "Elements in its piece",
    "rank_before": "Go-between rank before", "rank_after": "Go-between rank after",
    "rank_gain": "Places climbed", "name": "Borough", "elements": "Elements", "assets": "Assets",
    "needs": "Needs", "offers": "Offers", "ties_within": "Ties within the borough",
    "ties_out": "Ties to other boroughs", "name_a": "Borough", "name_b": "Other borough", "ties": "Ties",
    "types": "Kinds of tie", "Label_a": "Element", "Label_b": "Other element", "need_label": "Needs it",
    "offer_label": "Offers it", "item": "What", "distance_km": "Distance", "reason": "Why",
    "reach_gain": "More elements within reach", "field": "Field", "missing": "Entries without it",
    "share_missing": "Share without it", "Last Verified": "Last verified", "ID_a": "ID before",
    "ID_b": "ID now", "old_id": "ID before", "new_id": "ID now", "similarity": "Names alike",
    "matched_by": "Matched by", "kind": "Kind of warning", "message": "What was found",
    "element": "Element", "borough_name": "Borough", "approximate": "Placed by borough only", "file": "File", "sheet": "Sheet", "row": "Row", "column": "Column",
}

#: Columns holding a share (0 to 1), shown as a percentage.
SHARE_COLUMNS = frozenset({"share_missing", "similarity"})
#: Columns holding a distance in kilometres, shown as people say distances.
DISTANCE_COLUMNS = frozenset({"distance_km"})
#: Above this many rows a table scrolls in its own box and gets a search box.
LONG_TABLE = 15


def column_heading(column: object, headings: dict[str, str] | None = None) -> str:
    """The plain heading of a table column (:data:`COLUMN_HEADINGS`, then ``headings``).

    Examples
    --------
    >>> column_heading("internal_ties"), column_heading("ties_per_element")
    ('Ties inside the cluster', 'Ties per element')
    >>> column_heading("Label_a", {"Label_a": "Needs it"})
    'Needs it'
    """
    name = str(column)
    found = {**COLUMN_HEADINGS, **(headings or {})}.get(name)
    if found is not None:
        return found
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def distance_text(km: float, approximate: bool = False) -> str:
    """A distance in kilometres as people say it: metres (to the nearest 10) under 1 km.

    ``approximate``: one end is placed only by its borough, so the distance is
    given in whole kilometres only.

    Examples
    --------
    >>> distance_text(0.0566), distance_text(0.5), distance_text(2.345), distance_text(2.345, approximate=True)
    ('about 60 m', 'about 500 m', '2.3 km', 'about 2 km')
    """
    if approximate:
        return f"about {max(1, round(km)):,} km"
    if km < 1:
        return f"about {max(10, round(km * 100) * 10):,} m"
    return f"{km:,.1f} km"


def number_text(x: float) -> str:
    """A number as people write it: whole numbers with thousands separators, others to 3 figures.

    Examples
    --------
    >>> number_text(2647), number_text(5.0), number_text(0.07384), number_text(18.81), number_text(0.0)
    ('2,647', '5', '0.0738', '18.8', '0')
    """
    if float(x).is_integer():
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) < 0.001:
        return "under 0.001" if x > 0 else "above -0.001"
    return f"{x:.3g}"


def cell_text(value: Any, column: object = "", approximate: bool = False) -> tuple[str, float | None]:
    """What a table cell shows, and the number it sorts by (None: sort by its text).

    ``approximate``: the row's places are known only by borough (its distances are rough).

    Examples
    --------
    >>> cell_text(0.0566, "distance_km"), cell_text(0.86, "share_missing"), cell_text(True)
    (('about 60 m', 0.0566), ('86%', 0.86), ('Yes', None))
    """
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return "", None
    if isinstance(value, (bool, np.bool_)):
        return ("Yes" if value else "No"), None
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        if column in DISTANCE_COLUMNS:
            return distance_text(x, approximate), x
        if column in SHARE_COLUMNS:
            return f"{x:.0%}", x
        return number_text(x), x
    if isinstance(value, (pd.Timestamp, dt.date)):
        return f"{value:%d %B %Y}".lstrip("0"), None
    return str(value), None


def table(
    df: pd.DataFrame,
    *,
    columns: list[str] | None = None,
    rows: int = LONG_TABLE,
    index: bool = False,
    headings: dict[str, str] | None = None,
    top: int | None = None,
    file: str = "",
) -> str:
    """Render a table as escaped HTML, with plain headings and numbers as people write them.

    Every row is there, unless ``top``: then the first ``top`` rows, and the
    table says so; ``file`` is then the (relative) link of a CSV file holding
    every row, which the table names (see :func:`table_file`). Headings come from :data:`COLUMN_HEADINGS` (and
    ``headings``); in the report page a click on a heading sorts the rows and,
    when there are more than ``rows`` rows, the table scrolls in its own box
    with a search box above it (the page's table script, embedded once).

    Examples
    --------
    >>> html = table(pd.DataFrame({"Label": ["<b>x</b>"], "distance_km": [0.0566]}))
    >>> "&lt;b&gt;" in html, '<th scope="col">Distance</th>' in html, "about 60 m" in html
    (True, True, True)
    >>> html = table(pd.DataFrame({"Label": list("abc")}), top=2, file="report_files/names.csv")
    >>> html.count("<tr>"), "The first 2 of 3 rows are shown" in html, 'href="report_files/names.csv"' in html
    (3, True, True)
    """
    total = len(df)
    if top is not None:
        df = df.head(top)
    # rows placed only by borough (an ``approximate`` column, shown or not) give rough distances
    rough = df["approximate"].eq(True).tolist() if "approximate" in df.columns else [False] * len(df)
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    if index:
        df = df.reset_index()
    names = list(df.columns)
    body = [[cell_text(v, c, r) for v, c in zip(row, names)]
            for row, r in zip(df.itertuples(index=False, name=None), rough)]
    return render(
        "story/table.html.j2",
        headings=[column_heading(c, headings) for c in names],
        rows=body,
        long=len(body) > rows,
        count=f"{len(body):,}",
        total=f"{total:,}" if len(body) < total else "",
        file=file,
        file_name=file.rsplit("/", 1)[-1],
    )


#: One plain sentence on how to read each measure, shown under its name where a report
#: first uses it (:func:`how_to_read`).
MEASURE_HELP: dict[str, str] = {
    "modularity": "how cleanly the map splits into clusters, from 0 to 1: above about 0.4, most ties "
                  "fall inside clusters rather than between them.",
    "transitivity": "the share of an element's pairs of contacts who are tied to each other too, over "
                    "the whole map, from 0 to 1: higher means a more tight-knit map.",
    "betweenness": "the share of shortest routes between other elements that pass through this one, from "
                   "0 to 1: higher means a go-between that others rely on.",
    "closeness": "how few steps an element needs to reach everyone else, from 0 to 1: higher means "
                 "closer to the whole map.",
    "reach": "how many other elements can be reached within two steps.",
    "constraint": "how much an element's contacts are tied to one another, from 0 to 1: low means it "
                  "links groups that would otherwise be apart; high means its contacts all know each other.",
}


def how_to_read(*measures: str) -> str:
    """"How to read this" lines for some measures (:data:`MEASURE_HELP`), one sentence each.

    Examples
    --------
    >>> print(how_to_read("reach"))
    <p class="cop-howto"><strong>Reach</strong>: how many other elements can be reached within two steps.</p>
    """
    return render("story/how_to_read.html.j2", lines=[(m[:1].upper() + m[1:], MEASURE_HELP[m]) for m in measures])


#: What a report says a kind of reading warning is: (one, several), with ``{column}`` filled in and
#: ``{entry}``/``{entries}`` as "tie(s)" for a connection column, else "entry"/"entries".
WARNING_WORDS: dict[str, tuple[str, str]] = {
    "isolated": ("element has no connections", "elements have no connections"),
    "missing_borough": ("entry has no borough", "entries have no borough"),
    "not_a_number": ("{entry} has a {column} that is not a number", "{entries} have a {column} that is not a number"),
    "self_link": ("connection goes from an element to itself", "connections go from an element to itself"),
    "same_label": ("name is used under more than one ID", "names are used under more than one ID"),
    "unknown_level": ("entry has a Level that is not grassroots, borough or pan-London",
                      "entries have a Level that is not grassroots, borough or pan-London"),
    "bad_date": ("{entry} has a {column} that cannot be read as a date",
                 "{entries} have a {column} that cannot be read as a date"),
    "duplicate_id": ("ID is used twice", "IDs are used more than once"),
    "unknown_partner": ("connection names a partner that is not on the map",
                        "connections name a partner that is not on the map"),
    "custom_field": ("column is kept as an extra field", "columns are kept as extra fields"),
    "skipped_sheet": ("sheet was skipped", "sheets were skipped"),
    "no_ties": ("file has no connections", "files have no connections"),
}


#: The short plain name of each kind of reading warning, in the table of every warning.
WARNING_KINDS: dict[str, str] = {
    "isolated": "No connections", "missing_borough": "No borough", "not_a_number": "Not a number",
    "self_link": "Tie to itself", "same_label": "Same name twice", "unknown_level": "Unknown level",
    "bad_date": "Unreadable date", "duplicate_id": "ID used twice", "unknown_partner": "Unknown partner",
    "custom_field": "Extra column", "skipped_sheet": "Sheet skipped", "no_ties": "No connections in file",
}


def _where(group: pd.DataFrame, labels: dict[str, str]) -> str:
    """Where warnings were found: the first rows, else the first elements named."""
    rows = [f"{r:,}" for r in group["row"].dropna().astype(int)]
    named = rows or [labels.get(str(e), str(e)) for e in group["element"].dropna()]
    if len(named) > 4:
        listed = f"{', '.join(named[:3])} and {len(named) - 3:,} more"
    else:
        listed = word_list(named)
    return f"row{'s' * (len(rows) != 1)} {listed}" if rows else listed


def warning_summary(warnings: pd.DataFrame, labels: dict[str, str] | None = None) -> list[str]:
    """One plain line per kind of warning (and column), with its count and where the first were found.

    ``warnings`` is a map's ``warnings_table()``; ``labels`` maps element IDs to names.

    Examples
    --------
    >>> w = pd.DataFrame({"kind": ["not_a_number"] * 6, "message": ["..."] * 6, "element": [None] * 6,
    ...                   "row": [3, 7, 9, 13, 20, 21], "column": ["Strength"] * 6})
    >>> warning_summary(w)
    ['6 ties have a Strength that is not a number (rows 3, 7, 9 and 3 more).']
    """
    labels = labels or {}
    lines = []
    for (kind, column), group in warnings.fillna({"column": ""}).groupby(["kind", "column"], sort=False):
        one, many = WARNING_WORDS.get(str(kind), (f"warning: {group['message'].iloc[0]}", f"warnings like: {group['message'].iloc[0]}"))
        tie = column in CONNECTION_COLUMNS and column not in ELEMENT_COLUMNS
        what = (one if len(group) == 1 else many).format(
            column=column or "value", entry="tie" if tie else "entry", entries="ties" if tie else "entries")
        where = _where(group, labels)
        lines.append(f"{len(group):,} {what}" + (f" ({where})." if where else "."))
    return lines


def figure_text(caption: str, data: pd.DataFrame, *, summary: str = "Show the data", **table_options: Any) -> str:
    """A figure's text alternative: a caption with its key fact, and its data behind "Show the data".

    ``summary`` names the control; ``table_options`` go to :func:`table`.

    Examples
    --------
    >>> html = figure_text("LVSC has the most ties.", pd.DataFrame({"Label": ["LVSC"], "degree": [58]}))
    >>> "<summary>Show the data</summary>" in html, "LVSC has the most ties." in html
    (True, True)
    """
    return render("story/figure_text.html.j2", caption=caption, summary=summary, table=Markup(table(data, **table_options)))


def described(figure: Item, caption: str, data: pd.DataFrame, **table_options: Any) -> list[Item]:
    """A figure followed by its text alternative (:func:`figure_text`): what a report shows for every figure.

    Examples
    --------
    >>> items = described("a figure", "One fact.", pd.DataFrame({"Label": ["A"]}))
    >>> items[0], "One fact." in items[1]
    ('a figure', True)
    """
    return [figure, figure_text(caption, data, **table_options)]


def show(items: list[Item]) -> None:
    """Display section items in a notebook (HTML and plotly figures).

    Examples
    --------
    >>> show([paragraph("Hello")])  # doctest: +SKIP
    """
    from IPython.display import HTML, display  # deferred: heavy

    for item in items:
        if isinstance(item, str):
            display(HTML(item))
        else:
            display(item)


class WorkAhead:
    """Report sections worked out in a second process while this one shows the others.

    Made by :func:`work_ahead`; :meth:`get` returns a section's items, from
    the second process when it made them, else made here and now.

    Examples
    --------
    >>> ahead = WorkAhead(prepare("owa-2017"), [clusters])
    >>> ahead.get(clusters)[0]
    '<h2>4. Clusters and how they connect</h2>'
    """

    def __init__(self, ctx: ReportContext, sections: list[Callable[[ReportContext], list[Item]]]) -> None:
        self.ctx = ctx
        self._job: background.Pending | None = None
        self._ahead: set[str] = set()
        # Not on large maps: a forked copy of a London-sized map soon holds a second copy of its text
        # (every string it touches), which costs more memory than the time it saves; the engine's
        # workers use the second core for the measures instead.
        if sections and in_report_mode() and os.environ.get(SECOND_PROCESS_VARIABLE) != "0" and not ctx.large:

            def html_of(section: Callable[[ReportContext], list[Item]]) -> Callable[[], list[str]]:
                def made() -> list[str]:
                    items = section(ctx)
                    for i, item in enumerate(items):  # as the HTML the page shows; each figure let go once written
                        items[i] = item if isinstance(item, str) else report_html(item)
                    return items

                return made

            _shared_first(ctx)
            self._job = background.start({f.__name__: html_of(f) for f in sections})
            self._ahead = {f.__name__ for f in sections}

    def get(self, section: Callable[[ReportContext], list[Item]]) -> list[Item]:
        """The items of one section (waiting, if need be, for the second process to finish it).

        Examples
        --------
        >>> ahead = work_ahead(prepare("owa-2017"), [data_quality])
        >>> ahead.get(data_quality)[0]
        '<h2>9. Data quality</h2>'
        """
        if self._job is not None and section.__name__ in self._ahead:
            self._ahead.discard(section.__name__)
            made = self._job.result(section.__name__)
            if made is not None:
                return made
        return section(self.ctx)  # not worked out ahead, or the second process failed


def _shared_first(ctx: ReportContext) -> None:
    """Work out the tables both processes of a report use before the second one starts: it inherits them.

    Every element's measures: the second process then never works them out
    again, and holds no second copy of them (the forked pages stay shared
    until written to).
    """
    _ = ctx.metrics


def work_ahead(ctx: ReportContext, sections: list[Callable[[ReportContext], list[Item]]]) -> WorkAhead:
    """Start working out some sections of a report in a second process; collect them with ``.get``.

    Under ``cop-report`` on a machine with two or more cores (Linux), a copy
    of the report kernel (:mod:`cop_toolkit.reports.background`) makes these sections,
    figures written as the report page shows them, while the kernel shows the
    others: the report is ready sooner. Anywhere else (in batches, which
    already run one report per core, and on large maps, :attr:`ReportContext.large`,
    where the copy would double the memory), and if the copy fails, ``get`` makes the
    section there and then, so the notebook reads and runs the same everywhere.

    Examples
    --------
    >>> ctx = prepare("owa-2017")
    >>> ahead = work_ahead(ctx, [building])
    >>> ahead.get(building) == building(ctx)
    True
    """
    return WorkAhead(ctx, list(sections))


@dataclass(frozen=True, eq=False)
class ReportContext:
    """Everything a report needs, computed once and shared by the sections.

    The context is frozen: its map and settings cannot be swapped once made,
    so the tables worked out from them on first use (``metrics``,
    ``clusters``, ``positions``, ``places``, cached on the instance) always
    match them. Make a new context (:func:`prepare`) for another map; do not
    change the map or the cached tables in place.

    Examples
    --------
    >>> ctx = prepare("owa-2017")
    >>> ctx.removed
    ['lvsc']
    """

    map: NetworkMap
    previous: NetworkMap | None = None
    title: str = ""
    focus: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    public: bool = False
    large_from: int = LARGE_REPORT
    exact_up_to: int = REPORT_EXACT_LIMIT

    @property
    def large(self) -> bool:
        """Whether this map gets the large report: at least :attr:`large_from` elements (see :data:`LARGE_REPORT`)."""
        return len(self.map.elements) >= self.large_from

    @property
    def method(self) -> str:
        """``"exact"`` or ``"sampled"``: how path-based measures are worked out (exact up to :attr:`exact_up_to` elements)."""
        return "exact" if len(self.map.elements) <= self.exact_up_to else "sampled"

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """Every element's measures (:func:`cop_toolkit.element_metrics`), worked out as :attr:`method` says."""
        return element_metrics(self.map, method=self.method)

    @cached_property
    def clusters(self) -> pd.DataFrame:
        """The map's clusters (:func:`cop_toolkit.find_clusters`)."""
        return find_clusters(self.map)

    @cached_property
    def positions(self) -> pd.DataFrame:
        """Where each element sits in the network pictures (one layout, shared by every picture)."""
        return layout_positions(self.map)

    @cached_property
    def places(self) -> pd.DataFrame:
        """Where each element is in London (:func:`cop_toolkit.locate`)."""
        return locate(self.map)

    @property
    def has_places(self) -> bool:
        return bool(self.places["Latitude"].notna().any()) if len(self.places) else False

    @property
    def removed(self) -> list[str]:
        """The elements taken out in the what-if section (default: the top broker).

        Without ``remove``: the top broker, else (no element is more of a
        broker than another) the best-connected element, else none: on a map
        without ties, or where all are equally connected, no hub stands out.
        """
        if self.remove:
            return self.remove
        if len(self.map.connections) == 0:
            return []
        hub = top_broker(self.metrics)
        return [hub] if hub is not None else []


def prepare(
    input_path: str,
    previous_path: str = "",
    title: str = "",
    focus: list[str] | tuple[str, ...] = (),
    remove: list[str] | tuple[str, ...] = (),
    public: bool = False,
    large_from: int = LARGE_REPORT,
    exact_up_to: int = REPORT_EXACT_LIMIT,
) -> ReportContext:
    """Read and check the report's inputs; return the shared context.

    Private elements and fields are removed (``public=True``) before anything
    else is computed, so they cannot reach any table or figure. A map of at
    least ``large_from`` elements gets the large report (:attr:`ReportContext.large`).
    Betweenness, closeness and path lengths are exact on maps of up to
    ``exact_up_to`` elements and estimated from a sample above
    (:attr:`ReportContext.method`); lesson pages pass :data:`LESSON_EXACT_LIMIT`.

    Examples
    --------
    >>> len(prepare("owa-2017", public=True).map) < len(prepare("owa-2017").map)
    True
    >>> prepare("owa-2017").large, prepare("owa-2017", large_from=100).large
    (False, True)
    """
    for name, value, fix in (
        ("large_from", large_from, f"give a number such as {LARGE_REPORT} (maps with at least that many elements get the large report)"),
        ("exact_up_to", exact_up_to, f"give a number such as {REPORT_EXACT_LIMIT} (maps with more elements get estimates)"),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise MapError(f"the report parameter '{name}' must be a whole number of elements, not {value!r}", fix=fix)
    for name, value, kind in (
        ("input_path", input_path, str),
        ("previous_path", previous_path, str),
        ("title", title, str),
        ("public", public, bool),
    ):
        if not isinstance(value, kind):
            raise MapError(f"the report parameter '{name}' must be {kind.__name__}, not {type(value).__name__}")
    for name, value in (("focus", focus), ("remove", remove)):
        if isinstance(value, str) or not all(isinstance(v, str) for v in value):
            raise MapError(f"the report parameter '{name}' must be a list of element names")
    _, m = resolve_input(input_path)
    require_elements(m)
    previous = resolve_input(previous_path)[1] if previous_path else None
    if public:
        m = m.public()
        previous = previous.public() if previous is not None else None
    return ReportContext(
        map=m,
        previous=previous,
        title=title or m.name,
        focus=m.resolve_many(list(focus)),
        remove=m.resolve_many(list(remove)),
        public=public,
        large_from=large_from,
        exact_up_to=exact_up_to,
    )


def title_block(ctx: ReportContext) -> list[Item]:
    """The report's title and a line on how it was made."""
    date = ctx.map.metadata.get("date") or ""
    made = dt.date.today().isoformat()
    bits = [f"Map dated {date}." if date else "", f"Report made on {made} with cop_toolkit."]
    if ctx.public:
        bits.append("Public version: private entries and fields, and people who have not agreed to be shown, are left out.")
    items = [heading(ctx.title, 1), paragraph(" ".join(b for b in bits if b), "cop-note")]
    items += size_notice(ctx) + thin_data_notice(ctx)
    return items + (privacy_section(ctx) if ctx.public else [])


def tables_folder() -> Path:
    """Where a report writes the CSV files of its long tables: beside the page under ``cop-report``.

    ``cop-report`` names a folder ``<page>_files`` (in the report kernel's
    environment, :data:`~cop_toolkit.reports.runner.TABLES_VARIABLE`) and moves
    it beside the page with the page; run by hand, the report writes
    ``report_files`` in its working folder (beside the notebook in JupyterLab).

    Examples
    --------
    >>> tables_folder().name.endswith("_files")
    True
    """
    return Path(os.environ.get(TABLES_VARIABLE) or "report_files")


def table_file(ctx: ReportContext, name: str, df: pd.DataFrame, *, columns: list[str] | None = None,
               index: bool = False, headings: dict[str, str] | None = None) -> dict[str, Any]:
    """The options of :func:`table` for a table that may be long: on a large report, its top rows and a CSV of all.

    On a small map (or a table of at most :data:`TOP_ROWS` rows) this is
    ``{}``: the table shows every row, as always. On a large report
    (:attr:`ReportContext.large`) every row of the table as it is shown
    (the same ``columns``, ``index`` and plain ``headings``; numbers in
    full, text a spreadsheet could run as a formula protected) is written
    to ``<name>.csv`` in :func:`tables_folder`, and the options say to show
    the first :data:`TOP_ROWS` rows with a link to that file.

    Examples
    --------
    >>> ctx = prepare("owa-2017")
    >>> table_file(ctx, "key_connectors", ctx.metrics)
    {}
    >>> import tempfile; os.environ["COP_TOOLKIT_TABLES"] = tempfile.mkdtemp(suffix="_files")
    >>> big = pd.DataFrame({"Label": [f"=cmd{i}" for i in range(150)], "degree": range(150)})
    >>> options = table_file(prepare("owa-2017", large_from=1), "ties", big)
    >>> options["top"], pd.read_csv(tables_folder() / "ties.csv").loc[0, "Name"]
    (100, "'=cmd0")
    >>> del os.environ["COP_TOOLKIT_TABLES"]
    """
    if not ctx.large or len(df) <= TOP_ROWS:
        return {}
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    if index:
        df = df.reset_index()
    whole = df.rename(columns=lambda c: column_heading(c, headings))
    for c in whole.select_dtypes(include=["object", "string"]).columns:
        whole[c] = whole[c].map(protect_formula)
    folder = tables_folder()
    atomic_write_text(folder / f"{name}.csv", whole.to_csv(index=False))
    return {"top": TOP_ROWS, "file": f"{folder.name}/{name}.csv"}


def size_notice(ctx: ReportContext) -> list[Item]:
    """On a large report (:attr:`ReportContext.large`), a notice at the top saying how it shows the map.

    Examples
    --------
    >>> size_notice(prepare("owa-2017"))
    []
    >>> "large map" in size_notice(prepare("owa-2017", large_from=100))[0]
    True
    """
    if not ctx.large:
        return []
    n = len(ctx.map.elements)
    return [paragraph(
        f"Please note: this is a large map ({n:,} elements; the report shows maps of {ctx.large_from:,} elements "
        "or more this way), so the report tells the same things in a form a browser opens quickly. The network is "
        "drawn as its clusters, with the best-connected elements named and a box to find any element and see its "
        f"neighbourhood; long tables show their first {TOP_ROWS:,} rows, and every row is in a CSV file in the "
        f"folder {tables_folder().name} beside this page; introductions, local sharing and the what-if use the "
        "bounded or sampled versions of those analyses, as each of those sections says.", "cop-notice")]


def thin_data_notice(ctx: ReportContext) -> list[Item]:
    """A prominent notice when the map has no connections, or a column that looks like ties was not used.

    Examples
    --------
    >>> thin_data_notice(prepare("owa-2017"))
    []
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}))
    >>> thin_data_notice(ReportContext(m))[0][:60]
    '<p class="cop-notice">Please note: this map has no connectio'
    """
    m = ctx.map
    notes = [f"{w.message}." for w in m.warnings if w.kind == "unused_tie_column"]
    if len(m.elements) and not len(m.connections):
        notes.insert(0, f"this map has no connections: its {len(m.elements):,} elements are not tied to one another, "
                        "so nobody is ranked as connected or as a broker, and there are no clusters, what-if or "
                        "introductions to work out.")
    return [paragraph("Please note: " + note, "cop-notice") for note in notes]


def no_ties_line(so: str) -> str:
    """The one line a section that needs ties shows on a map without any.

    Examples
    --------
    >>> no_ties_line("there are no clusters to find")
    '<p class="cop-note">There are no connections on this map, so there are no clusters to find.</p>'
    """
    return paragraph(f"There are no connections on this map, so {so}.", "cop-note")


def stands_out(values: pd.Series) -> bool:
    """True when some value is higher than another: only then is one called "the most" or "the best".

    Examples
    --------
    >>> stands_out(pd.Series([2, 1])), stands_out(pd.Series([0, 0])), stands_out(pd.Series([], dtype=float))
    (True, False, False)
    """
    v = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(v)) and bool(v.max() > v.min())


def equally_connected(degree: pd.Series) -> str:
    """What to say instead of naming the best-connected when every element has as many ties.

    Examples
    --------
    >>> equally_connected(pd.Series([2, 2]))
    'All elements are equally connected (2 ties each).'
    """
    n = int(pd.to_numeric(degree, errors="coerce").fillna(0).max()) if len(degree) else 0
    return f"All elements are equally connected ({n:,} tie{'s' * (n != 1)} each)."


def leaders(met: pd.DataFrame, column: str, top: int = 3) -> list[str]:
    """The labels of the ``top`` elements highest on ``column``, leaving out those at the lowest score.

    Empty when every element scores the same: no one is called the best
    among equals, and an element with no ties (always at the lowest) never is.

    Examples
    --------
    >>> met = pd.DataFrame({"Label": ["A", "B", "C"], "degree": [2, 1, 1]})
    >>> leaders(met, "degree"), leaders(met.assign(degree=1), "degree")
    (['A'], [])
    """
    v = pd.to_numeric(met[column], errors="coerce").fillna(0)
    if not stands_out(v):
        return []
    best = met.sort_values(column, ascending=False).head(top)
    return best.loc[v[best.index] > v.min(), "Label"].tolist()


def _connectors_headline(met: pd.DataFrame) -> str:
    """Who is best-connected and who brokers, said only of those who stand out."""
    best, brokers = leaders(met, "degree"), leaders(met, "betweenness")
    if best:
        text = f"The best-connected {'are' if len(best) > 1 else 'is'} {word_list(best)}. "
    else:
        text = equally_connected(met["degree"]) + " "
    if brokers:
        text += (f"The strongest broker{'s' * (len(brokers) > 1)} — who most often sit{'s' * (len(brokers) == 1)} on "
                 f"the shortest route between others — {'are' if len(brokers) > 1 else 'is'} {word_list(brokers)}. ")
    elif pd.to_numeric(met["betweenness"], errors="coerce").fillna(0).max() > 0:
        text += "No element stands out as a broker: each sits on the shortest routes between others equally often. "
    else:
        text += "No element is a broker: none sits on the shortest route between two others. "
    roles = met["role"].value_counts()
    return text + (f"{int(roles.get('peripheral', 0))} elements sit at the edge of the map and "
                   f"{int(roles.get('isolate', 0))} have no connections at all.")


def people_without_consent(m: NetworkMap) -> int:
    """How many people on the map may not be suggested for introductions (no explicit yes, or private).

    Examples
    --------
    >>> people_without_consent(NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Ann", "Hub"],
    ...                                                  "Type": ["Person", "CVS"]})))
    1
    """
    if not len(m.elements):
        return 0
    return int((is_person(m).to_numpy(dtype=bool) & is_private_element(m).to_numpy(dtype=bool)).sum())


def privacy_section(ctx: ReportContext) -> list[Item]:
    """What a public report left out (counts only) and the re-identification risk that remains.

    Examples
    --------
    >>> items = privacy_section(prepare("owa-2017", public=True))
    >>> "3 entries left out because they are people whose Consent is not an explicit yes" in items[1]
    True
    """
    left = list(ctx.map.metadata.get("left_out") or [])
    items: list[Item] = [heading("Privacy", 2)]
    items.append(paragraph("; ".join(left) + "." if left else "Nothing was left out: every entry is public.", "cop-note"))
    risk = at_risk(ctx.map)
    if not len(risk):
        items.append(paragraph(f"Every person and small organisation shown shares its number of ties, the kinds of "
                               f"its neighbours and its borough with at least {MIN_CROWD - 1} others.", "cop-note"))
        return items
    items.append(paragraph(
        f"Re-identification risk (published with --accept-risk): {len(risk)} of the people and small organisations "
        f"shown share their number of ties, the kinds of their neighbours and their borough with fewer than "
        f"{MIN_CROWD - 1} others (k below {MIN_CROWD}), so someone who knows a little about them could pick them out.",
        "cop-note"))
    shown = risk.rename(columns={"degree": "Ties", "neighbour_types": "Neighbour types"})
    cols = ["Label", "Type", "Ties", "Neighbour types", "Borough", "k"]
    items.append(table(shown, columns=cols, rows=25, **table_file(ctx, "at_risk", shown, columns=cols)))
    return items


# ----------------------------------------------------------------------- 1
def overview(ctx: ReportContext) -> list[Item]:
    """What the map holds, when it was last verified, headline figures.

    Examples
    --------
    >>> overview(prepare('owa-2017'))[0]
    '<h2>1. Overview</h2>'
    """
    m = ctx.map
    e, c = m.elements, m.connections
    items: list[Item] = [heading("1. Overview", 2)]
    n_types = e["Type"].nunique() if "Type" in e else 0
    kinds = f" of {n_types} kind{'s' if n_types != 1 else ''}" if n_types else ""
    text = f"This map holds {len(e):,} elements{kinds} and {len(c):,} connections."
    if "Last Verified" in e.columns:
        dates = pd.to_datetime(e["Last Verified"], errors="coerce")
        if dates.notna().any():
            text += f" Entries were last verified between {dates.min():%d %B %Y} and {dates.max():%d %B %Y}."
    items.append(headline(text))
    if m.metadata.get("understood"):
        items.append(paragraph(f"How the file was read: {m.metadata['understood']}.", "cop-note"))
    if ctx.method == "sampled":
        items.append(
            paragraph(
                f"On a map of this size ({len(e):,} elements, more than {ctx.exact_up_to:,}), betweenness, "
                "closeness, the diameter and the average path length are estimated from a random sample of "
                "elements (the same every time). Rankings of the leading elements are reliable; small "
                "differences between elements are not.",
                "cop-note",
            )
        )
    if "Type" in e.columns:
        counts = e["Type"].fillna("(no type)").value_counts().rename_axis("Element type").reset_index(name="Elements")
        items.append(table(counts))
    if "Type" in c.columns and len(c):
        counts = c["Type"].fillna("(no type)").value_counts().rename_axis("Connection type").reset_index(name="Connections")
        items.append(table(counts))
    summary = map_summary(m, method=ctx.method)
    summary = summary[~summary.index.astype(str).str.contains(":")]  # counts by type are shown above
    share = summary["description"].astype(str).str.startswith("share")
    shown = _shares_as_percent(summary, share, ["value"])
    shown.loc[share, "description"] = summary.loc[share, "description"].str.replace(" (0-1)", "", regex=False)
    items.append(table(shown.reset_index(), rows=40))
    if "transitivity" in summary.index:
        items.append(how_to_read("transitivity"))
    if len(e):
        deg = ctx.metrics["degree"]
        most = ctx.metrics.loc[deg.idxmax()]
        spread = deg.value_counts().sort_index().rename_axis("Ties").reset_index(name="Elements")
        caption = (f"Half the elements have {number_text(deg.median())} ties or fewer; "
                   f"{most['Label']} has the most, {number_text(most['degree'])}." if stands_out(deg)
                   else equally_connected(deg))
        items.extend(described(plot_degree_distribution(ctx.metrics), caption, spread))
    return items


def _shares_as_percent(summary: pd.DataFrame, share: pd.Series, columns: list[str]) -> pd.DataFrame:
    """``summary`` with the ``columns`` of its ``share`` rows written as percentages (a change in points)."""
    shown = summary.astype({c: object for c in columns})
    for c in columns:
        shown.loc[share, c] = [f"{float(v) * 100:+.0f} points" if c == "change" else f"{float(v):.0%}"
                               for v in summary.loc[share, c]]
    return shown


# ----------------------------------------------------------------------- 2
def the_map(ctx: ReportContext) -> list[Item]:
    """The network map, with find and filters.

    Examples
    --------
    >>> [type(item).__name__ for item in the_map(prepare('owa-2017'))][-2:]
    ['Figure', 'str']
    """
    items: list[Item] = [heading("2. The map", 2)]
    if len(ctx.map.elements) == 0:
        return items + [paragraph("The map has no elements to draw.", "cop-note")]
    if ctx.large:
        return items + _the_large_map(ctx)
    items.append(
        paragraph(
            "Each dot is an organisation, network or person; lines are connections. Bigger dots have "
            "more connections. Use the menus above the map to find an element or to show only some "
            "types; hover over a dot for details.",
        )
    )
    met = ctx.metrics
    caption = _map_caption(ctx)
    data = met.sort_values(["degree", "Label"], ascending=[False, True])
    cols = ["Label", "Type", "role", "degree"]
    items.extend(described(plot_network(ctx.map, metrics=met, layout=ctx.positions, title=ctx.title), caption, data,
                           columns=cols))
    return items


def _map_caption(ctx: ReportContext) -> str:
    """The key fact of the network picture: its size, and who has the most ties."""
    met = ctx.metrics
    best = met.loc[met["degree"].idxmax()]
    return (f"The map shows {len(met):,} elements and {len(ctx.map.connections):,} connections; "
            + (f"{best['Label']} has the most ties ({number_text(best['degree'])})." if stands_out(met["degree"])
               else equally_connected(met["degree"]).lower()))


def _the_large_map(ctx: ReportContext) -> list[Item]:
    """The network of a large map: its clusters (and boroughs) and how they connect, and a box to find any element."""
    met = ctx.metrics
    items: list[Item] = [paragraph(
        "On a map this size each circle is a cluster, sized by its members; lines join clusters with ties "
        "between them, thicker for more ties. The best-connected elements are drawn, named, inside their "
        "cluster. Hover over a circle or a dot for details, and use the box below to find any element and "
        "draw its neighbourhood.")]
    data = met.sort_values(["degree", "Label"], ascending=[False, True])
    cols = ["Label", "Type", "role", "degree"]
    every = table_file(ctx, "elements", data, columns=cols)
    items.extend(described(plot_overview(ctx.map, ctx.clusters, met, title=f"{ctx.title}: clusters and how they connect"),
                           _map_caption(ctx), data, columns=cols, **every))
    if ctx.has_places:
        boroughs = borough_summary(ctx.map, places=ctx.places).sort_values("elements", ascending=False)
        caption, _ = _most_said(boroughs, "elements", "{top} has the most elements on the map ({n}).")
        items.extend(described(plot_overview(ctx.map, ctx.clusters, met, by="borough", locations=ctx.places,
                                             title=f"{ctx.title}: boroughs and the ties between them"),
                               f"Each circle is a borough, near its place in London. {caption}", boroughs,
                               columns=["name", "elements", "ties_within", "ties_out"]))
    items.append(find_control(ctx.map, met, clusters=ctx.clusters, csv=every.get("file")))
    return items


# ----------------------------------------------------------------------- 3
def key_connectors(ctx: ReportContext) -> list[Item]:
    """Key connectors, brokers and the periphery.

    Examples
    --------
    >>> 'LVSC' in key_connectors(prepare('owa-2017'))[1]
    True
    """
    met = ctx.metrics
    items: list[Item] = [heading("3. Key connectors, brokers and the periphery", 2)]
    if len(met) == 0:
        return items + [paragraph("The map has no elements.", "cop-note")]
    if len(ctx.map.connections) == 0:
        return items + [no_ties_line("nobody can be ranked as better connected than the others, or as a broker")]
    items.append(headline(_connectors_headline(met)))
    items.append(how_to_read("betweenness", "reach", "closeness", "constraint"))
    brokers = met.sort_values("betweenness", ascending=False)
    if leaders(met, "betweenness"):  # a ranking of equals would single out no one
        first = brokers.iloc[0]
        caption = (f"{first['Label']} is the strongest go-between (betweenness {number_text(first['betweenness'])}), "
                   f"ahead of {word_list(brokers['Label'].iloc[1:3].tolist(), empty='nobody')}.")
        items.extend(described(plot_ranking(met, "betweenness", top=15), caption, brokers.head(15),
                               columns=["Label", "betweenness"]))
    cols = ["Label", "Type", "role", "degree", "betweenness", "reach", "closeness", "constraint"]
    items.append(table(brokers, columns=cols, **table_file(ctx, "key_connectors", brokers, columns=cols)))
    edge = met[met["role"].isin(["peripheral", "isolate"])].sort_values("degree")
    if len(edge):
        items.append(heading("At the edge of the map"))
        cols = ["Label", "Type", "role", "degree"]
        items.append(table(edge, columns=cols, **table_file(ctx, "at_the_edge", edge, columns=cols)))
    return items


def focus_elements(ctx: ReportContext) -> list[Item]:
    """A close look at each element named with ``--focus``.

    Examples
    --------
    >>> focus_elements(prepare('owa-2017', focus=['LVSC']))[0]
    '<h3>Focus: LVSC</h3>'
    """
    items: list[Item] = []
    for number, element in enumerate(ctx.focus, start=1):
        label = ctx.map.label_of(element)
        ego = ego_network(ctx.map, element, steps=1)
        row = ctx.metrics.loc[element]
        items.append(heading(f"Focus: {label}", 3))
        items.append(
            headline(
                f"{label} has {int(row['degree'])} direct connections and reaches {int(row['reach'])} "
                f"others within two steps; its role on this map: {row['role']}."
            )
        )
        around = ego.elements[ego.elements["ID"].astype(str) != element]
        caption = f"{label} and its {len(around):,} direct connections."
        drawn = ego
        if ctx.large and len(around) > FOCUS_DRAWN:
            best = ctx.metrics.loc[around["ID"].astype(str), "degree"].sort_values(ascending=False, kind="stable")
            drawn = ego.subset([element, *best.index[:FOCUS_DRAWN]])
            caption += (f" The picture draws the {FOCUS_DRAWN:,} best-connected of them, so that the page stays quick;"
                        " the table lists them all.")
        items.extend(described(plot_network(drawn, elements=element, title=f"{label} and its direct connections"),
                               caption, around, columns=["Label", "Type"],
                               **table_file(ctx, f"focus_{number}", around, columns=["Label", "Type"])))
    return items


# ----------------------------------------------------------------------- 4
def clusters(ctx: ReportContext) -> list[Item]:
    """Clusters and how they connect.

    Examples
    --------
    >>> clusters(prepare('owa-2017'))[0]
    '<h2>4. Clusters and how they connect</h2>'
    """
    items: list[Item] = [heading("4. Clusters and how they connect", 2)]
    cl = ctx.clusters
    if len(cl) == 0 or len(ctx.map.connections) == 0:
        return items + [paragraph("There are no connections, so there are no clusters to find.", "cop-note")]
    summary = cluster_summary(ctx.map, cl)
    big = summary.sort_values("size", ascending=False)
    items.append(
        headline(
            f"The map falls into {len(summary)} clusters (modularity {cl.attrs.get('modularity', float('nan')):.2f}). "
            + (f"The largest are {word_list(big['cluster_name'].head(3).tolist(), empty='nobody')}."
               if len(big) == 1 or stands_out(big["size"]) else f"They are all the same size ({number_text(big['size'].iloc[0])} elements each).")
        )
    )
    items.append(how_to_read("modularity"))
    largest = big.iloc[0]
    caption = (f"The largest cluster, {largest['cluster_name']}, has {number_text(largest['size'])} elements, "
               f"most of them of the type {str(largest['main_types']).split(' (')[0]}."
               if len(big) == 1 or stands_out(big["size"])
               else f"All {len(big):,} clusters have {number_text(largest['size'])} elements.")
    items.extend(described(plot_cluster_composition(cl), caption, big.head(12), columns=["cluster_name", "size", "main_types"]))
    cols = ["cluster_name", "size", "Label_hub", "main_types", "main_boroughs", "internal_ties", "external_ties"]
    items.append(table(big, columns=cols, **table_file(ctx, "clusters", big, columns=cols)))
    ties = cluster_ties(ctx.map, cl)
    if len(ties) > 1:
        items.append(heading("Ties between clusters"))
        items.extend(described(plot_cluster_matrix(ctx.map, cl), _matrix_fact(ties), ties, index=True,
                               **table_file(ctx, "cluster_ties", ties, index=True)))
    return items


def _what_if_figure(ctx: ReportContext, result: Any) -> Item:
    """The what-if picture: the map before and after (cluster by cluster on a large report)."""
    if ctx.large:
        return plot_what_if_overview(ctx.map, result, ctx.clusters)
    return plot_what_if(ctx.map, result, layout=ctx.positions)


def _matrix_fact(ties: pd.DataFrame) -> str:
    """The key fact of the cluster matrix: the share of ties inside clusters, and the busiest pair of clusters."""
    z = ties.to_numpy()
    inside, total = int(np.trace(z)), int(np.triu(z).sum())
    between = np.triu(z, k=1)
    i, j = np.unravel_index(int(between.argmax()), between.shape)
    fact = f"{inside / total:.0%} of the ties are inside a cluster" if total else "There are no ties"
    if between[i, j] > 0:
        fact += (f"; the most ties between two clusters join {ties.index[i]} and {ties.columns[j]} "
                 f"({number_text(between[i, j])})")
    return fact + "."


# ----------------------------------------------------------------------- 5
def what_if_section(ctx: ReportContext) -> list[Item]:
    """What happens if some elements go (default: the top broker).

    Examples
    --------
    >>> 'Without LVSC' in what_if_section(prepare('owa-2017'))[1]
    True
    """
    items: list[Item] = [heading("5. What if a hub goes?", 2)]
    if len(ctx.map.elements) == 0:
        return items + [paragraph("The map is empty.", "cop-note")]
    if len(ctx.map.connections) == 0:
        return items + [no_ties_line("taking an element away leaves the others as they are")]
    if not ctx.removed:
        return items + [paragraph("No element stands out as a hub: all are equally connected and none is more of a "
                                  "go-between than the others. Name one with --remove to see what happens without it.",
                                  "cop-note")]
    result = what_if(ctx.map, remove=ctx.removed, method=ctx.method, metrics=ctx.metrics)
    items.append(headline(result.headline()))
    if ctx.large:
        items.append(paragraph(
            "On a map this size the what-if is drawn cluster by cluster, and the go-between (betweenness) ranks "
            "before and after are estimated from the same sample of elements as the rest of this report.", "cop-note"))
    who = word_list(result.removed_labels)
    gainers = result.gainers()
    caption = (f"Left, the map as it is; right, the map without {who}: {len(result.cut_off):,} elements are cut off "
               f"and {len(gainers):,} climb the go-between ranking.")
    data = result.cut_off if len(result.cut_off) else gainers
    cols = ["Label", "Type", "piece_size", "rank_before", "rank_after"]
    items.extend(described(_what_if_figure(ctx, result), caption, data, columns=cols,
                           **table_file(ctx, "what_if", data, columns=cols)))
    before_after = result.summary.reset_index() if result.summary.index.name else result.summary
    share = before_after["measure"].astype(str).str.startswith("share") if "measure" in before_after else None
    items.append(table(before_after if share is None else _shares_as_percent(before_after, share, ["before", "after", "change"])))
    if len(result.cut_off):
        items.append(heading("Cut off from the rest of the map"))
        items.append(table(result.cut_off, columns=["Label", "Type"],
                           **table_file(ctx, "cut_off", result.cut_off, columns=["Label", "Type"])))
    items.append(heading("Who comes to the fore"))
    if len(gainers):
        items.append(paragraph(f"{len(gainers):,} elements climb the go-between (betweenness) ranking without {who}; "
                               "those who gain most brokerage come first."))
        cols = ["Label", "rank_before", "rank_after", "rank_gain"]
        items.append(table(gainers, columns=cols, **table_file(ctx, "to_the_fore", gainers, columns=cols)))
    else:
        items.append(paragraph(f"Nobody climbs the go-between (betweenness) ranking without {who}: the order of "
                               "the others stays the same or falls.", "cop-note"))
    return items


# ----------------------------------------------------------------------- 6
def geography(ctx: ReportContext) -> list[Item]:
    """Where organisations and resources are, collaboration flows, local sharing.

    Examples
    --------
    >>> geography(prepare('owa-2017'))[0]
    '<h2>6. Geography</h2>'
    """
    items: list[Item] = [heading("6. Geography", 2)]
    if not ctx.has_places:
        return items + [paragraph("This map has no boroughs, postcodes or coordinates, so there is nothing to place on a map of London.", "cop-note")]
    placed = ctx.places
    n_placed = int(placed["Latitude"].notna().sum())
    n_approx = int(placed["approximate"].fillna(False).astype(bool).sum())
    boroughs = borough_summary(ctx.map, places=ctx.places)
    busiest = boroughs[boroughs["elements"] > 0].sort_values("elements", ascending=False)["name"].head(3).tolist()
    items.append(
        headline(
            f"{n_placed:,} of {len(placed):,} elements could be placed on the map of London "
            f"({n_approx:,} only by their borough, so their dots are approximate). "
            f"Most are in {word_list(busiest, empty='nobody')}."
        )
    )
    caption = f"{n_placed:,} of {len(placed):,} elements are drawn on the map of London; most are in {word_list(busiest, empty='nobody')}."
    listed = placed.sort_values(["borough_name", "Label"])
    cols = ["Label", "Type", "borough_name", "approximate"]
    items.extend(described(plot_london(ctx.map, locations=placed, metrics=ctx.metrics), caption, listed,
                           columns=cols, **table_file(ctx, "places", listed, columns=cols)))
    return items + _by_borough(boroughs) + _between_boroughs(ctx) + _sharing(ctx)


def _most(boroughs: pd.DataFrame, column: str) -> tuple[str, str, pd.DataFrame]:
    """The borough with the most of ``column``, how many, and the boroughs ranked by it.

    When no borough has more than another, the first is ``""`` (nobody is called "the most").
    """
    ranked = boroughs.sort_values([column, "name"], ascending=[False, True])
    top = str(ranked["name"].iloc[0]) if stands_out(ranked[column]) else ""
    return top, number_text(ranked[column].iloc[0]), ranked


def _most_said(boroughs: pd.DataFrame, column: str, sentence: str) -> tuple[str, pd.DataFrame]:
    """``sentence`` (with ``{top}`` and ``{n}``) about the borough with the most, or that none has more."""
    top, n, ranked = _most(boroughs, column)
    if not top:
        return f"Every borough has the same ({n}): none stands out.", ranked
    return sentence.format(top=top, n=n), ranked


def _by_borough(boroughs: pd.DataFrame) -> list[Item]:
    """Elements and assets by borough, and where resources are against where collaboration is."""
    items: list[Item] = [heading("Organisations and resources by borough")]
    caption, ranked = _most_said(boroughs, "elements", "{top} has the most elements on the map ({n}).")
    items.extend(described(plot_borough_choropleth(boroughs, "elements", label="Elements on the map"),
                           caption, ranked, columns=["name", "elements"]))
    items.append(
        paragraph(
            "On the tile map every borough is the same size, so small central boroughs are as easy to "
            "see as large outer ones."
        )
    )
    caption, ranked = _most_said(boroughs, "assets", "{top} offers the most assets ({n}).")
    items.extend(described(plot_tile_grid(boroughs, "assets", label="Assets offered"),
                           caption, ranked, columns=["name", "assets"]))
    caption, ranked = _most_said(boroughs, "ties_within", "{top} has the most ties within the borough ({n}).")
    items.extend(described(plot_collaboration_vs_resources(boroughs),
                           f"Colour shows assets and circles show ties within each borough. {caption}", ranked,
                           columns=["name", "assets", "ties_within"]))
    table_cols = ["name", "elements", "assets", "needs", "offers", "ties_within", "ties_out"]
    items.append(table(boroughs.sort_values("elements", ascending=False), columns=table_cols))
    return items


def _between_boroughs(ctx: ReportContext) -> list[Item]:
    """Ties that cross a borough boundary."""
    flows = borough_flows(ctx.map, places=ctx.places)
    between = flows[flows["code_a"] != flows["code_b"]].sort_values("ties", ascending=False)
    items: list[Item] = [heading("Collaboration between boroughs")]
    if not len(between):
        return items + [paragraph("No ties cross a borough boundary.", "cop-note")]
    first = between.iloc[0]
    caption = (f"{len(between):,} pairs of boroughs have ties between them; the most are between "
               f"{first['name_a']} and {first['name_b']} ({number_text(first['ties'])})." if stands_out(between["ties"])
               else f"{len(between):,} pairs of boroughs have ties between them, {number_text(first['ties'])} each.")
    items.extend(described(plot_flows(flows), caption, between, columns=["name_a", "name_b", "ties"]))
    cols = ["name_a", "name_b", "ties", "types"]
    items.append(table(between, columns=cols, **table_file(ctx, "borough_pairs", between, columns=cols)))
    return items


def _sharing(ctx: ReportContext) -> list[Item]:
    """Nearby pairs with no tie that could share what one has and the other needs."""
    sharing = local_sharing(ctx.map, top=SHARING_TOP if ctx.large else None, places=ctx.places)
    items: list[Item] = [heading("Where sharing could happen but does not yet")]
    if not len(sharing):
        return items + [paragraph("No nearby pairs without a tie have needs and offers or assets to share.", "cop-note")]
    some = "At least " if ctx.large and len(sharing) >= SHARING_TOP else ""
    items.append(
        headline(f"{some}{len(sharing):,} pairs of nearby organisations with no tie could share what one has and the other needs.")
    )
    if ctx.large:
        items.append(paragraph(
            f"On a map this size, local sharing keeps the {SHARING_TOP:,} nearby pairs with the most to share "
            "(then the nearest): pairs are found on a grid of nearby places, never by comparing every pair.", "cop-note"))
    drawn = sharing.head(50)  # the pairs plot_local_sharing draws
    closest = drawn.loc[drawn["distance_km"].idxmin()]
    rough = bool(closest.get("approximate", False))  # placed only by borough: whole kilometres
    caption = (f"The {len(drawn):,} nearest pairs are drawn as dashed lines; the closest, {closest['Label_a']} and "
               f"{closest['Label_b']}, are {distance_text(float(closest['distance_km']), rough)} apart.")
    items.extend(described(plot_local_sharing(ctx.map, sharing, locations=ctx.places), caption, drawn,
                           columns=["Label_a", "Label_b", "distance_km"]))
    cols = ["Label_a", "Label_b", "distance_km", "reason"]
    items.append(table(sharing, columns=cols, **table_file(ctx, "local_sharing", sharing, columns=cols)))
    return items


#: Who needs and who offers, in the tables of needs matched to offers.
MATCH_HEADINGS = {"Label_a": "Needs it", "Label_b": "Offers it"}


# ----------------------------------------------------------------------- 7
def building(ctx: ReportContext) -> list[Item]:
    """Introductions to make, and needs matched to offers.

    Examples
    --------
    >>> building(prepare('owa-2017'))[0]
    '<h2>7. Introductions to make</h2>'
    """
    items: list[Item] = [heading("7. Introductions to make", 2)]
    unconsented = people_without_consent(ctx.map)
    intro = (suggest_introductions(ctx.map, top=10, max_candidates=INTRO_CANDIDATES)
             if len(ctx.map.connections) else None)
    if intro is None:
        items.append(no_ties_line("introductions cannot be worked out from who works with whom"))
    elif len(intro):
        first = intro.iloc[0]
        items.append(headline(f"The introduction most worth making: {first['Label_a']} and {first['Label_b']} — {first['reason']}."))
        items.append(table(intro, columns=["Label_a", "Label_b", "reason", "reach_gain"]))
    elif not unconsented:
        items.append(paragraph("No introductions to suggest: everyone who could usefully meet is already connected.", "cop-note"))
    if intro is not None and ctx.large:
        items.append(paragraph(
            f"On a map this size, introductions come from the bounded search: each element's {INTRO_CANDIDATES} most "
            "promising contacts of contacts, and nearby elements that could meet one another's needs, never every "
            "pair of elements.", "cop-note"))
    if unconsented:
        items.append(paragraph(
            f"Introductions between people need their consent: {unconsented:,} "
            f"{'person' if unconsented == 1 else 'people'} on this map {'has' if unconsented == 1 else 'have'} no "
            "explicit yes in a Consent column (or are marked private), so no introduction is suggested for them. "
            "Ask them, and record their answer in a Consent column, to include them.", "cop-note"))
    e = ctx.map.elements
    if not ({"Needs", "Offers"} <= set(e.columns)) or (e["Needs"].isna().all() and e["Offers"].isna().all()):
        items.append(paragraph("This map records no needs or offers, so they cannot be matched.", "cop-note"))
        return items
    matches = match_needs_offers(ctx.map)
    items.append(heading("Needs matched to offers"))
    if len(matches):
        untied = matches[~matches["already_tied"].astype(bool)]
        items.append(
            headline(f"{len(matches):,} needs could be met by someone on the map; {len(untied):,} of these are between elements with no tie yet.")
        )
        wanted = matches["item"].astype(str).value_counts()
        caption = (f"The first {min(len(matches), 30):,} matches are drawn; the need met most often is "
                   f"{wanted.index[0]} ({wanted.iloc[0]:,} matches).")
        items.extend(described(plot_matches(matches), caption, matches.head(30), columns=["Label_a", "item", "Label_b"],
                               headings=MATCH_HEADINGS))
        listed, cols = untied if len(untied) else matches, ["Label_a", "item", "Label_b", "distance_km", "reason"]
        items.append(table(listed, columns=cols, headings=MATCH_HEADINGS,
                           **table_file(ctx, "needs_matched", listed, columns=cols, headings=MATCH_HEADINGS)))
    else:
        items.append(paragraph("No recorded need matches a recorded offer.", "cop-note"))
    return items


# ----------------------------------------------------------------------- 8
def changes(ctx: ReportContext) -> list[Item]:
    """Changes since the previous snapshot, when one is given.

    Examples
    --------
    >>> '16 elements joined' in changes(prepare('owa-2018', previous_path='owa-2017'))[1]
    True
    """
    items: list[Item] = [heading("8. Changes since the last snapshot", 2)]
    if ctx.previous is None:
        return items + [paragraph("No earlier snapshot was given, so changes cannot be shown (use --previous).", "cop-note")]
    cmp = compare_maps(ctx.previous, ctx.map)
    items.append(headline(cmp.headline()))
    summary = cmp.summary.reset_index() if cmp.summary.index.name else cmp.summary
    items.append(table(summary, rows=20))
    items.extend(described(plot_comparison(cmp), cmp.headline(), summary))
    renamed = {"Label_a": "Name before", "Label_b": "Name now"}
    for name, file, frame in (
        ("New on the map", "new_on_the_map", cmp.elements_added),
        ("No longer on the map", "no_longer_on_the_map", cmp.elements_removed),
        ("Renamed", "renamed", cmp.elements_renamed),
    ):
        if len(frame):
            items.append(heading(name))
            items.append(table(frame, headings=renamed, **table_file(ctx, file, frame, headings=renamed)))
    return items + development(ctx)


def development(ctx: ReportContext) -> list[Item]:
    """How the network developed since the previous snapshot: its stage, its health, the introductions made.

    Examples
    --------
    >>> items = development(prepare('owa-2018', previous_path='owa-2017'))
    >>> items[0], 'multi-hub small world' in items[1]
    ('<h3>How the network is developing</h3>', True)
    """
    if ctx.previous is None:
        return []
    before, now = network_stage(ctx.previous), network_stage(ctx.map)
    items: list[Item] = [heading("How the network is developing")]
    items.append(headline(f"Then: {before.stage}. Now: {now.stage}."))
    items.append(paragraph(now.text()))
    health = network_health([ctx.previous, ctx.map])
    items.append(table(health.T.reset_index().rename(columns={"index": "measure"})))
    followed = introductions_followed(ctx.previous, ctx.map, suggest_introductions(ctx.previous))
    made = followed[followed["followed"]]
    items.append(heading("Introductions followed"))
    items.append(paragraph(f"{len(made)} of the {len(followed)} introductions suggested on the earlier map became ties."))
    if len(made):
        cols = ["Label_a", "Label_b", "kind", "outcome"]
        items.append(table(made, columns=cols, **table_file(ctx, "introductions_followed", made, columns=cols)))
    return items


# ----------------------------------------------------------------------- 9
def data_quality(ctx: ReportContext, *, stale_days: int = 365) -> list[Item]:
    """Missing fields, stale "last verified" dates, suspected duplicates, isolated elements.

    Examples
    --------
    >>> data_quality(prepare('owa-2017'))[0]
    '<h2>9. Data quality</h2>'
    """
    m = ctx.map
    items: list[Item] = [heading("9. Data quality", 2)]
    missing = missing_fields(m)
    items.append(heading("Missing information"))
    if len(missing):
        items.append(table(missing, rows=30))
    else:
        items.append(paragraph("Every field is filled in for every element.", "cop-note"))
    if "Last Verified" in m.elements.columns:
        stale = stale_elements(m, days=stale_days)
        items.append(heading("Not verified for over a year"))
        if len(stale):
            items.append(paragraph(f"{len(stale)} entries were last checked more than {stale_days} days before the map's date, or never."))
            cols = ["Label", "Type", "Last Verified"]
            items.append(table(stale, columns=cols, **table_file(ctx, "not_verified", stale, columns=cols)))
        else:
            items.append(paragraph("Every entry was verified within the last year.", "cop-note"))
    dups = suspected_duplicates(m)
    items.append(heading("Suspected duplicates"))
    if len(dups):
        cols = ["Label_a", "Label_b", "reason"]
        items.append(table(dups, columns=cols, **table_file(ctx, "suspected_duplicates", dups, columns=cols)))
    else:
        items.append(paragraph("No two elements have the same or nearly the same name.", "cop-note"))
    warnings = m.warnings_table()
    items.append(heading("Warnings found when reading the map"))
    if len(warnings):
        labels = dict(zip(m.elements["ID"].astype(str), m.elements["Label"].astype(str)))
        items.append(render("story/bullets.html.j2", items=warning_summary(warnings, labels), cls="cop-warnings"))
        every = warnings.assign(kind=[column_heading(k, WARNING_KINDS) for k in warnings["kind"]])
        shown = every.dropna(axis="columns", how="all")
        cols = ["kind", "message", "file", "sheet", "row", "column"]
        items.append(figure_text("", shown, summary="Show every warning", columns=cols,
                                 **table_file(ctx, "warnings", shown, columns=cols)))
    else:
        items.append(paragraph("No warnings: no isolated elements, self-links or duplicate labels were found.", "cop-note"))
    return items


SECTIONS = [overview, the_map, key_connectors, focus_elements, clusters, what_if_section, geography, building, changes, data_quality]
