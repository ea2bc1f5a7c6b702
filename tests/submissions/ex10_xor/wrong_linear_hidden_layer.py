# expect-fail: nonlinear_hidden_layer
# expect-message: straight decision boundary
import keras
from keras import layers


def build_xor_model():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(8),  # no activation: linear
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    return model
