"""Clusters: groups of elements more tied to each other than to the rest (Louvain)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import build_igraph, edge_table, seeded_igraph
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.geo.boroughs import boroughs

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["find_clusters", "cluster_summary", "cluster_ties"]


def _borough_names() -> dict[str, str]:
    try:
        return boroughs()["name"].to_dict()
    except Exception:  # geography not available: show codes as they are
        return {}


def find_clusters(m: NetworkMap | nx.Graph, *, resolution: float = 1.0, seed: int = 42, weighted: bool = True) -> pd.DataFrame:
    """Split the map into clusters with the Louvain method (Blondel et al. 2008).

    Louvain moves elements between groups while that raises *modularity*
    (more ties inside groups than chance would give). It has a random
    element: the same map with the same ``seed`` always gives the same
    clusters. Clusters are numbered by size (0 = largest; ties broken by the
    first member's ID) and named after their hub, the member with most ties
    inside the cluster ("LVSC cluster"). Isolated elements form clusters of one.

    Parameters
    ----------
    m : a map or networkx graph.
    resolution : above 1 gives more, smaller clusters; below 1 fewer, larger ones.
    seed : random seed (same seed, same answer).
    weighted : let stronger ties pull harder (uses summed ``Strength``).

    Returns
    -------
    DataFrame indexed by ``ID``: ``Label``, ``Type``, ``cluster`` (int),
    ``cluster_name``; ``df.attrs["modularity"]`` (0-1, higher = clearer split).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> G.add_edge(0, 4)
    >>> df = find_clusters(G)
    >>> df["cluster"].tolist()
    [0, 0, 0, 0, 1, 1, 1]
    >>> df["cluster_name"].iloc[0], round(df.attrs["modularity"], 3)
    ('0 cluster', 0.355)
    """
    m = as_map(m)
    g = build_igraph(m)
    n = g.vcount()
    ids = pd.Index(list(g.vs["name"]) if n else [], name="ID", dtype=object)
    if g.ecount():
        with seeded_igraph(seed):
            parts = g.community_multilevel(weights="weight" if weighted else None, resolution=resolution)
        raw = np.asarray(parts.membership, dtype=np.int64)
    else:
        raw = np.arange(n, dtype=np.int64)
    # renumber: largest first, then by first member ID
    frame = pd.DataFrame({"raw": raw, "id": list(ids)})
    stats = frame.groupby("raw").agg(size=("id", "size"), first=("id", "min"))
    stats = stats.sort_values(["size", "first"], ascending=[False, True])
    new_number = pd.Series(np.arange(len(stats)), index=stats.index)
    cluster = new_number.reindex(raw).to_numpy(dtype=np.int64)
    modularity = float(g.modularity(cluster.tolist(), weights="weight" if weighted else None, resolution=resolution)) if g.ecount() else 0.0

    labels = m.element_table()
    df = pd.DataFrame(
        {
            "Label": labels["Label"].reindex(ids).to_numpy(dtype=object),
            "Type": labels["Type"].reindex(ids).to_numpy(dtype=object) if "Type" in labels else np.nan,
            "cluster": cluster,
        },
        index=ids,
    )
    hubs = _cluster_hubs(np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2), n, cluster)
    names: dict[int, str] = {}
    used: set[str] = set()
    for c, hub in sorted(hubs.items()):
        base = f"{df['Label'].iloc[hub]} cluster"
        name = base if base not in used else f"{base} ({c})"
        used.add(name)
        names[c] = name
    df["cluster_name"] = df["cluster"].map(names).astype(object)
    df.attrs["modularity"] = modularity
    df.attrs["resolution"] = resolution
    df.attrs["seed"] = seed
    return df


def _cluster_hubs(e: np.ndarray, n: int, cluster: np.ndarray) -> dict[int, int]:
    """Vertex index of each cluster's hub: most ties inside the cluster, then most ties, then first.

    ``e`` holds the ties (vertex pairs, one row each) of the ``n`` vertices.
    """
    same = cluster[e[:, 0]] == cluster[e[:, 1]]
    inside = np.bincount(e[same].ravel(), minlength=n)
    total = np.bincount(e.ravel(), minlength=n)
    order = np.lexsort((np.arange(n), -total, -inside, cluster))
    first = np.r_[True, cluster[order][1:] != cluster[order][:-1]] if n else np.zeros(0, dtype=bool)
    return {int(cluster[v]): int(v) for v in order[first]}


def _cluster_edges(m: NetworkMap, clusters: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The element IDs, each one's cluster and the ties (pairs of positions) of ``m.to_networkx()``."""
    ids, ties = edge_table(m)
    cl = clusters["cluster"].reindex(list(ids)).to_numpy(dtype=np.int64)
    return ids, cl, ties[["source", "target"]].to_numpy(dtype=np.int64).reshape(-1, 2)


def _top(values: pd.Series, k: int = 3) -> str:
    counts = values.dropna().astype(str).value_counts()
    return ", ".join(f"{name} ({count})" for name, count in counts.head(k).items())


def cluster_summary(m: NetworkMap | nx.Graph, clusters: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per cluster: size, hub, main types and boroughs, ties inside and out.

    Parameters
    ----------
    m : the map.
    clusters : the result of :func:`find_clusters` (computed when omitted).

    Returns
    -------
    DataFrame with ``cluster``, ``cluster_name``, ``size``, ``ID_hub``,
    ``Label_hub`` (its best-connected member), ``main_types``, ``main_boroughs`` (up to three each, with
    counts), ``internal_ties``, ``external_ties``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> G.add_edge(0, 4)
    >>> cluster_summary(G)[["cluster", "size", "ID_hub", "internal_ties", "external_ties"]]
       cluster  size ID_hub  internal_ties  external_ties
    0        0     4      0              6              1
    1        1     3      4              3              1
    """
    m = as_map(m)
    if clusters is None:
        clusters = find_clusters(m)
    ids, cl, e = _cluster_edges(m, clusters)
    hubs = _cluster_hubs(e, len(ids), cl)
    ca, cb = cl[e[:, 0]], cl[e[:, 1]]
    n_cl = int(cl.max()) + 1 if len(cl) else 0
    internal = np.bincount(ca[ca == cb], minlength=n_cl)
    external = np.bincount(np.r_[ca[ca != cb], cb[ca != cb]], minlength=n_cl)
    elements = m.element_table()
    borough_names = _borough_names()
    every = elements.reindex(clusters.index)
    boroughs_all = every["Borough"].map(lambda b: borough_names.get(b, b)) if "Borough" in every else None
    where = clusters.groupby("cluster", sort=True).indices  # each cluster's rows, in table order
    rows = []
    for c in range(n_cl):
        at = where[c]
        sub = every.iloc[at]
        hub_id = ids[hubs[c]]
        rows.append(
            {
                "cluster": c,
                "cluster_name": clusters["cluster_name"].iloc[at[0]],
                "size": len(at),
                "ID_hub": hub_id,
                "Label_hub": elements.at[hub_id, "Label"],
                "main_types": _top(sub["Type"]) if "Type" in sub else "",
                "main_boroughs": _top(boroughs_all.iloc[at] if boroughs_all is not None else pd.Series(dtype=object)),
                "internal_ties": int(internal[c]),
                "external_ties": int(external[c]),
            }
        )
    cols = ["cluster", "cluster_name", "size", "ID_hub", "Label_hub", "main_types", "main_boroughs", "internal_ties", "external_ties"]
    return pd.DataFrame(rows, columns=cols)


def cluster_ties(m: NetworkMap | nx.Graph, clusters: pd.DataFrame | None = None) -> pd.DataFrame:
    """Square table of tie counts between clusters (the diagonal counts ties inside each).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> G.add_edge(0, 4)
    >>> cluster_ties(G).to_numpy().tolist()
    [[6, 1], [1, 3]]
    """
    m = as_map(m)
    if clusters is None:
        clusters = find_clusters(m)
    _, cl, e = _cluster_edges(m, clusters)
    names = clusters.drop_duplicates("cluster").set_index("cluster")["cluster_name"].sort_index()
    k = len(names)
    a, b = cl[e[:, 0]], cl[e[:, 1]]
    off = a != b
    # each tie once at (a, b), and a tie between two clusters at (b, a) too
    mat = np.bincount(np.r_[a * k + b, b[off] * k + a[off]], minlength=k * k).reshape(k, k).astype(np.int64)
    idx = pd.Index(names.to_list(), name="cluster_name")
    return pd.DataFrame(mat, index=idx, columns=idx.rename(None))
