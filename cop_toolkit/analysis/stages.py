"""Following the network over waves: its development stage, its health, and which introductions were made.

Network weavers (Krebs and Holley, *Building Smart Communities through
Network Weaving*) describe four stages a community network moves through.
:func:`network_stage` names the stage of one map by these rules, checked in
this order (ties are taken undirected; the "main component" is the largest
group of elements linked to each other):

1. **scattered fragments** — the main component holds less than
   :data:`FRAGMENT_SHARE` (half) of the elements;
2. **core and periphery** — the main core (the elements of the highest
   k-core: each tied to at least *k* others of it) has *k* at least
   :data:`CORE_MIN_K`, is no more than :data:`CORE_MAX_SHARE` of the main
   component, is dense (density at least :data:`CORE_MIN_DENSITY`), and at
   least :data:`PERIPHERY_TIED_SHARE` of the other elements are tied to it;
3. **multi-hub small world** — at least two hubs (an element is a *hub*
   when its degree is at least :data:`HUB_FACTOR` times the average and at
   least :data:`HUB_MIN_DEGREE`);
4. **single hub-and-spoke** — otherwise: at most one hub holds the network together.

Each answer comes with its evidence in plain words.

:func:`network_health` follows the measures Plastrik and Taylor's *Network
Impact* suggest assessing wave after wave; :func:`introductions_followed`
checks which suggested introductions (:func:`cop_toolkit.suggest_introductions`)
became ties, and whether they closed a triangle or bridged clusters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cop_toolkit.analysis.clusters import find_clusters
from cop_toolkit.analysis.compare import match_elements
from cop_toolkit.analysis.engine import build_igraph
from cop_toolkit.analysis.levels import tie_levels
from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import split_values, word_list
from cop_toolkit.core.ties import merge_parallel_ties

__all__ = [
    "CORE_MAX_SHARE",
    "CORE_MIN_DENSITY",
    "CORE_MIN_K",
    "FRAGMENT_SHARE",
    "HUB_FACTOR",
    "HUB_MIN_DEGREE",
    "PERIPHERY_TIED_SHARE",
    "STAGES",
    "NetworkStage",
    "introductions_followed",
    "network_health",
    "network_stage",
]

#: The four stages, from first to last.
STAGES = ("scattered fragments", "single hub-and-spoke", "multi-hub small world", "core and periphery")
#: Below this share of elements in the main component, the map is scattered fragments.
FRAGMENT_SHARE = 0.5
#: A hub's degree is at least this many times the average degree ...
HUB_FACTOR = 2.5
#: ... and at least this.
HUB_MIN_DEGREE = 4
#: The main core must be a k-core with at least this k ...
CORE_MIN_K = 3
#: ... hold at most this share of the main component ...
CORE_MAX_SHARE = 0.5
#: ... have at least this density ...
CORE_MIN_DENSITY = 0.5
#: ... and at least this share of the other elements must be tied to it.
PERIPHERY_TIED_SHARE = 0.5


@dataclass
class NetworkStage:
    """The result of :func:`network_stage`: the ``stage``, its ``evidence`` (plain sentences), the ``measures``,
    the ``hubs`` and the main ``core`` (element IDs)."""

    stage: str
    evidence: list[str]
    measures: dict[str, float] = field(default_factory=dict)
    hubs: list[str] = field(default_factory=list)
    core: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The stage and its evidence as one paragraph.

        Examples
        --------
        >>> NetworkStage("core and periphery", ["A dense core."]).text()
        'Stage: core and periphery. A dense core.'
        """
        return f"Stage: {self.stage}. " + " ".join(self.evidence)


