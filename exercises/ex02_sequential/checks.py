"""ex02 public checks: a Sequential model with the lesson's layers and 12,100,700 parameters."""

import numpy as np

from grader.checks import Incorrect, check
from grader.i18n import Msg

LABEL = "build_model()"
LAYERS = [
    {"class": "Flatten"},
    {"class": "Dense", "units": 400, "activation": "relu"},
    {"class": "Dense", "units": 200, "activation": "relu"},
    {"class": "Dense", "units": 100, "activation": "softmax"},
]
API_NAMES = {"sequential": "Sequential", "functional": "Functional", "subclass": "Subclassing"}


def model_facts(ctx):
    """Build the student's model once per run and describe it."""
    return ctx.model("build_model", label=LABEL)


@check(title={"ko": "Keras 모델을 반환", "en": "Returns a Keras model"}, needs="build_model")
def returns_model(ctx):
    model_facts(ctx)


@check(title={"ko": "Sequential API 사용", "en": "Uses the Sequential API"}, needs="build_model")
def uses_sequential(ctx):
    _, facts = model_facts(ctx)
    if facts["api"] != "sequential":
        raise Incorrect(Msg("wrong_api", expected="Sequential", got=API_NAMES.get(facts["api"], facts["api"])))


@check(title={"ko": "입력 모양 (100, 100, 3)", "en": "Input shape (100, 100, 3)"}, needs="build_model",
       hint={"ko": "첫 층 앞에서 입력의 모양을 알려 주세요: 한 샘플의 높이, 너비, 색 채널입니다(배치 축은 빼고).",
             "en": "Declare the input's shape before the first layer: the height, width and colour channels of one sample (no batch axis)."})
def input_shape(ctx):
    _, facts = model_facts(ctx)
    got = facts["inputs"]
    ctx.expect(got == [[None, 100, 100, 3]],
               Msg("expected_got", expected="[(None, 100, 100, 3)]", got=[tuple(s) for s in got] or "—"))


@check(title={"ko": "층 구성", "en": "Layers"}, points=3, needs="build_model")
def layer_stack(ctx):
    _, facts = model_facts(ctx)
    ctx.expect_layers(facts, LAYERS)


@check(title={"ko": "파라미터 수 12,100,700", "en": "12,100,700 parameters"}, points=2, needs="build_model")
def parameter_count(ctx):
    _, facts = model_facts(ctx)
    ctx.expect_params(facts, 12_100_700)


@check(title={"ko": "출력: 100개 클래스의 확률", "en": "Output: probabilities of 100 classes"}, needs="build_model")
def output_is_distribution(ctx):
    model, _ = model_facts(ctx)
    x = np.random.default_rng(0).random((2, 100, 100, 3), dtype=np.float32)
    out = ctx.predict(model, x, label="model(x)")
    ctx.expect_probabilities(out, 2, 100)
