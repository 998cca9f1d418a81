"""Who said what: the ``Reported By`` and ``Reported On`` of elements and connections.

Every element and connection may carry ``Reported By`` (the contributors who
reported it, ``|``-separated: an organisation's label or ID, or a person's
name) and ``Reported On`` (the dates they did, ``|``-separated). The readers
and writers keep them like any other field; :func:`~cop_toolkit.building.merge.merge_maps`
unions them; :func:`provenance_summary` says who reported how much.

A tie is *confirmed by both ends* when both elements it joins are among its
reporters, *reported by one side* when only one is, and *reported by others*
when neither is (a network leader mapping ties among their members).

A tie that names a person the privacy rules hide (no consent, or private,
see :mod:`cop_toolkit.core.privacy`) is flagged by :func:`unconsented_ties`;
:func:`mark_unconsented` writes the flag into a ``Consent Check`` column. The
public map (:func:`cop_toolkit.core.privacy.public_map`) leaves such ties out,
so no public report shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.privacy import hidden_ids, is_person
from cop_toolkit.core.text import normalise_name, split_values

__all__ = [
    "CONSENT_CHECK",
    "PROVENANCE_COLUMNS",
    "ProvenanceSummary",
    "consent_marks",
    "mark_unconsented",
    "provenance_summary",
    "unconsented_ties",
]

#: The provenance fields, on elements and connections alike.
PROVENANCE_COLUMNS = ("Reported By", "Reported On")
#: The connection column :func:`mark_unconsented` fills.
CONSENT_CHECK = "Consent Check"
_CONSENT_TEXT = "names a person without consent"


def unconsented_ties(m: NetworkMap) -> pd.Series:
    """True (in connection order) where a connection names a person the privacy rules hide.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "p", "q"], "Label": ["Hub", "Jo", "Al"],
    ...                              "Type": ["CVS", "Person", "Person"], "Consent": [None, "no", "yes"]}),
    ...                pd.DataFrame({"From": ["a", "a"], "To": ["p", "q"]}))
    >>> unconsented_ties(m).tolist()
    [True, False]
    """
    people = set(m.elements.loc[is_person(m).to_numpy(), "ID"].astype(str))
    hidden_people = hidden_ids(m) & people
    c = m.connections
    flagged = c["From"].astype(str).isin(hidden_people) | c["To"].astype(str).isin(hidden_people)
    return pd.Series(flagged.to_numpy(dtype=bool), index=c.index, name=CONSENT_CHECK)


def consent_marks(m: NetworkMap) -> pd.Series:
    """The ``Consent Check`` column: "names a person without consent" where :func:`unconsented_ties` is True.

    Other rows keep what the column said (NaN when there was no such column).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "p"], "Label": ["Hub", "Jo"], "Type": ["CVS", "Person"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["p"]}))
    >>> consent_marks(m).tolist()
    ['names a person without consent']
    """
    c = m.connections
    old = c[CONSENT_CHECK].astype(object) if CONSENT_CHECK in c.columns else pd.Series(np.nan, index=c.index, dtype=object)
    return old.mask(unconsented_ties(m).to_numpy(), _CONSENT_TEXT).rename(CONSENT_CHECK)


def mark_unconsented(m: NetworkMap) -> NetworkMap:
    """Return a copy of ``m`` whose ties naming a hidden person say so in ``Consent Check``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "p"], "Label": ["Hub", "Jo"], "Type": ["CVS", "Person"]}),
    ...                pd.DataFrame({"From": ["a"], "To": ["p"]}))
    >>> mark_unconsented(m).connections["Consent Check"].tolist()
    ['names a person without consent']
    """
    marks = consent_marks(m)
    out = m.copy()
    if marks.notna().any():
        out.connections[CONSENT_CHECK] = marks.to_numpy()
    return out


@dataclass
class ProvenanceSummary:
    """The result of :func:`provenance_summary`.

    Attributes
    ----------
    contributors : index ``contributor``: ``elements``, ``connections``
        (how many each reported), ``own_ties`` (connections touching the
        contributor's own element).
    ties : index ``kind`` ("confirmed by both ends", "reported by one side",
        "reported by others", "no reporter recorded"): ``connections``, ``share``.
    single_source : elements known from one contributor only: index ``ID``:
        ``Label``, ``Reported By``.
    unconsented : connections naming a person without consent: ``ID``, ``From``, ``To``.
    elements_reported : how many elements have at least one reporter.
    """

    contributors: pd.DataFrame
    ties: pd.DataFrame
    single_source: pd.DataFrame
    unconsented: pd.DataFrame
    elements_reported: int = 0

    def headline(self) -> str:
        """One plain sentence.

        Examples
        --------
        >>> import pandas as pd
        >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Reported By": ["A", "A|B"]}),
        ...                pd.DataFrame({"From": ["a"], "To": ["b"], "Reported By": ["A|B"]}))
        >>> provenance_summary(m).headline()
        '2 contributors reported 2 elements and 1 connection; 1 connection confirmed by both ends, 0 by one side only; 1 element known from a single contributor.'
        """
        t = self.ties["connections"]
        n_c, n_e = len(self.contributors), self.elements_reported
        total = int(t.sum())
        both, one = int(t.get("confirmed by both ends", 0)), int(t.get("reported by one side", 0))
        n_s = len(self.single_source)
        text = (
            f"{n_c} contributor{'s' * (n_c != 1)} reported {n_e} element{'s' * (n_e != 1)} and "
            f"{total} connection{'s' * (total != 1)}; {both} connection{'s' * (both != 1)} confirmed by both ends, "
            f"{one} by one side only; {n_s} element{'s' * (n_s != 1)} known from a single contributor."
        )
        if len(self.unconsented):
            text += f" {len(self.unconsented)} name a person without consent and are never published."
        return text


def _reporters(m: NetworkMap, table: pd.DataFrame) -> list[list[str]]:
    if "Reported By" not in table.columns:
        return [[] for _ in range(len(table))]
    return [split_values(v) for v in table["Reported By"]]


def _own_keys(m: NetworkMap) -> dict[str, str]:
    """Folded label and folded ID -> element ID (to tell when a reporter is an end of its tie)."""
    e = m.elements
    keys = {normalise_name(i): str(i) for i in e["ID"]}
    keys.update({normalise_name(label): str(i) for i, label in zip(e["ID"], e["Label"])})
    return keys


def _tie_kinds(m: NetworkMap, reporters: list[list[str]]) -> list[str]:
    keys = _own_keys(m)
    kinds = []
    for a, b, who in zip(m.connections["From"].astype(str), m.connections["To"].astype(str), reporters):
        ends = {keys.get(normalise_name(w)) for w in who}
        if not who:
            kinds.append("no reporter recorded")
        elif a in ends and b in ends:
            kinds.append("confirmed by both ends")
        elif a in ends or b in ends:
            kinds.append("reported by one side")
        else:
            kinds.append("reported by others")
    return kinds


def provenance_summary(m: NetworkMap) -> ProvenanceSummary:
    """Who reported how much, which ties both ends confirmed, what rests on one contributor.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Hub", "Club", "Trust"],
    ...                              "Reported By": ["Hub", "Hub|Club", "Hub"]}),
    ...                pd.DataFrame({"From": ["a", "a"], "To": ["b", "c"], "Reported By": ["Hub|Club", "Hub"]}))
    >>> s = provenance_summary(m)
    >>> s.ties["connections"].to_dict()
    {'confirmed by both ends': 1, 'reported by one side': 1, 'reported by others': 0, 'no reporter recorded': 0}
    >>> s.contributors["elements"].to_dict()
    {'Hub': 3, 'Club': 1}
    """
    m = as_map(m)
    e, c = m.elements, m.connections
    e_who, c_who = _reporters(m, e), _reporters(m, c)
    keys = _own_keys(m)
    counts: dict[str, list[int]] = {}
    for who in e_who:
        for w in dict.fromkeys(who):
            counts.setdefault(w, [0, 0, 0])[0] += 1
    for a, b, who in zip(c["From"].astype(str), c["To"].astype(str), c_who):
        for w in dict.fromkeys(who):
            row = counts.setdefault(w, [0, 0, 0])
            row[1] += 1
            row[2] += keys.get(normalise_name(w)) in (a, b)
    contributors = pd.DataFrame.from_dict(counts, orient="index", columns=["elements", "connections", "own_ties"])
    contributors.index.name = "contributor"
    order = ["confirmed by both ends", "reported by one side", "reported by others", "no reporter recorded"]
    kinds = pd.Series(_tie_kinds(m, c_who), dtype=object).value_counts().reindex(order, fill_value=0).astype(np.int64)
    ties = pd.DataFrame({"connections": kinds, "share": kinds / max(len(c), 1)})
    ties.index.name = "kind"
    single = e[[len(set(w)) == 1 for w in e_who]]
    single_source = single.set_index("ID").reindex(columns=["Label", "Reported By"])
    flagged = unconsented_ties(m)
    unconsented = c.loc[flagged.to_numpy(), ["ID", "From", "To"]].reset_index(drop=True)
    return ProvenanceSummary(contributors, ties, single_source, unconsented, sum(1 for w in e_who if w))
