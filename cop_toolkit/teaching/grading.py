"""Mark a folder of coursework notebooks: ``cop-grade SUBMISSIONS_DIR -o marks.csv``.

The coursework (``notebooks/coursework/coursework_2019.ipynb``) asks students
to analyse the ``coursework-2019`` map and leave their answers in named
variables (``q1_elements``, ``q3_cut_off`` ...) and one function
(``reach_within_two(m, name)``), plus three short written interpretations that
a lecturer marks with ``lessons/coursework_rubric.md``.

How marking works
-----------------
1. Every ``*.ipynb`` in the folder (or one folder down, one folder per
   student) is copied into its own temporary folder.
2. Each copy is run **in its own process** (so a crash cannot stop the run)
   with nbclient and the ``python3`` kernel, cell by cell, within a time limit
   per notebook. Cells that fail are recorded and the run carries on; a cell
   that runs past the time limit is interrupted and the rest are skipped.
3. A hidden cell is then run in the same kernel. It reads the student's
   answers and calls their function on hidden cases (on the coursework map and
   on another map), and writes what it found to a file.
4. The answers are marked here, against references **computed from the data**
   (not typed in), by the hidden tests in :data:`QUESTIONS`. The checks that
   students see in their notebook (:func:`check_format`) only confirm the
   *format* of each answer.
5. A marks table (student, each question's marks, total, status, note) and
   one feedback file per student (markdown) are written.

A broken notebook gets the marks for the parts that ran and a clear note; a
notebook that cannot be read or whose kernel dies gets 0 and a note. User
mistakes (a missing folder, no notebooks) print one line and exit with
status 2.

Safety: student code runs with the same rights as the person marking; run
``cop-grade`` as an ordinary user, on a machine (or container) that holds
nothing you would not want a student's code to read.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError

__all__ = [
    "QUESTIONS",
    "Question",
    "Submission",
    "check_format",
    "mark_answers",
    "reference_answers",
    "grade_folder",
    "run_notebook",
    "main",
]

DATASET = "coursework-2019"
FUNCTION_NAME = "reach_within_two"
WRITTEN = ("interpretation_1", "interpretation_2", "interpretation_3")
#: Hidden cases for the student's function: (map, element). "tiny" is the game's practice map.
FUNCTION_CASES: list[tuple[str, str]] = [
    ("coursework-2019", "slfha"),
    ("coursework-2019", "Greenwich Homes and Food Forum"),
    ("coursework-2019", "funmi-adeyemi"),
    ("coursework-2019", "Walworth Housing Law Centre"),
    ("tiny", "bnet"),
    ("tiny", "Far End Tenants"),
]
STALE_DAYS = 365


# ------------------------------------------------------------------ references
def _load(name: str):
    from cop_toolkit.io import datasets
    from cop_toolkit.teaching.game import tiny_map

    if name == "tiny":
        return tiny_map()
    return datasets.load(name)


def _reach(m, name: str) -> int:
    import networkx as nx

    G = m.to_networkx()
    node = m.resolve(name)
    return len(nx.single_source_shortest_path_length(G, node, cutoff=2)) - 1


def _borough_code(text: Any, boroughs: pd.DataFrame) -> str | None:
    from cop_toolkit.core.text import normalise_name

    if not isinstance(text, str) or not text.strip():
        return None
    t = text.strip()
    if t.upper() in boroughs.index:
        return t.upper()
    folded = normalise_name(t)
    for code, name in boroughs["name"].items():
        if normalise_name(name) in folded:
            return str(code)
    return None


def _boroughs() -> pd.DataFrame:
    try:
        from cop_toolkit.geo.boroughs import boroughs

        return boroughs()
    except Exception:  # the geography module is optional for the references
        data = {
            "E09000008": "Croydon", "E09000011": "Greenwich", "E09000022": "Lambeth",
            "E09000023": "Lewisham", "E09000028": "Southwark", "E09000032": "Wandsworth",
        }
        return pd.DataFrame({"name": list(data.values())}, index=pd.Index(list(data), name="code"))


@functools.cache
def reference_answers() -> dict[str, Any]:
    """Compute every automatically marked answer from the coursework map.

    Nothing is typed in: if the data changed, the references would follow.

    Examples
    --------
    >>> ref = reference_answers()                     # doctest: +SKIP
    >>> ref["q2_hub"]                                 # doctest: +SKIP
    {'slfha'}
    """
    import networkx as nx

    from cop_toolkit.core.privacy import public_map

    m = _load(DATASET)
    G = m.to_networkx()
    ref: dict[str, Any] = {"q1_elements": len(m.elements), "q1_connections": len(m.connections)}
    # q2: highest betweenness; accept the top element with or without tie strengths
    tops = set()
    for weight in ("distance", None):
        bc = nx.betweenness_centrality(G, weight=weight)
        best = max(bc.values())
        tops |= {v for v, x in bc.items() if math.isclose(x, best)}
    ref["q2_hub"] = tops
    hub = max(nx.betweenness_centrality(G, weight="distance").items(), key=lambda kv: (kv[1], kv[0]))[0]
    ref["hub_id"] = hub
    H = G.subgraph(nx.node_connected_component(G, hub) - {hub})
    comps = sorted(nx.connected_components(H), key=len, reverse=True)
    ref["q3_cut_off"] = {v for c in comps[1:] for v in c}
    b = _boroughs()
    codes = m.elements["Borough"].map(lambda t: _borough_code(t, b)).dropna()
    counts = codes.value_counts()
    ref["q4_busiest_borough"] = {c for c, n in counts.items() if n == counts.max()}
    ref["borough_names"] = {str(c): str(b.loc[c, "name"]) for c in b.index}
    holders: dict[str, set[str]] = {}
    for eid, items in m.multi("Assets").items():
        for item in items:
            holders.setdefault(item.strip().lower(), set()).add(eid)
    ref["q5_sole_assets"] = {item for item, who in holders.items() if len(who) == 1}
    map_date = pd.Timestamp(m.metadata.get("date") or "2019-10-31")
    verified = pd.to_datetime(m.elements["Last Verified"], errors="coerce")
    stale = m.elements.loc[(map_date - verified).dt.days > STALE_DAYS, "ID"]
    ref["q6_stale"] = set(stale)
    ref["q8_public_elements"] = len(public_map(m).elements)
    ref[FUNCTION_NAME] = [_reach(_load(d), name) for d, name in FUNCTION_CASES]
    return ref


# ------------------------------------------------------------------ the questions
@dataclass
class Question:
    """One automatically marked question: the variable, its marks, what format it takes and its hidden test."""

    name: str
    marks: float
    format: str
    test: Callable[[Any, dict[str, Any]], tuple[float, str]]
    kind: str = "value"


def _names_to_ids(answer: Any) -> tuple[set[str], list[str]]:
    m = _load(DATASET)
    ids, unknown = set(), []
    for a in answer:
        try:
            ids.add(m.resolve(str(a)))
        except MapError:
            unknown.append(str(a))
    return ids, unknown


def _set_score(ids: set[str], truth: set[str], marks: float, unknown: list[str], what: str) -> tuple[float, str]:
    right = len(ids & truth)
    wrong = len(ids - truth) + len(unknown)
    missed = len(truth - ids)
    if right == len(truth) and not wrong:
        return marks, f"Right: all {len(truth)} {what}."
    share = max(0.0, (right - wrong) / len(truth)) if truth else 0.0
    score = math.floor(share * marks * 2) / 2
    parts = [f"{right} of your {right + wrong} are right"]
    if missed:
        parts.append(f"{missed} {'is' if missed == 1 else 'are'} missing")
    if wrong:
        parts.append(f"{wrong} should not be there")
    if unknown:
        parts.append("not on the map: " + ", ".join(repr(u) for u in unknown[:3]))
    return score, "Partly right: " + "; ".join(parts) + "."


def _int_test(key: str, what: str) -> Callable[[Any, dict[str, Any]], tuple[float, str]]:
    def test(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
        q = QUESTION_BY_NAME[key]
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) or answer != int(answer):
            return 0, f"Not marked: {key} should be a whole number."
        if int(answer) == ref[key]:
            return q.marks, f"Right: the map has {ref[key]} {what}."
        return 0, f"Not right: count the {what} again."
    return test


def _test_hub(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    ids, unknown = _names_to_ids([answer])
    if unknown:
        return 0, f"Not marked: {answer!r} is not an element on the map."
    if ids & ref["q2_hub"]:
        return 2, "Right: that is the element with the highest betweenness."
    return 0, "Not right: look for the highest betweenness, not the most connections."


def _test_cut_off(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    ids, unknown = _names_to_ids(answer)
    return _set_score(ids, ref["q3_cut_off"], 3, unknown, "elements cut off")


def _test_borough(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    code = _borough_code(str(answer), _boroughs())
    if code is None:
        return 0, f"Not marked: {answer!r} is not a London borough name or code."
    if code in ref["q4_busiest_borough"]:
        return 2, "Right."
    return 0, "Not right: remember that some boroughs are written as names, not codes."


def _test_assets(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    given = {str(a).strip().lower() for a in answer}
    return _set_score(given, ref["q5_sole_assets"], 2, [], "assets held by one organisation only")


def _test_stale(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    ids, unknown = _names_to_ids(answer)
    return _set_score(ids, ref["q6_stale"], 2, unknown, "stale elements")


def _test_function(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    if not isinstance(answer, list):
        return 0, f"Not marked: {answer if isinstance(answer, str) else 'no function called ' + FUNCTION_NAME}."
    truth = ref[FUNCTION_NAME]
    right = sum(1 for a, t in zip(answer, truth) if a == t)
    errors = [a for a in answer if isinstance(a, str)]
    score = math.floor(3 * right / len(truth) * 2) / 2
    if right == len(truth):
        return 3, f"Right on all {len(truth)} hidden cases, including a different map."
    msg = f"Right on {right} of {len(truth)} hidden cases."
    if errors:
        msg += f" It failed with: {errors[0]}"
    else:
        msg += " Check that you count each element once, leave out the element itself, and use the map you are given."
    return score, msg


def _test_public(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return 0, "Not marked: q8_public_elements should be a whole number."
    if int(answer) == ref["q8_public_elements"]:
        return 1, "Right."
    return 0, "Not right: a public version leaves out private elements and people who have not agreed to be shown."


QUESTIONS: list[Question] = [
    Question("q1_elements", 1, "a whole number", _int_test("q1_elements", "elements")),
    Question("q1_connections", 1, "a whole number", _int_test("q1_connections", "connections")),
    Question("q2_hub", 2, "one element's ID or label (text)", _test_hub),
    Question("q3_cut_off", 3, "a list or set of element IDs or labels", _test_cut_off, "names"),
    Question("q4_busiest_borough", 2, "a borough name or ONS code (text)", _test_borough),
    Question("q5_sole_assets", 2, "a list or set of asset names (text)", _test_assets, "names"),
    Question("q6_stale", 2, "a list or set of element IDs or labels", _test_stale, "names"),
    Question(FUNCTION_NAME, 3, "a function reach_within_two(m, name) that returns a whole number", _test_function,
             "function"),
    Question("q8_public_elements", 1, "a whole number", _test_public),
]
QUESTION_BY_NAME = {q.name: q for q in QUESTIONS}
TOTAL = sum(q.marks for q in QUESTIONS)


def mark_answers(answers: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Mark collected answers with the hidden tests: {question: (marks, comment)}.

    ``answers`` is what the hidden cell collected (missing names are absent,
    unreadable ones hold ``{"error": ...}``).

    Examples
    --------
    >>> marks = mark_answers({"q1_elements": 97, "q2_hub": None})
    >>> marks["q1_elements"], marks["q2_hub"]
    ((1, 'Right: the map has 97 elements.'), (0, 'Not answered yet.'))
    """
    ref = reference_answers()
    out: dict[str, tuple[float, str]] = {}
    for q in QUESTIONS:
        if q.name not in answers:
            out[q.name] = (0, f"Not answered: there is no {q.name} in the notebook.")
            continue
        value = answers[q.name]
        if isinstance(value, dict) and "error" in value:
            out[q.name] = (0, f"Not marked: {value['error']}")
            continue
        if value is None or (isinstance(value, str) and value.strip().strip("_") == "" and q.kind != "function"):
            out[q.name] = (0, "Not answered yet.")
            continue
        if q.kind == "names" and (isinstance(value, str) or not isinstance(value, list)):
            out[q.name] = (0, f"Not marked: {q.name} should be {q.format}.")
            continue
        try:
            out[q.name] = q.test(value, ref)
        except Exception as exc:  # a marking bug must not stop the run
            out[q.name] = (0, f"Could not mark this answer ({type(exc).__name__}); please ask your lecturer.")
    return out


