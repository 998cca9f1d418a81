"""The whole map in numbers: size, density, pieces, distances, degree distribution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import (
    Method,
    build_igraph,
    component_sizes,
    resolve_method,
    resolve_workers,
    run_chunks,
)
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["map_summary", "degree_distribution", "path_sources", "PATH_SAMPLES", "WEIGHTED_PATH_FULL", "WEIGHTED_PATH_MIN"]

#: Starting elements sampled for the diameter and average path length of very large maps.
PATH_SAMPLES = 200


def path_sources(n: int, weighted: bool, seed: int = 42) -> np.ndarray:
    """The sampled starting elements of :func:`map_summary`'s path measures on an ``n``-element piece.

    :data:`PATH_SAMPLES` of them for steps; for distances (weighted, the slower
    search) as many up to :data:`WEIGHTED_PATH_FULL` elements, and above that
    fewer, in proportion (at least :data:`WEIGHTED_PATH_MIN`), so the time
    stays bounded: the first of the same random draw, in order.

    Examples
    --------
    >>> len(path_sources(10_000, False)), len(path_sources(10_000, True)), len(path_sources(120_000, True))
    (200, 200, 33)
    >>> set(path_sources(120_000, True)) <= set(path_sources(120_000, False))
    True
    """
    drawn = np.random.default_rng(seed).choice(n, size=min(PATH_SAMPLES, n), replace=False)
    k = len(drawn)
    if weighted and n > WEIGHTED_PATH_FULL:
        k = min(k, max(WEIGHTED_PATH_MIN, PATH_SAMPLES * WEIGHTED_PATH_FULL // n))
    return np.sort(drawn[:k])


#: Up to this many elements the weighted path measures use all :data:`PATH_SAMPLES` starting elements.
WEIGHTED_PATH_FULL = 20_000
#: The fewest starting elements the weighted path measures use on a very large map.
WEIGHTED_PATH_MIN = 20
#: Starting elements whose distances are worked out together in :func:`_path_stats` (bounds memory).
SOURCE_BLOCK = 20


def _path_stats(g, weights: str | None, sampled: bool, seed: int = 42) -> tuple[float, float, int]:
    """Diameter, average path length and how many starting elements, of a connected igraph graph.

    Exact (every element), or sampled from :func:`path_sources`: a few sources at a time,
    over both cores, without holding the sources-by-elements table, so a London-scale
    map takes seconds and little memory.
    """
    n = g.vcount()
    if n <= 1:
        return 0.0, 0.0, n
    if sampled and n > PATH_SAMPLES:
        src = path_sources(n, weights is not None, seed)
        chunks = [src[start : start + SOURCE_BLOCK] for start in range(0, len(src), SOURCE_BLOCK)]
        parts = run_chunks(_far_and_total, (g, weights), chunks, resolve_workers(None, len(src) * (n + g.ecount())))
        return max(p[0] for p in parts), float(sum(p[1] for p in parts) / sum(p[2] for p in parts)), len(src)
    if weights is None:
        return float(g.diameter(directed=False)), float(g.average_path_length(directed=False)), n
    d = np.asarray(g.distances(weights=weights), dtype=float)
    off = ~np.eye(n, dtype=bool)
    return float(d[off].max()), float(d[off].mean()), n


def _far_and_total(g, weights: str | None, sources: np.ndarray) -> tuple[float, float, int]:
    """The longest distance from some sources, the sum of their distances and how many (to others reached)."""
    d = np.asarray(g.distances(source=sources.tolist(), weights=weights), dtype=float)
    d = d[np.isfinite(d) & (d > 0)]
    return float(d.max()) if len(d) else 0.0, float(d.sum()), len(d)


def map_summary(m: NetworkMap | nx.Graph, *, method: Method = "auto") -> pd.DataFrame:
    """Describe the whole map in numbers, each with a plain explanation.

    Measures: elements and connections (and by type), ties (pairs with at
    least one connection), density, average and largest degree, isolated
    elements, components and the share of elements in the largest, its
    diameter and average path length (in steps; also by ``distance`` =
    1/strength when strengths vary), reciprocity of one-way connections
    (directed maps), average clustering and transitivity. With
    ``method="sampled"`` (``"auto"``: above :data:`cop_toolkit.analysis.engine.EXACT_LIMIT`
    elements) the diameter and average path length are estimated from 200
    sampled starting elements (the diameter is then a lower bound), the
    weighted ones from as many up to 20,000 elements in the largest piece and
    from fewer above (see :func:`path_sources`; 33 at 120,000) so the time stays
    bounded. ``df.attrs["method"]`` says which; ``df.attrs["path_sources"]`` and
    ``df.attrs["weighted_path_sources"]`` say from how many elements (all of the
    largest piece when exact).

    Returns
    -------
    DataFrame indexed by ``measure`` with columns ``value`` and ``description``.

    Examples
    --------
    >>> import networkx as nx
    >>> s = map_summary(nx.path_graph(4))
    >>> s.loc[["elements", "ties", "density", "diameter", "average path length"], "value"].tolist()
    [4, 3, 0.5, 3.0, 1.6666666666666667]
    """
    m = as_map(m)
    g = build_igraph(m)
    gd = build_igraph(m, directed=True)
    n, e = g.vcount(), g.ecount()
    rows: list[tuple[str, Any, str]] = []
    rows.append(("elements", n, "organisations, networks and people on the map"))
    rows.append(("connections", len(m.connections), "rows in the connections table"))
    rows.append(("ties", e, "pairs of elements with at least one connection between them"))
    if "Type" in m.elements.columns:
        for t, c in m.elements["Type"].fillna("(no type)").value_counts().items():
            rows.append((f"elements: {t}", int(c), f"elements of type '{t}'"))
    if "Type" in m.connections.columns and len(m.connections):
        for t, c in m.connections["Type"].fillna("(no type)").value_counts().items():
            rows.append((f"connections: {t}", int(c), f"connections of type '{t}'"))
    density = 2 * e / (n * (n - 1)) if n > 1 else 0.0
    rows.append(("density", density, "share of all possible ties that exist (0-1)"))
    deg = np.asarray(g.degree(), dtype=float)
    rows.append(("average degree", float(deg.mean()) if n else 0.0, "average number of ties per element"))
    rows.append(("largest degree", int(deg.max()) if n else 0, "ties of the best-connected element"))
    strength = np.asarray(g.strength(weights="weight"), dtype=float) if e else np.zeros(n)
    has_strengths = "Strength" in m.connections.columns and m.connections["Strength"].notna().any()
    if has_strengths:
        rows.append(("average weighted degree", float(strength.mean()) if n else 0.0,
                     "average sum of tie strengths per element"))
    rows.append(("isolated elements", int((deg == 0).sum()), "elements with no ties at all"))
    comp, size = component_sizes(g)
    n_comp = int(comp.max() + 1) if n else 0
    rows.append(("components", n_comp, "separate pieces of the map (no route between pieces)"))
    largest = int(size.max()) if n else 0
    rows.append(("largest component", largest, "elements in the biggest connected piece"))
    rows.append(("largest component share", largest / n if n else 0.0, "share of elements in the biggest piece"))
    sampled = resolve_method(method, n) == "sampled"
    if n:
        giant = g.subgraph(np.flatnonzero(comp == np.bincount(comp).argmax()).tolist())
        diam, apl, sources = _path_stats(giant, None, sampled)
    else:
        diam, apl, sources = float("nan"), float("nan"), 0
    rows.append(("diameter", diam, "most steps needed between two elements of the biggest piece"))
    rows.append(("average path length", apl, "average steps between two elements of the biggest piece"))
    weighted_sources: int | None = None
    if has_strengths and e and m.connections["Strength"].nunique() > 1:
        wd, wa, weighted_sources = _path_stats(giant, "distance", sampled)
        rows.append(("weighted diameter", wd, "longest route in the biggest piece, strong ties counting short (1/strength)"))
        rows.append(("weighted average path length", wa, "average route length with strong ties counting short"))
    if "Direction" in m.connections.columns and (m.connections["Direction"].astype(str).str.lower() == "directed").any():
        rec = gd.reciprocity(ignore_loops=True) if gd.ecount() else float("nan")
        rows.append(("reciprocity", rec, "share of one-way ties that are returned (ties both ways count as returned)"))
    clus = np.asarray(g.transitivity_local_undirected(mode="zero"), dtype=float) if n else np.zeros(0)
    rows.append(("average clustering", float(clus.mean()) if n else 0.0,
                 "on average, how many of an element's contacts are tied to each other (0-1)"))
    trans = g.transitivity_undirected() if e else 0.0
    rows.append(("transitivity", 0.0 if trans != trans else trans, "share of open triangles (A-B-C) that are closed (A-C)"))
    df = pd.DataFrame(
        {
            "value": pd.Series([r[1] for r in rows], dtype=object).to_numpy(),
            "description": [r[2] for r in rows],
        },
        index=pd.Index([r[0] for r in rows], name="measure"),
    )
    df.attrs["method"] = "sampled" if sampled else "exact"
    df.attrs["path_sources"] = sources
    if weighted_sources is not None:
        df.attrs["weighted_path_sources"] = weighted_sources
    return df


def degree_distribution(m: NetworkMap | nx.Graph) -> pd.DataFrame:
    """How many elements have each number of ties.

    Returns
    -------
    DataFrame indexed by ``degree`` with ``elements``, ``share`` and
    ``share_at_least`` (share of elements with this many ties or more).

    Examples
    --------
    >>> import networkx as nx
    >>> degree_distribution(nx.star_graph(3))["elements"].to_dict()
    {1: 3, 3: 1}
    """
    g = build_igraph(as_map(m))
    deg = pd.Series(np.asarray(g.degree(), dtype=np.int64))
    counts = deg.value_counts().sort_index()
    n = max(len(deg), 1)
    df = pd.DataFrame({"elements": counts.astype(np.int64)})
    df.index = df.index.astype(np.int64)
    df.index.name = "degree"
    df["share"] = df["elements"] / n
    df["share_at_least"] = df["elements"][::-1].cumsum()[::-1] / n
    return df
