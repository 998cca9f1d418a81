"""Network pictures: the whole map, one element's neighbourhood, a cluster, a what-if.

Everything the picture needs to be explored is inside the figure itself, so
it works the same in JupyterLab, in a notebook run by papermill and in an
HTML report opened with no internet:

* a legend of element types and connection types (click to hide/show);
* drop-down menus to show one element type or one connection type, to pick
  a borough, and to **find an element** by name (its neighbours light up);
* hover cards with the label, type, borough, description, key measures and
  web address — all map text is HTML-escaped, so it shows exactly as typed.

Large maps (from 2,000 elements) are drawn with WebGL (``go.Scattergl``) and
only the strongest connections are drawn (the title says how many).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop_toolkit.analysis.clusters import find_clusters
from cop_toolkit.analysis.ego import ego_network
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.figures.common import (
    borough_names,
    drawn_ties,
    element_table,
    first_type,
    fmt_number,
    metrics_for,
    numeric,
    scale_sizes,
    trace,
    two_panels,
    values_of,
    wrap_escaped,
)
from cop_toolkit.figures.labels import LabelSpace
from cop_toolkit.figures.layout import positions_for
from cop_toolkit.figures.style import (
    OTHER_COLOUR,
    SEQUENTIAL,
    TYPE_COLOURS,
    base_layout,
    category_colours,
    connection_style,
    escape,
    is_missing,
    truncate,
    type_colours,
    type_symbol,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import plotly.graph_objects as go

    from cop_toolkit.core.model import NetworkMap

__all__ = ["plot_network", "plot_ego", "plot_cluster", "plot_what_if", "LARGE_MAP", "FIND_LIMIT"]

#: From this many elements the map is drawn with WebGL and connections are thinned.
LARGE_MAP = 2000
#: The "find an element" menu lists at most this many elements (the best connected).
FIND_LIMIT = 300
#: Connections drawn at most on a large map (the strongest).
MAX_LINKS_LARGE = 5000
_VEIL = "rgba(255,255,255,0.78)"
#: The plotting area (pixels) names are placed for: a map the width of a report or a notebook.
MAP_AREA = (900.0, 480.0)
#: The plotting area (pixels) of each what-if panel: half a map's width, less the legend's.
_PANEL_AREA = (360.0, 520.0)
_NAME_SIZE = 11
#: A light edge round names (SVG text only), so they read over lines and markers.
_HALO = {"shadow": "auto"}


# --------------------------------------------------------------------------- pieces
def hover_cards(el: pd.DataFrame, metrics: pd.DataFrame, extra: list[str]) -> pd.Series:
    """Each element's hover card (escaped): name, type, borough, description, degree and ``extra`` facts."""
    boroughs = borough_names(el["Borough"]) if "Borough" in el.columns else pd.Series(float("nan"), index=el.index)
    shown = ["degree"] + [c for c in ("betweenness",) if c in metrics.columns]
    shown += [c for c in extra if c and c not in shown]
    missing = pd.Series(float("nan"), index=el.index)

    def column(c: str) -> list:
        return (el[c] if c in el.columns else missing).tolist()

    facts = []  # (name, values, is a measure) for each fact shown
    for c in shown:
        if c in metrics.columns:
            facts.append((escape(c.replace("_", " ")), metrics[c].reindex(el.index).tolist(), True))
        elif c in el.columns:
            facts.append((escape(c), el[c].tolist(), False))
    cards = []
    rows = zip(column("Label"), column("Type"), boroughs.reindex(el.index).tolist(), column("Description"),
               column("URL"), *(values for _, values, _ in facts))
    for label, kind, borough, description, url, *values in rows:
        lines = [f"<b>{escape(label)}</b>"]
        if not is_missing(kind):
            lines.append(escape(kind))
        if not is_missing(borough):
            lines.append("Borough: " + escape(borough))
        desc = wrap_escaped(description)
        if desc:
            lines.append(f"<i>{desc}</i>")
        shown_facts = [
            f"{name}: {fmt_number(value)}" if is_measure else f"{name}: {escape(truncate(value, 60))}"
            for (name, _, is_measure), value in zip(facts, values)
        ]
        if shown_facts:
            lines.append(" · ".join(shown_facts))
        if not is_missing(url):
            lines.append(escape(truncate(url, 80)))
        cards.append("<br>".join(lines))
    return pd.Series(cards, index=el.index)


def _name_cards(el: pd.DataFrame) -> pd.Series:
    """Hover text with just each element's name (escaped, at most 60 characters)."""
    return pd.Series([escape(truncate(x, 60)) for x in el["Label"]], index=el.index)


def _scatter(large: bool, **props: Any) -> dict[str, Any]:
    """One scatter trace as plain data: WebGL on large maps (see :func:`.common.trace`)."""
    return trace("scattergl" if large else "scatter", **props)


def _xy(pos: pd.DataFrame) -> tuple[dict, dict]:
    return dict(zip(pos.index, pos["X"].tolist())), dict(zip(pos.index, pos["Y"].tolist()))


#: Positions are drawn to this many significant digits of the map's span: a step of a
#: thousandth of it is under a pixel of a report's map, and each figure carries every
#: element's position many times over (its ties, the menus' neighbourhoods).
_POSITION_DIGITS = 4


