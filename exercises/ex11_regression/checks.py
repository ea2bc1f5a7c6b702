"""ex11 public checks: one linear neuron compiled with SGD / MSE / MAE, trained by the grader on the lesson's data."""

import numpy as np

from grader.checks import datasets
from grader.checks import Explanation, Incorrect, check, flat_names
from grader.i18n import Msg
from grader.checks.trials import build_seeded, try_seeds

LABEL = "build_regression_model()"
PUBLIC_SEED = 0      # make_regression(..., random_state=0): true coefficient 96.19, bias 5
REPEAT = 10          # 150 training points repeated 10 times: 1,500 points, 47 steps of batch 32 per epoch
EPOCHS = 8           # one fit() call of 376 SGD steps
BATCH = 32
WEIGHT_ATOL = 2.0    # the least-squares slope itself is off by ~0.4 (noise 5 over 150 points)
WEIGHT_RTOL = 0.02
MSE_NAMES = ("mse", "mean_squared_error")
MAE_NAMES = ("mae", "mean_absolute_error")

RELU_OUTPUT = {
    "ko": "출력층에 relu를 썼습니다. relu는 음수를 모두 0으로 만들기 때문에, y가 음수인 구간(x가 작을 때)을 "
          "전혀 예측할 수 없습니다. 회귀의 출력층은 활성화 함수 없이(linear) 두어야 y = wx + b가 됩니다.",
    "en": "The output layer uses relu. relu turns every negative value into 0, so the model cannot predict the region "
          "where y is negative (small x). A regression output must have no activation (linear) to be y = wx + b.",
}
MAE_LOSS = {
    "ko": "loss를 'mae'로 두었습니다. MAE의 기울기는 오차의 크기와 상관없이 부호(±1)뿐이라, SGD는 한 스텝에 "
          "학습률만큼만 움직여 정해진 스텝 수 안에 수렴하지 못합니다. 수업처럼 loss='mse'로 학습하고, "
          "MAE는 metrics=['mae']로 지켜보세요.",
    "en": "The loss is 'mae'. MAE's gradient is only the sign (±1) of the error, whatever its size, so each SGD step "
          "moves by one learning rate and training does not converge in the fixed number of steps. As in the lesson, "
          "train with loss='mse' and watch MAE with metrics=['mae'].",
}
NO_MAE_METRIC = {
    "ko": "metrics에 MAE가 없습니다. compile(..., metrics=['mae'])처럼 주면 학습 중에 평균 절대 오차를 함께 보여 줍니다.",
    "en": "MAE is not among the metrics. compile(..., metrics=['mae']) reports the mean absolute error during training.",
}


def model_facts(ctx):
    """Build the student's model once per run and describe it."""
    return ctx.model("build_regression_model", label=LABEL)




def optimizer_name(facts):
    """'sgd' / 'adam', whatever the spelling of the class name."""
    return str(facts.get("optimizer") or "").replace("_", "").lower()


def require_compiled(facts):
    if not facts["compiled"]:
        raise Incorrect(Msg("not_compiled"))


def likely_causes(facts):
    """Explanations for a model that does not learn the line, from its compile settings and layers."""
    found = []
    last = facts["layers"][-1] if facts["layers"] else {}
    if last.get("activation") not in (None, "linear"):
        found.append(Explanation(RELU_OUTPUT) if last.get("activation") == "relu" else Explanation(
            {"ko": f"출력층의 활성화 함수가 {last.get('activation')}입니다. 회귀의 출력은 linear여야 합니다.",
             "en": f"The output layer's activation is {last.get('activation')}. A regression output must be linear."}))
    if any(n in MAE_NAMES for n in flat_names(facts.get("loss"))):
        found.append(Explanation(MAE_LOSS))
    rate = facts.get("learning_rate")
    if optimizer_name(facts) == "sgd" and rate is not None and rate < 0.005:
        found.append(Explanation(
            {"ko": f"학습률 {rate:g}(은) 너무 작아 정해진 스텝 수 안에 수렴하지 못합니다. SGD의 기본값 0.01을 쓰세요.",
             "en": f"A learning rate of {rate:g} is too small to converge in the fixed number of steps. Use SGD's default 0.01."}))
    return found


def trained(ctx, seed, key):
    """Build a fresh model, train it in the sandbox on make_regression(random_state=seed) training points,
    predict the held-out x (their y stay here) and read the learned kernel."""
    def train():
        # weights and shuffles from a seed of the student's code, not --seed (grader.checks.trials)
        model = build_seeded(ctx, try_seeds(ctx, key, 1)[0], "build_regression_model", LABEL)
        facts = ctx.describe(model, LABEL)
        require_compiled(facts)
        data = datasets.regression(seed)
        ctx.fit(model, np.tile(data.x_train, (REPEAT, 1)), np.tile(data.y_train, REPEAT),
                epochs=EPOCHS, batch_size=BATCH, shuffle=True)
        # the held-out predictions and the kernel come from the trained weights, computed here (grader.replay)
        pred, exported = ctx.predict_trained(model, data.x_test, label="model(x)")
        pred = np.asarray(pred, dtype=float)
        if pred.size != len(data.x_test):
            raise Incorrect(Msg("wrong_shape", call="model(x)", got=tuple(pred.shape), expected=(len(data.x_test), 1)))
        dense = [l for l in exported.get("layers", []) if l.get("class") == "Dense" and l.get("weights")]
        if exported.get("replayable") and dense:
            kernel = dense[-1]["weights"][0]
        else:
            kernel = ctx.run("result = np.asarray(model.layers[-1].get_weights()[0])",
                             label="model.layers[-1].get_weights()", model=model)
        return facts, data, pred.reshape(-1), np.asarray(kernel, dtype=float)
    return ctx.once(key, train)


