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
agreed to be shown; see :mod:`cop_toolkit.privacy`) are never named in these
tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import MapError
from .model import NetworkMap, split_values, word_list
from .privacy import is_private_element

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "SYNONYMS",
    "RESOURCE_FIELDS",
    "normalise_item",
    "resource_items",
    "resource_vocabulary",
    "match_needs_offers",
    "AssetMap",
    "asset_map",
]

#: The three multi-valued resource fields.
RESOURCE_FIELDS = ("Needs", "Offers", "Assets")

#: Built-in synonyms: each wording (left) is counted as the common one (right).
#: Extend or override with the ``synonyms`` argument of every function here.
SYNONYMS: dict[str, str] = {
    # places to meet
    "meeting room": "meeting space",
    "room hire": "meeting space",
    "room": "meeting space",
    "hall": "meeting space",
    "hall hire": "meeting space",
    "venue": "meeting space",
    "space": "meeting space",
    "community space": "meeting space",
    "community hall": "meeting space",
    "meeting venue": "meeting space",
    # office and storage
    "office": "office space",
    "desk space": "office space",
    "desk": "office space",
    "storage space": "storage",
    # money
    "funding": "funding",
    "grant": "funding",
    "money": "funding",
    "finance": "funding",
    "small grant": "funding",
    # people
    "volunteer": "volunteers",
    "volunteering": "volunteers",
    "volunteer time": "volunteers",
    "trustee": "trustees",
    "board member": "trustees",
    # know-how
    "training": "training",
    "skills training": "training",
    "fundraising advice": "fundraising support",
    "bid writing": "fundraising support",
    "funding advice": "fundraising support",
    "legal advice": "legal advice",
    "law advice": "legal advice",
    "it support": "digital support",
    "it help": "digital support",
    "tech support": "digital support",
    "digital skills": "digital support",
    "it skills": "digital support",
    "computer skills": "digital support",
    "mentoring": "mentoring",
    "mentor": "mentoring",
    "publicity": "communications",
    "promotion": "communications",
    "comms": "communications",
    "social media": "communications",
    # things
    "van": "transport",
    "minibus": "transport",
    "vehicle": "transport",
    "kitchen space": "kitchen",
    "community kitchen": "kitchen",
    "garden": "garden space",
    "growing space": "garden space",
    "allotment": "garden space",
    "interpreting": "translation",
    "interpreter": "translation",
    "social media help": "communications",
    "commercial kitchen": "kitchen",
    "food": "food",
    "food parcel": "food",
    "surplus food": "food",
    "food supply": "food",
}

_KEEP_S = ("ss", "us", "is", "ics", "news", "premises", "series", "species")


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _clean(text: Any) -> str:
    text = str(text).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _fold(text: Any) -> str:
    return " ".join(_singular(w) for w in _clean(text).split())


def _synonym_table(synonyms: Mapping[str, str] | None) -> dict[str, str]:
    # keys: folded wording (singular); values: the common wording as it is shown
    table = {_fold(k): _clean(v) for k, v in SYNONYMS.items()}
    table.update({k.replace(" ", ""): v for k, v in list(table.items()) if " " in k})
    if synonyms:
        if not isinstance(synonyms, Mapping):
            raise MapError(
                "synonyms must be a dictionary of wording -> common wording",
                fix='write it like {"hall": "meeting space", "cash": "funding"}',
            )
        for k, v in synonyms.items():
            table[_fold(k)] = _clean(v)
            table[_fold(k).replace(" ", "")] = _clean(v)
    return table


def normalise_item(text: Any, synonyms: Mapping[str, str] | None = None) -> str:
    """Put one need, offer or asset into its common wording (the key used for matching).

    A synonym gives its common wording; anything else comes back folded and
    singular (``"DBS checks"`` -> ``"dbs check"``). Tables made from a map
    show such values the way most people on that map wrote them
    (``"dbs checks"``), see :func:`resource_items`.

    Parameters
    ----------
    text : the value as written.
    synonyms : extra ``{"wording": "common wording"}`` pairs, added to :data:`SYNONYMS`.

    Examples
    --------
    >>> normalise_item("  Meeting Rooms ")
    'meeting space'
    >>> normalise_item("Room hire")
    'meeting space'
    >>> normalise_item("Youth Workers")
    'youth worker'
    >>> normalise_item("Cash", synonyms={"cash": "funding"})
    'funding'
    """
    return _normalise(text, _synonym_table(synonyms))


def _synonym_of(key: str, table: Mapping[str, str]) -> str | None:
    if key in table:
        return table[key]
    return table.get(key.replace(" ", ""))  # "mini bus" = "minibus"


def _normalise(text: Any, table: Mapping[str, str]) -> str:
    key = _fold(text)
    shown = key
    seen = {key}
    while (found := _synonym_of(key, table)) is not None:  # follow chains, stopping on loops
        shown = found
        key = _fold(shown)
        if key in seen:
            break
        seen.add(key)
    return shown


