"""The project installs the same way everywhere and says so honestly."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names
CONDA_NAMES = {"igraph": "python-igraph"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower()


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = pyproject()["project"]
    wanted = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["test"]}
    wanted = {CONDA_NAMES.get(n, n) for n in wanted}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert listed == wanted


def test_every_subpackage_of_cop_toolkit_is_installed():
    declared = set(pyproject()["tool"]["setuptools"]["packages"])
    found = {
        "cop_toolkit" + "".join("." + part for part in p.parent.relative_to(ROOT / "cop_toolkit").parts)
        for p in (ROOT / "cop_toolkit").rglob("__init__.py")
    }
    assert found <= declared


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text()
    first_blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.S)[0]
    assert first_blocks.split() == ["make", "report", "make", "test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_package_imports_quickly_without_heavy_libraries():
    import subprocess
    import sys

    code = "import sys, cop_toolkit; print(sorted(m for m in ('plotly', 'igraph', 'papermill') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_report_is_the_function_even_after_the_reporting_module_is_imported():
    import cop_toolkit
    import cop_toolkit.reports.runner  # noqa: F401

    from cop_toolkit import report

    assert callable(report) and report is cop_toolkit.reports.runner.report
