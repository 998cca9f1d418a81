"""The student-facing side of the coursework: the answer formats, the format check, the answer collector.

This module holds **no key**: nothing here knows a right answer. It is what a
student's notebook may import (:func:`check_format`) and what ``cop-grade``
runs inside a student's kernel (:func:`collect_answers`, :func:`run_kernel`).
The reference answers and the hidden tests live in
:mod:`cop_toolkit.teaching.grading`, which a student's kernel cannot import.

Inside ``cop-grade``'s kernel an audit hook (:func:`guard_kernel`) refuses any
import or file read of the grader and notes what a submission tried that a
coursework answer has no reason to do (importing the grader, writing into the
Python installation, stopping processes that are not its own).
"""

from __future__ import annotations

import json
import math
import numbers
import os
import signal
import sys
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from cop_toolkit.teaching.exercises.blank import is_blank

__all__ = ["FORMATS", "FUNCTION_NAME", "WRITTEN", "AnswerFormat", "check_format", "collect_answers",
           "guard_kernel", "run_kernel", "sandbox_events"]

FUNCTION_NAME = "reach_within_two"
WRITTEN = ("interpretation_1", "interpretation_2", "interpretation_3")
#: The module a student's kernel may not import: it holds the reference answers.
GRADER_MODULE = "cop_toolkit.teaching.grading"
#: Bounds on what is collected from a kernel, so marking time stays small.
MAX_ITEMS = 300
MAX_TEXT = 300
MAX_WRITTEN = 20_000


class AnswerFormat(NamedTuple):
    """One automatically marked question as a student sees it: name, marks, format and kind.

    Examples
    --------
    >>> FORMATS[0]
    AnswerFormat(name='q1_elements', marks=1, format='a whole number', kind='value')
    """

    name: str
    marks: float
    format: str
    kind: str = "value"


FORMATS: list[AnswerFormat] = [
    AnswerFormat("q1_elements", 1, "a whole number"),
    AnswerFormat("q1_connections", 1, "a whole number"),
    AnswerFormat("q2_hub", 2, "one element's ID or label (text)"),
    AnswerFormat("q3_cut_off", 3, "a list or set of element IDs or labels", "names"),
    AnswerFormat("q4_busiest_borough", 2, "a borough name or ONS code (text)"),
    AnswerFormat("q5_sole_assets", 2, "a list or set of asset names (text)", "names"),
    AnswerFormat("q6_stale", 2, "a list or set of element IDs or labels", "names"),
    AnswerFormat(FUNCTION_NAME, 3, "a function reach_within_two(m, name) that returns a whole number", "function"),
    AnswerFormat("q8_public_elements", 1, "a whole number"),
]


# ------------------------------------------------------------------ the learner-visible check
def check_format(ns: dict[str, Any]) -> pd.DataFrame:
    """Check that each coursework answer is there and in the right *format* (not whether it is right).

    Call it at the end of the coursework notebook as ``check_format(globals())``.

    Examples
    --------
    >>> t = check_format({"q1_elements": 12, "q2_hub": ["a", "b"]})
    >>> bool(t.loc["q1_elements", "ok"]), bool(t.loc["q2_hub", "ok"]), t.loc["q6_stale", "message"]
    (True, False, 'not answered yet')
    """
    rows = []
    for q in FORMATS:
        value = ns.get(q.name)
        ok, msg = False, ""
        if is_blank(value) or repr(value) == "____":
            msg = "not answered yet"
        elif q.kind == "function":
            ok = callable(value)
            msg = "a function: good" if ok else f"should be {q.format}"
        elif q.kind == "names":
            ok = isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index)) and all(
                isinstance(v, str) for v in value)
            msg = "format OK" if ok else f"should be {q.format}"
        elif q.format == "a whole number":
            ok = not isinstance(value, bool) and isinstance(value, (int, float)) and float(value).is_integer()
            ok = ok or type(value).__name__.startswith("int")
            msg = "format OK" if ok else f"should be {q.format}"
        else:
            ok = isinstance(value, str)
            msg = "format OK" if ok else f"should be {q.format}"
        rows.append({"question": q.name, "marks": q.marks, "ok": bool(ok), "message": msg})
    for w in WRITTEN:
        text = ns.get(w)
        words = len([x for x in text.split() if x.strip("_")]) if isinstance(text, str) else 0
        rows.append({"question": w, "marks": None, "ok": words >= 50,
                     "message": f"{words} words" + ("" if words >= 50 else " (aim for 100-200)")})
    return pd.DataFrame(rows).set_index("question")


