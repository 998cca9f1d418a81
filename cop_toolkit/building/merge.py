"""Merging contributors' maps into one, keeping who said what.

A map manager receives maps from several network leaders, each mapping their
own corner in more detail. :func:`merge_maps` folds them into the base map.

Matching elements (each other map against the map merged so far), in order:

1. the same ``ID`` (score 1, reason "same ID");
2. the same label apart from case, spaces and punctuation (score 1);
3. labels at least ``threshold`` alike (:func:`~cop_toolkit.core.text.similarity`)
   whose differing words are spelling variants of each other ("Comunity" /
   "Community"): score the similarity;
4. elements in the same postcode or borough whose labels are at least
   ``review`` alike.

Only 1–3 are merged. Labels that are alike but differ in a whole word
("East London ..." / "West London ..."), and pairs found by place only (4),
are listed in :attr:`MergeReport.decisions` for the manager to decide
(write ``merge`` or ``keep apart`` in its ``decision`` column and pass the
sheet back as ``decisions``); they are never merged silently.

Merging a matched element: a blank field takes the other map's value; fields
holding several ``|`` values (``Tags``, ``Needs``, ``Reported By`` ...) are
unioned; ``Last Verified`` keeps the latest date; any other field that
disagrees keeps the base value, and the disagreement is listed in
:attr:`MergeReport.conflicts`. Custom fields of every map are kept.

Connections with the same two ends and the same type are one tie (either
way round, unless ``directed``): its ``Strength`` is the largest reported,
its ``Reported By`` and ``Reported On`` list every source.

Elements and connections of a map with no ``Reported By`` are credited to
that map's source name (``sources``, default the map's name), and given its
``metadata['date']`` as ``Reported On``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cop_toolkit.analysis.provenance import (
    CONSENT_CHECK,
    PROVENANCE_COLUMNS,
    consent_marks,
)
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.quality import suspected_duplicates
from cop_toolkit.core.text import (
    NAME_CUTOFF,
    is_missing,
    join_values,
    normalise_name,
    similarity,
    split_values,
)

__all__ = ["MULTI_VALUE_FIELDS", "REVIEW_CUTOFF", "MergeReport", "merge_maps", "read_decisions"]

#: Fields that always hold several ``|`` values (any field with a ``|`` in it is treated so too).
MULTI_VALUE_FIELDS = ("Tags", "Assets", "Needs", "Offers", "Reported By", "Reported On")
#: How alike two labels in the same place must be to be listed for a decision.
REVIEW_CUTOFF = 0.75
#: How alike two differing words must be to count as one word spelled two ways.
_WORD_CUTOFF = 0.8
_MATCH_COLUMNS = ["source", "ID_other", "Label_other", "ID", "Label", "score", "matched_by", "reason"]
_DECISION_COLUMNS = ["source", "ID_other", "Label_other", "ID", "Label", "score", "reason", "decision"]
_MERGE_WORDS = frozenset({"merge", "same", "yes", "y", "match"})
_APART_WORDS = frozenset({"keep apart", "apart", "different", "no", "n", "separate"})
_NO_COMPARE = {"ID", "Label", "Last Verified", *PROVENANCE_COLUMNS}


@dataclass
class MergeReport:
    """What :func:`merge_maps` did.

    Attributes
    ----------
    sources : the source names, base first.
    matches : one row per merged element of another map: ``source``,
        ``ID_other``, ``Label_other``, ``ID`` and ``Label`` (in the merged
        map), ``score``, ``matched_by`` ("ID", "label", "decision") and ``reason``.
    added : elements new to the merged map: ``source``, ``ID``, ``Label``.
    conflicts : ``source``, ``ID``, ``Label``, ``field``, ``kept``, ``other``.
    decisions : pairs left for the manager: ``source``, ``ID_other``,
        ``Label_other``, ``ID``, ``Label``, ``score``, ``reason``, ``decision`` (blank).
    ties : ``added`` (ties new to the merged map) and ``shared`` (ties
        reported by more than one source) counts.
    """

    sources: list[str]
    matches: pd.DataFrame
    added: pd.DataFrame
    conflicts: pd.DataFrame
    decisions: pd.DataFrame
    ties: dict[str, int] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """The counts, one row per kind of outcome.

        Examples
        --------
        >>> import pandas as pd
        >>> a = NetworkMap(pd.DataFrame({"ID": ["x"], "Label": ["Oak Club"]}))
        >>> b = NetworkMap(pd.DataFrame({"ID": ["y"], "Label": ["OAK CLUB"]}))
        >>> merge_maps(a, b)[1].summary()["count"].tolist()
        [1, 0, 0, 0, 0, 0]
        """
        rows = [
            ("elements matched", len(self.matches)),
            ("elements added", len(self.added)),
            ("fields in conflict (base kept)", len(self.conflicts)),
            ("pairs left for a decision", len(self.decisions)),
            ("ties added", self.ties.get("added", 0)),
            ("ties reported by several sources", self.ties.get("shared", 0)),
        ]
        return pd.DataFrame(rows, columns=["outcome", "count"])

    def headline(self) -> str:
        """One plain sentence.

        Examples
        --------
        >>> import pandas as pd
        >>> a = NetworkMap(pd.DataFrame({"ID": ["x"], "Label": ["Oak Club"]}), metadata={"name": "A"})
        >>> b = NetworkMap(pd.DataFrame({"ID": ["y"], "Label": ["Elm Trust"]}), metadata={"name": "B"})
        >>> merge_maps(a, b)[1].headline()
        'Merged B into A: 0 elements matched, 1 added, 0 fields in conflict, 0 pairs left for a decision; 0 ties added.'
        """
        return (
            f"Merged {', '.join(self.sources[1:]) or 'nothing'} into {self.sources[0]}: "
            f"{len(self.matches)} elements matched, {len(self.added)} added, "
            f"{len(self.conflicts)} fields in conflict, {len(self.decisions)} pairs left for a decision; "
            f"{self.ties.get('added', 0)} ties added."
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's tables by sheet name (for the spreadsheet and the page).

        Examples
        --------
        >>> import pandas as pd
        >>> a = NetworkMap(pd.DataFrame({"ID": ["x"], "Label": ["Oak Club"]}))
        >>> list(merge_maps(a, a.copy())[1].tables())
        ['Summary', 'Matched', 'Added', 'Conflicts', 'Decisions']
        """
        return {
            "Summary": self.summary(),
            "Matched": self.matches,
            "Added": self.added,
            "Conflicts": self.conflicts,
            "Decisions": self.decisions,
        }


