"""Mark a folder of coursework notebooks: ``cop-grade SUBMISSIONS_DIR -o marks.csv``.

The coursework (``notebooks/coursework/coursework_2019.ipynb``) asks students
to analyse the ``coursework-2019`` map and leave their answers in named
variables (``q1_elements``, ``q3_cut_off`` ...) and one function
(``reach_within_two(m, name)``), plus three short written interpretations that
a lecturer marks with ``lessons/coursework_rubric.md``.

How marking works
-----------------
1. Every ``*.ipynb`` in the folder (or one folder down, one folder per
   student) is copied into a fresh temporary folder of its own, with a fresh
   HOME (:mod:`~cop_toolkit.teaching.grading.sandbox`).
2. Each copy is run in a sandbox: its own process session, resource limits
   and, when ``cop-grade`` runs as root, an unprivileged user of its own that
   cannot read the other submissions, the marks or the grader, nor write the
   Python environment. Cells that fail are recorded and the run carries on; a
   cell that runs past the time limit is interrupted and the rest are skipped.
3. A hidden cell then collects the answers and calls the student's function on
   hidden cases (:func:`cop_toolkit.teaching.coursework.collect_answers`).
4. The answers are marked here, in the grader's own process, against
   references **computed from the data** (:mod:`~cop_toolkit.teaching.grading.key`).
   The student's kernel cannot import this package; the checks students see
   (:func:`cop_toolkit.teaching.coursework.check_format`) only confirm the
   *format* of each answer and hold no key.
5. After each submission the marks table and that student's feedback file are
   written atomically (:mod:`~cop_toolkit.teaching.grading.marks`).

Per-group maps
--------------
The notebook names its map in its papermill ``parameters`` cell
(``map_path = "coursework-2019"``). ``cop-grade --maps DIR`` lets a submission
name a map file in DIR (by file name only) besides the bundled samples;
``--groups groups.csv`` (``student,map``) fixes each student's map. The grader
reads ``map_path`` without running the notebook, refuses any map it was not
given (the notebook gets 0 and "this notebook names a map you were not
given"), computes the references on the chosen map, and runs the notebook on a
private copy of it (:mod:`~cop_toolkit.teaching.grading.maps`). The marks
table's ``map`` column says which map each submission was marked on.

A broken notebook gets the marks for the parts that ran and a clear note; a
notebook that cannot be read or whose kernel dies gets 0 and a note; a
notebook that imports the grader or tampers with its surroundings gets 0 and
a flag. User mistakes (a missing folder, no notebooks) print one line and
exit with status 2.

Without root, notebooks run as the person marking: they cannot import the
grader and get the same limits, but they could read what that person can
read. Run ``cop-grade`` as root (for example in a container) for the full
sandbox.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public names -> the module that holds them. They are loaded on first use, so that the sandbox
#: runner (``python -m cop_toolkit.teaching.grading.sandbox``) starts without loading the key.
_EXPORTS = {
    "QUESTIONS": "cop_toolkit.teaching.grading.key",
    "TOTAL": "cop_toolkit.teaching.grading.key",
    "Question": "cop_toolkit.teaching.grading.key",
    "mark_answers": "cop_toolkit.teaching.grading.key",
    "out_of": "cop_toolkit.teaching.grading.key",
    "reference_answers": "cop_toolkit.teaching.grading.key",
    "CourseworkMap": "cop_toolkit.teaching.grading.maps",
    "GivenMaps": "cop_toolkit.teaching.grading.maps",
    "notebook_parameters": "cop_toolkit.teaching.grading.maps",
    "WRITTEN": "cop_toolkit.teaching.coursework",
    "check_format": "cop_toolkit.teaching.coursework",
    "Submission": "cop_toolkit.teaching.grading.marks",
    "grade_folder": "cop_toolkit.teaching.grading.marks",
    "grade_one": "cop_toolkit.teaching.grading.marks",
    "run_notebook": "cop_toolkit.teaching.grading.sandbox",
    "main": "cop_toolkit.teaching.grading.cli",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)


def __dir__() -> list[str]:
    return sorted(__all__)
