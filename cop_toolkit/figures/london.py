"""Maps of London drawn from the bundled borough boundaries — no tiles, no internet.

Boroughs are filled polygons (``trace("scatter", fill="toself")``) on ordinary
axes with longitude squeezed by cos(51.5°) so London keeps its shape. Map
tiles and plotly's geo traces fetch from the internet and stay blank in an
offline report, so they are never used here.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.figures.common import (
    check_columns,
    degree_table,
    drawn_ties,
    element_table,
    first_type,
    fmt_number,
    metrics_for,
    scale_sizes,
    trace,
    values_of,
    wrap_escaped,
)
from cop_toolkit.figures.network import LARGE_MAP
from cop_toolkit.figures.style import (
    OTHER_COLOUR,
    SEQUENTIAL,
    TYPE_COLOURS,
    base_layout,
    connection_style,
    escape,
    is_missing,
    truncate,
    type_colours,
    type_symbol,
)
from cop_toolkit.geo import boroughs as geography
from cop_toolkit.geo.locate import locate

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import plotly.graph_objects as go

    from cop_toolkit.core.model import NetworkMap

__all__ = [
    "plot_borough_choropleth",
    "plot_collaboration_vs_resources",
    "plot_flows",
    "plot_local_sharing",
    "plot_london",
    "plot_tile_grid",
]

#: Line widths (pixels) of the flow map's four bands, fewest ties to most: each clearly thicker.
FLOW_WIDTHS = (1.0, 3.0, 6.0, 10.0)
#: Longitude is drawn this much narrower than latitude (cos of London's latitude).
ASPECT = math.cos(math.radians(51.5))
_BOROUGH_FILL = "#EEEEEE"
_BOROUGH_EDGE = "#FFFFFF"
_NO_DATA = "#F7F7F7"


def _boroughs() -> pd.DataFrame:
    return geography.boroughs()


def _polygons() -> dict[str, list[list[tuple[float, float]]]]:
    return geography.borough_polygons()


def _ring_xy(rings: list[list[tuple[float, float]]]) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for ring in rings:
        xs += [float(p[0]) for p in ring] + [None]
        ys += [float(p[1]) for p in ring] + [None]
    return xs, ys


def _map_layout(title: str | None, subtitle: str = "", height: int = 640, **extra: Any) -> dict[str, Any]:
    heading = escape(title) if title else ""
    if subtitle:
        heading += f"<br><span style='font-size:12px;color:#555'>{subtitle}</span>"
    layout = base_layout(None, **extra)
    layout.update(
        title={"text": heading, "x": 0.02, "xanchor": "left"},
        xaxis={"visible": False, "showgrid": False, "zeroline": False, "scaleanchor": "y", "scaleratio": ASPECT},
        yaxis={"visible": False, "showgrid": False, "zeroline": False},
        height=height, hovermode="closest", legend={"itemsizing": "constant"},
        plot_bgcolor="white",
    )
    layout["margin"] = {"l": 10, "r": 10, "t": 70, "b": 30}
    layout["annotations"] = [_attribution()]
    return layout


def _attribution() -> dict[str, Any]:
    text = getattr(geography, "ATTRIBUTION", "Contains National Statistics data © Crown copyright and database right")
    return {"text": escape(truncate(text, 160)), "showarrow": False, "xref": "paper", "yref": "paper",
            "x": 0, "y": -0.04, "xanchor": "left", "yanchor": "top", "font": {"size": 9, "color": "#777777"}}


def _background(names: bool = True) -> list[Any]:
    """London's boroughs in light grey, with faint abbreviations that name the borough on hover."""
    xs: list = []
    ys: list = []
    for rings in _polygons().values():
        x, y = _ring_xy(rings)
        xs += x
        ys += y
    traces: list[Any] = [trace("scatter", x=xs, y=ys, fill="toself", fillcolor=_BOROUGH_FILL, mode="lines",
                                    line={"color": _BOROUGH_EDGE, "width": 1.2}, hoverinfo="skip",
                                    showlegend=False, name="Boroughs")]
    if names:
        b = _boroughs()
        traces.append(trace("scatter", x=b["centroid_lon"].tolist(), y=b["centroid_lat"].tolist(), mode="text",
                                 text=[escape(a) for a in b["abbreviation"]], hovertext=[escape(n) for n in b["name"]],
                                 hoverinfo="text", textfont={"size": 9, "color": "#AAAAAA"}, showlegend=False,
                                 name="Borough names"))
    return traces