def _drawn_positions(pos: pd.DataFrame) -> pd.DataFrame:
    """Positions rounded to what the picture needs: :data:`_POSITION_DIGITS` significant digits of the span.

    Examples
    --------
    >>> _drawn_positions(pd.DataFrame({"X": [-1.0, 0.123456], "Y": [0.98765, 1.0]}))["X"].tolist()
    [-1.0, 0.123]
    >>> _drawn_positions(pd.DataFrame({"X": [0.0, 2500.123], "Y": [0.0, 0.0]}))["X"].tolist()
    [0.0, 2500.0]
    """
    span = float(max(pos["X"].max() - pos["X"].min(), pos["Y"].max() - pos["Y"].min())) if len(pos) else 0.0
    if not np.isfinite(span) or span <= 0:
        return pos
    return pos.round(_POSITION_DIGITS - 1 - int(np.floor(np.log10(span))))


@cache
def _symbol_numbers(kind: str) -> dict[str, int]:
    """plotly's number for each marker symbol of a trace type ("star" is 17): menus carry the number."""
    from plotly.validator_cache import ValidatorCache  # deferred: heavy

    values = ValidatorCache.get_validator(f"{kind}.marker", "symbol").values
    # plotly lists each symbol as its number, the number as text, and its name
    return {name: number for number, name in zip(values[::3], values[2::3])
            if isinstance(number, int) and isinstance(name, str)}


def _segments(links: pd.DataFrame, pos: pd.DataFrame | tuple[dict, dict]) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    px, py = pos if isinstance(pos, tuple) else _xy(pos)
    for u, v in zip(links["From"], links["To"]):
        xs += [px[u], px[v], None]
        ys += [py[u], py[v], None]
    return xs, ys


class _Drawing:
    """Traces of a network picture (plain data) plus what the menus need to know about them."""

    def __init__(self) -> None:
        self.traces: list[dict[str, Any]] = []
        self.node_traces: dict[str, int] = {}
        self.link_traces: dict[str, int] = {}
        self.total_links = 0
        self.drawn_links = 0


def _draw_links(d: _Drawing, links: pd.DataFrame, pos: pd.DataFrame, *, large: bool, legend: bool) -> None:
    """The connections, one trace per connection type."""
    xy = _xy(pos)
    for ctype in sorted(links["Type"].unique(), key=lambda t: (t == "Other", t)):
        sub = links[links["Type"] == ctype]
        xs, ys = _segments(sub, xy)
        style = connection_style(ctype)
        d.link_traces[ctype] = len(d.traces)
        d.traces.append(_scatter(
            large, x=xs, y=ys, mode="lines", name=escape(ctype if ctype != "Other" else "Other / not given"),
            line={"color": style["color"], "width": 1.2 if not large else 0.6,
                  **({"dash": style["dash"]} if not large else {})},
            opacity=0.55 if not large else 0.35, hoverinfo="skip", legendgroup="links",
            legendgrouptitle={"text": "Connections"} if legend else None, showlegend=legend,
        ))


def _colours(
    m: NetworkMap, types: pd.Series, color_by: str | None, table: pd.DataFrame
) -> tuple[pd.Series, dict[str, Any]]:
    """Each element's colour, and how colours were chosen (by type, by a number or by a category).

    By type, an element's own ``Color`` (``#rrggbb``, as Gephi writes) is used where it has one.
    """
    by_type = type_colours(types)
    if color_by in (None, "Type"):
        colours = types.map(by_type).fillna(OTHER_COLOUR)
        own = _own_colours(m, types.index)
        if own.notna().any():
            colours = own.fillna(colours)
        return colours, {"colour_kind": "type", "type_colours": by_type, "own": bool(own.notna().any())}
    vals = values_of(m, color_by, table)
    if numeric(vals):
        values = pd.to_numeric(vals, errors="coerce")
        return values, {"colour_kind": "numeric", "values": values, "type_colours": by_type}
    cats = vals.map(lambda v: "Not given" if is_missing(v) else str(v).split("|")[0].strip())
    common = cats.value_counts().index[:10].tolist()
    cats = cats.where(cats.isin(common), "Other")
    palette = category_colours(common)
    palette.setdefault("Other", OTHER_COLOUR)
    palette["Not given"] = OTHER_COLOUR
    return cats.map(palette), {"colour_kind": "category", "palette": {k: palette[k] for k in sorted(set(cats))},
                               "type_colours": by_type}


_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _own_colours(m: NetworkMap, ids: pd.Index) -> pd.Series:
    """Each element's own ``Color`` field when it is ``#rrggbb`` (None where it has none)."""
    if "Color" not in m.elements.columns:
        return pd.Series(None, index=ids, dtype=object)
    cells = element_table(m)["Color"].reindex(ids)
    return pd.Series([c.strip().lower() if isinstance(c, str) and _HEX_COLOUR.fullmatch(c.strip()) else None
                      for c in cells], index=ids, dtype=object)


