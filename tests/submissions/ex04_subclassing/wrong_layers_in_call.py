# expect-fail: layers_in_init, parameter_count, random_batch
# expect-message: Layers created inside call
# The layers are created inside call: untracked, new weights on every call.
import keras
from keras import layers


class YourModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs):
        x = layers.Flatten()(inputs)
        x = layers.Dense(400, activation="relu")(x)
        x = layers.Dense(200, activation="relu")(x)
        return layers.Dense(100, activation="softmax")(x)


def build_model():
    return YourModel()
