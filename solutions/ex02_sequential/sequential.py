"""ex02 — reference solution."""

import keras
from keras import layers


def build_model():
    model = keras.Sequential()
    model.add(keras.Input(shape=(100, 100, 3)))
    model.add(layers.Flatten())
    model.add(layers.Dense(400, activation="relu"))
    model.add(layers.Dense(200, activation="relu"))
    model.add(layers.Dense(100, activation="softmax"))
    return model
