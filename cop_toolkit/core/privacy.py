"""Public and private parts of a map: publish only what is positively public.

A map may hold things that must not be published: elements marked private,
people who have not agreed to be shown, and private fields (contact details,
notes). :func:`public_map` removes all of them *before* any table or figure
is made, so nothing private can leak into a report, not even inside the
figure data embedded in an HTML page. The rules fail closed: anything they
do not recognise as public is left out.

The rules
---------
* an element or connection is kept only if its ``Visibility`` is a public
  word (:data:`PUBLIC_WORDS`). A blank ``Visibility`` counts as public unless
  ``metadata['blank_visibility']`` is ``"private"`` (the bundled samples
  leave public entries blank, so blank means public by default). Any other
  word (``private``, ``hidden``, ``internal``, ``Private (do not publish)``)
  is private;
* a person is kept only if their ``Consent`` is an explicit yes
  (:data:`cop_toolkit.core.schema.CONSENT_YES`; "Yes, but only internally" is
  not yes). A person is an element whose ``Type``, or any of its ``|``
  values, names a person (:data:`PERSON_TYPES`, plus any listed in
  ``metadata['person_types']``). The Excel reader gives a blank ``Type`` on a
  ``People`` sheet the sheet's type, ``Person``;
* a connection that touches a removed element is removed;
* the columns named in ``metadata['private_fields']`` (a list, or text
  separated by ``|`` or commas), and any column whose name contains
  ``(private)``, are removed from both tables;
* warnings that mention anything removed are dropped;
* what was left out is kept, in counts only, as ``metadata['left_out']``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cop_toolkit.core.errors import MapWarning
from cop_toolkit.core.schema import CONSENT_YES
from cop_toolkit.core.text import normalise_name

if TYPE_CHECKING:  # pragma: no cover - the model imports this module for NetworkMap.public
    from cop_toolkit.core.model import NetworkMap

__all__ = [
    "public_map",
    "is_private_element",
    "is_person",
    "hidden_ids",
    "private_columns",
    "metadata_words",
    "left_out_reasons",
    "public_previous",
    "PUBLIC_WORDS",
    "PERSON_TYPES",
]

#: ``Visibility`` values (lower case) that mean "may be published".
PUBLIC_WORDS = frozenset({"public"})
#: Element types (lower case) that name a person; ``metadata['person_types']`` adds more.
PERSON_TYPES = frozenset({"person", "people", "individual", "volunteer", "resident", "member", "staff", "trustee"})

_KEEP = ""


def metadata_words(metadata: dict[str, Any], key: str, default: Iterable[str] = ()) -> list[str]:
    """Return a metadata entry as a list of words (a list, or text split at ``|`` or commas).

    Examples
    --------
    >>> metadata_words({"private_fields": "Email, Phone|Notes"}, "private_fields")
    ['Email', 'Phone', 'Notes']
    >>> metadata_words({}, "person_types", ["Person"])
    ['Person']
    """
    value = metadata.get(key)
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return list(default)
    items = [value] if isinstance(value, str) else list(value)
    return [w.strip() for item in items for w in re.split(r"[|,]", str(item)) if w.strip()]


def _words(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip().str.lower()


#: Visibility words a report may quote when it says why entries were left out (others are not quoted).
_QUOTABLE = frozenset({"hidden", "internal", "restricted", "confidential", "secret", "draft", "no", "none",
                       "members only", "do not publish", "unlisted"})


def _shown_word(word: str) -> str:
    """A Visibility word as the report may quote it: common words only, anything else unquoted."""
    return f"'{word}'" if word in _QUOTABLE else "an unknown value"


def _visibility_reasons(table: pd.DataFrame, metadata: dict[str, Any]) -> pd.Series:
    """Why each row's Visibility keeps it out ("" where it is public)."""
    if "Visibility" not in table.columns:
        words = pd.Series("", index=table.index)
    else:
        words = _words(table["Visibility"])
    blank_public = str(metadata.get("blank_visibility") or "public").strip().lower() in PUBLIC_WORDS
    reasons = pd.Series(_KEEP, index=table.index, dtype=object)
    blank = words.eq("")
    if not blank_public:
        reasons[blank] = "their Visibility is blank and this map says blank means private"
    bad = ~blank & ~words.isin(PUBLIC_WORDS)
    reasons[bad & words.eq("private")] = "their Visibility is 'private'"
    other = bad & words.ne("private")
    reasons[other] = [f"their Visibility {_shown_word(w)} is not a public value" for w in words[other]]
    return reasons


