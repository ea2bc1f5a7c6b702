# expect-fail: uses_sequential
# expect-message: Sequential API
import keras
from keras import layers


def build_model():
    inputs = keras.Input(shape=(100, 100, 3))
    x = layers.Flatten()(inputs)
    x = layers.Dense(400, activation="relu")(x)
    x = layers.Dense(200, activation="relu")(x)
    outputs = layers.Dense(100, activation="softmax")(x)
    return keras.Model(inputs, outputs)
