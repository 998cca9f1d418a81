"""Needs, offers and assets: who could help whom, and who shares what.

Elements list what they ``Needs``, what they ``Offers`` and the ``Assets``
they hold, several to a cell separated by ``|`` (``meeting space|volunteers``).
People write the same thing in different ways, so every value is first put
into one common wording by :func:`normalise_item`:

* case, spacing and punctuation are folded (``"Meeting  Space "`` ->
  ``"meeting space"``; ``&`` becomes ``and``);
* plurals become singular (``"meeting rooms"`` -> ``"meeting room"``);
* simple synonyms are merged (``"room hire"`` and ``"meeting room"`` ->
  ``"meeting space"``); the built-in list is :data:`SYNONYMS` and you can add
  your own: ``synonyms={"hall": "meeting space"}``.

:func:`match_needs_offers` then pairs each need with the elements that offer
it, :func:`asset_map` builds the element-asset (two-mode) map, its projection
onto elements, an inventory per borough and the assets only one element holds.

Elements that the privacy rules hide (private elements, people who have not
agreed to be shown; see :mod:`cop_toolkit.core.privacy`) are never named in these
tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import tied_codes
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.privacy import hidden_ids
from cop_toolkit.core.vocabulary import resource_items
from cop_toolkit.geo.boroughs import haversine_km
from cop_toolkit.geo.locate import locate, rough_distance_words

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["match_needs_offers", "AssetMap", "asset_map"]

# --------------------------------------------------------------------- matching


def _distance_text(km: float, approximate: bool, borough_a: object = None, borough_b: object = None) -> str:
    if km != km:
        return "distance unknown"
    if approximate:
        return rough_distance_words(km, borough_a, borough_b)
    if km < 1:
        return f"{km * 1000:.0f} m apart"
    return f"{km:.1f} km apart"


def match_needs_offers(
    m: NetworkMap | nx.Graph,
    *,
    synonyms: Mapping[str, str] | None = None,
    within_km: float | None = None,
    include_tied: bool = True,
) -> pd.DataFrame:
    """Pair every need with the elements that offer the same thing.

    Parameters
    ----------
    synonyms : extra wordings to merge (see :func:`normalise_item`).
    within_km : keep only pairs at most this far apart (pairs with unknown
        distance are dropped when this is set).
    include_tied : keep pairs that already have a connection (marked in
        ``already_tied``); ``False`` keeps only new possibilities.

    Returns
    -------
    DataFrame, one row per (need, offer, item), in the pair schema: ``ID_a``,
    ``Label_a`` (the element that needs), ``ID_b``, ``Label_b`` (the element
    that offers), ``item``, ``already_tied``, ``distance_km``,
    ``approximate`` (True when a location is only known to borough level) and
    ``reason`` in plain words. Untied and nearer pairs come first.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Food Bank", "Youth Club"],
    ...     "Needs": ["Meeting rooms", None], "Offers": [None, "room hire"]}))
    >>> match_needs_offers(m)[["Label_a", "Label_b", "item", "already_tied"]]
         Label_a     Label_b           item  already_tied
    0  Food Bank  Youth Club  meeting space         False
    >>> match_needs_offers(m).loc[0, "reason"]
    'Youth Club offers meeting space, which Food Bank needs; they are not yet connected; distance unknown.'
    """
    m = as_map(m)
    items = resource_items(m, synonyms)
    hidden = hidden_ids(m)
    items = items[~items.index.isin(hidden)]
    ids = items.index.to_numpy(dtype=object)
    places = locate(m).reindex(ids)
    lat = places["Latitude"].to_numpy(dtype=float)
    lon = places["Longitude"].to_numpy(dtype=float)
    approx = places["approximate"].fillna(False).to_numpy(dtype=bool)
    bname = places["borough_name"].to_numpy(dtype=object)
    names, ni, oi, ii = _need_offer_pairs(items, lat, lon, within_km)
    if len(ni) == 0:
        return pd.DataFrame(columns=_MATCH_COLUMNS)
    lo, hi = np.minimum(ni, oi), np.maximum(ni, oi)
    tied = np.isin(lo * len(ids) + hi, tied_codes(m, ids))
    if not include_tied:
        ni, oi, ii, tied = ni[~tied], oi[~tied], ii[~tied], tied[~tied]
    labels = items["Label"].astype(str).to_numpy()
    out = pd.DataFrame(
        {
            "ID_a": ids[ni],
            "Label_a": labels[ni],
            "ID_b": ids[oi],
            "Label_b": labels[oi],
            "item": np.array(names, dtype=object)[ii],
            "already_tied": tied,
            "distance_km": np.asarray(haversine_km(lat[ni], lon[ni], lat[oi], lon[oi]), dtype=float),
            "approximate": approx[ni] | approx[oi],
        }
    )
    out["reason"] = [
        f"{o} offers {item}, which {nd} needs; "
        + ("they are already connected" if t else "they are not yet connected")
        + "; "
        + _distance_text(d, a, ba, bb)
        + "."
        for nd, o, item, t, d, a, ba, bb in zip(
            out["Label_a"], out["Label_b"], out["item"], out["already_tied"],
            out["distance_km"], out["approximate"], bname[ni], bname[oi],
        )
    ]
    out = out.sort_values(
        ["already_tied", "distance_km", "item", "Label_a", "Label_b"], na_position="last"
    )
    return out[_MATCH_COLUMNS].reset_index(drop=True)


#: The columns of :func:`match_needs_offers`.
_MATCH_COLUMNS = [
    "ID_a", "Label_a", "ID_b", "Label_b", "item",
    "already_tied", "distance_km", "approximate", "reason",
]


def _need_offer_pairs(
    items: pd.DataFrame, lat: np.ndarray, lon: np.ndarray, within_km: float | None
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The items both needed and offered, and every (needer, offerer, item) as positions, near enough."""
    offered: dict[str, list[int]] = {}
    needed: dict[str, list[int]] = {}
    for k, offers in enumerate(items["offers"]):
        for item in offers:
            offered.setdefault(item, []).append(k)
    for k, needs in enumerate(items["needs"]):
        for item in needs:
            needed.setdefault(item, []).append(k)
    parts_n, parts_o, parts_i = [], [], []
    names = sorted(set(offered) & set(needed))
    for code, item in enumerate(names):
        a = np.array(needed[item], dtype=np.int64)
        b = np.array(offered[item], dtype=np.int64)
        ni, oi = np.repeat(a, len(b)), np.tile(b, len(a))
        keep = ni != oi
        if within_km is not None:
            d = haversine_km(lat[ni], lon[ni], lat[oi], lon[oi])
            keep &= d <= float(within_km)
        parts_n.append(ni[keep])
        parts_o.append(oi[keep])
        parts_i.append(np.full(int(keep.sum()), code, dtype=np.int64))
    if not parts_n:
        empty = np.zeros(0, dtype=np.int64)
        return names, empty, empty, empty
    return names, np.concatenate(parts_n), np.concatenate(parts_o), np.concatenate(parts_i)


