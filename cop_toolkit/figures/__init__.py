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
* charts: :func:`plot_degree_distribution`, :func:`plot_ranking`,
  :func:`plot_cluster_composition`, :func:`plot_what_if_changes`,
  :func:`plot_comparison`, :func:`plot_matches`;
* offline output: :func:`use_offline_renderer`, :func:`figures_to_html`.

Colours per element type are the same everywhere (:data:`TYPE_COLOURS`).
"""

from __future__ import annotations

from .charts import (
    plot_cluster_composition,
    plot_comparison,
    plot_degree_distribution,
    plot_matches,
    plot_ranking,
    plot_what_if_changes,
)
from .layout import layout_positions, save_layout
from .london import (
    plot_borough_choropleth,
    plot_collaboration_vs_resources,
    plot_flows,
    plot_local_sharing,
    plot_london,
    plot_tile_grid,
)
from .network import plot_cluster, plot_ego, plot_network, plot_what_if
from .offline import figures_to_html, use_offline_renderer
from .style import CONNECTION_STYLES, TYPE_COLOURS, TYPE_SYMBOLS

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
    "plot_london",
    "plot_borough_choropleth",
    "plot_tile_grid",
    "plot_flows",
    "plot_collaboration_vs_resources",
    "plot_local_sharing",
    "plot_degree_distribution",
    "plot_ranking",
    "plot_cluster_composition",
    "plot_what_if_changes",
    "plot_comparison",
    "plot_matches",
    "use_offline_renderer",
    "figures_to_html",
]