# ------------------------------------------------------------------ inside the kernel
def _jsonable(value: Any) -> Any:
    import numbers

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, pd.Series):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, pd.Index):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, dict):
        return [_jsonable(k) for k in value]
    if isinstance(value, pd.DataFrame):
        return {"error": "a table was given; give a list of names instead (for example list(table.index))"}
    return {"error": f"a {type(value).__name__} was given, which cannot be marked"}


def _collect_answers(ns: dict[str, Any], path: str, cases: list[list[str]], limit: int = 10) -> None:
    """Run by the hidden cell inside the student's kernel: write their answers to ``path`` as JSON."""
    found: dict[str, Any] = {}
    for q in QUESTIONS:
        if q.kind == "function":
            continue
        if q.name in ns:
            try:
                found[q.name] = _jsonable(ns[q.name])
            except Exception as exc:  # noqa: BLE001 - anything a student wrote
                found[q.name] = {"error": f"could not read the answer ({type(exc).__name__})"}
    fn = ns.get(FUNCTION_NAME)
    if callable(fn):
        results: list[Any] = []
        maps: dict[str, Any] = {}

        def alarm(signum, frame):  # noqa: ARG001
            raise TimeoutError(f"took longer than {limit} seconds")

        old = signal.signal(signal.SIGALRM, alarm)
        try:
            for dataset, name in cases:
                try:
                    if dataset not in maps:
                        maps[dataset] = _load(dataset)
                    signal.alarm(limit)
                    value = fn(maps[dataset].copy(), name)
                    signal.alarm(0)
                    results.append(_jsonable(value) if not isinstance(value, bool) else str(value))
                except BaseException as exc:  # noqa: BLE001
                    signal.alarm(0)
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    results.append(f"{type(exc).__name__}: {str(exc)[:120]}")
        finally:
            signal.signal(signal.SIGALRM, old)
        found[FUNCTION_NAME] = results
    elif FUNCTION_NAME in ns:
        found[FUNCTION_NAME] = f"{FUNCTION_NAME} is not a function"
    written = {}
    for w in WRITTEN:
        text = ns.get(w)
        if isinstance(text, str) and text.strip().strip("_").strip():
            written[w] = text
    found["_written"] = written
    Path(path).write_text(json.dumps(found), encoding="utf-8")


