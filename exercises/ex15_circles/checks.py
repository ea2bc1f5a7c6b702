"""ex15 public checks: a compiled binary classifier with a non-linear hidden layer, trained by the grader on
make_circles data and judged on held-out points."""

import numpy as np

from grader.checks import datasets
from grader.checks import Explanation, Incorrect, check, epochs_run, flat_names, is_linear
from grader.checks.trials import Trial, build_seeded, vote
from grader.i18n import Msg

LABEL = "build_circles_model()"
PUBLIC_SEED = 0      # make_circles(n_samples=500, noise=0.2, factor=0.3, random_state=0): 350 training, 150 held-out
REPEAT = 8           # one epoch = the 350 training points repeated 8 times: 88 steps of batch 32
MAX_EPOCHS = 12      # at most 1,056 steps per try; training stops once 90% of the training points are right
BATCH = 32
STEPS = MAX_EPOCHS * -(-350 * REPEAT // BATCH)  # 1,056
STOP_ACCURACY = 0.9
MIN_ACCURACY = 0.8

LINEAR_BOUNDARY = {
    "ko": "은닉층이 없거나 은닉층이 모두 선형이면 모델 전체가 하나의 직선 경계를 그립니다. 안쪽 원을 바깥쪽 원이 "
          "둘러싸고 있으므로 어떤 직선으로도 둘을 나눌 수 없어 정확도가 0.5 근처에 머뭅니다. "
          "relu나 tanh를 쓰는 은닉층을 넣으세요.",
    "en": "With no hidden layer, or only linear hidden layers, the whole model draws one straight boundary. The outer "
          "circle surrounds the inner one, so no straight line splits them and accuracy stays near 0.5. Add a hidden "
          "layer with relu or tanh.",
}
SOFTMAX_ONE_UNIT = {
    "ko": "뉴런 하나에 softmax를 썼습니다. softmax는 e^z를 모든 출력의 e^z 합으로 나누는데, 출력이 하나뿐이면 "
          "e^z / e^z = 1.0입니다. 입력과 상관없이 언제나 1.0을 내므로 학습도 되지 않습니다. "
          "이진 분류의 출력은 Dense(1, activation='sigmoid')입니다.",
    "en": "softmax over a single unit: softmax divides e^z by the sum of e^z over all outputs, and with one output that is "
          "e^z / e^z = 1.0. It outputs 1.0 whatever the input, so nothing can be learned. A binary classifier ends in "
          "Dense(1, activation='sigmoid').",
}
MSE_LOSS = {
    "ko": "loss를 'mse'로 두었습니다. 출력이 확률인 이진 분류에는 'binary_crossentropy'를 씁니다. MSE는 sigmoid가 "
          "0이나 1 쪽으로 포화되면 기울기가 거의 0이 되어, 완전히 틀린 예측도 잘 고치지 못합니다.",
    "en": "The loss is 'mse'. A binary classifier whose output is a probability uses 'binary_crossentropy'. With MSE the "
          "gradient nearly vanishes once the sigmoid saturates near 0 or 1, so even a confidently wrong prediction is "
          "hardly corrected.",
}


def model_facts(ctx):
    """Build the student's model once per run and describe it."""
    return ctx.model("build_circles_model", label=LABEL)


def softmax_one_unit(facts):
    last = facts["layers"][-1] if facts["layers"] else {}
    return last.get("activation") == "softmax" and last.get("units") == 1


def causes(facts):
    """Explanations for a model that does not learn the circles."""
    found = []
    if is_linear(facts):
        found.append(Explanation(LINEAR_BOUNDARY))
    if softmax_one_unit(facts):
        found.append(Explanation(SOFTMAX_ONE_UNIT))
    if any(n in ("mse", "mean_squared_error") for n in flat_names(facts.get("loss"))):
        found.append(Explanation(MSE_LOSS))
    return found


def held_out_accuracy(ctx, model, x, y, label):
    """Accuracy on (x, y), the outputs computed here from the trained weights (grader.replay)."""
    out = ctx.predict_trained(model, x, label=label)[0]
    out = np.asarray(out, dtype=float)
    if out.size != len(y):
        raise Incorrect(Msg("wrong_shape", call=label, got=tuple(out.shape), expected=(len(y), 1)))
    return float(np.mean((out.reshape(-1) > 0.5) == (y > 0.5)))


def trained(ctx, data, key):
    """Train fresh models in the sandbox on the training points by the rule of :mod:`grader.checks.trials` (up to
    three tries seeded from the student's code, each until 90% of the training points are right or STEPS steps have
    run; two tries must reach MIN_ACCURACY on the held-out points, whose labels never leave this process).
    Returns the model's facts and the :class:`~grader.checks.trials.Vote` (each trial's value: its accuracy)."""
    def one_try(seed):
        model = build_seeded(ctx, seed, "build_circles_model", LABEL)
        facts = ctx.describe(model, LABEL)
        if not facts["compiled"]:
            raise Incorrect(Msg("not_compiled"))
        x, y = np.tile(data.x_train, (REPEAT, 1)), np.tile(data.y_train, REPEAT)
        # one fit() call that ends once STOP_ACCURACY of the training points are right (the trace paid once)
        history = ctx.fit(model, x, y, epochs=MAX_EPOCHS, batch_size=BATCH, shuffle=True,
                          until={"x": data.x_train, "y": data.y_train, "accuracy": STOP_ACCURACY})
        held_out = held_out_accuracy(ctx, model, data.x_test, data.y_test, "model(x_test)")
        steps = epochs_run(history, MAX_EPOCHS) * -(-len(x) // BATCH)
        return Trial(seed, held_out >= MIN_ACCURACY, model, steps, held_out)

    def train():
        _, facts = model_facts(ctx)
        never = is_linear(facts) or softmax_one_unit(facts)  # cannot learn circles: one try says it
        return facts, vote(ctx, key, one_try, stop=lambda trial: never)
    return ctx.once(key, train)


def judge(ctx, data, key):
    facts, result = trained(ctx, data, key)
    if result.learned:
        return
    found = causes(facts) or [Explanation(slow_learning(facts, STEPS))]
    accuracies = ", ".join(f"{t.value:.3f}" for t in result.trials)
    rule = Explanation({
        "ko": f"평가용 점 정확도(시도별): {accuracies}. {result.summary()['ko']}; 시도마다 {MIN_ACCURACY} 이상이어야 성공입니다.",
        "en": f"Held-out accuracy per try: {accuracies}. {result.summary()['en']}; a try succeeds at {MIN_ACCURACY} or more.",
    })
    raise Incorrect(Msg("accuracy_low", got=result.chosen.value, expected=MIN_ACCURACY), rule, *found, *ctx.replay_notes)


def slow_learning(facts, steps):
    """Why a non-linear model still misses after the step budget, from its own optimizer and learning rate: a
    larger rate is suggested only to an Adam model below 0.01, never to one already there, nor to SGD."""
    optimizer, rate = facts.get("optimizer") or "", facts.get("learning_rate")
    rate = None if rate is None else float(f"{rate:.6g}")  # Keras keeps 0.01 as float32 0.0099999998
    shown = optimizer.upper() if len(optimizer) <= 4 else optimizer  # SGD, rm_sprop
    if optimizer == "adam" and rate is not None and rate < 0.01:
        return {"ko": f"학습 스텝 최대 {steps}번 뒤에도 정확도가 낮습니다. Adam의 학습률 {rate:g}(은) 주어진 예산 "
                      "안에서는 너무 작습니다. 0.01 정도로 키워 보세요.",
                "en": f"Accuracy is still low after at most {steps} training steps. Adam's learning rate {rate:g} is "
                      "too small for this budget: try about 0.01."}
    if rate is not None and rate > 0.5:
        return {"ko": f"학습 스텝 최대 {steps}번 뒤에도 정확도가 낮습니다. 학습률 {rate:g}(은) 너무 커서 "
                      "최솟값을 지나쳐 버립니다. 0.01 정도로 줄여 보세요.",
                "en": f"Accuracy is still low after at most {steps} training steps. A learning rate of {rate:g} is so "
                      "large that each step overshoots the minimum: try about 0.01."}
    if optimizer and optimizer != "adam":
        return {"ko": f"학습 스텝 최대 {steps}번 뒤에도 정확도가 낮습니다. {shown}(은) 주어진 예산 안에서 원을 "
                      "배우기에 느립니다. 수업처럼 Adam(학습률 0.01 정도)을 써 보세요.",
                "en": f"Accuracy is still low after at most {steps} training steps. {shown} learns the circles too "
                      "slowly for this budget: use Adam (learning rate about 0.01), as the lesson does."}
    if optimizer == "adam" and rate is not None:
        return {"ko": f"학습 스텝 최대 {steps}번 뒤에도 정확도가 낮습니다. 학습률({rate:g})은 충분하니 "
                      "은닉층의 뉴런을 늘려 보세요(예: 16개 이상).",
                "en": f"Accuracy is still low after at most {steps} training steps. The learning rate ({rate:g}) is "
                      "large enough: give the hidden layer more units (16 or more)."}
    return {"ko": f"학습 스텝 최대 {steps}번 뒤에도 정확도가 낮습니다. 은닉층의 뉴런을 늘리거나 Adam(학습률 "
                  "0.01 정도)으로 학습해 보세요.",
            "en": f"Accuracy is still low after at most {steps} training steps. Give the hidden layer more units, or "
                  "train with Adam (learning rate about 0.01)."}


@check(title={"ko": "compile된 Keras 모델", "en": "A compiled Keras model"}, needs="build_circles_model",
       hint={"ko": "모델을 반환하기 전에 compile해야 합니다: 옵티마이저와 이진 분류용 손실을 정하세요.",
             "en": "Compile the model before returning it: choose an optimizer and the loss for binary classification."})
def compiled_model(ctx):
    _, facts = model_facts(ctx)
    ctx.expect(facts["compiled"], Msg("not_compiled"))


@check(title={"ko": "입력 (2,), sigmoid 출력 하나", "en": "Input (2,), one sigmoid output"}, needs="build_circles_model")
def input_output(ctx):
    model, facts = model_facts(ctx)
    last = facts["layers"][-1] if facts["layers"] else {}
    got = f"{last.get('class')}({last.get('units')}, {last.get('activation')})"
    if softmax_one_unit(facts):
        raise Incorrect(Msg("expected_got", expected="Dense(1, sigmoid)", got=got), Explanation(SOFTMAX_ONE_UNIT))
    ctx.expect_io(model, facts, [(2,)], [(1,)], label=LABEL)  # judged by calling the model on a batch
    if last.get("activation") != "sigmoid":
        raise Incorrect(Msg("expected_got", expected="Dense(1, sigmoid)", got=got))


@check(title={"ko": "비선형 은닉층", "en": "A non-linear hidden layer"}, points=2, needs="build_circles_model")
def nonlinear_hidden_layer(ctx):
    _, facts = model_facts(ctx)
    if is_linear(facts):
        raise Incorrect(Msg("layers_differ"), Explanation(LINEAR_BOUNDARY))


@check(title={"ko": "binary_crossentropy와 Adam", "en": "binary_crossentropy and Adam"}, points=2,
       needs="build_circles_model")
def loss_and_optimizer(ctx):
    _, facts = model_facts(ctx)
    ctx.expect(facts["compiled"], Msg("not_compiled"))
    loss = flat_names(facts.get("loss"))
    if not (len(loss) == 1 and loss[0] == "binary_crossentropy"):
        extra = [Explanation(MSE_LOSS)] if any(n in ("mse", "mean_squared_error") for n in loss) else []
        raise Incorrect(Msg("expected_got", expected="loss='binary_crossentropy'", got=facts.get("loss")), *extra)
    optimizer = str(facts.get("optimizer") or "").replace("_", "")
    ctx.expect(optimizer == "adam", Msg("expected_got", expected="optimizer='adam'", got=facts.get("optimizer")))


@check(title={"ko": "학습 후 평가용 점 정확도 ≥ 0.8", "en": "After training, held-out accuracy ≥ 0.8"}, points=4,
       needs="build_circles_model")
def learns_circles(ctx):
    data = datasets.circles(PUBLIC_SEED)
    if ctx.key is not None:  # with the hidden checks: held-out points drawn with the judge's secret, not the public seed
        fresh = datasets.circles(int(ctx.secret_rng("circles-held-out", seed=0).integers(1, 2**31 - 1)))
        data = data._replace(x_test=fresh.x_test, y_test=fresh.y_test)
    judge(ctx, data, "trained_public")
