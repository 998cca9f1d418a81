"""Where elements are: placing them on the map of London, borough by borough.

:func:`locate` places every element from whatever it has, in this order:

1. ``Latitude`` and ``Longitude`` (or a Kumu ``Location`` cell such as
   ``"51.52, -0.07"``) — a precise place (``placed_by="coordinates"``);
2. a ``Postcode`` — looked up offline when the optional postcode extra is
   installed (``placed_by="postcode"``; see :mod:`cop_toolkit.geo.postcodes`);
3. a ``Borough`` (an ONS code such as ``E09000030`` or a name in any common
   spelling: "Tower Hamlets", "LB Tower Hamlets", "towerhamlets"), or a
   ``Location`` cell naming a borough (``placed_by="borough"``).

An element placed from its borough alone gets ``approximate=True``: it is put
near the borough's centre, moved by a small, *repeatable* amount worked out
from its ID (so two elements in the same borough do not sit on top of each
other, and the same element lands on the same spot every time). The shift is
at most a quarter of the borough's "radius" (the radius of a circle with the
borough's area) and the point is kept inside the borough's boundary. Such a
point says "somewhere in Hackney", never "at this address": distances from it
are shown as "about". Elements that cannot be placed keep empty coordinates
and a ``note`` saying what to add.

The same module summarises boroughs (:func:`borough_summary`), counts ties
between boroughs (:func:`borough_flows`) and finds nearby pairs that could
share but do not yet (:func:`local_sharing`).

Borough facts come from :mod:`cop_toolkit.geo.boroughs` (centroids and
boundaries: Office for National Statistics and Ordnance Survey data, Open
Government Licence v3.0).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop_toolkit.core.inputs import as_map
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import normalise_name
from cop_toolkit.geo import boroughs as geography
from cop_toolkit.geo import postcodes as pc

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["locate", "pair_distance_km", "rough_distance_words", "JITTER_SHARE", "KM_PER_DEGREE_LAT"]

#: Largest shift of a borough-only placement, as a share of the borough's radius.
JITTER_SHARE = 0.25

_LATLON = re.compile(r"^\s*\(?\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*\)?\s*$")
#: Kilometres per degree of latitude (used for short, local distances).
KM_PER_DEGREE_LAT = 110.574


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _column(e: pd.DataFrame, name: str) -> pd.Series:
    """A column found tolerantly by name ('postcode', 'Post Code', 'LATITUDE'...)."""
    wanted = normalise_name(name)
    for col in e.columns:
        if normalise_name(col) == wanted:
            return e[col]
    return pd.Series([np.nan] * len(e), index=e.index, dtype=object)


# ------------------------------------------------------------------ geometry
def _rings() -> dict[str, tuple[np.ndarray, ...]]:
    return geography._ring_arrays()


def _ring_area_km2(ring: np.ndarray) -> float:
    lat0 = np.radians(ring[:, 1].mean())
    x = ring[:, 0] * KM_PER_DEGREE_LAT * np.cos(lat0)
    y = ring[:, 1] * KM_PER_DEGREE_LAT
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


_AREAS: dict[str, float] = {}


def _borough_area_km2(code: str, polys: list[np.ndarray]) -> float:
    if code not in _AREAS:
        _AREAS[code] = sum(_ring_area_km2(r) for r in polys) if polys else 4.0
    return _AREAS[code]


_ATTEMPTS = 12


def _jittered_many(
    element_ids: list[str], code: str, table: pd.DataFrame, rings: dict[str, tuple[np.ndarray, ...]]
) -> tuple[np.ndarray, np.ndarray]:
    """Centroid plus a repeatable shift (from each ID) that stays inside the borough.

    Up to ``_ATTEMPTS`` shifts are tried per element (the first inside the
    boundary wins); if none is inside, the element sits at the centroid.
    """
    lat0 = float(table.at[code, "centroid_lat"])
    lon0 = float(table.at[code, "centroid_lon"])
    polys = rings.get(code) or []
    radius_km = JITTER_SHARE * float(np.sqrt(_borough_area_km2(code, polys) / np.pi))
    k = len(element_ids)
    uv = _unit_pairs_many(element_ids)
    r = radius_km * np.sqrt(uv[:, :, 1])
    lat = lat0 + r * np.sin(2 * np.pi * uv[:, :, 0]) / KM_PER_DEGREE_LAT
    lon = lon0 + r * np.cos(2 * np.pi * uv[:, :, 0]) / (KM_PER_DEGREE_LAT * np.cos(np.radians(lat0)))
    if not polys:
        return lat[:, 0], lon[:, 0]
    out_lat, out_lon = np.full(k, lat0), np.full(k, lon0)
    left = np.arange(k)  # elements with no shift inside yet: try their next one
    for attempt in range(_ATTEMPTS):
        if not len(left):
            break
        ok = np.zeros(len(left), dtype=bool)
        for ring in polys:
            ok |= geography._inside_ring(lon[left, attempt], lat[left, attempt], ring)
        done = left[ok]
        out_lat[done], out_lon[done] = lat[done, attempt], lon[done, attempt]
        left = left[~ok]
    return out_lat, out_lon


def _unit_pairs_many(keys: list[str]) -> np.ndarray:
    """``_ATTEMPTS`` repeatable pairs of numbers in [0, 1) worked out from each text: shape ``(len(keys), _ATTEMPTS, 2)``."""
    if not keys:
        return np.zeros((0, _ATTEMPTS, 2))
    digests = b"".join(hashlib.shake_256(key.encode("utf-8")).digest(16 * _ATTEMPTS) for key in keys)
    return (np.frombuffer(digests, dtype=">u8") / 2.0**64).reshape(len(keys), _ATTEMPTS, 2)


# ------------------------------------------------------------------ locate
def locate(m: NetworkMap | nx.Graph, *, postcodes: bool = True) -> pd.DataFrame:
    """Place every element on the map of London, saying how each was placed.

    Parameters
    ----------
    postcodes : look postcodes up offline when the postcode extra is installed
        (``False`` skips postcodes and uses the borough instead).

    Returns
    -------
    DataFrame indexed by ``ID``: ``Label``, ``Type``, ``Latitude``,
    ``Longitude``, ``borough_code``, ``borough_name``, ``approximate`` (True
    when placed from the borough alone), ``placed_by`` (``"coordinates"``,
    ``"postcode"``, ``"borough"``, or missing when it could not be placed) and
    ``note`` (what went wrong or what to add, in plain words).
    ``df.attrs["unplaced"]`` lists the IDs that could not be placed and
    ``df.attrs["n_unplaced"]`` counts them.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...     "Borough": ["LB Tower Hamlets", None, None],
    ...     "Latitude": [None, 51.545, None], "Longitude": [None, -0.055, None]}))
    >>> places = locate(m)
    >>> places[["borough_name", "approximate", "placed_by"]]  # doctest: +NORMALIZE_WHITESPACE
         borough_name  approximate    placed_by
    ID
    a   Tower Hamlets         True      borough
    b         Hackney        False  coordinates
    c             NaN        False          NaN
    >>> places.attrs["unplaced"], places.attrs["n_unplaced"]
    (['c'], 1)
    """
    m = as_map(m)
    key = (_place_fingerprint(m.elements), bool(postcodes) and pc.available())
    if key in _LOCATED:
        return _LOCATED[key].copy()
    out = _locate(m.elements, postcodes=postcodes)
    _LOCATED[key] = out
    while len(_LOCATED) > 8:
        _LOCATED.pop(next(iter(_LOCATED)))
    return out.copy()


#: Recent results of :func:`locate`, keyed by a hash of the cells it reads:
#: a report places the same elements in several sections, and a changed cell
#: gives a new key, so an edited map is always placed afresh.
_LOCATED: dict[tuple[str, bool], pd.DataFrame] = {}

_PLACE_COLUMNS = ("ID", "Label", "Type", "Latitude", "Longitude", "Location", "Borough", "Postcode")


def _place_fingerprint(e: pd.DataFrame) -> str:
    cols = [c for c in _PLACE_COLUMNS if c in e.columns]
    digest = hashlib.sha1(repr(cols).encode("utf-8"))
    for c in cols:
        digest.update(pd.util.hash_pandas_object(e[c].astype(str), index=False).to_numpy().tobytes())
    return digest.hexdigest()


@dataclass
class _Found:
    """What is known so far of each element's place (one entry per element, changed step by step)."""

    lat: np.ndarray
    lon: np.ndarray
    postcode_cell: np.ndarray
    placed_by: np.ndarray  # "coordinates", "postcode", "borough" or None
    notes: list[list[str]]
    stated: np.ndarray  # borough code from the Borough / Location text
    code_found: np.ndarray  # borough code of the point itself ("outside" when outside London)


