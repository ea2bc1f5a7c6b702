"""The closed forms the numpy exercises are graded with, checked once against Keras itself.

ex13 (learning-rate schedules) and ex07 (parameter counts) are numpy exercises: grading them never starts
TensorFlow. What they are compared with is a closed form of what Keras computes; this test (one TensorFlow start,
in a subprocess) checks those forms against Keras' own CosineDecay, ExponentialDecay, count_params() and Flatten.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from grader.catalog import Catalog, load_module
from tests.conftest import ROOT

CATALOG = Catalog(ROOT)

COSINE_CASES = [(0.1, 0, 1000, 0.0), (0.1, 250, 1000, 0.0), (0.1, 500, 1000, 0.0), (0.05, 999, 1000, 0.1),
                (1.0, 1000, 1000, 0.2), (0.3, 1500, 1000, 0.0), (0.3, 4000, 1000, 0.25), (0.01, 7, 13, 0.5)]
EXPONENTIAL_CASES = [(0.1, 1, 0.9, 0), (0.1, 1, 0.9, 7), (0.5, 10, 0.5, 25), (0.02, 3, 0.7, 9), (1.0, 4, 0.8, 13)]
ARCHITECTURES = [((784,), [100, 10]), ((28, 28), [300, 100, 10]), ((100, 100, 3), [400, 200, 100]), ((5,), [1]),
                 ((7, 3, 2), [13, 1, 9, 4]), ((1,), [1])]

KERAS = r"""
import json, math, sys
import keras
cases = json.loads(sys.stdin.read())
out = {"cosine": [float(keras.optimizers.schedules.CosineDecay(lr0, total, alpha=alpha)(t))
                  for lr0, t, total, alpha in cases["cosine"]],
       "exponential": [float(keras.optimizers.schedules.ExponentialDecay(lr0, steps, rate, staircase=stair)(t))
                       for lr0, steps, rate, t, stair in cases["exponential"]],
       "models": []}
for shape, units in cases["architectures"]:
    model = keras.Sequential([keras.Input(shape=tuple(shape)), keras.layers.Flatten()]
                             + [keras.layers.Dense(n) for n in units])
    dense = keras.layers.Dense(units[0])
    dense.build((None, int(math.prod(shape))))
    out["models"].append([int(model.layers[0].output.shape[-1]), int(model.count_params()), int(dense.count_params())])
print(json.dumps(out))
"""


def _keras_values() -> dict:
    cases = {
        "cosine": COSINE_CASES,
        "exponential": [(*c, stair) for c in EXPONENTIAL_CASES for stair in (False, True)],
        "architectures": ARCHITECTURES,
    }
    done = subprocess.run([sys.executable, "-c", KERAS], input=json.dumps(cases), capture_output=True, text=True,
                          timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_closed_forms_match_keras():
    ex13 = load_module(CATALOG.resolve("ex13").folder / "checks.py", "_test_schedules.ex13")
    ex07 = load_module(CATALOG.resolve("ex07").folder / "checks.py", "_test_schedules.ex07")
    keras_values = _keras_values()
    # cosine decay: Keras computes in float32
    ours = [ex13.keras_cosine_decay(*c) for c in COSINE_CASES]
    assert np.allclose(ours, keras_values["cosine"], rtol=1e-5, atol=1e-7), (ours, keras_values["cosine"])
    # exponential decay, continuous and staircase
    cases = [(*c, stair) for c in EXPONENTIAL_CASES for stair in (False, True)]
    ours = [ex13.keras_exponential_decay(lr0, steps, rate, t, staircase=stair) for lr0, steps, rate, t, stair in cases]
    assert np.allclose(ours, keras_values["exponential"], rtol=1e-5, atol=1e-7)
    # the exercise's step and exponential decay are those schedules
    assert np.isclose(ex13.closed_step_decay(0.5, 0.5, 10, 25), keras_values["exponential"][5], rtol=1e-6)
    # parameter counts and Flatten sizes
    for (shape, units), (flat, params, dense) in zip(ARCHITECTURES, keras_values["models"]):
        assert ex07.keras_flatten_size(shape) == flat
        assert ex07.keras_mlp_params(flat, units) == params
        assert ex07.keras_dense_params(flat, units[0]) == dense


def test_references_agree_with_the_closed_forms():
    ex13 = load_module(CATALOG.resolve("ex13").folder / "checks.py", "_test_schedules.ex13")
    reference = CATALOG.resolve("ex13").reference_module()
    for lr0, t, total, alpha in COSINE_CASES:
        assert np.isclose(reference.cosine_decay(lr0, t, total, alpha), ex13.keras_cosine_decay(lr0, t, total, alpha))
    for lr0, drop, epochs_drop, epoch in [(0.1, 0.5, 10, 0), (0.1, 0.5, 10, 10), (0.1, 0.5, 10, 29), (0.3, 0.9, 3, 8)]:
        assert np.isclose(reference.step_decay(lr0, drop, epochs_drop, epoch),
                          ex13.closed_step_decay(lr0, drop, epochs_drop, epoch))
    for lr0, k, t in [(0.1, 0.1, 0), (0.1, 0.1, 10), (1.0, 0.05, 33)]:
        assert np.isclose(reference.exponential_decay(lr0, k, t), ex13.closed_exponential_decay(lr0, k, t))


def test_grading_numpy_exercises_never_starts_tensorflow():
    """No exercise metadata asks for the TensorFlow oracle any more; ex07 and ex13 are numpy exercises."""
    for name in ("ex07", "ex13"):
        exercise = CATALOG.resolve(name)
        assert not exercise.tensorflow
        assert not exercise.meta.get("oracle_tensorflow")
        hidden = exercise.hidden_checks_path.read_text(encoding="utf-8")
        assert "oracle_run" not in hidden
