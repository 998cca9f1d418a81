"""Coursework feedback: every automatically marked question, its right answer, the toolkit's own way
and typical wrong answers each get a true message in plain words that names the question.

Answers go through the grader's own pipeline in this process (the collector that runs in a student's
kernel, then the hidden tests and the feedback file), so these tests are fast; one notebook is run
end to end to prove that an error and an endless loop cost only their own questions.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import networkx as nx
import pytest

import cop_toolkit as cop
from cop_toolkit.core.quality import stale_elements
from cop_toolkit.teaching.coursework import WRITTEN, collect_answers
from cop_toolkit.teaching.exercises import ____
from cop_toolkit.teaching.grading import (
    QUESTIONS,
    Submission,
    grade_one,
    mark_answers,
    reference_answers,
)
from cop_toolkit.teaching.grading.key import (
    FUNCTION_CASES,
    QUESTION_BY_NAME,
    question_title,
)

ROOT = Path(__file__).resolve().parents[1]
PROGRAMMER_TALK = ("_Blank", "np.", "float64", "int64", "Traceback", 'File "', ".py", "dtype", "Exception",
                   "object at 0x", "ipykernel")


@pytest.fixture(scope="module")
def m():
    return cop.datasets.load("coursework-2019")


def feedback(tmp_path: Path, **answers: Any) -> dict[str, tuple[float, str, str]]:
    """Collect ``answers`` as the hidden cell does, mark them, and read each question's feedback line."""
    out = tmp_path / "answers.json"
    collect_answers(answers, str(out), [list(c) for c in FUNCTION_CASES], limit=10)
    found = json.loads(out.read_text(encoding="utf-8"))
    found.pop("_written"), found.pop("_flags")
    sub = Submission("ama", tmp_path / "ama.ipynb", marks=mark_answers(found))
    lines = {q.name: line for q in QUESTIONS for line in sub.feedback().splitlines()
             if line.startswith(f"| {question_title(q.name)} |")}
    return {name: (*sub.marks[name], lines[name]) for name in answers if name in QUESTION_BY_NAME}


def assert_plain_and_true(name: str, marks: float, comment: str, line: str) -> None:
    """The comment is plain, names nothing internal, and its verdict matches the marks."""
    full = QUESTION_BY_NAME[name].marks
    assert question_title(name) in line and comment.replace("|", "/") in line
    for word in PROGRAMMER_TALK:
        assert word not in comment, (name, comment)
    assert len(comment) < 300 and "\n" not in comment
    if marks == full:
        assert comment.startswith("Right"), comment
    elif marks > 0:
        assert comment.startswith("Partly right"), comment
    else:
        assert comment.startswith("Not"), comment


def check(tmp_path: Path, name: str, value: Any, *, marks: float, says: str) -> str:
    got_marks, comment, line = feedback(tmp_path, **{name: value})[name]
    assert got_marks == marks, (value, comment)
    assert_plain_and_true(name, got_marks, comment, line)
    assert says in comment, comment
    return comment


# ------------------------------------------------------------------ whole numbers
@pytest.mark.parametrize(("name", "count"), [("q1_elements", lambda m: len(m.elements)),
                                             ("q1_connections", lambda m: len(m.connections)),
                                             ("q8_public_elements", lambda m: len(m.public().elements))])
def test_counting_questions_accept_the_toolkit_count_and_explain_typical_mistakes(tmp_path, m, name, count):
    right = reference_answers()[name]
    assert count(m) == right
    check(tmp_path, name, count(m), marks=QUESTION_BY_NAME[name].marks, says=f"{right}")
    check(tmp_path, name, float(right), marks=QUESTION_BY_NAME[name].marks, says=f"{right}")
    wrong = check(tmp_path, name, right + 1, marks=0, says="Not right")
    assert str(right) not in wrong  # the wrong-answer message does not give the answer away
    check(tmp_path, name, str(right), marks=0, says="without quotes")
    check(tmp_path, name, right + 0.5, marks=0, says=f"the number {right + 0.5:g}")
    check(tmp_path, name, m.elements["ID"], marks=0, says="a list of")
    check(tmp_path, name, ____, marks=0, says="Not answered yet")


