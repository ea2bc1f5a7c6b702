"""ex09 public checks: a fixed small network whose numbers the reference computed, then a training run.

The grader sets known parameters inside the sandbox, asks the student's methods for their results and
compares them here. Finally it trains a network with the student's gradient() on handwritten digits (8×8 images),
holding the parameters itself, and measures the accuracy here on held-out images that are not rows of the public
data set and whose labels never enter the sandbox.
"""

import importlib.util
from pathlib import Path

import numpy as np

from grader.checks import Explanation, Incorrect, Mistake, check
from grader.feedback import Series
from grader.i18n import Msg

KEYS = ("W1", "b1", "W2", "b2")
NET = "TwoLayerNet(3, 4, 3)"

# The example of the statement: 4 samples of 3 features, 3 classes.
X = np.array([[1.0, 0.5, -1.0], [0.2, -0.3, 0.8], [-0.5, 0.9, 0.3], [0.7, -0.8, -0.4]])
T = np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 0]], dtype=float)
PARAMS = {
    "W1": np.array([[0.1, -0.2, 0.3, 0.0], [0.4, 0.1, -0.5, 0.2], [-0.3, 0.2, 0.1, 0.6]]),
    "b1": np.array([0.1, 0.0, -0.1, 0.2]),
    "W2": np.array([[0.5, -0.4, 0.1], [0.3, 0.2, -0.2], [-0.6, 0.1, 0.4], [0.2, 0.7, -0.3]]),
    "b2": np.array([0.0, 0.1, -0.1]),
}

# fmt: off
# Computed by the reference solution (solutions/ex09_two_layer_net), 12 significant digits.
PREDICT = np.array([[0.36805122351, 0.365802194675, 0.266146581814], [0.316186974412, 0.453088349571, 0.230724676016], [0.379712850707, 0.410337459335, 0.209949689958], [0.312753404952, 0.409714433234, 0.277532161814]])
LOSS = 1.06228309346
ACCURACY = 0.75
GRADIENT = {
    "W1": np.array([[-0.0206090075548, -0.00804775322763, 0.0269116901913, 0.00276388514662], [-0.00673709283981, -0.0101415791913, 0.0208327485664, -0.00823692245688], [0.0168782703039, 0.0283171930984, -0.0550529205821, 0.0285574549575]]),
    "b1": np.array([0.0231622718344, 0.00317583399696, -0.0149295440967, -0.0121806168121]),
    "W2": np.array([[0.022740113785, -0.0471021536305, 0.0243620398455], [0.0626316435809, -0.0486867200391, -0.0139449235417], [0.0504354178661, -0.0364101297443, -0.0140252881218], [0.0797800658244, -0.0476856014013, -0.032094464423]]),
    "b2": np.array([0.0941761133954, -0.090264390796, -0.00391172259935]),
}
PREDICT_SOFTMAX_HIDDEN = np.array([[0.374454920571, 0.335236145561, 0.290308933868], [0.31788217212, 0.426395973784, 0.255721854095], [0.365626941263, 0.393208247978, 0.241164810759], [0.305156794153, 0.388276140751, 0.306567065096]])
GRADIENT_NO_SIGMOID_GRAD = {
    "W1": np.array([[-0.0962204471226, -0.0336499291182, 0.10955626301, 0.0170577566097], [-0.0304925087995, -0.0410607789337, 0.0806849027775, -0.0427847650416], [0.080385591239, 0.114802251105, -0.222619008524, 0.123184843529]]),
    "b1": np.array([0.0828026407562, 0.0109823003793, -0.0670967961566, -0.0431763340983]),
}
# fmt: on

# Sets known parameters in place; reports the keys and shapes it found instead when they do not fit.
SET_PARAMS = """
params = net.params
found = {key: list(np.shape(params[key])) for key in params} if isinstance(params, dict) else None
fits = found is not None and all(key in params and tuple(found[key]) == np.shape(value) for key, value in values.items())
if fits:
    for key, value in values.items():
        params[key][...] = value
result = {"found": found, "fits": fits}
"""

