"""The exercise system: instant, friendly feedback in the lesson notebooks.

In the spirit of Kaggle's *learntools*, every exercise is an object with three
methods a learner calls from a notebook:

* ``q1.check()`` — looks at the learner's answer and says, in plain words,
  whether it is right and, if not, what is wrong. An answer still set to
  ``____`` (or ``None``) is reported as *not attempted yet*, never as wrong.
* ``q1.hint()`` — a first hint; ``q1.hint(2)`` goes further, and so on.
* ``q1.solution()`` — the reference solution, shown on request.

In a notebook the feedback is a coloured box (HTML through
``IPython.display``); elsewhere it is printed as plain text. Anything the
learner typed that is echoed back is HTML-escaped.

Progress (checks, hints and solutions seen, reflections) is kept only on the
learner's own machine, in a small JSON file (see
:mod:`cop_toolkit.exercises.progress`). Nothing is ever sent anywhere.

Exercise types
--------------
=======================  ====================================================
:class:`ValueExercise`    one number or word (numbers with a tolerance)
:class:`ElementExercise`  one element of a map, named by ID or label
:class:`ChoiceExercise`   a multiple-choice question (letter or option text)
:class:`SetExercise`      a set of elements (IDs or labels; ``ordered=True``
                          for a ranking)
:class:`DataFrameExercise` a table
:class:`FunctionExercise` a function the learner writes, run on hidden cases
:class:`FigureExercise`   a plotly figure, checked by its data (trace type,
                          x and y values)
:class:`ReflectionExercise` a written reflection: recorded, not marked
=======================  ====================================================

Writing an exercise (for lesson authors)
----------------------------------------
An exercise is defined once, in a ``cop_toolkit/exercises/lessonNN.py``
module, next to a *setup* function that rebuilds what the notebook has at
that point (the map, a metrics table...) and a *reference solution* written
as the code a learner would type. The expected answer is never typed in by
hand: it is what the solution code computes from the data. For example::

    import functools
    from .core import ValueExercise, ElementExercise, Mistake, register

    @functools.cache
    def _owa():                       # cached: build the namespace once
        import cop_toolkit as cop
        m = cop.datasets.load("owa-2017")
        return {"cop": cop, "m": m, "metrics": cop.element_metrics(m)}

    q1 = ElementExercise(
        id="03.1",
        title="Who is the best connected?",
        var="busiest",                        # the learner's variable
        prompt="Which element has the most connections (highest degree)?",
        setup=_owa,
        solution='busiest = metrics["degree"].idxmax()',
        hints=["Look at the 'degree' column of metrics.",
               "metrics['degree'].idxmax() gives the ID of the largest value."],
        mistakes=[Mistake('metrics["betweenness"].idxmax()',
                          "That is the element with the highest betweenness, "
                          "not the most connections.")],
        explanation="Degree counts direct connections.",
    )
    EXERCISES = register(q1)

* ``setup`` returns a dict of names the solution code may use (build it
  once with ``functools.cache``; solutions must not change those objects).
* ``solution`` is code executed in a copy of that namespace; the value left
  in ``var`` is the expected answer (a single expression also works). It is
  what :meth:`Exercise.solution` shows, so the shown code is the tested code.
* ``expected`` (optional) is a callable ``ns -> value`` computing the answer
  another way; the tests then prove both agree.
* ``mistakes`` are typical wrong answers (code or a callable ``ns -> value``)
  with a targeted message. Tests prove each one fails *with its message*.
* ``register(*exercises)`` returns the list a lesson module stores in
  ``EXERCISES``; :func:`all_exercises` finds every lesson's list.

The learner's side, in a notebook::

    from cop_toolkit.exercises import ____, lesson03 as ex
    busiest = ____          # the learner replaces ____ with code
    ex.q1.check()           # finds `busiest` in the notebook by itself
    ex.q1.hint(); ex.q1.hint(2); ex.q1.solution()

``check(value)`` may also be given the answer directly. For programs (tests,
grading) :meth:`Exercise.evaluate` returns a :class:`Result` and shows and
records nothing.
"""

from __future__ import annotations

import html
import importlib
import inspect
import math
import numbers
import pkgutil
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import progress as _progress

__all__ = [
    "____",
    "BLANK",
    "Result",
    "Mistake",
    "Case",
    "Exercise",
    "ValueExercise",
    "ElementExercise",
    "ChoiceExercise",
    "SetExercise",
    "DataFrameExercise",
    "FunctionExercise",
    "FigureExercise",
    "ReflectionExercise",
    "register",
    "all_exercises",
    "is_blank",
    "show",
]


# --------------------------------------------------------------------------- blanks
class _Blank:
    """The placeholder ``____`` that learners replace with their answer."""

    _instance: _Blank | None = None

    def __new__(cls) -> _Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __bool__(self) -> bool:
        return False

    def __call__(self, *args: Any, **kwargs: Any) -> _Blank:
        return self


#: The blank a learner replaces with an answer (``answer = ____``).
____ = _Blank()
BLANK = ____
_MISSING = object()


