# Slider by Slider: the two commands of the README, and a few for teachers.
#   make lab         set up (once) and open the course in JupyterLab
#   make test        set up (once) and run the whole test suite
#   make notebooks   re-execute every notebook in place (after changing helpers/)
#   make bench       time every live figure's sliders and print the table

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test lint notebooks bench clean

# Re-install only when the dependencies change.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else \
		"Slider by Slider needs Python >= 3.10; this is " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e .
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) --LabApp.default_url=/lab/tree/notebooks/00_welcome.ipynb

lint: $(STAMP)
	$(BIN)/ruff check helpers tests notebooks benchmarks data

test: lint
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	$(BIN)/python -m helpers.notebook_runner notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_live.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
