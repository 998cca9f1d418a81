"""Network weaving: suggest introductions between elements that are not yet tied.

A network weaver (Krebs and Holley, *Building Smart Communities through
Network Weaving*) helps people meet who should: closing open triangles,
linking the edge of the network to its core, and bridging clusters.
:func:`suggest_introductions` looks for such pairs and scores each one on
four things, which you can weigh as you wish:

``shared``
    shared contacts: both already work with the same elements (a contact who
    works with almost everyone, like a pan-London hub, counts for less than
    one who works with a few: the Adamic-Adar weighting);
``needs_offers``
    one needs what the other offers or holds (see :mod:`cop_toolkit.building.resources`);
``bridging``
    the two are in different clusters (the introduction would join them), and
    one of them hangs on a single tie (it would depend less on one hub);
``distance``
    how near they are (1 at the same spot, about 0.37 three kilometres apart).

Each part is between 0 and 1; the score is their weighted average, so it is
also between 0 and 1. Every suggestion carries its ``reason`` in plain words
and its expected gain: how many more elements each of the two would reach
within two steps once introduced.

Candidates are found without trying every pair, so 10,000-element maps stay
quick: open triangles come from neighbours of neighbours (a very busy contact
contributes a fixed-size sample of its neighbours), periphery-to-core pairs
from a short list of the best-connected elements, bridges from each cluster's
best-connected members and from a sample of needs-offers pairs, and nearby
pairs from a spatial grid. With ``element`` every other element is considered.

Never suggested: an element hidden by the privacy rules (a private element or
a person who has not agreed to be shown, see :mod:`cop_toolkit.core.privacy`), a
pair that already has a connection (public or private), or an element paired
with itself. Hidden elements and private connections are also never used as
a shared contact, so a reason cannot give them away.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cop_toolkit.building.weaving.candidates import candidate_pairs
from cop_toolkit.building.weaving.network import (
    DEFAULT_WEIGHTS,
    KINDS,
    check_counts,
    check_kinds,
    check_types,
    check_weights,
    visible_map,
    weave_network,
)
from cop_toolkit.building.weaving.reasons import COLUMNS, suggestion_table
from cop_toolkit.building.weaving.scoring import choose, name_kinds, score_pairs
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["suggest_introductions", "DEFAULT_WEIGHTS", "KINDS"]


def suggest_introductions(
    m: NetworkMap | nx.Graph,
    *,
    top: int | None = 20,
    element: str | None = None,
    per_element: int | None = None,
    types: Iterable[str] | str | None = None,
    weights: Mapping[str, float] | None = None,
    kinds: Iterable[str] | str | None = None,
    synonyms: Mapping[str, str] | None = None,
    within_km: float = 3.0,
    max_candidates: int = 30,
) -> pd.DataFrame:
    """Suggest introductions between elements that are not yet connected.

    Parameters
    ----------
    top : how many suggestions to return, best first (``None`` for all found).
    element : an element (ID or label): "who should we meet?" — every other
        element is considered for it.
    per_element : instead of ``top``, keep the best ``per_element``
        suggestions for each element.
    types : element types to include at both ends (e.g. ``["Community group"]``).
    weights : how much each part of the score counts, e.g.
        ``{"shared": 1, "needs_offers": 2, "bridging": 1, "distance": 0}``.
    kinds : keep only these kinds (see :data:`KINDS`).
    synonyms : extra wordings to merge for needs and offers.
    within_km : nearby pairs with a need one can meet are also considered up to
        this distance.
    max_candidates : open-triangle candidates kept per element (best first).

    Returns
    -------
    DataFrame, best first: ``ID_a``, ``Label_a``, ``ID_b``, ``Label_b``,
    ``score`` (0-1), ``kind``, ``shared_contacts`` (how many), ``complementary``
    (how many needs one could meet for the other), ``different_clusters``,
    ``distance_km``, ``reach_gain`` (= ``reach_gain_a`` + ``reach_gain_b``:
    how many more elements each would reach within two steps), the four parts
    of the score (``shared_score``, ``needs_offers_score``, ``bridging_score``,
    ``distance_score``) and ``reason`` in plain words.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(
    ...     pd.DataFrame({"ID": ["a", "b", "hub", "p"], "Label": ["Oak Club", "Elm Trust", "Hub", "Pat"],
    ...                   "Type": ["Community group", "Community group", "CVS", "Person"],
    ...                   "Consent": [None, None, None, "no"],
    ...                   "Needs": ["meeting space", None, None, None], "Offers": [None, "room hire", None, None]}),
    ...     pd.DataFrame({"From": ["a", "b", "p"], "To": ["hub", "hub", "a"]}))
    >>> s = suggest_introductions(m)
    >>> s[["Label_a", "Label_b", "kind", "shared_contacts"]]
        Label_a    Label_b           kind  shared_contacts
    0  Oak Club  Elm Trust  open triangle                1
    >>> print(s.loc[0, "reason"])
    Both work with Hub; Elm Trust offers meeting space, which Oak Club needs; distance unknown.
    """
    m = as_map(m)
    w = check_weights(weights)
    chosen_types = check_types(m, types)
    chosen_kinds = check_kinds(kinds)
    check_counts(top=top, per_element=per_element)
    focus_id = m.resolve(element) if element is not None else None
    v, hidden = visible_map(m)
    if focus_id is not None and focus_id in hidden:
        raise MapError(
            f"'{m.label_of(focus_id)}' is hidden by the privacy rules (private, or a person who has not agreed "
            "to be shown), so no introductions are suggested for it",
            fix="record their agreement in the Consent column (or make the element public) first",
        )
    net = weave_network(v, chosen_types, synonyms)
    f = int(np.flatnonzero(net.ids == focus_id)[0]) if focus_id is not None else None
    i, j, found_by = candidate_pairs(m, net, focus=f, max_candidates=max_candidates, within_km=within_km)
    if len(i) == 0:
        return pd.DataFrame(columns=COLUMNS)
    scores = score_pairs(net, i, j, w)
    kind = name_kinds(net, i, j, scores, found_by)
    order = choose(i, j, scores.score, kind, kinds=chosen_kinds, top=top, per_element=per_element)
    out = suggestion_table(net, i, j, order, scores, kind)
    out.attrs["weights"] = w
    out.attrs["candidates"] = int(len(i))
    return out
