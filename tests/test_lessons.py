"""Structure of every numbered lesson notebook (00-12) and its facilitator plan.

The rules a lesson notebook ``notebooks/NN_name.ipynb`` must follow:

* stored clean: no outputs, no execution counts, kernelspec ``python3``;
* the first cell is markdown with ``Questions``, ``Objectives``,
  ``Teaching: N min`` and ``Exercises: N min``;
* the last cell is markdown with ``Key points`` and a line
  ``Glossary terms: term, term, ...`` — every term listed must be defined in
  ``lessons/glossary.md`` (as a ``**Term** — definition`` line or a
  ``## Term`` heading);
* it has a markdown "Try it on your own map" box that uses
  ``cop.read_map("my_map.xlsx")``;
* its exercises live in ``cop_toolkit.teaching.exercises.lessonNN`` (3 to 6 of them),
  and the notebook calls ``check()`` on each one;
* it loads data through cop_toolkit: no ``pip install``, no relative paths,
  no ``pd.read_csv``/``pd.read_excel`` of repository files;
* a notebook that draws figures calls ``use_offline_renderer()`` near the top;
* ``lessons/NN_*.md`` (the facilitator's plan) exists and is listed in
  ``lessons/README.md``.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "lessons"
LESSON_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
ALL_NUMBERS = [f"{n:02d}" for n in range(13)]


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def glossary_terms() -> set[str]:
    text = (LESSONS / "glossary.md").read_text(encoding="utf-8")
    terms = set(re.findall(r"^\*\*(.+?)\*\*\s*[—–-]", text, flags=re.M))
    terms |= set(re.findall(r"^##\s+(.+?)\s*$", text, flags=re.M))
    return {t.strip().lower() for t in terms}


def listed_terms(key_points: str) -> list[str]:
    match = re.search(r"Glossary terms:?\**:?\s*(.+)", key_points)
    if not match:
        return []
    line = match.group(1).replace("*", "").strip().rstrip(".")
    return [t.strip() for t in line.split(",") if t.strip()]


ids = [p.stem for p in LESSON_FILES]


def test_every_lesson_from_00_to_12_has_a_notebook():
    numbers = {p.name[:2] for p in LESSON_FILES}
    missing = [n for n in ALL_NUMBERS if n not in numbers]
    assert not missing, f"no notebook for lesson(s) {missing}"


def test_lesson_numbers_are_not_used_twice():
    numbers = [p.name[:2] for p in LESSON_FILES]
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_notebook_is_stored_without_outputs_and_uses_the_python3_kernel(path):
    nb = _nb(path)
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has stored outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_lesson_opens_with_questions_objectives_and_timings(path):
    first = _nb(path)["cells"][0]
    assert first["cell_type"] == "markdown"
    text = _source(first)
    for needed in ("Questions", "Objectives"):
        assert needed in text, f"the opening cell has no {needed!r}"
    assert re.search(r"Teaching:\**\s*\d+\s*min", text), "the opening cell has no 'Teaching: N min'"
    assert re.search(r"Exercises:\**\s*\d+\s*min", text), "the opening cell has no 'Exercises: N min'"


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_lesson_closes_with_key_points_and_glossary_terms_that_are_all_defined(path):
    last = _nb(path)["cells"][-1]
    assert last["cell_type"] == "markdown"
    text = _source(last)
    assert "Key points" in text
    terms = listed_terms(text)
    assert terms, "the key points cell lists no 'Glossary terms:'"
    defined = glossary_terms()
    undefined = [t for t in terms if t.lower() not in defined]
    assert not undefined, f"not defined in lessons/glossary.md: {undefined}"


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_lesson_has_a_try_it_on_your_own_map_box(path):
    cells = [_source(c) for c in _nb(path)["cells"] if c["cell_type"] == "markdown"]
    boxes = [c for c in cells if "Try it on your own map" in c]
    assert boxes, "no 'Try it on your own map' box"
    assert any("read_map(" in c and "my_map.xlsx" in c for c in boxes)


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_lesson_has_three_to_six_exercises_and_checks_each_of_them(path):
    module = importlib.import_module(f"cop_toolkit.teaching.exercises.lesson{path.name[:2]}")
    exercises = module.EXERCISES
    assert 3 <= len(exercises) <= 6
    code = "\n".join(_source(c) for c in _nb(path)["cells"] if c["cell_type"] == "code")
    for i, _ in enumerate(exercises, start=1):
        assert re.search(rf"\bq{i}\.check\(", code), f"the notebook never checks exercise q{i}"


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_lesson_loads_data_through_cop_toolkit_and_installs_nothing(path):
    for i, cell in enumerate(_nb(path)["cells"]):
        src = _source(cell)
        if cell["cell_type"] != "code":
            continue
        assert not re.search(r"pip\s+install", src), f"cell {i} installs packages"
        assert "../" not in src and "datasets/" not in src, f"cell {i} uses a relative path"
        assert not re.search(r"read_(csv|excel)\(\s*['\"]", src), f"cell {i} reads a file by path"


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_lesson_with_figures_uses_the_offline_renderer_near_the_top(path):
    cells = [_source(c) for c in _nb(path)["cells"] if c["cell_type"] == "code"]
    draws = any(re.search(r"\bplot_\w+\(|px\.\w+\(|go\.Figure\(", c) for c in cells)
    if draws:
        assert any("use_offline_renderer()" in c for c in cells[:3])


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_lesson_has_a_facilitator_plan_listed_in_the_index(path):
    plans = list(LESSONS.glob(f"{path.name[:2]}_*.md"))
    assert plans, f"no lessons/{path.name[:2]}_*.md facilitator plan"
    index = (LESSONS / "README.md").read_text(encoding="utf-8")
    assert plans[0].name in index
    assert path.name in index


@pytest.mark.parametrize("path", LESSON_FILES, ids=ids)
def test_facilitator_plan_covers_audience_timing_workshop_and_mistakes(path):
    plan = next(LESSONS.glob(f"{path.name[:2]}_*.md")).read_text(encoding="utf-8").lower()
    for heading in ("audience", "timing", "workshop", "common mistakes"):
        assert heading in plan, f"the plan has no section on {heading}"


def test_glossary_terms_parse_and_are_not_defined_twice():
    text = (LESSONS / "glossary.md").read_text(encoding="utf-8")
    terms = re.findall(r"^\*\*(.+?)\*\*\s*[—–-]", text, flags=re.M)
    assert len(terms) >= 20
    lowered = [t.lower() for t in terms]
    assert len(lowered) == len(set(lowered)), "a glossary term is defined twice"


def test_listed_terms_reads_the_glossary_line():
    cell = "## Key points\n- one\n\n**Glossary terms:** degree, betweenness, network map."
    assert listed_terms(cell) == ["degree", "betweenness", "network map"]


def test_survey_guide_covers_questions_consent_and_data_protection():
    text = (LESSONS / "running_a_mapping_survey.md").read_text(encoding="utf-8").lower()
    for topic in ("name generator", "consent", "data protection", "delete"):
        assert topic in text
