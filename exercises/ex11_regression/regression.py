"""ex11 — linear regression with one neuron. Fill in the place marked # [[YOUR CODE]]."""

import keras
from keras import layers


def build_regression_model():
    """Return a compiled Keras model: input shape (1,) → Dense(1) with a linear output;
    optimizer SGD, loss "mse", metrics including "mae"."""
    # [[YOUR CODE]]
    pass
