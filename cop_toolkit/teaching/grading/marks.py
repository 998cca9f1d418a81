"""Marking a folder: run each submission in its sandbox, mark it, write marks and feedback as it finishes.

Marks and feedback are written by the grader alone, atomically, after each
submission, so a crash (or a submission that somehow stops the grader) keeps
the marks so far. A submission is marked 0 and flagged when its code imports
the grader (seen in its code or while it ran), tries to change the Python
installation, stops processes that are not its own, or leaves processes
running. Spreadsheet cells that could run as formulas are neutralised.

Each submission is run and marked on one map (:mod:`~cop_toolkit.teaching.grading.maps`):
the one its parameters cell names, when the lecturer gave it, or its group's
map; a notebook naming a map it was not given is not run and gets 0 and a line
saying so. The marks table's ``map`` column shows which.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import io
import os
import re
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import atomic_write_bytes, atomic_write_text
from cop_toolkit.io.common import protect_series
from cop_toolkit.teaching.coursework import FORMATS, GRADER_MODULE, WRITTEN
from cop_toolkit.teaching.grading.key import (
    QUESTIONS,
    TOTAL,
    function_cases,
    mark_answers,
    out_of,
    plain_error,
    question_title,
    reference_answers,
)
from cop_toolkit.teaching.grading.maps import (
    SAMPLE,
    GivenMaps,
    MapChoice,
    cell_source,
    notebook_cells,
)
from cop_toolkit.teaching.grading.sandbox import claim_uid, probe_sandbox, run_notebook

__all__ = ["Submission", "feedback_names", "grade_folder", "grade_one", "scan_code"]

GRADER_FLAG = "imported the grader (which holds the answers)"
#: Spellings of the grader in code with quotes, spaces, brackets and '+' taken out (string tricks included).
_GRADER_SPELLINGS = ("teaching.grading", "teachinggrading", "teaching/grading", "teachingimportgrading",
                     "reference_answers", "mark_answers", "grading.key", "grading.marks")


# ------------------------------------------------------------------ what the code says
def _code_cells(path: Path) -> list[str]:
    return [cell_source(c) for c in notebook_cells(path)]


def scan_code(cells: list[str]) -> list[str]:
    """Flags for a notebook's code: does it import the grader, even through strings (importlib, __import__)?

    Examples
    --------
    >>> scan_code(["import cop_toolkit as cop\\nq1_elements = 97"])
    []
    >>> scan_code(["import importlib\\ng = importlib.import_module('cop_toolkit.teaching.' + 'grad' 'ing')"])
    ['imported the grader (which holds the answers)']
    """
    code = "\n".join(cells)
    squeezed = re.sub(r"[\s'\"+,()\[\]{}\\]", "", code)
    if any(s in squeezed for s in _GRADER_SPELLINGS):
        return [GRADER_FLAG]
    for cell in cells:
        source = "\n".join(line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(n == GRADER_MODULE or n.startswith(GRADER_MODULE + ".") for n in names):
                return [GRADER_FLAG]
    return []


def _cell_question(cells: list[str], number: int) -> str:
    """Which question a notebook cell answers ('the cell for Question 3 (q3_cut_off)'), or ''."""
    if not 0 < number <= len(cells):
        return ""
    for name in [f.name for f in FORMATS] + list(WRITTEN):
        if re.search(rf"^\s*(def\s+)?{name}\b", cells[number - 1], flags=re.MULTILINE):
            title = question_title(name) if not name.startswith("interpretation") else name.replace("_", " ")
            return f", the cell for {title}"
    return ""


# ------------------------------------------------------------------ one submission
@dataclass
class Submission:
    """One student's notebook and how it was marked.

    Examples
    --------
    >>> sub = Submission("ama", Path("ama.ipynb"), marks={"q1_elements": (1, "Right.")}, status="ok")
    >>> sub.total, sub.row()["automatic_total"], sub.row()["map"]
    (1, 1, 'coursework-2019')
    """

    student: str
    path: Path
    marks: dict[str, tuple[float, str]] = field(default_factory=dict)
    status: str = ""
    note: str = ""
    written: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    #: The map it was marked on ('' when it was not marked), the marks it could get and the questions skipped there.
    map: str = SAMPLE.name
    out_of: float = TOTAL
    skipped: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return sum(m for m, _ in self.marks.values())

    def row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"student": self.student, "file": self.path.name, "map": self.map}
        for q in QUESTIONS:
            row[q.name] = None if q.name in self.skipped else self.marks.get(q.name, (0, ""))[0]
        row["automatic_total"] = self.total
        row["out_of"] = self.out_of
        row["written_words"] = sum(len(t.split()) for t in self.written.values())
        row["status"] = self.status
        row["note"] = self.note
        return row

    def feedback(self) -> str:
        lines = [f"# Coursework feedback: {self.student}", "",
                 f"**Automatically marked part: {_fmt(self.total)} out of {_fmt(self.out_of)}.**", ""]
        if self.map:
            lines += [f"Marked on the map `{self.map}`.", ""]
        if self.note:
            lines += [f"> {self.note}", ""]
        lines += ["| Question | Marks | Out of | Comment |", "|---|---|---|---|"]
        for q in QUESTIONS:
            marks, comment = self.marks.get(q.name, (0, "Not marked."))
            got, full = ("—", "—") if q.name in self.skipped else (_fmt(marks), _fmt(q.marks))
            lines.append(f"| {question_title(q.name)} | {got} | {full} | {comment.replace('|', '/')} |")
        lines += ["", "## Written interpretations", "",
                  "Your lecturer marks these with the coursework rubric (`lessons/coursework_rubric.md`).", ""]
        for w in WRITTEN:
            words = len(self.written.get(w, "").split())
            lines.append(f"- `{w}`: {words} words" + ("" if words else " (not found: nothing to mark)"))
        lines.append("")
        return "\n".join(lines)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _notes(result: dict[str, Any], cells: list[str], timeout: float) -> list[str]:
    notes = []
    if result.get("kernel_died"):
        notes.append("the notebook stopped Python itself (the kernel died), so nothing after that could be marked")
    if result.get("timed_out_at"):
        at = result["timed_out_at"]
        notes.append(f"cell {at}{_cell_question(cells, at)} ran past the time limit of {_fmt(timeout)} s and was "
                     "stopped; the cells after it were still run, each with a short time limit, so your other answers count")
    if result.get("errors"):
        first = result["errors"][0]
        n = len(result["errors"])
        notes.append(f"{n} cell{'s' * (n != 1)} failed (first: cell {first['cell']}{_cell_question(cells, first['cell'])}: "
                     f"{plain_error(str(first['error']))})")
    return notes


def _flags(result: dict[str, Any], cells: list[str]) -> list[str]:
    answers = result.get("answers") if isinstance(result.get("answers"), dict) else {}
    flags = set(scan_code(cells)) | {str(f)[:100] for f in (answers.get("_flags") or [])[:20]}
    if result.get("planted"):
        flags.add(f"added {len(result['planted'])} file(s) to the Python installation (removed from marking: "
                  f"{', '.join(os.path.basename(p) for p in result['planted'][:3])})")
    if result.get("left_running"):
        flags.add(f"left {result['left_running']} program(s) running after it ended (they were stopped)")
    if result.get("stopped_runner"):
        flags.add("stopped the program that was running it")
    return sorted(flags)


def grade_one(student: str, path: Path, timeout: float = 120, *, uid: int | None = None,
              hide: tuple[str, ...] = (), choice: MapChoice | None = None) -> Submission:
    """Run and mark one notebook on its map; never raises for anything the notebook does.

    ``choice`` is the map to run and mark it on (default: the bundled sample
    its parameters cell names, see :meth:`GivenMaps.choose`). A notebook whose
    map was not given is not run: it gets 0 and the line saying so.

    Examples
    --------
    >>> sub = grade_one("ama", Path("submissions/ama.ipynb"))   # doctest: +SKIP
    >>> sub.total, sub.status, sub.map                           # doctest: +SKIP
    (17, 'ok', 'coursework-2019')
    """
    choice = choice or GivenMaps().choose(student, path)
    sub = Submission(student, path)
    if choice.map is None:
        return _unmarked(sub, "map not given", f"Not marked: {choice.reason}.", f"Marked 0: {choice.note}.",
                         map_name="")
    try:
        ref = reference_answers(choice.map)
    except MapError as exc:
        return _unmarked(sub, "not run", "Not marked: the map could not be read.",
                         f"Marked 0: the map '{choice.map.name}' could not be read ({exc}); please tell your lecturer.",
                         map_name=choice.map.name)
    sub.map, sub.out_of, sub.skipped = choice.map.name, out_of(choice.map), tuple(ref["skipped"])
    result = run_notebook(path, timeout=timeout, uid=uid, hide=hide, map_name=choice.map.name,
                          map_file=choice.map.file, cases=function_cases(choice.map))
    _mark_result(sub, result, _code_cells(path), timeout, choice)
    if choice.note:
        sub.note = f"{choice.note[0].upper()}{choice.note[1:]}." + (f" {sub.note}" if sub.note else "")
    return sub


def _unmarked(sub: Submission, status: str, comment: str, note: str, *, map_name: str) -> Submission:
    """A submission that gets 0 on every question, with one comment and a note."""
    sub.marks = {q.name: (0, comment) for q in QUESTIONS}
    sub.status, sub.note, sub.map = status, note, map_name
    return sub


def _mark_result(sub: Submission, result: dict[str, Any], cells: list[str], timeout: float,
                 choice: MapChoice) -> None:
    """Mark what the sandbox handed back (flags first: a flagged notebook gets 0)."""
    sub.flags = _flags(result, cells)
    if sub.flags:
        sub.marks = {q.name: (0, "Not marked: the notebook was flagged (see the note).") for q in QUESTIONS}
        sub.status = "flagged"
        sub.note = "Marked 0 and flagged for your lecturer to check: the notebook " + "; ".join(sub.flags) + "."
        return
    if "problem" in result:
        _unmarked(sub, "not run", "Not marked: the notebook did not run.", f"Marked 0: {result['problem']}.",
                  map_name=sub.map)
        return
    answers = result.get("answers")
    notes = _notes(result, cells, timeout)
    if not isinstance(answers, dict):
        reason = "; ".join(notes) or result.get("hidden_error", "the answers could not be read")
        _unmarked(sub, "crashed" if result.get("kernel_died") else "not run",
                  "Not marked: the answers could not be read.", f"Marked 0: {reason}.", map_name=sub.map)
        return
    written = answers.pop("_written", {})
    sub.written = {k: v for k, v in written.items() if k in WRITTEN and isinstance(v, str)} if isinstance(written, dict) else {}
    answers.pop("_flags", None)
    sub.marks = mark_answers(answers, choice.map)
    sub.status = "timed out" if result.get("timed_out_at") else "errors" if result.get("errors") else "ok"
    if notes:
        sub.note = "Marks given for the parts that ran: " + "; ".join(notes) + "."


# ------------------------------------------------------------------ the folder
def _find_notebooks(folder: Path) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = [(p.stem, p) for p in sorted(folder.glob("*.ipynb")) if p.is_file()]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")):
        nbs = sorted(p for p in sub.glob("*.ipynb") if p.is_file())
        for path in nbs:
            found.append((sub.name if len(nbs) == 1 else f"{sub.name}/{path.stem}", path))
    seen: set[str] = set()
    unique = []
    for name, path in found:
        while name in seen:
            name = f"{name} ({path.parent.name}/{path.name})"
        seen.add(name)
        unique.append((name, path))
    return unique


def feedback_names(students: list[str]) -> dict[str, str]:
    """A safe, unique feedback file name for each student (unique even on a case-blind disk).

    Examples
    --------
    >>> feedback_names(["ama", "k b", "k_b"])   # doctest: +NORMALIZE_WHITESPACE
    {'ama': 'ama.md', 'k b': 'k_b-c764f0.md', 'k_b': 'k_b.md'}
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for student in sorted(students, key=lambda s: (s != re.sub(r"[^\w.-]", "_", s), s)):
        safe = re.sub(r"[^\w.-]", "_", student, flags=re.ASCII).strip(".")[:80] or "student"
        name = safe
        if safe != student or name.casefold() in taken:
            name = f"{safe}-{hashlib.sha256(student.encode()).hexdigest()[:6]}"
        while name.casefold() in taken:
            name += "_"
        taken.add(name.casefold())
        names[student] = name + ".md"
    return {s: names[s] for s in students}


