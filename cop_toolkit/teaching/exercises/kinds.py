"""The kinds of exercise, each comparing answers in its own way.

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
An exercise is defined once, in a ``cop_toolkit/teaching/exercises/lessonNN.py``
module, next to a *setup* function that rebuilds what the notebook has at
that point (the map, a metrics table...) and a *reference solution* written
as the code a learner would type. The expected answer is never typed in by
hand: it is what the solution code computes from the data. For example::

    import functools
    from cop_toolkit.teaching.exercises.exercise import Mistake
    from cop_toolkit.teaching.exercises.kinds import ElementExercise
    from cop_toolkit.teaching.exercises.registry import register

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
  what ``Exercise.solution()`` shows, so the shown code is the tested code.
* ``expected`` (optional) is a callable ``ns -> value`` computing the answer
  another way; the tests then prove both agree.
* ``mistakes`` are typical wrong answers (code or a callable ``ns -> value``)
  with a targeted message. Tests prove each one fails *with its message*.
* ``register(*exercises)`` returns the list a lesson module stores in
  ``EXERCISES``; :func:`~cop_toolkit.teaching.exercises.registry.all_exercises`
  finds every lesson's list.

The learner's side, in a notebook::

    from cop_toolkit.teaching.exercises import ____, lesson03 as ex
    busiest = ____          # the learner replaces ____ with code
    ex.q1.check()           # finds `busiest` in the notebook by itself
    ex.q1.hint(); ex.q1.hint(2); ex.q1.solution()

``check(value)`` may also be given the answer directly. For programs (tests,
grading) :meth:`~cop_toolkit.teaching.exercises.exercise.Exercise.evaluate` returns a
:class:`~cop_toolkit.teaching.exercises.results.Result` and shows and
records nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import normalise_name
from cop_toolkit.teaching.exercises.blank import ____, is_blank
from cop_toolkit.teaching.exercises.comparison import (
    as_names,
    as_written,
    close,
    describe,
    equal,
    figure_traces,
    frames_differ,
    is_number,
    points_match,
    short,
    trace_points,
)
from cop_toolkit.teaching.exercises.exercise import Case, Exercise, Mistake
from cop_toolkit.teaching.exercises.results import Result

__all__ = [
    "fresh_copy",
    "ValueExercise",
    "ElementExercise",
    "ChoiceExercise",
    "SetExercise",
    "DataFrameExercise",
    "FunctionExercise",
    "FigureExercise",
    "ReflectionExercise",
]


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
        if isinstance(answer, np.generic):
            answer = answer.item()
        if isinstance(expected, np.generic):
            expected = expected.item()
        if is_number(expected):
            if isinstance(answer, (pd.Series, pd.DataFrame, list, tuple, set)):
                return (
                    f"you gave {describe(answer)}, but one number is needed — pick it out, "
                    "for example with .max(), len(...) or .loc[...]"
                )
            if isinstance(answer, str):
                try:
                    answer = float(answer.replace(",", ""))
                except ValueError:
                    return f"you gave {describe(answer)}, but a number is needed"
            if not is_number(answer):
                return f"you gave {describe(answer)}, but a number is needed"
            if close(answer, expected, self.rel_tol, self.abs_tol):
                return None
            if expected != 0 and 0 < abs(expected) <= 1 and close(answer, expected * 100, 1e-2, 1e-6):
                return "it looks like you gave a percentage; give it as a share between 0 and 1 instead"
            if expected != 0 and abs(expected) > 1 and close(answer * 100, expected, 1e-2, 1e-6):
                return "it looks like you gave a share between 0 and 1; give it as a percentage instead"
            units = f" {self.units}" if self.units else ""
            side = "high" if answer > expected else "low"
            return f"your answer {as_written(answer)}{units} is too {side}"
        if isinstance(expected, str):
            if not isinstance(answer, str):
                return f"you gave {describe(answer)}, but a word or name is needed (in quotes)"
            return None if normalise_name(answer) == normalise_name(expected) else f"{short(answer)!r} is not the answer"
        return None if equal(answer, expected, self.rel_tol, self.abs_tol) else "that is not the answer"


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
            if normalise_name(option) == normalise_name(answer):
                return letter
        return None

    def _compare(self, answer: Any, expected: Any) -> str | None:
        letter = self._letter(answer)
        if letter is None:
            letters = ", ".join(f"'{k}'" for k in self.options)
            first = next(iter(self.options), "a")
            return f"give one of the letters {letters} (in quotes), e.g. {self.var} = '{first}'"
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
        if isinstance(name, pd.DataFrame) and len(name) == 1:  # one row: its ID
            return self._resolve(name["ID"].iloc[0] if "ID" in name.columns else name.index[0])
        if isinstance(name, pd.Series) and len(name) == 1:  # one value: an ID or a label
            value = name.iloc[0]
            return self._resolve(value if isinstance(value, str) else name.index[0])
        if isinstance(name, (pd.Series, pd.DataFrame)):
            return None, (
                f"you gave {describe(name)}; one element's ID or label is needed — "
                "pick one out, for example with .iloc[0]"
            )
        if isinstance(name, (list, tuple, set)):
            if len(name) == 1:
                return self._resolve(next(iter(name)))
            return None, f"you gave {describe(name)}; just one element is needed"
        if isinstance(name, np.generic):
            name = name.item()
        if not isinstance(name, str):
            return None, f"you gave {describe(name)}; an element's ID or label (text in quotes) is needed"
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


class SetExercise(Exercise):
    """A set of elements (IDs or labels), or a ranking when ``ordered=True``.

    The learner may give a list, a set, a pandas Index, a DataFrame (its
    index) or a Series: a column of IDs or labels gives its values, numbers
    keyed by ID (``metrics["degree"].nlargest(5)``) give the index, and a
    True/False mask gives the IDs that are True. ``map_var`` names the map in
    the setup namespace. An empty answer (a filter that matched nothing) gets
    ``if_empty``, a message naming the usual causes (a label compared with a
    column of IDs, a value written with other capitals), before any typical
    mistake is tried.
    """

    kind = "set"

    #: what an empty answer most often means: a filter that matched nothing
    EMPTY = (
        "your answer is empty: nothing matched. Check the values you compared with — the tables "
        "are keyed by ID ('lvsc'), not by label ('LVSC'): m.resolve('LVSC') gives the ID; and "
        "values are written with capitals as in the table ('Funding', not 'funding')"
    )

    def __init__(
        self, *, ordered: bool = False, map_var: str = "m", if_empty: str | None = None, **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.ordered = ordered
        self.map_var = map_var
        self.if_empty = if_empty or self.EMPTY

    def first_problem(self, answer: Any) -> str | None:
        names = as_names(answer)
        return self.if_empty if names is not None and len(names) == 0 else None

    def _ids(self, answer: Any) -> tuple[list[str] | None, str | None]:
        names = as_names(answer)
        if names is None:
            return None, f"you gave {describe(answer)}; a list of elements is needed, e.g. ['lvsc', 'locality']"
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
        return frames_differ(
            answer,
            expected,
            self.rel_tol,
            self.abs_tol,
            check_order=self.check_order,
            columns=self.columns,
            check_index=self.check_index,
        )


def fresh_copy(value: Any) -> Any:
    """An independent copy of an argument given to a learner's function.

    Maps, tables (DataFrame, Series, Index) and arrays are copied; lists,
    tuples, sets and dicts are copied with their contents; text, numbers and
    anything else that cannot be changed in place are given as they are.

    Examples
    --------
    >>> m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"]}))
    >>> c = fresh_copy(m)
    >>> c.elements["Label"] = "X"
    >>> m.elements["Label"].tolist(), fresh_copy("lvsc")
    (['A'], 'lvsc')
    """
    if isinstance(value, (NetworkMap, pd.DataFrame, pd.Series, pd.Index, np.ndarray)):
        return value.copy()
    if isinstance(value, Mapping):
        return {k: fresh_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(fresh_copy(v) for v in value)
    return value


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
        """Call ``fn`` on a fresh copy of the case's arguments.

        The arguments may be the shared sample map or tables that every later
        exercise uses: a function that changes them in place changes only its copy.
        """
        ns = self.namespace()
        args = tuple(fresh_copy(a) for a in case.args(ns))
        kwargs = {k: fresh_copy(v) for k, v in (case.kwargs(ns) if case.kwargs else {}).items()}
        return fn(*args, **kwargs)

    def _compare(self, answer: Any, expected: Any) -> str | None:
        if not callable(answer):
            return f"you gave {describe(answer)}; define a function with def {self.var}(...):"
        for case in self.cases:
            want = self._call(expected, case)
            try:
                got = self._call(answer, case)
            except Exception as exc:
                return (
                    f"your function stopped with an error ({type(exc).__name__}: {short(exc, 120)}) "
                    f"when given {case.description}"
                )
            if is_blank(got):
                if got is None:
                    return f"your function gave back nothing (None) for {case.description} — did you forget `return`?"
                return f"your function still returns ____ for {case.description}"
            if not equal(got, want, self.rel_tol, 1e-9):
                return f"your function gave {short(repr(got), 80)} for {case.description}, which is not right"
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
        got = figure_traces(answer)
        if got is None:
            return f"you gave {describe(answer)}; a plotly figure is needed (px.bar(...) makes one)"
        want = figure_traces(expected)
        assert want
        target = want[0]
        ttype = target.type
        same = [t for t in got if t.type == ttype]
        if not same:
            have = ", ".join(sorted({t.type for t in got})) or "no data at all"
            return f"this exercise needs {self._TYPE_WORDS.get(ttype, ttype)}, but your figure has {have}"
        want_pts = trace_points(target)
        # each trace alone, or all together (cop.figures.plot_ranking draws one trace per element type)
        candidates = [trace_points(t) for t in same]
        if len(same) > 1:
            candidates.append([p for t in same for p in trace_points(t)])
        for pts in candidates:
            if points_match(pts, want_pts, self.rel_tol, self.ordered):
                return None
            if ttype == "bar" and points_match([(y, x) for x, y in pts], want_pts, self.rel_tol, self.ordered):
                return None
        pts = candidates[-1]
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
            return Result("incorrect", f"Please write your reflection as text (in quotes); you gave {describe(answer)}.", self.id)
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
