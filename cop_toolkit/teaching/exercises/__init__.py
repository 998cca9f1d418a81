"""Exercises for the lesson notebooks: ``check()``, ``hint()``, ``solution()``.

In a notebook::

    from cop_toolkit.teaching.exercises import ____, lesson01 as ex
    n_elements = ____        # replace ____ with your answer
    ex.q1.check()
    ex.q1.hint()             # ex.q1.hint(2) goes further
    ex.q1.solution()

``lesson("01")`` gives the same module as ``lesson01``. ``show_progress()``
shows how far you have got; it is kept only in a file on your own computer
(see :mod:`cop_toolkit.teaching.exercises.progress`). ``check_environment()``
checks that everything the lessons need is installed; ``plain_errors()``
(called at the top of each lesson) explains a label used where an ID is
needed in one sentence instead of a long error. The old path
``from cop_toolkit.exercises import ____, lesson01`` works too.

The parts, from the bottom up: :mod:`.blank` (``____``), :mod:`.results`
(what a learner sees), :mod:`.comparison` (comparing an answer with the right
one), :mod:`.exercise` and :mod:`.kinds` (the exercise types; lesson authors
start there), :mod:`.registry` (finding the lessons) and one ``lessonNN``
module per lesson.
"""

from __future__ import annotations

from typing import Any

from cop_toolkit.teaching.exercises.blank import BLANK, ____, is_blank
from cop_toolkit.teaching.exercises.environment import check_environment
from cop_toolkit.teaching.exercises.exercise import Case, Exercise, Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ChoiceExercise,
    DataFrameExercise,
    ElementExercise,
    FigureExercise,
    FunctionExercise,
    ReflectionExercise,
    SetExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.plain_errors import plain_errors
from cop_toolkit.teaching.exercises.progress import progress_table, reset_progress
from cop_toolkit.teaching.exercises.registry import (
    all_exercises,
    lesson,
    lesson_names,
    register,
)
from cop_toolkit.teaching.exercises.results import Result, show

#: the lesson modules (``lesson00`` ...), each loaded on first use
LESSONS = lesson_names()

__all__ = [
    "____",
    "BLANK",
    "Case",
    "ChoiceExercise",
    "DataFrameExercise",
    "ElementExercise",
    "Exercise",
    "FigureExercise",
    "FunctionExercise",
    "Mistake",
    "ReflectionExercise",
    "Result",
    "SetExercise",
    "ValueExercise",
    "all_exercises",
    "check_environment",
    "is_blank",
    "lesson",
    "plain_errors",
    "progress_table",
    "register",
    "reset_progress",
    "show",
    "show_progress",
    # the lesson modules (LESSONS), so that ``from cop_toolkit.exercises import lesson03`` works
    "lesson00",
    "lesson01",
    "lesson02",
    "lesson03",
    "lesson04",
    "lesson05",
    "lesson06",
    "lesson07",
    "lesson08",
    "lesson09",
    "lesson10",
    "lesson11",
    "lesson12",
]


def show_progress() -> Any:
    """Return your progress table (one row per exercise you have tried)."""
    return progress_table()


def __getattr__(name: str) -> Any:
    if name in LESSONS:  # a lesson module, loaded on first use
        module = lesson(name)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'cop_toolkit.teaching.exercises' has no attribute {name!r}")
