"""ex11 hidden checks: the same training on make_regression data with a random seed (a new true coefficient)."""

from grader.checks import datasets
from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)


def hidden_seed(ctx):
    """A random data seed whose true coefficient is far from the worked example's (a frozen copy of
    the public line must not pass by chance)."""
    def draw():
        public_coef = datasets.regression(public.PUBLIC_SEED).coef
        while True:
            seed = int(ctx.rng.integers(1, 2**31 - 1))
            if abs(datasets.regression(seed).coef - public_coef) > 10:
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
    facts, data, _, kernel = public.trained(ctx, hidden_seed(ctx), "trained_hidden")
    public.judge_weight(ctx, facts, data, kernel)
