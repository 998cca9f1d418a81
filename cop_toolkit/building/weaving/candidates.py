"""Candidate pairs for :func:`cop_toolkit.building.weaving.suggest_introductions`, found without trying every pair.

Each way of finding pairs gives arrays of positions ``(a, b)``; the first way
to find a pair names how it was found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cop_toolkit.analysis.engine import tied_codes
from cop_toolkit.building.sharing import near_pairs
from cop_toolkit.building.weaving.network import (
    WeaveNetwork,
    in_sorted,
    pair_distance,
    popcount_and,
)
from cop_toolkit.core.model import NetworkMap

__all__ = [
    "SEED", "HUB_SAMPLE", "TRIANGLE_BLOCK", "AMBASSADORS", "NEEDS_OFFERS_SAMPLE", "NEAR_PAIRS_PER_ELEMENT",
    "open_triangles", "periphery_to_core", "bridges", "needs_and_offers", "nearby_needs_and_offers",
    "candidate_pairs",
]

#: Seed of the samples below, so the same map always gives the same suggestions.
SEED = 42
#: A contact with more neighbours than this contributes a random sample of this
#: many of them to the open triangles (a pan-London hub would otherwise pair everyone).
HUB_SAMPLE = 60
#: The best-connected members of each cluster paired with those of every other cluster.
AMBASSADORS = 3
#: At most this many needers and this many givers of one item are paired.
NEEDS_OFFERS_SAMPLE = 25
#: Nearby needs-and-offers pairs kept, per element on the map (the nearest first).
NEAR_PAIRS_PER_ELEMENT = 50

_EMPTY = np.empty(0, dtype=np.int64)
Pairs = tuple[np.ndarray, np.ndarray]


def _as_pairs(a: object, b: object) -> Pairs:
    return np.asarray(a, dtype=np.int64).ravel(), np.asarray(b, dtype=np.int64).ravel()


#: Open-triangle candidates are worked out this many (element, contact-of-contact) entries
#: at a time, so memory stays bounded on a London-scale map (the result is the same).
TRIANGLE_BLOCK = 1_000_000


def open_triangles(net: WeaveNetwork, rng: np.random.Generator, max_candidates: int) -> Pairs:
    """Neighbours of neighbours not yet tied, the best ``max_candidates`` per element.

    Pairs are ranked by the Adamic-Adar sum of their shared contacts; a
    contact with more than :data:`HUB_SAMPLE` neighbours contributes a sample.
    Elements are taken in blocks of about :data:`TRIANGLE_BLOCK` entries, so
    memory stays bounded whatever the map's size; the pairs found do not depend
    on the block size.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "h"], "Label": ["A", "B", "H"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["h", "h"]}))
    >>> a, b = open_triangles(weave_network(m), np.random.default_rng(SEED), 30)
    >>> list(zip(a.tolist(), b.tolist()))
    [(0, 1), (1, 0)]
    """
    n, degree = net.n, net.degree
    if not n:
        return _EMPTY, _EMPTY
    indptr, indices, codes = net.neighbour_arrays
    sampled = [
        indices[indptr[k] : indptr[k + 1]] if degree[k] <= HUB_SAMPLE
        else np.sort(rng.choice(indices[indptr[k] : indptr[k + 1]], size=HUB_SAMPLE, replace=False))
        for k in range(n)
    ]
    seg_len = np.minimum(degree, HUB_SAMPLE)
    walk = _Walk(n, np.concatenate(sampled), np.r_[0, np.cumsum(seg_len)], seg_len, indices, indptr, codes)
    # entries each element brings (its eligible ones only), to cut the elements into blocks
    per_element = np.bincount(np.repeat(np.arange(n), degree), weights=seg_len[walk.ev], minlength=n).astype(np.int64)
    per_element[~net.eligible] = 0
    cum = np.cumsum(per_element)
    a_parts, b_parts = [], []
    lo = 0
    while lo < n:
        base = cum[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(cum, base + TRIANGLE_BLOCK, side="right")))
        a, b = _open_triangles_of(net, walk, lo, min(hi, n), max_candidates)
        a_parts.append(a)
        b_parts.append(b)
        lo = hi
    return np.concatenate(a_parts), np.concatenate(b_parts)


@dataclass
class _Walk:
    """The arrays :func:`open_triangles` walks: sampled neighbour lists and full ones (CSR), tie codes."""

    n: int
    flat: np.ndarray  # sampled neighbours, one list after another
    ptr: np.ndarray  # where each element's sampled list starts in ``flat``
    seg_len: np.ndarray  # how long it is
    ev: np.ndarray  # every neighbour, element by element (element k's are ev[eptr[k]:eptr[k + 1]])
    eptr: np.ndarray
    adjacency_codes: np.ndarray  # sorted ``k * n + neighbour`` codes of the ties


def _open_triangles_of(net: WeaveNetwork, w: _Walk, lo: int, hi: int, max_candidates: int) -> Pairs:
    """:func:`open_triangles` for the elements ``lo`` to ``hi - 1`` (best first for each)."""
    n, eligible = w.n, net.eligible
    eu = np.repeat(np.arange(lo, hi), net.degree[lo:hi])
    ev = w.ev[w.eptr[lo] : w.eptr[hi]]
    keep_e = eligible[eu]
    eu, ev = eu[keep_e], ev[keep_e]
    lens = w.seg_len[ev]
    total = int(lens.sum())
    if not total:
        return _EMPTY, _EMPTY
    starts = np.repeat(w.ptr[ev] - np.r_[0, np.cumsum(lens)[:-1]], lens)
    x = w.flat[starts + np.arange(total)]
    u = np.repeat(eu, lens)
    wgt = np.repeat(net.aa_weight[ev], lens)
    ok = (x != u) & eligible[x]
    uniq, inv = np.unique(u[ok] * n + x[ok], return_inverse=True)
    sums = np.bincount(inv.ravel(), weights=wgt[ok])
    codes = w.adjacency_codes[np.searchsorted(w.adjacency_codes, lo * n) : np.searchsorted(w.adjacency_codes, hi * n)]
    untied = ~in_sorted(uniq, codes)  # pairs already tied are no candidates
    uniq, sums = uniq[untied], sums[untied]
    uu = uniq // n
    order = np.lexsort((uniq % n, -sums, uu))
    uu_o = uu[order]
    first = np.r_[0, np.flatnonzero(uu_o[1:] != uu_o[:-1]) + 1]
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    best = order[rank < max_candidates]
    return uniq[best] // n, uniq[best] % n


def periphery_to_core(net: WeaveNetwork) -> Pairs:
    """Every element with at most one tie paired with every element of the core.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> m = NetworkMap(pd.DataFrame({"ID": list("abcd"), "Label": list("ABCD")}),
    ...                pd.DataFrame({"From": ["a", "b", "c"], "To": ["b", "c", "a"]}))
    >>> a, b = periphery_to_core(weave_network(m))
    >>> a.tolist(), b.tolist()
    ([3, 3, 3], [0, 1, 2])
    """
    per = np.flatnonzero(net.peripheral)
    if not (len(per) and net.core):
        return _EMPTY, _EMPTY
    return np.repeat(per, len(net.core)), np.tile(np.array(net.core), len(per))


def bridges(net: WeaveNetwork) -> Pairs:
    """The best-connected members (:data:`AMBASSADORS`) of each cluster paired across clusters.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> m = NetworkMap(pd.DataFrame({"ID": list("abcdef"), "Label": list("ABCDEF")}),
    ...     pd.DataFrame({"From": ["a", "b", "c", "d", "e", "f"], "To": ["b", "c", "a", "e", "f", "d"]}))
    >>> a, b = bridges(weave_network(m))
    >>> len(a)
    9
    """
    ambassadors: dict[int, list[int]] = {}
    for k in net.by_degree:
        if net.cluster[k] >= 0 and len(ambassadors.setdefault(int(net.cluster[k]), [])) < AMBASSADORS:
            ambassadors[int(net.cluster[k])].append(k)
    keys = sorted(ambassadors)
    bi, bj = [], []
    for x_ in range(len(keys)):
        for y_ in range(x_ + 1, len(keys)):
            for a in ambassadors[keys[x_]]:
                for b in ambassadors[keys[y_]]:
                    bi.append(a)
                    bj.append(b)
    return _as_pairs(bi, bj)


def needs_and_offers(net: WeaveNetwork, rng: np.random.Generator) -> list[Pairs]:
    """For each item, its needers paired with its givers (at most :data:`NEEDS_OFFERS_SAMPLE` of each).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"],
    ...                              "Needs": ["room hire", None], "Offers": [None, "meeting space"]}))
    >>> [(a.tolist(), b.tolist()) for a, b in needs_and_offers(weave_network(m), np.random.default_rng(SEED))]
    [([0], [1])]
    """
    needers: dict[str, list[int]] = {}
    givers: dict[str, list[int]] = {}
    for k in np.flatnonzero(net.eligible):
        for t in net.needs[k]:
            needers.setdefault(t, []).append(int(k))
        for t in net.gives[k]:
            givers.setdefault(t, []).append(int(k))
    out = []
    for t in sorted(needers):
        if t not in givers:
            continue
        a_list, b_list = np.array(needers[t]), np.array(givers[t])
        if len(a_list) > NEEDS_OFFERS_SAMPLE:
            a_list = rng.choice(a_list, size=NEEDS_OFFERS_SAMPLE, replace=False)
        if len(b_list) > NEEDS_OFFERS_SAMPLE:
            b_list = rng.choice(b_list, size=NEEDS_OFFERS_SAMPLE, replace=False)
        out.append(_as_pairs(np.repeat(a_list, len(b_list)), np.tile(b_list, len(a_list))))
    return out


def nearby_needs_and_offers(net: WeaveNetwork, within_km: float) -> Pairs:
    """Pairs at most ``within_km`` apart where one can meet a need of the other.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Borough": ["Hackney"] * 2,
    ...                              "Needs": ["room hire", None], "Offers": [None, "meeting space"]}))
    >>> a, b = nearby_needs_and_offers(weave_network(m), 3.0)
    >>> a.tolist(), b.tolist()
    ([0], [1])
    """
    n = net.n
    la = net.lat.copy()
    active = net.eligible & np.array([bool(x_) or bool(y_) for x_, y_ in zip(net.needs, net.gives)], dtype=bool)
    la[~active] = np.nan
    i, j = near_pairs(la, net.lon, float(within_km))
    if not len(i):
        return _EMPTY, _EMPTY
    k = popcount_and(net.need_bits[i], net.give_bits[j]) + popcount_and(net.give_bits[i], net.need_bits[j])
    i, j = i[k > 0], j[k > 0]
    if len(i) > NEAR_PAIRS_PER_ELEMENT * max(n, 1):
        d = np.asarray(pair_distance(net, i, j))
        keep = np.argsort(d, kind="stable")[: NEAR_PAIRS_PER_ELEMENT * n]
        i, j = i[keep], j[keep]
    return i, j


def _found(net: WeaveNetwork, focus: int | None, max_candidates: int, within_km: float) -> list[tuple[Pairs, str]]:
    """Every way's pairs and its name, in the order the ways are tried."""
    if focus is not None:
        return [((np.full(net.n, focus, dtype=np.int64), np.arange(net.n, dtype=np.int64)), "focus")]
    rng = np.random.default_rng(SEED)
    found = [
        (open_triangles(net, rng, max_candidates), "open triangle"),
        (periphery_to_core(net), "periphery to core"),
        (bridges(net), "bridge"),
    ]
    found += [(pairs, "needs and offers") for pairs in needs_and_offers(net, rng)]
    if within_km and within_km > 0:
        found.append((nearby_needs_and_offers(net, within_km), "needs and offers"))
    return found