def _locations(m: NetworkMap, locations: pd.DataFrame | None) -> pd.DataFrame:
    if locations is None:
        locations = locate(m)
    check_columns(locations, ["Latitude", "Longitude"], "locations")
    loc = locations.copy()
    loc.index = loc.index.astype(str)
    if "approximate" not in loc.columns:
        loc["approximate"] = False
    return loc


#: Ties drawn at most on a map of London (the strongest), so a large map stays quick to open.
MAX_TIES_DRAWN = 5000
#: Above this many placed elements :func:`plot_london` draws borough circles and a few dots (see there).
MAX_POINTS = 10_000
#: How many best-connected elements :func:`plot_london` still draws as dots above :data:`MAX_POINTS`.
SHOWN_ABOVE_LIMIT = 500


def _placed_ties(m: NetworkMap, loc: pd.DataFrame, max_ties: int | None) -> tuple[pd.DataFrame, int]:
    """Ties between two different placed elements, strongest first when thinned; and how many there were."""
    ties, total = drawn_ties(m, set(loc.index), max_ties)
    a, b = loc.loc[ties["From"]], loc.loc[ties["To"]]
    ties = ties.assign(lon_a=a["Longitude"].to_numpy(), lat_a=a["Latitude"].to_numpy(),
                       lon_b=b["Longitude"].to_numpy(), lat_b=b["Latitude"].to_numpy())
    return ties, total


def _with_gaps(values: np.ndarray) -> list:
    """Coordinates with None between line pieces (as plotly wants), rounded to about a metre."""
    return [None if v != v else round(float(v), 5) for v in values]


def plot_london(
    m: NetworkMap | nx.Graph,
    *,
    locations: pd.DataFrame | None = None,
    show_ties: bool = True,
    size_by: str | None = None,
    metrics: pd.DataFrame | None = None,
    title: str | None = None,
    max_ties: int | None = MAX_TIES_DRAWN,
    max_points: int | None = MAX_POINTS,
) -> go.Figure:
    """Draw the map's elements where they are in London, with their ties as lines.

    Elements placed only from their borough (no address or postcode) are drawn
    hollow and their hover card says the place is approximate.

    Above ``max_points`` placed elements the picture stays light whatever the
    map's size: each borough gets a circle sized by the number of elements
    placed in it (hover for the count), and only the
    :data:`SHOWN_ABOVE_LIMIT` best-connected elements (by ``size_by``, else
    by degree) are drawn as dots, with the ties among them; the subtitle says so.

    Parameters
    ----------
    m : the map.
    locations : the table from :func:`cop_toolkit.locate` (made when not given).
    show_ties : draw connections between placed elements.
    size_by : a measure (from ``metrics`` or computed) deciding marker size.
    title : the figure title.
    max_ties : draw at most this many ties, the strongest first (``None``: all);
        the subtitle says when some are left out.
    max_points : above this many placed elements, draw borough circles and the
        best-connected elements only (``None``: always every element).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Food Bank", "Youth Club"],
    ...                              "Type": ["Community group", "CVS"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"], "Type": ["Referral"]}))
    >>> loc = pd.DataFrame({"Latitude": [51.52, 51.46], "Longitude": [-0.07, -0.11],
    ...                     "approximate": [False, True]}, index=pd.Index(["a", "b"], name="ID"))
    >>> fig = plot_london(m, locations=loc)
    >>> [t.marker.symbol for t in fig.data if t.name and "(approximate)" in t.name]
    ['square-open']
    """
    import plotly.graph_objects as go  # deferred: heavy

    m = as_map(m)
    el = element_table(m)
    loc = _locations(m, locations).reindex(el.index)
    placed = loc["Latitude"].notna() & loc["Longitude"].notna()
    n_placed = int(placed.sum())
    bounded = max_points is not None and n_placed > max_points
    traces = _background()
    table = metrics_for(m, metrics, [size_by]) if size_by else None
    shown = placed
    if bounded:
        traces.append(_borough_circles(loc[placed]))
        shown = placed & el.index.isin(_best_connected(m, metrics, table, size_by, placed))
    drawn = total = 0
    if show_ties and not m.connections.empty:
        ties, total = _placed_ties(m, loc[shown], max_ties)
        drawn = len(ties)
        traces += _tie_traces(ties)
    sizes = pd.Series(10.0, index=el.index)
    if size_by:
        sizes = scale_sizes(values_of(m, size_by, table), 6, 24)
    approximate = loc["approximate"].fillna(False).astype(bool)
    traces += _element_traces(el, loc, shown, approximate, sizes)
    if bool((shown & approximate).any()):
        traces.append(trace("scatter", x=[None], y=[None], mode="markers", name="Hollow: place is approximate",
                                 marker={"symbol": "circle-open", "size": 10, "color": "#555555",
                                         "line": {"width": 2}}, hoverinfo="skip", legendgroup="approximate"))
    n_approx = int((placed & approximate).sum())
    sub = f"{n_placed:,} of {len(el):,} elements placed; {n_approx:,} only by borough (hollow markers)"
    if bounded:
        sub = (f"{n_placed:,} of {len(el):,} elements placed: each circle counts a borough's elements; "
               f"the {int(shown.sum()):,} best connected are drawn as dots")
    if drawn < total:
        sub += f"; the {drawn:,} strongest of {total:,} ties between {'them' if bounded else 'placed elements'} drawn"
    return go.Figure(data=traces, layout=_map_layout(title or f"{m.name}: where everyone is", sub, height=680))