def _draw_elements(
    d: _Drawing,
    pos: pd.DataFrame,
    info: dict[str, Any],
    *,
    color_by: str | None,
    large: bool,
    legend: bool,
    dim: set[str],
) -> None:
    """The elements, one trace per element type, and the legend of colour categories."""
    types, sizes, colours, cards, style_info = (info[k] for k in ("types", "sizes", "colours", "cards", "style"))
    type_order = [t for t in TYPE_COLOURS if t in set(types)] + sorted(set(types) - set(TYPE_COLOURS))
    by_type: dict[str, list[str]] = {}
    for i, t in zip(types.index, types.tolist()):
        by_type.setdefault(t, []).append(i)
    for t in type_order:
        idx = by_type[t]
        marker: dict[str, Any] = {
            "size": sizes[idx].to_numpy(dtype=float),
            "symbol": type_symbol(t),
            "line": {"width": 0.8 if not large else 0, "color": "white"},
            "opacity": [0.25 if i in dim else 0.95 for i in idx] if dim else 0.95,
        }
        if style_info["colour_kind"] == "numeric":
            marker.update(color=colours[idx].tolist(), coloraxis="coloraxis")
        else:
            per_element = style_info["colour_kind"] == "category" or style_info.get("own", False)
            marker["color"] = colours[idx].tolist() if per_element else style_info["type_colours"].get(t, OTHER_COLOUR)
        d.node_traces[t] = len(d.traces)
        d.traces.append(_scatter(
            # numpy arrays: plotly checks them at once, lists one item at a time (10x slower)
            large, x=pos.loc[idx, "X"].to_numpy(dtype=float), y=pos.loc[idx, "Y"].to_numpy(dtype=float),
            mode="markers", name=escape(t), marker=marker, hovertext=cards[idx].to_numpy(dtype=object),
            hoverinfo="text", customdata=np.asarray(idx, dtype=object), legendgroup="types", showlegend=legend,
            legendgrouptitle={"text": "Element types"} if legend else None,
        ))
    if style_info["colour_kind"] == "category" and legend:
        for name, colour in style_info["palette"].items():
            d.traces.append(_scatter(
                large, x=[None], y=[None], mode="markers", name=escape(name), marker={"color": colour, "size": 11},
                legendgroup="colours", legendgrouptitle={"text": f"Colour: {escape(color_by)}"},
                hoverinfo="skip",
            ))


def _draw_names(
    d: _Drawing,
    m: NetworkMap,
    pos: pd.DataFrame,
    el: pd.DataFrame,
    info: dict[str, Any],
    *,
    size_by: str | None,
    label_top: int,
    highlight: list[str],
    large: bool,
    legend: bool,
    space: LabelSpace,
) -> None:
    """Names on the most important elements (and the highlighted ones), and rings round the highlighted.

    Names are placed so that none sits on another (see :mod:`.labels`): the
    highlighted elements' names first, then the others by rank; a name with
    no free place beside its element is left out.
    """
    ids = list(el.index)
    table, sizes, cards = info["table"], info["sizes"], info["cards"]
    rank_by = values_of(m, size_by, table) if size_by else table["degree"]
    rank = pd.to_numeric(rank_by, errors="coerce").fillna(0)
    order = (pd.DataFrame({"rank": -rank.reindex(ids).to_numpy(), "label": el["Label"].astype(str).to_numpy()}, index=ids)
             .sort_values(["rank", "label"], kind="stable").index.tolist())
    wanted = list(dict.fromkeys(order[: max(label_top, 0)] + highlight))
    rest = [i for i in wanted if i not in set(highlight)]
    where: dict[str, str | None] = {}
    for group, force in ((highlight, True), (rest, False)):
        if group:
            placed = space.place(pos.loc[group, "X"], pos.loc[group, "Y"],
                                 [truncate(el.at[i, "Label"], 32) for i in group], (sizes[group] / 2).tolist(),
                                 force=force, keys=group)
            where.update(zip(group, placed))
    labelled = [i for i in wanted if where.get(i)]
    if labelled:
        d.traces.append(_scatter(  # WebGL on large maps: SVG traces would sit under the WebGL layer
            # invisible markers as big as the elements': plotly sets each name beside its marker
            large, x=pos.loc[labelled, "X"].tolist(), y=pos.loc[labelled, "Y"].tolist(), mode="markers+text",
            text=[escape(truncate(el.at[i, "Label"], 32)) for i in labelled],
            textposition=[where[i] for i in labelled],
            marker={"size": sizes[labelled].to_numpy(dtype=float), "color": "rgba(0,0,0,0)", "line": {"width": 0}},
            textfont={"size": _NAME_SIZE, "color": "#222222", **({} if large else _HALO)}, name="Names",
            hoverinfo="skip", showlegend=False,
            cliponaxis=None if large else False,  # a name by the edge shows whole (WebGL has no such setting)
        ))
    if highlight:
        d.traces.append(_scatter(
            large, x=pos.loc[highlight, "X"].tolist(), y=pos.loc[highlight, "Y"].tolist(), mode="markers",
            name="Highlighted", hovertext=cards[highlight].tolist(), hoverinfo="text",
            marker={"size": (sizes[highlight] + 10).tolist(), "color": "rgba(0,0,0,0)",
                    "line": {"width": 3, "color": "#D55E00"}, "symbol": "circle"},
            showlegend=legend,
        ))


