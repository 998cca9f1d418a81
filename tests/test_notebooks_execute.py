"""Every numbered lesson notebook runs top to bottom with a real Jupyter kernel.

Each notebook in ``notebooks/NN_*.ipynb`` (not ``notebooks/reports/`` or
``notebooks/coursework/``) is executed with papermill on the ``python3``
kernel, in a temporary working folder so that nothing can be written into
the repository, with the learner progress file pointed at a temporary place
(see ``conftest.py``). The executed copy is then inspected: no errors, and
the exercise checks drew their feedback boxes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _outputs(nb: dict) -> list[dict]:
    return [out for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell.get("outputs", [])]


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_notebook_runs_top_to_bottom_with_a_real_kernel(path, tmp_path, monkeypatch):
    import papermill

    monkeypatch.setenv("COP_TOOLKIT_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv("PLOTLY_RENDERER", os.environ.get("PLOTLY_RENDERER", "plotly_mimetype+notebook"))
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(out),
        kernel_name="python3",
        cwd=str(work),
        progress_bar=False,
        execution_timeout=120,
    )
    nb = json.loads(out.read_text(encoding="utf-8"))
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "cop-exercise" in html, "no exercise feedback was shown"
    # the blanks are left for the learner, so every check says "not attempted" (never "wrong")
    assert "cop-incorrect" not in html
    # lessons write only into temporary folders, never where they run
    assert list(work.iterdir()) == []
