"""Local sharing: nearby pairs with no tie where one needs what the other offers or holds.

:func:`local_sharing` finds them; :func:`near_pairs` is the grid search behind it.
Elements are placed by :func:`cop_toolkit.geo.locate.locate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import tied_codes
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.privacy import hidden_ids
from cop_toolkit.core.text import word_list
from cop_toolkit.core.vocabulary import resource_items
from cop_toolkit.geo import boroughs as geography
from cop_toolkit.geo.locate import KM_PER_DEGREE_LAT, locate, rough_distance_words

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["local_sharing", "near_pairs", "Area", "AREAS"]

#: What counts as near for :func:`local_sharing`: a distance, the same borough, or the same or a neighbouring one.
Area = Literal["distance", "borough", "adjacent"]
#: The allowed values of ``area``.
AREAS: tuple[str, ...] = get_args(Area)

# ------------------------------------------------------------------ sharing
def _local_xy(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat0 = np.radians(np.nanmean(lat)) if len(lat) else 0.0
    return lon * KM_PER_DEGREE_LAT * np.cos(lat0), lat * KM_PER_DEGREE_LAT


def near_pairs(lat: np.ndarray, lon: np.ndarray, within_km: float) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of points (i < j) at most ``within_km`` apart, found with a square grid.

    Points are binned into cells ``within_km`` wide, so only points in the same
    or neighbouring cells are compared (never all pairs). Points with a
    missing coordinate are skipped.

    Examples
    --------
    >>> import numpy as np
    >>> i, j = near_pairs(np.array([51.50, 51.501, 51.60]), np.array([-0.1, -0.1, -0.1]), 1.0)
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 1)]
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    ok = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon)))
    if len(ok) < 2 or within_km <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    x, y = _local_xy(lat[ok], lon[ok])
    cx = np.floor((x - x.min()) / within_km).astype(np.int64)
    cy = np.floor((y - y.min()) / within_km).astype(np.int64)
    order = np.lexsort((cy, cx))
    keys = cx[order] * (cy.max() + 3) + cy[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    cells = {(int(cx[order[s]]), int(cy[order[s]])): order[s:e] for s, e in zip(starts, ends)}
    parts_i, parts_j = [], []
    for (gx, gy), members in cells.items():
        if len(members) > 1:
            a, b = np.triu_indices(len(members), k=1)
            parts_i.append(members[a])
            parts_j.append(members[b])
        for dx, dy in ((1, -1), (1, 0), (1, 1), (0, 1)):
            other = cells.get((gx + dx, gy + dy))
            if other is not None:
                parts_i.append(np.repeat(members, len(other)))
                parts_j.append(np.tile(other, len(members)))
    if not parts_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    i = np.concatenate(parts_i)
    j = np.concatenate(parts_j)
    d = np.asarray(geography.haversine_km(lat[ok][i], lon[ok][i], lat[ok][j], lon[ok][j]), dtype=float)
    keep = d <= within_km
    gi, gj = ok[i[keep]], ok[j[keep]]
    lo, hi = np.minimum(gi, gj), np.maximum(gi, gj)
    order = np.lexsort((hi, lo))
    return lo[order], hi[order]


def _borough_pairs(codes: np.ndarray, active: np.ndarray, adjacent: bool) -> tuple[np.ndarray, np.ndarray]:
    groups: dict[str, np.ndarray] = {}
    valid = np.flatnonzero(active & np.array([isinstance(c, str) for c in codes], dtype=bool))
    for c in sorted({codes[i] for i in valid}):
        groups[c] = valid[codes[valid] == c]
    blocks = [(c, c) for c in groups]
    if adjacent:
        adj = geography.adjacent_boroughs()
        blocks += [
            (a, b) for a, b in zip(adj["code_a"], adj["code_b"]) if a < b and a in groups and b in groups
        ]
    parts_i, parts_j = [], []
    for a, b in blocks:
        ga, gb = groups[a], groups[b]
        if a == b:
            if len(ga) > 1:
                x, y = np.triu_indices(len(ga), k=1)
                parts_i.append(ga[x])
                parts_j.append(ga[y])
        else:
            parts_i.append(np.repeat(ga, len(gb)))
            parts_j.append(np.tile(gb, len(ga)))
    if not parts_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    i, j = np.concatenate(parts_i), np.concatenate(parts_j)
    return np.minimum(i, j), np.maximum(i, j)


def _bits(lists: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    dense = np.zeros((len(lists), max(len(vocab), 1)), dtype=bool)
    for row, items in enumerate(lists):
        for item in items:
            dense[row, vocab[item]] = True
    return np.packbits(dense, axis=1)


def _any_common(a: np.ndarray, b: np.ndarray, i: np.ndarray, j: np.ndarray, chunk: int = 500_000) -> np.ndarray:
    out = np.zeros(len(i), dtype=bool)
    for s in range(0, len(i), chunk):
        out[s : s + chunk] = (a[i[s : s + chunk]] & b[j[s : s + chunk]]).any(axis=1)
    return out


def _count_common(a: np.ndarray, b: np.ndarray, i: np.ndarray, j: np.ndarray, chunk: int = 500_000) -> np.ndarray:
    out = np.zeros(len(i), dtype=np.int64)
    for s in range(0, len(i), chunk):
        both = a[i[s : s + chunk]] & b[j[s : s + chunk]]
        out[s : s + chunk] = np.unpackbits(both, axis=1).sum(axis=1)
    return out


def local_sharing(
    m: NetworkMap | nx.Graph,
    *,
    within_km: float | None = 2.0,
    area: Area = "distance",
    synonyms: Mapping[str, str] | None = None,
    element: str | None = None,
    top: int | None = None,
    places: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Find nearby pairs with no tie that could share: where sharing could happen but doesn't yet.

    A pair qualifies when the two have no connection and one of them needs
    something the other offers or holds as an asset (in either direction),
    and they are close:

    * ``area="distance"`` (default): at most ``within_km`` apart (elements
      with no location are skipped; borough-level places count, marked
      ``approximate``);
    * ``area="borough"``: in the same borough;
    * ``area="adjacent"``: in the same or a neighbouring borough.

    Candidates come from a spatial grid (or borough blocks), never from all
    pairs, so maps of 10,000 elements stay quick. Elements hidden by the
    privacy rules are never suggested.

    Parameters
    ----------
    within_km : greatest distance for ``area="distance"``.
    area : ``"distance"``, ``"borough"`` or ``"adjacent"``.
    synonyms : extra wordings to merge (see :func:`cop_toolkit.building.resources.normalise_item`).
    element : keep only pairs involving this element (ID or label).
    top : keep the best ``top`` pairs (most items first, then nearest).
    places : the map's :func:`~cop_toolkit.geo.locate.locate` table, if you already have it.

    Returns
    -------
    DataFrame with ``ID_a``, ``Label_a``, ``ID_b``, ``Label_b``, ``items``
    (number of things one could give the other), ``a_gives``, ``b_gives``
    (the items, ``|``-separated), ``distance_km``, ``borough_a``,
    ``borough_b``, ``approximate`` and ``reason``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Food Bank", "Youth Club", "Far Away"],
    ...     "Latitude": [51.520, 51.525, 51.40], "Longitude": [-0.07, -0.06, -0.30],
    ...     "Needs": ["meeting rooms", None, "meeting space"], "Assets": [None, "community hall", None]}))
    >>> s = local_sharing(m, within_km=2)
    >>> s[["Label_a", "Label_b", "b_gives"]]
         Label_a     Label_b        b_gives
    0  Food Bank  Youth Club  meeting space
    >>> s.loc[0, "reason"]
    'Youth Club has meeting space, which Food Bank needs; 0.9 km apart, with no tie yet.'
    """
    m = as_map(m)
    if area not in AREAS:
        raise MapError(
            f"'{area}' is not a kind of area for local sharing",
            fix='use area="distance", area="borough" or area="adjacent"',
        )
    if area == "distance" and (within_km is None or not float(within_km) > 0):
        raise MapError("within_km must be a distance above 0 km", fix="give a distance such as within_km=2")
    focus_id = m.resolve(element) if element is not None else None

    places = locate(m) if places is None else places
    items = resource_items(m, synonyms).reindex(places.index)
    hidden = hidden_ids(m)
    ids = places.index.to_numpy()
    needs = list(items["needs"])
    gives = [sorted(set(o) | set(a)) for o, a in zip(items["offers"], items["assets"])]
    visible = ~pd.Index(ids).isin(list(hidden)) if hidden else np.ones(len(ids), dtype=bool)  # hashed, not sorted
    active = visible & np.array([bool(x) or bool(y) for x, y in zip(needs, gives)], dtype=bool)
    i, j = _near(places, active, area, within_km)
    if focus_id is not None:
        f = int(np.flatnonzero(ids == focus_id)[0])
        keep = (i == f) | (j == f)
        i, j = i[keep], j[keep]
    vocab = {item: k for k, item in enumerate(sorted({x for lst in needs + gives for x in lst}))}
    need_bits, give_bits = _bits(needs, vocab), _bits(gives, vocab)
    useful = _any_common(need_bits, give_bits, i, j) | _any_common(give_bits, need_bits, i, j)
    i, j = i[useful], j[useful]
    if len(i):
        not_tied = ~np.isin(np.minimum(i, j) * len(ids) + np.maximum(i, j), tied_codes(m, ids))
        i, j = i[not_tied], j[not_tied]
    if len(i) == 0:
        return pd.DataFrame(columns=_COLUMNS)
    lat_all = places["Latitude"].to_numpy(dtype=float)
    lon_all = places["Longitude"].to_numpy(dtype=float)
    dist = np.asarray(geography.haversine_km(lat_all[i], lon_all[i], lat_all[j], lon_all[j]), dtype=float).round(2)
    counts = _count_common(give_bits, need_bits, i, j) + _count_common(give_bits, need_bits, j, i)
    # best first (most items, then nearest); reasons are written only for the rows kept
    order = np.lexsort((j, i, dist, -counts))
    if top is not None:
        order = order[: int(top)]
    return _sharing_table(places, needs, gives, [set(o) for o in items["offers"]], area, i[order], j[order], dist[order])