def is_person(m: NetworkMap) -> pd.Series:
    """Return a boolean array-like Series (in element order): True where an element is a person.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": list("abcd"), "Label": list("ABCD"),
    ...     "Type": ["Community group", "Person|Volunteer", "Individual", "Steward"]}),
    ...     metadata={"person_types": "Steward"})
    >>> is_person(m).tolist()
    [False, True, True, True]
    """
    e = m.elements
    if "Type" not in e.columns:
        return pd.Series(False, index=e.index)
    person = PERSON_TYPES | {w.lower() for w in metadata_words(m.metadata, "person_types")}
    values = _words(e["Type"]).str.split("|")
    return values.map(lambda vs: any(v.strip() in person for v in vs)).astype(bool)


def _element_reasons(m: NetworkMap) -> pd.Series:
    """Why each element is left out ("" where it is published), in element order."""
    reasons = _visibility_reasons(m.elements, m.metadata)
    e = m.elements
    consent = _words(e["Consent"]).isin(CONSENT_YES) if "Consent" in e.columns else pd.Series(False, index=e.index)
    unconsented = is_person(m) & ~consent & reasons.eq(_KEEP)
    reasons[unconsented] = "they are people whose Consent is not an explicit yes"
    return reasons


def private_columns(m: NetworkMap) -> list[str]:
    """Return the columns of either table that must never be published.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"], "Email": ["a@x.org"], "Phone": ["1"],
    ...                              "Notes (private)": ["n"]}), metadata={"private_fields": "Email, Phone"})
    >>> private_columns(m)
    ['Email', 'Phone', 'Notes (private)']
    """
    declared = {normalise_name(c) for c in metadata_words(m.metadata, "private_fields")}
    found: list[str] = []
    for table in (m.elements, m.connections):
        for col in table.columns:
            if col in ("ID", "Label", "From", "To"):
                continue
            if (normalise_name(col) in declared or "(private)" in str(col).lower()) and col not in found:
                found.append(col)
    return found


def is_private_element(m: NetworkMap) -> pd.Series:
    """Return a boolean Series (indexed by element ID): True where an element must be hidden.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c", "d"], "Label": ["A", "B", "C", "D"],
    ...     "Type": ["Community group", "Person", "Person", "Group"], "Consent": [None, "no", "Yes", None],
    ...     "Visibility": [None, None, None, "hidden"]}))
    >>> is_private_element(m).tolist()
    [False, True, False, True]
    """
    reasons = _element_reasons(m)
    return pd.Series(reasons.ne(_KEEP).to_numpy(), index=m.elements["ID"], name="private")


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


def left_out_reasons(reasons: pd.Series, what: tuple[str, str]) -> list[str]:
    """Count the reasons rows were left out: one sentence per reason, no names.

    Examples
    --------
    >>> import pandas as pd
    >>> left_out_reasons(pd.Series(["", "their Visibility is 'private'", "their Visibility is 'private'"]),
    ...                  ("entry", "entries"))
    ["2 entries left out because their Visibility is 'private'"]
    """
    counts = reasons[reasons.ne(_KEEP)].value_counts(sort=False)
    return [f"{n} {what[0] if n == 1 else what[1]} left out because {why}" for why, n in counts.items()]


def _secrets(m: NetworkMap, gone_elements: pd.Series, gone_conns: pd.Series, drop_cols: list[str]) -> set[str]:
    """Every text that only removed rows and columns hold (to keep it out of warnings)."""
    out: set[str] = set()
    for table, gone in ((m.elements, gone_elements), (m.connections, gone_conns)):
        out.update(str(v) for v in table[gone.to_numpy()].to_numpy().ravel() if not pd.isna(v))
        for col in drop_cols:
            if col in table.columns:
                out.update(str(v) for v in table[col].dropna())
    return {s.strip() for s in out if len(s.strip()) >= 2}


