"""ex09 hidden checks: random network sizes, parameters and batches, compared with the reference solution."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import Mistake, check

public = public_checks_of(__file__)


def random_case(rng, scale=1.0, batch=None):
    """A random network size, parameters, batch and one-hot labels."""
    n_in, n_hidden, n_out = (int(v) for v in (rng.integers(2, 9), rng.integers(2, 11), rng.integers(2, 7)))
    values = {
        "W1": rng.normal(0, scale, (n_in, n_hidden)), "b1": rng.normal(0, scale, n_hidden),
        "W2": rng.normal(0, scale, (n_hidden, n_out)), "b2": rng.normal(0, scale, n_out),
    }
    rows = int(batch or rng.integers(1, 9))
    x = rng.normal(0, 1, (rows, n_in))
    t = np.eye(n_out)[rng.integers(0, n_out, rows)]
    return (n_in, n_hidden, n_out), values, x, t


def reference_net(ctx, sizes, values):
    net = ctx.reference.TwoLayerNet(*sizes)
    for key, value in values.items():
        net.params[key][...] = value
    return net


def student_net(ctx, sizes, values):
    label = f"TwoLayerNet{sizes}"
    net = public.make_net(ctx, *sizes)
    public.set_params(ctx, net, values, label=label)
    return net


@check(title={"ko": "predict, loss, accuracy: 무작위 신경망", "en": "predict, loss, accuracy: random networks"},
       points=3.5, needs=("TwoLayerNet.predict", "TwoLayerNet.loss", "TwoLayerNet.accuracy"))
def forward_random(ctx):
    for _ in range(3):
        sizes, values, x, t = random_case(ctx.rng)
        reference, net = reference_net(ctx, sizes, values), student_net(ctx, sizes, values)
        got = ctx.method(net, "predict", x, label="predict(x)")
        ctx.expect_close(got, reference.predict(x), label="predict(x)", inputs={"x": x}, rtol=1e-6, atol=1e-12,
                         mistakes=[Mistake(public.ROWS_SUM_TO_ONE,
                                           when=lambda y: not np.allclose(np.sum(y, axis=-1), 1.0))])
        expected = reference.loss(x, t)
        ctx.expect_close(ctx.method(net, "loss", x, t, label="loss(x, t)"), expected, label="loss(x, t)",
                         inputs={"x": x, "t": t}, rtol=1e-6,
                         mistakes=[Mistake(public.NO_BATCH_DIVISION, value=expected * len(x))])
        ctx.expect_close(ctx.method(net, "accuracy", x, t, label="accuracy(x, t)"), reference.accuracy(x, t),
                         label="accuracy(x, t)", inputs={"x": x, "t": t})


@check(title={"ko": "gradient, numerical_gradient: 무작위 신경망", "en": "gradient, numerical_gradient: random networks"},
       points=6, needs=("TwoLayerNet.gradient", "TwoLayerNet.numerical_gradient"))
def gradients_random(ctx):
    for batch in (1, None, None):
        sizes, values, x, t = random_case(ctx.rng, batch=batch)
        reference = reference_net(ctx, sizes, values)
        expected = reference.gradient(x, t)
        got = ctx.method(student_net(ctx, sizes, values), "gradient", x, t, label="gradient(x, t)")
        public.expect_gradients(ctx, got, expected, "gradient(x, t)", rtol=1e-6, atol=1e-10,
                                mistakes=public.gradient_mistakes(expected, len(x)))
    sizes, values, x, t = random_case(ctx.rng, scale=0.5)
    reference = reference_net(ctx, sizes, values)
    expected = reference.numerical_gradient(x, t)
    got = ctx.method(student_net(ctx, sizes, values), "numerical_gradient", x, t, label="numerical_gradient(x, t)")
    public.expect_gradients(ctx, got, expected, "numerical_gradient(x, t)", rtol=1e-4, atol=1e-7,
                            mistakes=public.gradient_mistakes(expected, len(x)))
