"""Measures for each element: who is most central, who holds the map together.

:func:`element_metrics` returns one row per element with every standard
centrality measure and a plain role label; :func:`assign_roles` holds the
role rules so they can be read and tested on their own.

How each measure is computed
----------------------------
Every column of :func:`element_metrics` equals networkx's reference algorithm
on the map's graph ``G = m.to_networkx(directed)``:

* ``degree`` = ``G.degree``; ``in_degree``/``out_degree`` always follow
  the arrows of ``m.to_networkx(directed=True)``; ``weighted_degree`` =
  ``G.degree(weight="weight")``.
* ``betweenness`` = ``nx.betweenness_centrality(G, weight="distance")``,
  ``closeness`` = ``nx.closeness_centrality(G, distance="distance")``
  with ``weighted=True`` (by default every tie counts as one step:
  ``weight=None``).
* ``pagerank`` = ``nx.pagerank(G, weight="weight")`` (``weight=None`` unless weighted).
* ``eigenvector`` = ``nx.eigenvector_centrality(G.to_undirected(),
  weight="weight")`` (always two-way: on one-way ties it is often
  undefined; on a map in several pieces only the piece with the
  strongest core gets non-zero values). NaN where it has no answer in
  reach: on a long chain of elements the search does not settle (as
  networkx's does not either).
* ``reach``: others within two steps (following arrows when directed).
  ``reach_efficiency`` = ``reach / (n - 1) / degree``: the share of the
  map reached within two steps for each direct tie (Kumu's reach
  efficiency, reach per tie, scaled by map size to lie in 0-1; 0 for
  isolates). High values mean few ties that open onto many others.
* Structure measures use the undirected, unweighted graph:
  ``clustering`` = ``nx.clustering``, ``coreness`` = ``nx.core_number``,
  ``effective_size`` = ``nx.effective_size``, ``constraint`` =
  ``nx.constraint`` (NaN for isolates), ``articulation_point`` from
  ``nx.articulation_points``, ``bridges`` counts the element's ties in
  ``nx.bridges``.
* ``role``: see :func:`assign_roles`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import (
    SAMPLE_SOURCES,
    Method,
    build_igraph,
    closeness,
    edge_table,
    igraph_from_ties,
    resolve_method,
    start_betweenness,
    two_step_reach,
)
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["element_metrics", "assign_roles", "ROLES", "METRIC_DESCRIPTIONS"]

#: The role labels, from most to least central.
ROLES = ("hub", "broker", "connector", "peripheral", "isolate")

#: Plain-words meaning of each column of :func:`element_metrics`.
METRIC_DESCRIPTIONS: dict[str, str] = {
    "degree": "number of others it has a direct tie with",
    "in_degree": "number of others with a one-way or two-way tie pointing to it",
    "out_degree": "number of others it has a one-way or two-way tie pointing to",
    "weighted_degree": "sum of the strengths of its ties (a blank strength counts as 1)",
    "betweenness": "share of shortest routes between other pairs that pass through it (0-1)",
    "closeness": "how near it is to everyone it can reach (0-1; higher is nearer)",
    "eigenvector": "how well connected its contacts are (ties to well-tied elements count more)",
    "pagerank": "Google's PageRank: chance a random walk along ties is here (sums to 1)",
    "reach": "number of others within two steps",
    "reach_efficiency": "share of the map reached within two steps, per direct tie",
    "clustering": "share of its contacts' possible ties with each other that exist (0-1)",
    "coreness": "k-core: the largest k such that it sits in a group where all have k or more ties",
    "effective_size": "Burt's effective size: its contacts, less their overlap with each other",
    "constraint": "Burt's constraint: how much its contacts are tied to each other (low = broker)",
    "articulation_point": "removing it splits its part of the map in two or more",
    "bridges": "number of its ties that are the only link between two parts of the map",
    "role": "hub, broker, connector, peripheral or isolate (see assign_roles)",
}


def assign_roles(metrics: pd.DataFrame, *, top_share: float = 0.10) -> pd.Series:
    """Give each element a plain role from its degree and betweenness.

    The rules, applied in this order (the first that fits wins):

    1. ``isolate``: no ties (degree 0).
    2. ``hub``: at least 3 ties and a degree in the top ``top_share`` (10%)
       of connected elements: its degree is at least that of the
       ``ceil(top_share * connected)``-th best-connected element.
    3. ``broker``: betweenness above 0 and in the top ``top_share`` of
       connected elements (same ranking rule), i.e. many shortest routes
       between others run through it.
    4. ``peripheral``: exactly one tie.
    5. ``connector``: everyone else (two or more ties).

    Parameters
    ----------
    metrics : a table with ``degree`` and ``betweenness`` columns.
    top_share : share of connected elements counted as the top (0-1).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"degree": [5, 2, 2, 1, 0], "betweenness": [0.5, 0.6, 0, 0, 0]})
    >>> assign_roles(t).tolist()
    ['hub', 'broker', 'connector', 'peripheral', 'isolate']
    """
    degree = metrics["degree"].to_numpy(dtype=float)
    btw = metrics["betweenness"].fillna(0).to_numpy(dtype=float)
    connected = degree > 0
    k = max(1, int(np.ceil(top_share * connected.sum())))
    role = np.full(len(metrics), "connector", dtype=object)
    if connected.any():
        deg_cut = np.sort(degree[connected])[::-1][min(k, connected.sum()) - 1]
        btw_cut = np.sort(btw[connected])[::-1][min(k, connected.sum()) - 1]
    else:
        deg_cut = btw_cut = np.inf
    role[degree == 1] = "peripheral"
    broker = connected & (btw > 0) & (btw >= btw_cut)
    role[broker] = "broker"
    hub = connected & (degree >= 3) & (degree >= deg_cut)
    role[hub] = "hub"
    role[~connected] = "isolate"
    return pd.Series(role, index=metrics.index, name="role", dtype=object)


def _constraint_effective_size(g, degree: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Burt's constraint and effective size (unweighted, undirected), plus triangles per vertex."""
    n = g.vcount()
    edges = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    tri = np.zeros(n)
    s = np.zeros(len(edges))  # per edge: sum over shared contacts q of 1/deg(q)
    if len(edges):
        tris = np.asarray(g.list_triangles(), dtype=np.int64).reshape(-1, 3)
        if len(tris):
            tri = np.bincount(tris.ravel(), minlength=n).astype(float)
            key = pd.Series(np.arange(len(edges)), index=pd.MultiIndex.from_arrays([edges.min(1), edges.max(1)]))
            inv = 1.0 / np.maximum(degree, 1.0)
            for a, b, c in ((0, 1, 2), (1, 2, 0), (0, 2, 1)):
                x, y, z = tris[:, a], tris[:, b], tris[:, c]
                pos = key.reindex(pd.MultiIndex.from_arrays([np.minimum(x, y), np.maximum(x, y)])).to_numpy()
                np.add.at(s, pos, inv[z])
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = degree - 2.0 * tri / degree
        cons = np.zeros(n)
        if len(edges):
            u, v = edges[:, 0], edges[:, 1]
            np.add.at(cons, u, ((1.0 + s) / degree[u]) ** 2)
            np.add.at(cons, v, ((1.0 + s) / degree[v]) ** 2)
    effective[degree == 0] = np.nan
    cons[degree == 0] = np.nan
    return effective, cons, tri


