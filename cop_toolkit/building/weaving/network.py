"""The checked options and the visible map as arrays, shared by the steps of :mod:`cop_toolkit.building.weaving`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from cop_toolkit.analysis.clusters import find_clusters
from cop_toolkit.analysis.engine import edge_table
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.privacy import hidden_ids
from cop_toolkit.core.text import SUGGEST_CUTOFF, close_matches, normalise_name
from cop_toolkit.core.vocabulary import resource_items
from cop_toolkit.geo.boroughs import haversine_km
from cop_toolkit.geo.locate import locate

__all__ = [
    "DEFAULT_WEIGHTS", "KINDS", "CLUSTER_SEED", "CORE_MIN", "CORE_MAX",
    "check_weights", "check_types", "check_kinds", "check_counts", "visible_map",
    "WeaveNetwork", "weave_network", "popcount_and", "pair_distance", "in_sorted",
]

#: Default weights of the four parts of the score.
DEFAULT_WEIGHTS: dict[str, float] = {"shared": 1.0, "needs_offers": 1.0, "bridging": 1.0, "distance": 1.0}
#: The kinds of introduction, in the order they are named.
KINDS = ("open triangle", "periphery to core", "bridge", "needs and offers")
#: Seed of the Louvain clusters used for bridging (the same clusters as the report's).
CLUSTER_SEED = 42
#: The "core" is the best-connected elements: about half the square root of
#: the number of elements, but at least ``CORE_MIN`` and at most ``CORE_MAX``.
CORE_MIN, CORE_MAX = 5, 20


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The weights of the four parts of the score, defaults filled in; a clear error for a bad one.

    Examples
    --------
    >>> check_weights({"distance": 0})
    {'shared': 1.0, 'needs_offers': 1.0, 'bridging': 1.0, 'distance': 0.0}
    """
    out = dict(DEFAULT_WEIGHTS)
    if weights is None:
        return out
    if not isinstance(weights, Mapping):
        raise MapError(
            "weights must be a dictionary",
            fix='write it like weights={"shared": 1, "needs_offers": 2, "bridging": 1, "distance": 0}',
        )
    for key, value in weights.items():
        if key not in out:
            close = close_matches(key, list(out), cutoff=SUGGEST_CUTOFF, limit=1)
            hint = f"did you mean '{close[0]}'?" if close else "use " + ", ".join(f"'{k}'" for k in out)
            raise MapError(f"'{key}' is not one of the weights", fix=hint)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not number >= 0 or math.isinf(number):
            raise MapError(f"the weight of '{key}' must be a number of 0 or more, not {value!r}",
                           fix="use 0 to ignore a part and larger numbers to make it count more")
        out[key] = number
    if sum(out.values()) == 0:
        raise MapError("all the weights are 0", fix="give at least one part a weight above 0")
    return out


def check_types(m: NetworkMap, types: Iterable[str] | str | None) -> set[str] | None:
    """The map's element types named by ``types`` (any case), or ``None`` for all.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"], "Type": ["Community group"]}))
    >>> check_types(m, "community GROUP")
    {'Community group'}
    """
    if types is None:
        return None
    if isinstance(types, str):
        types = [types]
    present = sorted({str(t) for t in m.elements.get("Type", pd.Series(dtype=object)).dropna()})
    by_fold = {normalise_name(t): t for t in present}
    chosen = set()
    for t in types:
        hit = by_fold.get(normalise_name(t))
        if hit is None:
            close = close_matches(t, present, cutoff=SUGGEST_CUTOFF, limit=2)
            fix = ("did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else (
                "the map's types are " + ", ".join(f"'{p}'" for p in present)
            )
            raise MapError(f"no element has the type '{t}'", fix=fix)
        chosen.add(hit)
    return chosen


def check_kinds(kinds: Iterable[str] | str | None) -> set[str] | None:
    """The kinds of introduction to keep (see :data:`KINDS`), or ``None`` for all.

    Examples
    --------
    >>> check_kinds("bridge")
    {'bridge'}
    """
    if kinds is None:
        return None
    chosen = {kinds} if isinstance(kinds, str) else set(kinds)
    unknown = chosen - set(KINDS)
    if unknown:
        raise MapError(f"'{sorted(unknown)[0]}' is not a kind of introduction",
                       fix="use " + ", ".join(f"'{k}'" for k in KINDS))
    return chosen


