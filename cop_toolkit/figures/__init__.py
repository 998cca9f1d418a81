"""Pictures of maps and results: plotly figures that also work offline.

Every function returns a :class:`plotly.graph_objects.Figure` that draws the
same in JupyterLab, in a notebook run by papermill and in a self-contained
HTML report opened without internet (no map tiles, no CDN).

* network pictures: :func:`plot_network`, :func:`plot_ego`,
  :func:`plot_cluster`, :func:`plot_what_if` (positions from
  :func:`layout_positions`, saved with :func:`save_layout`);
* maps of London: :func:`plot_london`, :func:`plot_borough_choropleth`,
  :func:`plot_tile_grid`, :func:`plot_flows`,
  :func:`plot_collaboration_vs_resources`, :func:`plot_local_sharing`;
* large maps, whatever their size: :func:`plot_overview`, :func:`plot_what_if_overview`,
  :func:`find_control` (a search box for report pages);
* charts: :func:`plot_degree_distribution`, :func:`plot_ranking`,
  :func:`plot_cluster_composition`, :func:`plot_cluster_matrix`, :func:`plot_what_if_changes`,
  :func:`plot_comparison`, :func:`plot_matches`;
* offline output: :func:`use_offline_renderer`, :func:`figures_to_html`.

Colours per element type are the same everywhere (:data:`TYPE_COLOURS`).
Whether figures are drawn for a report page is decided here too
(:func:`.offline.in_report_mode`), so reports import figures, never the reverse.

May import: core, io, geo, analysis, building; never :mod:`cop_toolkit.reports` or
:mod:`cop_toolkit.teaching`.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> the module of this folder that defines it (imported on first use, so
#: reading the report-mode switch in :mod:`.offline` does not load plotly)
_EXPORTS: dict[str, str] = {
    "plot_cluster_composition": "charts",
    "plot_cluster_matrix": "charts",
    "plot_comparison": "charts",
    "plot_degree_distribution": "charts",
    "plot_matches": "charts",
    "plot_ranking": "charts",
    "plot_what_if_changes": "charts",
    "layout_positions": "layout",
    "save_layout": "layout",
    "plot_borough_choropleth": "london",
    "plot_collaboration_vs_resources": "london",
    "plot_flows": "london",
    "plot_local_sharing": "london",
    "plot_london": "london",
    "plot_tile_grid": "london",
    "plot_cluster": "network",
    "plot_ego": "network",
    "plot_network": "network",
    "plot_what_if": "network",
    "figures_to_html": "offline",
    "find_control": "overview",
    "plot_overview": "overview",
    "plot_what_if_overview": "overview",
    "use_offline_renderer": "offline",
    "CONNECTION_STYLES": "style",
    "TYPE_COLOURS": "style",
    "TYPE_SYMBOLS": "style",
}
_SUBMODULES = {"charts", "common", "html", "labels", "layout", "london", "network", "offline", "overview", "style"}

__all__ = [
    "TYPE_COLOURS",
    "TYPE_SYMBOLS",
    "CONNECTION_STYLES",
    "layout_positions",
    "save_layout",
    "plot_network",
    "plot_ego",
    "plot_cluster",
    "plot_what_if",
    "plot_overview",
    "plot_what_if_overview",
    "find_control",
    "plot_london",
    "plot_borough_choropleth",
    "plot_tile_grid",
    "plot_flows",
    "plot_collaboration_vs_resources",
    "plot_local_sharing",
    "plot_degree_distribution",
    "plot_ranking",
    "plot_cluster_composition",
    "plot_cluster_matrix",
    "plot_what_if_changes",
    "plot_comparison",
    "plot_matches",
    "use_offline_renderer",
    "figures_to_html",
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'cop_toolkit.figures' has no attribute {name!r}")
    globals()[name] = value
    return value
