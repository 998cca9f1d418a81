"""What if an element disappeared? Who holds the map together?

:func:`what_if` removes one or more elements and compares the map before and
after: pieces, pairs still connected, who is cut off from the main part of
the map, who loses reach, and who "comes to the fore" (climbs the
betweenness ranking). :func:`key_players` searches for the few elements the
map depends on most.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import (
    SAMPLE_SOURCES,
    Method,
    adjacency,
    betweenness,
    build_igraph,
    component_sizes,
    neighbour_pairs,
    reach_within_two,
    resolve_method,
    sample_sources,
)
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import word_list

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["WhatIf", "what_if", "top_broker", "key_players", "connected_pairs", "TRY_ALL_UP_TO", "CANDIDATES"]

#: :func:`key_players` tries every element at each round on maps up to this many elements...
TRY_ALL_UP_TO = 2000
#: ...and on larger maps only this many, those with most ties.
CANDIDATES = 200


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
    method: Literal["exact", "sampled"] = "exact"
    notes: list[str] = field(default_factory=list)

    def gainers(self) -> pd.DataFrame:
        """The elements that really come to the fore: they climb the go-between ranking (``rank_gain`` above 0).

        Rows of :attr:`to_the_fore`, in its order (most brokerage gained first);
        an element whose rank stays the same, or falls, is not listed.

        Examples
        --------
        >>> import networkx as nx
        >>> g = nx.path_graph(5)  # 0-1-2-3-4, with a shortcut 1-3 around 2
        >>> g.add_edge(1, 3)
        >>> r = what_if(g, remove=["2"])  # 1 and 3 broker more, but were and stay joint #1
        >>> int((r.to_the_fore["betweenness_gain"] > 0).sum()), len(r.gainers())
        (2, 0)
        """
        fore = self.to_the_fore
        return fore[(fore["rank_gain"] > 0) & (fore["betweenness_gain"] > 0)]

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
        risers = self.gainers().head(top)
        if len(risers):
            parts = [
                f"{lab} (from #{int(r0)} to #{int(r1)} as a go-between)"
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


@dataclass
class _Removal:
    """The map before (``g0``) and after (``g1``) removing some vertices, and how they correspond."""

    g0: Any
    g1: Any
    ids0: np.ndarray
    removed_vertices: np.ndarray
    map01: np.ndarray  # vertex i after the removal is vertex map01[i] before
    pos1: np.ndarray  # vertex v before is vertex pos1[v] after (-1: removed)
    idx: pd.Index  # IDs after the removal
    lab: np.ndarray
    types: np.ndarray
    comp0: np.ndarray
    size0: np.ndarray
    comp1: np.ndarray
    size1: np.ndarray


def _remove(m: NetworkMap, removed: list[str]) -> _Removal:
    """The graph of ``m`` and the same graph without the ``removed`` elements."""
    g0 = build_igraph(m)
    n0 = g0.vcount()
    ids0 = np.asarray(g0.vs["name"] if n0 else [], dtype=object)
    removed_vertices = pd.Index(ids0).get_indexer(removed) if n0 else np.zeros(0, dtype=np.int64)
    removed_vertices = np.unique(removed_vertices[removed_vertices >= 0]).astype(np.int64)
    kept = np.ones(n0, dtype=bool)
    kept[removed_vertices] = False
    map01 = np.flatnonzero(kept)
    pos1 = np.full(n0, -1, dtype=np.int64)
    pos1[map01] = np.arange(len(map01))
    # The map without them is the graph without their vertices and ties (the same graph as
    # build_igraph(m.without(removed)), with the same order), at a fraction of the cost.
    g1 = g0.copy()
    g1.delete_vertices(removed_vertices.tolist())
    idx = pd.Index(ids0[map01], name="ID", dtype=object)
    labels = m.element_table()
    lab = labels["Label"].reindex(idx).to_numpy(dtype=object)
    types = labels["Type"].reindex(idx).to_numpy(dtype=object) if "Type" in labels else np.full(len(idx), np.nan, dtype=object)
    comp0, size0 = component_sizes(g0)
    comp1, size1 = component_sizes(g1)
    return _Removal(g0, g1, ids0, removed_vertices, map01, pos1, idx, lab, types, comp0, size0, comp1, size1)


def _graph_stats(g: Any, comp: np.ndarray, size: np.ndarray) -> dict[str, float]:
    """Elements, ties, pieces, the largest piece, isolated elements and connected pairs."""
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


def _summary(r: _Removal) -> pd.DataFrame:
    """The measures before and after, and the change."""
    before, after = _graph_stats(r.g0, r.comp0, r.size0), _graph_stats(r.g1, r.comp1, r.size1)
    # pairs among the elements that remain, before the removal
    sizes_keep = np.bincount(r.comp0[r.map01]) if len(r.map01) else np.zeros(0, dtype=np.int64)
    pairs_before_remaining = int((sizes_keep * (sizes_keep - 1) // 2).sum())
    before["share of pairs still connected"] = 1.0
    after["share of pairs still connected"] = (
        after["connected pairs"] / pairs_before_remaining if pairs_before_remaining else 1.0
    )
    measures = list(before)
    return pd.DataFrame(
        {
            "before": pd.Series([before[k] for k in measures], dtype=object).to_numpy(),
            "after": pd.Series([after[k] for k in measures], dtype=object).to_numpy(),
            "change": pd.Series([after[k] - before[k] for k in measures], dtype=object).to_numpy(),
        },
        index=pd.Index(measures, name="measure"),
    )


def _cut_off(r: _Removal) -> pd.DataFrame:
    """The elements that were in the main part of the map and no longer are."""
    main0, main1 = _main_component(r.comp0), _main_component(r.comp1)
    cut = np.flatnonzero(main0[r.map01] & ~main1) if len(r.map01) else np.zeros(0, dtype=np.int64)
    return pd.DataFrame(
        {"Label": r.lab[cut], "Type": r.types[cut], "piece_size": r.size1[cut].astype(np.int64)},
        index=pd.Index(r.idx[cut], name="ID", dtype=object),
    ).sort_values(["piece_size", "Label"])


def _reach_lost(r: _Removal, reuse: pd.DataFrame | None) -> pd.DataFrame:
    """The elements that lose some remaining element from their two-step reach, or at all.

    A path of at most two steps between two remaining elements can only break where a
    removed element is its middle, so only the removed elements' direct neighbours can
    lose others from their two-step reach; everyone within two steps loses the removed
    element itself, which is not worth a row. ``s_within2`` counts those removed elements.
    """
    n0, map01 = r.g0.vcount(), r.map01
    indptr0, indices0 = adjacency(r.g0)
    s_within2 = np.zeros(n0, dtype=np.int64)
    adjacent = np.zeros(n0, dtype=bool)
    for v in r.removed_vertices:
        first = indices0[indptr0[v] : indptr0[v + 1]]
        ball = np.zeros(n0, dtype=bool)
        ball[v] = True
        ball[first] = True
        ball[neighbour_pairs(indptr0, indices0, first)[1]] = True
        s_within2 += ball
        adjacent[first] = True
    near_rows = np.flatnonzero(adjacent[map01])
    # reachable counts exclude the removed elements themselves
    removed_in_comp = np.zeros(n0, dtype=np.int64)
    if len(r.removed_vertices):
        removed_in_comp = np.bincount(r.comp0[r.removed_vertices], minlength=r.comp0.max() + 1)[r.comp0]
    reachable0 = (r.size0 - 1 - removed_in_comp)[map01] if len(map01) else np.zeros(0, dtype=np.int64)
    reachable1 = r.size1 - 1 if len(r.size1) else np.zeros(0, dtype=np.int64)
    rows = np.union1d(near_rows, np.flatnonzero(reachable1 < reachable0)).astype(np.int64)
    r0 = np.zeros(len(r.idx), dtype=np.int64)
    r1 = np.zeros(len(r.idx), dtype=np.int64)
    if len(rows):
        if reuse is not None:
            r0[rows] = reuse["reach"].to_numpy(dtype=np.int64)[map01[rows]]
        else:
            r0[rows] = reach_within_two(indptr0, indices0, map01[rows])
        # away from the removed elements, two-step reach loses exactly the removed ones within two steps
        r1[rows] = r0[rows] - s_within2[map01[rows]]
        if len(near_rows):
            r1[near_rows] = reach_within_two(*adjacency(r.g1), near_rows)
    lost_others = r0 - r1 - (s_within2[map01] if len(map01) else 0)
    listed = np.zeros(len(r.idx), dtype=bool)
    listed[rows] = True
    listed &= (lost_others > 0) | (reachable1 < reachable0)
    reach = pd.DataFrame(
        {
            "Label": r.lab,
            "reach_before": r0,
            "reach_after": r1,
            "reach_lost": r0 - r1,
            "reachable_before": reachable0,
            "reachable_after": reachable1,
        },
        index=r.idx,
    )
    return reach[listed].sort_values(["reach_lost", "Label"], ascending=[False, True])


def _rank(x: np.ndarray) -> np.ndarray:
    """Ranks from the top (1 = largest; ties share the best rank)."""
    if not len(x):
        return np.zeros(0, dtype=np.int64)
    return pd.Series(np.round(x, 12)).rank(ascending=False, method="min").to_numpy(dtype=np.int64)


def _to_the_fore(r: _Removal, how: str, seed: int, reuse: pd.DataFrame | None) -> pd.DataFrame:
    """The remaining elements, those who gain most brokerage (betweenness) first.

    Sampled betweenness uses the same source elements before and after (less those
    removed), so the gain compares like with like instead of two independent samples.
    """
    n0, map01 = r.g0.vcount(), r.map01
    src0 = sample_sources(n0, SAMPLE_SOURCES, seed) if how == "sampled" and SAMPLE_SOURCES < n0 else None
    src1 = None if src0 is None else r.pos1[src0][r.pos1[src0] >= 0]
    if reuse is not None:
        b0 = reuse["betweenness"].to_numpy(dtype=float)[map01]
        p0 = reuse["pagerank"].to_numpy(dtype=float)[map01]
    else:
        b0 = betweenness(r.g0, method=how, seed=seed, sources=src0)[map01] if len(map01) else np.zeros(0)
        p0 = np.asarray(r.g0.pagerank(), dtype=float)[map01] if len(map01) else np.zeros(0)
    b1 = betweenness(r.g1, method=how, seed=seed, sources=src1)
    p1 = np.asarray(r.g1.pagerank(), dtype=float) if len(r.idx) else np.zeros(0)
    fore = pd.DataFrame(
        {
            "Label": r.lab,
            "betweenness_before": b0,
            "betweenness_after": b1,
            "rank_before": _rank(b0),
            "rank_after": _rank(b1),
        },
        index=r.idx,
    )
    fore.insert(3, "betweenness_gain", fore["betweenness_after"] - fore["betweenness_before"])
    fore["rank_gain"] = fore["rank_before"] - fore["rank_after"]
    fore["pagerank_rank_before"] = _rank(p0)
    fore["pagerank_rank_after"] = _rank(p1)
    fore["pagerank_rank_gain"] = fore["pagerank_rank_before"] - fore["pagerank_rank_after"]
    return fore.sort_values(["betweenness_gain", "rank_gain", "Label"], ascending=[False, False, True])


def top_broker(metrics: pd.DataFrame) -> str | None:
    """The element a "what if the hub goes" question takes out by default.

    The element with the highest ``betweenness``; where no element is more of
    a broker than another, the best-connected (highest ``degree``); and None
    where no element stands out (a map without ties, or a ring where all are
    equally connected). Ties for first place go to the first row.

    Parameters
    ----------
    metrics : an element table with ``betweenness`` and ``degree`` columns
        (:func:`cop_toolkit.analysis.metrics.element_metrics`), indexed by ID.

    Examples
    --------
    >>> import networkx as nx
    >>> from cop_toolkit.analysis.metrics import element_metrics
    >>> top_broker(element_metrics(nx.Graph([("a", "hub"), ("b", "hub"), ("hub", "c"), ("c", "d")])))
    'hub'
    >>> print(top_broker(element_metrics(nx.cycle_graph(4))))
    None
    """
    for column in ("betweenness", "degree"):
        if column not in metrics or not len(metrics):
            continue
        v = pd.to_numeric(metrics[column], errors="coerce").fillna(0)
        if v.max() > v.min():
            return str(v.idxmax())
    return None


def what_if(
    m: NetworkMap | nx.Graph,
    remove: Iterable[str] | str,
    *,
    method: Method = "auto",
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
        :func:`cop_toolkit.analysis.metrics.element_metrics`).
    seed : seed of the sample of source elements for sampled betweenness.
    metrics : the map's :func:`~cop_toolkit.analysis.metrics.element_metrics` table, if you
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
    >>> from cop_toolkit.analysis.metrics import element_metrics
    >>> what_if(G, remove="hub", metrics=element_metrics(G)).notes
    ['betweenness, PageRank and reach before the removal taken from the element table given']
    """
    m = as_map(m)
    removed = m.resolve_many(remove)
    if not removed:
        raise MapError("nothing to remove", fix="name at least one element, e.g. what_if(m, remove=['LVSC'])")
    removed = list(dict.fromkeys(removed))
    r = _remove(m, removed)
    how = resolve_method(method, r.g0.vcount())
    notes: list[str] = []
    reuse = _reusable(metrics, r.ids0, how, seed, notes)
    return WhatIf(
        removed=removed,
        removed_labels=[m.label_of(x) for x in removed],
        summary=_summary(r),
        cut_off=_cut_off(r),
        reach_lost=_reach_lost(r, reuse),
        to_the_fore=_to_the_fore(r, how, seed, reuse),
        method=how,
        notes=notes,
    )


