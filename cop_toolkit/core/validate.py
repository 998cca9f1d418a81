"""Checking a map: hard problems that stop it, soft problems worth a look.

:func:`check_map` lists the softer problems as :class:`MapWarning` objects
(``read_map`` puts them on ``m.warnings``; see them with
``m.warnings_table()``). It works just as well on a map built in code:

* ``isolated`` -- an element with no connection to any other element;
* ``self_link`` -- a connection from an element to itself;
* ``same_label`` -- the same label (ignoring case, spaces and punctuation)
  under two or more IDs, which is often one organisation entered twice;
* ``missing_borough`` -- a person or local organisation with a blank
  ``Borough``, only when the map has a ``Borough`` column at all (types
  ``Person``, ``Organisation``, ``Community group``, ``Social enterprise``,
  ``CVS``, ``Borough network``, or any element whose Level is grassroots or
  borough);
* ``unknown_level`` -- a ``Level`` other than grassroots, borough, pan-London;
* ``bad_date`` -- a ``Last Verified`` that cannot be read as a date
  (write ``YYYY-MM-DD``);
* ``not_a_number`` -- a ``Strength`` (or other number column) holding text;
  found while reading a file, because the map keeps numbers only.

:func:`assert_valid` makes the hard checks on a map built in code (IDs unique,
labels filled in, every connection between existing elements, known
directions) and raises one :class:`MapError`; ``write_map`` calls it so it
never writes a file it could not read back.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.schema import DIRECTIONS, LEVELS
from cop_toolkit.core.text import normalise_name

__all__ = ["check_map", "assert_valid", "BOROUGH_TYPES"]

#: Element types expected to have a ``Borough`` (compared ignoring case).
BOROUGH_TYPES = (
    "Person",
    "Organisation",
    "Organization",
    "Community group",
    "Social enterprise",
    "CVS",
    "Borough network",
)


def _text(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip()


def _where(locations: Any, table: str, key: Any) -> dict[str, Any]:
    """File/sheet/row of an element or connection, when the reader knew them."""
    if locations is None:
        return {}
    df = getattr(locations, table, None)
    if df is None or key not in df.index:
        return {}
    row = df.loc[key]
    if isinstance(row, pd.DataFrame):
        row = row.iloc[0]
    out = {"file": row.get("file"), "sheet": row.get("sheet"), "row": row.get("row")}
    out["row"] = None if out["row"] is None or pd.isna(out["row"]) else int(out["row"])
    if out["file"] is not None and pd.isna(out["file"]):
        out["file"] = None
    if out["sheet"] is not None and pd.isna(out["sheet"]):
        out["sheet"] = None
    return out


def check_map(
    m: NetworkMap,
    *,
    file: str | None = None,
    locations: Any = None,
    levels: tuple[str, ...] = LEVELS,
    borough_types: tuple[str, ...] = BOROUGH_TYPES,
    limit: int = 500,
) -> list[MapWarning]:
    """List the soft data-quality problems of a map.

    Parameters
    ----------
    m : the map.
    file : file name to put on the warnings (when ``locations`` does not say).
    locations : where each element/connection came from (given by ``read_map``).
    levels : the allowed ``Level`` values.
    borough_types : element types expected to have a ``Borough``.
    limit : at most this many warnings of each kind (a huge messy map stays quick).

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Food Bank", "Youth Club", "food bank"],
    ...                              "Level": ["grassroots", "borough", "street"]}),
    ...                pd.DataFrame({"From": ["a", "b"], "To": ["b", "b"]}))
    >>> sorted(w.kind for w in check_map(m))
    ['isolated', 'same_label', 'self_link', 'unknown_level']
    """
    out: list[MapWarning] = []
    e, c = m.elements, m.connections
    labels = dict(zip(e["ID"], e["Label"]))

    def warn(kind: str, message: str, *, element: Any = None, table: str = "elements", key: Any = None,
             column: str | None = None, **extra: Any) -> None:
        where = _where(locations, table, key if key is not None else element)
        out.append(MapWarning(kind, message, element=None if element is None else str(element),
                              file=where.get("file") or file, sheet=where.get("sheet"), row=where.get("row"),
                              column=column, extra=extra))

    def name(i: Any) -> str:
        return f"'{labels.get(i, i)}'"

    # self-links and isolated elements
    self_mask = (c["From"] == c["To"]).to_numpy()
    for cid, f in list(zip(c.loc[self_mask, "ID"], c.loc[self_mask, "From"]))[:limit]:
        warn("self_link", f"the connection {cid} goes from {name(f)} to itself", element=f,
             table="connections", key=cid, column="To")
    linked = set(c.loc[~self_mask, "From"]) | set(c.loc[~self_mask, "To"])
    isolated = [i for i in e["ID"] if i not in linked]
    for i in isolated[:limit]:
        warn("isolated", f"{name(i)} has no connections to anyone else on the map", element=i)

    # one label under several IDs
    folded = e["Label"].map(normalise_name)
    folded = folded[folded.ne("")]
    shared = folded[folded.duplicated(keep=False)]  # only labels two or more IDs share make a group worth listing
    groups = e.loc[shared.index].groupby(shared)["ID"].agg(list)
    for ids in [g for g in groups if len(g) > 1][:limit]:
        shown = ", ".join(f"'{i}'" for i in ids)
        warn("same_label", f"{name(ids[0])} appears under {len(ids)} IDs ({shown}); is it the same element twice?",
             element=ids[1], column="Label", ids=list(ids))

    # borough missing (only when the map records boroughs at all)
    if "Borough" in e.columns:
        want = pd.Series(False, index=e.index)
        if "Type" in e.columns:
            want |= _text(e["Type"]).str.lower().isin({t.lower() for t in borough_types})
        if "Level" in e.columns:
            want |= _text(e["Level"]).map(normalise_name).isin({"grassroots", "borough"})
        missing = want & _text(e["Borough"]).eq("")
        for i in e.loc[missing, "ID"].head(limit):
            warn("missing_borough", f"{name(i)} has no borough", element=i, column="Borough")

    if "Level" in e.columns:
        allowed = {normalise_name(v) for v in levels}
        lv = _text(e["Level"])
        bad = lv.ne("") & ~lv.map(normalise_name).isin(allowed)
        for i, v in list(zip(e.loc[bad, "ID"], lv[bad]))[:limit]:
            warn("unknown_level", f"{name(i)} has the level '{v}', which is not one of "
                 + ", ".join(levels), element=i, column="Level", value=v)

    if "Last Verified" in e.columns:
        lv = _text(e["Last Verified"])
        parsed = pd.to_datetime(lv.where(lv.ne("")), errors="coerce", format="ISO8601")
        bad = lv.ne("") & parsed.isna()
        for i, v in list(zip(e.loc[bad, "ID"], lv[bad]))[:limit]:
            warn("bad_date", f"{name(i)} has a Last Verified date '{v}' that cannot be read "
                 "(write dates as YYYY-MM-DD)", element=i, column="Last Verified", value=v)
    return out


def assert_valid(m: NetworkMap, *, file: str | None = None) -> None:
    """Raise :class:`MapError` if the map breaks a hard rule.

    The rules: every element has a label and its own ID; every connection
    joins two elements of the map; every ``Direction`` is directed,
    undirected, mutual or blank; connection IDs are unique.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"]}), pd.DataFrame({"From": ["a"], "To": ["z"]}))
    >>> assert_valid(m)
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: column 'To': the connection c1 goes to 'z', which is not an element of the map. How to fix: add 'z' to the elements or remove the connection.
    """
    e, c = m.elements, m.connections
    blank = e["Label"].isna()
    if blank.any():
        raise MapError(f"the element '{e.loc[blank, 'ID'].iloc[0]}' has no label",
                       fix="give every element a label", file=file, column="Label")
    dup = e["ID"].duplicated()
    if dup.any() or e["ID"].isna().any():
        what = "a blank ID" if e["ID"].isna().any() else f"the ID '{e.loc[dup, 'ID'].iloc[0]}' twice"
        raise MapError(f"the elements table has {what}", fix="give each element its own ID",
                       file=file, column="ID")
    ids = set(e["ID"])
    for col in ("From", "To"):
        bad = ~c[col].isin(ids)
        if bad.any():
            row = c[bad].iloc[0]
            raise MapError(f"the connection {row['ID']} goes to '{row[col]}', which is not an element of the map",
                           fix=f"add '{row[col]}' to the elements or remove the connection", file=file, column=col)
    cdup = c["ID"].duplicated()
    if cdup.any() or c["ID"].isna().any():
        raise MapError("two connections share an ID (or one has none)",
                       fix="give each connection its own ID", file=file, column="ID")
    if "Direction" in c.columns:
        d = c["Direction"].dropna().astype(str)
        bad = ~d.str.strip().str.lower().isin(DIRECTIONS)
        if bad.any():
            raise MapError(f"the direction '{d[bad].iloc[0]}' is not allowed",
                           fix="use 'directed', 'undirected' or 'mutual'", file=file, column="Direction")