def check_counts(**counts: int | None) -> None:
    """Raise a clear error unless each count is ``None`` or a whole number of 1 or more.

    Examples
    --------
    >>> check_counts(top=5, per_element=None)
    """
    for name, value in counts.items():
        if value is not None and (not isinstance(value, (int, np.integer)) or value < 1):
            raise MapError(f"{name} must be a whole number of 1 or more, not {value!r}", fix=f"use e.g. {name}=10")


def visible_map(m: NetworkMap) -> tuple[NetworkMap, set[str]]:
    """The map without hidden elements and private connections, and the hidden IDs.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "p"], "Label": ["A", "Pat"], "Type": [None, "Person"],
    ...                              "Consent": [None, "no"]}))
    >>> v, hidden = visible_map(m)
    >>> list(v.elements["ID"]), hidden
    (['a'], {'p'})
    """
    hidden = hidden_ids(m)
    v = m.without(hidden) if hidden else m
    c = v.connections
    if "Visibility" in c.columns:
        private = c["Visibility"].fillna("").astype(str).str.strip().str.lower().eq("private")
        if private.any():
            v = NetworkMap(v.elements, c[~private], dict(v.metadata), list(v.warnings))
    return v, hidden


@dataclass
class WeaveNetwork:
    """The visible map as arrays, one position per element (the order of ``ids``).

    Attributes
    ----------
    ids, labels : element IDs and labels.
    eligible : True for elements of the chosen types.
    nbrs, degree : each element's neighbours (positions) and how many.
    aa_weight : the Adamic-Adar weight of each element as a shared contact.
    cluster, cluster_names : each element's cluster (-1 for none) and the clusters' names.
    lat, lon, approx, bname : where each element is, whether only roughly, and its borough.
    needs, offers, gives : needs, offers, and offers-or-assets (normalised wording).
    need_bits, give_bits : ``needs`` and ``gives`` as packed bit rows.
    peripheral : eligible elements with at most one tie.
    by_degree : eligible elements with more than one tie, best-connected first.
    core : the first few of ``by_degree`` (see :data:`CORE_MIN`); ``in_core`` marks them.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["b"]}))
    >>> weave_network(m).degree.tolist()
    [1, 1]
    """

    ids: np.ndarray
    labels: np.ndarray
    eligible: np.ndarray
    nbrs: list[set[int]]
    degree: np.ndarray
    aa_weight: np.ndarray
    cluster: np.ndarray
    cluster_names: dict[int, str]
    lat: np.ndarray
    lon: np.ndarray
    approx: np.ndarray
    bname: np.ndarray
    needs: list[list[str]]
    offers: list[set[str]]
    gives: list[list[str]]
    need_bits: np.ndarray
    give_bits: np.ndarray
    peripheral: np.ndarray
    by_degree: list[int]
    core: list[int]
    in_core: np.ndarray

    @property
    def n(self) -> int:
        """How many elements."""
        return len(self.ids)

    @cached_property
    def neighbour_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``nbrs`` as sorted arrays: ``(indptr, indices, codes)``.

        Element ``k``'s neighbours, in increasing order, are ``indices[indptr[k]:indptr[k + 1]]``;
        ``codes`` holds ``k * n + neighbour`` for each of them, sorted (see :func:`in_sorted`).
        """
        n = self.n
        lists = [np.array(sorted(s_), dtype=np.int64) for s_ in self.nbrs]
        indices = np.concatenate(lists) if n else np.empty(0, dtype=np.int64)
        indptr = np.r_[0, np.cumsum(self.degree)].astype(np.int64)
        return indptr, indices, np.repeat(np.arange(n, dtype=np.int64), self.degree) * n + indices


def _bits(lists: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    """Packed bit rows: row k has the bits of the words in ``lists[k]``."""
    dense = np.zeros((len(lists), max(len(vocab), 1)), dtype=bool)
    for row, lst in enumerate(lists):
        for t in lst:
            dense[row, vocab[t]] = True
    return np.packbits(dense, axis=1)


def _ties(v: NetworkMap) -> tuple[np.ndarray, list[set[int]]]:
    """The element IDs and each element's neighbours (the ties of ``v.to_networkx()``)."""
    ids, ties = edge_table(v)
    nbrs: list[set[int]] = [set() for _ in range(len(ids))]
    for a, b in zip(ties["source"].tolist(), ties["target"].tolist()):
        nbrs[a].add(b)
        nbrs[b].add(a)
    return ids, nbrs


