# expect-fail: input_shape, parameter_count
# expect-message: (None, 100, 100, 3)
import keras
from keras import layers


def build_model():
    return keras.Sequential([
        keras.Input(shape=(100, 100)),
        layers.Flatten(),
        layers.Dense(400, activation="relu"),
        layers.Dense(200, activation="relu"),
        layers.Dense(100, activation="softmax"),
    ])