def _best_connected(m: NetworkMap, metrics: pd.DataFrame | None, table: pd.DataFrame | None, size_by: str | None,
                    placed: pd.Series) -> list[str]:
    """The :data:`SHOWN_ABOVE_LIMIT` placed elements ranked first by ``size_by`` (else degree)."""
    if size_by and table is not None:
        rank = pd.to_numeric(values_of(m, size_by, table), errors="coerce")
    elif metrics is not None and "degree" in metrics.columns:
        rank = pd.to_numeric(metrics["degree"], errors="coerce").set_axis(metrics.index.astype(str))
    else:
        rank = degree_table(m)["degree"]
    rank = rank.reindex(placed.index[placed]).fillna(0)
    order = pd.DataFrame({"rank": -rank.to_numpy(), "id": rank.index}).sort_values(["rank", "id"], kind="stable")
    return order["id"].head(SHOWN_ABOVE_LIMIT).tolist()


def _borough_circles(loc: pd.DataFrame) -> dict[str, Any]:
    """One circle per borough at its centre, sized by the elements placed in it (the hover card counts them)."""
    b = _boroughs()
    counts = loc["borough_code"].value_counts() if "borough_code" in loc.columns else pd.Series(dtype=int)
    approx = (loc.loc[loc["approximate"].fillna(False).astype(bool), "borough_code"].value_counts()
              if "borough_code" in loc.columns else pd.Series(dtype=int))
    codes = [c for c in b.index if counts.get(c, 0) > 0]
    n = pd.Series([int(counts[c]) for c in codes], index=codes, dtype=float)
    return trace(
        "scatter", x=b.loc[codes, "centroid_lon"].tolist(), y=b.loc[codes, "centroid_lat"].tolist(), mode="markers",
        name="Elements in each borough (circle size)",
        marker={"size": scale_sizes(n, 8, 46).tolist(), "color": "rgba(0,114,178,0.18)",
                "line": {"color": "#0072B2", "width": 1.5}},
        hovertext=[f"<b>{escape(b.at[c, 'name'])}</b><br>{int(counts[c]):,} elements placed here"
                   + (f" ({int(approx.get(c, 0)):,} only by borough)" if approx.get(c, 0) else "") for c in codes],
        hoverinfo="text", legendgroup="boroughs",
    )


def _tie_traces(ties: pd.DataFrame) -> list[Any]:
    """The ties between placed elements as lines, one trace per connection type."""
    traces: list[Any] = []
    for t, group in ties.groupby("Type", sort=True):
        xs = np.column_stack([group["lon_a"], group["lon_b"], np.full(len(group), np.nan)]).ravel()
        ys = np.column_stack([group["lat_a"], group["lat_b"], np.full(len(group), np.nan)]).ravel()
        style = connection_style(t)
        traces.append(trace("scatter", x=_with_gaps(xs), y=_with_gaps(ys), mode="lines", name=escape(t), hoverinfo="skip",
                                 line={"color": style["color"], "width": 0.8}, opacity=0.45,
                                 legendgroup="links", legendgrouptitle={"text": "Connections"}))
    return traces


def _place_cards(el: pd.DataFrame, loc: pd.DataFrame, approximate: pd.Series) -> dict[str, str]:
    """Each element's hover card on the map of London (escaped): name, type, borough, description."""
    bnames = loc["borough_name"] if "borough_name" in loc.columns else pd.Series(float("nan"), index=el.index)
    descs = el["Description"] if "Description" in el.columns else pd.Series(float("nan"), index=el.index)
    card_of = {}
    for i, label, kind, bname, desc, approx in zip(el.index, el["Label"], el["Type"] if "Type" in el else [""] * len(el),
                                                   bnames, descs, approximate):
        lines = [f"<b>{escape(label)}</b>", escape(kind) if not is_missing(kind) else ""]
        if not is_missing(bname):
            lines.append("Borough: " + escape(bname))
        if not is_missing(desc):
            lines.append(f"<i>{wrap_escaped(desc)}</i>")
        if approx:
            lines.append("Place approximate (its borough)")
        card_of[i] = "<br>".join(x for x in lines if x)
    return card_of


def _element_traces(
    el: pd.DataFrame, loc: pd.DataFrame, placed: pd.Series, approximate: pd.Series, sizes: pd.Series
) -> list[Any]:
    """The placed elements, one trace per element type and per exact/approximate place (hollow)."""
    types = el["Type"].map(first_type) if "Type" in el.columns else pd.Series("Other", index=el.index)
    order = [t for t in TYPE_COLOURS if t in set(types)] + sorted(set(types) - set(TYPE_COLOURS))
    colour = type_colours(types)
    card_of = _place_cards(el, loc, approximate)
    # WebGL for thousands of dots: SVG draws them one by one (seconds at 10,000)
    markers = "scattergl" if int(placed.sum()) >= LARGE_MAP else "scatter"
    traces: list[Any] = []
    for t in order:
        for approx in (False, True):
            idx = el.index[(types == t) & placed & (approximate == approx)].tolist()
            if not idx:
                continue
            cards = [card_of[i] for i in idx]
            symbol = type_symbol(t)
            traces.append(trace(
                markers,
                x=loc.loc[idx, "Longitude"].to_numpy(dtype=float), y=loc.loc[idx, "Latitude"].to_numpy(dtype=float),
                mode="markers",
                name=escape(t) + (" (approximate)" if approx else ""), legendgroup=f"type-{t}",
                legendgrouptitle={"text": "Element types"} if t == order[0] and not approx else None,
                marker={"size": sizes[idx].to_numpy(dtype=float), "color": colour.get(t, OTHER_COLOUR),
                        "symbol": symbol + "-open" if approx else symbol,
                        "line": {"width": 2 if approx else 0.8, "color": colour.get(t, OTHER_COLOUR) if approx else "white"}},
                hovertext=np.asarray(cards, dtype=object), hoverinfo="text", customdata=np.asarray(idx, dtype=object),
                showlegend=not approx,
            ))
    return traces


def _colour_for(values: pd.Series, colorscale: str) -> tuple[pd.Series, float, float]:
    from plotly.colors import sample_colorscale  # deferred: heavy

    v = pd.to_numeric(values, errors="coerce")
    lo, hi = float(v.min()) if v.notna().any() else 0.0, float(v.max()) if v.notna().any() else 1.0
    span = hi - lo or 1.0
    out = pd.Series(_NO_DATA, index=values.index, dtype=object)
    present = v.notna()
    if present.any():
        out[present] = sample_colorscale(colorscale, ((v[present] - lo) / span).clip(0, 1).tolist())
    return out, lo, hi


def _summary_values(summary: pd.DataFrame, column: str) -> pd.Series:
    if column not in summary.columns:
        numeric_cols = [c for c in summary.columns if pd.api.types.is_numeric_dtype(summary[c])]
        raise MapError(f"the borough table has no '{column}' column", fix="choose one of: " + ", ".join(numeric_cols))
    s = summary.copy()
    if "code" in s.columns:
        s = s.set_index("code")
    s.index = s.index.astype(str)
    return pd.to_numeric(s[column], errors="coerce")


