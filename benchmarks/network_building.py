"""Time the network-building functions on a London-scale synthetic map.

Run ``.venv/bin/python benchmarks/network_building.py [n]`` (default 10,000
elements). The map comes from ``benchmarks/london_map.py``; this script adds,
deterministically, what network building needs and that map lacks: needs,
offers and assets written the way people write them (mixed case, plurals,
synonyms), coordinates for a third of the elements, borough names in other
spellings for some, and consent answers for some people. It prints the time
each function takes and the size of what it returns. The target is under
30 seconds for each function at 10,000 elements. No assertions: speed lives
here, not in the tests.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from london_map import london_map  # noqa: E402

from cop_toolkit.geo.boroughs import boroughs  # noqa: E402
from cop_toolkit.core.model import NetworkMap  # noqa: E402

WORDS = [
    "meeting room", "Meeting Rooms", "room hire", "volunteers", "Volunteer", "funding advice",
    "kitchen", "minibus", "mini-bus", "translation", "interpreting", "IT skills", "storage",
    "office space", "desk space", "training", "legal advice", "mentoring", "food", "surplus food",
    "garden space", "DBS checks", "publicity", "data skills", "safeguarding training",
]
SPELLINGS = {"E09000030": "LB Tower Hamlets", "E09000020": "Royal Borough of Kensington & Chelsea",
             "E09000033": "Westminster City Council", "E09000012": "hackney", "E09000028": "southwark"}


def with_resources(m: NetworkMap, seed: int = 7) -> NetworkMap:
    """Add needs, offers, assets, some coordinates, borough spellings and consent."""
    rng = np.random.default_rng(seed)
    e = m.elements.copy()
    n = len(e)

    def cells(p_empty: float, most: int) -> list[object]:
        out: list[object] = []
        for _ in range(n):
            if rng.random() < p_empty:
                out.append(np.nan)
            else:
                k = int(rng.integers(1, most + 1))
                out.append("|".join(rng.choice(WORDS, size=k, replace=False)))
        return out

    e["Needs"] = cells(0.5, 3)
    e["Offers"] = cells(0.6, 3)
    e["Assets"] = cells(0.7, 2)
    table = boroughs()
    codes = e["Borough"].to_numpy(dtype=object)
    lat0 = table["centroid_lat"].reindex(codes).to_numpy(dtype=float)
    lon0 = table["centroid_lon"].reindex(codes).to_numpy(dtype=float)
    precise = rng.random(n) < 0.33
    e["Latitude"] = np.where(precise, lat0 + rng.normal(0, 0.008, n), np.nan)
    e["Longitude"] = np.where(precise, lon0 + rng.normal(0, 0.012, n), np.nan)
    respell = rng.random(n) < 0.2
    e["Borough"] = [SPELLINGS.get(c, c) if r else c for c, r in zip(codes, respell)]
    person = e["Type"].eq("Person").to_numpy()
    e["Consent"] = np.where(person, rng.choice(["yes", "no", ""], size=n), "")
    return NetworkMap(e, m.connections, dict(m.metadata))


def timed(name: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args, **kwargs)
    took = time.perf_counter() - start
    size = len(result) if hasattr(result, "__len__") else len(result.inventory)
    print(f"{name:<52} {took:7.2f} s   {size:>9,} rows")
    return result


def main(n: int = 10_000) -> None:
    from cop_toolkit.geo.locate import locate
    from cop_toolkit.building.sharing import local_sharing
    from cop_toolkit.analysis.boroughs import borough_flows, borough_summary
    from cop_toolkit.building.resources import asset_map, match_needs_offers
    from cop_toolkit.building.weaving import suggest_introductions

    start = time.perf_counter()
    m = with_resources(london_map(n))
    print(f"{m} (built in {time.perf_counter() - start:.1f} s)")
    timed("locate", locate, m)
    timed("borough_summary", borough_summary, m)
    timed("borough_flows", borough_flows, m)
    timed("match_needs_offers (within 2 km)", match_needs_offers, m, within_km=2.0)
    timed("asset_map", asset_map, m)
    timed("local_sharing (within 2 km)", local_sharing, m, within_km=2.0)
    timed("local_sharing (same borough, top 1000)", local_sharing, m, area="borough", top=1000)
    timed("local_sharing (same or adjacent borough, top 1000)", local_sharing, m, area="adjacent", top=1000)
    s = timed("suggest_introductions (top 20)", suggest_introductions, m)
    print(f"{'':<52} candidates scored: {s.attrs.get('candidates', 0):,}")
    timed("suggest_introductions (focus)", suggest_introductions, m, element=m.elements["ID"].iloc[100])
    timed("suggest_introductions (per_element=2)", suggest_introductions, m, per_element=2)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
