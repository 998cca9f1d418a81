"""Small helpers shared by the figure modules (not part of the public API)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import build_igraph
from cop_toolkit.analysis.metrics import element_metrics
from cop_toolkit.core.errors import MapError
from cop_toolkit.figures.style import escape, is_missing, truncate
from cop_toolkit.geo.boroughs import boroughs, match_borough

if TYPE_CHECKING:  # pragma: no cover
    from cop_toolkit.core.model import NetworkMap


def trace(kind: str, **props: Any) -> dict[str, Any]:
    """One plotly trace as plain data, ``{"type": kind, ...}``; properties given as None are left out.

    Figures here are made in one go, ``go.Figure(data=[trace(...), ...],
    layout={...})``, so plotly checks every property once. A ``go.Scatter``
    is checked when it is made and again when a figure takes it, and each
    ``update_layout`` checks again: building a report's figures that way took
    two to four times as long.
    """
    return {"type": kind, **{k: v for k, v in props.items() if v is not None}}


def two_panels(widths: tuple[float, float], spacing: float, titles: tuple[str, str]) -> dict[str, Any]:
    """Axes and panel titles of two panels side by side, as layout data.

    The same numbers plotly's ``make_subplots(rows=1, cols=2, column_widths=widths,
    horizontal_spacing=spacing, subplot_titles=titles)`` works out; traces go on the
    left panel with ``xaxis="x", yaxis="y"`` and on the right with ``xaxis="x2", yaxis="y2"``.

    Examples
    --------
    >>> from plotly.subplots import make_subplots
    >>> made = make_subplots(rows=1, cols=2, column_widths=[0.62, 0.38], horizontal_spacing=0.2,
    ...                      subplot_titles=("Left", "Right")).to_plotly_json()["layout"]
    >>> made.pop("template", None) is not None
    True
    >>> import plotly.graph_objects as go
    >>> go.Layout(two_panels((0.62, 0.38), 0.2, ("Left", "Right"))).to_plotly_json() == made
    True
    """
    total = float(sum(widths))
    left, right = ((1.0 - spacing) * (w / total) for w in widths)
    domains = [[0.0, left], [left + spacing, left + spacing + right]]
    layout: dict[str, Any] = {
        "xaxis": {"anchor": "y", "domain": domains[0]},
        "yaxis": {"anchor": "x", "domain": [0.0, 1.0]},
        "xaxis2": {"anchor": "y2", "domain": domains[1]},
        "yaxis2": {"anchor": "x2", "domain": [0.0, 1.0]},
    }
    layout["annotations"] = [
        {"y": 1.0, "xref": "paper", "x": (a + b) / 2.0, "yref": "paper", "text": text, "showarrow": False,
         "font": {"size": 16}, "xanchor": "center", "yanchor": "bottom"}
        for text, (a, b) in zip(titles, domains) if text
    ]
    return layout


def wrap_escaped(text: Any, width: int = 60, length: int = 160, *, hyphens: bool = True) -> str:
    """Truncate, wrap and HTML-escape free text for a hover card (lines joined by <br>).

    With ``hyphens=False`` a word such as "go-between" is never split across lines.
    """
    short = truncate(text, length)
    if not short:
        return ""
    lines = textwrap.wrap(short, width, break_on_hyphens=hyphens)
    return "<br>".join(escape(line) for line in lines or [short])


def first_type(value: Any) -> str:
    """The first of several ``|``-separated types, or 'Other' when blank."""
    if is_missing(value):
        return "Other"
    return str(value).split("|")[0].strip() or "Other"


def borough_names(values: pd.Series) -> pd.Series:
    """Turn borough codes or spellings into borough names where the geography module knows them."""
    names = boroughs()["name"].to_dict()

    def name(v: Any) -> Any:
        if is_missing(v):
            return float("nan")
        code = match_borough(str(v))
        return names.get(code, str(v)) if code else str(v)

    return values.map(name)


def borough_codes(values: pd.Series) -> pd.Series:
    """Turn borough codes or spellings into ONS codes (unmatched values are left missing)."""
    return values.map(lambda v: float("nan") if is_missing(v) else (match_borough(str(v)) or float("nan")))


def element_table(m: NetworkMap) -> pd.DataFrame:
    """The map's elements indexed by ID (as text)."""
    el = m.elements.copy()
    el.index = pd.Index([str(i) for i in el["ID"]], name="ID")
    return el


def degree_table(m: NetworkMap) -> pd.DataFrame:
    """Degree and weighted degree of every element (used when no metrics are given)."""
    g = build_igraph(m)  # the same merged ties as m.to_networkx(), without building it
    ids = [str(i) for i in m.elements["ID"]]
    found = pd.DataFrame(
        {"degree": g.degree(), "weighted_degree": [float(x) for x in g.strength(weights="weight")]},
        index=pd.Index([str(i) for i in g.vs["name"]], name="ID"),
    ) if g.vcount() else pd.DataFrame({"degree": [], "weighted_degree": []}, index=pd.Index([], name="ID"))
    table = found.reindex(pd.Index(ids, name="ID"))
    return table.fillna({"degree": 0, "weighted_degree": 0.0}).astype({"degree": int, "weighted_degree": float})