def _table_bytes(table: pd.DataFrame, suffix: str) -> bytes:
    safe = table.copy()
    for column in ("student", "file", "status", "note"):
        safe[column] = protect_series(safe[column])
    buffer = io.BytesIO()
    if suffix == ".xlsx":
        safe.to_excel(buffer, index=False, engine="openpyxl")
    else:
        buffer.write(safe.to_csv(index=False).encode("utf-8"))
    return buffer.getvalue()


def _open_to_others(path: Path) -> bool:
    """Could another user on this machine list or read inside ``path``?"""
    for folder in [*reversed(path.resolve().parents), path.resolve()]:
        try:
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def _check_sandbox(uid: int, hide: tuple[str, ...]) -> None:
    probe = probe_sandbox(uid, hide)
    if not probe["probe_ok"]:
        raise MapError(f"cop-grade runs each notebook as an unprivileged user, and that user cannot start Python here "
                       f"({probe['problem']})", fix="install Python where every user can read it, or run cop-grade as "
                                                   "an ordinary user (with less protection)")
    if not probe["isolated"]:
        for folder in hide:
            if Path(folder).exists() and _open_to_others(Path(folder)):
                raise MapError(f"other users can open '{folder}', so one student's code could read the others' work",
                               fix=f"make it private first (chmod 700 '{folder}')")


