# expect-fail: wide_deep_graph
# expect-message: with the first hidden layer
# A joins the first hidden layer instead of the second (same parameter count: only the graph check sees it).
import keras
from keras import layers


def build_model():
    inputs = keras.Input(shape=(100, 100, 3))
    x = layers.Flatten()(inputs)
    x = layers.Dense(400, activation="relu")(x)
    x = layers.Dense(200, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(100, activation="softmax")(x))


def build_wide_deep_model():
    input_a = keras.Input(shape=(5,))
    input_b = keras.Input(shape=(6,))
    hidden1 = layers.Dense(30, activation="relu")(input_b)
    hidden2 = layers.Dense(30, activation="relu")(hidden1)
    concat = layers.concatenate([input_a, hidden1])
    output = layers.Dense(1)(concat)
    aux_output = layers.Dense(1)(hidden2)
    return keras.Model(inputs=[input_a, input_b], outputs=[output, aux_output])


def compile_wide_deep(model):
    model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer="sgd")