# ------------------------------------------------------------------ decisions
def read_decisions(decisions: pd.DataFrame | str | Path | None) -> dict[tuple[str, str, str], bool]:
    """Read a decisions sheet: ``{(source, ID_other, ID): True to merge, False to keep apart}``.

    Rows with a blank ``decision`` are left undecided. ``decisions`` is a table
    or a ``.csv`` / ``.xlsx`` file as :attr:`MergeReport.decisions` wrote it.

    Examples
    --------
    >>> import pandas as pd
    >>> read_decisions(pd.DataFrame({"source": ["B"], "ID_other": ["y"], "ID": ["x"], "decision": ["merge"]}))
    {('B', 'y', 'x'): True}
    """
    if decisions is None:
        return {}
    table = decisions if isinstance(decisions, pd.DataFrame) else _read_table(Path(decisions))
    missing = [c for c in ("source", "ID_other", "ID", "decision") if c not in table.columns]
    if missing:
        raise MapError(f"the decisions sheet has no {', '.join(repr(c) for c in missing)} column",
                       fix="use the Decisions sheet the merge report wrote, filling in its 'decision' column")
    out: dict[tuple[str, str, str], bool] = {}
    for i, row in enumerate(table.itertuples(index=False), start=2):
        word = "" if is_missing(row.decision) else str(row.decision).strip().lower()
        if not word:
            continue
        if word not in _MERGE_WORDS | _APART_WORDS:
            raise MapError(f"the decision '{row.decision}' is not understood", row=i, column="decision",
                           fix="write 'merge' or 'keep apart' (or leave it blank to decide later)")
        out[(str(row.source), str(row.ID_other), str(row.ID))] = word in _MERGE_WORDS
    return out


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise MapError("the decisions file was not found", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = pd.read_excel(path, sheet_name=None, dtype=str)
        return sheets.get("Decisions", next(iter(sheets.values())))
    return pd.read_csv(path, dtype=str)


# ------------------------------------------------------------------ matching
def _spelling_variant(a: str, b: str) -> bool:
    """True when the words that differ between two labels are spelling variants of each other."""
    wa = [normalise_name(w) for w in re.split(r"\s+", a) if normalise_name(w)]
    wb = [normalise_name(w) for w in re.split(r"\s+", b) if normalise_name(w)]
    if len(wa) != len(wb):
        return normalise_name(a) == normalise_name(b)
    return all(x == y or (min(len(x), len(y)) >= 4 and similarity(x, y, fold=False) >= _WORD_CUTOFF) for x, y in zip(wa, wb))


def _place_key(value: Any) -> str:
    return "" if is_missing(value) else re.sub(r"\s+", "", str(value)).upper()


def _places(table: pd.DataFrame) -> dict[str, tuple[tuple[str, str, Any], ...]]:
    """Each element's postcode and borough, folded for comparison: ``{ID: ((column, key, value), ...)}``."""
    cols = [c for c in ("Postcode", "Borough") if c in table.columns]
    ids = table["ID"].astype(str).tolist()
    values = [table[c].tolist() for c in cols]
    return {i: tuple((c, _place_key(v[k]), v[k]) for c, v in zip(cols, values)) for k, i in enumerate(ids)}


def _same_place(a: tuple[tuple[str, str, Any], ...], b: tuple[tuple[str, str, Any], ...]) -> str:
    """"postcode X" / "borough X" when two elements share one, else ""."""
    other = {c: key for c, key, _ in b}
    for col, key, value in a:
        if key and other.get(col) == key:
            return f"{col.lower()} {value}"
    return ""


def _candidates(merged: pd.DataFrame, other: pd.DataFrame, threshold: float, review: float) -> list[tuple[str, str, float, str, bool]]:
    """Label and place candidates ``(other ID, merged ID, score, reason, auto)`` for elements not matched by ID."""
    a = merged.assign(ID="m:" + merged["ID"].astype(str))
    b = other.assign(ID="o:" + other["ID"].astype(str))
    both = NetworkMap(pd.concat([a[["ID", "Label"]], b[["ID", "Label"]]], ignore_index=True))
    pairs = suspected_duplicates(both, threshold=min(review, threshold))
    found: list[tuple[str, str, float, str, bool]] = []
    m_places, o_places = _places(merged), _places(other)
    for ia, la, ib, lb, score in pairs[["ID_a", "Label_a", "ID_b", "Label_b", "similarity"]].itertuples(index=False):
        if ia[0] == ib[0]:
            continue  # two elements of the same map
        (mid, ml), (oid, ol) = ((ia[2:], la), (ib[2:], lb)) if ia[0] == "m" else ((ib[2:], lb), (ia[2:], la))
        found.append((oid, mid, *_judge(m_places[mid], o_places[oid], ml, ol, float(score), threshold, review)))
    found += _postcode_candidates(merged, other, threshold, review)
    unique = {(f[0], f[1]): f for f in reversed(found) if f[3]}  # a pair found twice: the first reason
    return list(unique.values())


def _judge(m_place: tuple, o_place: tuple, ml: str, ol: str, score: float, threshold: float,
           review: float) -> tuple[float, str, bool]:
    """Score one label pair: ``(score, reason, merge?)``; reason "" when it is neither a match nor worth a decision."""
    if score >= 1.0:
        return 1.0, "same name apart from case, spaces or punctuation", True
    if score >= threshold and _spelling_variant(ml, ol):
        return score, f"names {score:.0%} alike (a spelling difference)", True
    if score >= threshold:
        return score, f"names {score:.0%} alike but a whole word differs", False
    place = _same_place(m_place, o_place) if score >= review else ""
    if place:
        return score, f"same {place} and names {score:.0%} alike", False
    return score, "", False


def _postcode_candidates(merged: pd.DataFrame, other: pd.DataFrame, threshold: float, review: float) -> list[tuple[str, str, float, str, bool]]:
    """Pairs in the same postcode (small groups compared in full) whose labels are at least ``review`` alike."""
    if "Postcode" not in merged.columns or "Postcode" not in other.columns:
        return []
    by_postcode: dict[str, list[tuple[str, str]]] = {}
    for mid, ml, pc in zip(merged["ID"].astype(str), merged["Label"].astype(str), merged["Postcode"].map(_place_key)):
        if pc:
            by_postcode.setdefault(pc, []).append((mid, ml))
    found = []
    for oid, ol, pc in zip(other["ID"].astype(str), other["Label"].astype(str), other["Postcode"].map(_place_key)):
        for mid, ml in by_postcode.get(pc, []) if pc else []:
            score = similarity(ml, ol, floor=review)
            if review <= score < threshold:
                found.append((oid, mid, round(score, 3), f"same postcode {pc} and names {score:.0%} alike", False))
    return found


def _match(merged: pd.DataFrame, other: pd.DataFrame, source: str, threshold: float, review: float,
           decided: dict[tuple[str, str, str], bool]) -> tuple[dict[str, str], pd.DataFrame, pd.DataFrame]:
    """Match one map's elements to the merged ones: ``{other ID: merged ID}``, the matches and the pairs to decide."""
    mids = set(merged["ID"].astype(str))
    labels = dict(zip(merged["ID"].astype(str), merged["Label"].astype(str)))
    olabels = dict(zip(other["ID"].astype(str), other["Label"].astype(str)))
    rows = [(source, i, olabels[i], i, labels[i], 1.0, "ID", "same ID") for i in olabels if i in mids]
    mapping = {i: i for i in olabels if i in mids}
    rest = other[~other["ID"].astype(str).isin(mids)]
    free = merged[~merged["ID"].astype(str).isin(set(mapping.values()))]
    cands = _candidates(free, rest, threshold, review) if len(rest) and len(free) else []
    forced = [(o, mm) for (s, o, mm), yes in decided.items() if s == source and yes and o in olabels and mm in labels]
    apart = {(o, mm) for (s, o, mm), yes in decided.items() if s == source and not yes}
    taken = set(mapping.values())
    for o, mm in forced:
        if o not in mapping and mm not in taken:
            mapping[o] = mm
            taken.add(mm)
            rows.append((source, o, olabels[o], mm, labels[mm], 1.0, "decision", "the manager decided to merge"))
    review_rows = []
    for o, mm, score, reason, auto in sorted(cands, key=lambda c: (not c[4], -c[2], c[0], c[1])):
        if o in mapping or mm in taken or (o, mm) in apart:
            continue
        if auto:
            mapping[o] = mm
            taken.add(mm)
            rows.append((source, o, olabels[o], mm, labels[mm], round(score, 3), "label", reason))
        else:
            review_rows.append((source, o, olabels[o], mm, labels[mm], round(score, 3), reason, ""))
    review_rows = [r for r in review_rows if r[1] not in mapping and r[3] not in taken]
    return mapping, pd.DataFrame(rows, columns=_MATCH_COLUMNS), pd.DataFrame(review_rows, columns=_DECISION_COLUMNS)


# ------------------------------------------------------------------ merging
def _credited(table: pd.DataFrame, source: str, date: Any) -> pd.DataFrame:
    """The table with blank ``Reported By`` / ``Reported On`` filled from its source."""
    table = table.copy()
    by = table["Reported By"] if "Reported By" in table.columns else pd.Series(np.nan, index=table.index, dtype=object)
    table["Reported By"] = by.where(by.notna(), source)
    if not is_missing(date):
        on = table["Reported On"] if "Reported On" in table.columns else pd.Series(np.nan, index=table.index, dtype=object)
        table["Reported On"] = on.where(on.notna(), str(date))
    return table


def _multi_columns(*tables: pd.DataFrame) -> set[str]:
    cols = set(MULTI_VALUE_FIELDS)
    for t in tables:
        for c in t.columns:
            if t[c].dtype == object and t[c].astype(str).str.contains("|", regex=False).any():
                cols.add(c)
    return cols - {"ID", "Label"}


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return str(a).strip().casefold() == str(b).strip().casefold()


def _fold_elements(merged: pd.DataFrame, other: pd.DataFrame, mapping: dict[str, str], source: str,
                   multi: set[str]) -> tuple[pd.DataFrame, list[tuple]]:
    """Fold the matched rows of ``other`` into ``merged``; return it and the conflicts."""
    merged = merged.copy()
    for col in other.columns:
        if col not in merged.columns:
            merged[col] = pd.Series(np.nan, index=merged.index, dtype=other[col].dtype if col in ("Latitude", "Longitude") else object)
    pos = pd.Series(range(len(merged)), index=merged["ID"].astype(str))
    pos = pos[~pos.index.duplicated()]
    conflicts: list[tuple] = []
    matched = other[other["ID"].astype(str).isin(mapping)]
    targets = pos.loc[[mapping[str(i)] for i in matched["ID"]]].to_numpy()
    for col in other.columns:
        if col in ("ID", "Label"):
            continue
        cj = merged.columns.get_loc(col)
        for r, value in zip(targets, matched[col].tolist()):
            if is_missing(value):
                continue
            kept = merged.iat[r, cj]
            if is_missing(kept):
                merged.iat[r, cj] = value
            elif col in multi:
                merged.iat[r, cj] = join_values(dict.fromkeys(split_values(kept) + split_values(value)))
            elif col == "Last Verified":
                merged.iat[r, cj] = max(str(kept), str(value))
            elif col not in _NO_COMPARE and not _same_value(kept, value):
                conflicts.append((source, merged.iat[r, 0], merged.iat[r, 1], col, kept, value))
    return merged, conflicts


def _tie_key(c: pd.DataFrame) -> pd.Series:
    frm, to = c["From"].astype(str), c["To"].astype(str)
    directed = c["Direction"].fillna("").astype(str).str.lower().eq("directed") if "Direction" in c.columns else pd.Series(False, index=c.index)
    a = frm.where(directed | (frm <= to), to)
    b = to.where(directed | (frm <= to), frm)
    kind = c["Type"].fillna("").astype(str).map(normalise_name) if "Type" in c.columns else ""
    return a + "\x00" + b + "\x00" + kind


def _merge_ties(tables: list[pd.DataFrame], multi: set[str]) -> tuple[pd.DataFrame, dict[str, int]]:
    """One row per tie; the largest strength, every source's ``Reported By`` / ``Reported On``."""
    allc = pd.concat(tables, ignore_index=True)
    if allc.empty:
        return allc, {"added": 0, "shared": 0}
    key = _tie_key(allc)
    first = ~key.duplicated()
    out = allc[first].copy()
    out_key = key[first]
    repeated = key.duplicated(keep=False)
    shared = 0
    if repeated.any():
        groups = allc[repeated].groupby(key[repeated], sort=False)
        if "Strength" in allc.columns:
            strongest = groups["Strength"].max()
            out["Strength"] = out_key.map(strongest).where(out_key.isin(strongest.index), out["Strength"])
        for col in [c for c in allc.columns if c in multi]:
            joined = groups[col].agg(lambda s: join_values(dict.fromkeys(v for x in s for v in split_values(x))))
            hit = out_key.isin(joined.index)
            out.loc[hit, col] = out_key[hit].map(joined).replace("", np.nan)
        shared = int(groups.ngroups)
    added = int(first.iloc[len(tables[0]):].sum()) if len(tables) > 1 else 0
    return _unique_ids(out).reset_index(drop=True), {"added": added, "shared": shared}


def _unique_ids(c: pd.DataFrame) -> pd.DataFrame:
    ids = c["ID"].astype(str)
    dup = ids.duplicated()
    if dup.any():
        used = set(ids)
        fresh = []
        for i in ids[dup]:
            n = 2
            while f"{i}-{n}" in used:
                n += 1
            used.add(f"{i}-{n}")
            fresh.append(f"{i}-{n}")
        c = c.copy()
        c.loc[dup, "ID"] = fresh
    return c


def _source_names(maps: Sequence[NetworkMap], sources: Sequence[str] | None) -> list[str]:
    if sources is None:
        names = [m.name for m in maps]
        return [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]
    if len(sources) != len(maps):
        raise MapError(f"{len(sources)} source names were given for {len(maps)} maps",
                       fix="give one name per map, the base map's first")
    return [str(s) for s in sources]


def merge_maps(
    base: NetworkMap,
    *others: NetworkMap,
    sources: Sequence[str] | None = None,
    decisions: pd.DataFrame | str | Path | None = None,
    threshold: float = NAME_CUTOFF,
    review: float = REVIEW_CUTOFF,
) -> tuple[NetworkMap, MergeReport]:
    """Merge contributors' maps into ``base`` (see the module notes for the rules).

    Parameters
    ----------
    base : the map the others are merged into (its values win a conflict).
    others : the contributors' maps.
    sources : a name for each map, base first (default: the maps' names);
        they fill ``Reported By`` where a map does not say.
    decisions : the manager's decisions on pairs listed in an earlier
        :attr:`MergeReport.decisions` (a table, or a ``.csv`` / ``.xlsx`` file).
    threshold : how alike two labels must be to be merged.
    review : how alike two labels in the same place must be to be listed for a decision.

    Returns
    -------
    (NetworkMap, MergeReport)

    Examples
    --------
    >>> import pandas as pd
    >>> a = NetworkMap(pd.DataFrame({"ID": ["fb"], "Label": ["Eastside Food Bank"], "Borough": ["Hackney"]}),
    ...                pd.DataFrame({"From": [], "To": []}), metadata={"name": "Ana"})
    >>> b = NetworkMap(pd.DataFrame({"ID": ["e1", "e2"], "Label": ["East Side Foodbank", "Oak Club"],
    ...                              "Borough": ["Camden", "Camden"]}),
    ...                pd.DataFrame({"From": ["e1"], "To": ["e2"], "Strength": [2]}), metadata={"name": "Ben"})
    >>> merged, rep = merge_maps(a, b)
    >>> merged.elements[["ID", "Label", "Reported By"]].values.tolist()
    [['fb', 'Eastside Food Bank', 'Ana|Ben'], ['e2', 'Oak Club', 'Ben']]
    >>> rep.conflicts[["field", "kept", "other"]].values.tolist()
    [['Borough', 'Hackney', 'Camden']]
    >>> merged.connections[["From", "To", "Reported By"]].values.tolist()
    [['fb', 'e2', 'Ben']]
    """
    base = as_map(base)
    others = tuple(as_map(o) for o in others)
    maps = [base, *others]
    names = _source_names(maps, sources)
    decided = read_decisions(decisions)
    multi = _multi_columns(*(m.elements for m in maps), *(m.connections for m in maps))
    merged = _credited(base.elements, names[0], base.metadata.get("date"))
    ties = [_credited(base.connections, names[0], base.metadata.get("date"))]
    matches, added, conflicts, pending = [], [], [], []
    for m, name in zip(others, names[1:]):
        elements = _credited(m.elements, name, m.metadata.get("date"))
        mapping, found, to_decide = _match(merged, elements, name, threshold, review, decided)
        merged, clashes = _fold_elements(merged, elements, mapping, name, multi)
        new = elements[~elements["ID"].astype(str).isin(mapping)]
        merged = pd.concat([merged, new], ignore_index=True)
        mapping.update({i: i for i in new["ID"].astype(str)})
        c = _credited(m.connections, name, m.metadata.get("date"))
        ties.append(c.assign(From=c["From"].astype(str).map(mapping), To=c["To"].astype(str).map(mapping)))
        matches.append(found)
        added.append(pd.DataFrame({"source": name, "ID": new["ID"].to_numpy(), "Label": new["Label"].to_numpy()}))
        conflicts += clashes
        pending.append(to_decide)
    connections, tie_counts = _merge_ties(ties, multi)
    metadata = dict(base.metadata)
    metadata["merged_from"] = names
    result = NetworkMap(merged, connections, metadata, list(base.warnings))
    marks = consent_marks(result)
    if marks.notna().any():
        result.connections[CONSENT_CHECK] = marks.to_numpy()  # the map was just made here: no one else holds it
    report = MergeReport(
        sources=names,
        matches=_frame(matches, _MATCH_COLUMNS),
        added=_frame(added, ["source", "ID", "Label"]),
        conflicts=pd.DataFrame(conflicts, columns=["source", "ID", "Label", "field", "kept", "other"]),
        decisions=_frame(pending, _DECISION_COLUMNS),
        ties=tie_counts,
    )
    return result, report


def _frame(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