def metrics_for(m: NetworkMap, metrics: pd.DataFrame | None, needed: list[str]) -> pd.DataFrame:
    """Return a table of measures covering ``needed`` (fields of the map are not needed here).

    Uses the ``metrics`` table when given, then degree counted here, then
    :func:`cop_toolkit.element_metrics` when a measure is still missing.
    """
    ids = [str(i) for i in m.elements["ID"]]
    table = degree_table(m)
    if metrics is not None:
        given = metrics.copy()
        given.index = given.index.astype(str)
        given = given.reindex(ids)
        table = given.combine_first(table) if not given.empty else table
        for col in ("degree", "weighted_degree"):
            if col in given.columns:
                table[col] = given[col].fillna(table[col]) if col in table else given[col]
    fields = set(m.elements.columns)
    missing = [c for c in needed if c and c not in table.columns and c not in fields]
    if missing:
        full = element_metrics(m)
        full.index = full.index.astype(str)
        for col in full.columns:
            if col not in table.columns:
                table[col] = full[col].reindex(ids)
        still = [c for c in missing if c not in table.columns]
        if still:
            known = sorted(set(table.columns) | fields - {"ID"})
            raise MapError(
                f"there is no field or measure called '{still[0]}'",
                fix="choose one of: " + ", ".join(known),
            )
    table.index.name = "ID"
    return table.reindex(ids)


def values_of(m: NetworkMap, column: str, metrics: pd.DataFrame) -> pd.Series:
    """A column for every element, from the map's fields or the measures table."""
    ids = [str(i) for i in m.elements["ID"]]
    if column in metrics.columns:
        return metrics[column].reindex(ids)
    el = element_table(m)
    if column in el.columns:
        return el[column].reindex(ids)
    raise MapError(f"there is no field or measure called '{column}'", fix="check the spelling of the name")


def numeric(series: pd.Series) -> bool:
    """True when the values are numbers (booleans count as categories)."""
    if series.dtype == bool:
        return False
    converted = pd.to_numeric(series, errors="coerce")
    present = series.map(lambda v: not is_missing(v))
    return bool(present.any()) and bool(converted[present].notna().all())


def scale_sizes(values: pd.Series, smallest: float = 7.0, largest: float = 30.0) -> pd.Series:
    """Marker sizes (pixels) proportional to the square root of the values."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    v = v.clip(lower=0)
    top = v.max()
    if not (top == top) or top <= 0:
        return pd.Series(smallest + 3, index=values.index)
    return (smallest + (largest - smallest) * (v / top) ** 0.5).fillna(smallest).round(1)


def fmt_number(value: Any) -> str:
    """A number written for people: integers plainly, others with 3 significant digits."""
    if is_missing(value):
        return "–"
    if isinstance(value, (bool,)):
        return "yes" if value else "no"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return escape(value)
    if f.is_integer() and abs(f) < 1e15:
        return f"{int(f):,}"
    return f"{f:.3g}"


def check_columns(df: pd.DataFrame, needed: list[str], what: str) -> None:
    """Raise a plain MapError when a results table lacks a column the picture needs."""
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise MapError(
            f"the {what} table has no '{missing[0]}' column",
            fix=f"pass the table made by the matching cop_toolkit function (it needs: {', '.join(needed)})",
        )


def drawn_ties(m: NetworkMap, keep: set[str], max_links: int | None) -> tuple[pd.DataFrame, int]:
    """The ties to draw between elements in ``keep``, and how many there were before thinning.

    One row per pair and connection type (``From``, ``To``, ``Type``, ``weight`` =
    summed strength); with ``max_links`` only the strongest are kept.
    """
    conns = m.connections
    if conns.empty:
        return pd.DataFrame(columns=["From", "To", "Type", "weight"]), 0
    df = pd.DataFrame({
        "From": conns["From"].astype(str),
        "To": conns["To"].astype(str),
        "Type": conns["Type"].map(first_type) if "Type" in conns.columns else "Other",
        "weight": pd.to_numeric(conns["Strength"], errors="coerce").fillna(1.0)
        if "Strength" in conns.columns else 1.0,
    })
    df = df[(df["From"] != df["To"]) & df["From"].isin(keep) & df["To"].isin(keep)]
    f, t = df["From"].to_numpy(dtype=object), df["To"].to_numpy(dtype=object)
    first = f < t
    df = df.assign(_a=np.where(first, f, t), _b=np.where(first, t, f))
    df = df.groupby(["_a", "_b", "Type"], as_index=False, sort=False)["weight"].sum()
    df = df.rename(columns={"_a": "From", "_b": "To"})
    total = len(df)
    if max_links is not None and total > max_links:
        df = df.sort_values(["weight", "From", "To"], ascending=[False, True, True], kind="stable").head(max_links)
    return df.reset_index(drop=True), total
