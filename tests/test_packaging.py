"""The project installs the same way everywhere and says so honestly."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names
CONDA_NAMES = {"igraph": "python-igraph"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower()


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def direct_requirements() -> list[Requirement]:
    """What `make setup` installs: pyproject's dependencies and its test extra."""
    project = pyproject()["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]


def lock_pins() -> dict[str, list[Requirement]]:
    """requirements.lock's pins by package name (a package may have one pin per Python version)."""
    pins: dict[str, list[Requirement]] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pin = Requirement(line)
            pins.setdefault(canonicalize_name(pin.name), []).append(pin)
    return pins


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = pyproject()["project"]
    wanted = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["test"]}
    wanted = {CONDA_NAMES.get(n, n) for n in wanted}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert listed == wanted


def test_environment_yml_asks_for_the_same_versions_as_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d): Requirement(d).specifier for d in env["dependencies"] if isinstance(d, str)}
    wanted = {CONDA_NAMES.get(r.name.lower(), r.name.lower()): r.specifier for r in direct_requirements()}
    assert {name: listed.get(name) for name in wanted} == wanted


def test_lock_pins_every_dependency_exactly():
    loose = [str(pin) for pins in lock_pins().values() for pin in pins
             if len(pin.specifier) != 1 or next(iter(pin.specifier)).operator != "=="]
    assert loose == []


def test_lock_pins_every_direct_dependency_at_a_version_pyproject_allows():
    pins = lock_pins()
    missing = [str(r) for r in direct_requirements() if canonicalize_name(r.name) not in pins]
    assert missing == [], "pyproject.toml asks for packages requirements.lock lacks: run `make lock`"
    disallowed = [
        f"{r} but the lock pins {pin}"
        for r in direct_requirements()
        for pin in pins[canonicalize_name(r.name)]
        if not r.specifier.contains(next(iter(pin.specifier)).version, prereleases=True)
    ]
    assert disallowed == [], "run `make lock`"


def test_lock_pins_one_version_of_each_package_for_this_python():
    here = {name: [p for p in pins if p.marker is None or p.marker.evaluate()] for name, pins in lock_pins().items()}
    assert {name: len(pins) for name, pins in here.items() if len(pins) > 1} == {}
    assert all(here[canonicalize_name(r.name)] for r in direct_requirements())


def test_make_setup_installs_from_the_lock_that_make_lock_writes():
    makefile = (ROOT / "Makefile").read_text()
    lock_recipe = re.search(r"^lock:.*?\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
    assert "uv pip compile pyproject.toml --extra test" in lock_recipe and "-o $(LOCK)" in lock_recipe
    assert re.search(r"^LOCK\s*:=\s*requirements\.lock$", makefile, flags=re.MULTILINE)
    assert re.search(r"^\$\(STAMP\): pyproject\.toml \$\(LOCK\)$", makefile, flags=re.MULTILINE)
    assert "$(call install,$(VENV),-r $(LOCK))" in makefile
    assert (ROOT / "requirements.lock").read_text().splitlines()[1].strip() == "#    make lock"


def test_every_subpackage_of_cop_toolkit_is_installed():
    declared = set(pyproject()["tool"]["setuptools"]["packages"])
    found = {
        "cop_toolkit" + "".join("." + part for part in p.parent.relative_to(ROOT / "cop_toolkit").parts)
        for p in (ROOT / "cop_toolkit").rglob("__init__.py")
    }
    assert found <= declared


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text()
    first_blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.DOTALL)[0]
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
