# Two commands on a fresh machine (Python 3.11+):
#   make report   set up .venv and build the report on the bundled sample map
#   make test     set up .venv and run the whole test suite
# Optional: make lab (JupyterLab at the first lesson), make bench (benchmarks).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES := $(shell find cop_toolkit datasets notebooks/reports -type f \( -name '*.py' -o -name '*.ipynb' -o -name '*.csv' -o -name '*.json' -o -name '*.geojson' \) -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)

.PHONY: setup bytecode report test lab bench clean

setup: $(STAMP)

# Python here is told not to write bytecode (PYTHONDONTWRITEBYTECODE), so without
# this every report kernel and test process would compile cop_toolkit anew
# (~0.2 s a process); installed packages are compiled by pip already.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q cop_toolkit

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing cop_toolkit and its dependencies into $(VENV) (about a minute the first time)..."
	@$(BIN)/python -m pip install --quiet --upgrade pip > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@$(BIN)/python -m pip install --quiet -e ".[test]" >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (cop_toolkit)" >/dev/null
	@touch $(STAMP)

report: bytecode reports/owa-2017.html reports/owa-2018.html

reports/owa-2017.html: $(STAMP) $(SOURCES)
	$(BIN)/cop-report owa-2017 -o $@

reports/owa-2018.html: $(STAMP) $(SOURCES)
	$(BIN)/cop-report owa-2018 --previous owa-2017 -o $@

test: bytecode
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lab: bytecode
	$(BIN)/jupyter lab notebooks/00_getting_started.ipynb

bench: bytecode
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/network_building.py
	$(BIN)/python benchmarks/figures.py
	$(BIN)/python benchmarks/report.py

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis
