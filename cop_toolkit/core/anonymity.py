"""Re-identification risk: who on a public map can still be picked out by the map's structure.

Leaving names out is not enough: an element's number of ties and the kinds
of element it is tied to often single it out (Hay et al. 2007; Liu & Terzi
2008, *k-degree anonymity*; Zhou & Pei 2008, *neighbourhood anonymity*).
For each person or small organisation still shown, :func:`reidentification_risk`
counts the elements of the map that look the same from outside: the same
degree, the same sorted list of neighbour types and the same borough. That
count (``k``, the element itself included) below :data:`MIN_CROWD` means the
element is at risk.

Who is checked: every person (see :func:`cop_toolkit.core.privacy.is_person`)
and every element whose type is one of ``metadata['small_types']`` (default
:data:`SMALL_TYPES`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cop_toolkit.core.privacy import is_person, metadata_words

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from cop_toolkit.core.model import NetworkMap

__all__ = ["reidentification_risk", "at_risk", "MIN_CROWD", "SMALL_TYPES"]

#: An element shared with fewer look-alikes than this (itself included) is at risk.
MIN_CROWD = 3
#: Element types counted as small organisations unless ``metadata['small_types']`` says otherwise.
SMALL_TYPES = ("Community group",)

_COLUMNS = ["ID", "Label", "Type", "degree", "neighbour_types", "Borough", "k", "at_risk"]


def _text(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip()


def _neighbours(m: NetworkMap) -> pd.DataFrame:
    """One row per (element, distinct neighbour), ties taken both ways, self-links left out."""
    c = m.connections
    ends = pd.concat(
        [c[["From", "To"]].set_axis(["ID", "other"], axis=1), c[["To", "From"]].set_axis(["ID", "other"], axis=1)],
        ignore_index=True,
    ).astype(str)
    return ends[ends["ID"] != ends["other"]].drop_duplicates()


def reidentification_risk(m: NetworkMap, *, min_crowd: int = MIN_CROWD) -> pd.DataFrame:
    """Return, for each person or small organisation, how many elements look the same (``k``).

    Two elements look the same when they have the same degree, the same
    sorted types of neighbours and the same borough. ``at_risk`` is
    ``k < min_crowd``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": list("habc"), "Label": ["Hub", "Ann", "Bo", "Cy"],
    ...     "Type": ["CVS", "Person", "Person", "Person"], "Consent": [None, "yes", "yes", "yes"]}),
    ...     pd.DataFrame({"From": ["a", "b", "c", "a"], "To": ["h", "h", "h", "b"]}))
    >>> reidentification_risk(m)[["ID", "degree", "k", "at_risk"]].values.tolist()
    [['a', 2, 2, True], ['b', 2, 2, True], ['c', 1, 1, True]]
    """
    e = m.elements
    ids = e["ID"].astype(str)
    types = pd.Series(_text(e["Type"]).to_numpy() if "Type" in e.columns else "", index=ids.to_numpy())
    borough = _text(e["Borough"]) if "Borough" in e.columns else pd.Series("", index=e.index)
    pairs = _neighbours(m)
    pairs = pairs.assign(kind=pairs["other"].map(types).fillna(""))
    grouped = pairs.groupby("ID")["kind"]
    degree = grouped.size()
    kinds = grouped.agg(lambda s: "|".join(sorted(s)))
    table = pd.DataFrame(
        {
            "ID": ids.to_numpy(),
            "Label": e["Label"].astype(str).to_numpy(),
            "Type": types.to_numpy(),
            "degree": ids.map(degree).fillna(0).astype(int).to_numpy(),
            "neighbour_types": ids.map(kinds).astype(object).fillna("").to_numpy(),
            "Borough": borough.to_numpy(),
        }
    )
    key = ["degree", "neighbour_types", "Borough"]
    table["k"] = table.groupby(key)["ID"].transform("size").astype(int)
    table["at_risk"] = table["k"] < min_crowd
    small = {t.lower() for t in metadata_words(m.metadata, "small_types", SMALL_TYPES)}
    checked = is_person(m).to_numpy() | table["Type"].str.lower().isin(small).to_numpy()
    return table.loc[checked, _COLUMNS].reset_index(drop=True)


def at_risk(m: NetworkMap, *, min_crowd: int = MIN_CROWD) -> pd.DataFrame:
    """Return the rows of :func:`reidentification_risk` with ``k < min_crowd``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["h", "a"], "Label": ["Hub", "Ann"], "Type": ["CVS", "Person"],
    ...                              "Consent": [None, "yes"]}), pd.DataFrame({"From": ["a"], "To": ["h"]}))
    >>> at_risk(m)["ID"].tolist()
    ['a']
    """
    risk = reidentification_risk(m, min_crowd=min_crowd)
    return risk[risk["at_risk"]].reset_index(drop=True)
