"""cop-grade on per-group maps: each submission is marked against references worked out on its own map.

The group maps are real parts of the bundled ``coursework-2019`` map (three boroughs each), written with
``cop.write_map``. The map a notebook names is read from its parameters cell without running it, and only
maps the lecturer gave (bundled samples, files in ``--maps``) are used: anything else gets a clear line
and is never opened by the grader.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.quality import stale_elements
from cop_toolkit.geo.boroughs import match_borough
from cop_toolkit.teaching.grading import (
    QUESTIONS,
    TOTAL,
    Submission,
    grade_folder,
    main,
    mark_answers,
)
from cop_toolkit.teaching.grading.key import (
    FUNCTION_CASES,
    function_cases,
    out_of,
    reference_answers,
)
from cop_toolkit.teaching.grading.maps import (
    NOT_GIVEN,
    SAMPLE,
    GivenMaps,
    notebook_parameters,
)

ROOT = Path(__file__).resolve().parents[1]
#: Each group's boroughs (ONS codes) in coursework-2019.
GROUPS = {"south.xlsx": ["E09000028", "E09000022", "E09000008"],   # Southwark, Lambeth, Croydon
          "east.xlsx": ["E09000023", "E09000011", "E09000032"]}    # Lewisham, Greenwich, Wandsworth


def _fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tests" / "grading_submissions" / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    """A lecturer's maps folder with two group maps, and a readable map file just outside it."""
    work = tmp_path_factory.mktemp("group-maps")
    folder = work / "maps"
    folder.mkdir()
    sample = cop.datasets.load("coursework-2019")
    codes = sample.elements["Borough"].map(match_borough)
    for name, boroughs in GROUPS.items():
        cop.write_map(sample.subset(sample.elements.loc[codes.isin(boroughs), "ID"]), folder / name)
    secret = work / "secret.xlsx"
    cop.write_map(sample.subset(sample.elements["ID"][:5]), secret)
    (folder / "linked.xlsx").symlink_to(secret)
    return {"folder": folder, "secret": secret, "given": GivenMaps(folder), "work": work}


def _typed_answers(m) -> dict[str, object]:
    """The right answers for map ``m``, worked out with the toolkit as a student would, as plain values."""
    hub = cop.element_metrics(m)["betweenness"].idxmax()
    holders: dict[str, set[str]] = {}
    for eid, items in m.multi("Assets").items():
        for item in items:
            holders.setdefault(item.strip().lower(), set()).add(eid)
    return {"q1_elements": len(m.elements), "q1_connections": len(m.connections), "q2_hub": hub,
            "q3_cut_off": sorted(cop.what_if(m, remove=[hub]).cut_off.index),
            "q4_busiest_borough": m.elements["Borough"].map(match_borough).value_counts().idxmax(),
            "q5_sole_assets": sorted(item for item, who in holders.items() if len(who) == 1),
            "q6_stale": sorted(stale_elements(m).index), "q8_public_elements": len(m.public().elements)}


# ------------------------------------------------------------------ references on each map
def test_references_are_worked_out_on_each_groups_own_map(maps):
    south, east = (maps["given"].find(n) for n in GROUPS)
    ref_south, ref_east, ref_sample = reference_answers(south), reference_answers(east), reference_answers()
    for given, ref in ((south, ref_south), (east, ref_east)):
        m = given.load()
        typed = _typed_answers(m)
        assert ref["q1_elements"] == len(m) and ref["skipped"] == {}
        marks = mark_answers(typed, given)
        assert all(marks[name][0] == q.marks for q in QUESTIONS if (name := q.name) in typed), marks
    assert ref_south["q1_elements"] != ref_east["q1_elements"] != ref_sample["q1_elements"]
    assert ref_south["q4_busiest_borough"] != ref_east["q4_busiest_borough"]


def test_a_right_answer_for_one_group_map_is_marked_wrong_on_another(maps):
    south, east = (maps["given"].find(n) for n in GROUPS)
    typed = _typed_answers(south.load())
    on_east = mark_answers(typed, east)
    for name in ("q1_elements", "q1_connections", "q2_hub", "q3_cut_off", "q6_stale", "q8_public_elements"):
        assert on_east[name][0] == 0, (name, on_east[name])


