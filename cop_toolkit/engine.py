"""The fast engine behind the analysis functions: igraph built straight from the map's tables.

Learners see networkx graphs (``m.to_networkx()``); the analysis functions
(:func:`~cop_toolkit.metrics.element_metrics`, clusters, what-if, ...) compute
the heavy measures with `igraph <https://python.igraph.org>`_, which is written
in C and is 20-100 times faster than networkx. The results are the same as
networkx's reference algorithms (the tests compare them on small graphs).

The igraph graph is built from the element and connection tables with
vectorised pandas operations, never through networkx, so London-scale maps
(120,000 elements, a million ties) load in seconds. It follows the same rules
as :meth:`NetworkMap.to_networkx`: parallel connections are merged (``weight``
= summed strength, 1 where blank; ``distance`` = 1/weight), self-links and
connections to unknown elements are left out, and in a directed graph
undirected and mutual connections become arcs both ways.

Size threshold
--------------
Exact betweenness and closeness need one shortest-path search from every
element: fine up to :data:`EXACT_LIMIT` (20,000) elements (about 25 s for
the whole table at 10,000 elements and 80,000 ties). Above it, ``method="auto"`` switches to *sampled*
estimates from :data:`SAMPLE_SOURCES` randomly chosen source elements
(fixed seed, so repeatable): source-sampled Brandes betweenness (Brandes &
Pich 2007) and pivot-sampled closeness (Eppstein & Wang 2004). On the
10,000-element benchmark map the sampled betweenness of the exact top 100
is compared with the exact values (Spearman rank correlation; the measured
figure is in ``benchmarks/README.md``). Elements with small betweenness are
estimated roughly; the leading elements reliably.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from .errors import MapError
from .model import NetworkMap

if TYPE_CHECKING:  # pragma: no cover
    import igraph

__all__ = [
    "EXACT_LIMIT",
    "SAMPLE_SOURCES",
    "as_map",
    "map_from_networkx",
    "build_igraph",
    "edge_table",
    "resolve_method",
    "betweenness",
    "closeness",
    "component_sizes",
    "two_step_reach",
]

#: Largest map (elements) for which ``method="auto"`` computes exact betweenness and closeness.
EXACT_LIMIT = 20_000
#: Number of sampled source elements for ``method="sampled"``.
SAMPLE_SOURCES = 500


# --------------------------------------------------------------------------- inputs
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
    """
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
    if isinstance(obj, nx.Graph):
        return map_from_networkx(obj)
    raise MapError(
        f"expected a network map or a networkx graph, got {type(obj).__name__}",
        fix="load your map with cop_toolkit.read_map(...) or cop_toolkit.datasets.load(...) first",
    )


# --------------------------------------------------------------------------- graph
def edge_table(m: NetworkMap, directed: bool = False) -> tuple[np.ndarray, pd.DataFrame]:
    """Return the element IDs and the merged tie table of a map (vectorised).

    The tie table has integer columns ``source``, ``target`` (positions in
    the ID array) and ``weight``, ``distance``, ``n_connections``; it follows
    the rules of :meth:`NetworkMap.to_networkx`.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["b", "a"], "Strength": [2, 3]}))
    >>> ids, ties = edge_table(m)
    >>> ties[["source", "target", "weight"]].to_dict("records")
    [{'source': 0, 'target': 1, 'weight': 5.0}]
    """
    ids_series = m.elements["ID"].astype(str)
    ids = ids_series.drop_duplicates().to_numpy(dtype=object)
    index = pd.Index(ids)
    conns = m.connections
    cols = ["source", "target", "weight", "distance", "n_connections"]
    if len(conns) == 0 or len(ids) == 0:
        return ids, pd.DataFrame({c: pd.Series(dtype="int64" if c in ("source", "target", "n_connections") else "float64") for c in cols})
    u = index.get_indexer(conns["From"].astype(str))
    v = index.get_indexer(conns["To"].astype(str))
    if "Strength" in conns.columns:
        w = pd.to_numeric(conns["Strength"], errors="coerce").fillna(1.0).to_numpy(dtype=float)
    else:
        w = np.ones(len(conns))
    keep = (u >= 0) & (v >= 0) & (u != v)
    if directed:
        if "Direction" in conns.columns:
            one_way = conns["Direction"].fillna("").astype(str).str.lower().to_numpy() == "directed"
        else:
            one_way = np.zeros(len(conns), dtype=bool)
        both = keep & ~one_way
        src = np.concatenate([u[keep], v[both]])
        dst = np.concatenate([v[keep], u[both]])
        wt = np.concatenate([w[keep], w[both]])
    else:
        src = np.minimum(u, v)[keep]
        dst = np.maximum(u, v)[keep]
        wt = w[keep]
    raw = pd.DataFrame({"source": src, "target": dst, "weight": wt})
    ties = raw.groupby(["source", "target"], sort=True).agg(weight=("weight", "sum"), n_connections=("weight", "size")).reset_index()
    ties["distance"] = np.where(ties["weight"] > 0, 1.0 / ties["weight"].where(ties["weight"] > 0, 1.0), 1.0)
    return ids, ties[cols]


