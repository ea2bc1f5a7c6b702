# expect-fail: mse_loss, learns_line, learned_weight
# expect-message: gradient is only the sign
import keras
from keras import layers


def build_regression_model():
    model = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mae", metrics=["mae"])
    return model