ROWS_SUM_TO_ONE = {
    "ko": "출력의 각 행의 합이 1이 아닙니다. 출력층에는 softmax, 은닉층에는 sigmoid를 씁니다: "
          "y = softmax(sigmoid(x·W1 + b1)·W2 + b2).",
    "en": "The rows of the output do not sum to 1. The output layer uses softmax and the hidden layer sigmoid: "
          "y = softmax(sigmoid(x·W1 + b1)·W2 + b2).",
}
SOFTMAX_HIDDEN = {
    "ko": "은닉층에 softmax를 썼습니다. 은닉층의 활성화 함수는 sigmoid이고, softmax는 출력층에만 씁니다.",
    "en": "You used softmax in the hidden layer. The hidden layer's activation is sigmoid; softmax is for the output only.",
}
NO_BATCH_DIVISION = {
    "ko": "배치 크기로 나누지 않았습니다. 손실이 배치 평균이므로 역전파의 시작은 dy = (y − t) / batch_size입니다.",
    "en": "You did not divide by the batch size. The loss is a batch average, so backprop starts from "
          "dy = (y − t) / batch_size.",
}
NO_SIGMOID_GRAD = {
    "ko": "sigmoid의 미분을 곱하지 않았습니다. z = sigmoid(a)이면 ∂z/∂a = z·(1 − z) 이므로 "
          "da1 = (dy·W2ᵀ) · z1 · (1 − z1)입니다.",
    "en": "The sigmoid's derivative is missing. With z = sigmoid(a), ∂z/∂a = z·(1 − z), so "
          "da1 = (dy·W2ᵀ) · z1 · (1 − z1).",
}
TRANSPOSE = {
    "ko": "기울기의 모양은 매개변수의 모양과 같아야 합니다. Y = X·W이면 ∂L/∂W = Xᵀ·∂L/∂Y, ∂L/∂X = ∂L/∂Y·Wᵀ 입니다. "
          "전치(.T)가 어디에 붙는지 확인하세요.",
    "en": "A gradient has the shape of its parameter. With Y = X·W, ∂L/∂W = Xᵀ·∂L/∂Y and ∂L/∂X = ∂L/∂Y·Wᵀ. "
          "Check where the transposes (.T) go.",
}
NOT_RESTORED = {"ko": "numerical_gradient 뒤에 매개변수가 바뀌어 있습니다. 값을 h만큼 움직여 손실을 구한 뒤에는 원래 값으로 되돌려야 합니다.",
                "en": "The parameters changed after numerical_gradient. After moving a value by h to compute the loss, put the original value back."}


def make_net(ctx, *args, **kwargs):
    shown = ", ".join([str(a) for a in args] + [f"{k}={v}" for k, v in kwargs.items()])
    return ctx.call("TwoLayerNet", *args, label=f"TwoLayerNet({shown})", **kwargs)


def set_params(ctx, net, values, label=NET):
    """Write ``values`` into the student's net.params in place (inside the sandbox)."""
    got = ctx.run(SET_PARAMS, label=f"{label}.params", net=net, values=values)
    if got["found"] is None:
        raise Incorrect({"ko": "net.params가 딕셔너리가 아닙니다.", "en": "net.params is not a dict."})
    if not got["fits"]:
        expected = {k: tuple(np.shape(v)) for k, v in values.items()}
        found = {k: tuple(v) for k, v in got["found"].items()}
        raise Incorrect(Msg("expected_got", expected=f"params {expected}", got=f"params {found}"),
                        Explanation(TRANSPOSE) if set(found) == set(expected) else Explanation(
                            {"ko": "params의 키는 'W1', 'b1', 'W2', 'b2'입니다.",
                             "en": "The keys of params are 'W1', 'b1', 'W2', 'b2'."}))


def example_net(ctx):
    net = make_net(ctx, 3, 4, 3)
    set_params(ctx, net, PARAMS)
    return net


def expect_gradients(ctx, got, expected, label, *, rtol, atol, mistakes=None, shapes_of=None):
    """Compare a dict of gradients key by key; ``mistakes`` maps a key to its Mistake list."""
    if not isinstance(got, dict) or set(got) != set(KEYS):
        keys = sorted(got) if isinstance(got, dict) else type(got).__name__
        raise Incorrect(Msg("expected_got", expected="dict W1, b1, W2, b2", got=keys))
    for key in KEYS:
        ctx.expect_value(got[key], f"{label}['{key}']")
        if np.shape(got[key]) != np.shape(expected[key]):
            raise Incorrect(Msg("wrong_shape", call=f"{label}['{key}']", got=np.shape(got[key]),
                                expected=np.shape(expected[key])), Explanation(TRANSPOSE))
    for key in KEYS:
        ctx.expect_close(got[key], expected[key], label=f"{label}['{key}']", rtol=rtol, atol=atol,
                         mistakes=(mistakes or {}).get(key, ()))


@check(points=0.5, title={"ko": "매개변수 초기화: 키, 모양, 표준편차", "en": "Parameter initialisation: keys, shapes, std"},
       needs="TwoLayerNet.__init__",
       hint={"ko": "가중치는 weight_init_std를 곱한 정규분포 난수, 편향은 0입니다. 모양은 (입력 수, 출력 수)와 (출력 수,)입니다.",
             "en": "Weights are normal random numbers times weight_init_std, biases are zeros; their shapes are (inputs, outputs) and (outputs,)."})
