"""The plain-words reason and the expected gain of each suggested introduction."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cop_toolkit.building.weaving.network import WeaveNetwork
from cop_toolkit.building.weaving.scoring import Scores
from cop_toolkit.core.text import word_list
from cop_toolkit.geo.locate import rough_distance_words

__all__ = ["COLUMNS", "reach_gain", "gives_text", "reason_parts", "suggestion_table"]

#: The columns of the table of suggestions.
COLUMNS = [
    "ID_a", "Label_a", "ID_b", "Label_b", "score", "kind", "shared_contacts", "complementary",
    "different_clusters", "distance_km", "reach_gain", "reach_gain_a", "reach_gain_b",
    "shared_score", "needs_offers_score", "bridging_score", "distance_score", "reason",
]


def reach_gain(nbrs: list[set[int]], a: int, b: int) -> int:
    """How many of ``b`` and ``b``'s contacts ``a`` would newly reach within two steps.

    Examples
    --------
    >>> reach_gain([{1}, {0}, {3}, {2}], 0, 2)
    2
    """
    mine = nbrs[a]
    return sum(1 for x in nbrs[b] | {b} if x != a and x not in mine and mine.isdisjoint(nbrs[x]))


def gives_text(net: WeaveNetwork, giver: int, taker: int) -> str | None:
    """"<giver> offers X and has Y, which <taker> needs", or ``None`` when it meets no need.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"],
    ...                              "Needs": ["room hire", None], "Offers": [None, "meeting space"]}))
    >>> gives_text(weave_network(m), 1, 0)
    'B offers meeting space, which A needs'
    """
    things = [t for t in net.gives[giver] if t in set(net.needs[taker])]
    if not things:
        return None
    offered = [t for t in things if t in net.offers[giver]]
    held = [t for t in things if t not in net.offers[giver]]
    bits_ = []
    if offered:
        bits_.append(f"offers {word_list(offered, limit=4)}")
    if held:
        bits_.append(f"has {word_list(held, limit=4)}")
    return f"{net.labels[giver]} " + " and ".join(bits_) + f", which {net.labels[taker]} needs"


def _network_reasons(net: WeaveNetwork, a: int, b: int, kind: str, different_clusters: bool) -> list[str]:
    """Shared contacts, needs met, clusters joined, lone ties and the core, in that order."""
    labels, degree, nbrs = net.labels, net.degree, net.nbrs
    reasons = []
    # name the closest-knit shared contacts first (a hub tells less)
    common = sorted(nbrs[a] & nbrs[b], key=lambda x: (degree[x], labels[x]))
    if common:
        reasons.append("both work with " + word_list([labels[x] for x in common], limit=3))
    for giver, taker in ((a, b), (b, a)):
        text = gives_text(net, giver, taker)
        if text:
            reasons.append(text)
    if different_clusters:
        reasons.append(
            f"it would join two clusters ({net.cluster_names.get(int(net.cluster[a]), 'one')} and "
            f"{net.cluster_names.get(int(net.cluster[b]), 'another')})"
        )
    for x, y in ((a, b), (b, a)):
        if degree[x] == 0:
            reasons.append(f"{labels[x]} has no ties on the map yet")
        elif degree[x] == 1 and not common:
            only = next(iter(nbrs[x]))
            reasons.append(f"{labels[x]}'s only tie is to {labels[only]}")
    if kind == "periphery to core":
        core_end = b if net.in_core[b] else a
        reasons.append(f"{labels[core_end]} is one of the best-connected elements on the map")
    return reasons


def _distance_reason(net: WeaveNetwork, a: int, b: int, d: float) -> str:
    approx, bname = net.approx, net.bname
    if np.isnan(d):
        return "distance unknown"
    if approx[a] or approx[b]:
        return rough_distance_words(d, bname[a], bname[b])
    return f"{d:.1f} km apart"


def _gain_reason(net: WeaveNetwork, a: int, b: int, ga: int, gb: int) -> list[str]:
    labels = net.labels
    if ga and gb:
        return [f"{labels[a]} would reach {ga} and {labels[b]} {gb} more elements within two steps"]
    if ga or gb:
        who, more = (labels[a], ga) if ga else (labels[b], gb)
        return [f"{who} would reach {more} more element{'s' * (more > 1)} within two steps"]
    return []


def reason_parts(
    net: WeaveNetwork, a: int, b: int, *, kind: str, different_clusters: bool, distance: float,
    gains: tuple[int, int] | None = None,
) -> list[str]:
    """The reasons for introducing ``a`` and ``b``, in plain words, in the order they are told.

    ``gains`` are the two :func:`reach_gain` values when already known.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop_toolkit.building.weaving.network import weave_network
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "h"], "Label": ["A", "B", "H"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["h", "h"]}))
    >>> reason_parts(weave_network(m), 0, 1, kind="open triangle", different_clusters=False, distance=float("nan"))
    ['both work with H', 'distance unknown']
    """
    reasons = _network_reasons(net, a, b, kind, different_clusters)
    reasons.append(_distance_reason(net, a, b, distance))
    ga, gb = gains if gains is not None else (reach_gain(net.nbrs, a, b), reach_gain(net.nbrs, b, a))
    return reasons + _gain_reason(net, a, b, ga, gb)


def suggestion_table(
    net: WeaveNetwork, i: np.ndarray, j: np.ndarray, order: np.ndarray, scores: Scores, kind: np.ndarray
) -> pd.DataFrame:
    """The table of suggestions (:data:`COLUMNS`) for the pairs at positions ``order``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cop_toolkit.building.weaving.network import DEFAULT_WEIGHTS, weave_network
    >>> from cop_toolkit.building.weaving.scoring import score_pairs
    >>> from cop_toolkit.core.model import NetworkMap
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "h"], "Label": ["A", "B", "H"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["h", "h"]}))
    >>> net, i, j = weave_network(m), np.array([0]), np.array([1])
    >>> t = suggestion_table(net, i, j, np.array([0]), score_pairs(net, i, j, DEFAULT_WEIGHTS),
    ...                      np.array(["open triangle"], dtype=object))
    >>> t.loc[0, "reason"]
    'Both work with H; distance unknown.'
    """
    ids, labels, parts = net.ids, net.labels, scores.parts
    rows = []
    for r in order:
        a, b = int(i[r]), int(j[r])
        d = scores.distance[r]
        ga, gb = reach_gain(net.nbrs, a, b), reach_gain(net.nbrs, b, a)
        text = "; ".join(reason_parts(
            net, a, b, kind=kind[r], different_clusters=bool(scores.different_clusters[r]), distance=d, gains=(ga, gb)
        ))
        rows.append(
            (
                ids[a], labels[a], ids[b], labels[b], round(float(scores.score[r]), 3), kind[r],
                int(scores.shared_n[r]), int(scores.complementary[r]), bool(scores.different_clusters[r]),
                round(float(d), 2) if not np.isnan(d) else float("nan"), ga + gb, ga, gb,
                round(float(parts["shared"][r]), 3), round(float(parts["needs_offers"][r]), 3),
                round(float(parts["bridging"][r]), 3), round(float(parts["distance"][r]), 3),
                text[0].upper() + text[1:] + ".",
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS)
