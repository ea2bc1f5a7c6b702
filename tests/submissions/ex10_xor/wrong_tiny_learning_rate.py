# expect-fail: learns_xor
# expect-message: learning rate
import keras
from keras import layers


def build_xor_model():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(8, activation="tanh"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-5), loss="binary_crossentropy")
    return model