def _choropleth_traces(values: pd.Series, label: str, colorscale: str) -> list[Any]:
    b = _boroughs()
    polys = _polygons()
    fills, lo, hi = _colour_for(values.reindex(b.index), colorscale)
    traces: list[Any] = []
    for code in b.index:
        if code not in polys:
            continue
        xs, ys = _ring_xy(polys[code])
        val = values.get(code)
        text = f"<b>{escape(b.at[code, 'name'])}</b><br>{escape(label)}: " + (
            fmt_number(val) if not is_missing(val) else "no data")
        traces.append(trace("scatter", x=xs, y=ys, fill="toself", fillcolor=fills[code], mode="lines",
                                 line={"color": "white", "width": 1}, hoveron="fills", text=text,
                                 hoverinfo="text", name=escape(b.at[code, "name"]), showlegend=False))
    present = values.reindex(b.index)
    traces.append(trace("scatter",  # carries the colour bar and a hover point at each borough's middle
        x=b["centroid_lon"].tolist(), y=b["centroid_lat"].tolist(), mode="markers",
        marker={"size": 1, "opacity": 0, "color": [lo if is_missing(v) else v for v in present],
                "colorscale": colorscale, "cmin": lo, "cmax": hi, "showscale": True,
                "colorbar": {"title": {"text": escape(label)}, "len": 0.7}},
        hoverinfo="skip", showlegend=False, name="colour scale"))
    return traces


def plot_borough_choropleth(
    summary: pd.DataFrame,
    column: str = "elements",
    *,
    label: str | None = None,
    title: str | None = None,
    colorscale: str = SEQUENTIAL,
) -> go.Figure:
    """Colour each borough by a number from a borough table (e.g. :func:`cop_toolkit.borough_summary`).

    Parameters
    ----------
    summary : a table indexed by borough ``code`` (or with a ``code`` column).
    column : the number to colour by (``"assets"``, ``"ties_within"``, ...).
    label : words for the colour bar (the column name by default).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"assets": [5, 1]}, index=pd.Index(["E09000030", "E09000012"], name="code"))
    >>> fig = plot_borough_choropleth(s, "assets")
    >>> sum(1 for t in fig.data if t.fill == "toself")
    33
    """
    import plotly.graph_objects as go  # deferred: heavy

    values = _summary_values(summary, column)
    words = label or column.replace("_", " ")
    layout = _map_layout(title or f"{words.capitalize()} by borough",
                         "Darker/yellower boroughs have more; pale grey means no data")
    return go.Figure(data=_choropleth_traces(values, words, colorscale), layout=layout)


def plot_tile_grid(
    summary: pd.DataFrame,
    column: str = "elements",
    *,
    label: str | None = None,
    title: str | None = None,
    colorscale: str = SEQUENTIAL,
) -> go.Figure:
    """Every borough as an equal square in a grid shaped like London ("London Squared").

    Use it where borough size would mislead: the City is tiny and Bromley is
    huge, but each counts once here.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"assets": [5, 1]}, index=pd.Index(["E09000030", "E09000012"], name="code"))
    >>> fig = plot_tile_grid(s, "assets")
    >>> len(fig.data[0].x), fig.data[0].marker.symbol
    (33, 'square')
    """
    import plotly.graph_objects as go  # deferred: heavy

    values = _summary_values(summary, column)
    words = label or column.replace("_", " ")
    b = _boroughs()
    vals = values.reindex(b.index)
    fills, lo, hi = _colour_for(vals, colorscale)
    cards = [f"<b>{escape(b.at[c, 'name'])}</b><br>{escape(words)}: "
             + (fmt_number(vals[c]) if not is_missing(vals[c]) else "no data") for c in b.index]
    dark = [not is_missing(vals[c]) and (vals[c] - lo) / ((hi - lo) or 1) < 0.55 for c in b.index]
    traces = [
        trace("scatter", x=b["grid_x"].tolist(), y=(-b["grid_y"]).tolist(), mode="markers",
                   marker={"symbol": "square", "size": 54, "color": list(fills), "line": {"color": "white", "width": 2}},
                   hovertext=cards, hoverinfo="text", showlegend=False, name="boroughs"),
        trace("scatter", x=b["grid_x"].tolist(), y=(-b["grid_y"]).tolist(), mode="text",
                   text=[escape(a) for a in b["abbreviation"]], hoverinfo="skip", showlegend=False,
                   textfont={"size": 12, "color": ["white" if d else "#222222" for d in dark]}, name="names"),
        trace("scatter", x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip", name="colour scale",
                   marker={"colorscale": colorscale, "cmin": lo, "cmax": hi, "color": [lo], "showscale": True,
                           "colorbar": {"title": {"text": escape(words)}, "len": 0.7}}),
    ]
    layout = base_layout(None)
    layout.update(
        title={"text": escape(title or f"{words.capitalize()} by borough (each borough one square)"),
               "x": 0.02, "xanchor": "left"},
        xaxis={"visible": False, "range": [-0.7, 7.7], "fixedrange": True},
        yaxis={"visible": False, "range": [-6.7, 0.7], "scaleanchor": "x", "fixedrange": True},
        height=560, width=720, plot_bgcolor="white",
    )
    return go.Figure(data=traces, layout=layout)


