"""A deterministic, London-scale synthetic civil-society map for benchmarks.

``london_map(n)`` returns a :class:`cop_toolkit.NetworkMap` shaped like London's
civil society: 33 borough blocks of very different sizes, each with a
borough network and a CVS; community groups and social enterprises with a
heavy-tailed number of ties (a few very well connected, most with a handful);
a small set of pan-London hubs tied to elements in every borough; about 85%
of ties inside a borough. Average degree is about 16 (the top of the 8-16 range; ~960,000 ties at 120,000 elements). Same ``n`` and
``seed`` give the same map.

Run ``python benchmarks/london_map.py 10000`` to print a summary.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from cop_toolkit.core.model import NetworkMap

BOROUGH_CODES = [f"E090000{i:02d}" for i in range(1, 34)]
CONNECTION_TYPES = ["Partnership", "Referral", "Information sharing", "Funding", "Shared premises"]


def london_map(n: int = 10_000, *, avg_degree: float = 16.0, seed: int = 2017) -> NetworkMap:
    """Return a synthetic London map with ``n`` elements and about ``n * avg_degree / 2`` ties.

    >>> m = london_map(500)
    >>> len(m), 8 <= 2 * len(m.connections) / len(m) <= 16
    (500, True)
    """
    rng = np.random.default_rng(seed)
    n_hubs = max(5, n // 2000)
    # borough sizes vary about fourfold
    share = rng.uniform(1.0, 4.0, size=33)
    share /= share.sum()
    borough = rng.choice(33, size=n, p=share)
    borough[:n_hubs] = rng.integers(0, 33, size=n_hubs)  # hubs still have a home borough
    # heavy-tailed "sociability" (Pareto, exponent ~2.3) drives a Chung-Lu model
    fitness = rng.pareto(1.5, size=n) + 1.0
    fitness = np.minimum(fitness, n ** 0.5)
    types = rng.choice(
        ["Community group", "Social enterprise", "Person", "Funder", "Public body"],
        size=n,
        p=[0.72, 0.14, 0.08, 0.03, 0.03],
    ).astype(object)
    level = np.full(n, "grassroots", dtype=object)
    level[np.isin(types, ["Funder", "Public body"])] = "borough"
    # one borough network and one CVS per borough (the best-connected non-hub elements there)
    order = np.lexsort((-fitness, borough))
    first = np.flatnonzero(np.r_[True, borough[order][1:] != borough[order][:-1]])
    for pos, kind in ((0, "Borough network"), (1, "CVS")):
        idx = order[np.minimum(first + pos, n - 1)]
        idx = idx[idx >= n_hubs]
        types[idx] = kind
        level[idx] = "borough"
        fitness[idx] *= 8
    types[:n_hubs] = "Pan-London body"
    level[:n_hubs] = "pan-London"

    m_target = int(round(n * avg_degree / 2))
    sizes = np.bincount(borough, minlength=33)
    p_all = fitness / fitness.sum()
    hub_weight = rng.pareto(2.0, size=n_hubs) + 1.0
    members_of = [np.flatnonzero(borough == b) for b in range(33)]
    p_local = [fitness[mb] / fitness[mb].sum() if len(mb) else None for mb in members_of]

    def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
        m_local = int(count * 0.85)
        m_hub = int(count * 0.05)
        m_cross = count - m_local - m_hub
        src_parts, dst_parts = [], []
        per_borough = rng.multinomial(m_local, sizes / n)  # Chung-Lu inside each borough
        for b in range(33):
            if len(members_of[b]) < 2 or per_borough[b] == 0:
                continue
            src_parts.append(rng.choice(members_of[b], size=per_borough[b], p=p_local[b]))
            dst_parts.append(rng.choice(members_of[b], size=per_borough[b], p=p_local[b]))
        src_parts.append(rng.choice(n, size=m_cross, p=p_all))
        dst_parts.append(rng.choice(n, size=m_cross, p=p_all))
        src_parts.append(rng.choice(n_hubs, size=m_hub, p=hub_weight / hub_weight.sum()))
        dst_parts.append(rng.choice(n, size=m_hub))
        return np.concatenate(src_parts), np.concatenate(dst_parts)

    # draw until enough distinct pairs, then keep a random m_target of them
    found = np.zeros((0, 2), dtype=np.int64)
    batch = m_target
    for _ in range(20):
        src, dst = draw(batch)
        a, b_ = np.minimum(src, dst), np.maximum(src, dst)
        keep = a != b_
        found = np.unique(np.concatenate([found, np.stack([a[keep], b_[keep]], axis=1)]), axis=0)
        if len(found) >= m_target:
            break
        batch = max(1000, 2 * (m_target - len(found)))
    pairs = found[np.sort(rng.choice(len(found), size=min(m_target, len(found)), replace=False))]

    ids = np.array([f"org{i:06d}" for i in range(n)], dtype=object)
    elements = pd.DataFrame(
        {
            "ID": ids,
            "Label": [f"Organisation {i}" for i in range(n)],
            "Type": types,
            "Level": level,
            "Borough": np.array(BOROUGH_CODES, dtype=object)[borough],
        }
    )
    for i in range(n_hubs):
        elements.loc[i, "Label"] = f"Pan-London Hub {i + 1}"
    k = len(pairs)
    ctype = rng.choice(CONNECTION_TYPES, size=k).astype(object)
    is_member = (types[pairs[:, 1]] != "Community group") & (rng.random(k) < 0.3)
    ctype[is_member] = "Membership"
    connections = pd.DataFrame(
        {
            "ID": np.char.add("c", np.arange(1, k + 1).astype(str)).astype(object),
            "From": ids[pairs[:, 0]],
            "To": ids[pairs[:, 1]],
            "Type": ctype,
            "Direction": np.where(is_member, "directed", "undirected").astype(object),
            "Strength": rng.integers(1, 6, size=k).astype(float),
        }
    )
    return NetworkMap(elements, connections, metadata={"name": f"Synthetic London ({n:,} elements)"})


if __name__ == "__main__":  # pragma: no cover
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    mp = london_map(size)
    deg = np.bincount(pd.concat([mp.connections["From"], mp.connections["To"]]).str[3:].astype(int), minlength=size)
    print(mp, f"average degree {deg.mean():.1f}, max {deg.max()}, median {np.median(deg):.0f}")
