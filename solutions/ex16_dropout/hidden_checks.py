"""ex16 hidden checks: random activations, rates and random numbers, fresh every run, compared with the reference."""

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)


def _cases(rng, gradient=False):
    cases = []
    for _ in range(5):
        shape = (int(rng.integers(1, 6)), int(rng.integers(2, 9)))
        rate = float(rng.choice([0.1, 0.2, 0.3, 0.5, 0.7]))
        values = rng.normal(size=shape) if gradient else rng.normal(size=shape) * 3
        u = rng.random(shape)
        # the deciding case in every case: u exactly equal to rate somewhere (kept: u >= rate), so that a mask
        # written u > rate fails at every seed, not only when a random u happens to equal the rate
        u[rng.random(shape) < 0.25] = rate
        u.flat[int(rng.integers(0, u.size))] = rate
        cases.append((values, rate, u))
    return cases


@check(title={"ko": "드롭아웃: 무작위 입력", "en": "Dropout: random inputs"}, points=3, needs="dropout")
def forward_random(ctx):
    ctx.expect_cases("dropout", _cases(ctx.rng), ctx.reference.dropout, mistakes=public.FORWARD_MISTAKES)


@check(title={"ko": "역전파: 무작위 입력", "en": "Backward pass: random inputs"}, points=2.5, needs="dropout_backward")
def backward_random(ctx):
    ctx.expect_cases("dropout_backward", _cases(ctx.rng, gradient=True), ctx.reference.dropout_backward,
                     mistakes=public.BACKWARD_MISTAKES)
