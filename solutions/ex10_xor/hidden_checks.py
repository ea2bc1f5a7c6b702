"""ex10 hidden check: jittered points near the corners, labels known only to the grader."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import Incorrect, check
from grader.i18n import Msg

public = public_checks_of(__file__)


@check(title={"ko": "흔들린 점들의 분류", "en": "Classifies jittered points"}, points=2, needs="build_xor_model")
def jittered_points(ctx):
    result = public.trained(ctx)
    if not result.learned:  # judged on a model that learned XOR only: no points for an untrained one
        raise Incorrect({"ko": f"XOR를 배우지 못한 모델이라 채점하지 않았습니다({result.summary()['ko']}).",
                         "en": f"Not judged: the model did not learn XOR ({result.summary()['en']})."})
    model = result.chosen.model  # the first try that learned
    corners = ctx.rng.integers(0, 2, size=(40, 2))
    x = (corners + ctx.rng.normal(0, 0.08, size=corners.shape)).astype(np.float32)
    labels = corners[:, 0] ^ corners[:, 1]
    out, _ = ctx.predict_trained(model, x, label="model(x)")  # computed here from the trained weights
    pred = np.asarray(out).reshape(-1) > 0.5
    accuracy = float(np.mean(pred == labels))
    ctx.expect(accuracy >= 0.9, Msg("accuracy_low", got=accuracy, expected=0.9))
