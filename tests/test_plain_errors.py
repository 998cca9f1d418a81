"""A label used where an ID is needed is explained in one sentence, in a real Jupyter kernel.

The notebook below does what learners do: ``metrics.loc['Borough Networks Forum', 'reach']``
and ``metrics.drop('LVSC')``. It is executed with nbclient on the ``python3`` kernel, and
the outputs are read as a learner would see them.
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from cop_toolkit import NetworkMap
from cop_toolkit.teaching.exercises.plain_errors import (
    label_instead_of_id,
    missing_keys,
)

SETUP = """\
import cop_toolkit as cop
from cop_toolkit.teaching.exercises import ____, plain_errors, lesson03 as ex
plain_errors()
m = cop.datasets.load("owa-2017")
metrics = cop.element_metrics(m)
"""


def _run(*cells: str) -> list[list[dict]]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)] + [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True).execute()
    return [cell["outputs"] for cell in nb.cells[1:]]


def _text(outputs: list[dict]) -> str:
    parts = []
    for out in outputs:
        parts += out.get("traceback", []) + [out.get("text", "")]
        parts += [str(v) for v in out.get("data", {}).values()]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def executed():
    return _run(
        "metrics.loc['Borough Networks Forum', 'reach']",
        "metrics.drop('LVSC')",
        "%tb",
        "{'a': 1}['b']",
        "metrics.loc['borough-networks-forum', 'reach']",
    )


@pytest.mark.notebook
def test_label_in_loc_is_explained_in_one_sentence_with_the_line_and_the_full_error_folded(executed):
    text = _text(executed[0])
    assert ("'Borough Networks Forum' is a label; the table is indexed by ID — use "
            "m.resolve('Borough Networks Forum') (it gives 'borough-networks-forum') or "
            "metrics.set_index('Label').") in text
    assert "metrics.loc[&#39;Borough Networks Forum&#39;, &#39;reach&#39;]" in text  # the line, escaped in HTML
    assert "<details" in text and "Show the full error" in text and "%tb" in text
    assert [o["output_type"] for o in executed[0]] == ["display_data"]  # no 40-line traceback


@pytest.mark.notebook
def test_label_in_drop_names_the_label_and_its_id(executed):
    text = _text(executed[1])
    assert "'LVSC' is a label; the table is indexed by ID — use m.resolve('LVSC') (it gives 'lvsc')" in text


@pytest.mark.notebook
def test_other_key_errors_keep_their_usual_traceback(executed):
    (error,) = [o for o in executed[3] if o["output_type"] == "error"]
    assert error["ename"] == "KeyError" and len(error["traceback"]) > 1
    assert "is a label" not in _text(executed[3])


@pytest.mark.notebook
def test_the_full_error_is_still_there_for_percent_tb(executed):
    full = _text(executed[2])
    assert "KeyError" in full and "not found in axis" in full and "pandas" in full


@pytest.mark.notebook
def test_the_right_id_still_works(executed):
    assert [o["output_type"] for o in executed[4]] == ["execute_result"]


def test_pandas_key_error_messages_give_the_missing_names():
    assert missing_keys(KeyError("['LVSC'] not found in axis")) == ["LVSC"]
    assert missing_keys(KeyError(("LVSC", "reach"))) == ["LVSC", "reach"]


def test_a_key_that_is_neither_label_nor_misspelt_id_is_not_explained_as_a_label():
    m = NetworkMap(pd.DataFrame({"ID": ["lvsc"], "Label": ["LVSC"]}))
    assert label_instead_of_id(KeyError("lvsc"), {"m": m}) is None
    assert label_instead_of_id(KeyError("reach"), {"m": m}) is None