def build_igraph(m: NetworkMap | nx.Graph, directed: bool = False) -> igraph.Graph:
    """Build a simple igraph graph from a map's tables, without networkx.

    Vertices are in the order of ``m.elements`` and carry ``name`` (the ID);
    edges carry ``weight``, ``distance`` and ``n_connections``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
    ...                pd.DataFrame({"From": ["a", "a"], "To": ["b", "b"]}))
    >>> g = build_igraph(m)
    >>> g.vcount(), g.ecount(), g.es["weight"]
    (3, 1, [2.0])
    """
    import igraph as ig

    m = as_map(m)
    ids, ties = edge_table(m, directed=directed)
    g = ig.Graph(n=len(ids), edges=ties[["source", "target"]].to_numpy(dtype=np.int64), directed=directed)
    g.vs["name"] = list(ids)
    g.es["weight"] = ties["weight"].to_numpy(dtype=float).tolist()
    g.es["distance"] = ties["distance"].to_numpy(dtype=float).tolist()
    g.es["n_connections"] = ties["n_connections"].to_numpy(dtype=np.int64).tolist()
    return g


def resolve_method(method: str, n: int) -> str:
    """Turn ``"auto"`` into ``"exact"`` or ``"sampled"`` by map size.

    Examples
    --------
    >>> resolve_method("auto", 200), resolve_method("auto", 120_000)
    ('exact', 'sampled')
    """
    if method not in ("auto", "exact", "sampled"):
        raise MapError(f"unknown method '{method}'", fix="use method='auto', 'exact' or 'sampled'")
    if method == "auto":
        return "exact" if n <= EXACT_LIMIT else "sampled"
    return method


