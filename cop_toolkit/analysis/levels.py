"""Levels (grassroots, borough, pan-London) and networks of networks.

:func:`tie_levels` sorts ties by the levels of their two ends ("bottom-across"
for grassroots-grassroots, "bottom-up" for grassroots-borough, ...).
:func:`network_of_networks` collapses ``Membership`` ties into a map whose
elements are the networks (elements that have members), tied when they share
members or are tied directly; :func:`network_metrics` measures that map.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from cop_toolkit.analysis.metrics import element_metrics
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap  # noqa: F401  (used in doctests)
from cop_toolkit.core.schema import LEVELS
from cop_toolkit.core.text import normalise_name

__all__ = ["TIE_KINDS", "element_levels", "tie_levels", "network_of_networks", "network_metrics"]

#: Level used when an element's ``Level`` is blank, by element type.
TYPE_LEVELS = {
    "Community group": "grassroots",
    "Social enterprise": "grassroots",
    "Borough network": "borough",
    "CVS": "borough",
    "Pan-London body": "pan-London",
}

#: Name and plain description of each kind of tie, keyed by the (lower, upper) level pair.
TIE_KINDS: dict[tuple[str, str], tuple[str, str]] = {
    ("grassroots", "grassroots"): ("bottom-across", "grassroots groups tied to each other"),
    ("borough", "borough"): ("middle-across", "borough bodies tied to each other"),
    ("pan-London", "pan-London"): ("top-across", "pan-London bodies tied to each other"),
    ("grassroots", "borough"): ("bottom-up", "grassroots groups tied to borough bodies"),
    ("borough", "pan-London"): ("middle-up", "borough bodies tied to pan-London bodies"),
    ("grassroots", "pan-London"): ("bottom-to-top", "grassroots groups tied straight to pan-London bodies"),
}


def element_levels(m: NetworkMap | nx.Graph) -> pd.Series:
    """Each element's level: its ``Level`` field, else one inferred from its type.

    Community groups and social enterprises count as grassroots, borough
    networks and CVSs as borough, pan-London bodies as pan-London; others
    with no ``Level`` are left blank (NaN). Values are matched loosely
    ("Pan London", "pan-london" -> "pan-London").

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Type": ["CVS", "Funder"]}))
    >>> element_levels(m).tolist()
    ['borough', nan]
    """
    m = as_map(m)
    el = m.element_table()
    folded = {normalise_name(lv): lv for lv in LEVELS}
    raw = el["Level"] if "Level" in el else pd.Series(np.nan, index=el.index, dtype=object)
    level = raw.map(lambda v: folded.get(normalise_name(v), np.nan) if isinstance(v, str) else np.nan)
    if "Type" in el:
        level = level.astype(object).fillna(el["Type"].map(TYPE_LEVELS).astype(object))
    return level.astype(object).rename("Level")


def tie_levels(m: NetworkMap | nx.Graph, *, by_type: bool = False) -> pd.DataFrame:
    """Share of ties at each combination of levels (across a level, or up between levels).

    Each merged tie (a pair of elements with at least one connection) is
    classed by the levels of its two ends: ``bottom-across``
    (grassroots-grassroots), ``middle-across`` (borough-borough),
    ``top-across`` (pan-London-pan-London), ``bottom-up``
    (grassroots-borough), ``middle-up`` (borough-pan-London),
    ``bottom-to-top`` (grassroots-pan-London) and ``level unknown``.

    Parameters
    ----------
    m : the map.
    by_type : add one column per connection type counting the connections of
        that type in each kind.

    Returns
    -------
    DataFrame indexed by ``kind``: ``levels``, ``ties``, ``share``, ``description``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...                              "Level": ["grassroots", "grassroots", "borough"]}),
    ...                pd.DataFrame({"From": ["a", "a"], "To": ["b", "c"]}))
    >>> tie_levels(m)[["ties", "share"]]
                   ties  share
    kind                      
    bottom-across     1    0.5
    bottom-up         1    0.5
    """
    m = as_map(m)
    level = element_levels(m)
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    conns = m.connections
    known = conns["From"].isin(level.index) & conns["To"].isin(level.index) & (conns["From"] != conns["To"])
    conns = conns[known]
    a = np.minimum(conns["From"].astype(str), conns["To"].astype(str)) if len(conns) else pd.Series(dtype=object)
    b = np.maximum(conns["From"].astype(str), conns["To"].astype(str)) if len(conns) else pd.Series(dtype=object)
    pairs = pd.DataFrame({"a": a, "b": b, "Type": conns["Type"] if "Type" in conns else np.nan})

    def kind_of(x: str, y: str) -> tuple[str, str, str]:
        lx, ly = level.get(x), level.get(y)
        if not isinstance(lx, str) or not isinstance(ly, str):
            return "level unknown", "unknown", "ties with an end whose level is not known"
        lo, hi = sorted((lx, ly), key=rank.get)
        name, text = TIE_KINDS[(lo, hi)]
        return name, f"{lo}–{hi}", text

    order = [v[0] for v in TIE_KINDS.values()] + ["level unknown"]
    if pairs.empty:
        return pd.DataFrame(columns=["levels", "ties", "share", "description"], index=pd.Index([], name="kind"))
    info = {(x, y): kind_of(x, y) for x, y in pairs[["a", "b"]].drop_duplicates().itertuples(index=False)}
    pairs["kind"] = [info[(x, y)][0] for x, y in zip(pairs["a"], pairs["b"])]
    ties = pairs.drop_duplicates(["a", "b"])
    counts = ties["kind"].value_counts()
    meta = {v[0]: v for v in info.values()}
    rows = []
    for k in order:
        if k in counts:
            rows.append({"kind": k, "levels": meta[k][1], "ties": int(counts[k]), "share": counts[k] / len(ties), "description": meta[k][2]})
    df = pd.DataFrame(rows).set_index("kind")
    if by_type:
        table = pd.crosstab(pairs["kind"], pairs["Type"].fillna("(no type)"))
        df = df.join(table.reindex(df.index).fillna(0).astype(np.int64))
    return df


def network_of_networks(m: NetworkMap | nx.Graph, *, membership: str = "Membership") -> NetworkMap:
    """Collapse membership ties into a map of networks.

    The networks are the elements that have members (the ``To`` end of at
    least one ``Membership`` connection, which points from member to
    network). Two networks are tied when they share members (``Strength`` =
    the number of shared members) or when there is a direct connection
    between them (any type; each adds 1 to the strength). The elements table
    keeps the networks' fields and adds ``members`` (how many members each
    has; text, like every custom field of a map). Connections have ``Type`` "Shared members", "Direct tie" or both
    (``|``-separated), ``shared_members`` and ``direct_ties``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": list("abxy"), "Label": list("ABXY")}),
    ...     pd.DataFrame({"From": ["a", "a", "b"], "To": ["x", "y", "x"], "Type": ["Membership"] * 3}))
    >>> nn = network_of_networks(m)
    >>> nn.elements[["ID", "members"]].to_dict("records")
    [{'ID': 'x', 'members': '2'}, {'ID': 'y', 'members': '1'}]
    >>> nn.connections[["From", "To", "Strength", "shared_members"]].to_dict("records")
    [{'From': 'x', 'To': 'y', 'Strength': 1.0, 'shared_members': '1'}]
    """
    m = as_map(m)
    conns = m.connections
    ctype = conns["Type"].astype(str).str.lower() if "Type" in conns else pd.Series("", index=conns.index)
    mem = conns[(ctype == membership.lower()) & (conns["From"] != conns["To"])][["From", "To"]].drop_duplicates()
    mem = mem[mem["From"].isin(m.elements["ID"]) & mem["To"].isin(m.elements["ID"])]
    networks = list(dict.fromkeys(m.elements["ID"][m.elements["ID"].isin(set(mem["To"]))]))
    members_count = mem.groupby("To").size()
    elements = m.elements[m.elements["ID"].isin(networks)].drop_duplicates("ID").copy()
    elements["members"] = elements["ID"].map(members_count).fillna(0).astype(np.int64)
    # shared members: self-join of membership on the member
    j = mem.merge(mem, on="From")
    j = j[j["To_x"] < j["To_y"]]
    shared = j.groupby(["To_x", "To_y"]).size().rename("shared_members")
    netset = set(networks)
    direct = conns[conns["From"].isin(netset) & conns["To"].isin(netset) & (conns["From"] != conns["To"])]
    da = np.minimum(direct["From"].astype(str), direct["To"].astype(str))
    db = np.maximum(direct["From"].astype(str), direct["To"].astype(str))
    direct_counts = pd.DataFrame({"To_x": da, "To_y": db}).groupby(["To_x", "To_y"]).size().rename("direct_ties")
    ties = pd.concat([shared, direct_counts], axis=1).fillna(0).astype(np.int64).reset_index()
    ties.columns = ["From", "To", "shared_members", "direct_ties"]
    ties["Type"] = [
        "|".join(t for t, on in (("Direct tie", d > 0), ("Shared members", s > 0)) if on)
        for s, d in zip(ties["shared_members"], ties["direct_ties"])
    ]
    ties["Direction"] = "undirected"
    ties["Strength"] = (ties["shared_members"] + ties["direct_ties"]).astype(float)
    ties.insert(0, "ID", [f"n{i + 1}" for i in range(len(ties))])
    meta = dict(m.metadata)
    meta["name"] = f"{m.name}: network of networks"
    return NetworkMap(elements, ties[["ID", "From", "To", "Type", "Direction", "Strength", "shared_members", "direct_ties"]], meta)


def network_metrics(m: NetworkMap | nx.Graph, **options) -> pd.DataFrame:
    """Element metrics at the network-of-networks level, plus each network's ``members``.

    Options are passed to :func:`cop_toolkit.analysis.metrics.element_metrics`.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": list("abxy"), "Label": list("ABXY")}),
    ...     pd.DataFrame({"From": ["a", "a", "b"], "To": ["x", "y", "x"], "Type": ["Membership"] * 3}))
    >>> network_metrics(m)[["members", "degree"]].to_dict("index")
    {'x': {'members': 2, 'degree': 1}, 'y': {'members': 1, 'degree': 1}}
    """
    nn = network_of_networks(m)
    df = element_metrics(nn, **options)
    members = nn.elements.set_index("ID")["members"]
    df.insert(2, "members", pd.to_numeric(members.reindex(df.index)).to_numpy(dtype=np.int64))
    return df
