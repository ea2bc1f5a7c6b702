"""grader.replay: the judge's own forward pass of trained Keras models, from the layers and weights exported by
grader.sandbox.keras_facts; models it cannot replay are refused with a reason. Also keras_facts.probe (a model's input and
output judged by calling it on a batch, subclassed models included)."""

from __future__ import annotations

import numpy as np
import pytest

from grader import replay


def test_forward_from_plain_data():
    rng = np.random.default_rng(0)
    w1, b1, w2, b2 = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=2)
    exported = {"replayable": True, "layers": [
        {"class": "InputLayer"},
        {"class": "Flatten"},
        {"class": "Dense", "activation": "relu", "weights": [w1, b1]},
        {"class": "Dropout"},
        {"class": "Dense", "activation": "softmax", "weights": [w2, b2]},
    ]}
    x = rng.normal(size=(5, 2, 2))
    hidden = np.maximum(x.reshape(5, 4) @ w1 + b1, 0)
    logits = hidden @ w2 + b2
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert np.allclose(replay.forward(exported, x), expected)


def test_refusals():
    assert replay.supported({"class": "MyLayer"}) == "layer MyLayer"
    assert replay.supported({"class": "Dense", "activation": {"class_name": "function"}})
    assert replay.supported({"class": "Dense", "activation": "tanh"}) is None
    with pytest.raises(replay.NotReplayable):
        replay.forward({"replayable": False, "reason": "a subclassed model"}, np.zeros((1, 2)))


@pytest.fixture(scope="module")
def keras():
    keras = pytest.importorskip("keras")
    return keras


def _export(model):
    from grader.sandbox import keras_facts

    return keras_facts.export(model)


def test_replay_matches_keras(keras):
    from keras import layers

    rng = np.random.default_rng(1)
    sequential = keras.Sequential([keras.Input((8, 8)), layers.Flatten(), layers.Dense(16, activation="relu"),
                                   layers.Dropout(0.3), layers.Dense(10, activation="softmax")])
    inputs = keras.Input((6,))
    x = layers.Rescaling(0.5, offset=0.1)(inputs)
    x = layers.Reshape((2, 3))(x)
    x = layers.Flatten()(x)
    x = layers.BatchNormalization()(x)
    x = layers.Dense(5, activation="tanh")(x)
    x = layers.Activation("elu")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    functional = keras.Model(inputs, outputs)
    functional.compile(optimizer="adam", loss="binary_crossentropy")
    data = rng.normal(size=(64, 6)).astype("float32")
    functional.fit(data, (data[:, 0] > 0).astype("float32"), epochs=1, verbose=0)  # moving statistics move
    for model, shape in ((sequential, (7, 8, 8)), (functional, (9, 6))):
        batch = rng.normal(size=shape).astype("float32")
        exported = _export(model)
        assert exported["replayable"], exported["reason"]
        assert np.allclose(replay.forward(exported, batch), np.asarray(model(batch, training=False)), atol=1e-5)


def test_what_cannot_be_replayed(keras):
    from keras import layers

    class Twice(layers.Layer):
        def call(self, x):
            return 2 * x

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    custom = keras.Sequential([keras.Input((2,)), Twice(), layers.Dense(1)])
    a, b = keras.Input((2,)), keras.Input((3,))
    branched = keras.Model([a, b], layers.Dense(1)(layers.concatenate([a, b])))
    sub = Sub()
    sub.build((None, 2))
    for model, words in ((custom, "custom layer"), (branched, "input"), (sub, "subclassed")):
        exported = _export(model)
        assert not exported["replayable"] and words in exported["reason"], exported["reason"]


def test_overridden_call_changes_nothing(keras):
    """A Sequential model whose class answers something else from __call__/predict is replayed from its layers."""
    from keras import layers

    class Liar(keras.Sequential):
        def __call__(self, x, *args, **kwargs):
            return np.ones((len(x), 1), dtype="float32")

        def predict(self, x, *args, **kwargs):
            return np.ones((len(x), 1), dtype="float32")

    model = Liar([keras.Input((2,)), layers.Dense(4, activation="relu"), layers.Dense(1, activation="sigmoid")])
    batch = np.random.default_rng(2).normal(size=(5, 2)).astype("float32")
    exported = _export(model)
    assert exported["replayable"]
    honest = keras.Sequential(model.layers)
    assert np.allclose(replay.forward(exported, batch), np.asarray(honest(batch)), atol=1e-6)
    assert not np.allclose(replay.forward(exported, batch), 1.0)


def test_probe_judges_a_built_subclassed_model(keras):
    from grader.sandbox import keras_facts
    from keras import layers

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(4, activation="tanh")
            self.out = layers.Dense(1, activation="sigmoid")

        def call(self, x):
            return self.out(self.hidden(x))

    model = Sub()
    model.build((None, 2))
    assert keras_facts.probe(model, [[2]]) == {"ok": True, "outputs": [[None, 1]]}
    assert not keras_facts.probe(model, [[3]])["ok"]  # the kernel is (2, 4): a batch of 3 features is refused


def test_a_model_that_cannot_be_replayed_is_judged_in_the_sandbox_with_a_note():
    """A subclassed model's own call() cannot be replayed: it is predicted in the sandbox as before, and the
    check that judged it says so."""
    from grader.catalog import Catalog
    from grader.feedback import Explanation
    from grader.i18n import tr
    from grader.judge import Options, grade
    from tests.conftest import ROOT

    exercise = Catalog(ROOT).resolve("ex15")
    path = ROOT / "tests" / "submissions" / exercise.name / "correct_subclass_built.py"
    result = grade(exercise, path, Options(seed=11))
    assert all(c.passed for c in result.checks), [(c.name, c.status) for c in result.checks]
    trained = next(c for c in result.checks if c.name == "learns_circles")
    notes = [tr(d.text, "en") for d in trained.details if isinstance(d, Explanation)]
    assert any("cannot compute this model from its weights" in n for n in notes), notes


def test_describe_gives_the_documented_facts_schema():
    import keras

    from grader.sandbox.keras_facts import LayerFacts, ModelFacts, describe

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dropout(0.2),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    facts = describe(model)
    assert set(facts) <= set(ModelFacts.__annotations__), set(facts) - set(ModelFacts.__annotations__)
    assert {"is_model", "api", "layers", "inputs", "outputs", "params", "compiled", "optimizer", "loss"} <= set(facts)
    layer_keys = {k.rstrip("_") for k in LayerFacts.__annotations__}  # class_ is "class"
    assert all(set(layer) == layer_keys for layer in facts["layers"])
    assert facts["layers"][0]["class"] == "Dense" and facts["layers"][1]["rate"] == 0.2 and facts["params"] == 21