def _structure(m: NetworkMap) -> dict:
    """The measures the stage rules use, worked out on the undirected graph."""
    g = build_igraph(m)
    n = g.vcount()
    deg = np.asarray(g.degree(), dtype=float)
    comps = g.connected_components()
    main = max(comps, key=len) if n else []
    sub = g.subgraph(main)
    core_number = np.asarray(sub.coreness(), dtype=int) if len(main) else np.array([], dtype=int)
    k = int(core_number.max()) if len(core_number) else 0
    core = [main[i] for i in np.flatnonzero(core_number == k)] if k else []
    others = [v for v in main if v not in set(core)]
    core_set = set(core)
    tied = sum(any(u in core_set for u in g.neighbors(v)) for v in others)
    mean = float(deg.mean()) if n else 0.0
    hubs = np.flatnonzero((deg >= HUB_FACTOR * mean) & (deg >= HUB_MIN_DEGREE)) if n else np.array([], dtype=int)
    nm = len(main)
    sub_deg = np.asarray(sub.degree(), dtype=float)
    central = float((sub_deg.max() - sub_deg).sum() / ((nm - 1) * (nm - 2))) if nm > 2 else 0.0
    return {
        "g": g, "n": n, "components": len(comps), "main_share": nm / n if n else 0.0,
        "hubs": [g.vs[int(h)]["name"] for h in hubs[np.argsort(-deg[hubs], kind="stable")]],
        "mean_degree": mean, "centralisation": central, "k": k,
        "core": [g.vs[v]["name"] for v in core], "core_share": len(core) / nm if nm else 0.0,
        "core_density": g.subgraph(core).density() if len(core) > 1 else 0.0,
        "periphery_tied": tied / len(others) if others else 0.0,
        "top_hub_share": float(deg.max() / g.ecount()) if g.ecount() else 0.0,
    }


def _is_core_periphery(s: dict) -> bool:
    return (s["k"] >= CORE_MIN_K and len(s["core"]) >= 3 and s["core_share"] <= CORE_MAX_SHARE
            and s["core_density"] >= CORE_MIN_DENSITY and s["periphery_tied"] >= PERIPHERY_TIED_SHARE)


def network_stage(m: NetworkMap) -> NetworkStage:
    """Name the map's development stage by the rules in the module notes, with the evidence.

    Examples
    --------
    >>> import pandas as pd
    >>> star = NetworkMap(pd.DataFrame({"ID": list("habcde"), "Label": list("HABCDE")}),
    ...                   pd.DataFrame({"From": ["h"] * 5, "To": list("abcde")}))
    >>> network_stage(star).stage
    'single hub-and-spoke'
    """
    m = as_map(m)
    s = _structure(m)
    labels = m.labels[~m.labels.index.duplicated()]
    hub_names = word_list([labels.get(h, h) for h in s["hubs"]], limit=4, empty="none")
    evidence = [
        (f"The main component holds {s['main_share']:.0%} of the {s['n']} elements ({s['components']} component"
        f"{'s' * (s['components'] != 1)} in all)."),
        (f"{len(s['hubs'])} hub{'s' * (len(s['hubs']) != 1)} (degree at least {HUB_FACTOR:g} times the average "
        f"of {s['mean_degree']:.1f}): {hub_names}."),
        f"Degree centralisation is {s['centralisation']:.2f}; the largest hub holds {s['top_hub_share']:.0%} of the ties.",
        (f"The main core (each member tied to at least {s['k']} others in it) has {len(s['core'])} elements "
        f"({s['core_share']:.0%} of the main component), density {s['core_density']:.2f}; "
        f"{s['periphery_tied']:.0%} of the other elements there are tied to it."),
    ]
    if s["main_share"] < FRAGMENT_SHARE:
        stage = "scattered fragments"
        evidence.insert(0, f"Less than {FRAGMENT_SHARE:.0%} of the elements are linked together, so the network is still in pieces.")
    elif _is_core_periphery(s):
        stage = "core and periphery"
        evidence.insert(0, "A small, dense core is tied to most of the other elements, which sit around it.")
    elif len(s["hubs"]) >= 2:
        stage = "multi-hub small world"
        evidence.insert(0, "Several hubs hold the network together, but there is no dense core among them yet.")
    else:
        stage = "single hub-and-spoke"
        evidence.insert(0, "At most one hub holds the network together: most ties run through it.")
    measures = {k: float(v) for k, v in s.items() if isinstance(v, (int, float)) and k != "n"}
    measures.update(elements=float(s["n"]), hubs=float(len(s["hubs"])), core_size=float(len(s["core"])))
    return NetworkStage(stage, evidence, measures, list(s["hubs"]), list(s["core"]))


