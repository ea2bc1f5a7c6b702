"""Instructor outputs: the student release leaks nothing from solutions/, the autograder always writes results."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.instructor.autograder import build_autograder
from grader.instructor.release import build_release
from tests.conftest import ROOT

CATALOG = Catalog(ROOT)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "course"
    build_release(CATALOG, out)
    return out


def _public_lines() -> set[str]:
    """Lines students may see anyway: every exercise folder and the grader package."""
    folders = [ROOT / "exercises", ROOT / "grader"]
    return {line.strip() for folder in folders for path in folder.rglob("*")
            if path.is_file() and path.suffix in (".py", ".md", ".toml")
            for line in path.read_text(encoding="utf-8").splitlines()}


def test_release_has_no_line_of_any_reference_or_hidden_check(release):
    released = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in release.rglob("*") if p.is_file())
    released_lines = {line.strip() for line in released.splitlines()}
    assert not (release / "solutions").exists()
    public = _public_lines()
    for item in CATALOG.items:
        if item.solution_folder is None:
            continue
        for secret in item.solution_folder.rglob("*"):
            if not secret.is_file() or secret.suffix not in (".py", ".toml"):
                continue
            for line in secret.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if len(line) < 12 or line in public or line.startswith(("import ", "from ", "#", '"""')):
                    continue
                assert line not in released_lines, f"{secret.relative_to(ROOT)}: {line!r} leaked"


def test_release_quiz_keys_are_hashed_not_plain(release):
    from grader import quiz

    for item in CATALOG.items:
        if item.kind != "quiz":
            continue
        public_key = (release / "exercises" / item.name / quiz.PUBLIC_KEY_FILE).read_text(encoding="utf-8")
        assert not (release / "exercises" / item.name / quiz.KEY_FILE).exists()
        loaded = quiz.load_quiz(item, public=False)
        for question in loaded.questions:
            if question.kind == "text":
                for answer in loaded.key.entries[question.id]["answer"]:
                    assert f'"{answer}"' not in public_key


def test_grade_works_inside_the_release_on_the_stubs(release):
    env = {k: v for k, v in os.environ.items() if k != "GRADE_ROOT"}
    env.update(PYTHONPATH=str(release), NO_COLOR="1")
    listing = subprocess.run([sys.executable, "-m", "grader", "list", "--lang", "en"], cwd=release, env=env,
                             capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0 and "ex05_losses" in listing.stdout
    proc = subprocess.run([sys.executable, "-m", "grader", "all", "--format", "json", "--lang", "en"], cwd=release,
                          env=env, capture_output=True, text=True, timeout=600)
    result = json.loads(proc.stdout)
    assert proc.returncode == 1 and result["score"] == 0
    assert all(t["visibility"] == "visible" for t in result["tests"])  # no hidden checks without solutions/


def test_release_quiz_checks_answers_locally_with_the_hashed_key(release, tmp_path):
    import tomli_w

    from grader import quiz

    item = next(i for i in CATALOG.items if i.kind == "quiz")
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(quiz.right_answers(quiz.load_quiz(item, public=False))))
    env = {k: v for k, v in os.environ.items() if k != "GRADE_ROOT"}
    env.update(PYTHONPATH=str(release), NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "grader", item.id, "--answers", str(answers), "--format", "json"],
                          cwd=release, env=env, capture_output=True, text=True, timeout=120)
    result = json.loads(proc.stdout)
    assert proc.returncode == 0 and result["score"] == result["max_score"]


def _fake_autograder(tmp_path: Path, submission_files: dict[str, str]) -> tuple[Path, subprocess.CompletedProcess]:
    root = tmp_path / "autograder"
    archive = tmp_path / "autograder.zip"
    build_autograder(CATALOG, archive)
    with zipfile.ZipFile(archive) as z:
        z.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    for name, text in submission_files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "GRADE_ROOT"}
    env.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable, PYTHONPATH=str(root / "source"), GRADE_SEED="1")
    proc = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=900)
    return root, proc


def test_autograder_grades_a_submission_with_hidden_checks(tmp_path):
    reference = (ROOT / "solutions/ex05_losses/losses.py").read_text()
    root, proc = _fake_autograder(tmp_path, {"losses.py": reference})
    assert proc.returncode == 0
    result = json.loads((root / "results" / "results.json").read_text())
    ex05 = [t for t in result["tests"] if t["name"].startswith("ex05_losses")]
    assert ex05 and all(t["status"] == "passed" for t in ex05)
    assert any(t["visibility"] == "after_due_date" for t in ex05)


def test_autograder_writes_results_even_when_the_grader_cannot_run(tmp_path):
    root, proc = _fake_autograder(tmp_path, {"losses.py": "import sys\nsys.exit(3)\n"})
    (root / "source" / "grader" / "cli" / "__init__.py").write_text("raise SystemExit(99)\n")  # break the grader itself
    env = {k: v for k, v in os.environ.items() if k != "GRADE_ROOT"}
    env.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable, PYTHONPATH=str(root / "source"))
    (root / "results" / "results.json").unlink()
    broken = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=300)
    assert broken.returncode == 0
    result = json.loads((root / "results" / "results.json").read_text())
    assert result["score"] == 0 and "failed" in result["output"]


def test_autograder_zip_contains_hidden_checks_and_executable_scripts(tmp_path):
    archive = tmp_path / "a.zip"
    names = build_autograder(CATALOG, archive)
    assert "setup.sh" in names and "run_autograder" in names
    assert any(n.startswith("solutions/") and n.endswith("hidden_checks.py") for n in names)
    with zipfile.ZipFile(archive) as z:
        assert (z.getinfo("run_autograder").external_attr >> 16) & 0o111


def test_the_course_has_no_drafts_so_release_and_autograder_accept_it():
    from grader.instructor.validate import drafts

    assert drafts(CATALOG) == {}


def test_release_and_autograder_carry_each_stubs_fingerprints(release, tmp_path):
    """In-place grading in the release (and "not attempted" in the autograder) needs the shipped stub's fingerprints."""
    from grader.catalog import LOCK_FILE
    from grader.source import fingerprints, read_lock

    archive = tmp_path / "a.zip"
    build_autograder(CATALOG, archive)
    with zipfile.ZipFile(archive) as z:
        zipped = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(LOCK_FILE)}
    for item in CATALOG.items:
        if item.kind != "exercise":
            continue
        expected = fingerprints(item.stub_path.read_text(encoding="utf-8"))
        assert read_lock(release / "exercises" / item.name / LOCK_FILE) == (item.meta["file"], expected)
        copy = tmp_path / item.name / LOCK_FILE
        copy.parent.mkdir()
        copy.write_text(zipped[f"exercises/{item.name}/{LOCK_FILE}"], encoding="utf-8")
        assert read_lock(copy) == (item.meta["file"], expected)
