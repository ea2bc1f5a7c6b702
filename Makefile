# One command each: `make demo` (set up and grade every reference solution), `make test`, `make bench`.
VENV ?= .venv
PY := $(VENV)/bin/python
GRADE := $(VENV)/bin/grade
STAMP := $(VENV)/.installed
PYTHON ?= python3

.PHONY: venv demo test bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(GRADE) demo

test: venv
	$(PY) -m pytest -q
	$(GRADE) validate

bench: venv
	$(PY) bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache
