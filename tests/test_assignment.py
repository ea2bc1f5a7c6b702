"""`grade all`: one summary for a whole submission, CI formats, minimum score, TensorFlow imported once."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from grader.assignment import find_submission_file, grade_assignment
from grader.catalog import Catalog
from grader.judge import Options
from tests.conftest import ROOT, run_grade
from grader.assignment import reference_submission
from tests.helpers_assignment import stub_submission

CATALOG = Catalog(ROOT)


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    return reference_submission(CATALOG, tmp_path_factory.mktemp("refs"))


@pytest.fixture(scope="module")
def reference_json(references, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "all.json"
    proc = run_grade("all", "--submission", str(references), "--format", "json", "--output", str(out), "--seed", "3", timeout=900)
    return proc, json.loads(out.read_text())


def test_grade_all_on_references_gives_full_marks_and_exit_0(reference_json):
    proc, result = reference_json
    failing = [t["name"] + ": " + t["output"][:200] for t in result["tests"] if t["status"] != "passed"]
    assert failing == []
    assert result["score"] == result["max_score"] > 0
    assert proc.returncode == 0
    assert set(result["exercises"]) == {e.name for e in CATALOG.items}


def test_grade_all_json_numbers_tests_exercise_dot_check(reference_json):
    _, result = reference_json
    numbers = [t["number"] for t in result["tests"]]
    assert len(numbers) == len(set(numbers))
    assert all(n.split(".")[0].startswith(("ex", "q")) and n.split(".")[1].isdigit() for n in numbers)


def test_grade_all_on_stubs_scores_zero_and_exits_1(tmp_path):
    stubs = stub_submission(CATALOG, tmp_path / "stubs")
    proc = run_grade("all", "--submission", str(stubs), "--format", "json", timeout=600)
    result = json.loads(proc.stdout)
    assert proc.returncode == 1 and result["score"] == 0
    assert all(e["status"] == "not_attempted" for e in result["exercises"].values())


def test_missing_student_file_counts_as_not_attempted(tmp_path):
    sub = reference_submission(CATALOG, tmp_path / "s", only={"ex05"})
    result = grade_assignment(CATALOG, sub, Options(seed=1))
    by_name = {r.exercise: r for r in result.results}
    assert by_name["ex05_losses"].passed
    others = [r for name, r in by_name.items() if name != "ex05_losses"]
    assert others and all(r.status == "not_attempted" and r.score == 0 for r in others)


def test_zip_submission_is_graded_like_a_folder(tmp_path):
    sub = reference_submission(CATALOG, tmp_path / "student" / "exercises", only={"ex05"})
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sub.rglob("*"):
            z.write(path, Path("exercises") / path.relative_to(sub))
    result = grade_assignment(CATALOG, archive, Options(seed=1))
    assert {r.exercise: r.status for r in result.results}["ex05_losses"] == "passed"


def test_corrupt_zip_is_reported_and_scores_zero(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    proc = run_grade("all", "--submission", str(bad), "--format", "json", "--lang", "en")
    result = json.loads(proc.stdout)
    assert proc.returncode == 1 and result["score"] == 0
    assert "Cannot open the submission" in result["output"]


def test_zip_with_unsafe_paths_is_refused(tmp_path):
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../../escape.py", "x = 1")
    result = grade_assignment(CATALOG, bad, Options(seed=1))
    assert result.problem is not None and result.score == 0
    assert not (tmp_path.parent / "escape.py").exists()


def test_tensorflow_is_imported_once_per_submission(tmp_path, monkeypatch):
    from grader.sandbox import launcher

    launcher.close_all()  # no warm worker yet: count how many this submission starts
    started = []
    original = launcher.Zygote._start

    def spy(self):
        started.append(self.tensorflow)
        return original(self)

    monkeypatch.setattr(launcher.Zygote, "_start", spy)
    tf_ids = {e.id for e in CATALOG.items if e.tensorflow}
    assert len(tf_ids) >= 2
    sub = reference_submission(CATALOG, tmp_path / "s", only=tf_ids | {"ex05"})
    result = grade_assignment(CATALOG, sub, Options(seed=2))
    assert all(r.passed for r in result.results if r.exercise.split("_")[0] in tf_ids)
    assert started.count(True) == 1  # one TensorFlow worker for every Keras exercise and the oracle


def test_junit_output_parses_with_a_junit_reader_and_validates_against_the_schema(tmp_path):
    import xmlschema
    from junitparser import JUnitXml

    sub = reference_submission(CATALOG, tmp_path / "s", only={"ex05"})
    shutil.copy(ROOT / "tests/submissions/ex05_losses/wrong_mse_mean.py", sub / "ex05_losses" / "losses.py")
    out = tmp_path / "junit.xml"
    proc = run_grade("all", "--submission", str(sub), "--format", "junit", "--output", str(out), "--lang", "en")
    assert proc.returncode == 1
    xmlschema.XMLSchema(str(ROOT / "tests/data/junit.xsd")).validate(str(out))
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(out))}
    assert set(suites) == {e.name for e in CATALOG.items}
    losses = suites["ex05_losses"]
    failed = [case.name for case in losses if not case.is_passed]
    assert any(name.startswith("mse_lesson_example") for name in failed)
    assert losses.failures == len(failed) and losses.tests == len(list(losses))


def test_markdown_summary_is_appended_to_github_step_summary(tmp_path):
    sub = reference_submission(CATALOG, tmp_path / "s", only={"ex05"})
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n")
    proc = run_grade("all", "--submission", str(sub), "--format", "markdown", "--lang", "en",
                     env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text()
    assert text.startswith("previous step\n")
    assert "| ex05_losses |" in text and "✅" in text
    assert "| ex05_losses |" in proc.stdout


@pytest.mark.parametrize("minimum,code", [(1, 0), (99, 1)])
def test_min_score_sets_the_exit_code(tmp_path, minimum, code):
    sub = reference_submission(CATALOG, tmp_path / "s", only={"ex05"})
    proc = run_grade("all", "--submission", str(sub), "--format", "json", "--min-score", str(minimum))
    assert proc.returncode == code


def test_student_files_are_found_in_nested_or_flat_layouts(tmp_path):
    exercise = CATALOG.resolve("ex05")
    for layout in ("ex05_losses/losses.py", "exercises/ex05_losses/losses.py", "losses.py"):
        folder = tmp_path / layout.replace("/", "_")
        (folder / layout).parent.mkdir(parents=True)
        (folder / layout).write_text("x = 1\n")
        assert find_submission_file(exercise, folder) == folder / layout
