"""cop-grade: runs submissions safely, marks them with hidden tests, writes marks and feedback.

The submissions in ``tests/grading_submissions/`` are the real coursework
notebook filled in as students might (see ``make_fixtures.py`` there): a good
one, a partly wrong one, a broken one, one with an endless loop, and a file
that is not a notebook. The whole folder is marked once (in parallel, with a
short time limit) and the tests look at the results.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
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
    assert "NameError" in row["note"] and "cell 14" in row["note"]


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
    expected = ["student", "file", "map"] + [q.name for q in QUESTIONS] + [
        "automatic_total", "out_of", "written_words", "status", "note"]
    assert list(on_disk.columns) == expected
    assert len(on_disk) == 6
    assert set(on_disk["map"]) == {"coursework-2019"}  # every sample submission is marked on the sample map
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
    assert "cop.open_map(map_path)" in src and "read_csv(" not in src
    parameters = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(parameters) == 1 and 'map_path = "coursework-2019"' in "".join(parameters[0]["source"])


def test_coursework_dataset_is_exactly_what_its_generator_makes():
    proc = subprocess.run([sys.executable, str(ROOT / "datasets" / "scripts" / "generate_coursework.py"), "--check"],
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


# ------------------------------------------------------------------ hostile submissions
# Each attack that worked against cop-grade is made here as a notebook, marked in one run beside an
# honest student (the victim), and the tests check the victim keeps full marks, the cheat gets 0 and a
# flag, the marks are not touched after the run and no process of the submissions survives.
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox user needs root (tests here and in CI run as root)")
SANDBOX_UIDS = range(64000, 65000)


def _sandbox_survivors() -> list[int]:
    from cop_toolkit.teaching.grading.sandbox import sandbox_processes

    return [pid for uid in sorted({_uid_of(p) for p in os.listdir("/proc") if p.isdigit()} & set(SANDBOX_UIDS))
            for pid in sandbox_processes(uid, "")]


def _uid_of(pid: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def _notebook(path: Path, *cells: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, str(path))
    return path


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    import site

    work = tmp_path_factory.mktemp("hostile")
    subs, out = work / "submissions", work / "out" / "marks.xlsx"
    subs.mkdir()
    victim = subs / "victim.ipynb"
    shutil.copy(FIXTURES / "good_student.ipynb", victim)
    marks = str(out)
    planted = [str(Path(d) / "zz_cop_grade_cheat.pth") for d in site.getsitepackages()]
    bystander = subprocess.Popen(["sleep", "120"], start_new_session=True)
    _notebook(subs / "cheat_answers.ipynb",
              "from cop_toolkit.teaching.grading import reference_answers\nref = reference_answers()\n"
              "q1_elements, q1_connections, q2_hub = ref['q1_elements'], ref['q1_connections'], 'slfha'")
    _notebook(subs / "cheat_hidden_import.ipynb",  # the module name is built at run time: only the kernel sees it
              "name = bytes([99,111,112,95,116,111,111,108,107,105,116,46,116,101,97,99,104,105,110,103,46,"
              "103,114,97,100,105,110,103]).decode()\nmod = __import__(name, fromlist=['x'])\n"
              "q1_elements = mod.reference_answers()['q1_elements']")
    _notebook(subs / "cheat_neighbours.ipynb",
              f"import os, subprocess, sys\ntry:\n    print(os.listdir({str(subs)!r}))\n"
              f"    open({str(victim)!r}, 'w').write('{{}}')\nexcept OSError:\n    pass\n"
              f"subprocess.Popen(['/bin/sh', '-c', 'sleep 30; echo pwned > {marks}'], start_new_session=True)")
    _notebook(subs / "cheat_pth.ipynb",
              f"for path in {planted!r}:\n    try:\n        open(path, 'w').write('import os; os.mkdir(\"/tmp/cop-planted\")\\n')\n"
              "    except OSError:\n        pass")
    _notebook(subs / "cheat_pidfile.ipynb",
              f"import os, signal\nopen('kernel.pid', 'w').write('{bystander.pid}')\n"
              f"try:\n    os.killpg({bystander.pid}, signal.SIGKILL)\nexcept OSError:\n    pass")
    _notebook(subs / "cheat_killer.ipynb",
              f"import os, signal\ntry:\n    os.kill({os.getpid()}, signal.SIGKILL)\nexcept OSError:\n    pass\n"
              "for pid in [int(p) for p in os.listdir('/proc') if p.isdigit() and int(p) != os.getpid()]:\n"
              "    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass")
    _notebook(subs / "cheat_fork.ipynb",
              "import subprocess\nfor _ in range(50):\n"
              "    subprocess.Popen(['sleep', '300'], start_new_session=True)\nq1_elements = 97")
    _notebook(subs / "long_names.ipynb",
              "q3_cut_off = ['x' * 100000 + str(i) for i in range(2000)]\nq6_stale = q3_cut_off\n"
              "q5_sole_assets = q3_cut_off\nq1_elements = 97")
    _notebook(subs / "curious.ipynb",
              f"import os\ntry:\n    seen = os.listdir({str(subs)!r}) + os.listdir({str(out.parent)!r})\n"
              f"    q2_hub = 'LEAKED' if seen else 'blocked'\nexcept OSError:\n    q2_hub = 'blocked'\n"
              f"try:\n    open({str(victim)!r}).read()\n    q4_busiest_borough = 'LEAKED'\nexcept OSError:\n"
              "    q4_busiest_borough = 'blocked'\nq1_elements = 97")
    _notebook(subs / "k b.ipynb", "q1_elements = 97")
    _notebook(subs / "k_b.ipynb", "q1_elements = 5")
    _notebook(subs / '=HYPERLINK("evil.example","click").ipynb', "q1_elements = 97")
    before = _digest(victim)
    try:
        start = time.monotonic()
        table = grading.grade_folder(subs, out, timeout=60, jobs=4)
        took = time.monotonic() - start
        after_run = _digest(out)
        time.sleep(3)  # the detached helper would have rewritten the marks by now, had it survived
        alive = bystander.poll() is None
    finally:
        bystander.kill()
    yield {"table": table.set_index("student"), "out": out, "victim_unchanged": before == _digest(victim),
           "marks_unchanged": after_run == _digest(out), "planted": planted, "bystander_alive": alive,
           "survivors": _sandbox_survivors(), "took": took}


def _flagged(row, words: str) -> bool:
    return row["automatic_total"] == 0 and row["status"] == "flagged" and words in row["note"]


@needs_root
@pytest.mark.slow
def test_the_honest_student_beside_every_attack_keeps_full_marks_and_the_marks_stay_put(hostile):
    assert hostile["table"].loc["victim", "automatic_total"] == TOTAL
    assert hostile["victim_unchanged"] and hostile["marks_unchanged"]
    assert pd.read_excel(hostile["out"]).set_index("student").loc["victim", "automatic_total"] == TOTAL
    assert hostile["survivors"] == []


@needs_root
@pytest.mark.slow
def test_reading_the_answers_through_the_grader_scores_zero_and_is_flagged(hostile):
    table = hostile["table"]
    assert _flagged(table.loc["cheat_answers"], "imported the grader")
    assert _flagged(table.loc["cheat_hidden_import"], "imported the grader")  # seen only while it ran


@needs_root
@pytest.mark.slow
def test_another_students_work_and_the_marks_cannot_be_read_or_changed(hostile):
    table = hostile["table"]
    assert _flagged(table.loc["cheat_neighbours"], "program(s) running after it ended")
    fb = (hostile["out"].parent / "feedback" / "curious.md").read_text(encoding="utf-8")
    assert "'blocked' is not an element" in fb and "'blocked' is not a London borough" in fb
    assert "LEAKED" not in fb


@needs_root
@pytest.mark.slow
def test_code_planted_in_the_python_environment_never_lands(hostile):
    assert not any(Path(p).exists() for p in hostile["planted"])
    subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60)
    assert not Path("/tmp/cop-planted").exists()
    assert _flagged(hostile["table"].loc["cheat_pth"], "tried to change the Python installation")


@needs_root
@pytest.mark.slow
def test_a_planted_pid_file_cannot_make_the_grader_kill_someone_else(hostile):
    assert hostile["bystander_alive"]
    assert _flagged(hostile["table"].loc["cheat_pidfile"], "tried to stop processes that are not its own")


@needs_root
@pytest.mark.slow
def test_a_submission_cannot_kill_the_grader(hostile):
    # the grader is this test process: it is still here, and every other notebook was marked
    assert len(hostile["table"]) == 13
    row = hostile["table"].loc["cheat_killer"]
    assert row["automatic_total"] == 0 and row["status"] == "flagged"


@needs_root
@pytest.mark.slow
def test_fifty_detached_processes_are_stopped_and_flagged(hostile):
    assert _flagged(hostile["table"].loc["cheat_fork"], "left 50 program(s) running")
    assert hostile["survivors"] == []


@needs_root
@pytest.mark.slow
def test_thousands_of_very_long_names_are_marked_quickly_and_cost_their_own_marks(hostile):
    row = hostile["table"].loc["long_names"]
    assert row["q3_cut_off"] == 0 and row["q6_stale"] == 0 and row["q5_sole_assets"] == 0
    assert row["q1_elements"] == 1 and row["status"] == "ok"
    assert hostile["took"] < 400


def test_marking_thousands_of_very_long_names_takes_well_under_a_second():
    reference_answers()
    huge = ["x" * 100_000 + str(i) for i in range(2000)]
    start = time.monotonic()
    marks = mark_answers({"q3_cut_off": huge, "q6_stale": huge, "q2_hub": huge[0], "q4_busiest_borough": huge[0]})
    assert time.monotonic() - start < 1.0
    assert marks["q3_cut_off"][0] == 0 and "2000 you gave" in marks["q3_cut_off"][1]


@needs_root
@pytest.mark.slow
def test_names_that_look_alike_get_their_own_feedback_files(hostile):
    folder = hostile["out"].parent / "feedback"
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("k*.md")}
    assert len(texts) == 2
    assert sum("feedback: k b\n" in t and "Automatically marked part: 1 out" in t for t in texts.values()) == 1
    assert sum("feedback: k_b\n" in t and "Automatically marked part: 0 out" in t for t in texts.values()) == 1


@needs_root
@pytest.mark.slow
def test_a_notebook_named_like_a_formula_is_plain_text_in_the_marks_table(hostile):
    import openpyxl

    sheet = openpyxl.load_workbook(hostile["out"]).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.value.startswith("'=") and c.data_type == "s" for c in cells)


@needs_root
@pytest.mark.slow
def test_marks_so_far_survive_when_the_grader_is_killed_and_nothing_is_left_running(tmp_path):
    subs = tmp_path / "submissions"
    subs.mkdir()
    shutil.copy(FIXTURES / "good_student.ipynb", subs / "a_first.ipynb")
    _notebook(subs / "b_sleeper.ipynb", "import time\ntime.sleep(300)")
    out = tmp_path / "out" / "marks.csv"
    grader = subprocess.Popen([sys.executable, "-m", "cop_toolkit.teaching.grading", str(subs), "-o", str(out),
                               "--timeout", "200"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while not out.exists() and time.monotonic() < deadline and grader.poll() is None:
            time.sleep(0.5)
        time.sleep(3)  # b_sleeper is running now
    finally:
        grader.kill()
        grader.wait()
    marks = pd.read_csv(out).set_index("student")
    assert list(marks.index) == ["a_first"] and marks.loc["a_first", "automatic_total"] == TOTAL
    assert (out.parent / "feedback" / "a_first.md").exists()
    time.sleep(1)
    assert _sandbox_survivors() == []


def test_a_grader_import_is_found_in_the_code_even_through_strings():
    from cop_toolkit.teaching.grading.marks import scan_code

    assert scan_code(["from cop_toolkit.teaching import grading"])
    assert scan_code(["import importlib\nimportlib.import_module('cop_toolkit' + '.teaching' + '.grad' 'ing')"])
    assert scan_code(["g = __import__(\"cop_toolkit.teaching.grading.key\")"])
    assert scan_code(["from cop_toolkit.teaching.coursework import check_format\nimport cop_toolkit as cop"]) == []


def test_the_student_facing_check_holds_no_key():
    from cop_toolkit.teaching import coursework

    source = Path(coursework.__file__).read_text(encoding="utf-8")
    assert "reference_answers(" not in source and "grading.key" not in source
    assert "from cop_toolkit.teaching.coursework import check_format" in TEMPLATE.read_text(encoding="utf-8")
