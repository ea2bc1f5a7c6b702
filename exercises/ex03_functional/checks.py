"""ex03 public checks: ex02's classifier with the Functional API, and a two-input, two-output Wide & Deep model.

The Wide & Deep graph is read from the model's connections (which layer feeds which), identifying
layers by class and units, never by the names the student chose. Compiling is checked by what
the model does: the per-output losses Keras reports must be the MSE of its predictions, and the
total loss 0.9 × main + 0.1 × auxiliary.
"""

from collections import defaultdict

import numpy as np

from grader.checks import Code, Explanation, Incorrect, check, layer_text, verified
from grader.checks.trials import Trial, build_seeded, vote
from grader.feedback import NumTable, Row, Series
from grader.i18n import Msg

LABEL = "build_model()"
WIDE_LABEL = "build_wide_deep_model()"
COMPILE_LABEL = "compile_wide_deep(model)"
LAYERS = [
    {"class": "Flatten"},
    {"class": "Dense", "units": 400, "activation": "relu"},
    {"class": "Dense", "units": 200, "activation": "relu"},
    {"class": "Dense", "units": 100, "activation": "softmax"},
]
API_NAMES = {"sequential": "Sequential", "functional": "Functional", "subclass": "Subclassing"}
WIDE_DEEP_PARAMS = 1_207
MAIN_WEIGHT, AUX_WEIGHT = 0.9, 0.1
TRAIN_EPOCHS = 6

# Runs in the sandbox: the names of the input and output layers, in the order of model.inputs / model.outputs.
IO_PROBE = """
def _producer(t, only_inputs):
    for l in model.layers:
        if only_inputs and not isinstance(l, keras.layers.InputLayer):
            continue
        try:
            if l.output is t:
                return l.name
        except Exception:  # a layer called several times has no single output
            pass
    return None

result = {
    "inputs": [_producer(t, True) for t in model.inputs],
    "input_shapes": [[None if d is None else int(d) for d in t.shape] for t in model.inputs],
    "outputs": [_producer(t, False) for t in model.outputs],
}
"""

SEQUENTIAL_WHY = {"ko": "keras.Sequential 대신 Functional API로 만드세요: 입력 텐서(keras.Input)에서 시작해 층을 함수처럼 차례로 호출하고, 마지막에 입력과 출력으로 keras.Model을 만들어 반환합니다.",
                  "en": "Use the Functional API instead of keras.Sequential: start from an input tensor (keras.Input), call each layer on the previous result like a function, and return a keras.Model built from the inputs and the outputs."}
