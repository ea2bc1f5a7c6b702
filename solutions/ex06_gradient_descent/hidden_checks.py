"""ex06 hidden checks: random smooth functions and shapes (1-D and 2-D), fresh every run, compared with the
reference. The gradient's x must come back unchanged; gradient descent is judged on the x it returns
(whether it changed init_x is the public check descent_keeps_init_x, one point, on its own)."""

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)

SMOOTH = (
    "lambda x: np.sum(a * (x - c) ** 2)",
    "lambda x: np.sum(a * np.sin(x) + c * x ** 3)",
    "lambda x: np.log(np.sum(np.exp(a * x))) + np.sum(c * x)",  # couples the elements
)


def _shape(rng):
    return (int(rng.integers(2, 6)),) if rng.random() < 0.5 else (int(rng.integers(2, 4)), int(rng.integers(2, 5)))


@check(title={"ko": "기울기: 무작위 함수와 모양", "en": "Gradient: random functions and shapes"}, points=4,
       needs="numerical_gradient")
def gradient_random(ctx):
    rng = ctx.rng
    for i, source in enumerate(SMOOTH * 2):
        shape = _shape(rng) if i != 2 else (int(rng.integers(2, 4)), int(rng.integers(2, 4)))
        a, c = rng.uniform(0.5, 2.0, shape), rng.uniform(-1.0, 1.0, shape)
        fn, f = public.function(source, a=a, c=c)
        x = rng.uniform(-2.0, 2.0, shape)
        got = ctx.call("numerical_gradient", fn, x.copy(), label="numerical_gradient(f, x)")
        expected = ctx.reference.numerical_gradient(f, x.copy())
        ctx.expect_close(got, expected, label="numerical_gradient(f, x)", inputs={"x": x}, args=(f, x),
                         rtol=public.GRAD_RTOL, atol=public.GRAD_ATOL, mistakes=public.GRADIENT_MISTAKES)
        if i == 2:  # a 2-D x and a function coupling its elements: x must come back unchanged
            public.modified(ctx, public.AFTER_GRADIENT, "numerical_gradient(f, x)", x, "x", public.RESTORE_X,
                            expected, rtol=public.GRAD_RTOL, atol=public.GRAD_ATOL, f=fn)


@check(title={"ko": "경사 하강법: 무작위 이차 함수", "en": "Gradient descent: random quadratics"}, points=4,
       needs="gradient_descent")
def descent_random(ctx):
    rng = ctx.rng
    for i in range(4):
        shape = _shape(rng) if i else (int(rng.integers(2, 4)), int(rng.integers(2, 4)))
        a, c = rng.uniform(0.5, 2.0, shape), rng.uniform(-3.0, 3.0, shape)
        fn, f = public.function(SMOOTH[0], a=a, c=c)
        init_x = rng.uniform(-4.0, 4.0, shape)
        lr, steps = float(rng.uniform(0.01, 0.2)), int(rng.integers(10, 60))
        label = "gradient_descent(f, init_x, lr, step_num)"
        got = ctx.call("gradient_descent", fn, init_x.copy(), lr=lr, step_num=steps, label=label)
        expected = ctx.reference.gradient_descent(f, init_x.copy(), lr=lr, step_num=steps)
        ctx.expect_close(got, expected, label=label, inputs={"init_x": init_x, "lr": lr, "step_num": steps},
                         args=(f, init_x, lr, steps), rtol=1e-6, atol=1e-9, mistakes=public.DESCENT_MISTAKES)
        # init_x changed in place is taught by its own check (descent_keeps_init_x): here only the returned x counts