def judge_mse(ctx, facts, data, pred):
    """Held-out MSE must come near the noise level: at most 2·noise² (noise 5 → 50)."""
    limit = 2 * data.noise ** 2
    mse = float(np.mean((pred - data.y_test) ** 2))
    if np.isfinite(mse) and mse <= limit:
        return
    raise Incorrect(
        {"ko": f"학습한 모델의 평가용 데이터 MSE가 {mse:.4g}입니다. 잡음 수준(잡음² = {data.noise ** 2:g})에 가까운 "
               f"{limit:g} 이하여야 합니다.",
         "en": f"The trained model's MSE on held-out points is {mse:.4g}; it must come near the noise level "
               f"(noise² = {data.noise ** 2:g}), at most {limit:g}."},
        *likely_causes(facts), *ctx.replay_notes)


def judge_weight(ctx, facts, data, kernel):
    """The learned kernel must be near the true coefficient (hidden checks never show it)."""
    if kernel.size != 1:
        raise Incorrect(Msg("wrong_shape", call="model.layers[-1].get_weights()[0]", got=tuple(kernel.shape),
                            expected=(1, 1)))
    try:
        ctx.expect_close(float(kernel.reshape(-1)[0]), data.coef, label="w (kernel)", rtol=WEIGHT_RTOL, atol=WEIGHT_ATOL)
    except Incorrect as exc:
        raise Incorrect(exc.message, *likely_causes(facts), *exc.details) from None


@check(title={"ko": "compile된 Keras 모델", "en": "A compiled Keras model"}, needs="build_regression_model",
       hint={"ko": "모델을 반환하기 전에 compile해야 합니다: 수업의 옵티마이저(SGD), 손실(MSE), 지표(MAE)를 정하세요.",
             "en": "Compile the model before returning it, with the lesson's optimizer (SGD), loss (MSE) and metric (MAE)."})
def compiled_model(ctx):
    _, facts = model_facts(ctx)
    require_compiled(facts)


@check(title={"ko": "입력 (1,), linear 뉴런 하나", "en": "Input (1,), one linear neuron"}, points=2,
       needs="build_regression_model")
def single_linear_neuron(ctx):
    model, facts = model_facts(ctx)
    ctx.expect_io(model, facts, [(1,)], [(1,)], label=LABEL)
    try:
        ctx.expect_layers(facts, [{"class": "Dense", "units": 1, "activation": "linear"}])
    except Incorrect as exc:
        last = facts["layers"][-1] if facts["layers"] else {}
        extra = [Explanation(RELU_OUTPUT)] if last.get("activation") == "relu" else []
        raise Incorrect(exc.message, *extra, *exc.details) from None


@check(title={"ko": "옵티마이저 SGD", "en": "Optimizer SGD"}, needs="build_regression_model")
def sgd_optimizer(ctx):
    _, facts = model_facts(ctx)
    require_compiled(facts)
    ctx.expect(optimizer_name(facts) == "sgd", Msg("expected_got", expected="optimizer='sgd'", got=facts.get("optimizer")))


@check(title={"ko": "손실 함수 MSE", "en": "Loss MSE"}, needs="build_regression_model")
def mse_loss(ctx):
    _, facts = model_facts(ctx)
    require_compiled(facts)
    loss = flat_names(facts.get("loss"))
    if len(loss) == 1 and loss[0] in MSE_NAMES:
        return
    extra = [Explanation(MAE_LOSS)] if any(n in MAE_NAMES for n in loss) else []
    raise Incorrect(Msg("expected_got", expected="loss='mse'", got=facts.get("loss")), *extra)


@check(title={"ko": "지표에 MAE 포함", "en": "MAE among the metrics"}, needs="build_regression_model")
def mae_metric(ctx):
    _, facts = model_facts(ctx)
    require_compiled(facts)
    if not any(n in MAE_NAMES for n in flat_names(facts.get("metrics"))):
        raise Incorrect(Msg("expected_got", expected="metrics=['mae']", got=facts.get("metrics") or "[]"),
                        Explanation(NO_MAE_METRIC))


@check(title={"ko": "학습 후 새 데이터의 MSE ≤ 50", "en": "After training, held-out MSE ≤ 50"}, points=2,
       needs="build_regression_model")
def learns_line(ctx):
    facts, data, pred, _ = trained(ctx, PUBLIC_SEED, "trained_public")
    judge_mse(ctx, facts, data, pred)


@check(title={"ko": "학습한 가중치 w ≈ 96.19", "en": "Learned weight w ≈ 96.19"}, points=2, needs="build_regression_model")
def learned_weight(ctx):
    facts, data, _, kernel = trained(ctx, PUBLIC_SEED, "trained_public")
    judge_weight(ctx, facts, data, kernel)
