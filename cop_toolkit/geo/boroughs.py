"""London's 33 local authorities: codes, names, boundaries and neighbours.

Everything here works offline, from the files bundled in the
``london-boroughs`` sample dataset (see its data card for provenance). No GIS
library is needed: boundaries are plain lists of (longitude, latitude) points.

* :func:`boroughs` - the table of boroughs (ONS code, name, abbreviation,
  centroid, tile-grid position, Inner London or not);
* :func:`match_borough` - turn any common spelling of a borough into its ONS
  code ("LB Tower Hamlets", "towerhamlets", "Royal Borough of Kensington &
  Chelsea", "Westminster City Council", ...);
* :func:`borough_polygons`, :func:`adjacent_boroughs`, :func:`borough_at`,
  :func:`boroughs_at` - boundaries, neighbours, and which borough a point
  (or each of many points) falls in;
* :func:`haversine_km` - distance "as the crow flies".

Examples
--------
>>> match_borough("LB Tower Hamlets")
'E09000030'
>>> round(float(haversine_km(51.5148, -0.092, 51.5137, -0.1612)), 1)
4.8
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

from cop_toolkit.core.text import NAME_CUTOFF, close_matches

__all__ = [
    "ATTRIBUTION",
    "boroughs",
    "match_borough",
    "borough_name",
    "borough_polygons",
    "adjacent_boroughs",
    "borough_at",
    "boroughs_at",
    "haversine_km",
]

#: Credit to show with any map or table made from the borough data.
ATTRIBUTION = (
    "Borough boundaries and codes contain National Statistics data © Crown copyright and "
    "database right 2015 and Ordnance Survey data © Crown copyright and database right 2015 "
    "(Open Government Licence v3.0), via the London Datastore and vega-datasets; "
    "tile-grid layout \"London Squared\" by After the Flood."
)

#: Mean radius of the Earth in kilometres.
EARTH_RADIUS_KM = 6371.0088

_CODE = re.compile(r"^\s*(E0?9\d{6})\s*$", re.IGNORECASE)
# words that say "this is a council/borough" but not which one
_PREFIXES = (
    "the royal borough of", "royal borough of", "london borough of", "the london borough of",
    "borough of", "lb of", "l b of", "lbo", "lb", "rb of", "rb", "city of westminster",
)
_SUFFIXES = (
    "london borough council", "borough council", "city council", "council", "royal borough",
    "borough",
    "corporation", "lb", "london", "uk",
)
# common short forms that are not simply the name with words removed
_ALIASES = {
    "rbkc": "E09000020", "kc": "E09000020", "kandc": "E09000020", "kensington": "E09000020",
    "kensingtonchelsea": "E09000020", "chelsea": "E09000020",
    "hf": "E09000013", "handf": "E09000013", "lbhf": "E09000013", "hammersmith": "E09000013",
    "fulham": "E09000013", "hammersmithfulham": "E09000013",
    "lbth": "E09000030", "th": "E09000030",
    "bd": "E09000002", "bandd": "E09000002", "lbbd": "E09000002", "barking": "E09000002",
    "dagenham": "E09000002", "barkingdagenham": "E09000002",
    "kingston": "E09000021", "rbk": "E09000021", "richmond": "E09000027",
    "cityoflondon": "E09000001", "thecity": "E09000001", "squaremile": "E09000001",
    "cityoflondoncorporation": "E09000001", "col": "E09000001",
    "cityofwestminster": "E09000033", "wcc": "E09000033", "westminstercitycouncil": "E09000033",
    "walthamforest": "E09000031", "lbwf": "E09000031", "wf": "E09000031",
    "towerhamlets": "E09000030",
}


def _data(name: str):
    return files("cop_toolkit.datasets_files").joinpath("london-boroughs", name)


@lru_cache(maxsize=1)
def _boroughs_table() -> pd.DataFrame:
    with _data("boroughs.csv").open("r", encoding="utf-8") as f:
        df = pd.read_csv(f, dtype={"code": str, "name": str, "abbreviation": str})
    df["inner"] = df["inner"].astype(str).str.lower().eq("true")
    return df.set_index("code")


def boroughs() -> pd.DataFrame:
    """Return the 33 London local authorities, indexed by ONS ``code``.

    Columns: ``name``, ``abbreviation``, ``centroid_lat``, ``centroid_lon``,
    ``grid_x``, ``grid_y`` (a square tile grid, west to east and north to
    south) and ``inner`` (True for Inner London as ONS defines it).

    Examples
    --------
    >>> b = boroughs()
    >>> len(b), b.loc["E09000030", "name"], bool(b.loc["E09000030", "inner"])
    (33, 'Tower Hamlets', True)
    """
    return _boroughs_table().copy()


def borough_name(code: Any) -> str | None:
    """Return the name of a borough given its code or any spelling (None if unknown).

    Examples
    --------
    >>> borough_name("towerhamlets")
    'Tower Hamlets'
    """
    found = match_borough(code)
    return None if found is None else str(_boroughs_table().loc[found, "name"])


def _fold(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _strip_words(folded: str) -> str:
    changed = True
    while changed and folded:
        changed = False
        for p in _PREFIXES:
            if p == "city of westminster":
                continue
            if folded.startswith(p + " "):
                folded, changed = folded[len(p) + 1:], True
        for s in _SUFFIXES:
            if folded.endswith(" " + s) and folded != "city of " + s:
                folded, changed = folded[: -len(s) - 1], True
    return folded


def _compact(folded: str) -> str:
    folded = re.sub(r"\b(and|the|upon|on)\b", " ", folded)
    return folded.replace(" ", "")


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table = _boroughs_table()
    keys: dict[str, str] = {}
    for code, row in table.iterrows():
        name = _fold(str(row["name"]))
        keys[_compact(name)] = str(code)
        keys[name.replace(" ", "")] = str(code)
        keys[str(row["abbreviation"]).lower()] = str(code)
        short = re.sub(r" upon thames$", "", name)
        keys[_compact(short)] = str(code)
    for alias, code in _ALIASES.items():
        keys.setdefault(alias, code)
    return keys


def match_borough(text: Any) -> str | None:
    """Return the ONS code of a London borough written in any common way.

    Accepts a code (``E09000030``), a name in any case or spacing, with or
    without "London Borough of", "LB", "Royal Borough of", "City of", "Council",
    ``&`` for "and", the three-letter abbreviations and common short forms
    (RBKC, H&F, LBTH), and small typos. Returns None for blanks and for places
    that are not one of the 33 London local authorities.

    Examples
    --------
    >>> [match_borough(t) for t in ["LB Tower Hamlets", "towerhamlets",
    ...                             "Royal Borough of Kensington & Chelsea"]]
    ['E09000030', 'E09000030', 'E09000020']
    >>> match_borough("Westminster City Council"), match_borough("City of London")
    ('E09000033', 'E09000001')
    >>> match_borough("Manchester") is None
    True
    """
    if text is None or (isinstance(text, float) and text != text):
        return None
    raw = str(text).strip()
    if not raw:
        return None
    table = _boroughs_table()
    m = _CODE.match(raw)
    if m:
        code = m.group(1).upper()
        if len(code) == 8:  # E9000030 -> E09000030
            code = "E0" + code[1:]
        return code if code in table.index else None
    keys = _lookup()
    folded = _fold(raw)
    candidates = [folded, _strip_words(folded)]
    if folded.startswith("city of ") and _strip_words(folded[len("city of "):]) == "westminster":
        candidates.append("westminster")
    for cand in candidates:
        for key in (cand.replace(" ", ""), _compact(cand)):
            if key and key in keys:
                return keys[key]
    # small typos ("Tower Hamlet", "Lewisam"): fuzzy match on the full names only
    names = {k: v for k, v in keys.items() if len(k) > 4}
    for cand in candidates:
        key = _compact(cand)
        if len(key) < 5:
            continue
        close = close_matches(key, list(names), cutoff=NAME_CUTOFF, limit=1, fold=False)
        if close:
            return names[close[0]]
    return None


@lru_cache(maxsize=1)
def _geojson() -> dict:
    with _data("boroughs.geojson").open("r", encoding="utf-8") as f:
        return json.load(f)


def borough_polygons() -> dict[str, list[list[tuple[float, float]]]]:
    """Return each borough's outer boundary rings as (longitude, latitude) points.

    A borough made of several pieces (Greenwich, Newham, ...) has several rings.

    Examples
    --------
    >>> polys = borough_polygons()
    >>> len(polys), isinstance(polys["E09000001"][0][0], tuple)
    (33, True)
    """
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for feature in _geojson()["features"]:
        geom = feature["geometry"]
        parts = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[feature["properties"]["code"]] = [
            [(float(x), float(y)) for x, y in part[0]] for part in parts
        ]
    return out


def adjacent_boroughs() -> pd.DataFrame:
    """Return pairs of boroughs that share a land boundary (both orders).

    Boroughs facing each other across the Thames are not counted as neighbours.

    Examples
    --------
    >>> adj = adjacent_boroughs()
    >>> sorted(adj.loc[adj["code_a"] == "E09000030", "code_b"])
    ['E09000001', 'E09000012', 'E09000025']
    """
    with _data("adjacency.csv").open("r", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str)


def _inside_ring(lon: np.ndarray, lat: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even-odd ray casting of many points against one ring (vectorised, in chunks)."""
    x, y = ring[:, 0], ring[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    flat = y != y2
    x, y, x2, y2 = x[flat], y[flat], x2[flat], y2[flat]
    slope = (x2 - x) / (y2 - y)
    inside = np.zeros(len(lon), dtype=bool)
    step = max(1, 2_000_000 // max(len(x), 1))
    for s in range(0, len(lon), step):
        la = lat[s : s + step, None]
        lo = lon[s : s + step, None]
        crosses = (y > la) != (y2 > la)
        x_at = x + (la - y) * slope
        inside[s : s + step] = (crosses & (lo < x_at)).sum(axis=1) % 2 == 1
    return inside


@lru_cache(maxsize=1)
def _ring_arrays() -> dict[str, tuple[np.ndarray, ...]]:
    """Each borough's rings as (n, 2) arrays of (longitude, latitude), read once."""
    return {code: tuple(np.asarray(r, dtype=float) for r in rings) for code, rings in borough_polygons().items()}


def boroughs_at(lats: Any, lons: Any) -> np.ndarray:
    """Return the code of the borough containing each point (None outside London).

    Many points are tested at once (NumPy, no loop over points), so this is
    the one to use for a whole map; :func:`borough_at` checks a single point.
    Blank (NaN) coordinates give None.

    Parameters
    ----------
    lats, lons : latitudes and longitudes (lists or arrays of the same length).

    Returns
    -------
    NumPy array (``object`` dtype) of ONS codes or None, one per point.

    Examples
    --------
    >>> boroughs_at([51.5148, 53.48, float("nan")], [-0.092, -2.24, 0.0]).tolist()
    ['E09000001', None, None]
    """
    lat = np.atleast_1d(np.asarray(lats, dtype=float))
    lon = np.atleast_1d(np.asarray(lons, dtype=float))
    if lat.shape != lon.shape:
        raise ValueError(f"boroughs_at needs as many latitudes as longitudes ({lat.size} and {lon.size})")
    found = np.full(lat.shape, None, dtype=object)
    todo = ~(np.isnan(lat) | np.isnan(lon))
    for code, polys in _ring_arrays().items():
        if not todo.any():
            break
        idx = np.flatnonzero(todo)
        sub_lat, sub_lon = lat[idx], lon[idx]
        hit = np.zeros(idx.shape, dtype=bool)
        for ring in polys:
            box = (
                (sub_lon >= ring[:, 0].min()) & (sub_lon <= ring[:, 0].max())
                & (sub_lat >= ring[:, 1].min()) & (sub_lat <= ring[:, 1].max())
            )
            if box.any():
                b = np.flatnonzero(box)
                hit[b] |= _inside_ring(sub_lon[b], sub_lat[b], ring)
        found[idx[hit]] = code
        todo[idx[hit]] = False
    return found


def borough_at(lat: float, lon: float) -> str | None:
    """Return the code of the borough containing a point, or None outside London.

    One point at a time; use :func:`boroughs_at` for many.

    Examples
    --------
    >>> borough_at(51.5148, -0.092)
    'E09000001'
    >>> borough_at(53.48, -2.24) is None
    True
    """
    if lat is None or lon is None:
        return None
    code = boroughs_at([float(lat)], [float(lon)])[0]
    return None if code is None else str(code)


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in kilometres (numbers or arrays, NumPy broadcasting).

    Examples
    --------
    >>> round(float(haversine_km(51.5, -0.1, 51.5, -0.1)), 3)
    0.0
    >>> haversine_km([51.5, 51.6], [-0.1, -0.1], 51.5, -0.1).round(1).tolist()
    [0.0, 11.1]
    """
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2)
    )
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(d) if np.ndim(d) == 0 else d
