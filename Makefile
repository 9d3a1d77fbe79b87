# Synalinks Canvas: `make run` opens the editor, `make test` runs the whole suite headless.
# Both create what they need first: .venv (the app and its test tools) and, for the
# tests that run exported code under the real synalinks library, .venv-synalinks
# (kept apart because synalinks pulls ~200 packages, one of them named `editor`).

SHELL := /bin/sh
PYTHON ?= $(shell .ci/find-python)
VENV := .venv
VPY := $(VENV)/bin/python
SYN_VENV := .venv-synalinks
SYN_PY := $(SYN_VENV)/bin/python
PIP_FLAGS := --disable-pip-version-check --quiet
export SYNALINKS_CANVAS_SYNALINKS_PYTHON := $(CURDIR)/$(SYN_PY)
export LITELLM_LOCAL_MODEL_COST_MAP := True

.PHONY: run test bench lint venv synalinks-venv clean help

help:
	@echo "make run    - set up and open the editor on saved_graphs/parallel_branches.json"
	@echo "make test   - set up and run the whole test suite headless"
	@echo "make bench  - run the benchmarks in tests/benchmarks and print their tables"
	@echo "make lint   - ruff lint and format check (make test runs it first)"

$(VPY):
	@test -n "$(PYTHON)" || { .ci/find-python; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)"
	"$(PYTHON)" -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VPY)
	$(VPY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(VPY) -m pip install $(PIP_FLAGS) -e '.[test]'
	@touch $@

$(SYN_PY):
	@test -n "$(PYTHON)" || { .ci/find-python; exit 1; }
	@echo "Creating $(SYN_VENV) with $(PYTHON)"
	"$(PYTHON)" -m venv $(SYN_VENV)

$(SYN_VENV)/.installed: tests/synalinks-requirements.txt | $(SYN_PY)
	$(SYN_PY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(SYN_PY) -m pip install $(PIP_FLAGS) -r tests/synalinks-requirements.txt
	@touch $@

venv: $(VENV)/.installed
synalinks-venv: $(SYN_VENV)/.installed

run: venv
	$(VENV)/bin/synalinks-canvas saved_graphs/parallel_branches.json

test: venv synalinks-venv lint
	QT_QPA_PLATFORM=offscreen $(VPY) -m pytest -q

bench: venv synalinks-venv
	QT_QPA_PLATFORM=offscreen $(VPY) -m tests.benchmarks $(BENCH)

lint: venv
	$(VPY) -m ruff check core editor tests
	$(VPY) -m ruff format --check --quiet core editor tests

clean:
	rm -rf $(VENV) $(SYN_VENV) .pytest_cache .ruff_cache *.egg-info