def weave_network(
    v: NetworkMap, chosen_types: set[str] | None = None, synonyms: Mapping[str, str] | None = None
) -> WeaveNetwork:
    """Read the visible map ``v`` into a :class:`WeaveNetwork`.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Needs": ["room hire", None]}))
    >>> weave_network(m).needs
    [['meeting space'], []]
    """
    ids, nbrs = _ties(v)
    n = len(ids)
    el = v.element_table()
    types_col = el["Type"].fillna("").astype(str).to_numpy() if "Type" in el else np.full(n, "")
    eligible = np.ones(n, dtype=bool) if chosen_types is None else np.isin(types_col, list(chosen_types))
    degree = np.array([len(s) for s in nbrs], dtype=np.int64)

    table = find_clusters(v, seed=CLUSTER_SEED)
    member = {str(k): int(c) for k, c in table["cluster"].items()}
    cluster_names = {int(c): str(nm) for c, nm in zip(table["cluster"], table["cluster_name"])}

    places = locate(v).reindex(ids)
    items = resource_items(v, synonyms).reindex(ids)
    needs = [list(x) for x in items["needs"]]
    gives = [sorted(set(o) | set(a)) for o, a in zip(items["offers"], items["assets"])]
    vocab = {t: k for k, t in enumerate(sorted({t for lst in needs + gives for t in lst}))}

    by_degree = [int(k) for k in np.argsort(-degree, kind="stable") if eligible[k] and degree[k] > 1]
    core = by_degree[: min(CORE_MAX, max(CORE_MIN, int(math.sqrt(n) / 2)))]
    in_core = np.zeros(n, dtype=bool)
    in_core[core] = True
    return WeaveNetwork(
        ids=ids, labels=el["Label"].astype(str).to_numpy(), eligible=eligible, nbrs=nbrs, degree=degree,
        aa_weight=1.0 / np.log(np.maximum(degree, 1) + 1.0),
        cluster=np.array([member.get(x, -1) for x in ids], dtype=np.int64), cluster_names=cluster_names,
        lat=places["Latitude"].to_numpy(dtype=float), lon=places["Longitude"].to_numpy(dtype=float),
        approx=places["approximate"].fillna(False).to_numpy(dtype=bool),
        bname=places["borough_name"].to_numpy(dtype=object),
        needs=needs, offers=[set(x) for x in items["offers"]], gives=gives,
        need_bits=_bits(needs, vocab), give_bits=_bits(gives, vocab),
        peripheral=(degree <= 1) & eligible, by_degree=by_degree, core=core, in_core=in_core,
    )


def popcount_and(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many bits two sets of packed bit rows have in common, row by row.

    Examples
    --------
    >>> import numpy as np
    >>> popcount_and(np.array([[0b1100]], dtype=np.uint8), np.array([[0b0110]], dtype=np.uint8)).tolist()
    [1]
    """
    if a.shape[1] == 0:
        return np.zeros(a.shape[0], dtype=np.int64)
    return np.unpackbits(a & b, axis=1).sum(axis=1).astype(np.int64)


def in_sorted(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Which ``values`` are in ``codes``, a sorted array (binary search: no sort of ``values``).

    Examples
    --------
    >>> import numpy as np
    >>> in_sorted(np.array([5, 1, 7]), np.array([1, 2, 5])).tolist()
    [True, True, False]
    """
    if not len(codes):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(codes, values), len(codes) - 1)
    return codes[at] == values


def pair_distance(net: WeaveNetwork, i: np.ndarray, j: np.ndarray) -> Any:
    """Kilometres between the elements at positions ``i`` and ``j`` (NaN when one is not placed).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}))
    >>> pair_distance(weave_network(m), np.array([0]), np.array([1])).tolist()
    [nan]
    """
    return haversine_km(net.lat[i], net.lon[i], net.lat[j], net.lon[j])