def candidate_pairs(
    m: NetworkMap, net: WeaveNetwork, *, focus: int | None = None, max_candidates: int = 30, within_km: float = 3.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate pairs ``(i, j, found_by)`` with ``i < j``, both eligible and not tied in ``m``.

    With ``focus`` (a position) every other element is paired with it.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "h"], "Label": ["A", "B", "H"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["h", "h"]}))
    >>> i, j, how = candidate_pairs(m, weave_network(m))
    >>> i.tolist(), j.tolist(), how.tolist()
    ([0], [1], ['open triangle'])
    """
    n = net.n
    found = _found(net, focus, max_candidates, within_km)
    ci = np.concatenate([np.asarray(a, dtype=np.int64) for (a, _), _how in found])
    cj = np.concatenate([np.asarray(b, dtype=np.int64) for (_, b), _how in found])
    how = np.concatenate([np.full(len(a), name, dtype=object) for (a, _), name in found])
    lo, hi = np.minimum(ci, cj), np.maximum(ci, cj)
    ok = (lo != hi) & net.eligible[lo] & net.eligible[hi]
    lo, hi, how = lo[ok], hi[ok], how[ok]
    code = lo * n + hi
    ok = ~in_sorted(code, tied_codes(m, net.ids))
    code, how = code[ok], how[ok]
    code, first_seen = np.unique(code, return_index=True)
    return code // n, code % n, how[first_seen]
