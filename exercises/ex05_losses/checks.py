"""ex05 public checks: the lesson's examples, a zero probability, a batch."""

import numpy as np

from grader.checks import Mistake, check

Y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_WRONG = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
T = np.eye(10)[2]
BATCH_Y = np.array([[0.1, 0.8, 0.1], [0.3, 0.3, 0.4]])
BATCH_T = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])

MSE_MISTAKES = [
    Mistake(
        {"ko": "평균(np.mean)을 구했습니다. 수업의 MSE는 ½·Σ(y−t)², 즉 합의 절반입니다.",
         "en": "You took the mean (np.mean). The lesson's MSE is ½·Σ(y−t)², half of the sum."},
        compute=lambda y, t: np.mean((y - t) ** 2),
    ),
    Mistake(
        {"ko": "½을 빠뜨렸습니다: 0.5 * np.sum(...)이어야 합니다.",
         "en": "The ½ is missing: it should be 0.5 * np.sum(...)."},
        compute=lambda y, t: np.sum((y - t) ** 2),
    ),
]

CEE_MISTAKES = [
    Mistake(
        {"ko": "y에 0이 있으면 log(0) = -inf입니다. np.log(y + 1e-7)처럼 작은 delta를 더하세요.",
         "en": "When y holds a 0, log(0) = -inf. Add a tiny delta: np.log(y + 1e-7)."},
        when=lambda got: not np.all(np.isfinite(np.asarray(got, dtype=float))),
    ),
    Mistake(
        {"ko": "배치 크기로 나누지 않았습니다. 2차원 y에서는 합을 y.shape[0]으로 나눕니다.",
         "en": "You did not divide by the batch size. For 2-D y, divide the sum by y.shape[0]."},
        compute=lambda y, t: -np.sum(t * np.log(y + 1e-7)),
    ),
    Mistake(
        {"ko": "부호가 반대입니다. 교차 엔트로피는 -Σ t·log(y)로, 항상 0 이상입니다.",
         "en": "The sign is flipped. Cross-entropy is -Σ t·log(y), never negative."},
        compute=lambda y, t: np.sum(t * np.log(y + 1e-7)) / (y.shape[0] if y.ndim == 2 else 1),
    ),
    Mistake(
        {"ko": "상용로그(log10)를 썼습니다. 자연로그 np.log를 쓰세요.",
         "en": "You used log10. Use the natural logarithm np.log."},
        compute=lambda y, t: -np.sum(t * np.log10(y + 1e-7)) / (y.shape[0] if y.ndim == 2 else 1),
    ),
    Mistake(
        {"ko": "y를 1e-7로 잘랐습니다(np.clip). 수업의 교차 엔트로피는 δ를 더합니다: -Σ t·log(y + 1e-7). "
               "정답 확률이 1e-6처럼 아주 작으면 두 식의 값이 크게 다릅니다(log(1e-6) ≈ -13.82, log(1.1e-6) ≈ -13.72).",
         "en": "You clipped y at 1e-7 (np.clip). The lesson's cross-entropy adds δ: -Σ t·log(y + 1e-7). When the "
               "answer's probability is tiny, e.g. 1e-6, the two differ a lot (log(1e-6) ≈ -13.82, log(1.1e-6) ≈ -13.72)."},
        compute=lambda y, t: -np.sum(t * np.log(np.clip(y, 1e-7, 1))) / (y.shape[0] if y.ndim == 2 else 1),
        name="clip instead of + delta",
    ),
]

MAE_MISTAKES = [
    Mistake({"ko": "절댓값의 합을 구했습니다. 평균(np.mean)이어야 합니다.",
             "en": "You summed the absolute values; take their mean (np.mean)."},
            compute=lambda y, t: np.sum(np.abs(y - t))),
]


@check(points=0.5, title={"ko": "MSE: 수업 예시 (0.0975)", "en": "MSE: the lesson's example (0.0975)"}, needs="mean_squared_error")
def mse_lesson_example(ctx):
    ctx.expect_call("mean_squared_error", Y, T, close=0.0975, mistakes=MSE_MISTAKES)


@check(points=0.5, title={"ko": "MSE: 틀린 예측 (0.5975)", "en": "MSE: a wrong prediction (0.5975)"}, needs="mean_squared_error")
def mse_wrong_prediction(ctx):
    ctx.expect_call("mean_squared_error", Y_WRONG, T, close=0.5975, mistakes=MSE_MISTAKES)


@check(points=0.5, title={"ko": "교차 엔트로피: 수업 예시 (0.5108)", "en": "Cross-entropy: the lesson's example (0.5108)"},
       needs="cross_entropy_error")
def cee_lesson_example(ctx):
    ctx.expect_call("cross_entropy_error", Y, T, close=-np.log(0.6 + 1e-7), rtol=1e-4, mistakes=CEE_MISTAKES)


@check(points=0.5, title={"ko": "교차 엔트로피: 정답 확률이 0", "en": "Cross-entropy: zero probability at the answer"},
       needs="cross_entropy_error")
def cee_zero_probability(ctx):
    ctx.expect_call("cross_entropy_error", Y, np.eye(10)[3], close=-np.log(1e-7), rtol=1e-4, mistakes=CEE_MISTAKES)


@check(points=0.5, title={"ko": "교차 엔트로피: 배치 평균", "en": "Cross-entropy: batch average"}, needs="cross_entropy_error")
def cee_batch(ctx):
    expected = -(np.log(0.8 + 1e-7) + np.log(0.3 + 1e-7)) / 2
    ctx.expect_call("cross_entropy_error", BATCH_Y, BATCH_T, close=expected, rtol=1e-4, mistakes=CEE_MISTAKES)


@check(points=0.5, title={"ko": "MAE: 수업 예시", "en": "MAE: the lesson's example"}, needs="mean_absolute_error")
def mae_example(ctx):
    ctx.expect_call("mean_absolute_error", Y, T, close=0.08, mistakes=MAE_MISTAKES)
