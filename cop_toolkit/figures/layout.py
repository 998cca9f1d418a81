"""Where each element sits on a network picture: a seeded, saveable layout.

A map looks the same every time it is drawn: positions come from a seeded
force-directed layout (igraph's Fruchterman–Reingold), can be saved into the
map's ``X`` and ``Y`` columns with :func:`save_layout`, and are reused next
time. After small edits, elements that already have a position keep it and
new elements are placed next to the neighbours they are connected to.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import edge_table, seeded_igraph

if TYPE_CHECKING:  # pragma: no cover
    from cop_toolkit.core.model import NetworkMap

__all__ = ["layout_positions", "save_layout", "positions_for", "layout_rounds", "LAYOUT_ROUNDS", "LAYOUT_FULL", "LAYOUT_MIN_ROUNDS"]


def _jitter(element_id: str, seed: int, scale: float) -> tuple[float, float]:
    """A small, repeatable offset for an element (same ID + seed -> same offset)."""
    digest = hashlib.sha256(f"{seed}:{element_id}".encode()).digest()
    angle = int.from_bytes(digest[:4], "big") / 2**32 * 2 * math.pi
    radius = scale * (0.5 + int.from_bytes(digest[4:8], "big") / 2**32 * 0.5)
    return radius * math.cos(angle), radius * math.sin(angle)


#: A fresh layout makes this many rounds of moves on maps up to :data:`LAYOUT_FULL` elements...
LAYOUT_ROUNDS = 500
#: ...and above that fewer, in proportion (at least :data:`LAYOUT_MIN_ROUNDS`), so its time stays bounded.
LAYOUT_FULL = 20_000
LAYOUT_MIN_ROUNDS = 50


def layout_rounds(n: int) -> int:
    """Rounds of the force-directed layout for an ``n``-element map (fewer on very large maps).

    Each round costs time in proportion to the map's size, so above
    :data:`LAYOUT_FULL` elements the rounds shrink to keep the whole layout
    within the time of a 20,000-element one (the picture is then rougher);
    the fresh layout's ``attrs["rounds"]`` says how many were made.

    Examples
    --------
    >>> layout_rounds(10_000), layout_rounds(120_000)
    (500, 83)
    """
    if n <= LAYOUT_FULL:
        return LAYOUT_ROUNDS
    return max(LAYOUT_MIN_ROUNDS, LAYOUT_ROUNDS * LAYOUT_FULL // n)


def _fresh_layout(m: NetworkMap, seed: int) -> pd.DataFrame:
    import igraph as ig  # deferred: heavy

    ids_in_order, ties = edge_table(m)  # the ties of m.to_networkx(): parallel ones merged, weight summed
    ids = [str(i) for i in ids_in_order]
    edges = ties[["source", "target"]].to_numpy(dtype=np.int64).tolist()
    weights = ties["weight"].to_numpy(dtype=float).tolist()
    g = ig.Graph(n=len(ids), edges=edges)
    if not ids:
        return pd.DataFrame({"X": [], "Y": []}, index=pd.Index([], name="ID"))
    if len(ids) == 1:
        coords = [[0.0, 0.0]]
    else:
        w = [min(x, 5.0) for x in weights] if weights else None
        with seeded_igraph(seed):
            coords = g.layout_fruchterman_reingold(weights=w, niter=layout_rounds(len(ids)), grid="auto").coords
    xy = np.asarray(coords, dtype=float)
    # Elements with no connection would be flung far out, shrinking the rest:
    # put them on a ring just outside the connected part instead.
    lonely = np.asarray(g.degree()) == 0
    if lonely.any() and not lonely.all():
        centre = xy[~lonely].mean(axis=0)
        radius = float(np.sqrt(((xy[~lonely] - centre) ** 2).sum(axis=1)).max()) * 1.08 or 1.0
        angles = 2 * np.pi * np.arange(int(lonely.sum())) / int(lonely.sum())
        xy[lonely] = centre + radius * np.column_stack([np.cos(angles), np.sin(angles)])
    xy -= xy.mean(axis=0)
    span = float(np.abs(xy).max()) or 1.0
    xy /= span
    out = pd.DataFrame({"X": xy[:, 0].round(4), "Y": xy[:, 1].round(4)}, index=pd.Index(ids, name="ID"))
    out.attrs["rounds"] = layout_rounds(len(ids))
    return out


def layout_positions(m: NetworkMap, seed: int = 42, *, keep_saved: bool = True) -> pd.DataFrame:
    """Return a position (``X``, ``Y``) for every element of the map.

    Elements that already have ``X`` and ``Y`` in the map keep them (unless
    ``keep_saved=False``); new elements are placed beside the elements they
    are connected to; elements with no placed neighbour go on a ring just
    outside the picture. With no saved positions at all a fresh seeded
    layout is made: the same map and seed always give the same picture.

    Parameters
    ----------
    m : the map.
    seed : seed of the layout (change it to get a different arrangement).
    keep_saved : reuse positions saved in the map's ``X``/``Y`` columns.

    Returns
    -------
    DataFrame indexed by ``ID`` with ``X`` and ``Y`` (roughly between -1 and 1).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"]}))
    >>> pos = layout_positions(m)
    >>> list(pos.columns), len(pos)
    (['X', 'Y'], 3)
    >>> pos.equals(layout_positions(m))
    True
    """
    ids = [str(i) for i in m.elements["ID"]]
    saved = pd.DataFrame(index=pd.Index(ids, name="ID"), columns=["X", "Y"], dtype=float)
    if keep_saved and {"X", "Y"} <= set(m.elements.columns):
        xy = m.elements[["X", "Y"]].apply(pd.to_numeric, errors="coerce")
        xy.index = pd.Index(ids, name="ID")
        saved = xy.astype(float)
    known = saved.dropna()
    if known.empty:
        return _fresh_layout(m, seed)
    if len(known) == len(ids):
        return saved.astype(float)
    # Place new elements next to their placed neighbours, in rounds.
    pos = {i: (float(r.X), float(r.Y)) for i, r in known.iterrows()}
    G = m.to_networkx()
    span = max(float((known["X"].max() - known["X"].min())), float(known["Y"].max() - known["Y"].min()), 1e-6)
    step = span * 0.04
    missing = [i for i in ids if i not in pos]
    while missing:
        placed_now = {}
        for e in missing:
            nbrs = [pos[n] for n in G.neighbors(e) if n in pos] if e in G else []
            if nbrs:
                cx = sum(p[0] for p in nbrs) / len(nbrs)
                cy = sum(p[1] for p in nbrs) / len(nbrs)
                dx, dy = _jitter(e, seed, step)
                placed_now[e] = (cx + dx, cy + dy)
        if not placed_now:
            break
        pos.update(placed_now)
        missing = [e for e in missing if e not in pos]
    if missing:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        radius = span * 0.6
        for k, e in enumerate(sorted(missing)):
            angle = 2 * math.pi * k / len(missing)
            pos[e] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    out = pd.DataFrame([pos[i] for i in ids], columns=["X", "Y"], index=pd.Index(ids, name="ID"))
    return out.round(4)


def save_layout(m: NetworkMap, positions: pd.DataFrame | None = None, *, seed: int = 42) -> NetworkMap:
    """Store positions in the map's ``X`` and ``Y`` columns and return the map.

    Write the map afterwards (``cop.write_map(m, path)``) and the next picture of it,
    and of later versions of it, keeps the same arrangement.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"]}))
    >>> save_layout(m).elements[["X", "Y"]].notna().all().all()
    np.True_
    """
    if positions is None:
        positions = layout_positions(m, seed=seed)
    xy = positions.reindex([str(i) for i in m.elements["ID"]])
    m.elements["X"] = pd.to_numeric(xy["X"], errors="coerce").to_numpy()
    m.elements["Y"] = pd.to_numeric(xy["Y"], errors="coerce").to_numpy()
    return m


def positions_for(m: NetworkMap, layout: pd.DataFrame | dict | None = None, seed: int = 42) -> pd.DataFrame:
    """Positions to draw with: a given layout (table or ``{id: (x, y)}``) or the map's own.

    Elements missing from ``layout`` are placed with :func:`layout_positions`.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}))
    >>> positions_for(m, {"a": (0, 0), "b": (1, 1)}).loc["b", "X"]
    np.float64(1.0)
    """
    if layout is None:
        return layout_positions(m, seed=seed)
    if isinstance(layout, dict):
        layout = pd.DataFrame.from_dict({str(k): tuple(v)[:2] for k, v in layout.items()},
                                        orient="index", columns=["X", "Y"])
    layout = layout[["X", "Y"]].astype(float)
    layout.index = layout.index.astype(str)
    ids = [str(i) for i in m.elements["ID"]]
    if set(ids) <= set(layout.index):
        out = layout.loc[ids]
        out.index.name = "ID"
        return out
    tmp = m.copy()
    save_layout(tmp, layout.reindex(ids))
    return layout_positions(tmp, seed=seed)
