# expect-fail: mae_metric
# expect-message: MAE is not among the metrics
import keras
from keras import layers


def build_regression_model():
    model = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model