def element_metrics(
    m: NetworkMap | nx.Graph,
    *,
    directed: bool = False,
    method: Method = "auto",
    weighted: bool = False,
    samples: int = SAMPLE_SOURCES,
    seed: int = 42,
) -> pd.DataFrame:
    """Centrality and role of every element, one row each.

    Columns (see :data:`METRIC_DESCRIPTIONS` for plain words): ``Label``,
    ``Type``, ``degree``, ``in_degree``, ``out_degree``, ``weighted_degree``,
    ``betweenness``, ``closeness``, ``eigenvector``, ``pagerank``, ``reach``,
    ``reach_efficiency``, ``clustering``, ``coreness``, ``effective_size``,
    ``constraint``, ``articulation_point``, ``bridges``, ``role``.

    They equal networkx's reference algorithms on the map's graph (see the
    module's notes, "How each measure is computed").

    Parameters
    ----------
    m : a map or a networkx graph.
    directed : follow the direction of one-way ties for betweenness,
        closeness, PageRank and reach.
    method : ``"exact"``, ``"sampled"`` (estimates from ``samples`` random
        sources, for very large maps) or ``"auto"`` (exact up to
        :data:`cop_toolkit.analysis.engine.EXACT_LIMIT` elements). The method used is
        in ``df.attrs["method"]``, with a plain note in ``df.attrs["method_note"]``.
    weighted : use tie strengths: strong ties count as short (``distance``)
        for betweenness and closeness, and as heavy (``weight``) for PageRank
        and eigenvector. The default (``False``) counts steps, as Kumu and
        Gephi do, because strengths in community maps are rough ratings;
        ``weighted_degree`` always sums strengths.
    samples, seed : size and seed of the sample for ``method="sampled"``.

    Examples
    --------
    >>> import networkx as nx
    >>> from cop_toolkit.core.inputs import map_from_networkx
    >>> df = element_metrics(map_from_networkx(nx.star_graph(3)))
    >>> df[["degree", "betweenness", "reach", "role"]]
        degree  betweenness  reach        role
    ID                                        
    0        3          1.0      3         hub
    1        1          0.0      3  peripheral
    2        1          0.0      3  peripheral
    3        1          0.0      3  peripheral
    >>> df.attrs["method"]
    'exact'
    """
    m = as_map(m)
    g_und = build_igraph(m, directed=False)
    n = g_und.vcount()
    ids = pd.Index(list(g_und.vs["name"]) if n else [], name="ID", dtype=object)
    how = resolve_method(method, n)
    # in- and out-degree follow the arrows whatever ``directed`` says: count them on the
    # directed tie table, and build the directed igraph graph only when it is analysed
    ids_dir, ties_dir = edge_table(m, directed=True)
    g = igraph_from_ties(ids_dir, ties_dir, directed=True) if directed else g_und
    dist = "distance" if weighted else None
    wt = "weight" if weighted else None
    # betweenness, the longest, goes to the worker processes first; this process works out the other
    # measures meanwhile (closeness too, if workers took betweenness), then helps with what is left
    pending = start_betweenness(g, weights=dist, method=how, samples=samples, seed=seed)

    deg_und = np.asarray(g_und.degree(), dtype=np.int64)
    degrees = _degrees(g, ties_dir, deg_und, directed)
    degree = degrees["degree"]
    clo = closeness(g, weights=dist, method=how, samples=samples, seed=seed, workers=1 if pending.parallel else None)
    eig = _eigenvector(g_und, wt)
    pr = np.asarray(g.pagerank(damping=0.85, weights=wt, directed=directed), dtype=float) if n else np.zeros(0)
    reach = two_step_reach(g, 2, mode="out" if directed else "all")
    with np.errstate(divide="ignore", invalid="ignore"):
        reach_eff = np.where(degree > 0, reach / max(n - 1, 1) / np.maximum(degree, 1), 0.0)

    structure = _structure(g_und, deg_und)
    labels = m.element_table()
    btw = pending.result()
    df = pd.DataFrame(
        {
            "Label": labels["Label"].reindex(ids).to_numpy(dtype=object),
            "Type": labels["Type"].reindex(ids).to_numpy(dtype=object) if "Type" in labels else np.nan,
            **degrees,
            "betweenness": btw,
            "closeness": clo,
            "eigenvector": eig,
            "pagerank": pr,
            "reach": reach,
            "reach_efficiency": reach_eff,
            **structure,
        },
        index=ids,
    )
    df["role"] = assign_roles(df)
    df.attrs["method"] = how
    # how it was computed, so that what_if can tell whether it may reuse the table
    df.attrs.update(directed=bool(directed), weighted=bool(weighted), samples=int(samples), seed=int(seed))
    df.attrs["method_note"] = _method_note(how, min(samples, n), seed)
    return df


def _degrees(g: Any, ties_dir: pd.DataFrame, deg_und: np.ndarray, directed: bool) -> dict[str, np.ndarray]:
    """``degree``, ``in_degree`` and ``out_degree`` (always along the arrows of ``ties_dir``), ``weighted_degree``."""
    n = len(deg_und)
    in_deg = np.bincount(ties_dir["target"].to_numpy(dtype=np.int64), minlength=n).astype(np.int64)
    out_deg = np.bincount(ties_dir["source"].to_numpy(dtype=np.int64), minlength=n).astype(np.int64)
    wdeg = np.asarray(g.strength(mode="all", weights="weight"), dtype=float) if g.ecount() else np.zeros(n)
    return {
        "degree": in_deg + out_deg if directed else deg_und,
        "in_degree": in_deg,
        "out_degree": out_deg,
        "weighted_degree": wdeg,
    }


def _eigenvector(g_und: Any, weights: str | None) -> np.ndarray:
    """Eigenvector centrality on the two-way graph, scaled to unit length (zeros without ties, NaN if unsettled)."""
    if not g_und.ecount():
        return np.zeros(g_und.vcount())
    with warnings.catch_warnings():  # igraph warns on maps in several pieces (documented above)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            eig = np.asarray(g_und.eigenvector_centrality(scale=False, weights=weights), dtype=float)
        except Exception as exc:  # igraph's InternalError: ARPACK found no answer (a long chain of elements)
            if "ARPACK" not in str(exc):
                raise
            return np.full(g_und.vcount(), np.nan)
    norm = np.linalg.norm(eig)
    return np.abs(eig / norm) if norm > 0 else eig


def _structure(g_und: Any, deg_und: np.ndarray) -> dict[str, np.ndarray]:
    """The structure columns, on the undirected, unweighted graph: clustering to bridges."""
    n = g_und.vcount()
    clustering = np.asarray(g_und.transitivity_local_undirected(mode="zero"), dtype=float) if n else np.zeros(0)
    coreness = np.asarray(g_und.coreness(), dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    effective, cons, _ = _constraint_effective_size(g_und, deg_und.astype(float))
    art = np.zeros(n, dtype=bool)
    if n:
        art[g_und.articulation_points()] = True
    bridges = np.zeros(n, dtype=np.int64)
    if g_und.ecount():
        b = g_und.bridges()
        if b:
            ends = np.asarray([g_und.es[i].tuple for i in b], dtype=np.int64).ravel()
            bridges = np.bincount(ends, minlength=n).astype(np.int64)
    return {
        "clustering": clustering,
        "coreness": coreness,
        "effective_size": effective,
        "constraint": cons,
        "articulation_point": art,
        "bridges": bridges,
    }


def _method_note(how: str, sources: int, seed: int) -> str:
    """How betweenness and closeness were computed, in plain words."""
    if how == "exact":
        return "exact: every shortest path was counted"
    return (
        f"sampled: betweenness and closeness estimated from {sources} randomly chosen "
        f"elements (seed {seed}); rankings of the leading elements are reliable, small values are rough"
    )
