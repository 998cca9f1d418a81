"""Scoring, naming and choosing the candidate pairs of :func:`cop_toolkit.building.weaving.suggest_introductions`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from cop_toolkit.building.weaving.network import (
    WeaveNetwork,
    in_sorted,
    pair_distance,
    popcount_and,
)

__all__ = ["DISTANCE_SCALE_KM", "SHARED_BLOCK", "Scores", "score_pairs", "shared_contacts", "name_kinds", "choose"]

#: The distance part of the score is exp(-km / DISTANCE_SCALE_KM): 1 at the same spot, about 0.37 at 3 km.
DISTANCE_SCALE_KM = 3.0


@dataclass
class Scores:
    """What each candidate pair has going for it (one entry per pair).

    Attributes
    ----------
    shared_n : how many shared contacts.
    complementary : how many needs one could meet for the other.
    different_clusters : True when the two are in different clusters.
    distance : kilometres apart (NaN when unknown).
    parts : the four parts of the score, each 0-1 (keys of :data:`DEFAULT_WEIGHTS`).
    score : the weighted average of the parts.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cop_toolkit.building.weaving.network import DEFAULT_WEIGHTS, weave_network
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "h"], "Label": ["A", "B", "H"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["h", "h"]}))
    >>> s = score_pairs(weave_network(m), np.array([0]), np.array([1]), DEFAULT_WEIGHTS)
    >>> s.shared_n.tolist(), s.different_clusters.tolist()
    ([1], [False])
    """

    shared_n: np.ndarray
    complementary: np.ndarray
    different_clusters: np.ndarray
    distance: np.ndarray
    parts: dict[str, np.ndarray]
    score: np.ndarray


def score_pairs(net: WeaveNetwork, i: np.ndarray, j: np.ndarray, weights: dict[str, float]) -> Scores:
    """Score the pairs ``(i, j)``: shared contacts, needs and offers, bridging and distance.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cop_toolkit.building.weaving.network import DEFAULT_WEIGHTS, weave_network
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "h"], "Label": ["A", "B", "H"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["h", "h"]}))
    >>> round(float(score_pairs(weave_network(m), np.array([0]), np.array([1]), DEFAULT_WEIGHTS).score[0]), 3)
    0.244
    """
    shared_n, shared_aa = shared_contacts(net, i, j)
    complementary = popcount_and(net.need_bits[i], net.give_bits[j]) + popcount_and(net.give_bits[i], net.need_bits[j])
    cluster, degree = net.cluster, net.degree
    diff_cluster = (cluster[i] != cluster[j]) & (cluster[i] >= 0) & (cluster[j] >= 0)
    dependence = np.maximum(1.0 / np.maximum(degree[i], 1), 1.0 / np.maximum(degree[j], 1))
    dist = np.asarray(pair_distance(net, i, j), dtype=float)
    parts = {
        "shared": shared_aa / (1.0 + shared_aa),
        "needs_offers": complementary / (1.0 + complementary),
        "bridging": 0.5 * diff_cluster + 0.5 * dependence,
        "distance": np.where(np.isnan(dist), 0.0, np.exp(-np.nan_to_num(dist) / DISTANCE_SCALE_KM)),
    }
    score = sum(weights[k] * parts[k] for k in parts) / sum(weights.values())
    return Scores(shared_n, complementary, diff_cluster, dist, parts, score)


#: Shared contacts are counted this many (pair, contact) entries at a time, so memory stays bounded.
SHARED_BLOCK = 1_000_000


def shared_contacts(net: WeaveNetwork, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many contacts each pair ``(i, j)`` shares, and the Adamic-Adar sum of their weights.

    Each contact of the less-connected of the two is looked up among the
    other's (binary search over the sorted ties), in blocks of about
    :data:`SHARED_BLOCK` entries, so a London-scale map's millions of
    candidate pairs are scored in seconds and bounded memory.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "h", "k"], "Label": ["A", "B", "H", "K"]}),
    ...                pd.DataFrame({"From": ["a", "b", "a", "b"], "To": ["h", "h", "k", "k"]}))
    >>> count, aa = shared_contacts(weave_network(m), np.array([0, 0]), np.array([1, 2]))
    >>> count.tolist(), [round(x, 3) for x in aa.tolist()]
    ([2, 0], [1.82, 0.0])
    """
    indptr, indices, codes = net.neighbour_arrays
    n = net.n
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    small = np.where(net.degree[i] <= net.degree[j], i, j)  # walk the shorter list
    other = np.where(net.degree[i] <= net.degree[j], j, i)
    lens = net.degree[small]
    cum = np.cumsum(lens)
    count = np.zeros(len(i), dtype=np.int64)
    total = np.zeros(len(i), dtype=float)
    lo = 0
    while lo < len(i):
        base = cum[lo - 1] if lo else 0
        hi = min(len(i), max(lo + 1, int(np.searchsorted(cum, base + SHARED_BLOCK, side="right"))))
        ln = lens[lo:hi]
        rows = np.repeat(np.arange(lo, hi), ln)
        x = indices[np.repeat(indptr[small[lo:hi]] - np.r_[0, np.cumsum(ln)[:-1]], ln) + np.arange(int(ln.sum()))]
        hit = in_sorted(other[rows] * n + x, codes)
        count[lo:hi] = np.bincount(rows[hit] - lo, minlength=hi - lo)
        total[lo:hi] = np.bincount(rows[hit] - lo, weights=net.aa_weight[x[hit]], minlength=hi - lo)
        lo = hi
    return count, total


