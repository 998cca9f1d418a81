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

import csv
import functools
import re
from collections import defaultdict
from importlib.resources import files

import pandas as pd
from rapidfuzz import fuzz

from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import DUPLICATE_CUTOFF, normalise_name

__all__ = ["missing_fields", "stale_elements", "suspected_duplicates", "place_words", "name_likeness", "COMPASS_WORDS"]


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
_WORDS = re.compile(r"[^\W_]+")

#: words that say which part of London, not which organisation
COMPASS_WORDS = frozenset({
    "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
    "north-east", "north-west", "south-east", "south-west", "inner", "outer", "mid",
})
#: words that say what kind of company or charity, not which one
_FORM_WORDS = frozenset({"ltd", "limited", "cic", "plc", "inc", "llp", "the"})


@functools.cache
def place_words() -> frozenset[str]:
    """The place words that tell two organisations apart: London's boroughs and compass words.

    A borough is known by its full name and by each part of a double name
    ("hammersmith and fulham", "hammersmith", "fulham"), folded to lower case.

    Examples
    --------
    >>> words = place_words()
    >>> {"tower hamlets", "haringey", "fulham", "kingston", "east"} <= words, "london" in words
    (True, False)
    """
    table = files("cop_toolkit.datasets_files").joinpath("london-boroughs", "boroughs.csv")
    with table.open("r", encoding="utf-8") as f:
        names = [row["name"] for row in csv.DictReader(f)]
    words = set(COMPASS_WORDS)
    for name in names:
        folded = " ".join(_WORDS.findall(name.casefold()))
        words.add(folded)
        words.update(p.strip() for p in re.split(r"\band\b|\bupon\b|\bcity of\b", folded) if p.strip())
    return frozenset(words - {"thames", "london"})


@functools.lru_cache(maxsize=4)
def _first_words(places: frozenset[str]) -> frozenset[str]:
    """The words a place name can begin with (a label's other words need not be looked up)."""
    return frozenset(p.split(" ")[0] for p in places)


def _name_parts(label: str, places: frozenset[str]) -> tuple[str, frozenset[str]]:
    """A label's words without form words ('Ltd', 'the'; '&' read as 'and'), and the place words in it."""
    tokens = [t for t in _WORDS.findall(label.casefold().replace("&", " and ")) if t not in _FORM_WORDS]
    found: set[str] = set()
    starts = _first_words(places)
    k = 0
    while k < len(tokens):
        if tokens[k] not in starts:  # no place name begins with this word
            k += 1
            continue
        for n in (4, 3, 2, 1):  # the longest place name first ("barking and dagenham")
            phrase = " ".join(tokens[k : k + n])
            if len(tokens[k : k + n]) == n and phrase in places:
                found.add(phrase)
                k += n
                break
        else:
            k += 1
    return " ".join(tokens), frozenset(found)


def name_likeness(a: str, b: str) -> float:
    """How alike two cleaned names are, from 0 to 1: the best of a word-order-blind and a spacing-blind score.

    Examples
    --------
    >>> name_likeness("eastside food network", "east side food network")
    1.0
    >>> name_likeness("youth club hackney", "hackney youth club")
    1.0
    """
    by_words = fuzz.token_sort_ratio(a, b)
    by_letters = fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))
    return round(max(by_words, by_letters) / 100, 3)


def _same_names(folded: list[str]) -> tuple[dict[str, list[int]], dict[tuple[int, int], tuple[float, str]]]:
    """Elements grouped by folded label, and the pairs whose folded labels are equal."""
    same: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(folded):
        same[f].append(i)
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    for members in same.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                pairs[(i, j)] = (1.0, "same name apart from case, spaces or punctuation")
    return same, pairs


def suspected_duplicates(m: NetworkMap, *, threshold: float = DUPLICATE_CUTOFF, window: int = 10) -> pd.DataFrame:
    """Pairs of elements whose labels are the same or nearly the same.

    Labels are folded (case, spacing, punctuation). Elements whose folded
    labels are equal are always listed. Near matches are scored with
    rapidfuzz (word order and spacing do not count; '&' is read as 'and';
    'Ltd', 'Limited', 'CIC' and 'the' are left out) and listed at or above
    ``threshold``. Names that differ in a place word — a borough or a
    compass word, as in "East London Youth Forum" / "West London Youth
    Forum" or "Haringey Third Sector Council" / "Ealing Third Sector
    Council" — name different bodies and are not listed; nor are names
    that differ only in their numbers ("Unit 1", "Unit 2").

    Candidates are found by the sorted-neighbourhood method: each name is
    compared with its ``window`` neighbours in alphabetical order and in the
    order of the names spelled backwards (so a typo near either end is still
    caught). This keeps a 100,000-element map to seconds; a near match whose
    names differ at both ends may be missed.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c", "d"],
    ...     "Label": ["Oak Club", "OAK CLUB", "Hackney Oak Trust", "Lambeth Oak Trust"]}))
    >>> suspected_duplicates(m)[["ID_a", "ID_b", "reason"]].values.tolist()
    [['a', 'b', 'same name apart from case, spaces or punctuation']]
    """
    e = m.elements
    labels = e["Label"].astype(str).tolist()
    ids = e["ID"].astype(str).tolist()
    folded = [normalise_name(x) for x in labels]
    same, pairs = _same_names(folded)
    distinct = [members[0] for members in same.values()]
    places = place_words()
    parts = {i: _name_parts(labels[i], places) for i in distinct}
    letters = {i: _DIGITS.sub("", parts[i][0]) for i in distinct}
    for key in (lambda i: parts[i][0], lambda i: parts[i][0][::-1]):
        order = sorted(distinct, key=key)
        for x, i in enumerate(order):
            for j in order[x + 1 : x + 1 + window]:
                (a, places_a), (b, places_b) = parts[i], parts[j]
                if letters[i] == letters[j] and a != b:
                    continue  # numbered places or branches, not the same one twice
                if places_a and places_b and places_a != places_b:
                    continue  # the same kind of body in two places
                score = 1.0 if a == b else name_likeness(a, b)
                if score >= threshold:
                    reason = "same name apart from 'the', '&' or 'Ltd'" if a == b else f"names {score:.0%} alike"
                    for u in same[folded[i]]:
                        for v in same[folded[j]]:
                            pairs[(min(u, v), max(u, v))] = (score, reason)
    rows = [(ids[i], labels[i], ids[j], labels[j], round(score, 3), reason) for (i, j), (score, reason) in sorted(pairs.items())]
    cols = ["ID_a", "Label_a", "ID_b", "Label_b", "similarity", "reason"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("similarity", ascending=False, kind="stable").reset_index(drop=True)
