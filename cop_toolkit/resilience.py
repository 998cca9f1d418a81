"""What if an element disappeared? Who holds the map together?

:func:`what_if` removes one or more elements and compares the map before and
after: pieces, pairs still connected, who is cut off from the main part of
the map, who loses reach, and who "comes to the fore" (climbs the
betweenness ranking). :func:`key_players` searches for the few elements the
map depends on most.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .engine import (
    SAMPLE_SOURCES,
    _expand,
    _sources,
    adjacency,
    as_map,
    betweenness,
    build_igraph,
    component_sizes,
    reach_within_two,
    resolve_method,
)
from .errors import MapError
from .model import NetworkMap, word_list

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["WhatIf", "what_if", "key_players", "connected_pairs"]


def connected_pairs(g) -> int:
    """Number of pairs of elements joined by some route.

    Examples
    --------
    >>> import igraph as ig
    >>> connected_pairs(ig.Graph(n=4, edges=[(0, 1), (1, 2)]))
    3
    """
    if g.vcount() == 0:
        return 0
    sizes = np.bincount(np.asarray(g.connected_components().membership))
    return int((sizes * (sizes - 1) // 2).sum())


def _main_component(comp: np.ndarray) -> np.ndarray:
    """Mask of the vertices in the largest component (none if only single elements are left)."""
    if len(comp) == 0:
        return np.zeros(0, dtype=bool)
    counts = np.bincount(comp)
    big = counts.argmax()
    if counts[big] < 2:  # only single elements left: there is no main part
        return np.zeros(len(comp), dtype=bool)
    return comp == big


@dataclass
class WhatIf:
    """The result of :func:`what_if`: the map before and after removing elements.

    Attributes
    ----------
    removed : IDs of the removed elements.
    removed_labels : their labels.
    summary : measures before and after (index ``measure``: ``before``, ``after``, ``change``).
    cut_off : elements that were in the main part of the map and no longer are
        (``Label``, ``Type``, ``piece_size``: elements in the piece they are left in).
    reach_lost : elements that can no longer reach some remaining element within two
        steps, or at all (``reach_before``, ``reach_after``, ``reach_lost``: two-step
        reach, counting the removed elements before; ``reachable_before``,
        ``reachable_after``: remaining elements reachable by any route). Elements
        whose only loss is the removed element itself are not listed.
    to_the_fore : elements ordered by how much brokerage they gain: the rise in
        betweenness, so the networks that take over the hub's go-between role come
        first, not small groups climbing a few places near the bottom
        (``Label``, ``betweenness_before``, ``betweenness_after``, ``betweenness_gain``,
        ``rank_before``, ``rank_after``, ``rank_gain``, ``pagerank_rank_before``,
        ``pagerank_rank_after``, ``pagerank_rank_gain``). Ranks are among the elements
        that remain (1 = top).
    method : ``"exact"`` or ``"sampled"`` betweenness (sampled uses the same source
        elements before and after, less the removed ones).
    notes : plain remarks on how the result was computed.
    """

    removed: list[str]
    removed_labels: list[str]
    summary: pd.DataFrame
    cut_off: pd.DataFrame
    reach_lost: pd.DataFrame
    to_the_fore: pd.DataFrame
    method: str = "exact"
    notes: list[str] = field(default_factory=list)

    def headline(self, top: int = 2) -> str:
        """One plain sentence with the main numbers.

        Examples
        --------
        >>> import networkx as nx
        >>> print(what_if(nx.star_graph(3), remove=["0"]).headline())
        Without 0, 3 elements lose their only route to the rest of the map (the main part of the map shrinks from 4 to 1 elements).
        """
        who = word_list(self.removed_labels)
        n_cut = len(self.cut_off)
        s = self.summary["after"]
        b = self.summary["before"]
        if n_cut:
            text = (
                f"Without {who}, {n_cut} element{'s' * (n_cut != 1)} lose{'s' * (n_cut == 1)} "
                f"{'their' if n_cut != 1 else 'its'} only route to the rest of the map "
                f"(the main part of the map shrinks from {int(b['largest component'])} to "
                f"{int(s['largest component'])} elements)"
            )
        else:
            text = f"Without {who}, everyone else stays connected to the main part of the map"
        fore = self.to_the_fore
        risers = fore[fore["betweenness_gain"] > 0].head(top)
        if len(risers):
            parts = [
                f"{lab} (from #{int(r0)} to #{int(r1)} as a go-between)" if r1 < r0 else f"{lab} (more of a go-between, #{int(r1)})"
                for lab, r0, r1 in zip(risers["Label"], risers["rank_before"], risers["rank_after"])
            ]
            verb = "comes" if len(parts) == 1 else "come"
            text += f"; {word_list(parts)} {verb} to the fore"
        return text + "."




def _reusable(metrics: pd.DataFrame | None, ids: np.ndarray, how: str, seed: int, notes: list[str]) -> pd.DataFrame | None:
    """The element table if it holds exactly what what_if would compute for "before", else None."""
    if metrics is None:
        return None
    a = metrics.attrs
    same = (
        {"betweenness", "pagerank", "reach"} <= set(metrics.columns)
        and a.get("method") == how
        and a.get("directed") is False
        and a.get("weighted") is False
        and (how == "exact" or (a.get("seed") == seed and a.get("samples") == SAMPLE_SOURCES))
        and metrics.index.equals(pd.Index(ids, dtype=object))
    )
    if not same:
        notes.append(
            "the element table given was not computed as element_metrics(m) does by default on this map "
            f"(two-way, unweighted, method '{how}', seed {seed}), so 'before' was computed afresh"
        )
        return None
    notes.append("betweenness, PageRank and reach before the removal taken from the element table given")
    return metrics


def what_if(
    m: NetworkMap | nx.Graph,
    remove: Iterable[str] | str,
    *,
    method: str = "auto",
    seed: int = 42,
    metrics: pd.DataFrame | None = None,
) -> WhatIf:
    """Remove elements and compare the map before and after.

    Ties count both ways here (a route is a route whichever way a tie
    points). The main part of the map is its largest connected piece;
    "cut off" elements were in it before and are not after. Ranks in
    ``to_the_fore`` are among the elements that remain, so the removed
    elements' own places do not lift everyone by default.

    Parameters
    ----------
    m : the map.
    remove : element IDs or labels (one name or a list).
    method : ``"exact"``, ``"sampled"`` or ``"auto"`` for betweenness (see
        :func:`cop_toolkit.metrics.element_metrics`).
    seed : seed of the sample of source elements for sampled betweenness.
    metrics : the map's :func:`~cop_toolkit.metrics.element_metrics` table, if you
        already have it: its betweenness, PageRank and reach then stand for "before"
        instead of being computed again (on a London-scale map this halves the time).
        It is used only if it was computed on this map as ``element_metrics(m)``
        does by default (two-way, unweighted, the same method and seed); otherwise
        it is ignored and ``notes`` says so. The results are the same either way.

    Returns
    -------
    WhatIf
        With ``summary``, ``cut_off``, ``reach_lost``, ``to_the_fore``,
        ``removed``, ``notes`` and ``headline()``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "hub"), ("b", "hub"), ("hub", "c"), ("c", "d"), ("d", "e"), ("e", "c")])
    >>> r = what_if(G, remove="hub")
    >>> sorted(r.cut_off.index)
    ['a', 'b']
    >>> r.summary.loc["share of pairs still connected", "after"]
    0.3
    >>> from cop_toolkit.metrics import element_metrics
    >>> what_if(G, remove="hub", metrics=element_metrics(G)).notes
    ['betweenness, PageRank and reach before the removal taken from the element table given']
    """
    m = as_map(m)
    removed = m.resolve_many(remove)
    if not removed:
        raise MapError("nothing to remove", fix="name at least one element, e.g. what_if(m, remove=['LVSC'])")
    removed = list(dict.fromkeys(removed))
    g0 = build_igraph(m)
    n0 = g0.vcount()
    how = resolve_method(method, n0)
    ids0 = np.asarray(g0.vs["name"] if n0 else [], dtype=object)
    removed_vertices = pd.Index(ids0).get_indexer(removed) if n0 else np.zeros(0, dtype=np.int64)
    removed_vertices = np.unique(removed_vertices[removed_vertices >= 0]).astype(np.int64)
    kept = np.ones(n0, dtype=bool)
    kept[removed_vertices] = False
    map01 = np.flatnonzero(kept)  # vertex i after the removal is vertex map01[i] before
    pos1 = np.full(n0, -1, dtype=np.int64)
    pos1[map01] = np.arange(len(map01))
    # The map without them is the graph without their vertices and ties (the same graph as
    # build_igraph(m.without(removed)), with the same order), at a fraction of the cost.
    g1 = g0.copy()
    g1.delete_vertices(removed_vertices.tolist())
    ids1 = ids0[map01]
    idx = pd.Index(ids1, name="ID", dtype=object)
    labels = m.elements.drop_duplicates("ID").set_index("ID")
    lab = labels["Label"].reindex(idx).to_numpy(dtype=object)
    types = labels["Type"].reindex(idx).to_numpy(dtype=object) if "Type" in labels else np.full(len(idx), np.nan, dtype=object)

    # ---- summary
    comp0, size0 = component_sizes(g0)
    comp1, size1 = component_sizes(g1)

    def stats(g, comp: np.ndarray, size: np.ndarray) -> dict[str, float]:
        n = g.vcount()
        counts = np.bincount(comp) if n else np.zeros(0, dtype=np.int64)
        return {
            "elements": n,
            "ties": g.ecount(),
            "components": len(counts),
            "largest component": int(size.max()) if n else 0,
            "isolated elements": int((np.asarray(g.degree()) == 0).sum()) if n else 0,
            "connected pairs": int((counts * (counts - 1) // 2).sum()),
        }

    before, after = stats(g0, comp0, size0), stats(g1, comp1, size1)
    # pairs among the elements that remain, before the removal
    sizes_keep = np.bincount(comp0[map01]) if len(map01) else np.zeros(0, dtype=np.int64)
    pairs_before_remaining = int((sizes_keep * (sizes_keep - 1) // 2).sum())
    before["share of pairs still connected"] = 1.0
    after["share of pairs still connected"] = (
        after["connected pairs"] / pairs_before_remaining if pairs_before_remaining else 1.0
    )
    measures = list(before)
    summary = pd.DataFrame(
        {
            "before": pd.Series([before[k] for k in measures], dtype=object).to_numpy(),
            "after": pd.Series([after[k] for k in measures], dtype=object).to_numpy(),
            "change": pd.Series([after[k] - before[k] for k in measures], dtype=object).to_numpy(),
        },
        index=pd.Index(measures, name="measure"),
    )

    # ---- cut off from the main part
    main0, main1 = _main_component(comp0), _main_component(comp1)
    cut = np.flatnonzero(main0[map01] & ~main1) if len(map01) else np.zeros(0, dtype=np.int64)
    cut_off = pd.DataFrame(
        {"Label": lab[cut], "Type": types[cut], "piece_size": size1[cut].astype(np.int64)},
        index=pd.Index(ids1[cut], name="ID", dtype=object),
    ).sort_values(["piece_size", "Label"])

    # ---- reach lost
    # A path of at most two steps between two remaining elements can only break where a
    # removed element is its middle, so only the removed elements' direct neighbours can
    # lose others from their two-step reach; everyone within two steps loses the removed
    # element itself, which is not worth a row. s_within2 counts those removed elements.
    notes: list[str] = []
    reuse = _reusable(metrics, ids0, how, seed, notes)
    indptr0, indices0 = adjacency(g0)
    s_within2 = np.zeros(n0, dtype=np.int64)
    adjacent = np.zeros(n0, dtype=bool)
    for r in removed_vertices:
        first = indices0[indptr0[r] : indptr0[r + 1]]
        ball = np.zeros(n0, dtype=bool)
        ball[r] = True
        ball[first] = True
        ball[_expand(indptr0, indices0, first)[1]] = True
        s_within2 += ball
        adjacent[first] = True
    near_rows = np.flatnonzero(adjacent[map01])
    # reachable counts exclude the removed elements themselves
    removed_in_comp = np.zeros(n0, dtype=np.int64)
    if len(removed_vertices):
        removed_in_comp = np.bincount(comp0[removed_vertices], minlength=comp0.max() + 1)[comp0]
    reachable0 = (size0 - 1 - removed_in_comp)[map01] if len(map01) else np.zeros(0, dtype=np.int64)
    reachable1 = size1 - 1 if len(size1) else np.zeros(0, dtype=np.int64)
    rows = np.union1d(near_rows, np.flatnonzero(reachable1 < reachable0)).astype(np.int64)
    r0 = np.zeros(len(ids1), dtype=np.int64)
    r1 = np.zeros(len(ids1), dtype=np.int64)
    if len(rows):
        if reuse is not None:
            r0[rows] = reuse["reach"].to_numpy(dtype=np.int64)[map01[rows]]
        else:
            r0[rows] = reach_within_two(indptr0, indices0, map01[rows])
        # away from the removed elements, two-step reach loses exactly the removed ones within two steps
        r1[rows] = r0[rows] - s_within2[map01[rows]]
        if len(near_rows):
            r1[near_rows] = reach_within_two(*adjacency(g1), near_rows)
    lost_others = r0 - r1 - (s_within2[map01] if len(map01) else 0)
    listed = np.zeros(len(ids1), dtype=bool)
    listed[rows] = True
    listed &= (lost_others > 0) | (reachable1 < reachable0)
    reach = pd.DataFrame(
        {
            "Label": lab,
            "reach_before": r0,
            "reach_after": r1,
            "reach_lost": r0 - r1,
            "reachable_before": reachable0,
            "reachable_after": reachable1,
        },
        index=idx,
    )
    reach_lost = reach[listed]
    reach_lost = reach_lost.sort_values(["reach_lost", "Label"], ascending=[False, True])

    # ---- to the fore
    # Sampled betweenness uses the same source elements before and after (less those
    # removed), so the gain compares like with like instead of two independent samples.
    src0 = _sources(n0, SAMPLE_SOURCES, seed) if how == "sampled" and SAMPLE_SOURCES < n0 else None
    src1 = None if src0 is None else pos1[src0][pos1[src0] >= 0]
    if reuse is not None:
        b0 = reuse["betweenness"].to_numpy(dtype=float)[map01]
        p0 = reuse["pagerank"].to_numpy(dtype=float)[map01]
    else:
        b0 = betweenness(g0, method=how, seed=seed, sources=src0)[map01] if len(map01) else np.zeros(0)
        p0 = np.asarray(g0.pagerank(), dtype=float)[map01] if len(map01) else np.zeros(0)
    b1 = betweenness(g1, method=how, seed=seed, sources=src1)
    p1 = np.asarray(g1.pagerank(), dtype=float) if len(ids1) else np.zeros(0)

    def rank(x: np.ndarray) -> np.ndarray:
        return pd.Series(np.round(x, 12)).rank(ascending=False, method="min").to_numpy(dtype=np.int64) if len(x) else np.zeros(0, dtype=np.int64)

    fore = pd.DataFrame(
        {
            "Label": lab,
            "betweenness_before": b0,
            "betweenness_after": b1,
            "rank_before": rank(b0),
            "rank_after": rank(b1),
        },
        index=idx,
    )
    fore.insert(3, "betweenness_gain", fore["betweenness_after"] - fore["betweenness_before"])
    fore["rank_gain"] = fore["rank_before"] - fore["rank_after"]
    fore["pagerank_rank_before"] = rank(p0)
    fore["pagerank_rank_after"] = rank(p1)
    fore["pagerank_rank_gain"] = fore["pagerank_rank_before"] - fore["pagerank_rank_after"]
    fore = fore.sort_values(["betweenness_gain", "rank_gain", "Label"], ascending=[False, False, True])
    return WhatIf(
        removed=removed,
        removed_labels=[m.label_of(r) for r in removed],
        summary=summary,
        cut_off=cut_off,
        reach_lost=reach_lost,
        to_the_fore=fore,
        method=how,
        notes=notes,
    )


def key_players(
    m: NetworkMap | nx.Graph,
    k: int = 5,
    *,
    goal: str = "fragment",
    steps: int = 2,
    candidates: int | None = None,
) -> pd.DataFrame:
    """Find ``k`` elements the map depends on most, one at a time (greedy search).

    * ``goal="fragment"``: at each round, remove the element whose loss
      leaves the fewest pairs of elements still connected (Borgatti's
      key-player problem, greedy). Good for "who holds the network together?".
    * ``goal="reach"``: at each round, pick the element whose ties reach the
      most elements within ``steps`` steps not yet reached by those already
      chosen (greedy set cover). Good for "whom should we tell first?".

    Greedy search is not guaranteed to find the very best set, but it is
    close in practice and explains itself step by step. On maps over 2,000
    elements only the ``candidates`` (default 200) elements with most ties
    are tried at each round.

    Returns
    -------
    DataFrame indexed by ``ID`` in the order chosen: ``order``, ``Label``,
    ``Type``, then for "fragment" ``connected_pairs_share`` (share of the
    original connected pairs still connected after removing this one and
    those before), ``largest_component``, ``components``; for "reach"
    ``new_reach``, ``total_reached``, ``share_reached``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 1)   # two groups joined through element 4
    >>> key_players(G, k=1)["Label"].tolist()
    ['4']
    >>> key_players(nx.star_graph(4), k=1, goal="reach")["share_reached"].tolist()
    [1.0]
    """
    m = as_map(m)
    if goal not in ("fragment", "reach"):
        raise MapError(f"unknown goal '{goal}'", fix="use goal='fragment' or goal='reach'")
    g = build_igraph(m)
    n = g.vcount()
    ids = list(g.vs["name"])
    k = max(0, min(int(k), n))
    deg = np.asarray(g.degree(), dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    limit = candidates if candidates is not None else (n if n <= 2000 else 200)
    pool = [int(i) for i in np.argsort(-deg, kind="stable")[:limit] if deg[i] > 0]
    labels = m.elements.drop_duplicates("ID").set_index("ID")
    rows = []
    if goal == "fragment":
        total = connected_pairs(g)
        removed: list[int] = []
        for order in range(1, k + 1):
            best, best_pairs, best_graph = None, None, None
            for v in pool:
                if v in removed:
                    continue
                h = g.copy()
                h.delete_vertices(removed + [v])
                pairs = connected_pairs(h)
                if best_pairs is None or pairs < best_pairs:
                    best, best_pairs, best_graph = v, pairs, h
            if best is None:
                break
            removed.append(best)
            comp, size = component_sizes(best_graph)
            rows.append(
                {
                    "ID": ids[best],
                    "order": order,
                    "connected_pairs_share": best_pairs / total if total else 0.0,
                    "largest_component": int(size.max()) if len(size) else 0,
                    "components": int(comp.max() + 1) if len(comp) else 0,
                }
            )
    else:
        hood = g.neighborhood(order=steps) if n else []
        sets = [set(h) for h in hood]
        covered: set[int] = set()
        chosen: list[int] = []
        for order in range(1, k + 1):
            gains = [(len(sets[v] - covered), -v) for v in range(n) if v not in chosen]
            if not gains:
                break
            gain, neg = max(gains)
            if gain == 0:
                break
            v = -neg
            chosen.append(v)
            covered |= sets[v]
            rows.append({"ID": ids[v], "order": order, "new_reach": gain, "total_reached": len(covered), "share_reached": len(covered) / n})
    df = pd.DataFrame(rows)
    if df.empty:
        cols = ["order", "Label", "Type"] + (
            ["connected_pairs_share", "largest_component", "components"] if goal == "fragment" else ["new_reach", "total_reached", "share_reached"]
        )
        return pd.DataFrame(columns=cols, index=pd.Index([], name="ID", dtype=object))
    df = df.set_index("ID")
    df.index = df.index.astype(object)
    df.insert(1, "Label", labels["Label"].reindex(df.index).to_numpy(dtype=object))
    df.insert(2, "Type", labels["Type"].reindex(df.index).to_numpy(dtype=object) if "Type" in labels else np.nan)
    return df