def _draw(
    m: NetworkMap,
    pos: pd.DataFrame,
    *,
    color_by: str | None,
    size_by: str | None,
    metrics: pd.DataFrame | None,
    label_top: int,
    highlight: list[str],
    max_links: int | None,
    large: bool,
    legend: bool = True,
    dim: set[str] | None = None,
    short_cards: bool = False,
    space: LabelSpace | None = None,
) -> tuple[_Drawing, pd.DataFrame, dict[str, Any]]:
    """All the traces of a network picture: connections, elements, names; and what the menus need.

    Names are placed on ``space`` (by default the plotting area a full-width map gets).
    """
    el = element_table(m)
    ids = list(el.index)
    needed = [c for c in (color_by, size_by) if c and c != "Type"]
    table = metrics_for(m, metrics, needed)
    d = _Drawing()
    links, d.total_links = drawn_ties(m, set(ids), max_links)
    d.drawn_links = len(links)
    _draw_links(d, links, pos, large=large, legend=legend)

    sizes = scale_sizes(values_of(m, size_by, table)) if size_by else pd.Series(11.0, index=ids)
    if large:
        sizes = (sizes * 0.6).clip(lower=4)
    types = el["Type"].map(first_type) if "Type" in el.columns else pd.Series("Other", index=ids)
    colours, style_info = _colours(m, types, color_by, table)
    if short_cards:  # names only: keeps a large picture light when the cards are shown elsewhere
        cards = _name_cards(el)
    else:
        cards = hover_cards(el, table, [size_by or "", color_by if color_by != "Type" else ""])
    info = {"style": style_info, "sizes": sizes, "colours": colours, "types": types, "cards": cards,
            "links": links, "table": table}
    _draw_elements(d, pos, info, color_by=color_by, large=large, legend=legend, dim=dim or set())
    if space is None:
        space = LabelSpace(pos.loc[ids, "X"], pos.loc[ids, "Y"], size=MAP_AREA, font_size=_NAME_SIZE)
    space.keep_clear(pos.loc[ids, "X"], pos.loc[ids, "Y"], (sizes / 2).to_numpy(dtype=float))
    _draw_names(d, m, pos, el, info, size_by=size_by, label_top=label_top, highlight=highlight, large=large,
                legend=legend, space=space)
    return d, el, info


def _numeric_colour_axis(style_info: dict[str, Any], color_by: str | None) -> dict[str, Any]:
    if style_info["colour_kind"] != "numeric":
        return {}
    return {"coloraxis": {"colorscale": SEQUENTIAL,
                          "colorbar": {"title": {"text": escape(str(color_by).replace("_", " "))},
                                       "x": 1.02, "len": 0.5, "y": 0.25}}}


def _axes() -> dict[str, Any]:
    """Hidden axes, each scaled on its own: the map fills the width (a layout's shape means nothing)."""
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    return {"xaxis": dict(hidden), "yaxis": dict(hidden)}


#: The legend of a network map: in rows under the map, so every entry shows without scrolling.
_LEGEND_BELOW = {"orientation": "h", "x": 0.0, "xanchor": "left", "y": -0.02, "yanchor": "top",
                 "itemsizing": "constant", "groupclick": "toggleitem", "tracegroupgap": 12}


class _Spotlight:
    """Three overlay traces that pick out some elements: a veil over the rest, their ties, themselves.

    :meth:`show` is the restyle a menu entry applies to the overlay traces;
    everything it needs about each element is worked out once here, not
    once per menu entry that shows it.
    """

    def __init__(self, pos: pd.DataFrame, el: pd.DataFrame, info: dict[str, Any], first: int, large: bool) -> None:
        ids = list(el.index)
        # rounded: each menu entry carries these, and -1.194 may come out as -1.1940000000000002
        x0, x1 = round(float(pos["X"].min()) - 0.2, 6), round(float(pos["X"].max()) + 0.2, 6)
        y0, y1 = round(float(pos["Y"].min()) - 0.2, 6), round(float(pos["Y"].max()) + 0.2, 6)
        self.veil_x, self.veil_y = [x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0]
        self.traces = [
            _scatter(large, x=self.veil_x, y=self.veil_y, fill="toself", fillcolor=_VEIL, mode="lines",
                     line={"width": 0}, hoverinfo="skip", showlegend=False, visible=False, name="veil"),
            _scatter(large, x=[], y=[], mode="lines", line={"color": "#333333", "width": 1.6}, hoverinfo="skip",
                     showlegend=False, visible=False, name="chosen connections"),
            _scatter(large, x=[], y=[], mode="markers+text", textposition="top center", hoverinfo="text",
                     textfont={"size": 12, "color": "#000000"}, showlegend=False, visible=False,
                     name="chosen elements", marker={"line": {"width": 1.5, "color": "#222222"}}),
        ]
        self.indices = [first, first + 1, first + 2]
        self.sizes, types, self.cards = info["sizes"].to_dict(), info["types"].to_dict(), info["cards"].to_dict()
        style = info["style"]
        colours = info["colours"].to_dict()
        self.labels = el["Label"].to_dict()
        self.short = _name_cards(el).to_dict()
        links = info["links"]
        self.xy = _xy(pos)
        self.link_pairs = list(zip(links["From"].tolist(), links["To"].tolist()))
        self.neighbours: dict[str, set[str]] = {i: set() for i in ids}
        for u, v in zip(links["From"], links["To"]):
            self.neighbours[u].add(v)
            self.neighbours[v].add(u)

        def colour_of(i: str) -> str:
            if style["colour_kind"] == "numeric":
                return style["type_colours"].get(types[i], OTHER_COLOUR)
            return str(colours[i])

        self.colour_at = {i: colour_of(i) for i in ids}
        numbers = _symbol_numbers("scattergl" if large else "scatter")
        self.symbol_at = {i: numbers.get(type_symbol(types[i]), type_symbol(types[i])) for i in ids}
        self.name_at = {i: escape(truncate(self.labels[i], 32)) for i in ids}

    def show(self, chosen: list[str], centre: list[str]) -> dict[str, Any]:
        """The restyle that picks out ``chosen`` (with the ``centre`` elements' full cards)."""
        xy = self.xy
        chosen_set = set(chosen)
        if len(centre) == 1:  # an element and its neighbours: only its own links
            c = centre[0]
            others = [n for n in chosen if n != c]
            # two ties a line, neighbour - centre - neighbour: a third fewer numbers than a line a
            # tie, and the turn is hidden under the centre's marker
            lines = [[*others[k:k + 1], c, *others[k + 1:k + 2]] for k in range(0, len(others), 2)]
        else:
            lines = [[u, v] for u, v in self.link_pairs if u in chosen_set and v in chosen_set]
        names = [self.name_at[i] if (i in centre or len(chosen) <= 40) else "" for i in chosen]
        lx: list = []
        ly: list = []
        for line in lines:
            lx += [*(xy[0][i] for i in line), None]
            ly += [*(xy[1][i] for i in line), None]
        # the elements' numbers as numpy arrays: plotly copies each menu entry when it
        # checks the figure, a list item by item, an array at once; the JSON is the same.
        # The lines stay lists: None between pieces would be NaN in an array, and a
        # NaN anywhere makes plotly encode the whole figure twice over.
        return {
            "visible": [True, True, True],
            "x": [self.veil_x, lx, np.array([xy[0][i] for i in chosen], dtype=float)],
            "y": [self.veil_y, ly, np.array([xy[1][i] for i in chosen], dtype=float)],
            "marker.color": [None, None, [self.colour_at[i] for i in chosen]],
            "marker.size": [None, None, np.array([float(self.sizes[i]) + (8 if i in centre else 2) for i in chosen])],
            "marker.symbol": [None, None, [self.symbol_at[i] for i in chosen]],
            "text": [None, None, names],
            # full cards only for the element found, names for the rest: the menus would
            # otherwise carry every card again for each borough and each element to find
            # (most of a map's size, and of the time to build and open it). A name that is
            # the point's text already is left out (""): plotly then shows the text on hover.
            "hovertext": [None, None, [self.cards[i] if i in centre else "" if self.short[i] == name else self.short[i]
                                       for i, name in zip(chosen, names)]],
        }

    def clear(self) -> list[Any]:
        """The restyle arguments that hide the overlay again."""
        return [{"visible": [False, False, False]}, self.indices]


