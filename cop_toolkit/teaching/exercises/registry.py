"""Where the exercises are: each lesson module's list, and the lesson modules themselves.

A lesson's exercises live in ``lessonNN.py`` in this folder, in a list called
``EXERCISES`` made with :func:`register`. :func:`lesson` loads one lesson's
module (``lesson("03")``); :func:`all_exercises` finds every lesson's list.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

from cop_toolkit.core.errors import MapError
from cop_toolkit.teaching.exercises.exercise import Exercise

__all__ = ["register", "lesson", "lesson_names", "all_exercises"]

#: the package the lesson modules are in (this module's own package, named without importing it)
_PACKAGE = __name__.rpartition(".")[0]
_FOLDER = Path(__file__).resolve().parent


def register(*exercises: Exercise) -> list[Exercise]:
    """Return the list of a lesson's exercises (store it in ``EXERCISES``).

    Raises ``ValueError`` when two exercises share an ID.

    Examples
    --------
    >>> from cop_toolkit.teaching.exercises.kinds import ValueExercise
    >>> q = ValueExercise(id="x.1", title="Count", prompt="How many?", var="n", solution="3", hints=["Count."])
    >>> register(q)
    [<ValueExercise x.1: Count>]
    """
    seen: set[str] = set()
    for ex in exercises:
        if ex.id in seen:
            raise ValueError(f"two exercises are called {ex.id}")
        seen.add(ex.id)
    return list(exercises)


def lesson_names() -> list[str]:
    """The names of the lesson modules (``lesson00``, ``lesson01``...), in order.

    Examples
    --------
    >>> lesson_names()[:2]
    ['lesson00', 'lesson01']
    """
    return sorted(info.name for info in pkgutil.iter_modules([str(_FOLDER)]) if re.fullmatch(r"lesson\d\d", info.name))


def lesson(number: str | int) -> ModuleType:
    """One lesson's exercise module: ``lesson("03")``, ``lesson(3)`` or ``lesson("lesson03")``.

    Its exercises are ``q1``, ``q2``... and the list ``EXERCISES``.

    Examples
    --------
    >>> ex = lesson("03")
    >>> ex.__name__, ex is lesson(3)
    ('cop_toolkit.teaching.exercises.lesson03', True)
    """
    text = str(number).strip().lower().removeprefix("lesson")
    name = f"lesson{int(text):02d}" if text.isdigit() else ""
    if name not in lesson_names():
        raise MapError(
            f"there is no lesson {number!r}",
            fix=f"give a lesson number from 00 to {lesson_names()[-1][-2:]}, e.g. lesson('03')",
        )
    return importlib.import_module(f"{_PACKAGE}.{name}")


def all_exercises() -> dict[str, list[Exercise]]:
    """Every lesson module's exercises, keyed by module name (``lesson03``...).

    Examples
    --------
    >>> lessons = all_exercises()
    >>> all(name.startswith("lesson") for name in lessons)
    True
    """
    return {name: list(getattr(lesson(name), "EXERCISES", [])) for name in lesson_names()}
