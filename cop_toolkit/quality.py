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

import difflib
from collections import defaultdict

import pandas as pd

from .model import NetworkMap, normalise_name

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


def suspected_duplicates(m: NetworkMap, *, threshold: float = 0.88) -> pd.DataFrame:
    """Pairs of elements whose labels are the same or nearly the same.

    Labels are folded (case, spacing, punctuation) and compared with
    difflib's ratio; pairs at or above ``threshold`` are listed with the
    reason. Only labels sharing a first letter or a folded prefix are
    compared, so large maps stay quick.

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
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(folded):
        blocks[f[:3]].append(i)
    rows = []
    for members in blocks.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if folded[i] == folded[j]:
                    score, reason = 1.0, "same name apart from case, spaces or punctuation"
                else:
                    score = difflib.SequenceMatcher(None, folded[i], folded[j]).ratio()
                    if score < threshold:
                        continue
                    reason = f"names {score:.0%} alike"
                rows.append((ids[i], labels[i], ids[j], labels[j], round(score, 3), reason))
    cols = ["ID_a", "Label_a", "ID_b", "Label_b", "similarity", "reason"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("similarity", ascending=False, kind="stable").reset_index(drop=True)
