"""Colours, symbols and text helpers shared by every figure.

Every figure uses the same colour (and marker shape) for an element type, so
a community worker who learns "orange diamond = borough network" on one
picture can read all the others. The palette is the Okabe–Ito set, which
stays distinguishable for the common kinds of colour blindness, extended with
two colours from Paul Tol's muted scheme; shapes carry the type as well, so
nothing relies on colour alone. Types outside that list get the colours of
:data:`EXTRA_TYPE_COLOURS`, given out in the sorted order of their names
(:func:`type_colours`), so the same map's types always get the same colours.

All text that comes from a map (labels, descriptions, field values) goes
through :func:`escape` before it reaches plotly: plotly renders a few HTML
tags inside hover text and labels, so a label such as ``<b>`` must be shown
as written, never interpreted.
"""

from __future__ import annotations

import html
import math
from typing import Any

__all__ = [
    "TYPE_COLOURS",
    "EXTRA_TYPE_COLOURS",
    "TYPE_SYMBOLS",
    "CONNECTION_STYLES",
    "CATEGORY_COLOURS",
    "OTHER_COLOUR",
    "SEQUENTIAL",
    "DIVERGING",
    "FONT",
    "type_colour",
    "type_colours",
    "type_symbol",
    "connection_style",
    "category_colours",
    "escape",
    "truncate",
    "is_missing",
    "base_layout",
]

#: Colour of each element type (Okabe–Ito, plus Tol's wine and sand).
TYPE_COLOURS: dict[str, str] = {
    "Pan-London body": "#D55E00",  # vermillion
    "Borough network": "#E69F00",  # orange
    "CVS": "#0072B2",  # blue
    "Network of networks": "#CC79A7",  # reddish purple
    "Community group": "#009E73",  # bluish green
    "Social enterprise": "#56B4E9",  # sky blue
    "Funder": "#882255",  # wine (Tol)
    "Public body": "#000000",  # black
    "University": "#DDCC77",  # sand (Tol)
    "Person": "#999999",  # grey
}

#: Colours for element types outside :data:`TYPE_COLOURS`, in the order given out: the
#: seven colours of Paul Tol's colour-blind-safe muted scheme that the known types do not
#: use (indigo, cyan, teal, green, olive, rose, purple), then three of his light scheme
#: (pink, pear, light orange). Beyond ten unknown types the colours repeat.
EXTRA_TYPE_COLOURS: list[str] = [
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#CC6677", "#AA4499",
    "#FFAABB", "#BBCC33", "#EE8866",
]

#: Marker shape of each element type (so type never depends on colour alone).
TYPE_SYMBOLS: dict[str, str] = {
    "Pan-London body": "star",
    "Borough network": "diamond",
    "CVS": "square",
    "Network of networks": "hexagon",
    "Community group": "circle",
    "Social enterprise": "triangle-up",
    "Funder": "pentagon",
    "Public body": "cross",
    "University": "triangle-down",
    "Person": "circle",
}

#: Colour and dash style of each connection type.
CONNECTION_STYLES: dict[str, dict[str, str]] = {
    "Membership": {"color": "#0072B2", "dash": "solid"},
    "Funding": {"color": "#882255", "dash": "solid"},
    "Partnership": {"color": "#009E73", "dash": "solid"},
    "Referral": {"color": "#E69F00", "dash": "dash"},
    "Information sharing": {"color": "#56B4E9", "dash": "dot"},
    "Shared premises": {"color": "#CC79A7", "dash": "dashdot"},
}

#: Colours for any other category (Tol's muted scheme, colour-blind safe).
CATEGORY_COLOURS: list[str] = [
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499", "#6699CC",
]
#: Colour for "other" / unknown values.
OTHER_COLOUR = "#BBBBBB"
#: Colour scale for amounts (perceptually even and colour-blind safe).
SEQUENTIAL = "Viridis"
#: Colour scale for changes around zero (blue = fell, red = rose).
DIVERGING = "RdBu_r"
#: Font used by every figure.
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 13, "color": "#222222"}


