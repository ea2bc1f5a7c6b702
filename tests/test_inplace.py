"""Grading as students do it: the stub in exercises/ edited in place, then `grade ex05`.

Each test works on a temporary copy of the course (exercises/, solutions/, tests/submissions/): it pastes
reference code into the stub itself and runs `grade` in that copy, never with --submission. "Not attempted"
comes from the stub's fingerprints as shipped (stub.lock), not from the file the student edits.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from grader.catalog import LOCK_FILE, Catalog
from grader.checks import collect
from grader.source import fingerprints, read_lock
from tests.conftest import ROOT

NUMPY_EXERCISES = ("ex05", "ex06", "ex08")
#: For each numpy exercise, one function to fill in alone.
ONE_FUNCTION = {"ex05": "mean_squared_error", "ex06": "numerical_gradient", "ex08": "softmax"}
WORKFLOW = ROOT / "examples" / "github-actions-grade.yml"


def copy_course(into: Path) -> Path:
    """What an instructor's repository holds: exercises/, solutions/, the samples and the project files."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".grade_state.json")
    for folder in ("exercises", "solutions", "tests/submissions"):
        shutil.copytree(ROOT / folder, into / folder, ignore=ignore)
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, into / name)
    return into


@pytest.fixture
def course(tmp_path) -> Path:
    return copy_course(tmp_path / "course")