CONCAT_FIRST_HIDDEN = {
    "ko": "입력 A를 첫 번째 은닉층과 연결(concatenate)했습니다. Wide & Deep에서는 깊은 경로를 모두 지난 "
          "두 번째 은닉층(hidden2)을 A와 연결합니다: layers.concatenate([input_A, hidden2]).",
    "en": "You concatenated input A with the first hidden layer. In Wide & Deep, A joins the end of the deep path, "
          "the second hidden layer: layers.concatenate([input_A, hidden2]).",
}
AUX_ON_CONCAT = {
    "ko": "보조 출력이 연결(concatenate) 층에 붙어 있습니다. 보조 출력은 깊은 경로만 따로 학습시키려는 것이므로 "
          "두 번째 은닉층에 붙입니다: aux_output = layers.Dense(1)(hidden2).",
    "en": "The auxiliary output sits on the concatenation. The auxiliary output is there to train the deep path on its "
          "own, so it sits on the second hidden layer: aux_output = layers.Dense(1)(hidden2).",
}
OUTPUTS_SWAPPED = {
    "ko": "출력 순서가 바뀌었습니다. outputs=[output, aux_output]처럼 주 출력(연결 층 위)을 먼저, 보조 출력"
          "(hidden2 위)을 나중에 두세요.",
    "en": "The outputs are in the wrong order. Put the main output (on the concatenation) first and the auxiliary "
          "output (on hidden2) second: outputs=[output, aux_output].",
}
INPUTS_SWAPPED = {
    "ko": "입력 순서가 바뀌었습니다. inputs=[input_A, input_B], 즉 (5,) 모양의 A를 먼저 두세요. "
          "채점기는 [X_A, X_B] 순서로 데이터를 넣습니다.",
    "en": "The inputs are in the wrong order. Use inputs=[input_A, input_B], the (5,) input A first: "
          "the grader feeds the data as [X_A, X_B].",
}
ONE_LOSS_PER_OUTPUT = {
    "ko": "출력이 두 개이므로 손실도 출력마다 하나씩 주세요: loss=['mse', 'mse'], loss_weights=[0.9, 0.1].",
    "en": "There are two outputs, so give one loss per output: loss=['mse', 'mse'], loss_weights=[0.9, 0.1].",
}
WEIGHTS_SWAPPED = {
    "ko": "손실 가중치가 뒤바뀌었습니다. 주 출력이 0.9, 보조 출력이 0.1입니다: loss_weights=[0.9, 0.1] "
          "(outputs=[output, aux_output] 순서).",
    "en": "The loss weights are swapped. The main output weighs 0.9 and the auxiliary output 0.1: "
          "loss_weights=[0.9, 0.1] (for outputs=[output, aux_output]).",
}
NO_WEIGHTS = {
    "ko": "전체 손실이 두 손실의 단순 합입니다. compile(..., loss_weights=[0.9, 0.1])로 가중치를 주세요.",
    "en": "The total loss is the plain sum of the two losses. Weight them: compile(..., loss_weights=[0.9, 0.1]).",
}


# --- shared steps ----------------------------------------------------------------------------


def model_facts(ctx):
    """Build the student's classifier once per run and describe it."""
    return ctx.model("build_model", label=LABEL)


def wide_deep(ctx):
    """Build the student's Wide & Deep model once: (handle, facts, {"inputs", "input_shapes", "outputs"})."""
    def build():
        model = ctx.call("build_wide_deep_model", label=WIDE_LABEL)
        facts = ctx.describe(model, WIDE_LABEL)
        if facts["api"] != "functional":
            raise Incorrect(Msg("wrong_api", expected="Functional", got=API_NAMES.get(facts["api"], facts["api"])))
        io = ctx.run(IO_PROBE, label=WIDE_LABEL, model=model)
        return model, facts, io
    return ctx.once("wide_deep", build)


def expect_io(ctx):
    """Two inputs (5,) then (6,), two outputs of shape (None, 1)."""
    _, facts, io = wide_deep(ctx)
    shapes = [s[1:] for s in io["input_shapes"]]
    if shapes == [[6], [5]]:
        raise Incorrect(Msg("expected_got", expected="inputs [(None, 5), (None, 6)]", got="[(None, 6), (None, 5)]"),
                        Explanation(INPUTS_SWAPPED))
    ctx.expect(shapes == [[5], [6]],
               Msg("expected_got", expected="inputs [(None, 5), (None, 6)]",
                   got=[tuple(s) for s in io["input_shapes"]] or "—"))
    ctx.expect(facts["outputs"] == [[None, 1], [None, 1]],
               Msg("expected_got", expected="outputs [(None, 1), (None, 1)]",
                   got=[tuple(s) for s in facts["outputs"]] or "—"))


def graph_text(facts, io):
    """The student's connections, one per line: `dense Dense(30, relu)  →  dense_1 Dense(30, relu)`."""
    layers = {l["name"]: l for l in facts["layers"]}
    shapes = dict(zip(io["inputs"], io["input_shapes"]))

    def name(n):
        if n in shapes:
            return f"{n} Input{tuple(shapes[n][1:])}"
        return f"{n} " + layer_text({k: v for k, v in layers.get(n, {"class": n}).items() if k != "output_shape"})

    lines = [f"{name(src)}  →  {name(dst)}" for src, dst in facts["edges"]]
    outputs = ", ".join(name(n) for n in io["outputs"])
    return "\n".join(lines + [f"outputs = [{outputs}]"])


