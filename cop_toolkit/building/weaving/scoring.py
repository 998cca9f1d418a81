"""Scoring, naming and choosing the candidate pairs of :func:`cop_toolkit.building.weaving.suggest_introductions`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from cop_toolkit.building.weaving.network import (
    WeaveNetwork,
    pair_distance,
    popcount_and,
)

__all__ = ["DISTANCE_SCALE_KM", "Scores", "score_pairs", "name_kinds", "choose"]

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
    shared_n = np.zeros(len(i), dtype=np.int64)
    shared_aa = np.zeros(len(i), dtype=float)
    aa_list = net.aa_weight.tolist()
    for r, (a, b) in enumerate(zip(i.tolist(), j.tolist())):
        common = net.nbrs[a] & net.nbrs[b]
        if common:
            shared_n[r] = len(common)
            shared_aa[r] = sum(aa_list[x] for x in common)
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
