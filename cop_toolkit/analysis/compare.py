"""Compare two snapshots of a map: who joined, who left, who was renamed, who rose and fell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cop_toolkit.analysis.metrics import element_metrics
from cop_toolkit.analysis.summary import map_summary
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import NAME_CUTOFF, normalise_name, similarity
from cop_toolkit.core.ties import merge_parallel_ties

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["MapComparison", "compare_maps", "match_elements"]


@dataclass
class MapComparison:
    """The result of :func:`compare_maps` (old -> new).

    Attributes
    ----------
    summary : index ``measure``: ``old``, ``new``, ``change``.
    elements_added, elements_removed : index ``ID``: ``Label``, ``Type``.
    elements_renamed : pair schema, *a* in the old map and *b* in the new:
        ``ID_a``, ``Label_a``, ``ID_b``, ``Label_b``, ``similarity``, ``matched_by``.
    connections_added, connections_removed : one row per pair of elements
        (in new IDs, ``ID_a`` < ``ID_b``): ``ID_a``, ``Label_a``, ``ID_b``,
        ``Label_b``, ``Type``, ``Strength``.
    connections_changed : pairs tied in both with a different type or strength:
        ``old_type``, ``new_type``, ``old_strength``, ``new_strength``.
    metric_changes : index ``ID`` (new IDs) for elements in both maps:
        degree and betweenness before/after, rank change and ``movement``
        ("rose", "fell", "steady"), sorted from biggest rise to biggest fall.
    """

    old_name: str
    new_name: str
    summary: pd.DataFrame
    elements_added: pd.DataFrame
    elements_removed: pd.DataFrame
    elements_renamed: pd.DataFrame
    connections_added: pd.DataFrame
    connections_removed: pd.DataFrame
    connections_changed: pd.DataFrame
    metric_changes: pd.DataFrame

    def headline(self) -> str:
        """One plain sentence with the main changes.

        Examples
        --------
        >>> import networkx as nx
        >>> print(compare_maps(nx.path_graph(3), nx.path_graph(4)).headline())
        From 'Network map' to 'Network map': 1 element joined, 0 left, 0 renamed; 1 connection added, 0 removed, 0 changed. Biggest rise: 2 (betweenness rank 2 -> 1). Biggest fall: 0 (rank 2 -> 3).
        """
        def n(df: pd.DataFrame, word: str) -> str:
            return f"{len(df)} {word}{'s' * (len(df) != 1)}"

        left = len(self.elements_removed)
        named = ""
        if 0 < left <= 3:
            named = " (" + ", ".join(self.elements_removed["Label"].astype(str)) + ")"
        text = (
            f"From '{self.old_name}' to '{self.new_name}': {n(self.elements_added, 'element')} joined, "
            f"{left} left{named}, {len(self.elements_renamed)} renamed; "
            f"{n(self.connections_added, 'connection')} added, {len(self.connections_removed)} removed, "
            f"{len(self.connections_changed)} changed."
        )
        mc = self.metric_changes
        if len(mc) and mc["rank_change"].max() > 0:
            top = mc.iloc[0]
            text += f" Biggest rise: {top['Label']} (betweenness rank {int(top['rank_old'])} -> {int(top['rank_new'])})."
        if len(mc) and mc["rank_change"].min() < 0:
            low = mc.iloc[-1]
            text += f" Biggest fall: {low['Label']} (rank {int(low['rank_old'])} -> {int(low['rank_new'])})."
        return text


def match_elements(old: NetworkMap, new: NetworkMap, *, threshold: float = NAME_CUTOFF) -> pd.DataFrame:
    """Match elements of two maps: by ID first, then by label similarity.

    An old element whose ID is not in the new map is matched to the new-only
    element with the most similar label (case, spacing and punctuation
    ignored; :func:`~cop_toolkit.core.text.similarity` at least ``threshold``), preferring the same
    type. Returns the pair schema with *a* the old element and *b* the new
    one: ``ID_a``, ``Label_a``, ``ID_b``, ``Label_b``, ``similarity``,
    ``matched_by`` ("ID" or "label").

    Examples
    --------
    >>> import pandas as pd
    >>> a = NetworkMap(pd.DataFrame({"ID": ["x1"], "Label": ["Eastside Food Bank"]}))
    >>> b = NetworkMap(pd.DataFrame({"ID": ["x9"], "Label": ["East Side Foodbank"]}))
    >>> match_elements(a, b)[["ID_a", "ID_b", "matched_by"]].to_dict("records")
    [{'ID_a': 'x1', 'ID_b': 'x9', 'matched_by': 'label'}]
    """
    o = old.element_table()
    nw = new.element_table()
    rows = []
    for i in o.index.intersection(nw.index):
        rows.append((i, o.at[i, "Label"], i, nw.at[i, "Label"], 1.0, "ID"))
    old_only = [i for i in o.index if i not in nw.index]
    new_only = [i for i in nw.index if i not in o.index]
    folded_new = {j: normalise_name(nw.at[j, "Label"]) for j in new_only}
    candidates = []
    for i in old_only:
        fo = normalise_name(o.at[i, "Label"])
        for j, fn in folded_new.items():
            sim = similarity(fo, fn, floor=threshold, fold=False)
            if sim >= threshold:
                same_type = "Type" in o and "Type" in nw and o.at[i, "Type"] == nw.at[j, "Type"]
                candidates.append((sim + (0.001 if same_type else 0.0), i, j, sim))
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    for _, i, j, sim in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        rows.append((i, o.at[i, "Label"], j, nw.at[j, "Label"], round(sim, 3), "label"))
    return pd.DataFrame(rows, columns=["ID_a", "Label_a", "ID_b", "Label_b", "similarity", "matched_by"])


def _pairs(m: NetworkMap, rename: dict[str, str]) -> pd.DataFrame:
    """The map's ties (in new IDs), indexed by the pair of IDs: ``Type`` ("" where none), ``Strength``."""
    c = m.connections
    renamed = c.assign(
        From=c["From"].astype(str).map(lambda v: rename.get(v, v)),
        To=c["To"].astype(str).map(lambda v: rename.get(v, v)),
    )
    ties = merge_parallel_ties(renamed, directed=False)
    strength = ties["weight"].to_numpy()
    if "Strength" in c and pd.api.types.is_integer_dtype(c["Strength"]):
        strength = strength.astype(np.int64)  # whole-number strengths are shown as whole numbers
    return pd.DataFrame(
        {"Type": ties["Type"].fillna("").to_numpy(dtype=object), "Strength": strength},
        index=pd.MultiIndex.from_arrays([ties["From"].astype(str), ties["To"].astype(str)], names=["a", "b"]),
    )


def compare_maps(old: NetworkMap | nx.Graph, new: NetworkMap | nx.Graph, *, threshold: float = NAME_CUTOFF) -> MapComparison:
    """Compare two snapshots of a map (e.g. ``owa-2017`` and ``owa-2018``).

    Elements are matched by ID, else by label similarity (see
    :func:`match_elements`); a matched element whose label changed counts
    as renamed. Connections are compared pair by pair (all connections
    between the same two elements together), using the new IDs. Metric
    changes compare degree and betweenness (exact, in steps) of the elements
    present in both snapshots.

    Returns
    -------
    MapComparison

    Examples
    --------
    >>> import networkx as nx
    >>> c = compare_maps(nx.path_graph(3), nx.path_graph(4))
    >>> c.elements_added.index.tolist(), len(c.connections_added)
    (['3'], 1)
    """
    old, new = as_map(old), as_map(new)
    matches = match_elements(old, new, threshold=threshold)
    renamed = matches[(matches["ID_a"] != matches["ID_b"]) | (matches["Label_a"] != matches["Label_b"])].reset_index(drop=True)
    rename = dict(zip(matches["ID_a"], matches["ID_b"]))
    o_el = old.element_table()
    n_el = new.element_table()
    cols = [c for c in ("Label", "Type") if c in n_el.columns]
    added = n_el.loc[[i for i in n_el.index if i not in set(matches["ID_b"])], cols]
    removed = o_el.loc[[i for i in o_el.index if i not in set(matches["ID_a"])], [c for c in ("Label", "Type") if c in o_el.columns]]
    added.index.name = removed.index.name = "ID"
    labels = pd.concat([n_el["Label"], o_el["Label"].rename(index=rename)])
    labels = labels[~labels.index.duplicated()]
    conn_added, conn_removed, changed = _connection_changes(old, new, rename, labels)
    counts = [len(added), len(removed), len(renamed), len(conn_added), len(conn_removed), len(changed)]
    return MapComparison(
        old_name=old.name,
        new_name=new.name,
        summary=_summary(old, new, counts),
        elements_added=added,
        elements_removed=removed,
        elements_renamed=renamed,
        connections_added=conn_added,
        connections_removed=conn_removed,
        connections_changed=changed,
        metric_changes=_metric_changes(old, new, rename),
    )


def _pair_table(p: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Pairs indexed by ``(a, b)`` as a table with ``ID_a``, ``Label_a``, ``ID_b``, ``Label_b`` first."""
    out = p.reset_index().rename(columns={"a": "ID_a", "b": "ID_b"})
    out.insert(1, "Label_a", out["ID_a"].map(labels))
    out.insert(3, "Label_b", out["ID_b"].map(labels))
    return out


def _connection_changes(
    old: NetworkMap, new: NetworkMap, rename: dict[str, str], labels: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The pairs tied only in ``new``, only in ``old``, and in both with another type or strength."""
    po, pn = _pairs(old, rename), _pairs(new, {})
    both = po.index.intersection(pn.index)
    ch = pd.DataFrame(
        {
            "old_type": po.loc[both, "Type"],
            "new_type": pn.loc[both, "Type"],
            "old_strength": po.loc[both, "Strength"],
            "new_strength": pn.loc[both, "Strength"],
        }
    )
    ch = ch[(ch["old_type"] != ch["new_type"]) | (ch["old_strength"] != ch["new_strength"])]
    return (
        _pair_table(pn.loc[pn.index.difference(po.index)], labels),
        _pair_table(po.loc[po.index.difference(pn.index)], labels),
        _pair_table(ch, labels),
    )


def _rank(s: pd.Series) -> pd.Series:
    """Ranks from the top (1 = largest; ties share the best rank)."""
    return s.round(12).rank(ascending=False, method="min").astype(np.int64)


def _metric_changes(old: NetworkMap, new: NetworkMap, rename: dict[str, str]) -> pd.DataFrame:
    """Degree and betweenness (exact, in steps) of the elements in both snapshots, biggest risers first."""
    mo = element_metrics(old, method="exact").rename(index=rename)
    mn = element_metrics(new, method="exact")
    common = mn.index.intersection(mo.index)
    mc = pd.DataFrame(
        {
            "Label": mn.loc[common, "Label"],
            "degree_old": mo.loc[common, "degree"],
            "degree_new": mn.loc[common, "degree"],
            "betweenness_old": mo.loc[common, "betweenness"],
            "betweenness_new": mn.loc[common, "betweenness"],
        }
    )
    mc["degree_change"] = mc["degree_new"] - mc["degree_old"]
    mc["betweenness_change"] = mc["betweenness_new"] - mc["betweenness_old"]
    mc["rank_old"] = _rank(mc["betweenness_old"])
    mc["rank_new"] = _rank(mc["betweenness_new"])
    mc["rank_change"] = mc["rank_old"] - mc["rank_new"]
    mc["movement"] = np.select([mc["rank_change"] > 0, mc["rank_change"] < 0], ["rose", "fell"], "steady").astype(object)
    mc = mc.sort_values(["rank_change", "betweenness_change", "Label"], ascending=[False, False, True])
    mc.index.name = "ID"
    return mc


#: The measures of :func:`~cop_toolkit.analysis.summary.map_summary` compared, in order.
_SUMMARY_MEASURES = ("elements", "ties", "density", "average degree", "components", "largest component share",
                     "average path length", "average clustering")
#: The counts of changes added under them, in the order of ``counts`` in :func:`_summary`.
_CHANGE_COUNTS = ("elements added", "elements removed", "elements renamed", "ties added", "ties removed", "ties changed")


def _summary(old: NetworkMap, new: NetworkMap, counts: list[int]) -> pd.DataFrame:
    """The map summaries side by side (``old``, ``new``, ``change``), then the counts of changes."""
    so, sn = map_summary(old)["value"], map_summary(new)["value"]
    keys = [k for k in _SUMMARY_MEASURES if k in so.index and k in sn.index]
    summary = pd.DataFrame({"old": so[keys].to_numpy(), "new": sn[keys].to_numpy()}, index=pd.Index(keys, name="measure"))
    summary["change"] = (pd.to_numeric(summary["new"]) - pd.to_numeric(summary["old"])).to_numpy(dtype=object)
    extra = pd.DataFrame(
        {"old": [np.nan] * len(counts), "new": counts, "change": [np.nan] * len(counts)},
        index=pd.Index(list(_CHANGE_COUNTS), name="measure"),
    ).astype(object)
    return pd.concat([summary.astype(object), extra])