def test_a_public_count_that_is_not_whole_is_not_rounded_into_a_mark(tmp_path):
    right = reference_answers()["q8_public_elements"]
    check(tmp_path, "q8_public_elements", right + 0.7, marks=0, says="whole number")


# ------------------------------------------------------------------ one element, one borough
def test_hub_question_accepts_id_label_and_the_toolkit_metric(tmp_path, m):
    metrics = cop.element_metrics(m)
    for value in ("slfha", "South London Food and Housing Alliance", "south london food and housing alliance",
                  metrics["betweenness"].idxmax()):
        check(tmp_path, "q2_hub", value, marks=2, says="highest betweenness")


def test_hub_question_explains_a_series_of_scores_a_wrong_element_and_a_typo(tmp_path, m):
    top = cop.element_metrics(m)["betweenness"].nlargest(1)
    check(tmp_path, "q2_hub", top, marks=0, says="the IDs are in its index")
    most_ties = max(m.to_networkx().degree, key=lambda kv: kv[1])[0]
    if most_ties not in reference_answers()["q2_hub"]:
        check(tmp_path, "q2_hub", most_ties, marks=0, says="not the most connections")
    check(tmp_path, "q2_hub", "South London Food & Housing Aliance", marks=0, says="is not an element on the map")
    check(tmp_path, "q2_hub", ____, marks=0, says="Not answered yet")


def test_borough_question_accepts_code_name_and_any_case(tmp_path, m):
    code = m.elements["Borough"].value_counts().idxmax()
    for value in (code, "Southwark", "southwark", "London Borough of Southwark"):
        check(tmp_path, "q4_busiest_borough", value, marks=2, says="most elements")


def test_borough_question_explains_a_wrong_borough_and_something_that_is_no_borough(tmp_path):
    check(tmp_path, "q4_busiest_borough", "Lambeth", marks=0, says="written as names")
    check(tmp_path, "q4_busiest_borough", "Southwold", marks=0, says="is not a London borough")
    check(tmp_path, "q4_busiest_borough", ____, marks=0, says="Not answered yet")


# ------------------------------------------------------------------ lists of names
def test_cut_off_question_accepts_the_what_if_result_as_ids_or_labels(tmp_path, m):
    cut = cop.what_if(m, remove=["slfha"]).cut_off
    check(tmp_path, "q3_cut_off", cut.index, marks=3, says="Right: all 20")
    check(tmp_path, "q3_cut_off", [m.label_of(i) for i in cut.index], marks=3, says="Right")
    check(tmp_path, "q3_cut_off", {m.label_of(i).upper() for i in cut.index}, marks=3, says="Right")


def test_cut_off_question_explains_one_missing_a_whole_table_a_true_false_series_and_blanks(tmp_path, m):
    cut = sorted(reference_answers()["q3_cut_off"])
    check(tmp_path, "q3_cut_off", cut[1:], marks=2.5, says="1 is missing")
    check(tmp_path, "q3_cut_off", cut + ["slfha"], marks=2.5, says="1 should not be there")
    check(tmp_path, "q3_cut_off", cop.what_if(m, remove=["slfha"]).cut_off, marks=0, says="whole table")
    in_cut = m.elements.set_index("ID").index.isin(cut)
    check(tmp_path, "q3_cut_off", list(in_cut), marks=0, says="list(s.index)")
    check(tmp_path, "q3_cut_off", "slfha", marks=0, says="but it is the text 'slfha'")
    check(tmp_path, "q3_cut_off", [], marks=0, says="your list is empty")
    check(tmp_path, "q3_cut_off", [____], marks=0, says="Not answered yet")
    everyone = check(tmp_path, "q3_cut_off", list(m.elements["ID"]), marks=0, says="Not right")
    assert "Partly" not in everyone


def test_sole_assets_question_accepts_any_case_and_explains_counts_and_gaps(tmp_path, m):
    holders: dict[str, set[str]] = {}
    for eid, items in m.multi("Assets").items():
        for item in items:
            holders.setdefault(item.strip().lower(), set()).add(eid)
    sole = [item for item, who in holders.items() if len(who) == 1]
    check(tmp_path, "q5_sole_assets", sole, marks=2, says="Right")
    check(tmp_path, "q5_sole_assets", [s.upper() for s in sole], marks=2, says="Right")
    check(tmp_path, "q5_sole_assets", sorted(sole)[1:], marks=1, says="1 of the 1 you gave is right; 1 is missing")
    counts = m.multi("Assets").explode().str.lower().value_counts()
    check(tmp_path, "q5_sole_assets", counts[counts == 1], marks=0, says="list(s.index)")
    check(tmp_path, "q5_sole_assets", ["a cake"], marks=0, says="None of the 1 you gave is right")


