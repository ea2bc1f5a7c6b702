"""Notebook files a student can trust (issue 20): `grade notebooks OUT` run again never overwrites a notebook a
student changed, and the first cell's advice (`make notebook`, the [notebook] extra) works after `make demo`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib

import nbformat

from grader.catalog import Catalog
from grader.submission import ANSWER_TAG
from tests.conftest import ROOT, run_grade

ITEMS = Catalog(ROOT).items


def test_grade_notebooks_run_again_never_overwrites_a_notebook_a_student_changed(tmp_path):
    out = tmp_path / "out"
    done = run_grade("notebooks", str(out), "--lang", "en")
    assert done.returncode == 0, done.stderr
    ex07, ex05 = out / "ex07_param_count.ipynb", out / "ex05_losses.ipynb"
    notebook = nbformat.read(ex07, as_version=4)  # an answer written in ex07, saved
    answer = next(c for c in notebook.cells if ANSWER_TAG in c.metadata.get("tags", []))
    answer.source += "\n\n# my answer\nMY_ANSWER = 1010\n"
    nbformat.write(notebook, ex07)
    notebook = nbformat.read(ex05, as_version=4)  # notes in ex05: a markdown cell of the student's
    notebook.cells.insert(3, nbformat.v4.new_markdown_cell("My notes: MSE halves the sum."))
    nbformat.write(notebook, ex05)
    notebook = nbformat.read(out / "ex06_gradient_descent.ipynb", as_version=4)  # only run: outputs, no change
    notebook.cells[-1].outputs = [nbformat.v4.new_output("stream", text="Score 0/12\n")]
    nbformat.write(notebook, out / "ex06_gradient_descent.ipynb")
    student = {path: path.read_bytes() for path in (ex07, ex05)}

    done = run_grade("notebooks", str(out), "--lang", "ko")  # again, in the other language
    assert done.returncode == 0, done.stderr
    assert {path: path.read_bytes() for path in student} == student  # the student's work is all there
    said = " ".join(done.stdout.split())
    for path in student:
        beside = path.with_name(f"{path.stem}.new.ipynb")
        assert beside.exists() and "메모" not in beside.read_text(encoding="utf-8")  # the new one, beside it
        assert str(path) in said and beside.name in said
    assert "그대로 두었습니다" in said
    regenerated = nbformat.read(out / "ex06_gradient_descent.ipynb", as_version=4)  # untouched: replaced (now ko)
    assert regenerated.metadata["grader"]["lang"] == "ko" and not (out / "ex06_gradient_descent.new.ipynb").exists()
    assert sorted(p.name for p in out.glob("*.new.ipynb")) == ["ex05_losses.new.ipynb", "ex07_param_count.new.ipynb"]

    done = run_grade("notebooks", str(out), "--lang", "ko")  # a third run: the .new ones are reused, not multiplied
    assert done.returncode == 0 and {path: path.read_bytes() for path in student} == student
    assert len(list(out.glob("*.new*.ipynb"))) == 2 and len(list(out.glob("*.ipynb"))) == len(ITEMS) + 2


def test_the_first_cells_advice_names_a_way_that_installs_jupyter():
    from grader.i18n import Msg, tr
    from grader.notebooks.build import install_source  # registers the advice

    for lang in ("en", "ko"):
        advice = tr(Msg("nb_install_missing"), lang)
        assert repr(advice) in install_source(lang, "")  # the cell prints this advice
        assert "make notebook" in advice and '.venv/bin/pip install -e ".[notebook]"' in advice
        assert ". .venv/bin/activate, then jupyter lab" not in advice  # JupyterLab is not in the base install
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(dep.startswith(("jupyterlab", "notebook")) for dep in extras["notebook"])


def test_make_notebook_installs_the_extra_writes_the_notebooks_and_opens_jupyter(tmp_path):
    make = shutil.which("make")
    if make is None:
        import pytest

        pytest.skip("make is not installed")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / ".venv").mkdir()
    for name in ("requirements.lock", "pyproject.toml"):  # the venv is up to date: no rebuild in the dry run
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".venv" / ".installed").touch()
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}  # run under `make test` too
    done = subprocess.run([make, "--no-print-directory", "-n", "notebook"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == ['.venv/bin/jupyter-lab --version >/dev/null 2>&1 || .venv/bin/python -m pip install --quiet -e ".[notebook]"',
                     ".venv/bin/grade notebooks notebooks", ".venv/bin/jupyter lab notebooks"]


# --- issue 21: the notebook reader is linear and bounded ---------------------------------------------------------


def _answer_notebook(path, answer: str):
    from grader.notebooks.build import build_notebook

    notebook = build_notebook(Catalog(ROOT).resolve("ex05"), "en")
    next(c for c in notebook.cells if ANSWER_TAG in c.metadata.get("tags", [])).source = answer
    nbformat.write(notebook, path)
    return path


def test_long_runs_of_spaces_in_a_notebook_are_read_in_linear_time(tmp_path):
    from grader.submission import MAX_CELL_CHARS

    reference = (ROOT / "solutions" / "ex05_losses" / "losses.py").read_text(encoding="utf-8")
    blank = " " * (MAX_CELL_CHARS - len(reference) - 100)  # a line of spaces only: valid Python, and the old
    path = _answer_notebook(tmp_path / "spaces.ipynb", f"{reference}\n{blank}\n")  # pattern's worst case
    done = run_grade("ex05", "--submission", str(path), "--seed", "3", timeout=120)  # a regression fails, never hangs
    assert done.returncode == 0 and "Score 10/10" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]


def test_a_notebook_or_a_cell_over_its_cap_gets_a_verdict_naming_the_cap(tmp_path):
    from grader.submission import MAX_CELL_CHARS, MAX_NOTEBOOK_BYTES

    path = _answer_notebook(tmp_path / "big_cell.ipynb", "x = 1\n" + " " * 1_500_000 + "\n")  # the 1.5 MB notebook
    done = run_grade("ex05", "--submission", str(path), "--lang", "en", timeout=120)
    said = " ".join(done.stdout.split()) + " ".join(done.stderr.split())
    assert done.returncode != 0 and "Traceback" not in said
    assert f"Cell 7 of the notebook big_cell.ipynb holds 1,500,007 characters" in said
    assert f"over the {MAX_CELL_CHARS:,}-character limit of one cell" in said
    huge = tmp_path / "huge.ipynb"
    with open(huge, "w", encoding="utf-8") as handle:  # a notebook of large outputs, over the notebook cap
        handle.write('{"cells": [], "metadata": {"pad": "' + "x" * (MAX_NOTEBOOK_BYTES + 10) + '"}, "nbformat": 4}')
    done = run_grade("ex05", "--submission", str(huge), "--lang", "en", timeout=120)
    said = " ".join(done.stdout.split()) + " ".join(done.stderr.split())
    assert done.returncode != 0 and f"over the {MAX_NOTEBOOK_BYTES:,}-byte limit" in said and "Traceback" not in said


def test_strip_magics_is_linear_on_hostile_lines():
    import sys

    code = ("from grader.submission import strip_magics\n"
            "for line in (' ' * 2_000_000, ' ' * 1_000_000 + 'x', 'a,' * 500_000 + '= b', '(' * 1_000_000 + '?'):\n"
            "    strip_magics(line + '\\n!ls')\n"
            "print('done')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.stdout.strip() == "done", done.stderr[-2000:]
