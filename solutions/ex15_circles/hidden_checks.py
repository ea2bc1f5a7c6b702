"""ex15 hidden check: fresh circles from a secret seed, drawn 2.5-3.5 times larger, held-out labels kept here."""

import numpy as np

from grader.checks import datasets
from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)


@check(title={"ko": "새 동심원 데이터(비밀 시드, 다른 크기)", "en": "Fresh circles (secret seed, another size)"},
       points=4, needs="build_circles_model")
def fresh_circles(ctx):
    # drawn with the judge's secret, not --seed: the same code gets the same verdict at every seed, and the student's
    # process cannot regenerate the data
    rng = ctx.secret_rng("fresh-circles", seed=0)
    data = datasets.circles(int(rng.integers(1, 2**31 - 1)))
    scale = float(rng.uniform(2.5, 3.5))  # a boundary drawn by hand for the worked example's radii fails here
    data = data._replace(x_train=(data.x_train * scale).astype(np.float32),
                         x_test=(data.x_test * scale).astype(np.float32))
    public.judge(ctx, data, "trained_hidden")
