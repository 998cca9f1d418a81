"""What a learner sees: the :class:`Result` of a check, a hint or a solution, and :func:`show`.

In a notebook a result is a coloured box (HTML through ``IPython.display``);
elsewhere it is printed as plain text. Anything the learner typed that is
echoed back is HTML-escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from IPython import get_ipython
from IPython.display import display

from cop_toolkit.figures.html import render_from

__all__ = ["Result", "show", "in_notebook", "sentence"]

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
    record), ``hint``, ``solution``, ``question`` or ``error``; ``message`` is
    plain text; ``code`` is optional code to show; ``details`` is optional
    text kept one click away (folded in HTML; in plain text, a pointer to ``%tb``).

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
    details: str | None = None

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
        if self.details:
            text += "\n\n(Type %tb in a new cell to see the full error.)"
        return text

    def to_html(self) -> str:
        """The result as a small coloured HTML box (from an autoescaped template: all text escaped)."""
        _, symbol, border, background = _STYLES.get(self.status, _STYLES["error"])
        lines = [[(part, i % 2 == 1) for i, part in enumerate(re.split(r"`([^`]+)`", line))]
                 for line in self.message.split("\n")] if self.message else []
        return render_from("cop_toolkit.teaching", "result.html.j2", status=self.status, border=border,
                           background=background, symbol=symbol, heading=self._heading(), lines=lines,
                           code=self.code or "", details=self.details or "")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()


def in_notebook() -> bool:
    """True when running in a Jupyter kernel (where feedback is shown as HTML).

    Examples
    --------
    >>> in_notebook()
    False
    """
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def show(result: Result) -> None:
    """Show a result: an HTML box in a notebook, plain text elsewhere.

    Examples
    --------
    >>> show(Result("hint", "Look at the degree column.", exercise_id="03.1"))
    Hint (exercise 03.1): Look at the degree column.
    """
    if in_notebook():
        display({"text/html": result.to_html(), "text/plain": result.to_text()}, raw=True)
    else:
        print(result.to_text())


def sentence(text: str) -> str:
    """Turn a short description of what is wrong into a sentence.

    Examples
    --------
    >>> sentence("your answer 9 is too high")
    'Your answer 9 is too high.'
    """
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