def init_params(ctx):
    params = ctx.attr(make_net(ctx, 3, 4, 3), "params", label=f"{NET}.params")
    if not isinstance(params, dict) or set(params) != set(KEYS):
        keys = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise Incorrect(Msg("expected_got", expected="params: dict W1, b1, W2, b2", got=keys))
    shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 3), "b2": (3,)}
    for key, shape in shapes.items():
        ctx.expect(np.shape(params[key]) == shape,
                   Msg("wrong_shape", call=f"{NET}.params['{key}']", got=np.shape(params[key]), expected=shape))
    for key in ("b1", "b2"):
        ctx.expect(np.all(np.asarray(params[key]) == 0),
                   Msg("expected_got", expected=f"params['{key}'] = 0", got=params[key]))
    for std in (0.01, 0.5):
        kwargs = {} if std == 0.01 else {"weight_init_std": std}
        params = ctx.attr(make_net(ctx, 64, 50, 10, **kwargs), "params", label="TwoLayerNet(64, 50, 10).params")
        for key in ("W1", "W2"):
            got = float(np.std(params[key]))
            ctx.expect(0.8 * std <= got <= 1.2 * std,
                       {"ko": f"weight_init_std={std}일 때 {key}의 표준편차가 {got:.4g}입니다. 약 {std}(이)어야 합니다 "
                              f"(weight_init_std * np.random.randn(...)).",
                        "en": f"With weight_init_std={std} the std of {key} is {got:.4g}; it should be about {std} "
                              f"(weight_init_std * np.random.randn(...))."})


@check(title={"ko": "predict: 예시 신경망의 출력", "en": "predict: the example network's output"}, points=0.5,
       needs="TwoLayerNet.predict")
def predict_example(ctx):
    net = example_net(ctx)
    got = ctx.method(net, "predict", X, label="predict(x)")
    ctx.expect_close(got, PREDICT, label="predict(x)", inputs={"x": X}, rtol=1e-6, mistakes=[
        Mistake(ROWS_SUM_TO_ONE, when=lambda y: not np.allclose(np.sum(y, axis=-1), 1.0)),
        Mistake(SOFTMAX_HIDDEN, value=PREDICT_SOFTMAX_HIDDEN),
    ])


@check(points=0.5, title={"ko": "loss: 예시의 교차 엔트로피", "en": "loss: the example's cross-entropy"}, needs="TwoLayerNet.loss")
def loss_example(ctx):
    got = ctx.method(example_net(ctx), "loss", X, T, label="loss(x, t)")
    ctx.expect_close(got, LOSS, label="loss(x, t)", inputs={"x": X, "t": T}, rtol=1e-6, mistakes=[
        Mistake(NO_BATCH_DIVISION, value=LOSS * len(X)),
        Mistake({"ko": "부호가 반대입니다: −Σ t·log(y + 1e-7) / batch_size.",
                 "en": "The sign is flipped: −Σ t·log(y + 1e-7) / batch_size."}, value=-LOSS),
    ])


@check(points=0.5, title={"ko": "accuracy: 예시의 정확도 (0.75)", "en": "accuracy: the example's accuracy (0.75)"},
       needs="TwoLayerNet.accuracy")
def accuracy_example(ctx):
    got = ctx.method(example_net(ctx), "accuracy", X, T, label="accuracy(x, t)")
    ctx.expect_close(got, ACCURACY, label="accuracy(x, t)", inputs={"x": X, "t": T}, mistakes=[
        Mistake({"ko": "맞힌 개수를 반환했습니다. 표본 수 x.shape[0]으로 나눠 비율로 만드세요.",
                 "en": "You returned the number of hits. Divide by the number of samples x.shape[0]."},
                value=ACCURACY * len(X)),
    ])


@check(title={"ko": "numerical_gradient: 중앙 차분", "en": "numerical_gradient: central differences"}, points=0.5,
       needs="TwoLayerNet.numerical_gradient",
       hint={"ko": "각 원소를 h만큼 올리고 내려 손실의 차이를 2h로 나누고, 그 원소를 원래 값으로 되돌리세요.",
             "en": "Nudge each element up and down by h, divide the difference of the loss by 2h, and put the element's value back."})
