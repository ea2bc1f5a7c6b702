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