def graph_problem(facts, io):
    """The first way the graph differs from Wide & Deep, as (message, explanation or None); None if right."""
    layers = {l["name"]: l for l in facts["layers"]}
    feeds = defaultdict(list)
    for src, dst in facts["edges"]:
        feeds[dst].append(src)
    shapes = {n: s[1:] for n, s in zip(io["inputs"], io["input_shapes"])}
    a = next((n for n, s in shapes.items() if s == [5]), None)
    b = next((n for n, s in shapes.items() if s == [6]), None)

    def is_dense(n, units, relu=None):
        l = layers.get(n, {})
        if l.get("class") != "Dense" or l.get("units") != units:
            return False
        return relu is None or (l.get("activation") == "relu") == relu

    hidden = [n for n in layers if is_dense(n, 30, relu=True)]
    h1 = next((n for n in hidden if feeds[n] == [b]), None)
    if h1 is None:
        return ({"ko": "입력 B (6,)을 받는 Dense(30, relu) 층(hidden1)이 없습니다.",
                 "en": "No Dense(30, relu) layer (hidden1) takes input B (6,)."}, None)
    h2 = next((n for n in hidden if feeds[n] == [h1]), None)
    if h2 is None:
        return ({"ko": "hidden1을 받는 두 번째 Dense(30, relu) 층(hidden2)이 없습니다.",
                 "en": "No second Dense(30, relu) layer (hidden2) takes hidden1."}, None)
    concats = [n for n, l in layers.items() if l.get("class") == "Concatenate"]
    concat = next((n for n in concats if sorted(feeds[n]) == sorted([a, h2])), None)
    if concat is None:
        wrong = next((n for n in concats if sorted(feeds[n]) == sorted([a, h1])), None)
        message = {"ko": "입력 A와 hidden2를 연결하는 Concatenate 층이 없습니다.",
                   "en": "No Concatenate layer joins input A and hidden2."}
        return (message, CONCAT_FIRST_HIDDEN if wrong else None)
    if len(io["outputs"]) != 2:
        return ({"ko": f"출력이 {len(io['outputs'])}개입니다. 주 출력과 보조 출력, 2개여야 합니다.",
                 "en": f"The model has {len(io['outputs'])} outputs; expected 2, the main and the auxiliary."}, None)
    main, aux = io["outputs"]
    if is_dense(main, 1) and is_dense(aux, 1) and feeds[main] == [h2] and feeds[aux] == [concat]:
        return ({"ko": "주 출력과 보조 출력의 순서가 바뀌었습니다.", "en": "The main and auxiliary outputs are swapped."},
                OUTPUTS_SWAPPED)
    if not (is_dense(main, 1) and feeds[main] == [concat]):
        return ({"ko": "첫 번째 출력(주 출력)은 Concatenate 층 위의 Dense(1) 층이어야 합니다.",
                 "en": "The first output (the main output) must be a Dense(1) on the Concatenate layer."}, None)
    if not (is_dense(aux, 1) and feeds[aux] == [h2]):
        return ({"ko": "두 번째 출력(보조 출력)은 hidden2 위의 Dense(1) 층이어야 합니다.",
                 "en": "The second output (the auxiliary output) must be a Dense(1) on hidden2."},
                AUX_ON_CONCAT if feeds[aux] == [concat] else None)
    for n in (main, aux):
        if layers[n].get("activation") not in (None, "linear"):
            return ({"ko": f"회귀 출력에는 활성화 함수를 쓰지 않습니다: Dense(1) 층에 {layers[n]['activation']}(이) 있습니다.",
                     "en": f"Regression outputs take no activation: a Dense(1) has {layers[n]['activation']}."}, None)
    return None


