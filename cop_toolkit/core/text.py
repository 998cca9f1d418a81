"""Text helpers shared by every layer: several values in a cell, name folding and matching, word lists.

Cells hold several values separated by ``|`` (:func:`split_values`, :func:`join_values`).
Names are compared tolerantly: :func:`normalise_name` folds case, spacing and
punctuation away, and :func:`similarity` / :func:`close_matches` score two
folded names with difflib's ratio (0 to 1). Two names at least
:data:`NAME_CUTOFF` alike are taken as one name spelled two ways (stricter,
:data:`DUPLICATE_CUTOFF`, when searching a whole map for duplicates); "did
you mean ...?" hints list names at least :data:`SUGGEST_CUTOFF` alike.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "SEP",
    "NAME_CUTOFF",
    "DUPLICATE_CUTOFF",
    "SUGGEST_CUTOFF",
    "is_missing",
    "split_values",
    "join_values",
    "normalise_name",
    "similarity",
    "close_matches",
    "word_list",
]

#: Separator of several values in one cell (Kumu's convention).
SEP = "|"
#: How alike two folded names must be (difflib's ratio) to count as the same name spelled
#: two ways, e.g. "East Side Foodbank" and "Eastside Food Bank" (renames, duplicates, survey answers).
NAME_CUTOFF = 0.85
#: The stricter cutoff for hunting duplicates inside one whole map, where many different names share
#: most of their words ("Camden Community Business Network" / "Croydon Community Business Network").
DUPLICATE_CUTOFF = 0.88
#: How alike a name must be to be offered in a "did you mean ...?" hint (looser: it is only a hint).
SUGGEST_CUTOFF = 0.6


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA/NaT and blank text.

    Examples
    --------
    >>> is_missing('  '), is_missing('x')
    (True, False)
    """
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and value.strip() == ""


def split_values(cell: Any) -> list[str]:
    """Split a ``|``-separated cell into its values, dropping blanks.

    Examples
    --------
    >>> split_values("food | housing|")
    ['food', 'housing']
    >>> split_values(float("nan"))
    []
    """
    if is_missing(cell):
        return []
    return [v.strip() for v in str(cell).split(SEP) if v.strip()]


def join_values(values: Iterable[Any]) -> str:
    """Join values into one ``|``-separated cell.

    Examples
    --------
    >>> join_values(["food", "housing"])
    'food|housing'
    """
    return SEP.join(str(v) for v in values if not is_missing(v))


def normalise_name(text: Any) -> str:
    """Fold a name for tolerant matching: lower case, letters and digits only (any alphabet).

    Examples
    --------
    >>> normalise_name("  Tower-Hamlets CVS ")
    'towerhamletscvs'
    >>> normalise_name("Café Ünity")
    'caféünity'
    """
    return re.sub(r"[\W_]+", "", str(text).casefold())


def _ratio(matcher: difflib.SequenceMatcher, floor: float) -> float:
    """difflib's ratio; below ``floor`` possibly only a cheaper upper bound of it."""
    quick = matcher.real_quick_ratio()
    if quick < floor:
        return quick
    quick = matcher.quick_ratio()
    if quick < floor:
        return quick
    return matcher.ratio()


def similarity(a: Any, b: Any, *, floor: float = 0.0, fold: bool = True) -> float:
    """How alike two names are, from 0 to 1 (difflib's ratio of the folded names).

    Parameters
    ----------
    a, b : the names.
    floor : when the score is certainly below ``floor``, return a cheaper upper
        bound of it (still below ``floor``); callers that only compare with a
        cutoff pass it to go faster.
    fold : fold the names with :func:`normalise_name` first (``False`` when
        they are folded already).

    Examples
    --------
    >>> similarity("Eastside Food Bank", "East Side Foodbank")
    1.0
    >>> round(similarity("Oak Club", "Oak Clubs"), 2)
    0.93
    """
    if fold:
        a, b = normalise_name(a), normalise_name(b)
    if a == b:
        return 1.0
    return _ratio(difflib.SequenceMatcher(None, a, b), floor)


def close_matches(
    name: Any,
    candidates: Sequence[Any],
    *,
    cutoff: float = NAME_CUTOFF,
    limit: int | None = 3,
    fold: bool = True,
    positions: bool = False,
) -> list[Any]:
    """The candidates most like ``name`` (at least ``cutoff`` alike), best first.

    Parameters
    ----------
    name : the name looked for.
    candidates : the names to choose from (returned as given, not folded).
    cutoff : the lowest :func:`similarity` kept: :data:`NAME_CUTOFF` for "the
        same name", :data:`SUGGEST_CUTOFF` for "did you mean" hints.
    limit : at most this many (``None``: all).
    fold : fold the names with :func:`normalise_name` first (``False`` when
        they are folded already).
    positions : return ``(position in candidates, similarity)`` pairs instead
        of the candidates (for candidates that repeat, or lists kept side by side).

    Equally good candidates keep their order.

    Examples
    --------
    >>> close_matches("Yuth Club", ["Food Bank", "Youth Club", "Youth Clubs"], cutoff=SUGGEST_CUTOFF)
    ['Youth Club', 'Youth Clubs']
    >>> close_matches("eastside food bank", ["Oak Club", "East Side Foodbank"], positions=True)
    [(1, 1.0)]
    """
    key = normalise_name(name) if fold else str(name)
    matcher = difflib.SequenceMatcher(None)
    matcher.set_seq2(key)
    found: list[tuple[float, int]] = []
    for i, cand in enumerate(candidates):
        other = normalise_name(cand) if fold else str(cand)
        if other == key:
            score = 1.0
        else:
            matcher.set_seq1(other)
            score = _ratio(matcher, cutoff)
        if score >= cutoff:
            found.append((score, i))
    best = sorted(found, key=lambda hit: (-hit[0], hit[1]))[:limit]
    return [(i, score) for score, i in best] if positions else [candidates[i] for _, i in best]


def word_list(items: Iterable[Any], *, limit: int | None = None, empty: str = "") -> str:
    """Join names for a sentence: "A", "A and B", "A, B and C" (or "A, B and 3 others").

    Examples
    --------
    >>> word_list(["LVSC", "Locality", "Shared Assets"])
    'LVSC, Locality and Shared Assets'
    >>> word_list(["a", "b", "c", "d"], limit=2)
    'a, b and 2 others'
    >>> word_list([], empty="nobody")
    'nobody'
    """
    items = [str(i) for i in items]
    if limit is not None and len(items) > limit:
        extra = len(items) - limit
        return ", ".join(items[:limit]) + f" and {extra} other{'s' * (extra > 1)}"
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
