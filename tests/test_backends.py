"""Keras exercises on the other backends (CPU): every reference scores full marks and every sample keeps its
verdict, through the instructor's own `grade validate --backend B` (JAX in CI; PyTorch where it is installed)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from grader.catalog import Catalog
from grader.judge import BACKENDS, Options, backend_for
from tests.conftest import ROOT, run_grade

CATALOG = Catalog(ROOT)


def keras_exercises(backend: str) -> list[str]:
    return [e.id for e in CATALOG.items if e.kind == "exercise" and e.tensorflow
            and backend in (e.meta.get("backends") or BACKENDS)]


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_every_reference_and_sample_keeps_its_verdict_on_the_backend(backend):
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed (pip install dl-grader[{backend}])")
    ids = keras_exercises(backend)
    assert len(ids) >= 6
    proc = run_grade("validate", "--backend", backend, "--seed", "11", *ids, env={"COLUMNS": "250"}, timeout=1800)
    failing = [line for line in proc.stdout.splitlines() if "✗" in line]
    assert proc.returncode == 0, "\n".join(failing) or proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"{len(ids)} items, 0 problems" in proc.stdout


def test_tensorflow_only_exercise_says_it_ran_on_tensorflow():
    ex01 = CATALOG.resolve("ex01")
    assert backend_for(ex01, Options(backend="jax")) == "tensorflow"
    reference = next(p for p in ex01.solution_folder.glob("*.py") if p.name != "hidden_checks.py")
    proc = run_grade("ex01", "--backend", "jax", "--submission", str(reference), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["backend"] == "tensorflow" and data["score"] == data["max_score"]
    assert "jax" in data["output"] and "tensorflow" in data["output"]


def test_the_result_records_the_backend_asked_for():
    pytest.importorskip("jax", reason="JAX is not installed (pip install dl-grader[jax])")
    ex10 = CATALOG.resolve("ex10")
    reference = ex10.solution_folder / ex10.meta["file"]
    proc = run_grade("ex10", "--backend", "jax", "--submission", str(reference), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["backend"] == "jax" and data["device"].startswith("cpu") and data["score"] == data["max_score"]
