"""ex15 — classifying concentric circles. Fill in the place marked # [[YOUR CODE]]."""

import keras
from keras import layers


def build_circles_model():
    """Return a compiled Keras model for 2-D points: input shape (2,), at least one non-linear hidden layer,
    Dense(1, sigmoid) output; loss "binary_crossentropy", optimizer Adam."""
    # [[YOUR CODE]]
    pass
