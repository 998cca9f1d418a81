"""Comparing a learner's answer with the right one, and naming what they gave.

Every function here is tolerant in the way a beginner needs: numbers match
within a tolerance, names ignore case and punctuation, tables match by
content, and a figure matches by its data. The exercise kinds
(:mod:`cop_toolkit.teaching.exercises.kinds`) build their messages on these.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "is_number",
    "as_written",
    "describe",
    "short",
    "close",
    "equal",
    "frames_differ",
    "as_names",
    "figure_traces",
    "trace_points",
    "points_match",
    "same_label",
]


def is_number(value: Any) -> bool:
    """True for a number (but not True/False).

    Examples
    --------
    >>> is_number(3.5), is_number(True), is_number("3")
    (True, False, False)
    """
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def as_written(value: Any) -> str:
    """A number as people write it: whole numbers plainly, others to two decimal places.

    Numbers smaller than 0.01 keep two significant digits; anything that is
    not a number is given as ``str(value)``.

    Examples
    --------
    >>> import numpy as np
    >>> as_written(np.float64(0.4608123)), as_written(np.int64(1234)), as_written(12.0), as_written(0.004567)
    ('0.46', '1,234', '12', '0.0046')
    """
    if isinstance(value, np.generic):
        value = value.item()
    if not is_number(value):
        return str(value)
    number = float(value)
    if math.isnan(number):
        return "an empty value (NaN)"
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    if abs(number) >= 0.01:
        return f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{number:.2g}"


def describe(value: Any) -> str:
    """Name the kind of thing a learner gave, in plain words.

    Examples
    --------
    >>> describe(5), describe([1, 2]), describe("lvsc"), describe(np.float64(0.4608))
    ('the number 5', 'a list of 2 items', "the text 'lvsc'", 'the number 0.46')
    """
    if isinstance(value, pd.DataFrame):
        return f"a table (DataFrame) with {len(value)} rows"
    if isinstance(value, pd.Series):
        return f"a whole column (Series) of {len(value)} values"
    if isinstance(value, bool):
        return f"True/False ({value})"
    if is_number(value):
        return f"the number {as_written(value)}"
    if isinstance(value, str):
        return f"the text {short(value)!r}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a list of {len(value)} items"
    if callable(value):
        return "a function"
    return f"something of type {type(value).__name__}"


def short(text: Any, limit: int = 60) -> str:
    """The text of ``text``, cut to ``limit`` characters with an ellipsis.

    Examples
    --------
    >>> short("London Voluntary Service Council", 10)
    'London Vo…'
    """
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def close(a: Any, b: Any, rel_tol: float, abs_tol: float) -> bool:
    """True when two numbers are equal within the tolerances (two NaNs count as equal).

    Examples
    --------
    >>> close(0.3333, 1 / 3, 1e-3, 1e-9), close("7", 7, 1e-6, 1e-9), close("seven", 7, 1e-6, 1e-9)
    (True, True, False)
    """
    try:
        fa, fb = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(fa) and math.isnan(fb):
        return True
    return math.isclose(fa, fb, rel_tol=rel_tol, abs_tol=abs_tol)


def equal(a: Any, b: Any, rel_tol: float = 1e-6, abs_tol: float = 1e-9) -> bool:
    """Tolerant equality for function outputs (numbers, text, lists, sets, dicts, tables).

    Examples
    --------
    >>> equal([1.0000001, "a"], [1, "a"]), equal({"a", "b"}, {"a"}), equal(True, 1)
    (True, False, False)
    """
    if isinstance(b, pd.DataFrame) or isinstance(a, pd.DataFrame):
        if not (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)):
            return False
        return frames_differ(a, b, rel_tol, abs_tol, check_order=False) is None
    if isinstance(b, pd.Series) or isinstance(a, pd.Series):
        if not (isinstance(a, pd.Series) and isinstance(b, pd.Series)):
            return False
        if set(map(str, a.index)) != set(map(str, b.index)):
            return False
        a2 = a.copy()
        a2.index = a2.index.map(str)
        b2 = b.copy()
        b2.index = b2.index.map(str)
        return all(equal(a2[k], b2[k], rel_tol, abs_tol) for k in b2.index)
    if isinstance(a, np.generic):
        a = a.item()
    if isinstance(b, np.generic):
        b = b.item()
    if isinstance(b, bool) or isinstance(a, bool):
        return isinstance(a, (bool, np.bool_)) and isinstance(b, (bool, np.bool_)) and bool(a) == bool(b)
    if is_number(b):
        return is_number(a) and close(a, b, rel_tol, abs_tol)
    if isinstance(b, (set, frozenset)):
        return isinstance(a, (set, frozenset, list, tuple)) and set(a) == set(b)
    if isinstance(b, Mapping):
        return (
            isinstance(a, Mapping)
            and set(a) == set(b)
            and all(equal(a[k], b[k], rel_tol, abs_tol) for k in b)
        )
    if isinstance(b, (list, tuple)):
        return (
            isinstance(a, (list, tuple))
            and len(a) == len(b)
            and all(equal(x, y, rel_tol, abs_tol) for x, y in zip(a, b))
        )
    return bool(a == b)


def frames_differ(
    got: Any,
    want: Any,
    rel_tol: float,
    abs_tol: float,
    *,
    check_order: bool,
    columns: Sequence[str] | None = None,
    check_index: bool = True,
) -> str | None:
    """Describe the first difference between two tables, or None when equal.

    Examples
    --------
    >>> want = pd.DataFrame({"degree": [3, 1]}, index=["a", "b"])
    >>> frames_differ(want.iloc[::-1], want, 1e-6, 1e-9, check_order=False) is None
    True
    >>> frames_differ(want.head(1), want, 1e-6, 1e-9, check_order=False)
    'your table has 1 rows, but it should have 2'
    """
    if not isinstance(got, pd.DataFrame):
        if isinstance(got, pd.Series):
            return (
                "you gave a single column (a Series), but a table (DataFrame) is needed; "
                "select columns with double brackets, e.g. df[['Label', 'degree']]"
            )
        return f"a table (DataFrame) is needed, but you gave {describe(got)}"
    cols = list(columns) if columns is not None else list(want.columns)
    missing = [c for c in cols if c not in got.columns]
    if missing:
        return "your table is missing the column" + ("s " if len(missing) > 1 else " ") + ", ".join(
            repr(c) for c in missing
        )
    if len(got) != len(want):
        return f"your table has {len(got)} rows, but it should have {len(want)}"
    if check_index:
        g_idx = [str(i) for i in got.index]
        w_idx = [str(i) for i in want.index]
        if set(g_idx) != set(w_idx):
            extra = [i for i in g_idx if i not in set(w_idx)]
            return (
                f"the rows are not the right ones: for example {short(extra[0])!r} should not be "
                "there (the rows are named by the index — check how you filtered or which column "
                "is the index)"
            )
        if check_order and g_idx != w_idx:
            return "the right rows are there, but not in the right order — check how you sorted"
        got = got.copy()
        got.index = g_idx
        want = want.copy()
        want.index = w_idx
        pairs = [(i, i) for i in w_idx]
    else:
        if check_order:
            pairs = list(zip(range(len(got)), range(len(want))))
        else:
            got = got.sort_values(cols).reset_index(drop=True)
            want = want.sort_values(cols).reset_index(drop=True)
            pairs = list(zip(range(len(got)), range(len(want))))
        got = got.reset_index(drop=True)
        want = want.reset_index(drop=True)
    for col in cols:
        for gi, wi in pairs:
            g, w = got.at[gi, col], want.at[wi, col]
            if pd.isna(w) if not isinstance(w, (list, tuple, set)) else False:
                if not (pd.isna(g) if not isinstance(g, (list, tuple, set)) else False):
                    return f"in column {col!r}, row {gi!r} should be empty"
                continue
            if is_number(w) and not isinstance(w, bool):
                if not close(g, w, rel_tol, abs_tol):
                    return f"in column {col!r}, the value for row {gi!r} is {as_written(g)}, which is not right"
            elif not equal(g, w, rel_tol, abs_tol):
                return f"in column {col!r}, the value for row {gi!r} is {short(g)!r}, which is not right"
    return None


def as_names(answer: Any) -> list[Any] | None:
    """The elements a learner named, as a list, or None when ``answer`` names none.

    A DataFrame gives its index; a Series of IDs or labels gives its values,
    numbers keyed by ID give the index and a True/False mask the IDs that are True.

    Examples
    --------
    >>> as_names(pd.Series([5, 3], index=["lvsc", "bnf"])), as_names("lvsc"), as_names(7)
    (['lvsc', 'bnf'], ['lvsc'], None)
    """
    if isinstance(answer, pd.DataFrame):
        return list(answer.index)
    if isinstance(answer, pd.Series):
        if pd.api.types.is_bool_dtype(answer):  # a True/False mask: the rows that are True
            return list(answer.index[answer.to_numpy()])
        if isinstance(answer.index, pd.RangeIndex) or not pd.api.types.is_numeric_dtype(answer):
            return list(answer.to_numpy())  # a column of IDs or labels
        return list(answer.index)  # numbers (e.g. a top-5 of a measure) keyed by ID
    if isinstance(answer, pd.Index):
        return list(answer)
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, Mapping):
        return list(answer)
    if isinstance(answer, Iterable):
        return list(answer)
    return None


def figure_traces(fig: Any) -> list[Any] | None:
    """The traces of a plotly figure (or of a figure as a dict), or None for anything else.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> [t.type for t in figure_traces(go.Figure(go.Bar(x=["a"], y=[1])))], figure_traces(5)
    (['bar'], None)
    """
    data = getattr(fig, "data", None)
    if data is None and isinstance(fig, Mapping) and "data" in fig:
        import plotly.graph_objects as go  # deferred: heavy

        data = go.Figure(fig).data
    return list(data) if data is not None else None


def _values(seq: Any) -> list[Any]:
    if seq is None:
        return []
    try:
        return [v.item() if hasattr(v, "item") else v for v in list(seq)]
    except TypeError:
        return []


def trace_points(trace: Any) -> list[tuple[Any, Any]]:
    """The (x, y) points of a trace; a missing x or y is None.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> trace_points(go.Bar(x=["a", "b"], y=[1, 2]))
    [('a', 1), ('b', 2)]
    """
    xs, ys = _values(getattr(trace, "x", None)), _values(getattr(trace, "y", None))
    if not ys:
        return [(x, None) for x in xs]
    if not xs:
        return [(None, y) for y in ys]
    return list(zip(xs, ys))


def points_match(got: list[tuple[Any, Any]], want: list[tuple[Any, Any]], rel_tol: float, ordered: bool) -> bool:
    """True when two lists of (x, y) points are the same (in any order unless ``ordered``).

    Examples
    --------
    >>> points_match([("b", 2), ("a", 1)], [("a", 1), ("b", 2.0000001)], 1e-6, ordered=False)
    True
    >>> points_match([("b", 2), ("a", 1)], [("a", 1), ("b", 2)], 1e-6, ordered=True)
    False
    """
    if len(got) != len(want):
        return False

    def key(p: tuple[Any, Any]) -> tuple[str, str]:
        # a label cut short with "…" sorts by its visible start, next to the full label
        return tuple(f"{v:.6g}" if is_number(v) else html.unescape(str(v)).rstrip("…") for v in p)  # type: ignore[return-value]

    if not ordered:
        got = sorted(got, key=key)
        want = sorted(want, key=key)
    for (gx, gy), (wx, wy) in zip(got, want):
        for g, w in ((gx, wx), (gy, wy)):
            if is_number(w):
                if not close(g, w, rel_tol, 1e-9):
                    return False
            elif not same_label(g, w):
                return False
    return True


def same_label(shown: Any, label: Any) -> bool:
    """True when ``shown`` is ``label`` as a chart shows it (HTML-escaped, or cut short with "…").

    Examples
    --------
    >>> same_label("Hammersmith and Fulham Voluntary Sector…", "Hammersmith and Fulham Voluntary Sector Council")
    True
    >>> same_label("Tom &amp; Jerry", "Tom & Jerry"), same_label("LVSC", "LVSCX")
    (True, False)
    """
    text, want = html.unescape(str(shown)), str(label)
    if text == want:
        return True
    return text.endswith("…") and len(text) > 10 and want.startswith(text[:-1].rstrip())
