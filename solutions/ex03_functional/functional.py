"""ex03 — reference solution."""

import keras
from keras import layers


def build_model():
    inputs = keras.Input(shape=(100, 100, 3))
    x = layers.Flatten()(inputs)
    x = layers.Dense(400, activation="relu")(x)
    x = layers.Dense(200, activation="relu")(x)
    outputs = layers.Dense(100, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def build_wide_deep_model():
    input_a = keras.Input(shape=(5,), name="wide_input")
    input_b = keras.Input(shape=(6,), name="deep_input")
    hidden1 = layers.Dense(30, activation="relu")(input_b)
    hidden2 = layers.Dense(30, activation="relu")(hidden1)
    concat = layers.concatenate([input_a, hidden2])
    output = layers.Dense(1, name="main_output")(concat)
    aux_output = layers.Dense(1, name="aux_output")(hidden2)
    return keras.Model(inputs=[input_a, input_b], outputs=[output, aux_output])


def compile_wide_deep(model):
    model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer="sgd")
    return model
