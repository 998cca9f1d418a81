"""Merging parallel connections into ties: the one rule every graph of a map follows.

Two elements joined by several connections are joined by one *tie*:

* ``weight`` -- the summed ``Strength`` of the connections (1 where blank);
* ``distance`` -- ``1 / weight`` (1 where the weight is not positive), for
  shortest paths, betweenness and closeness;
* ``Type`` -- the connections' types, sorted and ``|``-separated;
* ``n_connections`` -- how many connections were merged.

Self-links are left out. In a directed graph a ``directed`` connection is one
arc and any other (undirected, mutual, blank) is two arcs, one each way; in an
undirected graph each pair is one tie, whatever the directions.
:meth:`~cop_toolkit.core.model.NetworkMap.to_networkx`, the fast igraph engine
(:func:`cop_toolkit.analysis.engine.edge_table`) and map comparison all use
:func:`merge_parallel_ties`, so they always agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cop_toolkit.core.text import SEP

__all__ = ["merge_parallel_ties"]

_INT_COLUMNS = ("source", "target", "n_connections", "first")


def _ends(connections: pd.DataFrame, ids: Sequence[str] | np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The element IDs and each connection's two ends as positions in them (-1 when unknown)."""
    frm = connections["From"].astype(str).to_numpy(dtype=object)
    to = connections["To"].astype(str).to_numpy(dtype=object)
    if ids is None:
        ids = np.unique(np.concatenate([frm, to])) if len(frm) else np.array([], dtype=object)
    ids = np.asarray(ids, dtype=object)
    index = pd.Index(ids)
    return ids, index.get_indexer(frm), index.get_indexer(to)


def _arcs(connections: pd.DataFrame, u: np.ndarray, v: np.ndarray, directed: bool) -> tuple[np.ndarray, ...]:
    """Source, target, strength and row of every arc (undirected: low position first)."""
    if "Strength" in connections.columns:
        w = pd.to_numeric(connections["Strength"], errors="coerce").fillna(1.0).to_numpy(dtype=float)
    else:
        w = np.ones(len(connections))
    rows = np.arange(len(connections), dtype=np.int64)
    keep = (u >= 0) & (v >= 0) & (u != v)
    if not directed:
        return np.minimum(u, v)[keep], np.maximum(u, v)[keep], w[keep], rows[keep]
    if "Direction" in connections.columns:
        one_way = connections["Direction"].fillna("").astype(str).str.lower().to_numpy() == "directed"
    else:
        one_way = np.zeros(len(connections), dtype=bool)
    both = keep & ~one_way
    return (
        np.concatenate([u[keep], v[both]]),
        np.concatenate([v[keep], u[both]]),
        np.concatenate([w[keep], w[both]]),
        np.concatenate([rows[keep], rows[both]]),
    )


def _joined_types(connections: pd.DataFrame, rows: np.ndarray, which: np.ndarray, n_ties: int) -> np.ndarray:
    """The sorted, ``|``-joined distinct types of each tie (NaN where none)."""
    out = np.full(n_ties, np.nan, dtype=object)
    if "Type" not in connections.columns or not len(rows):
        return out
    types = connections["Type"].to_numpy(dtype=object)[rows]
    present = ~pd.isna(types)
    if not present.any():
        return out
    found = pd.DataFrame({"tie": which[present], "Type": types[present].astype(str)})
    found = found[found["Type"].str.strip().ne("")].drop_duplicates().sort_values(["tie", "Type"])
    joined = found.groupby("tie", sort=False)["Type"].agg(SEP.join)
    out[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
    return out


def merge_parallel_ties(
    connections: pd.DataFrame,
    *,
    directed: bool = False,
    ids: Sequence[str] | np.ndarray | None = None,
    types: bool = True,
) -> pd.DataFrame:
    """Merge a connection table into one row per tie (see the module notes for the rules).

    Parameters
    ----------
    connections : a table with ``From`` and ``To`` (element IDs) and optionally
        ``Strength``, ``Type`` and ``Direction``.
    directed : one row per arc (``directed`` connections one way, others both
        ways) instead of one per pair of elements.
    ids : the element IDs, in order; connections to other IDs are left out.
        Default: every ID a connection names, sorted.
    types : also list each tie's types in ``Type`` (leave out on big maps
        when they are not needed).

    Returns
    -------
    DataFrame sorted by ``source`` then ``target`` with ``source``, ``target``
    (positions in ``ids``; in an undirected table ``source`` is the lower),
    ``From``, ``To`` (the IDs), ``weight``, ``distance``, ``n_connections``,
    ``first`` (row of the first connection merged into the tie, to keep the
    table's order) and, with ``types``, ``Type`` (NaN where none).

    Examples
    --------
    >>> import pandas as pd
    >>> conns = pd.DataFrame({"From": ["a", "b", "a"], "To": ["b", "a", "a"],
    ...                       "Strength": [2, None, 5], "Type": ["Funding", "Referral", None]})
    >>> merge_parallel_ties(conns)[["From", "To", "weight", "distance", "Type", "n_connections"]]
      From To  weight  distance              Type  n_connections
    0    a  b     3.0  0.333333  Funding|Referral              2
    >>> len(merge_parallel_ties(conns, directed=True))
    2
    """
    ids, u, v = _ends(connections, ids)
    src, dst, wt, rows = _arcs(connections, u, v, directed)
    n = np.int64(max(len(ids), 1))
    # one key per (source, target) pair, in sorted order
    pairs, which = np.unique(src.astype(np.int64) * n + dst.astype(np.int64), return_inverse=True)
    weight = np.bincount(which, weights=wt, minlength=len(pairs)).astype(float)
    first = np.full(len(pairs), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, which, rows)
    source, target = (pairs // n).astype(np.int64), (pairs % n).astype(np.int64)
    ties = pd.DataFrame({
        "source": source,
        "target": target,
        "From": pd.Series(ids[source], dtype=object),
        "To": pd.Series(ids[target], dtype=object),
        "weight": weight,
        "distance": np.where(weight > 0, 1.0 / np.where(weight > 0, weight, 1.0), 1.0),
        "n_connections": np.bincount(which, minlength=len(pairs)).astype(np.int64),
        "first": first,
    })
    if types:
        ties["Type"] = _joined_types(connections, rows, which, len(pairs))
    return ties
