# expect-fail: hidden_data_mse, hidden_data_weight
# A frozen neuron holding the worked example's line (w = 96.19, b = 5): the public data set passes,
# only the hidden data set with its own coefficient catches it.
import keras
from keras import layers


def build_regression_model():
    neuron = layers.Dense(1, kernel_initializer=keras.initializers.Constant(96.19),
                          bias_initializer=keras.initializers.Constant(5.0))
    neuron.trainable = False
    model = keras.Sequential([keras.Input(shape=(1,)), neuron])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model
