"""Check that a computer has everything the lessons need (lesson 00).

:func:`check_environment` looks at the Python version, the packages the
lessons use, the bundled sample maps and the progress file, and returns a
table saying, in plain words, what is fine and how to fix what is not.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
import tempfile

import pandas as pd

from cop_toolkit.io import datasets as ds
from cop_toolkit.teaching.exercises.progress import progress_path

__all__ = ["check_environment", "REQUIREMENTS"]

#: Packages the lessons need: import name -> (distribution name, minimum version, what it does).
REQUIREMENTS: dict[str, tuple[str, str, str]] = {
    "pandas": ("pandas", "2.2", "tables of elements, connections and results"),
    "networkx": ("networkx", "3.3", "network measures"),
    "plotly": ("plotly", "6.0", "interactive pictures"),
    "ipywidgets": ("ipywidgets", "8.1", "sliders and drop-downs in notebooks"),
    "openpyxl": ("openpyxl", "3.1", "reading and writing Excel (Kumu) spreadsheets"),
    "igraph": ("igraph", "0.11", "fast cluster finding"),
}


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check_environment(*, datasets: bool = True) -> pd.DataFrame:
    """Check Python, the packages, the sample data and the progress file.

    Parameters
    ----------
    datasets : also try loading the sample map ``owa-2017``.

    Returns
    -------
    DataFrame indexed by ``check`` with columns ``ok`` (bool), ``found``
    (version or place) and ``what_for`` / ``fix`` in plain words.
    ``df.attrs["all_ok"]`` is True when everything is ready.

    Examples
    --------
    >>> table = check_environment(datasets=False)
    >>> bool(table.loc["Python", "ok"])
    True
    >>> "networkx" in table.index
    True
    """
    rows = []
    py = ".".join(map(str, sys.version_info[:3]))
    rows.append(
        {
            "check": "Python",
            "ok": sys.version_info >= (3, 11),
            "found": py,
            "what_for": "runs everything",
            "fix": "" if sys.version_info >= (3, 11) else "install Python 3.11 or newer",
        }
    )
    for module, (dist, minimum, purpose) in REQUIREMENTS.items():
        try:
            version = importlib.metadata.version(dist)
            importlib.import_module(module)
        except Exception:
            rows.append(
                {"check": module, "ok": False, "found": "missing", "what_for": purpose,
                 "fix": "run `make setup` in the workbook folder (it installs everything)"}
            )
            continue
        ok = _version_tuple(version) >= _version_tuple(minimum)
        rows.append(
            {"check": module, "ok": ok, "found": version, "what_for": purpose,
             "fix": "" if ok else f"version {minimum} or newer is needed: run `make setup` again"}
        )
    if datasets:
        try:
            m = ds.load("owa-2017")
            rows.append({"check": "sample data", "ok": len(m) > 0,
                         "found": f"owa-2017: {len(m.elements)} elements, {len(m.connections)} connections",
                         "what_for": "the map the lessons use", "fix": ""})
        except Exception as exc:
            rows.append({"check": "sample data", "ok": False, "found": f"{type(exc).__name__}: {exc}",
                         "what_for": "the map the lessons use",
                         "fix": "reinstall the workbook with `make setup`"})
    path = progress_path()
    if path is None:
        rows.append({"check": "progress file", "ok": True, "found": "switched off",
                     "what_for": "remembers your exercise progress (on this computer only)", "fix": ""})
    else:
        folder = path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder):
                pass
            ok, fix = True, ""
        except OSError:
            ok, fix = False, f"set the environment variable COP_TOOLKIT_PROGRESS to a file in a folder you can write to"
        rows.append({"check": "progress file", "ok": ok, "found": os.fspath(path),
                     "what_for": "remembers your exercise progress (on this computer only)", "fix": fix})
    table = pd.DataFrame(rows).set_index("check")
    table.attrs["all_ok"] = bool(table["ok"].all())
    return table