# ------------------------------------------------------------------ health
def _reciprocity(m: NetworkMap) -> float:
    """Share of ties with a known direction that go both ways (``mutual``, or ``directed`` both ways)."""
    c = m.connections
    if "Direction" not in c.columns or not len(c):
        return float("nan")
    d = c["Direction"].fillna("").astype(str).str.lower()
    frm, to = c["From"].astype(str), c["To"].astype(str)
    arcs = set(zip(frm[d.eq("directed")], to[d.eq("directed")]))
    pairs: dict[tuple[str, str], bool] = {}
    for a, b, kind in zip(frm, to, d):
        if kind not in ("directed", "mutual") or a == b:
            continue
        key = (min(a, b), max(a, b))
        pairs[key] = pairs.get(key, False) or kind == "mutual" or (b, a) in arcs
    return float(np.mean(list(pairs.values()))) if pairs else float("nan")


def _offered(m: NetworkMap, ids: Sequence[str]) -> dict[str, set[str]]:
    e = m.element_table()
    out: dict[str, set[str]] = {}
    for i in ids:
        things = set()
        for col in ("Offers", "Assets"):
            if col in e.columns:
                things.update(v.casefold() for v in split_values(e.at[i, col]))
        out[i] = things
    return out


def _periphery_kinds(m: NetworkMap, s: dict, previous: NetworkMap | None) -> dict[str, float]:
    """Newcomers, bridges to other communities and unique outside resources among the periphery."""
    g = s["g"]
    names = g.vs["name"]
    core = set(s["core"])
    periphery = [v for v in names if v not in core]
    newcomers = float("nan")
    if previous is not None:
        seen = set(match_elements(previous, m)["ID_b"])
        newcomers = float(sum(v not in seen for v in periphery))
    cluster = find_clusters(m)["cluster"].to_dict() if len(m.elements) else {}
    index = {v: i for i, v in enumerate(names)}
    bridges = sum(len({cluster.get(names[u]) for u in g.neighbors(index[v])}) >= 2 for v in periphery)
    offers = _offered(m, periphery + list(core))
    core_has = set().union(*(offers[v] for v in core)) if core else set()
    unique = sum(bool(offers[v] - core_has) for v in periphery)
    return {"newcomers": newcomers, "bridges": float(bridges), "unique_resources": float(unique)}


def _wave_name(m: NetworkMap, i: int) -> str:
    return str(m.metadata.get("date") or m.metadata.get("name") or f"wave {i + 1}")