def flow_bands(most: int) -> list[tuple[int, int, float]]:
    """The four bands of tie counts a flow picture draws: ``(above, up to, line width)`` each.

    Bands end at a quarter, half, three quarters and all of ``most`` (the
    most ties between two places), drawn :data:`FLOW_WIDTHS` wide; a band
    with no room (few ties) is left out.

    Examples
    --------
    >>> flow_bands(8)
    [(0, 2, 1.0), (2, 4, 3.0), (4, 6, 6.0), (6, 8, 10.0)]
    >>> flow_bands(1)
    [(0, 1, 10.0)]
    """
    widths = {0: 0.0}  # upper end of each band of tie counts -> its line width (quarters of the most)
    for q, width in zip((0.25, 0.5, 0.75, 1.0), FLOW_WIDTHS):
        widths[round(most * q)] = width
    bins = sorted(widths)
    return [(lo, hi, widths[hi]) for lo, hi in itertools.pairwise(bins)]


def band_name(lo: int, hi: int, where: str) -> str:
    """The legend entry of a band of tie counts, e.g. "3–4 ties between boroughs".

    Examples
    --------
    >>> band_name(2, 4, "between clusters"), band_name(0, 1, "between clusters")
    ('3–4 ties between clusters', '1 ties between clusters')
    """
    return f"{lo + 1}–{hi} ties {where}" if hi > lo + 1 else f"{hi} ties {where}"