# --------------------------------------------------------------------- assets
@dataclass
class AssetMap:
    """The assets of a map, seen five ways.

    Attributes
    ----------
    inventory : one row per asset (``item``): ``holders`` (count),
        ``holder_ids``, ``holder_labels``, ``boroughs``.
    by_borough : one row per (borough ``code``, ``item``): ``name``, ``holders``.
    sole_holders : assets held by only one element (a single point of
        failure): ``item``, ``ID``, ``Label``, ``borough_name``, ``reason``.
    two_mode : networkx bipartite graph; element nodes have ``bipartite=0``,
        asset nodes (named ``"asset: <item>"``) have ``bipartite=1``.
    shared : element-element projection of ``two_mode`` (who holds the same
        assets, so could share or cover for each other): ``ID_a``, ``Label_a``,
        ``ID_b``, ``Label_b``, ``shared_assets`` (count), ``items``.
    notes : plain-words notes (e.g. how many hidden elements were left out).
    """

    inventory: pd.DataFrame
    by_borough: pd.DataFrame
    sole_holders: pd.DataFrame
    two_mode: nx.Graph
    shared: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def asset_map(m: NetworkMap | nx.Graph, *, synonyms: Mapping[str, str] | None = None) -> AssetMap:
    """Build the element-asset map, its projection, a borough inventory and sole holders.

    Parameters
    ----------
    synonyms : extra wordings to merge (see :func:`normalise_item`).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...     "Assets": ["minibus|hall", "Hall", "kitchen"]}))
    >>> am = asset_map(m)
    >>> am.inventory[["item", "holders"]].values.tolist()
    [['meeting space', 2], ['kitchen', 1], ['transport', 1]]
    >>> am.shared[["ID_a", "ID_b", "items"]].values.tolist()
    [['a', 'b', 'meeting space']]
    >>> sorted(am.sole_holders["item"])
    ['kitchen', 'transport']
    """
    m = as_map(m)
    items = resource_items(m, synonyms)
    hidden = hidden_ids(m)
    items = items[~items.index.isin(hidden)]
    places = locate(m)
    borough = places["borough_code"].reindex(items.index)
    borough_name = places["borough_name"].reindex(items.index)

    G = _two_mode(items)
    inventory, by_borough = _inventories(items, borough, borough_name)
    sole_holders = _sole_holders(items, inventory, borough_name)
    shared = _shared(items, inventory)
    notes = []
    if hidden:
        notes.append(f"{len(hidden)} element(s) hidden by the privacy rules are left out.")
    return AssetMap(inventory, by_borough, sole_holders, G, shared, notes)


def _two_mode(items: pd.DataFrame) -> nx.Graph:
    """The element-asset (bipartite) graph."""
    import networkx as nx  # deferred: heavy

    G = nx.Graph(name="elements and assets")
    for eid, assets in items["assets"].items():
        if not assets:
            continue
        G.add_node(eid, bipartite=0, Label=items.at[eid, "Label"], kind="element")
        for item in assets:
            node = f"asset: {item}"
            G.add_node(node, bipartite=1, Label=item, kind="asset")
            G.add_edge(eid, node)
    return G


