"""Pictures of large maps whose size stays the same whatever the size of the map.

A map of 120,000 elements cannot be drawn dot by dot in a page that opens in
seconds, so these pictures show it at the level of its clusters (or
boroughs), and find any one element on demand:

* :func:`plot_overview`: one circle per cluster or borough, sized by its
  members, lines between them as thick as the ties they share, and the
  best-connected elements drawn, named, inside their cluster;
* :func:`plot_what_if_overview`: a what-if counted per cluster (members taken
  away and cut off);
* :func:`find_control`: a search box for a report page over its
  best-connected elements; choosing one draws that element's neighbourhood.

Their data is bounded: at most :data:`MAX_GROUPS` circles,
:data:`MAX_GROUP_TIES` lines, ``top`` named elements, and ``limit`` elements
in the control. All map text is escaped (see :func:`.style.escape`); the
control sets names as text, never as markup.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
import pandas as pd

from cop_toolkit.analysis.clusters import find_clusters
from cop_toolkit.analysis.engine import edge_table
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.figures.common import (
    degree_table,
    element_table,
    first_type,
    fmt_number,
    trace,
    wrap_escaped,
)
from cop_toolkit.figures.html import render
from cop_toolkit.figures.labels import LabelSpace
from cop_toolkit.figures.layout import layout_positions
from cop_toolkit.figures.london import ASPECT, band_name, flow_bands
from cop_toolkit.figures.network import hover_cards
from cop_toolkit.figures.offline import REPORT_CONFIG, script_json
from cop_toolkit.figures.style import (
    OTHER_COLOUR,
    TYPE_COLOURS,
    base_layout,
    escape,
    truncate,
    type_colours,
    type_symbol,
)
from cop_toolkit.geo.boroughs import boroughs
from cop_toolkit.geo.locate import locate

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import plotly.graph_objects as go

__all__ = ["MAX_GROUPS", "MAX_GROUP_TIES", "find_control", "plot_overview", "plot_what_if_overview"]

Grouping = Literal["cluster", "borough"]
#: Circles an overview draws at most (the largest groups); the subtitle counts the rest.
MAX_GROUPS = 40
#: Lines between groups drawn at most (those with most ties), so the picture stays readable.
MAX_GROUP_TIES = 80
#: The plotting area (pixels) names are placed for: a report's width, the figure's height less title and legend.
_AREA = (900.0, 460.0)
_NAME_SIZE = 11
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_CIRCLE = np.linspace(0, 2 * math.pi, 37)


# --------------------------------------------------------------------------- groups
@dataclass
class _Groups:
    """The groups an overview draws, and how the map's elements and ties fall into them."""

    ids: np.ndarray  # every element ID, in edge_table order
    of: np.ndarray  # drawn group number of each element (-1: in no drawn group)
    names: list[str]  # each drawn group's name
    size: np.ndarray  # members of each drawn group
    inside: np.ndarray  # ties inside each drawn group
    between: pd.DataFrame  # a, b (group numbers, a < b), ties: ties between drawn groups, most first
    outward: np.ndarray  # ties from each drawn group to any other element's group
    total_groups: int  # groups on the map (drawn or not)
    hidden_members: int  # elements of the groups not drawn
    outside: int  # elements in no group (no borough)


def _group_keys(m: NetworkMap, ids: np.ndarray, by: Grouping, clusters: pd.DataFrame | None,
                locations: pd.DataFrame | None) -> tuple[pd.Series, dict[Any, str]]:
    """Each element's group (cluster number or borough code; missing: none) and each group's name."""
    if by == "cluster":
        cl = find_clusters(m) if clusters is None else clusters
        if "cluster" not in cl.columns:
            raise MapError("the clusters table has no 'cluster' column", fix="pass the table made by find_clusters(m)")
        cl = cl.set_axis(cl.index.astype(str))
        keys = cl["cluster"].reindex(ids)
        named = cl.drop_duplicates("cluster")
        names = dict(zip(named["cluster"], named["cluster_name"].astype(str) if "cluster_name" in named
                         else named["cluster"].map(lambda c: f"Cluster {c}")))
        return keys, names
    loc = locate(m) if locations is None else locations
    if "borough_code" not in loc.columns:
        raise MapError("the locations table has no 'borough_code' column", fix="pass the table made by cop.locate(m)")
    keys = loc["borough_code"].set_axis(loc.index.astype(str)).reindex(ids)
    return keys, boroughs()["name"].to_dict()


