"""Every exercise of every lesson: its reference answer passes, typical wrong answers fail
with their own helpful message, blanks count as not attempted, and check, hint and
solution all work."""

from __future__ import annotations

import pytest

from cop_toolkit.teaching.exercises import ReflectionExercise, ____, all_exercises

EXERCISES = [ex for lesson in all_exercises().values() for ex in lesson]
IDS = [ex.id for ex in EXERCISES]
MARKED = [ex for ex in EXERCISES if not isinstance(ex, ReflectionExercise)]
MISTAKES = [(ex, i) for ex in MARKED for i in range(len(ex.mistakes))]


def test_every_lesson_module_has_three_to_six_exercises():
    for name, exercises in all_exercises().items():
        assert 3 <= len(exercises) <= 6, name
        assert all(ex.id.startswith(name[-2:] + ".") for ex in exercises), name


def test_exercise_ids_are_unique_across_lessons():
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_exercise_offers_check_hint_and_solution(ex, capsys):
    assert callable(ex.check) and callable(ex.hint) and callable(ex.solution)
    assert ex.hints and all(h.strip() for h in ex.hints)
    assert ex.solution_result().code, "the solution shows no code or points"
    ex.hint()
    ex.solution()
    out = capsys.readouterr().out
    assert "Hint 1 of" in out and "Solution" in out


@pytest.mark.parametrize("ex", MARKED, ids=[e.id for e in MARKED])
def test_reference_solution_passes(ex):
    result = ex.evaluate(ex.reference_answer())
    assert result.status == "correct", result.message


@pytest.mark.parametrize("ex", [e for e in MARKED if e.expected], ids=[e.id for e in MARKED if e.expected])
def test_reference_solution_agrees_with_an_independent_computation(ex):
    result = ex.evaluate(ex.expected(ex.namespace()))
    assert result.status == "correct", result.message


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_blank_answer_is_not_attempted_rather_than_wrong(ex):
    assert ex.evaluate(____).status == "not_attempted"
    assert ex.evaluate(None).status == "not_attempted"


@pytest.mark.parametrize("ex", MARKED, ids=[e.id for e in MARKED])
def test_every_marked_exercise_knows_a_typical_mistake(ex):
    assert ex.mistakes, "add at least one Mistake with a helpful message"


@pytest.mark.parametrize("ex,i", MISTAKES, ids=[f"{ex.id}-mistake{i + 1}" for ex, i in MISTAKES])
def test_typical_wrong_answer_fails_with_its_helpful_message(ex, i):
    mistake = ex.mistakes[i]
    result = ex.evaluate(ex.mistake_answer(mistake))
    assert result.status == "incorrect"
    assert result.message == mistake.message


class _Nonsense:
    """Something no exercise expects."""


@pytest.mark.parametrize("ex", MARKED, ids=[e.id for e in MARKED])
def test_an_answer_of_the_wrong_kind_gets_a_plain_message_not_a_crash(ex):
    result = ex.evaluate(_Nonsense())
    assert result.status == "incorrect"
    assert result.message and "Traceback" not in result.message


@pytest.mark.parametrize("ex", [e for e in EXERCISES if isinstance(e, ReflectionExercise)],
                         ids=[e.id for e in EXERCISES if isinstance(e, ReflectionExercise)])
def test_reflection_is_recorded_and_never_marked_wrong_for_its_content(ex):
    text = " ".join(["In my network the council links many small groups together and"] * 5)
    assert ex.evaluate(text).status == "recorded"
