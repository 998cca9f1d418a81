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
from typing import Any

import pandas as pd

from cop_toolkit.analysis.boroughs import borough_flows, borough_summary
from cop_toolkit.analysis.clusters import cluster_summary, cluster_ties, find_clusters
from cop_toolkit.analysis.compare import compare_maps
from cop_toolkit.analysis.ego import ego_network
from cop_toolkit.analysis.metrics import element_metrics
from cop_toolkit.analysis.resilience import what_if
from cop_toolkit.analysis.summary import map_summary
from cop_toolkit.building.resources import match_needs_offers
from cop_toolkit.building.sharing import local_sharing
from cop_toolkit.building.weaving import suggest_introductions
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.quality import (
    missing_fields,
    stale_elements,
    suspected_duplicates,
)
from cop_toolkit.core.text import word_list
from cop_toolkit.figures.charts import (
    plot_cluster_composition,
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
from cop_toolkit.geo.locate import locate
from cop_toolkit.reports import background
from cop_toolkit.reports.html import Markup, render
from cop_toolkit.reports.runner import SECOND_PROCESS_VARIABLE, resolve_input

__all__ = [
    "ReportContext",
    "prepare",
    "show",
    "work_ahead",
    "WorkAhead",
    "paragraph",
    "headline",
    "table",
    "overview",
    "the_map",
    "key_connectors",
    "focus_elements",
    "clusters",
    "what_if_section",
    "geography",
    "building",
    "changes",
    "data_quality",
    "SECTIONS",
    "REPORT_EXACT_LIMIT",
]

Item = Any  # an HTML string or a plotly Figure

#: Above this many elements a report estimates betweenness, closeness and path
#: lengths from sampled elements (see :attr:`ReportContext.method`), so a
#: 10,000-element report takes seconds, not minutes; lessons and the analysis
#: functions keep their own limit (``cop_toolkit.analysis.engine.EXACT_LIMIT``).
REPORT_EXACT_LIMIT = 3_000


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


def table(df: pd.DataFrame, *, columns: list[str] | None = None, rows: int = 15, index: bool = False) -> str:
    """Render a table as escaped HTML (at most ``rows`` rows).

    Examples
    --------
    >>> table(pd.DataFrame({"Label": ["<b>x</b>"]}))[:24]
    '<table border="1" class='
    >>> "&lt;b&gt;" in table(pd.DataFrame({"Label": ["<b>x</b>"]}))
    True
    """
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    shown = df.head(rows)
    body = shown.to_html(escape=True, index=index, classes="cop-table", na_rep="", float_format=lambda x: f"{x:,.3g}")
    more = f"{len(df) - rows:,}" if len(df) > rows else ""
    # pandas escapes every cell and header (escape=True): its table is trusted as it is
    return render("story/table.html.j2", table=Markup(body), more=more)


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
        if sections and in_report_mode() and os.environ.get(SECOND_PROCESS_VARIABLE) != "0":

            def html_of(section: Callable[[ReportContext], list[Item]]) -> Callable[[], list[str]]:
                # items travel as the HTML the report page shows
                return lambda: [x if isinstance(x, str) else report_html(x) for x in section(ctx)]

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


def work_ahead(ctx: ReportContext, sections: list[Callable[[ReportContext], list[Item]]]) -> WorkAhead:
    """Start working out some sections of a report in a second process; collect them with ``.get``.

    Under ``cop-report`` on a machine with two or more cores (Linux), a copy
    of the report kernel (:mod:`cop_toolkit.reports.background`) makes these sections,
    figures written as the report page shows them, while the kernel shows the
    others: the report is ready sooner. Anywhere else (and in batches, which
    already run one report per core), and if the copy fails, ``get`` makes the
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

    @property
    def method(self) -> str:
        """``"exact"`` or ``"sampled"``: how path-based measures are worked out for this report."""
        return "exact" if len(self.map.elements) <= REPORT_EXACT_LIMIT else "sampled"

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
        """The elements taken out in the what-if section (default: the top broker)."""
        if self.remove:
            return self.remove
        if len(self.metrics) == 0:
            return []
        return [str(self.metrics["betweenness"].idxmax())]


def prepare(
    input_path: str,
    previous_path: str = "",
    title: str = "",
    focus: list[str] | tuple[str, ...] = (),
    remove: list[str] | tuple[str, ...] = (),
    public: bool = False,
) -> ReportContext:
    """Read and check the report's inputs; return the shared context.

    Private elements and fields are removed (``public=True``) before anything
    else is computed, so they cannot reach any table or figure.

    Examples
    --------
    >>> len(prepare("owa-2017", public=True).map) < len(prepare("owa-2017").map)
    True
    """
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
    )


def title_block(ctx: ReportContext) -> list[Item]:
    """The report's title and a line on how it was made."""
    date = ctx.map.metadata.get("date") or ""
    made = dt.date.today().isoformat()
    bits = [f"Map dated {date}." if date else "", f"Report made on {made} with cop_toolkit."]
    if ctx.public:
        bits.append("Public version: private entries and fields, and people who have not agreed to be shown, are left out.")
    return [heading(ctx.title, 1), paragraph(" ".join(b for b in bits if b), "cop-note")]


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
    text = f"This map holds {len(e):,} elements of {n_types} kinds and {len(c):,} connections."
    if "Last Verified" in e.columns:
        dates = pd.to_datetime(e["Last Verified"], errors="coerce")
        if dates.notna().any():
            text += f" Entries were last verified between {dates.min():%d %B %Y} and {dates.max():%d %B %Y}."
    items.append(headline(text))
    if ctx.method == "sampled":
        items.append(
            paragraph(
                f"On a map of this size ({len(e):,} elements, more than {REPORT_EXACT_LIMIT:,}), betweenness, "
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
    items.append(table(summary.reset_index(), rows=40))
    if len(e):
        items.append(plot_degree_distribution(ctx.metrics))
    return items


# ----------------------------------------------------------------------- 2
def the_map(ctx: ReportContext) -> list[Item]:
    """The network map, with find and filters.

    Examples
    --------
    >>> type(the_map(prepare('owa-2017'))[-1]).__name__
    'Figure'
    """
    items: list[Item] = [heading("2. The map", 2)]
    if len(ctx.map.elements) == 0:
        return items + [paragraph("The map has no elements to draw.", "cop-note")]
    items.append(
        paragraph(
            "Each dot is an organisation, network or person; lines are connections. Bigger dots have "
            "more connections. Use the menus above the map to find an element or to show only some "
            "types; hover over a dot for details.",
        )
    )
    items.append(plot_network(ctx.map, metrics=ctx.metrics, layout=ctx.positions, title=ctx.title))
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
    top_degree = met.sort_values("degree", ascending=False).head(3)["Label"].tolist()
    top_broker = met.sort_values("betweenness", ascending=False).head(3)["Label"].tolist()
    roles = met["role"].value_counts()
    items.append(
        headline(
            f"The best-connected are {word_list(top_degree, empty='nobody')}. The strongest brokers — who most often sit on "
            f"the shortest route between others — are {word_list(top_broker, empty='nobody')}. "
            f"{int(roles.get('peripheral', 0))} elements sit at the edge of the map and "
            f"{int(roles.get('isolate', 0))} have no connections at all."
        )
    )
    items.append(plot_ranking(met, "betweenness", top=15))
    cols = ["Label", "Type", "role", "degree", "betweenness", "reach", "constraint"]
    items.append(table(met.sort_values("betweenness", ascending=False), columns=cols, rows=15))
    edge = met[met["role"].isin(["peripheral", "isolate"])]
    if len(edge):
        items.append(heading("At the edge of the map"))
        items.append(table(edge.sort_values("degree"), columns=["Label", "Type", "role", "degree"], rows=20))
    return items


def focus_elements(ctx: ReportContext) -> list[Item]:
    """A close look at each element named with ``--focus``.

    Examples
    --------
    >>> focus_elements(prepare('owa-2017', focus=['LVSC']))[0]
    '<h3>Focus: LVSC</h3>'
    """
    items: list[Item] = []
    for element in ctx.focus:
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
        items.append(plot_network(ego, elements=element, title=f"{label} and its direct connections"))
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
            f"The largest are {word_list(big['cluster_name'].head(3).tolist(), empty='nobody')}."
        )
    )
    items.append(plot_cluster_composition(cl))
    items.append(table(big, columns=["cluster_name", "size", "Label_hub", "main_types", "main_boroughs", "internal_ties", "external_ties"]))
    ties = cluster_ties(ctx.map, cl)
    if len(ties) > 1:
        items.append(heading("Ties between clusters"))
        items.append(table(ties, index=True, rows=20))
    return items


# ----------------------------------------------------------------------- 5
def what_if_section(ctx: ReportContext) -> list[Item]:
    """What happens if some elements go (default: the top broker).

    Examples
    --------
    >>> 'Without LVSC' in what_if_section(prepare('owa-2017'))[1]
    True
    """
    items: list[Item] = [heading("5. What if a hub goes?", 2)]
    if not ctx.removed:
        return items + [paragraph("The map is empty.", "cop-note")]
    result = what_if(ctx.map, remove=ctx.removed, method=ctx.method, metrics=ctx.metrics)
    items.append(headline(result.headline()))
    items.append(plot_what_if(ctx.map, result, layout=ctx.positions))
    items.append(table(result.summary.reset_index() if result.summary.index.name else result.summary))
    if len(result.cut_off):
        items.append(heading("Cut off from the rest of the map"))
        items.append(table(result.cut_off, columns=["Label", "Type"], rows=30))
    items.append(heading("Who comes to the fore"))
    items.append(table(result.to_the_fore, columns=["Label", "rank_before", "rank_after", "rank_gain"], rows=10))
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
    boroughs = borough_summary(ctx.map)
    busiest = boroughs.sort_values("elements", ascending=False)["name"].head(3).tolist()
    items.append(
        headline(
            f"{n_placed:,} of {len(placed):,} elements could be placed on the map of London "
            f"({n_approx:,} only by their borough, so their dots are approximate). "
            f"Most are in {word_list(busiest, empty='nobody')}."
        )
    )
    items.append(plot_london(ctx.map, locations=placed, metrics=ctx.metrics))
    items.append(heading("Organisations and resources by borough"))
    items.append(plot_borough_choropleth(boroughs, "elements", label="Elements on the map"))
    items.append(
        paragraph(
            "On the tile map every borough is the same size, so small central boroughs are as easy to "
            "see as large outer ones."
        )
    )
    items.append(plot_tile_grid(boroughs, "assets", label="Assets offered"))
    items.append(plot_collaboration_vs_resources(boroughs))
    table_cols = ["name", "elements", "assets", "needs", "offers", "ties_within", "ties_out"]
    items.append(table(boroughs.sort_values("elements", ascending=False), columns=table_cols, rows=12))
    flows = borough_flows(ctx.map)
    between = flows[flows["code_a"] != flows["code_b"]]
    items.append(heading("Collaboration between boroughs"))
    if len(between):
        items.append(plot_flows(flows))
        items.append(table(between.sort_values("ties", ascending=False), columns=["name_a", "name_b", "ties", "types"], rows=10))
    else:
        items.append(paragraph("No ties cross a borough boundary.", "cop-note"))
    sharing = local_sharing(ctx.map)
    items.append(heading("Where sharing could happen but does not yet"))
    if len(sharing):
        items.append(
            headline(f"{len(sharing):,} pairs of nearby organisations with no tie could share what one has and the other needs.")
        )
        items.append(plot_local_sharing(ctx.map, sharing, locations=placed))
        items.append(table(sharing, columns=["Label_a", "Label_b", "distance_km", "reason"], rows=10))
    else:
        items.append(paragraph("No nearby pairs without a tie have needs and offers or assets to share.", "cop-note"))
    return items


# ----------------------------------------------------------------------- 7
def building(ctx: ReportContext) -> list[Item]:
    """Introductions to make, and needs matched to offers.

    Examples
    --------
    >>> building(prepare('owa-2017'))[0]
    '<h2>7. Introductions to make</h2>'
    """
    items: list[Item] = [heading("7. Introductions to make", 2)]
    intro = suggest_introductions(ctx.map, top=10)
    if len(intro):
        first = intro.iloc[0]
        items.append(headline(f"The introduction most worth making: {first['Label_a']} and {first['Label_b']} — {first['reason']}."))
        items.append(table(intro, columns=["Label_a", "Label_b", "reason", "reach_gain"], rows=10))
    else:
        items.append(paragraph("No introductions to suggest: everyone who could usefully meet is already connected.", "cop-note"))
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
        items.append(plot_matches(matches))
        items.append(table(untied if len(untied) else matches, columns=["Label_a", "item", "Label_b", "distance_km", "reason"], rows=12))
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
    items.append(table(cmp.summary.reset_index() if cmp.summary.index.name else cmp.summary, rows=20))
    items.append(plot_comparison(cmp))
    for name, frame in (
        ("New on the map", cmp.elements_added),
        ("No longer on the map", cmp.elements_removed),
        ("Renamed", cmp.elements_renamed),
    ):
        if len(frame):
            items.append(heading(name))
            items.append(table(frame, rows=15))
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
        shown = missing.assign(share_missing=missing["share_missing"].map(lambda x: f"{x:.0%}"))
        items.append(table(shown, rows=30))
    else:
        items.append(paragraph("Every field is filled in for every element.", "cop-note"))
    if "Last Verified" in m.elements.columns:
        stale = stale_elements(m, days=stale_days)
        items.append(heading("Not verified for over a year"))
        if len(stale):
            items.append(paragraph(f"{len(stale)} entries were last checked more than {stale_days} days before the map's date, or never."))
            items.append(table(stale, columns=["Label", "Type", "Last Verified"], rows=20))
        else:
            items.append(paragraph("Every entry was verified within the last year.", "cop-note"))
    dups = suspected_duplicates(m)
    items.append(heading("Suspected duplicates"))
    if len(dups):
        items.append(table(dups, columns=["Label_a", "Label_b", "reason"], rows=20))
    else:
        items.append(paragraph("No two elements have the same or nearly the same name.", "cop-note"))
    warnings = m.warnings_table()
    items.append(heading("Warnings found when reading the map"))
    if len(warnings):
        counts = warnings["kind"].value_counts().rename_axis("Kind").reset_index(name="How many")
        items.append(table(counts))
        items.append(table(warnings, columns=["kind", "message"], rows=25))
    else:
        items.append(paragraph("No warnings: no isolated elements, self-links or duplicate labels were found.", "cop-note"))
    return items


SECTIONS = [overview, the_map, key_connectors, focus_elements, clusters, what_if_section, geography, building, changes, data_quality]