def _read_cells(e: pd.DataFrame) -> _Found:
    """Coordinates, Location, Borough and Postcode cells, checked (bad coordinates are dropped, with a note)."""
    n = len(e)
    lat = pd.to_numeric(_column(e, "Latitude"), errors="coerce").to_numpy(dtype=float, copy=True)
    lon = pd.to_numeric(_column(e, "Longitude"), errors="coerce").to_numpy(dtype=float, copy=True)
    location = _column(e, "Location").to_numpy(dtype=object, copy=True)
    borough_cell = _column(e, "Borough").to_numpy(dtype=object, copy=True)
    f = _Found(lat, lon, _column(e, "Postcode").to_numpy(dtype=object, copy=True), np.full(n, None, dtype=object),
               [[] for _ in range(n)], np.full(n, None, dtype=object), np.full(n, None, dtype=object))
    notes, matched = f.notes, {}
    for i in range(n):
        # a Kumu Location cell: "lat, lng" or a place name
        loc = _text(location[i])
        if loc is not None and (np.isnan(lat[i]) or np.isnan(lon[i])):
            hit = _LATLON.match(loc)
            if hit:
                lat[i], lon[i] = float(hit.group(1)), float(hit.group(2))
            elif pc.normalise_postcode(loc) and _text(f.postcode_cell[i]) is None:
                f.postcode_cell[i] = loc
            elif _text(borough_cell[i]) is None:
                borough_cell[i] = loc
        text = _text(borough_cell[i])
        if text is not None:
            if text not in matched:
                matched[text] = geography.match_borough(text)
            if matched[text] is None:
                notes[i].append(f"the borough '{text}' is not one of the 33 London boroughs")
            f.stated[i] = matched[text]
        if not (np.isnan(lat[i]) or np.isnan(lon[i])):
            if lat[i] == 0 and lon[i] == 0:
                notes[i].append("its coordinates are 0, 0 (a blank location), so they were ignored")
                lat[i] = lon[i] = np.nan
            elif not (-90 <= lat[i] <= 90 and -180 <= lon[i] <= 180):
                notes[i].append(f"its coordinates ({lat[i]}, {lon[i]}) are not a real place, so they were ignored")
                lat[i] = lon[i] = np.nan
            else:
                f.placed_by[i] = "coordinates"
        elif not np.isnan(lat[i]) or not np.isnan(lon[i]):
            notes[i].append("it has only one of Latitude and Longitude")
            lat[i] = lon[i] = np.nan
    return f


def _place_postcodes(f: _Found, table: pd.DataFrame, postcodes: bool) -> None:
    """Place the elements not yet placed that have a postcode, looked up in one go."""
    want = [i for i in range(len(f.lat)) if f.placed_by[i] is None and _text(f.postcode_cell[i]) is not None]
    if not (want and postcodes):
        return
    if not pc.available():
        for i in want:
            f.notes[i].append("its postcode was not looked up (" + pc.INSTALL_HINT + ")")
        return
    found = pc.lookup_postcodes([f.postcode_cell[i] for i in want])
    for i, ok, la, lo, la_code, norm in zip(
        want, found["found"], found["latitude"], found["longitude"], found["la_code"], found["normalised"]
    ):
        if ok:
            f.lat[i], f.lon[i] = la, lo
            f.placed_by[i] = "postcode"
            f.code_found[i] = la_code if la_code in table.index else "outside"
        elif norm is None or norm != norm:
            f.notes[i].append(f"'{f.postcode_cell[i]}' does not look like a UK postcode")
        else:
            f.notes[i].append(f"the postcode '{f.postcode_cell[i]}' was not found in the ONS directory")


def _choose_boroughs(f: _Found, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each element's borough (the stated one first) and whether it is placed from the borough alone."""
    n = len(f.lat)
    precise = np.array([p in ("coordinates", "postcode") for p in f.placed_by], dtype=bool)
    need_polygon = precise & np.array([c is None for c in f.code_found], dtype=bool)  # dtype: an empty map too
    if need_polygon.any():
        idx = np.flatnonzero(need_polygon)
        inside = geography.boroughs_at(f.lat[idx], f.lon[idx])
        f.code_found[idx] = [c if c is not None else "outside" for c in inside]
    borough = np.full(n, None, dtype=object)
    approximate = np.zeros(n, dtype=bool)
    notes, stated = f.notes, f.stated
    for i in range(n):
        if precise[i]:
            point_code = f.code_found[i] if f.code_found[i] != "outside" else None
            if stated[i] is not None:
                borough[i] = stated[i]
                if point_code is not None and point_code != stated[i]:
                    notes[i].append(
                        f"its {f.placed_by[i]} place is in {table.at[point_code, 'name']}, but its Borough says "
                        f"{table.at[stated[i], 'name']}"
                    )
            elif point_code is not None:
                borough[i] = point_code
            else:
                notes[i].append("it lies outside the 33 London boroughs")
        elif stated[i] is not None:
            borough[i] = stated[i]
            f.placed_by[i] = "borough"
            approximate[i] = True
            notes[i].append("placed near the middle of its borough (approximate)")
        elif not any("postcode" in t or "borough" in t for t in notes[i]):
            notes[i].append("no location: add a Borough, a Postcode or a Latitude and Longitude")
    return borough, approximate


def _locate(e: pd.DataFrame, *, postcodes: bool) -> pd.DataFrame:
    table = geography.boroughs()
    n = len(e)
    ids = e["ID"].astype(str).to_numpy()
    f = _read_cells(e)
    _place_postcodes(f, table, postcodes)
    borough, approximate = _choose_boroughs(f, table)
    lat, lon, placed_by = f.lat, f.lon, f.placed_by
    groups: dict[str, list[int]] = {}
    for i in approximate.nonzero()[0]:
        groups.setdefault(borough[i], []).append(int(i))
    rings = _rings()
    for code, members in sorted(groups.items()):
        lat[members], lon[members] = _jittered_many([ids[i] for i in members], code, table, rings)

    name_of = dict(zip(table.index, table["name"]))
    out = pd.DataFrame(
        {
            "Label": e["Label"].to_numpy(),
            "Type": e["Type"].to_numpy() if "Type" in e.columns else np.full(n, np.nan, dtype=object),
            "Latitude": lat,
            "Longitude": lon,
            "borough_code": borough,
            "borough_name": [name_of.get(c, np.nan) for c in borough],
            "approximate": approximate,
            "placed_by": placed_by,
            "note": [_sentence("; ".join(t)) if t else "" for t in f.notes],
        },
        index=pd.Index(ids, name="ID"),
    )
    out["borough_code"] = out["borough_code"].astype(object)
    out.attrs["unplaced"] = [i for i, p in zip(ids, placed_by) if p is None]
    out.attrs["n_unplaced"] = len(out.attrs["unplaced"])
    return out


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def rough_distance_words(km: float, borough_a: Any = None, borough_b: Any = None) -> str:
    """How far apart two elements are, in words, when one or both are placed only by borough.

    A borough-only place is the borough's middle, shifted a little (see
    :data:`JITTER_SHARE`), so such a distance is never given to 0.1 km: two
    elements in the same borough are "both in" it, others "about N km apart"
    in whole kilometres (at least 1).

    Examples
    --------
    >>> rough_distance_words(2.46, "Hackney", "Camden"), rough_distance_words(0.31, "Hackney", "Hackney")
    ('about 2 km apart', 'both in Hackney')
    >>> rough_distance_words(0.31), rough_distance_words(float("nan"))
    ('about 1 km apart', 'distance unknown')
    """
    if pd.isna(km):
        return "distance unknown"
    if isinstance(borough_a, str) and borough_a and borough_a == borough_b:
        return f"both in {borough_a}"
    return f"about {max(1, round(km)):,} km apart"


def pair_distance_km(places: pd.DataFrame, ids_a: Any, ids_b: Any) -> np.ndarray:
    """Distances in km between pairs of elements placed by :func:`locate` (NaN if unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> places = pd.DataFrame({"Latitude": [51.5, 51.5], "Longitude": [-0.1, -0.1]},
    ...                       index=pd.Index(["a", "b"], name="ID"))
    >>> pair_distance_km(places, ["a"], ["b"]).tolist()
    [0.0]
    """
    a = places.reindex(pd.Index(list(ids_a)))
    b = places.reindex(pd.Index(list(ids_b)))
    return np.asarray(
        geography.haversine_km(
            a["Latitude"].to_numpy(dtype=float), a["Longitude"].to_numpy(dtype=float),
            b["Latitude"].to_numpy(dtype=float), b["Longitude"].to_numpy(dtype=float),
        ),
        dtype=float,
    )

