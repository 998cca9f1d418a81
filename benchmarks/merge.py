"""Time the map manager's jobs on London-scale maps: a merge and a verification round.

Run ``.venv/bin/python benchmarks/merge.py [n]`` (default 10,000 elements).

* **Merge.** Two maps of ``n`` elements from ``benchmarks/london_map.py``
  (different seeds) overlap by 30%: of the second map's elements, 20% are the
  first map's under the same ID and 10% under the contributor's own ID with a
  misspelt name; the rest are new. Labels are made from word lists so names
  look like real ones. Target: under 30 s.
* **Verification round.** The 10,000-element base map is split into one sheet per borough,
  every sheet is "returned" with its first element confirmed and one value
  corrected (edited with openpyxl, as a person would), and the answers applied.

It prints the times and what came out. No assertions: speed lives here, not in the tests.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from london_map import london_map

from cop_toolkit.building.merge import merge_maps
from cop_toolkit.building.verification import (
    STILL_RIGHT,
    update_from_sheets,
    write_verification_sheets,
)
from cop_toolkit.core.model import NetworkMap

PLACES = ["Acton", "Brixton", "Camden", "Dalston", "Ealing", "Feltham", "Greenwich", "Hackney", "Ilford", "Kilburn",
          "Lewisham", "Mitcham", "Newham", "Peckham", "Romford", "Stepney", "Tooting", "Walthamstow", "Woolwich", "Barnet"]
WHAT = ["Food", "Youth", "Elders", "Carers", "Refugee", "Tenants", "Women's", "Somali", "Digital", "Arts", "Sports",
        "Mental Health", "Disability", "Housing", "Advice", "Faith", "Environment", "Music", "Family", "Men's"]
KIND = ["Network", "Club", "Project", "Forum", "Trust", "Group", "Alliance", "Hub", "Collective", "Association",
        "Partnership", "Circle", "Centre", "Co-op", "Society"]


def names(count: int, seed: int) -> list[str]:
    """``count`` realistic, unique organisation names."""
    rng = np.random.default_rng(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        name = f"{rng.choice(PLACES)} {rng.choice(WHAT)} {rng.choice(KIND)}"
        if name in seen:
            name = f"{name} {rng.choice(['East', 'West', 'North', 'South', 'Central', 'Lower', 'Upper'])} {len(out)}"
        seen.add(name)
        out.append(name)
    return out


def named(m: NetworkMap, labels: list[str]) -> NetworkMap:
    """The map with these labels."""
    e = m.elements.copy()
    e["Label"] = labels
    return NetworkMap(e, m.connections, m.metadata)


def misspell(label: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(1, len(label) - 1))
    return label[:i] + label[i + 1:] if label[i] != " " else label.upper()


def two_maps(n: int) -> tuple[NetworkMap, NetworkMap]:
    """The base map and a contributor's map overlapping it by 30%."""
    pool = names(2 * n, 1)  # one pool, so a new element never shares a name with the base by chance
    base = named(london_map(n, seed=2017), pool[:n])
    other = named(london_map(n, seed=2018), pool[n:])
    rng = np.random.default_rng(3)
    e = other.elements.copy()
    c = other.connections.copy()
    pick = rng.permutation(n)
    same_id, own_id = pick[: int(0.2 * n)], pick[int(0.2 * n): int(0.3 * n)]
    be = base.elements
    rename = {old: f"new-{old}" for old in e["ID"]}
    targets = rng.choice(n, size=len(same_id) + len(own_id), replace=False)
    same_j, own_j = targets[: len(same_id)], targets[len(same_id):]
    labels, boroughs = e["Label"].to_numpy(dtype=object, copy=True), e["Borough"].to_numpy(dtype=object, copy=True)
    labels[same_id], boroughs[same_id] = be["Label"].to_numpy(dtype=object)[same_j], be["Borough"].to_numpy(dtype=object)[same_j]
    labels[own_id] = [misspell(x, rng) for x in be["Label"].to_numpy(dtype=object)[own_j]]
    e["Label"], e["Borough"] = labels, boroughs
    rename.update(zip(e["ID"].to_numpy()[same_id], be["ID"].to_numpy()[same_j]))
    e["ID"] = e["ID"].map(rename)
    c["From"], c["To"] = c["From"].map(rename), c["To"].map(rename)
    c["ID"] = "b-" + c["ID"].astype(str)
    return (NetworkMap(base.elements, base.connections, {"name": "Base", "date": "2018-01-01"}),
            NetworkMap(e, c, {"name": "Contributor", "date": "2018-02-01"}))


def verification_round(m: NetworkMap) -> tuple[float, float, float, str]:
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        paths = write_verification_sheets(m, tmp, by="borough", written_on="2018-03-01")
        t_write = time.perf_counter() - t
        t = time.perf_counter()
        for p in paths:
            wb = openpyxl.load_workbook(p)
            ws = wb["Elements"]
            header = [c.value for c in ws[1]]
            ws.cell(2, header.index(STILL_RIGHT) + 1).value = "yes"
            if ws.max_row > 2:
                ws.cell(3, header.index("Label") + 1).value = str(ws.cell(3, header.index("Label") + 1).value) + " CIC"
            wb.save(p)
        t_edit = time.perf_counter() - t
        t = time.perf_counter()
        _, report = update_from_sheets(m, tmp, on="2018-04-01")
        t_update = time.perf_counter() - t
    return t_write, t_edit, t_update, f"{len(paths)} sheets; " + report.headline()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    base, other = two_maps(n)
    print(f"maps: {len(base.elements):,} + {len(other.elements):,} elements, "
          f"{len(base.connections):,} + {len(other.connections):,} connections; 30% overlap")
    t = time.perf_counter()
    merged, report = merge_maps(base, other)
    print(f"merge:               {time.perf_counter() - t:6.1f} s  (target < 30 s) -> {len(merged.elements):,} elements, "
          f"{len(merged.connections):,} connections")
    print("  " + report.headline())
    t_write, t_edit, t_update, text = verification_round(base)
    print(f"verification sheets: {t_write:6.1f} s to write")
    print(f"                     {t_edit:6.1f} s to edit them with openpyxl (the 'contributors')")
    print(f"update from sheets:  {t_update:6.1f} s  ({text})")
    print(f"verification round:  {t_write + t_update:6.1f} s (writing + applying)")


if __name__ == "__main__":
    main()
