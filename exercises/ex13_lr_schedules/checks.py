"""ex13 public checks: step decay, exponential decay and Keras' cosine decay on the lesson's numbers.

Numpy/plain Python only: the expected values are closed forms checked against Keras once, in the test suite."""

import math

from grader.checks import Mistake, check

RTOL, ATOL = 1e-6, 1e-12

STEP_MISTAKES = [
    Mistake({"ko": "지수에 내림(floor)을 빠뜨렸습니다. 학습률은 epochs_drop 에포크마다 계단처럼 한 번에 떨어지므로, "
                   "지수는 지금까지 떨어진 횟수(정수)입니다.",
             "en": "The floor is missing from the exponent. The rate drops in steps, once every epochs_drop epochs, so "
                   "the exponent is the whole number of drops so far."},
            compute=lambda lr0, drop, epochs_drop, epoch: lr0 * drop ** (epoch / epochs_drop)),
    Mistake({"ko": "floor((1 + epoch) / epochs_drop)를 썼습니다. 이 문제의 epoch는 0부터 세며, "
                   "epochs_drop의 배수가 되는 순간(예: 10, 20) 떨어집니다: floor(epoch / epochs_drop).",
             "en": "You used floor((1 + epoch) / epochs_drop). Here epoch counts from 0 and the rate drops when it "
                   "reaches a multiple of epochs_drop (10, 20, ...): floor(epoch / epochs_drop)."},
            compute=lambda lr0, drop, epochs_drop, epoch: lr0 * drop ** math.floor((1 + epoch) / epochs_drop)),
]

EXP_MISTAKES = [
    Mistake({"ko": "부호가 반대입니다: e^(+kt)는 학습률을 키웁니다. 지수 감쇠는 시간이 갈수록 줄어드는 e^(−kt)를 곱합니다.",
             "en": "The sign is flipped: e^(+kt) makes the rate grow. Exponential decay multiplies by e^(−kt), which shrinks over time."},
            compute=lambda lr0, k, t: lr0 * math.exp(k * t)),
    Mistake({"ko": "lr0 / (1 + k·t)는 시간 기반(역수) 감쇠입니다. 지수 감쇠는 lr0 · e^(−kt)입니다.",
             "en": "lr0 / (1 + k·t) is time-based (inverse) decay. Exponential decay is lr0 · e^(−kt)."},
            compute=lambda lr0, k, t: lr0 / (1 + k * t)),
]


def _cosine(t, total):
    return 0.5 * (1 + math.cos(math.pi * t / total))


# --- the schedules in closed form: what the checks expect. tests/test_schedules.py checks each against Keras'
# own schedules once (CosineDecay, and ExponentialDecay with and without staircase), so grading never needs
# TensorFlow.


def keras_cosine_decay(lr0, t, total_steps, alpha=0.0):
    """keras.optimizers.schedules.CosineDecay(lr0, total_steps, alpha=alpha)(t) (no warm-up)."""
    t = min(float(t), float(total_steps))
    return lr0 * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * t / total_steps)) + alpha)


def keras_exponential_decay(lr0, decay_steps, decay_rate, t, staircase=False):
    """keras.optimizers.schedules.ExponentialDecay(lr0, decay_steps, decay_rate, staircase)(t)."""
    p = t / decay_steps
    return lr0 * decay_rate ** (math.floor(p) if staircase else p)


def closed_step_decay(lr0, drop, epochs_drop, epoch):
    """Step decay = ExponentialDecay(lr0, epochs_drop, drop, staircase=True)."""
    return keras_exponential_decay(lr0, epochs_drop, drop, epoch, staircase=True)


def closed_exponential_decay(lr0, k, t):
    """lr0·e^(−k·t) = ExponentialDecay(lr0, 1, e^(−k))."""
    return keras_exponential_decay(lr0, 1, math.exp(-k), t)


