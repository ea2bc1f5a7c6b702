"""Every exercise: the reference scores full marks, the stub scores 0 as not attempted,
each wrong sample fails the check it targets and each correct sample passes."""

from __future__ import annotations

import pytest

from grader.catalog import Catalog
from grader.validate import check_metadata, check_reference, check_sample, check_stub, samples
from tests.conftest import ROOT

CATALOG = Catalog(ROOT)
EXERCISES = [e for e in CATALOG.items if e.kind == "exercise"]
SAMPLES = [(e, s) for e in EXERCISES for s in samples(CATALOG, e)]


def _id(item):
    return item.name if hasattr(item, "name") else str(item)


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_metadata_complete_in_both_languages(exercise):
    assert check_metadata(exercise) == []


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_reference_scores_full_marks(exercise):
    assert check_reference(exercise, seed=11) == ""


@pytest.mark.parametrize("exercise", EXERCISES, ids=_id)
def test_stub_scores_zero_as_not_attempted(exercise):
    assert check_stub(exercise, seed=11) == ""


@pytest.mark.parametrize("exercise,sample", SAMPLES, ids=[f"{e.id}/{s.path.stem}" for e, s in SAMPLES])
def test_sample_submission_verdict(exercise, sample):
    assert check_sample(exercise, sample, seed=11) == ""


def test_every_exercise_has_three_wrong_and_one_correct_sample():
    for exercise in EXERCISES:
        kinds = [s.kind for s in samples(CATALOG, exercise)]
        assert kinds.count("wrong") >= 3, exercise.name
        assert kinds.count("correct") >= 1, exercise.name


def test_lesson_gradient_descent_loses_only_the_aliasing_point():
    """The lesson's gradient_descent (x = init_x; x -= lr * grad) changes the caller's init_x: one check of its own
    teaches that (1 point); every value check judges only the returned x."""
    from grader.judge import Options, grade

    exercise = CATALOG.resolve("ex06")
    path = ROOT / "tests" / "submissions" / exercise.name / "wrong_descent_in_place.py"
    result = grade(exercise, path, Options(seed=11))
    lost = {c.name: c.max_points - c.points for c in result.checks if c.points < c.max_points}
    assert lost == {"descent_keeps_init_x": 1.0}


def test_every_lesson_has_its_samples():
    """The code answers printed in the lessons (../shared/lessons) are kept as correct_lesson_* samples."""
    names = {f"{e.id}/{s.path.stem}" for e in EXERCISES for s in samples(CATALOG, e)}
    for expected in ("ex01/correct_lesson_tensors", "ex02/correct_lesson_sequential", "ex03/correct_lesson_functional",
                     "ex04/correct_lesson_subclassing", "ex05/correct_lesson_losses", "ex07/correct_lesson_formula",
                     "ex07/correct_lesson_keras_count", "ex08/correct_lesson_formulas",
                     "ex09/correct_lesson_two_layer_net", "ex11/correct_lesson_regression",
                     "ex12/correct_lesson_callbacks", "ex13/correct_lesson_formulas", "ex14/correct_lesson_optimizers"):
        assert expected in names, expected
