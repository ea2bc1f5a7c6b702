"""ex11 — reference solution."""

import keras
from keras import layers


def build_regression_model():
    model = keras.Sequential([
        keras.Input(shape=(1,)),
        layers.Dense(1),
    ])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model
