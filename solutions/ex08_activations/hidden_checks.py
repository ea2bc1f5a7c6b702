"""ex08 hidden checks: random arrays of random shapes (1-D to 3-D), fresh every run, compared with the reference."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)


def _arrays(rng, n=4, scale=6.0, last=1):
    """Random arrays of 1 to 3 axes (the last one at least ``last`` long), with some exact zeros."""
    out = []
    for _ in range(n):
        shape = tuple(int(k) for k in rng.integers(1, 6, size=int(rng.integers(1, 4))))
        shape = shape[:-1] + (max(shape[-1], last),)
        x = rng.uniform(-scale, scale, shape)
        x[rng.random(shape) < 0.15] = 0.0
        out.append(x)
    return out


@check(title={"ko": "계단·시그모이드·tanh·ReLU·미분: 무작위 배열", "en": "Step, sigmoid, tanh, ReLU, derivative: random arrays"},
       points=3.5, needs=("step_function", "sigmoid", "tanh", "relu", "sigmoid_grad"))
def elementwise_random(ctx):
    ref = ctx.reference
    for name, mistakes in (("step_function", public.STEP_MISTAKES), ("sigmoid", ()), ("tanh", ()), ("relu", ()),
                           ("sigmoid_grad", public.SIGMOID_GRAD_MISTAKES)):
        cases = [(x,) for x in _arrays(ctx.rng)]
        ctx.expect_cases(name, cases, getattr(ref, name), label=f"{name}(x)", rtol=public.RTOL, atol=public.ATOL,
                         mistakes=mistakes)
        if name == "step_function":
            public.expect_not_bool(ctx, ctx.call(name, cases[0][0], label="step_function(x)"), "step_function(x)")


@check(points=3, title={"ko": "Leaky ReLU·ELU: 무작위 배열과 alpha", "en": "Leaky ReLU, ELU: random arrays and alpha"},
       needs=("leaky_relu", "elu"))
def parametric_random(ctx):
    ref = ctx.reference
    rng = ctx.rng
    for name, mistakes in (("leaky_relu", public.LEAKY_MISTAKES), ("elu", public.ELU_MISTAKES)):
        cases = [(x, float(rng.uniform(0.05, 0.5)) if name == "leaky_relu" else float(rng.uniform(0.5, 2.0)))
                 for x in _arrays(rng)]
        ctx.expect_cases(name, cases, getattr(ref, name), label=f"{name}(x, alpha)", rtol=public.RTOL,
                         atol=public.ATOL, mistakes=mistakes)


@check(title={"ko": "소프트맥스: 무작위 배열, 큰 값, 여러 행", "en": "Softmax: random arrays, large values, several rows"},
       points=3, needs="softmax")
def softmax_random(ctx):
    rng = ctx.rng
    cases = []
    for i, x in enumerate(_arrays(rng, n=6, scale=5.0, last=2)):
        if x.ndim == 1 and i % 2:
            x = np.stack([x, x[::-1] * 2])  # make sure several rows are checked
        if i >= 3:  # shift rows by ±750..1000: exp overflows (or underflows to 0/0) unless the maximum is subtracted
            rows = x.shape[:-1] + (1,)
            x = x + rng.choice([-1.0, 1.0], rows) * rng.uniform(750.0, 1000.0, rows)
        cases.append((x,))
    ctx.expect_cases("softmax", cases, ctx.reference.softmax, label="softmax(x)", rtol=public.RTOL,
                     atol=public.ATOL, mistakes=public.SOFTMAX_MISTAKES)
