# Slider by Slider: the two commands of the README, and a few for teachers.
#   make lab         set up (once) and open the course in JupyterLab
#   make test        set up (once) and run the whole test suite
#   make notebooks   re-execute every notebook in place (after changing helpers/)
#   make bench       time every live figure's sliders and print the table
#   make readme-gif  record the README's animation in Chromium
#   make lock        re-pin every package CI installs (constraints.txt), after a change
#                    of pyproject.toml's dependencies

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PIP    := $(BIN)/python -m pip --disable-pip-version-check

# Matplotlib's caches (fonts, the extracted Chinese font) live in .venv: nothing is
# written to your home, and a read-only home cannot put warnings in notebook outputs.
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/mplconfig
# One BLAS thread: the course's matrices are small, and on a laptop's few cores the
# kernel shares them with JupyterLab and the browser (with two threads fighting for a busy
# core, a 784-input training step ran 10-40x slower). Same setting for tests and outputs.
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
# The same floating-point results on every x86-64 machine with AVX2. NumPy and OpenBLAS
# choose SIMD kernels by CPU at run time (AVX-512 on one machine, AVX2 on the next), the
# kernels sum in different orders, and the last-bit differences change printed gradient
# checks and, at a learning rate on the edge of divergence, a whole training table. The
# committed outputs, the tests and the lab all use the AVX2 kernels.
ifeq ($(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo yes),yes)
export OPENBLAS_CORETYPE ?= Haswell
export NPY_DISABLE_CPU_FEATURES ?= X86_V4 AVX512_ICL AVX512_SPR
endif

.PHONY: lab test lint notebooks bench readme-gif lock clean

# Re-install only when the dependencies change.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else \
		"Slider by Slider needs Python >= 3.10; this is " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e .
	$(BIN)/python -c "import helpers"  # builds matplotlib's font cache once, here
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

readme-gif: $(STAMP)
	$(BIN)/python tests/record_readme_gif.py

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[data]'
	{ echo "# Every package CI installs, at the version it was tested with (Python 3.11, the CI Python)."; \
	  echo "# Other Pythons get the pins of pyproject.toml only. Regenerate with \`make lock\`."; \
	  .lock-venv/bin/python -m pip freeze | grep -v -e '^-e' -e 'slider' \
	  | sed 's/$$/ ; python_version == "3.11"/'; } > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
