"""Charts of result tables: distributions, rankings, clusters, changes and matches.

Each chart takes the table a ``cop_toolkit`` function returns, so it works
with any map. Bars are coloured by element type with the same colours as the
network pictures.

Figures are made in one go, ``go.Figure(data=[trace(...), ...], layout={...})``:
traces and layout are plain data, so plotly checks every property once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cop_toolkit.analysis.clusters import cluster_ties
from cop_toolkit.core.errors import MapError
from cop_toolkit.figures.common import (
    check_columns,
    degree_table,
    first_type,
    fmt_number,
    trace,
    two_panels,
    wrap_escaped,
)
from cop_toolkit.figures.style import (
    CATEGORY_COLOURS,
    OTHER_COLOUR,
    TYPE_COLOURS,
    base_layout,
    escape,
    is_missing,
    truncate,
    type_colours,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import plotly.graph_objects as go  # deferred: heavy

    from cop_toolkit.core.model import NetworkMap

__all__ = [
    "plot_degree_distribution",
    "plot_ranking",
    "plot_cluster_composition",
    "plot_cluster_matrix",
    "plot_what_if_changes",
    "plot_comparison",
    "plot_matches",
]


def _words(column: str) -> str:
    return column.replace("_", " ")


def _type_order(types: pd.Series) -> list[str]:
    present = set(types)
    return [t for t in TYPE_COLOURS if t in present] + sorted(present - set(TYPE_COLOURS))


def _types(df: pd.DataFrame) -> pd.Series:
    return df["Type"].map(first_type) if "Type" in df.columns else pd.Series("Other", index=df.index)


def plot_degree_distribution(metrics: Any, column: str = "degree", *, title: str | None = None) -> go.Figure:
    """How many elements have 0, 1, 2, … connections, stacked by element type.

    Parameters
    ----------
    metrics : a table from :func:`cop_toolkit.element_metrics` (or a map, whose
        connections are counted).
    column : the count to show (``"degree"``, ``"in_degree"``, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"Label": ["A", "B", "C"], "Type": ["CVS", "CVS", "Funder"], "degree": [1, 1, 3]})
    >>> fig = plot_degree_distribution(t)
    >>> [(b.name, list(b.x), list(b.y)) for b in fig.data]
    [('CVS', [1], [2]), ('Funder', [3], [1])]
    """
    import plotly.graph_objects as go  # deferred: heavy

    if hasattr(metrics, "elements") and hasattr(metrics, "connections"):
        m = metrics
        metrics = degree_table(m).join(m.elements.set_index(m.elements["ID"].astype(str))[["Label"] +
                                       (["Type"] if "Type" in m.elements.columns else [])])
    check_columns(metrics, [column], "measures")
    types = _types(metrics)
    colour = type_colours(types)
    values = pd.to_numeric(metrics[column], errors="coerce").fillna(0).round().astype(int)
    traces = []
    for t in _type_order(types):
        counts = values[types == t].value_counts().sort_index()
        traces.append(trace("bar", x=counts.index.tolist(), y=counts.tolist(), name=escape(t),
                            marker={"color": colour.get(t, OTHER_COLOUR)},
                            hovertemplate=f"{escape(t)}: %{{y}} with %{{x}} connections<extra></extra>"))
    layout = base_layout(title or "How many connections each element has", barmode="stack",
                         xaxis={"title": {"text": f"Number of connections ({escape(_words(column))})"}},
                         yaxis={"title": {"text": "Number of elements"}},
                         legend={"title": {"text": "Element types"}}, height=420)
    return go.Figure(data=traces, layout=layout)


def plot_ranking(metrics: pd.DataFrame, column: str = "betweenness", *, top: int = 15,
                 title: str | None = None) -> go.Figure:
    """The ``top`` elements by a measure, as horizontal bars coloured by type (largest at the top).

    Each bar's number sits beyond its end; the axis leaves room for it, so no
    number is cut off, however narrow the figure.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"Label": ["A", "B", "<i>C</i>"], "Type": ["CVS", "Funder", "CVS"],
    ...                   "betweenness": [0.1, 0.5, 0.3]}, index=pd.Index(["a", "b", "c"], name="ID"))
    >>> fig = plot_ranking(t, top=2)
    >>> [list(b.y) for b in fig.data]
    [['&lt;i&gt;C&lt;/i&gt;'], ['B']]
    """
    import plotly.graph_objects as go  # deferred: heavy

    check_columns(metrics, [column, "Label"], "measures")
    df = metrics.copy()
    colour = type_colours(_types(df))  # of every type: colours match the other figures'
    df["_v"] = pd.to_numeric(df[column], errors="coerce")
    df = df.dropna(subset=["_v"]).sort_values(["_v", "Label"], ascending=[False, True], kind="stable").head(top)
    df["_label"] = [escape(truncate(x, 40)) for x in df["Label"]]
    # identical labels would merge on a category axis: make them distinct
    dup = df["_label"].duplicated(keep=False)
    df.loc[dup, "_label"] = [f"{lab} ({escape(i)})" for lab, i in zip(df.loc[dup, "_label"], df.index[dup])]
    order = df["_label"].tolist()[::-1]
    types = _types(df)
    traces = []
    for t in _type_order(types):
        part = df[types == t]
        traces.append(trace("bar", x=part["_v"].tolist(), y=part["_label"].tolist(), orientation="h",
                            name=escape(t), marker={"color": colour.get(t, OTHER_COLOUR)},
                            text=[fmt_number(v) for v in part["_v"]], textposition="outside", cliponaxis=False,
                            hovertemplate="%{y}: %{x}<extra>" + escape(t) + "</extra>"))
    layout = base_layout(title or f"Top {len(df)} by {_words(column)}",
                         yaxis={"categoryorder": "array", "categoryarray": order, "title": {"text": ""},
                                "automargin": True},
                         xaxis={"title": {"text": escape(_words(column)).capitalize()},
                                "range": _range_with_room(df["_v"]), "automargin": True},
                         # above the bars, not beside them: beside, it takes a narrow notebook's room for the numbers
                         legend={"title": {"text": "Element types"}, "orientation": "h", "x": 0, "xanchor": "left",
                                 "y": 1.02, "yanchor": "bottom"},
                         height=max(330, 90 + 28 * len(df)), barmode="overlay")
    return go.Figure(data=traces, layout=layout)


#: Room left beyond the longest bar for its number, as a share of the axis (a narrow notebook too).
_LABEL_ROOM = 0.22


def _range_with_room(values: pd.Series) -> list[float]:
    """An axis range from 0 (or the lowest value) to the highest, with room for the numbers beyond the bars.

    Examples
    --------
    >>> _range_with_room(pd.Series([0.1, 0.5]))
    [0.0, 0.61]
    """
    hi = max(float(values.max()), 0.0) if len(values) else 1.0
    lo = min(float(values.min()), 0.0) if len(values) else 0.0
    span = (hi - lo) or 1.0
    return [round(lo - (_LABEL_ROOM * span if lo < 0 else 0.0), 12), round(hi + _LABEL_ROOM * span, 12)]


def plot_cluster_composition(clusters: pd.DataFrame, *, top: int = 12, title: str | None = None) -> go.Figure:
    """What each cluster is made of: members per element type, biggest cluster first.

    ``clusters`` is the table from :func:`cop_toolkit.find_clusters` (``cluster``,
    ``cluster_name`` and ``Type`` per element).

    Examples
    --------
    >>> import pandas as pd
    >>> cl = pd.DataFrame({"Type": ["CVS", "Funder", "CVS"], "cluster": [0, 0, 1],
    ...                    "cluster_name": ["Around A", "Around A", "Around C"]})
    >>> fig = plot_cluster_composition(cl)
    >>> [(b.name, list(b.y)) for b in fig.data]
    [('CVS', [1, 1]), ('Funder', [1, 0])]
    """
    import plotly.graph_objects as go  # deferred: heavy

    check_columns(clusters, ["cluster"], "clusters")
    df = clusters.copy()
    df["_name"] = df["cluster_name"].astype(str) if "cluster_name" in df.columns else "Cluster " + df["cluster"].astype(str)
    sizes = df.groupby("cluster").size().sort_values(ascending=False, kind="stable")
    keep = sizes.index[:top]
    df = df[df["cluster"].isin(keep)]
    names = df.drop_duplicates("cluster").set_index("cluster")["_name"]
    xs = [escape(truncate(names[c], 30)) + f" ({c})" for c in keep]
    types = _types(df)
    colour = type_colours(types)
    table = pd.crosstab(df["cluster"], types).reindex(keep).fillna(0).astype(int)
    traces = [trace("bar", x=xs, y=table[t].tolist(), name=escape(t), marker={"color": colour.get(t, OTHER_COLOUR)},
                    hovertemplate="%{x}: %{y} " + escape(t) + "<extra></extra>")
              for t in _type_order(types)]
    layout = base_layout(title or "What each cluster is made of", barmode="stack",
                         xaxis={"title": {"text": "Cluster (named after its best-connected member)"}},
                         yaxis={"title": {"text": "Number of members"}},
                         legend={"title": {"text": "Element types"}}, height=440)
    return go.Figure(data=traces, layout=layout)


#: Cluster names on the matrix's axes are cut to this many characters (the full name is in the hover).
SHORT_NAME = 18


def _short_names(names: list[str]) -> list[str]:
    """Names cut to :data:`SHORT_NAME` characters with "…", made distinct with a number where two agree.

    Examples
    --------
    >>> _short_names(["Lewisham Community Network cluster", "Lewisham Community Network group", "LVSC"])
    ['Lewisham Communit… (1)', 'Lewisham Communit… (2)', 'LVSC']
    """
    short = [truncate(n, SHORT_NAME) for n in names]
    counts = pd.Series(short).value_counts()
    seen: dict[str, int] = {}
    out = []
    for s in short:
        if counts[s] > 1:
            seen[s] = seen.get(s, 0) + 1
            s = f"{s} ({seen[s]})"
        out.append(s)
    return out


def plot_cluster_matrix(m: NetworkMap | nx.Graph, clusters: pd.DataFrame | None = None, *, top: int = 15,
                        title: str | None = None) -> go.Figure:
    """How many ties join each pair of clusters, as a labelled heatmap (the diagonal: ties inside each).

    The ``top`` biggest clusters with any ties are shown, biggest first, named
    with at most :data:`SHORT_NAME` characters; hover over a square for the full names.
    ``clusters`` is the table from :func:`cop_toolkit.find_clusters` (made when not given).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> G.add_edge(0, 4)
    >>> fig = plot_cluster_matrix(G)
    >>> fig.data[0].z.tolist(), list(fig.data[0].x)
    ([[6, 1], [1, 3]], ['0 cluster', '4 cluster'])
    """
    import plotly.graph_objects as go  # deferred: heavy

    ties = cluster_ties(m, clusters)
    tied = ties.to_numpy().sum(axis=1) > 0  # a cluster with no ties at all would be an empty row
    ties = ties.loc[tied, tied]
    shown = ties.iloc[:top, :top]
    full = [str(n) for n in shown.index]
    short = [escape(n) for n in _short_names(full)]
    z = shown.to_numpy()
    hover = [[f"<b>{escape(a)}</b> – <b>{escape(b)}</b>: {fmt_number(n)} tie{'s' * (n != 1)}"
              + (" inside the cluster" if i == j else "") for j, (b, n) in enumerate(zip(full, row))]
             for i, (a, row) in enumerate(zip(full, z.tolist()))]
    cells = [["" if n == 0 else fmt_number(n) for n in row] for row in z.tolist()]
    k = len(full)
    heading = title or ("Ties between clusters" if k == len(ties) else f"Ties between the {k} biggest clusters")
    height = max(360, 200 + 34 * k)
    traces = [trace("heatmap", z=z, x=short, y=short, text=cells, texttemplate="%{text}", hovertext=hover,
                    hoverinfo="text", colorscale="Blues", xgap=1, ygap=1, name="Ties",
                    colorbar={"title": {"text": "Ties"}, "outlinewidth": 0})]
    layout = base_layout(heading, height=height,
                         xaxis={"title": {"text": ""}, "tickangle": -35, "automargin": True, "showgrid": False},
                         yaxis={"title": {"text": ""}, "autorange": "reversed", "automargin": True, "showgrid": False},
                         plot_bgcolor="white")
    layout["title"]["text"] = escape(heading) + ("<br><span style='font-size:12px;color:#555'>Each square: ties "
                                                 "between two clusters; the diagonal, ties inside one</span>")
    layout["margin"] = dict(layout["margin"], t=90)
    return go.Figure(data=traces, layout=layout)


def plot_what_if_changes(result: Any, *, top: int = 10, title: str | None = None) -> go.Figure:
    """What a what-if changes: the map's measures before/after, and who comes to the fore.

    Left: each whole-map measure before and after (from ``result.summary``).
    Right: the ``top`` elements whose go-between rank rises most (``result.to_the_fore``).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(
    ...     summary=pd.DataFrame({"measure": ["components"], "before": [1], "after": [3], "change": [2]}),
    ...     to_the_fore=pd.DataFrame({"Label": ["Forum"], "rank_gain": [12]}, index=["f"]))
    >>> [t.name for t in plot_what_if_changes(r).data]
    ['Before', 'After', 'Places gained']
    """
    import plotly.graph_objects as go  # deferred: heavy

    summary = getattr(result, "summary", None)
    fore = getattr(result, "to_the_fore", None)
    panels = two_panels((0.5, 0.5), 0.22, ("The whole map, before and after", "Who comes to the fore"))
    traces = []
    if summary is not None and len(summary):
        check_columns(summary, ["before", "after"], "what-if summary")
        s = summary.copy()
        labels = s["measure"] if "measure" in s.columns else pd.Series(s.index, index=s.index)
        s["_m"] = [escape(truncate(_words(str(x)), 36)) for x in labels]
        s = s[pd.to_numeric(s["before"], errors="coerce").notna()]
        for name, col, colour in (("Before", "before", "#999999"), ("After", "after", "#D55E00")):
            traces.append(trace("bar", y=s["_m"].tolist(), x=pd.to_numeric(s[col], errors="coerce").tolist(),
                                orientation="h", name=name, marker={"color": colour},
                                text=[fmt_number(v) for v in s[col]], textposition="outside",
                                hovertemplate="%{y}: %{x}<extra>" + name + "</extra>", xaxis="x", yaxis="y"))
    if fore is not None and len(fore):
        f = fore.copy()
        col = "rank_gain" if "rank_gain" in f.columns else None
        if col is None:
            raise MapError("the to_the_fore table has no 'rank_gain' column", fix="pass the result of what_if(m, ...)")
        f = f[pd.to_numeric(f[col], errors="coerce") > 0].sort_values(col, ascending=False, kind="stable").head(top)
        labels = [escape(truncate(x, 32)) for x in (f["Label"] if "Label" in f.columns else f.index)]
        traces.append(trace("bar", y=labels[::-1], x=f[col].tolist()[::-1], orientation="h", name="Places gained",
                            marker={"color": "#0072B2"}, text=[fmt_number(v) for v in f[col].tolist()[::-1]],
                            textposition="outside",
                            hovertemplate="%{y} rises %{x} places as a go-between<extra></extra>",
                            xaxis="x2", yaxis="y2"))
    headline = result.headline() if hasattr(result, "headline") else ""
    heading = escape(title or "What changes")
    if headline:
        heading += f"<br><span style='font-size:12px;color:#555'>{escape(headline)}</span>"
    layout = {**base_layout(None), **panels, "title": {"text": heading, "x": 0.02, "xanchor": "left"},
              "barmode": "group", "height": 440, "legend": {"orientation": "h", "y": -0.15}}
    layout["xaxis"]["title"] = {"text": "Value"}
    layout["xaxis2"]["title"] = {"text": "Places gained in the go-between ranking"}
    return go.Figure(data=traces, layout=layout)


def _change_table(comparison: Any, metric: str | None) -> tuple[pd.DataFrame, str]:
    mc = getattr(comparison, "metric_changes", None)
    if mc is None or not len(mc):
        return pd.DataFrame(columns=["Label", "_change"]), metric or "change"
    df = mc.copy()
    candidates = ([f"{metric}_change", "change"] if metric else ["change"]) + [c for c in df.columns if c.endswith("_change")]
    for c in candidates:
        if c in df.columns and pd.api.types.is_numeric_dtype(df[c]):
            df["_change"] = df[c]
            return df, metric or c.removesuffix("_change")
    for c in df.columns:
        if c.endswith("_before") and c.replace("_before", "_after") in df.columns and (metric is None or c.startswith(metric)):
            df["_change"] = pd.to_numeric(df[c.replace("_before", "_after")], errors="coerce") - pd.to_numeric(df[c], errors="coerce")
            return df, c.removesuffix("_before")
    raise MapError("the comparison's metric_changes table has no change column",
                   fix="pass the result of compare_maps(old, new)")


def plot_comparison(comparison: Any, *, metric: str | None = None, top: int = 10,
                    title: str | None = None) -> go.Figure:
    """Between two snapshots: who rose, who fell, and how many elements and ties came and went.

    ``comparison`` is the result of :func:`cop_toolkit.compare_maps`.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> c = SimpleNamespace(
    ...     elements_added=pd.DataFrame({"Label": ["New"]}), elements_removed=pd.DataFrame({"Label": []}),
    ...     connections_added=pd.DataFrame({"From": ["a", "b"]}), connections_removed=pd.DataFrame({"From": []}),
    ...     metric_changes=pd.DataFrame({"Label": ["Rose", "Fell"], "change": [3, -2]}))
    >>> [t.name for t in plot_comparison(c).data]
    ['Rose', 'Fell', 'Added', 'Removed']
    """
    import plotly.graph_objects as go  # deferred: heavy

    df, used = _change_table(comparison, metric)
    panels = two_panels((0.62, 0.38), 0.2,
                         (f"Who rose and who fell ({escape(_words(used))})", "What came and went"))
    traces = []
    if len(df):
        df["_change"] = pd.to_numeric(df["_change"], errors="coerce")
        labels = df["Label"] if "Label" in df.columns else pd.Series(df.index.astype(str), index=df.index)
        df["_label"] = [escape(truncate(x, 32)) for x in labels]
        rose = df[df["_change"] > 0].sort_values("_change", ascending=False, kind="stable").head(top)
        fell = df[df["_change"] < 0].sort_values("_change", kind="stable").head(top)
        for part, name, colour in ((rose, "Rose", "#0072B2"), (fell, "Fell", "#D55E00")):
            traces.append(trace("bar", y=part["_label"].tolist(), x=part["_change"].tolist(), orientation="h",
                                name=name, marker={"color": colour},
                                hovertemplate="%{y}: %{x:+}<extra>" + name + "</extra>", xaxis="x", yaxis="y"))
        order = fell["_label"].tolist()[::-1] + rose["_label"].tolist()[::-1]
        panels["yaxis"].update(categoryorder="array", categoryarray=order)

    def count(name: str) -> int:
        t = getattr(comparison, name, None)
        return 0 if t is None else len(t)

    cats = ["Elements", "Connections"]
    added = [count("elements_added"), count("connections_added")]
    removed = [count("elements_removed"), count("connections_removed")]
    traces.append(trace("bar", x=cats, y=added, name="Added", marker={"color": "#009E73"}, text=added,
                        textposition="outside", xaxis="x2", yaxis="y2"))
    traces.append(trace("bar", x=cats, y=removed, name="Removed", marker={"color": "#999999"}, text=removed,
                        textposition="outside", xaxis="x2", yaxis="y2"))
    layout = base_layout(title or "What changed between the two snapshots", **panels, barmode="group",
                         height=max(420, 80 + 26 * min(2 * top, len(df))), legend={"orientation": "h", "y": -0.12})
    layout["xaxis"]["title"] = {"text": "Change"}
    layout["yaxis2"]["title"] = {"text": "How many"}
    return go.Figure(data=traces, layout=layout)


def plot_matches(matches: pd.DataFrame, *, top: int = 30, title: str | None = None) -> go.Figure:
    """Who could help whom: needs on the left, offers on the right, joined by a line per match.

    ``matches`` is the table from :func:`cop_toolkit.match_needs_offers`.
    Lines are coloured by the thing needed; dashed lines join pairs already
    connected, solid lines are new opportunities. Hover on a line's end for the reason.

    Examples
    --------
    >>> import pandas as pd
    >>> mt = pd.DataFrame({"ID_a": ["a"], "Label_a": ["Food Bank"], "ID_b": ["b"],
    ...                    "Label_b": ["Youth Club"], "item": ["meeting space"], "already_tied": [False],
    ...                    "reason": ["Youth Club offers meeting space"]})
    >>> [t.name for t in plot_matches(mt).data][0]
    'meeting space'
    """
    import plotly.graph_objects as go  # deferred: heavy

    check_columns(matches, ["ID_a", "Label_a", "ID_b", "Label_b", "item"], "matches")
    df = matches.head(top).copy()
    needers = list(dict.fromkeys(df["ID_a"].astype(str)))
    offerers = list(dict.fromkeys(df["ID_b"].astype(str)))
    ny = {n: -k for k, n in enumerate(needers)}
    oy = {o: -k * (max(len(needers) - 1, 1) / max(len(offerers) - 1, 1)) for k, o in enumerate(offerers)}
    items = sorted(df["item"].astype(str).unique())
    colours = {it: CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)] for k, it in enumerate(items)}
    traces = []
    for it in items:
        part = df[df["item"].astype(str) == it]
        for tied in (False, True):
            sub = part[part.get("already_tied", pd.Series(False, index=part.index)).fillna(False).astype(bool) == tied]
            if sub.empty:
                continue
            xs: list = []
            ys: list = []
            for n, o in zip(sub["ID_a"].astype(str), sub["ID_b"].astype(str)):
                xs += [0, 1, None]
                ys += [ny[n], oy[o], None]
            traces.append(trace("scatter", x=xs, y=ys, mode="lines",
                                name=escape(it) + (" (already tied)" if tied else ""),
                                line={"color": colours[it], "width": 2.5, "dash": "dot" if tied else "solid"},
                                legendgroup=it, hoverinfo="skip"))
    need_labels = df.drop_duplicates("ID_a").set_index(df.drop_duplicates("ID_a")["ID_a"].astype(str))["Label_a"]
    offer_labels = df.drop_duplicates("ID_b").set_index(df.drop_duplicates("ID_b")["ID_b"].astype(str))["Label_b"]

    reasons = df["reason"] if "reason" in df.columns else pd.Series(float("nan"), index=df.index)
    said: dict[tuple[str, str], list[str]] = {}  # (side, ID) -> its first six matches, in the table's order
    for side, id_column in (("need", "ID_a"), ("offer", "ID_b")):  # a needs, b offers
        for eid, item, reason in zip(df[id_column].astype(str), df["item"], reasons):
            lines = said.setdefault((side, eid), [])
            if len(lines) < 6:
                lines.append("· " + (wrap_escaped(reason, 60, 160) if not is_missing(reason) else escape(item)))

    def card(eid: str, side: str) -> str:
        label = need_labels[eid] if side == "need" else offer_labels[eid]
        return "<br>".join([f"<b>{escape(label)}</b>", "needs:" if side == "need" else "offers:", *said[(side, eid)]])

    traces.append(trace("scatter", x=[0] * len(needers), y=[ny[n] for n in needers], mode="markers+text",
                        text=[escape(truncate(need_labels[n], 30)) for n in needers], textposition="middle left",
                        marker={"size": 12, "color": "#D55E00"}, name="Needs something",
                        hovertext=[card(n, "need") for n in needers], hoverinfo="text"))
    traces.append(trace("scatter", x=[1] * len(offerers), y=[oy[o] for o in offerers], mode="markers+text",
                        text=[escape(truncate(offer_labels[o], 30)) for o in offerers],
                        textposition="middle right", marker={"size": 12, "color": "#009E73"},
                        name="Offers it", hovertext=[card(o, "offer") for o in offerers], hoverinfo="text"))
    shown = f"the first {len(df)} of {len(matches)}" if len(matches) > len(df) else f"{len(df)}"
    layout = base_layout(title or f"Who could help whom ({shown} matches)",
                         xaxis={"visible": False, "range": [-0.9, 1.9]}, yaxis={"visible": False},
                         height=max(360, 120 + 26 * max(len(needers), len(offerers))),
                         legend={"title": {"text": "Thing needed"}}, hovermode="closest",
                         annotations=[{"x": x, "y": 1.02, "yref": "paper", "text": f"<b>{side}</b>", "showarrow": False}
                                      for x, side in ((0, "Needs"), (1, "Offers"))])
    return go.Figure(data=traces, layout=layout)