def regression_data(rng, n):
    """Inputs A (n, 5), B (n, 6) and a target that depends on both.

    The target's mean of 1.5 is far from an untrained output's 0, so both outputs' losses fall
    clearly in a few dozen SGD steps, the auxiliary one too although it weighs only 0.1.
    """
    xa = rng.normal(size=(n, 5)).astype(np.float32)
    xb = rng.normal(size=(n, 6)).astype(np.float32)
    y = 0.4 * xa @ rng.normal(size=5) + np.tanh(xb @ rng.normal(size=6)) + 0.1 * rng.normal(size=n)
    y = (y - y.mean()) / y.std() + 1.5
    return xa, xb, y.astype(np.float32).reshape(-1, 1)


def compiled(ctx):
    """The Wide & Deep model after the student's compile_wide_deep(model), once per run."""
    def run():
        model, _, _ = wide_deep(ctx)
        ctx.call("compile_wide_deep", model, label=COMPILE_LABEL)
        facts = ctx.describe(model, COMPILE_LABEL)
        ctx.expect(facts["compiled"], Msg("not_compiled"))
        return model, facts
    return ctx.once("compiled", run)


def loss_keys(history, io):
    """The per-output loss keys Keras reports ("<output layer name>_loss"), main first."""
    keys = [f"{name}_loss" for name in io["outputs"]]
    if all(k in history for k in keys):
        return keys
    raise Incorrect({"ko": f"출력별 손실을 찾을 수 없습니다: {sorted(history)}",
                     "en": f"Per-output losses not found among {sorted(history)}"})


def raised_why(exc):
    text = str(getattr(exc.message, "params", {}).get("error", ""))
    if "must match the number of losses" in text or "loss_weights" in text:
        return ONE_LOSS_PER_OUTPUT
    return None


def expect_weighted_mse(ctx, xa, xb, y):
    """The total loss Keras computes is 0.9 × MSE(main) + 0.1 × MSE(aux); the targets differ per output
    so that swapped or missing weights show."""
    model, _ = compiled(ctx)
    y_aux = y + 3.0
    try:
        # the loss and the outputs computed by the judge's own Keras from the exported model, not in the sandbox
        got = verified.computed_loss(ctx, model, [xa, xb], [y, y_aux], label="model.compute_loss()")
    except Incorrect as exc:
        why = raised_why(exc)
        raise Incorrect(exc.message, *([Explanation(why)] if why else []), *exc.details) from None
    total = got["loss"]
    pred_main, pred_aux = (np.asarray(p, dtype=float) for p in got["pred"])
    mse = float(np.mean((pred_main - y) ** 2)), float(np.mean((pred_aux - y_aux) ** 2))
    mae = float(np.mean(np.abs(pred_main - y))), float(np.mean(np.abs(pred_aux - y_aux)))

    def is_total(weights, losses):
        return bool(np.isclose(total, weights[0] * losses[0] + weights[1] * losses[1], rtol=1e-3, atol=1e-6))

    if is_total((MAIN_WEIGHT, AUX_WEIGHT), mse):
        return
    shown = NumTable([Row("loss = 0.9·MSE(main) + 0.1·MSE(aux)",
                          round(MAIN_WEIGHT * mse[0] + AUX_WEIGHT * mse[1], 4), round(total, 4))])
    if is_total((AUX_WEIGHT, MAIN_WEIGHT), mse):
        raise Incorrect(Msg("expected_got", expected="loss_weights [0.9, 0.1]", got="[0.1, 0.9]"),
                        Explanation(WEIGHTS_SWAPPED), shown)
    if is_total((1.0, 1.0), mse):
        raise Incorrect(Msg("expected_got", expected="loss_weights [0.9, 0.1]", got="[1, 1]"), Explanation(NO_WEIGHTS),
                        shown)
    if any(is_total(w, mae) for w in ((MAIN_WEIGHT, AUX_WEIGHT), (AUX_WEIGHT, MAIN_WEIGHT), (1.0, 1.0))):
        raise Incorrect({"ko": "손실 함수가 평균 절대 오차(MAE)입니다. 평균 제곱 오차를 쓰세요: loss=['mse', 'mse'].",
                         "en": "The loss is the mean absolute error (MAE). Use the mean squared error: "
                               "loss=['mse', 'mse']."}, shown)
    raise Incorrect({"ko": "전체 손실이 0.9 × 주 출력의 MSE + 0.1 × 보조 출력의 MSE가 아닙니다.",
                     "en": "The total loss is not 0.9 × MSE of the main output + 0.1 × MSE of the auxiliary output."},
                    shown)