def _inventories(items: pd.DataFrame, borough: pd.Series, borough_name: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per asset (its holders and boroughs), and one per (borough, asset)."""
    long = items["assets"].explode().dropna()
    long = pd.DataFrame({"ID": long.index, "item": long.to_numpy()})
    long["Label"] = items["Label"].loc[long["ID"]].to_numpy()
    long["borough_code"] = borough.loc[long["ID"]].to_numpy()
    long["borough_name"] = borough_name.loc[long["ID"]].to_numpy()

    if len(long):
        inventory = (
            long.groupby("item", sort=False)
            .agg(
                holders=("ID", "nunique"),
                holder_ids=("ID", lambda s: sorted(set(s))),
                holder_labels=("Label", lambda s: sorted(set(map(str, s)))),
                boroughs=("borough_name", lambda s: sorted({str(v) for v in s if isinstance(v, str)})),
            )
            .reset_index()
            .sort_values(["holders", "item"], ascending=[False, True])
            .reset_index(drop=True)
        )
        by_borough = (
            long.dropna(subset=["borough_code"])
            .groupby(["borough_code", "borough_name", "item"])
            .agg(holders=("ID", "nunique"))
            .reset_index()
            .rename(columns={"borough_code": "code", "borough_name": "name"})
            .sort_values(["code", "holders", "item"], ascending=[True, False, True])
            .reset_index(drop=True)
        )
    else:
        inventory = pd.DataFrame(columns=["item", "holders", "holder_ids", "holder_labels", "boroughs"])
        by_borough = pd.DataFrame(columns=["code", "name", "item", "holders"])
    return inventory, by_borough


def _sole_holders(items: pd.DataFrame, inventory: pd.DataFrame, borough_name: pd.Series) -> pd.DataFrame:
    """The assets only one element holds, with a plain reason."""
    sole = inventory[inventory["holders"] == 1]
    sole_rows = []
    for item, ids in zip(sole["item"], sole["holder_ids"]):
        eid = ids[0]
        label = items.at[eid, "Label"]
        where = borough_name.get(eid)
        where_text = f" in {where}" if isinstance(where, str) else ""
        sole_rows.append(
            (item, eid, label, where if isinstance(where, str) else None,
             f"Only {label}{where_text} holds {item}: if it closes or stops sharing, "
             "no one else on the map can offer it.")
        )
    return pd.DataFrame(sole_rows, columns=["item", "ID", "Label", "borough_name", "reason"])


def _shared(items: pd.DataFrame, inventory: pd.DataFrame) -> pd.DataFrame:
    """Element-element projection: pairs that hold the same assets, most shared first."""
    # projection onto elements: for each asset, every pair of its holders (numpy, not pairwise loops)
    ids = items.index.to_numpy(dtype=object)
    pos = {x: k for k, x in enumerate(ids)}
    n = len(ids)
    pair_parts, item_parts = [], []
    for code, holder_ids in enumerate(inventory["holder_ids"]):
        h = np.array(sorted(pos[x] for x in holder_ids), dtype=np.int64)
        if len(h) > 1:
            a, b = np.triu_indices(len(h), k=1)
            pair_parts.append(h[a] * n + h[b])
            item_parts.append(np.full(len(a), code, dtype=np.int64))
    shared_columns = ["ID_a", "Label_a", "ID_b", "Label_b", "shared_assets", "items"]
    if pair_parts:
        pair = np.concatenate(pair_parts)
        item_code = np.concatenate(item_parts)
        order = np.lexsort((item_code, pair))
        pair, item_code = pair[order], item_code[order]
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        counts = np.diff(np.r_[starts, len(pair)])
        item_names = inventory["item"].to_numpy(dtype=object)
        joined = [", ".join(sorted(item_names[item_code[s_:s_ + c_]])) for s_, c_ in zip(starts, counts)]
        ia, ib = pair[starts] // n, pair[starts] % n
        labels = items["Label"].astype(str).to_numpy()
        shared = pd.DataFrame(
            {"ID_a": ids[ia], "Label_a": labels[ia], "ID_b": ids[ib], "Label_b": labels[ib],
             "shared_assets": counts, "items": joined}
        )
        flip = shared["ID_a"].astype(str) > shared["ID_b"].astype(str)
        if flip.any():
            shared.loc[flip, ["ID_a", "Label_a", "ID_b", "Label_b"]] = shared.loc[
                flip, ["ID_b", "Label_b", "ID_a", "Label_a"]
            ].to_numpy()
        shared = shared.sort_values(["shared_assets", "ID_a", "ID_b"], ascending=[False, True, True])
        shared = shared.reset_index(drop=True)
    else:
        shared = pd.DataFrame(columns=shared_columns)
    return shared