def _hidden_cell(path: str) -> str:
    cases = [list(c) for c in FUNCTION_CASES]
    return (
        "from cop_toolkit.teaching.grading import _collect_answers as _cop_grade_collect\n"
        f"_cop_grade_collect(globals(), {path!r}, {cases!r})\n"
    )


# ------------------------------------------------------------------ one notebook, in a child process
def _run_one(notebook: Path, workdir: Path, timeout: float) -> dict[str, Any]:
    """Execute one notebook copy cell by cell, then the hidden cell. Runs in its own process."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    status: dict[str, Any] = {"errors": [], "timed_out_at": None, "kernel_died": False, "cells": 0}
    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    answers_path = workdir / f"answers-{os.getpid()}-{int(time.time() * 1000)}.json"
    hidden = nbformat.v4.new_code_cell(_hidden_cell(str(answers_path)))
    client = NotebookClient(
        nb, kernel_name="python3", timeout=int(timeout), allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": "TimeLimit", "evalue": "the cell ran past the time limit", "traceback": []},
        resources={"metadata": {"path": str(workdir)}}, record_timing=False, shutdown_kernel="immediate",
    )
    deadline = time.monotonic() + timeout
    try:
        with client.setup_kernel(env={**os.environ, "HOME": str(workdir), "MPLBACKEND": "Agg"}):
            pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
            if pid:
                (workdir / "kernel.pid").write_text(str(pid))
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    status["timed_out_at"] = status["timed_out_at"] or index + 1
                    break
                client.timeout = max(1, math.ceil(remaining))
                client.execute_cell(cell, index)
                status["cells"] += 1
                ran_out = time.monotonic() >= deadline - 0.5
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        # TimeLimit comes only from our own time limit; an interrupt counts when time ran out
                        if out.get("ename") == "TimeLimit" or (out.get("ename") == "KeyboardInterrupt" and ran_out):
                            status["timed_out_at"] = index + 1
                        else:
                            status["errors"].append({"cell": index + 1, "error": f"{out.get('ename')}: {out.get('evalue')}"[:200]})
                if ran_out and not status["timed_out_at"]:
                    status["timed_out_at"] = index + 1
                if status["timed_out_at"]:
                    break
            nb.cells.append(hidden)
            client.timeout = 120
            client.execute_cell(hidden, len(nb.cells) - 1)
            for out in hidden.get("outputs", []):
                if out.get("output_type") == "error":
                    status["hidden_error"] = f"{out.get('ename')}: {out.get('evalue')}"[:200]
    except DeadKernelError:
        status["kernel_died"] = True
    if answers_path.exists():
        status["answers"] = json.loads(answers_path.read_text(encoding="utf-8"))
    return status


def run_notebook(notebook: Path, timeout: float = 120) -> dict[str, Any]:
    """Run one submission safely: temp copy, own process, hard time limit; return what happened.

    Returns a dict with ``answers`` (when the hidden cell ran), ``errors``
    (failed cells), ``timed_out_at``, ``kernel_died`` and ``problem`` (a reason
    the notebook could not be run at all).

    Examples
    --------
    >>> result = run_notebook(Path("submissions/ama.ipynb"), timeout=60)   # doctest: +SKIP
    >>> result["answers"]["q1_elements"], result["errors"]                 # doctest: +SKIP
    (97, [])
    """
    with tempfile.TemporaryDirectory(prefix="cop-grade-") as tmp:
        work = Path(tmp)
        copy = work / "submission.ipynb"
        shutil.copyfile(notebook, copy)
        result_path = work / "result.json"
        cmd = [sys.executable, "-m", "cop_toolkit.teaching.grading", "--run-one", str(copy), str(work), str(timeout),
               str(result_path)]
        proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True, text=True)
        try:
            _, err = proc.communicate(timeout=timeout + 150)
        except subprocess.TimeoutExpired:
            _kill(proc, work)
            return {"problem": "the notebook did not finish within the time limit and was stopped"}
        finally:
            _kill_kernel(work)
        if result_path.exists():
            return json.loads(result_path.read_text(encoding="utf-8"))
        last = (err or "").strip().splitlines()[-1:] or ["no message"]
        return {"problem": f"the notebook could not be run ({last[0][:200]})"}


def _kill(proc: subprocess.Popen, work: Path) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _kill_kernel(work: Path) -> None:
    pid_file = work / "kernel.pid"
    if pid_file.exists():
        try:
            pid = int(pid_file.read_text())
            os.killpg(pid, signal.SIGKILL)
        except (ValueError, ProcessLookupError, PermissionError):
            pass


def _child(argv: list[str]) -> int:
    notebook, work, timeout, result_path = Path(argv[0]), Path(argv[1]), float(argv[2]), Path(argv[3])
    try:
        result = _run_one(notebook, work, timeout)
    except Exception as exc:  # noqa: BLE001 - report, never crash the parent
        name = type(exc).__name__
        if "NotJSON" in name or "ValidationError" in name or isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
            result = {"problem": "the file is not a readable notebook"}
        else:
            result = {"problem": f"the notebook could not be run ({name}: {str(exc)[:150]})"}
    result_path.write_text(json.dumps(result), encoding="utf-8")
    return 0


# ------------------------------------------------------------------ the marks table
@dataclass
class Submission:
    """One student's notebook and how it was marked."""

    student: str
    path: Path
    marks: dict[str, tuple[float, str]] = field(default_factory=dict)
    status: str = ""
    note: str = ""
    written: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(m for m, _ in self.marks.values())

    def row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"student": self.student, "file": self.path.name}
        for q in QUESTIONS:
            row[q.name] = self.marks.get(q.name, (0, ""))[0]
        row["automatic_total"] = self.total
        row["out_of"] = TOTAL
        row["written_words"] = sum(len(t.split()) for t in self.written.values())
        row["status"] = self.status
        row["note"] = self.note
        return row

    def feedback(self) -> str:
        lines = [f"# Coursework feedback: {self.student}", "",
                 f"**Automatically marked part: {_fmt(self.total)} out of {_fmt(TOTAL)}.**", ""]
        if self.note:
            lines += [f"> {self.note}", ""]
        lines += ["| Question | Marks | Out of | Comment |", "|---|---|---|---|"]
        for q in QUESTIONS:
            marks, comment = self.marks.get(q.name, (0, "Not marked."))
            lines.append(f"| `{q.name}` | {_fmt(marks)} | {_fmt(q.marks)} | {comment.replace('|', '/')} |")
        lines += ["", "## Written interpretations", "",
                  "Your lecturer marks these with the coursework rubric (`lessons/coursework_rubric.md`).", ""]
        for w in WRITTEN:
            text = self.written.get(w, "")
            words = len(text.split())
            lines.append(f"- `{w}`: {words} words" + ("" if words else " (not found: nothing to mark)"))
        lines.append("")
        return "\n".join(lines)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _find_notebooks(folder: Path) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for path in sorted(folder.glob("*.ipynb")):
        found.append((path.stem, path))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        nbs = sorted(sub.glob("*.ipynb"))
        for path in nbs:
            found.append((sub.name if len(nbs) == 1 else f"{sub.name}/{path.stem}", path))
    return found


