"""Public and private parts of a map.

A map may hold things that must not be published: elements marked private,
people who have not agreed to be shown, and private fields (contact details,
notes). :func:`public_map` removes all of them *before* any table or figure
is made, so nothing private can leak into a report, not even inside the
figure data embedded in an HTML page.

The rules
---------
* an element whose ``Visibility`` is ``private`` is removed;
* an element of type ``Person`` is removed unless its ``Consent`` is yes
  (``yes``, ``y``, ``true``, ``1``, ``consented``);
* a connection whose ``Visibility`` is ``private``, or that touches a removed
  element, is removed;
* the columns named in ``metadata['private_fields']``, and any column whose
  name contains ``(private)``, are removed from both tables;
* warnings that mention a removed element are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cop_toolkit.core.schema import CONSENT_YES
from cop_toolkit.core.text import normalise_name

if TYPE_CHECKING:  # pragma: no cover - the model imports this module for NetworkMap.public
    from cop_toolkit.core.model import NetworkMap

__all__ = ["public_map", "is_private_element", "hidden_ids", "private_columns"]


def private_columns(m: NetworkMap) -> list[str]:
    """Return the columns of either table that must never be published.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"], "Email": ["a@x.org"],
    ...                              "Notes (private)": ["n"]}), metadata={"private_fields": "Email"})
    >>> private_columns(m)
    ['Email', 'Notes (private)']
    """
    declared = {normalise_name(c) for c in m.private_fields}
    found: list[str] = []
    for table in (m.elements, m.connections):
        for col in table.columns:
            if col in ("ID", "Label", "From", "To"):
                continue
            if (normalise_name(col) in declared or "(private)" in col.lower()) and col not in found:
                found.append(col)
    return found


def is_private_element(m: NetworkMap) -> pd.Series:
    """Return a boolean Series (indexed by element ID): True where an element must be hidden.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...     "Type": ["Community group", "Person", "Person"], "Consent": [None, "no", "Yes"]}))
    >>> is_private_element(m).tolist()
    [False, True, False]
    """
    e = m.elements
    hidden = pd.Series(False, index=e.index)
    if "Visibility" in e.columns:
        hidden |= e["Visibility"].fillna("").astype(str).str.strip().str.lower().eq("private")
    if "Type" in e.columns:
        person = e["Type"].fillna("").astype(str).str.strip().str.lower().eq("person")
        consent = (
            e["Consent"].fillna("").astype(str).str.strip().str.lower().isin(CONSENT_YES)
            if "Consent" in e.columns
            else pd.Series(False, index=e.index)
        )
        hidden |= person & ~consent
    return pd.Series(hidden.to_numpy(), index=e["ID"], name="private")


def hidden_ids(m: NetworkMap) -> set[str]:
    """Return the IDs of the elements that must never be published (see :func:`is_private_element`).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Visibility": [None, "private"]}))
    >>> hidden_ids(m)
    {'b'}
    """
    hidden = is_private_element(m)
    return set(hidden.index[hidden.to_numpy()])


def public_map(m: NetworkMap) -> NetworkMap:
    """Return the part of ``m`` that may be published.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(
    ...     pd.DataFrame({"ID": ["a", "b"], "Label": ["Food Bank", "Secret Shelter"],
    ...                   "Visibility": ["public", "private"], "Phone": ["1", "2"]}),
    ...     pd.DataFrame({"From": ["a"], "To": ["b"]}),
    ...     metadata={"private_fields": ["Phone"]})
    >>> p = public_map(m)
    >>> list(p.elements["Label"]), list(p.elements.columns), len(p.connections)
    (['Food Bank'], ['ID', 'Label', 'Visibility'], 0)
    """
    hidden = hidden_ids(m)
    hidden_labels = set(m.elements.loc[m.elements["ID"].isin(hidden), "Label"].astype(str))
    drop_cols = private_columns(m)

    elements = m.elements[~m.elements["ID"].isin(hidden)]
    conns = m.connections
    keep = ~(conns["From"].isin(hidden) | conns["To"].isin(hidden))
    if "Visibility" in conns.columns:
        keep &= ~conns["Visibility"].fillna("").astype(str).str.strip().str.lower().eq("private")
    conns = conns[keep]

    elements = elements.drop(columns=[c for c in drop_cols if c in elements.columns])
    conns = conns.drop(columns=[c for c in drop_cols if c in conns.columns])
    warnings = [
        w
        for w in m.warnings
        if w.element not in hidden and not any(lab and lab in w.message for lab in hidden_labels)
    ]
    metadata = dict(m.metadata)
    metadata["public"] = True
    metadata["private_fields"] = []
    return type(m)(elements, conns, metadata, warnings)
