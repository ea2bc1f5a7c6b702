# expect-fail: nonlinear_hidden_layer, learns_circles, fresh_circles
# expect-message: no straight line splits them
import keras
from keras import layers


def build_circles_model():
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model