def _safe_warnings(m: NetworkMap, kept: set[str], secrets: set[str]) -> list[MapWarning]:
    """The warnings that name nothing removed: about kept rows only, quoting no removed text."""
    out = []
    for w in m.warnings:
        text = " ".join([w.message, repr(w.extra)] + [str(v) for v in (w.element, w.column) if v is not None])
        if w.element is not None and w.element not in kept:
            continue
        if any(s in text for s in secrets):
            continue
        out.append(w)
    return out


def public_map(m: NetworkMap) -> NetworkMap:
    """Return the part of ``m`` that may be published (see the module notes for the rules).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(
    ...     pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Food Bank", "Secret Shelter", "Refuge"],
    ...                   "Visibility": ["public", "private", "hidden"], "Phone": ["1", "2", "3"]}),
    ...     pd.DataFrame({"From": ["a"], "To": ["b"]}),
    ...     metadata={"private_fields": ["Phone"]})
    >>> p = public_map(m)
    >>> list(p.elements["Label"]), list(p.elements.columns), len(p.connections)
    (['Food Bank'], ['ID', 'Label', 'Visibility'], 0)
    >>> p.metadata["left_out"][:2]
    ["1 entry left out because their Visibility is 'private'", "1 entry left out because their Visibility 'hidden' is not a public value"]
    """
    e, c = m.elements, m.connections
    element_why = _element_reasons(m)
    hidden = set(e.loc[element_why.ne(_KEEP).to_numpy(), "ID"].astype(str))
    conn_why = _visibility_reasons(c, m.metadata)
    touches = (c["From"].astype(str).isin(hidden) | c["To"].astype(str).isin(hidden)) & conn_why.eq(_KEEP)
    conn_why[touches] = "they touch an entry that is left out"
    drop_cols = private_columns(m)

    elements = e[element_why.eq(_KEEP).to_numpy()].drop(columns=[x for x in drop_cols if x in e.columns])
    conns = c[conn_why.eq(_KEEP).to_numpy()].drop(columns=[x for x in drop_cols if x in c.columns])
    kept = set(elements["ID"].astype(str)) | (set(conns["ID"].astype(str)) if "ID" in conns.columns else set())
    secrets = _secrets(m, element_why.ne(_KEEP), conn_why.ne(_KEEP), drop_cols) - kept
    warnings = _safe_warnings(m, kept, secrets)

    metadata = {k: v for k, v in m.metadata.items() if k != "private_fields"}
    left = list(m.metadata.get("left_out") or []) if m.metadata.get("public") else []
    left += left_out_reasons(element_why, ("entry", "entries"))
    left += left_out_reasons(conn_why, ("connection", "connections"))
    if drop_cols:
        left.append(f"{len(drop_cols)} private field{'s' * (len(drop_cols) != 1)} left out")
    metadata.update(public=True, private_fields=[], left_out=left)
    if metadata.get("source"):
        metadata["source"] = Path(str(metadata["source"])).name
    return type(m)(elements, conns, metadata, warnings)


def public_previous(previous: NetworkMap, current: NetworkMap) -> NetworkMap:
    """Return the publishable part of an earlier snapshot, compared with the current full map.

    The same rules as :func:`public_map`, and also: an element hidden *now*
    (private now, or a person who withdrew consent) is left out of the earlier
    snapshot too, by ID or by label, so a comparison never names it as "left".

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.core.model import NetworkMap
    >>> old = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Hub", "Jane"], "Type": ["CVS", "Person"],
    ...                                "Consent": [None, "yes"]}))
    >>> new = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Hub", "Jane"], "Type": ["CVS", "Person"],
    ...                                "Consent": [None, "no"]}))
    >>> public_previous(old, new).elements["Label"].tolist()
    ['Hub']
    """
    now_hidden = hidden_ids(current)
    e = current.elements
    hidden_labels = {normalise_name(v) for v in e.loc[e["ID"].astype(str).isin(now_hidden), "Label"].astype(str)}
    prev = previous.copy()
    pe = prev.elements
    gone = pe["ID"].astype(str).isin(now_hidden) | pe["Label"].astype(str).map(normalise_name).isin(hidden_labels)
    if gone.any():
        visibility = pe["Visibility"].astype(object) if "Visibility" in pe.columns else pd.Series(None, index=pe.index, dtype=object)
        pe["Visibility"] = visibility.where(~gone, "private")
    return public_map(prev)
