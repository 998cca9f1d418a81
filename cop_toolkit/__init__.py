"""cop_toolkit: map, analyse and build London civil-society networks.

Data flows one way::

    files -> NetworkMap (elements + connections) -> networkx graph
          -> pandas tables of results -> plotly figures -> notebooks and reports

The main entry points are available at the top level and are imported on
first use, so ``import cop_toolkit`` stays quick.

Examples
--------
>>> import cop_toolkit as cop
>>> m = cop.datasets.load("owa-2017")        # doctest: +SKIP
>>> cop.element_metrics(m).head()            # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # the map and its files
    "NetworkMap": "model",
    "split_values": "model",
    "join_values": "model",
    "MapError": "errors",
    "MapWarning": "errors",
    "UnknownElementError": "errors",
    "read_map": "io",
    "write_map": "io",
    "public_map": "privacy",
    # surveys and places
    "reconcile_names": "survey",
    "survey_to_map": "survey",
    "match_borough": "geography",
    # analysis
    "map_summary": "summary",
    "element_metrics": "metrics",
    "find_clusters": "clusters",
    "cluster_summary": "clusters",
    "cluster_ties": "clusters",
    "ego_network": "ego",
    "what_if": "resilience",
    "key_players": "resilience",
    "tie_levels": "levels",
    "network_of_networks": "levels",
    "compare_maps": "compare",
    "degree_distribution": "summary",
    "ego_summary": "ego",
    "network_metrics": "levels",
    "map_from_networkx": "engine",
    # network building
    "suggest_introductions": "weaving",
    "match_needs_offers": "resources",
    "asset_map": "resources",
    "locate": "places",
    "borough_summary": "places",
    "local_sharing": "places",
    "borough_flows": "places",
    "resource_vocabulary": "resources",
    # pictures
    "plot_network": "figures",
    "plot_london": "figures",
    # reports
    "report": "reporting",
}

_SUBMODULES = {
    "datasets", "exercises", "explorers", "figures", "game", "geography", "io",
    "privacy", "quality", "survey", "validate",
}

__all__ = sorted(_EXPORTS) + sorted(_SUBMODULES)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'cop_toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