def is_missing(value: Any) -> bool:
    """Return True for None, NaN and blank text.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(" "), is_missing("x")
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd  # deferred: heavy (the report command imports this module before starting the kernel)

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(value, str) and not value.strip()


def escape(value: Any) -> str:
    """Return ``value`` as text that plotly shows literally (HTML-escaped).

    Examples
    --------
    >>> escape("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> escape(float("nan"))
    ''
    """
    if is_missing(value):
        return ""
    return html.escape(str(value), quote=True)


def truncate(value: Any, length: int = 160) -> str:
    """Shorten text to ``length`` characters (ending with an ellipsis), unescaped.

    Examples
    --------
    >>> truncate("a long description of a food bank", 12)
    'a long desc…'
    """
    if is_missing(value):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def type_colour(element_type: Any) -> str:
    """Colour of an element type (grey for unknown types).

    The first of several ``|``-separated types decides.

    Examples
    --------
    >>> type_colour("CVS")
    '#0072B2'
    >>> type_colour("Something new")
    '#BBBBBB'
    """
    if is_missing(element_type):
        return OTHER_COLOUR
    first = str(element_type).split("|")[0].strip()
    return TYPE_COLOURS.get(first, OTHER_COLOUR)


def type_colours(types: Any) -> dict[str, str]:
    """The colour of each element type in ``types``: known types keep theirs, others get their own.

    Types outside :data:`TYPE_COLOURS` get :data:`EXTRA_TYPE_COLOURS` in the
    sorted order of their names, so a figure that is given all of a map's types
    colours them as every other figure of that map does. A blank type and
    "Other" (no type) stay grey; the first of several ``|``-separated types
    decides.

    Examples
    --------
    >>> type_colours(["Mosque", "CVS", "Allotment", "Mosque", None])
    {'Allotment': '#332288', 'CVS': '#0072B2', 'Mosque': '#88CCEE'}
    """
    present = {str(t).split("|")[0].strip() for t in types if not is_missing(t)} - {""}
    unknown = sorted(present - set(TYPE_COLOURS) - {"Other"})
    extra = {t: EXTRA_TYPE_COLOURS[k % len(EXTRA_TYPE_COLOURS)] for k, t in enumerate(unknown)}
    return {t: extra.get(t) or type_colour(t) for t in sorted(present)}


def type_symbol(element_type: Any) -> str:
    """Marker shape of an element type (circle for unknown types).

    Examples
    --------
    >>> type_symbol("Borough network")
    'diamond'
    """
    if is_missing(element_type):
        return "circle"
    return TYPE_SYMBOLS.get(str(element_type).split("|")[0].strip(), "circle")


def connection_style(connection_type: Any) -> dict[str, str]:
    """Colour and dash of a connection type (grey solid for unknown types).

    Examples
    --------
    >>> connection_style("Referral")
    {'color': '#E69F00', 'dash': 'dash'}
    """
    if is_missing(connection_type):
        return {"color": "#888888", "dash": "solid"}
    return dict(CONNECTION_STYLES.get(str(connection_type).split("|")[0].strip(),
                                      {"color": "#888888", "dash": "solid"}))


def category_colours(values: list[Any]) -> dict[str, str]:
    """Give each category a colour: element types keep their own colour.

    Categories are sorted so the same values always get the same colours;
    beyond ten categories colours repeat.

    Examples
    --------
    >>> category_colours(["south", "north"])
    {'north': '#332288', 'south': '#88CCEE'}
    """
    out: dict[str, str] = {}
    others = sorted({str(v) for v in values if not is_missing(v)} - set(TYPE_COLOURS))
    for v in values:
        if not is_missing(v) and str(v) in TYPE_COLOURS:
            out[str(v)] = TYPE_COLOURS[str(v)]
    for i, v in enumerate(others):
        out[v] = CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]
    return dict(sorted(out.items()))


#: The template of every figure: plotly's "plotly_white" look (its layout part),
#: registered under this name by :func:`use_template`. plotly's own template also
#: styles 24 trace types we never draw; loading and checking it took 0.25 s.
TEMPLATE = "cop_white"

_GRID = "#EBF0F8"
_AXIS = {"gridcolor": _GRID, "linecolor": _GRID, "ticks": "", "title": {"standoff": 15},
         "zerolinecolor": _GRID, "automargin": True, "zerolinewidth": 2}
_TEMPLATE_LAYOUT: dict[str, Any] = {
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "font": {"color": "#2a3f5f"},
    "xaxis": _AXIS,
    "yaxis": _AXIS,
    "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880",
                 "#FF97FF", "#FECB52"],
    "colorscale": {"sequential": "Plasma", "sequentialminus": "Plasma", "diverging": "PiYG"},
    "coloraxis": {"colorbar": {"outlinewidth": 0, "ticks": ""}},
    "hovermode": "closest",
    "hoverlabel": {"align": "left"},
    "title": {"x": 0.05},
    "shapedefaults": {"line": {"color": "#2a3f5f"}},
    "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
    "autotypenumbers": "strict",
}


def use_template() -> str:
    """Register the figures' template with plotly (once) and return its name.

    Examples
    --------
    >>> import plotly.io as pio
    >>> use_template() in pio.templates
    True
    """
    import plotly.graph_objects as go  # deferred: heavy
    import plotly.io as pio  # deferred: heavy

    if TEMPLATE not in pio.templates:
        pio.templates[TEMPLATE] = go.layout.Template(layout=_TEMPLATE_LAYOUT)
    return TEMPLATE


def base_layout(title: str | None = None, **extra: Any) -> dict[str, Any]:
    """Layout settings every figure shares (white background, plain font).

    Examples
    --------
    >>> base_layout("Who is connected")["title"]["text"]
    'Who is connected'
    """
    import plotly.io as pio  # deferred: heavy

    layout: dict[str, Any] = {
        "font": FONT,
        "hoverlabel": {"font": {"family": FONT["family"], "size": 12}, "align": "left"},
        "margin": {"l": 40, "r": 40, "t": 70, "b": 40},
    }
    if pio.templates.default != use_template():  # the default template is applied for free
        layout["template"] = TEMPLATE
    if title is not None:
        layout["title"] = {"text": escape(title), "x": 0.02, "xanchor": "left"}
    layout.update(extra)
    return layout
