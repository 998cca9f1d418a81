"""Plain words, instead of a long pandas traceback, for a label used where an ID is needed.

Tables such as ``metrics`` are indexed by element ID (``'lvsc'``), so
``metrics.loc['LVSC', 'reach']`` or ``metrics.drop('LVSC')`` stop with a
40-line ``KeyError``. :func:`plain_errors` (called at the top of every lesson)
asks IPython to show such an error as one sentence and the line it happened
in, with the full error one click away; any other ``KeyError`` is shown as
usual.
"""

from __future__ import annotations

import ast
import linecache
import re
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from IPython import get_ipython

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.teaching.exercises.results import Result, show

__all__ = ["plain_errors", "label_instead_of_id", "missing_keys"]

_QUOTED = re.compile(r"""'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)\"""")
_TABLE_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\.\s*(?:loc|at|drop)\b")
_PACKAGES = (str(Path(__file__).resolve().parents[2]), "site-packages", "dist-packages")


def missing_keys(error: KeyError) -> list[str]:
    """The names a ``KeyError`` from pandas says it could not find.

    Examples
    --------
    >>> missing_keys(KeyError("LVSC")), missing_keys(KeyError("['LVSC', 'BNF'] not found in axis"))
    (['LVSC'], ['LVSC', 'BNF'])
    >>> missing_keys(KeyError("None of [Index(['LVSC'], dtype='object')] are in the [index]"))
    ['LVSC']
    """
    if not error.args:
        return []
    key = error.args[0]
    if isinstance(key, tuple):
        return [k for k in key if isinstance(k, str)]
    if not isinstance(key, str):
        return []
    listed = re.match(r"^(\[.*\]) not (?:found in axis|in index)$", key)
    if listed:
        try:
            return [k for k in ast.literal_eval(listed.group(1)) if isinstance(k, str)]
        except (ValueError, SyntaxError):
            pass
    if key.startswith("None of ["):
        inside = key.split("] are in the [", 1)[0]
        return [a or b for a, b in _QUOTED.findall(inside) if (a or b) != "object"]
    return [key]


def _maps(namespace: Mapping[str, Any]) -> list[tuple[str, NetworkMap]]:
    """The maps a learner has, ``m`` first."""
    found = [(k, v) for k, v in namespace.items() if isinstance(v, NetworkMap) and not k.startswith("_")]
    return sorted(found, key=lambda kv: kv[0] != "m")


def label_instead_of_id(error: KeyError, namespace: Mapping[str, Any], line: str = "") -> str | None:
    """One sentence saying which label was used where an ID is needed, or None when that is not what happened.

    Examples
    --------
    >>> import pandas as pd
    >>> m = NetworkMap(pd.DataFrame({"ID": ["lvsc"], "Label": ["LVSC"]}))
    >>> metrics = pd.DataFrame({"Label": ["LVSC"], "reach": [3]}, index=["lvsc"])
    >>> print(label_instead_of_id(KeyError("LVSC"), {"m": m, "metrics": metrics}, "metrics.loc['LVSC', 'reach']"))
    'LVSC' is a label; the table is indexed by ID — use m.resolve('LVSC') (it gives 'lvsc') or metrics.set_index('Label').
    >>> label_instead_of_id(KeyError("nobody"), {"m": m}) is None
    True
    """
    for key in missing_keys(error):
        for name, m in _maps(namespace):
            try:
                element_id = m.resolve(key)
            except MapError:
                continue
            if element_id == key:
                continue
            table = next((t for t in _TABLE_CALL.findall(line) if t in namespace), None)
            columns = getattr(namespace.get(table), "columns", ()) if table else ()
            other = f" or {table}.set_index('Label')" if "Label" in list(columns) else ""
            return (
                f"{key!r} is a label; the table is indexed by ID — use {name}.resolve({key!r}) "
                f"(it gives {element_id!r}){other}."
            )
    return None


def _learner_line(tb: TracebackType | None) -> str:
    """The last line of the learner's own code in a traceback (not pandas', not the toolkit's)."""
    line = ""
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if not any(part in filename for part in _PACKAGES):
            line = linecache.getline(filename, lineno).strip() or line
    return line


def _handler(shell: Any, etype: type, evalue: BaseException, tb: TracebackType | None, tb_offset: int | None = None) -> None:
    """IPython's custom handler for KeyError: plain words for a label-instead-of-ID, else the usual traceback."""
    line = _learner_line(tb)
    message = label_instead_of_id(evalue, shell.user_ns, line) if isinstance(evalue, KeyError) else None
    if message is None:  # some other KeyError: shown as usual
        shell.showtraceback((etype, evalue, tb), tb_offset=tb_offset)
        return
    # remembered as the last error, so that %tb shows it in full
    sys.last_type, sys.last_value, sys.last_traceback = etype, evalue, tb
    if sys.version_info >= (3, 12):
        sys.last_exc = evalue
    full = "".join(traceback.format_exception(etype, evalue, tb))
    show(Result("error", message, code=line or None, title="A label where an ID is needed", details=full))


def plain_errors() -> None:
    """Show a label-instead-of-ID ``KeyError`` in plain words (in IPython or Jupyter; elsewhere nothing happens).

    Examples
    --------
    >>> plain_errors()  # outside IPython it does nothing
    """
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((KeyError,), _handler)
