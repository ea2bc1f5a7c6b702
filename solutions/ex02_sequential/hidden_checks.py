"""ex02 hidden check: outputs on a fresh random batch (random size) are probability distributions."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)


@check(title={"ko": "무작위 배치의 출력", "en": "Outputs on a random batch"}, points=2, needs="build_model")
def random_batch_outputs(ctx):
    model, _ = public.model_facts(ctx)
    n = int(ctx.rng.integers(3, 9))
    x = ctx.rng.random((n, 100, 100, 3), dtype=np.float32)
    out = ctx.predict(model, x, label="model(x)")
    ctx.expect_probabilities(out, n, 100)
