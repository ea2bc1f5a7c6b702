"""ex08 public checks: the lesson's values of each activation, softmax without overflow and over the last axis."""

import numpy as np

from grader.checks import Explanation, Incorrect, Mistake, check
from grader.i18n import Msg

RTOL, ATOL = 1e-6, 1e-9


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


STEP_BOOL = {"ko": "불리언(True/False) 배열을 반환했습니다. 비교 결과를 정수 0과 1의 배열로 바꾸세요(dtype=int).",
             "en": "You returned a boolean (True/False) array. Turn the comparison into an array of integers 0 and 1 (dtype=int)."}

STEP_MISTAKES = [
    Mistake({"ko": "0에서의 값이 틀렸습니다. 계단 함수는 x > 0일 때만 1이고, x = 0이면 0입니다.",
             "en": "The value at 0 is wrong. The step function is 1 only when x > 0; at x = 0 it is 0."},
            compute=lambda x: (x >= 0).astype(int)),
]

LEAKY_MISTAKES = [
    Mistake({"ko": "alpha 인수를 쓰지 않았습니다. 음수 쪽 기울기는 고정값이 아니라 인수 alpha입니다.",
             "en": "You ignored the alpha argument. The negative side's slope is the alpha argument, not a constant."},
            compute=lambda x, alpha=0.1: np.maximum(0.1 * x, x)),
    Mistake({"ko": "음수 쪽 기울기로 0.01을 썼습니다. 이 문제의 기본값은 alpha=0.1이고, 주어진 alpha를 써야 합니다.",
             "en": "You used a slope of 0.01 on the negative side. Here the default is alpha=0.1, and a given alpha "
                   "must be used."},
            compute=lambda x, alpha=0.1: np.maximum(0.01 * x, x)),
    Mistake({"ko": "음수 쪽이 0이 되었습니다. Leaky ReLU는 음수 쪽에서 0 대신 αx를 냅니다.",
             "en": "The negative side became 0. Leaky ReLU gives αx there, not 0."},
            compute=lambda x, alpha=0.1: np.maximum(0.0, x)),
]

ELU_MISTAKES = [
    Mistake({"ko": "−1을 빠뜨렸습니다. ELU의 음수 쪽은 alpha · (exp(x) − 1)이라서 x = 0에서 0으로 이어집니다.",
             "en": "The −1 is missing. ELU's negative side is alpha · (exp(x) − 1), which meets 0 at x = 0."},
            compute=lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.exp(x))),
]

SOFTMAX_MISTAKES = [
    Mistake({"ko": "exp(1000)의 값은 float 범위를 넘어 inf가 되고, inf / inf = nan입니다. 지수를 계산하기 전에 각 행의 최댓값을 빼세요. 결과는 수학적으로 같습니다.",
             "en": "exp(1000) overflows to inf, and inf / inf = nan. Subtract each row's maximum before exponentiating: mathematically the result is the same."},
            when=lambda got: not np.all(np.isfinite(np.asarray(got, dtype=float)))),
    Mistake({"ko": "배열 전체의 합으로 나눴습니다. 2차원 입력에서는 행(마지막 축)마다 따로 합이 1이 되어야 합니다: "
                   "np.sum(..., axis=-1, keepdims=True). 최댓값도 axis=-1, keepdims=True로 구하세요.",
             "en": "You divided by the sum of the whole array. For 2-D input each row (the last axis) must sum to 1 on "
                   "its own: np.sum(..., axis=-1, keepdims=True). Take the maximum with axis=-1, keepdims=True too."},
            compute=lambda x: np.exp(x - np.max(x)) / np.sum(np.exp(x - np.max(x)))),
    Mistake({"ko": "열(axis=0) 방향으로 정규화했습니다. 샘플 하나가 한 행이므로 마지막 축(axis=-1)으로 합을 구하세요.",
             "en": "You normalised along the columns (axis=0). One sample is one row: sum over the last axis (axis=-1)."},
            compute=lambda x: _softmax(x, axis=0)),
]

SIGMOID_GRAD_MISTAKES = [
    Mistake({"ko": "x · (1 − x)를 계산했습니다. 시그모이드의 미분은 s = sigmoid(x)로 구한 s · (1 − s)입니다.",
             "en": "You computed x · (1 − x). The sigmoid's derivative is s · (1 − s) with s = sigmoid(x)."},
            compute=lambda x: x * (1 - x)),
]


def compare(ctx, name, x, expected, mistakes=(), **kwargs):
    shown = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    label = f"{name}(x{', ' + shown if shown else ''})"
    got = ctx.call(name, x, label=label, **kwargs)
    ctx.expect_close(got, expected, label=label, inputs={"x": x, **kwargs}, args=(x, *kwargs.values()),
                     rtol=RTOL, atol=ATOL, mistakes=mistakes)
    return got


def expect_not_bool(ctx, got, label):
    if np.asarray(got).dtype.kind == "b":
        raise Incorrect(Msg("wrong_type", call=label, got="bool array", expected="int array (0, 1)"),
                        Explanation(STEP_BOOL))


@check(points=0.5, title={"ko": "계단 함수: 0과 1의 정수 배열", "en": "Step function: an integer array of 0 and 1"},
       needs="step_function",
       hint={"ko": "계단 함수는 0보다 큰 곳에서 1, 나머지(0 포함)에서 0이고, 결과는 정수 배열입니다. 배열 전체를 한 번에 비교하세요.",
             "en": "The step function is 1 where x is above 0 and 0 elsewhere (0 included), as an integer array. Compare the whole array at once."})