def plot_flows(
    flows: pd.DataFrame,
    *,
    min_ties: int = 1,
    title: str | None = None,
) -> go.Figure:
    """Lines between borough centres, thicker where more ties cross (from :func:`cop_toolkit.borough_flows`).

    Lines come in four widths, :data:`FLOW_WIDTHS` (1, 3, 6 and 10 pixels),
    for up to a quarter, half, three quarters and all of the most ties
    between two boroughs; the legend names the tie counts of each width.
    Ties within one borough are shown as circles at its centre.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"code_a": ["E09000030", "E09000012"], "code_b": ["E09000012", "E09000012"],
    ...                   "ties": [4, 2]})
    >>> fig = plot_flows(f)
    >>> [t.name for t in fig.data if t.name and "ties" in t.name.lower()]
    ['4 ties between boroughs', 'Ties within a borough']
    """
    import plotly.graph_objects as go  # deferred: heavy

    check_columns(flows, ["code_a", "code_b", "ties"], "borough flows")
    b = _boroughs()
    f = flows[flows["ties"] >= min_ties].copy()
    f = f[f["code_a"].isin(b.index) & f["code_b"].isin(b.index)]
    a = f[["code_a", "code_b"]].min(axis=1)
    z = f[["code_a", "code_b"]].max(axis=1)
    f = f.assign(a=a, z=z).groupby(["a", "z"], as_index=False)["ties"].sum()
    between = f[f["a"] != f["z"]]
    within = f[f["a"] == f["z"]]
    traces = _background()
    lon, lat = b["centroid_lon"].to_dict(), b["centroid_lat"].to_dict()
    name = {code: escape(n) for code, n in b["name"].items()}
    mids_x: list = []
    mids_y: list = []
    mids_t: list = []
    for lo, hi, width in flow_bands(int(between["ties"].max()) if len(between) else 1):
        part = between[(between["ties"] > lo) & (between["ties"] <= hi)]
        if part.empty:
            continue
        xs: list = []
        ys: list = []
        for a_code, z_code, n in zip(part["a"], part["z"], part["ties"].astype(int)):
            x0, y0 = lon[a_code], lat[a_code]
            x1, y1 = lon[z_code], lat[z_code]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
            mids_x.append((x0 + x1) / 2)
            mids_y.append((y0 + y1) / 2)
            mids_t.append(f"{name[a_code]} – {name[z_code]}: {n} tie{'s' * (n != 1)}")
        traces.append(trace("scatter", x=xs, y=ys, mode="lines", line={"color": "#0072B2", "width": width},
                                 opacity=0.6, hoverinfo="skip", legendgrouptitle={"text": "Line width"},
                                 name=band_name(lo, hi, "between boroughs"), legendgroup="flows"))
    if mids_x:
        traces.append(trace("scatter", x=mids_x, y=mids_y, mode="markers", marker={"size": 8, "opacity": 0},
                                 hovertext=mids_t, hoverinfo="text", showlegend=False, name="flow details"))
    if len(within):
        wmax = float(within["ties"].max())
        traces.append(trace("scatter",
            x=[b.at[c, "centroid_lon"] for c in within["a"]], y=[b.at[c, "centroid_lat"] for c in within["a"]],
            mode="markers", name="Ties within a borough",
            marker={"size": [8 + 22 * (t / wmax) ** 0.5 for t in within["ties"]], "color": "rgba(230,159,0,0.35)",
                    "line": {"color": "#E69F00", "width": 2}},
            hovertext=[f"{escape(b.at[c, 'name'])}: {int(t)} tie{'s' * (int(t) != 1)} within the borough"
                       for c, t in zip(within["a"], within["ties"])], hoverinfo="text"))
    layout = _map_layout(title or "Ties between boroughs", "Thicker lines: more connections between the two boroughs")
    layout["legend"] = {"itemsizing": "trace", "itemwidth": 40}  # the legend shows each line as thick as drawn
    return go.Figure(data=traces, layout=layout)


def plot_collaboration_vs_resources(
    summary: pd.DataFrame,
    *,
    resources: str = "assets",
    collaboration: str = "ties_within",
    title: str | None = None,
) -> go.Figure:
    """Where resources are (borough colour) against where collaboration happens (circles).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"assets": [5, 1], "ties_within": [0, 7]},
    ...                  index=pd.Index(["E09000030", "E09000012"], name="code"))
    >>> [t.name for t in plot_collaboration_vs_resources(s).data][-1]
    'Collaboration: ties within'
    """
    import plotly.graph_objects as go  # deferred: heavy

    res = _summary_values(summary, resources)
    col = _summary_values(summary, collaboration)
    b = _boroughs()
    rwords = resources.replace("_", " ")
    cwords = collaboration.replace("_", " ")
    traces = _choropleth_traces(res, rwords, SEQUENTIAL)
    cvals = col.reindex(b.index).fillna(0)
    top = float(cvals.max()) or 1.0
    traces.append(trace("scatter",
        x=b["centroid_lon"].tolist(), y=b["centroid_lat"].tolist(), mode="markers",
        name=f"Collaboration: {escape(cwords)}",
        marker={"size": [0 if v <= 0 else 6 + 30 * (v / top) ** 0.5 for v in cvals], "color": "rgba(213,94,0,0.25)",
                "line": {"color": "#D55E00", "width": 2}},
        hovertext=[f"<b>{escape(b.at[c, 'name'])}</b><br>{escape(cwords)}: {fmt_number(cvals[c])}<br>"
                   f"{escape(rwords)}: {fmt_number(res.get(c))}" for c in b.index],
        hoverinfo="text"))
    layout = _map_layout(
        title or "Where collaboration happens, and where the resources are",
        f"Colour: {escape(rwords)} · circles: {escape(cwords)} — a dark borough with a big circle "
        "has collaboration without local resources")
    layout["legend"] = dict(layout["legend"], orientation="h", y=-0.02, x=0.3)
    return go.Figure(data=traces, layout=layout)