#: How every drop-down menu above a network picture looks.
_MENU = {"type": "dropdown", "direction": "down", "showactive": True, "yanchor": "bottom", "y": 1.01,
         "xanchor": "left", "bgcolor": "white", "bordercolor": "#999999", "font": {"size": 12}}


def _only_menu(traces: dict[str, int], first: list[dict[str, Any]], x: float, name: str) -> dict[str, Any]:
    """A menu that shows all the given traces, or only one of them (the others stay in the legend)."""
    idx = list(traces.values())
    buttons = [dict(b, args=[b["args"], idx]) for b in first]
    for t, ti in traces.items():
        buttons.append({"label": "Only: " + escape(t), "method": "restyle",
                        "args": [{"visible": [True if j == ti else "legendonly" for j in idx]}, idx]})
    return dict(_MENU, buttons=buttons, x=x, name=name)


def _borough_menu(el: pd.DataFrame, spot: _Spotlight) -> dict[str, Any] | None:
    """A menu that picks out the elements of one borough (None if no element has a borough)."""
    if "Borough" not in el.columns:
        return None
    names = borough_names(el["Borough"])
    present = sorted({str(v) for v in names if not is_missing(v)})
    if not present:
        return None
    members: dict[str, list[str]] = {}
    for i, b in zip(el.index, names.tolist()):
        if not is_missing(b):
            members.setdefault(str(b), []).append(i)
    buttons = [{"label": "All boroughs", "method": "restyle", "args": spot.clear()}]
    for b in present:
        buttons.append({"label": escape(b), "method": "restyle", "args": [spot.show(members[b], []), spot.indices]})
    return dict(_MENU, buttons=buttons, x=0.48, name="boroughs")


def _find_menu(el: pd.DataFrame, spot: _Spotlight, find_limit: int) -> dict[str, Any]:
    """A menu, A–Z, that picks out one element and its neighbours (the best connected on a big map)."""
    ids = list(el.index)
    labels = spot.labels
    degree = pd.Series({i: len(spot.neighbours[i]) for i in ids})
    pool = ids if len(ids) <= find_limit else list(degree.sort_values(ascending=False, kind="stable").index[:find_limit])
    pool = sorted(pool, key=lambda i: str(labels[i]).casefold())
    buttons = [{"label": "Find an element…" if len(ids) <= find_limit
                else f"Find an element ({find_limit} best connected)…",
                "method": "restyle", "args": spot.clear()}]
    for i in pool:
        chosen = [i] + sorted(spot.neighbours[i])
        buttons.append({"label": escape(truncate(labels[i], 40)), "method": "restyle",
                        "args": [spot.show(chosen, [i]), spot.indices]})
    return dict(_MENU, buttons=buttons, x=0.70, name="find")


