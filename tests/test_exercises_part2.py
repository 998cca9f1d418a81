"""Exercises of lessons 07-12: reference solutions are right, typical mistakes get their own message.

Every expected answer is computed by the reference solution from the data,
so these tests prove that the solution shown to learners is the code that
produces the answer, that a second way of computing it (``expected``) agrees,
that each listed mistake is caught *with its message*, and that a blank is
"not attempted", never "wrong".
"""

from __future__ import annotations

import importlib

import pytest

from cop_toolkit.teaching.exercises import ____

LESSONS = ["07", "08", "09", "10", "11", "12"]


def _exercises():
    found = []
    for n in LESSONS:
        module = importlib.import_module(f"cop_toolkit.teaching.exercises.lesson{n}")
        for q in module.EXERCISES:
            found.append(pytest.param(q, id=q.id))
    return found


ALL = _exercises()


@pytest.mark.parametrize("n", LESSONS)
def test_each_lesson_has_three_to_six_exercises_numbered_in_order(n):
    module = importlib.import_module(f"cop_toolkit.teaching.exercises.lesson{n}")
    assert 3 <= len(module.EXERCISES) <= 6
    for i, q in enumerate(module.EXERCISES, start=1):
        assert q.id == f"{n}.{i}"
        assert getattr(module, f"q{i}") is q


@pytest.mark.parametrize("q", ALL)
def test_reference_solution_is_marked_correct(q):
    if q.kind == "reflection":
        pytest.skip("reflections are recorded, not marked")
    result = q.evaluate(q.reference_answer())
    assert result.status == "correct", result.message


@pytest.mark.parametrize("q", ALL)
def test_second_way_of_computing_agrees_with_the_solution(q):
    if q.expected is None:
        pytest.skip("no second way given")
    assert q.evaluate(q.expected(q.namespace())).status == "correct"


@pytest.mark.parametrize("q", ALL)
def test_typical_mistakes_are_caught_with_their_own_message(q):
    for mistake in q.mistakes:
        result = q.evaluate(q.mistake_answer(mistake))
        assert result.status == "incorrect", mistake.message
        assert mistake.message.rstrip(".") in result.message


@pytest.mark.parametrize("q", ALL)
def test_blank_answer_is_not_attempted_and_hints_and_solution_exist(q):
    assert q.evaluate(____).status == "not_attempted"
    assert q.hints and all(h.strip() for h in q.hints)
    assert q.solution_text().strip()


def test_reflections_need_enough_words():
    from cop_toolkit.teaching.exercises import lesson09

    assert lesson09.q5.evaluate("too short").status != "recorded"
    long = "I would connect the Kurdish Elders with Canonbury first because they share a contact " * 2
    assert lesson09.q5.evaluate(long).status == "recorded"


def test_merge_in_lesson_10_loses_nothing_and_new_answers_win():
    from cop_toolkit.io import datasets
    from cop_toolkit.teaching.exercises.lesson10 import merge_waves

    old, new = datasets.load("owa-2017"), datasets.load("owa-2018")
    merged = merge_waves(old.elements, new.elements)
    assert set(merged.index) == set(old.elements["ID"]) | set(new.elements["ID"])
    renamed = new.elements.set_index("ID")["Label"]
    both = sorted(set(old.elements["ID"]) & set(new.elements["ID"]))
    assert (merged.loc[both, "Label"] == renamed.loc[both]).all()
    assert not merged.loc["lvsc", "In latest wave"]
