"""ex04 hidden checks: a random batch size and random images, fresh every run."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import Explanation, Incorrect, check

public = public_checks_of(__file__)


@check(title={"ko": "무작위 배치: 모양, 확률, 입력에 따른 출력", "en": "Random batch: shape, probabilities, input-dependent"},
       points=2, needs=("YourModel", "build_model"))
def random_batch(ctx):
    model, _, _ = public.called(ctx)
    n = int(ctx.rng.integers(3, 9))
    x = ctx.rng.random((n, 100, 100, 3), dtype=np.float32)
    out = ctx.predict(model, x, label="model(x)")
    ctx.expect_probabilities(out, n, 100)
    again = ctx.predict(model, x, label="model(x)")
    if not np.allclose(out, again, rtol=1e-5, atol=1e-6):
        raise Incorrect({"ko": "같은 입력으로 두 번 호출했더니 출력이 다릅니다.",
                         "en": "Two calls on the same input gave different outputs."},
                        Explanation(public.LAYERS_IN_CALL))
    spread = float(np.max(np.abs(out - out.mean(axis=0, keepdims=True))))
    ctx.expect(spread > 1e-6,
               {"ko": "서로 다른 이미지에 대한 출력이 모두 같습니다. call이 입력을 층에 통과시킨 결과를 반환해야 합니다.",
                "en": "Different images all get the same output. call must return the input passed through the layers."})