def _sources(n: int, samples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    k = min(n, samples)
    return np.sort(rng.choice(n, size=k, replace=False))


# --------------------------------------------------------------------------- measures
def betweenness(
    g: igraph.Graph,
    *,
    weights: str | None = None,
    method: str = "exact",
    samples: int = SAMPLE_SOURCES,
    seed: int = 42,
) -> np.ndarray:
    """Normalised betweenness, equal to ``nx.betweenness_centrality(G, weight=...)``.

    With ``method="sampled"`` shortest paths are counted only from ``samples``
    random sources and scaled up by ``n / samples`` (an unbiased estimate).

    Examples
    --------
    >>> import igraph as ig
    >>> betweenness(ig.Graph.Star(4)).round(3).tolist()
    [1.0, 0.0, 0.0, 0.0]
    """
    n = g.vcount()
    if n <= 2 or g.ecount() == 0:
        return np.zeros(n)
    directed = g.is_directed()
    if method == "sampled" and samples < n:
        src = _sources(n, samples, seed)
        raw = np.asarray(g.betweenness(directed=directed, weights=weights, sources=src.tolist()), dtype=float)
        raw *= n / len(src)
    else:
        raw = np.asarray(g.betweenness(directed=directed, weights=weights), dtype=float)
    scale = 1.0 / ((n - 1) * (n - 2))
    if not directed:
        scale *= 2.0
    return raw * scale


def component_sizes(g: igraph.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Return (component number of each vertex, size of each vertex's component); weak components.

    Examples
    --------
    >>> import igraph as ig
    >>> component_sizes(ig.Graph(n=3, edges=[(0, 1)]))[1].tolist()
    [2, 2, 1]
    """
    membership = np.asarray(g.connected_components(mode="weak").membership, dtype=np.int64)
    if len(membership) == 0:
        return membership, membership
    sizes = np.bincount(membership)
    return membership, sizes[membership]


def closeness(
    g: igraph.Graph,
    *,
    weights: str | None = None,
    method: str = "exact",
    samples: int = SAMPLE_SOURCES,
    seed: int = 42,
) -> np.ndarray:
    """Closeness, equal to ``nx.closeness_centrality(G, distance=...)`` (Wasserman-Faust scaling).

    For an element that reaches ``r - 1`` others at total distance ``D``,
    closeness is ``(r - 1) / D * (r - 1) / (n - 1)``; isolated elements get 0.
    In a directed map distances *to* the element count (as in networkx).
    With ``method="sampled"`` (undirected maps) ``D`` is estimated from the
    distances to ``samples`` random pivot elements in the same component.

    Examples
    --------
    >>> import igraph as ig
    >>> closeness(ig.Graph.Star(3)).round(3).tolist()
    [1.0, 0.667, 0.667]
    """
    n = g.vcount()
    if n <= 1:
        return np.zeros(n)
    directed = g.is_directed()
    if method == "sampled" and samples < n and not directed:
        comp, size = component_sizes(g)
        src = _sources(n, samples, seed)
        k_same = np.zeros(n)
        total = np.zeros(n)
        for start in range(0, len(src), 100):  # 100 pivots at a time keeps memory small
            chunk = src[start : start + 100]
            dist = np.asarray(g.distances(source=chunk.tolist(), weights=weights), dtype=float)
            # pivots in the element's own component, excluding the element itself
            same = np.isfinite(dist)
            same[np.arange(len(chunk)), chunk] = False
            dist[~same] = 0.0
            k_same += same.sum(axis=0)
            total += dist.sum(axis=0)
        r = size.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            est_sum = total / k_same * (r - 1)
            value = (r - 1) / est_sum * (r - 1) / (n - 1)
        value[(k_same == 0) | (r <= 1) | ~np.isfinite(value)] = np.nan
        missing = np.isnan(value) & (r > 1)
        if missing.any():  # small components with no pivot: compute them exactly
            idx = np.flatnonzero(missing)
            value[idx] = _closeness_exact(g, weights, idx.tolist())
        value[r <= 1] = 0.0
        return value
    return _closeness_exact(g, weights, None)


def _closeness_exact(g: igraph.Graph, weights: str | None, vertices: list[int] | None) -> np.ndarray:
    n = g.vcount()
    mode = "in" if g.is_directed() else "all"
    raw = np.asarray(g.closeness(vertices=vertices, mode=mode, weights=weights, normalized=True), dtype=float)
    if g.is_directed():
        r = np.asarray(g.neighborhood_size(vertices=vertices, order=n, mode="in"), dtype=float)
    else:
        _, size = component_sizes(g)
        r = size.astype(float) if vertices is None else size[vertices].astype(float)
    value = raw * (r - 1) / (n - 1)
    value[~np.isfinite(value) | (r <= 1)] = 0.0
    return value


def two_step_reach(g: igraph.Graph, steps: int = 2, mode: str = "all") -> np.ndarray:
    """Number of other elements within ``steps`` ties of each element.

    Examples
    --------
    >>> import igraph as ig
    >>> two_step_reach(ig.Graph.Ring(6)).tolist()
    [4, 4, 4, 4, 4, 4]
    """
    if g.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(g.neighborhood_size(order=steps, mode=mode), dtype=np.int64) - 1


def node_ids(ids: np.ndarray) -> pd.Index:
    """Return element IDs as a pandas index named ``ID``."""
    return pd.Index(list(ids), name="ID", dtype=object)


def labels_for(m: NetworkMap, ids: list[Hashable] | pd.Index) -> pd.Series:
    """Labels (and nothing else) for some IDs, as a Series aligned with ``ids``."""
    lab = m.elements.drop_duplicates("ID").set_index("ID")["Label"]
    return lab.reindex(list(ids))