def _checked(folder: Path, timeout: float) -> list[tuple[str, Path]]:
    if not folder.is_dir():
        raise MapError(f"the submissions folder '{folder}' does not exist",
                       fix="give the folder that holds the students' notebooks")
    found = _find_notebooks(folder)
    if not found:
        raise MapError(f"there are no notebooks (.ipynb files) in '{folder}'",
                       fix="put each student's notebook in the folder, or one folder per student")
    if timeout <= 0:
        raise MapError("the time limit must be more than 0 seconds", fix="use e.g. --timeout 120")
    return found


def _given_maps(maps: str | Path | None, groups: str | Path | None) -> GivenMaps:
    """The maps submissions may name; every map of the groups file is read now, before any notebook runs."""
    given = GivenMaps(maps, groups)
    for assigned in dict.fromkeys((given.groups or {}).values()):
        try:
            reference_answers(assigned)
        except MapError as exc:
            raise MapError(f"the map '{assigned.name}' in the groups file cannot be read ({exc.problem})",
                           fix=exc.fix or "check the map file") from None
    return given


def grade_folder(folder: str | Path, output: str | Path, *, feedback: str | Path | None = None,
                 timeout: float = 120, jobs: int = 1, maps: str | Path | None = None,
                 groups: str | Path | None = None) -> pd.DataFrame:
    """Mark every notebook in ``folder``; write the marks table and feedback files as each one finishes.

    Parameters
    ----------
    folder : a folder of submitted notebooks (``name.ipynb``), or of one folder per student.
    output : where to write the marks table (``.csv`` or ``.xlsx``).
    feedback : folder for one markdown feedback file per student
        (default: ``feedback/`` next to ``output``).
    timeout : time limit per notebook, in seconds.
    jobs : how many notebooks to run at once.
    maps : the folder of map files submissions may name (besides the bundled
        samples); by file name only.
    groups : a CSV (columns ``student``, ``map``) fixing each student's map.

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
    found = _checked(folder, timeout)
    given = _given_maps(maps, groups)
    choices = {student: given.choose(student, path) for student, path in found}
    output = Path(output)
    fb = Path(feedback) if feedback else output.parent / "feedback"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fb.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MapError(f"cannot write to '{output.parent}' ({exc.strerror})", fix="choose a folder you can write to") from exc
    shared = [given.folder] if given.folder is not None else []
    hide = tuple(dict.fromkeys(str(p.resolve()) for p in (folder, output.parent, fb, *shared)))
    jobs = max(1, min(int(jobs), len(found)))
    root = os.geteuid() == 0
    if root and any(c.map is not None for c in choices.values()):
        with claim_uid() as uid:
            _check_sandbox(uid, hide)
    names = feedback_names([s for s, _ in found])
    done: dict[str, Submission] = {}
    lock = threading.Lock()

    def mark(student: str, path: Path) -> None:
        with claim_uid() if root else contextlib.nullcontext() as uid:
            sub = grade_one(student, path, timeout, uid=uid, hide=hide, choice=choices[student])
        with lock:
            done[student] = sub
            atomic_write_text(fb / names[student], sub.feedback())
            table = pd.DataFrame([done[s].row() for s, _ in found if s in done])
            atomic_write_bytes(output, _table_bytes(table, output.suffix.lower()))

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(lambda sp: mark(*sp), found))
    return pd.DataFrame([done[s].row() for s, _ in found])
