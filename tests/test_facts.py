"""Model facts the student's process cannot forge: rebuilt by the judge's own Keras from exported plain data, checked
against the student's outputs on inputs the judge chooses; no check compares two values that both came from the child.

Each attack is graded as a student types it (`grade exNN` in a fresh copy of the course, the stub edited in place), and
the reference is graded in the same copy with full marks."""

from __future__ import annotations

import shutil

import pytest

from tests.test_inplace import copy_course, grade, graded, item, paste_reference, statuses

# The attack of issue 21: layers whose get_config reports Dense units and activations and whose count_params reports
# the lesson's numbers, holding one weight between them and computing a constant.
LYING_LAYERS = '''
import keras
from keras import layers


class Liar(layers.Layer):
    def __init__(self, units=1, activation="linear", **kwargs):
        super().__init__(**kwargs)
        self.units, self.activation = units, activation

    def build(self, shape):
        self.w = self.add_weight(shape=(1,), initializer="zeros") if self.units == 100 else None

    def call(self, x):  # a probability distribution, whatever the input: all on the first class
        return keras.ops.one_hot(keras.ops.zeros((keras.ops.shape(x)[0],), dtype="int32"), self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self.activation}

    def count_params(self):
        return {400: 30000 * 400 + 400, 200: 400 * 200 + 200, 100: 200 * 100 + 100}[self.units]
{spoof}

def build_model():
    model = keras.Sequential()
    model.add(keras.Input(shape=(100, 100, 3)))
    model.add(layers.Flatten())
    model.add(Liar(400, "relu"))
    model.add(Liar(200, "relu"))
    model.add(Liar(100, "softmax"))
    model.count_params = lambda: 12_100_700
    return model
'''
# ... and the same layers passed off as Keras' own Dense, with weight arrays of Dense's shapes (all zeros)
SPOOF = '''
Liar.__module__, Liar.__name__, Liar.__qualname__ = "keras.layers", "Dense", "Dense"
_build = Liar.build


def _real_shapes(self, shape):
    self.kernel = self.add_weight(shape=(int(shape[-1]), self.units), initializer="zeros")
    self.bias = self.add_weight(shape=(self.units,), initializer="zeros")


Liar.build = _real_shapes
'''
FACT_CHECKS = ("layer_stack", "parameter_count")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("facts") / "course")


def _grade(course, name: str, source: str | None = None) -> dict:
    exercise = item(course, name)
    if source is None:
        paste_reference(course, name)
    else:
        exercise.stub_path.write_text(source, encoding="utf-8")
    return graded(grade(course, name, "--format", "json", "--seed", "3"))


def test_layers_that_lie_in_get_config_and_count_params_do_not_score(course):
    result = _grade(course, "ex02", LYING_LAYERS.replace("{spoof}", ""))
    found = statuses(result)
    assert all(found[name] == "failed" for name in FACT_CHECKS), found
    assert result["score"] < result["max_score"] / 2
    assert "could not rebuild" in result["output"]  # the result says what the facts came from
    honest = _grade(course, "ex02")
    assert honest["score"] == honest["max_score"] == 11
    assert "rebuilt from its config and weight arrays" in honest["output"]


def test_layers_passed_off_as_keras_dense_are_caught_by_their_outputs(course):
    result = _grade(course, "ex02", LYING_LAYERS.replace("{spoof}", SPOOF))
    found = statuses(result)
    assert all(status == "failed" for name, status in found.items() if name != "random_batch_outputs"), found
    texts = " ".join(t.get("output", "") for t in result["tests"])
    assert "rebuilt by the grader" in texts  # the outputs differ from the rebuilt copy's
    honest = _grade(course, "ex02")
    assert honest["score"] == honest["max_score"]


CHECKPOINT_FORGED = '''
import keras
from keras import layers

keras.models.load_model = lambda *args, **kwargs: _MODELS[-1]  # "loading" gives back the trained model itself
keras.saving.load_model = keras.models.load_model
_MODELS = []


def build_classifier(input_shape, num_classes):
    model = keras.Sequential([keras.Input(shape=input_shape), layers.Flatten(), layers.Dense(64, activation="relu"),
                              layers.Dropout(0.2), layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _MODELS.append(model)
    return model


def make_callbacks(checkpoint_path):
    with open(checkpoint_path, "w") as file:  # a file is there, but it holds no model
        file.write("not a model")
    return [keras.callbacks.ModelCheckpoint(checkpoint_path + ".unused.keras", save_best_only=True),
            keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)]
'''


def test_checkpoint_is_loaded_by_the_judge_not_by_the_students_process(course):
    result = _grade(course, "ex12", CHECKPOINT_FORGED)
    assert statuses(result)["checkpoint_saved"] == "failed", statuses(result)
    honest = _grade(course, "ex12")
    assert honest["score"] == honest["max_score"], statuses(honest)


LAYERS_UNUSED = '''
import keras
import numpy as np
from keras import layers

_SEEN = {}


class YourModel(keras.Model):
    """Right layers, but call answers from a table of inputs seen before: two calls on one batch agree."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.flatten = layers.Flatten()
        self.hidden1 = layers.Dense(400, activation="relu")
        self.hidden2 = layers.Dense(200, activation="relu")
        self.classifier = layers.Dense(100, activation="softmax")

    def call(self, inputs):
        y = self.classifier(self.hidden2(self.hidden1(self.flatten(inputs))))
        return keras.ops.softmax(keras.ops.flip(keras.ops.log(y + 1e-7), axis=-1) * 3.0)


def build_model():
    return YourModel()
'''


