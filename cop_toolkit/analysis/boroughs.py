"""Borough statistics: who is in each London borough, and the ties between boroughs.

:func:`borough_summary` summarises each of the 33 boroughs; :func:`borough_flows`
counts ties between boroughs (and within each). Elements are placed by
:func:`cop_toolkit.geo.locate.locate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import edge_table
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.vocabulary import resource_items
from cop_toolkit.geo import boroughs as geography
from cop_toolkit.geo.locate import locate

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["borough_summary", "borough_flows"]


# ------------------------------------------------------------------ boroughs
def _element_boroughs(m: NetworkMap, places: pd.DataFrame | None = None) -> pd.Series:
    places = locate(m) if places is None else places
    return places["borough_code"]


def borough_summary(
    m: NetworkMap | nx.Graph, *, synonyms: Mapping[str, str] | None = None, places: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Summarise each of the 33 London boroughs: who is there, what they hold, how they link.

    Parameters
    ----------
    synonyms : extra wordings to merge when counting needs, offers and assets
        (see :func:`cop_toolkit.building.resources.normalise_item`).
    places : the map's :func:`~cop_toolkit.geo.locate.locate` table, if you already
        have it (a report places the map once); worked out when omitted.

    Returns
    -------
    DataFrame indexed by borough ``code`` (all 33, in code order): ``name``,
    ``elements``, one column per element type (counts), ``placed_by_borough``
    (elements whose place is only approximate), ``assets``, ``needs``,
    ``offers`` (how many items are listed there), ``ties_within`` (ties
    between two elements of the borough), ``ties_out`` (ties to another
    borough), ``ties`` (all ties touching the borough), ``share_of_ties`` and
    ``share_of_resources`` (percent of the London totals, where collaboration
    happens against where assets and offers are). ``df.attrs["unplaced"]``
    lists the IDs of elements without a borough (``df.attrs["n_unplaced"]``
    counts them); ``df.attrs["types"]`` lists the type columns.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...     "Type": ["CVS", "Community group", "Community group"],
    ...     "Borough": ["Hackney", "Hackney", "Islington"], "Assets": ["hall", None, "minibus|kitchen"]}),
    ...     pd.DataFrame({"From": ["b", "b"], "To": ["a", "c"]}))
    >>> s = borough_summary(m)
    >>> s.loc[["E09000012", "E09000019"], ["name", "elements", "CVS", "assets", "ties_within", "ties_out"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                    name  elements  CVS  assets  ties_within  ties_out
    code
    E09000012    Hackney         2    1       1            1         1
    E09000019  Islington         1    0       2            0         1
    """
    m = as_map(m)
    table = geography.boroughs()
    places = locate(m) if places is None else places
    code = places["borough_code"]
    out = pd.DataFrame({"name": table["name"]}, index=pd.Index(table.index, name="code"))
    placed = code.notna()
    out["elements"] = code[placed].value_counts().reindex(out.index, fill_value=0).astype(int)
    types = places["Type"].fillna("(no type)").astype(str)
    type_names = sorted(types[placed].unique())
    for t in type_names:
        out[t] = code[placed & (types == t)].value_counts().reindex(out.index, fill_value=0).astype(int)
    out["placed_by_borough"] = (
        code[placed & places["approximate"]].value_counts().reindex(out.index, fill_value=0).astype(int)
    )
    items = resource_items(m, synonyms)
    for column in ("assets", "needs", "offers"):
        counts = items[column].map(len).reindex(code.index).fillna(0)
        out[column] = counts.groupby(code).sum().reindex(out.index, fill_value=0).astype(int)

    ids, ties = edge_table(m)  # the ties of m.to_networkx(), as a table
    code_at = code.reindex(pd.Index(ids)).to_numpy(dtype=object)
    a, b = pd.Series(code_at[ties["source"].to_numpy()]), pd.Series(code_at[ties["target"].to_numpy()])
    both = a.notna() & b.notna()
    a, b = a[both], b[both]
    within = a[a == b].value_counts()
    across = pd.concat([a[a != b], b[a != b]]).value_counts()
    out["ties_within"] = within.reindex(out.index, fill_value=0).astype(int)
    out["ties_out"] = across.reindex(out.index, fill_value=0).astype(int)
    out["ties"] = out["ties_within"] + out["ties_out"]
    total_ties = out["ties"].sum()
    resources = out["assets"] + out["offers"]
    out["share_of_ties"] = (100 * out["ties"] / total_ties).round(1) if total_ties else 0.0
    out["share_of_resources"] = (100 * resources / resources.sum()).round(1) if resources.sum() else 0.0
    out.attrs["unplaced"] = code.index[~placed].tolist()
    out.attrs["n_unplaced"] = int((~placed).sum())
    out.attrs["types"] = type_names
    return out