def _groups(m: NetworkMap, by: Grouping, clusters: pd.DataFrame | None, locations: pd.DataFrame | None) -> _Groups:
    """Count the members and ties of each group; keep the :data:`MAX_GROUPS` largest."""
    ids, ties = edge_table(m)
    keys, names = _group_keys(m, ids, by, clusters, locations)
    present = keys.dropna()
    counts = pd.DataFrame({"key": present.to_numpy(dtype=object)}).value_counts("key").reset_index(name="n")
    counts["name"] = [str(names.get(k, k)) for k in counts["key"]]
    counts = counts.sort_values(["n", "name"], ascending=[False, True], kind="stable")
    drawn = counts.head(MAX_GROUPS)
    number = {k: i for i, k in enumerate(drawn["key"])}
    of = np.array([number.get(k, -1) for k in keys.to_numpy(dtype=object)], dtype=np.int64) if len(ids) else \
        np.zeros(0, dtype=np.int64)
    k = len(drawn)
    a, b = of[ties["source"].to_numpy()], of[ties["target"].to_numpy()]
    same = (a == b) & (a >= 0)
    inside = np.bincount(a[same], minlength=k)
    cross = (a != b) & (a >= 0) & (b >= 0)
    lo, hi = np.minimum(a[cross], b[cross]), np.maximum(a[cross], b[cross])
    pair, n = np.unique(lo * k + hi, return_counts=True)
    between = pd.DataFrame({"a": pair // max(k, 1), "b": pair % max(k, 1), "ties": n})
    between = between.sort_values(["ties", "a", "b"], ascending=[False, True, True], kind="stable")
    whole_key = pd.Series(keys.to_numpy(dtype=object))
    ka, kb = whole_key.iloc[ties["source"].to_numpy()].to_numpy(), whole_key.iloc[ties["target"].to_numpy()].to_numpy()
    leaves = (a >= 0) & pd.notna(kb) & (ka != kb)
    enters = (b >= 0) & pd.notna(ka) & (ka != kb)
    outward = np.bincount(np.r_[a[leaves], b[enters]], minlength=k)
    return _Groups(ids=ids, of=of, names=drawn["name"].tolist(), size=drawn["n"].to_numpy(dtype=np.int64),
                   inside=inside, between=between.reset_index(drop=True), outward=outward,
                   total_groups=len(counts), hidden_members=int(counts["n"].iloc[MAX_GROUPS:].sum()),
                   outside=int(keys.isna().sum()))


def _separate(xy: np.ndarray, r: np.ndarray, gap: float, rounds: int = 400) -> np.ndarray:
    """Move circles apart until none overlaps another (each pair pushed apart along the line joining them)."""
    n = len(r)
    xy = xy.astype(float) + 1e-6 * np.column_stack([np.cos(np.arange(n) * _GOLDEN_ANGLE),
                                                    np.sin(np.arange(n) * _GOLDEN_ANGLE)])
    for _ in range(rounds if n > 1 else 0):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.maximum(np.sqrt((d ** 2).sum(-1)), 1e-9)
        overlap = np.clip(r[:, None] + r[None, :] + gap - dist, 0, None)
        np.fill_diagonal(overlap, 0)
        if overlap.max() < gap * 1e-3:
            break
        xy = xy + (d / dist[..., None] * (overlap / 2)[..., None]).sum(axis=1)
    return xy


def _placement(g: _Groups, by: Grouping, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each group's circle goes and its radius: a layout of the groups' ties, or boroughs' places."""
    k = len(g.names)
    share = np.sqrt(g.size / max(int(g.size.max()), 1)) if k else np.zeros(0)
    if by == "borough":
        radius = 0.03 * np.maximum(share, 0.18)
        b = boroughs()
        code = {name: c for c, name in b["name"].items()}
        xy = np.array([[b.at[code[n], "centroid_lon"] * ASPECT, b.at[code[n], "centroid_lat"]] if n in code
                       else [0.0, 51.5] for n in g.names], dtype=float).reshape(-1, 2)
        return _separate(xy, radius, 0.004), radius
    radius = 0.22 * np.maximum(share, 0.18)
    gm = NetworkMap(pd.DataFrame({"ID": [str(i) for i in range(k)], "Label": g.names}),
                    pd.DataFrame({"From": g.between["a"].astype(str), "To": g.between["b"].astype(str),
                                  "Strength": g.between["ties"].astype(float)}))
    pos = layout_positions(gm, seed=seed, keep_saved=False).reindex([str(i) for i in range(k)])
    return _separate(pos[["X", "Y"]].to_numpy(dtype=float).reshape(-1, 2), radius, 0.03), radius


# --------------------------------------------------------------------------- overview traces
def _tie_lines(g: _Groups, xy: np.ndarray, word: str) -> list[dict[str, Any]]:
    """Lines between the groups with most ties between them, in four widths, and a hover point on each."""
    pairs = g.between.head(MAX_GROUP_TIES)
    if pairs.empty:
        return []
    traces: list[dict[str, Any]] = []
    for lo, hi, width in flow_bands(int(pairs["ties"].max())):
        part = pairs[(pairs["ties"] > lo) & (pairs["ties"] <= hi)]
        if part.empty:
            continue
        a, b = part["a"].to_numpy(), part["b"].to_numpy()
        nan = np.full(len(part), np.nan)
        xs = np.column_stack([xy[a, 0], xy[b, 0], nan]).ravel().round(4)
        ys = np.column_stack([xy[a, 1], xy[b, 1], nan]).ravel().round(4)
        traces.append(trace("scatter", x=xs, y=ys, mode="lines", line={"color": "#0072B2", "width": width},
                            opacity=0.35, hoverinfo="skip", name=band_name(lo, hi, f"between {word}s"),
                            legendgroup="ties", legendgrouptitle={"text": "Line width"}))
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    traces.append(trace(
        "scatter", x=((xy[a, 0] + xy[b, 0]) / 2).round(4), y=((xy[a, 1] + xy[b, 1]) / 2).round(4), mode="markers",
        marker={"size": 8, "opacity": 0}, hoverinfo="text", showlegend=False, name="ties between",
        hovertext=[f"{escape(g.names[i])} – {escape(g.names[j])}: {n:,} tie{'s' * (n != 1)}"
                   for i, j, n in zip(a.tolist(), b.tolist(), pairs["ties"].tolist())]))
    return traces


def _group_cards(g: _Groups, word: str, el: pd.DataFrame, degree: pd.Series) -> list[str]:
    """Each group's hover card: members, ties inside and out, its best-connected member, its main types."""
    frame = pd.DataFrame({"group": g.of, "degree": degree.reindex(g.ids).fillna(0).to_numpy(),
                          "label": el["Label"].reindex(g.ids).to_numpy(dtype=object),
                          "type": _first_types(el, g.ids).to_numpy(dtype=object)})
    frame = frame[frame["group"] >= 0]
    best = frame.sort_values(["group", "degree"], ascending=[True, False], kind="stable").drop_duplicates("group")
    best = best.set_index("group")
    types = frame.groupby(["group", "type"]).size().rename("n").reset_index()
    types = types.sort_values(["group", "n", "type"], ascending=[True, False, True], kind="stable")
    cards = []
    for c, name in enumerate(g.names):
        main = types[types["group"] == c].head(3)
        lines = [f"<b>{escape(name)}</b>", f"{int(g.size[c]):,} members",
                 f"{int(g.inside[c]):,} ties inside; {int(g.outward[c]):,} to other {word}s"]
        if c in best.index:
            lines.append(f"Best connected: {escape(truncate(best.at[c, 'label'], 40))} "
                         f"({fmt_number(best.at[c, 'degree'])} ties)")
        if len(main):
            lines.append("Most are: " + ", ".join(f"{escape(t)} ({n:,})" for t, n in zip(main["type"], main["n"])))
        cards.append("<br>".join(lines))
    return cards


def _circles(g: _Groups, xy: np.ndarray, radius: np.ndarray, cards: list[str], word: str) -> list[dict[str, Any]]:
    """Each group as a filled circle (hover inside it for its card); one legend entry for them all."""
    traces = []
    for c in range(len(g.names)):
        xs = (xy[c, 0] + radius[c] * np.cos(_CIRCLE)).round(4)
        ys = (xy[c, 1] + radius[c] * np.sin(_CIRCLE)).round(4)
        traces.append(trace("scatter", x=xs, y=ys, mode="lines", fill="toself", fillcolor="rgba(0,114,178,0.10)",
                            line={"color": "#0072B2", "width": 1}, hoveron="fills", text=cards[c],
                            hoverinfo="text", name=f"A {word}, sized by its members", legendgroup="groups",
                            showlegend=c == 0))
    return traces


def _top_elements(g: _Groups, degree: pd.Series, el: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` elements of drawn groups with most ties (ties broken by name)."""
    frame = pd.DataFrame({"id": g.ids, "group": g.of, "degree": -degree.reindex(g.ids).fillna(0).to_numpy(),
                          "label": el["Label"].reindex(g.ids).astype(str).to_numpy()})
    frame = frame[frame["group"] >= 0].sort_values(["degree", "label"], kind="stable")
    return frame["id"].head(max(top, 0)).astype(str).tolist()


def _inside_spots(g: _Groups, xy: np.ndarray, radius: np.ndarray, chosen: list[str]) -> pd.DataFrame:
    """Positions of the chosen elements inside their group's circle: a sunflower, best connected in the middle."""
    group_of = pd.Series(g.of, index=pd.Index(g.ids).astype(str))
    spots = []
    placed: dict[int, int] = {}
    counts = group_of.reindex(chosen).value_counts().to_dict()
    for i in chosen:
        c = int(group_of[i])
        j = placed.get(c, 0)
        placed[c] = j + 1
        share = 0.0 if counts[c] == 1 else 0.68 * math.sqrt((j + 0.5) / counts[c])
        spots.append((xy[c, 0] + radius[c] * share * math.cos(j * _GOLDEN_ANGLE),
                      xy[c, 1] + radius[c] * share * math.sin(j * _GOLDEN_ANGLE)))
    return pd.DataFrame(spots, columns=["X", "Y"], index=pd.Index(chosen, name="ID")).round(4)


def _element_traces(pos: pd.DataFrame, el: pd.DataFrame, cards: pd.Series, colours: dict[str, str],
                    where: dict[str, str | None]) -> list[dict[str, Any]]:
    """The named elements, one trace per element type (in the legend), and their names where there is room."""
    types = _first_types(el, pos.index)
    order = [t for t in TYPE_COLOURS if t in set(types)] + sorted(set(types) - set(TYPE_COLOURS))
    traces = []
    for t in order:
        idx = types.index[types == t].tolist()
        traces.append(trace("scatter", x=pos.loc[idx, "X"].to_numpy(), y=pos.loc[idx, "Y"].to_numpy(),
                            mode="markers", name=escape(t), legendgroup="types",
                            legendgrouptitle={"text": "Best-connected elements"} if t == order[0] else None,
                            marker={"size": 10, "symbol": type_symbol(t), "color": colours.get(t, OTHER_COLOUR),
                                    "line": {"width": 1, "color": "white"}},
                            hovertext=cards.reindex(idx).to_numpy(dtype=object), hoverinfo="text"))
    named = [i for i in pos.index if where.get(i)]
    if named:
        traces.append(trace("scatter", x=pos.loc[named, "X"].to_numpy(), y=pos.loc[named, "Y"].to_numpy(),
                            # invisible markers as big as the dots': plotly sets each name beside its marker
                            mode="markers+text", marker={"size": 10, "color": "rgba(0,0,0,0)"},
                            text=[escape(truncate(el.at[i, "Label"], 28)) for i in named],
                            textposition=[where[i] for i in named], hoverinfo="skip", showlegend=False,
                            textfont={"size": _NAME_SIZE, "color": "#222222", "shadow": "auto"}, name="Names",
                            cliponaxis=False))
    return traces


def _first_types(el: pd.DataFrame, ids: Any) -> pd.Series:
    """The first type of each element in ``ids`` ("Other" when blank), worked out once per different value."""
    if "Type" not in el.columns:
        return pd.Series("Other", index=ids, dtype=object)
    cells = el["Type"].reindex(ids)
    found = {v: first_type(v) for v in pd.unique(cells.dropna())}
    return cells.map(found).fillna("Other").astype(object)


def _degrees(m: NetworkMap, metrics: pd.DataFrame | None) -> pd.Series:
    """Each element's number of ties: the metrics table's ``degree`` when it has one, else counted."""
    if metrics is not None and "degree" in metrics.columns:
        return pd.to_numeric(metrics["degree"], errors="coerce").set_axis(metrics.index.astype(str))
    return degree_table(m)["degree"]


def _overview_layout(title: str, sub: str) -> dict[str, Any]:
    """Hidden axes of one scale (circles stay round), a wrapped subtitle and the legend below."""
    wrapped = wrap_escaped(sub, 120, 2000, hyphens=False)
    lines = wrapped.count("<br>") + 1
    layout = base_layout(None)
    layout.update(
        title={"text": f"{escape(title)}<br><span style='font-size:12px;color:#555'>{wrapped}</span>",
               "x": 0.02, "xanchor": "left", "yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 16}},
        xaxis={"visible": False, "showgrid": False, "zeroline": False},
        yaxis={"visible": False, "showgrid": False, "zeroline": False, "scaleanchor": "x", "scaleratio": 1},
        height=700 + 18 * lines, hovermode="closest", dragmode="pan",
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": -0.02, "yanchor": "top",
                "itemsizing": "constant", "groupclick": "toggleitem"},
    )
    layout["margin"] = {"l": 20, "r": 20, "t": 70 + 18 * lines, "b": 20}
    return layout


def _label_space(xy: np.ndarray, radius: np.ndarray, spots: pd.DataFrame | None = None) -> LabelSpace:
    """The plotting area of an overview in pixels, spanning every circle and dot."""
    extra = spots if spots is not None else pd.DataFrame({"X": [], "Y": []})
    xs = np.r_[xy[:, 0] - radius, xy[:, 0] + radius, extra["X"].to_numpy()]
    ys = np.r_[xy[:, 1] - radius, xy[:, 1] + radius, extra["Y"].to_numpy()]
    return LabelSpace(xs, ys, size=_AREA, equal_aspect=True, font_size=_NAME_SIZE)


def _pixels_per_unit(xy: np.ndarray, radius: np.ndarray) -> float:
    """How many pixels a unit of the overview's axes takes (about: the area expected)."""
    return float(_label_space(xy, radius).sx)


def _names_placed(g: _Groups, xy: np.ndarray, radius: np.ndarray, spots: pd.DataFrame,
                  el: pd.DataFrame) -> tuple[dict[int, str | None], dict[str, str | None]]:
    """Where the group names (beside their circle) and the element names go, none on another."""
    space = _label_space(xy, radius, spots)
    space.keep_clear(spots["X"], spots["Y"], 5.0)
    groups = space.place(xy[:, 0], xy[:, 1], [truncate(n, 30) for n in g.names], (radius * space.sx).tolist())
    elements = space.place(spots["X"], spots["Y"], [truncate(el.at[i, "Label"], 28) for i in spots.index],
                           [5.0] * len(spots))
    return dict(enumerate(groups)), dict(zip(spots.index, elements))


def _overview_sub(g: _Groups, by: Grouping, n: int, named: int) -> str:
    """The subtitle of an overview: what the circles, lines and dots are, and what is left out."""
    word = "cluster" if by == "cluster" else "borough"
    sized = "its members" if by == "cluster" else "the elements placed in it, near its place in London"
    sub = (f"{n:,} elements in {g.total_groups:,} {word}s. Each circle is a {word}, sized by {sized}; lines join "
           f"{word}s with ties between them (thicker: more ties)")
    if named:
        sub += f"; the {named:,} best-connected elements are drawn inside their {word}"
    hidden = g.total_groups - len(g.names)
    if hidden:
        sub += f". The {hidden:,} smallest {word}s ({g.hidden_members:,} elements) are not drawn"
    if g.outside and by == "borough":
        sub += f". {g.outside:,} elements have no borough and are not drawn"
    return sub + "."


def plot_overview(
    m: NetworkMap | nx.Graph,
    clusters: pd.DataFrame | None = None,
    metrics: pd.DataFrame | None = None,
    *,
    by: Grouping = "cluster",
    top: int = 30,
    title: str | None = None,
    locations: pd.DataFrame | None = None,
    seed: int = 42,
) -> go.Figure:
    """A map of any size as its clusters (or boroughs): one circle each, sized by members, with ties between.

    The ``top`` elements with most ties are drawn inside their cluster; names
    (of clusters, the largest first, then of elements) are written where they
    sit on no other name. Hover over a circle for the cluster's card (members,
    ties inside and out, its best-connected member, main types), over a line's
    middle for the ties it stands for, over a dot for the element's card.
    Whatever the map's size the figure holds at most :data:`MAX_GROUPS`
    circles (the largest; the subtitle counts the others),
    :data:`MAX_GROUP_TIES` lines and ``top`` elements. With ``by="borough"``
    each borough's circle sits near its place in London, moved just enough
    that circles do not overlap.

    Parameters
    ----------
    m : the map.
    clusters : the table from :func:`cop_toolkit.find_clusters` (made when not given).
    metrics : the map's element table (``degree``, and ``betweenness`` for the cards);
        degree is counted when not given.
    by : ``"cluster"`` or ``"borough"`` (boroughs from ``locations``, the table of
        :func:`cop_toolkit.locate`, made when not given).
    top : how many best-connected elements to draw.
    title : the figure title (the map's name by default).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> G.add_edge(0, 4)
    >>> fig = plot_overview(G, top=2)
    >>> sum(t.fill == "toself" for t in fig.data), [len(t.x) for t in fig.data if t.legendgroup == "types"]
    (2, [2])
    >>> plot_overview(G, by="place")
    Traceback (most recent call last):
    ...
    ValueError: unknown grouping 'place'; choose one of: cluster, borough
    """
    import plotly.graph_objects as go  # deferred: heavy

    m = as_map(m)
    if by not in get_args(Grouping):
        raise ValueError(f"unknown grouping {by!r}; choose one of: {', '.join(get_args(Grouping))}")
    if len(m.elements) == 0:
        raise MapError("the map has no elements to draw", fix="add some elements to the map first")
    g = _groups(m, by, clusters, locations)
    if not g.names:
        raise MapError("no element of the map has a borough", fix="add a Borough, postcode or coordinates, "
                       "or draw the overview by cluster")
    word = "cluster" if by == "cluster" else "borough"
    xy, radius = _placement(g, by, seed)
    el = element_table(m)
    degree = _degrees(m, metrics)
    chosen = _top_elements(g, degree, el, top)
    spots = _inside_spots(g, xy, radius, chosen)
    group_where, element_where = _names_placed(g, xy, radius, spots, el)
    table = pd.DataFrame({"degree": degree.reindex(chosen).fillna(0)}, index=pd.Index(chosen, name="ID"))
    if metrics is not None and "betweenness" in metrics.columns:
        table["betweenness"] = metrics["betweenness"].set_axis(metrics.index.astype(str)).reindex(chosen)
    cards = hover_cards(el.loc[chosen], table, [])
    all_types = el["Type"] if "Type" in el.columns else pd.Series(dtype=object)
    traces = _tie_lines(g, xy, word) + _circles(g, xy, radius, _group_cards(g, word, el, degree), word)
    named = [c for c in range(len(g.names)) if group_where.get(c)]
    traces.append(trace("scatter", x=xy[named, 0].round(4), y=xy[named, 1].round(4), mode="markers+text",
                        marker={"size": (2 * radius[named] * _pixels_per_unit(xy, radius)).round(1),
                                "color": "rgba(0,0,0,0)"},
                        text=[f"<b>{escape(truncate(g.names[c], 30))}</b>" for c in named],
                        textposition=[group_where[c] for c in named], hoverinfo="skip", showlegend=False,
                        textfont={"size": _NAME_SIZE, "color": "#0b4f7c"}, name=f"{word} names", cliponaxis=False))
    traces += _element_traces(spots, el, cards, type_colours(pd.unique(all_types)), element_where)
    heading = title if title is not None else f"{m.name}: {word}s and how they connect"
    layout = _overview_layout(heading, _overview_sub(g, by, len(m.elements), len(chosen)))
    return go.Figure(data=traces, layout=layout)


# --------------------------------------------------------------------------- what-if
def _what_if_counts(cl: pd.DataFrame, removed: list[str], cut_ids: list[str]) -> pd.DataFrame:
    """Per cluster: members, members taken away (and their names), members cut off; most lost first."""
    cl = cl.set_axis(cl.index.astype(str))
    names = cl.drop_duplicates("cluster").set_index("cluster")["cluster_name"].astype(str)
    size = cl["cluster"].value_counts()
    taken = cl["cluster"].reindex(removed).dropna()
    cut = cl["cluster"].reindex(cut_ids).dropna().value_counts()
    rows = pd.DataFrame({"cluster": size.index, "size": size.to_numpy()})
    rows["name"] = rows["cluster"].map(names)
    rows["taken"] = rows["cluster"].map(taken.value_counts()).fillna(0).astype(int)
    rows["cut"] = rows["cluster"].map(cut).fillna(0).astype(int)
    who = {c: [cl.at[i, "Label"] for i in taken.index[taken == c]] for c in taken.unique()}
    rows["who"] = rows["cluster"].map(lambda c: who.get(c, []))
    rows["lost"] = rows["taken"] + rows["cut"]
    rows = rows[rows["lost"] > 0]
    return rows.sort_values(["lost", "size", "name"], ascending=[False, False, True], kind="stable")


def plot_what_if_overview(
    m: NetworkMap | nx.Graph,
    result: Any,
    clusters: pd.DataFrame | None = None,
    *,
    top: int = 10,
    title: str | None = None,
) -> go.Figure:
    """A what-if counted per cluster: the members each cluster loses, taken away or cut off from the main part.

    One bar for each of the ``top`` clusters that lose most: black for the
    elements taken away (named beside the bar, marked ✕), vermillion for those
    cut off from the main part of the map. Beside each bar: members before and
    after. The size stays the same whatever the map's size.

    Parameters
    ----------
    m : the map before.
    result : the :class:`~cop_toolkit.analysis.resilience.WhatIf` from
        :func:`cop_toolkit.what_if` (anything with ``removed`` and ``cut_off`` works).
    clusters : the table from :func:`cop_toolkit.find_clusters` (made when not given).

    Examples
    --------
    >>> import networkx as nx
    >>> from cop_toolkit import what_if
    >>> G = nx.Graph([("a", "hub"), ("b", "hub"), ("hub", "c"), ("c", "d"), ("d", "e"), ("e", "c")])
    >>> fig = plot_what_if_overview(G, what_if(G, remove="hub"))
    >>> [(t.name, list(t.x)) for t in fig.data]  # one cluster loses the hub and the two cut off
    [('Taken away', [1]), ('Cut off', [2])]
    """
    import plotly.graph_objects as go  # deferred: heavy

    m = as_map(m)
    cl = find_clusters(m) if clusters is None else clusters
    removed = [str(i) for i in getattr(result, "removed", [])]
    cut = getattr(result, "cut_off", None)
    cut_ids = [str(i) for i in cut.index] if cut is not None and len(cut) else []
    rows = _what_if_counts(cl, removed, cut_ids).head(max(top, 1)).iloc[::-1]
    labels = [escape(truncate(n, 36)) for n in rows["name"]]
    marks = [f"{lost:,} of {size:,} members" + (f" · ✕ {escape(truncate(', '.join(who), 40))}" if who else "")
             for lost, size, who in zip(rows["lost"], rows["size"], rows["who"])]
    cards = [f"<b>{escape(n)}</b><br>{size:,} members before, {size - lost:,} after"
             f"<br>{taken:,} taken away" + (f": {escape(truncate(', '.join(who), 80))}" if who else "")
             + f"<br>{c:,} cut off from the main part"
             for n, size, lost, taken, c, who in zip(rows["name"], rows["size"], rows["lost"], rows["taken"],
                                                     rows["cut"], rows["who"])]
    traces = [
        trace("bar", y=labels, x=rows["taken"].tolist(), orientation="h", name="Taken away",
              marker={"color": "#000000"},
              hovertext=cards, hoverinfo="text"),
        trace("bar", y=labels, x=rows["cut"].tolist(), orientation="h", name="Cut off",
              marker={"color": "#D55E00"}, text=marks, textposition="outside", cliponaxis=False,
              hovertext=cards, hoverinfo="text"),
    ]
    headline = result.headline() if hasattr(result, "headline") else ""
    sub = wrap_escaped(headline, 100, 1000, hyphens=False) if headline else "No cluster loses a member."
    lines = sub.count("<br>") + 1
    layout = base_layout(None)
    layout.update(
        title={"text": f"{escape(title or 'What if they were gone? Cluster by cluster')}<br>"
                       f"<span style='font-size:12px;color:#555'>{sub}</span>", "x": 0.02, "xanchor": "left"},
        barmode="stack", height=200 + 32 * max(len(rows), 1) + 18 * lines,
        xaxis={"title": {"text": "Members lost: taken away or cut off from the main part of the map"},
               "rangemode": "tozero", "tickformat": ",d", **({"dtick": 1} if rows["lost"].max() <= 5 else {})},
        yaxis={"automargin": True},
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )
    layout["margin"] = {"l": 20, "r": 220, "t": 70 + 18 * lines, "b": 90}
    return go.Figure(data=traces, layout=layout)


# --------------------------------------------------------------------------- find an element
def _neighbour_lists(src: np.ndarray, tgt: np.ndarray, degree: np.ndarray, chosen: np.ndarray,
                     neighbours: int) -> np.ndarray:
    """The best-connected ``neighbours`` of each chosen element (rows; -1 pads), by degree then position."""
    n = len(degree)
    wanted = np.zeros(n, dtype=bool)
    wanted[chosen] = True
    u, v = np.r_[src, tgt], np.r_[tgt, src]
    keep = wanted[u] & (u != v)
    u, v = u[keep], v[keep]
    order = np.lexsort((v, -degree[v], u))
    u, v = u[order], v[order]
    start = np.r_[0, np.flatnonzero(u[1:] != u[:-1]) + 1] if len(u) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(u)) - np.repeat(start, np.diff(np.r_[start, len(u)]))
    row = np.full(n, -1, dtype=np.int64)
    row[chosen] = np.arange(len(chosen))
    table = np.full((len(chosen), max(neighbours, 0)), -1, dtype=np.int64)
    near = rank < neighbours
    table[row[u[near]], rank[near]] = v[near]
    return table


def _ties_among(table: np.ndarray, src: np.ndarray, tgt: np.ndarray, n: int) -> np.ndarray:
    """For each neighbour in ``table``, a bit mask of the earlier neighbours in its row it has a tie with."""
    keys = np.sort(np.minimum(src, tgt) * n + np.maximum(src, tgt))
    masks = np.zeros(table.shape, dtype=np.int64)
    if not len(keys):
        return masks
    for q in range(1, table.shape[1]):
        for p in range(q):
            a, b = table[:, p], table[:, q]
            key = np.minimum(a, b) * n + np.maximum(a, b)
            at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            found = (a >= 0) & (b >= 0) & (keys[at] == key)
            masks[found, q] |= 1 << p
    return masks


def _find_data(m: NetworkMap, metrics: pd.DataFrame | None, clusters: pd.DataFrame | None, limit: int,
               neighbours: int) -> dict[str, Any]:
    """What the find control carries: names, types, degrees and clusters of the elements it can show."""
    ids, ties = edge_table(m)
    src, tgt = ties["source"].to_numpy(dtype=np.int64), ties["target"].to_numpy(dtype=np.int64)
    n = len(ids)
    degree = np.bincount(np.r_[src, tgt], minlength=n) if metrics is None or "degree" not in metrics.columns else \
        pd.to_numeric(metrics["degree"].set_axis(metrics.index.astype(str)).reindex(ids), errors="coerce") \
        .fillna(0).to_numpy(dtype=np.int64)
    chosen = np.argsort(-degree, kind="stable")[: max(limit, 0)]
    table = _neighbour_lists(src, tgt, degree, chosen, neighbours)
    masks = _ties_among(table, src, tgt, n)
    others = np.setdiff1d(np.unique(table[table >= 0]), chosen)
    shown = np.r_[chosen, others[np.argsort(-degree[others], kind="stable")]]
    place = np.full(n, -1, dtype=np.int64)
    place[shown] = np.arange(len(shown))
    el = element_table(m).reindex(ids[shown])
    types = _first_types(el, el.index).astype(str)
    palette = type_colours(pd.unique(m.elements["Type"]) if "Type" in m.elements.columns else [])
    type_names = sorted(set(types))
    cl = find_clusters(m) if clusters is None else clusters
    cl = cl.set_axis(cl.index.astype(str))
    cluster_names = (cl["cluster_name"] if "cluster_name" in cl.columns else cl["cluster"]).astype(str)
    cluster_of = cluster_names.reindex(el.index)
    known = sorted(set(cluster_of.dropna()))
    number = {c: k for k, c in enumerate(known)}
    return {
        "names": _names(el),
        "types": [type_names.index(t) for t in types], "typeNames": type_names,
        "colours": [palette.get(t, OTHER_COLOUR) for t in type_names],
        "symbols": [type_symbol(t) for t in type_names],
        "degree": degree[shown].tolist(), "cluster": [number.get(c, -1) for c in cluster_of], "clusterNames": known,
        "nb": [[int(place[v]) for v in r if v >= 0] for r in table.tolist()],
        "tied": [[int(x) for x, v in zip(mr, r) if v >= 0] for mr, r in zip(masks.tolist(), table.tolist())],
        "shown": len(chosen), "total": n,
    }


def _names(el: pd.DataFrame) -> list[str]:
    """Each element's label as text (its ID where it has none)."""
    labels = el["Label"].astype(object)
    blank = labels.isna() | labels.astype(str).str.strip().eq("")
    return labels.where(~blank, pd.Series(el.index, index=el.index)).astype(str).tolist()


def _find_figure_base(height: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The layout and config the control's neighbourhood picture starts from (the package's look)."""
    import plotly.graph_objects as go  # deferred: heavy

    layout = go.Figure(layout=base_layout(None, height=height, showlegend=False, hovermode="closest",
                                          margin={"l": 20, "r": 20, "t": 60, "b": 20},
                                          xaxis={"visible": False, "range": [-1.9, 1.9]},
                                          yaxis={"visible": False, "range": [-1.35, 1.35]})).to_plotly_json()["layout"]
    return layout, dict(REPORT_CONFIG)


def find_control(
    m: NetworkMap | nx.Graph,
    metrics: pd.DataFrame | None = None,
    *,
    limit: int = 20_000,
    neighbours: int = 12,
    title: str = "Find an element",
    clusters: pd.DataFrame | None = None,
    csv: str | None = None,
) -> str:
    """HTML for a report page: a search box over the best-connected elements that draws the one chosen.

    Type part of a name and choose a suggestion (arrow keys and Enter, or a
    click): the control draws that element with up to ``neighbours`` of its
    best-connected neighbours and the ties among them, with the page's
    plotly.js, and writes out its type, cluster and number of ties. Only the
    ``limit`` best-connected elements can be found, so the data embedded stays
    bounded; the control says how many of the map's elements that is, and
    links to ``csv`` (a relative address of a CSV of every element) when given.
    Names are data: the script sets them as text, and escapes them for plotly.

    It is made for report pages (``cop-report``), which run the scripts of
    their outputs and carry plotly.js in their head or beside them: the script
    waits for ``window.Plotly`` and, if the page has none, says so in one line
    and lists the neighbours as text. JupyterLab does not run scripts in a
    lesson's outputs, so there the control only says it works in the report page.

    Parameters
    ----------
    m : the map.
    metrics : the map's element table (its ``degree`` ranks the elements); counted when not given.
    limit : how many of the best-connected elements can be found.
    neighbours : how many neighbours to draw at most, the best connected.
    title : the search box's label.
    clusters : the table from :func:`cop_toolkit.find_clusters` (made when not given).
    csv : a relative address of a CSV of every element, linked from the control.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.relabel_nodes(nx.star_graph(3), {0: "Hub", 1: "<b>One</b>", 2: "Two", 3: "Three"})
    >>> html = find_control(G, limit=2)
    >>> "<b>One</b>" in html, "2 of 4 elements can be found here" in html
    (False, True)
    """
    m = as_map(m)
    data = _find_data(m, metrics, clusters, limit, neighbours)
    layout, config = _find_figure_base(480)
    data.update(layout=layout, config=config)
    shown, total = data["shown"], data["total"]
    scope = (f"All {total:,} elements can be found here." if shown >= total else
             f"{shown:,} of {total:,} elements can be found here: those with most ties.")
    spec = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return render("find.html.j2", box=f"cop-find-{uuid.uuid4().hex[:12]}", title=title, scope=scope,
                  csv=csv if shown < total else None, height=480, data=script_json(spec))
