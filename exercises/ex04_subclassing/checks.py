"""ex04 public checks: a genuine keras.Model subclass whose layers live in __init__ and run in call."""

import numpy as np

from grader.checks import Explanation, Incorrect, check
from grader.i18n import Msg

LABEL = "build_model()"
LAYERS = [
    {"class": "Flatten"},
    {"class": "Dense", "units": 400, "activation": "relu"},
    {"class": "Dense", "units": 200, "activation": "relu"},
    {"class": "Dense", "units": 100, "activation": "softmax"},
]
PARAMS = 12_100_700
API_NAMES = {"sequential": "Sequential", "functional": "Functional", "subclass": "Subclassing"}

# Runs in the sandbox: what build_model() returned, judged nowhere but in the checks below.
PROBE = """
cls = getattr(module, "YourModel", None)
result = {
    "is_class": isinstance(model, type),
    "is_model": isinstance(model, keras.Model),
    "subclass": isinstance(model, keras.Model) and issubclass(type(model), keras.Model)
                and type(model) is not keras.Model,
    "is_yourmodel": isinstance(cls, type) and isinstance(model, cls),
    "super_called": hasattr(model, "built") if isinstance(model, keras.Model) else True,
    "type": type(model).__name__,
}
"""

RETURNED_CLASS = {
    "ko": "클래스 YourModel 자체를 반환했습니다. 인스턴스를 만들어 반환하세요: return YourModel().",
    "en": "You returned the class YourModel itself. Return an instance of it: return YourModel().",
}
NO_SUPER = {"ko": "__init__의 첫 줄에서 부모 클래스(keras.Model)의 __init__을 호출하세요. 그래야 keras.Model이 층과 가중치를 추적할 준비를 합니다.",
            "en": "Call the parent class's (keras.Model's) __init__ as the first line of __init__: it lets keras.Model get ready to track layers and weights."}
LAYERS_IN_CALL = {"ko": "call 안에서 층을 만들면 모델이 그 층을 추적하지 못해 파라미터가 0개로 보이고, 호출할 때마다 새 가중치가 만들어집니다. 층은 __init__에서 self의 속성으로 만들고, call에서는 적용만 하세요.",
                  "en": "Layers created inside call are not tracked by the model: it shows 0 parameters and makes new weights on every call. Create the layers in __init__ as attributes of self and only apply them in call."}


def built(ctx):
    """build_model() once, checked to be a genuine YourModel instance: (handle, probe facts)."""
    def build():
        try:
            model = ctx.call("build_model", label=LABEL)
        except Incorrect as exc:  # on PyTorch a missing super().__init__() fails at the first layer assigned
            if "before Module.__init__() call" not in str(getattr(exc.message, "params", {}).get("error", "")):
                raise
            raise Incorrect({"ko": "super().__init__()을 호출하지 않았습니다.", "en": "super().__init__() was not called."},
                            Explanation(NO_SUPER), *exc.details) from None
        if model is None:
            raise Incorrect(Msg("returned_none", call=LABEL))
        info = ctx.run(PROBE, label=LABEL, model=model)
        if info["is_class"]:
            raise Incorrect(Msg("not_a_model", call=LABEL, got=f"class {info['type']}"), Explanation(RETURNED_CLASS))
        if not info["is_model"]:
            raise Incorrect(Msg("not_a_model", call=LABEL, got=info["type"]))
        if not info["super_called"]:
            raise Incorrect({"ko": "super().__init__()을 호출하지 않았습니다.", "en": "super().__init__() was not called."},
                            Explanation(NO_SUPER))
        if not (info["subclass"] and info["is_yourmodel"]):
            raise Incorrect(Msg("wrong_api", expected="Subclassing (YourModel)", got=info["type"]))
        return model, info
    return ctx.once("built", build)


def called(ctx):
    """The model after a first call on a batch of two images: (handle, output, facts)."""
    def run():
        model, _ = built(ctx)
        x = np.random.default_rng(0).random((2, 100, 100, 3), dtype=np.float32)
        out = ctx.predict(model, x, label="model(x)")
        facts = ctx.describe(model, LABEL)
        return model, out, facts
    return ctx.once("called", run)


@check(title={"ko": "keras.Model을 상속한 YourModel의 인스턴스", "en": "An instance of YourModel, a keras.Model subclass"},
       needs=("YourModel", "build_model"),
       hint={"ko": "build_model은 클래스 자체가 아니라 클래스로 만든 모델(인스턴스)을 반환해야 합니다.",
             "en": "build_model must return a model made from the class (an instance), not the class itself."})
def returns_instance(ctx):
    model, _ = built(ctx)
    facts = ctx.describe(model, LABEL)
    if facts["api"] != "subclass":
        raise Incorrect(Msg("wrong_api", expected="Subclassing", got=API_NAMES.get(facts["api"], facts["api"])))


@check(title={"ko": "호출 결과: (2, 100) 확률", "en": "Calling it: (2, 100) probabilities"}, points=2,
       needs=("YourModel", "build_model"))
def call_output(ctx):
    _, out, _ = called(ctx)
    ctx.expect_probabilities(out, 2, 100)


@check(title={"ko": "__init__에서 만든 층", "en": "Layers created in __init__"}, points=2,
       needs=("YourModel", "build_model"),
       hint={"ko": "층은 __init__에서 한 번 만들어 self의 속성으로 두어야 모델이 그 가중치를 추적합니다.",
             "en": "Create the layers once in __init__ and keep them as attributes of self, so that the model tracks their weights."})
def layers_in_init(ctx):
    _, _, facts = called(ctx)
    if not facts["layers"] and facts.get("params"):  # layers it tracks, but that do not make its outputs
        raise Incorrect({"ko": "모델이 가진 층을 차례로 적용한 결과가 모델의 출력과 다릅니다. call은 __init__에서 만든 "
                               "층에 입력을 통과시킨 결과를 반환해야 합니다.",
                         "en": "Applying the model's own layers in order does not give its outputs. call must return "
                               "the input passed through the layers made in __init__."})
    if not facts["layers"]:
        raise Incorrect({"ko": "모델이 추적하는 층이 없습니다.", "en": "The model tracks no layers."},
                        Explanation(LAYERS_IN_CALL))
    ctx.expect_layers(facts, LAYERS)


@check(title={"ko": "파라미터 12,100,700개", "en": "12,100,700 parameters"}, points=2, needs=("YourModel", "build_model"))
def parameter_count(ctx):
    _, _, facts = called(ctx)
    try:
        ctx.expect_params(facts, PARAMS)
    except Incorrect as exc:
        raise Incorrect(exc.message, *([Explanation(LAYERS_IN_CALL)] if not facts.get("params") else [])) from None