def _shown_names(raws: list[str], table: Mapping[str, str]) -> dict[str, str]:
    """Map each value as written to the wording shown for this map.

    Synonyms give their common wording; other values are shown in the form
    most often written (``"IT skills"`` -> ``"it skills"``, not ``"it skill"``).
    """
    keyed = {raw: _normalise(raw, table) for raw in set(raws)}
    from_synonym = {k for raw, k in keyed.items() if _synonym_of(_fold(raw), table) is not None}
    written: dict[str, dict[str, int]] = {}
    for raw in raws:
        k = keyed[raw]
        if k not in from_synonym:
            forms = written.setdefault(k, {})
            forms[_clean(raw)] = forms.get(_clean(raw), 0) + 1
    shown = {k: sorted(f.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, f in written.items()}
    return {raw: shown.get(k, k) for raw, k in keyed.items()}


def resource_items(m: NetworkMap, synonyms: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return each element's needs, offers and assets in common wording.

    Returns
    -------
    DataFrame indexed by ``ID`` with ``Label``, ``Type`` and list columns
    ``needs``, ``offers``, ``assets`` (sorted, without repeats).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"],
    ...                              "Needs": ["Meeting rooms|volunteers|Room hire"]}))
    >>> resource_items(m).loc["a", "needs"]
    ['meeting space', 'volunteers']
    """
    table = _synonym_table(synonyms)
    e = m.elements
    out = pd.DataFrame(
        {
            "Label": e["Label"].to_numpy(),
            "Type": e["Type"].to_numpy() if "Type" in e.columns else np.full(len(e), np.nan, dtype=object),
        },
        index=pd.Index(e["ID"].to_numpy(), name="ID"),
    )
    cells = {c: [split_values(v) for v in e[c]] if c in e.columns else [[] for _ in range(len(e))]
             for c in RESOURCE_FIELDS}
    shown = _shown_names([raw for lists in cells.values() for lst in lists for raw in lst], table)
    for column in RESOURCE_FIELDS:
        values = [sorted({shown[raw] for raw in lst if shown[raw]}) for lst in cells[column]]
        out[column.lower()] = pd.Series(values, index=out.index, dtype=object)
    return out


def resource_vocabulary(m: NetworkMap, synonyms: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Show how each written value was put into common wording, and how often.

    Useful for checking the merging and for spotting synonyms to add.

    Returns
    -------
    DataFrame with ``field``, ``as_written``, ``item`` (common wording) and
    ``elements`` (how many elements wrote it), most used first.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"],
    ...                              "Offers": ["Room hire", "meeting rooms"]}))
    >>> resource_vocabulary(m)[["as_written", "item"]].values.tolist()
    [['Room hire', 'meeting space'], ['meeting rooms', 'meeting space']]
    """
    table = _synonym_table(synonyms)
    rows: dict[tuple[str, str], int] = {}
    for column in RESOURCE_FIELDS:
        if column not in m.elements.columns:
            continue
        for cell in m.elements[column]:
            for raw in set(split_values(cell)):
                rows[(column, raw)] = rows.get((column, raw), 0) + 1
    shown = _shown_names([raw for (f, raw), n in rows.items() for _ in range(n)], table)
    out = pd.DataFrame(
        [(f, raw, shown[raw], n) for (f, raw), n in rows.items()],
        columns=["field", "as_written", "item", "elements"],
    )
    return out.sort_values(["elements", "field", "as_written"], ascending=[False, True, True]).reset_index(
        drop=True
    )


# --------------------------------------------------------------------- matching
def _hidden(m: NetworkMap) -> set[str]:
    hidden = is_private_element(m)
    return set(hidden.index[hidden.to_numpy()])




def _distance_text(km: float, approximate: bool) -> str:
    if km != km:
        return "distance unknown"
    about = "about " if approximate else ""
    if km < 1:
        return f"{about}{km * 1000:.0f} m apart" if not approximate else f"{about}{max(km, 0.1):.1f} km apart"
    return f"{about}{km:.1f} km apart"


