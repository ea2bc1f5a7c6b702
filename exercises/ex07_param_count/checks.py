"""ex07 public checks: the lesson's parameter counts of Dense layers, MLPs and Flatten sizes."""

from grader.checks import Mistake, check

NO_BIAS = {
    "ko": "편향(bias)을 빠뜨렸습니다. Dense 층의 뉴런마다 편향이 하나씩 있으므로 "
          "파라미터 수 = 입력 수 × 뉴런 수 + 뉴런 수입니다.",
    "en": "The biases are missing. Every unit of a Dense layer has one bias, so "
          "parameters = inputs × units + units.",
}


def _no_bias_mlp(input_dim, units):
    sizes = [input_dim, *units]
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


# --- what Keras counts, by formula: tests/test_curriculum.py checks these against Keras' count_params() and
# Flatten's output shape once, so grading this numpy exercise never needs TensorFlow.


def keras_dense_params(n_inputs, n_units):
    """Dense(n_units).count_params() on n_inputs inputs: the kernel n_inputs × n_units and the bias n_units."""
    return int(n_inputs) * int(n_units) + int(n_units)


def keras_flatten_size(shape):
    """Flatten's output size for one sample of this shape: the product of its axes."""
    size = 1
    for d in shape:
        size *= int(d)
    return size


def keras_mlp_params(input_dim, units):
    """Sequential([Input((input_dim,)), Dense(units[0]), Dense(units[1]), ...]).count_params()."""
    sizes = [int(input_dim), *[int(u) for u in units]]
    return sum(keras_dense_params(a, b) for a, b in zip(sizes, sizes[1:]))


DENSE_MISTAKES = [Mistake(NO_BIAS, compute=lambda n_inputs, n_units: n_inputs * n_units)]

MLP_MISTAKES = [
    Mistake(NO_BIAS, compute=_no_bias_mlp),
    Mistake(
        {"ko": "모든 층의 입력 수를 input_dim으로 계산했습니다. 두 번째 층부터는 앞 층의 뉴런 수가 입력 수입니다 "
               "(784 → 100 → 10이면 784·100+100, 100·10+10).",
         "en": "You used input_dim as every layer's input count. From the second layer on, the inputs are the "
               "previous layer's units (784 → 100 → 10: 784·100+100, then 100·10+10)."},
        compute=lambda input_dim, units: sum(input_dim * u + u for u in units),
    ),
    Mistake(
        {"ko": "첫 번째 층만 셌습니다. units의 모든 층을 더하세요.",
         "en": "You counted only the first layer. Add up every layer in units."},
        compute=lambda input_dim, units: input_dim * units[0] + units[0],
    ),
]

FLATTEN_MISTAKES = [
    Mistake(
        {"ko": "모양의 각 축을 더했습니다. Flatten의 출력 크기는 모든 축의 곱입니다 (28 × 28 = 784).",
         "en": "You added the axes. Flatten's output size is the product of all axes (28 × 28 = 784)."},
        compute=lambda shape: sum(shape),
    ),
]


@check(title={"ko": "Dense 한 층: 수업 예시 (1,010 / 78,500)", "en": "One Dense layer: the lesson's examples (1,010 / 78,500)"},
       points=1, needs="dense_params",
       hint={"ko": "가중치는 입력과 뉴런의 쌍마다 하나, 편향은 뉴런마다 하나입니다.",
             "en": "There is one weight per pair of an input and a unit, and one bias per unit."})
def dense_lesson_examples(ctx):
    for n_inputs, n_units, expected in ((100, 10, 1_010), (784, 100, 78_500)):
        label = f"dense_params({n_inputs}, {n_units})"
        got = ctx.call("dense_params", n_inputs, n_units, label=label)
        ctx.expect_close(got, expected, label=label, args=(n_inputs, n_units), rtol=0, atol=0,
                         mistakes=DENSE_MISTAKES)


@check(title={"ko": "여러 층: 수업 예시 (79,510 / 12,100,700)", "en": "Several layers: the lesson's examples (79,510 / 12,100,700)"},
       points=1, needs="mlp_params",
       hint={"ko": "층마다 파라미터를 더하세요. 다음 층의 입력 수는 앞 층의 뉴런 수입니다.",
             "en": "Add up the parameters layer by layer: the next layer's inputs are the previous layer's units."})
def mlp_lesson_examples(ctx):
    for input_dim, units, expected in ((784, [100, 10], 79_510), (30_000, [400, 200, 100], 12_100_700)):
        label = f"mlp_params({input_dim}, {units})"
        got = ctx.call("mlp_params", input_dim, units, label=label)
        ctx.expect_close(got, expected, label=label, args=(input_dim, units), rtol=0, atol=0,
                         mistakes=MLP_MISTAKES)


@check(points=1, title={"ko": "Flatten 출력 크기: (28, 28) → 784", "en": "Flatten output size: (28, 28) → 784"},
       needs="flatten_size")
def flatten_examples(ctx):
    for shape, expected in (((28, 28), 784), ((100, 100, 3), 30_000)):
        label = f"flatten_size({shape})"
        got = ctx.call("flatten_size", shape, label=label)
        ctx.expect_close(got, expected, label=label, args=(shape,), rtol=0, atol=0, mistakes=FLATTEN_MISTAKES)
