# expect-fail: returns_instance
# expect-message: Subclassing
# A Functional model instead of an instance of the YourModel subclass.
import keras
from keras import layers


class YourModel(keras.Model):
    pass


def build_model():
    inputs = keras.Input(shape=(100, 100, 3))
    x = layers.Flatten()(inputs)
    x = layers.Dense(400, activation="relu")(x)
    x = layers.Dense(200, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(100, activation="softmax")(x))
