"""A first round of introductions: who to connect first, from the suggestions."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["introduction_plan"]

#: Why a suggestion comes first in the plan, in the ``first_because`` column.
REACHES_CUT_OFF = "reaches a group cut off if the hub went"
BEST_OTHERWISE = "one of the best suggestions left"


def introduction_plan(intros: pd.DataFrame, cut_off: Iterable[str] = (), top: int = 3) -> pd.DataFrame:
    """The first introductions to make: those reaching an element cut off if the hub went, then the best others.

    A weaver starts where the network is most fragile. The plan takes, in the
    order of ``intros`` (best first), the suggestions that involve an element
    of ``cut_off``, and fills up to ``top`` rows with the best of the rest, so
    it is never empty while there are suggestions. ``first_because`` says why
    each row is in the plan.

    Parameters
    ----------
    intros : suggestions from :func:`cop_toolkit.suggest_introductions`, best first.
    cut_off : IDs of the elements cut off if the hub went (``what_if(...).cut_off.index``,
        or a Living Lab game's ``current["cut_off_ids"]``). Default: none.
    top : how many introductions the plan holds (default 3).

    Returns
    -------
    DataFrame
        The chosen rows of ``intros``, with ``first_because`` added, numbered from 0.

    Examples
    --------
    >>> intros = pd.DataFrame({"ID_a": ["a", "b", "c"], "ID_b": ["x", "far", "y"], "score": [0.9, 0.5, 0.4]})
    >>> plan = introduction_plan(intros, cut_off=["far"], top=2)
    >>> plan["ID_b"].tolist()
    ['far', 'x']
    >>> plan["first_because"].tolist() == [REACHES_CUT_OFF, BEST_OTHERWISE]
    True
    """
    cut = {str(x) for x in cut_off}
    involved = intros["ID_a"].astype(str).isin(cut) | intros["ID_b"].astype(str).isin(cut)
    chosen = pd.concat([intros[involved].assign(first_because=REACHES_CUT_OFF),
                        intros[~involved].assign(first_because=BEST_OTHERWISE)])
    return chosen.head(max(int(top), 0)).reset_index(drop=True)
