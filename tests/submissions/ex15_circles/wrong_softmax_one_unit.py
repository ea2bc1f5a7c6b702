# expect-fail: input_output, learns_circles, fresh_circles
# expect-message: e^z / e^z = 1.0
import keras
from keras import layers


def build_circles_model():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model
