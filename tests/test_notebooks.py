"""Notebooks: generation, notebook submissions (tagged, reordered, untagged, broken) and check() from a kernel."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import tomllib
from pathlib import Path

import nbformat
import pytest

from grader.catalog import Catalog
from grader.i18n import tr
from grader.judge import Options, grade
from grader.notebooks.build import build_notebook, install_source, localized_stub, notebook_text, write_notebooks
from grader.submission import ANSWER_TAG, QUESTION_TAG, extract, find_in_dir
from tests.conftest import ROOT, run_grade

CATALOG = Catalog(ROOT)
EXERCISES = [e for e in CATALOG.items if e.kind == "exercise"]
NUMPY_EXERCISES = [e for e in EXERCISES if not e.tensorflow and e.reference_path is not None]
QUIZZES = [e for e in CATALOG.items if e.kind == "quiz"]
EX05 = CATALOG.resolve("ex05")


def _id(item):
    return item.name


def answer_cells(notebook):
    return [c for c in notebook.cells if ANSWER_TAG in c.metadata.get("tags", [])]


def notebook_with(exercise, answer: str, lang: str = "en"):
    notebook = build_notebook(exercise, lang)
    answer_cells(notebook)[0].source = answer
    return notebook


def save(notebook, path: Path) -> Path:
    nbformat.write(notebook, path)
    return path


def grade_file(exercise, path: Path, lang: str = "en"):
    return grade(exercise, path, Options(lang=lang, seed=5))


# --- generation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_generated_notebooks_validate_round_trip_and_regenerate_identically(tmp_path, lang):
    first = write_notebooks(CATALOG, tmp_path / "a", lang)
    second = write_notebooks(CATALOG, tmp_path / "b", lang)
    assert [p.name for p in first] == [f"{e.name}.ipynb" for e in CATALOG.items]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
        notebook = nbformat.read(a, as_version=4)
        nbformat.validate(notebook)
        assert notebook_text(notebook) == a.read_text(encoding="utf-8")
        ids = [c.id for c in notebook.cells]
        assert len(set(ids)) == len(ids)
        assert all(i.startswith(notebook.metadata["grader"]["exercise"].split("_")[0]) for i in ids)


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_exercise_notebook_has_statement_tagged_stub_scratch_and_check_cells(exercise):
    notebook = build_notebook(exercise, "ko")
    roles = [c.metadata["grader"]["role"] for c in notebook.cells]
    assert roles[0] == "install" and "importlib.util.find_spec(\"grader\")" in notebook.cells[0].source
    assert notebook.cells[0].source.startswith("# ")  # commented as the install cell
    assert "statement" in roles and "scratch" in roles and roles[-1] == "check"
    answers = answer_cells(notebook)
    assert len(answers) == 1 and answers[0].cell_type == "code"
    assert answers[0].source == localized_stub(exercise, "ko").rstrip()
    assert f'check("{exercise.id}", lang="ko")' in notebook.cells[-1].source
    assert f'hint("{exercise.id}", lang="ko")' in notebook.cells[-1].source
    assert "from grader.notebooks import check, hint" in notebook.cells[-1].source
    statement = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    first_line = (exercise.statement("ko").strip() or exercise.title["ko"]).splitlines()[0]
    assert first_line in statement
    assert f"grade hint {exercise.id}" not in statement and f"`grade {exercise.id}`" not in statement


@pytest.mark.parametrize("quiz", QUIZZES, ids=_id)
def test_quiz_notebook_has_one_tagged_answer_cell_per_question(quiz):
    from grader.notebooks.build import quiz_questions

    notebook = build_notebook(quiz, "en")
    questions = [q.id for q in quiz_questions(quiz)]
    tags = [[t for t in c.metadata["tags"] if t.startswith(QUESTION_TAG)] for c in answer_cells(notebook)]
    assert tags == [[f"{QUESTION_TAG}{q}"] for q in questions]
    assert f'check("{quiz.id}", lang="en")' in notebook.cells[-1].source


# --- grading notebook submissions ----------------------------------------------------------------


@pytest.mark.parametrize("exercise", NUMPY_EXERCISES, ids=_id)
def test_notebook_of_the_reference_scores_full_marks(tmp_path, exercise):
    path = save(notebook_with(exercise, exercise.reference_path.read_text(encoding="utf-8")), tmp_path / "work.ipynb")
    result = grade_file(exercise, path)
    assert result.passed, [(c.name, tr(c.message, "en")) for c in result.checks if not c.passed]
    assert result.notes == []


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_notebook_of_the_stub_scores_zero(tmp_path, exercise):
    path = save(build_notebook(exercise, "en"), tmp_path / "work.ipynb")
    result = grade_file(exercise, path)
    assert result.score == 0 and result.status == "not_attempted"


def test_notebook_of_a_tensorflow_reference_scores_full_marks(tmp_path):
    exercise = CATALOG.resolve("ex02")
    path = save(notebook_with(exercise, exercise.reference_path.read_text(encoding="utf-8")), tmp_path / "work.ipynb")
    assert grade_file(exercise, path).passed


def test_reordered_and_extra_cells_still_grade(tmp_path):
    notebook = notebook_with(EX05, EX05.reference_path.read_text(encoding="utf-8"))
    answer = answer_cells(notebook)[0]
    notebook.cells.remove(answer)
    extra = [
        nbformat.v4.new_code_cell("import numpy as np\nprint(np.zeros(3))\ndef mean_squared_error(y, t):\n    return -1"),
        nbformat.v4.new_markdown_cell("my notes"),
        nbformat.v4.new_code_cell("raise RuntimeError('scratch work that fails')"),
    ]
    notebook.cells = extra + notebook.cells + [answer]
    result = grade_file(EX05, save(notebook, tmp_path / "work.ipynb"))
    assert result.passed


def test_split_answer_cells_are_graded_together_in_notebook_order(tmp_path):
    reference = EX05.reference_path.read_text(encoding="utf-8")
    head, tail = reference.split("def cross_entropy_error", 1)
    notebook = notebook_with(EX05, head)
    second = nbformat.v4.new_code_cell("import numpy as np\n\ndef cross_entropy_error" + tail, metadata={"tags": [ANSWER_TAG]})
    notebook.cells.insert(notebook.cells.index(answer_cells(notebook)[0]) + 1, second)
    assert grade_file(EX05, save(notebook, tmp_path / "work.ipynb")).passed


def test_untagged_notebook_grades_every_code_cell_with_a_note(tmp_path):
    reference = EX05.reference_path.read_text(encoding="utf-8")
    cells = [
        nbformat.v4.new_code_cell("!pip install numpy\n%matplotlib inline\nimport numpy as np"),
        nbformat.v4.new_code_cell(reference),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"),
        nbformat.v4.new_code_cell("history = model.fit(x, y, epochs=500)"),
        nbformat.v4.new_code_cell("from grader.notebook import check\ncheck('ex05')"),
    ]
    path = save(nbformat.v4.new_notebook(cells=cells), tmp_path / "scratch_built.ipynb")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = grade_file(EX05, path)
    assert result.passed, [(c.name, tr(c.message, "en")) for c in result.checks if not c.passed]
    notes = "\n".join(tr(n, "en") for n in result.notes)
    assert "No answer cell tagged 'answer'" in notes
    assert "!pip install numpy" in notes and "%matplotlib inline" in notes
    assert "3 (plt.plot, plt.show)" in notes and "4 (model.fit)" in notes
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # never modified
    assert "No answer cell tagged" in result.summary_text("en")  # the JSON output carries the notes


def test_mixed_cell_keeps_its_functions_and_drops_top_level_training():
    from grader.submission import Cell, _from_cells

    cell = "import numpy as np\n\ndef f(x):\n    return x.fit(1)\n\nmodel.fit(x, y,\n          epochs=100)\nprint('ok')\n"
    out = _from_cells([Cell(1, cell, [])], functions_only=True)
    assert "def f(x):" in out.source and "model.fit" not in out.source and "print('ok')" in out.source
    assert "1 line 6 (model.fit)" in tr(out.notes[-1], "en")


def test_top_level_training_runs_when_the_exercise_is_not_functions_only():
    from grader.submission import Cell, _from_cells

    out = _from_cells([Cell(1, "model.fit(x, y, epochs=5)", [])], functions_only=False)
    assert "model.fit" in out.source


@pytest.mark.parametrize(
    "content, expected",
    [
        ('{"cells": [', "is not valid JSON"),
        ('{"cells": [], "metadata": {}, "nbformat": 5, "nbformat_minor": 0}', "has nbformat version 5"),
        ('{"cells": [], "metadata": {}}', "has no nbformat version"),
        ("[1, 2]", "is not valid JSON"),
    ],
    ids=["truncated_json", "nbformat_5", "no_version", "not_an_object"],
)
def test_broken_notebook_gets_a_message_and_scores_zero(tmp_path, content, expected):
    path = tmp_path / "work.ipynb"
    path.write_text(content, encoding="utf-8")
    result = grade_file(EX05, path)
    assert result.score == 0 and expected in tr(result.problem, "en")
    assert all(tr(c.message, "en").startswith("Not run: the file did not load") for c in result.checks)  # said once
    assert path.read_text(encoding="utf-8") == content


def test_cell_with_an_unclosed_string_names_the_cell_and_line(tmp_path):
    notebook = notebook_with(EX05, 'import numpy as np\n\ndef mean_squared_error(y, t):\n    return "oops\n')
    path = save(notebook, tmp_path / "work.ipynb")
    number = next(i for i, c in enumerate(notebook.cells, 1) if ANSWER_TAG in c.metadata.get("tags", []))
    result = grade_file(EX05, path, lang="ko")
    assert result.score == 0
    assert f"Syntax error in cell {number}, line 4" in tr(result.problem, "en")
    assert f"{number}번째 셀 4행" in tr(result.problem, "ko")
    assert 'return "oops' in result.summary_text("en")  # the line, once, at the top
    assert 'return "oops' not in result.checks[0].output("en")


def test_broken_notebook_does_not_stop_the_rest_of_an_assignment(tmp_path):
    broken = tmp_path / "ex05_losses.ipynb"
    broken.write_text("{", encoding="utf-8")
    good = save(build_notebook(EX05, "en"), tmp_path / "stub.ipynb")
    results = [grade_file(EX05, broken), grade_file(EX05, good)]
    assert results[0].problem is not None and results[1].problem is None


def test_python_submission_extracts_unchanged(tmp_path):
    path = EX05.reference_path
    extracted = extract(path)
    assert extracted.source == path.read_text(encoding="utf-8") and extracted.notes == [] and not extracted.notebook


def test_cli_grades_a_notebook_submission(tmp_path):
    path = save(notebook_with(EX05, EX05.reference_path.read_text(encoding="utf-8")), tmp_path / "work.ipynb")
    done = run_grade("ex05", "--submission", str(path), "--lang", "en", "--seed", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Score 10/10" in done.stdout
    done = run_grade("ex05", "--submission", str(path), "--format", "json")
    assert json.loads(done.stdout)["score"] == 10


def test_cli_writes_the_notebooks(tmp_path):
    done = run_grade("notebooks", str(tmp_path / "out"), "--lang", "ko")
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "out").glob("*.ipynb"))
    assert names == sorted(f"{e.name}.ipynb" for e in Catalog(ROOT).items)  # fresh: exercises may be added meanwhile


def test_find_in_dir_prefers_the_stub_name_then_notebook_names(tmp_path):
    assert find_in_dir(tmp_path, EX05) is None
    (tmp_path / "ex05 (1).ipynb").write_text("{}")
    assert find_in_dir(tmp_path, EX05).name == "ex05 (1).ipynb"
    (tmp_path / "losses.ipynb").write_text("{}")
    assert find_in_dir(tmp_path, EX05).name == "losses.ipynb"
    (tmp_path / "ex05_losses.ipynb").write_text("{}")
    assert find_in_dir(tmp_path, EX05).name == "ex05_losses.ipynb"
    (tmp_path / "losses.py").write_text("")
    assert find_in_dir(tmp_path, EX05).name == "losses.py"
    assert find_in_dir(tmp_path, EX05, notebooks_only=True).name == "ex05_losses.ipynb"


# --- quizzes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("quiz", [q for q in QUIZZES if q.solution_folder is not None], ids=_id)
def test_quiz_notebook_with_the_key_answers_scores_full_marks(tmp_path, quiz):
    from grader.notebooks.jupyter import grade_quiz_notebook

    from grader.notebooks.build import quiz_questions

    key = tomllib.loads((quiz.solution_folder / "key.toml").read_text(encoding="utf-8"))
    kinds = {q.id: q.kind for q in quiz_questions(quiz)}
    notebook = build_notebook(quiz, "en")
    for cell in answer_cells(notebook):
        qid = next(t for t in cell.metadata["tags"] if t.startswith(QUESTION_TAG))[len(QUESTION_TAG):]
        answer = key[qid]["answer"]
        if kinds[qid] == "text" and isinstance(answer, list):
            answer = answer[0]  # any accepted spelling
        cell.source = f"answer = {answer!r}  # the key's answer"
    path = save(notebook, tmp_path / "quiz.ipynb")
    result = grade_quiz_notebook(quiz, path, "en", 1)
    assert result.score == result.max_score, [(c.name, tr(c.message, "en")) for c in result.checks]
    blank = grade_quiz_notebook(quiz, save(build_notebook(quiz, "en"), tmp_path / "blank.ipynb"), "en", 1)
    assert blank.score == 0


# --- check() from inside a notebook --------------------------------------------------------------


def test_notebooks_generated_before_the_package_split_still_import_check_and_hint():
    import grader.notebook
    import grader.notebooks

    assert grader.notebook.check is grader.notebooks.check and grader.notebook.hint is grader.notebooks.hint


def test_check_shows_the_result_as_text_outside_jupyter(tmp_path, monkeypatch, capsys):
    from grader.notebooks.jupyter import check

    path = save(notebook_with(EX05, EX05.reference_path.read_text(encoding="utf-8")), tmp_path / "ex05_losses.ipynb")
    monkeypatch.chdir(tmp_path)
    check("ex05", lang="en", seed=2)
    assert "Score 10/10" in capsys.readouterr().out
    path.write_text("{", encoding="utf-8")
    check("ex05", lang="en")  # a broken notebook is feedback, not an exception
    assert "is not valid JSON" in capsys.readouterr().out
    check("ex05", tmp_path / "missing.ipynb", lang="en")
    assert "Could not find the notebook" in capsys.readouterr().out


@pytest.mark.skipif(
    importlib.util.find_spec("nbclient") is None or importlib.util.find_spec("ipykernel") is None,
    reason="nbclient and ipykernel are not installed",
)
def test_notebook_executed_headless_runs_its_check_cell_and_shows_the_table(tmp_path):
    import sys

    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[0] in ("python", "python3", sys.executable)  # jupyter_client runs our interpreter
    notebook = notebook_with(EX05, EX05.reference_path.read_text(encoding="utf-8"))
    path = save(notebook, tmp_path / "ex05_losses.ipynb")
    client = NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = notebook.cells[-1].outputs
    bundles = [o["data"] for o in outputs if o.get("output_type") == "display_data"]
    assert bundles, outputs
    assert "Score 10/10" in bundles[0]["text/plain"]
    html = bundles[0]["text/html"]  # the student pages' view: a real table, not the terminal panel in <pre>
    assert '<table class="checks">' in html and "10 / 10" in html and "<pre" not in html and "╭" not in html
    assert nbformat.read(path, as_version=4).cells[-1].outputs == []  # the file on disk is not touched


def test_check_warns_when_the_answer_cell_ran_differs_from_the_saved_file(tmp_path, monkeypatch):
    from grader.notebooks import read as module

    path = save(build_notebook(EX05, "en"), tmp_path / "ex05_losses.ipynb")

    class History:
        input_hist_raw = ["", "def mean_squared_error(y, t):\n    return 0.5\n", "check('ex05')"]

    class Shell:
        history_manager = History()
        user_ns: dict = {}

    monkeypatch.setattr(module, "ipython_shell", lambda: Shell())
    assert module.not_saved(path, EX05)
    History.input_hist_raw[1] = answer_cells(nbformat.read(path, as_version=4))[0].source + "\n"
    assert not module.not_saved(path, EX05)


def test_grade_all_takes_a_folder_of_notebooks(tmp_path):
    from grader.assignment import grade_assignment

    folder = tmp_path / "student"
    folder.mkdir()
    save(notebook_with(EX05, EX05.reference_path.read_text(encoding="utf-8")), folder / "ex05_losses.ipynb")
    (folder / "ex06_gradient_descent.ipynb").write_text("{ broken", encoding="utf-8")
    result = grade_assignment(CATALOG, folder, Options(seed=3))
    by_name = {r.exercise: r for r in result.results}
    assert by_name["ex05_losses"].passed
    assert by_name["ex06_gradient_descent"].problem is not None and by_name["ex06_gradient_descent"].score == 0


def test_grade_batch_accepts_notebook_submissions(tmp_path):
    import csv

    subs = tmp_path / "subs"
    (subs / "kim").mkdir(parents=True)
    save(notebook_with(EX05, EX05.reference_path.read_text(encoding="utf-8")), subs / "kim" / "ex05_losses.ipynb")
    proc = run_grade("batch", str(subs), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr[-1000:]
    rows = list(csv.reader((tmp_path / "out" / "grades.csv").open()))
    kim = next(r for r in rows if r[0] == "kim")
    assert kim[rows[0].index("ex05_losses")] == "10"


# --- the install cell, the check cell and Korean stubs ---------------------------------------------


def test_install_cell_clones_the_course_release_given_as_a_git_url():
    source = install_source("en", "https://example.org/course-release.git")
    assert "COURSE = 'https://example.org/course-release.git'" in source
    assert '"git", "clone"' in source and '"-e", COURSE' in source and 'os.environ["GRADE_ROOT"]' in source
    compile(source, "install", "exec")


def test_install_cell_without_a_course_installs_nothing_and_says_what_to_do(tmp_path):
    import subprocess
    import sys

    for lang, words in (("en", "ask your instructor for the course's git URL"), ("ko", "강사에게 과제 저장소의 git URL")):
        source = install_source(lang, "")
        assert "COURSE = ''" in source and "dl-grader" not in source
        # -S: without site-packages the grader is missing, as on a fresh Colab
        proc = subprocess.run([sys.executable, "-S", "-c", source], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert words in proc.stdout


def test_install_cell_uses_a_release_folder(tmp_path):
    import subprocess
    import sys

    release = tmp_path / "release"
    (release / "grader").mkdir(parents=True)
    source = install_source("en", str(release)).replace('subprocess.run([sys.executable, "-m", "pip",', "(lambda *a, **k: None)([")
    source += "\nprint(os.environ['GRADE_ROOT'])"
    proc = subprocess.run([sys.executable, "-S", "-c", source], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(release)


def test_korean_notebook_stub_has_korean_docstrings_and_still_counts_as_not_attempted(tmp_path):
    notebook = build_notebook(EX05, "ko")
    answer = answer_cells(notebook)[0].source
    assert "차의 제곱합의 절반" in answer and "Half the sum" not in answer
    assert answer.count("[[YOUR CODE]]") == EX05.stub_path.read_text(encoding="utf-8").count("[[YOUR CODE]]")
    assert answer_cells(build_notebook(EX05, "en"))[0].source == EX05.stub_path.read_text(encoding="utf-8").rstrip()
    result = grade_file(EX05, save(notebook, tmp_path / "ex05_losses.ipynb"), lang="ko")
    assert result.score == 0 and result.status == "not_attempted"


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_every_stub_has_korean_docstrings(exercise):
    import ast

    source = localized_stub(exercise, "ko")
    tree = ast.parse(source)
    docs = [ast.get_docstring(tree)] + [ast.get_docstring(n) for n in ast.walk(tree)
                                         if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(n)]
    assert docs[0] and all(any("가" <= ch <= "힣" for ch in doc) for doc in docs if doc), docs


def test_result_footer_in_a_notebook_names_notebook_functions(tmp_path):
    from grader.notebooks.jupyter import render_texts

    result = grade_file(EX05, save(build_notebook(EX05, "en"), tmp_path / "ex05_losses.ipynb"))
    text, html = render_texts([], "en", result)
    assert 'check("ex05", seed=5)' in text and 'hint("ex05")' in text
    assert "grade hint" not in text and "--seed" not in text and "grade ex05" not in text


def test_hint_function_is_progressive(tmp_path, monkeypatch, capsys):
    import shutil

    from grader.notebooks.jupyter import hint

    course = tmp_path / "course"
    shutil.copytree(EX05.folder, course / "exercises" / EX05.folder.name)
    monkeypatch.setenv("GRADE_ROOT", str(course))
    hint("ex05", lang="en")
    first = capsys.readouterr().out
    hint("ex05", lang="ko")
    second = capsys.readouterr().out
    assert first.startswith("Hint 1/3") and 'hint("ex05")' in first
    assert second.startswith("힌트 2/3")
    hint("nope", lang="en")
    assert "No exercise called 'nope'" in capsys.readouterr().out
