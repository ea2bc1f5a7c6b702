"""ex10 — XOR with a hidden layer. Fill in the place marked # [[YOUR CODE]]."""

import keras
from keras import layers


def build_xor_model():
    """Return a compiled Keras model: input shape (2,), a non-linear hidden layer, Dense(1, sigmoid) output."""
    # [[YOUR CODE]]
    pass