def match_needs_offers(
    m: NetworkMap,
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
    DataFrame, one row per (need, offer, item): ``need_id``, ``need_label``,
    ``offer_id``, ``offer_label``, ``item``, ``already_tied``, ``distance_km``,
    ``approximate`` (True when a location is only known to borough level) and
    ``reason`` in plain words. Untied and nearer pairs come first.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Food Bank", "Youth Club"],
    ...     "Needs": ["Meeting rooms", None], "Offers": [None, "room hire"]}))
    >>> match_needs_offers(m)[["need_label", "offer_label", "item", "already_tied"]]
      need_label offer_label           item  already_tied
    0  Food Bank  Youth Club  meeting space         False
    >>> match_needs_offers(m).loc[0, "reason"]
    'Youth Club offers meeting space, which Food Bank needs; they are not yet connected; distance unknown.'
    """
    from .places import locate

    items = resource_items(m, synonyms)
    hidden = _hidden(m)
    items = items[~items.index.isin(hidden)]
    columns = [
        "need_id", "need_label", "offer_id", "offer_label", "item",
        "already_tied", "distance_km", "approximate", "reason",
    ]
    ids = items.index.to_numpy(dtype=object)
    n = len(ids)
    offered: dict[str, list[int]] = {}
    needed: dict[str, list[int]] = {}
    for k, offers in enumerate(items["offers"]):
        for item in offers:
            offered.setdefault(item, []).append(k)
    for k, needs in enumerate(items["needs"]):
        for item in needs:
            needed.setdefault(item, []).append(k)
    places = locate(m).reindex(ids)
    lat = places["latitude"].to_numpy(dtype=float)
    lon = places["longitude"].to_numpy(dtype=float)
    approx = places["approximate"].fillna(False).to_numpy(dtype=bool)
    haversine = _haversine()
    parts_n, parts_o, parts_i = [], [], []
    names = sorted(set(offered) & set(needed))
    for code, item in enumerate(names):
        a = np.array(needed[item], dtype=np.int64)
        b = np.array(offered[item], dtype=np.int64)
        ni, oi = np.repeat(a, len(b)), np.tile(b, len(a))
        keep = ni != oi
        if within_km is not None:
            d = haversine(lat[ni], lon[ni], lat[oi], lon[oi])
            keep &= d <= float(within_km)
        parts_n.append(ni[keep])
        parts_o.append(oi[keep])
        parts_i.append(np.full(int(keep.sum()), code, dtype=np.int64))
    if not parts_n or sum(len(p) for p in parts_n) == 0:
        return pd.DataFrame(columns=columns)
    ni, oi, ii = np.concatenate(parts_n), np.concatenate(parts_o), np.concatenate(parts_i)
    tied_codes = _tied_codes(m, ids)
    lo, hi = np.minimum(ni, oi), np.maximum(ni, oi)
    tied = np.isin(lo * n + hi, tied_codes)
    if not include_tied:
        ni, oi, ii, tied = ni[~tied], oi[~tied], ii[~tied], tied[~tied]
    labels = items["Label"].astype(str).to_numpy()
    dist = np.asarray(haversine(lat[ni], lon[ni], lat[oi], lon[oi]), dtype=float)
    rough = approx[ni] | approx[oi]
    item_names = np.array(names, dtype=object)
    out = pd.DataFrame(
        {
            "need_id": ids[ni],
            "need_label": labels[ni],
            "offer_id": ids[oi],
            "offer_label": labels[oi],
            "item": item_names[ii],
            "already_tied": tied,
            "distance_km": dist,
            "approximate": rough,
        }
    )
    out["reason"] = [
        f"{o} offers {item}, which {nd} needs; "
        + ("they are already connected" if t else "they are not yet connected")
        + "; "
        + _distance_text(d, a)
        + "."
        for nd, o, item, t, d, a in zip(
            out["need_label"], out["offer_label"], out["item"], out["already_tied"],
            out["distance_km"], out["approximate"],
        )
    ]
    out = out.sort_values(
        ["already_tied", "distance_km", "item", "need_label", "offer_label"], na_position="last"
    )
    return out[columns].reset_index(drop=True)


def _haversine():  # type: ignore[no-untyped-def]
    from .geography import haversine_km

    return haversine_km


def _tied_codes(m: NetworkMap, ids: np.ndarray) -> np.ndarray:
    """Existing ties (any visibility) as ``low * n + high`` codes over positions in ``ids``."""
    pos = pd.Series(np.arange(len(ids)), index=pd.Index(ids))
    c = m.connections
    a = pos.reindex(c["From"].astype(str)).to_numpy(dtype=float)
    b = pos.reindex(c["To"].astype(str)).to_numpy(dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b)) & (a != b)
    a, b = a[ok].astype(np.int64), b[ok].astype(np.int64)
    return np.unique(np.minimum(a, b) * len(ids) + np.maximum(a, b))


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


def asset_map(m: NetworkMap, *, synonyms: Mapping[str, str] | None = None) -> AssetMap:
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
    from .places import locate

    items = resource_items(m, synonyms)
    hidden = _hidden(m)
    items = items[~items.index.isin(hidden)]
    places = locate(m)
    borough = places["borough_code"].reindex(items.index)
    borough_name = places["borough_name"].reindex(items.index)

    import networkx as nx

    G = nx.Graph(name="elements and assets")
    for eid, assets in items["assets"].items():
        if not assets:
            continue
        G.add_node(eid, bipartite=0, Label=items.at[eid, "Label"], kind="element")
        for item in assets:
            node = f"asset: {item}"
            G.add_node(node, bipartite=1, Label=item, kind="asset")
            G.add_edge(eid, node)

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
    sole_holders = pd.DataFrame(sole_rows, columns=["item", "ID", "Label", "borough_name", "reason"])

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
    notes = []
    if hidden:
        notes.append(f"{len(hidden)} element(s) hidden by the privacy rules are left out.")
    return AssetMap(inventory, by_borough, sole_holders, G, shared, notes)
