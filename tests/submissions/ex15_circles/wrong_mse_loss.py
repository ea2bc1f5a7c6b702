# expect-fail: loss_and_optimizer
# expect-message: uses 'binary_crossentropy'
import keras
from keras import layers


def build_circles_model():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["accuracy"])
    return model