def is_blank(value: Any) -> bool:
    """Return True when an answer has not been filled in yet.

    ``None``, ``____``, ``...`` and empty or underscore-only text count as blank.

    Examples
    --------
    >>> is_blank(____), is_blank(None), is_blank("  "), is_blank(0)
    (True, True, True, False)
    """
    if value is None or value is ____ or value is Ellipsis:
        return True
    if isinstance(value, str):
        return value.strip().strip("_") == ""
    return False


# --------------------------------------------------------------------------- results
_STYLES = {
    # status: (title, symbol, border colour, background colour)
    "correct": ("Correct", "✓", "#2e7d32", "#edf7ed"),
    "incorrect": ("Not quite", "✗", "#c62828", "#fdecea"),
    "not_attempted": ("Not attempted yet", "…", "#757575", "#f5f5f5"),
    "recorded": ("Thank you — recorded", "✎", "#6a1b9a", "#f3e5f5"),
    "say_more": ("Say a little more", "✎", "#6a1b9a", "#f3e5f5"),
    "hint": ("Hint", "→", "#1565c0", "#e8f0fe"),
    "solution": ("Solution", "≡", "#ef6c00", "#fff4e5"),
    "question": ("Exercise", "?", "#37474f", "#eceff1"),
    "error": ("Could not check this", "!", "#ef6c00", "#fff4e5"),
}