def grade_one(student: str, path: Path, timeout: float = 120) -> Submission:
    """Run and mark one notebook; never raises for anything the notebook does.

    Examples
    --------
    >>> sub = grade_one("ama", Path("submissions/ama.ipynb"))   # doctest: +SKIP
    >>> sub.total, sub.status                                    # doctest: +SKIP
    (17, 'ok')
    """
    sub = Submission(student, path)
    result = run_notebook(path, timeout=timeout)
    if "problem" in result:
        sub.marks = {q.name: (0, "Not marked: the notebook did not run.") for q in QUESTIONS}
        sub.status = "not run"
        sub.note = f"Marked 0: {result['problem']}."
        return sub
    answers = result.get("answers")
    notes = []
    if result.get("kernel_died"):
        notes.append("the notebook stopped Python itself (the kernel died), so nothing after that could be marked")
    if result.get("timed_out_at"):
        notes.append(f"cell {result['timed_out_at']} ran past the time limit of {_fmt(timeout)} s and was stopped; "
                     "the cells after it were not run")
    if result.get("errors"):
        first = result["errors"][0]
        notes.append(f"{len(result['errors'])} cell{'s' * (len(result['errors']) != 1)} failed "
                     f"(first: cell {first['cell']}, {first['error']})")
    if answers is None:
        sub.marks = {q.name: (0, "Not marked: the answers could not be read.") for q in QUESTIONS}
        sub.status = "crashed" if result.get("kernel_died") else "not run"
        sub.note = "Marked 0: " + ("; ".join(notes) or result.get("hidden_error", "the answers could not be read")) + "."
        return sub
    sub.written = answers.pop("_written", {}) or {}
    sub.marks = mark_answers(answers)
    if result.get("timed_out_at"):
        sub.status = "timed out"
    elif result.get("errors"):
        sub.status = "errors"
    else:
        sub.status = "ok"
    if notes:
        sub.note = "Marks given for the parts that ran: " + "; ".join(notes) + "."
    return sub