def _menus(
    pos: pd.DataFrame,
    d: _Drawing,
    el: pd.DataFrame,
    info: dict[str, Any],
    large: bool,
    find_limit: int,
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Overlay traces and the drop-down menus (types, connections, borough, find)."""
    spot = _Spotlight(pos, el, info, len(d.traces), large)
    menus = [_only_menu(d.node_traces, [{"label": "All element types", "method": "restyle",
                                         "args": {"visible": True}}], 0.0, "types")]
    if d.link_traces:
        menus.append(_only_menu(d.link_traces, [
            {"label": "All connection types", "method": "restyle", "args": {"visible": True}},
            {"label": "No connections", "method": "restyle", "args": {"visible": "legendonly"}},
        ], 0.24, "connections"))
    boroughs = _borough_menu(el, spot)
    if boroughs is not None:
        menus.append(boroughs)
    menus.append(_find_menu(el, spot, find_limit))
    return spot.traces, menus


# --------------------------------------------------------------------------- public
def plot_network(
    m: NetworkMap | nx.Graph,
    *,
    color_by: str | None = "Type",
    size_by: str | None = "degree",
    layout: pd.DataFrame | dict | None = None,
    elements: list[str] | str | None = None,
    label_top: int = 15,
    metrics: pd.DataFrame | None = None,
    title: str | None = None,
    max_links: int | None = None,
    menus: bool = True,
    find_limit: int = FIND_LIMIT,
    seed: int = 42,
    height: int = 900,
) -> go.Figure:
    """Draw the network map: elements as markers, connections as lines, the legend below.

    Parameters
    ----------
    m : the map.
    color_by : ``"Type"`` (default), any element field (categories get a
        legend) or any measure (numbers get a colour bar).
    size_by : a measure or numeric field deciding marker size (``"degree"``
        by default; ``None`` for equal sizes). Measures missing from
        ``metrics`` are computed with :func:`cop_toolkit.element_metrics`.
    layout : positions to use (a table with ``X``/``Y`` indexed by ID, or
        ``{id: (x, y)}``); by default the positions saved in the map, with new
        elements placed beside their neighbours, or a fresh seeded layout.
    elements : elements (IDs or labels) to highlight: ringed in orange and labelled.
    label_top : how many of the largest elements get a name label (those with room
        for it: names never sit on each other).
    metrics : a table from :func:`cop_toolkit.element_metrics` to reuse.
    title : the figure title (the map's name by default).
    max_links : draw at most this many connections (the strongest). Maps of
        2,000 elements or more draw at most 5,000 and use WebGL.
    menus : add the drop-down menus (types, connections, borough, find).
    find_limit : the find menu lists elements A–Z; on bigger maps only this
        many best-connected elements are listed (plotly has no text box).

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Food Bank", "CVS", "Youth Club"],
    ...                              "Type": ["Community group", "CVS", "Community group"]}),
    ...                pd.DataFrame({"From": ["a", "c"], "To": ["b", "b"], "Type": ["Membership", "Referral"]}))
    >>> fig = plot_network(m)
    >>> sorted(t.name for t in fig.data if t.mode == "markers" and t.showlegend)
    ['CVS', 'Community group']
    """
    import plotly.graph_objects as go  # deferred: heavy

    m = as_map(m)
    if len(m.elements) == 0:
        raise MapError("the map has no elements to draw", fix="add some elements to the map first")
    highlight_ids = m.resolve_many(elements)
    pos = _drawn_positions(positions_for(m, layout, seed=seed))
    large = len(m.elements) >= LARGE_MAP
    if max_links is None and large:
        max_links = MAX_LINKS_LARGE
    d, el, info = _draw(m, pos, color_by=color_by, size_by=size_by, metrics=metrics, label_top=label_top,
                        highlight=highlight_ids, max_links=max_links, large=large)
    traces = list(d.traces)
    updatemenus: list[dict[str, Any]] = []
    if menus:
        overlay, updatemenus = _menus(pos, d, el, info, large, find_limit)
        traces += overlay
    heading = escape(title if title is not None else m.name)
    n = len(el)
    sub = f"{n:,} elements, {d.total_links:,} connections"
    if d.drawn_links < d.total_links:
        sub += f" (showing the {d.drawn_links:,} strongest)"
    if size_by:
        sub += f" · size: {escape(size_by.replace('_', ' '))}"
    fig_layout = dict(
        base_layout(None),
        title={"text": f"{heading}<br><span style='font-size:12px;color:#555'>{sub}</span>", "x": 0.02,
               "xanchor": "left", "y": 0.98, "yanchor": "top"},
        updatemenus=updatemenus,
        legend=_LEGEND_BELOW,
        height=height, hovermode="closest", dragmode="pan",
        margin={"l": 20, "r": 20, "t": 120 if menus else 80, "b": 20},
        **_axes(), **_numeric_colour_axis(info["style"], color_by),
    )
    return go.Figure(data=traces, layout=fig_layout)


def _ego_ids(m: NetworkMap, centre: str, steps: int) -> list[str]:
    return [str(i) for i in ego_network(m, centre, steps=steps).elements["ID"]]


def plot_ego(
    m: NetworkMap | nx.Graph,
    element: str,
    *,
    steps: int = 1,
    layout: pd.DataFrame | dict | None = None,
    color_by: str | None = "Type",
    size_by: str | None = "degree",
    metrics: pd.DataFrame | None = None,
    title: str | None = None,
    seed: int = 42,
) -> go.Figure:
    """Draw one element and everyone within ``steps`` connections of it.

    The element is ringed and everyone in view is labelled (up to 40).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"]}))
    >>> fig = plot_ego(m, "a")
    >>> [t.name for t in fig.data if t.name == "Highlighted"]
    ['Highlighted']
    """
    m = as_map(m)
    centre = m.resolve(element)
    keep = _ego_ids(m, centre, steps)
    sub = m.subset(keep)
    pos = positions_for(sub, layout, seed=seed) if layout is not None else positions_for(sub, None, seed=seed)
    step_word = "one connection" if steps == 1 else f"{steps} connections"
    heading = title or f"{m.label_of(centre)} and everyone within {step_word}"
    full = metrics_for(m, metrics, [c for c in (color_by, size_by) if c and c != "Type"])
    return plot_network(sub, color_by=color_by, size_by=size_by, layout=pos, elements=[centre],
                        label_top=40, metrics=full, title=heading, menus=len(keep) > 1, seed=seed, height=700)


def plot_cluster(
    m: NetworkMap | nx.Graph,
    cluster: int | str,
    clusters: pd.DataFrame | None = None,
    *,
    layout: pd.DataFrame | dict | None = None,
    size_by: str | None = "degree",
    metrics: pd.DataFrame | None = None,
    title: str | None = None,
    seed: int = 42,
) -> go.Figure:
    """Draw the members of one cluster (by number or by name) and the ties among them.

    ``clusters`` is the table from :func:`cop_toolkit.find_clusters` (made
    when not given).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"]}))
    >>> cl = pd.DataFrame({"Label": ["A", "B", "C"], "cluster": [0, 0, 1],
    ...                    "cluster_name": ["A's group", "A's group", "C alone"]},
    ...                   index=pd.Index(["a", "b", "c"], name="ID"))
    >>> plot_cluster(m, "A's group", cl).layout.title.text.startswith("A&#x27;s group")
    True
    """
    m = as_map(m)
    if clusters is None:
        clusters = find_clusters(m)
    if "cluster" not in clusters.columns:
        raise MapError("the clusters table has no 'cluster' column", fix="pass the table made by find_clusters(m)")
    names = clusters["cluster_name"].astype(str) if "cluster_name" in clusters.columns else clusters["cluster"].astype(str)
    if isinstance(cluster, str) and not str(cluster).lstrip("-").isdigit():
        mask = names == cluster
        label = cluster
    else:
        mask = clusters["cluster"].astype(int) == int(cluster)
        label = names[mask].iloc[0] if mask.any() else str(cluster)
    members = [str(i) for i in clusters.index[mask]]
    if not members:
        known = ", ".join(sorted(set(names))[:10])
        raise MapError(f"there is no cluster called '{cluster}'", fix=f"choose one of: {known}")
    sub = m.subset(members)
    full = metrics_for(m, metrics, [size_by] if size_by else [])
    return plot_network(sub, size_by=size_by, layout=layout, metrics=full, label_top=15,
                        title=title or f"{label}: {len(members)} members", seed=seed, height=700)


def plot_what_if(
    m: NetworkMap | nx.Graph,
    result: Any,
    *,
    layout: pd.DataFrame | dict | None = None,
    top: int = 5,
    title: str | None = None,
    seed: int = 42,
) -> go.Figure:
    """Before and after side by side: what happens if some elements go.

    Left: the map as it is, with the elements taken away crossed out.
    Right: the map without them (same positions), with the elements cut
    off from the main network ringed in red and the ``top`` elements that
    come to the fore (largest rise in betweenness rank) ringed in blue.
    Only a few are named, so the names can be read: the best connected of
    those cut off and the first of those coming to the fore (half of ``top``
    each), where there is room for a name that sits on no other.

    Parameters
    ----------
    m : the map before.
    result : the :class:`WhatIf` from :func:`cop_toolkit.what_if` (anything
        with ``removed``, ``cut_off`` and ``to_the_fore`` works).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["hub", "a", "b"], "Label": ["Hub", "A", "B"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["hub", "hub"]}))
    >>> r = SimpleNamespace(removed=["hub"], cut_off=pd.DataFrame({"Label": ["B"]}, index=["b"]),
    ...                     to_the_fore=pd.DataFrame({"Label": [], "rank_gain": []}))
    >>> [t.name for t in plot_what_if(m, r).data if t.name in ("Taken away", "Cut off")]
    ['Taken away', 'Cut off']
    """
    import plotly.graph_objects as go  # deferred: heavy

    m = as_map(m)
    removed = [str(i) for i in getattr(result, "removed", [])]
    cut = getattr(result, "cut_off", None)
    cut_ids = [str(i) for i in cut.index] if cut is not None and len(cut) else []
    fore_ids = _fore_ids(getattr(result, "to_the_fore", None), top)
    pos = _drawn_positions(positions_for(m, layout, seed=seed))
    after = m.without(removed)
    after_ids = [str(i) for i in after.elements["ID"]]
    large = len(m.elements) >= LARGE_MAP
    max_links = MAX_LINKS_LARGE if large else None
    left = LabelSpace(pos["X"], pos["Y"], size=_PANEL_AREA, equal_aspect=True, font_size=_NAME_SIZE)
    right = LabelSpace(pos.loc[after_ids, "X"], pos.loc[after_ids, "Y"], size=_PANEL_AREA, equal_aspect=True,
                       font_size=_NAME_SIZE)
    removed = [i for i in removed if i in pos.index]
    taken_where = _ring_names(left, m, pos, removed, force=True)  # before the other names: it matters most
    before_d, _, before_info = _draw(m, pos, color_by="Type", size_by="degree", metrics=None, label_top=6,
                                     highlight=[], max_links=max_links, large=large, short_cards=large,
                                     space=left)
    after_d, _, _ = _draw(after, pos.loc[after_ids], color_by="Type", size_by="degree", metrics=None,
                          label_top=0, highlight=[], max_links=max_links, large=large, legend=False,
                          short_cards=large, space=right)
    # two panels side by side (layout from two_panels below)
    traces = [dict(t, xaxis="x", yaxis="y") for t in before_d.traces]
    traces += [dict(t, xaxis="x2", yaxis="y2") for t in after_d.traces]
    # on the right, a few names only: the best connected of those cut off, then those coming to the fore
    degree = before_info["table"]["degree"]
    cut_ids = sorted((i for i in cut_ids if i in pos.index), key=lambda i: -float(degree.get(i, 0)))
    fore_ids = [i for i in fore_ids if i in pos.index]
    ringed = cut_ids + fore_ids
    right.keep_clear(pos.loc[ringed, "X"], pos.loc[ringed, "Y"], _RING_SIZE / 2)
    each = max(1, (top + 1) // 2)
    cut_where = _ring_names(right, m, pos, cut_ids[:each])
    fore_where = _ring_names(right, m, pos, fore_ids[:each])
    rings = [
        (removed, taken_where, "Taken away", "#D55E00", "x-thin", "", "taken away in this what-if"),
        (cut_ids, cut_where, "Cut off", "#D55E00", "circle-open", "2", "no longer connected to the main network"),
        (fore_ids, fore_where, "Comes to the fore", "#0072B2", "star-open", "2",
         "becomes more important as a go-between"),
    ]
    for ids, where, name, colour, symbol, panel, note in rings:
        ids = [i for i in ids if i in pos.index]
        if ids:
            traces.append(_ring(m, pos, ids, where, name=name, colour=colour, symbol=symbol, panel=panel,
                                note=note))
    without = f"Without {', '.join(escape(m.label_of(r)) for r in removed[:3])}" + ("…" if len(removed) > 3 else "")
    headline = result.headline() if hasattr(result, "headline") else ""
    return go.Figure(data=traces, layout=_what_if_layout(title, headline, without))


#: Size (pixels) of the rings round what changes in a what-if.
_RING_SIZE = 22
#: A what-if's subtitle is wrapped at this many characters a line.
_SUBTITLE_WIDTH = 60


def _fore_ids(fore: pd.DataFrame | None, top: int) -> list[str]:
    """The ``top`` elements that come to the fore: real gains only, largest first."""
    if fore is None or not len(fore):
        return []
    col = "rank_gain" if "rank_gain" in fore.columns else fore.columns[-1]
    ranked = fore
    if col == "rank_gain":
        ranked = fore[pd.to_numeric(fore[col], errors="coerce") > 0].sort_values(col, ascending=False, kind="stable")
    return [str(i) for i in ranked.index[:top]]


def _ring_names(space: LabelSpace, m: NetworkMap, pos: pd.DataFrame, ids: list[str], *,
                force: bool = False) -> dict[str, str | None]:
    """Place the names of ringed elements on a panel: each one's text position (None: no room)."""
    if not ids:
        return {}
    placed = space.place(pos.loc[ids, "X"], pos.loc[ids, "Y"], [truncate(m.label_of(i), 28) for i in ids],
                         [_RING_SIZE / 2] * len(ids), force=force, keys=ids)
    return dict(zip(ids, placed))


