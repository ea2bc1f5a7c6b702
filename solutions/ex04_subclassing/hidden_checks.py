"""ex04 hidden checks: a random batch size and random images, fresh every run; the outputs are compared with what the
model's layers give when the judge's own Keras applies them (grader.checks.verified), not with a second call."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import Explanation, Incorrect, check, verified

public = public_checks_of(__file__)


@check(title={"ko": "무작위 배치: 모양, 확률, 입력에 따른 출력", "en": "Random batch: shape, probabilities, input-dependent"},
       points=2, needs=("YourModel", "build_model"))
def random_batch(ctx):
    model, _, _ = public.called(ctx)
    n = int(ctx.rng.integers(3, 9))
    x = ctx.rng.random((n, 100, 100, 3), dtype=np.float32)
    out = ctx.predict(model, x, label="model(x)")
    ctx.expect_probabilities(out, n, 100)
    # the judge's own Keras applies the model's layers, rebuilt from their configs and weights, to the same batch:
    # a model whose call makes new layers (or anything else than its tracked layers compute) gives other outputs
    expected = verified.rebuilt_outputs(ctx, model, x, label="model(x)")
    if expected is None or not verified.agree(out, expected):
        raise Incorrect({"ko": "이 배치에 대한 출력이, 모델이 가진 층을 차례로 적용한 결과와 다릅니다.",
                         "en": "On this batch, the outputs differ from what the model's own layers give, applied in "
                               "order."},
                        Explanation(public.LAYERS_IN_CALL))
    spread = float(np.max(np.abs(out - out.mean(axis=0, keepdims=True))))
    ctx.expect(spread > 1e-6,
               {"ko": "서로 다른 이미지에 대한 출력이 모두 같습니다. call이 입력을 층에 통과시킨 결과를 반환해야 합니다.",
                "en": "Different images all get the same output. call must return the input passed through the layers."})