def plot_local_sharing(
    m: NetworkMap | nx.Graph,
    pairs: pd.DataFrame,
    *,
    locations: pd.DataFrame | None = None,
    top: int | None = 50,
    title: str | None = None,
) -> go.Figure:
    """Nearby pairs that could share (from :func:`cop_toolkit.local_sharing`) as dashed lines on London.

    Accepts any table of element pairs with ``ID_a``/``ID_b`` (such as
    :func:`cop_toolkit.match_needs_offers` gives too); the ``reason`` column
    is shown on hover. The other elements are grey dots, or, above
    :data:`MAX_POINTS` of them, a circle per borough sized by their number.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Food Bank", "Youth Club"]}))
    >>> loc = pd.DataFrame({"Latitude": [51.52, 51.525], "Longitude": [-0.07, -0.06]},
    ...                    index=pd.Index(["a", "b"], name="ID"))
    >>> p = pd.DataFrame({"ID_a": ["a"], "ID_b": ["b"], "reason": ["Youth Club has a hall"]})
    >>> plot_local_sharing(m, p, locations=loc).data[-2].name
    'Could share (no tie yet)'
    """
    import plotly.graph_objects as go  # deferred: heavy

    m = as_map(m)
    check_columns(pairs, ["ID_a", "ID_b"], "pairs")
    el = element_table(m)
    loc = _locations(m, locations)
    shown = pairs.head(top) if top else pairs
    labels = m.labels.to_dict()

    def label_of(i: str) -> str:
        return str(labels.get(i, i))

    xs: list = []
    ys: list = []
    mx: list = []
    my: list = []
    mt: list = []
    involved: list[str] = []
    for _, r in shown.iterrows():
        u, v = str(r["ID_a"]), str(r["ID_b"])
        if u not in loc.index or v not in loc.index or loc.loc[[u, v], ["Latitude", "Longitude"]].isna().any().any():
            continue
        x0, y0, x1, y1 = loc.at[u, "Longitude"], loc.at[u, "Latitude"], loc.at[v, "Longitude"], loc.at[v, "Latitude"]
        xs += [x0, x1, None]
        ys += [y0, y1, None]
        mx.append((x0 + x1) / 2)
        my.append((y0 + y1) / 2)
        words = f"<b>{escape(label_of(u))}</b> and <b>{escape(label_of(v))}</b>"
        if "reason" in shown.columns and not is_missing(r["reason"]):
            words += "<br>" + wrap_escaped(r["reason"], 60, 240)
        mt.append(words)
        involved += [u, v]
    traces = _background()
    lat = pd.to_numeric(loc["Latitude"], errors="coerce").reindex(el.index)
    others = el.index[lat.notna() & ~el.index.isin(involved)].tolist()
    if len(others) > MAX_POINTS:  # too many dots to open quickly: count them by borough instead
        traces.append(_borough_circles(loc.loc[others]))
    elif others:
        traces.append(trace("scatter", x=loc.loc[others, "Longitude"].tolist(), y=loc.loc[others, "Latitude"].tolist(),
                                 mode="markers", marker={"size": 5, "color": "#BBBBBB"}, name="Others on the map",
                                 hovertext=[escape(label_of(i)) for i in others], hoverinfo="text"))
    traces.append(trace("scatter", x=xs, y=ys, mode="lines", line={"color": "#CC79A7", "width": 2.5, "dash": "dash"},
                             name="Could share (no tie yet)", hoverinfo="skip"))
    inv = list(dict.fromkeys(involved))
    types = el["Type"].map(first_type) if "Type" in el.columns else pd.Series("Other", index=el.index)
    colour = type_colours(types)
    traces.append(trace("scatter",
        x=loc.loc[inv, "Longitude"].tolist() + mx, y=loc.loc[inv, "Latitude"].tolist() + my,
        mode="markers", name="Could share",
        marker={"size": [11] * len(inv) + [9] * len(mx),
                "color": [colour.get(types.get(i), OTHER_COLOUR) for i in inv] + ["rgba(204,121,167,0.0)"] * len(mx),
                "symbol": [type_symbol(types.get(i)) for i in inv] + ["circle"] * len(mx),
                "line": {"width": 1, "color": "white"}},
        hovertext=[f"<b>{escape(label_of(i))}</b>" for i in inv] + mt, hoverinfo="text", showlegend=False))
    layout = _map_layout(title or "Neighbours who could share",
                         f"{len(mt):,} nearby pairs with something to share and no tie yet"
                         " (hover over a line's middle for why)")
    return go.Figure(data=traces, layout=layout)
