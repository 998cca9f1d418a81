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
    "NetworkMap": "core.model",
    "split_values": "core.text",
    "join_values": "core.text",
    "MapError": "core.errors",
    "MapWarning": "core.errors",
    "UnknownElementError": "core.errors",
    "read_map": "io",
    "open_map": "io.datasets",
    "write_map": "io",
    "ReadLimits": "io.limits",
    "public_map": "core.privacy",
    # surveys and places
    "reconcile_names": "building.survey",
    "survey_to_map": "building.survey",
    "match_borough": "geo.boroughs",
    # analysis
    "map_summary": "analysis.summary",
    "element_metrics": "analysis.metrics",
    "find_clusters": "analysis.clusters",
    "cluster_summary": "analysis.clusters",
    "cluster_ties": "analysis.clusters",
    "ego_network": "analysis.ego",
    "what_if": "analysis.resilience",
    "top_broker": "analysis.resilience",
    "key_players": "analysis.resilience",
    "tie_levels": "analysis.levels",
    "network_of_networks": "analysis.levels",
    "compare_maps": "analysis.compare",
    "degree_distribution": "analysis.summary",
    "ego_summary": "analysis.ego",
    "network_metrics": "analysis.levels",
    "map_from_networkx": "core.inputs",
    # network building
    "suggest_introductions": "building.weaving",
    "introduction_plan": "building.weaving.plan",
    "match_needs_offers": "building.resources",
    "asset_map": "building.resources",
    "locate": "geo.locate",
    "borough_summary": "analysis.boroughs",
    "local_sharing": "building.sharing",
    "borough_flows": "analysis.boroughs",
    "resource_vocabulary": "core.vocabulary",
    # pictures
    "plot_network": "figures",
    "plot_london": "figures",
    "plot_overview": "figures",
    "plot_what_if_overview": "figures",
    "find_control": "figures",
    # keeping the map alive
    "merge_maps": "building.merge",
    "write_verification_sheets": "building.verification",
    "update_from_sheets": "building.verification",
    "provenance_summary": "analysis.provenance",
    "network_stage": "analysis.stages",
    "network_health": "analysis.stages",
    "introductions_followed": "analysis.stages",
    # reports
    "report": "reports.runner",
}

#: submodule attributes (``cop.datasets.load``, ``cop.geography.match_borough``) -> module
_SUBMODULES: dict[str, str] = {
    "datasets": "io.datasets",
    "exercises": "teaching.exercises",
    "explorers": "teaching.explorers",
    "figures": "figures",
    "game": "teaching.game",
    "geography": "geo.boroughs",
    "io": "io",
    "privacy": "core.privacy",
    "quality": "core.quality",
    "survey": "building.survey",
    "validate": "core.validate",
}

__all__ = sorted(_EXPORTS) + sorted(_SUBMODULES)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f".{_SUBMODULES[name]}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'cop_toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
