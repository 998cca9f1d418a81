"""Exercise feedback is never wrong and never a traceback, for every exercise of lessons 00-12.

For each marked exercise in the registry, these tests give the answers learners
really give and check the message each one gets:

* the right answer, and the right answer written another way (labels instead
  of IDs, a table or a Series instead of a list, other capitals);
* the toolkit's own way of getting it, where the lessons show one
  (``cop.figures.plot_ranking``, ``m.resolve``...);
* typical wrong answers made from the right one: off by one, a whole column
  instead of one value, one element missing, an empty filter, the wrong
  element, the wrong letter, a function that returns nothing.

A wrong answer gets the message of a listed typical mistake when it *is* that
mistake (same value), else the plain message of its kind; no message names
Python types (``np.float64``), internals (``_Blank``) or shows a traceback.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from cop_toolkit.teaching.exercises import (
    ChoiceExercise,
    DataFrameExercise,
    ElementExercise,
    FigureExercise,
    FunctionExercise,
    ReflectionExercise,
    SetExercise,
    ValueExercise,
    all_exercises,
)
from cop_toolkit.teaching.exercises.comparison import (
    as_names,
    as_written,
    figure_traces,
    trace_points,
)
from cop_toolkit.teaching.exercises.exercise import run_code

MARKED = [ex for lesson in all_exercises().values() for ex in lesson if not isinstance(ex, ReflectionExercise)]
BY_ID = {ex.id: ex for ex in MARKED}
FORBIDDEN = ("np.float", "np.int", "numpy", "_Blank", "Traceback", "<function", "dtype")

#: the toolkit's own way (or another way a lesson shows) of getting each answer
TOOLKIT_WAY = {
    "00.3": "m.to_networkx().number_of_nodes()",
    "00.4": 'm.resolve("London Metropolitan University")',
    "01.2": 'm.elements["Type"].value_counts()["Community group"]',
    "01.4": ('m.connections.query("From == \'city-bridge-trust\' and Type == \'Funding\'")["To"]'
             ".map(m.label_of).tolist()"),
    "01.5": 'px.bar(m.elements["Type"].value_counts())',
    "03.1": 'metrics.sort_values("betweenness", ascending=False).head(5)',
    "03.2": 'metrics.drop(m.resolve("LVSC"))["closeness"].idxmax()',
    "03.3": 'metrics.loc[m.resolve("Borough Networks Forum"), "reach"]',
    "03.5": 'cop.figures.plot_ranking(metrics, "betweenness", top=10)',
    "04.1": "len(summary)",
    "05.2": 'metrics[metrics["articulation_point"]]',
    "06.1": "len(cop.what_if(m, remove=[m.resolve('LVSC')]).cut_off)",
    "06.2": 'result.cut_off["Label"].tolist()',
    "10.2": 'cop.network_health([m, new])["stage"].iloc[-1]',
    "10.3": 'report.summary().set_index("outcome").loc["elements matched", "count"]',
    "11.1": "len(cop.what_if(m, remove=['lvsc']).cut_off)",
}


def _mistake_for(ex, answer: Any) -> str | None:
    """The message of the listed typical mistake this answer is, if it is one."""
    for mistake in ex.mistakes:
        try:
            if ex._compare(answer, ex.mistake_answer(mistake)) is None:
                return mistake.message
        except Exception:  # a mistake that cannot be compared with this answer is not this answer
            continue
    return None


def _labels(ex, ids: list[Any]) -> list[str]:
    m = ex.namespace()[ex.map_var]
    return [m.label_of(m.resolve(str(i))) for i in ids]


def right_answers(ex) -> list[tuple[str, Any]]:
    """The right answer, and the same answer written in other ways people use."""
    want = ex.reference_answer()
    answers = [("the reference answer", want)]
    if isinstance(ex, ValueExercise) and isinstance(want, str):
        answers += [("in capitals", want.upper()), ("with spaces around", f"  {want} ")]
    elif isinstance(ex, ValueExercise) and not isinstance(want, bool):
        answers += [("as text", str(want)), ("as a numpy number", np.float64(want))]
    elif isinstance(ex, ElementExercise):
        m = ex.namespace()[ex.map_var]
        eid = m.resolve(want)
        answers += [("the ID", eid), ("the label", m.label_of(eid)), ("the ID in capitals", eid.upper()),
                    ("a one-item list", [eid])]
    elif isinstance(ex, SetExercise):
        ids = as_names(want)
        answers += [("labels instead of IDs", _labels(ex, ids)), ("a Series of IDs", pd.Series(ids)),
                    ("a plain list", list(ids))]
    elif isinstance(ex, ChoiceExercise):
        letter = ex._letter(want)
        answers += [("the letter in capitals", letter.upper()), ("the option's text", ex.options[letter]),
                    ("the letter in brackets", f"({letter})")]
    if ex.id in TOOLKIT_WAY:
        answers.append(("the toolkit's own way", run_code(TOOLKIT_WAY[ex.id], ex.namespace(), ex.var)))
    return answers


def _value_wrong(ex, want: Any) -> list[tuple[str, Any, str]]:
    if isinstance(want, str):
        return [("another text", "Nothing like it", "'Nothing like it' is not the answer"),
                ("a whole column", pd.Series([want, want]), "a word or name is needed")]
    want = want.item() if isinstance(want, np.generic) else want
    out = [("a whole column", pd.Series([want, want]), "one number is needed")]
    if float(want).is_integer():
        out.append(("off by one", want + 1, f"Your answer {as_written(want + 1)}"))
    else:
        out.append(("a bit too high", want + 0.1, f"Your answer {as_written(want + 0.1)}"))
        if 0 < want <= 1:
            out.append(("a percentage", want * 100, "looks like you gave a percentage"))
    return out


def _set_wrong(ex, want: Any) -> list[tuple[str, Any, str]]:
    ids = [str(i) for i in as_names(want)]
    out = [("an empty filter", pd.Series([], dtype=object), "empty"),
           ("a number", 3, "a list of elements is needed")]
    if len(ids) > 1:
        out.append(("one missing", ids[:-1], "1 is missing"))
    if ex.ordered and len(ids) > 1:
        out.append(("in reverse order", ids[::-1], "the order is wrong"))
    return out


def _element_wrong(ex, want: Any) -> list[tuple[str, Any, str]]:
    m = ex.namespace()[ex.map_var]
    other = next(i for i in m.elements["ID"] if i != m.resolve(want))
    return [("another element", other, "is not the element we are looking for"),
            ("a whole column", m.elements["ID"], "pick one out"),
            ("a misspelt name", "Nobody Of This Name At All", "Nobody Of This Name At All")]


def _figure_wrong(ex, want: Any) -> list[tuple[str, Any, str]]:
    points = trace_points(figure_traces(want)[0])
    fewer = go.Figure(go.Bar(x=[p[0] for p in points[:-1]], y=[p[1] for p in points[:-1]]))
    return [("one bar missing", fewer, f"has {len(points) - 1} data points, but it should have {len(points)}"),
            ("a number", 5, "a plotly figure is needed"),
            ("a scatter instead of bars", go.Figure(go.Scatter(x=[1], y=[2])), "needs a bar chart")]


def _function_wrong(ex) -> list[tuple[str, Any, str]]:
    def returns_nothing(*args, **kwargs):
        print("working on it")

    def looks_up_a_label(m, name, *args, **kwargs):
        return m.elements.set_index("ID").loc["The Name Instead Of The ID"]

    return [("a function that forgets return", returns_nothing, "did you forget `return`?"),
            ("a function that stops with an error", looks_up_a_label, "your function stopped with an error"),
            ("a number", 3, "define a function with def")]


def wrong_answers(ex) -> list[tuple[str, Any, str]]:
    """Typical wrong answers for an exercise, each with a phrase its plain message must contain."""
    want = ex.reference_answer()
    if isinstance(ex, ValueExercise):
        return _value_wrong(ex, want)
    if isinstance(ex, SetExercise):
        return _set_wrong(ex, want)
    if isinstance(ex, ElementExercise):
        return _element_wrong(ex, want)
    if isinstance(ex, ChoiceExercise):
        other = next(k for k in ex.options if k != ex._letter(want))
        return [("another letter", other, ex.why_not.get(other, f"'{other}' is not the best answer")),
                ("a number", 1, "give one of the letters")]
    if isinstance(ex, DataFrameExercise):
        return [("a single column", want.iloc[:, 0], "a table (DataFrame) is needed"),
                ("one row missing", want.iloc[:-1], f"rows, but it should have {len(want)}")]
    if isinstance(ex, FigureExercise):
        return _figure_wrong(ex, want)
    if isinstance(ex, FunctionExercise):
        return _function_wrong(ex)
    raise AssertionError(f"no typical wrong answers for {type(ex).__name__}")


RIGHT = [(ex, i) for ex in MARKED for i in range(len(right_answers(ex)))]
WRONG = [(ex, i) for ex in MARKED for i in range(len(wrong_answers(ex)))]


@pytest.mark.parametrize("ex,i", RIGHT, ids=[f"{ex.id}-{right_answers(ex)[i][0]}" for ex, i in RIGHT])
def test_the_right_answer_in_any_usual_form_is_marked_right(ex, i):
    what, answer = right_answers(ex)[i]
    result = ex.evaluate(answer)
    assert result.status == "correct", f"{what}: {result.message}"


@pytest.mark.parametrize("ex,i", WRONG, ids=[f"{ex.id}-{wrong_answers(ex)[i][0]}" for ex, i in WRONG])
def test_a_typical_wrong_answer_gets_a_true_plain_message(ex, i):
    what, answer, phrase = wrong_answers(ex)[i]
    result = ex.evaluate(answer)
    assert result.status == "incorrect", f"{what}: {result.status} {result.message}"
    assert not any(word in result.message for word in FORBIDDEN), result.message
    mistake = _mistake_for(ex, answer)
    if mistake is not None and not ex.first_problem(answer):
        assert result.message == mistake
    else:
        assert phrase.casefold() in result.message.casefold(), f"{what}: {result.message}"


def test_lesson01_filtering_by_the_label_or_by_lowercase_funding_says_what_is_really_wrong():
    ex = BY_ID["01.4"]
    c = ex.namespace()["m"].connections
    by_label = c.loc[(c["From"] == "City Bridge Trust") & (c["Type"] == "Funding"), "To"]
    lower_case = c.loc[(c["From"] == "city-bridge-trust") & (c["Type"] == "funding"), "To"]
    for answer in (by_label, lower_case):
        message = ex.evaluate(answer).message
        assert "pointing TO" not in message
        assert "m.resolve('City Bridge Trust')" in message and "'Funding' with a capital F" in message


def test_lesson03_accepts_the_chart_the_lesson_itself_draws_with_plot_ranking():
    ex = BY_ID["03.5"]
    ns = ex.namespace()
    fig = ns["cop"].figures.plot_ranking(ns["metrics"], "betweenness", top=10)
    assert len(fig.data) > 1  # one trace per element type: the check must look at all of them
    assert ex.evaluate(fig).status == "correct"


def test_numbers_are_written_as_people_write_them():
    ex = BY_ID["03.3"]
    message = ex.evaluate(np.float64(0.4608123)).message
    assert "0.46" in message and "np.float64" not in message and "0.4608123" not in message


def test_lesson00_hints_use_only_what_lesson00_has_taught():
    ex = BY_ID["00.4"]
    m = ex.namespace()["m"]
    texts = list(ex.hints) + [ex.evaluate(m.elements["Label"]).message,
                              ex.evaluate(m.elements[m.elements["Type"] == "University"]).message]
    assert not any("idxmax" in t for t in texts)
