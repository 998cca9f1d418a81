"""The exercise system itself: feedback, blanks, hints, solutions, progress, display."""

from __future__ import annotations

import json

import pandas as pd
import plotly.express as px
import pytest

from cop_toolkit.teaching.exercises import (
    Case,
    ChoiceExercise,
    DataFrameExercise,
    ElementExercise,
    FigureExercise,
    FunctionExercise,
    Mistake,
    ReflectionExercise,
    Result,
    SetExercise,
    ValueExercise,
    ____,
    progress_table,
    register,
)
from cop_toolkit.core.model import NetworkMap


@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("COP_TOOLKIT_PROGRESS", str(path))
    return path


def _tiny():
    m = NetworkMap(
        pd.DataFrame({"ID": ["fb", "yc", "hub"], "Label": ["Food Bank", "Youth Club", "The Hub"]}),
        pd.DataFrame({"From": ["fb", "yc"], "To": ["hub", "hub"]}),
    )
    return {"m": m, "pd": pd, "px": px}


def _value(**kw):
    base = dict(id="t.1", title="Count", prompt="How many?", var="n", solution="n = 3 + 4",
                hints=["Add.", "It is three plus four."])
    base.update(kw)
    return ValueExercise(**base)


def test_blank_none_and_ellipsis_answers_are_not_attempted():
    q = _value()
    for blank in (____, None, ..., "", "____"):
        assert q.evaluate(blank).status == "not_attempted"


def test_check_without_argument_reads_the_learners_variable(capsys):
    q = _value()
    n = 7  # noqa: F841 - read by check() from this frame
    q.check()
    assert "Correct" in capsys.readouterr().out


def test_check_reports_a_variable_that_does_not_exist_yet(capsys):
    q = _value(var="never_defined_anywhere")
    q.check()
    out = capsys.readouterr().out
    assert "Not attempted yet" in out and "never_defined_anywhere" in out


def test_numbers_are_compared_with_tolerance_and_say_too_high_or_low():
    q = _value(rel_tol=0.01)
    assert q.evaluate(7.05).correct
    assert "too high" in q.evaluate(8).message
    assert "too low" in q.evaluate(6).message
    assert q.evaluate("7").correct


def test_a_typical_mistake_gets_its_own_message():
    q = _value(mistakes=[Mistake("3 * 4", "You multiplied instead of adding.")])
    r = q.evaluate(12)
    assert r.status == "incorrect" and r.message == "You multiplied instead of adding."


def test_a_column_instead_of_a_number_is_explained():
    r = _value().evaluate(pd.Series([1, 2]))
    assert "whole column" in r.message


def test_percentage_instead_of_share_is_spotted():
    q = _value(solution="n = 0.25")
    assert "percentage" in q.evaluate(25).message


def test_hints_are_tiered_and_point_to_the_next_one():
    q = _value()
    first, second = q.hint_result(1), q.hint_result(2)
    assert first.message.startswith("Add.") and "hint(2)" in first.message
    assert second.message == "It is three plus four."
    assert q.hint_result(9).message == second.message


def test_solution_shows_the_reference_code_that_is_tested():
    q = _value()
    assert q.solution_result().code == "n = 3 + 4"
    assert q.reference_answer() == 7
    expr = _value(solution="3 + 4")
    assert expr.solution_text() == "n = 3 + 4"


def test_html_output_escapes_learner_text():
    q = ElementExercise(id="t.2", title="Hub", prompt="Which?", var="hub", setup=_tiny,
                        solution="'hub'", hints=["h"])
    r = q.evaluate("<script>alert(1)</script>")
    html = r.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_element_answers_accept_id_or_label_and_suggest_close_names():
    q = ElementExercise(id="t.2", title="Hub", prompt="Which?", var="hub", setup=_tiny,
                        solution="'hub'", hints=["h"])
    assert q.evaluate("hub").correct and q.evaluate("the hub").correct
    assert "The Hub" in q.evaluate("The Hubb").message
    assert "'Food Bank' is not the element" in q.evaluate("fb").message
    assert "whole column" in q.evaluate(pd.Series(["hub", "fb"])).message
    assert q.evaluate(pd.Series(["hub"])).correct  # one row picked out with a condition


def test_sets_accept_labels_and_say_what_is_wrong_without_giving_it_away():
    q = SetExercise(id="t.3", title="Spokes", prompt="Which?", var="s", setup=_tiny,
                    solution="['fb', 'yc']", hints=["h"])
    assert q.evaluate({"Food Bank", "yc"}).correct
    r = q.evaluate(["fb", "hub"])
    assert "'The Hub' should not be there" in r.message and "1 is missing" in r.message
    assert "more than once" in q.evaluate(["fb", "Food Bank"]).message


def test_rankings_need_the_right_order():
    q = SetExercise(id="t.4", title="Rank", prompt="Rank", var="r", setup=_tiny,
                    solution="['hub', 'fb', 'yc']", ordered=True, hints=["h"])
    assert q.evaluate(pd.Index(["hub", "fb", "yc"])).correct
    assert "order is wrong from number 2" in q.evaluate(["hub", "yc", "fb"]).message


def test_dataframes_are_compared_by_rows_columns_and_values():
    q = DataFrameExercise(id="t.5", title="Table", prompt="Table", var="df", setup=_tiny,
                          solution="pd.DataFrame({'deg': [1, 1, 2]}, index=['fb', 'yc', 'hub'])",
                          hints=["h"])
    good = pd.DataFrame({"deg": [2, 1, 1], "extra": 0}, index=["hub", "fb", "yc"])
    assert q.evaluate(good).correct
    assert "missing the column 'deg'" in q.evaluate(pd.DataFrame({"x": [1]})).message
    assert "2 rows" in q.evaluate(good.head(2)).message
    assert "single column" in q.evaluate(good["deg"]).message
    wrong = good.copy()
    wrong.loc["fb", "deg"] = 5
    assert "column 'deg'" in q.evaluate(wrong).message


def _function_exercise():
    return FunctionExercise(
        id="t.6", title="Count ties", prompt="Write n_ties(m, name)", var="n_ties", setup=_tiny,
        solution="def n_ties(m, name):\n    return m.to_networkx().degree(m.resolve(name))",
        cases=[Case(lambda ns: (ns["m"], "hub"), "the hub of a tiny map"),
               Case(lambda ns: (ns["m"], "Food Bank"), "a label instead of an ID")],
        mistakes=[Mistake("def n_ties(m, name):\n    return int((m.connections['From'] == m.resolve(name)).sum())",
                          "Count connections in both directions: From and To.")],
        hints=["Use the graph's degree."],
    )


def test_function_exercises_run_hidden_cases_and_report_errors_in_plain_words():
    q = _function_exercise()
    assert q.evaluate(q.reference_answer()).correct

    def crashes(m, name):
        raise KeyError(name)

    def forgets_return(m, name):
        m.to_networkx()

    def template(m, name):
        return ____

    assert "stopped with an error (KeyError" in q.evaluate(crashes).message
    assert "forget `return`" in q.evaluate(forgets_return).message
    assert q.evaluate(template).status == "not_attempted"
    assert q.evaluate(lambda m, name: 0).message.startswith("Your function gave 0 for the hub")


def test_function_mistake_is_recognised_by_its_outputs():
    q = _function_exercise()
    got = q.evaluate(q.mistake_answer(q.mistakes[0]))
    assert got.message == "Count connections in both directions: From and To."


def test_figures_are_checked_by_trace_type_and_data():
    q = FigureExercise(id="t.7", title="Bars", prompt="Bar chart", var="fig", setup=_tiny,
                       solution="fig = px.bar(x=['fb', 'yc', 'hub'], y=[1, 1, 2])", hints=["h"])
    assert q.evaluate(px.bar(x=["hub", "fb", "yc"], y=[2, 1, 1])).correct
    assert q.evaluate(px.bar(y=["hub", "fb", "yc"], x=[2, 1, 1], orientation="h")).correct
    assert "bar chart" in q.evaluate(px.scatter(x=[1], y=[2])).message
    assert "should have 3" in q.evaluate(px.bar(x=["a"], y=[1])).message
    assert "plotly figure is needed" in q.evaluate("a picture").message


def test_choices_accept_letter_or_text_and_explain_wrong_options():
    q = ChoiceExercise(id="t.8", title="Pick", prompt="Which?", var="c",
                       options={"a": "degree", "b": "closeness"}, solution="'b'", hints=["h"],
                       why_not={"a": "Degree counts contacts."})
    assert q.evaluate("b").correct and q.evaluate("Closeness").correct
    assert q.evaluate("a").message == "Degree counts contacts."
    assert "letters" in q.evaluate("z").message


def test_reflections_are_recorded_not_marked(private_progress, capsys):
    q = ReflectionExercise(id="t.9", title="Think", prompt="Why map?", var="thoughts",
                           min_words=5, hints=["Think of a time..."], points=["trust"])
    assert q.evaluate("too short").status == "say_more"
    q.check("Mapping helps us see who is missing & who <holds> it together.")
    assert "recorded" in capsys.readouterr().out
    saved = json.loads(private_progress.read_text())
    assert "who <holds> it" in saved["exercises"]["t.9"]["reflection"]
    assert "trust" in q.solution_result().code


def test_progress_is_recorded_locally_and_keeps_a_correct_status(private_progress, capsys):
    q = _value()
    q.check(7)
    q.check(8)
    q.hint(2)
    q.solution()
    table = progress_table()
    row = table.loc["t.1"]
    assert row["status"] == "correct" and row["checks"] == 2
    assert row["hints_seen"] == 2 and bool(row["solution_seen"])
    assert private_progress.exists()


def test_blank_checks_are_not_recorded(private_progress, capsys):
    _value().check(____)
    assert not private_progress.exists()


def test_progress_can_be_switched_off(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COP_TOOLKIT_PROGRESS", "off")
    _value().check(7)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_progress_file_warns_but_checking_still_works(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    monkeypatch.setenv("COP_TOOLKIT_PROGRESS", str(blocker / "progress.json"))
    import cop_toolkit.teaching.exercises.progress as progress

    monkeypatch.setattr(progress, "_warned", False)
    with pytest.warns(UserWarning, match="could not be saved"):
        _value().check(7)
    assert "Correct" in capsys.readouterr().out


def test_a_broken_reference_is_reported_as_an_error_not_as_the_learners_fault():
    q = _value(solution="n = 1 / 0")
    r = q.evaluate(3)
    assert r.status == "error" and "facilitator" in r.message


def test_register_refuses_duplicate_ids():
    with pytest.raises(ValueError, match="t.1"):
        register(_value(), _value())


def test_every_exercise_needs_a_hint():
    with pytest.raises(ValueError, match="hint"):
        _value(hints=[])


def test_results_render_as_coloured_html_and_plain_text():
    r = Result("correct", "Well done!", "t.1")
    assert "cop-correct" in r.to_html() and "#2e7d32" in r.to_html()
    assert r.to_text() == "Correct (exercise t.1): Well done!"


def test_code_in_backticks_is_shown_as_code_and_still_escaped():
    html = Result("hint", "Use `m.multi('<Needs>')`.", "t.1").to_html()
    assert "<code>m.multi(&#39;&lt;Needs&gt;&#39;)</code>" in html


def test_lesson_finds_a_lesson_module_by_number_and_refuses_an_unknown_one():
    from cop_toolkit.core.errors import MapError
    from cop_toolkit.teaching import exercises

    assert exercises.lesson("03") is exercises.lesson(3) is exercises.lesson03
    assert exercises.lesson("lesson09").EXERCISES == exercises.all_exercises()["lesson09"]
    with pytest.raises(MapError, match="no lesson '99'"):
        exercises.lesson("99")
    with pytest.raises(AttributeError):
        exercises.lesson99  # noqa: B018


def test_old_import_path_gives_the_same_blank_lessons_and_helpers():
    import cop_toolkit.exercises as old
    from cop_toolkit.teaching import exercises as new
    from cop_toolkit.teaching.exercises.registry import lesson_names

    for name in ["____", "lesson", "check_environment", "show_progress", *lesson_names()]:
        assert getattr(old, name) is getattr(new, name), name
    assert set(lesson_names()) <= set(new.__all__)