def grade_folder(folder: str | Path, output: str | Path, *, feedback: str | Path | None = None,
                 timeout: float = 120, jobs: int = 1) -> pd.DataFrame:
    """Mark every notebook in ``folder``; write the marks table and feedback files.

    Parameters
    ----------
    folder : a folder of submitted notebooks (``name.ipynb``), or of one folder per student.
    output : where to write the marks table (``.csv`` or ``.xlsx``).
    feedback : folder for one markdown feedback file per student
        (default: ``feedback/`` next to ``output``).
    timeout : time limit per notebook, in seconds.
    jobs : how many notebooks to run at once.

    Returns
    -------
    The marks table (one row per student).

    Examples
    --------
    >>> grade_folder("no-such-folder", "marks.csv")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: the submissions folder 'no-such-folder' does not exist. How to fix: give the folder that holds the students' notebooks.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise MapError(f"the submissions folder '{folder}' does not exist",
                       fix="give the folder that holds the students' notebooks")
    found = _find_notebooks(folder)
    if not found:
        raise MapError(f"there are no notebooks (.ipynb files) in '{folder}'",
                       fix="put each student's notebook in the folder, or one folder per student")
    if timeout <= 0:
        raise MapError("the time limit must be more than 0 seconds", fix="use e.g. --timeout 120")
    output = Path(output)
    fb = Path(feedback) if feedback else output.parent / "feedback"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fb.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MapError(f"cannot write to '{output.parent}' ({exc.strerror})", fix="choose a folder you can write to") from exc
    with ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
        subs = list(pool.map(lambda sp: grade_one(sp[0], sp[1], timeout), found))
    table = pd.DataFrame([s.row() for s in subs])
    for s in subs:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in s.student)
        (fb / f"{safe}.md").write_text(s.feedback(), encoding="utf-8")
    tmp = output.with_name(output.name + ".tmp")
    if output.suffix.lower() == ".xlsx":
        table.to_excel(tmp, index=False, engine="openpyxl")
    else:
        table.to_csv(tmp, index=False)
    os.replace(tmp, output)
    return table


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
    for q in QUESTIONS:
        value = ns.get(q.name)
        ok, msg = False, ""
        if value is None or (isinstance(value, str) and value.strip().strip("_") == "") or repr(value) == "____":
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


# ------------------------------------------------------------------ command line
def main(argv: list[str] | None = None) -> int:
    """``cop-grade SUBMISSIONS_DIR -o marks.csv [--feedback DIR] [--timeout S] [--jobs N]``.

    Returns the exit status: 0 when the folder was marked (even if some
    notebooks failed: they get a mark and a note), 2 for a user mistake.

    Examples
    --------
    >>> main(["no-such-folder"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--run-one"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(
        prog="cop-grade",
        description="Mark a folder of coursework notebooks: run each safely, mark the automatic questions "
                    "with hidden tests, write a marks table and one feedback file per student.")
    parser.add_argument("submissions", help="folder of submitted notebooks (or one folder per student)")
    parser.add_argument("-o", "--output", default="marks.csv", help="marks table to write (.csv or .xlsx)")
    parser.add_argument("--feedback", default=None, help="folder for feedback files (default: feedback/ beside -o)")
    parser.add_argument("--timeout", type=float, default=120, help="time limit per notebook in seconds (default 120)")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks to run at once (default 1)")
    args = parser.parse_args(argv)
    try:
        table = grade_folder(args.submissions, args.output, feedback=args.feedback, timeout=args.timeout,
                             jobs=args.jobs)
    except MapError as exc:
        print(f"cop-grade: {exc}", file=sys.stderr)
        return 2
    counts = table["status"].value_counts()
    print(f"Marked {len(table)} notebook{'s' * (len(table) != 1)}: "
          + ", ".join(f"{n} {s}" for s, n in counts.items())
          + f". Marks: {args.output}; feedback: {args.feedback or Path(args.output).parent / 'feedback'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
