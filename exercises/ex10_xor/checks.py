"""ex10 public checks: a compiled model with a non-linear hidden layer that the grader can train on XOR."""

import numpy as np

from grader.checks import Explanation, Incorrect, check, epochs_run, is_linear
from grader.checks.trials import Trial, build_seeded, vote
from grader.i18n import Msg

LABEL = "build_xor_model()"
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([0, 1, 1, 0], dtype=np.float32)
REPEAT = 64       # one epoch = 64 steps, each on the four points (batch 4, in order): the lesson's full batch
MAX_EPOCHS = 8    # at most 512 steps per try; a right model needs ~32
STEPS = REPEAT * MAX_EPOCHS
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
    """Train the student's model on XOR (in the sandbox) by the rule of :mod:`grader.checks.trials`: up to three
    tries, each a fresh model built by the student's own function after seeding Keras with a seed from their code
    (never from ``--seed``: the same code always gets the same verdict), each at most STEPS steps; XOR is learned
    when two tries classify the four points right. Returns the :class:`~grader.checks.trials.Vote`.
    """
    def one_try(seed):
        model = build_seeded(ctx, seed, "build_xor_model", LABEL)
        x, y = np.tile(X, (REPEAT, 1)), np.tile(Y, REPEAT)
        # one fit() call that ends once every output is within MARGIN of its target (a clear decision, not one
        # that just tips over 0.5): ~30 ms per epoch, the trace of the student's train step paid once
        history = ctx.fit(model, x, y, epochs=MAX_EPOCHS, batch_size=4, shuffle=False,
                          until={"x": X, "y": Y, "within": MARGIN})
        out, _ = ctx.predict_trained(model, X, label="model(x)")  # computed here from the trained weights
        out = np.asarray(out, dtype=float).reshape(-1)
        learned = out.size == 4 and bool(np.array_equal(out > 0.5, Y > 0.5))
        return Trial(seed, learned, model, epochs_run(history, MAX_EPOCHS) * REPEAT, out)

    def train():
        _, facts = model_facts(ctx)
        if not facts["compiled"]:
            raise Incorrect(Msg("not_compiled"))
        return vote(ctx, "xor", one_try, stop=lambda trial: is_linear(facts))  # a linear model never learns XOR
    return ctx.once("trained", train)


@check(title={"ko": "compile된 Keras 모델", "en": "A compiled Keras model"}, needs="build_xor_model",
       hint={"ko": "모델을 반환하기 전에 compile해야 합니다: 옵티마이저와 이진 분류용 손실을 정하세요.",
             "en": "Compile the model before returning it: choose an optimizer and the loss for binary classification."})
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
    result = trained(ctx)
    if result.learned:
        return
    out = result.chosen.value
    _, facts = model_facts(ctx)
    from grader.feedback import NumTable, Row

    table = NumTable([Row(f"x = {tuple(int(v) for v in X[i])}", int(Y[i]), round(float(out[i]), 3)) for i in range(4)])
    if is_linear(facts):
        raise Incorrect(Msg("train_accuracy_low", got=float(np.mean((out > 0.5) == (Y > 0.5))), expected=1.0),
                        Explanation(PERCEPTRON_LIMIT), table)
    summary, advice = result.summary(), next_step(facts)
    raise Incorrect(
        {"ko": f"XOR 네 점을 배우지 못했습니다: {summary['ko']}. 시도마다 새 모델을 최대 {STEPS}스텝 학습합니다. "
               f"{advice['ko']} 표는 첫 시도의 출력입니다.",
         "en": f"XOR was not learned: {summary['en']}. Each try trains a fresh model for at most {STEPS} steps. "
               f"{advice['en']} The table shows the first try's outputs."},
        table, *ctx.replay_notes)


def next_step(facts):
    """What to change, from the model's own optimizer and learning rate: a larger rate only where it is small."""
    optimizer, rate = facts.get("optimizer") or "", facts.get("learning_rate")
    rate = None if rate is None else float(f"{rate:.6g}")  # Keras keeps 0.01 as float32 0.0099999998
    shown = optimizer.upper() if len(optimizer) <= 4 else optimizer  # SGD, rm_sprop
    if rate is not None and rate < 0.01:
        return {"ko": f"학습률 {rate:g}(은) 주어진 스텝 수에는 너무 작습니다. 0.01~0.1 정도로 키워 보세요.",
                "en": f"A learning rate of {rate:g} is too small for this many steps: try 0.01-0.1."}
    if rate is not None and rate > 1:
        return {"ko": f"학습률 {rate:g}(은) 너무 커서 최솟값을 지나쳐 버립니다. 0.01~0.1 정도로 줄여 보세요.",
                "en": f"A learning rate of {rate:g} is so large that each step overshoots: try 0.01-0.1."}
    if optimizer and optimizer != "adam":
        return {"ko": f"{shown}(은) 네 점을 배우기에 느립니다. Adam(학습률 0.01~0.1)을 써 보세요.",
                "en": f"{shown} learns the four points slowly: use Adam (learning rate 0.01-0.1)."}
    if rate is None:
        return {"ko": "은닉 뉴런을 늘리거나(예: 8개) 학습률을 0.01~0.1 정도로 맞춰 보세요.",
                "en": "Give the hidden layer more units (say 8), or set the learning rate to about 0.01-0.1."}
    return {"ko": "학습률은 충분하니 은닉 뉴런을 늘리거나(예: 8개) 활성화 함수를 tanh로 바꿔 보세요.",
            "en": "The learning rate is large enough: give the hidden layer more units (say 8) or try tanh."}