def test_sample_references_and_marks_stay_as_they_were_beside_group_maps(maps):
    reference_answers(maps["given"].find("south.xlsx"))
    assert reference_answers() is reference_answers(SAMPLE)
    assert function_cases() == FUNCTION_CASES and out_of() == TOTAL
    typed = _typed_answers(cop.datasets.load("coursework-2019"))
    marks = mark_answers(typed)
    assert sum(m for m, _ in marks.values()) == TOTAL - 3  # all but the function, which is not given here
    assert marks["q1_elements"] == (1, "Right: the map has 97 elements.")


def test_the_functions_hidden_cases_are_chosen_from_the_groups_map(maps):
    east = maps["given"].find("east.xlsx")
    m = east.load()
    cases = function_cases(east)
    own = [name for where, name in cases if where == "east.xlsx"]
    assert len(cases) == len(FUNCTION_CASES) and len(own) == 4
    assert m.resolve(own[0]) in reference_answers(east)["q2_hub"]  # the map's top broker comes first
    assert all(m.resolve(name) for name in own)
    assert any(name not in set(m.elements["ID"]) for name in own)  # some are given by label
    assert not any(name in {"slfha", "funmi-adeyemi"} for name in own)


def test_question_3_follows_the_hub_named_in_question_2_when_two_hubs_are_accepted(maps):
    east = maps["given"].find("east.xlsx")
    m = east.load()
    hubs = sorted(reference_answers(east)["q2_hub"])
    assert len(hubs) == 2  # with and without tie strengths, two elements tie for this map's top broker
    for hub in hubs:
        cut = sorted(cop.what_if(m, remove=[hub]).cut_off.index)
        marks = mark_answers({"q2_hub": hub, "q3_cut_off": cut}, east)
        assert marks["q2_hub"][0] == 2 and marks["q3_cut_off"][0] == 3, (hub, marks["q3_cut_off"])


def test_a_question_the_map_cannot_ask_is_skipped_and_does_not_count(maps, tmp_path):
    part = maps["given"].find("south.xlsx").load()
    bare = NetworkMap(part.elements.drop(columns=["Borough", "Assets", "Last Verified"]), part.connections,
                      metadata={"name": "no geography"})
    cop.write_map(bare, tmp_path / "bare.xlsx")
    given = GivenMaps(tmp_path).find("bare.xlsx")
    skipped = reference_answers(given)["skipped"]
    assert set(skipped) == {"q4_busiest_borough", "q5_sole_assets", "q6_stale"}
    assert out_of(given) == TOTAL - 6
    marks = mark_answers({"q1_elements": len(bare), "q4_busiest_borough": "Southwark"}, given)
    assert marks["q1_elements"][0] == 1
    assert marks["q4_busiest_borough"] == (0, skipped["q4_busiest_borough"])
    assert "no London boroughs" in skipped["q4_busiest_borough"] and "does not count" in skipped["q4_busiest_borough"]
    assert "Not answered" not in marks["q6_stale"][1]
    sub = Submission("ama", tmp_path / "ama.ipynb", marks=marks, map="bare.xlsx", out_of=out_of(given),
                     skipped=tuple(skipped))
    assert sub.row()["q4_busiest_borough"] is None and sub.row()["out_of"] == TOTAL - 6
    assert f"1 out of {TOTAL - 6}" in sub.feedback() and "| — | — |" in sub.feedback()


# ------------------------------------------------------------------ which map a notebook names
def test_the_parameters_cell_is_read_without_running_it(tmp_path):
    marker = tmp_path / "ran.txt"
    nb = _fixtures().fill({}, map_path="south.xlsx")
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += f"\nopen({str(marker)!r}, 'w').write('ran')\nseed = len('abc')\n"
    nbformat.write(nb, str(tmp_path / "ama.ipynb"))
    found = notebook_parameters(tmp_path / "ama.ipynb")
    assert found["map_path"] == "south.xlsx"
    assert repr(found["seed"]) == "code rather than a name in quotes"
    assert not marker.exists()


def test_only_sample_names_and_file_names_in_the_maps_folder_are_given(maps):
    given, folder = maps["given"], maps["folder"]
    assert given.find("south.xlsx").file == str((folder / "south.xlsx").resolve())
    assert given.find("coursework-2019") == SAMPLE and given.find("owa-2017").file is None
    (folder / "sub").mkdir(exist_ok=True)
    for name in ("../secret.xlsx", str(maps["secret"]), "linked.xlsx", "sub", "sub/../south.xlsx", "other.xlsx",
                 "london-boroughs", "owa-survey-2017", "", ".", "..", 3, None, "south.xlsx\x00"):
        assert given.find(name) is None, name
    assert GivenMaps().find("south.xlsx") is None  # without --maps, only the samples


@pytest.fixture(scope="module")
def watched_opens():
    """Record every file the grader's own process opens among the watched paths (an audit hook)."""
    watch: set[str] = set()
    opened: list[str] = []

    def hook(event: str, args: tuple) -> None:
        if watch and event == "open" and args and isinstance(args[0], (str, bytes)):
            path = os.path.realpath(os.fsdecode(args[0]))
            if path in watch:
                opened.append(path)

    sys.addaudithook(hook)
    try:
        yield watch, opened
    finally:
        watch.clear()


def test_a_notebook_naming_a_map_it_was_not_given_gets_a_clear_line_and_the_map_is_never_read(maps, watched_opens,
                                                                                                  tmp_path):
    watch, opened = watched_opens
    secret = maps["secret"]
    fixtures = _fixtures()
    subs = tmp_path / "submissions"
    subs.mkdir()
    names = {"traversal": "../secret.xlsx", "absolute": str(secret), "linked": "linked.xlsx",
             "elsewhere": "secret.xlsx"}
    for student, map_path in names.items():
        nbformat.write(fixtures.fill(fixtures.GOOD, map_path=map_path), str(subs / f"{student}.ipynb"))
    watch.add(os.path.realpath(secret))
    try:
        secret.read_bytes()
        assert opened, "the audit hook does not see the grader's reads"
        opened.clear()
        table = grade_folder(subs, tmp_path / "out" / "marks.csv", maps=maps["folder"], timeout=60).set_index("student")
    finally:
        watch.clear()
    assert opened == []
    for student in names:
        row = table.loc[student]
        assert row["automatic_total"] == 0 and row["status"] == "map not given" and NOT_GIVEN in row["note"]
        assert pd.isna(row["map"]) or row["map"] == ""
        text = (tmp_path / "out" / "feedback" / f"{student}.md").read_text(encoding="utf-8")
        assert f"Not marked: {NOT_GIVEN}." in text