def _types_seen(flows: pd.DataFrame) -> pd.Series:
    """The connection types seen between each pair of boroughs, sorted and joined by ", " (one pass, no per-pair loop)."""
    seen = flows.drop_duplicates(["code_a", "code_b", "type"])
    named = seen[[isinstance(t, str) for t in seen["type"]]].sort_values(["code_a", "code_b", "type"])
    return named.groupby(["code_a", "code_b"])["type"].agg(", ".join)


def borough_flows(
    m: NetworkMap | nx.Graph, *, include_within: bool = True, places: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Count connections from each borough to each other borough (an origin-destination table).

    A connection goes from its ``From`` element's borough (origin, borough
    *a*) to its ``To`` element's borough (destination, borough *b*); a
    membership, for example, runs from the member to the network. Connections
    with an end that has no borough are left out (``df.attrs["left_out"]``
    counts them).

    Parameters
    ----------
    include_within : keep rows where origin and destination are the same borough.
    places : the map's :func:`~cop_toolkit.geo.locate.locate` table, if you already have it.

    Returns
    -------
    DataFrame in the borough-pair schema: ``code_a``, ``name_a`` (the origin
    borough's ONS code and name), ``code_b``, ``name_b`` (the destination's),
    then ``ties`` (connections), ``strength`` (summed, 1 where blank) and
    ``types`` (connection types seen), most ties first.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...     "Borough": ["Hackney", "Camden", "Camden"]}),
    ...     pd.DataFrame({"From": ["a", "a", "b"], "To": ["b", "c", "c"], "Type": ["Funding"] * 3}))
    >>> borough_flows(m)[["name_a", "name_b", "ties"]]
        name_a  name_b  ties
    0  Hackney  Camden     2
    1   Camden  Camden     1
    """
    m = as_map(m)
    table = geography.boroughs()
    code = (locate(m) if places is None else places)["borough_code"]
    c = m.connections
    flows = pd.DataFrame(
        {
            "code_a": code.reindex(c["From"]).to_numpy(),
            "code_b": code.reindex(c["To"]).to_numpy(),
            "strength": pd.to_numeric(c["Strength"], errors="coerce").fillna(1.0).to_numpy()
            if "Strength" in c.columns
            else np.ones(len(c)),
            "type": c["Type"].to_numpy() if "Type" in c.columns else np.full(len(c), np.nan, dtype=object),
        }
    )
    flows = flows[c["From"].to_numpy() != c["To"].to_numpy()]
    known = flows["code_a"].notna() & flows["code_b"].notna()
    left_out = int((~known).sum())
    flows = flows[known]
    if not include_within:
        flows = flows[flows["code_a"] != flows["code_b"]]
    columns = ["code_a", "name_a", "code_b", "name_b", "ties", "strength", "types"]
    if flows.empty:
        out = pd.DataFrame(columns=columns)
    else:
        out = flows.groupby(["code_a", "code_b"]).agg(ties=("strength", "size"), strength=("strength", "sum"))
        out["types"] = _types_seen(flows).reindex(out.index, fill_value="")
        out = out.reset_index()
        out["name_a"] = table["name"].reindex(out["code_a"]).to_numpy()
        out["name_b"] = table["name"].reindex(out["code_b"]).to_numpy()
        out = out.sort_values(["ties", "code_a", "code_b"], ascending=[False, True, True])
        out = out[columns].reset_index(drop=True)
    out.attrs["left_out"] = left_out
    return out


