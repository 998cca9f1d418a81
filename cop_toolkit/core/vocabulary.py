"""Common wording for needs, offers and assets (the ``Needs``, ``Offers`` and ``Assets`` fields).

People write the same thing in different ways, so every value is first put
into one common wording by :func:`normalise_item`:

* case, spacing and punctuation are folded (``"Meeting  Space "`` ->
  ``"meeting space"``; ``&`` becomes ``and``);
* plurals become singular (``"meeting rooms"`` -> ``"meeting room"``);
* simple synonyms are merged (``"room hire"`` and ``"meeting room"`` ->
  ``"meeting space"``); the built-in list is :data:`SYNONYMS` and you can add
  your own: ``synonyms={"hall": "meeting space"}``.

:func:`resource_items` gives each element's items in that wording and
:func:`resource_vocabulary` shows how each written value was merged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import split_values

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["SYNONYMS", "RESOURCE_FIELDS", "normalise_item", "resource_items", "resource_vocabulary"]

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


def resource_vocabulary(m: NetworkMap | nx.Graph, synonyms: Mapping[str, str] | None = None) -> pd.DataFrame:
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
    m = as_map(m)
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