# ------------------------------------------------------------------ inside the kernel
def _plain(value: Any) -> Any:
    """One item of an answer as JSON: numbers, text (cut to MAX_TEXT characters), or its text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value) if abs(int(value)) < 10**15 else str(value)[:MAX_TEXT]
    if isinstance(value, numbers.Real):
        v = float(value)
        return v if math.isfinite(v) else None
    return str(value)[:MAX_TEXT] if isinstance(value, str) else repr(value)[:MAX_TEXT]


def jsonable(value: Any) -> Any:
    """Turn one answer into bounded JSON: a value, a list of at most MAX_ITEMS items, or ``{"error": ...}``.

    Examples
    --------
    >>> jsonable({"b", "a"}), jsonable(3.0), jsonable("x" * 400) == "x" * MAX_TEXT
    (['a', 'b'], 3.0, True)
    >>> jsonable(object())["error"]
    'it is an object, which cannot be marked'
    """
    if is_blank(value):
        return None
    if value is None or isinstance(value, (bool, str, numbers.Number)):
        return _plain(value)
    if isinstance(value, pd.DataFrame):
        return {"error": "it is a whole table; give a list of names instead (for example list(table.index))"}
    if isinstance(value, dict):
        value = list(value)
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.tolist()
    if isinstance(value, (set, frozenset, list, tuple)):
        items = [_plain(v) for _, v in zip(range(MAX_ITEMS + 1), value)]
        if isinstance(value, (set, frozenset)):
            items.sort(key=str)
        return items
    return {"error": f"it is {_a(type(value).__name__)}, which cannot be marked"}


def _a(name: str) -> str:
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def _write(path: str, found: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(found), encoding="utf-8")


def _call_cases(fn: Any, cases: list[list[str]], limit: int) -> list[Any]:
    """Call the student's function on the hidden cases, each within ``limit`` seconds.

    A case's map is the game's map (``"tiny"``), a sample name or the map file beside the notebook.
    """
    from cop_toolkit.io import datasets
    from cop_toolkit.teaching.game import tiny_map

    results: list[Any] = []
    maps: dict[str, Any] = {}

    def alarm(signum, frame):
        raise TimeoutError(f"took longer than {limit} seconds")

    old = signal.signal(signal.SIGALRM, alarm)
    try:
        for dataset, name in cases:
            try:
                if dataset not in maps:
                    maps[dataset] = tiny_map() if dataset == "tiny" else datasets.open_map(dataset)
                signal.alarm(limit)
                value = fn(maps[dataset].copy(), name)
                signal.alarm(0)
                results.append(str(value) if isinstance(value, bool) else jsonable(value))
            except BaseException as exc:
                signal.alarm(0)
                if isinstance(exc, KeyboardInterrupt):
                    raise
                results.append({"error": f"{type(exc).__name__}: {str(exc)[:120]}"})
    finally:
        signal.signal(signal.SIGALRM, old)
    return results


def collect_answers(ns: dict[str, Any], path: str, cases: list[list[str]], limit: int = 10) -> None:
    """Run by ``cop-grade``'s hidden cell in the student's kernel: write their answers to ``path`` as JSON.

    The values and the written answers are written first, so that a function
    that crashes or hangs on the hidden cases costs only its own question.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "answers.json"
    >>> collect_answers({"q1_elements": 97, "interpretation_1": "Short."}, str(out), [])
    >>> found = json.loads(out.read_text())
    >>> found["q1_elements"], found["_written"]
    (97, {'interpretation_1': 'Short.'})
    """
    found: dict[str, Any] = {}
    for q in FORMATS:
        if q.kind != "function" and q.name in ns:
            try:
                found[q.name] = jsonable(ns[q.name])
            except Exception as exc:  # noqa: BLE001 - anything a student wrote
                found[q.name] = {"error": f"it could not be read ({type(exc).__name__})"}
    found["_written"] = {w: ns[w][:MAX_WRITTEN] for w in WRITTEN
                         if isinstance(ns.get(w), str) and not is_blank(ns[w])}
    found["_flags"] = sandbox_events()
    fn = ns.get(FUNCTION_NAME)
    if callable(fn):
        found[FUNCTION_NAME] = {"error": "it stopped Python before it had run on every hidden case"}
        _write(path, found)
        found[FUNCTION_NAME] = _call_cases(fn, cases, limit)
        found["_flags"] = sandbox_events()
    elif FUNCTION_NAME in ns:
        found[FUNCTION_NAME] = None if is_blank(ns[FUNCTION_NAME]) else {"error": "it is not a function"}
    _write(path, found)


# ------------------------------------------------------------------ the guarded kernel
_EVENTS: list[str] = []


def sandbox_events() -> list[str]:
    """What the guard saw this kernel try (empty outside ``cop-grade``).

    Examples
    --------
    >>> isinstance(sandbox_events(), list)
    True
    """
    return sorted(set(_EVENTS))[:20]


def _descends_from_me(pid: int) -> bool:
    me = os.getpid()
    for _ in range(64):
        if pid == me:
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            pid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        if pid <= 1:
            return False
    return False


def _guard(grader_dir: str, protected: tuple[str, ...]) -> Any:
    """The audit hook: refuse the grader, note tampering with the environment or other processes."""

    def hook(event: str, args: tuple) -> None:
        if event == "import" and args and isinstance(args[0], str):
            name = args[0]
            if name == GRADER_MODULE or name.startswith(GRADER_MODULE + "."):
                _EVENTS.append("imported the grader (which holds the answers)")
                raise ImportError("the grader cannot be imported from a coursework notebook")
        elif event == "open" and args and isinstance(args[0], (str, bytes)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if path.startswith(grader_dir):
                _EVENTS.append("read the grader's files (which hold the answers)")
                raise PermissionError("the grader's files cannot be read from a coursework notebook")
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            if writing and path.startswith(protected):
                _EVENTS.append("tried to change the Python installation")
        elif event in ("os.kill", "os.killpg") and args and isinstance(args[0], int) and len(args) > 1:
            target, sig = args[0], args[1]
            if sig != 0 and (target <= 0 or event == "os.killpg" or not _descends_from_me(target)):
                _EVENTS.append("tried to stop processes that are not its own")

    return hook


def guard_kernel() -> None:
    """Install the audit hook in this process (for ever: audit hooks cannot be removed).

    Examples
    --------
    >>> guard_kernel   # doctest: +ELLIPSIS
    <function guard_kernel at ...>
    """
    import cop_toolkit

    grader_dir = os.path.join(os.path.dirname(os.path.abspath(cop_toolkit.__file__)), "teaching", "grading")
    protected = tuple({os.path.abspath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
                      | {os.path.dirname(os.path.abspath(cop_toolkit.__file__)) + os.sep})
    sys.addaudithook(_guard(grader_dir, protected))


def run_kernel() -> None:
    """Start an IPython kernel that dies with its parent and cannot import the grader (``cop-grade`` only).

    Examples
    --------
    >>> run_kernel   # doctest: +ELLIPSIS
    <function run_kernel at ...>
    """
    import ctypes

    from ipykernel.kernelapp import launch_new_instance

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die when the marking process dies
    guard_kernel()
    launch_new_instance()
