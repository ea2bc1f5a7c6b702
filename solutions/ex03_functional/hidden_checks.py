"""ex03 hidden checks: fresh random inputs and targets on every run."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import Explanation, Incorrect, check

public = public_checks_of(__file__)


@check(title={"ko": "build_model: 무작위 배치의 출력", "en": "build_model: outputs on a random batch"},
       needs="build_model")
def functional_random_batch(ctx):
    model, _ = public.model_facts(ctx)
    n = int(ctx.rng.integers(3, 9))
    x = ctx.rng.random((n, 100, 100, 3), dtype=np.float32)
    out = ctx.predict(model, x, label="model(x)")
    ctx.expect_probabilities(out, n, 100)


@check(title={"ko": "Wide & Deep: 각 출력이 의존하는 입력", "en": "Wide & Deep: which inputs each output depends on"},
       points=2, needs="build_wide_deep_model")
def wide_deep_paths(ctx):
    """Changing A moves the main output only; changing B moves both."""
    public.expect_io(ctx)
    model, _, _ = public.wide_deep(ctx)
    xa, xb, _ = public.regression_data(ctx.rng, 32)
    xa2 = xa + ctx.rng.normal(0, 1, size=xa.shape).astype(np.float32)
    xb2 = xb + ctx.rng.normal(0, 1, size=xb.shape).astype(np.float32)
    base = [np.asarray(o, dtype=float) for o in ctx.predict(model, [xa, xb], label="model([X_A, X_B])")]
    new_a = [np.asarray(o, dtype=float) for o in ctx.predict(model, [xa2, xb], label="model([X_A, X_B])")]
    new_b = [np.asarray(o, dtype=float) for o in ctx.predict(model, [xa, xb2], label="model([X_A, X_B])")]

    def moved(before, after):
        return float(np.max(np.abs(before - after))) > 1e-6

    if moved(base[1], new_a[1]):
        raise Incorrect({"ko": "입력 A를 바꾸면 보조 출력이 바뀝니다. 보조 출력은 깊은 경로(B)에만 의존해야 합니다.",
                         "en": "Changing input A changes the auxiliary output. It must depend on the deep path (B) only."},
                        Explanation(public.AUX_ON_CONCAT))
    ctx.expect(moved(base[0], new_a[0]),
               {"ko": "입력 A를 바꿔도 주 출력이 그대로입니다. A는 연결(concatenate)을 거쳐 주 출력에 닿아야 합니다.",
                "en": "Changing input A leaves the main output unchanged. A must reach the main output through the "
                      "concatenation."})
    ctx.expect(moved(base[0], new_b[0]) and moved(base[1], new_b[1]),
               {"ko": "입력 B를 바꿨을 때 두 출력이 모두 바뀌어야 합니다.",
                "en": "Changing input B must change both outputs."})


@check(title={"ko": "compile: 무작위 데이터에서 손실 가중치", "en": "compile: loss weights on random data"},
       needs="compile_wide_deep")
def compile_random(ctx):
    public.expect_io(ctx)
    xa, xb, y = public.regression_data(ctx.rng, 64)  # the batch size of the public check: no retracing
    public.expect_weighted_mse(ctx, xa, xb, y * float(ctx.rng.uniform(0.5, 2.0)))
