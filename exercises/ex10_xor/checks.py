"""ex10 public checks: a compiled model with a non-linear hidden layer that the grader can train on XOR."""

import numpy as np

from grader.checks import Explanation, Incorrect, check, epochs_run, is_linear
from grader.i18n import Msg

LABEL = "build_xor_model()"
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([0, 1, 1, 0], dtype=np.float32)
REPEAT = 64       # one epoch = 64 steps, each on the four points (batch 4, in order): the lesson's full batch
MAX_EPOCHS = 8    # at most 512 steps per start; a right model needs ~32
MARGIN = 0.3      # training ends once every output is within 0.3 of its 0/1 target

PERCEPTRON_LIMIT = {
    "ko": "은닉층이 없거나 은닉층이 모두 선형이면 모델 전체가 하나의 선형 결정 경계(직선)가 됩니다. "
          "XOR의 (0,1), (1,0)과 (0,0), (1,1)은 직선 하나로 나눌 수 없습니다 — 단층 퍼셉트론의 한계입니다. "
          "비선형 활성화(tanh, relu)를 쓰는 은닉층을 넣으세요.",
    "en": "With no hidden layer, or only linear hidden layers, the whole model draws one straight decision boundary. "
          "XOR's (0,1), (1,0) and (0,0), (1,1) cannot be split by one line: the single-layer perceptron's limit. "
          "Add a hidden layer with a non-linear activation (tanh, relu).",
}


def model_facts(ctx):
    return ctx.model("build_xor_model", label=LABEL)


def trained(ctx):
    """Train the student's model on XOR (in the sandbox) until the four points are right, or the budget ends.

    A right model can start in a dead corner (relu units that never fire): then it gets one fresh start,
    built again by the student's own function from other random weights.
    """
    def fit_until_learned(model):
        x, y = np.tile(X, (REPEAT, 1)), np.tile(Y, REPEAT)
        # one fit() call that ends once every output is within MARGIN of its target (a clear decision, not one
        # that just tips over 0.5): ~30 ms per epoch, the trace of the student's train step paid once
        history = ctx.fit(model, x, y, epochs=MAX_EPOCHS, batch_size=4, shuffle=False,
                          until={"x": X, "y": Y, "within": MARGIN})
        epochs = epochs_run(history, MAX_EPOCHS)
        out = np.asarray(ctx.predict(model, X)).reshape(-1)
        return bool(np.array_equal(out > 0.5, Y > 0.5)), epochs

    def train():
        model, facts = model_facts(ctx)
        if not facts["compiled"]:
            raise Incorrect(Msg("not_compiled"))
        learned, epochs = fit_until_learned(model)
        if not learned and not is_linear(facts):
            ctx.run("keras.utils.set_random_seed(int(seed))", seed=int(ctx.rng.integers(1, 2**31)))
            model = ctx.call("build_xor_model", label=LABEL)
            learned, more = fit_until_learned(model)
            epochs += more
        out, _ = ctx.predict_trained(model, X, label="model(x)")  # computed here from the trained weights
        return model, np.asarray(out, dtype=float).reshape(-1), epochs
    return ctx.once("trained", train)


@check(title={"ko": "compile 된 Keras 모델", "en": "A compiled Keras model"}, needs="build_xor_model",
       hint={"ko": "return 하기 전에 model.compile(optimizer=..., loss='binary_crossentropy')를 호출하세요.",
             "en": "Call model.compile(optimizer=..., loss='binary_crossentropy') before returning."})
def compiled_model(ctx):
    _, facts = model_facts(ctx)
    ctx.expect(facts["compiled"], Msg("not_compiled"))


@check(title={"ko": "입력 (2,), sigmoid 출력 하나", "en": "Input (2,), one sigmoid output"}, needs="build_xor_model")
def input_output(ctx):
    model, facts = model_facts(ctx)
    ctx.expect_io(model, facts, [(2,)], [(1,)], label=LABEL)
    last = facts["layers"][-1] if facts["layers"] else {}
    ctx.expect(last.get("activation") == "sigmoid",
               Msg("expected_got", expected="Dense(1, sigmoid)", got=f"{last.get('class')}({last.get('units')}, {last.get('activation')})"))


@check(title={"ko": "비선형 은닉층", "en": "A non-linear hidden layer"}, points=2, needs="build_xor_model")
def nonlinear_hidden_layer(ctx):
    _, facts = model_facts(ctx)
    if is_linear(facts):
        raise Incorrect(Msg("layers_differ"), Explanation(PERCEPTRON_LIMIT))


@check(title={"ko": "XOR 네 점을 모두 맞힘", "en": "Classifies all four XOR points"}, points=4, needs="build_xor_model")
def learns_xor(ctx):
    _, out, epochs = trained(ctx)
    if np.array_equal(out > 0.5, Y > 0.5):
        return
    _, facts = model_facts(ctx)
    from grader.feedback import NumTable, Row

    table = NumTable([Row(f"x = {tuple(int(v) for v in X[i])}", int(Y[i]), round(float(out[i]), 3)) for i in range(4)])
    if is_linear(facts):
        raise Incorrect(Msg("train_accuracy_low", got=float(np.mean((out > 0.5) == (Y > 0.5))), expected=1.0),
                        Explanation(PERCEPTRON_LIMIT), table)
    raise Incorrect(
        {"ko": f"{epochs * REPEAT}걸음 학습 뒤에도 네 점을 모두 맞히지 못했습니다. 학습률을 키우거나(Adam 0.01~0.1) 은닉 뉴런을 늘려 보세요.",
         "en": f"After {epochs * REPEAT} training steps the four points are still not all right. Try a larger learning rate (Adam 0.01-0.1) or more hidden units."},
        table, *ctx.replay_notes)
