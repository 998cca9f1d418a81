"""From a survey export to a network map: tidy the names people typed, then build the map.

Network-mapping surveys ask "name generator" questions: *Which networks are
you a member of?*, *Which organisations do you work with most?*. People answer
in their own words, so one organisation turns up as "LVSC", "L.V.S.C",
"lvsc" and "London Voluntary Service Council". This module

* reconciles names (:func:`reconcile_names`): each raw name gets a canonical
  name and says how it was matched - ``exact``, ``normalised`` (same letters
  once case, spacing and punctuation are ignored), ``alias`` (an acronym,
  a common abbreviation or a shortened name), ``fuzzy`` (a close spelling) or
  ``new`` (nothing close enough: a new organisation);
* turns a raw survey export into a :class:`~cop_toolkit.core.model.NetworkMap`
  (:func:`survey_to_map`): respondents and the organisations they name become
  elements, memberships and working relationships become connections, and
  organisations that answered twice are counted once.

Examples
--------
>>> reconcile_names(["L.V.S.C", "London Voluntary Service Council"], known=["LVSC"])[
...     ["raw", "canonical", "method"]]
                                raw canonical      method
0                           L.V.S.C      LVSC  normalised
1  London Voluntary Service Council      LVSC       alias
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import (
    NAME_CUTOFF,
    SEP,
    close_matches,
    normalise_name,
    similarity,
)
from cop_toolkit.geo.boroughs import match_borough

__all__ = ["reconcile_names", "survey_to_map", "split_answer", "SURVEY_QUESTIONS"]

#: Words left out when comparing names.
_STOPWORDS = {"the", "of", "ltd", "limited", "cio", "cic", "inc", "uk"}
#: Common abbreviations, expanded before comparing names.
_ABBREVIATIONS = {
    "assoc": "association", "assn": "association", "ass": "association",
    "ldn": "london", "lon": "london", "comm": "community", "cmty": "community",
    "uni": "university", "univ": "university", "grp": "group", "ctr": "centre",
    "center": "centre", "vol": "voluntary", "org": "organisation", "organization": "organisation",
    "st": "saint", "dev": "development", "intl": "international", "natl": "national",
    "svc": "service", "svcs": "services", "coop": "co op", "cooperative": "co operative",
    "neighborhood": "neighbourhood", "program": "programme",
}

#: How :func:`survey_to_map` recognises the survey's questions (lower-case fragments of headings).
SURVEY_QUESTIONS: dict[str, tuple[str, ...]] = {
    "organisation": ("name of your organisation", "organisation name", "your organisation",
                     "organisation", "organization", "group name"),
    "timestamp": ("timestamp", "submitted", "date"),
    "borough": ("borough",),
    "type": ("type of organisation", "type of organization", "organisation type"),
    "networks": ("networks are you a member", "member of", "networks"),
    "work_with": ("work with", "partners", "organisations do you"),
    "needs": ("need",),
    "offers": ("offer",),
    "consent": ("agree", "consent", "permission"),
    "email": ("email",),
    "role": ("role",),
}
_TYPE_WORDS = [
    ("cvs", "CVS"), ("infrastructure", "CVS"), ("pan-london", "Pan-London body"),
    ("network", "Borough network"), ("forum", "Borough network"), ("social enterprise",
    "Social enterprise"), ("funder", "Funder"), ("public", "Public body"),
    ("university", "University"), ("research", "University"), ("community", "Community group"),
    ("voluntary", "Community group"), ("group", "Community group"),
]
_YES = {"yes", "y", "true", "1", "agreed", "i agree", "checked", "x"}


# --------------------------------------------------------------------------- normalising

def _words(text: Any) -> list[str]:
    """Fold a name into comparable words: lower case, '&' as 'and', abbreviations expanded."""
    text = str(text).lower().replace("&", " and ").replace("+", " and ")
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    out: list[str] = []
    for w in text.split():
        w = _ABBREVIATIONS.get(w, w)
        out.extend(x for x in w.split() if x not in _STOPWORDS)
    return out


def _key(text: Any) -> str:
    return "".join(_words(text))


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w != "and")


def _word_close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    stem = len(os.path.commonprefix([a, b]))
    if stem >= 5 and stem >= 0.7 * min(len(a), len(b)):
        return True  # equality / equalities, volunteers / volunteering
    return similarity(a, b, floor=0.8, fold=False) >= 0.8


def _same_words(a: list[str], b: list[str]) -> bool:
    """True when every word of each name has a close twin in the other (typos allowed).

    This stops "North London Health Board" matching "East London Health Board".
    """
    if len(a) != len(b) and abs(len(a) - len(b)) > 0:
        # a word run together or split ("East Side" / "Eastside") is still fine
        return "".join(a) == "".join(b) or (
            similarity("".join(a), "".join(b), floor=0.9, fold=False) >= 0.9
            and all(any(_word_close(x, y) or x in y or y in x for y in b) for x in a)
        )
    return all(any(_word_close(x, y) for y in b) for x in a) and all(
        any(_word_close(y, x) for x in a) for y in b)


def _without_brackets(text: str) -> list[str]:
    """'LVSC (London Voluntary Service Council)' -> ['LVSC', 'London Voluntary Service Council']."""
    inside = re.findall(r"\(([^)]*)\)", text)
    outside = re.sub(r"\([^)]*\)", " ", text).strip()
    return [t for t in [outside, *inside] if t.strip()]


class _Index:
    """Lookup tables for a growing list of canonical names."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ids: list[Any] = []
        self.by_exact: dict[str, int] = {}
        self.by_key: dict[str, list[int]] = {}
        self.by_alias: dict[str, set[int]] = {}
        self.keys: list[str] = []
        self.cache: dict[tuple[str, float, int], tuple[int | None, float, str]] = {}

    def add(self, name: str, id_: Any = None, extra: Iterable[str] = ()) -> int:
        i = len(self.names)
        self.names.append(name)
        self.ids.append(id_)
        self.by_exact.setdefault(name.strip(), i)
        key = _key(name)
        self.keys.append(key)
        self.by_key.setdefault(key, []).append(i)
        compact = normalise_name(name)
        if compact != key:
            self.by_key.setdefault(compact, []).append(i)
        for e in extra:
            if _key(e):
                self.by_key.setdefault(_key(e), []).append(i)
        words = _words(name)
        aliases = set()
        if len(words) >= 2:
            aliases.add(_initials(words))
            # a run of two or more words written as initials: "Tower Hamlets TSC"
            for a in range(len(words)):
                for b in range(a + 2, len(words) + 1):
                    if b - a == len(words):
                        continue
                    aliases.add("".join(words[:a]) + _initials(words[a:b]) + "".join(words[b:]))
        for al in aliases:
            if len(al) >= 2:
                self.by_alias.setdefault(al, set()).add(i)
        return i

    def pick(self, raw: str, hits: Iterable[int]) -> int:
        hits = sorted(set(hits))
        if len(hits) == 1:
            return hits[0]
        low = " ".join(raw.lower().split())
        def closeness(i: int) -> tuple[float, int]:
            return similarity(low, self.names[i].lower(), fold=False), -i

        return max(hits, key=closeness)

    def match(self, raw: str, threshold: float) -> tuple[int | None, float, str]:
        text = " ".join(raw.split())
        memo = (text, threshold, len(self.names))
        if memo not in self.cache:
            self.cache[memo] = self._match(text, threshold)
        return self.cache[memo]

    def _match(self, text: str, threshold: float) -> tuple[int | None, float, str]:
        if text in self.by_exact:
            return self.by_exact[text], 1.0, "exact"
        for part in _without_brackets(text):
            key = _key(part)
            hits = self.by_key.get(key) or self.by_key.get(normalise_name(part))
            if hits:
                return self.pick(part, hits), 1.0, "normalised"
        for part in _without_brackets(text):
            key = _key(part)
            words = _words(part)
            # an acronym of a known name, or a known acronym spelled out
            hits = self.by_alias.get(key, set())
            if len(hits) == 1:
                return next(iter(hits)), 0.95, "alias"
            if len(words) >= 3:
                init = self.by_key.get(_initials(words))
                if init and len(set(init)) == 1:
                    return init[0], 0.95, "alias"
            # a shortened name: "City Bridge" for "City Bridge Trust"
            if len(key) >= 8:
                pre = [i for i, k in enumerate(self.keys) if k.startswith(key)]
                if len(set(self.keys[i] for i in pre)) == 1:
                    return self.pick(part, pre), 0.9, "alias"
        # close spelling
        key = _key(text)
        if not key:
            return None, 0.0, "new"
        words = _words(text)
        near = [i for i, k in enumerate(self.keys)
                if k and abs(len(k) - len(key)) <= max(len(k), len(key)) * (1 - threshold) + 1]
        hits = close_matches(key, [self.keys[i] for i in near], cutoff=threshold, limit=None, fold=False, positions=True)
        for pos, score in hits:  # the most alike name whose words agree too
            if _same_words(words, _words(self.names[near[pos]])):
                return near[pos], round(score, 3), "fuzzy"
        return None, 0.0, "new"


def _clean(raw: Any) -> str:
    return " ".join(str(raw).split())


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == ""


def reconcile_names(
    names: Iterable[Any],
    known: NetworkMap | Iterable[str] | Mapping[str, str] | None = None,
    threshold: float = NAME_CUTOFF,
) -> pd.DataFrame:
    """Match the names people typed to canonical names.

    Parameters
    ----------
    names : the raw names, in any order (blanks are skipped).
    known : the names to match against - a :class:`NetworkMap` (its labels,
        and IDs), a list of names, or a mapping ``{alias: canonical name}``.
        Without it the names are matched among themselves and the most common
        spelling of each organisation becomes its canonical name.
    threshold : how close (0-1) a spelling must be to count as a ``fuzzy``
        match; lower finds more matches and more mistakes.

    Returns
    -------
    DataFrame with one row per non-blank raw name, in order: ``raw``,
    ``canonical``, ``ID`` (element ID when ``known`` is a map, else blank),
    ``score`` (1 for exact, 0 for new) and ``method`` (``exact``,
    ``normalised``, ``alias``, ``fuzzy`` or ``new``).

    Examples
    --------
    >>> r = reconcile_names(["Tower Hamlets TSC", "tower hamlets third sector council ",
    ...                      "Towr Hamlets Third Sector Council", "Oak Tree Club"],
    ...                     known=["Tower Hamlets Third Sector Council"])
    >>> r["method"].tolist()
    ['alias', 'normalised', 'fuzzy', 'new']
    >>> r["canonical"].tolist()[::3]
    ['Tower Hamlets Third Sector Council', 'Oak Tree Club']
    >>> reconcile_names(["GLV", "Greater London Volunteering", "greater london volunteering"])[
    ...     "canonical"].unique().tolist()
    ['Greater London Volunteering']
    """
    if not 0 < threshold <= 1:
        raise MapError(f"the matching threshold {threshold} is not between 0 and 1",
                       fix="use a number such as 0.85 (higher is stricter)")
    raw_list = [r for r in names if not _is_blank(r)]
    index = _Index()
    aliases: dict[str, str] = {}
    fixed = known is not None
    if isinstance(known, NetworkMap):
        for eid, label in zip(known.elements["ID"], known.elements["Label"]):
            index.add(str(label), eid, extra=[str(eid)])
    elif isinstance(known, Mapping):
        canon: dict[str, int] = {}
        for alias, name in known.items():
            if name not in canon:
                canon[name] = index.add(str(name))
            aliases[_key(alias)] = name
            index.by_key.setdefault(_key(alias), []).append(canon[name])
    elif known is not None:
        for name in known:
            if not _is_blank(name):
                index.add(str(name))
    else:
        # most common spellings first, so they become the canonical names
        counts = Counter(_clean(r) for r in raw_list)
        first = {}
        for pos, r in enumerate(raw_list):
            first.setdefault(_clean(r), pos)
        for name in sorted(counts, key=lambda n: (-counts[n], -sum(c.isupper() for c in n[:1]),
                                                   first[n])):
            i, _, _ = index.match(name, threshold)
            if i is None:
                index.add(name)
    matches = [index.match(_clean(r), threshold) for r in raw_list]
    if not fixed:
        # name each group of spellings after its most common one (ties: the fullest, capitalised)
        spellings: dict[int, Counter] = {}
        for r, (i, _, _) in zip(raw_list, matches):
            spellings.setdefault(i, Counter())[_clean(r)] += 1
        final = _Index()
        for i in sorted(spellings):
            counts = spellings[i]
            best = max(counts, key=lambda n: (
                counts[n], n != n.lower() and n != n.upper(), n != n.lower(),
                len(_key(n)), -len(re.sub(r"[\w\s]", "", n)), n))
            final.add(best)
        index = final
        matches = [index.match(_clean(r), threshold) for r in raw_list]
    rows = []
    for r, (i, score, method) in zip(raw_list, matches):
        text = _clean(r)
        if i is None:
            canonical, eid, method, score = text, None, "new", 0.0
        else:
            canonical, eid = index.names[i], index.ids[i]
        rows.append({"raw": r, "canonical": canonical, "ID": eid, "score": float(score),
                     "method": method})
    df = pd.DataFrame(rows, columns=["raw", "canonical", "ID", "score", "method"])
    return df.astype({"raw": object, "canonical": object, "ID": object})