#: The columns of :func:`local_sharing`.
_COLUMNS = [
    "ID_a", "Label_a", "ID_b", "Label_b", "items", "a_gives", "b_gives",
    "distance_km", "borough_a", "borough_b", "approximate", "reason",
]


def _near(places: pd.DataFrame, active: np.ndarray, area: Area, within_km: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of active elements close enough for ``area`` (a spatial grid or borough blocks)."""
    if area == "distance":
        lat = places["Latitude"].to_numpy(dtype=float).copy()
        lat[~active] = np.nan
        return near_pairs(lat, places["Longitude"].to_numpy(dtype=float).copy(), float(within_km))
    return _borough_pairs(places["borough_code"].to_numpy(dtype=object), active, adjacent=area == "adjacent")


def _says(labels: np.ndarray, offer_sets: list[set[str]], giver: int, taker: int, things: list[str]) -> str:
    """"<giver> offers X and has Y, which <taker> needs"."""
    offered = [t for t in things if t in offer_sets[giver]]
    held = [t for t in things if t not in offer_sets[giver]]
    parts = []
    if offered:
        parts.append(f"offers {word_list(offered)}")
    if held:
        parts.append(f"has {word_list(held)}")
    return f"{labels[giver]} " + " and ".join(parts) + f", which {labels[taker]} needs"


def _where(area: Area, rough: bool, name_a: object, name_b: object, d: float) -> str:
    """How near the two are, in words (by borough when only the borough is known)."""
    if not rough:
        return f"{d:.1f} km apart"
    if area == "distance":
        return rough_distance_words(d, name_a, name_b)
    if name_a == name_b:
        return f"both in {name_a}"
    return f"in neighbouring {name_a} and {name_b}"


def _sharing_table(
    places: pd.DataFrame, needs: list[list[str]], gives: list[list[str]], offer_sets: list[set[str]],
    area: Area, i: np.ndarray, j: np.ndarray, dist: np.ndarray,
) -> pd.DataFrame:
    """The table of :func:`local_sharing` for the pairs ``(i, j)``, with their reasons."""
    ids = places.index.to_numpy()
    a_gives = [sorted(set(gives[x]) & set(needs[y])) for x, y in zip(i, j)]
    b_gives = [sorted(set(gives[y]) & set(needs[x])) for x, y in zip(i, j)]
    approx = places["approximate"].to_numpy(dtype=bool)
    labels = places["Label"].astype(str).to_numpy()
    bname = places["borough_name"].to_numpy(dtype=object)
    reasons = []
    for x, y, ag, bg, d in zip(i, j, a_gives, b_gives, dist):
        parts = []
        if ag:
            parts.append(_says(labels, offer_sets, x, y, ag))
        if bg:
            parts.append(_says(labels, offer_sets, y, x, bg))
        where = _where(area, bool(approx[x] or approx[y]), bname[x], bname[y], d)
        reasons.append("; ".join(parts) + f"; {where}, with no tie yet.")
    out = pd.DataFrame(
        {
            "ID_a": ids[i],
            "Label_a": labels[i],
            "ID_b": ids[j],
            "Label_b": labels[j],
            "items": [len(a) + len(b) for a, b in zip(a_gives, b_gives)],
            "a_gives": ["|".join(a) for a in a_gives],
            "b_gives": ["|".join(b) for b in b_gives],
            "distance_km": dist,
            "borough_a": bname[i],
            "borough_b": bname[j],
            "approximate": approx[i] | approx[j],
            "reason": reasons,
        }
    )
    return out[_COLUMNS].reset_index(drop=True)