# --- the classifier --------------------------------------------------------------------------


@check(title={"ko": "build_model: Functional API 사용", "en": "build_model: uses the Functional API"},
       needs="build_model")
def functional_api(ctx):
    _, facts = model_facts(ctx)
    if facts["api"] != "functional":
        details = [Explanation(SEQUENTIAL_WHY)] if facts["api"] == "sequential" else []
        raise Incorrect(Msg("wrong_api", expected="Functional", got=API_NAMES.get(facts["api"], facts["api"])), *details)


@check(title={"ko": "build_model: 입력 (100, 100, 3)과 층 구성", "en": "build_model: input (100, 100, 3) and layers"},
       points=2, needs="build_model")
def functional_layers(ctx):
    _, facts = model_facts(ctx)
    got = facts["inputs"]
    ctx.expect(got == [[None, 100, 100, 3]],
               Msg("expected_got", expected="[(None, 100, 100, 3)]", got=[tuple(s) for s in got] or "—"))
    ctx.expect_layers(facts, LAYERS)


@check(title={"ko": "build_model: 파라미터 12,100,700 개와 확률 출력", "en": "build_model: 12,100,700 parameters, probabilities out"},
       needs="build_model")
def functional_params(ctx):
    model, facts = model_facts(ctx)
    ctx.expect_params(facts, 12_100_700)
    x = np.random.default_rng(0).random((2, 100, 100, 3), dtype=np.float32)
    out = ctx.predict(model, x, label="model(x)")
    ctx.expect_probabilities(out, 2, 100)


# --- Wide & Deep -----------------------------------------------------------------------------


@check(title={"ko": "Wide & Deep: 입력 (5,), (6,)과 출력 두 개", "en": "Wide & Deep: inputs (5,), (6,) and two outputs"},
       needs="build_wide_deep_model",
       hint={"ko": "입력이 둘, 출력이 둘인 모델입니다. 모델을 만들 때 입력 둘과 출력 둘을 각각 목록으로, 넓은 쪽(A)과 주 출력을 먼저 주세요.",
             "en": "The model has two inputs and two outputs: build it from a list of both inputs and a list of both outputs, the wide input (A) and the main output first."})
def wide_deep_io(ctx):
    expect_io(ctx)


@check(title={"ko": "Wide & Deep: 층 연결", "en": "Wide & Deep: how the layers connect"}, points=3,
       needs="build_wide_deep_model",
       hint={"ko": "깊은 쪽 입력(B)만 은닉층 두 개를 지나고, 넓은 쪽 입력(A)은 두 번째 은닉층의 결과와 이어 붙입니다. 보조 출력은 두 번째 은닉층에서 바로 나옵니다.",
             "en": "Only the deep input (B) goes through the two hidden layers; the wide input (A) is concatenated with the second hidden layer's result. The auxiliary output comes straight from the second hidden layer."})
def wide_deep_graph(ctx):
    expect_io(ctx)
    _, facts, io = wide_deep(ctx)
    problem = graph_problem(facts, io)
    if problem is not None:
        message, why = problem
        raise Incorrect(message, *([Explanation(why)] if why else []), Code(graph_text(facts, io)))


@check(title={"ko": "Wide & Deep: 파라미터 1,207개", "en": "Wide & Deep: 1,207 parameters"},
       needs="build_wide_deep_model")
