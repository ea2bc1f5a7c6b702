"""ex07 hidden checks: random architectures, each expected count from the formula of Keras' own count
(public.keras_mlp_params / keras_flatten_size, checked against Keras' count_params() once in the test suite):
grading a numpy exercise never starts TensorFlow."""

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)

def architectures(ctx):
    """Random Dense-only and Flatten + Dense models, with what Keras counts for them, once per run."""
    def build():
        rng = ctx.rng
        archs = []
        for _ in range(4):  # one Dense layer on a vector
            archs.append(((int(rng.integers(1, 2000)),), [int(rng.integers(1, 500))]))
        for _ in range(6):  # images, then a stack of Dense layers
            shape = tuple(int(n) for n in rng.integers(2, 33, size=int(rng.integers(1, 4))))
            units = [int(n) for n in rng.integers(1, 300, size=int(rng.integers(1, 5)))]
            archs.append((shape, units))
        found = []
        for shape, units in archs:
            flat = public.keras_flatten_size(shape)
            found.append((shape, units, flat, public.keras_mlp_params(flat, units)))
        return found
    return ctx.once("architectures", build)


@check(points=2, title={"ko": "Dense 한 층: Keras와 비교", "en": "One Dense layer: compared with Keras"}, needs="dense_params")
def dense_random(ctx):
    for shape, units, _, params in architectures(ctx)[:4]:
        got = ctx.call("dense_params", shape[0], units[0], label="dense_params(n_inputs, n_units)")
        ctx.expect_close(got, params, label="dense_params(n_inputs, n_units)",
                         inputs={"n_inputs": shape[0], "n_units": units[0]}, args=(shape[0], units[0]),
                         rtol=0, atol=0, mistakes=public.DENSE_MISTAKES)


@check(points=2, title={"ko": "Flatten 출력 크기: Keras와 비교", "en": "Flatten output size: compared with Keras"},
       needs="flatten_size")
def flatten_random(ctx):
    for shape, _, flat, _ in architectures(ctx)[4:]:
        got = ctx.call("flatten_size", shape, label="flatten_size(shape)")
        ctx.expect_close(got, flat, label="flatten_size(shape)", inputs={"shape": shape}, args=(shape,),
                         rtol=0, atol=0, mistakes=public.FLATTEN_MISTAKES)


@check(title={"ko": "여러 층: 무작위 구조를 Keras와 비교", "en": "Several layers: random architectures compared with Keras"},
       points=2, needs="mlp_params")
def mlp_random(ctx):
    for shape, units, flat, params in architectures(ctx)[4:]:
        got = ctx.call("mlp_params", flat, units, label="mlp_params(input_dim, units)")
        ctx.expect_close(got, params, label="mlp_params(input_dim, units)",
                         inputs={"input_dim": flat, "units": units}, args=(flat, units),
                         rtol=0, atol=0, mistakes=public.MLP_MISTAKES)
