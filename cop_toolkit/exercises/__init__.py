"""Exercises for the lesson notebooks: ``check()``, ``hint()``, ``solution()``.

In a notebook::

    from cop_toolkit.exercises import ____, lesson01 as ex
    n_elements = ____        # replace ____ with your answer
    ex.q1.check()
    ex.q1.hint()             # ex.q1.hint(2) goes further
    ex.q1.solution()

``show_progress()`` shows how far you have got; it is kept only in a file on
your own computer (see :mod:`cop_toolkit.exercises.progress`).
``check_environment()`` checks that everything the lessons need is installed.

Lesson authors: see :mod:`cop_toolkit.exercises.core` for the exercise types
and how to write one.
"""

from __future__ import annotations

import importlib
from typing import Any

from .core import (
    BLANK,
    Case,
    ChoiceExercise,
    DataFrameExercise,
    ElementExercise,
    Exercise,
    FigureExercise,
    FunctionExercise,
    Mistake,
    ReflectionExercise,
    Result,
    SetExercise,
    ValueExercise,
    ____,
    all_exercises,
    is_blank,
    register,
    show,
)
from .progress import progress_table, reset_progress

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
    "progress_table",
    "register",
    "reset_progress",
    "show",
    "show_progress",
]


def show_progress() -> Any:
    """Return your progress table (one row per exercise you have tried)."""
    return progress_table()


def __getattr__(name: str) -> Any:
    # lesson modules (lesson00 ... lesson12) and the environment check load on first use
    if name.startswith("lesson") or name == "environment":
        try:
            module = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            raise AttributeError(f"there is no exercise module called {name!r}") from exc
        globals()[name] = module
        return module
    if name == "check_environment":
        from .environment import check_environment

        return check_environment
    raise AttributeError(f"module 'cop_toolkit.exercises' has no attribute {name!r}")
