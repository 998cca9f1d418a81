"""What the GEXF, GraphML and Kumu JSON readers and writers share.

Reading
-------
The XML formats are parsed here with :mod:`xml.etree.ElementTree` (no
networkx), with every namespace taken off the tag names, so that each GEXF
version (``gephi.org/gexf``, ``gexf.net`` 1.1draft, 1.2draft and 1.3, with or
without ``www.``, or none) and yEd's ``y:`` tags read the same way. Any
failure inside the parser becomes one :class:`~cop_toolkit.core.errors.MapError`.

:func:`finish_graph` turns the node and edge rows a reader collected into a
map: endpoints the file does not list become elements (with a warning),
blank labels become the ID, and a field named like ``Direction`` that holds
other values (``"Exp"``) is kept as a custom field, with a warning.

Writing
-------
Both XML writers build the text directly and write it atomically. Custom
columns are typed by what they hold (:func:`column_kind`): a column whose
every value is a whole number written the plain way is ``integer``, one of
plain decimal numbers ``double``, one of ``true``/``false`` ``boolean``;
anything else stays text, so that ``"007"`` keeps its zeros. A small record
of ours (the metadata and the column order) makes the round trip lossless.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from cop_toolkit.core.errors import MapError, MapWarning
from cop_toolkit.core.schema import DIRECTIONS, NUMERIC_COLUMNS
from cop_toolkit.core.text import SEP
from cop_toolkit.io.common import (
    HEADER_ALIASES,
    Table,
    assemble,
    folded_directions,
    jsonable,
    number_text,
    show,
)
from cop_toolkit.io.limits import DEFAULT_LIMITS, ReadLimits, read_file_bytes

__all__ = [
    "cell_texts",
    "column_kind",
    "finish_graph",
    "keep_custom_direction",
    "map_direction",
    "parse_xml",
    "read_record",
    "record_text",
    "split_list",
    "tolerant_bool",
    "xml_attr",
    "xml_text",
]

Kind = Literal["integer", "double", "boolean", "string"]

_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_TRUE = frozenset({"true", "1", "yes", "t", "y"})
_FALSE = frozenset({"false", "0", "no", "f", "n"})
_LIST_ITEM = re.compile(r"""\s*('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|[^,]*?)\s*(?:,|$)""")


def parse_xml(path: Path, kind: str, root_tag: str, limits: ReadLimits = DEFAULT_LIMITS) -> ET.Element:
    """Parse an XML map file and take the namespaces off every tag.

    Raises one :class:`MapError` for a damaged file or one of another kind.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "g.gexf"
    >>> _ = p.write_text('<gexf xmlns="http://www.gexf.net/1.3"><graph/></gexf>')
    >>> parse_xml(p, "GEXF", "gexf").find("graph") is not None
    True
    >>> _ = p.write_text('<graphml><graph/></graphml>')
    >>> parse_xml(p, "GEXF", "gexf")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: g.gexf: this is a GraphML file, not GEXF (its outer tag is <graphml>). How to fix: rename it to end in .graphml and read it again.
    """
    data = read_file_bytes(path, limits)
    if not data.strip():
        raise MapError("the file is empty", fix="check you picked the right file, or export it again", file=path.name)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = getattr(exc, "position", (None, None))[0]
        raise MapError(f"the {kind} file is damaged (the XML breaks off or has a stray character)",
                       fix=f"export the {kind} file again from the program that made it, or open it in a text "
                       "editor and mend the XML at that line",
                       file=path.name, row=line) from None
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag[:1] == "{":
            el.tag = tag.rsplit("}", 1)[1]
    found = root.tag if isinstance(root.tag, str) else "?"
    if found.lower() != root_tag:
        other = {"graphml": ("GraphML", ".graphml"), "gexf": ("GEXF", ".gexf")}.get(found.lower())
        if other:
            raise MapError(f"this is a {other[0]} file, not {kind} (its outer tag is <{found}>)",
                           fix=f"rename it to end in {other[1]} and read it again", file=path.name)
        raise MapError(f"this is not a {kind} file (its outer tag is <{show(found, 20)}>, not <{root_tag}>)",
                       fix=f"check you picked the right file; a {kind} file starts with <{root_tag}",
                       file=path.name)
    return root


def read_guarded(read: Any, file: str, kind: str, resave: str) -> Any:
    """Run a parser's ``read()``; anything but a MapError from inside it becomes one plain MapError.

    ``kind`` names the format ("GEXF"), ``resave`` says how to save the file again in a tool
    that writes it.

    Examples
    --------
    >>> read_guarded(lambda: {}["node"], "g.gexf", "GEXF", "open it in Gephi and export it again")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: g.gexf: the GEXF file holds something this toolkit cannot read (KeyError). How to fix: open it in Gephi and export it again, or save the map as .xlsx.
    """
    try:
        return read()
    except MapError:
        raise
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise MapError(f"the {kind} file holds something this toolkit cannot read ({type(exc).__name__})",
                       fix=f"{resave}, or save the map as .xlsx", file=file) from None


def tolerant_bool(text: str) -> str:
    """``'  True '`` -> ``'true'``; text that is no boolean is kept as it is.

    Examples
    --------
    >>> tolerant_bool("  true   "), tolerant_bool("FALSE"), tolerant_bool("maybe")
    ('true', 'false', 'maybe')
    """
    low = text.strip().lower()
    if low in _TRUE:
        return "true"
    if low in _FALSE:
        return "false"
    return text


def split_list(text: str) -> list[str]:
    """Split a GEXF list value (``[a, 'b', "c"]``, ``a|b|c`` or ``a, b``) into items.

    Examples
    --------
    >>> split_list("[a, 'b', \\"c\\"]"), split_list("a |b | c"), split_list("x")
    (['a', 'b', 'c'], ['a', 'b', 'c'], ['x'])
    """
    s = text.strip()
    if s[:1] == "[" and s[-1:] == "]":
        s = s[1:-1]
        if not s.strip():
            return []
        items = [m.group(1) for m in _LIST_ITEM.finditer(s) if m.group(0)]
    elif SEP in s:
        items = s.split(SEP)
    elif "," in s:
        items = s.split(",")
    else:
        items = [s]
    out = []
    for item in items:
        item = item.strip()
        if len(item) >= 2 and item[0] == item[-1] and item[0] in "'\"":
            item = re.sub(r"\\(.)", r"\1", item[1:-1])
        out.append(item)
    return out


def _is_double(v: str) -> bool:
    try:
        f = float(v)
    except ValueError:
        return False
    return math.isfinite(f) and (number_text(f) == v or repr(f) == v)


def column_kind(values: Iterable[str | None], *, numeric: bool = False) -> Kind:
    """The XML attribute type for a column's text (see the module notes).

    Examples
    --------
    >>> column_kind(["1", "-20"]), column_kind(["1", "2.5"]), column_kind(["007"]), column_kind(["true", "false"])
    ('integer', 'double', 'string', 'boolean')
    """
    present = [v for v in values if v is not None]
    if numeric:
        return "double"
    if not present:
        return "string"
    if all(_INT.fullmatch(v) for v in present):
        return "integer"
    if all(_INT.fullmatch(v) or _is_double(v) for v in present):
        return "double"
    if all(v in ("true", "false") for v in present):
        return "boolean"
    return "string"


def cell_texts(s: pd.Series, column: str) -> list[str | None]:
    """A column as text for an XML file: ``None`` for blanks, numbers written the short way.

    Examples
    --------
    >>> cell_texts(pd.Series([2.0, float("nan")]), "Strength")
    ['2', None]
    """
    numeric = column in NUMERIC_COLUMNS
    out: list[str | None] = []
    for v in s.tolist():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif numeric or isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(number_text(v))
        else:
            out.append(str(v))
    return out


def map_direction(connections: pd.DataFrame) -> Literal["directed", "undirected"]:
    """``directed`` when any connection is directed, else ``undirected``.

    Examples
    --------
    >>> map_direction(pd.DataFrame({"Direction": ["mutual", None]}))
    'undirected'
    """
    if "Direction" not in connections.columns:
        return "undirected"
    d = connections["Direction"].dropna().astype(str).str.strip().str.lower()
    return "directed" if d.eq("directed").any() else "undirected"


_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def xml_attr(text: str) -> str:
    """Text escaped for an XML attribute value, line breaks and tabs included.

    Examples
    --------
    >>> xml_attr('a "b"\\nc')
    'a &quot;b&quot;&#10;c'
    """
    return text.translate(_ATTR_ESCAPES)


def xml_text(text: str) -> str:
    """Text escaped for the inside of an XML element.

    Examples
    --------
    >>> xml_text("<tag>&")
    '&lt;tag&gt;&amp;'
    """
    return text.translate(_TEXT_ESCAPES)


def record_text(metadata: dict[str, Any], elements: pd.DataFrame, connections: pd.DataFrame) -> str:
    """Our small record (metadata and column order) as JSON text.

    Examples
    --------
    >>> record_text({"name": "x"}, pd.DataFrame(columns=["ID", "Label"]), pd.DataFrame(columns=["ID"]))
    '{"cop_metadata": "{\\\\"name\\\\": \\\\"x\\\\"}", "cop_element_columns": "[\\\\"ID\\\\", \\\\"Label\\\\"]", "cop_connection_columns": "[\\\\"ID\\\\"]"}'
    """
    return json.dumps({
        "cop_metadata": json.dumps(jsonable(metadata), ensure_ascii=False),
        "cop_element_columns": json.dumps([str(c) for c in elements.columns], ensure_ascii=False),
        "cop_connection_columns": json.dumps([str(c) for c in connections.columns], ensure_ascii=False),
    }, ensure_ascii=False, allow_nan=False)


def _json(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return None


def read_record(record: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str] | None, list[str] | None]:
    """Metadata, element columns and connection columns from our record (``None`` when absent).

    Examples
    --------
    >>> read_record(json.loads(record_text({"name": "x"}, pd.DataFrame(columns=["ID"]), pd.DataFrame(columns=["ID"]))))
    ({'name': 'x'}, ['ID'], ['ID'])
    """
    meta = _json(record.get("cop_metadata"))
    cols = [_json(record.get(k)) for k in ("cop_element_columns", "cop_connection_columns")]
    lists = [[str(c) for c in v] if isinstance(v, list) else None for v in cols]
    return (meta if isinstance(meta, dict) else None), lists[0], lists[1]


def keep_custom_direction(df: pd.DataFrame, file: str, *, fallback: pd.Series | None = None
                          ) -> tuple[pd.DataFrame, list[MapWarning]]:
    """Keep a connection field named like ``Direction`` but holding other values as a custom field.

    Such a column is renamed ``<name> (custom)`` and a warning says so; a
    ``Direction`` column of real directions is left alone. ``fallback`` (the
    direction the file's structure gives) fills a ``Direction`` that is blank
    or was renamed.

    Examples
    --------
    >>> df, w = keep_custom_direction(pd.DataFrame({"direction": ["Exp", None]}), "g.graphml")
    >>> list(df.columns), w[0].kind
    (['direction (custom)', 'Direction'], 'custom_field')
    """
    warnings: list[MapWarning] = []
    renames = {}
    for col in df.columns:
        if str(col).strip().lower() != "direction":
            continue
        values = folded_directions(df[col]).dropna()
        bad = values[~values.isin(DIRECTIONS)]
        if bad.empty:
            continue
        renames[col] = f"{col} (custom)"
        warnings.append(MapWarning(
            "custom_field",
            f"the connection field '{show(col)}' holds values such as {show(df.loc[bad.index[0], col])!r} that are "
            f"not directions, so it is kept as the custom field '{col} (custom)'",
            file=file, column=str(col)))
    if renames:
        df = df.rename(columns=renames)
    if fallback is not None and len(df):
        if "Direction" in df.columns:
            df["Direction"] = df["Direction"].where(df["Direction"].notna(), fallback.to_numpy())
        else:
            df["Direction"] = fallback.to_numpy()
    elif "Direction" not in df.columns and renames and len(df.columns):
        df["Direction"] = None
    return df, warnings


def _frame(rows: list[dict[str, Any]], first: Sequence[str], wanted: list[str] | None) -> pd.DataFrame:
    order: dict[str, None] = dict.fromkeys(first)
    for row in rows:
        for k in row:
            order.setdefault(k, None)
    df = pd.DataFrame(rows, columns=list(order), dtype=object)
    if wanted is not None:
        df = df.reindex(columns=wanted + [c for c in df.columns if c not in wanted])
    return df


def _keep_text_numbers(df: pd.DataFrame, table: str, file: str) -> tuple[pd.DataFrame, list[MapWarning]]:
    """A field that would become a number column (``weight``, ``x``) but holds text keeps its text."""
    aliases = HEADER_ALIASES[table]
    renames, warnings = {}, []
    for col in df.columns:
        name = str(col)
        if (aliases.get(name.strip().lower()) or name) not in NUMERIC_COLUMNS:
            continue
        values = df[col].dropna()
        bad = values[pd.to_numeric(values, errors="coerce").isna()]
        if bad.empty:
            continue
        renames[col] = f"{name} (text)"
        warnings.append(MapWarning(
            "custom_field", f"the {table[:-1]} field '{show(name)}' holds text such as {show(bad.iloc[0])!r}, not "
            f"only numbers, so it is kept as the text field '{name} (text)'", file=file, column=name))
    return (df.rename(columns=renames) if renames else df), warnings


def _merge_repeated_nodes(nodes: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[MapWarning]]:
    ids = nodes["ID"].astype(str)
    dup = ids.duplicated(keep=False)
    if not dup.any():
        return nodes, []
    keep = ~ids.duplicated(keep="first")
    merged = nodes.copy()
    for node_id, group in nodes[dup].groupby(ids[dup], sort=False):
        first = group.index[0]
        for col in nodes.columns:
            values = [str(v) for v in group[col] if not (v is None or (isinstance(v, float) and math.isnan(v)))]
            if len(set(values)) > 1:
                merged.at[first, col] = SEP.join(values)
    n = int(ids[dup].nunique())
    return merged[keep].reset_index(drop=True), [MapWarning(
        "duplicate_id", f"{n} nodes appear more than once (such as {show(ids[dup].iloc[0])!r}, as in a file that "
        "changes over time); each was read as one element, with differing values joined by '|'", file=file)]


def _unique_edge_ids(edges: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[MapWarning]]:
    ids = edges["ID"]
    dup = ids.notna() & ids.duplicated(keep="first")
    if not dup.any():
        return edges, []
    taken = set(ids.dropna().astype(str))
    new = ids.copy()
    for i in dup[dup].index:
        k = 2
        while f"{ids[i]}-{k}" in taken:
            k += 1
        new[i] = f"{ids[i]}-{k}"
        taken.add(new[i])
    edges = edges.assign(ID=new)
    return edges, [MapWarning("duplicate_id", f"{int(dup.sum())} edges repeat another edge's ID (such as "
                              f"{show(ids[dup].iloc[0])!r}); they were given IDs ending in -2, -3 …", file=file)]


def finish_graph(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], file: str, metadata: dict[str, Any], *,
                 warnings: list[MapWarning], directions: list[str | None] | None,
                 element_columns: list[str] | None = None, connection_columns: list[str] | None = None):
    """Build the map from node and edge rows read from a graph file.

    ``directions`` is the direction the file's structure gives each edge
    (``None`` for a file of ours, whose ``Direction`` column says it all).
    Returns what every reader returns: the map, where things came from, and
    the soft warnings.

    Examples
    --------
    >>> m, _, soft = finish_graph([{"ID": "a"}], [{"ID": "e1", "From": "a", "To": "b"}], "g.gexf", {},
    ...                           warnings=[], directions=["directed"])
    >>> m.elements["Label"].tolist(), m.connections["Direction"].tolist(), soft[0].kind
    (['a', 'b'], ['directed'], 'undeclared_element')
    """
    own = directions is None
    if not nodes and not edges:
        raise MapError("the file holds no nodes and no edges, so there is no network in it",
                       fix="check you picked the right file; if it should hold a network, open it in the program "
                       "that made it and save it again", file=file)
    edf = _frame(nodes, ["ID", "Label"], element_columns)
    cdf = _frame(edges, ["ID", "From", "To"], connection_columns)
    if not own:
        labels = [c for c in edf.columns if str(c).lower() == "label" and c != "Label"]
        if labels and edf["Label"].isna().all():
            edf = edf.drop(columns="Label").rename(columns={labels[0]: "Label"})
            edf = edf[["ID", "Label"] + [c for c in edf.columns if c not in ("ID", "Label")]]
        edf, merged = _merge_repeated_nodes(edf, file)
        cdf, more = _unique_edge_ids(cdf, file)
        warnings = warnings + merged + more
    edf, text_e = _keep_text_numbers(edf, "elements", file)
    cdf, text_c = _keep_text_numbers(cdf, "connections", file)
    warnings = warnings + text_e + text_c
    edf["Label"] = edf["Label"].where(edf["Label"].notna(), edf["ID"])
    known = set(edf["ID"].astype(str))
    ends = pd.unique(pd.concat([cdf["From"], cdf["To"]], ignore_index=True).dropna().astype(str))
    missing = [e for e in ends if e not in known]
    if missing:
        edf = pd.concat([edf, pd.DataFrame({"ID": missing, "Label": missing}, dtype=object)], ignore_index=True)
        listed = ", ".join(f"'{show(x, 20)}'" for x in missing[:3]) + (" …" if len(missing) > 3 else "")
        warnings = warnings + [MapWarning(
            "undeclared_element", f"{len(missing)} elements named by connections are not listed in the file "
            f"({listed}); they were added with their ID as label", file=file)]
    fallback = None if own else pd.Series(directions, index=cdf.index, dtype=object)
    cdf, more = keep_custom_direction(cdf, file, fallback=fallback)
    m, loc, soft = assemble([Table(edf, file, "nodes", header_row=0)], [Table(cdf, file, "edges", header_row=0)],
                            metadata)
    return m, loc, list(warnings) + more + soft
