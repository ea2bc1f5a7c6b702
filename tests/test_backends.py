"""Keras exercises on the JAX backend (CPU): the reference scores full marks and every sample keeps its verdict."""

from __future__ import annotations

import json

import pytest

from grader.catalog import Catalog
from grader.judge import BACKENDS, Options, backend_for
from grader.validate import check_reference, check_sample, samples
from tests.conftest import ROOT, run_grade

pytest.importorskip("jax", reason="JAX is not installed (pip install dl-grader[jax])")

CATALOG = Catalog(ROOT)
KERAS = [e for e in CATALOG.items if e.kind == "exercise" and e.tensorflow
         and "jax" in (e.meta.get("backends") or BACKENDS)]
SAMPLES = [(e, s) for e in KERAS for s in samples(CATALOG, e)]


@pytest.fixture
def on_jax(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")


@pytest.mark.parametrize("exercise", KERAS, ids=lambda e: e.id)
def test_reference_scores_full_marks_on_jax(exercise, on_jax):
    assert check_reference(exercise, seed=11) == ""


@pytest.mark.parametrize("exercise,sample", SAMPLES, ids=[f"{e.id}/{s.path.stem}" for e, s in SAMPLES])
def test_sample_keeps_its_verdict_on_jax(exercise, sample, on_jax):
    assert check_sample(exercise, sample, seed=11) == ""


def test_tensorflow_only_exercise_says_it_ran_on_tensorflow():
    ex01 = CATALOG.resolve("ex01")
    assert backend_for(ex01, Options(backend="jax")) == "tensorflow"
    reference = next(p for p in ex01.solution_folder.glob("*.py") if p.name != "hidden_checks.py")
    proc = run_grade("ex01", "--backend", "jax", "--submission", str(reference), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["backend"] == "tensorflow" and data["score"] == data["max_score"]
    assert "jax" in data["output"] and "tensorflow" in data["output"]


def test_the_result_records_the_backend_asked_for():
    ex10 = CATALOG.resolve("ex10")
    reference = ex10.solution_folder / ex10.meta["file"]
    proc = run_grade("ex10", "--backend", "jax", "--submission", str(reference), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["backend"] == "jax" and data["device"].startswith("cpu") and data["score"] == data["max_score"]
