"""keras_facts.fit, the sandbox's side of ctx.fit: the student's train step traced once, the same training
as a plain model.fit, and a student's own errors and callbacks left as Keras gives them."""

from __future__ import annotations

import numpy as np
import pytest

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([0, 1, 1, 0], dtype=np.float32)


@pytest.fixture(scope="module")
def keras():
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("the trace-once preparation is for the TensorFlow backend")
    return keras


def _model(keras, seed: int = 3):
    keras.utils.set_random_seed(seed)

    class Counted(keras.Sequential):
        traces = 0

        def train_step(self, data):  # Python runs only while TensorFlow traces the step
            type(self).traces += 1
            return super().train_step(data)

    model = Counted([keras.Input((2,)), keras.layers.Dense(8, activation="tanh"),
                     keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _fit(model, repeat: int = 16, **kwargs):
    from grader.sandbox import keras_facts

    return keras_facts.fit(model, np.tile(X, (repeat, 1)), np.tile(Y, repeat),
                           {"epochs": 2, "batch_size": 4, "shuffle": False, **kwargs}, lambda epoch, logs: None)


def test_the_students_train_step_is_traced_once(keras):
    model = _model(keras)
    _fit(model)
    assert type(model).traces == 1  # left to the trace, the optimizer's variables make TensorFlow trace it twice


@pytest.mark.parametrize("repeat, steps_per_call", [(16, 1), (128, 64)])  # 32 steps; 256 steps, 64 per call
def test_the_training_is_the_same_as_a_plain_fit(keras, repeat, steps_per_call):
    ours = _model(keras)
    history = _fit(ours, repeat)
    assert ours.steps_per_execution == steps_per_call
    plain = _model(keras)
    expected = plain.fit(np.tile(X, (repeat, 1)), np.tile(Y, repeat), epochs=2, batch_size=4, shuffle=False, verbose=0)
    assert np.allclose(history["loss"], expected.history["loss"], atol=1e-5)
    for got, want in zip(ours.get_weights(), plain.get_weights()):
        assert np.allclose(got, want, atol=1e-5)


def test_a_students_batch_callback_still_sees_every_batch(keras):
    model = _model(keras)
    batches = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)

    _fit(model, 128, callbacks=[Count()])
    assert len(batches) == 2 * 128  # one call per step: no steps run together behind the student's callback
    assert model.steps_per_execution == 1


def test_a_model_that_fails_on_symbolic_inputs_gets_its_own_error_from_fit(keras):
    class Broken(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            raise ValueError("the student's own message")

    model = Broken()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="the student's own message"):
        _fit(model)