@dataclass
class Result:
    """The outcome of checking one answer (or a hint or solution to show).

    ``status`` is one of ``correct``, ``incorrect``, ``not_attempted``,
    ``recorded`` (reflections), ``say_more`` (a reflection too short to
    record), ``hint``, ``solution``, ``question`` or ``error``; ``message`` is plain text; ``code`` is optional code to show.

    Examples
    --------
    >>> r = Result("incorrect", "You gave <b>5</b>; count again.", exercise_id="01.1")
    >>> r.correct
    False
    >>> "&lt;b&gt;5&lt;/b&gt;" in r.to_html()
    True
    >>> r.to_text()
    'Not quite (exercise 01.1): You gave <b>5</b>; count again.'
    """

    status: str
    message: str
    exercise_id: str = ""
    code: str | None = None
    title: str | None = None

    @property
    def correct(self) -> bool:
        """True when the answer was right."""
        return self.status == "correct"

    def _heading(self) -> str:
        heading = self.title or _STYLES.get(self.status, _STYLES["error"])[0]
        return f"{heading} (exercise {self.exercise_id})" if self.exercise_id else heading

    def to_text(self) -> str:
        """The result as plain text."""
        text = f"{self._heading()}: {self.message}" if self.message else self._heading()
        if self.code:
            text += "\n\n" + self.code
        return text

    def to_html(self) -> str:
        """The result as a small coloured HTML box (all text escaped)."""
        _, symbol, border, background = _STYLES.get(self.status, _STYLES["error"])
        body = "<br>".join(
            re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(line)) for line in self.message.split("\n")
        )
        code = ""
        if self.code:
            code = (
                '<pre style="background:#ffffff;border:1px solid #ddd;padding:6px 8px;'
                'margin:6px 0 0 0;white-space:pre-wrap;color:#1b1b1b">'
                f"{html.escape(self.code)}</pre>"
            )
        return (
            f'<div class="cop-exercise cop-{self.status}" style="border-left:6px solid {border};'
            f"background:{background};padding:8px 12px;margin:6px 0;color:#1b1b1b;"
            'font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;line-height:1.45">'
            f'<strong style="color:{border}">{html.escape(symbol)} {html.escape(self._heading())}</strong>'
            f"{'<br>' if body else ''}{body}{code}</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def show(result: Result) -> None:
    """Show a result: an HTML box in a notebook, plain text elsewhere."""
    if _in_notebook():
        from IPython.display import display

        display({"text/html": result.to_html(), "text/plain": result.to_text()}, raw=True)
    else:
        print(result.to_text())


# --------------------------------------------------------------------------- helpers
@dataclass
class Mistake:
    """A typical wrong answer and the message it deserves.

    ``answer`` is code run in the exercise's namespace (a single expression,
    or statements that set the exercise's variable) or a callable
    ``ns -> value``. When a learner's answer matches it, ``message`` is shown.
    """

    answer: str | Callable[[dict[str, Any]], Any]
    message: str


@dataclass
class Case:
    """One hidden test case of a :class:`FunctionExercise`.

    ``args`` is a callable ``ns -> tuple`` building fresh arguments (so a
    learner's function cannot spoil the next case); ``description`` says in
    plain words what the case is ("a map with one isolated group").
    """

    args: Callable[[dict[str, Any]], tuple]
    description: str
    kwargs: Callable[[dict[str, Any]], dict] | None = None


def _run_code(code: str | Callable[[dict[str, Any]], Any], ns: dict[str, Any], var: str) -> Any:
    """Run solution/mistake code in a copy of ``ns`` and return its answer."""
    if callable(code):
        return code(dict(ns))
    scope = dict(ns)
    try:
        compiled = compile(code, "<solution>", "eval")
    except SyntaxError:
        exec(compile(code, "<solution>", "exec"), scope)  # noqa: S102 - our own reference code
        if var not in scope:
            raise RuntimeError(f"the solution code does not set {var!r}") from None
        return scope[var]
    return eval(compiled, scope)  # noqa: S307 - our own reference code


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _describe(value: Any) -> str:
    """Name the kind of thing a learner gave, in plain words."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return f"a table (DataFrame) with {len(value)} rows"
    if isinstance(value, pd.Series):
        return f"a whole column (Series) of {len(value)} values"
    if isinstance(value, bool):
        return f"True/False ({value})"
    if _is_number(value):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {_short(value)!r}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a list of {len(value)} items"
    if callable(value):
        return "a function"
    return f"something of type {type(value).__name__}"


def _short(text: Any, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _close(a: Any, b: Any, rel_tol: float, abs_tol: float) -> bool:
    try:
        fa, fb = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(fa) and math.isnan(fb):
        return True
    return math.isclose(fa, fb, rel_tol=rel_tol, abs_tol=abs_tol)


def _fold(text: Any) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def _equal(a: Any, b: Any, rel_tol: float = 1e-6, abs_tol: float = 1e-9) -> bool:
    """Tolerant equality for function outputs (numbers, text, lists, tables)."""
    import numpy as np
    import pandas as pd

    if isinstance(b, pd.DataFrame) or isinstance(a, pd.DataFrame):
        if not (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)):
            return False
        return _frames_differ(a, b, rel_tol, abs_tol, check_order=False) is None
    if isinstance(b, pd.Series) or isinstance(a, pd.Series):
        if not (isinstance(a, pd.Series) and isinstance(b, pd.Series)):
            return False
        if set(map(str, a.index)) != set(map(str, b.index)):
            return False
        a2 = a.copy()
        a2.index = a2.index.map(str)
        b2 = b.copy()
        b2.index = b2.index.map(str)
        return all(_equal(a2[k], b2[k], rel_tol, abs_tol) for k in b2.index)
    if isinstance(a, np.generic):
        a = a.item()
    if isinstance(b, np.generic):
        b = b.item()
    if isinstance(b, bool) or isinstance(a, bool):
        return isinstance(a, (bool, np.bool_)) and isinstance(b, (bool, np.bool_)) and bool(a) == bool(b)
    if _is_number(b):
        return _is_number(a) and _close(a, b, rel_tol, abs_tol)
    if isinstance(b, (set, frozenset)):
        return isinstance(a, (set, frozenset, list, tuple)) and set(a) == set(b)
    if isinstance(b, Mapping):
        return (
            isinstance(a, Mapping)
            and set(a) == set(b)
            and all(_equal(a[k], b[k], rel_tol, abs_tol) for k in b)
        )
    if isinstance(b, (list, tuple)):
        return (
            isinstance(a, (list, tuple))
            and len(a) == len(b)
            and all(_equal(x, y, rel_tol, abs_tol) for x, y in zip(a, b))
        )
    return bool(a == b)


def _frames_differ(
    got: Any,
    want: Any,
    rel_tol: float,
    abs_tol: float,
    *,
    check_order: bool,
    columns: Sequence[str] | None = None,
    check_index: bool = True,
) -> str | None:
    """Describe the first difference between two tables, or None when equal."""
    import pandas as pd

    if not isinstance(got, pd.DataFrame):
        if isinstance(got, pd.Series):
            return (
                "you gave a single column (a Series), but a table (DataFrame) is needed; "
                "select columns with double brackets, e.g. df[['Label', 'degree']]"
            )
        return f"a table (DataFrame) is needed, but you gave {_describe(got)}"
    cols = list(columns) if columns is not None else list(want.columns)
    missing = [c for c in cols if c not in got.columns]
    if missing:
        return "your table is missing the column" + ("s " if len(missing) > 1 else " ") + ", ".join(
            repr(c) for c in missing
        )
    if len(got) != len(want):
        return f"your table has {len(got)} rows, but it should have {len(want)}"
    if check_index:
        g_idx = [str(i) for i in got.index]
        w_idx = [str(i) for i in want.index]
        if set(g_idx) != set(w_idx):
            extra = [i for i in g_idx if i not in set(w_idx)]
            return (
                f"the rows are not the right ones: for example {_short(extra[0])!r} should not be "
                "there (the rows are named by the index — check how you filtered or which column "
                "is the index)"
            )
        if check_order and g_idx != w_idx:
            return "the right rows are there, but not in the right order — check how you sorted"
        got = got.copy()
        got.index = g_idx
        want = want.copy()
        want.index = w_idx
        pairs = [(i, i) for i in w_idx]
    else:
        if check_order:
            pairs = list(zip(range(len(got)), range(len(want))))
        else:
            got = got.sort_values(cols).reset_index(drop=True)
            want = want.sort_values(cols).reset_index(drop=True)
            pairs = list(zip(range(len(got)), range(len(want))))
        got = got.reset_index(drop=True)
        want = want.reset_index(drop=True)
    for col in cols:
        for gi, wi in pairs:
            g, w = got.at[gi, col], want.at[wi, col]
            if pd.isna(w) if not isinstance(w, (list, tuple, set)) else False:
                if not (pd.isna(g) if not isinstance(g, (list, tuple, set)) else False):
                    return f"in column {col!r}, row {gi!r} should be empty"
                continue
            if _is_number(w) and not isinstance(w, bool):
                if not _close(g, w, rel_tol, abs_tol):
                    return f"in column {col!r}, the value for row {gi!r} is {_short(g)!r}, which is not right"
            elif not _equal(g, w, rel_tol, abs_tol):
                return f"in column {col!r}, the value for row {gi!r} is {_short(g)!r}, which is not right"
    return None


# --------------------------------------------------------------------------- exercises
class Exercise:
    """Base class of every exercise (see the module docstring).

    Parameters
    ----------
    id : short code such as ``"03.2"`` (lesson 03, exercise 2).
    title : a few words naming the exercise.
    prompt : the question, in plain words.
    var : the learner's variable that :meth:`check` reads when called
        without an argument.
    setup : callable returning the namespace (dict) the solution runs in.
    solution : reference solution code (or a callable ``ns -> answer``).
    hints : hints from gentle to nearly-the-answer.
    mistakes : typical wrong answers with their own messages.
    expected : optional second way of computing the answer (``ns -> value``).
    explanation : a sentence shown with a correct answer and the solution.
    """

    kind = "exercise"

    def __init__(
        self,
        *,
        id: str,
        title: str,
        prompt: str,
        var: str,
        setup: Callable[[], dict[str, Any]] | None = None,
        solution: str | Callable[[dict[str, Any]], Any] | None = None,
        hints: Sequence[str] = (),
        mistakes: Sequence[Mistake] = (),
        expected: Callable[[dict[str, Any]], Any] | None = None,
        explanation: str = "",
    ) -> None:
        if not hints:
            raise ValueError(f"exercise {id} needs at least one hint")
        self.id = id
        self.title = title
        self.prompt = prompt
        self.var = var
        self.setup = setup
        self.solution_code = solution
        self.hints = list(hints)
        self.mistakes = list(mistakes)
        self.expected = expected
        self.explanation = explanation
        self._expected_cache: Any = _MISSING

    # -- namespace and reference answer -----------------------------------
    def namespace(self) -> dict[str, Any]:
        """A fresh copy of the setup namespace the solution runs in."""
        return dict(self.setup()) if self.setup else {}

    def reference_answer(self) -> Any:
        """The answer the reference solution computes (cached)."""
        if self._expected_cache is _MISSING:
            if self.solution_code is None:
                raise RuntimeError(f"exercise {self.id} has no reference solution")
            self._expected_cache = _run_code(self.solution_code, self.namespace(), self.var)
        return self._expected_cache

    def mistake_answer(self, mistake: Mistake) -> Any:
        """The value of a typical wrong answer, computed from the data."""
        return _run_code(mistake.answer, self.namespace(), self.var)

    # -- checking ----------------------------------------------------------
    def _compare(self, answer: Any, expected: Any) -> str | None:
        """Return None when ``answer`` is right, else what is wrong (plain words).

        The kinds of exercise below compare in their own way; this default
        accepts an answer equal to the expected one.
        """
        try:
            same = bool(answer == expected)
        except Exception:  # e.g. comparing arrays or frames of different shapes
            same = False
        return None if same else "That is not the answer yet."

    def _success(self) -> str:
        return "Well done!" + (f" {self.explanation}" if self.explanation else "")

    def evaluate(self, answer: Any) -> Result:
        """Check an answer and return a :class:`Result` (shows and records nothing)."""
        if is_blank(answer):
            return Result(
                "not_attempted",
                f"Replace ____ with your answer in `{self.var} = ____`, run that cell, then check again.",
                self.id,
            )
        try:
            expected = self.reference_answer()
        except Exception as exc:  # a fault in the lesson, not the learner
            return Result(
                "error",
                f"The exercise could not work out the answer itself ({type(exc).__name__}: {exc}). "
                "Please tell your facilitator.",
                self.id,
            )
        try:
            problem = self._compare(answer, expected)
        except Exception as exc:
            problem = f"I could not compare your answer: {type(exc).__name__}: {exc}"
        if problem is None:
            return Result("correct", self._success(), self.id)
        for mistake in self.mistakes:
            try:
                if self._compare(answer, self.mistake_answer(mistake)) is None:
                    return Result("incorrect", mistake.message, self.id)
            except Exception:
                continue
        return Result("incorrect", _sentence(problem), self.id)

    def _find_answer(self, frame_depth: int = 2) -> Any:
        frame = sys._getframe(frame_depth)
        if self.var in frame.f_locals:
            return frame.f_locals[self.var]
        if self.var in frame.f_globals:
            return frame.f_globals[self.var]
        try:
            from IPython import get_ipython

            shell = get_ipython()
            if shell is not None and self.var in shell.user_ns:
                return shell.user_ns[self.var]
        except ImportError:  # pragma: no cover
            pass
        return _MISSING

    def check(self, answer: Any = _MISSING) -> None:
        """Check the learner's answer and show friendly feedback.

        Without an argument the answer is read from the learner's variable
        (``self.var``) in the notebook. The outcome is recorded in the local
        progress file.
        """
        if answer is _MISSING:
            answer = self._find_answer()
        if answer is _MISSING:
            result = Result(
                "not_attempted",
                f"I can't find a variable called `{self.var}` yet. Run the cell where you "
                f"set `{self.var} = ...`, then check again.",
                self.id,
            )
        else:
            result = self.evaluate(answer)
        if result.status in ("correct", "incorrect", "recorded"):
            _progress.record_check(self.id, self.title, result.status, self._progress_extra(answer))
        show(result)

    def _progress_extra(self, answer: Any) -> dict[str, Any]:
        return {}

    # -- hints and solutions -----------------------------------------------
    def hint_result(self, level: int = 1) -> Result:
        """The hint at ``level`` (1 = gentlest) as a :class:`Result`."""
        n = len(self.hints)
        level = max(1, min(int(level), n))
        text = self.hints[level - 1]
        if level < n:
            text += f"\n(Need more help? Try hint({level + 1}).)"
        return Result("hint", text, self.id, title=f"Hint {level} of {n}")

    def hint(self, level: int = 1) -> None:
        """Show a hint; ``hint(2)`` goes further than ``hint()``."""
        result = self.hint_result(level)
        _progress.record_hint(self.id, self.title, min(max(1, int(level)), len(self.hints)))
        show(result)

    def solution_text(self) -> str:
        """The reference solution as code a learner could type."""
        code = self.solution_code
        if code is None:
            return ""
        if callable(code):
            return inspect.getsource(code)
        code = code.strip("\n")
        try:
            compile(code, "<solution>", "eval")
        except SyntaxError:
            return code
        return f"{self.var} = {code}"

    def solution_result(self) -> Result:
        """The reference solution as a :class:`Result`."""
        return Result("solution", self.explanation, self.id, code=self.solution_text())

    def solution(self) -> None:
        """Show the reference solution (and record that it was seen)."""
        _progress.record_solution(self.id, self.title)
        show(self.solution_result())

    # -- display -----------------------------------------------------------
    def question_result(self) -> Result:
        """The question itself, with how to answer and check it."""
        return Result(
            "question",
            f"{self.prompt}\nPut your answer in `{self.var}`, then run check(). "
            "hint() and solution() are there if you need them.",
            self.id,
            title=f"{self.title}",
        )

    def _repr_html_(self) -> str:
        return self.question_result().to_html()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}: {self.title}>"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


class ValueExercise(Exercise):
    """One number or word. Numbers are compared with a tolerance.

    Extra parameters: ``rel_tol`` and ``abs_tol`` (for numbers; default a
    relative tolerance of 0.1%), ``units`` (words for messages, e.g.
    ``"connections"``).

    Examples
    --------
    >>> q = ValueExercise(id="x.1", title="Count", prompt="How many?", var="n",
    ...                   solution="n = 3 + 4", hints=["Add them up."])
    >>> q.evaluate(7).status, q.evaluate(____).status
    ('correct', 'not_attempted')
    >>> q.evaluate(9).message
    'Your answer 9 is too high.'
    """

    kind = "value"

    def __init__(self, *, rel_tol: float = 1e-3, abs_tol: float = 1e-9, units: str = "", **kw: Any) -> None:
        super().__init__(**kw)
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol
        self.units = units

    def _compare(self, answer: Any, expected: Any) -> str | None:
        import numpy as np
        import pandas as pd

        if isinstance(answer, np.generic):
            answer = answer.item()
        if isinstance(expected, np.generic):
            expected = expected.item()
        if _is_number(expected):
            if isinstance(answer, (pd.Series, pd.DataFrame, list, tuple, set)):
                return (
                    f"you gave {_describe(answer)}, but one number is needed — pick it out, "
                    "for example with .max(), len(...) or .loc[...]"
                )
            if isinstance(answer, str):
                try:
                    answer = float(answer.replace(",", ""))
                except ValueError:
                    return f"you gave {_describe(answer)}, but a number is needed"
            if not _is_number(answer):
                return f"you gave {_describe(answer)}, but a number is needed"
            if _close(answer, expected, self.rel_tol, self.abs_tol):
                return None
            if expected != 0 and 0 < abs(expected) <= 1 and _close(answer, expected * 100, 1e-2, 1e-6):
                return "it looks like you gave a percentage; give it as a share between 0 and 1 instead"
            if expected != 0 and abs(expected) > 1 and _close(answer * 100, expected, 1e-2, 1e-6):
                return "it looks like you gave a share between 0 and 1; give it as a percentage instead"
            units = f" {self.units}" if self.units else ""
            side = "high" if answer > expected else "low"
            return f"your answer {answer!r}{units} is too {side}"
        if isinstance(expected, str):
            if not isinstance(answer, str):
                return f"you gave {_describe(answer)}, but a word or name is needed (in quotes)"
            return None if _fold(answer) == _fold(expected) else f"{_short(answer)!r} is not the answer"
        return None if _equal(answer, expected, self.rel_tol, self.abs_tol) else "that is not the answer"


class ChoiceExercise(Exercise):
    """A multiple-choice question; the learner gives a letter or the option's text.

    ``options`` maps letters to option texts; ``solution`` is the right
    letter (as code, e.g. ``"'b'"``); ``why_not`` optionally maps a wrong
    letter to a message explaining why it is wrong.

    Examples
    --------
    >>> q = ChoiceExercise(id="x.2", title="Measure", prompt="Who hears first?", var="choice",
    ...     options={"a": "degree", "b": "closeness"}, solution="'b'", hints=["Distance."],
    ...     why_not={"a": "Degree counts contacts, not distance."})
    >>> q.evaluate("B").status, q.evaluate("closeness").status
    ('correct', 'correct')
    >>> q.evaluate("a").message
    'Degree counts contacts, not distance.'
    """

    kind = "choice"

    def __init__(self, *, options: Mapping[str, str], why_not: Mapping[str, str] | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.options = {str(k).lower(): v for k, v in options.items()}
        self.why_not = {str(k).lower(): v for k, v in (why_not or {}).items()}
        for letter, message in self.why_not.items():
            self.mistakes.append(Mistake(repr(letter), message))

    def _letter(self, answer: Any) -> str | None:
        if not isinstance(answer, str):
            return None
        text = answer.strip().lower().strip("().")
        if text in self.options:
            return text
        for letter, option in self.options.items():
            if _fold(option) == _fold(answer):
                return letter
        return None

    def _compare(self, answer: Any, expected: Any) -> str | None:
        letter = self._letter(answer)
        if letter is None:
            letters = ", ".join(f"'{k}'" for k in self.options)
            return f"give one of the letters {letters} (in quotes), e.g. choice = 'a'"
        return None if letter == self._letter(expected) else f"'{letter}' is not the best answer"

    def question_result(self) -> Result:
        result = super().question_result()
        lines = "\n".join(f"  {k}) {v}" for k, v in self.options.items())
        result.message = f"{self.prompt}\n{lines}\nPut the letter in `{self.var}`, then run check()."
        return result


def _map_from(ns: dict[str, Any], key: str) -> Any:
    return ns.get(key)


class ElementExercise(Exercise):
    """One element of a map, named by its ID or its label.

    ``map_var`` names the map in the setup namespace (default ``"m"``).
    """

    kind = "element"

    def __init__(self, *, map_var: str = "m", **kw: Any) -> None:
        super().__init__(**kw)
        self.map_var = map_var

    def _resolve(self, name: Any) -> tuple[str | None, str | None]:
        import pandas as pd

        if isinstance(name, (pd.Series, pd.DataFrame)):
            return None, (
                f"you gave {_describe(name)}; one element's ID or label is needed — for example "
                "metrics['degree'].idxmax() gives the ID of the top element"
            )
        if isinstance(name, (list, tuple, set)):
            if len(name) == 1:
                return self._resolve(next(iter(name)))
            return None, f"you gave {_describe(name)}; just one element is needed"
        if not isinstance(name, str):
            return None, f"you gave {_describe(name)}; an element's ID or label (text in quotes) is needed"
        m = _map_from(self.namespace(), self.map_var)
        try:
            return m.resolve(name), None
        except Exception as exc:
            return None, str(exc)

    def _compare(self, answer: Any, expected: Any) -> str | None:
        got, problem = self._resolve(answer)
        if problem:
            return problem
        want, _ = self._resolve(expected)
        if got == want:
            return None
        m = _map_from(self.namespace(), self.map_var)
        return f"{m.label_of(got)!r} is not the element we are looking for"


def _as_names(answer: Any) -> list[Any] | None:
    import pandas as pd

    if isinstance(answer, pd.DataFrame):
        return list(answer.index)
    if isinstance(answer, pd.Series):
        if pd.api.types.is_bool_dtype(answer):  # a True/False mask: the rows that are True
            return list(answer.index[answer.to_numpy()])
        if isinstance(answer.index, pd.RangeIndex) or not pd.api.types.is_numeric_dtype(answer):
            return list(answer.to_numpy())  # a column of IDs or labels
        return list(answer.index)  # numbers (e.g. a top-5 of a measure) keyed by ID
    if isinstance(answer, pd.Index):
        return list(answer)
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, Mapping):
        return list(answer)
    if isinstance(answer, Iterable):
        return list(answer)
    return None


class SetExercise(Exercise):
    """A set of elements (IDs or labels), or a ranking when ``ordered=True``.

    The learner may give a list, a set, a pandas Index, a DataFrame (its
    index) or a Series: a column of IDs or labels gives its values, numbers
    keyed by ID (``metrics["degree"].nlargest(5)``) give the index, and a
    True/False mask gives the IDs that are True. ``map_var`` names the map in
    the setup namespace.
    """

    kind = "set"

    def __init__(self, *, ordered: bool = False, map_var: str = "m", **kw: Any) -> None:
        super().__init__(**kw)
        self.ordered = ordered
        self.map_var = map_var

    def _ids(self, answer: Any) -> tuple[list[str] | None, str | None]:
        names = _as_names(answer)
        if names is None:
            return None, f"you gave {_describe(answer)}; a list of elements is needed, e.g. ['lvsc', 'locality']"
        m = _map_from(self.namespace(), self.map_var)
        ids: list[str] = []
        for name in names:
            try:
                ids.append(m.resolve(str(name)))
            except Exception as exc:
                return None, str(exc)
        return ids, None

    def _compare(self, answer: Any, expected: Any) -> str | None:
        got, problem = self._ids(answer)
        if problem:
            return problem
        want, _ = self._ids(expected)
        assert want is not None
        m = _map_from(self.namespace(), self.map_var)
        if len(set(got)) < len(got):
            dup = next(i for i in got if got.count(i) > 1)
            return f"{m.label_of(dup)!r} appears more than once in your answer"
        wrong = [i for i in got if i not in set(want)]
        missing = [i for i in want if i not in set(got)]
        if wrong or missing:
            right = len(got) - len(wrong)
            parts = [f"{right} of your {len(got)} are right, and there should be {len(want)}"]
            if wrong:
                parts.append(f"{m.label_of(wrong[0])!r} should not be there")
            if missing:
                parts.append(f"{len(missing)} {'is' if len(missing) == 1 else 'are'} missing")
            return "; ".join(parts)
        if self.ordered and got != want:
            first = next(k for k, (a, b) in enumerate(zip(got, want)) if a != b)
            return (
                f"you have the right elements, but the order is wrong from number {first + 1} on "
                "— sort from highest to lowest"
            )
        return None


class DataFrameExercise(Exercise):
    """A table. Compares the columns of the reference table (or ``columns``).

    ``check_order`` requires rows in the same order; ``check_index=False``
    ignores row names (compare by content); ``rel_tol`` for numbers.
    """

    kind = "dataframe"

    def __init__(
        self,
        *,
        columns: Sequence[str] | None = None,
        check_order: bool = False,
        check_index: bool = True,
        rel_tol: float = 1e-6,
        abs_tol: float = 1e-9,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.columns = list(columns) if columns is not None else None
        self.check_order = check_order
        self.check_index = check_index
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol

    def _compare(self, answer: Any, expected: Any) -> str | None:
        return _frames_differ(
            answer,
            expected,
            self.rel_tol,
            self.abs_tol,
            check_order=self.check_order,
            columns=self.columns,
            check_index=self.check_index,
        )


class FunctionExercise(Exercise):
    """A function the learner writes, tested on hidden cases.

    ``var`` is the function's name; ``solution`` is code defining the
    reference function under that name; ``cases`` are :class:`Case` objects.
    Each case's expected output is the reference function's output.
    Outputs are compared with tolerant equality (numbers, text, lists,
    sets, dicts, Series, DataFrames).
    """

    kind = "function"

    def __init__(self, *, cases: Sequence[Case], rel_tol: float = 1e-6, **kw: Any) -> None:
        super().__init__(**kw)
        if not cases:
            raise ValueError(f"exercise {kw.get('id')} needs at least one test case")
        self.cases = list(cases)
        self.rel_tol = rel_tol

    def _call(self, fn: Callable, case: Case) -> Any:
        ns = self.namespace()
        args = case.args(ns)
        kwargs = case.kwargs(ns) if case.kwargs else {}
        return fn(*args, **kwargs)

    def _compare(self, answer: Any, expected: Any) -> str | None:
        if not callable(answer):
            return f"you gave {_describe(answer)}; define a function with def {self.var}(...):"
        for case in self.cases:
            want = self._call(expected, case)
            try:
                got = self._call(answer, case)
            except Exception as exc:
                return (
                    f"your function stopped with an error ({type(exc).__name__}: {_short(exc, 120)}) "
                    f"when given {case.description}"
                )
            if is_blank(got):
                if got is None:
                    return f"your function gave back nothing (None) for {case.description} — did you forget `return`?"
                return f"your function still returns ____ for {case.description}"
            if not _equal(got, want, self.rel_tol, 1e-9):
                return f"your function gave {_short(repr(got), 80)} for {case.description}, which is not right"
        return None

    def evaluate(self, answer: Any) -> Result:
        if callable(answer) and not is_blank(answer):
            # the template `def f(...): return ____` has not been attempted
            code = getattr(answer, "__code__", None)
            if code is not None and code.co_names == ("____",):
                return Result(
                    "not_attempted",
                    f"Your function {self.var} still returns ____. Write its body, run the cell, then check again.",
                    self.id,
                )
            try:
                first = self._call(answer, self.cases[0])
            except Exception:
                first = None
            if first is ____:
                return Result(
                    "not_attempted",
                    f"Your function {self.var} still returns ____. Write its body, run the cell, then check again.",
                    self.id,
                )
        return super().evaluate(answer)


def _traces(fig: Any) -> list[Any] | None:
    data = getattr(fig, "data", None)
    if data is None and isinstance(fig, Mapping) and "data" in fig:
        import plotly.graph_objects as go

        data = go.Figure(fig).data
    return list(data) if data is not None else None


def _values(seq: Any) -> list[Any]:
    if seq is None:
        return []
    try:
        return [v.item() if hasattr(v, "item") else v for v in list(seq)]
    except TypeError:
        return []


def _trace_points(trace: Any) -> list[tuple[Any, Any]]:
    xs, ys = _values(getattr(trace, "x", None)), _values(getattr(trace, "y", None))
    if not ys:
        return [(x, None) for x in xs]
    if not xs:
        return [(None, y) for y in ys]
    return list(zip(xs, ys))


def _points_match(got: list[tuple[Any, Any]], want: list[tuple[Any, Any]], rel_tol: float, ordered: bool) -> bool:
    if len(got) != len(want):
        return False

    def key(p: tuple[Any, Any]) -> tuple[str, str]:
        return tuple(f"{v:.6g}" if _is_number(v) else str(v) for v in p)  # type: ignore[return-value]

    if not ordered:
        got = sorted(got, key=key)
        want = sorted(want, key=key)
    for (gx, gy), (wx, wy) in zip(got, want):
        for g, w in ((gx, wx), (gy, wy)):
            if _is_number(w):
                if not _close(g, w, rel_tol, 1e-9):
                    return False
            elif str(g) != str(w):
                return False
    return True


class FigureExercise(Exercise):
    """A plotly figure, checked by its data: the trace type and x/y values.

    The reference figure is what the solution code leaves in ``var``. The
    learner's figure passes when one of its traces has the same type as the
    reference's first trace and the same points (in any order unless
    ``ordered=True``; a bar chart may be horizontal or vertical).
    """

    kind = "figure"

    _TYPE_WORDS = {
        "bar": "a bar chart (px.bar or go.Bar)",
        "histogram": "a histogram (px.histogram)",
        "scatter": "a scatter or line chart (px.scatter / px.line)",
        "box": "a box plot (px.box)",
        "pie": "a pie chart (px.pie)",
    }

    def __init__(self, *, ordered: bool = False, rel_tol: float = 1e-6, **kw: Any) -> None:
        super().__init__(**kw)
        self.ordered = ordered
        self.rel_tol = rel_tol

    def _compare(self, answer: Any, expected: Any) -> str | None:
        got = _traces(answer)
        if got is None:
            return f"you gave {_describe(answer)}; a plotly figure is needed (px.bar(...) makes one)"
        want = _traces(expected)
        assert want
        target = want[0]
        ttype = target.type
        same = [t for t in got if t.type == ttype]
        if not same:
            have = ", ".join(sorted({t.type for t in got})) or "no data at all"
            return f"this exercise needs {self._TYPE_WORDS.get(ttype, ttype)}, but your figure has {have}"
        want_pts = _trace_points(target)
        for trace in same:
            pts = _trace_points(trace)
            if _points_match(pts, want_pts, self.rel_tol, self.ordered):
                return None
            if ttype == "bar" and _points_match([(y, x) for x, y in pts], want_pts, self.rel_tol, self.ordered):
                return None
        pts = _trace_points(same[0])
        if len(pts) != len(want_pts):
            return f"your {ttype} has {len(pts)} data points, but it should have {len(want_pts)}"
        return (
            f"your {ttype} has the right number of points, but not the right values — "
            "check which columns you used for x and y"
            + (" and the order" if self.ordered else "")
        )


class ReflectionExercise(Exercise):
    """A written reflection: recorded in the learner's progress file, not marked.

    ``min_words`` asks for a little substance; ``solution`` may be left out
    (the "solution" shows ``points``: things a good answer might touch on).
    """

    kind = "reflection"

    def __init__(self, *, min_words: int = 15, points: Sequence[str] = (), **kw: Any) -> None:
        kw.setdefault("solution", None)
        super().__init__(**kw)
        self.min_words = min_words
        self.points = list(points)

    def reference_answer(self) -> Any:
        return None

    def evaluate(self, answer: Any) -> Result:
        if is_blank(answer):
            return Result(
                "not_attempted",
                f"Write your thoughts as text in `{self.var} = \"\"\"...\"\"\"`, run the cell, then check again.",
                self.id,
            )
        if not isinstance(answer, str):
            return Result("incorrect", f"Please write your reflection as text (in quotes); you gave {_describe(answer)}.", self.id)
        words = len(re.findall(r"\w+", answer))
        if words < self.min_words:
            return Result(
                "say_more",
                f"You wrote {words} word{'s' * (words != 1)}. Try to say a little more — at least "
                f"{self.min_words} words — there is no wrong answer here.",
                self.id,
            )
        return Result(
            "recorded",
            f"Your reflection ({words} words) is saved in your own progress file on this computer. "
            "It is not marked — compare notes with someone next to you.",
            self.id,
        )

    def _progress_extra(self, answer: Any) -> dict[str, Any]:
        return {"reflection": answer} if isinstance(answer, str) else {}

    def solution_text(self) -> str:
        return "\n".join(f"- {p}" for p in self.points)

    def solution_result(self) -> Result:
        text = "There is no single right answer. A good reflection might touch on:"
        return Result("solution", text, self.id, code=self.solution_text() or None)


# --------------------------------------------------------------------------- registry
def register(*exercises: Exercise) -> list[Exercise]:
    """Return the list of a lesson's exercises (store it in ``EXERCISES``).

    Raises ``ValueError`` when two exercises share an ID.
    """
    seen: set[str] = set()
    for ex in exercises:
        if ex.id in seen:
            raise ValueError(f"two exercises are called {ex.id}")
        seen.add(ex.id)
    return list(exercises)


def all_exercises() -> dict[str, list[Exercise]]:
    """Every lesson module's exercises, keyed by module name (``lesson03``...).

    Examples
    --------
    >>> lessons = all_exercises()
    >>> all(name.startswith("lesson") for name in lessons)
    True
    """
    from .. import exercises as package

    found: dict[str, list[Exercise]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if re.fullmatch(r"lesson\d\d", info.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found[info.name] = list(getattr(module, "EXERCISES", []))
    return found
