"""ex16 public checks: inverted dropout on a worked example, at inference, with rate 0, and its gradient."""

import numpy as np

from grader.checks import Mistake, check

X = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
U = np.array([[0.1, 0.7, 0.4, 0.9], [0.6, 0.2, 0.25, 0.05]])  # 0.25 == RATE: kept (u >= rate)
RATE = 0.25
DOUT = np.array([[0.5, -1.0, 2.0, 1.0], [1.5, 3.0, -0.5, 2.5]])


def kept(u, rate):
    return np.asarray(u) >= rate


MASK_FLIPPED = Mistake(
    {"ko": "마스크가 반대입니다. u < rate인 자리를 지워야(0) 하고, u >= rate인 자리를 남겨야 합니다.",
     "en": "The mask is the wrong way round: drop (0) where u < rate, keep where u >= rate."},
    compute=lambda x, rate, u: x * (np.asarray(u) < rate) / (1 - rate))

FORWARD_MISTAKES = [
    Mistake({"ko": "남은 값을 1 - rate로 나누지 않았습니다. 역 드롭아웃은 훈련할 때 x * mask / (1 - rate)로 "
                   "기댓값을 x와 같게 맞춥니다.",
             "en": "The kept values are not divided by 1 - rate. Inverted dropout trains with x * mask / (1 - rate), "
                   "so that the expected output equals x."},
            compute=lambda x, rate, u: x * kept(u, rate)),
    Mistake({"ko": "1 - rate를 곱했습니다. 역 드롭아웃은 1 - rate로 나눕니다(곱하는 것은 추론 때 배율을 맞추는 옛 방식).",
             "en": "You multiplied by 1 - rate. Inverted dropout divides by it (multiplying is the old way, at inference)."},
            compute=lambda x, rate, u: x * kept(u, rate) * (1 - rate)),
    Mistake({"ko": "rate로 나눴습니다. 뉴런이 남을 확률은 1 - rate이므로 1 - rate로 나눠야 합니다.",
             "en": "You divided by rate. A neuron stays with probability 1 - rate, so divide by 1 - rate."},
            compute=lambda x, rate, u: x * kept(u, rate) / rate),
    MASK_FLIPPED,
    Mistake({"ko": "u가 rate와 같은 자리도 지웠습니다. 남기는 조건은 u >= rate입니다(u > rate가 아님).",
             "en": "You also dropped where u equals rate. Keep where u >= rate (not u > rate)."},
            compute=lambda x, rate, u: x * (np.asarray(u) > rate) / (1 - rate)),
]

INFERENCE_DROPS = Mistake(
    {"ko": "training=False인데도 값을 지우거나 배율을 바꿨습니다. 역 드롭아웃은 추론할 때 x를 그대로 돌려줍니다.",
     "en": "With training=False you still dropped or scaled values. Inverted dropout returns x unchanged at inference."},
    compute=lambda x, rate, u, training: x * kept(u, rate) / (1 - rate))

BACKWARD_MISTAKES = [
    Mistake({"ko": "기울기를 1 - rate로 나누지 않았습니다. 순전파에서 곱한 1 / (1 - rate)가 역전파에도 곱해집니다.",
             "en": "The gradient is not divided by 1 - rate. The forward pass's factor 1 / (1 - rate) multiplies the "
                   "gradient too."},
            compute=lambda dout, rate, u: dout * kept(u, rate)),
    Mistake({"ko": "지운 뉴런으로도 기울기가 흘렀습니다. 순전파에서 0이 된 자리의 기울기는 0입니다.",
             "en": "The gradient also flows through the dropped neurons. Where the forward pass gave 0, the gradient is 0."},
            compute=lambda dout, rate, u: dout / (1 - rate)),
]


@check(title={"ko": "드롭아웃: 예시 (rate 0.25)", "en": "Dropout: the worked example (rate 0.25)"}, points=1,
       needs="dropout")
def forward_example(ctx):
    ctx.expect_call("dropout", X, RATE, U, close=X * kept(U, RATE) / (1 - RATE), mistakes=FORWARD_MISTAKES)


@check(points=0.5, title={"ko": "추론(training=False)에서는 그대로", "en": "Inference (training=False) leaves x unchanged"},
       needs="dropout")
def inference_unchanged(ctx):
    ctx.expect_call("dropout", X, RATE, U, kwargs={"training": False}, close=X, mistakes=[INFERENCE_DROPS])


@check(points=0.5, title={"ko": "rate = 0이면 아무것도 지우지 않음", "en": "rate = 0 drops nothing"}, needs="dropout")
def rate_zero(ctx):
    ctx.expect_call("dropout", X, 0.0, U, close=X, mistakes=[MASK_FLIPPED])


@check(points=0.5, title={"ko": "역전파: 예시", "en": "Backward pass: the worked example"}, needs="dropout_backward")
def backward_example(ctx):
    ctx.expect_call("dropout_backward", DOUT, RATE, U, close=DOUT * kept(U, RATE) / (1 - RATE),
                    mistakes=BACKWARD_MISTAKES)
