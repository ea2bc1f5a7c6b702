# One command each: `make demo` (set up and grade every reference solution), `make test`, `make bench`.
VENV ?= .venv
PY := $(VENV)/bin/python
GRADE := $(VENV)/bin/grade
STAMP := $(VENV)/.installed
PYTHON ?= python3

.PHONY: venv demo test bench clean notebook

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m compileall -q grader  # bytecode, as a (non-editable) pip install writes it
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	@$(GRADE) demo; status=$$?; \
	echo ""; \
	echo "Next: run grade in the environment: . $(VENV)/bin/activate && grade ex05  (or, without activating: $(VENV)/bin/grade ex05)"; \
	echo "다음: 가상 환경을 켜고 grade를 실행하세요: . $(VENV)/bin/activate && grade ex05  (켜지 않고: $(VENV)/bin/grade ex05)"; \
	exit $$status

# Jupyter for the course's notebooks: JupyterLab into the venv once (the [notebook] extra), the notebooks written into
# NOTEBOOKS (a notebook a student changed is never overwritten: `grade notebooks` writes the new one beside it), opened.
NOTEBOOKS ?= notebooks
notebook: venv
	@$(VENV)/bin/jupyter-lab --version >/dev/null 2>&1 || $(PY) -m pip install --quiet -e ".[notebook]"
	$(GRADE) notebooks $(NOTEBOOKS)
	$(VENV)/bin/jupyter lab $(NOTEBOOKS)

test: venv
	$(PY) -m pytest -q  # grade validate runs inside (tests/test_curriculum.py): each sample graded once

bench: venv
	@# measured as installed: a pip install compiles the bytecode, and machines that set PYTHONDONTWRITEBYTECODE
	@# would otherwise compile the judge and the checks again on every `grade` (~50 ms of each run)
	$(PY) -m compileall -q grader exercises solutions
	$(PY) bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache
