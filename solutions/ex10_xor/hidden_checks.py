"""ex10 hidden check: jittered points near the corners, labels known only to the grader."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import check
from grader.i18n import Msg

public = public_checks_of(__file__)


@check(title={"ko": "흔들린 점들의 분류", "en": "Classifies jittered points"}, points=2, needs="build_xor_model")
def jittered_points(ctx):
    model, out, _ = public.trained(ctx)
    corners = ctx.rng.integers(0, 2, size=(40, 2))
    x = (corners + ctx.rng.normal(0, 0.08, size=corners.shape)).astype(np.float32)
    labels = corners[:, 0] ^ corners[:, 1]
    out, _ = ctx.predict_trained(model, x, label="model(x)")  # computed here from the trained weights
    pred = np.asarray(out).reshape(-1) > 0.5
    accuracy = float(np.mean(pred == labels))
    ctx.expect(accuracy >= 0.9, Msg("accuracy_low", got=accuracy, expected=0.9))
