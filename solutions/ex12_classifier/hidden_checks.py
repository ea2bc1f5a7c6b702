"""ex12 hidden check: build_classifier with a random input shape and class count must use its arguments."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)


@check(title={"ko": "다른 입력 모양과 클래스 수", "en": "Another input shape and class count"}, points=2,
       needs="build_classifier")
def other_shapes(ctx):
    shape = public.INPUT_SHAPE
    while shape == public.INPUT_SHAPE:  # another shape than the lesson's: one verdict at every seed
        shape = (int(ctx.rng.integers(5, 13)), int(ctx.rng.integers(5, 13)))
    classes = int(ctx.rng.choice([c for c in range(3, 16) if c != public.NUM_CLASSES]))
    model, facts = ctx.model("build_classifier", shape, classes)
    ctx.expect_io(model, facts, [shape], [(classes,)], label=ctx.label_of("build_classifier", shape, classes))
    n = int(ctx.rng.integers(3, 9))
    out = np.asarray(ctx.predict(model, ctx.rng.random((n, *shape), dtype=np.float32)), dtype=float)
    ctx.expect_probabilities(out, n, classes)