# --------------------------------------------------------------------------- answers

def split_answer(text: Any, *, multi_select: bool = False,
                 known: Iterable[str] = ()) -> list[str]:
    """Split one free-text survey answer into the names it lists.

    Names are separated by commas, semicolons, new lines, "and" or "&". A
    part that contains "and"/"&" is kept whole when it is itself a known name
    (for example "Hammersmith and Fulham Voluntary Sector Forum"). A
    multi-select answer (``multi_select=True``) is split on semicolons and new
    lines only.

    Examples
    --------
    >>> split_answer("Brixton Food Bank, Stockwell Youth Project and LVSC")
    ['Brixton Food Bank', 'Stockwell Youth Project', 'LVSC']
    >>> split_answer("Hammersmith and Fulham Forum & LVSC", known=["Hammersmith and Fulham Forum"])
    ['Hammersmith and Fulham Forum', 'LVSC']
    """
    if _is_blank(text):
        return []
    parts = re.split(r"[;\n\r]+" if multi_select else r"[;,\n\r]+", str(text))
    if multi_select:
        return [_clean(p) for p in parts if p.strip()]
    known_keys = known if isinstance(known, _KnownKeys) else _KnownKeys(known)
    return _split_free_text(parts, known_keys, known_keys.joined)


class _KnownKeys(set):
    """Folded known names, worked out once for many answers."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        super().__init__(_key(n) for n in names)
        self.joined = sorted(k for k in self if "and" in k)


def _split_free_text(parts: list[str], known_keys: set[str], joined_keys: list[str]) -> list[str]:
    """Split comma-separated parts further on 'and'/'&' unless that breaks a known name."""

    def is_known(candidate: str) -> bool:
        key = _key(candidate)
        if key in known_keys:
            return True
        close = close_matches(key, joined_keys, cutoff=0.9, limit=1, fold=False)
        # a typo, not extra words: the lengths must be almost the same
        return bool(close) and abs(len(close[0]) - len(key)) <= max(2, 0.06 * len(key))

    out: list[str] = []
    for part in parts:
        part = _clean(part)
        if not part:
            continue
        if not re.search(r"\s(and|&)\s", part, flags=re.I) or is_known(part):
            out.append(part)
            continue
        pieces = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", part, flags=re.I)]
        # re-join neighbouring pieces that together make a known name
        merged: list[str] = []
        i = 0
        while i < len(pieces):
            joined = None
            for j in range(len(pieces), i + 1, -1):
                for glue in (" and ", " & "):
                    cand = glue.join(pieces[i:j])
                    if is_known(cand):
                        joined, i_next = cand, j
                        break
                if joined:
                    break
            if joined:
                merged.append(joined)
                i = i_next
            else:
                merged.append(pieces[i])
                i += 1
        out.extend(p for p in merged if p)
    return out


def _find_column(columns: list[str], role: str, given: Mapping[str, str] | None) -> str | None:
    if given and role in given:
        if given[role] not in columns:
            raise MapError(f"the survey has no column called '{given[role]}'",
                           fix=f"check the spelling; the columns are: {', '.join(columns)}")
        return given[role]
    lowered = {c: c.lower() for c in columns}
    for fragment in SURVEY_QUESTIONS[role]:
        for c in columns:
            if fragment in lowered[c]:
                return c
    return None


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and").replace("'", "")).strip("-")
    base = base or "element"
    slug, k = base, 2
    while slug in taken:
        slug = f"{base}-{k}"
        k += 1
    return slug


def _guess_type(answer: Any) -> Any:
    if _is_blank(answer):
        return float("nan")
    low = str(answer).lower()
    for word, type_ in _TYPE_WORDS:
        if word in low:
            return type_
    return float("nan")


def _items(text: Any) -> str | float:
    values = [v.strip() for v in re.split(r"[,;\n|]+", "" if _is_blank(text) else str(text))]
    values = [v for v in values if v]
    return SEP.join(values) if values else float("nan")


def survey_to_map(
    survey_df: pd.DataFrame,
    known_map: NetworkMap | None = None,
    *,
    threshold: float = NAME_CUTOFF,
    columns: Mapping[str, str] | None = None,
    name: str = "Map from survey",
) -> NetworkMap:
    """Build a network map from a raw survey export (one row per response).

    Each organisation that answered becomes an element (answering twice
    counts once: the latest answer is kept). Each network named under "Which
    networks are you a member of?" becomes a ``Membership`` connection from
    the respondent to the network; each organisation named under "Which
    organisations do you work with most?" becomes a ``Partnership``. Names are
    tidied with :func:`reconcile_names` - against ``known_map`` when given (its
    IDs, labels and types are used), otherwise among themselves.

    Parameters
    ----------
    survey_df : the export, e.g. ``datasets.load_survey()``; the questions are
        recognised from their headings (see :data:`SURVEY_QUESTIONS`).
    known_map : an existing map to reconcile names against.
    threshold : closeness needed for a fuzzy name match (0-1).
    columns : say which heading answers which question when the automatic
        guess fails, e.g. ``{"organisation": "Group name"}``.
    name : the new map's name.

    Returns
    -------
    NetworkMap whose warnings list new names and repeated answers; elements
    carry ``Borough`` (ONS code where recognised), ``Needs``, ``Offers``,
    ``Email`` (private), ``Visibility`` (private when consent was not given) and
    ``Survey rows``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({
    ...     "Timestamp": ["01/06/2017 10:00:00", "02/06/2017 11:00:00", "03/06/2017 12:00:00"],
    ...     "Name of your organisation or group": ["Oak Tree Club", "Elm Youth", "oak tree club"],
    ...     "Which networks are you a member of?": ["LVSC", "L.V.S.C; Borough Networks Forum", "lvsc"],
    ...     "Which organisations do you work with most?": ["Elm Youth", "Oak Tree Club and Ash Café", ""],
    ... })
    >>> m = survey_to_map(s)
    >>> sorted(m.elements["Label"])
    ['Ash Café', 'Borough Networks Forum', 'Elm Youth', 'LVSC', 'Oak Tree Club']
    >>> len(m.connections)
    5
    """
    df, col = _survey_columns(survey_df, columns)
    warnings: list[MapWarning] = []
    org_col = col["organisation"]
    answered = df[~df[org_col].map(_is_blank)]

    # 1. every name mentioned anywhere, split into single names
    respondents_raw = [str(v) for v in answered[org_col]]
    known_names = list(known_map.elements["Label"].astype(str)) if known_map is not None else []
    mentions = _mentions(answered, col, _KnownKeys(known_names + respondents_raw))

    # 2. reconcile respondents and mentions together
    all_raw = respondents_raw + [m[2] for m in mentions]
    make = _Elements(reconcile_names(all_raw, known=known_map, threshold=threshold), all_raw, known_map, warnings)

    # 3. respondents: keep the latest answer of each organisation
    latest = _latest_answers(answered, col, make, warnings)
    rows_of: dict[str, list[str]] = {}
    for k, pos in enumerate(answered.index):
        rows_of.setdefault(make.element_for(k), []).append(str(int(pos) + 2))
    for eid, (_, pos, _) in latest.items():
        e = make.elements[eid]
        e["Survey rows"] = SEP.join(rows_of[eid])
        _fill_answers(e, answered.loc[pos], col)

    # 4. connections, from each organisation's latest answer only
    conns = _connections(mentions, latest, make, base=len(respondents_raw))
    _record_reporters(make.elements, conns, latest)
    el = pd.DataFrame(list(make.elements.values()))
    cn = pd.DataFrame(conns, columns=["ID", "From", "To", "Type", "Direction", "Description", "Reported By", "Reported On"])
    metadata = {"name": name, "private_fields": ["Email"], "source": "survey"}
    return NetworkMap(el, cn, metadata, warnings)


def _record_reporters(elements: dict[str, dict[str, Any]], conns: list[dict[str, Any]],
                      latest: dict[str, tuple[Any, int, int]]) -> None:
    """Who said what: each respondent reports itself and the ties it named, on the day it answered."""
    def day(eid: str) -> Any:
        t = latest[eid][0][0]
        return t.date().isoformat() if t is not pd.Timestamp.min else float("nan")

    for eid in latest:
        elements[eid]["Reported By"] = elements[eid]["Label"]
        elements[eid]["Reported On"] = day(eid)
    for c in conns:
        c["Reported By"] = elements[c["From"]]["Label"]
        c["Reported On"] = day(c["From"])


def _survey_columns(survey_df: pd.DataFrame, columns: Mapping[str, str] | None) -> tuple[pd.DataFrame, dict[str, str | None]]:
    """The survey with text headings, and the heading of each question (see :data:`SURVEY_QUESTIONS`)."""
    if not isinstance(survey_df, pd.DataFrame) or survey_df.empty:
        raise MapError("the survey table is empty",
                       fix="load the export with datasets.load_survey() or pandas.read_csv()")
    df = survey_df.reset_index(drop=True)
    cols = [str(c) for c in df.columns]
    df.columns = cols
    col = {role: _find_column(cols, role, columns) for role in SURVEY_QUESTIONS}
    if col["organisation"] is None:
        raise MapError(
            "the survey has no column with the respondent's organisation",
            fix="name it 'Name of your organisation or group', or pass "
                "columns={'organisation': 'your heading'}",
        )
    return df, col


def _mentions(answered: pd.DataFrame, col: dict[str, str | None], known_names: set[str]) -> list[tuple[int, str, str]]:
    """Every name given under the networks and work-with questions: (row position, question, raw name)."""
    mentions: list[tuple[int, str, str]] = []
    for pos, row in answered.iterrows():
        if col["networks"]:
            for n in split_answer(row[col["networks"]], multi_select=True):
                mentions.append((pos, "networks", n))
        if col["work_with"]:
            for n in split_answer(row[col["work_with"]], known=known_names):
                mentions.append((pos, "work_with", n))
    return mentions


class _Elements:
    """The map's elements, made on first use from the reconciled names (one per canonical name)."""

    def __init__(self, rec: pd.DataFrame, all_raw: list[str], known_map: NetworkMap | None,
                 warnings: list[MapWarning]) -> None:
        self.canon = list(rec["canonical"])
        self.ids = list(rec["ID"])
        self.methods = list(rec["method"])
        self.all_raw = all_raw
        self.known_map = known_map
        self.warnings = warnings
        self.elements: dict[str, dict[str, Any]] = {}
        self.id_of: dict[str, str] = {}
        self.taken: set[str] = set(known_map.elements["ID"].astype(str)) if known_map is not None else set()

    def element_for(self, k: int) -> str:
        """The ID of the element for the ``k``-th name, made if new."""
        label = self.canon[k]
        if label in self.id_of:
            return self.id_of[label]
        known_map, method = self.known_map, self.methods[k]
        eid = self.ids[k] if self.ids[k] is not None and not _is_blank(self.ids[k]) else _slug(label, self.taken)
        self.taken.add(eid)
        self.id_of[label] = eid
        row: dict[str, Any] = {"ID": eid, "Label": label}
        if known_map is not None and method != "new":
            src = known_map.elements.loc[known_map.elements["ID"] == eid]
            if len(src) and "Type" in src.columns:
                row["Type"] = src["Type"].iloc[0]
        self.elements[eid] = row
        if method == "new" and known_map is not None:
            self.warnings.append(MapWarning("new_name", f"'{_clean(self.all_raw[k])}' matched no element of "
                                            f"the known map, so it was added as a new element",
                                            element=eid))
        return eid


