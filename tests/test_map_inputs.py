"""Every top-level function that takes a map also takes a networkx graph, and refuses anything else with a MapError."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map

#: public_map stays map-only: the model imports the privacy module for NetworkMap.public,
#: so privacy cannot import the converter (it would close an import cycle).
MAP_ONLY = {"public_map"}


def map_taking_exports() -> list[str]:
    """Top-level functions whose first parameter is a map (read from their signatures)."""
    names = []
    for name in sorted(cop._EXPORTS):
        obj = getattr(cop, name)
        if inspect.isclass(obj) or not callable(obj):
            continue
        first = next(iter(inspect.signature(obj).parameters.values()), None)
        one_map = "NetworkMap" in str(first.annotation) and "Sequence" not in str(first.annotation) if first else False
        if one_map and name not in MAP_ONLY:
            names.append(name)
    return names


def small_graph() -> nx.Graph:
    G = nx.Graph(name="Small")
    for node, label, borough in [("a", "Food Bank", "Hackney"), ("b", "Youth Club", "Hackney"),
                                 ("c", "Borough CVS", "Islington"), ("d", "Tenants Group", "Camden")]:
        G.add_node(node, Label=label, Type="Community group", Borough=borough,
                   Needs="meeting space" if node == "a" else "", Offers="room hire" if node == "c" else "")
    G.add_edges_from([("a", "b"), ("b", "c"), ("c", "d"), ("a", "c")])
    return G


def extra_arguments(name: str, graph: Any, tmp_path: Path) -> tuple[tuple, dict]:
    """The further arguments each function needs besides the map."""
    sheets = tmp_path / f"sheets-{type(graph).__name__}"
    if name == "update_from_sheets" and isinstance(graph, (nx.Graph, cop.NetworkMap)):
        cop.write_verification_sheets(as_map(graph), sheets, by="borough", written_on="2026-01-01")
    if name == "introductions_followed":
        suggestions = cop.suggest_introductions(as_map(small_graph()))
        return (graph, suggestions), {}
    return {
        "write_verification_sheets": ((sheets,), {"by": "borough", "written_on": "2026-01-01"}),
        "update_from_sheets": ((sheets,), {"on": "2026-01-01"}),
        "compare_maps": ((graph,), {}),
        "ego_network": (("a",), {}),
        "ego_summary": (("a",), {}),
        "what_if": (("c",), {}),
        "write_map": ((tmp_path / f"{name}.csv",), {}),
        "key_players": ((2,), {}),
        "plot_what_if_overview": ((cop.what_if(small_graph(), remove="c"),), {}),
    }.get(name, ((), {}))


def test_the_map_taking_exports_are_found_from_their_signatures():
    names = map_taking_exports()
    assert {"element_metrics", "locate", "local_sharing", "plot_network", "write_map", "borough_flows"} <= set(names)


@pytest.mark.parametrize("name", map_taking_exports())
def test_each_map_taking_function_gives_for_a_networkx_graph_what_it_gives_for_the_same_map(name, tmp_path):
    func = getattr(cop, name)
    G = small_graph()
    args, kwargs = extra_arguments(name, G, tmp_path)
    from_graph = func(G, *args, **kwargs)
    args, kwargs = extra_arguments(name, as_map(G), tmp_path)
    from_map = func(as_map(G), *args, **kwargs)
    assert type(from_graph) is type(from_map)
    if isinstance(from_map, pd.DataFrame):
        pd.testing.assert_frame_equal(from_graph, from_map)


@pytest.mark.parametrize("name", [*map_taking_exports(), "map_from_networkx"])
def test_each_map_taking_function_refuses_a_list_with_a_map_error(name, tmp_path):
    func = getattr(cop, name)
    args, kwargs = extra_arguments(name, [("a", "b")], tmp_path)
    with pytest.raises(MapError, match="expected a .*got list"):
        func([("a", "b")], *args, **kwargs)


def test_network_health_takes_networkx_graphs_as_waves_and_refuses_other_things():
    G = small_graph()
    pd.testing.assert_frame_equal(cop.network_health([G, G]), cop.network_health([as_map(G), as_map(G)]))
    with pytest.raises(MapError, match="expected a .*got list"):
        cop.network_health([[("a", "b")]])