def test_a_groups_file_naming_a_map_that_was_not_given_is_a_user_error(maps, tmp_path, capsys):
    subs = tmp_path / "submissions"
    subs.mkdir()
    nbformat.write(_fixtures().fill({}), str(subs / "ama.ipynb"))
    bad = tmp_path / "groups.csv"
    bad.write_text("student,map\nama,south.xlsx\nben,../secret.xlsx\n", encoding="utf-8")
    assert main([str(subs), "-o", str(tmp_path / "marks.csv"), "--maps", str(maps["folder"]),
                 "--groups", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "groups.csv, row 3" in err and "'../secret.xlsx'" in err
    with pytest.raises(MapError, match="needs a 'student' and a 'map' column"):
        bad.write_text("name,file\nama,south.xlsx\n", encoding="utf-8")
        GivenMaps(maps["folder"], bad)
    with pytest.raises(MapError, match="two different maps"):
        bad.write_text("student,map\nama,south.xlsx\nama,east.xlsx\n", encoding="utf-8")
        GivenMaps(maps["folder"], bad)


# ------------------------------------------------------------------ two groups, end to end
@pytest.fixture(scope="module")
def graded(maps, watched_opens, tmp_path_factory):
    """Three notebooks marked in one run with a groups file: real kernels, each on its own map."""
    watch, opened = watched_opens
    fixtures = _fixtures()
    work = tmp_path_factory.mktemp("groups-run")
    subs = work / "submissions"
    subs.mkdir()
    # ama names a path outside the folder: she is run and marked on her group's map (south) all the same
    nbformat.write(fixtures.fill(fixtures.GOOD, map_path="../secret.xlsx"), str(subs / "ama.ipynb"))
    nbformat.write(fixtures.fill(fixtures.GOOD, map_path="east.xlsx"), str(subs / "ben.ipynb"))
    # cara typed in the right answers for south, but her group was given east
    values = _typed_answers(maps["given"].find("south.xlsx").load())
    typed = {f"{name} = ____": f"{name} = {value!r}" for name, value in values.items() if name != "q1_connections"}
    typed["q1_elements = ____"] += f"\nq1_connections = {values['q1_connections']!r}"
    typed["def reach_within_two(m, name):"] = fixtures.GOOD["def reach_within_two(m, name):"]
    nbformat.write(fixtures.fill(typed, map_path="south.xlsx"), str(subs / "cara.ipynb"))
    groups = work / "groups.csv"
    groups.write_text("student,map\nama,south.xlsx\nben,east.xlsx\ncara,east.xlsx\n", encoding="utf-8")
    out = work / "out" / "marks.csv"
    watch.add(os.path.realpath(maps["secret"]))
    try:
        code = main([str(subs), "-o", str(out), "--maps", str(maps["folder"]), "--groups", str(groups),
                     "--timeout", "120", "--jobs", "3"])
    finally:
        watch.clear()
    return {"code": code, "table": pd.read_csv(out).set_index("student"), "out": out, "opened": list(opened)}


@pytest.mark.slow
def test_each_group_is_marked_in_full_on_its_own_map(graded):
    table = graded["table"]
    assert graded["code"] == 0
    for student, map_name in (("ama", "south.xlsx"), ("ben", "east.xlsx")):
        row = table.loc[student]
        assert row["map"] == map_name and row["status"] == "ok", row["note"]
        assert row["automatic_total"] == row["out_of"] == TOTAL


@pytest.mark.slow
def test_a_right_answer_for_another_map_is_marked_on_the_assigned_map_and_the_feedback_says_so(graded):
    row = graded["table"].loc["cara"]
    assert row["map"] == "east.xlsx"
    for q in QUESTIONS:
        if q.name != "reach_within_two":
            assert row[q.name] == 0, q.name
    assert row["reach_within_two"] == 3  # her function worked it out on the map she was run on
    feedback = (graded["out"].parent / "feedback" / "cara.md").read_text(encoding="utf-8")
    assert "names 'south.xlsx', but your group was given 'east.xlsx'" in feedback
    assert "Marked on the map `east.xlsx`" in feedback


@pytest.mark.slow
def test_a_path_in_the_parameters_cell_is_never_read_when_the_group_map_is_used(graded):
    assert graded["opened"] == []
    note = graded["table"].loc["ama", "note"]
    assert NOT_GIVEN in note.lower() and "'../secret.xlsx'" in note and "marked on 'south.xlsx'" in note


@pytest.mark.slow
def test_papermill_runs_the_coursework_notebook_on_a_group_map_beside_it(maps, tmp_path):
    import json
    import shutil

    import papermill

    shutil.copy(maps["folder"] / "south.xlsx", tmp_path / "south.xlsx")
    out = tmp_path / "run.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "coursework" / "coursework_2019.ipynb"), str(out),
                               parameters={"map_path": "south.xlsx"}, kernel_name="python3", cwd=str(tmp_path),
                               progress_bar=False, execution_timeout=120)
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    shown = "".join("".join(o.get("data", {}).get("text/plain", "")) + "".join(o.get("text", "")) for o in outputs)
    given, bundled = len(maps["given"].find("south.xlsx").load()), len(cop.datasets.load("coursework-2019"))
    assert f": {given} elements" in shown and f": {bundled} elements" not in shown  # the map it was given
