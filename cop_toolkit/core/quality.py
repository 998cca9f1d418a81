"""Data quality for map managers: missing fields, stale entries, suspected duplicates.

Examples
--------
>>> import pandas as pd
>>> from cop_toolkit import NetworkMap
>>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Eastside Food Network", "East Side Food Network"]}))
>>> suspected_duplicates(m)[["Label_a", "Label_b"]].values.tolist()
[['Eastside Food Network', 'East Side Food Network']]
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import DUPLICATE_CUTOFF, normalise_name, similarity

__all__ = ["missing_fields", "stale_elements", "suspected_duplicates"]


def missing_fields(m: NetworkMap) -> pd.DataFrame:
    """Count the missing values of every element field, most missing first.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"], "Borough": [None, "E09000001"]}))
    >>> missing_fields(m).to_dict("records")
    [{'field': 'Borough', 'missing': 1, 'share_missing': 0.5}]
    """
    e = m.elements
    fields = [c for c in e.columns if c not in ("ID", "Label", "X", "Y")]
    out = pd.DataFrame({"field": fields, "missing": [int(e[c].isna().sum()) for c in fields]})
    out["share_missing"] = out["missing"] / max(len(e), 1)
    return out[out["missing"] > 0].sort_values("missing", ascending=False, kind="stable").reset_index(drop=True)


def stale_elements(m: NetworkMap, *, days: int = 365, today: str | None = None) -> pd.DataFrame:
    """Elements whose ``Last Verified`` date is more than ``days`` before ``today``.

    ``today`` defaults to the map's date (``metadata['date']``), else the
    newest verification date on the map, so old snapshots are judged fairly.
    Elements with no date at all are listed too (``days_since`` is NaN).

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"],
    ...                              "Last Verified": ["2015-01-01", "2017-06-01"]}))
    >>> stale_elements(m, today="2017-07-01").index.tolist()
    ['a']
    """
    e = m.elements
    cols = ["Label", "Type", "Last Verified", "days_since"]
    if "Last Verified" not in e.columns:
        return pd.DataFrame(columns=cols).rename_axis("ID")
    dates = pd.to_datetime(e["Last Verified"], errors="coerce")
    ref = pd.to_datetime(today if today else m.metadata.get("date"), errors="coerce")
    if pd.isna(ref):
        ref = dates.max()
    days_since = (ref - dates).dt.days
    out = e.assign(days_since=days_since).set_index("ID")
    out = out[(out["days_since"] > days) | out["days_since"].isna()]
    return out.reindex(columns=cols).sort_values("days_since", ascending=False, na_position="last")


_DIGITS = re.compile(r"\d+")


def suspected_duplicates(m: NetworkMap, *, threshold: float = DUPLICATE_CUTOFF, window: int = 10) -> pd.DataFrame:
    """Pairs of elements whose labels are the same or nearly the same.

    Labels are folded (case, spacing, punctuation). Elements whose folded
    labels are equal are always listed. Near matches are found by the
    sorted-neighbourhood method: each label is compared, with
    :func:`~cop_toolkit.core.text.similarity`, with its ``window`` neighbours in alphabetical order and in the
    order of the labels spelled backwards (so a typo near either end is
    still caught); pairs at or above ``threshold`` are listed with the
    reason. Names that differ only in their numbers ("Unit 1", "Unit 2")
    are told apart, not listed. This keeps a 100,000-element map to seconds; a near match whose
    labels differ at both ends may be missed.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Oak Club", "OAK CLUB", "Elm Trust"]}))
    >>> suspected_duplicates(m)[["ID_a", "ID_b", "reason"]].values.tolist()
    [['a', 'b', 'same name apart from case, spaces or punctuation']]
    """
    e = m.elements
    folded = [normalise_name(x) for x in e["Label"].astype(str)]
    ids = e["ID"].astype(str).tolist()
    labels = e["Label"].astype(str).tolist()
    same: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(folded):
        same[f].append(i)
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    for members in same.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                pairs[(i, j)] = (1.0, "same name apart from case, spaces or punctuation")
    distinct = [members[0] for members in same.values()]
    letters = {f: _DIGITS.sub("", f) for f in same}
    for key in (lambda i: folded[i], lambda i: folded[i][::-1]):
        order = sorted(distinct, key=key)
        for x, i in enumerate(order):
            for j in order[x + 1 : x + 1 + window]:
                a, b = folded[i], folded[j]
                if letters[a] == letters[b]:
                    continue  # numbered places or branches, not the same one twice
                if min(len(a), len(b)) < threshold * max(len(a), len(b)) / (2 - threshold):
                    continue  # too different in length to reach the threshold
                score = similarity(a, b, floor=threshold, fold=False)
                if score >= threshold:
                    for u in same[a]:
                        for v in same[b]:
                            pairs[(min(u, v), max(u, v))] = (score, f"names {score:.0%} alike")
    rows = [(ids[i], labels[i], ids[j], labels[j], round(score, 3), reason) for (i, j), (score, reason) in sorted(pairs.items())]
    cols = ["ID_a", "Label_a", "ID_b", "Label_b", "similarity", "reason"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("similarity", ascending=False, kind="stable").reset_index(drop=True)
