"""cop-report explains mistakes in one line and exits with status 2."""

import subprocess
import sys

import pytest

from cop_toolkit.reports.cli import report_main
from cop_toolkit.core.errors import MapError
from cop_toolkit.reports.runner import check_parameters, template_parameters


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cop_toolkit.reports.cli", *args], capture_output=True, text=True, timeout=120)


def test_missing_input_file_exits_2_with_one_line_and_no_traceback(tmp_path):
    res = run_cli(str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "out.html"))
    assert res.returncode == 2
    lines = [line for line in res.stderr.splitlines() if line.startswith("cop-report:")]
    assert len(lines) == 1 and "nope.xlsx" in lines[0]
    assert "Traceback" not in res.stderr


def test_no_input_at_all_is_a_clear_error(capsys):
    assert report_main([]) == 2
    assert "no map given" in capsys.readouterr().err


def test_badly_formed_param_is_refused(capsys):
    assert report_main(["owa-2017", "--param", "title"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_template_declares_its_parameters():
    assert set(template_parameters()) == {"input_path", "previous_path", "title", "focus", "remove", "public",
                                          "large_from"}


@pytest.mark.parametrize("name", ["x=1;import os", "__import__('os')", "title\nimport os", "not_declared", "1abc"])
def test_parameter_names_that_are_not_the_templates_identifiers_are_refused(name):
    with pytest.raises(MapError, match="is not a parameter of this report"):
        check_parameters({name: "v"}, template_parameters())
