# expect-fail: compiled_model, learns_xor
# expect-message: not compiled
import keras
from keras import layers


def build_xor_model():
    return keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(8, activation="tanh"),
        layers.Dense(1, activation="sigmoid"),
    ])