def _fragment_rounds(g: Any, k: int, pool: list[int]) -> list[dict[str, Any]]:
    """Greedy key-player search: each round removes the vertex of ``pool`` leaving fewest connected pairs."""
    ids = list(g.vs["name"])
    total = connected_pairs(g)
    removed: list[int] = []
    rows = []
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
    return rows


def _reach_rounds(g: Any, k: int, steps: int) -> list[dict[str, Any]]:
    """Greedy set cover: each round picks the vertex reaching most not-yet-reached vertices within ``steps``."""
    n = g.vcount()
    ids = list(g.vs["name"])
    sets = [set(h) for h in (g.neighborhood(order=steps) if n else [])]
    covered: set[int] = set()
    chosen: list[int] = []
    rows = []
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
    return rows


def key_players(
    m: NetworkMap | nx.Graph,
    k: int = 5,
    *,
    goal: Literal["fragment", "reach"] = "fragment",
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
    elements only the ``candidates`` (default :data:`CANDIDATES`) elements with most ties
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
    k = max(0, min(int(k), n))
    deg = np.asarray(g.degree(), dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    limit = candidates if candidates is not None else (n if n <= TRY_ALL_UP_TO else CANDIDATES)
    pool = [int(i) for i in np.argsort(-deg, kind="stable")[:limit] if deg[i] > 0]
    labels = m.element_table()
    rows = _fragment_rounds(g, k, pool) if goal == "fragment" else _reach_rounds(g, k, steps)
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
