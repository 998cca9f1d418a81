"""Where elements are: placing them on the map of London, borough by borough.

:func:`locate` places every element from whatever it has, in this order:

1. ``Latitude`` and ``Longitude`` (or a Kumu ``Location`` cell such as
   ``"51.52, -0.07"``) — a precise place (``placed_by="coordinates"``);
2. a ``Postcode`` — looked up offline when the optional postcode extra is
   installed (``placed_by="postcode"``; see :mod:`cop_toolkit.postcodes`);
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

Borough facts come from :mod:`cop_toolkit.geography` (centroids and
boundaries: Office for National Statistics and Ordnance Survey data, Open
Government Licence v3.0).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .errors import MapError
from .model import NetworkMap, normalise_name, word_list
from .privacy import is_private_element

__all__ = [
    "locate",
    "pair_distance_km",
    "borough_summary",
    "borough_flows",
    "local_sharing",
    "JITTER_SHARE",
]

#: Largest shift of a borough-only placement, as a share of the borough's radius.
JITTER_SHARE = 0.25

_LATLON = re.compile(r"^\s*\(?\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*\)?\s*$")
_KM_PER_DEG_LAT = 110.574


def _geo() -> Any:
    from . import geography

    return geography


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
    return _geo()._ring_arrays()


def _ring_area_km2(ring: np.ndarray) -> float:
    lat0 = np.radians(ring[:, 1].mean())
    x = ring[:, 0] * _KM_PER_DEG_LAT * np.cos(lat0)
    y = ring[:, 1] * _KM_PER_DEG_LAT
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


_AREAS: dict[str, float] = {}


def _borough_area_km2(code: str, polys: list[np.ndarray]) -> float:
    if code not in _AREAS:
        _AREAS[code] = sum(_ring_area_km2(r) for r in polys) if polys else 4.0
    return _AREAS[code]


_ATTEMPTS = 12


def _unit_pairs(key: str) -> np.ndarray:
    """``_ATTEMPTS`` repeatable pairs of numbers in [0, 1) worked out from a text."""
    raw = np.frombuffer(hashlib.shake_256(key.encode("utf-8")).digest(16 * _ATTEMPTS), dtype=">u8")
    return (raw / 2.0**64).reshape(_ATTEMPTS, 2)


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
    uv = np.stack([_unit_pairs(i) for i in element_ids]) if k else np.zeros((0, _ATTEMPTS, 2))
    r = radius_km * np.sqrt(uv[:, :, 1])
    lat = lat0 + r * np.sin(2 * np.pi * uv[:, :, 0]) / _KM_PER_DEG_LAT
    lon = lon0 + r * np.cos(2 * np.pi * uv[:, :, 0]) / (_KM_PER_DEG_LAT * np.cos(np.radians(lat0)))
    if not polys:
        return lat[:, 0], lon[:, 0]
    ok = np.zeros(lat.size, dtype=bool)
    for ring in polys:
        ok |= _geo()._inside_ring(lon.ravel(), lat.ravel(), ring)
    ok = ok.reshape(lat.shape)
    first = ok.argmax(axis=1)
    rows = np.arange(k)
    out_lat = np.where(ok.any(axis=1), lat[rows, first], lat0)
    out_lon = np.where(ok.any(axis=1), lon[rows, first], lon0)
    return out_lat, out_lon


# ------------------------------------------------------------------ locate
def locate(m: NetworkMap, *, postcodes: bool = True) -> pd.DataFrame:
    """Place every element on the map of London, saying how each was placed.

    Parameters
    ----------
    postcodes : look postcodes up offline when the postcode extra is installed
        (``False`` skips postcodes and uses the borough instead).

    Returns
    -------
    DataFrame indexed by ``ID``: ``Label``, ``Type``, ``latitude``,
    ``longitude``, ``borough_code``, ``borough_name``, ``approximate`` (True
    when placed from the borough alone), ``placed_by`` (``"coordinates"``,
    ``"postcode"``, ``"borough"``, or missing when it could not be placed) and
    ``note`` (what went wrong or what to add, in plain words).
    ``df.attrs["unplaced"]`` lists the IDs that could not be placed.

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
    >>> places.attrs["unplaced"]
    ['c']
    """
    from . import postcodes as pc

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


def _locate(e: pd.DataFrame, *, postcodes: bool) -> pd.DataFrame:
    from . import postcodes as pc

    geo = _geo()
    table = geo.boroughs()
    rings = _rings()
    n = len(e)
    ids = e["ID"].astype(str).to_numpy()
    lat = pd.to_numeric(_column(e, "Latitude"), errors="coerce").to_numpy(dtype=float, copy=True)
    lon = pd.to_numeric(_column(e, "Longitude"), errors="coerce").to_numpy(dtype=float, copy=True)
    location = _column(e, "Location").to_numpy(dtype=object, copy=True)
    borough_cell = _column(e, "Borough").to_numpy(dtype=object, copy=True)
    postcode_cell = _column(e, "Postcode").to_numpy(dtype=object, copy=True)

    placed_by = np.full(n, None, dtype=object)
    notes: list[list[str]] = [[] for _ in range(n)]
    stated = np.full(n, None, dtype=object)  # borough code from the Borough / Location text
    matched: dict[str, str | None] = {}

    for i in range(n):
        # a Kumu Location cell: "lat, lng" or a place name
        loc = _text(location[i])
        if loc is not None and (np.isnan(lat[i]) or np.isnan(lon[i])):
            hit = _LATLON.match(loc)
            if hit:
                lat[i], lon[i] = float(hit.group(1)), float(hit.group(2))
            elif pc.normalise_postcode(loc) and _text(postcode_cell[i]) is None:
                postcode_cell[i] = loc
            elif _text(borough_cell[i]) is None:
                borough_cell[i] = loc
        text = _text(borough_cell[i])
        if text is not None:
            if text not in matched:
                matched[text] = geo.match_borough(text)
            code = matched[text]
            if code is None:
                notes[i].append(f"the borough '{text}' is not one of the 33 London boroughs")
            stated[i] = code
        if not (np.isnan(lat[i]) or np.isnan(lon[i])):
            if lat[i] == 0 and lon[i] == 0:
                notes[i].append("its coordinates are 0, 0 (a blank location), so they were ignored")
                lat[i] = lon[i] = np.nan
            elif not (-90 <= lat[i] <= 90 and -180 <= lon[i] <= 180):
                notes[i].append(f"its coordinates ({lat[i]}, {lon[i]}) are not a real place, so they were ignored")
                lat[i] = lon[i] = np.nan
            else:
                placed_by[i] = "coordinates"
        elif not np.isnan(lat[i]) or not np.isnan(lon[i]):
            notes[i].append("it has only one of Latitude and Longitude")
            lat[i] = lon[i] = np.nan

    code_found = np.full(n, None, dtype=object)  # borough from the point itself
    # postcodes, looked up in one go
    want = [i for i in range(n) if placed_by[i] is None and _text(postcode_cell[i]) is not None]
    if want and postcodes:
        if pc.available():
            found = pc.lookup_postcodes([postcode_cell[i] for i in want])
            for i, ok, la, lo, la_code, norm in zip(
                want, found["found"], found["latitude"], found["longitude"], found["la_code"], found["normalised"]
            ):
                if ok:
                    lat[i], lon[i] = la, lo
                    placed_by[i] = "postcode"
                    code_found[i] = la_code if la_code in table.index else "outside"
                elif norm is None or norm != norm:
                    notes[i].append(f"'{postcode_cell[i]}' does not look like a UK postcode")
                else:
                    notes[i].append(f"the postcode '{postcode_cell[i]}' was not found in the ONS directory")
        else:
            for i in want:
                notes[i].append("its postcode was not looked up (" + pc.INSTALL_HINT + ")")

    precise = np.array([p in ("coordinates", "postcode") for p in placed_by])
    need_polygon = precise & np.array([c is None for c in code_found])
    if need_polygon.any():
        idx = np.flatnonzero(need_polygon)
        inside = geo.boroughs_at(lat[idx], lon[idx])
        code_found[idx] = [c if c is not None else "outside" for c in inside]

    borough = np.full(n, None, dtype=object)
    approximate = np.zeros(n, dtype=bool)
    for i in range(n):
        if precise[i]:
            point_code = code_found[i] if code_found[i] != "outside" else None
            if stated[i] is not None:
                borough[i] = stated[i]
                if point_code is not None and point_code != stated[i]:
                    notes[i].append(
                        f"its {placed_by[i]} place is in {table.at[point_code, 'name']}, but its Borough says "
                        f"{table.at[stated[i], 'name']}"
                    )
            elif point_code is not None:
                borough[i] = point_code
            else:
                notes[i].append("it lies outside the 33 London boroughs")
        elif stated[i] is not None:
            borough[i] = stated[i]
            placed_by[i] = "borough"
            approximate[i] = True
            notes[i].append("placed near the middle of its borough (approximate)")
        else:
            if not any("postcode" in t or "borough" in t for t in notes[i]):
                notes[i].append("no location: add a Borough, a Postcode or a Latitude and Longitude")

    by_borough = approximate.nonzero()[0]
    groups: dict[str, list[int]] = {}
    for i in by_borough:
        groups.setdefault(borough[i], []).append(int(i))
    for code, members in sorted(groups.items()):
        lat[members], lon[members] = _jittered_many([ids[i] for i in members], code, table, rings)

    name_of = dict(zip(table.index, table["name"]))
    out = pd.DataFrame(
        {
            "Label": e["Label"].to_numpy(),
            "Type": e["Type"].to_numpy() if "Type" in e.columns else np.full(n, np.nan, dtype=object),
            "latitude": lat,
            "longitude": lon,
            "borough_code": borough,
            "borough_name": [name_of.get(c, np.nan) for c in borough],
            "approximate": approximate,
            "placed_by": placed_by,
            "note": [_sentence("; ".join(t)) if t else "" for t in notes],
        },
        index=pd.Index(ids, name="ID"),
    )
    out["borough_code"] = out["borough_code"].astype(object)
    out.attrs["unplaced"] = [i for i, p in zip(ids, placed_by) if p is None]
    return out


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def pair_distance_km(places: pd.DataFrame, ids_a: Any, ids_b: Any) -> np.ndarray:
    """Distances in km between pairs of elements placed by :func:`locate` (NaN if unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> places = pd.DataFrame({"latitude": [51.5, 51.5], "longitude": [-0.1, -0.1]},
    ...                       index=pd.Index(["a", "b"], name="ID"))
    >>> pair_distance_km(places, ["a"], ["b"]).tolist()
    [0.0]
    """
    a = places.reindex(pd.Index(list(ids_a)))
    b = places.reindex(pd.Index(list(ids_b)))
    return np.asarray(
        _geo().haversine_km(
            a["latitude"].to_numpy(dtype=float), a["longitude"].to_numpy(dtype=float),
            b["latitude"].to_numpy(dtype=float), b["longitude"].to_numpy(dtype=float),
        ),
        dtype=float,
    )


# ------------------------------------------------------------------ boroughs
def _element_boroughs(m: NetworkMap, places: pd.DataFrame | None = None) -> pd.Series:
    places = locate(m) if places is None else places
    return places["borough_code"]


def borough_summary(m: NetworkMap, *, synonyms: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Summarise each of the 33 London boroughs: who is there, what they hold, how they link.

    Parameters
    ----------
    synonyms : extra wordings to merge when counting needs, offers and assets
        (see :func:`cop_toolkit.resources.normalise_item`).

    Returns
    -------
    DataFrame indexed by borough ``code`` (all 33, in code order): ``name``,
    ``elements``, one column per element type (counts), ``placed_by_borough``
    (elements whose place is only approximate), ``assets``, ``needs``,
    ``offers`` (how many items are listed there), ``ties_within`` (ties
    between two elements of the borough), ``ties_out`` (ties to another
    borough), ``ties`` (all ties touching the borough), ``share_of_ties`` and
    ``share_of_resources`` (percent of the London totals, where collaboration
    happens against where assets and offers are). ``df.attrs["unplaced"]``
    counts elements without a borough; ``df.attrs["types"]`` lists the type columns.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...     "Type": ["CVS", "Community group", "Community group"],
    ...     "Borough": ["Hackney", "Hackney", "Islington"], "Assets": ["hall", None, "minibus|kitchen"]}),
    ...     pd.DataFrame({"From": ["b", "b"], "To": ["a", "c"]}))
    >>> s = borough_summary(m)
    >>> s.loc[["E09000012", "E09000019"], ["name", "elements", "CVS", "assets", "ties_within", "ties_out"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                    name  elements  CVS  assets  ties_within  ties_out
    code
    E09000012    Hackney         2    1       1            1         1
    E09000019  Islington         1    0       2            0         1
    """
    from .resources import resource_items

    table = _geo().boroughs()
    places = locate(m)
    code = places["borough_code"]
    out = pd.DataFrame({"name": table["name"]}, index=pd.Index(table.index, name="code"))
    placed = code.notna()
    out["elements"] = code[placed].value_counts().reindex(out.index, fill_value=0).astype(int)
    types = places["Type"].fillna("(no type)").astype(str)
    type_names = sorted(types[placed].unique())
    for t in type_names:
        out[t] = code[placed & (types == t)].value_counts().reindex(out.index, fill_value=0).astype(int)
    out["placed_by_borough"] = (
        code[placed & places["approximate"]].value_counts().reindex(out.index, fill_value=0).astype(int)
    )
    items = resource_items(m, synonyms)
    for column in ("assets", "needs", "offers"):
        counts = items[column].map(len).reindex(code.index).fillna(0)
        out[column] = counts.groupby(code).sum().reindex(out.index, fill_value=0).astype(int)

    from .engine import edge_table

    ids, ties = edge_table(m)  # the ties of m.to_networkx(), as a table
    code_at = code.reindex(pd.Index(ids)).to_numpy(dtype=object)
    a, b = pd.Series(code_at[ties["source"].to_numpy()]), pd.Series(code_at[ties["target"].to_numpy()])
    both = a.notna() & b.notna()
    a, b = a[both], b[both]
    within = a[a == b].value_counts()
    across = pd.concat([a[a != b], b[a != b]]).value_counts()
    out["ties_within"] = within.reindex(out.index, fill_value=0).astype(int)
    out["ties_out"] = across.reindex(out.index, fill_value=0).astype(int)
    out["ties"] = out["ties_within"] + out["ties_out"]
    total_ties = out["ties"].sum()
    resources = out["assets"] + out["offers"]
    out["share_of_ties"] = (100 * out["ties"] / total_ties).round(1) if total_ties else 0.0
    out["share_of_resources"] = (100 * resources / resources.sum()).round(1) if resources.sum() else 0.0
    out.attrs["unplaced"] = int((~placed).sum())
    out.attrs["types"] = type_names
    return out


def borough_flows(m: NetworkMap, *, within: bool = True) -> pd.DataFrame:
    """Count connections from each borough to each other borough (an origin-destination table).

    A connection goes from its ``From`` element's borough (origin) to its
    ``To`` element's borough (destination); a membership, for example, runs
    from the member to the network. Connections with an end that has no
    borough are left out (``df.attrs["left_out"]`` counts them).

    Parameters
    ----------
    within : keep rows where origin and destination are the same borough.

    Returns
    -------
    DataFrame with ``origin``, ``origin_name``, ``destination``,
    ``destination_name``, ``ties`` (connections), ``strength`` (summed, 1
    where blank) and ``types`` (connection types seen), most ties first.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"],
    ...     "Borough": ["Hackney", "Camden", "Camden"]}),
    ...     pd.DataFrame({"From": ["a", "a", "b"], "To": ["b", "c", "c"], "Type": ["Funding"] * 3}))
    >>> borough_flows(m)[["origin_name", "destination_name", "ties"]]
      origin_name destination_name  ties
    0     Hackney           Camden     2
    1      Camden           Camden     1
    """
    table = _geo().boroughs()
    code = locate(m)["borough_code"]
    c = m.connections
    flows = pd.DataFrame(
        {
            "origin": code.reindex(c["From"]).to_numpy(),
            "destination": code.reindex(c["To"]).to_numpy(),
            "strength": pd.to_numeric(c["Strength"], errors="coerce").fillna(1.0).to_numpy()
            if "Strength" in c.columns
            else np.ones(len(c)),
            "type": c["Type"].to_numpy() if "Type" in c.columns else np.full(len(c), np.nan, dtype=object),
        }
    )
    flows = flows[c["From"].to_numpy() != c["To"].to_numpy()]
    known = flows["origin"].notna() & flows["destination"].notna()
    left_out = int((~known).sum())
    flows = flows[known]
    if not within:
        flows = flows[flows["origin"] != flows["destination"]]
    columns = ["origin", "origin_name", "destination", "destination_name", "ties", "strength", "types"]
    if flows.empty:
        out = pd.DataFrame(columns=columns)
    else:
        out = (
            flows.groupby(["origin", "destination"])
            .agg(
                ties=("strength", "size"),
                strength=("strength", "sum"),
                types=("type", lambda s: ", ".join(sorted({str(t) for t in s if isinstance(t, str)}))),
            )
            .reset_index()
        )
        out["origin_name"] = table["name"].reindex(out["origin"]).to_numpy()
        out["destination_name"] = table["name"].reindex(out["destination"]).to_numpy()
        out = out.sort_values(["ties", "origin", "destination"], ascending=[False, True, True])
        out = out[columns].reset_index(drop=True)
    out.attrs["left_out"] = left_out
    return out


# ------------------------------------------------------------------ sharing
def _local_xy(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat0 = np.radians(np.nanmean(lat)) if len(lat) else 0.0
    return lon * _KM_PER_DEG_LAT * np.cos(lat0), lat * _KM_PER_DEG_LAT


def near_pairs(lat: np.ndarray, lon: np.ndarray, within_km: float) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of points (i < j) at most ``within_km`` apart, found with a square grid.

    Points are binned into cells ``within_km`` wide, so only points in the same
    or neighbouring cells are compared (never all pairs). Points with a
    missing coordinate are skipped.

    Examples
    --------
    >>> import numpy as np
    >>> i, j = near_pairs(np.array([51.50, 51.501, 51.60]), np.array([-0.1, -0.1, -0.1]), 1.0)
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 1)]
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    ok = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon)))
    if len(ok) < 2 or within_km <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    x, y = _local_xy(lat[ok], lon[ok])
    cx = np.floor((x - x.min()) / within_km).astype(np.int64)
    cy = np.floor((y - y.min()) / within_km).astype(np.int64)
    order = np.lexsort((cy, cx))
    keys = cx[order] * (cy.max() + 3) + cy[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    cells = {(int(cx[order[s]]), int(cy[order[s]])): order[s:e] for s, e in zip(starts, ends)}
    parts_i, parts_j = [], []
    for (gx, gy), members in cells.items():
        if len(members) > 1:
            a, b = np.triu_indices(len(members), k=1)
            parts_i.append(members[a])
            parts_j.append(members[b])
        for dx, dy in ((1, -1), (1, 0), (1, 1), (0, 1)):
            other = cells.get((gx + dx, gy + dy))
            if other is not None:
                parts_i.append(np.repeat(members, len(other)))
                parts_j.append(np.tile(other, len(members)))
    if not parts_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    i = np.concatenate(parts_i)
    j = np.concatenate(parts_j)
    d = np.asarray(_geo().haversine_km(lat[ok][i], lon[ok][i], lat[ok][j], lon[ok][j]), dtype=float)
    keep = d <= within_km
    gi, gj = ok[i[keep]], ok[j[keep]]
    lo, hi = np.minimum(gi, gj), np.maximum(gi, gj)
    order = np.lexsort((hi, lo))
    return lo[order], hi[order]


def _borough_pairs(codes: np.ndarray, active: np.ndarray, adjacent: bool) -> tuple[np.ndarray, np.ndarray]:
    groups: dict[str, np.ndarray] = {}
    valid = np.flatnonzero(active & np.array([isinstance(c, str) for c in codes], dtype=bool))
    for c in sorted({codes[i] for i in valid}):
        groups[c] = valid[codes[valid] == c]
    blocks = [(c, c) for c in groups]
    if adjacent:
        adj = _geo().adjacent_boroughs()
        blocks += [
            (a, b) for a, b in zip(adj["code_a"], adj["code_b"]) if a < b and a in groups and b in groups
        ]
    parts_i, parts_j = [], []
    for a, b in blocks:
        ga, gb = groups[a], groups[b]
        if a == b:
            if len(ga) > 1:
                x, y = np.triu_indices(len(ga), k=1)
                parts_i.append(ga[x])
                parts_j.append(ga[y])
        else:
            parts_i.append(np.repeat(ga, len(gb)))
            parts_j.append(np.tile(gb, len(ga)))
    if not parts_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    i, j = np.concatenate(parts_i), np.concatenate(parts_j)
    return np.minimum(i, j), np.maximum(i, j)


def _bits(lists: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    dense = np.zeros((len(lists), max(len(vocab), 1)), dtype=bool)
    for row, items in enumerate(lists):
        for item in items:
            dense[row, vocab[item]] = True
    return np.packbits(dense, axis=1)


def _any_common(a: np.ndarray, b: np.ndarray, i: np.ndarray, j: np.ndarray, chunk: int = 500_000) -> np.ndarray:
    out = np.zeros(len(i), dtype=bool)
    for s in range(0, len(i), chunk):
        out[s : s + chunk] = (a[i[s : s + chunk]] & b[j[s : s + chunk]]).any(axis=1)
    return out


def _count_common(a: np.ndarray, b: np.ndarray, i: np.ndarray, j: np.ndarray, chunk: int = 500_000) -> np.ndarray:
    out = np.zeros(len(i), dtype=np.int64)
    for s in range(0, len(i), chunk):
        both = a[i[s : s + chunk]] & b[j[s : s + chunk]]
        out[s : s + chunk] = np.unpackbits(both, axis=1).sum(axis=1)
    return out


def _hidden_ids(m: NetworkMap) -> set[str]:
    hidden = is_private_element(m)
    return set(hidden.index[hidden.to_numpy()])


def local_sharing(
    m: NetworkMap,
    *,
    within_km: float | None = 2.0,
    area: str = "distance",
    synonyms: Mapping[str, str] | None = None,
    focus: str | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Find nearby pairs with no tie that could share: where sharing could happen but doesn't yet.

    A pair qualifies when the two have no connection and one of them needs
    something the other offers or holds as an asset (in either direction),
    and they are close:

    * ``area="distance"`` (default): at most ``within_km`` apart (elements
      with no location are skipped; borough-level places count, marked
      ``approximate``);
    * ``area="borough"``: in the same borough;
    * ``area="adjacent"``: in the same or a neighbouring borough.

    Candidates come from a spatial grid (or borough blocks), never from all
    pairs, so maps of 10,000 elements stay quick. Elements hidden by the
    privacy rules are never suggested.

    Parameters
    ----------
    within_km : greatest distance for ``area="distance"``.
    area : ``"distance"``, ``"borough"`` or ``"adjacent"``.
    synonyms : extra wordings to merge (see :func:`cop_toolkit.resources.normalise_item`).
    focus : keep only pairs involving this element (ID or label).
    top : keep the best ``top`` pairs (most items first, then nearest).

    Returns
    -------
    DataFrame with ``ID_a``, ``Label_a``, ``ID_b``, ``Label_b``, ``items``
    (number of things one could give the other), ``a_gives``, ``b_gives``
    (the items, ``|``-separated), ``distance_km``, ``borough_a``,
    ``borough_b``, ``approximate`` and ``reason``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Food Bank", "Youth Club", "Far Away"],
    ...     "Latitude": [51.520, 51.525, 51.40], "Longitude": [-0.07, -0.06, -0.30],
    ...     "Needs": ["meeting rooms", None, "meeting space"], "Assets": [None, "community hall", None]}))
    >>> s = local_sharing(m, within_km=2)
    >>> s[["Label_a", "Label_b", "b_gives"]]
         Label_a     Label_b        b_gives
    0  Food Bank  Youth Club  meeting space
    >>> s.loc[0, "reason"]
    'Youth Club has meeting space, which Food Bank needs; 0.9 km apart, with no tie yet.'
    """
    from .resources import resource_items

    if area not in ("distance", "borough", "adjacent"):
        raise MapError(
            f"'{area}' is not a kind of area for local sharing",
            fix='use area="distance", area="borough" or area="adjacent"',
        )
    if area == "distance" and (within_km is None or not float(within_km) > 0):
        raise MapError("within_km must be a distance above 0 km", fix="give a distance such as within_km=2")
    focus_id = m.resolve(focus) if focus is not None else None

    places = locate(m)
    items = resource_items(m, synonyms).reindex(places.index)
    hidden = _hidden_ids(m)
    ids = places.index.to_numpy()
    n = len(ids)
    needs = list(items["needs"])
    offers = list(items["offers"])
    assets = list(items["assets"])
    gives = [sorted(set(o) | set(a)) for o, a in zip(offers, assets)]
    visible = ~np.isin(ids, list(hidden)) if hidden else np.ones(n, dtype=bool)
    active = visible & np.array([bool(x) or bool(y) for x, y in zip(needs, gives)], dtype=bool)

    columns = [
        "ID_a", "Label_a", "ID_b", "Label_b", "items", "a_gives", "b_gives",
        "distance_km", "borough_a", "borough_b", "approximate", "reason",
    ]
    lat = places["latitude"].to_numpy(dtype=float).copy()
    lon = places["longitude"].to_numpy(dtype=float).copy()
    if area == "distance":
        lat[~active] = np.nan
        i, j = near_pairs(lat, lon, float(within_km))
    else:
        i, j = _borough_pairs(places["borough_code"].to_numpy(dtype=object), active, adjacent=area == "adjacent")
    if focus_id is not None:
        f = int(np.flatnonzero(ids == focus_id)[0])
        keep = (i == f) | (j == f)
        i, j = i[keep], j[keep]
    vocab = {item: k for k, item in enumerate(sorted({x for lst in needs + gives for x in lst}))}
    need_bits, give_bits = _bits(needs, vocab), _bits(gives, vocab)
    useful = _any_common(need_bits, give_bits, i, j) | _any_common(give_bits, need_bits, i, j)
    i, j = i[useful], j[useful]
    if len(i):
        from .resources import _tied_codes

        n_all = len(ids)
        not_tied = ~np.isin(np.minimum(i, j) * n_all + np.maximum(i, j), _tied_codes(m, ids))
        i, j = i[not_tied], j[not_tied]
    if len(i) == 0:
        return pd.DataFrame(columns=columns)
    lat_all = places["latitude"].to_numpy(dtype=float)
    lon_all = places["longitude"].to_numpy(dtype=float)
    dist = np.asarray(_geo().haversine_km(lat_all[i], lon_all[i], lat_all[j], lon_all[j]), dtype=float).round(2)
    counts = _count_common(give_bits, need_bits, i, j) + _count_common(give_bits, need_bits, j, i)
    # best first (most items, then nearest); reasons are written only for the rows kept
    order = np.lexsort((j, i, dist, -counts))
    if top is not None:
        order = order[: int(top)]
    i, j, dist = i[order], j[order], dist[order]

    a_gives = [sorted(set(gives[x]) & set(needs[y])) for x, y in zip(i, j)]
    b_gives = [sorted(set(gives[y]) & set(needs[x])) for x, y in zip(i, j)]
    approx = places["approximate"].to_numpy(dtype=bool)
    labels = places["Label"].astype(str).to_numpy()
    bname = places["borough_name"].to_numpy(dtype=object)
    offer_sets = [set(o) for o in offers]

    def says(giver: int, taker: int, things: list[str]) -> str:
        offered = [t for t in things if t in offer_sets[giver]]
        held = [t for t in things if t not in offer_sets[giver]]
        parts = []
        if offered:
            parts.append(f"offers {word_list(offered)}")
        if held:
            parts.append(f"has {word_list(held)}")
        return f"{labels[giver]} " + " and ".join(parts) + f", which {labels[taker]} needs"

    reasons = []
    for x, y, ag, bg, d in zip(i, j, a_gives, b_gives, dist):
        parts = []
        if ag:
            parts.append(says(x, y, ag))
        if bg:
            parts.append(says(y, x, bg))
        rough = approx[x] or approx[y]
        if area == "distance" or not rough:
            where = ("about " if rough else "") + f"{d:.1f} km apart"
        elif bname[x] == bname[y]:
            where = f"both in {bname[x]}"
        else:
            where = f"in neighbouring {bname[x]} and {bname[y]}"
        reasons.append("; ".join(parts) + f"; {where}, with no tie yet.")

    out = pd.DataFrame(
        {
            "ID_a": ids[i],
            "Label_a": labels[i],
            "ID_b": ids[j],
            "Label_b": labels[j],
            "items": [len(a) + len(b) for a, b in zip(a_gives, b_gives)],
            "a_gives": ["|".join(a) for a in a_gives],
            "b_gives": ["|".join(b) for b in b_gives],
            "distance_km": dist,
            "borough_a": bname[i],
            "borough_b": bname[j],
            "approximate": approx[i] | approx[j],
            "reason": reasons,
        }
    )
    return out[columns].reset_index(drop=True)