def _latest_answers(
    answered: pd.DataFrame, col: dict[str, str | None], make: _Elements, warnings: list[MapWarning]
) -> dict[str, tuple[Any, int, int]]:
    """Each respondent's latest answer: ``{ID: ((time, row), row position, name number)}``."""
    times = (pd.to_datetime(answered[col["timestamp"]], dayfirst=True, errors="coerce")
             if col["timestamp"] else pd.Series(pd.NaT, index=answered.index))
    latest: dict[str, tuple[Any, int, int]] = {}
    for k, (pos, _) in enumerate(answered.iterrows()):
        eid = make.element_for(k)
        t = times.loc[pos]
        stamp = (t if not pd.isna(t) else pd.Timestamp.min, pos)
        if eid in latest:
            warnings.append(MapWarning(
                "duplicate_response", f"'{make.canon[k]}' answered the survey more than once; the "
                f"latest answer is used", element=eid, row=int(pos) + 2))
            if stamp <= latest[eid][0]:
                continue
        latest[eid] = (stamp, pos, k)
    return latest


def _fill_answers(e: dict[str, Any], row: pd.Series, col: dict[str, str | None]) -> None:
    """Copy a respondent's answers (type, borough, needs, offers, email, consent) into its element."""
    if "Type" not in e and col["type"]:
        e["Type"] = _guess_type(row[col["type"]])
    if col["borough"]:
        b = row[col["borough"]]
        e["Borough"] = match_borough(b) or (float("nan") if _is_blank(b) else _clean(b))
    if col["needs"]:
        e["Needs"] = _items(row[col["needs"]])
    if col["offers"]:
        e["Offers"] = _items(row[col["offers"]])
    if col["email"]:
        e["Email"] = row[col["email"]]
    if col["consent"]:
        agreed = str(row[col["consent"]]).strip().lower() in _YES
        e["Visibility"] = "public" if agreed else "private"


def _connections(
    mentions: list[tuple[int, str, str]], latest: dict[str, tuple[Any, int, int]], make: _Elements, base: int
) -> list[dict[str, Any]]:
    """Membership and partnership ties from each respondent's latest answer (no repeats, no self-ties)."""
    kept_rows = {pos: eid for eid, (_, pos, _) in latest.items()}
    conns: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for j, (pos, question, _) in enumerate(mentions):
        if pos not in kept_rows:
            continue
        a = kept_rows[pos]
        b = make.element_for(base + j)
        if a == b:
            continue
        type_ = "Membership" if question == "networks" else "Partnership"
        key = (a, b, type_) if type_ == "Membership" else (*sorted((a, b)), type_)
        if key in seen:
            continue
        seen.add(key)
        conns.append({"From": a, "To": b, "Type": type_,
                      "Direction": "directed" if type_ == "Membership" else "mutual",
                      "Description": f"Survey answer, row {int(pos) + 2}"})
    for i, c in enumerate(conns, start=1):
        c["ID"] = f"s{i}"
    return conns