def step_function_values(ctx):
    for x in (np.array([-1.0, 0.0, 1.0, 2.5]), np.array([[-0.5, 3.0], [0.0, 0.1]])):
        got = compare(ctx, "step_function", x, (x > 0).astype(int), STEP_MISTAKES)
        expect_not_bool(ctx, got, "step_function(x)")


@check(points=0.5, title={"ko": "시그모이드: 수업 예시", "en": "Sigmoid: the lesson's example"}, needs="sigmoid")
def sigmoid_values(ctx):
    x = np.array([-1.0, 1.0, 2.0])
    compare(ctx, "sigmoid", x, _sigmoid(x))  # [0.26894142, 0.73105858, 0.88079708]


@check(points=0.5, title={"ko": "tanh와 ReLU", "en": "tanh and ReLU"}, needs=("tanh", "relu"))
def tanh_relu_values(ctx):
    x = np.array([[-1.0, 0.0, 0.5], [-2.0, 3.0, -0.25]])
    compare(ctx, "tanh", x, np.tanh(x))
    compare(ctx, "relu", x, np.maximum(0.0, x),
            [Mistake({"ko": "음수를 0으로 바꾸지 않았습니다. ReLU는 음수에서 0, 양수에서 그대로입니다.",
                      "en": "Negative values were not set to 0. ReLU is 0 for negative values and keeps positive ones."}, compute=lambda x: np.abs(x))])


@check(points=0.5, title={"ko": "Leaky ReLU: max(αx, x)", "en": "Leaky ReLU: max(αx, x)"}, needs="leaky_relu",
       hint={"ko": "Leaky ReLU는 양수는 그대로, 음수는 alpha배로 줄입니다. 고정된 0.1이 아니라 인수 alpha를 쓰세요.",
             "en": "Leaky ReLU keeps positive values and scales negative ones by alpha: use the alpha argument, not a fixed 0.1."})
def leaky_relu_values(ctx):
    x = np.array([-2.0, 0.0, 3.0])
    compare(ctx, "leaky_relu", x, np.array([-0.2, 0.0, 3.0]), LEAKY_MISTAKES)
    compare(ctx, "leaky_relu", x, np.array([-0.4, 0.0, 3.0]), LEAKY_MISTAKES, alpha=0.2)


@check(points=0.5, title={"ko": "ELU", "en": "ELU"}, needs="elu")
def elu_values(ctx):
    x = np.array([-1.0, 0.0, 2.0])
    compare(ctx, "elu", x, np.where(x > 0, x, np.exp(x) - 1), ELU_MISTAKES)  # [-0.63212056, 0, 2]
    compare(ctx, "elu", x, np.where(x > 0, x, 2.0 * (np.exp(x) - 1)), ELU_MISTAKES, alpha=2.0)


@check(points=0.5, title={"ko": "소프트맥스: 수업 예시", "en": "Softmax: the lesson's example"}, needs="softmax")
def softmax_values(ctx):
    x = np.array([0.3, 2.9, 4.0])
    compare(ctx, "softmax", x, _softmax(x), SOFTMAX_MISTAKES)  # [0.01821127, 0.24519181, 0.73659691]


@check(points=0.5, title={"ko": "소프트맥스: 큰 값에서 오버플로 없음", "en": "Softmax: no overflow on large values"},
       needs="softmax",
       hint={"ko": "softmax(x) = softmax(x − c)입니다. c로 최댓값을 빼면 exp의 인수가 0 이하가 되어 넘치지 않습니다.",
             "en": "softmax(x) = softmax(x − c). With c the maximum, exp only sees values ≤ 0 and cannot overflow."})
def softmax_overflow(ctx):
    compare(ctx, "softmax", np.array([1000.0, 1000.0]), np.array([0.5, 0.5]), SOFTMAX_MISTAKES)
    x = np.array([1010.0, 1000.0, 990.0])
    compare(ctx, "softmax", x, _softmax(x), SOFTMAX_MISTAKES)


@check(points=0.5, title={"ko": "소프트맥스: 2차원 입력은 행마다", "en": "Softmax: 2-D input, row by row"}, needs="softmax",
       hint={"ko": "2차원 입력에서는 행마다 따로 소프트맥스를 구합니다. 최댓값과 합을 마지막 축을 따라 구하고, 나눌 수 있게 축을 유지하세요.",
             "en": "For 2-D input, each row gets its own softmax: take the maximum and the sum along the last axis, and keep that axis so that the division lines up."})
def softmax_2d(ctx):
    x = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    compare(ctx, "softmax", x, _softmax(x), SOFTMAX_MISTAKES)


@check(points=0.5, title={"ko": "시그모이드의 미분: 0에서 최댓값 0.25", "en": "Sigmoid's derivative: at most 0.25, at 0"},
       needs="sigmoid_grad")
def sigmoid_grad_values(ctx):
    x = np.array([-2.0, 0.0, 2.0])
    compare(ctx, "sigmoid_grad", x, _sigmoid(x) * (1 - _sigmoid(x)), SIGMOID_GRAD_MISTAKES)  # [0.105, 0.25, 0.105]