def numerical_gradient_example(ctx):
    net = example_net(ctx)
    got = ctx.method(net, "numerical_gradient", X, T, label="numerical_gradient(x, t)")
    after = ctx.attr(net, "params", label=f"{NET}.params")
    if not all(np.allclose(after[k], PARAMS[k], rtol=0, atol=1e-9) for k in KEYS):
        raise Incorrect({"ko": "numerical_gradient가 매개변수를 바꿔 놓았습니다.",
                         "en": "numerical_gradient left the parameters changed."}, Explanation(NOT_RESTORED))
    expect_gradients(ctx, got, GRADIENT, "numerical_gradient(x, t)", rtol=1e-4, atol=1e-7,
                     mistakes={k: [Mistake(NO_BATCH_DIVISION, value=GRADIENT[k] * len(X))] for k in KEYS})


def gradient_mistakes(expected, batch, no_sigmoid_grad=None):
    found = {k: [Mistake(NO_BATCH_DIVISION, value=expected[k] * batch)] for k in KEYS}
    for k, value in (no_sigmoid_grad or {}).items():
        found[k].append(Mistake(NO_SIGMOID_GRAD, value=value))
    return found


@check(title={"ko": "gradient: 오차역전파의 기울기", "en": "gradient: backpropagation's gradients"}, points=0.5,
       needs="TwoLayerNet.gradient",
       hint={"ko": "역전파는 출력에서 시작합니다: 소프트맥스와 교차 엔트로피의 기울기는 (y − t)를 배치 크기로 나눈 것이고, 시그모이드를 지날 때는 z(1 − z)를 곱합니다.",
             "en": "Backpropagation starts at the output: the gradient of softmax with cross-entropy is (y − t) divided by the batch size, and passing back through the sigmoid multiplies by z(1 − z)."})
def gradient_example(ctx):
    got = ctx.method(example_net(ctx), "gradient", X, T, label="gradient(x, t)")
    expect_gradients(ctx, got, GRADIENT, "gradient(x, t)", rtol=1e-6, atol=1e-10,
                     mistakes=gradient_mistakes(GRADIENT, len(X), GRADIENT_NO_SIGMOID_GRAD))


# --- training ------------------------------------------------------------------------------------
# The judge chooses the starting parameters (written into the student's net), the student's gradient() trains the
# net in the sandbox, and the trained parameters come back as plain arrays: the accuracy and the losses are computed
# here, from those arrays, on held-out images that are new images near the public data set's (never verbatim rows
# of the load_digits() a student's code can read), so neither the student's predict() nor a look-up takes part.

TRAIN = """
result = []
for step, idx in enumerate(batches):
    grads = net.gradient(x[idx], t[idx])
    for key in ("W1", "b1", "W2", "b2"):
        net.params[key] -= lr * grads[key]
    if (step + 1) % every == 0:
        result.append({key: np.array(net.params[key], dtype=float) for key in ("W1", "b1", "W2", "b2")})
"""
STEPS, BATCH, LR, EVERY = 400, 100, 2.0, 40
MIN_ACCURACY = 0.9
SIZES = {"W1": (64, 50), "b1": (50,), "W2": (50, 10), "b2": (10,)}
PERTURB = {"shift": 0.0, "rotate": 0.0, "contrast": 0.05, "noise": 0.03}  # at 8×8 even sub-pixel shifts blur digits


def load_digits():
    """The digits file that ships with scikit-learn, read directly: importing sklearn takes seconds."""
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz" if spec and spec.origin else None
    if path is not None and path.exists():
        data = np.loadtxt(path, delimiter=",")
        return data[:, :-1], data[:, -1].astype(int)
    from sklearn.datasets import load_digits as load

    data = load()
    return data.data, data.target


def digits(ctx):
    """sklearn's 8×8 handwritten digits scaled to [0, 1], split by the judge's secret; the held-out images are
    perturbed (sub-pixel shifts, small rotations, contrast, noise: grader.checks.datasets.perturb_images)."""
    def split():
        from grader.checks import datasets

        pixels, labels = load_digits()
        x = pixels / 16.0
        order = ctx.secret_rng("ex09-digits-split", seed=0).permutation(len(x))
        train, test = order[:1400], order[1400:]
        held_out = datasets.perturb_images(x[test].reshape(-1, 8, 8), ctx.secret_rng("ex09-digits-held-out", seed=0), **PERTURB)
        return x[train], np.eye(10)[labels[train]], held_out.reshape(len(test), 64).astype(np.float64), labels[test]
    return ctx.once("digits", split)


def forward(params, x):
    """The network's outputs, computed by the judge: softmax(sigmoid(x·W1 + b1)·W2 + b2)."""
    a1 = np.clip(x @ params["W1"] + params["b1"], -500, 500)
    a2 = (1 / (1 + np.exp(-a1))) @ params["W2"] + params["b2"]
    a2 = a2 - a2.max(axis=1, keepdims=True)
    return np.exp(a2) / np.exp(a2).sum(axis=1, keepdims=True)


