"""What the public functions accept as a map: a :class:`NetworkMap` or a networkx graph.

Every public function that takes a map starts with ``m = as_map(m)``: a
networkx graph is turned into a map with :func:`map_from_networkx`, and
anything else raises a :class:`~cop_toolkit.core.errors.MapError` naming
what was given, instead of a raw ``AttributeError`` further in.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["as_map", "map_from_networkx"]


def map_from_networkx(G: nx.Graph, *, name: str | None = None, weight: str | None = "weight") -> NetworkMap:
    """Turn a networkx graph into a :class:`NetworkMap`.

    Node keys become element IDs (as text); the node attribute ``Label`` (or
    ``label``/``name``) becomes the label, else the key itself. Other node
    attributes become element fields. Each edge becomes a connection; its
    ``weight`` attribute (or the one named by ``weight``; ``None`` ignores
    weights) becomes ``Strength``. Edges of a directed graph are ``directed``.

    Parameters
    ----------
    G : any networkx graph (multigraphs give one connection per edge).
    name : the map's name (default: ``G.graph["name"]`` or "Network map").
    weight : edge attribute holding the tie strength, or ``None``.

    Examples
    --------
    >>> import networkx as nx
    >>> m = map_from_networkx(nx.path_graph(3), name="Path")
    >>> m
    <NetworkMap 'Path': 3 elements, 2 connections>
    >>> list(m.elements["ID"])
    ['0', '1', '2']
    >>> map_from_networkx([("a", "b")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: expected a networkx graph, got list. How to fix: ...
    """
    nx = sys.modules.get("networkx")  # not loaded yet: then G cannot be a networkx graph
    if nx is None or not isinstance(G, nx.Graph):
        raise MapError(
            f"expected a networkx graph, got {type(G).__name__}",
            fix="pass a networkx graph (for a map file use cop_toolkit.read_map(...) instead)",
        )
    rows = []
    for node, data in G.nodes(data=True):
        row: dict[str, Any] = {"ID": str(node)}
        label = data.get("Label", data.get("label", data.get("name")))
        row["Label"] = str(label) if label is not None else str(node)
        for key, value in data.items():
            if key in ("ID", "Label", "label"):
                continue
            if isinstance(value, (str, int, float, bool, np.integer, np.floating)):
                row[key] = value
        rows.append(row)
    elements = pd.DataFrame(rows, columns=None if rows else ["ID", "Label"])
    direction = "directed" if G.is_directed() else "undirected"
    conns = []
    for i, (u, v, data) in enumerate(G.edges(data=True)):
        row = {"ID": f"c{i + 1}", "From": str(u), "To": str(v), "Direction": direction}
        if weight is not None and weight in data:
            row["Strength"] = float(data[weight])
        for key, value in data.items():
            if key in (weight, "weight", "distance", "n_connections", "From", "To", "ID", "Direction"):
                continue
            if isinstance(value, (str, int, float, bool)):
                row[key] = value
        conns.append(row)
    connections = pd.DataFrame(conns, columns=None if conns else ["ID", "From", "To", "Direction"])
    meta = {"name": name or str(G.graph.get("name") or "Network map")}
    return NetworkMap(elements, connections, metadata=meta)


def as_map(obj: NetworkMap | nx.Graph) -> NetworkMap:
    """Return ``obj`` as a :class:`NetworkMap` (networkx graphs are converted).

    Examples
    --------
    >>> import networkx as nx
    >>> as_map(nx.path_graph(2))
    <NetworkMap 'Network map': 2 elements, 1 connection>
    """
    if isinstance(obj, NetworkMap):
        return obj
    nx = sys.modules.get("networkx")  # not loaded yet: then obj cannot be a networkx graph
    if nx is not None and isinstance(obj, nx.Graph):
        return map_from_networkx(obj)
    raise MapError(
        f"expected a network map or a networkx graph, got {type(obj).__name__}",
        fix="load your map with cop_toolkit.read_map(...) or cop.datasets.load(...) first",
    )