def grade(root: Path, *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300):
    """`python -m grader ARGS` run in ``cwd`` (default: the copy), the course found from GRADE_ROOT=root."""
    full_env = {**os.environ, "GRADE_ROOT": str(root), "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd or root, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def graded(proc: subprocess.CompletedProcess) -> dict:
    assert proc.stdout.strip().startswith("{"), proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(proc.stdout)


def statuses(result: dict) -> dict[str, str]:
    """Each check's own status (passed, failed, not_attempted) by its name."""
    return {t["feedback"]["check"]: t["feedback"]["status"] for t in result["tests"]}


def item(root: Path, name: str):
    return Catalog(root).resolve(name)


def paste_reference(root: Path, name: str) -> Path:
    """The reference solution copied over the stub, in place, as a student who pastes it would."""
    exercise = item(root, name)
    shutil.copyfile(exercise.reference_path, exercise.stub_path)
    return exercise.stub_path


def _function_lines(source: str, name: str) -> tuple[int, int]:
    """The 0-based line range [start, end) of the top-level function ``name``, decorators included."""
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            return start, node.end_lineno
    raise AssertionError(f"no function {name}")


def fill_one_function(root: Path, name: str, function: str) -> None:
    """The stub with exactly one function replaced by the reference's, every other line as shipped."""
    exercise = item(root, name)
    stub = exercise.stub_path.read_text(encoding="utf-8")
    reference = exercise.reference_path.read_text(encoding="utf-8")
    a, b = _function_lines(stub, function)
    c, d = _function_lines(reference, function)
    lines = stub.splitlines(keepends=True)
    lines[a:b] = reference.splitlines(keepends=True)[c:d]
    exercise.stub_path.write_text("".join(lines), encoding="utf-8")


def specs_of(root: Path, name: str, hidden: bool = True):
    exercise = item(root, name)
    specs = collect(exercise.public_checks_module(), hidden=False)
    return specs + (collect(exercise.hidden_checks_module(), hidden=True) if hidden else [])


# --- the course ships fingerprints ------------------------------------------------------------------


def test_every_exercise_ships_fingerprints_of_its_stub_as_it_is():
    for exercise in Catalog(ROOT).items:
        if exercise.kind != "exercise":
            continue
        lock = read_lock(exercise.folder / LOCK_FILE)
        assert lock is not None, f"{exercise.name}: no {LOCK_FILE}; run `grade validate --fix`"
        assert lock[0] == exercise.meta["file"]
        assert lock[1] == fingerprints(exercise.stub_path.read_text(encoding="utf-8")), (
            f"{exercise.name}: the stub changed since {LOCK_FILE} was written; run `grade validate --fix {exercise.id}`")
        assert exercise.fingerprints == lock[1]


def test_fingerprints_ignore_comments_blank_lines_and_docstrings_but_not_code():
    stub = 'import numpy as np\n\n\ndef f(x):\n    """Doc."""\n    # [[YOUR CODE]]\n    pass\n'
    same = 'import numpy as np\n\ndef f(x):\n    """다른 설명."""\n    pass  # thinking...\n'
    filled = 'import numpy as np\n\n\ndef f(x):\n    """Doc."""\n    return x\n'
    assert fingerprints(stub) == fingerprints(same)
    assert fingerprints(stub)["f"] != fingerprints(filled)["f"]
    assert re.fullmatch(r"[0-9a-f]{16}", fingerprints(stub)["f"])


# --- grade <id> in place ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NUMPY_EXERCISES)
def test_reference_pasted_in_place_scores_full_marks(course, name):
    paste_reference(course, name)
    proc = grade(course, name, "--format", "json", "--seed", "1")
    result = graded(proc)
    assert result["score"] == result["max_score"] > 0, statuses(result)
    assert set(statuses(result).values()) == {"passed"}
    assert proc.returncode == 0


@pytest.mark.parametrize("name", NUMPY_EXERCISES)
def test_untouched_stub_in_place_is_zero_and_every_check_not_attempted(course, name):
    proc = grade(course, name, "--format", "json", "--seed", "1")
    result = graded(proc)
    assert result["score"] == 0 and result["status"] == "not_attempted"
    assert set(statuses(result).values()) == {"not_attempted"}
    assert proc.returncode == 1


@pytest.mark.parametrize("name", NUMPY_EXERCISES)
def test_one_function_filled_in_place_earns_that_functions_checks_only(course, name):
    function = ONE_FUNCTION[name]
    fill_one_function(course, name, function)
    result = graded(grade(course, name, "--format", "json", "--seed", "1"))
    status = statuses(result)
    own = [s for s in specs_of(course, name) if set(s.needs) == {function}]
    others = [s for s in specs_of(course, name) if function not in s.needs]
    assert own and others
    assert all(status[s.name] == "passed" for s in own), status
    assert all(status[s.name] == "not_attempted" for s in others), status
    assert result["score"] == pytest.approx(sum(s.points for s in own))


def test_a_tensorflow_reference_pasted_in_place_scores_full_marks(course):
    paste_reference(course, "ex10")
    result = graded(grade(course, "ex10", "--format", "json", "--seed", "1", "--device", "cpu", timeout=600))
    assert result["score"] == result["max_score"] > 0, statuses(result)


def test_in_place_and_a_copy_graded_with_submission_agree(course, tmp_path):
    """The same file scores the same in place and as --submission from elsewhere: the stub file is not the yardstick."""
    paste_reference(course, "ex05")
    in_place = graded(grade(course, "ex05", "--format", "json", "--seed", "3"))
    elsewhere = shutil.copy(course / "exercises/ex05_losses/losses.py", tmp_path / "losses.py")
    apart = graded(grade(course, "ex05", "--format", "json", "--seed", "3", "--submission", str(elsewhere)))
    assert in_place["score"] == apart["score"] == in_place["max_score"]


# --- grade all, the release and the example workflow -----------------------------------------------


def test_grade_all_in_place_grades_what_was_filled_and_nothing_else(course):
    paste_reference(course, "ex05")
    fill_one_function(course, "ex08", "softmax")
    proc = grade(course, "all", "--format", "json", "--seed", "1", timeout=600)
    result = graded(proc)
    exercises = result["exercises"]
    assert exercises["ex05_losses"]["score"] == exercises["ex05_losses"]["max_score"] == 10
    softmax_points = sum(s.points for s in specs_of(course, "ex08") if set(s.needs) == {"softmax"})
    assert exercises["ex08_activations"]["score"] == pytest.approx(softmax_points)
    for name, entry in exercises.items():
        if name not in ("ex05_losses", "ex08_activations"):
            assert entry["score"] == 0 and entry["status"] == "not_attempted", (name, entry)
    assert result["score"] == pytest.approx(10 + softmax_points)
    assert proc.returncode == 1


@pytest.fixture
def release(course, tmp_path) -> Path:
    out = tmp_path / "release"
    proc = grade(course, "release", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def student_env(release: Path) -> dict:
    """A student's shell in the release: no GRADE_ROOT, the release's own grader first on the path."""
    env = {k: v for k, v in os.environ.items() if k != "GRADE_ROOT"}
    env.update(PYTHONPATH=str(release), NO_COLOR="1")
    return env


def test_the_release_carries_the_fingerprints_and_grades_in_place(course, release):
    for exercise in Catalog(release).items:
        if exercise.kind == "exercise":
            assert exercise.fingerprints == item(course, exercise.id).fingerprints
    stub = release / "exercises/ex05_losses/losses.py"
    shutil.copyfile(course / "solutions/ex05_losses/losses.py", stub)
    env = student_env(release)
    run = [sys.executable, "-m", "grader"]
    proc = subprocess.run([*run, "ex05", "--format", "json", "--seed", "1"], cwd=release, env=env,
                          capture_output=True, text=True, timeout=300)
    result = graded(proc)
    assert proc.returncode == 0 and result["score"] == result["max_score"] > 0
    assert all(t["visibility"] == "visible" for t in result["tests"])  # public checks only: no solutions/ here
    untouched = graded(subprocess.run([*run, "ex06", "--format", "json"], cwd=release, env=env,
                                      capture_output=True, text=True, timeout=300))
    assert set(statuses(untouched).values()) == {"not_attempted"}


def workflow_grade_command() -> str:
    """The `run:` of the example workflow's step named Grade (a one-line or a block command)."""
    lines = WORKFLOW.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\s*- name:\s*Grade\s*$", line))
    for i in range(start + 1, len(lines)):
        match = re.match(r"(\s*)run:\s*(.*)$", lines[i])
        if match is None:
            continue
        if match.group(2).strip() not in ("|", ">"):
            return match.group(2).strip()
        indent = len(match.group(1))
        block = []
        for line in lines[i + 1:]:
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            block.append(line.strip())
        return "\n".join(block).strip()
    raise AssertionError("the Grade step has no run:")


def test_the_example_workflow_grade_step_runs_as_written_in_a_student_repository(course, release):
    command = workflow_grade_command()
    assert command.startswith("grade all")
    for name in NUMPY_EXERCISES:
        shutil.copyfile(course / "solutions" / item(course, name).name / item(course, name).meta["file"],
                        release / "exercises" / item(course, name).name / item(course, name).meta["file"])
    env = student_env(release)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `grade`, as pip installs it
    env.pop("GITHUB_STEP_SUMMARY", None)
    proc = subprocess.run(["bash", "-c", command], cwd=release, env=env, capture_output=True, text=True, timeout=900)
    report = ET.parse(release / "grade-results.xml").getroot()
    cases = list(report.iter("testcase"))
    assert cases
    for name in NUMPY_EXERCISES:
        mine = [c for c in cases if item(course, name).name in (c.get("classname", "") + c.get("name", ""))]
        assert mine and not any(c.find("failure") is not None or c.find("error") is not None for c in mine), name
    others = [c for c in cases if "ex01_tensors" in (c.get("classname", "") + c.get("name", ""))]
    assert others and all(c.find("failure") is not None or c.find("skipped") is not None for c in others)
    # three numpy exercises are far below --min-score 60: the step fails, as it should for this student
    assert proc.returncode == 1, proc.stderr[-2000:]


# --- grade validate's in-place check and the fingerprints' upkeep -----------------------------------


def test_validate_checks_the_reference_in_place_and_reports_stale_fingerprints(course):
    from grader.instructor.validate import check_reference, fingerprint_problem

    exercise = item(course, "ex05")
    assert check_reference(exercise, seed=1) == ""
    assert fingerprint_problem(exercise) == ""
    lock = (exercise.folder / LOCK_FILE).read_text(encoding="utf-8")
    reference_prints = fingerprints(exercise.reference_path.read_text(encoding="utf-8"))
    for function, value in reference_prints.items():  # as if --fix ran on a stub with the answers pasted in
        lock = re.sub(rf'^{function} = "[0-9a-f]+"', f'{function} = "{value}"', lock, flags=re.M)
    (exercise.folder / LOCK_FILE).write_text(lock, encoding="utf-8")
    assert "not written yet" in check_reference(item(course, "ex05"), seed=1)
    assert "stub differs from its fingerprints" in fingerprint_problem(item(course, "ex05"))


def test_validate_fix_rewrites_the_fingerprints_after_the_instructor_changes_the_stub(course):
    stub = course / "exercises/ex05_losses/losses.py"
    stub.write_text(stub.read_text(encoding="utf-8").replace("def mean_absolute_error(y, t):",
                                                             "def mean_absolute_error(y, t, axis=None):"))
    proc = grade(course, "validate", "--static", "ex05", env={"COLUMNS": "400"})
    assert proc.returncode == 1 and "mean_absolute_error" in proc.stdout and "--fix" in proc.stdout
    # for a student the same difference only means "attempted": without solutions/ it is no problem
    student = copy_course(course.parent / "student")
    shutil.rmtree(student / "solutions")
    shutil.copyfile(stub, student / "exercises/ex05_losses/losses.py")
    from grader.instructor.validate import fingerprint_problem

    assert fingerprint_problem(item(student, "ex05")) == ""
    fixed = grade(course, "validate", "--fix", "--static", "ex05")
    assert fixed.returncode == 0, fixed.stdout
    assert "stub.lock" in fixed.stdout
    result = graded(grade(course, "ex05", "--format", "json"))
    assert set(statuses(result).values()) == {"not_attempted"}
