"""Network weaving: suggest introductions between elements that are not yet tied.

A network weaver (Krebs and Holley, *Building Smart Communities through
Network Weaving*) helps people meet who should: closing open triangles,
linking the edge of the network to its core, and bridging clusters.
:func:`suggest_introductions` looks for such pairs and scores each one on
four things, which you can weigh as you wish:

``shared``
    shared contacts: both already work with the same elements (a contact who
    works with almost everyone, like a pan-London hub, counts for less than
    one who works with a few: the Adamic-Adar weighting);
``needs_offers``
    one needs what the other offers or holds (see :mod:`cop_toolkit.resources`);
``bridging``
    the two are in different clusters (the introduction would join them), and
    one of them hangs on a single tie (it would depend less on one hub);
``distance``
    how near they are (1 at the same spot, about 0.37 three kilometres apart).

Each part is between 0 and 1; the score is their weighted average, so it is
also between 0 and 1. Every suggestion carries its ``reason`` in plain words
and its expected gain: how many more elements each of the two would reach
within two steps once introduced.

Candidates are found without trying every pair, so 10,000-element maps stay
quick: open triangles come from neighbours of neighbours (a very busy contact
contributes a fixed-size sample of its neighbours), periphery-to-core pairs
from a short list of the best-connected elements, bridges from each cluster's
best-connected members and from a sample of needs-offers pairs, and nearby
pairs from a spatial grid. With ``focus`` every other element is considered.

Never suggested: an element hidden by the privacy rules (a private element or
a person who has not agreed to be shown, see :mod:`cop_toolkit.privacy`), a
pair that already has a connection (public or private), or an element paired
with itself. Hidden elements and private connections are also never used as
a shared contact, so a reason cannot give them away.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import MapError
from .model import NetworkMap, normalise_name, word_list

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["suggest_introductions", "DEFAULT_WEIGHTS", "KINDS"]

#: Default weights of the four parts of the score.
DEFAULT_WEIGHTS: dict[str, float] = {"shared": 1.0, "needs_offers": 1.0, "bridging": 1.0, "distance": 1.0}
#: The kinds of introduction, in the order they are named.
KINDS = ("open triangle", "periphery to core", "bridge", "needs and offers")

_DISTANCE_SCALE_KM = 3.0


# ------------------------------------------------------------------ helpers
def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
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
            close = difflib.get_close_matches(str(key), list(out), n=1)
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


def _check_types(m: NetworkMap, types: Iterable[str] | str | None) -> set[str] | None:
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
            close = difflib.get_close_matches(str(t), present, n=2)
            fix = ("did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else (
                "the map's types are " + ", ".join(f"'{p}'" for p in present)
            )
            raise MapError(f"no element has the type '{t}'", fix=fix)
        chosen.add(hit)
    return chosen


def _visible_map(m: NetworkMap) -> tuple[NetworkMap, set[str]]:
    from .places import _hidden_ids

    hidden = _hidden_ids(m)
    v = m.without(hidden) if hidden else m
    c = v.connections
    if "Visibility" in c.columns:
        private = c["Visibility"].fillna("").astype(str).str.strip().str.lower().eq("private")
        if private.any():
            v = NetworkMap(v.elements, c[~private], dict(v.metadata), list(v.warnings))
    return v, hidden


def _clusters(v: NetworkMap) -> tuple[dict[str, int], dict[int, str]]:
    """Louvain clusters (seed 42) of the visible map, from :func:`cop_toolkit.clusters.find_clusters`."""
    from .clusters import find_clusters

    table = find_clusters(v, seed=42)
    member = {str(k): int(c) for k, c in table["cluster"].items()}
    names = {int(c): str(nm) for c, nm in zip(table["cluster"], table["cluster_name"])}
    return member, names




def _popcount_and(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.shape[1] == 0:
        return np.zeros(a.shape[0], dtype=np.int64)
    return np.unpackbits(a & b, axis=1).sum(axis=1).astype(np.int64)


# ------------------------------------------------------------------ main
def suggest_introductions(
    m: NetworkMap,
    *,
    top: int | None = 20,
    focus: str | None = None,
    per_element: int | None = None,
    types: Iterable[str] | str | None = None,
    weights: Mapping[str, float] | None = None,
    kinds: Iterable[str] | str | None = None,
    synonyms: Mapping[str, str] | None = None,
    near_km: float = 3.0,
    max_candidates: int = 30,
) -> pd.DataFrame:
    """Suggest introductions between elements that are not yet connected.

    Parameters
    ----------
    top : how many suggestions to return, best first (``None`` for all found).
    focus : an element (ID or label): "who should we meet?" — every other
        element is considered for it.
    per_element : instead of ``top``, keep the best ``per_element``
        suggestions for each element.
    types : element types to include at both ends (e.g. ``["Community group"]``).
    weights : how much each part of the score counts, e.g.
        ``{"shared": 1, "needs_offers": 2, "bridging": 1, "distance": 0}``.
    kinds : keep only these kinds (see :data:`KINDS`).
    synonyms : extra wordings to merge for needs and offers.
    near_km : nearby pairs with a need one can meet are also considered up to
        this distance.
    max_candidates : open-triangle candidates kept per element (best first).

    Returns
    -------
    DataFrame, best first: ``ID_a``, ``Label_a``, ``ID_b``, ``Label_b``,
    ``score`` (0-1), ``kind``, ``shared_contacts`` (how many), ``complementary``
    (how many needs one could meet for the other), ``different_clusters``,
    ``distance_km``, ``reach_gain`` (= ``reach_gain_a`` + ``reach_gain_b``:
    how many more elements each would reach within two steps), the four parts
    of the score (``shared_score``, ``needs_offers_score``, ``bridging_score``,
    ``distance_score``) and ``reason`` in plain words.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(
    ...     pd.DataFrame({"ID": ["a", "b", "hub", "p"], "Label": ["Oak Club", "Elm Trust", "Hub", "Pat"],
    ...                   "Type": ["Community group", "Community group", "CVS", "Person"],
    ...                   "Consent": [None, None, None, "no"],
    ...                   "Needs": ["meeting space", None, None, None], "Offers": [None, "room hire", None, None]}),
    ...     pd.DataFrame({"From": ["a", "b", "p"], "To": ["hub", "hub", "a"]}))
    >>> s = suggest_introductions(m)
    >>> s[["Label_a", "Label_b", "kind", "shared_contacts"]]
        Label_a    Label_b           kind  shared_contacts
    0  Oak Club  Elm Trust  open triangle                1
    >>> print(s.loc[0, "reason"])
    Both work with Hub; Elm Trust offers meeting space, which Oak Club needs; distance unknown.
    """
    from .places import locate, near_pairs
    from .resources import _tied_codes, resource_items

    w = _check_weights(weights)
    chosen_types = _check_types(m, types)
    if kinds is not None:
        kinds = {kinds} if isinstance(kinds, str) else set(kinds)
        unknown = kinds - set(KINDS)
        if unknown:
            raise MapError(f"'{sorted(unknown)[0]}' is not a kind of introduction",
                           fix="use " + ", ".join(f"'{k}'" for k in KINDS))
    for name, value in (("top", top), ("per_element", per_element)):
        if value is not None and (not isinstance(value, (int, np.integer)) or value < 1):
            raise MapError(f"{name} must be a whole number of 1 or more, not {value!r}", fix=f"use e.g. {name}=10")

    focus_id = m.resolve(focus) if focus is not None else None
    v, hidden = _visible_map(m)
    if focus_id is not None and focus_id in hidden:
        raise MapError(
            f"'{m.label_of(focus_id)}' is hidden by the privacy rules (private, or a person who has not agreed "
            "to be shown), so no introductions are suggested for it",
            fix="record their agreement in the Consent column (or make the element public) first",
        )
    from .engine import edge_table

    ids, ties = edge_table(v)  # the ties of v.to_networkx(), as a table of positions in ids
    n = len(ids)
    el = v.elements.drop_duplicates("ID").set_index(v.elements["ID"].drop_duplicates().astype(str))
    labels = el["Label"].astype(str).to_numpy()
    types_col = el["Type"].fillna("").astype(str).to_numpy() if "Type" in el else np.full(n, "")
    eligible = np.ones(n, dtype=bool) if chosen_types is None else np.isin(types_col, list(chosen_types))
    nbrs: list[set[int]] = [set() for _ in range(n)]
    for a, b in zip(ties["source"].tolist(), ties["target"].tolist()):
        nbrs[a].add(b)
        nbrs[b].add(a)
    degree = np.array([len(s) for s in nbrs], dtype=np.int64)

    member, cluster_names = _clusters(v)
    cluster = np.array([member.get(x, -1) for x in ids], dtype=np.int64)

    places = locate(v).reindex(ids)
    lat = places["latitude"].to_numpy(dtype=float)
    lon = places["longitude"].to_numpy(dtype=float)
    approx = places["approximate"].fillna(False).to_numpy(dtype=bool)
    bname = places["borough_name"].to_numpy(dtype=object)

    items = resource_items(v, synonyms).reindex(ids)
    needs = [list(x) for x in items["needs"]]
    offers = [set(x) for x in items["offers"]]
    gives = [sorted(set(o) | set(a)) for o, a in zip(items["offers"], items["assets"])]
    vocab = {t: k for k, t in enumerate(sorted({t for lst in needs + gives for t in lst}))}

    def bits(lists: list[list[str]]) -> np.ndarray:
        dense = np.zeros((n, max(len(vocab), 1)), dtype=bool)
        for row, lst in enumerate(lists):
            for t in lst:
                dense[row, vocab[t]] = True
        return np.packbits(dense, axis=1)

    need_bits, give_bits = bits(needs), bits(gives)

    # -------------------------------------------------------------- candidates
    # each generator yields arrays of pairs; the first generator to find a pair names it
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    found_how: list[np.ndarray] = []

    def add(a: Any, b: Any, how: str) -> None:
        a = np.asarray(a, dtype=np.int64).ravel()
        b = np.asarray(b, dtype=np.int64).ravel()
        found_i.append(a)
        found_j.append(b)
        found_how.append(np.full(len(a), how, dtype=object))

    rng = np.random.default_rng(42)
    hub_cap = 60
    nbr_lists = [np.array(sorted(s_), dtype=np.int64) for s_ in nbrs]
    sampled = [
        lst if len(lst) <= hub_cap else np.sort(rng.choice(lst, size=hub_cap, replace=False)) for lst in nbr_lists
    ]
    aa_weight = 1.0 / np.log(np.maximum(degree, 1) + 1.0)
    peripheral = (degree <= 1) & eligible
    by_degree = [int(k) for k in np.argsort(-degree, kind="stable") if eligible[k] and degree[k] > 1]
    core = by_degree[: min(20, max(5, int(math.sqrt(n) / 2)))]
    empty = np.empty(0, dtype=np.int64)
    adjacency_codes = np.unique(np.concatenate([k * n + nbr_lists[k] for k in range(n)] or [empty]))

    if focus_id is not None:
        f = int(np.flatnonzero(ids == focus_id)[0])
        add(np.full(n, f), np.arange(n), "focus")
    else:
        # open triangles: neighbours of neighbours (busy contacts sampled), best few per element
        seg_len = np.array([len(x) for x in sampled], dtype=np.int64)
        flat = np.concatenate(sampled) if n else empty
        ptr = np.r_[0, np.cumsum(seg_len)]
        eu = np.repeat(np.arange(n), degree)
        ev = np.concatenate(nbr_lists) if n else empty
        keep_e = eligible[eu]
        eu, ev = eu[keep_e], ev[keep_e]
        lens = seg_len[ev]
        total = int(lens.sum())
        if total:
            starts = np.repeat(ptr[ev] - np.r_[0, np.cumsum(lens)[:-1]], lens)
            x = flat[starts + np.arange(total)]
            u = np.repeat(eu, lens)
            wgt = np.repeat(aa_weight[ev], lens)
            ok = (x != u) & eligible[x]
            key = u[ok] * n + x[ok]
            wgt = wgt[ok]
            ok2 = ~np.isin(key, adjacency_codes)
            key, wgt = key[ok2], wgt[ok2]
            uniq, inv = np.unique(key, return_inverse=True)
            sums = np.bincount(inv.ravel(), weights=wgt)
            uu = uniq // n
            order = np.lexsort((uniq % n, -sums, uu))
            uu_o = uu[order]
            first = np.r_[0, np.flatnonzero(uu_o[1:] != uu_o[:-1]) + 1]
            rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
            best = order[rank < max_candidates]
            add(uniq[best] // n, uniq[best] % n, "open triangle")
        # periphery to core
        per = np.flatnonzero(peripheral)
        if len(per) and core:
            add(np.repeat(per, len(core)), np.tile(np.array(core), len(per)), "periphery to core")
        # bridges: each cluster's best-connected members, and sampled needs-offers pairs
        ambassadors: dict[int, list[int]] = {}
        for k in by_degree:
            if cluster[k] >= 0 and len(ambassadors.setdefault(int(cluster[k]), [])) < 3:
                ambassadors[int(cluster[k])].append(k)
        keys = sorted(ambassadors)
        bi, bj = [], []
        for x_ in range(len(keys)):
            for y_ in range(x_ + 1, len(keys)):
                for a in ambassadors[keys[x_]]:
                    for b in ambassadors[keys[y_]]:
                        bi.append(a)
                        bj.append(b)
        add(bi, bj, "bridge")
        needers: dict[str, list[int]] = {}
        givers: dict[str, list[int]] = {}
        for k in np.flatnonzero(eligible):
            for t in needs[k]:
                needers.setdefault(t, []).append(int(k))
            for t in gives[k]:
                givers.setdefault(t, []).append(int(k))
        sample = 25
        for t in sorted(needers):
            if t not in givers:
                continue
            a_list, b_list = np.array(needers[t]), np.array(givers[t])
            if len(a_list) > sample:
                a_list = rng.choice(a_list, size=sample, replace=False)
            if len(b_list) > sample:
                b_list = rng.choice(b_list, size=sample, replace=False)
            add(np.repeat(a_list, len(b_list)), np.tile(b_list, len(a_list)), "needs and offers")
        # nearby pairs where one could meet the other's needs
        if near_km and near_km > 0:
            la = lat.copy()
            active = eligible & np.array([bool(x_) or bool(y_) for x_, y_ in zip(needs, gives)], dtype=bool)
            la[~active] = np.nan
            i, j = near_pairs(la, lon, float(near_km))
            if len(i):
                k = _popcount_and(need_bits[i], give_bits[j]) + _popcount_and(give_bits[i], need_bits[j])
                i, j = i[k > 0], j[k > 0]
                if len(i) > 50 * max(n, 1):
                    d = np.asarray(_geo_distance(lat, lon, i, j))
                    keep = np.argsort(d, kind="stable")[: 50 * n]
                    i, j = i[keep], j[keep]
                add(i, j, "needs and offers")

    columns = [
        "ID_a", "Label_a", "ID_b", "Label_b", "score", "kind", "shared_contacts", "complementary",
        "different_clusters", "distance_km", "reach_gain", "reach_gain_a", "reach_gain_b",
        "shared_score", "needs_offers_score", "bridging_score", "distance_score", "reason",
    ]
    if found_i:
        ci, cj = np.concatenate(found_i), np.concatenate(found_j)
        how = np.concatenate(found_how)
        lo, hi = np.minimum(ci, cj), np.maximum(ci, cj)
        ok = (lo != hi) & eligible[lo] & eligible[hi]
        lo, hi, how = lo[ok], hi[ok], how[ok]
        code = lo * n + hi
        ok = ~np.isin(code, _tied_codes(m, ids))
        code, how = code[ok], how[ok]
        code, first_seen = np.unique(code, return_index=True)
        how = how[first_seen]
    else:
        code, how = np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    if len(code) == 0:
        return pd.DataFrame(columns=columns)
    i, j = code // n, code % n
    found_by = how

    # -------------------------------------------------------------- scoring
    shared_n = np.zeros(len(i), dtype=np.int64)
    shared_aa = np.zeros(len(i), dtype=float)
    aa_list = aa_weight.tolist()
    for r, (a, b) in enumerate(zip(i.tolist(), j.tolist())):
        common = nbrs[a] & nbrs[b]
        if common:
            shared_n[r] = len(common)
            shared_aa[r] = sum(aa_list[x] for x in common)
    complementary = _popcount_and(need_bits[i], give_bits[j]) + _popcount_and(give_bits[i], need_bits[j])
    diff_cluster = (cluster[i] != cluster[j]) & (cluster[i] >= 0) & (cluster[j] >= 0)
    dependence = np.maximum(1.0 / np.maximum(degree[i], 1), 1.0 / np.maximum(degree[j], 1))
    dist = np.asarray(_geo_distance(lat, lon, i, j), dtype=float)

    parts = {
        "shared": shared_aa / (1.0 + shared_aa),
        "needs_offers": complementary / (1.0 + complementary),
        "bridging": 0.5 * diff_cluster + 0.5 * dependence,
        "distance": np.where(np.isnan(dist), 0.0, np.exp(-np.nan_to_num(dist) / _DISTANCE_SCALE_KM)),
    }
    total_w = sum(w.values())
    score = sum(w[k] * parts[k] for k in parts) / total_w

    kind = np.where(
        shared_n > 0,
        "open triangle",
        np.where(
            found_by == "periphery to core",
            "periphery to core",
            np.where(diff_cluster, "bridge", "needs and offers"),
        ),
    ).astype(object)
    in_core = np.zeros(n, dtype=bool)
    in_core[core] = True
    kind[(kind == "needs and offers") & ((peripheral[i] & in_core[j]) | (peripheral[j] & in_core[i]))] = (
        "periphery to core"
    )
    keep = np.ones(len(i), dtype=bool)
    if kinds is not None:
        keep &= np.isin(kind, list(kinds))
    # a pair with nothing going for it is not a suggestion
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
        order = np.array(chosen, dtype=np.int64)
    elif top is not None:
        order = order[:top]

    # -------------------------------------------------------------- reasons
    def gain(a: int, b: int) -> int:
        """How many of b and b's contacts a would newly reach within two steps."""
        mine = nbrs[a]
        return sum(
            1 for x in nbrs[b] | {b} if x != a and x not in mine and mine.isdisjoint(nbrs[x])
        )

    def gives_text(giver: int, taker: int) -> str | None:
        things = [t for t in gives[giver] if t in set(needs[taker])]
        if not things:
            return None
        offered = [t for t in things if t in offers[giver]]
        held = [t for t in things if t not in offers[giver]]
        bits_ = []
        if offered:
            bits_.append(f"offers {word_list(offered, limit=4)}")
        if held:
            bits_.append(f"has {word_list(held, limit=4)}")
        return f"{labels[giver]} " + " and ".join(bits_) + f", which {labels[taker]} needs"

    rows = []
    for r in order:
        a, b = int(i[r]), int(j[r])
        reasons = []
        # name the closest-knit shared contacts first (a hub tells less)
        common = sorted(nbrs[a] & nbrs[b], key=lambda x: (degree[x], labels[x]))
        if common:
            reasons.append("both work with " + word_list([labels[x] for x in common], limit=3))
        for giver, taker in ((a, b), (b, a)):
            text = gives_text(giver, taker)
            if text:
                reasons.append(text)
        if diff_cluster[r]:
            reasons.append(
                f"it would join two clusters ({cluster_names.get(int(cluster[a]), 'one')} and "
                f"{cluster_names.get(int(cluster[b]), 'another')})"
            )
        for x, y in ((a, b), (b, a)):
            if degree[x] == 0:
                reasons.append(f"{labels[x]} has no ties on the map yet")
            elif degree[x] == 1 and not common:
                only = next(iter(nbrs[x]))
                reasons.append(f"{labels[x]}'s only tie is to {labels[only]}")
        if kind[r] == "periphery to core":
            core_end = b if in_core[b] else a
            reasons.append(f"{labels[core_end]} is one of the best-connected elements on the map")
        d = dist[r]
        if np.isnan(d):
            reasons.append("distance unknown")
        elif approx[a] and approx[b] and bname[a] == bname[b] and isinstance(bname[a], str):
            reasons.append(f"both in {bname[a]}")
        elif approx[a] or approx[b]:
            reasons.append(f"about {max(d, 0.1):.1f} km apart")
        else:
            reasons.append(f"{d:.1f} km apart")
        ga, gb = gain(a, b), gain(b, a)
        if ga and gb:
            reasons.append(f"{labels[a]} would reach {ga} and {labels[b]} {gb} more elements within two steps")
        elif ga or gb:
            who, more = (labels[a], ga) if ga else (labels[b], gb)
            reasons.append(f"{who} would reach {more} more element{'s' * (more > 1)} within two steps")
        text = "; ".join(reasons)
        rows.append(
            (
                ids[a], labels[a], ids[b], labels[b], round(float(score[r]), 3), kind[r], int(shared_n[r]),
                int(complementary[r]), bool(diff_cluster[r]),
                round(float(d), 2) if not np.isnan(d) else float("nan"), ga + gb, ga, gb,
                round(float(parts["shared"][r]), 3), round(float(parts["needs_offers"][r]), 3),
                round(float(parts["bridging"][r]), 3), round(float(parts["distance"][r]), 3),
                text[0].upper() + text[1:] + ".",
            )
        )
    out = pd.DataFrame(rows, columns=columns)
    out.attrs["weights"] = w
    out.attrs["candidates"] = int(len(i))
    return out


def _geo_distance(lat: np.ndarray, lon: np.ndarray, i: np.ndarray, j: np.ndarray) -> Any:
    from .geography import haversine_km

    return haversine_km(lat[i], lon[i], lat[j], lon[j])
