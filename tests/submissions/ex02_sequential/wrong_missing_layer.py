# expect-fail: layer_stack, parameter_count
# expect-message: layers differ
import keras
from keras import layers


def build_model():
    return keras.Sequential([
        keras.Input(shape=(100, 100, 3)),
        layers.Flatten(),
        layers.Dense(400, activation="relu"),
        layers.Dense(100, activation="softmax"),
    ])
