# expect-fail: single_linear_neuron
# expect-message: relu turns every negative value into 0
import keras
from keras import layers


def build_regression_model():
    model = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1, activation="relu")])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model
