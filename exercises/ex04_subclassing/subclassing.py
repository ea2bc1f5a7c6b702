"""ex04 — the Subclassing API. Fill in the places marked # [[YOUR CODE]]."""

import keras
from keras import layers


class YourModel(keras.Model):
    """Flatten → Dense 400 relu → Dense 200 relu → Dense 100 softmax.

    Create the layers in __init__ (as attributes of self) and apply them in call.
    """

    def __init__(self, **kwargs):
        # [[YOUR CODE]]
        pass

    def call(self, inputs):
        # [[YOUR CODE]]
        pass


def build_model():
    """Return an instance of YourModel."""
    # [[YOUR CODE]]
    pass
