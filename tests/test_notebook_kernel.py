"""``check("ex05")`` grades exactly what the student ran (issue 19 item 5): the notebook this kernel runs, or the
answer cells it executed, never another notebook of the same folder; executed headless with nbclient."""

from __future__ import annotations

import importlib.util

import nbformat
import pytest

from grader.catalog import Catalog
from grader.notebooks.build import build_notebook
from grader.submission import ANSWER_TAG
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("nbclient") is None or importlib.util.find_spec("ipykernel") is None,
    reason="nbclient and ipykernel are not installed",
)

EX05 = Catalog(ROOT).resolve("ex05")
RIGHT = EX05.reference_path.read_text(encoding="utf-8")
WRONG = RIGHT.replace("0.5 * np.sum", "0.25 * np.sum")  # half the squared error: a common slip


def _notebook(answer: str):
    notebook = build_notebook(EX05, "en")
    next(c for c in notebook.cells if ANSWER_TAG in c.metadata.get("tags", [])).source = answer
    return notebook


def _execute(notebook, folder) -> str:
    """Run every cell headless, as nbclient and papermill do, and return the check cell's text output."""
    from nbclient import NotebookClient

    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    outputs = notebook.cells[-1].outputs
    texts = [o["data"]["text/plain"] for o in outputs if o.get("output_type") == "display_data"]
    texts += [o.get("text", "") for o in outputs if o.get("output_type") == "stream"]
    return " ".join("\n".join(texts).split())  # one line: the panel wraps long messages


def test_two_notebooks_of_one_exercise_side_by_side_each_get_their_own_verdict(tmp_path, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert WRONG != RIGHT
    wrong, right = _notebook(WRONG), _notebook(RIGHT)
    nbformat.write(wrong, tmp_path / "ex05_wrong.ipynb")
    nbformat.write(right, tmp_path / "ex05_losses.ipynb")  # the name find_in_dir would have picked for both
    wrong_text = _execute(wrong, tmp_path)
    right_text = _execute(right, tmp_path)
    assert "Score 10/10" in right_text, right_text
    assert "Score" in wrong_text and "Score 10/10" not in wrong_text, wrong_text
    for text in (wrong_text, right_text):
        assert "the answer cells it ran were graded" in text and "differs" not in text


def test_the_notebook_jupyter_names_is_graded_and_unsaved_cells_are_graded_as_run(tmp_path, monkeypatch):
    nbformat.write(_notebook(RIGHT), tmp_path / "ex05_losses.ipynb")  # saved: right
    nbformat.write(_notebook(RIGHT), tmp_path / "ex05_other.ipynb")
    monkeypatch.setenv("JPY_SESSION_NAME", "ex05_losses.ipynb")  # what Jupyter tells the kernel (__session__)
    ran = _notebook(WRONG)  # the kernel ran a wrong answer cell, not saved yet
    text = _execute(ran, tmp_path)
    assert "Score 10/10" not in text and "differ from the ones this kernel ran" in text and "ex05_losses.ipynb" in text
    honest = _execute(_notebook(RIGHT), tmp_path)  # what ran is what is saved: graded as it is, no note
    assert "Score 10/10" in honest and "differ" not in honest and "cells it ran" not in honest


def test_a_kernel_that_ran_no_answer_cell_and_knows_no_file_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    nbformat.write(_notebook(RIGHT), tmp_path / "ex05_losses.ipynb")  # another notebook in the folder: not graded
    notebook = _notebook(RIGHT)
    notebook.cells = [c for c in notebook.cells if ANSWER_TAG not in c.metadata.get("tags", [])]
    text = _execute(notebook, tmp_path)
    assert "has not run an answer cell of ex05_losses" in text and "Score 10/10" not in text


def test_executed_answer_keeps_the_last_definition_and_drops_the_check_call(monkeypatch):
    from grader.notebooks import read

    history = ["", "import numpy as np\ndef mean_squared_error(y, t):\n    return 0\n",
               "def mean_squared_error(y, t):\n    return 1 +\n",  # did not parse: the kernel kept the one above
               "def cross_entropy_error(y, t):\n    return 2\n",
               "from grader.notebooks import check\ncheck('ex05')\n"]

    class History:
        input_hist_raw = history

    class Shell:
        history_manager = History()
        user_ns: dict = {}

    monkeypatch.setattr(read, "ipython_shell", lambda: Shell())
    ran = read.executed_answer(EX05)
    assert ran == [history[1].rstrip("\n"), history[3].rstrip("\n")]
    history.append("def mean_squared_error(y, t):\n    return 3\ncheck('ex05')")
    assert read.executed_answer(EX05) == [history[3].rstrip("\n"), "def mean_squared_error(y, t):\n    return 3\npass"]


def test_the_check_cell_html_is_the_student_pages_view_scoped_to_the_output(tmp_path):
    import html5lib

    from grader.judge import Options, grade
    from grader.notebooks.html import SCOPE
    from grader.notebooks.jupyter import render_texts

    path = tmp_path / "ex05_losses.ipynb"
    nbformat.write(_notebook(WRONG), path)
    result = grade(EX05, path, Options(lang="ko", seed=5))
    text, html = render_texts([], "ko", result)
    root = html5lib.parse(html, namespaceHTMLElements=False).find(".//div")
    assert root.get("class") == SCOPE and root.find(".//table[@class='checks']") is not None
    rows = root.findall(".//table[@class='checks']/tbody/tr")
    assert len(rows) == len(result.checks) and "<pre" not in html and "│" not in html  # no box drawing in HTML
    style = root.find("style").text
    rules = [r for r in style.split("}") if "{" in r]
    assert rules and all(r.split("{")[0].strip().startswith(f".{SCOPE}") for r in rules)  # the notebook's look kept
    assert "│" in text and f"{result.score:g}/10" in text  # plain terminals get the text view


def test_colabs_live_copy_edited_since_it_ran_grades_the_cells_that_ran(tmp_path, monkeypatch):
    from grader.i18n import tr
    from grader.notebooks import jupyter

    live = tmp_path / "colab-live.ipynb"  # Colab's notebook as it is now: the answer edited, not run again
    nbformat.write(_notebook(RIGHT), live)
    graded = {}

    def run_isolated(name, path, lang, seed, root, warnings=None):
        notebook = nbformat.read(path, as_version=4)
        graded.update(cells=[c.source for c in notebook.cells], warnings=[tr(w, "en") for w in warnings or []])
        return "text", "html"

    monkeypatch.setattr(jupyter, "find_open_notebook", lambda item, notebook: (live, True))
    monkeypatch.setattr(jupyter, "executed_answer", lambda item: [WRONG])
    monkeypatch.setattr(jupyter, "run_isolated", run_isolated)
    jupyter._check("ex05", None, "en", 1)
    assert graded["cells"] == [WRONG] and "Run the edited cells" in graded["warnings"][0]
    assert not live.exists()  # the temporary copy is removed
    nbformat.write(_notebook(RIGHT), live)  # what ran is what the notebook holds: the notebook, no warning
    monkeypatch.setattr(jupyter, "executed_answer", lambda item: [RIGHT.strip()])
    jupyter._check("ex05", None, "en", 1)
    assert RIGHT.strip() in "\n".join(graded["cells"]) and graded["warnings"] == []
