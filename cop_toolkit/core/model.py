"""The network map: an element table and a connection table, in Kumu's conventions.

A :class:`NetworkMap` is what every other part of ``cop_toolkit`` works on:

* ``m.elements`` — one row per element (organisation, network, person), with
  the columns ``ID``, ``Label``, ``Type``, ``Description``, ``Tags`` and any
  custom fields (``Borough``, ``Needs``, ...);
* ``m.connections`` — one row per connection, with ``ID``, ``From``, ``To``
  (element IDs), ``Type``, ``Direction`` and ``Strength`` and custom fields;
* ``m.metadata`` — the map's name, date and other facts (``private_fields``
  lists the columns that must never be published);
* ``m.warnings`` — soft data-quality problems found when the map was read.

Cells hold text; several values in one cell are separated by ``|`` (read
them as lists with :meth:`NetworkMap.multi`). Missing values are ``NaN``.
``Strength``, ``Latitude`` and ``Longitude`` are numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning, UnknownElementError
from cop_toolkit.core.privacy import public_map
from cop_toolkit.core.schema import CONNECTION_COLUMNS, ELEMENT_COLUMNS, NUMERIC_COLUMNS
from cop_toolkit.core.text import (
    SUGGEST_CUTOFF,
    close_matches,
    is_missing,
    normalise_name,
    split_values,
)
from cop_toolkit.core.ties import merge_parallel_ties

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["NetworkMap"]

def _order_columns(df: pd.DataFrame, standard: list[str]) -> pd.DataFrame:
    first = [c for c in standard if c in df.columns]
    rest = [c for c in df.columns if c not in first]
    return df[first + rest]


def blank_text(texts: np.ndarray) -> np.ndarray:
    """Which of an array of ``str`` are empty or only spaces (what ``str.strip`` would empty).

    Examples
    --------
    >>> blank_text(np.array(["a", "", " \\n", " b "], dtype=object)).tolist()
    [False, True, True, False]
    """
    return np.fromiter((not v or v.isspace() for v in texts), dtype=bool, count=len(texts))


def _clean_text(column: pd.Series) -> pd.Series:
    """Text cells as ``str`` (object dtype); blanks and missing values as NaN. Vectorised."""
    values = column.to_numpy(dtype=object, copy=True)
    missing = pd.isna(values)
    present = ~missing
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        values[present] = values[present].astype(str)
    blank = missing.copy()
    blank[present] = blank_text(values[present])
    values[blank] = float("nan")
    return pd.Series(values, index=column.index, dtype=object, name=column.name)


def _clean_table(df: pd.DataFrame, standard: list[str]) -> pd.DataFrame:
    df = df.copy()
    df.columns = [str(c).strip() for c in df.columns]
    for col in df.columns:
        if col in NUMERIC_COLUMNS:
            df[col] = pd.to_numeric(df[col], errors="coerce")
        else:
            df[col] = _clean_text(df[col])
    return _order_columns(df, standard).reset_index(drop=True)


class NetworkMap:
    """A network map: elements, connections, metadata and warnings.

    Parameters
    ----------
    elements : DataFrame with at least ``Label`` (``ID`` is made from the
        label when missing).
    connections : DataFrame with ``From`` and ``To`` holding element IDs.
    metadata : map facts such as ``name``, ``date``, ``private_fields``.
    warnings : soft problems found when reading.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(
    ...     pd.DataFrame({"ID": ["a", "b"], "Label": ["Food Bank", "Youth Club"]}),
    ...     pd.DataFrame({"From": ["a"], "To": ["b"], "Type": ["Referral"]}),
    ...     metadata={"name": "Tiny"},
    ... )
    >>> m
    <NetworkMap 'Tiny': 2 elements, 1 connection>
    >>> m.to_networkx().number_of_edges()
    1
    """

    def __init__(
        self,
        elements: pd.DataFrame,
        connections: pd.DataFrame | None = None,
        metadata: dict[str, Any] | None = None,
        warnings: list[MapWarning] | None = None,
    ) -> None:
        elements = _clean_table(pd.DataFrame(elements), ELEMENT_COLUMNS)
        if "Label" not in elements.columns:
            raise MapError(
                "the elements table has no 'Label' column",
                fix="add a column called 'Label' with each element's name",
            )
        if "ID" not in elements.columns:
            elements.insert(0, "ID", elements["Label"])
        if connections is None:
            connections = pd.DataFrame(columns=["ID", "From", "To"])
        connections = _clean_table(pd.DataFrame(connections), CONNECTION_COLUMNS)
        for col in ("From", "To"):
            if col not in connections.columns:
                raise MapError(
                    f"the connections table has no '{col}' column",
                    fix="add 'From' and 'To' columns naming the two ends of each connection",
                )
        if "ID" not in connections.columns:
            connections.insert(0, "ID", [f"c{i + 1}" for i in range(len(connections))])
        self._hold(elements, connections, metadata, warnings)

    def _hold(
        self,
        elements: pd.DataFrame,
        connections: pd.DataFrame,
        metadata: dict[str, Any] | None,
        warnings: list[MapWarning] | None,
    ) -> None:
        """Keep tables that are clean already (``__init__`` cleans them; sub-maps are cut from clean ones)."""
        self.elements: pd.DataFrame = elements
        self.connections: pd.DataFrame = connections
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.warnings: list[MapWarning] = list(warnings or [])

    # ------------------------------------------------------------------ basics
    @property
    def name(self) -> str:
        """The map's name (``metadata['name']``), or ``'Network map'``."""
        return str(self.metadata.get("name") or "Network map")

    @property
    def private_fields(self) -> list[str]:
        """Columns that must never be published (``metadata['private_fields']``)."""
        value = self.metadata.get("private_fields") or []
        if isinstance(value, str):
            value = split_values(value)
        return list(value)

    def __repr__(self) -> str:
        n, c = len(self.elements), len(self.connections)
        return (
            f"<NetworkMap '{self.name}': {n} element{'s' * (n != 1)}, "
            f"{c} connection{'s' * (c != 1)}>"
        )

    def __len__(self) -> int:
        return len(self.elements)

    def copy(self) -> NetworkMap:
        """Return an independent copy of the map."""
        return NetworkMap(
            self.elements.copy(), self.connections.copy(), dict(self.metadata), list(self.warnings)
        )

    @property
    def labels(self) -> pd.Series:
        """Element labels indexed by element ID."""
        return pd.Series(self.elements["Label"].to_numpy(), index=self.elements["ID"], name="Label")

    def element_table(self) -> pd.DataFrame:
        """Return the elements indexed by ID (an ID entered twice keeps its first row).

        Examples
        --------
        >>> import pandas as pd
        >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["Food Bank", "Youth Club"]}))
        >>> m.element_table().loc["b", "Label"]
        'Youth Club'
        """
        return self.elements.drop_duplicates("ID").set_index("ID")

    def label_of(self, element_id: str) -> str:
        """Return the label of an element given its ID."""
        return str(self.labels.get(element_id, element_id))

    def multi(self, column: str, table: Literal["elements", "connections"] = "elements") -> pd.Series:
        """Return a ``|``-separated column of ``table`` as lists, indexed by ID.

        Examples
        --------
        >>> import pandas as pd
        >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"], "Tags": ["food|youth"]}))
        >>> m.multi("Tags").loc["a"]
        ['food', 'youth']
        >>> m.multi("Tags", table="element")
        Traceback (most recent call last):
        ...
        cop_toolkit.core.errors.MapError: unknown table 'element'. How to fix: use table='elements' or table='connections'.
        """
        if table not in ("elements", "connections"):
            raise MapError(f"unknown table '{table}'", fix="use table='elements' or table='connections'")
        df = self.elements if table == "elements" else self.connections
        if column not in df.columns:
            return pd.Series([[] for _ in range(len(df))], index=df["ID"], name=column, dtype=object)
        return pd.Series([split_values(v) for v in df[column]], index=df["ID"], name=column, dtype=object)

    # ------------------------------------------------------------ finding things
    def resolve(self, name: str) -> str:
        """Return the ID of the element called ``name`` (an ID or a label).

        Matching is tolerant of case, spacing and punctuation. An unknown name
        raises :class:`~cop_toolkit.core.errors.UnknownElementError` with close matches.

        Examples
        --------
        >>> import pandas as pd
        >>> m = NetworkMap(pd.DataFrame({"ID": ["e1"], "Label": ["Eastside Food Network"]}))
        >>> m.resolve("eastside food network")
        'e1'
        """
        key = str(name)
        ids = self.elements["ID"].astype(str)
        if key in set(ids):
            return key
        labels = self.elements["Label"].astype(str)
        exact = self.elements.loc[labels == key, "ID"]
        if len(exact):
            return str(exact.iloc[0])
        folded = normalise_name(key)
        for column in (labels, ids):
            hits = self.elements.loc[column.map(normalise_name) == folded, "ID"] if folded else []
            if len(hits):
                return str(hits.iloc[0])
        raise UnknownElementError(key, close_matches(key, list(labels), cutoff=SUGGEST_CUTOFF, limit=3))

    def resolve_many(self, names: Iterable[str] | str | None) -> list[str]:
        """Resolve several names (or one) to element IDs, keeping their order."""
        if names is None:
            return []
        if isinstance(names, str):
            names = [names]
        return [self.resolve(n) for n in names]

    # ------------------------------------------------------------ sub-maps
    def subset(self, element_ids: Iterable[str]) -> NetworkMap:
        """Return the map restricted to some elements and the connections among them."""
        keep = set(map(str, element_ids))
        elements = self.elements[self.elements["ID"].isin(keep)].reset_index(drop=True)
        conns = self.connections[self.connections["From"].isin(keep) & self.connections["To"].isin(keep)]
        part = object.__new__(NetworkMap)  # the tables are clean already: no need to clean every cell again
        part._hold(elements, conns.reset_index(drop=True), self.metadata, [w for w in self.warnings if w.element in keep])
        return part

    def without(self, element_ids: Iterable[str]) -> NetworkMap:
        """Return the map with some elements (and their connections) removed."""
        drop = set(map(str, element_ids))
        return self.subset(i for i in self.elements["ID"] if i not in drop)

    # ------------------------------------------------------------ conversions
    def to_networkx(self, directed: bool = False) -> nx.Graph:
        """Return the map as a networkx graph keyed by element ID.

        Nodes carry every non-missing element field. Parallel connections
        between the same two elements are merged into one edge whose
        ``weight`` is the sum of their strengths (1 where blank), with
        ``distance = 1 / weight`` for path-based measures, ``Type`` listing
        their types (``|``-separated) and ``n_connections`` counting them
        (:func:`cop_toolkit.core.ties.merge_parallel_ties`). Self-links are
        left out (they are reported as warnings).

        With ``directed=True`` a :class:`networkx.DiGraph` is returned in
        which undirected and mutual connections become arcs both ways.

        Examples
        --------
        >>> import pandas as pd
        >>> m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}),
        ...                pd.DataFrame({"From": ["a", "b"], "To": ["b", "a"], "Strength": [2, 3]}))
        >>> m.to_networkx()["a"]["b"]["weight"]
        5.0
        >>> m.to_networkx(directed=True).number_of_edges()
        2
        """
        import networkx as nx

        G: nx.Graph = nx.DiGraph() if directed else nx.Graph()
        G.graph.update({k: v for k, v in self.metadata.items() if isinstance(v, (str, int, float))})
        cols = [c for c in self.elements.columns if c != "ID"]
        for row in self.elements.itertuples(index=False, name=None):
            attrs = {c: v for c, v in zip(cols, row[1:]) if not is_missing(v)}
            G.add_node(row[0], **attrs)
        ids = self.elements["ID"].astype(str).drop_duplicates().to_numpy(dtype=object)
        ties = merge_parallel_ties(self.connections, directed=directed, ids=ids)
        ties = ties.sort_values("first", kind="stable")  # edges in the order of the connection table
        for a, b, w, k, t, d in zip(
            ties["From"], ties["To"], ties["weight"].tolist(), ties["n_connections"].tolist(),
            ties["Type"], ties["distance"].tolist(),
        ):
            data: dict[str, Any] = {"weight": w, "n_connections": k}
            if not is_missing(t):
                data["Type"] = t
            data["distance"] = d
            G.add_edge(a, b, **data)
        return G

    def warnings_table(self) -> pd.DataFrame:
        """Return the map's warnings as a table (one row per warning)."""
        cols = ["kind", "message", "element", "file", "sheet", "row", "column"]
        return pd.DataFrame([w.as_dict() for w in self.warnings], columns=cols)

    def public(self) -> NetworkMap:
        """Return the publishable part of the map (see :func:`cop_toolkit.core.privacy.public_map`)."""
        return public_map(self)
