"""Every exercise: the reference scores full marks, the stub scores 0 as not attempted,
each wrong sample fails the check it targets and each correct sample passes (through `grade validate`)."""

from __future__ import annotations

import pytest

from grader.catalog import Catalog
from grader.instructor.samples import samples
from grader.instructor.validate import check_metadata
from tests.conftest import ROOT, run_grade

CATALOG = Catalog(ROOT)
EXERCISES = [e for e in CATALOG.items if e.kind == "exercise"]


def _id(item):
    return item.name if hasattr(item, "name") else str(item)


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_metadata_complete_in_both_languages(exercise):
    assert check_metadata(exercise) == []


def test_grade_validate_passes_every_reference_stub_and_sample():
    # `make test` grades each sample once: here, through the instructor's own command (parallel, warm workers):
    # every reference in place scores full marks, every stub 0 as not attempted, every sample keeps its verdict
    proc = run_grade("validate", "--seed", "11", env={"COLUMNS": "250"}, timeout=900)
    failing = [line for line in proc.stdout.splitlines() if "✗" in line]
    assert proc.returncode == 0, "\n".join(failing) or proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"{len(CATALOG.items)} items, 0 problems" in proc.stdout


def test_every_exercise_has_three_wrong_and_one_correct_sample():
    for exercise in EXERCISES:
        kinds = [s.kind for s in samples(CATALOG, exercise)]
        assert kinds.count("wrong") >= 3, exercise.name
        assert kinds.count("correct") >= 1, exercise.name


def test_lesson_gradient_descent_loses_only_the_aliasing_point():
    """The lesson's gradient_descent (x = init_x; x -= lr * grad) changes the caller's init_x: one check of its own
    teaches that (half a point); every value check judges only the returned x."""
    from grader.judge import Options, grade

    exercise = CATALOG.resolve("ex06")
    path = ROOT / "tests" / "submissions" / exercise.name / "wrong_descent_in_place.py"
    result = grade(exercise, path, Options(seed=11))
    lost = {c.name: c.max_points - c.points for c in result.checks if c.points < c.max_points}
    assert lost == {"descent_keeps_init_x": 0.5}


def test_every_lesson_has_its_samples():
    """The code answers printed in the lessons (../shared/lessons) are kept as correct_lesson_* samples."""
    names = {f"{e.id}/{s.path.stem}" for e in EXERCISES for s in samples(CATALOG, e)}
    for expected in ("ex01/correct_lesson_tensors", "ex02/correct_lesson_sequential", "ex03/correct_lesson_functional",
                     "ex04/correct_lesson_subclassing", "ex05/correct_lesson_losses", "ex07/correct_lesson_formula",
                     "ex07/correct_lesson_keras_count", "ex08/correct_lesson_formulas",
                     "ex09/correct_lesson_two_layer_net", "ex11/correct_lesson_regression",
                     "ex12/correct_lesson_callbacks", "ex13/correct_lesson_formulas", "ex14/correct_lesson_optimizers"):
        assert expected in names, expected
