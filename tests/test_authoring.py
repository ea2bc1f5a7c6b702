"""Writing an exercise: the check API, the metadata model, `grade new`, samples written as patches, and the README's
own instructions, followed in fresh temporary copies of the course."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from grader.catalog import KEYS, Catalog, CatalogError, parse_meta
from grader.checks import Mistake, MistakeError, call_label
from grader.judge import Options, grade
from grader.instructor.samples import apply_patch, samples
from tests.conftest import ROOT, run_grade

#: The authoring pages the README links to: the check API (docs/checks.md) and the instructor's walk-through.
DOCS = "\n".join((ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("checks.md", "instructors.md"))


def course(tmp_path: Path, *names: str, without: tuple[str, ...] = ()) -> Path:
    """A temporary copy of the course: the named exercise folders (all when none) in its three folders."""
    root = tmp_path / "course"
    for top in ("exercises", "solutions", "tests/submissions"):
        for folder in sorted((ROOT / top).iterdir()) if (ROOT / top).is_dir() else []:
            if not folder.is_dir() or folder.name in without or (names and folder.name.split("_")[0] not in names):
                continue
            shutil.copytree(folder, root / top / folder.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc",
                                                                                          ".grade_state.json"))
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, root / name)
    return root


def section(title: str) -> str:
    """The text of a documentation section, from its heading to the next heading."""
    start = DOCS.index(title)
    end = re.search(r"^#{1,3} ", DOCS[start + len(title):], re.M)
    return DOCS[start:start + len(title) + (end.start() if end else len(DOCS))]


# --- the metadata model --------------------------------------------------------------------------------------


def test_unknown_key_rejected_with_file_and_line(tmp_path):
    root = course(tmp_path, "ex05")
    meta = root / "exercises/ex05_losses/exercise.toml"
    text = meta.read_text(encoding="utf-8")
    line = text.splitlines().index("time_limit = 10") + 1
    meta.write_text(text.replace("time_limit = 10", "time_limt = 10"), encoding="utf-8")
    proc = run_grade("list", env={"GRADE_ROOT": str(root), "COLUMNS": "300"})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"exercises/ex05_losses/exercise.toml:{line}" in proc.stderr
    assert "unknown key 'time_limt'" in proc.stderr and "did you mean 'time_limit'?" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_misplaced_or_mistyped_keys_rejected_with_their_line():
    text = 'kind = "quiz"\npoints = "ten"\n\n[title]\nko = "퀴즈"\nen = "Quiz"\n'
    with pytest.raises(CatalogError, match=r"x.toml:2\): 'points' must be an integer or a number"):
        parse_meta({"kind": "quiz", "points": "ten", "title": {"ko": "퀴즈", "en": "Quiz"}}, text, "x.toml")
    text = 'kind = "quiz"\npoints = 1\nfile = "a.py"\n\n[title]\nko = "퀴즈"\nfr = "Quiz"\n'
    with pytest.raises(CatalogError, match=r"x.toml:3\): 'file' is for exercises, not for a quiz"):
        parse_meta({"kind": "quiz", "points": 1, "file": "a.py", "title": {"ko": "퀴즈"}}, text, "x.toml")
    with pytest.raises(CatalogError, match=r"x.toml:7\): title: unknown key 'fr'"):
        parse_meta({"kind": "quiz", "points": 1, "title": {"ko": "퀴즈", "fr": "Quiz"}}, text, "x.toml")


def test_every_exercise_and_quiz_of_the_course_loads_typed():
    items = Catalog(ROOT).items
    assert items and all(item.metadata is not None and item.metadata.points == item.points for item in items)


def test_readme_documents_every_exercise_toml_key():
    rows = re.findall(r"^\| `(\w+)` \| \w+ \| \w+ \| (.+) \|$", section("## exercise.toml keys"), re.M)
    assert [name for name, _ in rows] == [key.name for key in KEYS]
    for (name, text), key in zip(rows, KEYS):
        assert text.replace(" **Required.**", "") == key.doc, name
        assert ("**Required.**" in text) == key.required, name


# --- the check API -------------------------------------------------------------------------------------------


def test_expect_call_label_from_signature(tmp_path):
    stub = ROOT / "exercises/ex05_losses/losses.py"
    y, t = np.zeros(3), np.zeros(3)
    assert call_label(stub, "mean_squared_error", (y, t)) == "mean_squared_error(y, t)"
    assert call_label(stub, "cross_entropy_error", (y,), {"t": t}) == "cross_entropy_error(y, t=t)"
    assert call_label(None, "anything", (1, 2)) == "anything(...)"
    exercise = Catalog(ROOT).resolve("ex05")
    wrong = ROOT / "tests/submissions/ex05_losses/wrong_mse_mean.py"
    result = grade(exercise, wrong, Options(seed=11, lang="en"))
    failed = {c.name: c.output("en") for c in result.checks if not c.passed}
    assert "`mean_squared_error(y, t)` returned a wrong value" in failed["mse_lesson_example"]
    assert "half of the sum" in failed["mse_lesson_example"]  # the arguments reached the mistake detector


def test_raising_mistake_is_an_error_not_a_silent_false():
    broken = Mistake({"ko": "틀림", "en": "Wrong"}, compute=lambda y, t: np.mean((y - t) ** 2), name="mse as mean")
    with pytest.raises(MistakeError, match="mse as mean.*TypeError"):
        broken.matches(0.5, ())  # no arguments given: the detector cannot run


def test_raising_mistake_reported_by_validate(tmp_path):
    root = course(tmp_path, "ex05")
    checks = root / "exercises/ex05_losses/checks.py"
    source = checks.read_text(encoding="utf-8")
    source = source.replace("compute=lambda y, t: np.mean((y - t) ** 2),",
                            "compute=lambda y, t: np.mean((y - t) ** 2) / 0 if False else y.no_such_attribute,", 1)
    checks.write_text(source, encoding="utf-8")
    proc = run_grade("validate", "ex05", env={"GRADE_ROOT": str(root), "COLUMNS": "400"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    rows = [line for line in proc.stdout.splitlines() if "wrong_mse_mean.py" in line]
    assert rows and "check mse_lesson_example raised MistakeError" in rows[0], proc.stdout
    assert "ex05_losses" in rows[0] and 'mistake detector "You took the mean' in rows[0]
    assert "AttributeError" in rows[0]


def test_readme_check_example_fires_its_mistake(tmp_path):
    """The README's check, as it is written there, explains the mistake it declares."""
    example = re.search(r"```python\n(.*?)```", section("## Checks"), re.S).group(1)
    root = course(tmp_path, "ex05")
    shutil.rmtree(root / "solutions")  # public checks only: the README's one check
    (root / "exercises/ex05_losses/checks.py").write_text(example, encoding="utf-8")
    wrong = ROOT / "tests/submissions/ex05_losses/wrong_mse_mean.py"
    proc = run_grade("ex05", "--submission", str(wrong), "--lang", "en", "--seed", "1",
                     env={"GRADE_ROOT": str(root), "COLUMNS": "300"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "mean_squared_error(y, t)" in proc.stdout and "You took the mean; MSE is ½·Σ(y−t)²." in proc.stdout
    assert "check itself failed" not in proc.stdout


# --- grade new -----------------------------------------------------------------------------------------------


def test_grade_new_q04_makes_a_quiz(tmp_path):
    root = course(tmp_path, "ex05", "q01")
    env = {"GRADE_ROOT": str(root), "COLUMNS": "400"}
    proc = run_grade("new", "q04", "--slug", "review", env=env)
    assert proc.returncode == 0, proc.stderr
    folder, key = root / "exercises/q04_review", root / "solutions/q04_review/key.toml"
    assert sorted(p.name for p in folder.iterdir()) == ["answers.toml", "exercise.toml", "questions.toml"]
    assert key.is_file() and not (root / "tests/submissions/q04_review").exists()
    quiz = Catalog(root).resolve("q04")
    assert quiz.kind == "quiz" and quiz.metadata.retry_factor is not None
    static = run_grade("validate", "--static", "q04", env=env)
    assert static.returncode == 1 and "questions.toml still says 'TODO'" in static.stdout, static.stdout
    assert "(write the title)" in static.stdout


def test_grade_new_ex17_then_validate_fails_for_the_empty_stub_only_exercise(tmp_path):
    root = course(tmp_path, "ex05")
    env = {"GRADE_ROOT": str(root), "COLUMNS": "400"}
    assert run_grade("new", "ex17", "--slug", "empty", env=env).returncode == 0
    scaffolded = sorted(p.name for p in (root / "tests/submissions/ex17_empty").iterdir())
    assert scaffolded == ["correct_example.py", "wrong_example.py"]
    text = (root / "tests/submissions/ex17_empty/wrong_example.py").read_text(encoding="utf-8")
    assert text.startswith("# patch: reference\n# expect-fail: ")
    shutil.rmtree(root / "tests/submissions/ex17_empty")  # a stub-only exercise: no samples at all
    proc = run_grade("validate", "ex17", env=env)
    assert proc.returncode == 1, proc.stdout
    assert "no sample submissions: tests/submissions/ex17_empty/ is missing" in proc.stdout, proc.stdout
    assert "reference not written yet" in proc.stdout and "1 item" in proc.stdout


# --- samples as patches --------------------------------------------------------------------------------------


def test_patch_sample_graded_like_its_full_equivalent(tmp_path):
    catalog = Catalog(ROOT)
    exercise = catalog.resolve("ex05")
    sample = next(s for s in samples(catalog, exercise) if s.path.name == "wrong_cee_no_batch_division.py")
    assert sample.patch and sample.expect_fail == ("cee_batch", "cee_random")
    full = tmp_path / "losses.py"
    full.write_text(sample.source(exercise), encoding="utf-8")
    assert "def mean_absolute_error" in full.read_text() and "/ batch_size" not in full.read_text()
    by_hand = tmp_path / "by_hand" / "losses.py"  # the same submission written out in full, as before
    by_hand.parent.mkdir()
    by_hand.write_text("import numpy as np\n\n\ndef mean_squared_error(y, t):\n    return 0.5 * np.sum((y - t) ** 2)\n\n\n"
                       "def cross_entropy_error(y, t):\n    return -np.sum(t * np.log(y + 1e-7))\n\n\n"
                       "def mean_absolute_error(y, t):\n    return np.mean(np.abs(y - t))\n", encoding="utf-8")
    with sample.file(exercise) as path:
        patched = grade(exercise, path, Options(seed=5, lang="en"))
    whole = grade(exercise, by_hand, Options(seed=5, lang="en"))
    seen = [(c.name, c.status, c.points, c.output("en")) for c in patched.checks]
    assert seen == [(c.name, c.status, c.points, c.output("en")) for c in whole.checks]
    assert {c.name for c in patched.checks if not c.passed} == {"cee_batch", "cee_random"}


def test_grade_submission_of_a_patch_sample_grades_the_patched_reference_only_with_solutions(tmp_path):
    root = course(tmp_path, "ex05")
    sample = root / "tests/submissions/ex05_losses/wrong_cee_no_batch_division.py"
    env = {"GRADE_ROOT": str(root), "COLUMNS": "300"}
    patched = run_grade("ex05", "--submission", str(sample), "--seed", "5", "--format", "json", "--lang", "en", env=env)
    assert patched.returncode == 1, patched.stderr
    assert "grading the reference" in patched.stderr and "wrong_cee_no_batch_division.py" in patched.stderr
    failing = [t["name"] for t in json.loads(patched.stdout)["tests"] if t["score"] < t["max_score"]]
    assert failing and all("Cross-entropy" in name for name in failing), failing  # MSE and MAE: the reference's
    text = run_grade("ex05", "--submission", str(sample), "--seed", "5", "--lang", "ko", env=env)
    assert text.returncode == 1 and "예시 제출물" in text.stdout and "wrong_cee_no_batch_division.py" in text.stdout
    shutil.rmtree(root / "solutions")  # a student's copy: the file is graded as it is (only the patch's function)
    alone = run_grade("ex05", "--submission", str(sample), "--seed", "5", "--format", "json", "--lang", "en", env=env)
    assert "grading the reference" not in alone.stderr
    assert json.loads(alone.stdout)["score"] < json.loads(patched.stdout)["score"]


def test_apply_patch_replaces_definitions_adds_imports_and_new_names():
    reference = '"""doc"""\n\nimport numpy as np\n\nK = 1\n\n\n@decorate\ndef f(x):\n    return x\n\n\ndef g(x):\n    return K\n'
    patch = "# patch: reference\nimport math\nimport numpy as np\n\nK = 2\n\n\ndef f(x):\n    return -x\n\n\ndef h():\n    pass\n"
    out = apply_patch(reference, patch)
    assert out.count("import numpy as np") == 1 and "import math" in out
    assert "K = 2" in out and "K = 1" not in out and "@decorate" not in out and "return -x" in out
    assert "def g(x):\n    return K" in out and out.rstrip().endswith("def h():\n    pass")
    compile(out, "patched", "exec")


# --- the README's walk-through, followed in a fresh copy of the course -----------------------------------------


def test_readme_walkthrough_from_grade_new_to_validate(tmp_path):
    """The commands of "Add an exercise", in order, in a course without ex16; the writing steps copy the finished
    files of this repository's ex16_dropout (what an instructor writes by hand)."""
    walk = section("## Add an exercise")
    commands = re.findall(r"`(grade (?:new|validate)[^`]*)`", walk)
    assert commands[:4] == ["grade new ex16 --slug dropout", "grade validate ex16", "grade validate --fix ex16",
                            "grade validate ex16"], commands
    root = course(tmp_path, "ex05", without=("ex16_dropout",))
    env = {"GRADE_ROOT": str(root), "COLUMNS": "400"}
    run = lambda command: run_grade(*command.split()[1:], env=env)  # noqa: E731

    assert run(commands[0]).returncode == 0
    draft = run(commands[1])
    assert draft.returncode == 1 and "(write the title)" in draft.stdout and "not written yet" in draft.stdout
    for top in ("exercises", "solutions", "tests/submissions"):  # steps 2 to 6: writing
        target = root / top / "ex16_dropout"
        shutil.rmtree(target)
        shutil.copytree(ROOT / top / "ex16_dropout", target, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "exercises/ex16_dropout/stub.lock").unlink()  # as after editing the stub: --fix writes it
    assert run(commands[2]).returncode == 0
    done = run(commands[3])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 item, 0 problems" in done.stdout