def test_stale_question_accepts_the_toolkit_check_and_explains_days_and_one_too_few(tmp_path, m):
    stale = stale_elements(m)
    check(tmp_path, "q6_stale", stale.index, marks=2, says="Right: all 6")
    check(tmp_path, "q6_stale", list(stale["Label"]), marks=2, says="Right")
    check(tmp_path, "q6_stale", stale["days_since"], marks=0, says="list(s.index)")
    check(tmp_path, "q6_stale", list(stale.index[1:]), marks=1.5, says="1 is missing")


# ------------------------------------------------------------------ the function
def _right(m, name):
    return len(cop.ego_network(m, name, steps=2).elements) - 1


def _counts_itself(m, name):
    return len(cop.ego_network(m, name, steps=2).elements)


def _label_as_id(m, name):
    return len(nx.single_source_shortest_path_length(m.to_networkx(), name, cutoff=2)) - 1


def _returns_the_set(m, name):
    return sorted(cop.ego_network(m, name, steps=2).elements["ID"])


def _untouched(m, name):
    return ____


def _half_done(m, name):
    return len(____)


def test_function_question_accepts_the_toolkit_ego_network(tmp_path):
    check(tmp_path, "reach_within_two", _right, marks=3, says="Right on all 6 hidden cases")


@pytest.mark.parametrize(("fn", "says"), [
    (_counts_itself, "leave out the element itself"),
    (_label_as_id, "m.resolve(name)"),
    (_returns_the_set, "It returns a list"),
])
def test_function_question_explains_typical_mistakes(tmp_path, fn, says):
    check(tmp_path, "reach_within_two", fn, marks=1.5 if fn is _label_as_id else 0, says=says)


@pytest.mark.parametrize("fn", [_untouched, _half_done, ____])
def test_an_unanswered_function_is_not_answered_yet_not_advice_on_counting(tmp_path, fn):
    comment = check(tmp_path, "reach_within_two", fn, marks=0, says="Not answered yet")
    assert "count" not in comment


def test_something_that_is_not_a_function_is_named_as_such(tmp_path):
    check(tmp_path, "reach_within_two", 87, marks=0, says="it is not a function")


# ------------------------------------------------------------------ one notebook, end to end
def _fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tests" / "grading_submissions" / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_an_error_and_an_endless_loop_cost_only_their_own_questions(tmp_path):
    fixtures = _fixtures()
    answers = dict(fixtures.GOOD)
    answers["q3_cut_off = ____"] = "q3_cut_off = sorted(set(H) - mian)"
    answers["def reach_within_two(m, name):"] = answers["def reach_within_two(m, name):"] + "\nwhile True:\n    pass"
    path = tmp_path / "mixed.ipynb"
    nbformat.write(fixtures.fill(answers), str(path))
    sub = grade_one("mixed", path, timeout=20)
    full = {q.name: q.marks for q in QUESTIONS}
    for name in ("q1_elements", "q1_connections", "q2_hub", "q4_busiest_borough", "q5_sole_assets", "q6_stale",
                 "reach_within_two", "q8_public_elements"):
        assert sub.marks[name][0] == full[name], (name, sub.marks[name])
    assert sub.marks["q3_cut_off"][0] == 0 and "failed" in sub.marks["q3_cut_off"][1]
    assert all(len(sub.written.get(w, "").split()) > 50 for w in WRITTEN)
    text = sub.feedback()
    assert "not found" not in text
    assert "Question 3 (q3_cut_off)" in sub.note and "NameError" in sub.note
    assert "Question 7 (reach_within_two)" in sub.note and "time limit" in sub.note
    assert not re.search(r"\d{6,}\.py|_Blank|Traceback", text)
    for q in QUESTIONS:
        marks, comment = sub.marks[q.name]
        assert_plain_and_true(q.name, marks, comment, next(line for line in text.splitlines()
                                                          if line.startswith(f"| {question_title(q.name)} |")))