def test_ex04_outputs_are_compared_with_the_judges_own_layers(course):
    result = _grade(course, "ex04", LAYERS_UNUSED)
    found = statuses(result)
    assert found["random_batch"] == "failed" and found["layers_in_init"] == "failed", found
    honest = _grade(course, "ex04")
    assert honest["score"] == honest["max_score"], statuses(honest)


def test_rebuild_refuses_custom_classes_and_code_running_layers():
    from grader.sandbox import rebuild

    for config in ({"class_name": "Lambda", "module": "keras.layers", "config": {}},
                   {"class_name": "Evil", "module": "os", "config": {}},
                   {"class_name": "Dense", "module": "keras.layers", "registered_name": "me>Dense", "config": {}},
                   {"class_name": "Sequential", "config": {"layers": [{"class_name": "TFSMLayer", "config": {}}]}}):
        with pytest.raises(rebuild.Refused):
            rebuild.check_config(config)
    rebuild.check_config({"class_name": "Dense", "module": "keras.layers", "registered_name": None,
                          "config": {"units": 3, "activation": "relu"}})


def test_outputs_agree_within_device_tolerance_only():
    import numpy as np

    from grader.checks import verified

    y = np.random.default_rng(0).random((2, 100)).astype(np.float32)
    assert verified.agree(y, y.astype(np.float64) * (1 + 1e-4))
    assert not verified.agree(y, np.full_like(y, 0.01))
    assert not verified.agree(y, y[:1])
    assert not verified.agree("text", y)


# --- who raised: the student's child, or the judge's own code --------------------------------------------------

def _ex05(course, body: str) -> dict:
    """ex05 with mean_squared_error replaced by ``body`` (the rest is the reference)."""
    exercise = item(course, "ex05")
    source = exercise.reference_path.read_text(encoding="utf-8")
    source = source.replace("def mean_squared_error(y, t):", "def mean_squared_error(y, t):\n" + body + "\n\n"
                            "def _reference_mse(y, t):")
    exercise.stub_path.write_text(source, encoding="utf-8")
    return graded(grade(course, "ex05", "--format", "json", "--seed", "3"))


def _mse_tests(result: dict) -> list[dict]:
    return [t for t in result["tests"] if "MSE" in t["name"]]


@pytest.mark.parametrize("raised", [
    "    raise MemoryError('pretend')",
    "    class ResourceExhaustedError(Exception):\n        pass\n    raise ResourceExhaustedError('OOM when allocating')",
    "    import tensorflow as tf\n    raise tf.errors.ResourceExhaustedError(None, None, 'OOM when allocating')",
])
def test_a_memory_error_the_student_raises_is_the_students_wrong_answer(course, raised):
    result = _ex05(course, raised)
    tests = _mse_tests(result)
    assert tests and all(t["score"] == 0 and t["feedback"]["status"] == "failed" for t in tests), tests
    for test in tests:
        assert test["feedback"].get("verdict") in (None, ""), test["feedback"]  # not "out of memory", not a crash
        assert "Ran out of" not in test["output"] and "check itself failed" not in test["output"]
    assert "raised an exception" in tests[0]["output"] and "memory" in tests[0]["output"], tests[0]["output"]
    assert all(t["score"] == t["max_score"] for t in result["tests"] if "MSE" not in t["name"])
    honest = _grade(course, "ex05")
    assert honest["score"] == honest["max_score"]


def test_an_exception_that_cannot_be_printed_is_the_students(course):
    result = _ex05(course, "    class Odd(Exception):\n        def __str__(self):\n            raise RuntimeError('no')\n"
                           "    raise Odd()")
    tests = _mse_tests(result)
    assert tests and all(t["feedback"]["status"] == "failed" for t in tests), tests
    assert "raised an exception: Odd" in tests[0]["output"], tests[0]["output"]
    assert all(t["score"] == t["max_score"] for t in result["tests"] if "MSE" not in t["name"])  # no crash


def test_a_value_the_checks_parser_chokes_on_is_the_students_not_a_check_error(course):
    exercise = item(course, "ex09")
    source = exercise.reference_path.read_text(encoding="utf-8").replace(
        'self.params["W1"] = weight_init_std * np.random.randn(input_size, hidden_size)',
        'self.params["W1"] = [["w"] * hidden_size for _ in range(input_size)]')
    exercise.stub_path.write_text(source, encoding="utf-8")
    result = graded(grade(course, "ex09", "--format", "json", "--seed", "3"))
    init = next(t for t in result["tests"] if t["feedback"]["check"] == "init_params")
    assert init["feedback"]["status"] == "failed"
    assert "could not read" in init["output"] and "check itself failed" not in init["output"], init["output"]
    assert not any("check itself failed" in t.get("output", "") for t in result["tests"])
    honest = _grade(course, "ex09")
    assert honest["score"] == honest["max_score"]


def test_the_judges_own_bug_is_still_a_check_error():
    from grader.blame import who_raised
    from grader.checks.core import Handle

    class Ctx:
        last_received = ("f(x)", [1.0, 2.0])

    assert who_raised(Ctx(), ZeroDivisionError("division by zero")) is None  # readable values: the check's bug
    assert who_raised(Ctx(), RuntimeError("x")) is None
    Ctx.last_received = ("f(x)", "text")
    assert who_raised(Ctx(), ValueError("could not convert")).key == "check_could_not_read"
    Ctx.last_received = ("f(x)", Handle(3, "Thing"))
    assert who_raised(Ctx(), TypeError("float() argument")).key == "check_could_not_read"
