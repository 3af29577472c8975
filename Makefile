# Slider by Slider: the two commands of the README, and a few for teachers.
#   make lab         set up (once) and open the course in JupyterLab
#   make notebook    the same course in Notebook 7 (`jupyter notebook`)
#   make test        set up (once) and run the whole test suite
#   make notebooks   re-execute every notebook in place (after changing helpers/)
#   make bench       time every live figure's sliders and print the table
#   make bench-classroom  a class of 1-16 simulated learners on a local JupyterHub: the
#                    sizing table of deploy/jupyterhub/README.md
#   make hub         the hub's packages (the `hub` extra) and its proxy, for the hub test
#   make readme-gif  record the README's animation in Chromium
#   make lock        re-pin every package, for every supported Python (constraints.txt),
#                    after a change of pyproject.toml's dependencies
#   make clean       remove .venv and the caches
#
# PYTHON=python3.12 make lab   sets up .venv with another Python (3.10 to 3.13); .venv
# is rebuilt whenever PYTHON names a Python other than the one that made it.

PYTHON ?= python3
# Optional extras of pyproject.toml installed with the rest, e.g. EXTRAS=data (CI).
EXTRAS ?=
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MADE_BY_FILE := $(VENV)/.made-by
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PIP    := $(BIN)/python -m pip --disable-pip-version-check

# Matplotlib's caches (fonts, the extracted Chinese font) and uv's live in .venv: nothing
# is written to your home, and a read-only home cannot put warnings in notebook outputs.
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/mplconfig
export UV_CACHE_DIR := $(CURDIR)/$(VENV)/uv-cache
# One BLAS thread: the course's matrices are small, and on a laptop's few cores the
# kernel shares them with JupyterLab and the browser (with two threads fighting for a busy
# core, a 784-input training step ran 10-40x slower). Same setting for tests and outputs.
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

# Which Python made .venv, and which one is asked for. An explicit PYTHON=... (command
# line or environment) that differs rebuilds .venv; without one, .venv is kept as it is.
MADE_BY := $(shell cat $(MADE_BY_FILE) 2>/dev/null)
ASKED   := $(shell $(PYTHON) -c 'import os, sys; print(sys.version.split()[0], os.path.realpath(sys.executable))' 2>/dev/null)
REBUILD :=
ifneq ($(origin PYTHON),file)
ifneq ($(MADE_BY),)
ifneq ($(MADE_BY),$(ASKED))
REBUILD := another-python
endif
endif
endif

.PHONY: lab notebook test lint notebooks bench bench-classroom hub readme-gif lock clean \
	another-python

another-python:
	@echo ".venv was made by Python $(firstword $(MADE_BY)); PYTHON=$(PYTHON) is \
	$(or $(firstword $(ASKED)),not found): setting .venv up again"

# Set up from scratch whenever the pins change or the last set-up did not finish: a half
# installed .venv (no network, a failed build) is never reused.
$(STAMP): pyproject.toml constraints.txt $(REBUILD)
	@$(PYTHON) -c 'import sys; v = sys.version.split()[0]; \
		sys.exit("Slider by Slider needs Python >= 3.10; this is " + v) if sys.version_info < (3, 10) \
		else sys.version_info >= (3, 14) and print("Note: the course is tested on Python 3.10 to 3.13; " + v + " may work")'
	@echo "[1/4] creating .venv with $$($(PYTHON) --version)"
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	@echo "[2/4] upgrading pip"
	$(PIP) install --quiet --upgrade pip
	@echo "[3/4] installing the course's pinned packages (1-3 minutes on a first run)"
	$(PIP) install --progress-bar on -c constraints.txt -e ".$(if $(EXTRAS),[$(EXTRAS)])"
	@echo "[4/4] building matplotlib's font cache"
	$(BIN)/python -c "import helpers"
	@$(PYTHON) -c 'import os, sys; print(sys.version.split()[0], os.path.realpath(sys.executable))' > $(MADE_BY_FILE)
	@touch $(STAMP)
	@echo "Set up: .venv is ready."

# The course's Jupyter config (helpers/jupyter_config/, helpers/server.py): TCP_NODELAY on
# the kernel websockets (a dragged slider keeps up), no news pop-up, arrow keys on sliders
# in Notebook 7. Merged into .venv, where every Jupyter server started from it reads it;
# nothing is written to your home.
JUPYTER_CONFIG := $(VENV)/.jupyter-config
$(JUPYTER_CONFIG): $(STAMP) helpers/server.py $(shell find helpers/jupyter_config -name '*.json')
	$(BIN)/python -m helpers.server --install
	@touch $@

lab: $(JUPYTER_CONFIG)
	$(BIN)/jupyter lab $(ROOT_FLAG) --LabApp.default_url=/lab/tree/notebooks/00_welcome.ipynb

# The classic single-document interface (Notebook 7) on the same course.
notebook: $(JUPYTER_CONFIG)
	$(BIN)/jupyter notebook $(ROOT_FLAG) notebooks/00_welcome.ipynb

lint: $(STAMP)
	$(BIN)/ruff check helpers tests notebooks benchmarks data deploy

# Two processes (pytest-xdist), one test file or notebook at a time each: the browser
# tests, which mostly wait on JupyterLab and Chromium, run beside the rest (see
# parallel_order in tests/conftest.py). TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
test: lint $(JUPYTER_CONFIG)
	$(BIN)/python -m pytest $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder)

notebooks: $(STAMP)
	$(BIN)/python -m helpers.notebook_runner notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_live.py

# A class on JupyterHub (deploy/jupyterhub/): the `hub` extra (JupyterHub, nbgitpuller,
# jupyterhub-idle-culler) and configurable-http-proxy at the version of the proxy's
# package-lock.json (npm, into .venv). `make test` runs the hub test when both are there
# (CI: .ci/run), and leaves it out on a learner's laptop.
HUB_PROXY := $(VENV)/hub-proxy/node_modules/.bin/configurable-http-proxy
HUB_PACKAGES := $(VENV)/.hub-packages
hub: $(HUB_PACKAGES) $(HUB_PROXY)

$(HUB_PACKAGES): $(STAMP)
	$(BIN)/python -c "import jupyterhub, nbgitpuller, jupyterhub_idle_culler" 2>/dev/null \
		|| $(PIP) install --quiet -c constraints.txt -e ".[hub]"
	@touch $@

$(HUB_PROXY): deploy/jupyterhub/proxy/package.json deploy/jupyterhub/proxy/package-lock.json | $(STAMP)
	mkdir -p $(VENV)/hub-proxy
	cp deploy/jupyterhub/proxy/package.json deploy/jupyterhub/proxy/package-lock.json $(VENV)/hub-proxy/
	cd $(VENV)/hub-proxy && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

bench-classroom: $(JUPYTER_CONFIG) hub
	$(BIN)/python benchmarks/bench_classroom.py

readme-gif: $(JUPYTER_CONFIG)
	$(BIN)/python tests/record_readme_gif.py

# One file of pins for every supported Python and platform (uv's universal resolution):
# the versions already in constraints.txt are kept where they still fit; add --upgrade
# to move every package to its newest release.
lock: $(STAMP)
	$(BIN)/uv pip compile --universal --python-version 3.10 pyproject.toml --extra data --extra hub \
		--no-annotate --custom-compile-command "make lock" --quiet -o constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