def network_health(maps: Sequence[NetworkMap]) -> pd.DataFrame:
    """A table over waves of the measures of a healthy network, one row per map in order.

    Columns: ``elements``, ``ties``, ``density``, ``bottom_across_share``
    (share of ties between grassroots groups, NaN without a ``Level``),
    ``reciprocity`` (share of ties with a known direction that go both
    ways), ``core_size`` (the main core of :func:`network_stage`), the
    periphery's ``newcomers`` (not on the wave before; NaN for the first
    wave), ``bridges`` (tied into two or more clusters) and
    ``unique_resources`` (offering something no core member offers),
    ``hub_share`` (the largest hub's share of ties: the dependence on one hub)
    and ``stage``. The index is each map's date (or name).

    Examples
    --------
    >>> import pandas as pd
    >>> w1 = NetworkMap(pd.DataFrame({"ID": list("abc"), "Label": list("ABC")}),
    ...                 pd.DataFrame({"From": ["a", "a"], "To": ["b", "c"]}), {"date": "2017"})
    >>> w2 = NetworkMap(pd.DataFrame({"ID": list("abcd"), "Label": list("ABCD")}),
    ...                 pd.DataFrame({"From": ["a", "a", "b", "c"], "To": ["b", "c", "c", "d"]}), {"date": "2018"})
    >>> network_health([w1, w2])[["ties", "hub_share", "newcomers"]]
          ties  hub_share  newcomers
    wave                            
    2017     2       1.00        NaN
    2018     4       0.75        1.0
    """
    maps = [as_map(m) for m in maps]
    rows = []
    for i, m in enumerate(maps):
        s = _structure(m)
        n, ties = s["n"], s["g"].ecount()
        levels = tie_levels(m) if "Level" in m.elements.columns else pd.DataFrame()
        bottom = float(levels["share"].get("bottom-across", 0.0)) if len(levels) else float("nan")
        row = {
            "wave": _wave_name(m, i), "elements": n, "ties": ties,
            "density": 2 * ties / (n * (n - 1)) if n > 1 else 0.0,
            "bottom_across_share": bottom, "reciprocity": _reciprocity(m), "core_size": len(s["core"]),
        }
        row.update(_periphery_kinds(m, s, maps[i - 1] if i else None))
        row.update(hub_share=round(s["top_hub_share"], 4), stage=network_stage(m).stage)
        rows.append(row)
    return pd.DataFrame(rows).set_index("wave")


# ------------------------------------------------------------------ introductions
def introductions_followed(old: NetworkMap, new: NetworkMap, suggestions: pd.DataFrame) -> pd.DataFrame:
    """Which introductions suggested on ``old`` became ties on ``new``, and what they did.

    ``suggestions`` has ``ID_a`` and ``ID_b`` (old IDs), as
    :func:`cop_toolkit.suggest_introductions` returns. Elements are followed
    into the new map by ID or label (:func:`~cop_toolkit.analysis.compare.match_elements`).

    Returns
    -------
    The suggestions with ``followed`` (the two are tied on the new map),
    ``closed_triangle`` (and share a contact there), ``bridged_clusters``
    (they were in different clusters on the old map) and ``outcome`` in words.

    Examples
    --------
    >>> import pandas as pd
    >>> old = NetworkMap(pd.DataFrame({"ID": list("abc"), "Label": list("ABC")}),
    ...                  pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"]}))
    >>> new = NetworkMap(old.elements, pd.DataFrame({"From": ["a", "b", "a"], "To": ["b", "c", "c"]}))
    >>> introductions_followed(old, new, pd.DataFrame({"ID_a": ["a"], "ID_b": ["c"]}))["outcome"].tolist()
    ['made: closed a triangle']
    """
    old, new = as_map(old), as_map(new)
    rename = dict(zip(*match_elements(old, new)[["ID_a", "ID_b"]].to_numpy().T)) if len(old.elements) else {}
    ties = merge_parallel_ties(new.connections, types=False)
    pairs = set(zip(ties["From"], ties["To"]))
    neighbours: dict[str, set[str]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    cluster = find_clusters(old)["cluster"].to_dict() if len(old.elements) else {}
    out = suggestions.copy()
    followed, closed, bridged, outcome = [], [], [], []
    for a, b in zip(out["ID_a"].astype(str), out["ID_b"].astype(str)):
        na, nb = rename.get(a), rename.get(b)
        made = na is not None and nb is not None and (min(na, nb), max(na, nb)) in pairs
        tri = made and bool(neighbours.get(na, set()) & neighbours.get(nb, set()))
        bridge = made and cluster.get(a) is not None and cluster.get(a) != cluster.get(b)
        followed.append(made)
        closed.append(tri)
        bridged.append(bridge)
        what = [w for w, yes in (("closed a triangle", tri), ("bridged clusters", bridge)) if yes]
        outcome.append(("made: " + " and ".join(what)) if what else ("made" if made else "not made"))
    return out.assign(followed=followed, closed_triangle=closed, bridged_clusters=bridged, outcome=outcome)
