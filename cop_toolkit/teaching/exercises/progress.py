"""A learner's progress through the exercises, kept on their own computer only.

Progress is a small JSON file the learner owns. By default it is
``~/.cop_toolkit/progress.json``; set the environment variable
``COP_TOOLKIT_PROGRESS`` to another path to keep it elsewhere, or to ``off``
to keep no record at all. Nothing is ever sent anywhere.

For each exercise the file holds: its title, its status (``correct``,
``incorrect`` or ``recorded``), the number of checks, the deepest hint seen,
whether the solution was seen, reflections written, and when it was last
checked. If the file cannot be written (a read-only home folder, say), the
exercises still work and a single warning says so.

Examples
--------
>>> import os, tempfile
>>> os.environ["COP_TOOLKIT_PROGRESS"] = os.path.join(tempfile.mkdtemp(), "p.json")
>>> record_check("01.1", "Count the elements", "correct")
>>> progress_table().loc["01.1", "status"]
'correct'
>>> del os.environ["COP_TOOLKIT_PROGRESS"]
"""

from __future__ import annotations

import json
import os
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_text

__all__ = [
    "ENV_VAR",
    "progress_path",
    "load_progress",
    "record_check",
    "record_hint",
    "record_solution",
    "progress_table",
    "reset_progress",
]

#: Environment variable that moves (or, with ``off``, switches off) the progress file.
ENV_VAR = "COP_TOOLKIT_PROGRESS"
_warned = False


def progress_path() -> Path | None:
    """Where progress is kept, or None when recording is switched off.

    Examples
    --------
    >>> import os
    >>> os.environ["COP_TOOLKIT_PROGRESS"] = "off"
    >>> progress_path() is None
    True
    >>> del os.environ["COP_TOOLKIT_PROGRESS"]
    >>> progress_path().name
    'progress.json'
    """
    value = os.environ.get(ENV_VAR, "").strip()
    if value.lower() in {"off", "none", "0", "false", "no"}:
        return None
    if value:
        return Path(value).expanduser()
    return Path.home() / ".cop_toolkit" / "progress.json"


def load_progress() -> dict[str, Any]:
    """Read the progress file (an empty record when there is none or it is unreadable)."""
    path = progress_path()
    empty: dict[str, Any] = {"version": 1, "exercises": {}}
    if path is None or not path.exists():
        return empty
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        return empty
    return data


def _save(data: dict[str, Any]) -> None:
    global _warned
    path = progress_path()
    if path is None:
        return
    try:
        atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False))
    except (OSError, MapError) as exc:  # MapError: a full disk or a read-only folder (core.files)
        if not _warned:
            warnings.warn(
                f"Your progress could not be saved to {path} ({getattr(exc, 'strerror', None) or exc}). The exercises "
                f"still work; set {ENV_VAR} to a folder you can write to if you want a record.",
                stacklevel=3,
            )
            _warned = True


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _update(exercise_id: str, title: str, **changes: Any) -> dict[str, Any]:
    data = load_progress()
    entry = data["exercises"].setdefault(
        exercise_id,
        {"title": title, "status": "not attempted", "checks": 0, "hints_seen": 0, "solution_seen": False},
    )
    entry["title"] = title
    for key, value in changes.items():
        if callable(value):
            entry[key] = value(entry.get(key))
        else:
            entry[key] = value
    return data


def record_check(exercise_id: str, title: str, status: str, extra: dict[str, Any] | None = None) -> None:
    """Record one check of an exercise (``status`` as in :class:`~cop_toolkit.teaching.exercises.results.Result`)."""
    if progress_path() is None:
        return
    extra = dict(extra or {})
    reflection = extra.pop("reflection", None)

    def keep_best(old: str | None) -> str:
        return "correct" if old == "correct" and status == "incorrect" else status

    changes: dict[str, Any] = {
        "status": keep_best,
        "checks": lambda n: int(n or 0) + 1,
        "last_checked": _now(),
    }
    if reflection is not None:
        changes["reflection"] = reflection
    changes.update(extra)
    _save(_update(exercise_id, title, **changes))


def record_hint(exercise_id: str, title: str, level: int) -> None:
    """Record that a hint (at ``level``) was seen."""
    if progress_path() is None:
        return
    _save(_update(exercise_id, title, hints_seen=lambda n: max(int(n or 0), int(level))))


def record_solution(exercise_id: str, title: str) -> None:
    """Record that the solution was seen."""
    if progress_path() is None:
        return
    _save(_update(exercise_id, title, solution_seen=True))


def progress_table() -> pd.DataFrame:
    """The learner's progress as a table, one row per exercise tried.

    Columns: ``title``, ``status``, ``checks``, ``hints_seen``,
    ``solution_seen``, ``last_checked`` (index ``exercise``).
    """
    cols = ["title", "status", "checks", "hints_seen", "solution_seen", "last_checked"]
    rows = load_progress()["exercises"]
    table = pd.DataFrame.from_dict(rows, orient="index")
    table = table.reindex(columns=cols)
    table.index.name = "exercise"
    return table.sort_index()


def reset_progress() -> None:
    """Forget all progress (deletes the progress file)."""
    path = progress_path()
    if path is not None and path.exists():
        path.unlink()