def name_kinds(
    net: WeaveNetwork, i: np.ndarray, j: np.ndarray, scores: Scores, found_by: np.ndarray
) -> np.ndarray:
    """The kind of each introduction (see :data:`KINDS`).

    Shared contacts make an open triangle; else a pair found as periphery to
    core stays so; else different clusters make a bridge; else it is needs and
    offers, unless it links an element with at most one tie to the core.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cop_toolkit.building.weaving.network import DEFAULT_WEIGHTS, weave_network
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "h"], "Label": ["A", "B", "H"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["h", "h"]}))
    >>> net, i, j = weave_network(m), np.array([0]), np.array([1])
    >>> name_kinds(net, i, j, score_pairs(net, i, j, DEFAULT_WEIGHTS), np.array(["open triangle"])).tolist()
    ['open triangle']
    """
    kind = np.where(
        scores.shared_n > 0,
        "open triangle",
        np.where(
            found_by == "periphery to core",
            "periphery to core",
            np.where(scores.different_clusters, "bridge", "needs and offers"),
        ),
    ).astype(object)
    peripheral, in_core = net.peripheral, net.in_core
    kind[(kind == "needs and offers") & ((peripheral[i] & in_core[j]) | (peripheral[j] & in_core[i]))] = (
        "periphery to core"
    )
    return kind


def choose(
    i: np.ndarray,
    j: np.ndarray,
    score: np.ndarray,
    kind: np.ndarray,
    *,
    kinds: set[str] | None = None,
    top: int | None = None,
    per_element: int | None = None,
) -> np.ndarray:
    """Positions of the pairs to suggest, best first (ties broken by position).

    A pair with a score of 0 is never suggested. ``per_element`` keeps a pair
    while either element has fewer than that many; otherwise the first ``top``.

    Examples
    --------
    >>> import numpy as np
    >>> choose(np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.2, 0.5, 0.0]),
    ...        np.array(["bridge"] * 3, dtype=object)).tolist()
    [1, 0]
    """
    keep = np.ones(len(i), dtype=bool)
    if kinds is not None:
        keep &= np.isin(kind, list(kinds))
    keep &= score > 0
    sel = np.flatnonzero(keep)
    order = sel[np.lexsort((j[sel], i[sel], -score[sel]))]
    if per_element is not None:
        taken: Counter[int] = Counter()
        chosen = []
        for r in order:
            a, b = int(i[r]), int(j[r])
            if taken[a] < per_element or taken[b] < per_element:
                chosen.append(r)
                taken[a] += 1
                taken[b] += 1
        return np.array(chosen, dtype=np.int64)
    if top is not None:
        return order[:top]
    return order
