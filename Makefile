# Two commands on a fresh machine (Python 3.11+):
#   make report   set up .venv and build the report on the bundled sample map
#   make test     set up .venv and run the whole test suite
# Optional: make lab (JupyterLab at the first lesson), make bench (benchmarks),
# make lessons-report (every lesson as a report page on the sample, in reports/owa-2017-lessons/),
# make test-latest (the suite on the newest versions pyproject.toml allows, in .venv-latest),
# make lock (rewrite requirements.lock from pyproject.toml after changing a dependency;
# existing pins are kept: make lock LOCK_ARGS=--upgrade moves every pin to the newest allowed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
LATEST := .venv-latest
SOURCES := $(shell find cop_toolkit datasets notebooks/reports -type f \( -name '*.py' -o -name '*.ipynb' -o -name '*.csv' -o -name '*.json' -o -name '*.geojson' \) -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)

.PHONY: setup bytecode report lessons-report test test-latest lock lab bench clean

setup: $(STAMP)

# uv reads none of pip's settings: hand it pip's index and certificate file, when pip has them.
# $(1): the python whose pip settings are read.
uv_settings = pip_settings=$$($(1) -m pip config list 2>/dev/null); \
	index=$$(printf '%s\n' "$$pip_settings" | sed -n "s/^[^ ]*\.index-url='\(.*\)'$$/\1/p" | tail -n 1); \
	cert=$$(printf '%s\n' "$$pip_settings" | sed -n "s/^[^ ]*\.cert='\(.*\)'$$/\1/p" | tail -n 1); \
	if [ -n "$$index" ]; then export UV_INDEX_URL="$$index"; fi; \
	if [ -n "$$cert" ]; then export SSL_CERT_FILE="$$cert"; fi

# $(call install,VENV,REQUIREMENTS): install REQUIREMENTS into VENV with uv (itself installed
# from PyPI into VENV), or with pip if uv cannot be had; then cop_toolkit itself, editable,
# without touching the dependencies. Installed packages are compiled to bytecode (see bytecode)
# but for their own test suites, which nothing imports (that halves the compiling).
install = $(call uv_settings,$(1)/bin/python); \
	if { test -x $(1)/bin/uv || $(1)/bin/python -m pip install --quiet uv; } \
	   && $(1)/bin/uv pip install --python $(1)/bin/python $(2); then \
		$(1)/bin/uv pip install --python $(1)/bin/python --no-deps -e . \
		&& $(1)/bin/python -m compileall -q -j 0 -x '/tests?/' \
			"$$($(1)/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"; \
	else \
		echo "uv could not be had: installing with pip instead"; \
		$(1)/bin/python -m pip install --quiet --upgrade pip \
		&& $(1)/bin/python -m pip install --quiet $(2) \
		&& $(1)/bin/python -m pip install --quiet --no-deps -e .; \
	fi

# $(call kernel,VENV): register VENV's python as the Jupyter kernel the reports and lessons run on.
kernel = $(1)/bin/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (cop_toolkit)"

# Python here is told not to write bytecode (PYTHONDONTWRITEBYTECODE), so without
# this every report kernel and test process would compile cop_toolkit anew
# (~0.2 s a process); installed packages are compiled when installed.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q cop_toolkit

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing cop_toolkit and the versions pinned in $(LOCK) into $(VENV) (log: $(VENV)/install.log)..."
	@($(call install,$(VENV),-r $(LOCK))) > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@$(call kernel,$(VENV)) >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@echo "Registered $(VENV) as the Jupyter kernel \"Python 3 (cop_toolkit)\"."
	@touch $(STAMP)

report: bytecode reports/owa-2017.html reports/owa-2018.html

reports/owa-2017.html: $(STAMP) $(SOURCES)
	$(BIN)/cop-report owa-2017 -o $@

reports/owa-2018.html: $(STAMP) $(SOURCES)
	$(BIN)/cop-report owa-2018 --previous owa-2017 -o $@

# Optional: every lesson run as a report page on the sample (slower than make report)
lessons-report: bytecode reports/owa-2017-lessons/index.html

reports/owa-2017-lessons/index.html: $(STAMP) $(SOURCES) $(wildcard notebooks/[0-9][0-9]_*.ipynb)
	$(BIN)/cop-report owa-2017 --lessons -o $(@D)

test: bytecode
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite on the newest versions pyproject.toml allows, in a fresh $(LATEST) each time,
# so a dependency's new release that breaks us shows up here before it reaches a user.
test-latest:
	@rm -rf $(LATEST)
	@$(PYTHON) -m venv $(LATEST)
	@echo "Installing cop_toolkit and the newest versions pyproject.toml allows into $(LATEST) (log: $(LATEST)/install.log)..."
	@($(call install,$(LATEST),-e ".[test]")) > $(LATEST)/install.log 2>&1 || (cat $(LATEST)/install.log; exit 1)
	@$(call kernel,$(LATEST)) >> $(LATEST)/install.log 2>&1 || (cat $(LATEST)/install.log; exit 1)
	@$(LATEST)/bin/python -m compileall -q cop_toolkit
	$(LATEST)/bin/python -m pytest $(PYTEST_ARGS)

# The one command that rewrites $(LOCK) from pyproject.toml (the main and test dependencies,
# for every platform, from Python 3.11 up).
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv >> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@$(call uv_settings,$(BIN)/python); $(BIN)/uv pip compile pyproject.toml --extra test \
		--universal --python-version 3.11 --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o $(LOCK)
	@echo "Wrote $(LOCK): commit it together with pyproject.toml."

lab: bytecode
	$(BIN)/jupyter lab notebooks/00_getting_started.ipynb

bench: bytecode
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/network_building.py
	$(BIN)/python benchmarks/figures.py
	$(BIN)/python benchmarks/report.py

clean:
	rm -rf $(VENV) $(LATEST) reports .pytest_cache .hypothesis
