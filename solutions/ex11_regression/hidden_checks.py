"""ex11 hidden checks: the same training on make_regression data with a random seed (a new true coefficient)."""

import numpy as np

from grader.checks import datasets
from grader.catalog import public_checks_of
from grader.checks import Incorrect, check

public = public_checks_of(__file__)
#: The hidden line's smallest slope (make_regression draws it from [0, 100)).
MIN_COEF = 40.0


def hidden_seed(ctx):
    """A random data seed whose true coefficient is far from the worked example's (a frozen copy of
    the public line must not pass by chance) and steep (the deciding case: a relu output cannot fit the negative half,
    and MAE's sign-only gradient cannot climb that far in time, at every seed, not just some)."""
    def draw():
        public_coef = datasets.regression(public.PUBLIC_SEED).coef
        while True:
            seed = int(ctx.rng.integers(1, 2**31 - 1))
            coef = datasets.regression(seed).coef
            if abs(coef - public_coef) > 10 and coef >= MIN_COEF:
                return seed
    return ctx.once("hidden_seed", draw)


@check(title={"ko": "새 데이터(무작위 시드)에서 MSE", "en": "Held-out MSE on fresh data (random seed)"}, points=2,
       needs="build_regression_model")
def hidden_data_mse(ctx):
    facts, data, pred, _ = public.trained(ctx, hidden_seed(ctx), "trained_hidden")
    public.judge_mse(ctx, facts, data, pred)


@check(title={"ko": "새 데이터(무작위 시드)에서 가중치", "en": "Learned weight on fresh data (random seed)"}, points=2,
       needs="build_regression_model")
def hidden_data_weight(ctx):
    facts, data, pred, kernel = public.trained(ctx, hidden_seed(ctx), "trained_hidden")
    # a weight is learned only by a model that fits the held-out points: otherwise a model that cannot fit them
    # (e.g. a relu output) would get these points at some seeds and not at others
    if not np.isfinite(np.mean((pred - data.y_test) ** 2)) or np.mean((pred - data.y_test) ** 2) > 2 * data.noise ** 2:
        raise Incorrect({"ko": "평가용 데이터에 맞지 않는 모델의 가중치는 채점하지 않습니다. 위의 MSE 검사를 보세요.",
                         "en": "A weight is judged only for a model that fits the held-out points: see the MSE check above."})
    public.judge_weight(ctx, facts, data, kernel)
