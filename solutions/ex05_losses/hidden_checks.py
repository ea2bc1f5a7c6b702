"""ex05 hidden checks: random rows and batches, fresh every run, compared with the reference."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)


def _probabilities(rng, shape, zeros=True):
    y = rng.random(shape) ** 2
    if zeros:
        y[rng.random(shape) < 0.2] = 0.0
    return y / np.maximum(y.sum(axis=-1, keepdims=True), 1e-12)


def _one_hot(rng, rows, classes):
    return np.eye(classes)[rng.integers(0, classes, size=rows)]


def _tiny_at_answer(rng, shape, tiny):
    """Probabilities whose answer holds ``tiny`` (1e-6, 1e-5): where log(y + 1e-7) and log(clip(y, 1e-7, 1))
    differ by far more than the tolerance, so that the two are told apart on every run, not on some seeds."""
    t = _one_hot(rng, 1 if len(shape) == 1 else shape[0], shape[-1])
    y = _probabilities(rng, shape, zeros=False) * (1 - tiny)
    y = np.where(t.reshape(y.shape) == 1, tiny, y)
    return y / y.sum(axis=-1, keepdims=True), t.reshape(y.shape)


def _cases(rng):
    cases = []
    for _ in range(3):
        classes = int(rng.integers(3, 12))
        cases.append((_probabilities(rng, classes), _one_hot(rng, 1, classes)[0]))
        rows = int(rng.integers(2, 9))
        cases.append((_probabilities(rng, (rows, classes)), _one_hot(rng, rows, classes)))
    # the deciding cases, in every run: a tiny probability at the answer, in a row and in a batch
    cases.append(_tiny_at_answer(rng, (int(rng.integers(3, 12)),), 1e-6))
    cases.append(_tiny_at_answer(rng, (int(rng.integers(2, 9)), int(rng.integers(3, 12))), 1e-5))
    return cases


@check(title={"ko": "MSE: 무작위 입력", "en": "MSE: random inputs"}, points=2.5, needs="mean_squared_error")
def mse_random(ctx):
    ctx.expect_cases("mean_squared_error", _cases(ctx.rng), ctx.reference.mean_squared_error, mistakes=public.MSE_MISTAKES)


@check(title={"ko": "교차 엔트로피: 무작위 입력과 배치", "en": "Cross-entropy: random rows and batches"}, points=2.5,
       needs="cross_entropy_error")
def cee_random(ctx):
    ctx.expect_cases("cross_entropy_error", _cases(ctx.rng), ctx.reference.cross_entropy_error, rtol=1e-4,
                     mistakes=public.CEE_MISTAKES)


@check(title={"ko": "MAE: 무작위 입력", "en": "MAE: random inputs"}, points=2, needs="mean_absolute_error")
def mae_random(ctx):
    ctx.expect_cases("mean_absolute_error", _cases(ctx.rng), ctx.reference.mean_absolute_error)
