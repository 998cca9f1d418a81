"""The base of every exercise: :class:`Exercise`, with its typical :class:`Mistake` and test :class:`Case`.

An exercise reads the learner's answer, compares it with what its reference
solution computes, and shows a :class:`~cop_toolkit.teaching.exercises.results.Result`;
hints and the solution are shown on request. Checks, hints and solutions
seen are recorded in the learner's own progress file
(:mod:`cop_toolkit.teaching.exercises.progress`). The kinds of exercise are
in :mod:`cop_toolkit.teaching.exercises.kinds`.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from IPython import get_ipython

from cop_toolkit.teaching.exercises import progress
from cop_toolkit.teaching.exercises.blank import is_blank
from cop_toolkit.teaching.exercises.results import Result, sentence, show

__all__ = ["Mistake", "Case", "Exercise", "run_code"]

#: "no answer given" (distinct from None, which is a blank answer)
_MISSING = object()


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


def run_code(code: str | Callable[[dict[str, Any]], Any], ns: dict[str, Any], var: str) -> Any:
    """Run solution or mistake code in a copy of ``ns`` and return its answer.

    ``code`` is a single expression, statements that set ``var``, or a callable
    ``ns -> value``.

    Examples
    --------
    >>> run_code("n = len(names)", {"names": ["a", "b"]}, "n"), run_code("x * 2", {"x": 4}, "y")
    (2, 8)
    """
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
            self._expected_cache = run_code(self.solution_code, self.namespace(), self.var)
        return self._expected_cache

    def mistake_answer(self, mistake: Mistake) -> Any:
        """The value of a typical wrong answer, computed from the data."""
        return run_code(mistake.answer, self.namespace(), self.var)

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

    def first_problem(self, answer: Any) -> str | None:
        """A problem so plain that no typical mistake can explain it better (e.g. an empty answer).

        None by default; a kind of exercise may name one. It is shown before
        any typical mistake is tried, so that a mistake giving the same value
        (for example another filter that matches nothing) never gets the credit.
        """
        return None

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
        plain = self.first_problem(answer)
        if plain is not None:
            return Result("incorrect", sentence(plain), self.id)
        for mistake in self.mistakes:
            try:
                if self._compare(answer, self.mistake_answer(mistake)) is None:
                    return Result("incorrect", mistake.message, self.id)
            except Exception:
                continue
        return Result("incorrect", sentence(problem), self.id)

    def _find_answer(self, frame_depth: int = 2) -> Any:
        frame = sys._getframe(frame_depth)
        if self.var in frame.f_locals:
            return frame.f_locals[self.var]
        if self.var in frame.f_globals:
            return frame.f_globals[self.var]
        shell = get_ipython()
        if shell is not None and self.var in shell.user_ns:
            return shell.user_ns[self.var]
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
            progress.record_check(self.id, self.title, result.status, self._progress_extra(answer))
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
        progress.record_hint(self.id, self.title, min(max(1, int(level)), len(self.hints)))
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
        progress.record_solution(self.id, self.title)
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
