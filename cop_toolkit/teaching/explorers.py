"""Explorers: small point-and-click tools for JupyterLab (ipywidgets).

* :func:`element_explorer` — choose an element: its neighbourhood, its
  measures and suggested introductions;
* :func:`what_if_explorer` — choose elements to take away: before and after,
  live;
* :func:`filter_explorer` — choose types, boroughs, connection types and a
  least value of a measure: the network picture updates.

They need a live Python kernel and a person at a Jupyter front end
(JupyterLab, Notebook). When a program runs the notebook instead — nbconvert,
papermill, nbclient, the report — there is nobody to move the controls, so an
explorer shows a still picture and table for its first choice (see
:func:`live_frontend`). Each explorer keeps its latest picture in ``.figure``
and its latest table in ``.table``, so they can be checked without a browser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython import get_ipython
from IPython.display import HTML, display

from cop_toolkit.analysis.resilience import what_if
from cop_toolkit.building.weaving import suggest_introductions
from cop_toolkit.figures.common import (
    borough_names,
    element_table,
    first_type,
    metrics_for,
)
from cop_toolkit.figures.style import escape

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

    from cop_toolkit.core.model import NetworkMap

__all__ = ["ElementExplorer", "WhatIfExplorer", "FilterExplorer", "element_explorer", "what_if_explorer",
           "filter_explorer", "live_frontend"]


def _widgets() -> Any:
    import ipywidgets  # deferred: heavy

    return ipywidgets


def live_frontend() -> bool:
    """True when the code now running was sent by a person's Jupyter front end, where controls can be moved.

    JupyterLab and Notebook send code with ``allow_stdin`` on (they can answer
    ``input()``); programs that execute notebooks (nbconvert, papermill,
    nbclient) send it off, and plain Python has no kernel at all.

    Examples
    --------
    >>> live_frontend()
    False
    """
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None or not hasattr(kernel, "get_parent"):
        return False
    request = kernel.get_parent("shell") or {}
    return request.get("header", {}).get("msg_type") == "execute_request" and bool(
        request.get("content", {}).get("allow_stdin", False))


def _options(m: NetworkMap) -> list[tuple[str, str]]:
    el = element_table(m)
    return sorted(((str(el.at[i, "Label"]), i) for i in el.index), key=lambda p: p[0].casefold())


class _Explorer:
    """Common parts: an output area that shows the latest figure and table."""

    def __init__(self, m: NetworkMap) -> None:
        w = _widgets()
        self.m = m
        self.figure: go.Figure | None = None
        self.table: pd.DataFrame | None = None
        self.message = w.HTML()
        self.output = w.Output()
        self.updates = 0
        #: controls are shown only to a person at a Jupyter front end; otherwise a still picture
        self.live = live_frontend()

    def _show(self, fig: go.Figure | None, table: pd.DataFrame | None, message: str = "") -> None:
        self.figure, self.table = fig, table
        self.message.value = message
        self.updates += 1
        if not self.live:  # no one to move the controls: keep the results, draw them once when shown
            return
        self.output.clear_output(wait=True)
        with self.output:
            if fig is not None:
                display(fig)
            if table is not None:
                display(table)

    def _ipython_display_(self) -> None:
        if self.live:
            display(self.widget)
            return
        # a still picture of the current choice (nbconvert, papermill, a report)
        note = ("<p><i>A still picture of the first choice: open this notebook in JupyterLab and run "
                "the cell to use the controls.</i></p>")
        display(HTML(note + self.message.value))
        if self.figure is not None:
            display(self.figure)
        if self.table is not None:
            display(self.table)


class ElementExplorer(_Explorer):
    """Choose an element: see its neighbourhood, its measures and who it could be introduced to."""

    def __init__(self, m: NetworkMap, element: str | None = None, *, steps: int = 1,
                 metrics: pd.DataFrame | None = None) -> None:
        super().__init__(m)
        w = _widgets()
        self.metrics = metrics_for(m, metrics, ["betweenness"])
        options = _options(m)
        start = m.resolve(element) if element else max(self.metrics["degree"].items(), key=lambda kv: kv[1])[0]
        self.chooser = w.Dropdown(options=options, value=start, description="Element:",
                                  layout=w.Layout(width="420px"))
        self.steps = w.IntSlider(value=steps, min=1, max=3, description="Steps out:")
        self.introductions = pd.DataFrame()
        self.chooser.observe(lambda _: self.update(), names="value")
        self.steps.observe(lambda _: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.chooser, self.steps]), self.message, self.output])
        self.update()

    def update(self) -> None:
        from cop_toolkit.figures import plot_ego  # deferred: heavy (plotly)

        eid = self.chooser.value
        fig = plot_ego(self.m, eid, steps=self.steps.value, metrics=self.metrics)
        row = self.metrics.loc[[eid]].copy()
        if "Label" not in row.columns:
            row.insert(0, "Label", self.m.label_of(eid))
        self.introductions = suggest_introductions(self.m, element=eid, top=5)
        intro = ""
        if len(self.introductions) and "reason" in self.introductions.columns:
            items = "".join(f"<li>{escape(r)}</li>" for r in self.introductions["reason"].head(5))
            intro = f"<b>Suggested introductions</b><ul>{items}</ul>"
        self._show(fig, row, intro)


class WhatIfExplorer(_Explorer):
    """Choose elements to take away: see before and after, and who is cut off."""

    def __init__(self, m: NetworkMap, remove: list[str] | None = None) -> None:
        super().__init__(m)
        w = _widgets()
        self.chooser = w.SelectMultiple(options=_options(m), value=tuple(m.resolve_many(remove)),
                                        description="Take away:", rows=10, layout=w.Layout(width="420px"))
        self.result: Any = None
        self.chooser.observe(lambda _: self.update(), names="value")
        self.widget = w.VBox([self.chooser, self.message, self.output])
        self.update()

    def update(self) -> None:
        from cop_toolkit.figures import (  # deferred: heavy (plotly)
            plot_network,
            plot_what_if,
        )

        chosen = list(self.chooser.value)
        if not chosen:
            self.result = None
            self._show(plot_network(self.m, title="Choose elements to take away"), None,
                       "Choose one or more elements above (hold Ctrl or ⌘ to pick several).")
            return
        self.result = what_if(self.m, remove=chosen)
        self._show(plot_what_if(self.m, self.result), self.result.summary,
                   f"<b>{escape(self.result.headline())}</b>")


class FilterExplorer(_Explorer):
    """Choose element types, boroughs, connection types and a least value: the map updates."""

    def __init__(self, m: NetworkMap, *, measure: str = "degree", metrics: pd.DataFrame | None = None) -> None:
        super().__init__(m)
        w = _widgets()
        self.metrics = metrics_for(m, metrics, [measure])
        self.measure = measure
        el = element_table(m)
        self._types = el["Type"].map(first_type) if "Type" in el.columns else pd.Series("Other", index=el.index)
        self._boroughs = (borough_names(el["Borough"]).fillna("No borough") if "Borough" in el.columns
                          else pd.Series("No borough", index=el.index))
        conn_types = (sorted(m.connections["Type"].map(first_type).unique()) if "Type" in m.connections.columns
                      and len(m.connections) else [])
        types = sorted(self._types.unique())
        boroughs = sorted(self._boroughs.unique())
        values = pd.to_numeric(self.metrics[measure], errors="coerce").fillna(0)
        self.types = w.SelectMultiple(options=types, value=tuple(types), description="Types:", rows=6)
        self.boroughs = w.SelectMultiple(options=boroughs, value=tuple(boroughs), description="Boroughs:", rows=6)
        self.connections = w.SelectMultiple(options=conn_types, value=tuple(conn_types), description="Ties:",
                                            rows=6)
        top = float(values.max()) if len(values) else 0.0
        self.threshold = w.FloatSlider(value=0.0, min=0.0, max=top or 1.0, step=(top or 1.0) / 100,
                                       description=f"Least {measure.replace('_', ' ')}:",
                                       style={"description_width": "initial"}, layout=w.Layout(width="420px"))
        for control in (self.types, self.boroughs, self.connections, self.threshold):
            control.observe(lambda _: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.types, self.boroughs, self.connections]), self.threshold,
                              self.message, self.output])
        self.update()

    def update(self) -> None:
        from cop_toolkit.figures import (  # deferred: heavy (plotly)
            layout_positions,
            plot_network,
        )

        values = pd.to_numeric(self.metrics[self.measure], errors="coerce").fillna(0)
        keep = self._types.isin(self.types.value) & self._boroughs.isin(self.boroughs.value) & (
            values >= self.threshold.value)
        ids = list(keep[keep].index)
        sub = self.m.subset(ids)
        conns = sub.connections
        if "Type" in conns.columns and len(conns):
            conns = conns[conns["Type"].map(first_type).isin(self.connections.value)]
        sub = type(self.m)(sub.elements, conns, dict(self.m.metadata))
        table = self.metrics.loc[ids].copy()
        if "Label" not in table.columns:
            table.insert(0, "Label", [self.m.label_of(i) for i in ids])
        message = f"Showing {len(ids):,} of {len(self.metrics):,} elements and {len(conns):,} connections."
        if not ids:
            self._show(None, table, "Nothing matches these choices: widen them a little.")
            return
        pos = None
        if {"X", "Y"} <= set(self.m.elements.columns):
            pos = None  # saved positions travel with the sub-map
        else:
            if not hasattr(self, "_positions"):
                self._positions = layout_positions(self.m)
            pos = self._positions.loc[ids]
        fig = plot_network(sub, layout=pos, size_by=self.measure, metrics=self.metrics.loc[ids],
                           title=f"{self.m.name} (filtered)")
        self._show(fig, table.sort_values(self.measure, ascending=False), message)


def element_explorer(m: NetworkMap, element: str | None = None, *, steps: int = 1,
                     metrics: pd.DataFrame | None = None) -> ElementExplorer:
    """Explore one element at a time (JupyterLab): neighbourhood, measures, introductions.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"]}))
    >>> ex = element_explorer(m, "A")
    >>> ex.chooser.value = "c"
    >>> ex.table["Label"].tolist()
    ['C']
    """
    return ElementExplorer(m, element, steps=steps, metrics=metrics)


def what_if_explorer(m: NetworkMap, remove: list[str] | None = None) -> WhatIfExplorer:
    """Take elements away and see what happens, live (JupyterLab).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["hub", "a", "b"], "Label": ["Hub", "A", "B"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["hub", "hub"]}))
    >>> ex = what_if_explorer(m)
    >>> ex.chooser.value = ("hub",)
    >>> ex.result.removed
    ['hub']
    """
    return WhatIfExplorer(m, remove)


def filter_explorer(m: NetworkMap, *, measure: str = "degree", metrics: pd.DataFrame | None = None) -> FilterExplorer:
    """Filter the network picture by type, borough, connection type and a measure (JupyterLab).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...                              "Type": ["CVS", "Funder", "CVS"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"]}))
    >>> ex = filter_explorer(m)
    >>> ex.types.value = ("CVS",)
    >>> sorted(ex.table["Label"])
    ['A', 'C']
    """
    return FilterExplorer(m, measure=measure, metrics=metrics)
