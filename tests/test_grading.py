"""cop-grade: runs submissions safely, marks them with hidden tests, writes marks and feedback.

The submissions in ``tests/grading_submissions/`` are the real coursework
notebook filled in as students might (see ``make_fixtures.py`` there): a good
one, a partly wrong one, a broken one, one with an endless loop, and a file
that is not a notebook. The whole folder is marked once (in parallel, with a
short time limit) and the tests look at the results.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from cop_toolkit.teaching import grading
from cop_toolkit.teaching.grading import (
    QUESTIONS,
    TOTAL,
    check_format,
    main,
    mark_answers,
    reference_answers,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "grading_submissions"
TEMPLATE = ROOT / "notebooks" / "coursework" / "coursework_2019.ipynb"


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    work = tmp_path_factory.mktemp("grading")
    subs = work / "submissions"
    subs.mkdir()
    for path in FIXTURES.glob("*.ipynb"):
        shutil.copy(path, subs / path.name)
    # one student hands in a folder rather than a file: the untouched template
    (subs / "blank_student").mkdir()
    shutil.copy(TEMPLATE, subs / "blank_student" / "coursework_2019.ipynb")
    # the endless loop is marked on its own with a short limit; the others get a generous one,
    # so a busy machine cannot make a good notebook run out of time
    loop = work / "loop"
    loop.mkdir()
    shutil.move(subs / "endless_loop.ipynb", loop / "endless_loop.ipynb")
    out = work / "out" / "marks.csv"
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(grading.grade_folder, loop, work / "loop_out" / "marks.csv", timeout=25)
        table = grading.grade_folder(subs, out, timeout=120, jobs=5)
        looped = slow.result()
    for path in (work / "loop_out" / "feedback").glob("*.md"):
        shutil.copy(path, out.parent / "feedback" / path.name)
    pd.concat([table, looped]).to_csv(out, index=False)
    return pd.concat([table, looped]).set_index("student"), out


@pytest.mark.slow
def test_good_submission_gets_every_automatic_mark(marked):
    table, _ = marked
    row = table.loc["good_student"]
    assert row["automatic_total"] == TOTAL == 17
    assert row["status"] == "ok" and pd.isna(row["note"]) or row["note"] == ""
    assert row["written_words"] > 300


@pytest.mark.slow
def test_partly_wrong_submission_gets_part_marks_question_by_question(marked):
    table, _ = marked
    row = table.loc["partly_wrong"]
    assert row["q1_elements"] == 1 and row["q6_stale"] == 2 and row["q8_public_elements"] == 1
    assert row["q2_hub"] == 0  # wrong element
    assert 0 < row["q3_cut_off"] < 3  # some right, some missing, one wrong
    assert row["q5_sole_assets"] == 0  # its cell failed
    assert row["reach_within_two"] == 0  # counts the element itself
    assert row["status"] == "errors"
    assert "NameError" in row["note"] and "cell 13" in row["note"]


@pytest.mark.slow
def test_broken_submission_is_marked_with_a_clear_note_not_a_crash(marked):
    table, out = marked
    row = table.loc["broken"]
    assert row["q1_elements"] == 0 and row["q2_hub"] == 0
    assert "coursework-2091" in row["note"]
    feedback = (out.parent / "feedback" / "broken.md").read_text(encoding="utf-8")
    assert "cells failed" in feedback


@pytest.mark.slow
def test_endless_loop_is_stopped_and_the_answers_before_it_are_marked(marked):
    table, _ = marked
    row = table.loc["endless_loop"]
    assert row["status"] == "timed out"
    assert (row["q1_elements"], row["q1_connections"], row["q2_hub"], row["q3_cut_off"]) == (1, 1, 2, 3)
    assert row["q4_busiest_borough"] == 0
    assert "time limit" in row["note"]


@pytest.mark.slow
def test_a_file_that_is_not_a_notebook_gets_zero_and_a_note(marked):
    table, _ = marked
    row = table.loc["not_a_notebook"]
    assert row["automatic_total"] == 0 and row["status"] == "not run"
    assert "not a readable notebook" in row["note"]


@pytest.mark.slow
def test_untouched_template_runs_and_scores_nothing(marked):
    table, _ = marked
    row = table.loc["blank_student"]
    assert row["status"] == "ok" and row["automatic_total"] == 0 and row["written_words"] == 0


@pytest.mark.slow
def test_marks_table_and_one_feedback_file_per_student_are_written(marked):
    table, out = marked
    on_disk = pd.read_csv(out)
    expected = ["student", "file"] + [q.name for q in QUESTIONS] + [
        "automatic_total", "out_of", "written_words", "status", "note"]
    assert list(on_disk.columns) == expected
    assert len(on_disk) == 6
    files = sorted(p.stem for p in (out.parent / "feedback").glob("*.md"))
    assert files == sorted(table.index)
    good = (out.parent / "feedback" / "good_student.md").read_text(encoding="utf-8")
    assert "17 out of 17" in good and "interpretation_2" in good


def test_missing_folder_is_a_user_error_with_exit_status_2(tmp_path, capsys):
    code = main([str(tmp_path / "nowhere"), "-o", str(tmp_path / "marks.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "does not exist" in err and "How to fix" in err


def test_folder_without_notebooks_is_a_user_error(tmp_path, capsys):
    assert main([str(tmp_path), "-o", str(tmp_path / "marks.csv")]) == 2
    assert "no notebooks" in capsys.readouterr().err


def test_the_installed_command_reports_a_missing_folder_in_one_line(tmp_path):
    exe = Path(sys.executable).with_name("cop-grade")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "cop_toolkit.teaching.grading"]
    proc = subprocess.run(cmd + [str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


def test_references_are_computed_from_the_data():
    from cop_toolkit.io import datasets

    ref = reference_answers()
    m = datasets.load("coursework-2019")
    assert ref["q1_elements"] == len(m.elements) and ref["q1_connections"] == len(m.connections)
    assert ref["q2_hub"] == {"slfha"}
    # Greenwich hangs on the Alliance alone
    greenwich = set(m.elements.loc[m.elements["Borough"] == "E09000011", "ID"])
    assert greenwich <= ref["q3_cut_off"] | {"slfha"}
    assert ref["q8_public_elements"] == len(m.public().elements) < len(m)


def test_references_agree_with_the_toolkit_functions_taught_in_the_lessons():
    import cop_toolkit as cop

    m = cop.datasets.load("coursework-2019")
    ref = reference_answers()
    try:
        result = cop.what_if(m, remove=["slfha"])
    except (ImportError, AttributeError) as exc:  # pragma: no cover - written by another part
        pytest.skip(f"what_if not ready: {exc}")
    assert set(result.cut_off.index) == ref["q3_cut_off"]


def test_labels_and_ids_are_both_accepted_and_blanks_are_not_answered():
    from cop_toolkit.io import datasets

    m = datasets.load("coursework-2019")
    ref = reference_answers()
    labels = [m.label_of(i) for i in ref["q3_cut_off"]]
    marks = mark_answers({"q2_hub": "South London Food and Housing Alliance", "q3_cut_off": labels,
                          "q6_stale": None, "q1_elements": "97"})
    assert marks["q2_hub"][0] == 2 and marks["q3_cut_off"][0] == 3
    assert marks["q6_stale"] == (0, "Not answered yet.")
    assert marks["q1_elements"][0] == 0 and "whole number" in marks["q1_elements"][1]
    assert "no q8_public_elements" in marks["q8_public_elements"][1]


def test_wrong_guesses_cost_marks_in_list_questions():
    ref = reference_answers()
    everyone = sorted(ref["q3_cut_off"])
    from cop_toolkit.io import datasets

    all_ids = list(datasets.load("coursework-2019").elements["ID"])
    assert mark_answers({"q3_cut_off": all_ids})["q3_cut_off"][0] == 0  # listing everything earns nothing
    assert mark_answers({"q3_cut_off": everyone})["q3_cut_off"][0] == 3


def test_learner_visible_check_only_looks_at_format():
    wrong_but_well_formed = {"q1_elements": 5, "q2_hub": "lewisham-food-action", "q3_cut_off": ["a"],
                             "reach_within_two": lambda m, name: 0}
    table = check_format(wrong_but_well_formed)
    assert table.loc[["q1_elements", "q2_hub", "q3_cut_off", "reach_within_two"], "ok"].all()
    assert not table.loc["q3_cut_off", "message"].lower().startswith("right")
    assert check_format({"q3_cut_off": "slfha"}).loc["q3_cut_off", "ok"] == False  # noqa: E712
    assert check_format({"q1_elements": 3.5}).loc["q1_elements", "ok"] == False  # noqa: E712


def test_hidden_tests_and_answers_are_not_in_the_learner_notebook():
    nb = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"])
    for secret in ("reference_answers", "_collect_answers", "mark_answers", "slfha\"}", "E09000028"):
        assert secret not in text
    assert "check_format(globals())" in text
    ref = reference_answers()
    assert str(ref["q1_connections"]) not in text


def test_coursework_notebook_is_stored_without_outputs_and_loads_data_through_cop_toolkit():
    nb = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    src = "".join("".join(c["source"]) for c in code)
    assert 'cop.datasets.load("coursework-2019")' in src and "read_csv(" not in src


def test_coursework_dataset_is_exactly_what_its_generator_makes():
    proc = subprocess.run([sys.executable, str(ROOT / "datasets" / "generate_coursework.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_rubric_lists_every_automatic_question_with_its_marks():
    import re

    text = (ROOT / "lessons" / "coursework_rubric.md").read_text(encoding="utf-8")
    assert re.search(rf"\| {int(TOTAL)} \| `cop-grade`", text), "the automatic part's total is not in the rubric"
    for q in QUESTIONS:
        assert q.name in text, q.name
    # the per-question marks in the rubric add up to the automatic total
    rows = re.findall(r"^\| \d `[^|]+\| ([\d + ]+) \|", text, flags=re.M)
    assert sum(sum(int(x) for x in r.split("+")) for r in rows) == TOTAL
    for name in grading.WRITTEN:
        assert name.replace("_", " ") in text.lower()
