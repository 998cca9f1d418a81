"""The sample data that comes with cop_toolkit.

Every lesson and report can run on bundled, illustrative maps without any
download. Each dataset is a folder (installed inside the package as
``cop_toolkit.datasets_files``) holding ``elements.csv``, ``connections.csv``,
``map.json`` and a data card, ``README.md``:

* ``owa-2017`` - London civil-society networks in July 2017, with LVSC as the
  pan-London hub (illustrative);
* ``owa-2018`` - the same map a year later, after LVSC closed;
* ``unlocking-networks`` - community-business peer networks and their support
  providers;
* ``coursework-2019`` - the coursework map (when installed);
* ``owa-survey-2017`` - the raw survey export behind owa-2017 (a table, read
  it with :func:`load_survey`);
* ``london-boroughs`` - borough geography (read it with
  :mod:`cop_toolkit.geo.boroughs`).

Examples
--------
>>> from cop_toolkit import datasets
>>> "owa-2017" in datasets.names()
True
>>> m = datasets.owa_2017()
>>> m.label_of("lvsc")
'LVSC'
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.text import SUGGEST_CUTOFF, close_matches

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cop_toolkit.core.model import NetworkMap

# pandas and the map model are imported where a dataset is read, so listing the
# datasets (as cop-report does before starting the report) stays instant.

__all__ = [
    "names",
    "path",
    "card",
    "load",
    "load_survey",
    "locate",
    "open_map",
    "owa_2017",
    "owa_2018",
    "unlocking_networks",
    "coursework_2019",
]

_PACKAGE = "cop_toolkit.datasets_files"


def _root() -> Path:
    return Path(str(files(_PACKAGE)))


def names() -> list[str]:
    """Return the names of the bundled datasets, sorted.

    A dataset is a folder with a data card (``README.md``).

    Examples
    --------
    >>> [n for n in names() if n.startswith("owa")]
    ['owa-2017', 'owa-2018', 'owa-survey-2017']
    """
    root = _root()
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and (p / "README.md").is_file() and not p.name.startswith((".", "_"))
    )


def _unknown(name: str) -> MapError:
    known = names()
    close = close_matches(name, known, cutoff=SUGGEST_CUTOFF, limit=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return MapError(
        f"there is no sample dataset called '{name}'",
        fix=f"{hint}use one of: {', '.join(known)}",
    )


def path(name: str) -> Path:
    """Return the folder holding a bundled dataset's files.

    Raises :class:`~cop_toolkit.core.errors.MapError` (listing the names) for an
    unknown dataset.

    Examples
    --------
    >>> sorted(p.name for p in path("owa-2017").iterdir())
    ['README.md', 'connections.csv', 'elements.csv', 'map.json']
    """
    folder = _root() / str(name)
    if not str(name) or not folder.is_dir() or not (folder / "README.md").is_file():
        raise _unknown(name)
    return folder


def card(name: str) -> str:
    """Return a dataset's data card (Markdown): where it comes from, its fields and counts.

    Examples
    --------
    >>> card("owa-2017").splitlines()[0]
    '# owa-2017: London civil-society networks, July 2017 (illustrative)'
    """
    return (path(name) / "README.md").read_text(encoding="utf-8")


def load(name: str) -> NetworkMap:
    """Load a bundled network map by name.

    The folder is read with :func:`cop_toolkit.io.read_map`, so the map gets
    its metadata (``m.metadata``) and any data-quality warnings (``m.warnings``).

    Examples
    --------
    >>> m = load("owa-2017")
    >>> m.metadata["date"]
    '2017-07-31'
    >>> load("owa-2071")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: there is no sample dataset called 'owa-2071'. How to fix: ...
    """
    folder = path(name)
    if not (folder / "elements.csv").is_file():
        if (folder / "survey.csv").is_file():
            fix = f"read it with cop.datasets.load_survey('{name}')"
        else:
            fix = "use cop.geography (cop_toolkit.geo.boroughs) for the borough boundaries and codes"
        raise MapError(f"the sample dataset '{name}' is not a network map", fix=fix)
    from cop_toolkit.io import read_map

    return read_map(folder)


def locate(source: str | Path) -> str:
    """Check that a map exists and return how to find it again: a full path or a sample name.

    Examples
    --------
    >>> locate("owa-2017")
    'owa-2017'
    >>> locate("no-such-map.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: cannot find the map 'no-such-map.xlsx'. How to fix: give the path of a map file ... or a sample map name: coursework-2019, ...
    """
    text = str(source)
    found = Path(text).expanduser()
    if found.exists():
        return str(found.resolve())
    if text in names():
        return text
    raise MapError(
        f"cannot find the map '{text}'",
        fix="give the path of a map file (.xlsx, .csv, .json, .graphml, .gexf) or a sample map name: "
        + ", ".join(names()),
    )


def open_map(name_or_path: str | Path, public: bool = False) -> NetworkMap:
    """Read a map named by a file or folder path or a sample name; ``public=True`` keeps its public part.

    This is how a lesson or report reads the map it was given (its ``map_path``
    parameter); ``public`` applies :func:`cop_toolkit.public_map`, the same
    rules as ``cop-report --public``.

    Examples
    --------
    >>> len(open_map("owa-2017")) > len(open_map("owa-2017", public=True))
    True
    """
    from cop_toolkit.core.privacy import public_map  # deferred: heavy (pandas)
    from cop_toolkit.io import read_map  # deferred: heavy (pandas)

    where = locate(name_or_path)
    m = read_map(where) if Path(where).is_absolute() else load(where)
    return public_map(m) if public else m


def load_survey(name: str = "owa-survey-2017") -> pd.DataFrame:
    """Load a bundled raw survey export as a table (one row per response, all text).

    Examples
    --------
    >>> s = load_survey()
    >>> "Timestamp" in s.columns
    True
    """
    file = path(name) / "survey.csv"
    if not file.is_file():
        raise MapError(
            f"the sample dataset '{name}' is not a survey",
            fix="use load_survey('owa-survey-2017'), or load() for a network map",
        )
    import pandas as pd

    return pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])


def owa_2017() -> NetworkMap:
    """London civil-society networks, July 2017: LVSC as the pan-London hub (illustrative).

    Examples
    --------
    >>> owa_2017().elements.set_index("ID").loc["lvsc", "Type"]
    'Pan-London body'
    """
    return load("owa-2017")


def owa_2018() -> NetworkMap:
    """The same map a year later, after LVSC closed (illustrative).

    Examples
    --------
    >>> "lvsc" in set(owa_2018().elements["ID"])
    False
    """
    return load("owa-2018")


def unlocking_networks() -> NetworkMap:
    """Community-business peer networks and their support providers (illustrative).

    Examples
    --------
    >>> m = unlocking_networks()
    >>> "power-to-change" in set(m.elements["ID"])
    True
    """
    return load("unlocking-networks")


def coursework_2019() -> NetworkMap:
    """The coursework map of 2019 (made for the coursework lessons).

    Examples
    --------
    >>> coursework_2019().metadata["source"].endswith("coursework-2019")
    True
    """
    return load("coursework-2019")
