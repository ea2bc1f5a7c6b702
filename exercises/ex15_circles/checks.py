"""ex15 public checks: a compiled binary classifier with a non-linear hidden layer, trained by the grader on
make_circles data and judged on held-out points."""

import numpy as np

from grader.checks import datasets
from grader.checks import Explanation, Incorrect, check, epochs_run, flat_names, is_linear
from grader.i18n import Msg

LABEL = "build_circles_model()"
PUBLIC_SEED = 0      # make_circles(n_samples=500, noise=0.2, factor=0.3, random_state=0): 350 training, 150 held-out
REPEAT = 8           # one epoch = the 350 training points repeated 8 times: 88 steps of batch 32
MAX_EPOCHS = 4       # at most 352 steps; training stops once 90% of the training points are right
BATCH = 32
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
    """Build a fresh model, train it in the sandbox on the training points (until 90% of them are right, or the
    step budget ends) and return its accuracy on the held-out points, whose labels never leave this process."""
    def train():
        model = ctx.call("build_circles_model", label=LABEL)
        facts = ctx.describe(model, LABEL)
        if not facts["compiled"]:
            raise Incorrect(Msg("not_compiled"))
        x, y = np.tile(data.x_train, (REPEAT, 1)), np.tile(data.y_train, REPEAT)
        # one fit() call that ends once STOP_ACCURACY of the training points are right (the trace paid once)
        history = ctx.fit(model, x, y, epochs=MAX_EPOCHS, batch_size=BATCH, shuffle=True,
                          until={"x": data.x_train, "y": data.y_train, "accuracy": STOP_ACCURACY})
        epochs = epochs_run(history, MAX_EPOCHS)
        held_out = held_out_accuracy(ctx, model, data.x_test, data.y_test, "model(x_test)")
        return facts, held_out, epochs * -(-len(x) // BATCH)
    return ctx.once(key, train)


def judge(ctx, data, key):
    facts, got, steps = trained(ctx, data, key)
    if got >= MIN_ACCURACY:
        return
    found = causes(facts)
    if not found:
        rate = facts.get("learning_rate")
        found = [Explanation(
            {"ko": f"{steps}걸음 학습 뒤에도 정확도가 낮습니다. 학습률을 키우거나(Adam 0.01, 지금 {rate:.3g}) "
                   "은닉 뉴런을 늘려 보세요.",
             "en": f"Accuracy is still low after {steps} training steps. Try a larger learning rate (Adam 0.01; now "
                   f"{rate:.3g}) or more hidden units."})] if rate is not None else []
    raise Incorrect(Msg("accuracy_low", got=got, expected=MIN_ACCURACY), *found, *ctx.replay_notes)


@check(title={"ko": "compile 된 Keras 모델", "en": "A compiled Keras model"}, needs="build_circles_model",
       hint={"ko": "return 하기 전에 model.compile(optimizer=..., loss='binary_crossentropy')를 호출하세요.",
             "en": "Call model.compile(optimizer=..., loss='binary_crossentropy') before returning."})
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
    judge(ctx, datasets.circles(PUBLIC_SEED), "trained_public")