def cross_entropy(params, x, t):
    return float(-np.sum(t * np.log(forward(params, x) + 1e-7)) / len(x))


def gradients(got, label):
    """Gradients or parameters from the sandbox as float arrays of the parameters' shapes."""
    if not isinstance(got, dict) or set(got) != set(KEYS):
        keys = sorted(got) if isinstance(got, dict) else type(got).__name__
        raise Incorrect(Msg("expected_got", expected="dict W1, b1, W2, b2", got=keys))
    out = {}
    for key in KEYS:
        try:
            value = np.asarray(got[key], dtype=np.float64)
        except (TypeError, ValueError):
            raise Incorrect(Msg("wrong_type", call=f"{label}['{key}']", got=type(got[key]).__name__,
                                expected={"ko": "numpy 배열", "en": "a numpy array"})) from None
        if value.shape != SIZES[key]:
            raise Incorrect(Msg("wrong_shape", call=f"{label}['{key}']", got=value.shape, expected=SIZES[key]),
                            Explanation(TRANSPOSE))
        out[key] = value
    return out


def trained(ctx):
    """Mini-batch SGD with the student's gradient() from the judge's starting parameters; the accuracy on held-out
    images and the training losses computed here from the parameters that come back: (losses, accuracy)."""
    def train():
        x, t, x_test, labels = digits(ctx)
        rng = ctx.secret_rng("ex09-training", seed=0)  # the same training at every --seed: one verdict per file
        batches = rng.integers(0, len(x), size=(STEPS, BATCH))
        start = {k: (0.01 * rng.standard_normal(shape) if k.startswith("W") else np.zeros(shape))
                 for k, shape in SIZES.items()}
        net = make_net(ctx, 64, 50, 10)
        set_params(ctx, net, start, label="TwoLayerNet(64, 50, 10)")
        ctx.status(Msg("training").render(ctx.lang))
        label = "net.gradient(x_batch, t_batch)"
        snapshots = ctx.run(TRAIN, label=label, net=net, x=x, t=t, batches=batches, lr=LR, every=EVERY)
        if not isinstance(snapshots, list) or len(snapshots) != STEPS // EVERY:
            raise Incorrect(Msg("expected_got", expected=f"{STEPS // EVERY} snapshots of net.params",
                                got=type(snapshots).__name__))
        snapshots = [gradients(p, "net.params") for p in snapshots]  # plain arrays of the right shapes
        losses = [cross_entropy(p, x, t) for p in (start, *snapshots)]
        return losses, float(np.mean(np.argmax(forward(snapshots[-1], x_test), axis=1) == labels))
    return ctx.once("trained", train)


@check(title={"ko": "학습: 손글씨 숫자를 SGD로 학습", "en": "Training: learns handwritten digits with SGD"}, points=1.5,
       needs="TwoLayerNet.gradient")
def learns_digits(ctx):
    losses, accuracy = trained(ctx)
    curve = Series({"ko": f"학습 데이터의 손실 ({EVERY}스텝마다)", "en": f"Training loss (every {EVERY} steps)"},
                   {"loss": losses})
    passed = Series({"ko": f"학습 데이터의 손실 ({EVERY}스텝마다) · 처음 보는 숫자 이미지의 정확도 {accuracy:.3f}",
                     "en": f"Training loss (every {EVERY} steps) · accuracy on unseen digits {accuracy:.3f}"},
                    {"loss": losses})
    setup = {"ko": f"TwoLayerNet(64, 50, 10)을 배치 {BATCH}, 학습률 {LR}(으)로 {STEPS}스텝 학습했습니다. ",
             "en": f"Trained TwoLayerNet(64, 50, 10) for {STEPS} steps, batch {BATCH}, learning rate {LR}. "}
    if not all(np.isfinite(losses)) or not losses[-1] < 0.5 * losses[0]:
        raise Incorrect({"ko": setup["ko"] + f"손실이 충분히 줄지 않았습니다 ({losses[0]:.3f} → {losses[-1]:.3f}). "
                                             "위의 gradient 검사부터 통과하세요.",
                         "en": setup["en"] + f"The loss did not fall enough ({losses[0]:.3f} → {losses[-1]:.3f}). "
                                             "Pass the gradient checks above first."}, curve)
    if accuracy < MIN_ACCURACY:
        raise Incorrect(Msg("accuracy_low", got=accuracy, expected=MIN_ACCURACY), curve)
    ctx.notes.append(passed)