COSINE_MISTAKES = [
    Mistake({"ko": "t가 total_steps를 넘으면 코사인이 다시 올라갑니다. Keras처럼 t를 total_steps에서 잘라, 끝난 뒤에는 최솟값 lr0·alpha에 머물게 하세요.",
             "en": "Past total_steps the cosine climbs back up. Clip t at total_steps as Keras does, so the rate stays at its floor lr0·alpha after the end."},
            compute=lambda lr0, t, total, alpha=0.0: lr0 * ((1 - alpha) * _cosine(t, total) + alpha)),
    Mistake({"ko": "alpha를 학습률 그 자체로 더했습니다. alpha는 lr0에 대한 비율이라, 코사인 비율과 섞은 값에 lr0을 곱해야 합니다.",
             "en": "You added alpha as a learning rate. alpha is a fraction of lr0: mix it with the cosine factor, then multiply the mix by lr0."},
            compute=lambda lr0, t, total, alpha=0.0: lr0 * (1 - alpha) * _cosine(min(t, total), total) + alpha),
    Mistake({"ko": "(1 − alpha)를 곱하지 않았습니다. 그러면 시작 학습률이 lr0보다 커집니다: 코사인 비율에 (1 − alpha)를 곱한 뒤 alpha를 더하세요.",
             "en": "The (1 − alpha) factor is missing, so the schedule starts above lr0: multiply the cosine factor by (1 − alpha), then add alpha."},
            compute=lambda lr0, t, total, alpha=0.0: lr0 * (_cosine(min(t, total), total) + alpha)),
    Mistake({"ko": "0.5 · (1 + cos) 대신 cos만 썼습니다. 코사인 감쇠는 1에서 0으로 가는 0.5 · (1 + cos(π·t/T))를 씁니다.",
             "en": "You used cos alone instead of 0.5 · (1 + cos). Cosine decay uses 0.5 · (1 + cos(π·t/T)), "
                   "which goes from 1 to 0."},
            compute=lambda lr0, t, total, alpha=0.0: lr0 * ((1 - alpha) * math.cos(math.pi * min(t, total) / total) + alpha)),
]


def compare(ctx, name, args, expected, mistakes, names):
    label = f"{name}({', '.join(repr(a) for a in args)})"
    got = ctx.call(name, *args, label=label)
    ctx.expect_close(got, expected, label=label, inputs=dict(zip(names, args)), args=args, rtol=RTOL, atol=ATOL,
                     mistakes=mistakes)


@check(title={"ko": "계단식 감쇠: 10 에포크마다 절반", "en": "Step decay: halved every 10 epochs"}, points=1,
       needs="step_decay",
       hint={"ko": "지금까지 drop을 곱한 횟수는 epoch를 epochs_drop으로 나눈 몫(내림)입니다.",
             "en": "The number of drops so far is epoch divided by epochs_drop, rounded down."})
def step_decay_examples(ctx):
    for epoch, expected in ((0, 0.1), (9, 0.1), (10, 0.05), (25, 0.025)):
        compare(ctx, "step_decay", (0.1, 0.5, 10, epoch), expected, STEP_MISTAKES,
                ("lr0", "drop", "epochs_drop", "epoch"))


@check(points=0.5, title={"ko": "지수 감쇠: lr0·e^(−kt)", "en": "Exponential decay: lr0·e^(−kt)"}, needs="exponential_decay")
def exponential_decay_examples(ctx):
    for t, expected in ((0, 0.1), (10, 0.1 / math.e)):
        compare(ctx, "exponential_decay", (0.1, 0.1, t), expected, EXP_MISTAKES, ("lr0", "k", "t"))


@check(title={"ko": "코사인 감쇠: 수업 예시", "en": "Cosine decay: the lesson's examples"}, points=1,
       needs="cosine_decay",
       hint={"ko": "코사인 감쇠의 비율은 t = 0에서 1, t = total_steps에서 0으로 반 주기의 코사인을 따라 내려가고, 학습률은 lr0의 alpha배 아래로 내려가지 않습니다.",
             "en": "The cosine factor goes from 1 at t = 0 to 0 at t = total_steps along half a period of a cosine, and the rate never goes below alpha times lr0."})
def cosine_decay_examples(ctx):
    for t, expected in ((0, 0.1), (250, 0.05 * (1 + math.cos(math.pi / 4))), (500, 0.05), (1000, 0.0)):
        compare(ctx, "cosine_decay", (0.1, t, 1000), expected, COSINE_MISTAKES, ("lr0", "t", "total_steps"))
    for t, expected in ((0, 0.1), (500, 0.055), (1000, 0.01)):
        compare(ctx, "cosine_decay", (0.1, t, 1000, 0.1), expected, COSINE_MISTAKES,
                ("lr0", "t", "total_steps", "alpha"))


@check(points=0.5, title={"ko": "코사인 감쇠: total_steps 이후에는 그대로", "en": "Cosine decay: flat after total_steps"},
       needs="cosine_decay",
       hint={"ko": "total_steps가 지나면 학습률은 끝의 값에 머물러야 합니다. t를 total_steps에서 자르세요.",
             "en": "After total_steps the rate must stay at its final value: clip t at total_steps."})
def cosine_decay_after_end(ctx):
    compare(ctx, "cosine_decay", (0.1, 1500, 1000), 0.0, COSINE_MISTAKES, ("lr0", "t", "total_steps"))
    compare(ctx, "cosine_decay", (0.1, 1200, 1000, 0.1), 0.01, COSINE_MISTAKES, ("lr0", "t", "total_steps", "alpha"))