def _ring(m: NetworkMap, pos: pd.DataFrame, ids: list[str], where: dict[str, str | None], *, name: str,
          colour: str, symbol: str, panel: str, note: str) -> dict[str, Any]:
    """Rings round some elements of a what-if, named where ``where`` found room (in the legend too)."""
    return _scatter(
        False, x=pos.loc[ids, "X"].tolist(), y=pos.loc[ids, "Y"].tolist(), mode="markers+text", name=name,
        text=[escape(truncate(m.label_of(i), 28)) if where.get(i) else "" for i in ids],
        textposition=[where.get(i) or "bottom center" for i in ids],
        textfont={"size": _NAME_SIZE, "color": colour, **_HALO}, cliponaxis=False,
        # an open symbol is drawn in the marker's colour: a see-through one shows nothing, in the legend too
        marker={"symbol": symbol, "size": _RING_SIZE, "color": colour, "line": {"width": 3, "color": colour}},
        hovertext=[f"<b>{escape(m.label_of(i))}</b><br>{note}" for i in ids], hoverinfo="text",
        legendgroup="whatif", legendgrouptitle={"text": "What changes"}, xaxis=f"x{panel}", yaxis=f"y{panel}",
    )


def _what_if_layout(title: str | None, headline: str, without: str) -> dict[str, Any]:
    """Two panels under a title whose subtitle is wrapped, with room above the panel titles."""
    heading = escape(title or "What if they were gone?")
    sub = wrap_escaped(headline, _SUBTITLE_WIDTH, 1000, hyphens=False) if headline else ""
    lines = sub.count("<br>") + 1 if sub else 0
    if sub:
        heading += f"<br><span style='font-size:12px;color:#555'>{sub}</span>"
    top = 62 + 24 * lines + 30  # title, subtitle lines (plotly spaces them as the title's), panel titles
    fig_layout = dict(base_layout(None), **two_panels((0.5, 0.5), 0.03, ("Now", without)),
                      title={"text": heading, "x": 0.02, "xanchor": "left", "yref": "container", "y": 1.0,
                             "yanchor": "top", "pad": {"t": 20}},
                      height=620 + 24 * lines, hovermode="closest",
                      legend={"itemsizing": "constant", "groupclick": "toggleitem"})
    fig_layout["margin"] = dict(fig_layout["margin"], t=top)
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    fig_layout["xaxis"].update(hidden, matches="x")
    fig_layout["xaxis2"].update(hidden, matches="x")
    fig_layout["yaxis"].update(hidden, scaleanchor="x", scaleratio=1)
    fig_layout["yaxis2"].update(hidden, scaleanchor="x2", scaleratio=1, matches="y")
    return fig_layout
