"""Ego networks: an element and everyone within a few steps of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cop_toolkit.analysis.engine import build_igraph
from cop_toolkit.analysis.metrics import element_metrics
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["ego_network", "ego_summary", "steps_from"]


def steps_from(m: NetworkMap | nx.Graph, element: str) -> pd.Series:
    """Number of steps from one element to every element it can reach (ties both ways).

    Examples
    --------
    >>> import networkx as nx
    >>> steps_from(nx.path_graph(3), "0").to_dict()
    {'0': 0, '1': 1, '2': 2}
    """
    m = as_map(m)
    centre = m.resolve(element)
    g = build_igraph(m)
    ids = list(g.vs["name"])
    d = np.asarray(g.distances(source=[ids.index(centre)])[0], dtype=float)
    reach = np.isfinite(d)
    return pd.Series(d[reach].astype(np.int64), index=pd.Index(np.asarray(ids, dtype=object)[reach], name="ID"), name="steps")


def ego_network(m: NetworkMap | nx.Graph, element: str, *, steps: int = 1) -> NetworkMap:
    """The sub-map of an element and everyone within ``steps`` ties of it.

    All connections among those elements are kept (also the ones between two
    contacts). The elements table gains a ``steps`` column (0 for the centre).

    Parameters
    ----------
    m : the map.
    element : the centre, by ID or label.
    steps : how many steps out (1 = direct contacts).

    Examples
    --------
    >>> import networkx as nx
    >>> ego_network(nx.path_graph(5), "2", steps=1)
    <NetworkMap 'Network map: 2 and 1 step around': 3 elements, 2 connections>
    """
    m = as_map(m)
    if int(steps) < 0:
        raise MapError(f"steps must be 0 or more, not {steps}", fix="use steps=1 for direct contacts, 2 for theirs too")
    centre = m.resolve(element)
    dist = steps_from(m, centre)
    dist = dist[dist <= int(steps)]
    sub = m.subset(dist.index)
    sub.elements["steps"] = sub.elements["ID"].map(dist).astype(np.int64)
    word = "step" if int(steps) == 1 else "steps"
    sub.metadata["name"] = f"{m.name}: {m.label_of(centre)} and {int(steps)} {word} around"
    sub.metadata["ego"] = centre
    return sub


def ego_summary(m: NetworkMap | nx.Graph, element: str, steps: int = 1) -> pd.DataFrame:
    """Numbers describing an element's ego network, each with plain words.

    Measures: the centre, elements at each step, ties within the ego
    network, its density, the centre's contacts by type, the share of the
    whole map reached, Burt's effective size and constraint of the centre,
    and how many of its contacts are tied to nobody else in the ego network
    (they depend on the centre).

    Returns
    -------
    DataFrame indexed by ``measure`` with ``value`` and ``description``.

    Examples
    --------
    >>> import networkx as nx
    >>> s = ego_summary(nx.star_graph(3), "0")
    >>> s.loc[["elements at step 1", "contacts tied only through the centre"], "value"].tolist()
    [3, 3]
    """
    m = as_map(m)
    centre = m.resolve(element)
    sub = ego_network(m, centre, steps=steps)
    g = build_igraph(sub)
    ids = list(g.vs["name"])
    c = ids.index(centre)
    n = g.vcount()
    rows: list[tuple[str, object, str]] = [
        ("centre", m.label_of(centre), "the element at the middle of this ego network"),
        ("steps", int(steps), "how many steps out the ego network reaches"),
        ("elements", n, "elements in the ego network, the centre included"),
    ]
    per_step = sub.elements["steps"].value_counts().sort_index()
    for s, count in per_step.items():
        if s > 0:
            rows.append((f"elements at step {s}", int(count), f"elements exactly {s} step{'s' * (s > 1)} from the centre"))
    rows.append(("ties", g.ecount(), "ties among the elements of the ego network"))
    rows.append(("density", 2 * g.ecount() / (n * (n - 1)) if n > 1 else 0.0, "share of possible ties in the ego network that exist"))
    rows.append(("share of map reached", (n - 1) / max(len(m) - 1, 1), "share of the rest of the map inside this ego network"))
    neighbours = g.neighbors(c)
    if "Type" in sub.elements.columns:
        types = sub.elements.set_index("ID").loc[[ids[v] for v in neighbours], "Type"].fillna("(no type)")
        for t, count in types.value_counts().items():
            rows.append((f"contacts: {t}", int(count), f"direct contacts of type '{t}'"))
    d = len(neighbours)
    among = g.subgraph(neighbours).ecount() if d else 0
    rows.append(("effective size", d - 2 * among / d if d else float("nan"), "Burt's effective size: contacts less their overlap"))
    if d:
        constraint = float(element_metrics(m.subset([centre] + [ids[v] for v in neighbours])).at[centre, "constraint"])
    else:
        constraint = float("nan")
    rows.append(("constraint", constraint, "Burt's constraint: high when contacts all know each other"))
    only = sum(1 for v in neighbours if g.degree(v) == 1)
    rows.append(("contacts tied only through the centre", only, "direct contacts with no other tie in the ego network"))
    return pd.DataFrame(
        {"value": pd.Series([r[1] for r in rows], dtype=object).to_numpy(), "description": [r[2] for r in rows]},
        index=pd.Index([r[0] for r in rows], name="measure"),
    )