def wide_deep_params(ctx):
    _, facts, _ = wide_deep(ctx)
    ctx.expect_params(facts, WIDE_DEEP_PARAMS)


@check(title={"ko": "compile: MSE 두 개, 가중치 0.9 / 0.1, SGD", "en": "compile: two MSE losses weighted 0.9 / 0.1, SGD"},
       points=2, needs="compile_wide_deep",
       hint={"ko": "출력이 둘이면 손실도 둘을 주고, 두 손실을 주 출력 0.9, 보조 출력 0.1의 비중으로 더하세요. 옵티마이저는 수업처럼 SGD입니다.",
             "en": "Two outputs need two losses, weighted 0.9 for the main output and 0.1 for the auxiliary one. The optimizer is SGD, as in the lesson."})
def compile_settings(ctx):
    expect_io(ctx)
    _, facts = compiled(ctx)
    optimizer = str(facts.get("optimizer", "")).replace("_", "")
    ctx.expect(optimizer == "sgd", Msg("expected_got", expected="optimizer SGD", got=facts.get("optimizer")))
    xa, xb, y = regression_data(np.random.default_rng(1), 64)
    expect_weighted_mse(ctx, xa, xb, y)


def fell(curve):
    """A loss curve that stays finite and ends below where it started."""
    return bool(np.all(np.isfinite(curve)) and curve[-1] < curve[0])


def trained_wide_deep(ctx):
    """Train fresh Wide & Deep models by the rule of :mod:`grader.checks.trials`: up to three tries, each built and
    compiled by the student's own functions after seeding Keras with a seed from their code, on data drawn from
    that seed (never from ``--seed``: the same code always gets the same verdict), TRAIN_EPOCHS epochs each; a try
    learns when both outputs' losses fall. Six epochs, not three: with an MAE loss the auxiliary output (weight
    0.1) moves by sign-only steps and fell in only ~93% of three-epoch trainings (0 of 300 failed at six)."""
    def one_try(seed):
        model = build_seeded(ctx, seed, "build_wide_deep_model", WIDE_LABEL)
        ctx.call("compile_wide_deep", model, label=COMPILE_LABEL)
        io = ctx.run(IO_PROBE, label=WIDE_LABEL, model=model)  # a fresh build names its layers anew
        xa, xb, y = regression_data(np.random.default_rng(seed), 1000)
        try:
            history = ctx.fit(model, [xa, xb], [y, y], epochs=TRAIN_EPOCHS, batch_size=50, shuffle=True)
        except Incorrect as exc:
            why = raised_why(exc)
            raise Incorrect(exc.message, *([Explanation(why)] if why else []), *exc.details) from None
        main_key, aux_key = loss_keys(history, io)
        curves = {"main": history[main_key], "aux": history[aux_key]}
        return Trial(seed, all(fell(c) for c in curves.values()), model, value=curves)

    def train():
        compiled(ctx)  # compiles at all, once, before any try
        return vote(ctx, "wide_deep", one_try)
    return ctx.once("trained", train)


@check(title={"ko": "Wide & Deep: 학습하면 두 손실이 모두 줄어듦", "en": "Wide & Deep: training lowers both losses"},
       points=2, needs=("build_wide_deep_model", "compile_wide_deep"))
def wide_deep_trains(ctx):
    expect_io(ctx)
    result = trained_wide_deep(ctx)
    if result.learned:
        return
    curves = next(t.value for t in result.trials if not t.learned)
    name = next(n for n, c in curves.items() if not fell(c))
    raise Incorrect({"ko": f"학습하는 동안 {'주' if name == 'main' else '보조'} 출력의 손실이 줄지 않았습니다.",
                     "en": f"The {'main' if name == 'main' else 'auxiliary'} output's loss did not go down "
                           "during training."},
                    Explanation(result.summary()),
                    Series({"ko": "에포크별 손실", "en": "Loss per epoch"}, curves))
